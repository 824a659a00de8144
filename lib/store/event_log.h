// Appending to the event log, for the Store's .cc files only.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <SQLiteCpp/SQLiteCpp.h>

#include "core/clock.h"
#include "store/database.h"
#include "store/sql_time.h"

namespace tacit::store {

struct Event {
  TimePoint at, effective_at;
  std::string consultation_id, unit_code, kind, detail, actor;
  std::optional<std::int64_t> reply_id;
};

inline constexpr const char* kAddEventSql =
    "INSERT INTO events(at, effective_at, consultation_id, unit_code, reply_id, kind, detail, "
    "actor) VALUES(?,?,?,?,?,?,?,?)";

inline void InsertEvent(SQLite::Statement& q, const Event& e) {
  q.bind(1, Secs(e.at));
  q.bind(2, Secs(e.effective_at));
  if (e.consultation_id.empty()) {
    q.bind(3);
  } else {
    q.bind(3, e.consultation_id);
  }
  if (e.unit_code.empty()) {
    q.bind(4);
  } else {
    q.bind(4, e.unit_code);
  }
  if (e.reply_id) {
    q.bind(5, *e.reply_id);
  } else {
    q.bind(5);
  }
  q.bind(6, e.kind);
  q.bind(7, e.detail);
  q.bind(8, e.actor);
  q.exec();
}

inline void AddEvent(SQLite::Database& db, const Event& e) {
  SQLite::Statement q(db, kAddEventSql);
  InsertEvent(q, e);
}

// The same with the statement the connection keeps (a reply's path).
inline void AddEvent(Database& d, const Event& e) {
  CachedStatement q(d, kAddEventSql);
  InsertEvent(*q, e);
}

}  // namespace tacit::store
