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

// Adds one reply of `u` to stance/channel/replied_at/late_reply/replies,
// replies given oldest first: the latest on-time reply speaks for the unit;
// failing that, the latest reply. (On-time replies all come before late ones,
// so a reply replaces the speaker unless the speaker is on time and it is not.)
void Summarise(UnitState& u, Channel channel, TimePoint received_at, Stance stance,
               bool needs_check, TimePoint deadline) {
  ++u.replies;
  const bool on_time = IsOnTime(received_at, deadline);
  if (!on_time) u.late_reply = true;
  if (!on_time && u.replied_at && IsOnTime(*u.replied_at, deadline)) return;
  u.stance = stance;
  u.channel = channel;
  u.replied_at = received_at;
  u.needs_check = needs_check;
}

void LoadUnits(SQLite::Database& db, ConsultationState& c, bool with_emails) {
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
    c.units.push_back(std::move(u));
  }
  // Per-unit rows, read in one query per table and added to the unit found by
  // its code: one statement per unit made the status file of 100,000 units
  // cost 200,000 prepared statements, and a map of each unit's replies was 15
  // MB more at tacitd's peak (bench/scale_bench). The views are of the codes
  // in c.units, which no longer moves.
  std::unordered_map<std::string_view, UnitState*> by_code;
  by_code.reserve(c.units.size());
  for (UnitState& u : c.units) by_code.try_emplace(u.code, &u);
  auto find = [&](const SQLite::Column& code) -> UnitState* {
    auto it = by_code.find(std::string_view(static_cast<const char*>(code.getBlob()),
                                            static_cast<size_t>(code.getBytes())));
    return it == by_code.end() ? nullptr : it->second;
  };
  Statement replies(db,
                    "SELECT unit_code, channel, received_at, stance, needs_check FROM replies "
                    "WHERE consultation_id=? ORDER BY received_at, id");
  replies.bind(1, c.id);
  while (replies.executeStep()) {
    UnitState* u = find(replies.getColumn(0));
    if (u == nullptr) continue;
    Summarise(*u, ParseChannel(replies.getColumn(1).getString()).value_or(Channel::kManual),
              FromSecs(replies.getColumn(2).getInt64()),
              ParseStance(replies.getColumn(3).getString()).value_or(Stance::kUnknown),
              replies.getColumn(4).getInt() != 0, u->unit_deadline.value_or(c.deadline));
  }
  Statement reminders(db,
                      "SELECT unit_code, count(*) FROM outbox WHERE consultation_id=? AND "
                      "kind='reminder' AND state='sent' GROUP BY unit_code");
  reminders.bind(1, c.id);
  while (reminders.executeStep()) {
    if (UnitState* u = find(reminders.getColumn(0)))
      u->reminders_sent = reminders.getColumn(1).getInt();
  }
  Statement failed(db,
                   "SELECT unit_code, address FROM failed_addresses WHERE consultation_id=? "
                   "ORDER BY unit_code, address");
  failed.bind(1, c.id);
  while (failed.executeStep()) {
    if (UnitState* u = find(failed.getColumn(0))) {
      u->failed_addresses.push_back(failed.getColumn(1).getString());
    }
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

// Reads the row into `r`, whose strings keep their capacity between rows.
void ReadReply(Statement& q, ReplyRow& r) {
  r.id = q.getColumn(0).getInt64();
  if (q.getColumn(1).isNull()) {
    r.consultation_id.reset();
  } else {
    r.consultation_id = q.getColumn(1).getString();
  }
  if (q.getColumn(2).isNull()) {
    r.unit_code.reset();
  } else {
    r.unit_code = q.getColumn(2).getString();
  }
  r.channel = ParseChannel(q.getColumn(3).getString()).value_or(Channel::kManual);
  r.received_at = FromSecs(q.getColumn(4).getInt64());
  r.recorded_at = FromSecs(q.getColumn(5).getInt64());
  auto text = [&](int column, std::string& into) {
    SQLite::Column c = q.getColumn(column);
    into.assign(static_cast<const char*>(c.getBlob()), static_cast<size_t>(c.getBytes()));
  };
  text(6, r.sender);
  text(7, r.subject);
  text(8, r.text);
  text(9, r.match_rule);
  text(10, r.source_ref);
  text(11, r.actor);
  r.stance = ParseStance(q.getColumn(12).getString()).value_or(Stance::kUnknown);
  r.late = q.getColumn(13).getInt() != 0;
  if (q.getColumn(14).isNull()) {
    r.ocr_confidence.reset();
  } else {
    r.ocr_confidence = q.getColumn(14).getDouble();
  }
  r.needs_check = q.getColumn(15).getInt() != 0;
}

// Each row of `q` (ReplyColumns) to `each`, read into one reused ReplyRow.
void EachRow(Statement& q, const std::function<void(const ReplyRow&)>& each) {
  ReplyRow row;
  while (q.executeStep()) {
    ReadReply(q, row);
    each(row);
  }
}

// The replies of consultation `id` (of one unit when `unit` is set), oldest
// first, to `each`, after their number to `count`.
Status EachReplyOf(Database& db, const std::string& id, const std::string& unit,
                   const std::function<void(std::size_t)>& count,
                   const std::function<void(const ReplyRow&)>& each) {
  return db.Read("read replies", [&]() -> Status {
    SQLite::Database& sdb = db.db();
    Statement exists(sdb, "SELECT 1 FROM consultations WHERE id=? AND active=1");
    exists.bind(1, id);
    if (!exists.executeStep()) return Status::NotFound(fmt::format("no consultation '{}'", id));
    if (count) {
      // Counted first, in the same snapshot: a vector grown by doubling holds
      // up to twice the rows (and three times while it grows), tens of
      // megabytes at 200,000 replies (issue 9, peak memory).
      Statement n(sdb,
                  "SELECT count(*) FROM replies WHERE consultation_id=?1 AND "
                  "(?2='' OR unit_code=?2)");
      n.bind(1, id);
      n.bind(2, unit);
      if (n.executeStep()) count(static_cast<size_t>(n.getColumn(0).getInt64()));
    }
    Statement q(
        sdb, fmt::format("SELECT {} FROM replies r JOIN consultations c ON c.id=r.consultation_id "
                         "LEFT JOIN addressees a ON a.consultation_id=r.consultation_id AND "
                         "a.unit_code=r.unit_code WHERE r.consultation_id=?1 AND (?2='' OR "
                         "r.unit_code=?2) ORDER BY r.received_at, r.id",
                         ReplyColumns(kLateColumn)));
    q.bind(1, id);
    q.bind(2, unit);
    EachRow(q, each);
    return Status::Ok();
  });
}

}  // namespace

Result<std::vector<ReplyRow>> Store::Replies(const std::string& id, const std::string& unit) {
  std::vector<ReplyRow> out;
  Status s = EachReplyOf(
      *db_, id, unit, [&](size_t n) { out.reserve(n); },
      [&](const ReplyRow& r) { out.push_back(r); });
  if (!s.ok()) return s;
  return out;
}

Status Store::EachReply(const std::string& id, const std::function<void(std::size_t)>& count,
                        const std::function<void(const ReplyRow&)>& each) {
  return EachReplyOf(*db_, id, {}, count, each);
}

Status Store::EachUnmatched(const std::function<void(const ReplyRow&)>& each) {
  return db_->Read("read unmatched replies", [&]() -> Status {
    // An unmatched reply is never late (it has no unit, so no deadline). No
    // join for it: a "LEFT JOIN ... ON 0" still walks the joined table for
    // every row, which with 100,000 addressees made this the slowest read of
    // a status write (bench/scale_bench).
    Statement q(db_->db(), fmt::format("SELECT {} FROM replies r WHERE r.unit_code IS NULL "
                                       "ORDER BY r.received_at, r.id",
                                       ReplyColumns("0")));
    EachRow(q, each);
    return Status::Ok();
  });
}

Result<std::vector<ReplyRow>> Store::Unmatched() {
  std::vector<ReplyRow> out;
  Status s = EachUnmatched([&](const ReplyRow& r) { out.push_back(r); });
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
