// Which flag acknowledges a message, given imap.ack_flag and what the mailbox
// says it keeps (SELECT's PERMANENTFLAGS).
#include <gtest/gtest.h>

#include "imap/imap_source.h"

namespace tacit::imap {
namespace {

using Flags = std::optional<std::vector<std::string>>;

const Flags kDovecot =
    std::vector<std::string>{"\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft", "\\*"};

TEST(AckFlag, KeywordKeptWhenTheMailboxTakesNewKeywords) {
  EXPECT_EQ(AckFlagFor("$TacitDone", kDovecot), "$TacitDone");
  EXPECT_EQ(AckFlagFor("tacit-done", kDovecot), "tacit-done");
}

TEST(AckFlag, KeywordAlreadyListedIsKeptInAnyCase) {
  const Flags listed = std::vector<std::string>{"\\Seen", "$tacitdone"};
  EXPECT_EQ(AckFlagFor("$TacitDone", listed), "$TacitDone");
}

TEST(AckFlag, KeywordTheMailboxCannotKeepFallsBackToSeen) {
  // No \* and not listed: a keyword set now would not survive the session.
  const Flags no_keywords =
      std::vector<std::string>{"\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft"};
  EXPECT_EQ(AckFlagFor("$TacitDone", no_keywords), "\\Seen");
  EXPECT_EQ(AckFlagFor("$TacitDone", Flags{std::vector<std::string>{}}), "\\Seen");
}

TEST(AckFlag, SystemFlagMustBeListedItself) {
  // \* allows new keywords, not system flags.
  EXPECT_EQ(AckFlagFor("\\Flagged", kDovecot), "\\Flagged");
  EXPECT_EQ(AckFlagFor("\\Flagged", Flags{std::vector<std::string>{"\\Seen", "\\*"}}), "\\Seen");
  EXPECT_EQ(AckFlagFor("\\Seen", kDovecot), "\\Seen");
}

TEST(AckFlag, NoPermanentFlagsMeansEveryFlagIsKept) {
  EXPECT_EQ(AckFlagFor("$TacitDone", std::nullopt), "$TacitDone");
  EXPECT_EQ(AckFlagFor("\\Flagged", std::nullopt), "\\Flagged");
  EXPECT_EQ(AckFlagFor("", std::nullopt), "\\Seen");
}

}  // namespace
}  // namespace tacit::imap
