// A full or failing disk under the SQLite commit (issue 9, SPEC §8): the real
// Store, Ingestor and sources (drop folder, Maildir) over a SQLite VFS that
// fails writes, truncates or syncs on demand (support/fault_vfs.h). The item is
// not acknowledged, nothing is half-written, and once the disk is well again
// the same item is committed exactly once, without reopening anything.
#include <filesystem>
#include <fstream>

#include <SQLiteCpp/SQLiteCpp.h>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include "ingest/ingestor.h"
#include "sources/drop_folder.h"
#include "sources/maildir.h"
#include "store/store.h"
#include "support/fake_clock.h"
#include "support/fault_vfs.h"
#include "support/temp_dir.h"

namespace tacit {
namespace {

namespace fs = std::filesystem;
using testing::FaultVfs;

struct FaultCase {
  const char* name;
  FaultVfs::Fault writes;  // kNone: syncs fail instead
  int allow;               // writes that succeed before the first failure
};

// ENOSPC and EIO, at the first write and half way through the transaction's
// pages, and an fsync that fails after the WAL frames were written.
const FaultCase kCases[] = {
    {"FullAtFirstWrite", FaultVfs::Fault::kFull, 0},
    {"FullHalfWay", FaultVfs::Fault::kFull, 2},
    {"IoErrorAtFirstWrite", FaultVfs::Fault::kIoError, 0},
    {"IoErrorHalfWay", FaultVfs::Fault::kIoError, 3},
    {"SyncFails", FaultVfs::Fault::kNone, 0},
};

void PrintTo(const FaultCase& c, std::ostream* os) { *os << c.name; }

class CommitFaultTest : public ::testing::TestWithParam<FaultCase> {
 protected:
  void SetUp() override {
    // Far ahead: the files' real ctime/mtime is the received time.
    Result<Config> c = LoadConfig(testing::WriteSmallConfig(dir_, "31/12/2099"));
    ASSERT_TRUE(c.has_value()) << c.error().message();
    config_ = std::move(*c);
    db_path_ = config_.daemon.state_dir + "/tacit.db";
    fs::create_directories(config_.daemon.state_dir);
    auto s = store::Store::Open(db_path_, config_.tz);  // through the fault VFS
    ASSERT_TRUE(s.has_value()) << s.error().message();
    store_ = std::move(*s);
    ASSERT_TRUE(store_->SyncConfig(config_, clock_.Now(), "test").ok());
    ingestor_ = std::make_unique<ingest::Ingestor>(*store_, clock_, config_);
  }

  void Fail() {
    const FaultCase& f = GetParam();
    if (f.writes == FaultVfs::Fault::kNone) {
      vfs_.FailSyncs();
    } else {
      vfs_.FailWrites(f.writes, f.allow);
    }
  }

  // Counted on a connection of its own: what a restart would find.
  std::int64_t Count(const std::string& table) {
    SQLite::Database db(db_path_, SQLite::OPEN_READONLY);
    return db.execAndGet("SELECT count(*) FROM " + table).getInt64();
  }

  std::string IntegrityCheck() {
    SQLite::Database db(db_path_, SQLite::OPEN_READONLY);
    return db.execAndGet("PRAGMA integrity_check").getString();
  }

  std::string UnitStatus(const std::string& code) {
    // The Result must outlive the loop (a range-for over a temporary's member
    // reads freed memory: ASan caught it).
    Result<std::vector<store::ConsultationState>> cs = store_->Consultations("dan-chu-2026");
    if (!cs || cs->empty()) return "?";
    for (const store::UnitState& u : cs->front().units) {
      if (u.code == code) return std::string(ToString(u.status));
    }
    return "?";
  }

  static size_t FilesUnder(const std::string& dir) {
    size_t n = 0;
    std::error_code ec;
    for (const auto& e : fs::recursive_directory_iterator(dir, ec)) n += e.is_regular_file();
    return n;
  }

  // Destroyed last: every connection above is closed before the VFS goes.
  FaultVfs vfs_;
  testing::TempDir dir_;
  testing::FakeClock clock_{
      std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now())};
  Config config_;
  std::string db_path_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ingest::Ingestor> ingestor_;
  boost::asio::io_context io_;
};

TEST_P(CommitFaultTest, DropFolderFileStaysUntilCommittedThenOnce) {
  sources::DropFolderOptions o;
  o.path = dir_.path() + "/inbox";
  o.state_dir = config_.daemon.state_dir;
  o.tz = config_.tz;
  o.ocr_threads = 0;
  int commits = 0;
  sources::DropFolder drop(io_, clock_, *ingestor_, o, [&] { ++commits; });
  const std::string file = dir_.Write("inbox/dan-chu-2026/tdp-01/tra-loi.txt",
                                      "Tổ dân phố số 1 nhất trí với dự thảo.\n");
  const std::int64_t events = Count("events");

  Fail();
  EXPECT_FALSE(drop.Handle(file, true)) << "a failed commit must ask to be retried";
  EXPECT_GT(vfs_.failures(), 0) << "the fault was never hit";
  // Not acknowledged: the file is where it was dropped and nothing is archived.
  EXPECT_TRUE(fs::exists(file));
  EXPECT_EQ(FilesUnder(o.state_dir + "/archive"), 0u);
  EXPECT_EQ(commits, 0);
  // Nothing half-written: no reply, no event, the unit still pending.
  EXPECT_EQ(Count("replies"), 0);
  EXPECT_EQ(Count("events"), events);
  EXPECT_EQ(IntegrityCheck(), "ok");
  // The daemon's connection stays usable while the disk is still bad.
  EXPECT_EQ(UnitStatus("tdp-01"), "pending");
  EXPECT_FALSE(drop.Handle(file, true));
  EXPECT_TRUE(fs::exists(file));

  vfs_.Clear();
  ASSERT_TRUE(drop.Handle(file, true));
  EXPECT_FALSE(fs::exists(file));
  EXPECT_EQ(FilesUnder(o.state_dir + "/archive"), 1u);
  EXPECT_EQ(commits, 1);
  EXPECT_EQ(Count("replies"), 1);
  EXPECT_EQ(UnitStatus("tdp-01"), "replied");
  EXPECT_EQ(drop.stats().recorded, 1u);
  EXPECT_EQ(IntegrityCheck(), "ok");

  // Reopened, as after a restart: the one reply is there, once.
  ingestor_.reset();
  store_.reset();
  store_ = std::move(store::Store::Open(db_path_, config_.tz).value());
  ASSERT_EQ(store_->Replies("dan-chu-2026").value().size(), 1u);
  EXPECT_EQ(UnitStatus("tdp-01"), "replied");
}

// tacitd stopped (or killed) while the disk was bad, started when it is well:
// whatever the failed commit left in the WAL (after a failed fsync its frames
// may be whole), the file is recorded once and archived once.
TEST_P(CommitFaultTest, RestartAfterAFailedCommitRecordsOnce) {
  sources::DropFolderOptions o;
  o.path = dir_.path() + "/inbox";
  o.state_dir = config_.daemon.state_dir;
  o.tz = config_.tz;
  o.ocr_threads = 0;
  const std::string file = dir_.Write("inbox/dan-chu-2026/tdp-01/tra-loi.txt",
                                      "Tổ dân phố số 1 nhất trí với dự thảo.\n");
  {
    sources::DropFolder drop(io_, clock_, *ingestor_, o, nullptr);
    Fail();
    EXPECT_FALSE(drop.Handle(file, true));
    EXPECT_TRUE(fs::exists(file));
  }
  ingestor_.reset();
  store_.reset();
  vfs_.Clear();

  store_ = std::move(store::Store::Open(db_path_, config_.tz).value());
  ASSERT_TRUE(store_->SyncConfig(config_, clock_.Now(), "test").ok());
  ingestor_ = std::make_unique<ingest::Ingestor>(*store_, clock_, config_);
  sources::DropFolder drop(io_, clock_, *ingestor_, o, nullptr);
  ASSERT_TRUE(drop.Handle(file, true));
  EXPECT_FALSE(fs::exists(file));
  EXPECT_EQ(Count("replies"), 1);
  EXPECT_EQ(UnitStatus("tdp-01"), "replied");
  // The reply names the archived copy, and that copy is the whole file.
  const std::vector<store::ReplyRow> replies = store_->Replies("dan-chu-2026").value();
  ASSERT_EQ(replies.size(), 1u);
  std::ifstream archived(o.state_dir + "/" + replies[0].source_ref);
  std::string bytes((std::istreambuf_iterator<char>(archived)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes, "Tổ dân phố số 1 nhất trí với dự thảo.\n");
  EXPECT_EQ(FilesUnder(o.state_dir + "/archive"), 1u);
  EXPECT_EQ(IntegrityCheck(), "ok");
}

TEST_P(CommitFaultTest, MaildirMessageStaysInNewUntilCommittedThenOnce) {
  const std::string maildir = dir_.path() + "/Maildir";
  for (const char* sub : {"new", "cur", "tmp"}) fs::create_directories(maildir + "/" + sub);
  sources::MaildirOptions o{maildir, config_.daemon.state_dir, config_.tz};
  int commits = 0;
  sources::MaildirSource source(io_, clock_, *ingestor_, o, [&] { ++commits; });
  const std::string message =
      dir_.Write("Maildir/new/1770260000.M1P1.host",
                 "From: =?UTF-8?Q?T=E1=BB=95_d=C3=A2n_ph=E1=BB=91_1?= <tdp01@example.vn>\r\n"
                 "To: vhxh@example.vn\r\n"
                 "Subject: [tacit:dan-chu-2026] Gop y du thao\r\n"
                 "Message-ID: <fault-1@example.vn>\r\n"
                 "Date: Thu, 05 Feb 2026 09:00:00 +0700\r\n"
                 "MIME-Version: 1.0\r\n"
                 "Content-Type: text/plain; charset=utf-8\r\n"
                 "Content-Transfer-Encoding: 8bit\r\n"
                 "\r\n"
                 "Tổ dân phố số 1 nhất trí với dự thảo.\r\n");
  const std::int64_t events = Count("events");

  Fail();
  EXPECT_FALSE(source.Handle(message));
  EXPECT_GT(vfs_.failures(), 0) << "the fault was never hit";
  EXPECT_TRUE(fs::exists(message)) << "acknowledged (moved to cur/) without a commit";
  EXPECT_TRUE(fs::is_empty(maildir + "/cur"));
  EXPECT_EQ(commits, 0);
  EXPECT_EQ(Count("replies"), 0);
  EXPECT_EQ(Count("events"), events);
  EXPECT_EQ(IntegrityCheck(), "ok");

  vfs_.Clear();
  ASSERT_TRUE(source.Handle(message));
  EXPECT_FALSE(fs::exists(message));
  EXPECT_TRUE(fs::exists(maildir + "/cur/1770260000.M1P1.host:2,S"));
  EXPECT_EQ(commits, 1);
  EXPECT_EQ(Count("replies"), 1);
  EXPECT_EQ(UnitStatus("tdp-01"), "replied");
  EXPECT_EQ(IntegrityCheck(), "ok");
}

INSTANTIATE_TEST_SUITE_P(Faults, CommitFaultTest, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<FaultCase>& i) {
                           return std::string(i.param.name);
                         });

}  // namespace
}  // namespace tacit
