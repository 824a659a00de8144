// What mail is due (issue 6, SPEC §4), as a pure-ish function of the config,
// the store and the time: no I/O besides reading the store, no sending.
//
// - Reminders: for each open consultation with a schedule, each addressed unit
//   still pending with an email gets the latest slot that is due (slot time <=
//   now < the unit's deadline). Earlier due slots not yet in the outbox were
//   missed while tacitd was down: they are recorded as skipped, not sent, so a
//   restart never sends a burst. Nothing after the deadline, nothing to a unit
//   that replied.
// - Digest: while a consultation is open, once per local day at
//   reminders.digest_at to reminders.report_to (today's only).
// - Final report: once when the deadline has been applied, to report_to, with
//   the HTML and CSV reports attached.
// Messages already in the outbox (any state) are not planned again.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "core/status.h"
#include "store/store.h"

namespace tacit::mailout {

// Built-in templates (Vietnamese), used when a consultation sets none.
extern const char* const kDefaultSubject;
extern const char* const kDefaultBody;

// The messages to add to the outbox now. `smtp` gives From, Reply-To and the
// Message-ID domain.
Result<std::vector<store::PlannedMessage>> PlanDue(const Config& config, const SmtpConfig& smtp,
                                                   store::Store& store, TimePoint now);

// The next instant after `now` at which PlanDue may have something new (a
// slot or a digest time); nullopt when nothing is scheduled.
Result<std::optional<TimePoint>> NextPlanAt(const Config& config, store::Store& store,
                                            TimePoint now);

// One line of `tacitctl remind ID --dry-run`.
struct DryRunLine {
  std::string slot;  // as configured
  TimePoint at;      // when it is (or was) due
  bool moved = false;
  std::string unit_code, unit_name;
  std::vector<std::string> to;
  // "sent", "sending", "failed", "cancelled", "skipped" (from the outbox), or
  // "due" (would go out now), "scheduled", "missed" (passed, a later slot is due),
  // "no email", "not pending" (replied or closed).
  std::string state;
  std::string subject;
};
Result<std::vector<DryRunLine>> DryRun(const Config& config, const SmtpConfig& smtp,
                                       store::Store& store, const std::string& consultation_id,
                                       TimePoint now);

}  // namespace tacit::mailout
