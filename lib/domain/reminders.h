// Reminder schedule rules of SPEC §4, pure (no I/O, no clock): which local
// instants a consultation's `reminders.schedule` names for a given deadline.
//
// A slot "-3d 08:00" is 08:00 local time on the day three days before the
// deadline's local date. With `working_days_only`, a slot that falls on a
// Saturday, a Sunday or a configured holiday moves to the previous working day
// (same time). Slots at or after the deadline are dropped (a "0d 18:00" slot
// with a 17:00 deadline is never sent); two slots that land on the same instant
// are one slot. The result is sorted by time.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "domain/dates.h"
#include "domain/types.h"

namespace tacit {

struct SlotSpec {
  int days = 0;  // relative to the deadline's local date; negative = before
  int hour = 0;
  int minute = 0;
};

// "-3d 08:00", "0d 8:00", "+1d 07:30" -> SlotSpec; nullopt otherwise.
std::optional<SlotSpec> ParseSlotSpec(std::string_view text);
// "08:00" -> 480 minutes after midnight; nullopt when not HH:MM.
std::optional<int> ParseClockMinutes(std::string_view text);

struct ReminderSlot {
  std::string slot;  // as configured, e.g. "-1d 08:00"
  TimePoint at;      // when it is due
  // Identifies the slot in the outbox: its local send time, "2026-02-06 08:00".
  // A deadline moved by an extension gives new keys: the reminders of the new
  // deadline are new reminders.
  std::string key;
  bool moved = false;  // moved back from a weekend or holiday
};

// The slots of `reminders` for a deadline. Unparsable slots and holidays are
// skipped (the config loader refuses them before this is called).
std::vector<ReminderSlot> ComputeSlots(const ReminderConfig& reminders, TimePoint deadline,
                                       const TimeZone& tz);

// Local calendar helpers.
struct LocalDate {
  int year = 0, month = 0, day = 0;
  int weekday = 0;  // 0 = Sunday .. 6 = Saturday
  int minutes = 0;  // minutes after local midnight
};
LocalDate ToLocal(TimePoint t, const TimeZone& tz);
// "dd/mm/yyyy"
std::string FormatLocalDate(TimePoint t, const TimeZone& tz);
// "23 giờ 59 phút ngày 09/02/2026": the deadline as the office writes it.
std::string FormatDeadlineVietnamese(TimePoint t, const TimeZone& tz);

// The fields a reminder or digest template may use (lib/text/template.h).
const std::vector<std::string>& ReminderTemplateFields();

}  // namespace tacit
