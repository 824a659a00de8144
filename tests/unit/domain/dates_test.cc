#include "domain/dates.h"

#include <array>
#include <cstdint>
#include <cstdlib>

#include <date/date.h>
#include <date/tz.h>
#include <fmt/format.h>
#include <gtest/gtest.h>

namespace tacit {
namespace {

class DatesTest : public ::testing::Test {
 protected:
  TimeZone hcm_ = *TimeZone::Find("Asia/Ho_Chi_Minh");
  TimeZone utc_ = *TimeZone::Find("UTC");

  // Parses and prints in UTC, or returns the error message.
  std::string Utc(std::string_view text, DateKind kind = DateKind::kDeadline) {
    Result<TimePoint> t = ParseDate(text, hcm_, kind);
    if (!t) return "error: " + t.error().message();
    return FormatIso(*t, utc_);
  }
};

TEST_F(DatesTest, DayFirstDateMeansEndOfLocalDay) {
  Result<TimePoint> t = ParseDate("09/02/2026", hcm_);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->time_since_epoch().count(), 1770656399);
  EXPECT_EQ(FormatIso(*t, hcm_), "2026-02-09T23:59:59+07:00");
}

struct Case {
  const char* text;
  const char* utc;
};

TEST_F(DatesTest, AcceptedForms) {
  const Case cases[] = {
      {"09/02/2026", "2026-02-09T16:59:59+00:00"},     // 9 February, never 2 September
      {"9/2/2026", "2026-02-09T16:59:59+00:00"},       // single digits
      {"  09/02/2026 ", "2026-02-09T16:59:59+00:00"},  // spaces around
      {"31/12/2026", "2026-12-31T16:59:59+00:00"},
      {"29/02/2028", "2028-02-29T16:59:59+00:00"},  // leap year
      {"09/02/2026 17:00", "2026-02-09T10:00:00+00:00"},
      {"09/02/2026 7:05", "2026-02-09T00:05:00+00:00"},
      {"01/01/2026 00:00", "2025-12-31T17:00:00+00:00"},
      {"2026-02-09T17:00:00+07:00", "2026-02-09T10:00:00+00:00"},
      {"2026-02-09T17:00+07:00", "2026-02-09T10:00:00+00:00"},
      {"2026-02-09T17:00:00+0700", "2026-02-09T10:00:00+00:00"},
      {"2026-02-09T10:00:00Z", "2026-02-09T10:00:00+00:00"},
      {"2026-02-09T03:00:00-05:30", "2026-02-09T08:30:00+00:00"},
      {"2026-02-09 17:00:00+07:00", "2026-02-09T10:00:00+00:00"},
  };
  for (const Case& c : cases) EXPECT_EQ(Utc(c.text), c.utc) << c.text;
}

TEST_F(DatesTest, InstantKindMeansStartOfDay) {
  EXPECT_EQ(Utc("05/02/2026", DateKind::kInstant), "2026-02-04T17:00:00+00:00");
  EXPECT_EQ(Utc("05/02/2026 08:30", DateKind::kInstant), "2026-02-05T01:30:00+00:00");
}

TEST_F(DatesTest, ImpossibleDatesNameTheValue) {
  EXPECT_EQ(Utc("31/02/2026"), "error: '31/02/2026' is not a valid date: no day 31/02/2026");
  EXPECT_EQ(Utc("29/02/2026"), "error: '29/02/2026' is not a valid date: no day 29/02/2026");
  EXPECT_EQ(Utc("00/01/2026"), "error: '00/01/2026' is not a valid date: no day 00/01/2026");
  EXPECT_EQ(Utc("09/13/2026"), "error: '09/13/2026' is not a valid date: no day 09/13/2026");
  EXPECT_EQ(Utc("09/02/2026 24:00"), "error: '09/02/2026 24:00' is not a valid time of day");
  EXPECT_EQ(Utc("09/02/2026 12:60"), "error: '09/02/2026 12:60' is not a valid time of day");
  EXPECT_EQ(Utc("2026-02-30T10:00:00Z"),
            "error: '2026-02-30T10:00:00Z' is not a valid date: no day 30/02/2026");
}

TEST_F(DatesTest, MalformedTextIsRefused) {
  const char* bad[] = {"2026/13/01",
                       "2026/02/09",
                       "",
                       "09-02-2026",
                       "09.02.2026",
                       "09/02/26",
                       "ngày 09/02/2026",
                       "09/02/2026 17h00",
                       "09/02/2026 17:00 +07:00",
                       "2026-02-09",  // ISO without time and offset: ambiguous zone
                       "2026-02-09T17:00:00",
                       "2026-02-09T17:00:00+25:00",
                       "123/02/2026",
                       "09/02/20260"};
  for (const char* text : bad) {
    EXPECT_EQ(Utc(text), "error: '" + std::string(text).substr(0) +
                             "' is not a date (expected dd/mm/yyyy, dd/mm/yyyy HH:MM or ISO "
                             "8601 with offset)")
        << text;
  }
}

TEST_F(DatesTest, ZoneFromConfigDecidesLocalTime) {
  TimeZone paris = *TimeZone::Find("Europe/Paris");
  Result<TimePoint> t = ParseDate("09/02/2026", paris);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(FormatIso(*t, utc_), "2026-02-09T22:59:59+00:00");
  // Summer time: +02:00.
  t = ParseDate("09/07/2026 12:00", paris);
  EXPECT_EQ(FormatIso(*t, paris), "2026-07-09T12:00:00+02:00");
}

TEST_F(DatesTest, UnknownZoneIsAnError) {
  Result<TimeZone> tz = TimeZone::Find("Asia/Hanoi_Typo");
  ASSERT_FALSE(tz.has_value());
  EXPECT_EQ(tz.error().message(), "unknown time zone: Asia/Hanoi_Typo");
}

TEST_F(DatesTest, HumanFormat) {
  EXPECT_EQ(FormatHuman(*ParseDate("09/02/2026", hcm_), hcm_), "09/02/2026 23:59");
}

}  // namespace
}  // namespace tacit

namespace tacit {
namespace {

// FormatIso and FormatHuman write the fields by hand (issue 9: date::format was
// a tenth of regenerating the reports at 100,000 units). They must print what
// date::format prints, for times before 1970 and after 2038, at offsets behind
// UTC, of half and three quarters of an hour, and across DST changes.
TEST(DatesFormatTest, HandWrittenFieldsMatchDateFormat) {
  std::uint64_t state = 0x9E3779B97F4A7C15ull;
  auto next = [&state] {
    state ^= state << 13;
    state ^= state >> 7;
    state ^= state << 17;
    return state;
  };
  // 1900-01-01 .. 2200-01-01
  const std::int64_t from = -2208988800, span = 9467107200;
  for (const char* name : {"UTC", "Asia/Ho_Chi_Minh", "America/New_York", "Asia/Kolkata",
                           "Pacific/Chatham", "Europe/Paris", "America/St_Johns"}) {
    Result<TimeZone> tz = TimeZone::Find(name);
    ASSERT_TRUE(tz.has_value()) << name;
    const date::time_zone* zone = date::locate_zone(name);
    for (int i = 0; i < 20000; ++i) {
      std::int64_t secs =
          from + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(span));
      if (i < 4) secs = std::array<std::int64_t, 4>{0, -1, 86399, 2147483648}[i];
      const TimePoint t{std::chrono::seconds{secs}};
      const auto off = zone->get_info(t).offset;
      const date::local_seconds local{t.time_since_epoch() + off};
      const long a = std::abs(static_cast<long>(off.count()));
      const std::string iso = date::format("%Y-%m-%dT%H:%M:%S", local) +
                              (off.count() < 0 ? "-" : "+") +
                              fmt::format("{:02}:{:02}", a / 3600, a % 3600 / 60);
      ASSERT_EQ(FormatIso(t, *tz), iso) << name << " " << secs;
      ASSERT_EQ(FormatHuman(t, *tz), date::format("%d/%m/%Y %H:%M", local)) << name << " " << secs;
    }
  }
}

}  // namespace
}  // namespace tacit
