// How instants are stored: INTEGER Unix seconds (UTC).
#pragma once

#include <cstdint>

#include "core/clock.h"

namespace tacit::store {

inline std::int64_t Secs(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint FromSecs(std::int64_t s) { return TimePoint{std::chrono::seconds{s}}; }

}  // namespace tacit::store
