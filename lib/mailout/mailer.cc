#include "mailout/mailer.h"

#include <algorithm>

#include <fmt/format.h>
#include <unistd.h>

#include "core/crash_point.h"
#include "core/log.h"
#include "mailout/planner.h"

namespace tacit::mailout {

using std::chrono::seconds;
using std::chrono::steady_clock;

namespace {

constexpr seconds kIdleRecheck{60};
constexpr const char* kActor = "tacitd";

std::string JoinAddresses(const std::vector<std::string>& list) {
  std::string out;
  for (const std::string& a : list) out += (out.empty() ? "" : ", ") + a;
  return out;
}

}  // namespace

Mailer::Mailer(boost::asio::io_context& io, store::Store& store, const Clock& clock,
               const Config& config, std::string password)
    : io_(io),
      store_(store),
      clock_(clock),
      config_(config),
      password_(std::move(password)),
      timer_(io),
      jitter_(static_cast<unsigned>(::getpid())),
      alive_(std::make_shared<bool>(true)) {}

Mailer::~Mailer() {
  *alive_ = false;
  timer_.cancel();
}

void Mailer::Start() {
  running_ = true;
  Schedule(std::chrono::milliseconds(0));
}

void Mailer::Stop() {
  running_ = false;
  timer_.cancel();
}

void Mailer::Reconfigure(const Config& config, std::string password) {
  config_ = config;
  password_ = std::move(password);
  Poke();
}

void Mailer::Poke() {
  if (!running_ || sending_) return;
  // Coalesce a burst of changes, but never push a close tick further away.
  const auto soon = steady_clock::now() + std::chrono::milliseconds(50);
  if (armed_ && timer_.expiry() <= soon) return;
  Schedule(std::chrono::milliseconds(50));
}

void Mailer::Schedule(steady_clock::duration in) {
  timer_.expires_after(in);
  armed_ = true;
  timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    if (ec || !*alive) return;
    armed_ = false;
    if (!running_) return;
    Tick();
  });
}

seconds Mailer::Backoff(int attempts) {
  const SmtpConfig& s = *config_.smtp;
  seconds d = s.retry_initial;
  for (int i = 1; i < attempts && d < s.retry_max; ++i) d *= 2;
  d = std::min(d, s.retry_max);
  // Up to +20% so that many failed messages do not all come back at once.
  auto extra = static_cast<long long>(jitter_() % 1000) * d.count() / 5000;
  return d + seconds{extra};
}

void Mailer::Tick() {
  if (!running_ || sending_ || !config_.smtp) return;
  const TimePoint now = clock_.Now();
  Result<std::vector<store::PlannedMessage>> plan = PlanDue(config_, *config_.smtp, store_, now);
  if (!plan) {
    log::Error("mail: cannot plan: {}", plan.error().message());
  } else if (!plan->empty()) {
    Result<int> n = store_.PlanMessages(*plan, now, kActor);
    if (!n) {
      log::Error("mail: cannot write the outbox: {}", n.error().message());
    } else if (*n > 0) {
      CrashPoint("mail.after_plan");
      stats_.planned += *n;
      log::Info("mail: {} message(s) planned", *n);
      if (on_change_) on_change_();
    }
  }
  SendNext();
}

void Mailer::SendNext() {
  if (!running_ || sending_) return;
  const TimePoint now = clock_.Now();
  Result<std::optional<store::OutboxRow>> next = store_.NextOutgoing(now);
  if (!next) {
    log::Error("mail: cannot read the outbox: {}", next.error().message());
    Schedule(seconds{30});
    return;
  }
  if (!*next) {
    // Nothing due: wake for the next planned slot, retry or digest.
    std::optional<TimePoint> wake;
    if (Result<std::optional<TimePoint>> a = store_.NextOutgoingAt(); a && *a) wake = **a;
    if (Result<std::optional<TimePoint>> b = NextPlanAt(config_, store_, now); b && *b) {
      if (!wake || **b < *wake) wake = **b;
    }
    seconds in = kIdleRecheck;
    if (wake) in = std::clamp(std::chrono::duration_cast<seconds>(*wake - now), seconds{0}, in);
    Schedule(in + std::chrono::milliseconds(100));
    return;
  }
  store::OutboxRow row = std::move(**next);
  // Rate limit: at most rate_per_minute messages in any minute.
  const auto mono = steady_clock::now();
  while (!recent_.empty() && mono - recent_.front() >= std::chrono::minutes(1)) recent_.pop_front();
  if (static_cast<int>(recent_.size()) >= config_.smtp->rate_per_minute) {
    Schedule(recent_.front() + std::chrono::minutes(1) - mono);
    return;
  }
  // A reminder goes only to a unit still pending, and only before its deadline.
  if (row.kind == "reminder") {
    // One query for both: the unit's row, not the whole consultation's state.
    Result<store::Store::ReminderCheck> check =
        store_.CheckReminder(row.consultation_id, row.unit_code);
    const bool pending = check && check->pending;
    const std::optional<TimePoint> deadline = check ? check->deadline : std::nullopt;
    std::string why;
    if (check && !pending) why = "the unit is no longer pending";
    if (!deadline || now >= *deadline) why = "the deadline has passed";
    if (!why.empty()) {
      if (Status s = store_.Cancel(row.id, why); !s.ok()) {
        log::Error("mail: {}", s.message());
      }
      ++stats_.cancelled;
      log::Info("mail: reminder {} to {} not sent: {}", row.slot, row.unit_code, why);
      boost::asio::post(io_, [this, alive = alive_] {
        if (*alive) SendNext();
      });
      return;
    }
  }
  if (Status s = store_.MarkSending(row.id, now); !s.ok()) {
    log::Error("mail: {}", s.message());
    Schedule(seconds{5});
    return;
  }
  CrashPoint("mail.after_mark_sending");
  recent_.push_back(mono);
  sending_ = true;
  smtp::ClientOptions options;
  options.url = config_.smtp->url;
  options.username = config_.smtp->username;
  options.password = password_;
  options.ca_file = config_.smtp->ca_file;
  options.timeout = config_.smtp->timeout;
  smtp::Envelope envelope{config_.smtp->from_address, row.recipients};
  std::string data = row.message;
  smtp::AsyncSend(io_, std::move(options), std::move(envelope), std::move(data),
                  [this, alive = alive_, row = std::move(row)](smtp::SendResult r) {
                    if (!*alive) return;
                    sending_ = false;
                    Finish(row, r);
                    if (running_) SendNext();
                  });
}

void Mailer::Finish(const store::OutboxRow& row, const smtp::SendResult& r) {
  const TimePoint now = clock_.Now();
  const std::string what =
      fmt::format("{} {} {} to {}", row.kind, row.consultation_id,
                  row.unit_code.empty() ? row.slot : row.unit_code + " " + row.slot,
                  JoinAddresses(row.recipients));
  Status s = Status::Ok();
  switch (r.outcome) {
    case smtp::Outcome::kSent: {
      std::vector<std::pair<std::string, std::string>> rejected;
      for (const smtp::RecipientResult& x : r.rejected) {
        rejected.emplace_back(x.address, fmt::format("{} {}", x.code, x.text));
      }
      CrashPoint("mail.after_smtp_ok");
      s = store_.MarkSent(row.id, now, rejected, kActor);
      if (s.ok()) CrashPoint("mail.after_mark_sent");
      ++stats_.sent;
      log::Info("mail: sent {} <{}>", what, row.message_id);
      for (const auto& [addr, why] : rejected) log::Warn("mail: {} refused: {}", addr, why);
      break;
    }
    case smtp::Outcome::kTransient: {
      seconds wait = Backoff(row.attempts + 1);
      s = store_.MarkRetry(row.id, now + wait, r.message);
      ++stats_.retried;
      log::Warn("mail: {} not sent ({}); retry in {} s", what, r.message, wait.count());
      break;
    }
    case smtp::Outcome::kPermanent: {
      // A refusal of our account, sender or session (535 to AUTH, 5xx to MAIL FROM,
      // EHLO or STARTTLS) says
      // nothing about the recipients: the office must fix the config; the
      // message waits (retry_max) instead of failing the units' addresses.
      // Only refusals of recipients (RCPT) or of the message (DATA) fail it.
      if (!r.message_refused) {
        s = store_.MarkRetry(row.id, now + config_.smtp->retry_max, r.message);
        ++stats_.retried;
        log::Error("mail: the server refuses our account or sender ({}); fix [smtp]; {} waits",
                   r.message, what);
        break;
      }
      s = store_.MarkFailed(row.id, now, r.message, kActor);
      ++stats_.failed;
      log::Error("mail: {} failed for good: {}", what, r.message);
      break;
    }
  }
  if (!s.ok()) log::Error("mail: cannot record the outcome of {}: {}", what, s.message());
  if (on_change_) on_change_();
}

}  // namespace tacit::mailout
