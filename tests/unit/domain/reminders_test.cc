// Reminder slot computation (SPEC §4, issue 6): days relative to the
// deadline's local date, working days, holidays, time zone, slots past the
// deadline.
#include "domain/reminders.h"

#include <gtest/gtest.h>

namespace tacit {
namespace {

class SlotsTest : public ::testing::Test {
 protected:
  TimeZone tz_ = *TimeZone::Find("Asia/Ho_Chi_Minh");
  TimePoint At(const std::string& s) { return *ParseDate(s, tz_, DateKind::kInstant); }
  TimePoint Deadline(const std::string& s) { return *ParseDate(s, tz_, DateKind::kDeadline); }
  std::vector<std::string> Human(const std::vector<ReminderSlot>& slots) {
    std::vector<std::string> out;
    for (const auto& s : slots) out.push_back(FormatHuman(s.at, tz_));
    return out;
  }
};

TEST_F(SlotsTest, ParsesSlotSpecs) {
  ASSERT_TRUE(ParseSlotSpec("-3d 08:00"));
  EXPECT_EQ(ParseSlotSpec("-3d 08:00")->days, -3);
  EXPECT_EQ(ParseSlotSpec("0d 8:05")->minute, 5);
  EXPECT_EQ(ParseSlotSpec("+1d 07:30")->days, 1);
  for (const char* bad : {"", "3 08:00", "-3d", "-3d 24:00", "-3d 08:60", "-3d08:00", "xd 08:00",
                          "-3d 08:00:00", "-10000d 08:00"}) {
    EXPECT_FALSE(ParseSlotSpec(bad)) << bad;
  }
  EXPECT_EQ(ParseClockMinutes("08:00"), 480);
  EXPECT_FALSE(ParseClockMinutes("8h"));
}

TEST_F(SlotsTest, ReferenceLetterScheduleWithoutWorkingDays) {
  // 09/02/2026 is a Monday; -1d is Sunday 08/02.
  ReminderConfig r;
  r.schedule = {"-3d 08:00", "-1d 08:00", "0d 08:00"};
  auto slots = ComputeSlots(r, Deadline("09/02/2026"), tz_);
  EXPECT_EQ(Human(slots),
            (std::vector<std::string>{"06/02/2026 08:00", "08/02/2026 08:00", "09/02/2026 08:00"}));
  EXPECT_EQ(slots[0].key, "2026-02-06 08:00");
  EXPECT_EQ(slots[0].slot, "-3d 08:00");
  EXPECT_FALSE(slots[1].moved);
}

TEST_F(SlotsTest, WorkingDaysOnlyMovesSundayToFriday) {
  ReminderConfig r;
  r.schedule = {"-3d 08:00", "-1d 08:00", "0d 08:00"};
  r.working_days_only = true;
  auto slots = ComputeSlots(r, Deadline("09/02/2026"), tz_);
  // -1d (Sunday 08/02) moves to Friday 06/02 08:00, the same instant as -3d:
  // one slot, not two messages at once.
  EXPECT_EQ(Human(slots), (std::vector<std::string>{"06/02/2026 08:00", "09/02/2026 08:00"}));
}

TEST_F(SlotsTest, HolidaysMoveEarlierToo) {
  ReminderConfig r;
  r.schedule = {"-1d 14:00"};
  r.working_days_only = true;
  // Deadline Wednesday 18/02/2026; Tuesday 17/02 and Monday 16/02 are holidays (Tết).
  r.holidays = {"16/02/2026", "17/02/2026"};
  auto slots = ComputeSlots(r, Deadline("18/02/2026"), tz_);
  ASSERT_EQ(slots.size(), 1u);
  EXPECT_EQ(FormatHuman(slots[0].at, tz_), "13/02/2026 14:00");  // Friday
  EXPECT_TRUE(slots[0].moved);
  // Without working_days_only the holiday does not matter.
  r.working_days_only = false;
  EXPECT_EQ(Human(ComputeSlots(r, Deadline("18/02/2026"), tz_)),
            (std::vector<std::string>{"17/02/2026 14:00"}));
}

TEST_F(SlotsTest, SlotsAtOrAfterADeadlineWithATimeAreDropped) {
  ReminderConfig r;
  r.schedule = {"0d 08:00", "0d 17:00", "0d 18:00", "+1d 08:00"};
  auto slots = ComputeSlots(r, Deadline("09/02/2026 17:00"), tz_);
  EXPECT_EQ(Human(slots), (std::vector<std::string>{"09/02/2026 08:00"}));
  // End of day: 18:00 is still before 23:59:59.
  EXPECT_EQ(ComputeSlots(r, Deadline("09/02/2026"), tz_).size(), 3u);
}

TEST_F(SlotsTest, LocalTimeIsTheConfiguredZone) {
  ReminderConfig r;
  r.schedule = {"-1d 08:00"};
  auto hcm = ComputeSlots(r, Deadline("09/02/2026"), tz_);
  TimeZone utc = *TimeZone::Find("UTC");
  auto in_utc = ComputeSlots(r, *ParseDate("09/02/2026", utc), utc);
  ASSERT_EQ(hcm.size(), 1u);
  ASSERT_EQ(in_utc.size(), 1u);
  EXPECT_EQ(FormatIso(hcm[0].at, tz_), "2026-02-08T08:00:00+07:00");
  EXPECT_EQ(in_utc[0].at - hcm[0].at, std::chrono::hours(7));
}

TEST_F(SlotsTest, ExtendedDeadlineGivesNewKeys) {
  ReminderConfig r;
  r.schedule = {"-1d 08:00"};
  auto before = ComputeSlots(r, Deadline("09/02/2026"), tz_);
  auto after = ComputeSlots(r, Deadline("16/02/2026"), tz_);
  EXPECT_NE(before[0].key, after[0].key);
}

TEST_F(SlotsTest, VietnameseDeadlineWords) {
  EXPECT_EQ(FormatDeadlineVietnamese(Deadline("09/02/2026"), tz_),
            "23 giờ 59 phút ngày 09/02/2026");
  EXPECT_EQ(FormatDeadlineVietnamese(Deadline("09/02/2026 17:00"), tz_),
            "17 giờ 00 phút ngày 09/02/2026");
  EXPECT_EQ(FormatLocalDate(At("2026-02-08T20:00:00Z"), tz_), "09/02/2026");
}

}  // namespace
}  // namespace tacit
