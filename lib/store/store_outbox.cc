// Store: the outbox of mail tacit sends (issue 6) and failed addresses.
//
// The outbox is what makes "each (consultation, unit, slot) at most once"
// hold across crashes: a message is a committed row before any byte goes to
// the SMTP server (UNIQUE(kind, consultation, unit, slot) refuses a second
// plan), it is marked sending (committed) just before the transaction and sent
// after the server's 250. A crash between those two leaves it sending; the
// next start sends it again with the same Message-ID, so a duplicate, if the
// first copy did arrive, is recognisable as the same message.
#include <fmt/format.h>
#include <strings.h>

#include "store/event_log.h"
#include "store/lists.h"
#include "store/sql_time.h"
#include "store/store.h"

namespace tacit::store {
namespace {

using SQLite::Statement;

OutboxState ParseState(const std::string& s) {
  if (s == "sending") return OutboxState::kSending;
  if (s == "sent") return OutboxState::kSent;
  if (s == "failed") return OutboxState::kFailed;
  if (s == "cancelled") return OutboxState::kCancelled;
  if (s == "skipped") return OutboxState::kSkipped;
  return OutboxState::kPlanned;
}

constexpr const char* kRowColumns =
    "id, kind, consultation_id, unit_code, slot, message_id, recipients, subject, message, "
    "state, due_at, planned_at, next_attempt_at, attempts, last_error, sent_at";

OutboxRow ReadRow(Statement& q) {
  OutboxRow r;
  r.id = q.getColumn(0).getInt64();
  r.kind = q.getColumn(1).getString();
  r.consultation_id = q.getColumn(2).getString();
  r.unit_code = q.getColumn(3).getString();
  r.slot = q.getColumn(4).getString();
  r.message_id = q.getColumn(5).getString();
  r.recipients = SplitList(q.getColumn(6).getString());
  r.subject = q.getColumn(7).getString();
  r.message = q.getColumn(8).getString();
  r.state = ParseState(q.getColumn(9).getString());
  r.due_at = FromSecs(q.getColumn(10).getInt64());
  r.planned_at = FromSecs(q.getColumn(11).getInt64());
  r.next_attempt_at = FromSecs(q.getColumn(12).getInt64());
  r.attempts = q.getColumn(13).getInt();
  r.last_error = q.getColumn(14).getString();
  if (!q.getColumn(15).isNull()) r.sent_at = FromSecs(q.getColumn(15).getInt64());
  return r;
}

std::optional<OutboxRow> LoadRow(SQLite::Database& db, std::int64_t id) {
  Statement q(db, fmt::format("SELECT {} FROM outbox WHERE id=?", kRowColumns));
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  return ReadRow(q);
}

bool UnitPending(SQLite::Database& db, const std::string& consultation, const std::string& unit) {
  Statement q(db,
              "SELECT 1 FROM addressees a JOIN consultations c ON c.id=a.consultation_id "
              "WHERE a.consultation_id=? AND a.unit_code=? AND a.active=1 AND "
              "a.status='pending' AND c.state='open' AND c.active=1");
  q.bind(1, consultation);
  q.bind(2, unit);
  return q.executeStep();
}

// Records `address` of the unit as failed (once) and, when every address of
// the unit has failed, marks the unit's notice failed with an event.
void FailAddress(SQLite::Database& db, const std::string& consultation, const std::string& unit,
                 const std::string& address, const std::string& reason, std::int64_t outbox_id,
                 TimePoint now, const std::string& actor) {
  Statement ins(db,
                "INSERT OR IGNORE INTO failed_addresses(consultation_id, unit_code, address, "
                "reason, failed_at, outbox_id) VALUES(?,?,?,?,?,?)");
  ins.bind(1, consultation);
  ins.bind(2, unit);
  ins.bind(3, address);
  ins.bind(4, reason);
  ins.bind(5, Secs(now));
  ins.bind(6, outbox_id);
  ins.exec();
  if (db.getChanges() == 0 || unit.empty()) return;
  AddEvent(db, {now, now, consultation, unit, "address_failed",
                fmt::format("{}: {}", address, reason), actor, std::nullopt});
  Statement emails(db, "SELECT emails FROM units WHERE code=?");
  emails.bind(1, unit);
  if (!emails.executeStep()) return;
  int failed = 0, total = 0;
  for (const std::string& e : SplitList(emails.getColumn(0).getString())) {
    ++total;
    Statement f(db,
                "SELECT 1 FROM failed_addresses WHERE consultation_id=? AND unit_code=? AND "
                "lower(address)=lower(?)");
    f.bind(1, consultation);
    f.bind(2, unit);
    f.bind(3, e);
    if (f.executeStep()) ++failed;
  }
  if (total == 0 || failed < total) return;
  Statement up(db,
               "UPDATE addressees SET notice_failed=1 WHERE consultation_id=? AND unit_code=? AND "
               "notice_failed=0");
  up.bind(1, consultation);
  up.bind(2, unit);
  up.exec();
  if (db.getChanges() > 0) {
    AddEvent(db, {now, now, consultation, unit, "notice_failed",
                  "every address of the unit failed: reach it another way", actor, std::nullopt});
  }
}

}  // namespace

std::string_view ToString(OutboxState s) {
  switch (s) {
    case OutboxState::kPlanned: return "planned";
    case OutboxState::kSending: return "sending";
    case OutboxState::kSent: return "sent";
    case OutboxState::kFailed: return "failed";
    case OutboxState::kCancelled: return "cancelled";
    case OutboxState::kSkipped: return "skipped";
  }
  return "planned";
}

Result<int> Store::PlanMessages(const std::vector<PlannedMessage>& messages, TimePoint now,
                                const std::string& actor) {
  int inserted = 0;
  Status s = db_->Write("plan mail", [&]() -> Status {
    inserted = 0;
    SQLite::Database& db = db_->db();
    for (const PlannedMessage& m : messages) {
      if (m.kind == "reminder" && !UnitPending(db, m.consultation_id, m.unit_code)) continue;
      Statement q(db,
                  "INSERT OR IGNORE INTO outbox(kind, consultation_id, unit_code, slot, "
                  "message_id, recipients, subject, message, state, due_at, planned_at, "
                  "next_attempt_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
      q.bind(1, m.kind);
      q.bind(2, m.consultation_id);
      q.bind(3, m.unit_code);
      q.bind(4, m.slot);
      q.bind(5, m.message_id);
      q.bind(6, JoinList(m.recipients));
      q.bind(7, m.subject);
      q.bind(8, m.message.data(), static_cast<int>(m.message.size()));
      q.bind(9, m.skipped ? "skipped" : "planned");
      q.bind(10, Secs(m.due_at));
      q.bind(11, Secs(now));
      q.bind(12, Secs(now));
      q.exec();
      if (db.getChanges() == 0) continue;
      ++inserted;
      if (m.skipped) {
        AddEvent(db, {now, now, m.consultation_id, m.unit_code, "reminder_skipped",
                      fmt::format("slot {} was missed while tacitd was down; a later slot is due",
                                  m.slot),
                      actor, std::nullopt});
      }
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return inserted;
}

Result<std::set<std::string>> Store::OutboxKeys(const std::string& consultation_id) {
  std::set<std::string> out;
  Status s = db_->Read("outbox keys", [&]() -> Status {
    Statement q(db_->db(), "SELECT kind, unit_code, slot FROM outbox WHERE consultation_id=?");
    q.bind(1, consultation_id);
    while (q.executeStep()) {
      out.insert(fmt::format("{}|{}|{}", q.getColumn(0).getString(), q.getColumn(1).getString(),
                             q.getColumn(2).getString()));
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::optional<OutboxRow>> Store::NextOutgoing(TimePoint now) {
  std::optional<OutboxRow> out;
  Status s = db_->Read("next outgoing", [&]() -> Status {
    Statement q(db_->db(), fmt::format("SELECT {} FROM outbox WHERE state IN ('planned', "
                                       "'sending') AND next_attempt_at<=? ORDER BY "
                                       "next_attempt_at, id LIMIT 1",
                                       kRowColumns));
    q.bind(1, Secs(now));
    if (q.executeStep()) out = ReadRow(q);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::optional<TimePoint>> Store::NextOutgoingAt() {
  std::optional<TimePoint> out;
  Status s = db_->Read("next outgoing", [&]() -> Status {
    Statement q(db_->db(),
                "SELECT min(next_attempt_at) FROM outbox WHERE state IN ('planned', 'sending')");
    if (q.executeStep() && !q.getColumn(0).isNull()) out = FromSecs(q.getColumn(0).getInt64());
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Status Store::MarkSending(std::int64_t id, TimePoint now) {
  return db_->Write("mark sending", [&]() -> Status {
    Statement q(db_->db(),
                "UPDATE outbox SET state='sending', attempts=attempts+1, next_attempt_at=? "
                "WHERE id=? AND state IN ('planned', 'sending')");
    q.bind(1, Secs(now));
    q.bind(2, id);
    q.exec();
    if (db_->db().getChanges() == 0) {
      return Status::NotFound(fmt::format("outbox {} is not waiting to be sent", id));
    }
    return Status::Ok();
  });
}

Status Store::MarkSent(std::int64_t id, TimePoint now,
                       const std::vector<std::pair<std::string, std::string>>& rejected,
                       const std::string& actor) {
  return db_->Write("mark sent", [&]() -> Status {
    SQLite::Database& db = db_->db();
    std::optional<OutboxRow> row = LoadRow(db, id);
    if (!row) return Status::NotFound(fmt::format("no outbox message {}", id));
    if (row->state == OutboxState::kSent) return Status::Ok();
    Statement q(db, "UPDATE outbox SET state='sent', sent_at=?, last_error=? WHERE id=?");
    q.bind(1, Secs(now));
    q.bind(2, rejected.empty() ? std::string()
                               : fmt::format("{} recipient(s) refused", rejected.size()));
    q.bind(3, id);
    q.exec();
    std::vector<std::string> delivered;
    for (const std::string& r : row->recipients) {
      bool refused = false;
      for (const auto& [addr, why] : rejected) refused = refused || addr == r;
      if (!refused) delivered.push_back(r);
    }
    if (row->kind == "reminder") {
      AddEvent(db,
               {now, now, row->consultation_id, row->unit_code, "reminder_sent",
                fmt::format("slot {} to {} ({})", row->slot, JoinList(delivered), row->message_id),
                actor, std::nullopt});
    } else {
      AddEvent(db, {now, now, row->consultation_id, "", row->kind + "_sent",
                    fmt::format("{} to {} ({})", row->slot, JoinList(delivered), row->message_id),
                    actor, std::nullopt});
    }
    for (const auto& [addr, why] : rejected) {
      FailAddress(db, row->consultation_id, row->unit_code, addr, why, id, now, actor);
    }
    return Status::Ok();
  });
}

Status Store::MarkRetry(std::int64_t id, TimePoint next, const std::string& error) {
  return db_->Write("mark retry", [&]() -> Status {
    Statement q(db_->db(),
                "UPDATE outbox SET state='planned', next_attempt_at=?, last_error=? WHERE id=? AND "
                "state IN ('planned', 'sending')");
    q.bind(1, Secs(next));
    q.bind(2, error);
    q.bind(3, id);
    q.exec();
    return Status::Ok();
  });
}

Status Store::MarkFailed(std::int64_t id, TimePoint now, const std::string& error,
                         const std::string& actor) {
  return db_->Write("mark failed", [&]() -> Status {
    SQLite::Database& db = db_->db();
    std::optional<OutboxRow> row = LoadRow(db, id);
    if (!row) return Status::NotFound(fmt::format("no outbox message {}", id));
    Statement q(db, "UPDATE outbox SET state='failed', last_error=? WHERE id=?");
    q.bind(1, error);
    q.bind(2, id);
    q.exec();
    AddEvent(db, {now, now, row->consultation_id, row->unit_code, row->kind + "_failed",
                  fmt::format("{} to {}: {}", row->slot, JoinList(row->recipients), error), actor,
                  std::nullopt});
    for (const std::string& r : row->recipients) {
      FailAddress(db, row->consultation_id, row->unit_code, r, error, id, now, actor);
    }
    return Status::Ok();
  });
}

Status Store::Cancel(std::int64_t id, const std::string& why) {
  return db_->Write("cancel mail", [&]() -> Status {
    Statement q(db_->db(),
                "UPDATE outbox SET state='cancelled', last_error=? WHERE id=? AND state IN "
                "('planned', 'sending')");
    q.bind(1, why);
    q.bind(2, id);
    q.exec();
    return Status::Ok();
  });
}

Status Store::RecordBounce(const std::string& message_id, const std::string& address,
                           const std::string& reason, TimePoint now, const std::string& actor) {
  return db_->Write("record bounce", [&]() -> Status {
    SQLite::Database& db = db_->db();
    Statement q(db,
                "SELECT id, consultation_id, unit_code, recipients FROM outbox WHERE "
                "message_id=?");
    q.bind(1, message_id);
    if (!q.executeStep()) return Status::NotFound("not a message tacit sent");
    std::int64_t id = q.getColumn(0).getInt64();
    std::string consultation = q.getColumn(1).getString();
    std::string unit = q.getColumn(2).getString();
    std::vector<std::string> recipients = SplitList(q.getColumn(3).getString());
    // A report that names no recipient we know: every recipient of the message
    // (a one-address reminder is the common case).
    bool known = false;
    for (const std::string& r : recipients) {
      if (!address.empty() && strcasecmp(r.c_str(), address.c_str()) == 0) {
        FailAddress(db, consultation, unit, r, reason, id, now, actor);
        known = true;
      }
    }
    if (!known) {
      for (const std::string& r : recipients) {
        FailAddress(db, consultation, unit, r, reason, id, now, actor);
      }
    }
    return Status::Ok();
  });
}

Result<std::optional<std::pair<std::string, std::string>>> Store::FindSent(
    const std::string& message_id) {
  std::optional<std::pair<std::string, std::string>> out;
  Status s = db_->Read("find sent", [&]() -> Status {
    Statement q(db_->db(),
                "SELECT consultation_id, unit_code FROM outbox WHERE message_id=? AND "
                "kind='reminder'");
    q.bind(1, message_id);
    if (q.executeStep()) out.emplace(q.getColumn(0).getString(), q.getColumn(1).getString());
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<OutboxRow>> Store::Outbox(const std::string& consultation_id) {
  std::vector<OutboxRow> out;
  Status s = db_->Read("outbox", [&]() -> Status {
    Statement q(db_->db(), fmt::format("SELECT {} FROM outbox WHERE ?1='' OR consultation_id=?1 "
                                       "ORDER BY id",
                                       kRowColumns));
    q.bind(1, consultation_id);
    while (q.executeStep()) out.push_back(ReadRow(q));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<FailedAddress>> Store::FailedAddresses(const std::string& consultation_id) {
  std::vector<FailedAddress> out;
  Status s = db_->Read("failed addresses", [&]() -> Status {
    Statement q(db_->db(),
                "SELECT consultation_id, unit_code, address, reason, failed_at FROM "
                "failed_addresses WHERE ?1='' OR consultation_id=?1 ORDER BY failed_at, address");
    q.bind(1, consultation_id);
    while (q.executeStep()) {
      out.push_back({q.getColumn(0).getString(), q.getColumn(1).getString(),
                     q.getColumn(2).getString(), q.getColumn(3).getString(),
                     FromSecs(q.getColumn(4).getInt64())});
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::int64_t> Store::LastEventId(const std::string& consultation_id) {
  std::int64_t out = 0;
  Status s = db_->Read("last event", [&]() -> Status {
    Statement q(db_->db(), "SELECT coalesce(max(id), 0) FROM events WHERE consultation_id=?");
    q.bind(1, consultation_id);
    if (q.executeStep()) out = q.getColumn(0).getInt64();
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<Store::ReminderCheck> Store::CheckReminder(const std::string& consultation_id,
                                                  const std::string& unit_code) {
  ReminderCheck out;
  Status s = db_->Read("check reminder", [&]() -> Status {
    Statement q(db_->db(),
                "SELECT a.active=1 AND a.status='pending' AND c.state='open' AND c.active=1, "
                "COALESCE(a.unit_deadline, c.deadline) FROM addressees a JOIN consultations c ON "
                "c.id=a.consultation_id WHERE a.consultation_id=? AND a.unit_code=?");
    q.bind(1, consultation_id);
    q.bind(2, unit_code);
    if (q.executeStep()) {
      out.pending = q.getColumn(0).getInt() != 0;
      out.deadline = FromSecs(q.getColumn(1).getInt64());
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace tacit::store
