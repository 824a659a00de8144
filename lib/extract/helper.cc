#include "extract/helper.h"

#include <array>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/log.h"

extern char** environ;  // NOLINT: POSIX declares it nowhere else

namespace tacit::extract::helper {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using nlohmann::json;

namespace {

// A request's payload may not be larger (the drop folder's default limit is
// 50 MiB; a mail is limited the same way).
constexpr std::size_t kMaxPayload = std::size_t{1} << 30;

struct Process {
  pid_t pid = -1;
  int fd = -1;  // our end of the socketpair
};

std::mutex g_mu;
std::string g_path;            // GUARDED_BY(g_mu); empty: search
int g_idle = kIdleSeconds;     // GUARDED_BY(g_mu)
std::vector<Process> g_ready;  // GUARDED_BY(g_mu): idle helpers, newest last

std::string SearchPath() {
  if (const char* env = std::getenv("TACIT_EXTRACT"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  const fs::path self = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    // Beside the executable (a build tree: daemon/tacitd, daemon/tacit-extract),
    // then where the package puts it relative to sbin/ or bin/.
    for (const fs::path& p : {self.parent_path() / "tacit-extract",
                              self.parent_path().parent_path() / "libexec/tacit/tacit-extract"}) {
      if (::access(p.c_str(), X_OK) == 0) return p.string();
    }
  }
  return "/usr/libexec/tacit/tacit-extract";
}

// SetPath's path, else the search. Requires g_mu.
std::string PathLocked() { return g_path.empty() ? SearchPath() : g_path; }

Result<Process> Spawn(const std::string& path, int idle_seconds) {
  std::array<int, 2> sv{-1, -1};
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv.data()) != 0) {
    return Status::Transient(
        ErrnoStatus("cannot start tacit-extract: socketpair", errno).message());
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  // dup2 clears close-on-exec on the copies: the helper's stdin and stdout.
  posix_spawn_file_actions_adddup2(&actions, sv[1], 0);
  posix_spawn_file_actions_adddup2(&actions, sv[1], 1);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // The caller's thread may block signals and tacitd ignores SIGPIPE: the
  // helper starts clean.
  sigset_t none;
  sigemptyset(&none);
  sigset_t defaults;
  sigemptyset(&defaults);
  for (int s : {SIGPIPE, SIGTERM, SIGINT, SIGHUP}) sigaddset(&defaults, s);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  std::string program = path;
  std::string serve = "--serve";
  std::string idle_flag = "--idle-seconds";
  std::string idle = std::to_string(idle_seconds);
  std::array<char*, 5> argv{program.data(), serve.data(), idle_flag.data(), idle.data(), nullptr};
  pid_t pid = -1;
  const int rc = ::posix_spawn(&pid, path.c_str(), &actions, &attr, argv.data(), environ);
  posix_spawnattr_destroy(&attr);
  posix_spawn_file_actions_destroy(&actions);
  ::close(sv[1]);
  if (rc != 0) {
    ::close(sv[0]);
    return Status::Transient(fmt::format("cannot start {}: {}", path, std::strerror(rc)));
  }
  ::fcntl(sv[0], F_SETFL, ::fcntl(sv[0], F_GETFL) | O_NONBLOCK);
  return Process{pid, sv[0]};
}

// True while `p` runs; else reaps it (it left after its idle time) and
// closes its socket.
bool StillRunning(const Process& p) {
  int st = 0;
  if (::waitpid(p.pid, &st, WNOHANG) == 0) return true;
  ::close(p.fd);
  return false;
}

// An idle helper still running, else a new one. `reused` says which.
Result<Process> Acquire(bool* reused) {
  std::string path;
  int idle = 0;
  {
    std::lock_guard<std::mutex> lock(g_mu);
    while (!g_ready.empty()) {
      Process p = g_ready.back();
      g_ready.pop_back();
      if (StillRunning(p)) {
        *reused = true;
        return p;
      }
    }
    path = PathLocked();
    idle = g_idle;
  }
  *reused = false;
  return Spawn(path, idle);
}

void Release(Process p) {
  std::lock_guard<std::mutex> lock(g_mu);
  g_ready.push_back(p);
}

// Kills (if still running) and reaps; the wait status.
int Finish(Process p) {
  ::kill(p.pid, SIGKILL);
  int st = 0;
  while (::waitpid(p.pid, &st, 0) < 0 && errno == EINTR) {
  }
  ::close(p.fd);
  return st;
}

enum class Outcome { kReplied, kGone, kTimedOut, kCancelled };

// Waits for `events` on `fd` until the deadline, looking at `cancel` every
// tenth of a second.
Outcome Wait(int fd, short events, Clock::time_point deadline, const std::atomic<bool>* cancel) {
  for (;;) {
    if (cancel != nullptr && cancel->load()) return Outcome::kCancelled;
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) return Outcome::kTimedOut;
    pollfd pfd{fd, events, 0};
    const int n = ::poll(&pfd, 1, static_cast<int>(std::min<long>(left.count(), 100)));
    if (n > 0) return Outcome::kReplied;  // ready (or hung up: the read or write says)
    if (n < 0 && errno != EINTR) return Outcome::kGone;
  }
}

Outcome Exchange(const Process& p, const std::string& head, std::string_view payload,
                 Clock::time_point deadline, const std::atomic<bool>* cancel, std::string* reply) {
  for (std::string_view part : {std::string_view(head), payload}) {
    while (!part.empty()) {
      const ssize_t n = ::send(p.fd, part.data(), part.size(), MSG_NOSIGNAL);
      if (n > 0) {
        part.remove_prefix(static_cast<std::size_t>(n));
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        const Outcome o = Wait(p.fd, POLLOUT, deadline, cancel);
        if (o != Outcome::kReplied) return o;
        continue;
      }
      return Outcome::kGone;  // EPIPE, ECONNRESET: it died (or left, idle)
    }
  }
  std::array<char, 65536> buf{};
  for (;;) {
    const ssize_t n = ::recv(p.fd, buf.data(), buf.size(), 0);
    if (n > 0) {
      reply->append(buf.data(), static_cast<std::size_t>(n));
      if (reply->back() == '\n') return Outcome::kReplied;
      continue;
    }
    if (n == 0) return Outcome::kGone;
    if (errno == EINTR) continue;
    if (errno != EAGAIN && errno != EWOULDBLOCK) return Outcome::kGone;
    const Outcome o = Wait(p.fd, POLLIN, deadline, cancel);
    if (o != Outcome::kReplied) return o;
  }
}

// What a helper's end says about the request it was given.
Status Failure(int st, std::string_view what) {
  if (WIFSIGNALED(st)) {
    const int sig = WTERMSIG(st);
    const char* name = ::strsignal(sig);
    return Status::BadInput(fmt::format("{}: the reader crashed (signal {}, {}): refused", what,
                                        sig, name != nullptr ? name : "?"));
  }
  const int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  if (code == 0) {
    return Status::Transient(fmt::format("{}: tacit-extract exited without a reply", what));
  }
  if (code == 126 || code == 127) {  // cannot be run: an installation problem
    return Status::Transient(
        fmt::format("{}: tacit-extract cannot run (exit status {}): is it installed?", what, code));
  }
  return Status::BadInput(
      fmt::format("{}: the reader failed (exit status {}): refused", what, code));
}

constexpr std::array<std::pair<ErrorCode, const char*>, 8> kCodes{{
    {ErrorCode::kBadInput, "bad_input"},
    {ErrorCode::kTransient, "transient"},
    {ErrorCode::kPermanent, "permanent"},
    {ErrorCode::kIo, "io"},
    {ErrorCode::kCorrupt, "corrupt"},
    {ErrorCode::kNotFound, "not_found"},
    {ErrorCode::kCancelled, "cancelled"},
    {ErrorCode::kInvalidConfig, "invalid_config"},
}};

// A helper that cannot run fails every PDF and scan: said once a minute, not
// once a file.
void LogTrouble(const std::string& message) {
  static std::atomic<long long> last{0};
  const long long now =
      std::chrono::duration_cast<std::chrono::seconds>(Clock::now().time_since_epoch()).count();
  long long seen = last.load();
  if (seen != 0 && now - seen < 60) return;
  if (last.compare_exchange_strong(seen, now)) log::Error("{}", message);
}

bool WriteAll(int fd, std::string_view data) {
  while (!data.empty()) {
    const ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

}  // namespace

std::string Path() {
  std::lock_guard<std::mutex> lock(g_mu);
  return PathLocked();
}

void SetPath(std::string path, int idle_seconds) {
  std::vector<Process> old;
  {
    std::lock_guard<std::mutex> lock(g_mu);
    g_path = std::move(path);
    g_idle = idle_seconds;
    old.swap(g_ready);
  }
  for (const Process& p : old) Finish(p);
}

Status CheckInstalled() {
  const std::string path = Path();
  if (::access(path.c_str(), X_OK) == 0) return Status::Ok();
  return Status::Transient(
      fmt::format("tacit-extract not found at {} ({}): PDFs and scans cannot be read until it "
                  "is installed",
                  path, std::strerror(errno)));
}

void ReapIdle() {
  std::lock_guard<std::mutex> lock(g_mu);
  std::erase_if(g_ready, [](const Process& p) { return !StillRunning(p); });
}

json ErrorReply(const Status& status) {
  std::string code = "io";
  for (const auto& [c, name] : kCodes) {
    if (c == status.code()) code = name;
  }
  return json{{"ok", false}, {"code", code}, {"message", status.message()}};
}

Status ErrorFromReply(const json& reply) {
  const std::string code = reply.value("code", std::string("io"));
  std::string message = reply.value("message", std::string("tacit-extract: no message"));
  for (const auto& [c, name] : kCodes) {
    if (code == name) return {c, std::move(message)};
  }
  return Status::Io(std::move(message));
}

Result<json> Call(json request, std::string_view payload, std::chrono::milliseconds timeout,
                  std::string_view what, const std::atomic<bool>* cancel) {
  request["size"] = payload.size();
  const std::string head = request.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  const Clock::time_point deadline = Clock::now() + timeout;
  for (int attempt = 0;; ++attempt) {
    bool reused = false;
    Result<Process> p = Acquire(&reused);
    if (!p) {
      LogTrouble(fmt::format("{}: {}", what, p.error().message()));
      return p.error();
    }
    std::string line;
    const Outcome o = Exchange(*p, head, payload, deadline, cancel, &line);
    if (o == Outcome::kReplied) {
      json reply = json::parse(line, nullptr, false);
      if (reply.is_discarded() || !reply.is_object()) {
        Finish(*p);
        return Status::Transient(fmt::format("{}: tacit-extract replied with no JSON", what));
      }
      Release(*p);
      if (!reply.value("ok", false)) return ErrorFromReply(reply);
      return reply;
    }
    const int st = Finish(*p);
    if (o == Outcome::kCancelled)
      return Status(ErrorCode::kCancelled, fmt::format("{}: cancelled", what));
    if (o == Outcome::kTimedOut) {
      return Status::BadInput(
          fmt::format("{}: not read within {} s: refused", what,
                      std::chrono::duration_cast<std::chrono::seconds>(timeout).count()));
    }
    // Gone. A reused helper that exited cleanly had reached its idle time just
    // as this request came: ask a new one.
    if (reused && attempt == 0 && WIFEXITED(st) && WEXITSTATUS(st) == 0) continue;
    Status failure = Failure(st, what);
    if (failure.code() == ErrorCode::kTransient) LogTrouble(failure.message());
    return failure;
  }
}

int Serve(Handler handle, int idle_seconds) {
  std::string buf;
  for (;;) {
    // The request line; only waiting for its first byte counts as idle.
    std::size_t eol = std::string::npos;
    while ((eol = buf.find('\n')) == std::string::npos) {
      if (buf.empty()) {
        pollfd pfd{0, POLLIN, 0};
        const int n = ::poll(&pfd, 1, idle_seconds * 1000);
        if (n == 0) return 0;  // idle: leave
        if (n < 0 && errno == EINTR) continue;
      }
      std::array<char, 65536> chunk{};
      const ssize_t n = ::read(0, chunk.data(), chunk.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return buf.empty() ? 0 : 2;  // tacitd went away
      buf.append(chunk.data(), static_cast<std::size_t>(n));
    }
    json request = json::parse(std::string_view(buf).substr(0, eol), nullptr, false);
    buf.erase(0, eol + 1);
    if (request.is_discarded() || !request.is_object() || !request.contains("size") ||
        !request["size"].is_number_unsigned()) {
      return 2;
    }
    const std::size_t size = request["size"].get<std::size_t>();
    if (size > kMaxPayload) return 2;
    while (buf.size() < size) {
      std::string chunk(std::min<std::size_t>(size - buf.size(), std::size_t{1} << 20), '\0');
      const ssize_t n = ::read(0, chunk.data(), chunk.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return 2;
      buf.append(chunk.data(), static_cast<std::size_t>(n));
    }
    const std::string payload = buf.substr(0, size);
    buf.erase(0, size);
    Result<json> r = handle(request, payload);
    json reply = r ? std::move(*r) : ErrorReply(r.error());
    if (r) reply["ok"] = true;
    if (!WriteAll(1, reply.dump(-1, ' ', false, json::error_handler_t::replace) + "\n")) return 0;
  }
}

nlohmann::json PdfTextReply(const Extracted& extracted) {
  return json{{"text", extracted.text},
              {"encoding", extracted.encoding},
              {"has_text_layer", extracted.has_text_layer}};
}

Result<Extracted> ExtractPdfRemote(std::string_view bytes, const Limits& limits) {
  // poppler reads a text layer in well under a second a page; a PDF that
  // holds a reader a minute is refused.
  constexpr std::chrono::seconds kTimeout{60};
  Result<json> reply = Call(json{{"op", "pdf-text"}, {"max_pdf_pages", limits.max_pdf_pages}},
                            bytes, kTimeout, "pdf");
  if (!reply) return reply.error();
  Extracted out;
  out.text = reply->value("text", std::string());
  out.encoding = reply->value("encoding", std::string("pdf"));
  out.has_text_layer = reply->value("has_text_layer", true);
  return out;
}

}  // namespace tacit::extract::helper
