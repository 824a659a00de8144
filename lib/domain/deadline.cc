#include "domain/deadline.h"

namespace tacit {

UnitStatus StatusForSilence(SilenceMeans silence_means) {
  return silence_means == SilenceMeans::kConsent ? UnitStatus::kDeemedConsent
                                                 : UnitStatus::kNoResponse;
}

UnitStatus StatusAfterReply(UnitStatus current, TimePoint received, TimePoint deadline) {
  if (current == UnitStatus::kExcluded) return current;
  return IsOnTime(received, deadline) ? UnitStatus::kReplied : current;
}

UnitStatus StatusAfterExtension(UnitStatus current, bool has_on_time_reply, TimePoint new_deadline,
                                TimePoint now) {
  if (current == UnitStatus::kExcluded) return current;
  if (has_on_time_reply) return UnitStatus::kReplied;
  if (current == UnitStatus::kReplied) return UnitStatus::kPending;  // its reply is now late
  if (!DeadlinePassed(now, new_deadline)) return UnitStatus::kPending;
  return current;
}

}  // namespace tacit
