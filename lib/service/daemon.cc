#include "service/daemon.h"

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>

#include <boost/asio/post.hpp>
#include <fmt/format.h>
#include <malloc.h>
#include <pwd.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "core/crash_point.h"
#include "core/hash.h"
#include "core/log.h"
#include "extract/helper.h"
#include "imap/imap_source.h"
#include "reports/report.h"
#include "service/status_file.h"
#include "sources/drop_folder.h"
#include "sources/maildir.h"

namespace tacit::service {
namespace asio = boost::asio;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

namespace {

// tacitctl's changes are noticed within a second (SPEC §6). An inotify watch on
// the WAL (DatabaseWatch) says when to look, debounced: one look per burst of
// events. Without a watch, the database is asked this often, as before issue 9
// (four wake-ups a second, idle or not).
constexpr milliseconds kWatchDebounce{100};
constexpr milliseconds kPollInterval{250};
// With a watch, a slow poll all the same, for what inotify cannot see (a writer
// on another host of a network file system, a commit whose last event raced
// with our look). Long enough that a test waiting a few seconds for a tacitctl
// change in status.json passes only through the watch.
constexpr seconds kSafetyPoll{30};
// The matcher is let go after this long without an item (ingest/ingestor.h);
// TACIT_MATCHER_IDLE_MS sets another time, for the tests.
constexpr minutes kMatcherIdle{5};
// A page write goes without the matcher when no item came for this long: the
// two together were tacitd's peak at 100,000 units (a matcher of 120 MB on top
// of 140 MB of report data). The next item builds it again (1.2 s at 100,000
// units, 0.2 s at 10,000); page writes are spaced by twenty times their cost,
// so that is at most once per page write. A page write due less than this
// after an item waits until this long after it.
constexpr seconds kMatcherRestBeforePages{2};
// How long a due page write waits for that pause while items keep coming;
// past it, the pages are written with the matcher held.
constexpr seconds kPagesWaitForMatcher{60};

std::chrono::steady_clock::duration MatcherIdle() {
  const char* env = std::getenv("TACIT_MATCHER_IDLE_MS");
  if (env == nullptr || *env == '\0') return kMatcherIdle;
  char* end = nullptr;
  const long long ms = std::strtoll(env, &end, 10);
  if (*end != '\0' || ms <= 0) return kMatcherIdle;
  return milliseconds{ms};
}
// Status-file rewrites: the first change after a quiet spell is written at
// once (on the next turn of the loop, so one handler's changes make one write);
// after that at most one write per interval, so a burst of 1,000 files makes
// ten writes a second, not a thousand. When a write itself is slow (thousands
// of replies on status.html), the interval grows to ten times its cost, so at
// most about a tenth of the loop goes to the status file during a backlog.
constexpr milliseconds kStatusMinInterval{100};
// status.html and the closed consultations' reports hold every reply's text:
// during a backlog they cost far more than status.json, grow with the replies,
// and nobody reads them ten times a second. They are rewritten with the status
// file when the last rewrite is older than this and twenty times its cost;
// otherwise the status write schedules a later one for them, so the last state
// always reaches them (within about a second in a quiet moment).
constexpr milliseconds kHtmlMinInterval{1000};
constexpr milliseconds kStatusRetry{5000};
// Beside a closed consultation's reports in report_dir/ID/: what they were made
// from (see Daemon::ReportsStamp).
constexpr const char* kReportsStamp = "reports.stamp";
// The deadline timer never sleeps longer than this, so a wall-clock jump is
// noticed within a minute.
constexpr seconds kMaxSleep{60};
// While a passed deadline waits for an unreachable source, look again this often.
constexpr seconds kWaitingRetry{30};
// Once running, a write waits this long for another program's transaction, not
// tacitctl's 10 s: every wait blocks the event loop (signals, the status file,
// the watchdog), and a source whose commit gave up keeps its item and retries.
// tacitctl's own transactions take milliseconds. With 10 s, a sqlite3 shell
// left in a transaction starved the watchdog (test_fault_locked_db.sh).
constexpr milliseconds kRunningBusyTimeout{2000};
// After a deadline could not be applied (the database is locked or failing),
// try again after this long rather than at once.
constexpr seconds kDeadlineErrorRetry{5};

void Notify(const std::string& state) { sd_notify(0, state.c_str()); }

}  // namespace

std::string ActorName(const std::string& program) {
  if (program == "tacitd") return program;
  const char* user = std::getenv("SUDO_USER");
  if (user == nullptr || *user == '\0') {
    struct passwd* pw = ::getpwuid(::geteuid());
    user = pw != nullptr ? pw->pw_name : nullptr;
  }
  return program + ":" + (user != nullptr ? user : std::to_string(::geteuid()));
}

Result<std::unique_ptr<Daemon>> Daemon::Create(asio::io_context& io, Clock& clock, FileSystem& fs,
                                               const std::string& config_path) {
  Result<Config> config = LoadConfig(config_path);
  if (!config) return config.error();
  if (Status s = fs.MakeDirs(config->daemon.state_dir); !s.ok()) return s;
  std::string status_dir = std::filesystem::path(config->daemon.status_file).parent_path().string();
  if (!status_dir.empty()) {
    if (Status s = fs.MakeDirs(status_dir); !s.ok()) return s;
  }
  std::unique_ptr<Daemon> d(new Daemon(io, clock, fs, std::move(*config)));
  const Config& cfg = d->config_;
  Result<std::unique_ptr<store::Store>> st =
      store::Store::Open(cfg.daemon.state_dir + "/tacit.db", cfg.tz);
  if (!st) return st.error();
  if (Status s = (*st)->SyncConfig(cfg, clock.Now(), "tacitd"); !s.ok()) return s;
  d->store_ = std::move(*st);
  d->PackUnits();
  return d;
}

Daemon::Daemon(asio::io_context& io, Clock& clock, FileSystem& fs, Config config)
    : io_(io),
      clock_(clock),
      fs_(fs),
      config_(std::move(config)),
      signals_(io, SIGTERM, SIGINT, SIGHUP),
      poll_timer_(io),
      deadline_timer_(io),
      status_timer_(io),
      watchdog_timer_(io),
      matcher_timer_(io),
      matcher_idle_(MatcherIdle()) {}

Daemon::~Daemon() {
  if (page_writer_.joinable()) page_writer_.join();
}

Status Daemon::Start() {
  log::Info("config {}", config_.path);
  log::Info("database {}/tacit.db, status file {}", config_.daemon.state_dir,
            config_.daemon.status_file);
  for (const Consultation& c : config_.consultations) {
    log::Info("consultation {}: deadline {}, {} units addressed", c.id,
              FormatIso(c.deadline, config_.tz), c.addressed_units.size());
  }
  // The status file first, from the store as it is; status.html and the reports of a closed
  // consultation (tens of seconds at 100,000 units) are written by the loop, right after READY=1,
  // like any later change's.
  WriteStatus(/*html_later=*/true);
  // The matcher is built when the first item comes (ingest/ingestor.h).
  ingestor_ =
      std::make_unique<ingest::Ingestor>(*store_, clock_, [this] { return BuildMatcher(); });
  ingestor_->OnMatcherBuilt([this] {
    // What the build needed and no longer does (the tables before packing,
    // a large part of its peak at 100,000 units) is freed in
    // blocks between the matcher's own: give their pages back.
    ::malloc_trim(0);
    WatchMatcher();
  });
  const std::uint64_t changes_before = changes_;
  if (config_.drop_folder) {
    sources::DropFolderOptions o;
    o.path = config_.drop_folder->path;
    o.state_dir = config_.daemon.state_dir;
    o.max_bytes = config_.drop_folder->max_bytes;
    o.tz = config_.tz;
    o.ocr_threads = config_.drop_folder->ocr_threads;
    o.ocr_min_confidence = config_.drop_folder->ocr_min_confidence;
    o.ocr_limits.timeout = config_.drop_folder->ocr_timeout;
    o.ocr_limits.max_pages = config_.drop_folder->ocr_max_pages;
    sources_.push_back(
        std::make_unique<sources::DropFolder>(io_, clock_, *ingestor_, o, [this] { MarkDirty(); }));
  }
  // PDFs (dropped, or attached to mail) and scans are read by the helper: a
  // broken installation is said now, not at the first PDF.
  if (config_.drop_folder || config_.maildir || config_.imap) {
    if (Status s = extract::helper::CheckInstalled(); !s.ok()) log::Error("{}", s.message());
  }
  if (config_.maildir) {
    sources::MaildirOptions o{config_.maildir->path, config_.daemon.state_dir, config_.tz};
    sources_.push_back(std::make_unique<sources::MaildirSource>(io_, clock_, *ingestor_, o,
                                                                [this] { MarkDirty(); }));
  }
  if (config_.imap) AddImapSource();
  for (auto& source : sources_) {
    // A source that cannot start is down, not fatal: the others go on, and a
    // deadline waits for it (up to the grace) because it cannot be drained.
    if (Status s = source->Start(); !s.ok()) log::Error("{}: {}", source->name(), s.message());
  }
  store_->database().SetBusyTimeout(kRunningBusyTimeout);
  // Watched before the version is read: a commit in between is not missed.
  WatchDatabase();
  Result<std::int64_t> v = store_->database().DataVersion();
  if (!v) return v.error();
  data_version_ = *v;
  RunDeadlines();  // a deadline missed while we were down applies now
  if (config_.smtp) {
    // After the deadlines: a reminder slot missed while we were down goes out
    // only if its deadline has not passed, and a final report is due at once.
    mailer_ = std::make_unique<mailout::Mailer>(
        io_, *store_, clock_, config_,
        ReadSecret("smtp", config_.smtp->password_file, "smtp.password"));
    mailer_->OnChange([this] { MarkDirty(); });
    mailer_->Start();
    log::Info("mail: sending through {} as {}", config_.smtp->url, config_.smtp->from_address);
  }
  // READY=1 once the status file is current: written again if starting
  // changed anything (a deadline missed while we were down, a source's state).
  if (changes_ != changes_before) WriteStatus(/*html_later=*/true);
  WaitSignals();
  PollDatabase();
  if (sd_watchdog_enabled(0, &watchdog_usec_) > 0 && watchdog_usec_ > 0) ArmWatchdog();
  Notify("READY=1\nSTATUS=" + Tracking());
  log::Notice("tacitd ready");
  return Status::Ok();
}

void Daemon::AddImapSource() {
  imap::ImapOptions o;
  o.url = config_.imap->url;
  o.username = config_.imap->username;
  o.ca_file = config_.imap->ca_file;
  o.poll_interval = std::chrono::seconds{config_.imap->poll_seconds};
  o.state_dir = config_.daemon.state_dir;
  o.ack_flag = config_.imap->ack_flag;
  o.fetch_batch = static_cast<std::size_t>(config_.imap->fetch_batch);
  o.tz = config_.tz;
  o.password = ReadSecret("imap", config_.imap->password_file, "imap.password");
  sources_.push_back(std::make_unique<imap::ImapSource>(io_, clock_, *ingestor_, store_->database(),
                                                        std::move(o), [this] { MarkDirty(); }));
}

std::string Daemon::ReadSecret(const std::string& what, const std::string& file,
                               const std::string& credential) {
  // The secret is read here and handed over in memory only; never logged.
  std::string path = file;
  const char* credentials = std::getenv("CREDENTIALS_DIRECTORY");
  if (path.empty() && credentials != nullptr) path = std::string(credentials) + "/" + credential;
  if (path.empty()) return {};
  Result<std::string> secret = fs_.ReadFile(path);
  if (!secret) {
    log::Error("{}: password_file: {}", what, secret.error().message());
    return {};
  }
  std::string out = std::move(*secret);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

std::string Daemon::Tracking() const {
  return fmt::format("tracking {} consultation(s), {} source(s)", config_.consultations.size(),
                     sources_.size());
}

void Daemon::WaitSignals() {
  signals_.async_wait([this](const boost::system::error_code& ec, int signo) {
    if (ec) return;  // cancelled: stopping
    if (signo == SIGHUP) {
      Reload();
      WaitSignals();
      return;
    }
    log::Notice("signal {}: stopping", signo);
    Stop();
  });
}

void Daemon::Stop() {
  if (stopping_) return;
  stopping_ = true;
  Notify("STOPPING=1\nSTATUS=stopping");
  signals_.cancel();
  if (db_watch_) db_watch_->Stop();
  poll_timer_.cancel();
  deadline_timer_.cancel();
  status_timer_.cancel();
  watchdog_timer_.cancel();
  matcher_timer_.cancel();
  for (auto& source : sources_) source->Stop();
  if (mailer_) mailer_->Stop();
  // A page write in progress finishes first, and what it wrote counts (its
  // stamps), so that the last write below does not redo its reports.
  if (page_writer_.joinable()) PagesWritten();
  WriteStatus();
}

void Daemon::Reload() {
  log::Notice("SIGHUP: reloading {}", config_.path);
  Notify("RELOADING=1");
  Result<Config> next = LoadConfig(config_.path);
  if (!next) {
    log::Error("reload refused, keeping the running config:\n{}", next.error().message());
    Notify("READY=1\nSTATUS=reload refused, running the previous config (see the log)");
    return;
  }
  if (next->daemon.state_dir != config_.daemon.state_dir) {
    log::Warn("daemon.state_dir changed: takes effect at the next restart");
    next->daemon.state_dir = config_.daemon.state_dir;
  }
  if (Status s = store_->SyncConfig(*next, clock_.Now(), "tacitd"); !s.ok()) {
    log::Error("reload failed, keeping the running config: {}", s.message());
    Notify("READY=1");
    return;
  }
  if (next->drop_folder.has_value() != config_.drop_folder.has_value() ||
      (next->drop_folder && next->drop_folder->path != config_.drop_folder->path)) {
    log::Warn("[drop_folder] changed: takes effect at the next restart");
  }
  if (next->maildir.has_value() != config_.maildir.has_value() ||
      (next->maildir && next->maildir->path != config_.maildir->path)) {
    log::Warn("[maildir] changed: takes effect at the next restart");
  }
  if (next->imap.has_value() != config_.imap.has_value() ||
      (next->imap &&
       (next->imap->url != config_.imap->url || next->imap->username != config_.imap->username))) {
    log::Warn("[imap] changed: takes effect at the next restart");
  }
  if (next->smtp.has_value() != config_.smtp.has_value()) {
    log::Warn("[smtp] added or removed: takes effect at the next restart");
  }
  config_ = std::move(*next);
  PackUnits();
  ingestor_->Reconfigure([this] { return BuildMatcher(); });
  if (mailer_ && config_.smtp) {
    mailer_->Reconfigure(config_, ReadSecret("smtp", config_.smtp->password_file, "smtp.password"));
  }
  log::Notice("config reloaded: {} units, {} consultation(s)", units_.size(),
              config_.consultations.size());
  RunDeadlines();
  MarkDirty();
  Notify("READY=1\nSTATUS=" + Tracking());
}

void Daemon::WatchDatabase() {
  const std::string db = config_.daemon.state_dir + "/tacit.db";
  db_watch_ = std::make_unique<DatabaseWatch>(io_, db, kWatchDebounce, [this] {
    CheckDatabase();
    // The watch was just lost (its folder went away): poll often from now on.
    if (!db_watch_->watching()) PollDatabase();
  });
  if (Status s = db_watch_->Start(); !s.ok()) {
    log::Warn("cannot watch {} for tacitctl's changes ({}): asking the database every {} ms", db,
              s.message(), kPollInterval.count());
  }
}

void Daemon::PollDatabase() {
  const bool watching = db_watch_ && db_watch_->watching();
  poll_timer_.expires_after(watching ? milliseconds{kSafetyPoll} : kPollInterval);
  poll_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopping_) return;
    CheckDatabase();
    extract::helper::ReapIdle();  // PDF/OCR helpers that left when idle
    PollDatabase();
  });
}

void Daemon::PackUnits() {
  units_ = PackedUnits(config_.units);
  std::vector<Unit>().swap(config_.units);
}

match::Matcher Daemon::BuildMatcher() const {
  // Straight from the packed units, one at a time: unpacked into a copy of
  // the config first, 100,000 units took 33 MB of the build's 221 MB peak
  // (issue 9).
  return match::Matcher(config_, units_);
}

void Daemon::WatchMatcher() {
  // Armed while a matcher exists, for when it will have been idle long
  // enough: an idle tacitd without one has no timer for it.
  matcher_timer_.expires_at(ingestor_->matcher_last_used() + matcher_idle_);
  matcher_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopping_ || !ingestor_->matcher_built()) return;
    if (!ReleaseMatcher(std::chrono::steady_clock::now(), matcher_idle_)) {
      WatchMatcher();  // used since: wait on from its last use
      return;
    }
    log::Info("matcher let go after {} s without an item",
              std::chrono::duration_cast<seconds>(matcher_idle_).count());
  });
}

bool Daemon::ReleaseMatcher(std::chrono::steady_clock::time_point now,
                            std::chrono::steady_clock::duration idle) {
  if (!ingestor_ || !ingestor_->ReleaseIdleMatcher(now, idle)) return false;
  // Its tables were many thousands of small blocks: give their pages back.
  ::malloc_trim(0);
  return true;
}

void Daemon::CheckDatabase() {
  if (stopping_) return;
  Result<std::int64_t> v = store_->database().DataVersion();
  if (!v) {
    log::Error("{}", v.error().message());
  } else if (*v != data_version_) {
    // tacitctl committed something: deadlines may have moved, counts changed.
    data_version_ = *v;
    RunDeadlines();
    MarkDirty();
  }
}

void Daemon::RunDeadlines() {
  // Before a deadline applies, every source is drained so that replies that
  // arrived in time but are not read yet still count (SPEC §2). A source that
  // cannot be drained holds the deadline back, up to the grace.
  store::DeadlineGate gate;
  gate.grace = config_.daemon.deadline_grace;
  Result<std::optional<TimePoint>> due = store_->NextDeadline();
  if (due && *due && **due <= clock_.Now()) {
    for (auto& source : sources_) {
      if (!source->Drain()) gate.unchecked_sources.push_back(source->name());
    }
    CrashPoint("deadline.before_apply");
  }
  Result<store::DeadlineReport> r = store_->ApplyDueDeadlines(clock_.Now(), gate, "tacitd");
  deadline_failed_ = !r;
  if (!r) {
    log::Error("applying deadlines: {}", r.error().message());
  } else {
    if (!r->applied.empty()) CrashPoint("deadline.after_apply");
    // Its reports are written by the status write this schedules (at once in
    // Start), like those of any closed consultation whose reports are stale.
    for (const auto& id : r->applied) log::Notice("deadline applied for {}", id);
    std::map<std::string, std::string> waiting;
    for (const auto& w : r->waiting) {
      std::string id = w.substr(0, w.find(':'));
      waiting[id] = w.substr(w.find(':') + 2);
      if (!waiting_.count(id)) {
        log::Warn("deadline held back: {}", w);
        Notify("STATUS=deadline held back: " + w);
      }
    }
    if (!r->applied.empty() || waiting != waiting_) MarkDirty();
    if (waiting.empty() && !waiting_.empty()) Notify("STATUS=" + Tracking());
    waiting_ = std::move(waiting);
  }
  ArmDeadlineTimer();
}

std::string Daemon::ReportsStamp(const std::string& id, std::int64_t last_event) const {
  // What the files in report_dir/ID/ were made from: the consultation's newest
  // event (every change to it appends one: a late reply, an assignment, an
  // exclusion) and what the config adds to them (topics, the docx's [report]).
  const Consultation* c = config_.FindConsultation(id);
  std::string config;
  if (c != nullptr) {
    for (const std::string& t : c->topics) config += t + "\n";
    const ReportHeaderConfig& h = c->report;
    auto lines = [](const std::optional<std::vector<std::string>>& v) {
      std::string out = v ? "1" : "0";
      if (v) {
        for (const std::string& x : *v) out += x + "\n";
      }
      return out;
    };
    config += fmt::format("|{}|{}|{}|{}|{}|{}|{}|{}|{}|{}", lines(h.issuing_body),
                          h.number_suffix.value_or("\x01"), h.place.value_or("\x01"),
                          h.signer_title.value_or("\x01"), h.signer_name.value_or("\x01"),
                          lines(h.recipients), c->issuer, c->signer, c->subject, c->reference);
  }
  return fmt::format("event {}\nconfig {}\n", last_event, Sha256Hex(config).substr(0, 16));
}

std::vector<std::pair<size_t, std::string>> Daemon::ClosedReportsDue(
    const std::vector<store::ConsultationState>& consultations,
    const std::map<std::string, std::int64_t>& last_events) {
  // One mechanism for every case: the deadline just applied, a crash after it
  // was applied and before the reports were written, a late reply or an
  // assignment after it, a config change. The reports of a closed consultation
  // are written when their stamp is missing or differs from what they would be
  // made from now; never merely because tacitd started.
  std::vector<std::pair<size_t, std::string>> due;
  for (size_t i = 0; i < consultations.size(); ++i) {
    const store::ConsultationState& c = consultations[i];
    if (!c.closed) continue;
    auto last = last_events.find(c.id);
    if (last == last_events.end()) continue;
    std::string stamp = ReportsStamp(c.id, last->second);
    auto known = reports_stamp_.find(c.id);
    if (known == reports_stamp_.end()) {
      // First look since start: the stamp on disk says what the files hold.
      Result<std::string> on_disk =
          fs_.ReadFile(config_.daemon.report_dir + "/" + c.id + "/" + kReportsStamp);
      if (on_disk) known = reports_stamp_.insert_or_assign(c.id, *on_disk).first;
    }
    if (known != reports_stamp_.end() && known->second == stamp) continue;
    due.emplace_back(i, std::move(stamp));
  }
  return due;
}

namespace {

// status.html and the due reports, written from data that nothing else
// touches (the page thread's own copy): no store, no config.
Status WritePageFiles(FileSystem& fs, const std::vector<reports::ReportData>& all,
                      const TimeZone& tz, const std::string& html_path,
                      const std::string& report_dir, TimePoint now,
                      const std::vector<std::pair<size_t, std::string>>& due,
                      std::vector<std::pair<std::string, std::string>>& stamps) {
  // status.html beside the status file: the report of every consultation.
  Status html = reports::WriteStatusHtml(all, tz, fs, html_path, now);
  for (const auto& [index, stamp] : due) {
    // report_dir/ID/report.{md,html,csv,json,docx} (SPEC §5), then the stamp,
    // last: a crash in between leaves no stamp (or the old one), so they are
    // written again at the next start. A failure is logged; the clerk can
    // always run `tacitctl report`.
    const reports::ReportData& data = all[index];
    const std::string& id = data.consultation.id;
    Status s = reports::WriteReports(data, tz, report_dir, fs);
    if (s.ok()) s = fs.WriteAtomic(fmt::format("{}/{}/{}", report_dir, id, kReportsStamp), stamp);
    if (!s.ok()) {
      log::Error("reports of {}: {}", id, s.message());
      continue;
    }
    log::Notice("reports of {} written to {}/{}/", id, report_dir, id);
    stamps.emplace_back(id, stamp);
  }
  return html;
}

}  // namespace

void Daemon::WritePages(std::vector<reports::ReportData> all, TimePoint now,
                        std::vector<std::pair<size_t, std::string>> due) {
  auto run = [this, all = std::move(all), due = std::move(due), now, tz = config_.tz,
              html_path = reports::StatusHtmlPath(config_.daemon.status_file),
              report_dir = config_.daemon.report_dir]() mutable {
    const auto started = std::chrono::steady_clock::now();
    PagesResult r;
    r.html = WritePageFiles(fs_, all, tz, html_path, report_dir, now, due, r.stamps);
    // Freed here, on this thread: tens of megabytes at 100,000 units.
    std::vector<reports::ReportData>().swap(all);
    r.cost = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started);
    pages_result_ = std::move(r);
  };
  if (stopping_) {
    run();
    pages_again_ = false;
    PagesWritten();
    return;
  }
  page_writer_ = std::thread([this, run = std::move(run)]() mutable {
    run();
    asio::post(io_, [this] {
      if (page_writer_.joinable()) PagesWritten();
    });
  });
}

void Daemon::PagesWritten() {
  if (page_writer_.joinable()) page_writer_.join();
  PagesResult r = std::move(pages_result_);
  pages_result_ = {};
  for (auto& [id, stamp] : r.stamps) reports_stamp_[id] = std::move(stamp);
  last_html_write_ = std::chrono::steady_clock::now();
  last_html_cost_ = r.cost;
  if (!r.html.ok()) {
    // Keep running: try again shortly (a full disk may get space back).
    log::Error("status file: {}", r.html.message());
    ScheduleStatus(kStatusRetry);
  } else if (pages_again_) {
    // Changes came while the pages were written: they are due in their turn.
    ScheduleStatus(std::max<milliseconds>(kHtmlMinInterval, 20 * last_html_cost_));
  }
  pages_again_ = false;
  // Gathering and rendering a large consultation allocates tens of megabytes
  // that glibc keeps in its heap once freed; give them back so that an idle
  // daemon stays small between changes. SQLite's page cache goes too.
  store_->database().ReleaseMemory();
  ::malloc_trim(0);
}

void Daemon::ArmDeadlineTimer() {
  if (stopping_) return;
  Result<std::optional<TimePoint>> next = store_->NextDeadline();
  seconds sleep = kMaxSleep;
  if (!next) {
    log::Error("{}", next.error().message());
  } else if (*next) {
    auto until = **next - clock_.Now();
    sleep = std::clamp<seconds>(until, seconds{0}, kMaxSleep);
    if (!waiting_.empty()) sleep = std::max<seconds>(sleep, kWaitingRetry);
    if (deadline_failed_) sleep = std::max<seconds>(sleep, kDeadlineErrorRetry);
  }
  deadline_timer_.expires_after(sleep);
  deadline_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopping_) return;
    RunDeadlines();
  });
}

void Daemon::MarkDirty() {
  ++changes_;
  // A change may make mail due or not (a reply cancels a reminder, an applied
  // deadline sends the final report).
  if (mailer_) mailer_->Poke();
  // Between the end of one write and the start of the next: at least the
  // minimum interval, and ten times what the last write cost, so that during a
  // backlog (a burst of replies into a large consultation, whose status.html
  // takes a while) at most about a tenth of the loop goes to the status file:
  // the ingest profile of a Maildir backlog had status.html as a main cost.
  auto since = std::chrono::steady_clock::now() - last_status_write_;
  auto interval = std::max<milliseconds>(kStatusMinInterval, 10 * last_status_cost_);
  auto wait = std::chrono::duration_cast<milliseconds>(interval - since);
  ScheduleStatus(std::max(wait, milliseconds{0}));
}

void Daemon::ScheduleStatus(milliseconds delay) {
  if (stopping_) return;
  const auto due = std::chrono::steady_clock::now() + delay;
  // A write already planned at or before `due` covers this change too; one
  // planned later (status.html's own spacing) is brought forward.
  if (status_scheduled_ && status_due_ <= due) return;
  status_scheduled_ = true;
  status_due_ = due;
  status_timer_.expires_after(delay);  // cancels a later wait: its handler sees the error
  status_timer_.async_wait([this](const boost::system::error_code& ec) {
    // Cancelled: WriteStatus ran directly (and cleared the flag) or we stop.
    if (ec) return;
    status_scheduled_ = false;
    if (stopping_) return;
    WriteStatus();
  });
}

void Daemon::WriteStatus(bool html_later) {
  // This write covers every change so far: a write already scheduled is not
  // needed (Start writes directly after applying a missed deadline).
  if (status_scheduled_) {
    status_timer_.cancel();
    status_scheduled_ = false;
  }
  const auto started = std::chrono::steady_clock::now();
  const TimePoint now = clock_.Now();
  // The store is read once per write and the result handed to the status file,
  // status.html and the closed consultations' reports. The newest event ids are
  // read first: the snapshot after them is at least as new, so reports stamped
  // with them never miss a change.
  std::map<std::string, std::int64_t> last_events;
  for (const Consultation& c : config_.consultations) {
    if (Result<std::int64_t> last = store_->LastEventId(c.id)) last_events[c.id] = *last;
  }
  Result<std::vector<store::ConsultationState>> cs = store_->Consultations();
  Result<std::int64_t> unmatched = store_->UnmatchedCount();
  Status s = !cs ? cs.error() : !unmatched ? unmatched.error() : Status::Ok();
  if (s.ok()) {
    s = WriteStatusFile(fs_, config_.daemon.status_file, *cs, *unmatched, now, config_.tz,
                        waiting_);
  }
  const auto html_since = started - last_html_write_;
  const auto html_interval = std::max<milliseconds>(kHtmlMinInterval, 20 * last_html_cost_);
  const bool writing_pages = page_writer_.joinable();
  bool html_due = !html_later && !writing_pages && (stopping_ || html_since >= html_interval);
  const auto html_started = std::chrono::steady_clock::now();
  // The matcher and the page data are not held together (see
  // kMatcherRestBeforePages): while items come, the page write waits for a
  // pause of that length, but not longer than kPagesWaitForMatcher from when
  // it first waited (not from the last page write: after a quiet hour the
  // first reply's page write went at once, with the matcher held, 250 MB at
  // 100,000 units).
  milliseconds matcher_rest{0};
  if (html_due && !stopping_ && ingestor_ && ingestor_->matcher_built()) {
    const auto rest = ingestor_->matcher_last_used() + kMatcherRestBeforePages - html_started;
    if (!pages_held_since_) pages_held_since_ = html_started;
    if (rest > milliseconds{0} && html_started - *pages_held_since_ < kPagesWaitForMatcher) {
      html_due = false;
      matcher_rest = std::chrono::ceil<milliseconds>(rest);
    }
  }
  if (html_due) pages_held_since_.reset();
  if (s.ok() && html_due) {
    // The report data of every consultation, gathered here (the store is the
    // loop's) once for status.html and the closed consultations' reports,
    // which the page thread then renders and writes; each reply's topic
    // grouping is kept between writes (topic_cache_).
    // The audit trail is not gathered (status.html shows none): the JSON
    // report of a consultation due reads it on the page thread, one event at a
    // time, up to the newest event now (a snapshot at least as new as the
    // replies just gathered).
    std::vector<std::pair<size_t, std::string>> due = ClosedReportsDue(*cs, last_events);
    if (ReleaseMatcher(html_started, kMatcherRestBeforePages)) {
      log::Info("matcher let go before the page write ({} s without an item)",
                std::chrono::duration_cast<seconds>(html_started - ingestor_->matcher_last_used())
                    .count());
    }
    Result<std::vector<reports::ReportData>> all =
        reports::GatherAllReports(*store_, config_, std::move(*cs), now, &topic_cache_, false);
    for (size_t i = 0; all && i < due.size(); ++i) {
      if (Status e = reports::StreamEvents(*store_, (*all)[due[i].first]); !e.ok()) all = e;
    }
    if (all) {
      topic_cache_.Sweep();
      WritePages(std::move(*all), now, std::move(due));
    } else {
      s = all.error();
      last_html_write_ = std::chrono::steady_clock::now();
    }
  }
  if (!s.ok()) {
    // Keep running: the database holds the truth; try again shortly (a full disk
    // may get space back) without flooding the log.
    log::Error("status file: {}", s.message());
    ScheduleStatus(kStatusRetry);
  }
  if (writing_pages && !html_later) {
    // The page thread's completion plans the next page write.
    pages_again_ = true;
  } else if (!html_due) {
    // Not this time: a later write brings status.html and the reports up to date.
    ScheduleStatus(html_later ? milliseconds{0}
                   : matcher_rest.count() > 0
                       ? matcher_rest
                       : std::chrono::duration_cast<milliseconds>(html_interval - html_since));
  }
  last_status_write_ = std::chrono::steady_clock::now();
  // status.html has its own spacing: only the status file's part counts here.
  last_status_cost_ = std::chrono::duration_cast<milliseconds>(html_started - started);
}

void Daemon::ArmWatchdog() {
  watchdog_timer_.expires_after(std::chrono::microseconds(watchdog_usec_ / 2));
  watchdog_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopping_) return;
    Notify("WATCHDOG=1");
    ArmWatchdog();
  });
}

}  // namespace tacit::service
