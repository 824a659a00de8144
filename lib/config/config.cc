#include "config/config.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <filesystem>
#include <map>
#include <regex>
#include <tuple>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "config/csv.h"
#include "core/address.h"
#include "core/file_system.h"
#include "domain/reminders.h"
#include "text/template.h"

namespace tacit {
namespace fs = std::filesystem;

namespace {

// Collects "file:line: message" problems while a file is read.
class Problems {
 public:
  void Add(const std::string& file, int line, const std::string& message) {
    list_.push_back(fmt::format("{}:{}: {}", file, line, message));
  }
  bool empty() const { return list_.empty(); }
  void Append(const Problems& other) {
    list_.insert(list_.end(), other.list_.begin(), other.list_.end());
  }
  std::string Joined() const {
    std::string out;
    for (const auto& p : list_) {
      if (!out.empty()) out += '\n';
      out += p;
    }
    return out;
  }

 private:
  std::vector<std::string> list_;
};

int LineOf(const toml::node& node) { return static_cast<int>(node.source().begin.line); }
int LineOf(const toml::key& key) { return static_cast<int>(key.source().begin.line); }

bool HasCrLf(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }
bool SplitMailbox(const std::string& text, std::string& name, std::string& address);

// Reads a TOML table's keys, complaining about keys not in `known` and values of
// the wrong type. Each getter records a problem and returns nullopt when wrong.
class TableReader {
 public:
  TableReader(const toml::table& table, std::string file, std::string where, Problems& problems,
              std::vector<std::string_view> known)
      : table_(table), file_(std::move(file)), where_(std::move(where)), problems_(problems) {
    for (const auto& [key, node] : table_) {
      if (std::find(known.begin(), known.end(), key.str()) == known.end()) {
        Problem(LineOf(key), fmt::format("unknown key '{}'{}", key.str(), where_));
      }
    }
  }

  std::optional<std::string> String(std::string_view key, bool required) {
    const toml::node* node = table_.get(key);
    if (node == nullptr) {
      if (required) Problem(TableLine(), fmt::format("missing key '{}'{}", key, where_));
      return std::nullopt;
    }
    if (!node->is_string()) {
      Problem(LineOf(*node), fmt::format("'{}' must be a string", key));
      return std::nullopt;
    }
    std::string value = **node->as_string();
    if (HasCrLf(value)) {
      Problem(LineOf(*node), fmt::format("'{}' must not contain a line break", key));
      return std::nullopt;
    }
    return value;
  }

  // A string that may span lines (a template body).
  std::optional<std::string> Text(std::string_view key) {
    const toml::node* node = table_.get(key);
    if (node == nullptr) return std::nullopt;
    if (!node->is_string()) {
      Problem(LineOf(*node), fmt::format("'{}' must be a string", key));
      return std::nullopt;
    }
    return std::string(**node->as_string());
  }

  std::optional<bool> Bool(std::string_view key) {
    const toml::node* node = table_.get(key);
    if (node == nullptr) return std::nullopt;
    if (!node->is_boolean()) {
      Problem(LineOf(*node), fmt::format("'{}' must be true or false", key));
      return std::nullopt;
    }
    return **node->as_boolean();
  }

  std::optional<std::int64_t> Integer(std::string_view key, std::int64_t min, std::int64_t max) {
    const toml::node* node = table_.get(key);
    if (node == nullptr) return std::nullopt;
    if (!node->is_integer() || **node->as_integer() < min || **node->as_integer() > max) {
      Problem(LineOf(*node),
              fmt::format("'{}' must be a whole number from {} to {}", key, min, max));
      return std::nullopt;
    }
    return **node->as_integer();
  }

  // An array of strings, each with its line. Missing: empty.
  std::vector<std::pair<std::string, int>> Strings(std::string_view key, bool required) {
    std::vector<std::pair<std::string, int>> out;
    const toml::node* node = table_.get(key);
    if (node == nullptr) {
      if (required) Problem(TableLine(), fmt::format("missing key '{}'{}", key, where_));
      return out;
    }
    const toml::array* array = node->as_array();
    if (array == nullptr) {
      Problem(LineOf(*node), fmt::format("'{}' must be an array of strings", key));
      return out;
    }
    for (const toml::node& item : *array) {
      if (!item.is_string() || HasCrLf(**item.as_string())) {
        Problem(LineOf(item), fmt::format("'{}' must hold strings without line breaks", key));
        continue;
      }
      out.emplace_back(**item.as_string(), LineOf(item));
    }
    return out;
  }

  const toml::node* Node(std::string_view key) const { return table_.get(key); }
  int TableLine() const { return std::max(1, LineOf(table_)); }
  void Problem(int line, const std::string& message) { problems_.Add(file_, line, message); }
  const std::string& file() const { return file_; }

 private:
  const toml::table& table_;
  std::string file_;
  std::string where_;
  Problems& problems_;
};

std::string Resolve(const fs::path& base, const std::string& p) {
  if (p.empty()) return p;
  fs::path path(p);
  if (path.is_absolute()) return path.lexically_normal().string();
  return (base / path).lexically_normal().string();
}

// The whole file, or why it could not be read ("No such file or directory").
Result<std::string> ReadText(const std::string& path) {
  Result<std::string> text = PosixFileSystem().ReadFile(path);
  if (!text) {
    const std::string& m = text.error().message();  // "PATH: reason"
    return Status::Io(m.substr(std::min(m.size(), path.size() + 2)));
  }
  return text;
}

// Parses a TOML file, reporting a syntax error at its line.
std::optional<toml::table> ParseToml(const std::string& path, Problems& problems) {
  Result<std::string> text = ReadText(path);
  if (!text) {
    problems.Add(path, 1, fmt::format("cannot read file: {}", text.error().message()));
    return std::nullopt;
  }
  try {
    return toml::parse(*text, path);
  } catch (const toml::parse_error& e) {
    problems.Add(path, static_cast<int>(e.source().begin.line),
                 fmt::format("TOML syntax: {}", e.description()));
    return std::nullopt;
  }
}

const toml::table* SubTable(const toml::table& root, std::string_view key, const std::string& file,
                            Problems& problems) {
  const toml::node* node = root.get(key);
  if (node == nullptr) return nullptr;
  if (!node->is_table()) {
    problems.Add(file, LineOf(*node), fmt::format("'{}' must be a table", key));
    return nullptr;
  }
  return node->as_table();
}

void ReadDaemon(const toml::table& root, const fs::path& base, const std::string& file, Config& cfg,
                Problems& problems) {
  const toml::table* t = SubTable(root, "daemon", file, problems);
  if (t == nullptr) {
    problems.Add(file, 1, "missing table [daemon]");
    return;
  }
  TableReader r(*t, file, " in [daemon]", problems,
                {"state_dir", "status_file", "report_dir", "timezone", "units_file",
                 "consultations_dir", "deadline_grace"});
  DaemonConfig& d = cfg.daemon;
  if (auto v = r.String("state_dir", true)) d.state_dir = Resolve(base, *v);
  d.status_file = Resolve(base, r.String("status_file", false).value_or(""));
  if (d.status_file.empty() && !d.state_dir.empty()) d.status_file = d.state_dir + "/status.json";
  d.report_dir = Resolve(base, r.String("report_dir", false).value_or(""));
  if (d.report_dir.empty() && !d.state_dir.empty()) d.report_dir = d.state_dir + "/reports";
  if (auto v = r.String("timezone", false)) {
    d.timezone = *v;
    if (!TimeZone::Find(*v)) {
      r.Problem(LineOf(*r.Node("timezone")), fmt::format("unknown time zone '{}'", *v));
    }
  }
  d.units_file = Resolve(base, r.String("units_file", false).value_or("units.csv"));
  d.consultations_dir =
      Resolve(base, r.String("consultations_dir", false).value_or("consultations"));
  if (auto v = r.String("deadline_grace", false)) {
    if (auto dur = ParseDuration(*v)) {
      d.deadline_grace = *dur;
    } else {
      r.Problem(LineOf(*r.Node("deadline_grace")),
                fmt::format("deadline_grace '{}' is not a duration (e.g. \"24h\", \"90m\")", *v));
    }
  }
}

// imap.ack_flag: \Seen or \Flagged (any case; written back as the RFC 3501
// spelling), or a keyword, which is an IMAP atom (printable ASCII without
// ( ) { ] % * " \ and space), as the server must take it in UID STORE.
// Other system flags are refused: \Deleted would have the message expunged,
// \Answered and \Draft mean something else to a mail client.
std::optional<std::string> CheckAckFlag(const std::string& v, std::string& why) {
  auto lower = [](std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  if (v.empty()) {
    why = "is empty";
    return std::nullopt;
  }
  if (v[0] == '\\') {
    if (lower(v) == "\\seen") return std::string("\\Seen");
    if (lower(v) == "\\flagged") return std::string("\\Flagged");
    why = "is not allowed: of the system flags only \\Seen and \\Flagged (else a keyword)";
    return std::nullopt;
  }
  constexpr std::size_t kMaxKeyword = 64;
  if (v.size() > kMaxKeyword) {
    why = fmt::format("is longer than {} characters", kMaxKeyword);
    return std::nullopt;
  }
  for (char c : v) {
    auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f ||
        std::string_view("(){]%*\"\\").find(c) != std::string_view::npos) {
      why = "is not an IMAP keyword (no spaces, 8-bit characters or ( ) { ] % * \" \\)";
      return std::nullopt;
    }
  }
  // The quarantine keyword would mark every reply as set aside.
  if (lower(v) == "$tacitquarantined") {
    why = "is reserved for messages tacit could not read";
    return std::nullopt;
  }
  return v;
}

void ReadSources(const toml::table& root, const fs::path& base, const std::string& file,
                 Config& cfg, Problems& problems) {
  if (const toml::table* t = SubTable(root, "drop_folder", file, problems)) {
    TableReader r(
        *t, file, " in [drop_folder]", problems,
        {"path", "max_bytes", "ocr_threads", "ocr_min_confidence", "ocr_timeout", "ocr_max_pages"});
    DropFolderConfig dc;
    dc.path = Resolve(base, r.String("path", true).value_or(""));
    if (auto v = r.Integer("max_bytes", 1, std::int64_t{1} << 40)) {
      dc.max_bytes = static_cast<std::uint64_t>(*v);
    }
    if (auto v = r.Integer("ocr_threads", 1, 2)) dc.ocr_threads = static_cast<int>(*v);
    if (auto v = r.Integer("ocr_min_confidence", 0, 100)) {
      dc.ocr_min_confidence = static_cast<int>(*v);
    }
    if (auto v = r.Integer("ocr_max_pages", 1, 200)) dc.ocr_max_pages = static_cast<int>(*v);
    if (auto v = r.String("ocr_timeout", false)) {
      if (auto dur = ParseDuration(*v); dur && dur->count() > 0) {
        dc.ocr_timeout = *dur;
      } else {
        r.Problem(LineOf(*r.Node("ocr_timeout")),
                  fmt::format("ocr_timeout '{}' is not a duration (e.g. \"2m\", \"90s\")", *v));
      }
    }
    cfg.drop_folder = dc;
  }
  if (const toml::table* t = SubTable(root, "maildir", file, problems)) {
    TableReader r(*t, file, " in [maildir]", problems, {"path"});
    cfg.maildir = MaildirConfig{Resolve(base, r.String("path", true).value_or(""))};
  }
  if (const toml::table* t = SubTable(root, "imap", file, problems)) {
    TableReader r(
        *t, file, " in [imap]", problems,
        {"url", "username", "password_file", "ca_file", "poll_seconds", "ack_flag", "fetch_batch"});
    ImapConfig ic;
    ic.url = r.String("url", true).value_or("");
    ic.username = r.String("username", false).value_or("");
    ic.password_file = Resolve(base, r.String("password_file", false).value_or(""));
    ic.ca_file = Resolve(base, r.String("ca_file", false).value_or(""));
    if (auto v = r.Integer("poll_seconds", 1, 86400)) ic.poll_seconds = static_cast<int>(*v);
    if (auto v = r.Integer("fetch_batch", 1, 10000)) ic.fetch_batch = static_cast<int>(*v);
    if (auto v = r.String("ack_flag", false)) {
      std::string why;
      if (std::optional<std::string> flag = CheckAckFlag(*v, why)) {
        ic.ack_flag = *flag;
      } else {
        r.Problem(LineOf(*r.Node("ack_flag")), fmt::format("ack_flag '{}' {}", *v, why));
      }
    }
    cfg.imap = ic;
  }
  if (const toml::table* t = SubTable(root, "smtp", file, problems)) {
    TableReader r(*t, file, " in [smtp]", problems,
                  {"url", "username", "password_file", "ca_file", "from", "reply_to",
                   "rate_per_minute", "retry_initial", "retry_max", "timeout"});
    SmtpConfig sc;
    sc.url = r.String("url", true).value_or("");
    if (!sc.url.empty() && sc.url.rfind("smtp://", 0) != 0 && sc.url.rfind("smtps://", 0) != 0) {
      r.Problem(LineOf(*r.Node("url")),
                fmt::format("url '{}' must start with smtps:// or smtp://", sc.url));
    }
    sc.username = r.String("username", false).value_or("");
    sc.password_file = Resolve(base, r.String("password_file", false).value_or(""));
    sc.ca_file = Resolve(base, r.String("ca_file", false).value_or(""));
    sc.from = r.String("from", true).value_or("");
    if (!sc.from.empty()) {
      if (!SplitMailbox(sc.from, sc.from_name, sc.from_address)) {
        r.Problem(LineOf(*r.Node("from")),
                  fmt::format("from '{}' must be \"Name <addr@domain>\" or an address", sc.from));
      }
    }
    // Without reply_to the from address is used; a bad one is reported under
    // `from` above (there is no reply_to line to name).
    if (auto v = r.String("reply_to", false)) {
      sc.reply_to = *v;
      if (!sc.reply_to.empty() && !IsMailAddress(sc.reply_to)) {
        r.Problem(LineOf(*r.Node("reply_to")),
                  fmt::format("reply_to '{}' is not an email address", sc.reply_to));
      }
    } else {
      sc.reply_to = sc.from_address;
    }
    if (auto v = r.Integer("rate_per_minute", 1, 6000)) sc.rate_per_minute = static_cast<int>(*v);
    for (auto [key, field] :
         {std::pair{"retry_initial", &sc.retry_initial}, std::pair{"retry_max", &sc.retry_max},
          std::pair{"timeout", &sc.timeout}}) {
      if (auto v = r.String(key, false)) {
        std::optional<std::chrono::seconds> dur = ParseDuration(*v);
        if (dur && dur->count() > 0) {
          *field = *dur;
        } else {
          r.Problem(LineOf(*r.Node(key)),
                    fmt::format("{} '{}' is not a duration (e.g. \"60s\", \"5m\")", key, *v));
        }
      }
    }
    cfg.smtp = sc;
  }
}

// "Name <addr@domain>" or "addr@domain". The name may not hold a line break,
// '<', '>' or '"' (it goes into a header, encoded by GMime).
bool SplitMailbox(const std::string& text, std::string& name, std::string& address) {
  size_t lt = text.find('<');
  if (lt == std::string::npos) {
    name.clear();
    address = text;
    return IsMailAddress(address);
  }
  if (text.back() != '>' || text.find('<', lt + 1) != std::string::npos) return false;
  name = text.substr(0, lt);
  while (!name.empty() && name.back() == ' ') name.pop_back();
  address = text.substr(lt + 1, text.size() - lt - 2);
  if (name.find_first_of("<>\"\r\n") != std::string::npos) return false;
  for (unsigned char ch : name) {
    if (ch < 0x20 || ch == 0x7f) return false;
  }
  return IsMailAddress(address);
}

// "a; b;;c " -> {"a", "b", "c"}: items split at ';', blanks around them dropped.
std::vector<std::string> SplitList(std::string_view s) {
  std::vector<std::string> out;
  while (!s.empty()) {
    const size_t semi = s.find(';');
    std::string_view item = s.substr(0, semi);
    s = semi == std::string_view::npos ? std::string_view{} : s.substr(semi + 1);
    const size_t b = item.find_first_not_of(" \t");
    if (b == std::string_view::npos) continue;
    const size_t e = item.find_last_not_of(" \t");
    out.emplace_back(item.substr(b, e - b + 1));
  }
  return out;
}

void ReadUnits(const std::string& path, Config& cfg, Problems& problems) {
  Result<std::string> text = ReadText(path);
  if (!text) {
    problems.Add(path, 1, fmt::format("cannot read units file: {}", text.error().message()));
    return;
  }
  // Read in one pass over the text (no copy of every field first): the
  // header's and rows' problems and the units are kept aside and dropped if
  // the CSV turns out to be malformed further down: then only that error is
  // reported.
  Problems rows;
  const std::size_t units_before = cfg.units.size();
  const std::vector<std::string> known = {"code", "name", "group", "emails", "aliases"};
  bool have_header = false, header_ok = true;
  std::size_t header_size = 0;
  // The column's position, or -1 when the header has no such column.
  long code_at = -1, name_at = -1, group_at = -1, emails_at = -1, aliases_at = -1;
  // The codes seen so far, for duplicates: an open-addressing table of
  // positions in cfg.units (0 = free, else 1 + the position), and the line
  // of each unit read. Two arrays, not a block per code: such blocks, freed
  // among the units' own, left an idle tacitd's heap fragmented (2.5 MB more
  // RSS at 10,000 units, issue 9).
  std::vector<std::uint32_t> slots;
  std::vector<int> unit_line;
  auto header = [&](int line, std::span<const std::string_view> fields) {
    have_header = true;
    header_size = fields.size();
    std::map<std::string, long, std::less<>> column;
    for (std::size_t i = 0; i < fields.size(); ++i) {
      const std::string h(fields[i]);
      if (std::find(known.begin(), known.end(), h) == known.end()) {
        rows.Add(path, line, fmt::format("unknown column '{}'", h));
        header_ok = false;
      } else if (!column.emplace(h, static_cast<long>(i)).second) {
        rows.Add(path, line, fmt::format("column '{}' appears twice", h));
        header_ok = false;
      }
    }
    for (const char* required : {"code", "name", "group"}) {
      if (!column.count(required)) {
        rows.Add(path, line, fmt::format("missing column '{}'", required));
        header_ok = false;
      }
    }
    auto at = [&](const char* name) {
      auto it = column.find(name);
      return it == column.end() ? -1L : it->second;
    };
    code_at = at("code"), name_at = at("name"), group_at = at("group");
    emails_at = at("emails"), aliases_at = at("aliases");
  };
  auto row = [&](int line, std::span<const std::string_view> fields) {
    auto field = [&](long at) -> std::string_view {
      return at >= 0 && static_cast<std::size_t>(at) < fields.size()
                 ? fields[static_cast<std::size_t>(at)]
                 : std::string_view{};
    };
    if (fields.size() > header_size) {
      rows.Add(path, line, fmt::format("{} fields, the header has {}", fields.size(), header_size));
      return;
    }
    Unit u{std::string(field(code_at)), std::string(field(name_at)), std::string(field(group_at)),
           SplitList(field(emails_at)), SplitList(field(aliases_at))};
    if (!IsValidCode(u.code)) {
      rows.Add(path, line,
               fmt::format("unit code '{}' must be lower-case letters, digits and '-'", u.code));
      return;
    }
    const std::size_t mask = slots.size() - 1;
    std::size_t at = std::hash<std::string_view>{}(u.code) & mask;
    for (; slots[at] != 0; at = (at + 1) & mask) {
      const std::size_t other = slots[at] - 1;
      if (cfg.units[other].code == u.code) {
        rows.Add(path, line,
                 fmt::format("duplicate unit code '{}' (first on line {})", u.code,
                             unit_line[other - units_before]));
        return;
      }
    }
    if (u.name.empty() || HasCrLf(u.name)) {
      rows.Add(path, line, fmt::format("unit '{}': name must be one non-empty line", u.code));
    }
    if (u.group.empty() || HasCrLf(u.group)) {
      rows.Add(path, line, fmt::format("unit '{}': group must be one non-empty line", u.code));
    }
    for (const auto& e : u.emails) {
      if (!IsMailAddress(e)) {
        rows.Add(path, line, fmt::format("unit '{}': '{}' is not an email address", u.code, e));
      }
    }
    for (const auto& a : u.aliases) {
      if (HasCrLf(a))
        rows.Add(path, line, fmt::format("unit '{}': alias has a line break", u.code));
    }
    slots[at] = static_cast<std::uint32_t>(cfg.units.size() + 1);
    unit_line.push_back(line);
    cfg.units.push_back(std::move(u));
  };
  // About one unit per line.
  const auto lines = static_cast<std::size_t>(std::count(text->begin(), text->end(), '\n'));
  cfg.units.reserve(units_before + lines);
  unit_line.reserve(lines);
  std::size_t table = 16;
  while (table < 2 * lines) table *= 2;  // at most half full
  slots.assign(table, 0);
  Status parsed = ForEachCsvRecord(*text, [&](int line, std::span<const std::string_view> fields) {
    if (!have_header) {
      header(line, fields);
    } else if (header_ok) {
      row(line, fields);
    }
  });
  if (!parsed.ok()) {
    // "line N: ..." becomes "path:N: ...".
    cfg.units.resize(units_before);
    const std::string& m = parsed.message();
    int line = std::atoi(m.c_str() + 5);
    problems.Add(path, line > 0 ? line : 1, m.substr(m.find(": ") + 2));
    return;
  }
  if (!have_header) {
    problems.Add(path, 1, "empty units file: expected header code,name,group,emails,aliases");
    return;
  }
  problems.Append(rows);
}

bool ValidScheduleSlot(const std::string& s) { return ParseSlotSpec(s).has_value(); }

void ReadReminders(const toml::table& root, const std::string& file, const TimeZone& tz,
                   Consultation& c, Problems& problems) {
  const toml::table* t = SubTable(root, "reminders", file, problems);
  if (t == nullptr) return;
  TableReader r(
      *t, file, " in [reminders]", problems,
      {"schedule", "working_days_only", "report_to", "holidays", "digest_at", "subject", "body"});
  for (auto& [slot, line] : r.Strings("schedule", false)) {
    if (!ValidScheduleSlot(slot)) {
      r.Problem(line, fmt::format("schedule slot '{}' must look like \"-3d 08:00\"", slot));
    }
    c.reminders.schedule.push_back(slot);
  }
  c.reminders.working_days_only = r.Bool("working_days_only").value_or(false);
  for (auto& [addr, line] : r.Strings("report_to", false)) {
    if (!IsMailAddress(addr)) r.Problem(line, fmt::format("'{}' is not an email address", addr));
    c.reminders.report_to.push_back(addr);
  }
  for (auto& [day, line] : r.Strings("holidays", false)) {
    Result<TimePoint> d = ParseDate(day, tz, DateKind::kInstant);
    if (!d) r.Problem(line, fmt::format("holidays: {}", d.error().message()));
    c.reminders.holidays.push_back(day);
  }
  if (auto v = r.String("digest_at", false)) {
    if (std::optional<int> m = ParseClockMinutes(*v)) {
      c.reminders.digest_at_minutes = *m;
    } else {
      r.Problem(LineOf(*r.Node("digest_at")),
                fmt::format("digest_at '{}' must be a local time like \"08:00\"", *v));
    }
  }
  for (auto [key, field, multiline] : {std::tuple{"subject", &c.reminders.subject_template, false},
                                       std::tuple{"body", &c.reminders.body_template, true}}) {
    std::optional<std::string> v = multiline ? r.Text(key) : r.String(key, false);
    if (!v) continue;
    Status st = text::CheckTemplate(*v, ReminderTemplateFields());
    if (!st.ok()) {
      r.Problem(LineOf(*r.Node(key)), fmt::format("{}: {}", key, st.message()));
    } else if (v->find_first_not_of(" \t\r\n") == std::string::npos) {
      r.Problem(LineOf(*r.Node(key)), fmt::format("{} must not be empty", key));
    }
    *field = *v;
  }
}

// [report] (issue 11): the docx report's header blocks. `into` holds the
// defaults (tacit.toml's) and gets each key this table sets.
void ReadReportHeader(const toml::table& root, const std::string& file, ReportHeaderConfig& into,
                      Problems& problems) {
  const toml::table* t = SubTable(root, "report", file, problems);
  if (t == nullptr) return;
  TableReader r(
      *t, file, " in [report]", problems,
      {"issuing_body", "number_suffix", "place", "signer_title", "signer_name", "recipients"});
  auto blank = [](std::string_view s) { return s.find_first_not_of(" \t") == s.npos; };
  auto text = [&](std::string_view key, std::optional<std::string>& out) {
    std::optional<std::string> v = r.String(key, false);
    if (v && blank(*v)) r.Problem(LineOf(*r.Node(key)), fmt::format("'{}' must not be empty", key));
    if (v) out = std::move(*v);
  };
  auto lines = [&](std::string_view key, size_t max, std::optional<std::vector<std::string>>& out) {
    const toml::node* node = r.Node(key);
    if (node == nullptr) return;
    std::vector<std::string> items;
    for (auto& [item, line] : r.Strings(key, false)) {
      if (blank(item)) r.Problem(line, fmt::format("'{}' must not hold an empty line", key));
      items.push_back(std::move(item));
    }
    if (node->is_array() && (items.empty() || items.size() > max)) {
      r.Problem(LineOf(*node), fmt::format("'{}' must have 1 to {} lines", key, max));
    }
    out = std::move(items);
  };
  lines("issuing_body", 3, into.issuing_body);
  text("number_suffix", into.number_suffix);
  if (const toml::node* n = r.Node("number_suffix");
      n && into.number_suffix && into.number_suffix->find_first_of(" \t/") != std::string::npos) {
    r.Problem(LineOf(*n), fmt::format("number_suffix '{}' must be a symbol such as \"BC-VHXH\", "
                                      "without spaces or '/'",
                                      *into.number_suffix));
  }
  text("place", into.place);
  text("signer_title", into.signer_title);
  text("signer_name", into.signer_name);
  lines("recipients", 20, into.recipients);
}

// Resolves "*", group names and unit codes to unit codes, in units.csv order.
void ResolveAddressees(TableReader& r, const std::vector<std::pair<std::string, int>>& names,
                       const std::vector<Unit>& units, Consultation& c) {
  // Chosen units by their place in the list (codes are unique): in list
  // order, once each, without a set of 100,000 codes.
  std::vector<bool> chosen(units.size(), false);
  for (const auto& [name, line] : names) {
    bool any = false;
    for (std::size_t i = 0; i < units.size(); ++i) {
      const Unit& u = units[i];
      if (name == "*" || u.group == name || u.code == name) {
        chosen[i] = true;
        any = true;
      }
    }
    if (!any)
      r.Problem(line, fmt::format("addressee '{}' names no unit or group in the units file", name));
    c.addressees.push_back(name);
  }
  for (std::size_t i = 0; i < units.size(); ++i) {
    if (chosen[i]) c.addressed_units.push_back(units[i].code);
  }
}

void ReadConsultation(const std::string& path, const Config& cfg, Problems& problems,
                      std::vector<Consultation>& out) {
  std::optional<toml::table> root = ParseToml(path, problems);
  if (!root) return;
  TableReader r(*root, path, "", problems,
                {"id", "reference", "subject", "issuer", "signer", "deadline", "silence_means",
                 "addressees", "topics", "reminders", "report"});
  Consultation c;
  c.source_file = path;
  c.id = r.String("id", true).value_or("");
  if (!c.id.empty() && !IsValidCode(c.id)) {
    r.Problem(LineOf(*r.Node("id")),
              fmt::format("id '{}' must be lower-case letters, digits and '-'", c.id));
  }
  c.reference = r.String("reference", false).value_or("");
  c.subject = r.String("subject", true).value_or("");
  c.issuer = r.String("issuer", false).value_or("");
  c.signer = r.String("signer", false).value_or("");
  if (auto v = r.String("deadline", true)) {
    c.deadline_text = *v;
    Result<TimePoint> d = ParseDate(*v, cfg.tz, DateKind::kDeadline);
    if (d) {
      c.deadline = *d;
    } else {
      r.Problem(LineOf(*r.Node("deadline")), "deadline: " + d.error().message());
    }
  }
  if (auto v = r.String("silence_means", false)) {
    if (auto s = ParseSilenceMeans(*v)) {
      c.silence_means = *s;
    } else {
      r.Problem(LineOf(*r.Node("silence_means")),
                fmt::format("silence_means '{}' must be \"consent\" or \"no_response\"", *v));
    }
  }
  ResolveAddressees(r, r.Strings("addressees", true), cfg.units, c);
  for (auto& [topic, line] : r.Strings("topics", false)) c.topics.push_back(topic);
  ReadReminders(*root, path, cfg.tz, c, problems);
  c.report = cfg.report;
  ReadReportHeader(*root, path, c.report, problems);
  out.push_back(std::move(c));
}

void ReadConsultations(const std::string& dir, Config& cfg, Problems& problems) {
  std::error_code ec;
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.path().extension() == ".toml") files.push_back(entry.path().string());
  }
  if (ec) {
    problems.Add(dir, 1, fmt::format("cannot read consultations folder: {}", ec.message()));
    return;
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) ReadConsultation(f, cfg, problems, cfg.consultations);
  std::map<std::string, std::string> ids;
  for (const Consultation& c : cfg.consultations) {
    if (c.id.empty()) continue;
    if (auto [it, inserted] = ids.emplace(c.id, c.source_file); !inserted) {
      problems.Add(c.source_file, 1,
                   fmt::format("consultation id '{}' is also used by {}", c.id, it->second));
    }
  }
  std::sort(cfg.consultations.begin(), cfg.consultations.end(),
            [](const Consultation& a, const Consultation& b) { return a.id < b.id; });
}

}  // namespace

const Unit* Config::FindUnit(std::string_view code) const {
  for (const Unit& u : units) {
    if (u.code == code) return &u;
  }
  return nullptr;
}

const Consultation* Config::FindConsultation(std::string_view id) const {
  for (const Consultation& c : consultations) {
    if (c.id == id) return &c;
  }
  return nullptr;
}

std::optional<std::chrono::seconds> ParseDuration(std::string_view text) {
  if (text.empty()) return std::nullopt;
  std::int64_t value = 0;
  size_t i = 0;
  for (; i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])); ++i) {
    value = value * 10 + (text[i] - '0');
    if (value > 100'000'000) return std::nullopt;
  }
  if (i == 0) return std::nullopt;
  std::string_view unit = text.substr(i);
  std::int64_t factor = 0;
  if (unit.empty() || unit == "s") factor = 1;
  if (unit == "m") factor = 60;
  if (unit == "h") factor = 3600;
  if (unit == "d") factor = 86400;
  if (factor == 0) return std::nullopt;
  return std::chrono::seconds{value * factor};
}

Result<Config> LoadConfig(const std::string& path) {
  Problems problems;
  Config cfg;
  cfg.path = path;
  std::optional<toml::table> root = ParseToml(path, problems);
  if (!root) return Status::InvalidConfig(problems.Joined());
  const fs::path base = fs::path(path).parent_path();
  {
    TableReader top(*root, path, "", problems,
                    {"daemon", "drop_folder", "maildir", "imap", "smtp", "report"});
  }
  ReadDaemon(*root, base, path, cfg, problems);
  ReadSources(*root, base, path, cfg, problems);
  ReadReportHeader(*root, path, cfg.report, problems);
  Result<TimeZone> tz = TimeZone::Find(cfg.daemon.timezone);
  if (!tz) return Status::InvalidConfig(problems.Joined());
  cfg.tz = *tz;
  if (!cfg.daemon.units_file.empty()) ReadUnits(cfg.daemon.units_file, cfg, problems);
  if (!cfg.daemon.consultations_dir.empty()) {
    ReadConsultations(cfg.daemon.consultations_dir, cfg, problems);
  }
  if (!problems.empty()) return Status::InvalidConfig(problems.Joined());
  return cfg;
}

}  // namespace tacit
