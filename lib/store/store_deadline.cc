// Store's deadline application (SPEC §2): once per deadline, in one transaction,
// stamped with the deadline, gated on every source having been drained.
#include <fmt/format.h>

#include "domain/deadline.h"
#include "store/sql_time.h"
#include "store/store.h"

namespace tacit::store {
namespace {

using SQLite::Statement;

struct Due {
  std::string id;
  TimePoint earliest;  // the earliest passed deadline among the work to do
};

// Consultations with a passed, unapplied deadline: open ones past their deadline,
// or units still pending past their own deadline.
std::vector<Due> FindDue(SQLite::Database& db, TimePoint now) {
  Statement q(db, R"sql(
    SELECT c.id, MIN(d) FROM (
      SELECT id AS cid, deadline AS d FROM consultations
        WHERE active=1 AND state='open' AND deadline < ?1
      UNION ALL
      SELECT a.consultation_id, COALESCE(a.unit_deadline, c2.deadline)
        FROM addressees a JOIN consultations c2 ON c2.id=a.consultation_id
        WHERE c2.active=1 AND a.active=1 AND a.status='pending'
          AND COALESCE(a.unit_deadline, c2.deadline) < ?1
    ) JOIN consultations c ON c.id=cid GROUP BY c.id ORDER BY c.id)sql");
  q.bind(1, Secs(now));
  std::vector<Due> out;
  while (q.executeStep()) {
    out.push_back({q.getColumn(0).getString(), FromSecs(q.getColumn(1).getInt64())});
  }
  return out;
}

std::string Join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

Result<DeadlineReport> Store::ApplyDueDeadlines(TimePoint now, const DeadlineGate& gate,
                                                const std::string& actor) {
  DeadlineReport report;
  std::vector<Due> due;
  Status s = db_->Read("find due deadlines", [&] {
    due = FindDue(db_->db(), now);
    return Status::Ok();
  });
  if (!s.ok()) return s;
  for (const Due& d : due) {
    if (!gate.unchecked_sources.empty() && now < d.earliest + gate.grace) {
      report.waiting.push_back(fmt::format("{}: waiting for {} (until {})", d.id,
                                           Join(gate.unchecked_sources),
                                           FormatHuman(d.earliest + gate.grace, tz_)));
      continue;
    }
    bool closed_now = false;
    s = db_->Write("apply deadline", [&]() -> Status {
      SQLite::Database& db = db_->db();
      // Re-read inside the transaction: another process may have applied it.
      Statement c(db, "SELECT deadline, state, silence_means FROM consultations WHERE id=?");
      c.bind(1, d.id);
      if (!c.executeStep()) return Status::Ok();
      const TimePoint deadline = FromSecs(c.getColumn(0).getInt64());
      const bool open = c.getColumn(1).getString() == "open";
      const UnitStatus silent = StatusForSilence(
          ParseSilenceMeans(c.getColumn(2).getString()).value_or(SilenceMeans::kConsent));
      std::string note;
      if (!gate.unchecked_sources.empty()) {
        note = fmt::format("; sources not checked (unreachable for the whole grace period): {}",
                           Join(gate.unchecked_sources));
      }
      Statement units(db,
                      "SELECT unit_code, COALESCE(unit_deadline, ?2) FROM addressees WHERE "
                      "consultation_id=?1 AND active=1 AND status='pending' AND "
                      "COALESCE(unit_deadline, ?2) < ?3 ORDER BY unit_code");
      units.bind(1, d.id);
      units.bind(2, Secs(deadline));
      units.bind(3, Secs(now));
      std::vector<std::pair<std::string, TimePoint>> silent_units;
      while (units.executeStep()) {
        silent_units.emplace_back(units.getColumn(0).getString(),
                                  FromSecs(units.getColumn(1).getInt64()));
      }
      Statement set(db,
                    "UPDATE addressees SET status=? WHERE consultation_id=? AND unit_code=? AND "
                    "status='pending'");
      Statement ev(db,
                   "INSERT INTO events(at, effective_at, consultation_id, unit_code, kind, detail, "
                   "actor) VALUES(?,?,?,?,'status_changed',?,?)");
      for (const auto& [unit, unit_deadline] : silent_units) {
        set.reset();
        set.bind(1, std::string(ToString(silent)));
        set.bind(2, d.id);
        set.bind(3, unit);
        set.exec();
        ev.reset();
        ev.bind(1, Secs(now));
        ev.bind(2, Secs(unit_deadline));
        ev.bind(3, d.id);
        ev.bind(4, unit);
        ev.bind(5, fmt::format("pending -> {}: no reply by the deadline {}{}", ToString(silent),
                               FormatHuman(unit_deadline, tz_), note));
        ev.bind(6, actor);
        ev.exec();
      }
      if (open && DeadlinePassed(now, deadline)) {
        Statement close(db, "UPDATE consultations SET state='closed', closed_at=? WHERE id=?");
        close.bind(1, Secs(now));
        close.bind(2, d.id);
        close.exec();
        Statement e(db,
                    "INSERT INTO events(at, effective_at, consultation_id, kind, detail, actor) "
                    "VALUES(?,?,?,'deadline_applied',?,?)");
        e.bind(1, Secs(now));
        e.bind(2, Secs(deadline));
        e.bind(3, d.id);
        e.bind(4, fmt::format("deadline {} applied at {}: {} silent units -> {}{}",
                              FormatHuman(deadline, tz_), FormatIso(now, tz_), silent_units.size(),
                              ToString(silent), note));
        e.bind(5, actor);
        e.exec();
        closed_now = true;
      }
      return Status::Ok();
    });
    if (!s.ok()) return s;
    if (closed_now) report.applied.push_back(d.id);
  }
  return report;
}

Result<std::optional<TimePoint>> Store::NextDeadline() {
  std::optional<TimePoint> next;
  Status s = db_->Read("next deadline", [&] {
    SQLite::Statement q(db_->db(), R"sql(
      SELECT MIN(d) FROM (
        SELECT deadline AS d FROM consultations WHERE active=1 AND state='open'
        UNION ALL
        SELECT COALESCE(a.unit_deadline, c.deadline) FROM addressees a
          JOIN consultations c ON c.id=a.consultation_id
          WHERE c.active=1 AND a.active=1 AND a.status='pending'))sql");
    if (q.executeStep() && !q.getColumn(0).isNull()) {
      // Work is due one second after the last on-time second.
      next = FromSecs(q.getColumn(0).getInt64()) + std::chrono::seconds{1};
    }
    return Status::Ok();
  });
  if (!s.ok()) return s;
  return next;
}

}  // namespace tacit::store
