#include "domain/reminders.h"

#include <algorithm>
#include <charconv>
#include <set>

#include <date/date.h>
#include <fmt/format.h>

namespace tacit {
namespace {

bool ParseInt(std::string_view s, int& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size();
}

date::local_days LocalDay(TimePoint t, const TimeZone& tz) {
  date::local_seconds local{t.time_since_epoch() + std::chrono::seconds{tz.OffsetSeconds(t)}};
  return date::floor<date::days>(local);
}

}  // namespace

std::optional<int> ParseClockMinutes(std::string_view text) {
  size_t colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 2 || text.size() - colon != 3) {
    return std::nullopt;
  }
  int h = 0, m = 0;
  if (!ParseInt(text.substr(0, colon), h) || !ParseInt(text.substr(colon + 1), m)) {
    return std::nullopt;
  }
  if (h < 0 || h > 23 || m < 0 || m > 59) return std::nullopt;
  return h * 60 + m;
}

std::optional<SlotSpec> ParseSlotSpec(std::string_view text) {
  size_t d = text.find('d');
  if (d == std::string_view::npos || d == 0 || d + 1 >= text.size() || text[d + 1] != ' ') {
    return std::nullopt;
  }
  std::string_view days = text.substr(0, d);
  if (days.front() == '+') days.remove_prefix(1);
  SlotSpec spec;
  if (days.size() > 4 || !ParseInt(days, spec.days) || spec.days < -999 || spec.days > 999) {
    return std::nullopt;
  }
  std::optional<int> minutes = ParseClockMinutes(text.substr(d + 2));
  if (!minutes) return std::nullopt;
  spec.hour = *minutes / 60;
  spec.minute = *minutes % 60;
  return spec;
}

LocalDate ToLocal(TimePoint t, const TimeZone& tz) {
  date::local_seconds local{t.time_since_epoch() + std::chrono::seconds{tz.OffsetSeconds(t)}};
  date::local_days day = date::floor<date::days>(local);
  date::year_month_day ymd{day};
  LocalDate out;
  out.year = static_cast<int>(ymd.year());
  out.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  out.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  out.weekday = static_cast<int>(date::weekday{day}.c_encoding());
  out.minutes = static_cast<int>(
      std::chrono::duration_cast<std::chrono::minutes>(local - date::local_seconds{day}).count());
  return out;
}

std::string FormatLocalDate(TimePoint t, const TimeZone& tz) {
  LocalDate d = ToLocal(t, tz);
  return fmt::format("{:02}/{:02}/{:04}", d.day, d.month, d.year);
}

std::string FormatDeadlineVietnamese(TimePoint t, const TimeZone& tz) {
  LocalDate d = ToLocal(t, tz);
  return fmt::format("{:02} giờ {:02} phút ngày {:02}/{:02}/{:04}", d.minutes / 60, d.minutes % 60,
                     d.day, d.month, d.year);
}

std::vector<ReminderSlot> ComputeSlots(const ReminderConfig& reminders, TimePoint deadline,
                                       const TimeZone& tz) {
  std::set<date::local_days> holidays;
  for (const std::string& h : reminders.holidays) {
    Result<TimePoint> day = ParseDate(h, tz, DateKind::kInstant);
    if (day) holidays.insert(LocalDay(*day, tz));
  }
  auto working = [&](date::local_days day) {
    unsigned wd = date::weekday{day}.c_encoding();
    return wd != 0 && wd != 6 && holidays.count(day) == 0;
  };
  const date::local_days deadline_day = LocalDay(deadline, tz);
  std::vector<ReminderSlot> out;
  for (const std::string& text : reminders.schedule) {
    std::optional<SlotSpec> spec = ParseSlotSpec(text);
    if (!spec) continue;
    date::local_days day = deadline_day + date::days{spec->days};
    bool moved = false;
    if (reminders.working_days_only) {
      // At most a few weeks of holidays in a row; give up after a year.
      for (int i = 0; i < 366 && !working(day); ++i) {
        day -= date::days{1};
        moved = true;
      }
    }
    date::year_month_day ymd{day};
    ReminderSlot slot;
    slot.slot = text;
    slot.at = tz.FromLocal(static_cast<int>(ymd.year()), static_cast<int>(unsigned(ymd.month())),
                           static_cast<int>(unsigned(ymd.day())), spec->hour, spec->minute, 0);
    if (slot.at >= deadline) continue;
    slot.key = fmt::format("{:04}-{:02}-{:02} {:02}:{:02}", static_cast<int>(ymd.year()),
                           unsigned(ymd.month()), unsigned(ymd.day()), spec->hour, spec->minute);
    slot.moved = moved;
    out.push_back(std::move(slot));
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const ReminderSlot& a, const ReminderSlot& b) { return a.at < b.at; });
  out.erase(std::unique(out.begin(), out.end(),
                        [](const ReminderSlot& a, const ReminderSlot& b) { return a.at == b.at; }),
            out.end());
  return out;
}

const std::vector<std::string>& ReminderTemplateFields() {
  static const std::vector<std::string> kFields = {
      "id",        "tag",      "reference",     "subject",      "issuer",
      "signer",    "deadline", "deadline_date", "silence_rule", "unit_name",
      "unit_code", "group",    "office",        "office_email", "days_left"};
  return kFields;
}

}  // namespace tacit
