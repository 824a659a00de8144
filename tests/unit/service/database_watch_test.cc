// DatabaseWatch (issue 9): tacitd learns of another process's commit to the
// shared WAL database from inotify rather than by asking SQLite four times a
// second. A second Database connection stands for tacitctl. Waits are bounded
// only so that a broken watch fails the test instead of hanging it.
#include "service/database_watch.h"

#include <chrono>
#include <filesystem>
#include <fstream>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "store/database.h"
#include "support/temp_dir.h"

namespace tacit::service {
namespace {

using std::chrono::milliseconds;

// Runs the loop until `done` or about 10 s; true when `done`.
template <typename Pred>
bool RunUntil(boost::asio::io_context& io, Pred done) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds{10};
  while (!done() && std::chrono::steady_clock::now() < end) {
    io.restart();
    io.run_for(milliseconds{20});
  }
  return done();
}

TEST(DatabaseWatch, AnotherConnectionsCommitIsSeen) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/tacit.db";
  auto daemon_db = store::Database::Open(path);
  ASSERT_TRUE(daemon_db) << daemon_db.error().message();
  Result<std::int64_t> before = (*daemon_db)->DataVersion();
  ASSERT_TRUE(before);

  boost::asio::io_context io;
  int looks = 0;
  DatabaseWatch watch(io, path, milliseconds{100}, [&] { ++looks; });
  ASSERT_TRUE(watch.Start().ok());
  EXPECT_TRUE(watch.watching());

  for (int round = 1; round <= 3; ++round) {
    // "tacitctl": its own connection, one transaction, then it exits.
    {
      auto ctl = store::Database::Open(path);
      ASSERT_TRUE(ctl) << ctl.error().message();
      Status s = (*ctl)->Write("test", [&] {
        (*ctl)->db().exec("INSERT INTO units(code, name, grp) VALUES('u" + std::to_string(round) +
                          "', 'x', 'g')");
        return Status::Ok();
      });
      ASSERT_TRUE(s.ok()) << s.message();
    }
    const int seen = looks;
    ASSERT_TRUE(RunUntil(io, [&] { return looks > seen; })) << "round " << round;
    // Every look after the event finds the commit.
    Result<std::int64_t> after = (*daemon_db)->DataVersion();
    ASSERT_TRUE(after);
    EXPECT_NE(*after, *before) << "round " << round;
    before = after;
    // The rest of this burst's events (the close after the commit) settle.
    io.restart();
    io.run_for(milliseconds{300});
  }
}

TEST(DatabaseWatch, OtherFilesInTheFolderAreNotChanges) {
  testing::TempDir dir;
  const std::string path = dir.path() + "/tacit.db";
  boost::asio::io_context io;
  int looks = 0;
  DatabaseWatch watch(io, path, milliseconds{10}, [&] { ++looks; });
  ASSERT_TRUE(watch.Start().ok());
  // status.json and the rest of the state folder change all the time.
  dir.Write("status.json", "{}");
  dir.Write("tacit.db-walnut", "x");
  io.run_for(milliseconds{300});  // 30 times the debounce
  EXPECT_EQ(looks, 0);
  // Then a write to the WAL.
  dir.Write("tacit.db-wal", "frames");
  EXPECT_TRUE(RunUntil(io, [&] { return looks > 0; }));
}

TEST(DatabaseWatch, AFolderThatCannotBeWatchedIsAnError) {
  testing::TempDir dir;
  boost::asio::io_context io;
  DatabaseWatch watch(io, dir.path() + "/missing/tacit.db", milliseconds{10}, [] {});
  Status s = watch.Start();
  EXPECT_FALSE(s.ok());
  EXPECT_FALSE(watch.watching());
}

TEST(DatabaseWatch, ALostWatchIsSaid) {
  testing::TempDir dir;
  const std::string sub = dir.path() + "/state";
  std::filesystem::create_directories(sub);
  boost::asio::io_context io;
  int looks = 0;
  DatabaseWatch watch(io, sub + "/tacit.db", milliseconds{10}, [&] { ++looks; });
  ASSERT_TRUE(watch.Start().ok());
  std::filesystem::remove_all(sub);
  ASSERT_TRUE(RunUntil(io, [&] { return looks > 0; }));
  EXPECT_FALSE(watch.watching());  // the daemon polls from now on
}

}  // namespace
}  // namespace tacit::service
