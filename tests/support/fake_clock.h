// A clock that tests move by hand: nothing in a test sleeps for a deadline.
#pragma once

#include "core/clock.h"

namespace tacit::testing {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(TimePoint now) : now_(now) {}
  TimePoint Now() const override { return now_; }
  void Set(TimePoint t) { now_ = t; }
  void Advance(std::chrono::seconds d) { now_ += d; }

 private:
  TimePoint now_;
};

}  // namespace tacit::testing
