// A Maildir backlog is taken in turns of the event loop (issue 5): a turn
// starts no new group after MaildirOptions::turn_budget, the rest stays in
// new/ and a rescan posted to the loop goes on with it, until every message
// is committed once; Drain() (before a deadline applies) takes all of it at
// once whatever the budget.
#include <filesystem>

#include <SQLiteCpp/SQLiteCpp.h>
#include <boost/asio/io_context.hpp>
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "ingest/ingestor.h"
#include "sources/maildir.h"
#include "store/store.h"
#include "support/fake_clock.h"
#include "support/temp_dir.h"

namespace tacit {
namespace {

namespace fs = std::filesystem;

// More than three groups of Ingestor::kMaxBatch: a turn with no time left
// still commits the group it parses and the two parsed ahead, no more.
constexpr int kMessages = 300;

class MaildirTurnTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<Config> c = LoadConfig(testing::WriteSmallConfig(dir_, "31/12/2099"));
    ASSERT_TRUE(c.has_value()) << c.error().message();
    config_ = std::move(*c);
    db_path_ = config_.daemon.state_dir + "/tacit.db";
    fs::create_directories(config_.daemon.state_dir);
    auto s = store::Store::Open(db_path_, config_.tz);
    ASSERT_TRUE(s.has_value()) << s.error().message();
    store_ = std::move(*s);
    ASSERT_TRUE(store_->SyncConfig(config_, clock_.Now(), "test").ok());
    ingestor_ = std::make_unique<ingest::Ingestor>(*store_, clock_, config_);
    maildir_ = dir_.path() + "/Maildir";
    for (const char* sub : {"new", "cur", "tmp"}) fs::create_directories(maildir_ + "/" + sub);
    for (int i = 0; i < kMessages; ++i) {
      paths_.push_back(dir_.Write(
          fmt::format("Maildir/new/{}.M{}P1.host", 1770260000 + i, i),
          fmt::format("From: =?UTF-8?Q?T=E1=BB=95_d=C3=A2n_ph=E1=BB=91_1?= <tdp01@example.vn>\r\n"
                      "To: vhxh@example.vn\r\n"
                      "Subject: [tacit:dan-chu-2026] Gop y du thao ({})\r\n"
                      "Message-ID: <turn-{}@example.vn>\r\n"
                      "Date: Thu, 05 Feb 2026 09:00:00 +0700\r\n"
                      "MIME-Version: 1.0\r\n"
                      "Content-Type: text/plain; charset=utf-8\r\n"
                      "\r\n"
                      "Tổ dân phố số 1 nhất trí với dự thảo, lần {}.\r\n",
                      i, i, i)));
    }
  }

  // Replies recorded, checked to be of as many distinct messages (none twice).
  std::int64_t Replies() {
    SQLite::Database db(db_path_, SQLite::OPEN_READONLY);
    const std::int64_t rows = db.execAndGet("SELECT count(*) FROM replies").getInt64();
    const std::int64_t distinct =
        db.execAndGet("SELECT count(DISTINCT message_id) FROM replies").getInt64();
    EXPECT_EQ(rows, distinct) << "a message recorded twice";
    return rows;
  }

  size_t Files(const char* sub) {
    size_t n = 0;
    for (const auto& e : fs::directory_iterator(maildir_ + "/" + sub)) n += e.is_regular_file();
    return n;
  }

  testing::TempDir dir_;
  testing::FakeClock clock_{
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now())};
  Config config_;
  std::string db_path_;
  std::string maildir_;
  std::vector<std::string> paths_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ingest::Ingestor> ingestor_;
  boost::asio::io_context io_;
};

TEST_F(MaildirTurnTest, ATurnLeavesTheRestOfABacklogToTheLoop) {
  sources::MaildirOptions o{maildir_, config_.daemon.state_dir, config_.tz};
  o.turn_budget = std::chrono::milliseconds{0};
  sources::MaildirSource source(io_, clock_, *ingestor_, o, [] {});
  ASSERT_TRUE(source.HandleGroup(paths_));
  const size_t first_turn = Files("cur");
  EXPECT_GT(first_turn, 0u);
  EXPECT_LT(first_turn, static_cast<size_t>(kMessages)) << "the turn did not end";
  EXPECT_EQ(Files("new") + first_turn, static_cast<size_t>(kMessages));
  EXPECT_EQ(Replies(), static_cast<std::int64_t>(first_turn));
  // The rest, by the rescans the turn posted to the loop.
  for (int turn = 0; turn < 100 && Files("new") > 0; ++turn) {
    io_.run_one_for(std::chrono::seconds{5});
  }
  EXPECT_EQ(Files("new"), 0u);
  EXPECT_EQ(Files("cur"), static_cast<size_t>(kMessages));
  EXPECT_EQ(Replies(), kMessages);
}

TEST_F(MaildirTurnTest, DrainTakesTheWholeBacklogAtOnce) {
  sources::MaildirOptions o{maildir_, config_.daemon.state_dir, config_.tz};
  o.turn_budget = std::chrono::milliseconds{0};
  sources::MaildirSource source(io_, clock_, *ingestor_, o, [] {});
  ASSERT_TRUE(source.Drain());
  EXPECT_EQ(Files("new"), 0u);
  EXPECT_EQ(Files("cur"), static_cast<size_t>(kMessages));
  EXPECT_EQ(Replies(), kMessages);
}

}  // namespace
}  // namespace tacit
