// Deadline and date parsing per SPEC §2, and formatting of instants in the
// office's time zone.
//
// Accepted forms (always day first; 09/02/2026 is 9 February):
//   "dd/mm/yyyy"          -> the end of that local day, 23:59:59 (on time until then)
//   "dd/mm/yyyy HH:MM"    -> that local minute, :00 seconds
//   ISO 8601 with offset  -> "2026-02-09T17:00:00+07:00", "...Z", also "...+0700";
//                            seconds optional
// Single-digit day/month ("9/2/2026") are accepted. Anything else, and impossible
// dates (31/02/2026, 2026/13/01, 24:00), is an error naming the value.
#pragma once

#include <string>
#include <string_view>

#include "core/clock.h"
#include "core/status.h"

namespace date {
class time_zone;
}

namespace tacit {

// An IANA zone looked up once; cheap to copy.
class TimeZone {
 public:
  // "Asia/Ho_Chi_Minh" etc. Error: "unknown time zone: NAME".
  static Result<TimeZone> Find(std::string_view name);
  const std::string& name() const { return name_; }
  // Offset from UTC at `t`, in seconds.
  int OffsetSeconds(TimePoint t) const;
  // The instant of a local wall-clock time (the earlier one if ambiguous; a
  // time inside a gap moves forward).
  TimePoint FromLocal(int year, int month, int day, int hour, int minute, int second) const;

 private:
  const date::time_zone* zone_ = nullptr;
  std::string name_;
};

enum class DateKind { kDeadline, kInstant };

// Parses a deadline (a bare date means end of day) or an instant (a bare date
// means the start of that day, as for `record --received 05/02/2026`).
// Error message: "'31/02/2026' is not a valid date (expected dd/mm/yyyy, dd/mm/yyyy HH:MM or
// ISO 8601 with offset)" or a more specific reason.
Result<TimePoint> ParseDate(std::string_view text, const TimeZone& tz,
                            DateKind kind = DateKind::kDeadline);

// "2026-02-09T23:59:59+07:00"
std::string FormatIso(TimePoint t, const TimeZone& tz);
// "09/02/2026 23:59" (for people)
std::string FormatHuman(TimePoint t, const TimeZone& tz);

}  // namespace tacit
