// FaultVfs: a SQLite VFS for tests that wraps the default one and makes
// writes, syncs and truncates fail on demand, the way a full or failing disk
// does (SQLITE_FULL, SQLITE_IOERR_*), in the spirit of leveldb's ErrorEnv.
//
// While a FaultVfs exists it is SQLite's default VFS, so every database opened
// meanwhile (Store::Open included) goes through it with no seam in lib/store;
// the previous default is restored when it is destroyed. Databases opened
// through it must be closed before it is destroyed. One at a time; the state
// is process-wide because SQLite calls the VFS through plain C function
// pointers.
#pragma once

namespace tacit::testing {

class FaultVfs {
 public:
  enum class Fault {
    kNone,
    kFull,     // xWrite, xTruncate: SQLITE_FULL (ENOSPC)
    kIoError,  // xWrite: SQLITE_IOERR_WRITE, xTruncate: SQLITE_IOERR_TRUNCATE (EIO)
  };

  FaultVfs();
  ~FaultVfs();
  FaultVfs(const FaultVfs&) = delete;
  FaultVfs& operator=(const FaultVfs&) = delete;

  // From now on writes and truncates fail with `fault`, after `allow` more of
  // them have succeeded (so a transaction can fail half way through its pages).
  void FailWrites(Fault fault, int allow = 0);
  // From now on xSync fails with SQLITE_IOERR_FSYNC (the data may be written).
  void FailSyncs();
  // The disk is well again.
  void Clear();
  // Calls that failed since construction.
  int failures() const;
};

}  // namespace tacit::testing
