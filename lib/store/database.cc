#include "store/database.h"

#include <array>

#include <fmt/format.h>
#include <sqlite3.h>

namespace tacit::store {
namespace {

// Migration N turns a version N-1 database into version N. Append only: never
// edit a migration that has shipped.
constexpr std::array<const char*, kSchemaVersion> kMigrations = {R"sql(
CREATE TABLE units(
  code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  grp TEXT NOT NULL,
  emails TEXT NOT NULL DEFAULT '',
  aliases TEXT NOT NULL DEFAULT '',
  position INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1);
CREATE TABLE consultations(
  id TEXT PRIMARY KEY,
  reference TEXT NOT NULL DEFAULT '',
  subject TEXT NOT NULL DEFAULT '',
  issuer TEXT NOT NULL DEFAULT '',
  signer TEXT NOT NULL DEFAULT '',
  silence_means TEXT NOT NULL,
  config_deadline INTEGER NOT NULL,
  deadline INTEGER NOT NULL,
  state TEXT NOT NULL DEFAULT 'open' CHECK(state IN ('open', 'closed')),
  closed_at INTEGER,
  active INTEGER NOT NULL DEFAULT 1);
CREATE TABLE addressees(
  consultation_id TEXT NOT NULL REFERENCES consultations(id),
  unit_code TEXT NOT NULL REFERENCES units(code),
  status TEXT NOT NULL DEFAULT 'pending',
  unit_deadline INTEGER,
  excluded_reason TEXT,
  notice_failed INTEGER NOT NULL DEFAULT 0,
  active INTEGER NOT NULL DEFAULT 1,
  PRIMARY KEY(consultation_id, unit_code));
CREATE TABLE replies(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  consultation_id TEXT REFERENCES consultations(id),
  unit_code TEXT REFERENCES units(code),
  channel TEXT NOT NULL,
  received_at INTEGER NOT NULL,
  recorded_at INTEGER NOT NULL,
  sender TEXT NOT NULL DEFAULT '',
  subject TEXT NOT NULL DEFAULT '',
  message_id TEXT,
  date_header TEXT NOT NULL DEFAULT '',
  text TEXT NOT NULL DEFAULT '',
  stance TEXT NOT NULL,
  match_rule TEXT NOT NULL DEFAULT '',
  content_hash TEXT NOT NULL,
  source_ref TEXT NOT NULL DEFAULT '',
  actor TEXT NOT NULL);
CREATE UNIQUE INDEX replies_message_id ON replies(message_id) WHERE message_id IS NOT NULL;
CREATE UNIQUE INDEX replies_content_hash ON replies(content_hash);
CREATE INDEX replies_by_unit ON replies(consultation_id, unit_code);
CREATE TABLE events(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  effective_at INTEGER NOT NULL,
  consultation_id TEXT,
  unit_code TEXT,
  reply_id INTEGER,
  kind TEXT NOT NULL,
  detail TEXT NOT NULL,
  actor TEXT NOT NULL);
CREATE INDEX events_by_consultation ON events(consultation_id, id);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
  BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TABLE source_items(
  source TEXT NOT NULL,
  item_key TEXT NOT NULL,
  reply_id INTEGER REFERENCES replies(id),
  outcome TEXT NOT NULL,
  seen_at INTEGER NOT NULL,
  acked_at INTEGER,
  PRIMARY KEY(source, item_key));
)sql",
                                                                 // 2: mail out.
                                                                 R"sql(
CREATE TABLE outbox(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK(kind IN ('reminder', 'digest', 'report')),
  consultation_id TEXT NOT NULL REFERENCES consultations(id),
  unit_code TEXT NOT NULL DEFAULT '',
  slot TEXT NOT NULL,
  message_id TEXT NOT NULL UNIQUE,
  recipients TEXT NOT NULL,
  subject TEXT NOT NULL,
  message BLOB NOT NULL,
  state TEXT NOT NULL
    CHECK(state IN ('planned', 'sending', 'sent', 'failed', 'cancelled', 'skipped')),
  due_at INTEGER NOT NULL,
  planned_at INTEGER NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT NOT NULL DEFAULT '',
  sent_at INTEGER,
  UNIQUE(kind, consultation_id, unit_code, slot));
CREATE INDEX outbox_due ON outbox(state, next_attempt_at);
CREATE TABLE failed_addresses(
  consultation_id TEXT NOT NULL REFERENCES consultations(id),
  unit_code TEXT NOT NULL,
  address TEXT NOT NULL,
  reason TEXT NOT NULL,
  failed_at INTEGER NOT NULL,
  outbox_id INTEGER REFERENCES outbox(id),
  PRIMARY KEY(consultation_id, unit_code, address));
)sql",
                                                                 // 3: scanned replies (OCR).
                                                                 R"sql(
ALTER TABLE replies ADD COLUMN ocr_confidence REAL;
ALTER TABLE replies ADD COLUMN needs_check INTEGER NOT NULL DEFAULT 0;
)sql",
                                                                 // 4: the status file's reads
                                                                 // from indexes alone (bench/
                                                                 // scale_bench, 200,000 replies).
                                                                 R"sql(
CREATE INDEX replies_unmatched ON replies(received_at, id) WHERE unit_code IS NULL;
CREATE INDEX replies_brief
  ON replies(consultation_id, received_at, id, unit_code, channel, stance, needs_check);
)sql",
                                                                 // 5: what the store keeps
                                                                 // about itself (the config
                                                                 // last synced).
                                                                 R"sql(
CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
)sql"};

// What to do about a damaged database; tacit itself never repairs or replaces it.
constexpr const char* kDamagedAdvice =
    "tacit has not changed the file and will not start on it: stop tacitd, keep a copy of the "
    "file, and restore tacit.db from a backup (or move it aside to start an empty one)";

}  // namespace

Database::Database(const std::string& path, int flags)
    : path_(path), db_(path, flags, static_cast<int>(kDefaultBusyTimeout.count())) {}

SQLite::Statement& Database::Cached(const std::string& sql) {
  std::unique_ptr<SQLite::Statement>& statement = cached_[sql];
  if (!statement) statement = std::make_unique<SQLite::Statement>(db_, sql);
  return *statement;
}

void Database::SetBusyTimeout(std::chrono::milliseconds timeout) {
  db_.setBusyTimeout(static_cast<int>(timeout.count()));
  busy_timeout_ = timeout;
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& path) {
  std::unique_ptr<Database> d;
  try {
    d.reset(new Database(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE));
    // A damaged file is refused before anything is written to it: a damaged
    // page in the middle is otherwise only met later, by whichever statement
    // reads it, after tacitd has started on it. quick_check reads every page
    // (milliseconds for tacit's few MB) and changes nothing.
    std::string check = d->db_.execAndGet("PRAGMA quick_check").getString();
    if (check != "ok") {
      return Status::Corrupt(
          fmt::format("{}: the database is damaged ({}). {}", path, check, kDamagedAdvice));
    }
    // The journal mode is persistent; set it outside any transaction.
    d->db_.exec("PRAGMA journal_mode=WAL");
    d->db_.exec("PRAGMA synchronous=FULL");
    d->db_.exec("PRAGMA foreign_keys=ON");
  } catch (const SQLite::Exception& e) {
    if (e.getErrorCode() == SQLITE_NOTADB || e.getErrorCode() == SQLITE_CORRUPT) {
      return Status::Corrupt(
          fmt::format("{}: cannot open database: {}. {}", path, e.what(), kDamagedAdvice));
    }
    return Status::Io(fmt::format("{}: cannot open database: {}", path, e.what()));
  }
  if (Status s = d->Migrate(); !s.ok()) return s;
  return d;
}

Status Database::Migrate() {
  return Write("migrate", [&]() -> Status {
    int version = db_.execAndGet("PRAGMA user_version").getInt();
    if (version > kSchemaVersion) {
      return Status::Corrupt(
          fmt::format("{}: database schema version {} is newer than this tacit understands ({}); "
                      "the file was left unchanged: upgrade tacit to the version that wrote it",
                      path_, version, kSchemaVersion));
    }
    for (int v = version; v < kSchemaVersion; ++v) {
      db_.exec(kMigrations[static_cast<size_t>(v)]);
      db_.exec(fmt::format("PRAGMA user_version={}", v + 1));
    }
    return Status::Ok();
  });
}

Status Database::Write(const std::string& context, const std::function<Status()>& body) {
  try {
    SQLite::Transaction tx(db_, SQLite::TransactionBehavior::IMMEDIATE);
    Status s = body();
    if (!s.ok()) return s;  // tx's destructor rolls back
    tx.commit();
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    ErrorCode code = ErrorCode::kIo;
    int rc = e.getErrorCode();
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      // The busy timeout ran out: someone else (a sqlite3 shell, another
      // tacitctl, a backup tool) holds the write lock. Say so, and what to do.
      return Status::Transient(fmt::format(
          "{}: {}: database is locked: another program has held a write transaction for over "
          "{:.0f} s (a sqlite3 shell, another tacitctl?); nothing was changed, try again",
          path_, context, std::chrono::duration<double>(busy_timeout_).count()));
    }
    if (rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB) code = ErrorCode::kCorrupt;
    return Status(code, fmt::format("{}: {}: {}", path_, context, e.what()));
  }
}

Status Database::Read(const std::string& context, const std::function<Status()>& body) {
  try {
    return body();
  } catch (const SQLite::Exception& e) {
    return Status::Io(fmt::format("{}: {}: {}", path_, context, e.what()));
  }
}

Result<std::int64_t> Database::DataVersion() {
  try {
    return db_.execAndGet("PRAGMA data_version").getInt64();
  } catch (const SQLite::Exception& e) {
    return Status::Io(fmt::format("{}: data_version: {}", path_, e.what()));
  }
}

void Database::ReleaseMemory() { sqlite3_db_release_memory(db_.getHandle()); }

}  // namespace tacit::store
