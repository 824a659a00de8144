// MaildirSource: messages delivered to maildir.path (a Maildir with new/, cur/
// and tmp/) become replies (SPEC §3, issue 5).
//
// A delivery agent writes a message in tmp/ and renames it into new/, so a file
// in new/ is always complete and its mtime is the delivery time, which becomes
// the reply's received time (also for messages delivered while tacitd was
// down). inotify on new/ (IN_MOVED_TO, IN_CREATE for link() deliveries) on the
// Asio loop is the hint; a rescan of new/ and of cur/ entries without the S
// flag (a mail client may have moved them there unread) at start, after
// IN_Q_OVERFLOW and every minute is the truth. Background rescans take 200
// messages per turn of the loop; Drain() reads everything at once.
//
// For each message: open without following links, check the size, parse it
// (mail/mime.h), keep its attachments under
// state_dir/archive/YYYY/MM/mail-<12 hex of the hash>/NAME, ingest it, and only
// after the commit rename it to cur/NAME:2,<flags with S>. What is ready at
// once (a rescan's batch, the names of one inotify read) is committed in
// groups of up to Ingestor::kMaxBatch, one transaction per group, and each
// message of a group is moved only after that group's commit. Auto-replies,
// bounces and duplicates are acknowledged the same way. A message that cannot
// be read as mail moves to state_dir/quarantine/NAME with NAME.reason (one
// line). A message that vanished before we opened it (another client moved it)
// means a rescan soon, not an error.
//
// Runs on the daemon's io_context thread only.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/clock.h"
#include "domain/dates.h"
#include "ingest/ingestor.h"
#include "mail/mime.h"
#include "sources/file_ops.h"
#include "sources/source.h"

namespace tacit::sources {

struct MaildirOptions {
  std::string path;       // the Maildir: path/new, path/cur, path/tmp
  std::string state_dir;  // archive/ and quarantine/ go here
  TimeZone tz;            // for archive/YYYY/MM
  std::uint64_t max_bytes = 50ull * 1024 * 1024;
  // A backlog is handled in turns of the event loop: a turn starts no new
  // group of messages after this long (Drain() takes everything at once).
  std::chrono::milliseconds turn_budget{2000};
};

// Counters for logs and tests.
struct MaildirStats {
  std::uint64_t recorded = 0, unmatched = 0, duplicates = 0, not_replies = 0, quarantined = 0;
};

class MaildirSource final : public Source {
 public:
  // `on_commit` runs after each acknowledged message (the daemon rewrites the
  // status file). `ingestor` must outlive this object.
  MaildirSource(boost::asio::io_context& io, const Clock& clock, ingest::Ingestor& ingestor,
                MaildirOptions options, std::function<void()> on_commit);
  ~MaildirSource() override;

  std::string name() const override { return "maildir"; }
  Status Start() override;
  void Stop() override;
  bool Drain() override;

  // Handles one message file in new/ or cur/ (public for tests). Returns false
  // when it must be looked at again later (the store or the archive failed).
  bool Handle(const std::string& path);
  // The same for several messages: their replies are committed in groups of up
  // to Ingestor::kMaxBatch, each message acknowledged after its group's commit.
  bool HandleGroup(const std::vector<std::string>& paths);
  const MaildirStats& stats() const { return stats_; }

 private:
  // Handles up to `max_items` messages, oldest first; more are left for a
  // rescan posted to the loop.
  bool Rescan(std::size_t max_items);
  void Watch();
  void ReadEvents();
  void ScheduleRescan(std::chrono::milliseconds delay);
  void Quarantine(const std::string& path, const std::string& reason);
  // A message read and parsed, its attachments kept: ready to be committed.
  struct Prepared {
    std::string path, where, unique, flags;
    bool has_info = false;
    match::Candidate candidate;
  };
  // One message read from disk and parsed, nothing else done: what a worker
  // thread does (it touches no member, the store or the loop).
  struct Loaded {
    std::string path;
    Result<FileBytes> file = Status::NotFound("not read");
    std::optional<Result<mail::ParsedMessage>> parsed;
  };
  // Reads and parses one message and classifies its stance (on the parse
  // thread: `matcher` is a copy, valid across a reload).
  static Loaded Load(const std::string& path, std::uint64_t max_bytes,
                     const match::Matcher& matcher);
  // Reads and parses one message (quarantining what is not mail). Sets `*out`
  // when there is a reply candidate; false when it must be looked at later.
  bool Prepare(Loaded loaded, std::optional<Prepared>* out);
  // Commits a group and acknowledges each message whose reply is committed.
  bool Commit(const std::vector<Prepared>& group);

  ingest::Ingestor& ingestor_;
  MaildirOptions options_;
  std::function<void()> on_commit_;
  int inotify_fd_ = -1;
  int watch_ = -1;
  boost::asio::posix::stream_descriptor stream_;
  boost::asio::steady_timer rescan_timer_;
  std::array<char, 64 * 1024> buffer_{};
  bool stopping_ = false;
  bool rescan_scheduled_ = false;
  bool drain_all_ = false;  // in Drain(): no turn budget, the whole backlog now
  // The last commit found the database locked past its busy timeout: the rest
  // of a rescan and further inotify events wait for the retry, so the lock
  // costs one busy timeout per retry, not one per message (each blocks the
  // loop). See DropFolder::store_busy_.
  bool store_busy_ = false;
  // Attachments written since the last SyncArchive: flushed before the next
  // group is committed.
  bool archive_unsynced_ = false;
  std::set<std::string> acknowledged_;  // unique names moved to cur/ by us (recent)
  MaildirStats stats_;
};

}  // namespace tacit::sources
