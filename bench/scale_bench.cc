// scale_bench: tacit at a scale far beyond a ward office's (issue 9). Builds, in
// a temporary folder, a config with one consultation addressed to 100,000 units
// and a store holding 200,000 replies written through the real Store API (on
// time, late, unmatched; every stance; the deadline applied), then measures:
//  - regenerating the status file, status.html and every report format of that
//    consultation with the daemon's own functions (median of 3);
//  - the real tacitd on that store: time from exec to READY=1 on an sd_notify
//    socket, and its peak RSS (VmHWM), over 3 starts; and how long a tacitctl
//    change takes to reach status.json;
//  - an idle tacitd with 10,000 units: wake-ups (context switches of all its
//    threads) over 10 s, and its RSS.
// Each figure is printed as a Markdown table row "| scale: what | value | target |"
// for bench/run to collect. Nothing is asserted: figures, not tests.
//
//   scale_bench [--tacitd PATH] [--tacitctl PATH] [--units N] [--replies N]
//               [--idle-units N] [--idle-seconds S] [--idle-only | --regen-only] [--dir DIR]
//               [--keep]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config/config.h"
#include "core/file_system.h"
#include "reports/report.h"
#include "service/status_file.h"
#include "store/store.h"

namespace {

namespace fs = std::filesystem;
using Mono = std::chrono::steady_clock;
using tacit::TimePoint;

double Seconds(Mono::duration d) { return std::chrono::duration<double>(d).count(); }

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

void Row(const std::string& what, const std::string& value, const std::string& target) {
  std::printf("| scale: %s | %s | %s |\n", what.c_str(), value.c_str(), target.c_str());
  std::fflush(stdout);
}

void Note(const std::string& s) {
  std::fprintf(stderr, "scale_bench: %s\n", s.c_str());
  std::fflush(stderr);
}

[[noreturn]] void Die(const std::string& s) {
  std::fprintf(stderr, "scale_bench: %s\n", s.c_str());
  std::exit(1);
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

// --- The generated office ---------------------------------------------------------

const std::vector<std::string> kWards = {
    "Hưng Đạo",    "Trần Phú",       "Lê Lợi",     "Quang Trung", "Hoàng Văn Thụ", "Nguyễn Trãi",
    "Bạch Đằng",   "Điện Biên",      "Hàng Bạc",   "Phúc Xá",     "Trúc Bạch",     "Vĩnh Phúc",
    "Cống Vị",     "Liễu Giai",      "Ngọc Hà",    "Đội Cấn",     "Kim Mã",        "Giảng Võ",
    "Thành Công",  "Phan Chu Trinh", "Tràng Tiền", "Hàng Trống",  "Cửa Nam",       "Đồng Xuân",
    "Hàng Mã",     "Hàng Buồm",      "Hàng Đào",   "Lý Thái Tổ",  "Chương Dương",  "Hàng Bồ",
    "Cửa Đông",    "Hàng Gai",       "Minh Khai",  "Thanh Nhàn",  "Bạch Mai",      "Đống Mác",
    "Lê Đại Hành", "Ngô Thì Nhậm",   "Phố Huế",    "Quỳnh Lôi"};
const std::vector<std::string> kWardSlugs = {
    "hungdao",   "tranphu",      "leloi",     "quangtrung", "hoangvanthu", "nguyentrai",
    "bachdang",  "dienbien",     "hangbac",   "phucxa",     "trucbach",    "vinhphuc",
    "congvi",    "lieugiai",     "ngocha",    "doican",     "kimma",       "giangvo",
    "thanhcong", "phanchutrinh", "trangtien", "hangtrong",  "cuanam",      "dongxuan",
    "hangma",    "hangbuom",     "hangdao",   "lythaito",   "chuongduong", "hangbo",
    "cuadong",   "hanggai",      "minhkhai",  "thanhnhan",  "bachmai",     "dongmac",
    "ledaihanh", "ngothinham",   "phohue",    "quynhloi"};
const std::vector<std::string> kDistricts = {"Hải Châu", "Thanh Khê", "Sơn Trà", "Ngũ Hành Sơn",
                                             "Liên Chiểu"};
const std::vector<std::string> kDistrictSlugs = {"hc", "tk", "st", "nhs", "lc"};

struct Kind {
  const char* group;  // "Tổ dân phố" -> "Tổ dân phố – phường X (Y)"
  const char* name;   // fmt with {0} = number, {1} = ward
  const char* code;   // short code
};
const std::vector<Kind> kKinds = {
    {"Tổ dân phố", "Tổ dân phố số {0} phường {1}", "tdp"},
    {"Chi bộ khu dân cư", "Chi bộ khu dân cư số {0} phường {1}", "cb"},
    {"Trường học", "Trường Tiểu học số {0} phường {1}", "th"},
    {"Đoàn thể", "Chi hội Cựu chiến binh số {0} phường {1}", "ccb"},
    {"Cơ sở kinh doanh", "Hợp tác xã dịch vụ số {0} phường {1}", "htx"},
};

const std::vector<std::string> kTopics = {"Tiến độ thực hiện", "Kinh phí", "Phân công trách nhiệm"};

const std::vector<std::string> kParagraphs = {
    "Nhất trí với dự thảo kế hoạch.",
    "Cơ bản nhất trí với nội dung dự thảo, không có ý kiến bổ sung.",
    "Về tiến độ thực hiện: đề nghị lùi thời hạn hoàn thành sang quý III để các tổ dân phố "
    "có thời gian tổ chức họp dân.",
    "Về kinh phí: đề nghị bổ sung kinh phí hỗ trợ cho các tổ dân phố tổ chức hội nghị, "
    "mỗi tổ khoảng 2.000.000 đồng.",
    "Về phân công trách nhiệm: đề nghị ghi rõ đơn vị chủ trì và đơn vị phối hợp ở từng "
    "nhiệm vụ, tránh chồng chéo.",
    "Không nhất trí với việc giao chỉ tiêu 100% hộ dân tham gia, vì không phù hợp thực tế "
    "địa bàn có nhiều hộ tạm trú.",
    "Đề nghị làm rõ cách thức lấy ý kiến Nhân dân đối với các hộ <không cư trú> tại địa "
    "phương & các hộ kinh doanh.",
    "Đơn vị đã tổ chức họp và thống nhất ý kiến như sau: nhất trí, đề nghị sớm ban hành.",
    "Xin gửi kèm biên bản họp của chi bộ; đề nghị Phòng Văn hóa – Xã hội tổng hợp.",
};

struct Generated {
  fs::path dir;
  fs::path config;
};

void WriteFile(const fs::path& p, const std::string& s) {
  std::ofstream out(p, std::ios::binary);
  out << s;
  if (!out) Die("cannot write " + p.string());
}

// units.csv with `n` units in groups of ~100; the consultation "scale" addresses
// all of them. `deadline` as written in the .toml (dd/mm/yyyy).
Generated GenerateConfig(const fs::path& dir, int n, const std::string& deadline, bool drop) {
  fs::create_directories(dir / "consultations");
  std::string csv = "code,name,group,emails,aliases\n";
  csv.reserve(static_cast<size_t>(n) * 160);
  int made = 0;
  const int per_kind = 100;  // units of one kind in one ward
  for (int round = 0; made < n; ++round) {
    for (size_t w = 0; w < kWards.size() * kDistricts.size() && made < n; ++w) {
      const std::string& ward = kWards[w % kWards.size()];
      const std::string& district = kDistricts[w / kWards.size()];
      const std::string slug =
          kWardSlugs[w % kWards.size()] + "-" + kDistrictSlugs[w / kWards.size()];
      for (const Kind& k : kKinds) {
        for (int i = 0; i < per_kind && made < n; ++i, ++made) {
          int number = round * per_kind + i + 1;
          std::string name =
              fmt::format(fmt::runtime(k.name), number, ward + " (" + district + ")");
          std::string code = fmt::format("{}-{}-{:03}", slug, k.code, number);
          std::string group = fmt::format("{} – phường {} ({})", k.group, ward, district);
          // Seven units in ten have an address.
          std::string email =
              made % 10 < 7 ? fmt::format("{}{}.{}@example.vn", k.code, number, slug) : "";
          csv += fmt::format("{},{},{},{},\n", code, name, group, email);
        }
      }
    }
  }
  WriteFile(dir / "units.csv", csv);
  std::string topics;
  for (const std::string& t : kTopics) topics += (topics.empty() ? "\"" : ", \"") + t + "\"";
  WriteFile(dir / "consultations" / "scale.toml",
            fmt::format("id = \"scale\"\nreference = \"15/VH-XH\"\n"
                        "subject = \"Xin ý kiến tham gia vào dự thảo Kế hoạch thực hiện dân chủ "
                        "ở cơ sở năm 2026\"\nissuer = \"Phòng Văn hóa – Xã hội\"\n"
                        "signer = \"Nguyễn Chí Linh\"\ndeadline = \"{}\"\n"
                        "silence_means = \"consent\"\naddressees = [\"*\"]\ntopics = [{}]\n",
                        deadline, topics));
  std::string toml =
      "[daemon]\nstate_dir = \"state\"\ntimezone = \"Asia/Ho_Chi_Minh\"\n"
      "units_file = \"units.csv\"\nconsultations_dir = \"consultations\"\n";
  if (drop) toml += "\n[drop_folder]\npath = \"inbox\"\n";
  WriteFile(dir / "tacit.toml", toml);
  if (drop) fs::create_directories(dir / "inbox");
  return {dir, dir / "tacit.toml"};
}

std::string ReplyText(std::mt19937& rng, tacit::Stance stance) {
  std::uniform_int_distribution<size_t> any(2, kParagraphs.size() - 1);
  switch (stance) {
    case tacit::Stance::kAgree: return kParagraphs[rng() % 2];
    case tacit::Stance::kObject: return kParagraphs[5] + "\n\n" + kParagraphs[any(rng)];
    default: {
      std::string t = kParagraphs[any(rng)];
      int more = static_cast<int>(rng() % 3);
      for (int i = 0; i < more; ++i) t += "\n\n" + kParagraphs[any(rng)];
      return t;
    }
  }
}

// Fills the store the way tacitd would have: replies recorded one by one with
// RecordReply (the daemon's own transaction), the deadline applied with
// ApplyDueDeadlines, then late and unmatched replies.
void Populate(const tacit::Config& config, int replies) {
  using namespace tacit;
  fs::create_directories(config.daemon.state_dir);
  auto store = store::Store::Open(config.daemon.state_dir + "/tacit.db", config.tz);
  if (!store) Die(store.error().message());
  // Generating 200,000 replies with an fsync each would take an hour; the data
  // is the same without them.
  (*store)->database().db().exec("PRAGMA synchronous=OFF");
  const Consultation& c = config.consultations.front();
  const TimePoint start = c.deadline - std::chrono::days{20};
  if (Status s = (*store)->SyncConfig(config, start, "tacitd"); !s.ok()) Die(s.message());
  std::mt19937 rng(42);
  const int n_units = static_cast<int>(c.addressed_units.size());
  const int unmatched = replies / 40, late = replies / 20;
  const int on_time = replies - unmatched - late;
  auto make = [&](int i, bool matched, TimePoint at) {
    store::NewReply r;
    int pick = static_cast<int>(rng() % 100);
    r.stance = pick < 55   ? Stance::kAgree
               : pick < 80 ? Stance::kComments
               : pick < 88 ? Stance::kObject
                           : Stance::kUnknown;
    r.channel = static_cast<Channel>(rng() % 4);
    const std::string& unit = c.addressed_units[rng() % static_cast<unsigned>(n_units)];
    if (matched) {
      r.consultation_id = c.id;
      r.unit_code = unit;
      r.match_rule = r.channel == Channel::kDrop ? "drop subfolder" : "sender address";
    } else {
      r.match_rule = "no unit named in the subject or text";
    }
    r.received_at = at;
    r.sender = r.channel == Channel::kDrop || r.channel == Channel::kManual
                   ? ""
                   : fmt::format("{}@example.vn", unit);
    r.subject = "V/v góp ý dự thảo Kế hoạch thực hiện dân chủ ở cơ sở [tacit:scale]";
    if (r.channel == Channel::kMaildir || r.channel == Channel::kImap) {
      r.message_id = fmt::format("<{}.bench@example.vn>", i);
    }
    r.text = ReplyText(rng, r.stance);
    r.content_hash = fmt::format("bench-{:08}", i);
    r.source_ref = r.channel == Channel::kDrop ? fmt::format("archive/2026/02/tra-loi-{}.txt", i)
                                               : fmt::format("uid:{}", i);
    if (r.channel == Channel::kDrop && i % 10 == 0) {
      r.ocr_confidence = 40 + static_cast<double>(i % 50);
      r.needs_check = *r.ocr_confidence < 60;
    }
    auto out = (*store)->RecordReply(r, at + std::chrono::seconds{5}, "tacitd");
    if (!out) Die(out.error().message());
  };
  const auto span = std::chrono::duration_cast<std::chrono::seconds>(c.deadline - start).count();
  int i = 0;
  for (int k = 0; k < on_time; ++k, ++i) {
    make(i, true, start + std::chrono::seconds{span * k / on_time});
    if (i % 20000 == 0) Note(fmt::format("{} replies recorded", i));
  }
  store::DeadlineGate gate;
  auto applied = (*store)->ApplyDueDeadlines(c.deadline + std::chrono::seconds{1}, gate, "tacitd");
  if (!applied || applied->applied.empty()) Die("the deadline was not applied");
  for (int k = 0; k < late; ++k, ++i) {
    make(i, true, c.deadline + std::chrono::seconds{60 + 7 * k});
  }
  for (int k = 0; k < unmatched; ++k, ++i) {
    make(i, false, start + std::chrono::seconds{span * k / std::max(1, unmatched)});
  }
  (*store)->database().db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

// --- Running tacitd ----------------------------------------------------------------

struct Proc {
  pid_t pid = -1;
};

// A datagram socket like systemd's NOTIFY_SOCKET.
int NotifySocket(const std::string& path) {
  int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::snprintf(a.sun_path, sizeof a.sun_path, "%s", path.c_str());
  ::unlink(path.c_str());
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) != 0) {
    Die("cannot bind " + path);
  }
  return fd;
}

pid_t Spawn(const std::string& tacitd, const fs::path& config, const std::string& notify,
            const fs::path& log) {
  pid_t pid = ::fork();
  if (pid < 0) Die("fork");
  if (pid == 0) {
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    if (!notify.empty()) ::setenv("NOTIFY_SOCKET", notify.c_str(), 1);
    ::execl(tacitd.c_str(), tacitd.c_str(), "--config", config.c_str(),
            static_cast<char*>(nullptr));
    ::_exit(127);
  }
  return pid;
}

// Waits for a datagram holding READY=1; false after `limit`.
bool WaitReady(int fd, std::chrono::seconds limit) {
  const auto end = Mono::now() + limit;
  char buf[4096];
  while (Mono::now() < end) {
    pollfd p{fd, POLLIN, 0};
    int ms = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(end - Mono::now()).count());
    if (::poll(&p, 1, std::max(ms, 1)) <= 0) continue;
    ssize_t n = ::recv(fd, buf, sizeof buf - 1, 0);
    if (n <= 0) continue;
    std::string msg(buf, static_cast<size_t>(n));
    if (("\n" + msg + "\n").find("\nREADY=1\n") != std::string::npos) return true;
  }
  return false;
}

// A field of /proc/PID/status in kB ("VmHWM", "VmRSS").
long ProcKb(pid_t pid, const std::string& field) {
  std::ifstream in(fmt::format("/proc/{}/status", pid));
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::atol(line.c_str() + field.size() + 1);
  }
  return -1;
}

// CPU time (user + system) the process has used so far, in clock ticks.
long CpuTicks(pid_t pid) {
  std::ifstream in(fmt::format("/proc/{}/stat", pid));
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // After the command name's closing parenthesis: state is field 3, utime 14.
  std::istringstream fields(stat.substr(stat.rfind(')') + 2));
  std::string f;
  long utime = 0, stime = 0;
  for (int i = 3; i <= 15 && fields >> f; ++i) {
    if (i == 14) utime = std::atol(f.c_str());
    if (i == 15) stime = std::atol(f.c_str());
  }
  return utime + stime;
}

// Waits until the process has used no CPU for 2 s (its page write done: at
// 100,000 units that takes several seconds after READY=1), at most `limit`.
void WaitIdle(pid_t pid, std::chrono::seconds limit) {
  const auto end = Mono::now() + limit;
  long last = CpuTicks(pid);
  int still = 0;
  while (still < 4 && Mono::now() < end) {
    std::this_thread::sleep_for(std::chrono::milliseconds{500});
    const long now = CpuTicks(pid);
    still = now == last ? still + 1 : 0;
    last = now;
  }
}

// Context switches (voluntary + involuntary) of every thread: each time a
// thread went to sleep and woke up again, or was preempted.
long ContextSwitches(pid_t pid) {
  long total = 0;
  std::error_code ec;
  for (const auto& t : fs::directory_iterator(fmt::format("/proc/{}/task", pid), ec)) {
    std::ifstream in(t.path() / "status");
    std::string line;
    while (std::getline(in, line)) {
      if (line.rfind("voluntary_ctxt_switches:", 0) == 0 ||
          line.rfind("nonvoluntary_ctxt_switches:", 0) == 0) {
        total += std::atol(line.c_str() + line.find(':') + 1);
      }
    }
  }
  return total;
}

void Stop(pid_t pid) {
  ::kill(pid, SIGTERM);
  int st = 0;
  ::waitpid(pid, &st, 0);
}

// Waits until `path`'s mtime is after `since` (or `limit` passes); the time it took.
std::optional<double> WaitModified(const fs::path& path, fs::file_time_type since,
                                   Mono::time_point from, std::chrono::seconds limit) {
  while (Mono::now() - from < limit) {
    std::error_code ec;
    auto m = fs::last_write_time(path, ec);
    if (!ec && m > since) return Seconds(Mono::now() - from);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return std::nullopt;
}

std::string Fmt(double v, const char* unit) { return fmt::format("{:.2f} {}", v, unit); }

}  // namespace

int main(int argc, char** argv) {
  using namespace tacit;
  std::string self_dir = fs::absolute(fs::path(argv[0])).parent_path().string();
  std::string tacitd = self_dir + "/../daemon/tacitd";
  std::string tacitctl = self_dir + "/../daemon/tacitctl";
  int units = 100000, replies = 200000, idle_units = 10000, idle_seconds = 10;
  bool keep = false;
  bool idle_only = false;   // --idle-only: only part 3 (the big store takes minutes)
  bool regen_only = false;  // --regen-only: only part 1's regeneration
  std::string dir;          // --dir: work (and keep) there; a store already there is reused
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Die(a + " needs a value");
      return argv[++i];
    };
    if (a == "--tacitd") {
      tacitd = next();
    } else if (a == "--tacitctl") {
      tacitctl = next();
    } else if (a == "--units") {
      units = std::stoi(next());
    } else if (a == "--replies") {
      replies = std::stoi(next());
    } else if (a == "--idle-units") {
      idle_units = std::stoi(next());
    } else if (a == "--idle-seconds") {
      idle_seconds = std::stoi(next());
    } else if (a == "--idle-only") {
      idle_only = true;
    } else if (a == "--regen-only") {
      regen_only = true;
    } else if (a == "--dir") {
      dir = next();
    } else if (a == "--keep") {
      keep = true;
    } else {
      Die("usage: scale_bench [--tacitd PATH] [--tacitctl PATH] [--units N] [--replies N] "
          "[--idle-units N] [--idle-seconds S] [--idle-only | --regen-only] [--dir D] [--keep]");
    }
  }
  char tmpl[] = "/tmp/tacit-scale-XXXXXX";
  fs::path root;
  if (!dir.empty()) {
    root = fs::absolute(dir);
    keep = true;
  } else {
    if (::mkdtemp(tmpl) == nullptr) Die("mkdtemp");
    root = tmpl;
  }
  Note("working in " + root.string() + "; load average " + LoadAverage());

  if (!idle_only) {
    // 1. The big consultation, its deadline passed.
    const std::string big_units =
        fmt::format("{}k units/{}k replies", units / 1000, replies / 1000);
    const bool reuse = fs::exists(root / "big" / "state" / "tacit.db");
    Generated big = reuse ? Generated{root / "big", root / "big" / "tacit.toml"}
                          : GenerateConfig(root / "big", units, "09/02/2026", false);
    // A drop folder, for part 2's reply (added to a store made before it had one).
    {
      std::ifstream in(big.config);
      const std::string toml((std::istreambuf_iterator<char>(in)),
                             std::istreambuf_iterator<char>());
      if (toml.find("[drop_folder]") == std::string::npos) {
        std::ofstream(big.config, std::ios::app) << "\n[drop_folder]\npath = \"inbox\"\n";
      }
      fs::create_directories(big.dir / "inbox");
    }
    Result<Config> config = LoadConfig(big.config.string());
    if (!config) Die(config.error().message());
    if (!reuse) {
      auto t0 = Mono::now();
      Populate(*config, replies);
      Note(fmt::format("store generated in {:.1f} s", Seconds(Mono::now() - t0)));
    } else {
      Note("reusing the store in " + big.dir.string());
    }
    // Reports are rewritten only when stale: start each run from none.
    std::error_code rm_ec;
    fs::remove_all(config->daemon.report_dir, rm_ec);

    {
      auto st = store::Store::Open(config->daemon.state_dir + "/tacit.db", config->tz);
      if (!st) Die(st.error().message());
      PosixFileSystem pfs;
      const TimePoint now = SystemClock().Now();
      std::vector<double> total, status, gather, html, reports;
      // Kept between writes, as tacitd keeps it: the first run groups every
      // reply's paragraphs by topic, the others find them here.
      reports::TopicCache topic_cache;
      for (int run = 0; run < 3; ++run) {
        // What tacitd's status write does: read the store once, write the status
        // file; gather the report data once, for status.html and the closed
        // consultation's reports, whose audit trail is read as report.json is
        // written.
        auto a = Mono::now();
        Result<std::vector<store::ConsultationState>> cs = (*st)->Consultations();
        Result<std::int64_t> unmatched = (*st)->UnmatchedCount();
        if (!cs || !unmatched) Die("cannot read the store");
        Status s = service::WriteStatusFile(pfs, config->daemon.status_file, *cs, *unmatched, now,
                                            config->tz);
        if (!s.ok()) Die(s.message());
        auto b = Mono::now();
        Result<std::vector<reports::ReportData>> all =
            reports::GatherAllReports(**st, *config, std::move(*cs), now, &topic_cache, false);
        if (!all) Die(all.error().message());
        topic_cache.Sweep();
        reports::ReportData& data = all->front();
        if (Status e = reports::StreamEvents(**st, data); !e.ok()) Die(e.message());
        auto c = Mono::now();
        s = reports::WriteStatusHtml(*all, config->tz, pfs,
                                     reports::StatusHtmlPath(config->daemon.status_file), now);
        auto d = Mono::now();
        if (s.ok()) s = reports::WriteReports(data, config->tz, config->daemon.report_dir, pfs);
        auto e = Mono::now();
        if (!s.ok()) Die(s.message());
        status.push_back(Seconds(b - a));
        gather.push_back(Seconds(c - b));
        html.push_back(Seconds(d - c));
        reports.push_back(Seconds(e - d));
        total.push_back(Seconds(e - a));
        Note(
            fmt::format("regen run {}: status.json {:.2f} s, gathering {:.2f} s, status.html "
                        "{:.2f} s, reports {:.2f} s",
                        run + 1, status.back(), gather.back(), html.back(), reports.back()));
      }
      Row("status+reports regen, " + big_units, Fmt(Median(total), "s"), "< 1 s");
      Row("  of which status.json", Fmt(Median(status), "s"), "");
      Row("  of which gathering the report data", Fmt(Median(gather), "s"), "");
      Row("  of which status.html", Fmt(Median(html), "s"), "");
      Row("  of which report.{md,html,csv,json,docx}", Fmt(Median(reports), "s"), "");
    }

    if (regen_only) return 0;
    // 2. tacitd on that store: start-up to READY=1, peak RSS, a tacitctl change.
    if (!fs::exists(tacitd)) Die("no tacitd at " + tacitd + " (use --tacitd)");
    {
      const std::string sock = (root / "notify.sock").string();
      int fd = NotifySocket(sock);
      std::vector<double> startup;
      long hwm = 0, reply_hwm = 0;
      for (int run = 0; run < 3; ++run) {
        auto a = Mono::now();
        pid_t pid = Spawn(tacitd, big.config, sock, root / "big" / "tacitd.log");
        if (!WaitReady(fd, std::chrono::seconds{300})) {
          Stop(pid);
          Die("tacitd never said READY=1; see " + (root / "big" / "tacitd.log").string());
        }
        startup.push_back(Seconds(Mono::now() - a));
        // Let whatever the start scheduled (status rewrite, status.html,
        // reports) finish: VmHWM read before the page write is done misses
        // its peak (until session 12 this waited a fixed 2 s).
        WaitIdle(pid, std::chrono::seconds{120});
        if (run == 2 && fs::exists(tacitctl)) {
          // A late reply by tacitctl: the daemon notices it and rewrites the
          // status file (and the closed consultation's reports).
          const fs::path status_file = config->daemon.status_file;
          auto before = fs::last_write_time(status_file);
          WriteFile(root / "late.txt", "Ý kiến gửi sau hạn của đơn vị.\n");
          std::string cmd = fmt::format(
              "'{}' --config '{}' record scale '{}' --stance comments --text '{}' >/dev/null",
              tacitctl, big.config.string(), config->consultations.front().addressed_units[7],
              (root / "late.txt").string());
          auto c0 = Mono::now();
          if (std::system(cmd.c_str()) != 0) Note("tacitctl record failed");
          auto took = WaitModified(status_file, before, c0, std::chrono::seconds{120});
          Row("tacitctl record -> status.json rewritten, " + big_units,
              took ? Fmt(*took, "s") : std::string("> 120 s"), "");
          WaitIdle(pid, std::chrono::seconds{120});
        }
        hwm = std::max(hwm, ProcKb(pid, "VmHWM"));
        Note(fmt::format("tacitd start {}: READY after {:.2f} s, VmHWM {} kB", run + 1,
                         startup.back(), ProcKb(pid, "VmHWM")));
        if (run == 2) {
          // A reply into the drop folder: the first item builds the matcher
          // (tacitd holds none before), then status.json and, later, the pages.
          const std::string unit = config->consultations.front().addressed_units[9];
          const fs::path tmp = big.dir / "inbox" / ".reply.tmp";
          WriteFile(tmp, fmt::format("Ý kiến của đơn vị ({}).\n",
                                     Mono::now().time_since_epoch().count()));
          const fs::path dropped = big.dir / "inbox" / (unit + ".txt");
          fs::rename(tmp, dropped);
          // Taken (committed, then archived: the matcher was built) before
          // the peak is read.
          for (const auto end = Mono::now() + std::chrono::seconds{120};
               fs::exists(dropped) && Mono::now() < end;) {
            std::this_thread::sleep_for(std::chrono::milliseconds{100});
          }
          if (fs::exists(dropped)) Die("tacitd did not take the dropped reply within 120 s");
          WaitIdle(pid, std::chrono::seconds{120});
          reply_hwm = ProcKb(pid, "VmHWM");
          Note(fmt::format("tacitd start 3 after a dropped reply: VmHWM {} kB", reply_hwm));
        }
        Stop(pid);
      }
      ::close(fd);
      Row("tacitd start-up to READY=1, " + big_units + " (median of 3)", Fmt(Median(startup), "s"),
          "< 2 s");
      Row("tacitd first start-up (closed consultation's reports not written yet)",
          Fmt(startup.front(), "s"), "");
      Row("tacitd peak RSS (VmHWM), " + big_units, fmt::format("{} MB", hwm / 1024), "< 200 MB");
      Row("  the same once a reply comes (the matcher built)",
          fmt::format("{} MB", std::max(hwm, reply_hwm) / 1024), "< 200 MB");
    }
  }

  // 3. An idle tacitd with 10,000 units (deadline a month away, a drop folder).
  {
    auto in_a_month = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now()) +
                      std::chrono::days{30};
    std::chrono::year_month_day ymd{in_a_month};
    std::string deadline =
        fmt::format("{:02}/{:02}/{:04}", static_cast<unsigned>(ymd.day()),
                    static_cast<unsigned>(ymd.month()), static_cast<int>(ymd.year()));
    Generated idle = GenerateConfig(root / "idle", idle_units, deadline, true);
    const std::string sock = (root / "notify-idle.sock").string();
    int fd = NotifySocket(sock);
    pid_t pid = Spawn(tacitd, idle.config, sock, root / "idle" / "tacitd.log");
    if (!WaitReady(fd, std::chrono::seconds{120})) {
      Stop(pid);
      Die("idle tacitd never said READY=1");
    }
    std::this_thread::sleep_for(std::chrono::seconds{2});
    long before = ContextSwitches(pid);
    std::this_thread::sleep_for(std::chrono::seconds{idle_seconds});
    long after = ContextSwitches(pid);
    long rss = ProcKb(pid, "VmRSS");
    Stop(pid);
    ::close(fd);
    Row(fmt::format("idle tacitd wake-ups, {}k units", idle_units / 1000),
        fmt::format("{:.1f} /s", static_cast<double>(after - before) / idle_seconds), "<= 1 /s");
    Row(fmt::format("idle tacitd RSS, {}k units", idle_units / 1000),
        fmt::format("{:.1f} MB", static_cast<double>(rss) / 1024), "< 20 MB");
  }
  Note("load average " + LoadAverage());
  if (!keep) {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  return 0;
}
