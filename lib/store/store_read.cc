// Store's reads: the consultation states behind the status file and tacitctl,
// replies and events. Per-unit stance, replied_at, late_reply and counts are
// derived from the replies here, never stored twice.
#include <limits>
#include <map>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "domain/deadline.h"
#include "store/lists.h"
#include "store/sql_time.h"
#include "store/store.h"

namespace tacit::store {
namespace {

using SQLite::Statement;

struct ReplyBrief {
  Channel channel;
  TimePoint received_at;
  Stance stance;
  bool needs_check;
};

// Fills stance/channel/replied_at/late_reply/replies from the unit's replies:
// the latest on-time reply speaks for the unit; failing that, the latest reply.
void Summarise(UnitState& u, const std::vector<ReplyBrief>& replies, TimePoint deadline) {
  const ReplyBrief* chosen = nullptr;
  const ReplyBrief* latest = nullptr;
  for (const ReplyBrief& r : replies) {  // ordered by received_at
    latest = &r;
    if (IsOnTime(r.received_at, deadline)) {
      chosen = &r;
    } else {
      u.late_reply = true;
    }
  }
  if (chosen == nullptr) chosen = latest;
  u.replies = static_cast<int>(replies.size());
  if (chosen != nullptr) {
    u.stance = chosen->stance;
    u.channel = chosen->channel;
    u.replied_at = chosen->received_at;
    u.needs_check = chosen->needs_check;
  }
}

// Per-unit rows of one consultation, read in one query per table and looked up
// by unit code: one statement per unit made the status file of 100,000 units
// cost 200,000 prepared statements (bench/scale_bench).
using ByUnit = std::unordered_map<std::string, std::vector<ReplyBrief>>;

ByUnit RepliesByUnit(SQLite::Database& db, const std::string& id) {
  ByUnit out;
  Statement q(db,
              "SELECT unit_code, channel, received_at, stance, needs_check FROM replies WHERE "
              "consultation_id=? ORDER BY received_at, id");
  q.bind(1, id);
  while (q.executeStep()) {
    out[q.getColumn(0).getString()].push_back(
        {ParseChannel(q.getColumn(1).getString()).value_or(Channel::kManual),
         FromSecs(q.getColumn(2).getInt64()),
         ParseStance(q.getColumn(3).getString()).value_or(Stance::kUnknown),
         q.getColumn(4).getInt() != 0});
  }
  return out;
}

std::unordered_map<std::string, int> RemindersSent(SQLite::Database& db, const std::string& id) {
  std::unordered_map<std::string, int> out;
  Statement q(db,
              "SELECT unit_code, count(*) FROM outbox WHERE consultation_id=? AND "
              "kind='reminder' AND state='sent' GROUP BY unit_code");
  q.bind(1, id);
  while (q.executeStep()) out[q.getColumn(0).getString()] = q.getColumn(1).getInt();
  return out;
}

std::unordered_map<std::string, std::vector<std::string>> FailedByUnit(SQLite::Database& db,
                                                                       const std::string& id) {
  std::unordered_map<std::string, std::vector<std::string>> out;
  Statement q(db,
              "SELECT unit_code, address FROM failed_addresses WHERE consultation_id=? "
              "ORDER BY unit_code, address");
  q.bind(1, id);
  while (q.executeStep()) out[q.getColumn(0).getString()].push_back(q.getColumn(1).getString());
  return out;
}

void LoadUnits(SQLite::Database& db, ConsultationState& c, bool with_emails) {
  ByUnit replies = RepliesByUnit(db, c.id);
  std::unordered_map<std::string, int> reminders = RemindersSent(db, c.id);
  std::unordered_map<std::string, std::vector<std::string>> failed = FailedByUnit(db, c.id);
  // Sized once: grown by doubling, 100,000 units took a vector for 131,072
  // (33 MB) and, while it grew, the one before it as well (issue 9: tacitd's
  // peak is its page write's data).
  Statement count(db, "SELECT count(*) FROM addressees WHERE consultation_id=? AND active=1");
  count.bind(1, c.id);
  if (count.executeStep()) c.units.reserve(static_cast<size_t>(count.getColumn(0).getInt64()));
  Statement q(db,
              "SELECT a.unit_code, u.name, u.grp, a.status, a.unit_deadline, "
              "COALESCE(a.excluded_reason, ''), a.notice_failed, u.emails FROM addressees a "
              "JOIN units u ON "
              "u.code=a.unit_code WHERE a.consultation_id=? AND a.active=1 ORDER BY u.position, "
              "u.code");
  q.bind(1, c.id);
  while (q.executeStep()) {
    UnitState u;
    u.code = q.getColumn(0).getString();
    u.name = q.getColumn(1).getString();
    u.group = q.getColumn(2).getString();
    u.status = ParseUnitStatus(q.getColumn(3).getString()).value_or(UnitStatus::kPending);
    if (!q.getColumn(4).isNull()) u.unit_deadline = FromSecs(q.getColumn(4).getInt64());
    u.excluded_reason = q.getColumn(5).getString();
    u.notice_failed = q.getColumn(6).getInt() != 0;
    if (with_emails) u.emails = SplitList(q.getColumn(7).getString());
    if (auto r = reminders.find(u.code); r != reminders.end()) u.reminders_sent = r->second;
    if (auto f = failed.find(u.code); f != failed.end()) u.failed_addresses = std::move(f->second);
    auto it = replies.find(u.code);
    if (it != replies.end()) Summarise(u, it->second, u.unit_deadline.value_or(c.deadline));
    c.units.push_back(std::move(u));
  }
}

}  // namespace

Result<std::vector<ConsultationState>> Store::Consultations(const std::string& id,
                                                            bool with_emails) {
  std::vector<ConsultationState> out;
  Status s = db_->Read("read consultations", [&]() -> Status {
    SQLite::Database& db = db_->db();
    Statement q(db,
                "SELECT id, reference, subject, issuer, signer, silence_means, deadline, state, "
                "closed_at FROM consultations WHERE active=1 AND (?1='' OR id=?1) ORDER BY id");
    q.bind(1, id);
    while (q.executeStep()) {
      ConsultationState c;
      c.id = q.getColumn(0).getString();
      c.reference = q.getColumn(1).getString();
      c.subject = q.getColumn(2).getString();
      c.issuer = q.getColumn(3).getString();
      c.signer = q.getColumn(4).getString();
      c.silence_means =
          ParseSilenceMeans(q.getColumn(5).getString()).value_or(SilenceMeans::kConsent);
      c.deadline = FromSecs(q.getColumn(6).getInt64());
      c.closed = q.getColumn(7).getString() == "closed";
      if (!q.getColumn(8).isNull()) c.closed_at = FromSecs(q.getColumn(8).getInt64());
      out.push_back(std::move(c));
    }
    for (ConsultationState& c : out) LoadUnits(db, c, with_emails);
    if (!id.empty() && out.empty())
      return Status::NotFound(fmt::format("no consultation '{}'", id));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

namespace {

// Columns read by ReadReply, in order, with `late` as the SQL expression
// `late` (kLateColumn needs the consultation (c) and addressee (a) joined).
std::string ReplyColumns(std::string_view late) {
  return fmt::format(
      "r.id, r.consultation_id, r.unit_code, r.channel, r.received_at, r.recorded_at, r.sender, "
      "r.subject, r.text, r.match_rule, r.source_ref, r.actor, r.stance, {}, r.ocr_confidence, "
      "r.needs_check",
      late);
}
constexpr std::string_view kLateColumn =
    "COALESCE(r.received_at > COALESCE(a.unit_deadline, c.deadline), 0)";

ReplyRow ReadReply(Statement& q) {
  ReplyRow r;
  r.id = q.getColumn(0).getInt64();
  if (!q.getColumn(1).isNull()) r.consultation_id = q.getColumn(1).getString();
  if (!q.getColumn(2).isNull()) r.unit_code = q.getColumn(2).getString();
  r.channel = ParseChannel(q.getColumn(3).getString()).value_or(Channel::kManual);
  r.received_at = FromSecs(q.getColumn(4).getInt64());
  r.recorded_at = FromSecs(q.getColumn(5).getInt64());
  r.sender = q.getColumn(6).getString();
  r.subject = q.getColumn(7).getString();
  r.text = q.getColumn(8).getString();
  r.match_rule = q.getColumn(9).getString();
  r.source_ref = q.getColumn(10).getString();
  r.actor = q.getColumn(11).getString();
  r.stance = ParseStance(q.getColumn(12).getString()).value_or(Stance::kUnknown);
  r.late = q.getColumn(13).getInt() != 0;
  if (!q.getColumn(14).isNull()) r.ocr_confidence = q.getColumn(14).getDouble();
  r.needs_check = q.getColumn(15).getInt() != 0;
  return r;
}

}  // namespace

Result<std::vector<ReplyRow>> Store::Replies(const std::string& id, const std::string& unit) {
  std::vector<ReplyRow> out;
  Status s = db_->Read("read replies", [&]() -> Status {
    SQLite::Database& db = db_->db();
    Statement exists(db, "SELECT 1 FROM consultations WHERE id=? AND active=1");
    exists.bind(1, id);
    if (!exists.executeStep()) return Status::NotFound(fmt::format("no consultation '{}'", id));
    // Counted first, in the same snapshot: a vector grown by doubling holds up
    // to twice the rows (and three times while it grows), tens of megabytes
    // at 200,000 replies (issue 9, peak memory).
    Statement count(db,
                    "SELECT count(*) FROM replies WHERE consultation_id=?1 AND "
                    "(?2='' OR unit_code=?2)");
    count.bind(1, id);
    count.bind(2, unit);
    if (count.executeStep()) out.reserve(static_cast<size_t>(count.getColumn(0).getInt64()));
    Statement q(
        db, fmt::format("SELECT {} FROM replies r JOIN consultations c ON c.id=r.consultation_id "
                        "LEFT JOIN addressees a ON a.consultation_id=r.consultation_id AND "
                        "a.unit_code=r.unit_code WHERE r.consultation_id=?1 AND (?2='' OR "
                        "r.unit_code=?2) ORDER BY r.received_at, r.id",
                        ReplyColumns(kLateColumn)));
    q.bind(1, id);
    q.bind(2, unit);
    while (q.executeStep()) out.push_back(ReadReply(q));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<ReplyRow>> Store::Unmatched() {
  std::vector<ReplyRow> out;
  Status s = db_->Read("read unmatched replies", [&]() -> Status {
    // An unmatched reply is never late (it has no unit, so no deadline). No
    // join for it: a "LEFT JOIN ... ON 0" still walks the joined table for
    // every row, which with 100,000 addressees made this the slowest read of
    // a status write (bench/scale_bench).
    Statement q(db_->db(), fmt::format("SELECT {} FROM replies r WHERE r.unit_code IS NULL "
                                       "ORDER BY r.received_at, r.id",
                                       ReplyColumns("0")));
    while (q.executeStep()) out.push_back(ReadReply(q));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

namespace {

// One row of the events query below, of consultation `id`.
EventRow ReadEvent(Statement& q, const std::string& id) {
  EventRow e;
  e.id = q.getColumn(0).getInt64();
  e.at = FromSecs(q.getColumn(1).getInt64());
  e.effective_at = FromSecs(q.getColumn(2).getInt64());
  e.consultation_id = id;
  e.unit_code = q.getColumn(3).getString();
  e.kind = q.getColumn(4).getString();
  e.detail = q.getColumn(5).getString();
  e.actor = q.getColumn(6).getString();
  if (!q.getColumn(7).isNull()) e.reply_id = q.getColumn(7).getInt64();
  return e;
}

constexpr const char* kEventsSql =
    "SELECT id, at, effective_at, COALESCE(unit_code, ''), kind, detail, actor, "
    "reply_id FROM events WHERE consultation_id=?1 AND id<=?2 ORDER BY id";

}  // namespace

Status EachEvent(const std::string& path, const std::string& id, std::int64_t through,
                 const std::function<void(EventRow&)>& each) {
  try {
    // Read-only and without the migrations of Database::Open: the database is
    // the one the caller's Store opened. One read transaction for the whole.
    SQLite::Database db(path, SQLite::OPEN_READONLY);
    db.setBusyTimeout(static_cast<int>(kDefaultBusyTimeout.count()));
    Statement q(db, kEventsSql);
    q.bind(1, id);
    q.bind(2, through);
    while (q.executeStep()) {
      EventRow e = ReadEvent(q, id);
      each(e);
    }
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Io(fmt::format("{}: read events of {}: {}", path, id, e.what()));
  }
}

Result<std::vector<EventRow>> Store::Events(const std::string& id) {
  std::vector<EventRow> out;
  Status s = db_->Read("read events", [&]() -> Status {
    SQLite::Database& db = db_->db();
    Statement exists(db, "SELECT 1 FROM consultations WHERE id=?");
    exists.bind(1, id);
    if (!exists.executeStep()) return Status::NotFound(fmt::format("no consultation '{}'", id));
    Statement count(db, "SELECT count(*) FROM events WHERE consultation_id=?");
    count.bind(1, id);
    if (count.executeStep()) out.reserve(static_cast<size_t>(count.getColumn(0).getInt64()));
    Statement q(db, kEventsSql);
    q.bind(1, id);
    q.bind(2, std::numeric_limits<std::int64_t>::max());
    while (q.executeStep()) out.push_back(ReadEvent(q, id));
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

Result<std::int64_t> Store::UnmatchedCount() {
  std::int64_t n = 0;
  Status s = db_->Read("count unmatched", [&] {
    // The partial index named: without statistics SQLite would
    // rather scan replies_by_unit, every reply's entry.
    n = db_->db()
            .execAndGet(
                "SELECT COUNT(*) FROM replies INDEXED BY replies_unmatched WHERE unit_code IS NULL")
            .getInt64();
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return n;
}

Result<std::vector<std::string>> Store::OpenConsultationIds() {
  std::vector<std::string> out;
  Status s = db_->Read("open consultations", [&] {
    Statement q(db_->db(),
                "SELECT id FROM consultations WHERE active=1 AND state='open' ORDER BY id");
    while (q.executeStep()) out.push_back(q.getColumn(0).getString());
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return out;
}

}  // namespace tacit::store
