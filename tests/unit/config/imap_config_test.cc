// [imap] ack_flag (issue 5): which flag tacit sets on a message once its reply
// is committed, checked when the config is loaded.
#include <gtest/gtest.h>

#include "config/config.h"
#include "support/temp_dir.h"

namespace tacit {
namespace {

// Loads a tacit.toml whose [imap] ack_flag line (line 7) is `ack_line`.
Result<Config> LoadWithAckFlag(testing::TempDir& dir, const std::string& ack_line) {
  std::string path = testing::WriteSmallConfig(dir, "09/02/2026");
  dir.Write("tacit.toml",
            "[daemon]\nstate_dir = \"s\"\n[imap]\nurl = \"imaps://mail.example.vn/INBOX\"\n"
            "username = \"vhxh\"\npassword_file = \"pw\"\n" +
                ack_line + "\n");
  return LoadConfig(path);
}

TEST(ImapConfig, AckFlagDefaultsToSeen) {
  testing::TempDir dir;
  Result<Config> c = LoadWithAckFlag(dir, "");
  ASSERT_TRUE(c.has_value()) << c.error().message();
  ASSERT_TRUE(c->imap.has_value());
  EXPECT_EQ(c->imap->ack_flag, "\\Seen");
}

TEST(ImapConfig, AckFlagTakesKeywordsAndTwoSystemFlags) {
  for (auto [written, kept] :
       {std::pair{"'$TacitDone'", "$TacitDone"}, std::pair{"\"tacit-done\"", "tacit-done"},
        std::pair{"'\\Seen'", "\\Seen"}, std::pair{"\"\\\\seen\"", "\\Seen"},
        std::pair{"'\\FLAGGED'", "\\Flagged"}}) {
    testing::TempDir dir;
    Result<Config> c = LoadWithAckFlag(dir, std::string("ack_flag = ") + written);
    ASSERT_TRUE(c.has_value()) << written << ": " << c.error().message();
    EXPECT_EQ(c->imap->ack_flag, kept) << written;
  }
}

TEST(ImapConfig, BadAckFlagNamesFileLineAndValue) {
  for (auto [written, why] : {
           std::pair{"'\\Deleted'", "'\\Deleted' is not allowed: of the system flags only"},
           std::pair{"'\\Answered'", "'\\Answered' is not allowed"},
           std::pair{"'tacit done'", "'tacit done' is not an IMAP keyword"},
           std::pair{"'done)'", "'done)' is not an IMAP keyword"},
           std::pair{"'a\\b'", "'a\\b' is not an IMAP keyword"},
           std::pair{"'\"x\"'", "'\"x\"' is not an IMAP keyword"},
           std::pair{"'*'", "'*' is not an IMAP keyword"},
           std::pair{"'đã-xử-lý'", "'đã-xử-lý' is not an IMAP keyword"},
           std::pair{"''", "'' is empty"},
           std::pair{"'$TacitQuarantined'", "is reserved for messages tacit could not read"},
           std::pair{"3", "'ack_flag' must be a string"},
       }) {
    testing::TempDir dir;
    Result<Config> c = LoadWithAckFlag(dir, std::string("ack_flag = ") + written);
    ASSERT_FALSE(c.has_value()) << written;
    const std::string want = dir.path() + "/tacit.toml:7: ";
    EXPECT_EQ(c.error().message().rfind(want, 0), 0u) << c.error().message();
    EXPECT_NE(c.error().message().find(why), std::string::npos) << c.error().message();
  }
}

TEST(ImapConfig, OverlongKeywordIsRefused) {
  testing::TempDir dir;
  Result<Config> c = LoadWithAckFlag(dir, "ack_flag = '" + std::string(65, 'k') + "'");
  ASSERT_FALSE(c.has_value());
  EXPECT_NE(c.error().message().find("is longer than 64 characters"), std::string::npos)
      << c.error().message();
  c = LoadWithAckFlag(dir, "ack_flag = '" + std::string(64, 'k') + "'");
  EXPECT_TRUE(c.has_value()) << c.error().message();
}

// [imap] fetch_batch: messages per UID FETCH of a backlog.
TEST(ImapConfig, FetchBatchDefaultsTo1000AndIsBounded) {
  testing::TempDir dir;
  Result<Config> c = LoadWithAckFlag(dir, "");
  ASSERT_TRUE(c.has_value()) << c.error().message();
  EXPECT_EQ(c->imap->fetch_batch, 1000);
  c = LoadWithAckFlag(dir, "fetch_batch = 100");
  ASSERT_TRUE(c.has_value()) << c.error().message();
  EXPECT_EQ(c->imap->fetch_batch, 100);
  for (const char* bad : {"fetch_batch = 0", "fetch_batch = 10001", "fetch_batch = '100'"}) {
    c = LoadWithAckFlag(dir, bad);
    ASSERT_FALSE(c.has_value()) << bad;
    EXPECT_EQ(c.error().message().rfind(dir.path() + "/tacit.toml:7: ", 0), 0u)
        << c.error().message();
    EXPECT_NE(c.error().message().find("fetch_batch"), std::string::npos) << c.error().message();
  }
}

}  // namespace
}  // namespace tacit
