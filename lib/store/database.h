// The SQLite database: opening it the way SPEC §8 requires (WAL,
// synchronous=FULL, foreign keys, a busy timeout so tacitd and tacitctl wait for
// each other), numbered schema migrations in PRAGMA user_version, and write
// transactions that start with BEGIN IMMEDIATE.
//
// On-disk schema (version 1), one row per:
//   units          unit from units.csv (kept when removed from the file: active=0)
//   consultations  letter; `deadline` is the effective one (config or extended),
//                  `config_deadline` what the .toml said; state open|closed
//   addressees     (consultation, unit) with the unit's status and own deadline
//   replies        every reply ever received, matched or not; never deleted
//   events         append-only log (triggers refuse UPDATE and DELETE)
//   source_items   what each source has seen and acknowledged (for later sources)
// Times are INTEGER Unix seconds (UTC).
// Version 2 adds to replies: ocr_confidence (NULL unless read by OCR) and
// needs_check (1: OCR confidence too low, a person must look).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

#include <SQLiteCpp/SQLiteCpp.h>

#include "core/status.h"

namespace tacit::store {

inline constexpr int kSchemaVersion = 5;
// How long a writer waits for another's transaction before giving up (SPEC
// §8: tacitd and tacitctl wait for each other).
inline constexpr std::chrono::milliseconds kDefaultBusyTimeout{10'000};

class Database {
 public:
  // Opens (creating if needed) and migrates. Errors: kCorrupt for a file that is
  // not a tacit database or is damaged, kIo otherwise; a database from a newer
  // tacit is refused and left untouched.
  static Result<std::unique_ptr<Database>> Open(const std::string& path);

  SQLite::Database& db() { return db_; }
  const std::string& path() const { return path_; }

  // Runs `body` inside BEGIN IMMEDIATE ... COMMIT. An exception or a non-OK Status
  // from `body` rolls back. SQLite errors become a Status with `context`.
  Status Write(const std::string& context, const std::function<Status()>& body);
  // Runs `body` for reading; SQLite exceptions become a Status.
  Status Read(const std::string& context, const std::function<Status()>& body);

  // How long a write waits for another connection's transaction (default
  // kDefaultBusyTimeout); then it fails with kTransient, nothing changed.
  void SetBusyTimeout(std::chrono::milliseconds timeout);

  // Changes whenever another connection commits (PRAGMA data_version).
  Result<std::int64_t> DataVersion();

  // Frees this connection's page cache (up to 2 MB by default), for an idle
  // tacitd (issue 9); the pages are read again, from the OS cache, when needed.
  void ReleaseMemory();

  // The statement for `sql`, prepared once for this connection and kept, for
  // the few statements run for every reply of a backlog (issue 5: about eight
  // prepares a reply). Use it through CachedStatement, which resets it.
  SQLite::Statement& Cached(const std::string& sql);

 private:
  Database(const std::string& path, int flags);
  Status Migrate();

  std::string path_;
  SQLite::Database db_;
  std::chrono::milliseconds busy_timeout_ = kDefaultBusyTimeout;
  // After db_: finalized before the connection closes.
  std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> cached_;
};

// A statement from Database::Cached for one use: when it goes out of scope it
// is reset (a SELECT read only in part must not keep the connection's read
// transaction open) and its bindings cleared.
class CachedStatement {
 public:
  CachedStatement(Database& db, const std::string& sql) : statement_(db.Cached(sql)) {}
  ~CachedStatement() {
    statement_.tryReset();
    try {
      statement_.clearBindings();  // sqlite3_clear_bindings never fails
    } catch (...) {                // NOLINT(bugprone-empty-catch): nothing to undo in a destructor
    }
  }
  CachedStatement(const CachedStatement&) = delete;
  CachedStatement& operator=(const CachedStatement&) = delete;

  SQLite::Statement& operator*() { return statement_; }
  SQLite::Statement* operator->() { return &statement_; }

 private:
  SQLite::Statement& statement_;
};

}  // namespace tacit::store
