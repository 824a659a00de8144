#include "domain/deadline.h"

#include <gtest/gtest.h>

namespace tacit {
namespace {

const TimePoint kDeadline{std::chrono::seconds{1770656399}};  // 09/02/2026 23:59:59 +07
const std::chrono::seconds kSecond{1};

TEST(DeadlineTest, LastSecondIsOnTimeNextIsLate) {
  EXPECT_TRUE(IsOnTime(kDeadline, kDeadline));
  EXPECT_FALSE(IsOnTime(kDeadline + kSecond, kDeadline));
  EXPECT_FALSE(DeadlinePassed(kDeadline, kDeadline));
  EXPECT_TRUE(DeadlinePassed(kDeadline + kSecond, kDeadline));
}

TEST(DeadlineTest, SilenceFollowsTheLetter) {
  EXPECT_EQ(StatusForSilence(SilenceMeans::kConsent), UnitStatus::kDeemedConsent);
  EXPECT_EQ(StatusForSilence(SilenceMeans::kNoResponse), UnitStatus::kNoResponse);
}

TEST(DeadlineTest, OnTimeReplyWinsEvenAfterTheDeadlineWasApplied) {
  EXPECT_EQ(StatusAfterReply(UnitStatus::kPending, kDeadline, kDeadline), UnitStatus::kReplied);
  // A paper letter received on time but entered after the deadline was applied.
  EXPECT_EQ(StatusAfterReply(UnitStatus::kDeemedConsent, kDeadline - kSecond, kDeadline),
            UnitStatus::kReplied);
}

TEST(DeadlineTest, LateReplyKeepsWhatTheDeadlineMade) {
  EXPECT_EQ(StatusAfterReply(UnitStatus::kDeemedConsent, kDeadline + kSecond, kDeadline),
            UnitStatus::kDeemedConsent);
  EXPECT_EQ(StatusAfterReply(UnitStatus::kNoResponse, kDeadline + kSecond, kDeadline),
            UnitStatus::kNoResponse);
  // Late but not yet applied (sources still draining): stays pending; the
  // deadline will make it deemed_consent with late_reply.
  EXPECT_EQ(StatusAfterReply(UnitStatus::kPending, kDeadline + kSecond, kDeadline),
            UnitStatus::kPending);
}

TEST(DeadlineTest, ExcludedStaysExcluded) {
  EXPECT_EQ(StatusAfterReply(UnitStatus::kExcluded, kDeadline, kDeadline), UnitStatus::kExcluded);
  EXPECT_EQ(StatusAfterExtension(UnitStatus::kExcluded, true, kDeadline, kDeadline),
            UnitStatus::kExcluded);
}

TEST(DeadlineTest, ExtensionReopensDeemedUnits) {
  const TimePoint later = kDeadline + std::chrono::hours{72};
  const TimePoint now = kDeadline + std::chrono::hours{1};
  EXPECT_EQ(StatusAfterExtension(UnitStatus::kDeemedConsent, false, later, now),
            UnitStatus::kPending);
  EXPECT_EQ(StatusAfterExtension(UnitStatus::kNoResponse, false, later, now), UnitStatus::kPending);
  // A reply that was late under the old deadline is on time under the new one.
  EXPECT_EQ(StatusAfterExtension(UnitStatus::kDeemedConsent, true, later, now),
            UnitStatus::kReplied);
  EXPECT_EQ(StatusAfterExtension(UnitStatus::kReplied, true, later, now), UnitStatus::kReplied);
}

}  // namespace
}  // namespace tacit
