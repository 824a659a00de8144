// Store: every change tacit makes to its state, each in one write transaction
// that also appends its events (SPEC §1 event log, §2 deadline rules, §8).
//
// Both tacitd and tacitctl use it on the same database file at the same time;
// BEGIN IMMEDIATE plus a busy timeout serialises them. Decisions (late or not,
// what silence becomes) come from domain/deadline.h; this class makes them
// durable. Not thread-safe: one Store per thread.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/config.h"
#include "core/clock.h"
#include "core/status.h"
#include "domain/dates.h"
#include "domain/types.h"
#include "store/database.h"

namespace tacit::store {

// A reply as a source (or the clerk) hands it in.
struct NewReply {
  std::optional<std::string> consultation_id;  // both empty: unmatched
  std::optional<std::string> unit_code;
  Channel channel = Channel::kManual;
  TimePoint received_at;  // when our side got it (SPEC §2)
  std::string sender;
  std::string subject;
  std::optional<std::string> message_id;
  std::string date_header;  // kept, never decides lateness
  std::string text;
  Stance stance = Stance::kUnknown;
  std::string match_rule;                // which rule attributed it
  std::string content_hash;              // dedupe key; required
  std::string source_ref;                // where it came from (file, UID, ...)
  std::optional<double> ocr_confidence;  // set for a scan read by OCR (0-100)
  bool needs_check = false;              // "cần kiểm tra": OCR confidence too low
};

struct RecordOutcome {
  std::int64_t reply_id = 0;
  bool duplicate = false;           // already recorded: reply_id is the earlier one
  std::string existing_source_ref;  // for a duplicate: the earlier reply's source_ref
  bool late = false;
};

// What stops a due deadline from being applied (SPEC §2): sources that could
// not be drained. Empty: every source is drained.
struct DeadlineGate {
  std::vector<std::string> unchecked_sources;
  std::chrono::seconds grace{24 * 3600};
};

struct DeadlineReport {
  std::vector<std::string> applied;  // consultation ids closed now
  std::vector<std::string> waiting;  // "ID: waiting for SOURCE (until ...)"
};

// The members are ordered so that no padding is left between them: 224 bytes
// (100,000 units are held twice while tacitd writes its pages, issue 9).
struct UnitState {
  std::string code, name, group;
  std::optional<TimePoint> replied_at;
  std::optional<TimePoint> unit_deadline;     // set only when extended for this unit
  std::vector<std::string> failed_addresses;  // addresses a notice could not reach
  std::string excluded_reason;
  // The unit's addresses as units.csv has them (synced by SyncConfig): read
  // only when Consultations is asked for them (the reminders'); tacitd keeps
  // no unit list of its own between matcher builds (config/packed_units.h).
  std::vector<std::string> emails;
  int replies = 0;
  int reminders_sent = 0;
  UnitStatus status = UnitStatus::kPending;
  std::optional<Stance> stance;
  std::optional<Channel> channel;
  bool late_reply = false;
  bool notice_failed = false;  // every address of the unit failed
  bool needs_check = false;    // the reply that speaks for the unit is to be checked
};
static_assert(sizeof(UnitState) <= 224, "UnitState has grown: see its comment");

struct ConsultationState {
  std::string id, reference, subject, issuer, signer;
  SilenceMeans silence_means = SilenceMeans::kConsent;
  TimePoint deadline;
  bool closed = false;
  std::optional<TimePoint> closed_at;
  std::vector<UnitState> units;  // in units.csv order
};

struct ReplyRow {
  std::int64_t id = 0;
  std::optional<std::string> consultation_id, unit_code;
  Channel channel = Channel::kManual;
  TimePoint received_at, recorded_at;
  std::string sender, subject, text, match_rule, source_ref, actor;
  Stance stance = Stance::kUnknown;
  bool late = false;
  std::optional<double> ocr_confidence;
  bool needs_check = false;
};

struct EventRow {
  std::int64_t id = 0;
  TimePoint at, effective_at;
  std::string consultation_id, unit_code, kind, detail, actor;
  std::optional<std::int64_t> reply_id;
};

// The audit trail of consultation `id` up to event `through`, oldest first,
// handed to `each` one at a time, read by a read-only connection of its own
// to the database at `path` (which a Store has opened): for another thread
// than the Store's, without holding the whole trail (the daemon's page thread
// writes the JSON report of 300,000 events this way, issue 9). kIo on a
// SQLite error; what `each` was given before it stays given.
Status EachEvent(const std::string& path, const std::string& id, std::int64_t through,
                 const std::function<void(EventRow&)>& each);

// Mail tacit sends (issue 6): one row per message, planned (committed) before
// it is sent, marked sent after the server's 250. kind: "reminder" (unit_code
// set, slot = the slot's key), "digest" (slot = local date), "report" (slot =
// the applied deadline).
enum class OutboxState { kPlanned, kSending, kSent, kFailed, kCancelled, kSkipped };
std::string_view ToString(OutboxState s);

struct PlannedMessage {
  std::string kind, consultation_id, unit_code, slot, message_id;
  std::vector<std::string> recipients;
  std::string subject;
  std::string message;  // the whole RFC 5322 message
  TimePoint due_at;
  // Recorded as skipped, never sent: a slot missed while tacitd was down when a
  // later slot is also due (one reminder, not a burst).
  bool skipped = false;
};

struct OutboxRow {
  std::int64_t id = 0;
  std::string kind, consultation_id, unit_code, slot, message_id;
  std::vector<std::string> recipients;
  std::string subject, message;
  OutboxState state = OutboxState::kPlanned;
  TimePoint due_at, planned_at, next_attempt_at;
  int attempts = 0;
  std::string last_error;
  std::optional<TimePoint> sent_at;
};

struct FailedAddress {
  std::string consultation_id, unit_code, address, reason;
  TimePoint failed_at;
};

class Store {
 public:
  // Opens the database at `path`; `tz` is used for dates written in events.
  static Result<std::unique_ptr<Store>> Open(const std::string& path, const TimeZone& tz);

  // Brings units, consultations and addressees in line with the config. Changes
  // nothing (and logs no event) when they already agree, so a restart is silent.
  // A changed deadline in a .toml counts as an extension by "config".
  Status SyncConfig(const Config& config, TimePoint now, const std::string& actor);

  // Records a reply once (same content hash or Message-ID: duplicate, nothing
  // written) and moves the unit's status per SPEC §1. A matched reply must name a
  // unit the consultation addresses (else kBadInput).
  Result<RecordOutcome> RecordReply(const NewReply& reply, TimePoint now, const std::string& actor);
  // Records several replies in ONE write transaction (one fsync for the group
  // instead of one per reply: the mail sources' throughput, issue 5). Each
  // reply is handled exactly as RecordReply would, in order, so a later one
  // sees an earlier one (a duplicate within the group is a duplicate). A reply
  // that cannot be recorded gets its own error and is left out (savepoint);
  // the others are committed. An error of the transaction itself (busy, I/O,
  // full, corrupt) is returned for the whole group: nothing was committed.
  Result<std::vector<Result<RecordOutcome>>> RecordReplies(const std::vector<NewReply>& replies,
                                                           TimePoint now, const std::string& actor);

  // Applies every deadline that has passed at `now` and is not yet applied: all
  // still-pending units become deemed_consent / no_response in one transaction,
  // stamped with the deadline. Runs once per deadline whatever the clock does
  // (the closed state is persisted). Waits while `gate` lists unchecked sources,
  // up to the grace; after that it applies and the event names them.
  Result<DeadlineReport> ApplyDueDeadlines(TimePoint now, const DeadlineGate& gate,
                                           const std::string& actor);

  // Moves a consultation's deadline (or one unit's). Reopens what the old
  // deadline closed when the new one is ahead; refuses a deadline already past.
  Status Extend(const std::string& id, TimePoint new_deadline,
                const std::optional<std::string>& unit, TimePoint now, const std::string& actor);

  // Takes a unit out of a consultation, keeping what it sent.
  Status Exclude(const std::string& id, const std::string& unit, const std::string& reason,
                 TimePoint now, const std::string& actor);

  // Reads. `id` empty: every active consultation. `with_emails`: fill
  // UnitState::emails.
  Result<std::vector<ConsultationState>> Consultations(const std::string& id = {},
                                                       bool with_emails = false);
  Result<std::vector<ReplyRow>> Replies(const std::string& id, const std::string& unit = {});
  // The same replies (every unit's), oldest first, handed to `each` one at a
  // time in one row that is reused: for a caller that keeps less of each
  // (the reports, issue 9: 200,000 rows of ReplyRow are 65 MB). `count`, when
  // set, is told first how many there will be.
  Status EachReply(const std::string& id, const std::function<void(std::size_t)>& count,
                   const std::function<void(const ReplyRow&)>& each);
  Result<std::vector<EventRow>> Events(const std::string& id);
  Result<std::int64_t> UnmatchedCount();
  // Ids of active consultations whose deadline is not applied yet.
  Result<std::vector<std::string>> OpenConsultationIds();
  // Replies no rule could attribute, oldest first (SPEC §3: kept and shown).
  Result<std::vector<ReplyRow>> Unmatched();
  // The same, one at a time as EachReply.
  Status EachUnmatched(const std::function<void(const ReplyRow&)>& each);
  // Attributes an unmatched reply to (consultation, unit), as if it had matched:
  // the unit's status follows the reply's received time. kNotFound for an
  // unknown reply; kBadInput when it is already attributed or the unit is not
  // addressed.
  Status Assign(std::int64_t reply_id, const std::string& consultation_id,
                const std::string& unit_code, TimePoint now, const std::string& actor);
  // --- Outbox (issue 6) ---
  // Inserts the messages not yet in the outbox (same kind, consultation, unit
  // and slot: left alone). A reminder whose unit is no longer pending, or whose
  // consultation is closed, is not inserted. Returns how many were inserted.
  Result<int> PlanMessages(const std::vector<PlannedMessage>& messages, TimePoint now,
                           const std::string& actor);
  // "kind|unit|slot" of every row of a consultation, whatever its state.
  Result<std::set<std::string>> OutboxKeys(const std::string& consultation_id);
  // The next planned or sending row due at `now` (oldest first), if any.
  Result<std::optional<OutboxRow>> NextOutgoing(TimePoint now);
  // The earliest next_attempt_at of a planned or sending row.
  Result<std::optional<TimePoint>> NextOutgoingAt();
  // Before the SMTP transaction: state sending, attempts + 1 (committed, so a
  // crash mid-send resends the same message with the same Message-ID).
  Status MarkSending(std::int64_t id, TimePoint now);
  // After the server's 250: state sent; a reminder adds the event
  // "reminder_sent". `rejected` are recipients refused with 5xx (addresses failed).
  Status MarkSent(std::int64_t id, TimePoint now,
                  const std::vector<std::pair<std::string, std::string>>& rejected,
                  const std::string& actor);
  // 4xx, a timeout or a server down: back to planned, tried again at `next`.
  Status MarkRetry(std::int64_t id, TimePoint next, const std::string& error);
  // 5xx for the whole message: failed; every recipient's address is failed.
  Status MarkFailed(std::int64_t id, TimePoint now, const std::string& error,
                    const std::string& actor);
  // Not sent after all (the unit replied, the deadline passed): cancelled.
  Status Cancel(std::int64_t id, const std::string& why);
  // A delivery report (bounce) of a message tacit sent: the address failed.
  Status RecordBounce(const std::string& message_id, const std::string& address,
                      const std::string& reason, TimePoint now, const std::string& actor);
  // Who a Message-ID tacit sent was for (reminders only); nullopt if not ours.
  Result<std::optional<std::pair<std::string, std::string>>> FindSent(
      const std::string& message_id);
  // A consultation's outbox ("" = all), oldest first.
  Result<std::vector<OutboxRow>> Outbox(const std::string& consultation_id);
  Result<std::vector<FailedAddress>> FailedAddresses(const std::string& consultation_id);
  // Whether the unit is still pending (addressed, active, not replied, its
  // consultation open) and its effective deadline (its own, else the
  // consultation's; none when the unit is not addressed): what a reminder is
  // checked against just before it is sent, in one query.
  struct ReminderCheck {
    bool pending = false;
    std::optional<TimePoint> deadline;
  };
  Result<ReminderCheck> CheckReminder(const std::string& consultation_id,
                                      const std::string& unit_code);

  // The id of the consultation's newest event (0 if none): every change to it
  // appends one, so a different value means the reports are out of date.
  Result<std::int64_t> LastEventId(const std::string& consultation_id);

  // The earliest instant at which ApplyDueDeadlines would have work; none if none.
  Result<std::optional<TimePoint>> NextDeadline();

  Database& database() { return *db_; }

 private:
  Store(std::unique_ptr<Database> db, const TimeZone& tz) : db_(std::move(db)), tz_(tz) {}

  std::unique_ptr<Database> db_;
  TimeZone tz_;
};

}  // namespace tacit::store
