// The tacitd service: an Asio event loop on one thread that keeps the database in
// line with the config, applies deadlines when they pass, notices tacitctl's
// writes and rewrites the status file after every change.
//
// Timers only wake us: every decision is taken again from the clock and the
// persisted state (Store), so a clock jump or a missed wake-up can neither skip
// nor repeat a deadline. Signals: SIGTERM/SIGINT stop cleanly (status written,
// STOPPING=1), SIGHUP reloads the config (a bad one keeps the running config).
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>

#include "config/config.h"
#include "config/packed_units.h"
#include "core/clock.h"
#include "core/file_system.h"
#include "ingest/ingestor.h"
#include "mailout/mailer.h"
#include "reports/report.h"
#include "service/database_watch.h"
#include "sources/source.h"
#include "store/store.h"

namespace tacit::service {

class Daemon {
 public:
  // Loads the config, opens (and migrates) the database, syncs the config into
  // it. Errors are returned for main to print; nothing runs yet.
  static Result<std::unique_ptr<Daemon>> Create(boost::asio::io_context& io, Clock& clock,
                                                FileSystem& fs, const std::string& config_path);
  // Waits for a status.html/report write still running on its thread.
  ~Daemon();
  Daemon(const Daemon&) = delete;
  Daemon& operator=(const Daemon&) = delete;

  // Applies missed deadlines, writes the status file, arms timers and signals,
  // and tells systemd READY=1. Then io.run() drives everything until Stop().
  Status Start();
  // Stops intake and timers; the status file is written once more.
  void Stop();
  // Re-reads the config; a bad config is logged and the running one kept.
  void Reload();

 private:
  // Starts building the matcher from `config` on another thread.
  Daemon(boost::asio::io_context& io, Clock& clock, FileSystem& fs, Config config);

  void WaitSignals();
  void WatchDatabase();
  void PollDatabase();
  void WatchMatcher();
  // Lets the matcher go if no item used it for `idle` until `now`, and gives
  // its pages back; true if it did.
  bool ReleaseMatcher(std::chrono::steady_clock::time_point now,
                      std::chrono::steady_clock::duration idle);
  // Once SyncConfig has the units, config_ keeps them packed: only the
  // matcher needs them again (config/packed_units.h).
  void PackUnits();
  match::Matcher BuildMatcher() const;
  // Asks SQLite whether another process committed; if so, deadlines and status.
  void CheckDatabase();
  void ArmDeadlineTimer();
  void RunDeadlines();
  // What report_dir/ID/ is made from: the newest event of `id` and its config.
  std::string ReportsStamp(const std::string& id, std::int64_t last_event) const;
  // The closed consultations whose reports' stamp is missing or stale: their
  // index in `consultations` and the stamp their files are to get.
  std::vector<std::pair<size_t, std::string>> ClosedReportsDue(
      const std::vector<store::ConsultationState>& consultations,
      const std::map<std::string, std::int64_t>& last_events);
  // status.html and the due reports from report data already gathered: on the
  // page thread while running (the loop goes on: at 100,000 units these take
  // seconds to tens of seconds, longer than the watchdog allows), inline when
  // stopping. PagesWritten takes the result back on the loop.
  void WritePages(std::vector<reports::ReportData> all, TimePoint now,
                  std::vector<std::pair<size_t, std::string>> due);
  void PagesWritten();
  void MarkDirty();
  void ScheduleStatus(std::chrono::milliseconds delay);
  // The status file, and status.html with the closed consultations' reports
  // when they are due; `html_later`: not this time, right after (Start: the
  // status file before READY=1, the slower files once the loop runs).
  void WriteStatus(bool html_later = false);
  void ArmWatchdog();
  void AddImapSource();
  // A secret from `file`, or else the systemd credential `credential`; "" if neither.
  std::string ReadSecret(const std::string& what, const std::string& file,
                         const std::string& credential);
  std::string Tracking() const;  // the STATUS= line while all is well

  boost::asio::io_context& io_;
  Clock& clock_;
  FileSystem& fs_;
  Config config_;  // without its units after Create: see units_
  PackedUnits units_;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<ingest::Ingestor> ingestor_;  // builds the matcher at the first item
  std::vector<std::unique_ptr<sources::Source>> sources_;
  std::unique_ptr<mailout::Mailer> mailer_;
  boost::asio::signal_set signals_;
  std::unique_ptr<DatabaseWatch> db_watch_;  // null or not watching(): poll often
  boost::asio::steady_timer poll_timer_;
  boost::asio::steady_timer deadline_timer_;
  boost::asio::steady_timer status_timer_;
  boost::asio::steady_timer watchdog_timer_;
  boost::asio::steady_timer matcher_timer_;  // lets an idle matcher go
  std::chrono::steady_clock::duration matcher_idle_;
  std::int64_t data_version_ = -1;
  bool status_scheduled_ = false;
  std::uint64_t changes_ = 0;                                  // MarkDirty calls so far
  std::chrono::steady_clock::time_point last_status_write_{};  // when the last write ended
  std::chrono::milliseconds last_status_cost_{0};              // how long it took
  std::chrono::steady_clock::time_point status_due_{};         // when the scheduled write runs
  // The same for status.html and the closed consultations' reports, which are
  // not rewritten with every status file (see kHtmlMinInterval).
  std::chrono::steady_clock::time_point last_html_write_{};
  // Since when a due page write has waited for the matcher to rest
  // (kPagesWaitForMatcher); unset while none waits.
  std::optional<std::chrono::steady_clock::time_point> pages_held_since_;
  std::chrono::milliseconds last_html_cost_{0};
  bool stopping_ = false;
  std::map<std::string, std::string> waiting_;  // consultation id -> why not applied yet
  bool deadline_failed_ = false;                // the last ApplyDueDeadlines failed: retry later
  // Closed consultation id -> the stamp of its files in report_dir (as written
  // or as read from disk since start).
  std::map<std::string, std::string> reports_stamp_;
  // The topic grouping of every reply, kept between status writes.
  reports::TopicCache topic_cache_;
  // What the page thread wrote; read by the loop after joining it.
  struct PagesResult {
    Status html = Status::Ok();
    std::vector<std::pair<std::string, std::string>> stamps;  // consultation id -> stamp written
    std::chrono::milliseconds cost{0};
  };
  std::thread page_writer_;  // joinable: a page write started and not taken back yet
  PagesResult pages_result_;
  bool pages_again_ = false;  // a write was due while the page thread ran
  std::uint64_t watchdog_usec_ = 0;
};

// "tacitd", or "tacitctl:USER" for the person running the CLI.
std::string ActorName(const std::string& program);

}  // namespace tacit::service
