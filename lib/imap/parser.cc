#include "imap/parser.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>

#include <fmt/format.h>

namespace tacit::imap {
namespace {

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return out;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// If `line` (without its line end) ends in a literal announcement `{n}` or
// `{n+}`, its size.
std::optional<std::uint64_t> LiteralAnnouncement(std::string_view line) {
  if (line.empty() || line.back() != '}') return std::nullopt;
  std::size_t open = line.rfind('{');
  if (open == std::string_view::npos) return std::nullopt;
  std::string_view digits = line.substr(open + 1, line.size() - open - 2);
  if (!digits.empty() && digits.back() == '+') digits.remove_suffix(1);
  if (digits.empty()) return std::nullopt;
  std::uint64_t n = 0;
  for (char c : digits) {
    if (!IsDigit(c)) return std::nullopt;
    // Saturates: a 20-digit size is over any limit, not a small number.
    n = n > (UINT64_MAX - 9) / 10 ? UINT64_MAX : n * 10 + static_cast<std::uint64_t>(c - '0');
  }
  return n;
}

// Reads the tokens of one complete response (literals included).
class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}

  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek() const { return AtEnd() ? '\0' : s_[pos_]; }
  bool Eat(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }
  void SkipSpaces() {
    while (Peek() == ' ') ++pos_;
  }
  bool AtLineEnd() const { return Peek() == '\r' || Peek() == '\n' || AtEnd(); }
  // True when only the final line end is left.
  bool Finish() {
    SkipSpaces();
    Eat('\r');
    Eat('\n');
    return AtEnd();
  }

  // Up to the next SP, parenthesis, bracket, quote or line end.
  std::string_view Atom() {
    std::size_t start = pos_;
    while (!AtEnd()) {
      char c = s_[pos_];
      if (c == ' ' || c == '(' || c == ')' || c == '[' || c == ']' || c == '"' || c == '\r' ||
          c == '\n' || c == '{') {
        break;
      }
      ++pos_;
    }
    return s_.substr(start, pos_ - start);
  }

  std::optional<std::uint64_t> Number() {
    std::size_t start = pos_;
    std::uint64_t n = 0;
    while (IsDigit(Peek()) && pos_ - start < 19)
      n = n * 10 + static_cast<unsigned>(s_[pos_++] - '0');
    if (pos_ == start) return std::nullopt;
    return n;
  }

  // The rest of the line (literals included), without the final line end.
  std::string_view Rest() {
    std::string_view rest = s_.substr(pos_);
    pos_ = s_.size();
    while (!rest.empty() && (rest.back() == '\n' || rest.back() == '\r')) rest.remove_suffix(1);
    return rest;
  }

  // A quoted string, a literal or NIL. `ok` false on a syntax error.
  std::optional<std::string> NString(bool* ok) {
    *ok = true;
    if (Eat('"')) {
      std::string out;
      while (!AtEnd()) {
        char c = s_[pos_++];
        if (c == '"') return out;
        if (c == '\\' && !AtEnd()) c = s_[pos_++];
        if (c == '\r' || c == '\n') break;
        out.push_back(c);
      }
      *ok = false;
      return std::nullopt;
    }
    if (Peek() == '{' || (Peek() == '~' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '{')) {
      if (Peek() == '~') ++pos_;
      ++pos_;
      std::optional<std::uint64_t> n = Number();
      Eat('+');
      if (!n || !Eat('}')) {
        *ok = false;
        return std::nullopt;
      }
      Eat('\r');
      if (!Eat('\n') || s_.size() - pos_ < *n) {
        *ok = false;
        return std::nullopt;
      }
      std::string out(s_.substr(pos_, *n));
      pos_ += *n;
      return out;
    }
    std::string_view atom = Atom();
    if (Upper(atom) != "NIL") *ok = false;
    return std::nullopt;
  }

  // Skips one value of any kind (number, atom, string, literal, NIL, nested list).
  bool SkipValue(int depth = 0) {
    if (depth > 64) return false;
    if (Eat('(')) {
      for (;;) {
        SkipSpaces();
        if (Eat(')')) return true;
        if (AtLineEnd() || !SkipValue(depth + 1)) return false;
      }
    }
    if (Peek() == '"' || Peek() == '{' || Peek() == '~') {
      bool ok = false;
      NString(&ok);
      return ok;
    }
    std::size_t start = pos_;
    Atom();
    if (Eat('[')) {  // BODY[...] as a value inside BODYSTRUCTURE-like data
      while (!AtEnd() && !AtLineEnd() && !Eat(']')) ++pos_;
    }
    return pos_ > start;
  }

  // A FETCH attribute name: "UID", "BODY[]", "BODY[HEADER.FIELDS (FROM)]<0>".
  std::string AttName() {
    std::string name(Atom());
    if (Peek() == '[') {
      std::size_t start = pos_;
      while (!AtEnd() && !AtLineEnd() && s_[pos_] != ']') ++pos_;
      if (!Eat(']')) return {};
      name.append(s_.substr(start, pos_ - start));
      if (Peek() == '<') {
        start = pos_;
        while (!AtEnd() && !AtLineEnd() && s_[pos_] != '>') ++pos_;
        if (Eat('>')) name.append(s_.substr(start, pos_ - start));
      }
    }
    return Upper(name);
  }

  // "[CODE args]"; false when the bracket is not closed on the line.
  bool Code(std::string* code, std::string* args) {
    std::size_t start = pos_;
    while (!AtEnd() && !AtLineEnd() && s_[pos_] != ']') ++pos_;
    if (!Eat(']')) return false;
    std::string_view inside = s_.substr(start, pos_ - 1 - start);
    std::size_t sp = inside.find(' ');
    *code = Upper(inside.substr(0, sp));
    if (sp != std::string_view::npos) *args = std::string(inside.substr(sp + 1));
    return true;
  }

  std::size_t pos() const { return pos_; }

 private:
  std::string_view s_;
  std::size_t pos_ = 0;
};

std::vector<std::string> Words(std::string_view text, bool upper) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && text[i] == ' ') ++i;
    std::size_t start = i;
    while (i < text.size() && text[i] != ' ') ++i;
    if (i > start) {
      std::string_view w = text.substr(start, i - start);
      out.push_back(upper ? Upper(w) : std::string(w));
    }
  }
  return out;
}

bool IsStatusName(const std::string& name) {
  return name == "OK" || name == "NO" || name == "BAD" || name == "BYE" || name == "PREAUTH";
}

// resp-text: ["[" code "]" SP] text
bool ParseRespText(Reader& r, Response& out) {
  r.SkipSpaces();
  if (r.Eat('[')) {
    if (!r.Code(&out.code, &out.code_args)) return false;
    if (out.code == "CAPABILITY") out.atoms = Words(out.code_args, true);
    r.SkipSpaces();
  }
  out.text = std::string(r.Rest());
  return true;
}

Status Bad(std::string_view what) { return Status::BadInput(fmt::format("imap: {}", what)); }

Status ParseFetch(Reader& r, FetchData& f) {
  r.SkipSpaces();
  if (!r.Eat('(')) return Bad("FETCH without its parenthesised list");
  for (;;) {
    r.SkipSpaces();
    if (r.Eat(')')) break;
    if (r.AtLineEnd()) return Bad("FETCH list not closed");
    std::string name = r.AttName();
    if (name.empty()) return Bad("FETCH attribute without a name");
    r.SkipSpaces();
    if (name == "UID" || name == "RFC822.SIZE") {
      std::optional<std::uint64_t> n = r.Number();
      if (!n) return Bad(fmt::format("FETCH {} is not a number", name));
      if (name == "UID") {
        if (*n == 0 || *n > 0xffffffffu) return Bad("FETCH UID out of range");
        f.uid = static_cast<std::uint32_t>(*n);
      } else {
        f.size = *n;
      }
    } else if (name == "INTERNALDATE") {
      bool ok = false;
      std::optional<std::string> date = r.NString(&ok);
      if (!ok) return Bad("FETCH INTERNALDATE is not a string");
      if (date) f.internal_date = ParseInternalDate(*date);
    } else if (name == "FLAGS") {
      if (!r.Eat('(')) return Bad("FETCH FLAGS is not a list");
      std::vector<std::string> flags;
      for (;;) {
        r.SkipSpaces();
        if (r.Eat(')')) break;
        std::string_view flag = r.Atom();
        if (flag.empty()) return Bad("FETCH FLAGS list not closed");
        flags.emplace_back(flag);
      }
      f.flags = std::move(flags);
    } else if (name == "BODY[]" || name == "RFC822" || name == "BINARY[]") {
      bool ok = false;
      std::optional<std::string> body = r.NString(&ok);
      if (!ok) return Bad(fmt::format("FETCH {} is not a string", name));
      f.body = std::move(body);
    } else if (!r.SkipValue()) {
      return Bad(fmt::format("FETCH {} has a malformed value", name));
    }
  }
  if (!r.Finish()) return Bad("text after the FETCH list");
  return Status::Ok();
}

Result<Response> ParseResponse(std::string_view s) {
  Reader r(s);
  Response out;
  if (r.Eat('+')) {
    out.kind = ResponseKind::kContinuation;
    r.SkipSpaces();
    out.text = std::string(r.Rest());
    return out;
  }
  if (r.Eat('*')) {
    out.kind = ResponseKind::kUntagged;
    if (!r.Eat(' ')) return Bad("untagged response without a space after '*'");
    if (IsDigit(r.Peek())) {
      std::optional<std::uint64_t> n = r.Number();
      if (!n || *n > 0xffffffffu || !r.Eat(' ')) return Bad("malformed message number");
      out.number = static_cast<std::uint32_t>(*n);
      out.name = Upper(r.Atom());
      if (out.name.empty()) return Bad("numbered response without a name");
      if (out.name == "FETCH") {
        if (Status st = ParseFetch(r, out.fetch); !st.ok()) return st;
      } else {
        r.SkipSpaces();
        out.text = std::string(r.Rest());
      }
      return out;
    }
    out.name = Upper(r.Atom());
    if (out.name.empty()) return Bad("untagged response without a name");
    if (IsStatusName(out.name)) {
      if (!ParseRespText(r, out)) return Bad("response code not closed");
    } else if (out.name == "CAPABILITY") {
      out.atoms = Words(r.Rest(), true);
    } else if (out.name == "SEARCH") {
      out.atoms = Words(r.Rest(), false);
      for (const std::string& a : out.atoms) {
        if (!std::all_of(a.begin(), a.end(), IsDigit)) {
          // "(MODSEQ n)" after the numbers (CONDSTORE) ends the list.
          if (a.front() == '(') break;
          return Bad("SEARCH result is not a number");
        }
      }
      out.atoms.erase(std::find_if(out.atoms.begin(), out.atoms.end(),
                                   [](const std::string& a) { return a.front() == '('; }),
                      out.atoms.end());
    } else {
      r.SkipSpaces();
      out.text = std::string(r.Rest());
    }
    return out;
  }
  out.kind = ResponseKind::kTagged;
  out.tag = std::string(r.Atom());
  if (out.tag.empty() || !r.Eat(' ')) return Bad("response is neither tagged, untagged nor '+'");
  out.name = Upper(r.Atom());
  if (!IsStatusName(out.name)) return Bad("tagged response is not OK, NO or BAD");
  if (!ParseRespText(r, out)) return Bad("response code not closed");
  return out;
}

constexpr std::array<std::string_view, 12> kMonths = {"jan", "feb", "mar", "apr", "may", "jun",
                                                      "jul", "aug", "sep", "oct", "nov", "dec"};

int Digits(std::string_view s, std::size_t pos, std::size_t n) {
  if (pos + n > s.size()) return -1;
  int v = 0;
  for (std::size_t i = 0; i < n; ++i) {
    if (!IsDigit(s[pos + i])) return -1;
    v = v * 10 + (s[pos + i] - '0');
  }
  return v;
}

}  // namespace

bool Response::IsStatus() const { return IsStatusName(name); }

Parser::Parser(ParserLimits limits) : limits_(limits) {}

void Parser::Feed(std::string_view bytes) {
  if (bad()) return;
  buffer_.append(bytes);
}

void Parser::Compact() {
  // Drop what was returned once it is a good part of the buffer, so a long
  // session does not grow it and byte-at-a-time feeding stays linear.
  if (consumed_ > 0 && consumed_ * 2 >= buffer_.size()) {
    buffer_.erase(0, consumed_);
    scan_ -= consumed_;
    line_start_ -= consumed_;
    consumed_ = 0;
  }
}

Result<bool> Parser::Scan() {
  for (;;) {
    if (scan_ - consumed_ > limits_.max_response) {
      return Bad(fmt::format("response over {} bytes", limits_.max_response));
    }
    if (literal_left_ > 0) {
      std::size_t take = std::min(literal_left_, buffer_.size() - scan_);
      scan_ += take;
      literal_left_ -= take;
      if (literal_left_ > 0) return false;
      line_start_ = scan_;
    }
    std::size_t nl = buffer_.find('\n', scan_);
    if (nl == std::string::npos) {
      scan_ = buffer_.size();
      if (scan_ - line_start_ > limits_.max_line) {
        return Bad(fmt::format("line over {} bytes", limits_.max_line));
      }
      return false;
    }
    std::string_view line(buffer_.data() + line_start_, nl - line_start_);
    if (line.size() > limits_.max_line) {
      return Bad(fmt::format("line over {} bytes", limits_.max_line));
    }
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    scan_ = nl + 1;
    if (std::optional<std::uint64_t> n = LiteralAnnouncement(line)) {
      if (*n > limits_.max_literal) {
        return Bad(
            fmt::format("literal of {} bytes, over the limit of {}", *n, limits_.max_literal));
      }
      literal_left_ = static_cast<std::size_t>(*n);
      line_start_ = scan_;
      continue;
    }
    end_ = scan_;
    line_start_ = scan_;
    return true;
  }
}

Result<std::optional<Response>> Parser::Next() {
  if (bad()) return Status::BadInput(error_);
  Compact();
  Result<bool> complete = Scan();
  if (!complete) {
    error_ = complete.error().message();
    return complete.error();
  }
  if (!*complete) return std::optional<Response>();
  std::string_view text(buffer_.data() + consumed_, end_ - consumed_);
  Result<Response> r = ParseResponse(text);
  consumed_ = end_;
  if (!r) {
    std::string_view head = text.substr(0, std::min<std::size_t>(text.find_first_of("\r\n"), 80));
    error_ = fmt::format("{} in \"{}\"", r.error().message(), head);
    return Status::BadInput(error_);
  }
  return std::optional<Response>(std::move(*r));
}

std::optional<TimePoint> ParseInternalDate(std::string_view s) {
  // "dd-Mon-yyyy hh:mm:ss +zzzz", day possibly " 9".
  if (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  std::size_t dash = s.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash > 2) return std::nullopt;
  int day = Digits(s, 0, dash);
  if (day < 0 || s.size() != dash + 1 + 3 + 1 + 4 + 1 + 8 + 1 + 5) return std::nullopt;
  std::string mon = Upper(s.substr(dash + 1, 3));
  for (char& c : mon) c = static_cast<char>(c - 'A' + 'a');
  auto it = std::find(kMonths.begin(), kMonths.end(), mon);
  if (it == kMonths.end()) return std::nullopt;
  std::size_t p = dash + 4;
  if (s[p] != '-') return std::nullopt;
  int year = Digits(s, p + 1, 4);
  p += 5;
  if (s[p] != ' ' || s[p + 3] != ':' || s[p + 6] != ':' || s[p + 9] != ' ') return std::nullopt;
  int hh = Digits(s, p + 1, 2), mm = Digits(s, p + 4, 2), ss = Digits(s, p + 7, 2);
  char sign = s[p + 10];
  int zh = Digits(s, p + 11, 2), zm = Digits(s, p + 13, 2);
  if (year < 0 || hh < 0 || hh > 23 || mm < 0 || mm > 59 || ss < 0 || ss > 60 || zh < 0 || zm < 0 ||
      zm > 59 || (sign != '+' && sign != '-')) {
    return std::nullopt;
  }
  using namespace std::chrono;
  year_month_day ymd{std::chrono::year{year},
                     std::chrono::month{static_cast<unsigned>(it - kMonths.begin() + 1)},
                     std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok()) return std::nullopt;
  seconds offset = hours{zh} + minutes{zm};
  if (sign == '-') offset = -offset;
  return TimePoint{sys_days{ymd}.time_since_epoch() + hours{hh} + minutes{mm} + seconds{ss} -
                   offset};
}

std::optional<std::string> Quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u == 0 || c == '\r' || c == '\n' || u >= 0x80) return std::nullopt;
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace tacit::imap
