// The one source of "now" in lib/. Code that decides (is the deadline past? is a
// reminder due?) reads a Clock, so tests can move time without sleeping.
#pragma once

#include <chrono>

namespace tacit {

using TimePoint = std::chrono::sys_seconds;

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

// Wall-clock time, truncated to seconds. The only reader of system_clock in lib/.
class SystemClock final : public Clock {
 public:
  TimePoint Now() const override {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  }
};

}  // namespace tacit
