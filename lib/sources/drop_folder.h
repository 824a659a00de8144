// DropFolder: files dropped into drop_folder.path (or a subfolder named after a
// consultation id or a unit code) become replies (SPEC §3, issue "Drop folder").
//
// inotify on the Asio loop says when a file is complete (IN_CLOSE_WRITE) or
// renamed in (IN_MOVED_TO); a full rescan at start, after IN_Q_OVERFLOW and every
// minute is the truth (inotify is only a hint). For each file: open without
// following links, check it is a regular file within max_bytes, read it, hash it
// (SHA-256), extract its text, ingest it, and only after the commit move it to
// state_dir/archive/YYYY/MM/NAME (name kept, never overwritten). A file that
// cannot be handled moves to state_dir/quarantine/NAME with NAME.reason (one
// line); the daemon goes on.
//
// Scans (.jpg/.jpeg/.png/.tif/.tiff, and PDFs without a text layer) are read
// by OCR on a worker pool (sources/ocr_pool.h), never on the loop; the result
// comes back to the loop, which ingests and only then archives, as for any
// file. A file being read stays in the folder: after a crash it is read again.
// Below ocr_min_confidence the stance is unknown and the reply is marked "cần
// kiểm tra"; a scan that cannot be decoded is quarantined with the reason.
//
// Received time is the file's ctime: when it was written or renamed into the
// folder, also for files dropped while tacitd was down.
//
// Skipped and left where they are: hidden files (".x"), Office lock files
// ("~$x.docx"), and partial downloads (*.part, *.crdownload, *.tmp), which are
// not replies yet.
//
// Runs on the daemon's io_context thread only.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/clock.h"
#include "domain/dates.h"
#include "ingest/ingestor.h"
#include "ocr/ocr.h"
#include "sources/ocr_pool.h"
#include "sources/source.h"

namespace tacit::sources {

struct DropFolderOptions {
  std::string path;
  std::string state_dir;  // archive/ and quarantine/ go here
  std::uint64_t max_bytes = 50ull * 1024 * 1024;
  TimeZone tz;  // for archive/YYYY/MM
  // OCR of scans (drop_folder.ocr_*); ocr_threads 0: scans are recorded
  // without text, as before OCR (tests of the other paths).
  int ocr_threads = 1;
  double ocr_min_confidence = 60;
  ocr::Limits ocr_limits;
  std::string tessdata;  // empty: ocr::FindTessdata()
};

// Counters for logs and tests.
struct DropFolderStats {
  std::uint64_t recorded = 0, unmatched = 0, duplicates = 0, quarantined = 0, ocr_read = 0;
};

class DropFolder final : public Source {
 public:
  // `on_commit` runs after each committed reply (the daemon rewrites the status
  // file). `ingestor` must outlive this object.
  DropFolder(boost::asio::io_context& io, const Clock& clock, ingest::Ingestor& ingestor,
             DropFolderOptions options, std::function<void()> on_commit);
  ~DropFolder() override;

  std::string name() const override { return "drop_folder"; }
  Status Start() override;
  void Stop() override;
  bool Drain() override;

  // Handles one path below the folder (public for tests). Returns false when the
  // file must be looked at again later (still being written, or the store failed).
  // A scan is handed to the OCR pool (true: it is in hand).
  bool Handle(const std::string& path, bool settled);
  // Scans handed to OCR and not yet committed.
  size_t ocr_pending() const { return ocr_in_flight_.size(); }
  const DropFolderStats& stats() const { return stats_; }

 private:
  // Lists every file to look at; false when a folder could not be read.
  bool ListFiles(std::vector<std::string>* files);
  // Reads every file now (Drain).
  bool Rescan();
  // Reads every file a batch per turn of the event loop (start-up, periodic).
  void RescanInBackground();
  void ProcessBacklog();
  void WatchTree(const std::string& dir, int depth);
  void ReadEvents();
  void OnEvent(int wd, std::uint32_t mask, const std::string& name);
  void ScheduleRescan(std::chrono::milliseconds delay);
  void Quarantine(const std::string& path, const std::string& reason);
  // Ingests `c` read from `path` and archives the file after the commit.
  bool Commit(const std::string& path, const struct stat& st, const match::Candidate& c);
  // Takes the OCR pool's results on the loop: each is ingested, quarantined or
  // (file changed meanwhile) handled again.
  void ProcessOcrDone();
  void FinishOcr(OcrDone done);
  // Moves `path` to state_dir/`relative` or, when taken, "NAME (2).ext"...;
  // returns the relative path used, empty on failure.
  std::string MoveInto(const std::string& path, const std::string& relative);

  boost::asio::io_context& io_;
  const Clock& clock_;
  ingest::Ingestor& ingestor_;
  DropFolderOptions options_;
  std::function<void()> on_commit_;
  int inotify_fd_ = -1;
  boost::asio::posix::stream_descriptor stream_;
  boost::asio::steady_timer rescan_timer_;
  std::map<int, std::pair<std::string, int>> watches_;  // wd -> (dir, depth)
  std::array<char, std::size_t{64} * 1024> buffer_{};
  bool stopping_ = false;
  bool rescan_scheduled_ = false;
  // The last commit found the database locked past its busy timeout (another
  // program's long transaction): the rest of a pass and further inotify
  // events wait for the next rescan, so the lock costs one busy timeout per
  // retry rather than one per file, each blocking the loop (signals, the
  // watchdog). Found by tests/integration/test_fault_locked_db.sh.
  bool store_busy_ = false;
  std::deque<std::string> backlog_;  // files the background pass has yet to read
  DropFolderStats stats_;
  std::unique_ptr<OcrPool> ocr_;
  std::set<std::string> ocr_in_flight_;  // paths handed to the pool
  // Posted OCR completions check it: the pool may post after this is gone.
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
};

}  // namespace tacit::sources
