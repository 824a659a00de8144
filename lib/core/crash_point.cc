#include "core/crash_point.h"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <string>

#include <unistd.h>

namespace tacit {
namespace {

struct Target {
  std::string name;  // empty: no crash point is armed
  long nth = 1;
};

Target ReadTarget(const char* variable) {
  Target t;
  const char* env = std::getenv(variable);
  if (env == nullptr || *env == '\0') return t;
  std::string value = env;
  std::size_t colon = value.rfind(':');
  if (colon != std::string::npos) {
    char* end = nullptr;
    long n = std::strtol(value.c_str() + colon + 1, &end, 10);
    if (end != nullptr && *end == '\0' && n > 0) {
      t.nth = n;
      value.resize(colon);
    }
  }
  t.name = std::move(value);
  return t;
}

const Target& Armed() {
  static const Target target = ReadTarget("TACIT_CRASH_AT");
  return target;
}

const Target& StopArmed() {
  static const Target target = ReadTarget("TACIT_STOP_AT");
  return target;
}

std::atomic<long> reached{0};
std::atomic<long> stop_reached{0};

// TACIT_STOP_AT: the process stops itself (SIGSTOP) the Nth time, once, and
// goes on when the test sends SIGCONT.
void StopPoint(std::string_view name) {
  const Target& t = StopArmed();
  if (t.name.empty() || name != t.name) return;
  if (stop_reached.fetch_add(1) + 1 != t.nth) return;
  std::string line = "tacit: stop point " + std::string(name) + " reached\n";
  ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
  ::raise(SIGSTOP);
}

}  // namespace

void CrashPoint(std::string_view name) {
  StopPoint(name);
  const Target& t = Armed();
  if (t.name.empty() || name != t.name) return;
  if (reached.fetch_add(1) + 1 < t.nth) return;
  // Async-signal-safe output only: nothing of the process is to be trusted.
  std::string line = "tacit: crash point " + std::string(name) + " reached\n";
  ssize_t ignored = ::write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
  ::raise(SIGKILL);
  ::_exit(137);  // not reached
}

}  // namespace tacit
