// FileSystem: the file operations tacit's own logic performs, behind an interface
// so tests can fail them (ENOSPC, EIO) or watch them. SQLite, and later GMime and
// inotify, do their own I/O and are tested in real temporary directories instead.
#pragma once

#include <functional>
#include <string>

#include "core/status.h"
#include "core/text_sink.h"

namespace tacit {

// Called from several threads at once (tacitd's loop writes the status file
// while its page thread writes status.html and two reports at a time):
// implementations keep no unguarded state.
class FileSystem {
 public:
  virtual ~FileSystem() = default;
  // Replaces `path` with `contents` so that a reader (or a crash) sees either the
  // old file or the new one, never a mix: write "path.tmp", fsync, rename, fsync
  // the directory. On failure the old file is untouched and the temp is removed.
  virtual Status WriteAtomic(const std::string& path, const std::string& contents) = 0;
  // The same for a document made as it is written: `render` appends to the
  // sink, which the real file system empties into the temp file chunk by
  // chunk (a report of 370 MB is never in memory whole). A failure of
  // `render` or of a write leaves the old file. This default renders into a
  // string and calls WriteAtomic, so test doubles see every write there.
  using Render = std::function<Status(TextSink&)>;
  virtual Status WriteAtomicStreamed(const std::string& path, const Render& render);
  virtual Result<std::string> ReadFile(const std::string& path) = 0;
  // Creates the directory and its parents; OK if it exists.
  virtual Status MakeDirs(const std::string& path) = 0;
};

// The real thing; the only place in lib/ with direct open/fsync/rename.
class PosixFileSystem final : public FileSystem {
 public:
  Status WriteAtomic(const std::string& path, const std::string& contents) override;
  Status WriteAtomicStreamed(const std::string& path, const Render& render) override;
  Result<std::string> ReadFile(const std::string& path) override;
  Status MakeDirs(const std::string& path) override;
};

}  // namespace tacit
