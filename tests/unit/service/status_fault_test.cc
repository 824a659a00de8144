// The status file on a failing disk (issue 9): the write fails half way
// through (a real short write, RLIMIT_FSIZE), and the daemon's status writes
// fail through the FileSystem seam (ENOSPC). The old file stays whole, no
// temporary is left, tacitd keeps running and retries on its own, and the next
// write that succeeds is complete and current.
#include <atomic>
#include <condition_variable>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sys/resource.h>

#include "core/hash.h"
#include "service/daemon.h"
#include "service/status_file.h"
#include "support/fake_clock.h"
#include "support/temp_dir.h"

namespace tacit::service {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The real file system, but WriteAtomic fails with ENOSPC while `full` is set,
// before touching anything (as PosixFileSystem leaves things on failure, which
// PosixWriteCutShortKeepsTheOldFile checks). Keeps what each successful write
// wrote.
class FullDiskFileSystem final : public FileSystem {
 public:
  Status WriteAtomic(const std::string& path, const std::string& contents) override {
    if (full) {
      ++failures;
      return ErrnoStatus("write " + path + ".tmp", ENOSPC);
    }
    if (Status s = real_.WriteAtomic(path, contents); !s.ok()) return s;
    if (fs::path(path).filename() == "status.json") written.push_back(contents);
    return Status::Ok();
  }
  Result<std::string> ReadFile(const std::string& path) override { return real_.ReadFile(path); }
  Status MakeDirs(const std::string& path) override { return real_.MakeDirs(path); }

  // Atomic: the daemon writes status.html and the reports on its page thread.
  std::atomic<bool> full{false};
  std::atomic<int> failures{0};
  std::vector<std::string> written;  // status.json contents (the loop's), in order

 private:
  PosixFileSystem real_;
};

// The real file system, but writing status.html waits until the test opens
// the gate: a page write that takes as long as at 100,000 units.
class SlowPagesFileSystem final : public FileSystem {
 public:
  Status WriteAtomic(const std::string& path, const std::string& contents) override {
    if (fs::path(path).filename() == "status.html") {
      std::unique_lock<std::mutex> lock(mutex_);
      ++html_started;
      // Opens by itself after a while: a daemon that wrote it on its loop
      // would otherwise hang the test instead of failing it.
      gate_.wait_for(lock, 8s, [&] { return open_; });
    }
    return real_.WriteAtomic(path, contents);
  }
  Result<std::string> ReadFile(const std::string& path) override { return real_.ReadFile(path); }
  Status MakeDirs(const std::string& path) override { return real_.MakeDirs(path); }

  int HtmlStarted() {
    std::lock_guard<std::mutex> lock(mutex_);
    return html_started;
  }
  void Open() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      open_ = true;
    }
    gate_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable gate_;
  bool open_ = false;
  int html_started = 0;
  PosixFileSystem real_;
};

class StatusFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    config_path_ = testing::WriteSmallConfig(dir_, "09/02/2026");
    Result<Config> c = LoadConfig(config_path_);
    ASSERT_TRUE(c.has_value()) << c.error().message();
    config_ = std::move(*c);
  }

  // tacitctl's side: its own connection, its own commit.
  void RecordPaperReply(const std::string& unit) {
    auto st = store::Store::Open(config_.daemon.state_dir + "/tacit.db", config_.tz);
    ASSERT_TRUE(st.has_value()) << st.error().message();
    store::NewReply r;
    r.consultation_id = "dan-chu-2026";
    r.unit_code = unit;
    r.received_at = clock_.Now();
    r.stance = Stance::kAgree;
    r.text = "Nhất trí";
    r.content_hash = Sha256Hex("paper " + unit);
    ASSERT_TRUE((*st)->RecordReply(r, clock_.Now(), "tacitctl:test").has_value());
  }

  // Runs the loop until `done` (checked every 50 ms), for at most `limit`.
  template <typename Pred>
  bool RunUntil(boost::asio::io_context& io, Pred done, std::chrono::seconds limit = 30s) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!done()) {
      if (std::chrono::steady_clock::now() > end) return false;
      io.run_for(50ms);
      if (io.stopped()) io.restart();
    }
    return true;
  }

  testing::TempDir dir_;
  testing::FakeClock clock_{TimePoint{std::chrono::seconds{1770267600}}};  // 05/02/2026 12:00 +07
  std::string config_path_;
  Config config_;
};

TEST_F(StatusFaultTest, PosixWriteCutShortKeepsTheOldFile) {
  fs::create_directories(config_.daemon.state_dir);
  auto st = store::Store::Open(config_.daemon.state_dir + "/tacit.db", config_.tz);
  ASSERT_TRUE(st.has_value());
  ASSERT_TRUE((*st)->SyncConfig(config_, clock_.Now(), "test").ok());
  PosixFileSystem posix;
  const std::string path = config_.daemon.state_dir + "/status.json";
  ASSERT_TRUE(WriteStatusFile(**st, posix, path, clock_.Now(), config_.tz).ok());
  const std::string before = ReadAll(path);
  ASSERT_GT(before.size(), 2000u);

  // A file may not grow past 1000 bytes: write() stores the first 1000 and
  // then fails (EFBIG), as a disk that fills up mid-write does (ENOSPC).
  struct rlimit old {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
  auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old;
  small.rlim_cur = 1000;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  clock_.Advance(1h);
  Status s = WriteStatusFile(**st, posix, path, clock_.Now(), config_.tz);
  ::setrlimit(RLIMIT_FSIZE, &old);
  std::signal(SIGXFSZ, old_handler);

  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("status.json.tmp"), std::string::npos) << s.message();
  EXPECT_EQ(ReadAll(path), before) << "the old status file was touched";
  EXPECT_FALSE(fs::exists(path + ".tmp")) << "a partial temporary file is left";

  ASSERT_TRUE(WriteStatusFile(**st, posix, path, clock_.Now(), config_.tz).ok());
  json j = json::parse(ReadAll(path));
  EXPECT_EQ(j["generated_at"], "2026-02-05T13:00:00+07:00");
}

TEST_F(StatusFaultTest, DaemonKeepsRunningAndRetriesUntilTheWriteSucceeds) {
  boost::asio::io_context io;
  FullDiskFileSystem disk;
  Result<std::unique_ptr<Daemon>> daemon = Daemon::Create(io, clock_, disk, config_path_);
  ASSERT_TRUE(daemon.has_value()) << daemon.error().message();
  ASSERT_TRUE((*daemon)->Start().ok());
  const std::string path = config_.daemon.state_dir + "/status.json";
  ASSERT_EQ(disk.written.size(), 1u);

  disk.full = true;
  RecordPaperReply("tdp-01");
  // The daemon notices tacitctl's commit and tries to write: the disk is full.
  ASSERT_TRUE(RunUntil(io, [&] { return disk.failures >= 1; })) << "no status write attempted";
  EXPECT_EQ(json::parse(ReadAll(path))["consultations"][0]["counts"]["replied"], 0);
  // Space is back, and another change comes while the retry is pending: the
  // daemon must write again by itself, with both replies.
  RecordPaperReply("tdp-02");
  disk.full = false;
  const size_t writes = disk.written.size();
  ASSERT_TRUE(RunUntil(io, [&] { return disk.written.size() > writes; }))
      << "the status file was never written again";
  ASSERT_TRUE(RunUntil(io, [&] {
    return json::parse(ReadAll(path))["consultations"][0]["counts"]["replied"] == 2;
  })) << "the second reply never reached the status file";
  json j = json::parse(ReadAll(path));
  EXPECT_EQ(j["consultations"][0]["counts"]["replied"], 2);
  EXPECT_EQ(j, json::parse(disk.written.back())) << "the file is not the last complete write";
  // status.html (written by the loop after READY=1, and at most once a
  // second) gets there too, though its first attempt met the full disk.
  EXPECT_TRUE(RunUntil(io, [&] { return fs::exists(config_.daemon.state_dir + "/status.html"); }))
      << "status.html was never written";
  EXPECT_FALSE(fs::exists(path + ".tmp"));
  // Every write that reached the disk was a whole JSON document.
  for (const std::string& w : disk.written) EXPECT_TRUE(json::accept(w)) << w;

  (*daemon)->Stop();
  io.run_for(100ms);
}

// status.html and the reports are rendered and written off the event loop: while
// one is slow to write, the status file still follows every change, and a
// stop waits for it to finish.
TEST_F(StatusFaultTest, SlowStatusHtmlDoesNotHoldTheStatusFileBack) {
  boost::asio::io_context io;
  SlowPagesFileSystem disk;
  Result<std::unique_ptr<Daemon>> daemon = Daemon::Create(io, clock_, disk, config_path_);
  ASSERT_TRUE(daemon.has_value()) << daemon.error().message();
  ASSERT_TRUE((*daemon)->Start().ok());
  const std::string path = config_.daemon.state_dir + "/status.json";
  const std::string html = config_.daemon.state_dir + "/status.html";
  ASSERT_TRUE(RunUntil(io, [&] { return disk.HtmlStarted() >= 1; })) << "no status.html write";
  auto replied = [&] {
    return json::parse(ReadAll(path))["consultations"][0]["counts"]["replied"].get<int>();
  };
  RecordPaperReply("tdp-01");
  EXPECT_TRUE(RunUntil(
      io, [&] { return replied() == 1; }, 5s))
      << "the status file waited for status.html";
  EXPECT_FALSE(fs::exists(html)) << "status.html was written through the closed gate";
  disk.Open();
  ASSERT_TRUE(RunUntil(io, [&] { return fs::exists(html); })) << "status.html never written";
  // The change that came during the slow write reaches status.html too (the
  // clock is fake: only new data can change the page). Its next write waits
  // twenty times the last one's cost, the time the gate was shut included.
  const std::string first = ReadAll(html);
  ASSERT_TRUE(RunUntil(
      io, [&] { return disk.HtmlStarted() >= 2 && ReadAll(html) != first; }, 120s))
      << "status.html was not written again after the change";
  (*daemon)->Stop();
  io.run_for(100ms);
}

}  // namespace
}  // namespace tacit::service
