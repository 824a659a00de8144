// Store's writes: config sync, replies, deadlines, extensions, exclusions.
#include <map>
#include <set>

#include <fmt/format.h>
#include <sqlite3.h>

#include "core/hash.h"
#include "domain/deadline.h"
#include "store/event_log.h"
#include "store/lists.h"
#include "store/sql_time.h"
#include "store/store.h"

namespace tacit::store {
namespace {

using SQLite::Statement;

void BindOptional(Statement& q, int index, const std::optional<std::string>& v) {
  if (v) {
    q.bind(index, *v);
  } else {
    q.bind(index);
  }
}

// Binds an empty string as NULL.
void BindNonEmpty(Statement& q, int index, const std::string& v) {
  BindOptional(q, index, v.empty() ? std::nullopt : std::optional<std::string>(v));
}

struct ConsultationRow {
  TimePoint deadline, config_deadline;
  bool closed = false;
  bool active = false;
  SilenceMeans silence = SilenceMeans::kConsent;
};

std::optional<ConsultationRow> LoadConsultation(SQLite::Database& db, const std::string& id) {
  Statement q(db,
              "SELECT deadline, config_deadline, state, active, silence_means FROM consultations "
              "WHERE id=?");
  q.bind(1, id);
  if (!q.executeStep()) return std::nullopt;
  ConsultationRow r;
  r.deadline = FromSecs(q.getColumn(0).getInt64());
  r.config_deadline = FromSecs(q.getColumn(1).getInt64());
  r.closed = q.getColumn(2).getString() == "closed";
  r.active = q.getColumn(3).getInt() != 0;
  r.silence = ParseSilenceMeans(q.getColumn(4).getString()).value_or(SilenceMeans::kConsent);
  return r;
}

struct AddresseeRow {
  std::string unit;
  UnitStatus status = UnitStatus::kPending;
  std::optional<TimePoint> unit_deadline;
  bool active = false;
};

std::vector<AddresseeRow> LoadAddressees(SQLite::Database& db, const std::string& id,
                                         const std::string& unit = {}) {
  // Two statements, not "(?='' OR unit_code=?)": with that, SQLite cannot use
  // the primary key for one unit and reads every addressee of the consultation,
  // which made each recorded reply cost O(units) (bench/scale_bench).
  Statement q(db, unit.empty() ? "SELECT unit_code, status, unit_deadline, active FROM addressees "
                                 "WHERE consultation_id=? ORDER BY unit_code"
                               : "SELECT unit_code, status, unit_deadline, active FROM addressees "
                                 "WHERE consultation_id=? AND unit_code=?");
  q.bind(1, id);
  if (!unit.empty()) q.bind(2, unit);
  std::vector<AddresseeRow> out;
  while (q.executeStep()) {
    AddresseeRow a;
    a.unit = q.getColumn(0).getString();
    a.status = ParseUnitStatus(q.getColumn(1).getString()).value_or(UnitStatus::kPending);
    if (!q.getColumn(2).isNull()) a.unit_deadline = FromSecs(q.getColumn(2).getInt64());
    a.active = q.getColumn(3).getInt() != 0;
    out.push_back(a);
  }
  return out;
}

void SetStatus(SQLite::Database& db, const std::string& id, const std::string& unit, UnitStatus s) {
  Statement q(db, "UPDATE addressees SET status=? WHERE consultation_id=? AND unit_code=?");
  q.bind(1, std::string(ToString(s)));
  q.bind(2, id);
  q.bind(3, unit);
  q.exec();
}

// The same, with a statement the connection keeps (a reply's path).
void SetStatus(Database& d, const std::string& id, const std::string& unit, UnitStatus s) {
  CachedStatement q(d, "UPDATE addressees SET status=? WHERE consultation_id=? AND unit_code=?");
  q->bind(1, std::string(ToString(s)));
  q->bind(2, id);
  q->bind(3, unit);
  q->exec();
}

bool HasReplyBy(SQLite::Database& db, const std::string& id, const std::string& unit,
                TimePoint deadline) {
  Statement q(db,
              "SELECT 1 FROM replies WHERE consultation_id=? AND unit_code=? AND received_at<=? "
              "LIMIT 1");
  q.bind(1, id);
  q.bind(2, unit);
  q.bind(3, Secs(deadline));
  return q.executeStep();
}

}  // namespace

Result<std::unique_ptr<Store>> Store::Open(const std::string& path, const TimeZone& tz) {
  Result<std::unique_ptr<Database>> db = Database::Open(path);
  if (!db) return db.error();
  return std::unique_ptr<Store>(new Store(std::move(*db), tz));
}

namespace {

// Moves the deadline of `id` (or of one unit) and re-derives the statuses it
// decided. Shared by `tacitctl extend` and a deadline changed in the config.
void MoveDeadline(SQLite::Database& db, const TimeZone& tz, const std::string& id,
                  const ConsultationRow& c, TimePoint new_deadline,
                  const std::optional<std::string>& unit, TimePoint now, const std::string& actor,
                  const std::string& why) {
  std::vector<AddresseeRow> rows = LoadAddressees(db, id, unit.value_or(""));
  if (unit) {
    Statement q(db,
                "UPDATE addressees SET unit_deadline=? WHERE consultation_id=? AND unit_code=?");
    q.bind(1, Secs(new_deadline));
    q.bind(2, id);
    q.bind(3, *unit);
    q.exec();
    TimePoint old = rows.front().unit_deadline.value_or(c.deadline);
    AddEvent(db, {now, now, id, *unit, "unit_deadline_extended",
                  fmt::format("deadline for {} moved from {} to {}{}", *unit, FormatHuman(old, tz),
                              FormatHuman(new_deadline, tz), why),
                  actor, std::nullopt});
  } else {
    bool reopen = c.closed && !DeadlinePassed(now, new_deadline);
    Statement q(db, reopen ? "UPDATE consultations SET deadline=?, state='open', closed_at=NULL "
                             "WHERE id=?"
                           : "UPDATE consultations SET deadline=? WHERE id=?");
    q.bind(1, Secs(new_deadline));
    q.bind(2, id);
    q.exec();
    AddEvent(db, {now, now, id, "", "deadline_extended",
                  fmt::format("deadline moved from {} to {}{}{}", FormatHuman(c.deadline, tz),
                              FormatHuman(new_deadline, tz), why,
                              reopen ? "; consultation reopened" : ""),
                  actor, std::nullopt});
  }
  for (const AddresseeRow& a : rows) {
    if (!a.active || (!unit && a.unit_deadline)) continue;  // a unit's own deadline stays
    bool on_time = HasReplyBy(db, id, a.unit, new_deadline);
    UnitStatus next = StatusAfterExtension(a.status, on_time, new_deadline, now);
    if (next == a.status) continue;
    SetStatus(db, id, a.unit, next);
    AddEvent(db, {now, now, id, a.unit, "status_changed",
                  fmt::format("{} -> {}: deadline now {}", ToString(a.status), ToString(next),
                              FormatHuman(new_deadline, tz)),
                  actor, std::nullopt});
  }
}

void SyncUnits(SQLite::Database& db, const Config& config) {
  Statement upsert(db,
                   "INSERT INTO units(code, name, grp, emails, aliases, position, active) "
                   "VALUES(?,?,?,?,?,?,1) ON CONFLICT(code) DO UPDATE SET name=excluded.name, "
                   "grp=excluded.grp, emails=excluded.emails, aliases=excluded.aliases, "
                   "position=excluded.position, active=1 WHERE name IS NOT excluded.name OR "
                   "grp IS NOT excluded.grp OR emails IS NOT excluded.emails OR aliases IS NOT "
                   "excluded.aliases OR position IS NOT excluded.position OR active=0");
  int position = 0;
  std::set<std::string> codes;
  for (const Unit& u : config.units) {
    upsert.reset();
    upsert.bind(1, u.code);
    upsert.bind(2, u.name);
    upsert.bind(3, u.group);
    upsert.bind(4, JoinList(u.emails));
    upsert.bind(5, JoinList(u.aliases));
    upsert.bind(6, position++);
    upsert.exec();
    codes.insert(u.code);
  }
  std::vector<std::string> gone;
  Statement all(db, "SELECT code FROM units WHERE active=1");
  while (all.executeStep()) {
    std::string code = all.getColumn(0).getString();
    if (!codes.count(code)) gone.push_back(code);
  }
  for (const auto& code : gone) {
    Statement q(db, "UPDATE units SET active=0 WHERE code=?");
    q.bind(1, code);
    q.exec();
  }
}

void SyncAddressees(SQLite::Database& db, const Consultation& c, bool closed, TimePoint now,
                    const std::string& actor) {
  std::map<std::string, AddresseeRow> existing;
  for (AddresseeRow& a : LoadAddressees(db, c.id)) existing.emplace(a.unit, a);
  std::set<std::string> wanted(c.addressed_units.begin(), c.addressed_units.end());
  for (const std::string& code : c.addressed_units) {
    auto it = existing.find(code);
    if (it == existing.end()) {
      // A unit added after the deadline was applied never had the letter's time to
      // answer: it is excluded rather than deemed to consent.
      Statement q(db,
                  "INSERT INTO addressees(consultation_id, unit_code, status, excluded_reason) "
                  "VALUES(?,?,?,?)");
      q.bind(1, c.id);
      q.bind(2, code);
      q.bind(3, closed ? "excluded" : "pending");
      BindNonEmpty(q, 4, closed ? "added after the deadline was applied" : "");
      q.exec();
      AddEvent(db, {now, now, c.id, code, "addressee_added",
                    closed ? "addressed by the config after the deadline: excluded"
                           : "addressed by the config",
                    actor, std::nullopt});
    } else if (!it->second.active) {
      Statement q(db, "UPDATE addressees SET active=1 WHERE consultation_id=? AND unit_code=?");
      q.bind(1, c.id);
      q.bind(2, code);
      q.exec();
      AddEvent(db, {now, now, c.id, code, "addressee_added", "addressed by the config again", actor,
                    std::nullopt});
    }
  }
  for (const auto& [code, a] : existing) {
    if (!a.active || wanted.count(code)) continue;
    Statement q(db, "UPDATE addressees SET active=0 WHERE consultation_id=? AND unit_code=?");
    q.bind(1, c.id);
    q.bind(2, code);
    q.exec();
    AddEvent(db, {now, now, c.id, code, "addressee_removed",
                  "no longer addressed by the config; its replies are kept", actor, std::nullopt});
  }
}

// Everything SyncConfig takes from the config (and the schema it wrote it
// into), hashed. Each field is length-prefixed, so no two configs run
// together into the same bytes.
std::string ConfigFingerprint(const Config& config) {
  Sha256 hash;
  std::string buf;
  auto put = [&](std::string_view field) {
    buf += std::to_string(field.size());
    buf += ':';
    buf += field;
    if (buf.size() >= size_t{64} * 1024) {
      hash.Update(buf);
      buf.clear();
    }
  };
  auto put_list = [&](const std::vector<std::string>& list) {
    put(std::to_string(list.size()));
    for (const std::string& item : list) put(item);
  };
  put(std::to_string(kSchemaVersion));
  put(std::to_string(config.units.size()));
  for (const Unit& u : config.units) {
    put(u.code);
    put(u.name);
    put(u.group);
    put_list(u.emails);
    put_list(u.aliases);
  }
  put(std::to_string(config.consultations.size()));
  for (const Consultation& c : config.consultations) {
    put(c.id);
    put(c.reference);
    put(c.subject);
    put(c.issuer);
    put(c.signer);
    put(ToString(c.silence_means));
    put(std::to_string(Secs(c.deadline)));
    put_list(c.addressed_units);
  }
  hash.Update(buf);
  return hash.Hex();
}

std::optional<std::string> Meta(SQLite::Database& db, const std::string& key) {
  Statement q(db, "SELECT value FROM meta WHERE key=?");
  q.bind(1, key);
  if (!q.executeStep()) return std::nullopt;
  return q.getColumn(0).getString();
}

void SetMeta(SQLite::Database& db, const std::string& key, const std::string& value) {
  Statement q(db,
              "INSERT INTO meta(key, value) VALUES(?,?) ON CONFLICT(key) DO UPDATE SET "
              "value=excluded.value");
  q.bind(1, key);
  q.bind(2, value);
  q.exec();
}

}  // namespace

// Only SyncConfig writes what it syncs (units, which units a consultation
// addresses, a consultation's own fields and configured deadline; the rest of
// tacit changes statuses, deadlines through `extend`, and state), so when the
// config is the one last synced, in the same transaction, there is nothing to
// do: a restart with an unchanged config skips comparing every unit and
// addressee again (0.4 s of tacitd's start-up at 100,000 units, issue 9).
Status Store::SyncConfig(const Config& config, TimePoint now, const std::string& actor) {
  const std::string fingerprint = ConfigFingerprint(config);
  return db_->Write("sync config", [&]() -> Status {
    SQLite::Database& db = db_->db();
    if (Meta(db, "config_fingerprint") == fingerprint) return Status::Ok();
    SetMeta(db, "config_fingerprint", fingerprint);
    SyncUnits(db, config);
    std::set<std::string> ids;
    for (const Consultation& c : config.consultations) {
      ids.insert(c.id);
      std::optional<ConsultationRow> row = LoadConsultation(db, c.id);
      if (!row) {
        Statement q(db,
                    "INSERT INTO consultations(id, reference, subject, issuer, signer, "
                    "silence_means, config_deadline, deadline) VALUES(?,?,?,?,?,?,?,?)");
        q.bind(1, c.id);
        q.bind(2, c.reference);
        q.bind(3, c.subject);
        q.bind(4, c.issuer);
        q.bind(5, c.signer);
        q.bind(6, std::string(ToString(c.silence_means)));
        q.bind(7, Secs(c.deadline));
        q.bind(8, Secs(c.deadline));
        q.exec();
        AddEvent(db, {now, now, c.id, "", "consultation_added",
                      fmt::format("deadline {}, silence means {}, {} units addressed",
                                  FormatIso(c.deadline, tz_), ToString(c.silence_means),
                                  c.addressed_units.size()),
                      actor, std::nullopt});
        row = LoadConsultation(db, c.id);
      } else {
        Statement q(db,
                    "UPDATE consultations SET reference=?, subject=?, issuer=?, signer=?, "
                    "silence_means=?, active=1 WHERE id=?");
        q.bind(1, c.reference);
        q.bind(2, c.subject);
        q.bind(3, c.issuer);
        q.bind(4, c.signer);
        q.bind(5, std::string(ToString(c.silence_means)));
        q.bind(6, c.id);
        q.exec();
        if (row->config_deadline != c.deadline) {
          Statement u(db, "UPDATE consultations SET config_deadline=? WHERE id=?");
          u.bind(1, Secs(c.deadline));
          u.bind(2, c.id);
          u.exec();
          MoveDeadline(db, tz_, c.id, *row, c.deadline, std::nullopt, now, actor,
                       " (changed in " + c.source_file + ")");
          row = LoadConsultation(db, c.id);
        }
      }
      SyncAddressees(db, c, row->closed, now, actor);
    }
    Statement active(db, "SELECT id FROM consultations WHERE active=1");
    std::vector<std::string> gone;
    while (active.executeStep()) {
      std::string id = active.getColumn(0).getString();
      if (!ids.count(id)) gone.push_back(id);
    }
    for (const auto& id : gone) {
      Statement q(db, "UPDATE consultations SET active=0 WHERE id=?");
      q.bind(1, id);
      q.exec();
      AddEvent(db, {now, now, id, "", "consultation_removed",
                    "its .toml is gone from the config; its data is kept", actor, std::nullopt});
    }
    return Status::Ok();
  });
}

namespace {

// The (consultation, unit) a reply is attributed to, as the rules need it.
struct Target {
  std::string consultation_id, unit_code;
  UnitStatus status = UnitStatus::kPending;
  TimePoint deadline;  // the unit's own deadline, else the consultation's
};

Result<Target> LoadTarget(SQLite::Database& db, const std::string& id, const std::string& unit) {
  std::optional<ConsultationRow> c = LoadConsultation(db, id);
  if (!c || !c->active) return Status::NotFound(fmt::format("no consultation '{}'", id));
  std::vector<AddresseeRow> rows = LoadAddressees(db, id, unit);
  if (rows.empty() || !rows.front().active) {
    return Status::BadInput(
        fmt::format("unit '{}' is not addressed by consultation '{}'", unit, id));
  }
  return Target{id, unit, rows.front().status, rows.front().unit_deadline.value_or(c->deadline)};
}

// Moves the unit's status for a reply received at `received` and logs `kind`.
// Returns whether the reply is late.
bool Attribute(Database& d, const TimeZone& tz, const Target& t, const std::string& what,
               TimePoint received, std::int64_t reply_id, TimePoint now, const std::string& actor,
               const std::string& kind) {
  const bool late = !IsOnTime(received, t.deadline);
  UnitStatus next = StatusAfterReply(t.status, received, t.deadline);
  std::string detail = fmt::format("{}, received {} ({})", what, FormatHuman(received, tz),
                                   late ? "late" : "on time");
  if (next != t.status) {
    SetStatus(d, t.consultation_id, t.unit_code, next);
    detail += fmt::format("; {} -> {}", ToString(t.status), ToString(next));
  }
  AddEvent(d, {now, received, t.consultation_id, t.unit_code, kind, detail, actor, reply_id});
  return late;
}

// The body of RecordReply, inside a write transaction the caller holds.
Status RecordOne(Database& d, const TimeZone& tz, const NewReply& r, TimePoint now,
                 const std::string& actor, RecordOutcome& out) {
  SQLite::Database& db = d.db();
  {
    CachedStatement dup(d,
                        "SELECT id, source_ref FROM replies WHERE content_hash=? OR (message_id IS "
                        "NOT NULL AND message_id=?)");
    dup->bind(1, r.content_hash);
    BindOptional(*dup, 2, r.message_id);
    if (dup->executeStep()) {
      out.reply_id = dup->getColumn(0).getInt64();
      out.existing_source_ref = dup->getColumn(1).getString();
      out.duplicate = true;
      return Status::Ok();
    }
  }
  const bool matched = r.consultation_id && r.unit_code;
  std::optional<Target> target;
  if (matched) {
    Result<Target> t = LoadTarget(db, *r.consultation_id, *r.unit_code);
    if (!t) return t.error();
    target = *t;
  }
  CachedStatement insert(d,
                         "INSERT INTO replies(consultation_id, unit_code, channel, received_at, "
                         "recorded_at, sender, subject, message_id, date_header, text, stance, "
                         "match_rule, content_hash, source_ref, actor, ocr_confidence, "
                         "needs_check) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
  Statement& ins = *insert;
  BindOptional(ins, 1, matched ? r.consultation_id : std::nullopt);
  BindOptional(ins, 2, matched ? r.unit_code : std::nullopt);
  ins.bind(3, std::string(ToString(r.channel)));
  ins.bind(4, Secs(r.received_at));
  ins.bind(5, Secs(now));
  ins.bind(6, r.sender);
  ins.bind(7, r.subject);
  BindOptional(ins, 8, r.message_id);
  ins.bind(9, r.date_header);
  ins.bind(10, r.text);
  ins.bind(11, std::string(ToString(r.stance)));
  ins.bind(12, r.match_rule);
  ins.bind(13, r.content_hash);
  ins.bind(14, r.source_ref);
  ins.bind(15, actor);
  if (r.ocr_confidence) {
    ins.bind(16, *r.ocr_confidence);
  } else {
    ins.bind(16);
  }
  ins.bind(17, r.needs_check ? 1 : 0);
  ins.exec();
  out.reply_id = db.getLastInsertRowid();
  if (!matched) {
    AddEvent(d, {now, r.received_at, "", "", "reply_unmatched",
                 fmt::format("{} reply from '{}' could not be attributed: {}", ToString(r.channel),
                             r.sender.empty() ? r.source_ref : r.sender, r.match_rule),
                 actor, out.reply_id});
    return Status::Ok();
  }
  std::string what = fmt::format("{} reply, stance {}", ToString(r.channel), ToString(r.stance));
  if (!r.match_rule.empty()) what += "; matched by " + r.match_rule;
  out.late =
      Attribute(d, tz, *target, what, r.received_at, out.reply_id, now, actor, "reply_recorded");
  return Status::Ok();
}

// SQLite result codes that say nothing about one reply but about the database
// or the transaction as a whole: the group fails, nothing is committed.
bool WholeTransactionError(int rc) {
  switch (rc & 0xff) {  // primary code of an extended one
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
    case SQLITE_NOMEM:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PROTOCOL: return true;
    default: return false;
  }
}

}  // namespace

Result<RecordOutcome> Store::RecordReply(const NewReply& r, TimePoint now,
                                         const std::string& actor) {
  RecordOutcome out;
  Status s = db_->Write("record reply",
                        [&]() -> Status { return RecordOne(*db_, tz_, r, now, actor, out); });
  if (!s.ok()) return s;
  return out;
}

Result<std::vector<Result<RecordOutcome>>> Store::RecordReplies(
    const std::vector<NewReply>& replies, TimePoint now, const std::string& actor) {
  std::vector<Result<RecordOutcome>> outs;
  outs.reserve(replies.size());
  Status s = db_->Write("record replies", [&]() -> Status {
    auto run = [&](const char* sql) {
      CachedStatement q(*db_, sql);
      q->exec();
    };
    for (const NewReply& r : replies) {
      // Each reply in its own savepoint: one that cannot be recorded (a unit
      // the consultation does not address, a constraint) is rolled back alone
      // and reported alone; the others are committed with the group.
      run("SAVEPOINT reply");
      RecordOutcome out;
      Status one;
      try {
        one = RecordOne(*db_, tz_, r, now, actor, out);
      } catch (const SQLite::Exception& e) {
        if (WholeTransactionError(e.getErrorCode())) throw;
        one = Status::Io(fmt::format("{}: record reply: {}", db_->path(), e.what()));
      }
      if (one.ok()) {
        run("RELEASE reply");
        outs.emplace_back(out);
      } else {
        run("ROLLBACK TO reply");
        run("RELEASE reply");
        outs.emplace_back(one);
      }
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return outs;
}

Status Store::Assign(std::int64_t reply_id, const std::string& consultation_id,
                     const std::string& unit_code, TimePoint now, const std::string& actor) {
  return db_->Write("assign reply", [&]() -> Status {
    SQLite::Database& db = db_->db();
    Statement q(
        db, "SELECT unit_code IS NOT NULL, received_at, channel, stance FROM replies WHERE id=?");
    q.bind(1, reply_id);
    if (!q.executeStep()) return Status::NotFound(fmt::format("no reply {}", reply_id));
    if (q.getColumn(0).getInt() != 0) {
      return Status::BadInput(fmt::format("reply {} is already attributed", reply_id));
    }
    const TimePoint received = FromSecs(q.getColumn(1).getInt64());
    const std::string what =
        fmt::format("{} reply {} assigned by hand, stance {}", q.getColumn(2).getString(), reply_id,
                    q.getColumn(3).getString());
    Result<Target> t = LoadTarget(db, consultation_id, unit_code);
    if (!t) return t.error();
    Statement u(db, "UPDATE replies SET consultation_id=?, unit_code=?, match_rule=? WHERE id=?");
    u.bind(1, consultation_id);
    u.bind(2, unit_code);
    u.bind(3, "assigned by " + actor);
    u.bind(4, reply_id);
    u.exec();
    Attribute(*db_, tz_, *t, what, received, reply_id, now, actor, "reply_assigned");
    return Status::Ok();
  });
}

Status Store::Extend(const std::string& id, TimePoint new_deadline,
                     const std::optional<std::string>& unit, TimePoint now,
                     const std::string& actor) {
  return db_->Write("extend", [&]() -> Status {
    SQLite::Database& db = db_->db();
    std::optional<ConsultationRow> c = LoadConsultation(db, id);
    if (!c || !c->active) return Status::NotFound(fmt::format("no consultation '{}'", id));
    if (DeadlinePassed(now, new_deadline)) {
      return Status::BadInput(
          fmt::format("the new deadline {} is already past", FormatHuman(new_deadline, tz_)));
    }
    if (unit) {
      std::vector<AddresseeRow> rows = LoadAddressees(db, id, *unit);
      if (rows.empty() || !rows.front().active) {
        return Status::NotFound(
            fmt::format("unit '{}' is not addressed by consultation '{}'", *unit, id));
      }
    }
    MoveDeadline(db, tz_, id, *c, new_deadline, unit, now, actor, "");
    return Status::Ok();
  });
}

Status Store::Exclude(const std::string& id, const std::string& unit, const std::string& reason,
                      TimePoint now, const std::string& actor) {
  return db_->Write("exclude", [&]() -> Status {
    SQLite::Database& db = db_->db();
    std::optional<ConsultationRow> c = LoadConsultation(db, id);
    if (!c || !c->active) return Status::NotFound(fmt::format("no consultation '{}'", id));
    std::vector<AddresseeRow> rows = LoadAddressees(db, id, unit);
    if (rows.empty() || !rows.front().active) {
      return Status::NotFound(
          fmt::format("unit '{}' is not addressed by consultation '{}'", unit, id));
    }
    if (rows.front().status == UnitStatus::kExcluded) {
      return Status::BadInput(fmt::format("unit '{}' is already excluded", unit));
    }
    Statement q(db,
                "UPDATE addressees SET status='excluded', excluded_reason=? WHERE "
                "consultation_id=? AND unit_code=?");
    q.bind(1, reason);
    q.bind(2, id);
    q.bind(3, unit);
    q.exec();
    AddEvent(db, {now, now, id, unit, "excluded",
                  fmt::format("{} -> excluded: {}", ToString(rows.front().status), reason), actor,
                  std::nullopt});
    return Status::Ok();
  });
}

}  // namespace tacit::store
