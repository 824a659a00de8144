#include "domain/dates.h"

#include <cctype>
#include <optional>

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>

namespace tacit {
namespace {

using std::chrono::seconds;

// A tiny cursor over the text; every Read* returns false without consuming on
// mismatch so that the callers read like the grammar.
class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool AtEnd() const { return pos_ == s_.size(); }
  bool Char(char c) {
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  // Reads between min and max digits.
  bool Digits(size_t min, size_t max, int* out) {
    size_t start = pos_;
    int v = 0;
    while (pos_ < s_.size() && pos_ - start < max &&
           std::isdigit(static_cast<unsigned char>(s_[pos_]))) {
      v = v * 10 + (s_[pos_] - '0');
      ++pos_;
    }
    if (pos_ - start < min) {
      pos_ = start;
      return false;
    }
    *out = v;
    return true;
  }
  void SkipSpaces() {
    while (pos_ < s_.size() && s_[pos_] == ' ') ++pos_;
  }

 private:
  std::string_view s_;
  size_t pos_ = 0;
};

struct Fields {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  bool has_time = false;
  std::optional<int> offset_seconds;  // set for ISO forms
};

bool ValidDate(int y, int m, int d) {
  return date::year_month_day{date::year{y}, date::month{static_cast<unsigned>(m)},
                              date::day{static_cast<unsigned>(d)}}
      .ok();
}

bool ValidTime(int h, int mi, int s) { return h <= 23 && mi <= 59 && s <= 59; }

// dd/mm/yyyy [HH:MM]
std::optional<Fields> ParseDayFirst(std::string_view text) {
  Cursor c(text);
  Fields f;
  if (!c.Digits(1, 2, &f.day) || !c.Char('/') || !c.Digits(1, 2, &f.month) || !c.Char('/') ||
      !c.Digits(4, 4, &f.year)) {
    return std::nullopt;
  }
  if (c.AtEnd()) return f;
  c.SkipSpaces();
  if (!c.Digits(1, 2, &f.hour) || !c.Char(':') || !c.Digits(2, 2, &f.minute)) return std::nullopt;
  f.has_time = true;
  if (!c.AtEnd()) return std::nullopt;
  return f;
}

// yyyy-mm-ddTHH:MM[:SS](Z|+HH:MM|+HHMM)
std::optional<Fields> ParseIso(std::string_view text) {
  Cursor c(text);
  Fields f;
  if (!c.Digits(4, 4, &f.year) || !c.Char('-') || !c.Digits(2, 2, &f.month) || !c.Char('-') ||
      !c.Digits(2, 2, &f.day)) {
    return std::nullopt;
  }
  if (!c.Char('T') && !c.Char(' ')) return std::nullopt;
  if (!c.Digits(2, 2, &f.hour) || !c.Char(':') || !c.Digits(2, 2, &f.minute)) return std::nullopt;
  if (c.Char(':') && !c.Digits(2, 2, &f.second)) return std::nullopt;
  f.has_time = true;
  if (c.Char('Z')) {
    f.offset_seconds = 0;
  } else {
    int sign = c.Char('+') ? 1 : (c.Char('-') ? -1 : 0);
    int oh = 0, om = 0;
    if (sign == 0 || !c.Digits(2, 2, &oh)) return std::nullopt;
    c.Char(':');
    if (!c.Digits(2, 2, &om) || oh > 14 || om > 59) return std::nullopt;
    f.offset_seconds = sign * (oh * 3600 + om * 60);
  }
  if (!c.AtEnd()) return std::nullopt;
  return f;
}

std::string Trim(std::string_view s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string_view::npos) return {};
  size_t e = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace

Result<TimeZone> TimeZone::Find(std::string_view name) {
  TimeZone tz;
  try {
    tz.zone_ = date::locate_zone(std::string(name));
  } catch (const std::exception&) {
    return Status::InvalidConfig(fmt::format("unknown time zone: {}", name));
  }
  tz.name_ = std::string(name);
  return tz;
}

int TimeZone::OffsetSeconds(TimePoint t) const {
  return static_cast<int>(zone_->get_info(t).offset.count());
}

TimePoint TimeZone::FromLocal(int year, int month, int day, int hour, int minute,
                              int second) const {
  date::local_seconds local = date::local_days{date::year{year} / month / day} +
                              std::chrono::hours{hour} + std::chrono::minutes{minute} +
                              seconds{second};
  // For a unique or ambiguous time, first.offset is the (earlier) offset in force;
  // for a time inside a spring-forward gap, subtracting the offset before the gap
  // moves it forward by the gap's length (02:30 in a 02:00-03:00 gap is 03:30).
  date::local_info info = zone_->get_info(local);
  return TimePoint{local.time_since_epoch() - info.first.offset};
}

Result<TimePoint> ParseDate(std::string_view raw, const TimeZone& tz, DateKind kind) {
  const std::string text = Trim(raw);
  std::optional<Fields> f = ParseDayFirst(text);
  if (!f) f = ParseIso(text);
  if (!f) {
    return Status::BadInput(fmt::format(
        "'{}' is not a date (expected dd/mm/yyyy, dd/mm/yyyy HH:MM or ISO 8601 with offset)",
        text));
  }
  if (!ValidDate(f->year, f->month, f->day)) {
    return Status::BadInput(fmt::format("'{}' is not a valid date: no day {:02}/{:02}/{:04}", text,
                                        f->day, f->month, f->year));
  }
  if (!ValidTime(f->hour, f->minute, f->second)) {
    return Status::BadInput(fmt::format("'{}' is not a valid time of day", text));
  }
  if (f->offset_seconds) {
    auto days = date::sys_days{date::year{f->year} / f->month / f->day};
    return TimePoint{days.time_since_epoch() + std::chrono::hours{f->hour} +
                     std::chrono::minutes{f->minute} + seconds{f->second} -
                     seconds{*f->offset_seconds}};
  }
  if (!f->has_time && kind == DateKind::kDeadline) {
    f->hour = 23;
    f->minute = 59;
    f->second = 59;
  }
  return tz.FromLocal(f->year, f->month, f->day, f->hour, f->minute, f->second);
}

namespace {

// The local calendar fields of `t` at offset `off`, written by hand: the
// reports write several times per unit and per reply, and date::format (an
// ostringstream with its locale each time) was about a tenth of the time of
// regenerating them at 100,000 units (issue 9).
struct LocalFields {
  int year;
  unsigned month, day;
  int hour, minute, second;
};

LocalFields LocalFieldsOf(TimePoint t, int off) {
  const seconds local = t.time_since_epoch() + seconds{off};
  const auto day = std::chrono::floor<std::chrono::days>(local);
  const std::chrono::year_month_day ymd{std::chrono::sys_days{day}};
  const long secs = static_cast<long>((local - day).count());  // 0..86399
  return {static_cast<int>(ymd.year()),     static_cast<unsigned>(ymd.month()),
          static_cast<unsigned>(ymd.day()), static_cast<int>(secs / 3600),
          static_cast<int>(secs / 60 % 60), static_cast<int>(secs % 60)};
}

// Two digits of `v` (0..99) at `out`.
char* Two(char* out, int v) {
  out[0] = static_cast<char>('0' + v / 10);
  out[1] = static_cast<char>('0' + v % 10);
  return out + 2;
}

// The year with at least four digits, as %Y does for years 0..9999.
char* Year(char* out, int year) {
  if (year < 0 || year > 9999) {
    return fmt::format_to(out, "{:04}", year);
  }
  out = Two(out, year / 100);
  return Two(out, year % 100);
}

}  // namespace

std::string FormatIso(TimePoint t, const TimeZone& tz) {
  const int off = tz.OffsetSeconds(t);
  const LocalFields f = LocalFieldsOf(t, off);
  const int a = off < 0 ? -off : off;
  char buf[48];
  char* p = Year(buf, f.year);
  *p++ = '-';
  p = Two(p, static_cast<int>(f.month));
  *p++ = '-';
  p = Two(p, static_cast<int>(f.day));
  *p++ = 'T';
  p = Two(p, f.hour);
  *p++ = ':';
  p = Two(p, f.minute);
  *p++ = ':';
  p = Two(p, f.second);
  *p++ = off < 0 ? '-' : '+';
  p = Two(p, a / 3600 % 100);
  *p++ = ':';
  p = Two(p, a % 3600 / 60);
  return std::string(buf, p);
}

std::string FormatHuman(TimePoint t, const TimeZone& tz) {
  const LocalFields f = LocalFieldsOf(t, tz.OffsetSeconds(t));
  char buf[48];
  char* p = Two(buf, static_cast<int>(f.day));
  *p++ = '/';
  p = Two(p, static_cast<int>(f.month));
  *p++ = '/';
  p = Year(p, f.year);
  *p++ = ' ';
  p = Two(p, f.hour);
  *p++ = ':';
  p = Two(p, f.minute);
  return std::string(buf, p);
}

}  // namespace tacit
