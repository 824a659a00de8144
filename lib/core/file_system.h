// FileSystem: the file operations tacit's own logic performs, behind an interface
// so tests can fail them (ENOSPC, EIO) or watch them. SQLite, and later GMime and
// inotify, do their own I/O and are tested in real temporary directories instead.
#pragma once

#include <string>

#include "core/status.h"

namespace tacit {

class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // Replaces `path` with `contents` so that a reader (or a crash) sees either the
  // old file or the new one, never a mix: write "path.tmp", fsync, rename, fsync
  // the directory. On failure the old file is untouched and the temp is removed.
  virtual Status WriteAtomic(const std::string& path, const std::string& contents) = 0;
  virtual Result<std::string> ReadFile(const std::string& path) = 0;
  // Creates the directory and its parents; OK if it exists.
  virtual Status MakeDirs(const std::string& path) = 0;
};

// The real thing; the only place in lib/ with direct open/fsync/rename.
class PosixFileSystem final : public FileSystem {
 public:
  Status WriteAtomic(const std::string& path, const std::string& contents) override;
  Result<std::string> ReadFile(const std::string& path) override;
  Status MakeDirs(const std::string& path) override;
};

}  // namespace tacit
