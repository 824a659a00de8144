#include "service/daemon.h"

#include <algorithm>
#include <csignal>
#include <filesystem>

#include <fmt/format.h>
#include <pwd.h>
#include <systemd/sd-daemon.h>
#include <unistd.h>

#include "core/crash_point.h"
#include "core/log.h"
#include "imap/imap_source.h"
#include "reports/report.h"
#include "service/status_file.h"
#include "sources/drop_folder.h"
#include "sources/maildir.h"

namespace tacit::service {
namespace asio = boost::asio;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

// How often the database is asked whether tacitctl changed it (SPEC §6: noticed
// within a second).
constexpr milliseconds kPollInterval{250};
// Status-file rewrites: the first change after a quiet spell is written at
// once (on the next turn of the loop, so one handler's changes make one write);
// after that at most one write per interval, so a burst of 1,000 files makes
// ten writes a second, not a thousand. When a write itself is slow (thousands
// of replies on status.html), the interval grows to ten times its cost, so at
// most about a tenth of the loop goes to the status file during a backlog.
constexpr milliseconds kStatusMinInterval{100};
constexpr milliseconds kStatusRetry{5000};
// The deadline timer never sleeps longer than this, so a wall-clock jump is
// noticed within a minute.
constexpr seconds kMaxSleep{60};
// While a passed deadline waits for an unreachable source, look again this often.
constexpr seconds kWaitingRetry{30};

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
  Result<std::unique_ptr<store::Store>> st =
      store::Store::Open(config->daemon.state_dir + "/tacit.db", config->tz);
  if (!st) return st.error();
  if (Status s = (*st)->SyncConfig(*config, clock.Now(), "tacitd"); !s.ok()) return s;
  return std::unique_ptr<Daemon>(new Daemon(io, clock, fs, std::move(*config), std::move(*st)));
}

Daemon::Daemon(asio::io_context& io, Clock& clock, FileSystem& fs, Config config,
               std::unique_ptr<store::Store> store)
    : io_(io),
      clock_(clock),
      fs_(fs),
      config_(std::move(config)),
      store_(std::move(store)),
      signals_(io, SIGTERM, SIGINT, SIGHUP),
      poll_timer_(io),
      deadline_timer_(io),
      status_timer_(io),
      watchdog_timer_(io) {}

Status Daemon::Start() {
  log::Info("config {}", config_.path);
  log::Info("database {}/tacit.db, status file {}", config_.daemon.state_dir,
            config_.daemon.status_file);
  for (const Consultation& c : config_.consultations) {
    log::Info("consultation {}: deadline {}, {} units addressed", c.id,
              FormatIso(c.deadline, config_.tz), c.addressed_units.size());
  }
  ingestor_ = std::make_unique<ingest::Ingestor>(*store_, clock_, config_);
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
  Result<std::int64_t> v = store_->database().DataVersion();
  if (!v) return v.error();
  data_version_ = *v;
  RunDeadlines();  // a deadline missed while we were down applies now
  WriteMissingFinalReports();
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
  WriteStatus();
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
  poll_timer_.cancel();
  deadline_timer_.cancel();
  status_timer_.cancel();
  watchdog_timer_.cancel();
  for (auto& source : sources_) source->Stop();
  if (mailer_) mailer_->Stop();
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
  ingestor_->Reconfigure(config_);
  if (mailer_ && config_.smtp) {
    mailer_->Reconfigure(config_, ReadSecret("smtp", config_.smtp->password_file, "smtp.password"));
  }
  log::Notice("config reloaded: {} units, {} consultation(s)", config_.units.size(),
              config_.consultations.size());
  RunDeadlines();
  MarkDirty();
  Notify("READY=1\nSTATUS=" + Tracking());
}

void Daemon::PollDatabase() {
  poll_timer_.expires_after(kPollInterval);
  poll_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopping_) return;
    Result<std::int64_t> v = store_->database().DataVersion();
    if (!v) {
      log::Error("{}", v.error().message());
    } else if (*v != data_version_) {
      // tacitctl committed something: deadlines may have moved, counts changed.
      data_version_ = *v;
      RunDeadlines();
      MarkDirty();
    }
    PollDatabase();
  });
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
  if (!r) {
    log::Error("applying deadlines: {}", r.error().message());
  } else {
    if (!r->applied.empty()) CrashPoint("deadline.after_apply");
    for (const auto& id : r->applied) {
      log::Notice("deadline applied for {}", id);
      WriteFinalReports(id);
    }
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

void Daemon::WriteMissingFinalReports() {
  // A crash after a deadline was applied (committed) and before its reports
  // were written would leave them missing for good: write them now. report.json
  // is written last, so its presence means all four are there.
  Result<std::vector<store::ConsultationState>> all = store_->Consultations();
  if (!all) {
    log::Error("final reports: {}", all.error().message());
    return;
  }
  for (const store::ConsultationState& c : *all) {
    std::error_code ec;
    const std::string json = config_.daemon.report_dir + "/" + c.id + "/report.json";
    if (c.closed && !std::filesystem::exists(json, ec)) WriteFinalReports(c.id);
  }
}

void Daemon::WriteFinalReports(const std::string& id) {
  // report_dir/ID/report.{md,html,csv,json} (SPEC §5). A failure is logged; the
  // clerk can always run `tacitctl report`.
  const Consultation* c = config_.FindConsultation(id);
  if (c == nullptr) return;
  Result<std::int64_t> last = store_->LastEventId(id);
  Result<reports::ReportData> data = reports::GatherReport(*store_, *c, config_.tz, clock_.Now());
  Status s = data ? reports::WriteReports(*data, config_.tz, config_.daemon.report_dir, fs_)
                  : data.error();
  if (!s.ok()) {
    log::Error("reports of {}: {}", id, s.message());
  } else {
    log::Notice("reports of {} written to {}/{}/", id, config_.daemon.report_dir, id);
    if (last) reports_event_[id] = *last;
  }
}

void Daemon::RefreshClosedReports() {
  // A late reply, an assignment or an exclusion after the deadline changes what
  // the signed report would say: rewrite report_dir/ID/ when the consultation's
  // event log has grown since the files were written (once per start otherwise).
  Result<std::vector<store::ConsultationState>> cs = store_->Consultations();
  if (!cs) return;
  for (const store::ConsultationState& c : *cs) {
    if (!c.closed) continue;
    Result<std::int64_t> last = store_->LastEventId(c.id);
    if (!last) continue;
    auto it = reports_event_.find(c.id);
    if (it != reports_event_.end() && it->second == *last) continue;
    WriteFinalReports(c.id);
  }
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
  }
  deadline_timer_.expires_after(sleep);
  deadline_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopping_) return;
    RunDeadlines();
  });
}

void Daemon::MarkDirty() {
  // A change may make mail due or not (a reply cancels a reminder, an applied
  // deadline sends the final report).
  if (mailer_) mailer_->Poke();
  auto since = std::chrono::steady_clock::now() - last_status_write_;
  auto interval =
      std::max<std::chrono::steady_clock::duration>(kStatusMinInterval, 10 * last_status_cost_);
  auto wait = std::chrono::duration_cast<milliseconds>(interval - since);
  ScheduleStatus(std::max(wait, milliseconds{0}));
}

void Daemon::ScheduleStatus(milliseconds delay) {
  if (status_scheduled_ || stopping_) return;
  status_scheduled_ = true;
  status_timer_.expires_after(delay);
  status_timer_.async_wait([this](const boost::system::error_code& ec) {
    status_scheduled_ = false;
    if (ec || stopping_) return;
    WriteStatus();
  });
}

void Daemon::WriteStatus() {
  const auto start = std::chrono::steady_clock::now();
  Status s =
      WriteStatusFile(*store_, fs_, config_.daemon.status_file, clock_.Now(), config_.tz, waiting_);
  if (s.ok()) {
    // status.html beside it: the report of every consultation, for a browser.
    s = reports::WriteStatusHtml(*store_, config_, fs_,
                                 reports::StatusHtmlPath(config_.daemon.status_file), clock_.Now());
  }
  if (!s.ok()) {
    // Keep running: the database holds the truth; try again shortly (a full disk
    // may get space back) without flooding the log.
    log::Error("status file: {}", s.message());
    ScheduleStatus(kStatusRetry);
  }
  RefreshClosedReports();
  last_status_write_ = std::chrono::steady_clock::now();
  last_status_cost_ = last_status_write_ - start;
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
