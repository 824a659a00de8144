#include "sources/drop_folder.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <thread>

#include <boost/asio/post.hpp>
#include <date/date.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <stdio.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/crash_point.h"
#include "core/hash.h"
#include "core/log.h"
#include "extract/extract.h"
#include "mail/mime.h"
#include "match/letterhead.h"
#include "sources/file_ops.h"
#include "text/quotes.h"

namespace tacit::sources {
namespace fs = std::filesystem;
using std::chrono::milliseconds;

namespace {

constexpr milliseconds kRescanEvery{60'000};
// A file found by a rescan that changed less than this long ago may still be
// being written (no IN_CLOSE_WRITE seen yet): look again later.
constexpr std::chrono::seconds kSettle{1};
// Folder depth that is read: the drop folder (0), a consultation's or a unit's
// subfolder (1), a unit's subfolder inside a consultation's (2).
constexpr int kMaxDirDepth = 2;
constexpr std::uint32_t kWatchMask =
    IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Not replies (yet): left alone.
bool Skipped(const std::string& name) {
  return name.empty() || name[0] == '.' || name.rfind("~$", 0) == 0 || EndsWith(name, ".part") ||
         EndsWith(name, ".crdownload") || EndsWith(name, ".tmp");
}

TimePoint CTime(const struct stat& st) {
  return TimePoint{std::chrono::seconds{st.st_ctim.tv_sec}};
}

// The same file as when it was read: OCR'd bytes still stand for it.
bool SameFile(const struct stat& a, const struct stat& b) {
  return a.st_dev == b.st_dev && a.st_ino == b.st_ino && a.st_size == b.st_size &&
         a.st_mtim.tv_sec == b.st_mtim.tv_sec && a.st_mtim.tv_nsec == b.st_mtim.tv_nsec;
}

}  // namespace

DropFolder::DropFolder(boost::asio::io_context& io, const Clock& clock, ingest::Ingestor& ingestor,
                       DropFolderOptions options, std::function<void()> on_commit)
    : io_(io),
      clock_(clock),
      ingestor_(ingestor),
      options_(std::move(options)),
      on_commit_(std::move(on_commit)),
      stream_(io),
      rescan_timer_(io) {
  if (options_.ocr_threads > 0) {
    std::weak_ptr<int> alive = alive_;
    ocr_ = std::make_unique<OcrPool>(options_.ocr_threads, options_.ocr_limits, options_.tessdata,
                                     [this, alive] {
                                       boost::asio::post(io_, [this, alive] {
                                         if (alive.lock()) ProcessOcrDone();
                                       });
                                     });
  }
}

DropFolder::~DropFolder() {
  try {
    Stop();
  } catch (const std::exception& e) {
    log::Error("drop folder: stopping: {}", e.what());
  }
}

Status DropFolder::Start() {
  std::error_code ec;
  fs::create_directories(options_.path, ec);
  if (ec) return Status::Io(fmt::format("drop folder {}: {}", options_.path, ec.message()));
  inotify_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_fd_ < 0) return ErrnoStatus("inotify_init1", errno);
  stream_.assign(inotify_fd_);
  WatchTree(options_.path, 0);
  ReadEvents();
  // What arrived while tacitd was down: read on the loop, in batches, right
  // after start-up (Drain() still reads everything at once before a deadline).
  ScheduleRescan(milliseconds{0});
  log::Info("drop folder {}: watching", options_.path);
  return Status::Ok();
}

void DropFolder::Stop() {
  if (stopping_) return;
  stopping_ = true;
  rescan_timer_.cancel();
  // Scans being read are dropped: they are still in the folder, read again
  // at the next start.
  if (ocr_) ocr_->Stop();
  if (stream_.is_open()) {
    boost::system::error_code ignored;
    stream_.close(ignored);  // closes inotify_fd_
  }
}

bool DropFolder::Drain() {
  bool drained = Rescan();
  if (!drained && !store_busy_) {
    // A file younger than kSettle may still be being written. Give it that
    // long, once, rather than hold a due deadline back until the daemon's next
    // try 30 s later: a file dropped just before tacitd started at the
    // deadline did that (test_fault_restart_at_deadline.sh).
    std::this_thread::sleep_for(kSettle);
    drained = Rescan();
  }
  // Scans already seen must be in before a deadline applies. Each job ends
  // within the OCR timeout; no result for longer than that means stuck.
  const auto step = std::chrono::duration_cast<milliseconds>(
      (ocr_ ? ocr_->limits().timeout : milliseconds{0}) + std::chrono::seconds{10});
  while (ocr_ && !ocr_in_flight_.empty() && !stopping_) {
    if (!ocr_->WaitDone(step)) {
      log::Error("drop folder: drain: {} scans still being read", ocr_in_flight_.size());
      return false;
    }
    ProcessOcrDone();
  }
  return drained && ocr_in_flight_.empty();
}

void DropFolder::ProcessOcrDone() {
  if (!ocr_ || stopping_) return;
  for (OcrDone& done : ocr_->TakeDone()) FinishOcr(std::move(done));
}

void DropFolder::FinishOcr(OcrDone done) {
  OcrJob& job = done.job;
  ocr_in_flight_.erase(job.path);
  const std::string rel = fs::path(job.path).lexically_relative(options_.path).string();
  struct stat now {};
  if (::lstat(job.path.c_str(), &now) != 0) {
    log::Warn("drop folder: {} was removed while OCR read it", rel);
    return;
  }
  if (!SameFile(now, job.st)) {  // replaced or rewritten meanwhile: read it anew
    Handle(job.path, true);
    return;
  }
  match::Candidate& c = job.candidate;
  c.ocr = true;
  if (done.result) {
    ocr::OcrResult& r = *done.result;
    ++stats_.ocr_read;
    c.own_text = std::move(r.text);
    c.letterhead_text = r.letterhead.empty() ? match::LetterheadFromText(c.own_text) : r.letterhead;
    c.subject = match::SubjectFromText(c.own_text);
    c.ocr_confidence = r.confidence;
    c.ocr_low_confidence = r.timed_out || r.confidence < options_.ocr_min_confidence;
    log::Info("drop folder: {}: OCR read {} page(s), confidence {:.0f}{}", rel, r.pages,
              r.confidence, r.timed_out ? " (timed out)" : "");
  } else if (done.result.error().code() == ErrorCode::kBadInput) {
    Quarantine(job.path, done.result.error().message());
    return;
  } else if (done.result.error().code() == ErrorCode::kCancelled) {
    return;  // stopping: the file stays for the next start
  } else {
    // No OCR here (language data missing): kept as a scan nobody read.
    log::Error("drop folder: {}: {}; recorded without text", rel, done.result.error().message());
    c.ocr_low_confidence = true;
  }
  if (!Commit(job.path, job.st, c))
    ScheduleRescan(std::chrono::duration_cast<milliseconds>(kSettle));
}

void DropFolder::WatchTree(const std::string& dir, int depth) {
  int wd = ::inotify_add_watch(inotify_fd_, dir.c_str(), kWatchMask);
  if (wd < 0) {
    log::Error("drop folder: cannot watch {}: {}", dir, std::strerror(errno));
    return;
  }
  watches_[wd] = {dir, depth};
  if (depth >= kMaxDirDepth) return;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_directory(ec) && !entry.is_symlink(ec) &&
        !Skipped(entry.path().filename().string())) {
      WatchTree(entry.path().string(), depth + 1);
    }
  }
}

void DropFolder::ReadEvents() {
  stream_.async_read_some(boost::asio::buffer(buffer_),
                          [this](const boost::system::error_code& ec, size_t n) {
                            if (ec || stopping_) return;
                            for (size_t off = 0; off + sizeof(inotify_event) <= n;) {
                              inotify_event ev{};
                              std::memcpy(&ev, buffer_.data() + off, sizeof(ev));
                              std::string name;
                              if (ev.len > 0) {
                                const char* p = buffer_.data() + off + sizeof(ev);
                                name = std::string(p, ::strnlen(p, ev.len));
                              }
                              OnEvent(ev.wd, ev.mask, name);
                              off += sizeof(inotify_event) + ev.len;
                            }
                            ReadEvents();
                          });
}

void DropFolder::OnEvent(int wd, std::uint32_t mask, const std::string& name) {
  if (mask & IN_Q_OVERFLOW) {
    log::Warn("drop folder: inotify queue overflow, rescanning");
    ScheduleRescan(milliseconds{0});
    return;
  }
  if (mask & IN_IGNORED) {
    watches_.erase(wd);
    return;
  }
  auto it = watches_.find(wd);
  if (it == watches_.end() || name.empty() || Skipped(name)) return;
  const auto& [dir, depth] = it->second;
  const std::string path = dir + "/" + name;
  if (mask & IN_ISDIR) {
    if (mask & (IN_CREATE | IN_MOVED_TO)) {
      if (depth + 1 > kMaxDirDepth) {
        Quarantine(path,
                   "a folder this deep is not read: drop files in the folder, a "
                   "consultation's or a unit's subfolder");
        return;
      }
      WatchTree(path, depth + 1);
      ScheduleRescan(milliseconds{0});  // files moved in with the folder
    }
    return;
  }
  if (mask & IN_CREATE) {
    // A regular file is read at IN_CLOSE_WRITE; symlinks, FIFOs and devices never
    // send one, so look at them now.
    struct stat st {};
    if (::lstat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) Handle(path, true);
    return;
  }
  if (mask & (IN_CLOSE_WRITE | IN_MOVED_TO)) {
    // While the database is locked, the file waits for the rescan that retries.
    if (store_busy_ || !Handle(path, true)) {
      ScheduleRescan(std::chrono::duration_cast<milliseconds>(kSettle));
    }
  }
}

void DropFolder::ScheduleRescan(milliseconds delay) {
  if (stopping_) return;
  if (rescan_scheduled_ && delay >= kRescanEvery) return;
  rescan_scheduled_ = true;
  rescan_timer_.expires_after(delay);
  rescan_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopping_) return;
    rescan_scheduled_ = false;
    RescanInBackground();
    ScheduleRescan(kRescanEvery);
  });
}

bool DropFolder::ListFiles(std::vector<std::string>* files) {
  bool ok = true;
  std::error_code ec;
  if (!fs::is_directory(options_.path, ec)) {
    log::Error("drop folder {} is not readable: {}", options_.path,
               ec ? ec.message() : "not a folder");
    return false;
  }
  // Collect first: handling moves files, which must not disturb the walk.
  std::vector<std::pair<std::string, int>> dirs = {{options_.path, 0}};
  while (!dirs.empty()) {
    auto [dir, depth] = dirs.back();
    dirs.pop_back();
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      const std::string name = entry.path().filename().string();
      if (Skipped(name)) continue;
      if (entry.is_directory(ec) && !entry.is_symlink(ec) && depth < kMaxDirDepth) {
        dirs.emplace_back(entry.path().string(), depth + 1);
      } else {
        files->push_back(entry.path().string());
      }
    }
    if (ec) {
      log::Error("drop folder: cannot read {}: {}", dir, ec.message());
      ok = false;
    }
  }
  return ok;
}

bool DropFolder::Rescan() {
  std::vector<std::string> files;
  bool drained = ListFiles(&files);
  store_busy_ = false;
  for (const std::string& path : files) {
    if (!Handle(path, false)) drained = false;
    if (store_busy_) break;  // the rest would fail the same way, each after a wait
  }
  if (!drained) ScheduleRescan(std::chrono::duration_cast<milliseconds>(kSettle));
  return drained;
}

void DropFolder::RescanInBackground() {
  if (!backlog_.empty()) return;  // a pass is already under way
  std::vector<std::string> files;
  if (!ListFiles(&files)) return;
  store_busy_ = false;
  backlog_.assign(files.begin(), files.end());
  ProcessBacklog();
}

void DropFolder::ProcessBacklog() {
  // A few files per turn of the event loop, so that a backlog of thousands
  // (files dropped while tacitd was down) never holds back READY=1, the
  // watchdog, signals or tacitctl's changes.
  constexpr size_t kBatch = 100;
  bool deferred = false;
  for (size_t i = 0; i < kBatch && !backlog_.empty() && !stopping_; ++i) {
    std::string path = std::move(backlog_.front());
    backlog_.pop_front();
    if (!Handle(path, false)) deferred = true;
    if (store_busy_) backlog_.clear();  // retried by the next pass
  }
  if (deferred) ScheduleRescan(std::chrono::duration_cast<milliseconds>(kSettle));
  if (!backlog_.empty() && !stopping_) boost::asio::post(io_, [this] { ProcessBacklog(); });
}

bool DropFolder::Handle(const std::string& path, bool settled) {
  const fs::path p(path);
  const std::string name = p.filename().string();
  if (Skipped(name)) return true;
  std::error_code ec;
  fs::path rel = fs::path(path).lexically_relative(options_.path);
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return true;  // gone: nothing to do
  if (S_ISDIR(st.st_mode)) {
    Quarantine(path,
               "a folder this deep is not read: drop files in the folder, a consultation's "
               "or a unit's subfolder");
    return true;
  }
  Result<FileBytes> file = ReadRegularFile(path, options_.max_bytes, "drop_folder.max_bytes");
  if (!file) {
    if (file.error().code() == ErrorCode::kNotFound) return true;
    Quarantine(path, file.error().message());
    return true;
  }
  if (!settled && clock_.Now() - CTime(file->st) < kSettle) return false;  // may still be written
  if (ocr_in_flight_.count(path) > 0) return true;                         // being read by OCR

  match::Candidate c;
  c.channel = Channel::kDrop;
  c.received_at = CTime(file->st);
  c.file_name = name;
  for (const auto& part : rel.parent_path()) c.subfolders.push_back(part.string());
  c.content_hash = Sha256Hex(file->bytes);
  extract::Kind kind = extract::KindOf(name);
  if (kind == extract::Kind::kEml) {
    // A saved mail: read as mail (sender, subject, Message-ID, body without the
    // quoted letter, attachments' text), received when it was dropped.
    mail::Limits limits;
    limits.max_bytes = options_.max_bytes;
    Result<mail::ParsedMessage> parsed = mail::ParseMessage(file->bytes, limits);
    if (!parsed) {
      Quarantine(path, parsed.error().message());
      return true;
    }
    match::Candidate message = std::move(parsed->candidate);
    message.channel = Channel::kDrop;
    message.received_at = c.received_at;
    message.file_name = std::move(c.file_name);
    message.subfolders = std::move(c.subfolders);
    c = std::move(message);
  } else if (ocr_ && ocr::IsImageName(name)) {
    ocr_in_flight_.insert(path);
    ocr_->Submit(OcrJob{path, std::move(file->bytes), file->st, false, std::move(c)});
    return true;
  } else if (kind != extract::Kind::kOther) {
    extract::Limits limits;
    limits.max_bytes = options_.max_bytes;
    Result<extract::Extracted> text = extract::ExtractText(kind, file->bytes, limits);
    // The PDF helper cannot run (extract/helper.h): not the file's fault. It
    // stays in the folder and is tried again at the next settle.
    if (!text && text.error().code() == ErrorCode::kTransient) return false;
    if (!text) {
      Quarantine(path, text.error().message());
      return true;
    }
    if (ocr_ && !text->has_text_layer) {  // a scan saved as PDF
      ocr_in_flight_.insert(path);
      ocr_->Submit(OcrJob{path, std::move(file->bytes), file->st, true, std::move(c)});
      return true;
    }
    text::SplitText split = text::SplitQuoted(text->text);
    c.own_text = std::move(split.own);
    c.quoted_text = std::move(split.quoted);
  }
  return Commit(path, file->st, c);
}

bool DropFolder::Commit(const std::string& path, const struct stat& st, const match::Candidate& c) {
  const std::string name = fs::path(path).filename().string();
  const fs::path rel = fs::path(path).lexically_relative(options_.path);
  std::error_code ec;
  const std::string month = MonthFolder(CTime(st), options_.tz);
  const fs::path archive_dir = fs::path(options_.state_dir) / "archive" / month;
  const std::string planned = (fs::path("archive") / month / FreeName(archive_dir, name)).string();
  Result<ingest::IngestResult> r = ingestor_.Ingest(c, planned);
  if (!r) {
    // Not committed: leave the file where it is; the next rescan tries again.
    log::Error("drop folder: {}: {}", rel.string(), r.error().message());
    store_busy_ = r.error().code() == ErrorCode::kTransient;
    return false;
  }
  store_busy_ = false;
  // Committed: only now acknowledge by moving the file out of the folder.
  std::string target = planned;
  switch (r->disposition) {
    case ingest::Disposition::kRecorded:
      ++stats_.recorded;
      log::Info("drop folder: {} -> reply {} from {} for {} ({})", rel.string(), r->reply_id,
                *r->match.unit_code, *r->match.consultation_id, r->late ? "late" : "on time");
      break;
    case ingest::Disposition::kUnmatched:
      ++stats_.unmatched;
      log::Warn("drop folder: {} -> reply {} unmatched: {}; {}", rel.string(), r->reply_id,
                r->match.consultation_rule, r->match.unit_rule);
      break;
    case ingest::Disposition::kDuplicate:
    case ingest::Disposition::kNotAReply:
      ++stats_.duplicates;
      // After a crash between commit and archive the first copy is this very
      // file: put it where the reply says it is.
      if (!r->existing_source_ref.empty() &&
          !fs::exists(fs::path(options_.state_dir) / r->existing_source_ref, ec)) {
        target = r->existing_source_ref;
      } else {
        target = (fs::path("archive/duplicates") / month / name).string();
      }
      log::Info("drop folder: {} is already recorded as reply {}", rel.string(), r->reply_id);
      break;
  }
  std::string used = MoveInto(path, target);
  if (used.empty()) return false;
  CrashPoint("drop.after_archive");
  if (used != target && r->disposition != ingest::Disposition::kDuplicate) {
    log::Warn("drop folder: {} archived as {} (reply {} names {})", rel.string(), used, r->reply_id,
              target);
  }
  if (on_commit_) on_commit_();
  return true;
}

std::string DropFolder::MoveInto(const std::string& path, const std::string& relative) {
  const fs::path full = fs::path(options_.state_dir) / relative;
  std::error_code ec;
  fs::create_directories(full.parent_path(), ec);
  std::string name = full.filename().string();
  for (int attempt = 0; attempt < 1000; ++attempt) {
    const fs::path target = full.parent_path() / name;
    int err = MoveNoReplace(path, target.string());
    if (err == 0) return target.lexically_relative(options_.state_dir).string();
    if (err != EEXIST) {
      log::Error("drop folder: cannot move {} to {}: {}", path, target.string(),
                 std::strerror(err));
      return {};
    }
    name = FreeName(full.parent_path(), full.filename().string());
  }
  return {};
}

void DropFolder::Quarantine(const std::string& path, const std::string& reason) {
  if (!QuarantineFile(path, fs::path(options_.state_dir) / "quarantine", reason)) return;
  ++stats_.quarantined;
  log::Warn("drop folder: quarantined {}: {}",
            fs::path(path).lexically_relative(options_.path).string(), reason);
}

}  // namespace tacit::sources
