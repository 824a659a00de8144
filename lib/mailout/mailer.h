// The mail-out loop of tacitd (issue 6): plans what is due into the outbox,
// then sends the outbox one message at a time over SMTP, on the daemon's
// io_context with asynchronous I/O (a slow server never blocks ingestion).
//
// Per message: re-check (a reminder whose unit replied or whose deadline passed
// is cancelled), mark sending (committed), SMTP transaction, then mark sent
// (after the server's 250), retry later (4xx, timeouts, server down: backoff
// doubling from smtp.retry_initial up to smtp.retry_max, with jitter) or failed
// (5xx: the addresses are failed, no retry). At most smtp.rate_per_minute
// messages go out per minute.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <random>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include "config/config.h"
#include "core/clock.h"
#include "smtp/smtp_client.h"
#include "store/store.h"

namespace tacit::mailout {

class Mailer {
 public:
  // `password` already read (from smtp.password_file or the systemd credential).
  Mailer(boost::asio::io_context& io, store::Store& store, const Clock& clock, const Config& config,
         std::string password);
  ~Mailer();
  Mailer(const Mailer&) = delete;
  Mailer& operator=(const Mailer&) = delete;

  void Start();
  void Stop();
  // The config changed (SIGHUP); takes effect for the next message.
  void Reconfigure(const Config& config, std::string password);
  // Something changed (a reply, a deadline applied, tacitctl): plan again soon.
  void Poke();
  // Called after every change the mailer commits (for the status file).
  void OnChange(std::function<void()> f) { on_change_ = std::move(f); }

  struct Stats {
    int sent = 0, retried = 0, failed = 0, cancelled = 0, planned = 0;
  };
  const Stats& stats() const { return stats_; }

 private:
  void Schedule(std::chrono::steady_clock::duration in);
  void Tick();
  void SendNext();
  void Finish(const store::OutboxRow& row, const smtp::SendResult& r);
  std::chrono::seconds Backoff(int attempts);

  boost::asio::io_context& io_;
  store::Store& store_;
  const Clock& clock_;
  Config config_;
  std::string password_;
  boost::asio::steady_timer timer_;
  bool running_ = false;
  bool sending_ = false;
  bool armed_ = false;                                        // a tick is scheduled on timer_
  std::deque<std::chrono::steady_clock::time_point> recent_;  // send times in the last minute
  std::minstd_rand jitter_;
  std::function<void()> on_change_;
  Stats stats_;
  std::shared_ptr<bool> alive_;
};

}  // namespace tacit::mailout
