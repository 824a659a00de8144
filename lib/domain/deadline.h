// The deadline rules of SPEC §1-§2 as pure functions: when is a reply late, what
// does silence become, what does an extension undo. The store applies them inside
// its transactions; tests call them directly with any instants.
#pragma once

#include <optional>

#include "core/clock.h"
#include "domain/types.h"

namespace tacit {

// A reply is on time when received at or before the deadline (the deadline is the
// last on-time second, e.g. 23:59:59 local for a bare date).
inline bool IsOnTime(TimePoint received, TimePoint deadline) { return received <= deadline; }

// The deadline has passed (and may be applied) once now is strictly after it.
inline bool DeadlinePassed(TimePoint now, TimePoint deadline) { return now > deadline; }

// What a silent unit becomes when the deadline applies.
UnitStatus StatusForSilence(SilenceMeans silence_means);

// The status after a reply received at `received` is recorded for a unit whose
// deadline is `deadline`. An on-time reply makes the unit `replied` whatever the
// deadline made it (a paper letter entered after the deadline but dated before it
// still counts); a late reply leaves the status as it is (it is shown as
// late_reply). An excluded unit stays excluded.
UnitStatus StatusAfterReply(UnitStatus current, TimePoint received, TimePoint deadline);

// The status after the unit's deadline moves to `new_deadline`, evaluated at
// `now`. `has_on_time_reply` is whether some reply was received at or before the
// new deadline (a reply that was late may become on time). Units that the old
// deadline made deemed_consent/no_response go back to pending while the new
// deadline is still ahead.
UnitStatus StatusAfterExtension(UnitStatus current, bool has_on_time_reply, TimePoint new_deadline,
                                TimePoint now);

}  // namespace tacit
