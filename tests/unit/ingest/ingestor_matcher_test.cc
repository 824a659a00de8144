// The Ingestor builds its matcher when the first item comes and lets it go
// when no item came for a while (issue 9: an idle tacitd at 10,000 units was
// mostly its matcher); the next item builds it again and matches as before,
// and a reloaded config is what the next matcher is built from.
#include <chrono>
#include <filesystem>

#include <gtest/gtest.h>

#include "ingest/ingestor.h"
#include "store/store.h"
#include "support/fake_clock.h"
#include "support/temp_dir.h"

namespace tacit {
namespace {

namespace fs = std::filesystem;
using std::chrono::minutes;
using std::chrono::steady_clock;

class IngestorMatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<Config> c = LoadConfig(testing::WriteSmallConfig(dir_, "31/12/2099"));
    ASSERT_TRUE(c.has_value()) << c.error().message();
    config_ = std::move(*c);
    fs::create_directories(config_.daemon.state_dir);
    auto s = store::Store::Open(config_.daemon.state_dir + "/tacit.db", config_.tz);
    ASSERT_TRUE(s.has_value()) << s.error().message();
    store_ = std::move(*s);
    ASSERT_TRUE(store_->SyncConfig(config_, clock_.Now(), "test").ok());
  }

  // A mail from `sender` for the consultation, with its own Message-ID.
  match::Candidate Mail(const std::string& sender, int n) {
    match::Candidate c;
    c.channel = Channel::kImap;
    c.received_at = clock_.Now();
    c.from = {sender};
    c.subject = "[tacit:dan-chu-2026] Góp ý dự thảo";
    c.message_id = "m" + std::to_string(n) + "@example.vn";
    c.own_text = "Nhất trí với dự thảo.";
    c.content_hash = "hash-" + std::to_string(n);
    return c;
  }

  testing::TempDir dir_;
  testing::FakeClock clock_{
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now())};
  Config config_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(IngestorMatcherTest, BuiltAtTheFirstItemLetGoWhenIdleAndBuiltAgain) {
  ingest::Ingestor ingestor(*store_, clock_, config_);
  EXPECT_FALSE(ingestor.matcher_built()) << "built before any item came";

  Result<ingest::IngestResult> first = ingestor.Ingest(Mail("tdp01@example.vn", 1), "imap:1:1");
  ASSERT_TRUE(first.has_value()) << first.error().message();
  EXPECT_EQ(first->disposition, ingest::Disposition::kRecorded);
  EXPECT_EQ(first->match.unit_code, "tdp-01");
  EXPECT_TRUE(ingestor.matcher_built());

  // Used a moment ago: kept.
  EXPECT_FALSE(ingestor.ReleaseIdleMatcher(steady_clock::now(), minutes{5}));
  EXPECT_TRUE(ingestor.matcher_built());
  // Five minutes without an item: let go.
  EXPECT_TRUE(ingestor.ReleaseIdleMatcher(steady_clock::now() + minutes{5}, minutes{5}));
  EXPECT_FALSE(ingestor.matcher_built());
  EXPECT_FALSE(ingestor.ReleaseIdleMatcher(steady_clock::now() + minutes{10}, minutes{5}));

  // The next item builds it again and is matched the same way.
  Result<ingest::IngestResult> second = ingestor.Ingest(Mail("congan@example.vn", 2), "imap:1:2");
  ASSERT_TRUE(second.has_value()) << second.error().message();
  EXPECT_EQ(second->disposition, ingest::Disposition::kRecorded);
  EXPECT_EQ(second->match.unit_code, "cong-an");
  EXPECT_TRUE(ingestor.matcher_built());
}

TEST_F(IngestorMatcherTest, ACopyHandedOutOutlivesTheRelease) {
  ingest::Ingestor ingestor(*store_, clock_, config_);
  // A parse thread's copy (Maildir, IMAP) classifies stances after the
  // ingestor let its matcher go.
  match::Matcher copy = ingestor.matcher();
  EXPECT_TRUE(ingestor.matcher_built());
  ASSERT_TRUE(ingestor.ReleaseIdleMatcher(steady_clock::now() + minutes{5}, minutes{5}));
  EXPECT_EQ(copy.ClassifyStance(Mail("tdp01@example.vn", 3)), Stance::kAgree);
}

TEST_F(IngestorMatcherTest, ReconfigureBuildsTheNextMatcherFromTheReloadedConfig) {
  ingest::Ingestor ingestor(*store_, clock_, config_);
  ASSERT_TRUE(ingestor.Ingest(Mail("tdp01@example.vn", 4), "imap:1:4").has_value());
  // tdp-02 has no address in units.csv: a mail from a new one is unmatched...
  Result<ingest::IngestResult> before = ingestor.Ingest(Mail("to2@example.vn", 5), "imap:1:5");
  ASSERT_TRUE(before.has_value());
  EXPECT_EQ(before->disposition, ingest::Disposition::kUnmatched);
  // ...until the reloaded config gives it that address.
  Config reloaded = config_;
  for (Unit& u : reloaded.units) {
    if (u.code == "tdp-02") u.emails = {"to2@example.vn"};
  }
  ingestor.Reconfigure([&reloaded] { return match::Matcher(reloaded); });
  EXPECT_FALSE(ingestor.matcher_built()) << "the old config's matcher kept";
  Result<ingest::IngestResult> after = ingestor.Ingest(Mail("to2@example.vn", 6), "imap:1:6");
  ASSERT_TRUE(after.has_value());
  EXPECT_EQ(after->disposition, ingest::Disposition::kRecorded);
  EXPECT_EQ(after->match.unit_code, "tdp-02");
}

}  // namespace
}  // namespace tacit
