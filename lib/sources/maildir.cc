#include "sources/maildir.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <future>
#include <optional>
#include <string_view>

#include <date/date.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <stdio.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/crash_point.h"
#include "core/log.h"
#include "sources/file_ops.h"
#include "sources/mail_archive.h"

namespace tacit::sources {
namespace fs = std::filesystem;
using std::chrono::milliseconds;

namespace {

constexpr milliseconds kRescanEvery{60'000};
// After a message vanished under us (another client moved it), look again soon.
constexpr milliseconds kRescanSoon{200};
// After the store or the archive failed, try again after this long.
constexpr milliseconds kRetry{5'000};
constexpr std::uint32_t kWatchMask =
    IN_MOVED_TO | IN_CREATE | IN_DELETE_SELF | IN_MOVE_SELF | IN_ONLYDIR;
constexpr std::size_t kMaxRemembered = 10'000;
// A backlog of thousands must not hold up signals, the watchdog or tacitctl's
// changes: a turn of the event loop lists at most kBatch messages and starts
// no new group after MaildirOptions::turn_budget; the rest waits for the next
// turn. Turns of 200 messages cost a third of a backlog's rate (each turn
// ends the parse workers' run, writes the status file and lists new/ again),
// so a turn is bounded by time rather than by a small count, whatever the
// machine's speed (2 s turns measured 8-10 % faster than 1 s ones).
constexpr std::size_t kBatch = 5000;
// Groups parsed ahead of the one being committed, each on its own thread.
constexpr std::size_t kAhead = 2;

// "1700000000.M1P2.host:2,RS" -> unique "1700000000.M1P2.host", flags "RS".
struct MaildirName {
  std::string unique;
  std::string flags;
  bool has_info = false;
};

MaildirName SplitName(const std::string& name) {
  MaildirName n;
  std::size_t colon = name.rfind(":2,");
  if (colon == std::string::npos) {
    n.unique = name;
    return n;
  }
  n.unique = name.substr(0, colon);
  n.flags = name.substr(colon + 3);
  n.has_info = true;
  return n;
}

// The name in cur/ once seen: the flags kept, S added, in ASCII order.
std::string SeenName(const MaildirName& n) {
  std::string flags = n.flags;
  if (flags.find('S') == std::string::npos) flags += 'S';
  std::sort(flags.begin(), flags.end());
  return n.unique + ":2," + flags;
}

TimePoint MTime(const struct stat& st) {
  return TimePoint{std::chrono::seconds{st.st_mtim.tv_sec}};
}

}  // namespace

MaildirSource::MaildirSource(boost::asio::io_context& io, const Clock& /*clock*/,
                             ingest::Ingestor& ingestor, MaildirOptions options,
                             std::function<void()> on_commit)
    : ingestor_(ingestor),
      options_(std::move(options)),
      on_commit_(std::move(on_commit)),
      stream_(io),
      rescan_timer_(io) {}

MaildirSource::~MaildirSource() { Stop(); }

Status MaildirSource::Start() {
  std::error_code ec;
  for (const char* sub : {"new", "cur", "tmp"}) {
    fs::create_directories(fs::path(options_.path) / sub, ec);
    if (ec) return Status::Io(fmt::format("maildir {}: {}", options_.path, ec.message()));
  }
  inotify_fd_ = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (inotify_fd_ < 0) return ErrnoStatus("inotify_init1", errno);
  stream_.assign(inotify_fd_);
  Watch();
  ReadEvents();
  // What was delivered while tacitd was down is read from the loop, in
  // batches, so that a large backlog does not delay READY past systemd's start
  // timeout; a deadline due meanwhile drains the source first anyway.
  ScheduleRescan(milliseconds{0});
  log::Info("maildir {}: watching", options_.path);
  return Status::Ok();
}

void MaildirSource::Stop() {
  if (stopping_) return;
  stopping_ = true;
  rescan_timer_.cancel();
  if (stream_.is_open()) {
    boost::system::error_code ignored;
    stream_.close(ignored);  // closes inotify_fd_
  }
}

bool MaildirSource::Drain() {
  // Everything, however long it takes: the deadline waits for it.
  drain_all_ = true;
  const bool drained = Rescan(SIZE_MAX);
  drain_all_ = false;
  return drained;
}

void MaildirSource::Watch() {
  if (inotify_fd_ < 0 || watch_ >= 0) return;
  const std::string dir = (fs::path(options_.path) / "new").string();
  watch_ = ::inotify_add_watch(inotify_fd_, dir.c_str(), kWatchMask);
  if (watch_ < 0) log::Error("maildir: cannot watch {}: {}", dir, std::strerror(errno));
}

void MaildirSource::ReadEvents() {
  stream_.async_read_some(
      boost::asio::buffer(buffer_), [this](const boost::system::error_code& ec, size_t n) {
        if (ec || stopping_) return;
        const std::string new_dir = (fs::path(options_.path) / "new").string();
        // Every message this read announced is handled as one group (up to
        // the batch size): a burst of deliveries is committed together.
        std::vector<std::string> arrived;
        for (size_t off = 0; off + sizeof(inotify_event) <= n;) {
          inotify_event ev{};
          std::memcpy(&ev, buffer_.data() + off, sizeof(ev));
          std::string name;
          if (ev.len > 0) {
            name = std::string(buffer_.data() + off + sizeof(ev),
                               ::strnlen(buffer_.data() + off + sizeof(ev), ev.len));
          }
          off += sizeof(inotify_event) + ev.len;
          if (ev.mask & IN_Q_OVERFLOW) {
            log::Warn("maildir: inotify queue overflow, rescanning");
            ScheduleRescan(milliseconds{0});
          } else if (ev.mask & IN_IGNORED) {
            watch_ = -1;  // new/ went away: the next rescan watches it again
            ScheduleRescan(kRetry);
          } else if (ev.wd == watch_ && !name.empty() && name[0] != '.' && !(ev.mask & IN_ISDIR) &&
                     (ev.mask & (IN_MOVED_TO | IN_CREATE))) {
            arrived.push_back(new_dir + "/" + name);
          }
        }
        // While the database is locked the group waits for the retry rescan
        // instead of waiting for the lock on the loop (see store_busy_).
        if (!arrived.empty() && (store_busy_ || !HandleGroup(arrived))) ScheduleRescan(kRetry);
        ReadEvents();
      });
}

void MaildirSource::ScheduleRescan(milliseconds delay) {
  if (stopping_) return;
  if (rescan_scheduled_ && delay >= kRescanEvery) return;
  rescan_scheduled_ = true;
  rescan_timer_.expires_after(delay);
  rescan_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopping_) return;
    rescan_scheduled_ = false;
    Rescan(kBatch);
    ScheduleRescan(kRescanEvery);
  });
}

bool MaildirSource::Rescan(std::size_t max_items) {
  Watch();
  bool drained = true;
  // (file name, path): the name is the sort key.
  std::vector<std::pair<std::string, std::string>> found;
  for (const char* sub : {"new", "cur"}) {
    const fs::path dir = fs::path(options_.path) / sub;
    std::error_code ec;
    // increment(ec), not a range-for: a read error must not throw.
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (name.empty() || name[0] == '.') continue;
      if (std::string_view(sub) == "cur") {
        // Seen messages are either ours (acknowledged) or read by a person
        // before tacit started: both are not new.
        MaildirName n = SplitName(name);
        if (n.has_info && n.flags.find('S') != std::string::npos) continue;
      }
      found.emplace_back(name, it->path().string());
    }
    if (ec) {
      log::Error("maildir: cannot read {}: {}", dir.string(), ec.message());
      drained = false;
    }
  }
  // Oldest delivery first: unique names start with the delivery time. Only
  // the batch taken now is sorted (a backlog of 10,000 is listed once per
  // batch: sorting all of it each time cost more than parsing the batch).
  const bool more = found.size() > max_items;
  const size_t take = std::min(found.size(), max_items);
  std::partial_sort(found.begin(), found.begin() + static_cast<std::ptrdiff_t>(take), found.end());
  std::vector<std::string> paths;
  paths.reserve(take);
  for (size_t i = 0; i < take; ++i) paths.push_back(std::move(found[i].second));
  if (more) ScheduleRescan(milliseconds{0});  // the rest after a turn of the loop
  store_busy_ = false;
  if (!HandleGroup(paths)) drained = false;
  if (!drained) ScheduleRescan(kRetry);
  return drained;
}

bool MaildirSource::Handle(const std::string& path) {
  return HandleGroup(std::vector<std::string>{path});
}

bool MaildirSource::HandleGroup(const std::vector<std::string>& paths) {
  // Read and parse up to kMaxBatch messages, commit their replies in one
  // transaction, then acknowledge each: a backlog costs one fsync per group,
  // a message that arrives alone is still committed at once.
  //
  // Reading and parsing (a third of the time of a backlog) run on a second
  // thread, one group ahead: while the loop keeps the attachments, matches
  // and commits group k, the worker parses group k+1. Only Load runs there;
  // everything that touches the store, the files' fate or this object stays
  // on the loop, in the messages' order.
  const std::size_t n = paths.size();
  const std::size_t batch = ingest::Ingestor::kMaxBatch;
  const std::uint64_t max_bytes = options_.max_bytes;
  // The worker also classifies each reply's stance (a tenth of a backlog's
  // time), with its own copy of the matcher.
  auto load = [&paths, max_bytes, matcher = ingestor_.matcher()](std::size_t from, std::size_t to) {
    std::vector<Loaded> out;
    out.reserve(to - from);
    for (std::size_t i = from; i < to; ++i) out.push_back(Load(paths[i], max_bytes, matcher));
    return out;
  };
  // A group alone (a delivery noticed by inotify) is parsed here: a thread
  // would only add its start-up. Of more, workers parse the next kAhead
  // groups while the loop parses the first, then commits group by group.
  std::deque<std::future<std::vector<Loaded>>> ahead;
  std::size_t launched = std::min(n, batch);  // groups up to here are parsed or parsing
  auto launch = [&] {
    while (ahead.size() < kAhead && launched < n) {
      ahead.push_back(
          std::async(std::launch::async, load, launched, std::min(n, launched + batch)));
      launched = std::min(n, launched + batch);
    }
  };
  const auto turn_ends = std::chrono::steady_clock::now() + options_.turn_budget;
  launch();
  std::vector<Loaded> current = load(0, std::min(n, batch));
  bool ok = true;
  for (std::size_t from = 0; from < n; from += batch) {
    std::vector<Prepared> group;
    for (Loaded& l : current) {
      std::optional<Prepared> p;
      if (!Prepare(std::move(l), &p)) ok = false;
      if (p) group.push_back(std::move(*p));
    }
    if (!group.empty() && !Commit(group)) ok = false;
    // The rest would wait for the lock group by group (the workers' groups
    // are dropped unread: those messages stay in new/ for the retry).
    if (store_busy_) return false;
    if (ahead.empty()) break;
    current = ahead.front().get();
    ahead.pop_front();
    if (drain_all_ || std::chrono::steady_clock::now() < turn_ends) launch();
  }
  // Out of time: the groups already parsed are committed, the rest stays in
  // new/ for the next turn.
  if (launched < n) ScheduleRescan(milliseconds{0});
  return ok;
}

MaildirSource::Loaded MaildirSource::Load(const std::string& path, std::uint64_t max_bytes,
                                          const match::Matcher& matcher) {
  Loaded l;
  l.path = path;
  const std::string name = fs::path(path).filename().string();
  if (name.empty() || name[0] == '.') return l;
  l.file = ReadRegularFile(path, max_bytes, "the message size limit");
  if (!l.file) return l;
  mail::Limits limits;
  limits.max_bytes = max_bytes;
  l.parsed.emplace(mail::ParseMessage(l.file->bytes, limits));
  if (*l.parsed) (*l.parsed)->candidate.stance = matcher.ClassifyStance((*l.parsed)->candidate);
  return l;
}

bool MaildirSource::Prepare(Loaded loaded, std::optional<Prepared>* out) {
  const std::string& path = loaded.path;
  const fs::path p(path);
  const std::string name = p.filename().string();
  const std::string where = p.parent_path().filename().string() + "/" + name;
  const MaildirName parts = SplitName(name);
  if (name.empty() || name[0] == '.') return true;

  Result<FileBytes>& file = loaded.file;
  if (!file) {
    if (file.error().code() == ErrorCode::kNotFound) {
      // Moved by us (an event for a message a rescan already took) or by
      // another client (to cur/, perhaps unread): look again, not an error.
      if (acknowledged_.count(parts.unique) == 0) ScheduleRescan(kRescanSoon);
      return true;
    }
    Quarantine(path, file.error().message());
    return true;
  }
  Result<mail::ParsedMessage>& parsed = *loaded.parsed;
  if (!parsed) {
    if (parsed.error().code() == ErrorCode::kBadInput) {
      Quarantine(path, parsed.error().message());
      return true;
    }
    log::Error("maildir: {}: {}", where, parsed.error().message());
    return false;
  }
  match::Candidate& c = parsed->candidate;
  c.channel = Channel::kMaildir;
  c.received_at = MTime(file->st);
  if (Status s = KeepMailAttachments(options_.state_dir, options_.tz, c.content_hash, c.received_at,
                                     parsed->attachments, &archive_unsynced_);
      !s.ok()) {
    log::Error("maildir: {}: cannot keep the attachments: {}", where, s.message());
    return false;
  }
  out->emplace(Prepared{path, where, parts.unique, parts.flags, parts.has_info, std::move(c)});
  return true;
}

bool MaildirSource::Commit(const std::vector<Prepared>& group) {
  if (archive_unsynced_) {
    // The group's attachments reach the disk before its replies are committed.
    if (Status s = SyncArchive(options_.state_dir); !s.ok()) {
      log::Error("maildir: cannot flush the kept attachments: {}", s.message());
      return false;  // nothing committed; the next rescan tries again
    }
    archive_unsynced_ = false;
  }
  std::vector<ingest::Ingestor::Item> items;
  items.reserve(group.size());
  for (const Prepared& p : group) items.push_back({&p.candidate, "maildir:" + p.unique});
  std::vector<Result<ingest::IngestResult>> results = ingestor_.IngestBatch(items);
  bool ok = true;
  store_busy_ = false;
  for (std::size_t i = 0; i < group.size(); ++i) {
    const Prepared& p = group[i];
    const std::string& where = p.where;
    const Result<ingest::IngestResult>& r = results[i];
    if (!r) {
      // Not committed: the message stays where it is; the next rescan tries again.
      log::Error("maildir: {}: {}", where, r.error().message());
      if (r.error().code() == ErrorCode::kTransient) store_busy_ = true;
      ok = false;
      continue;
    }
    switch (r->disposition) {
      case ingest::Disposition::kRecorded:
        ++stats_.recorded;
        log::Info("maildir: {} -> reply {} from {} for {} ({})", where, r->reply_id,
                  r->match.unit_code.value_or("?"), r->match.consultation_id.value_or("?"),
                  r->late ? "late" : "on time");
        break;
      case ingest::Disposition::kUnmatched:
        ++stats_.unmatched;
        log::Warn("maildir: {} -> reply {} unmatched: {}; {}", where, r->reply_id,
                  r->match.consultation_rule, r->match.unit_rule);
        break;
      case ingest::Disposition::kDuplicate:
        ++stats_.duplicates;
        log::Info("maildir: {} is already recorded as reply {}", where, r->reply_id);
        break;
      case ingest::Disposition::kNotAReply:
        ++stats_.not_replies;
        log::Info("maildir: {} is not a reply ({})", where,
                  p.candidate.delivery_report ? "delivery report" : "auto-reply");
        break;
    }
    // Committed: only now acknowledge, by moving the message to cur/ as seen.
    const fs::path target =
        fs::path(options_.path) / "cur" / SeenName({p.unique, p.flags, p.has_info});
    CrashPoint("maildir.before_move");
    if (::rename(p.path.c_str(), target.c_str()) != 0) {
      if (errno == ENOENT) {
        ScheduleRescan(kRescanSoon);  // moved meanwhile: found again as a duplicate
      } else {
        log::Error("maildir: cannot move {} to cur/: {}", where, std::strerror(errno));
        ok = false;
        continue;
      }
    }
    CrashPoint("maildir.after_move");
    if (acknowledged_.size() >= kMaxRemembered) acknowledged_.clear();
    acknowledged_.insert(p.unique);
    if (on_commit_) on_commit_();
  }
  return ok;
}

void MaildirSource::Quarantine(const std::string& path, const std::string& reason) {
  if (!QuarantineFile(path, fs::path(options_.state_dir) / "quarantine", reason)) return;
  ++stats_.quarantined;
  log::Warn("maildir: quarantined {}: {}", fs::path(path).filename().string(), reason);
}

}  // namespace tacit::sources
