// File operations shared by the file-based sources (drop folder, Maildir):
// reading an item safely, and moving it without ever replacing anything.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

#include <sys/stat.h>

#include "core/clock.h"
#include "core/status.h"
#include "domain/dates.h"

namespace tacit::sources {

struct FileBytes {
  std::string bytes;
  struct stat st {};  // as read through the open descriptor
};

// Opens without following links and reads a regular file of at most
// `max_bytes`. kBadInput (refuse, with a one-line reason for NAME.reason):
// "symbolic link: not followed", "a FIFO: only regular files are read",
// "file is N bytes, over LIMIT_NAME (M)"; kNotFound: gone meanwhile.
Result<FileBytes> ReadRegularFile(const std::string& path, std::uint64_t max_bytes,
                                  const std::string& limit_name);

// "NAME", else "STEM (2).ext", "STEM (3).ext", ... that exists in `dir` neither
// as a file nor as a quarantine reason.
std::string FreeName(const std::filesystem::path& dir, const std::string& name);

// Moves `from` to `to` without ever replacing an existing file (EEXIST then);
// across file systems by copy, fsync and unlink. Returns 0 or an errno value.
int MoveNoReplace(const std::string& from, const std::string& to);

// "2026/02": the archive folder of an instant, in the office's time zone.
std::string MonthFolder(TimePoint t, const TimeZone& tz);

// Moves `path` into `dir`/quarantine-style: writes NAME.reason (one line) first,
// then the item beside it under a free name. Returns false (and logs) on failure.
bool QuarantineFile(const std::string& path, const std::filesystem::path& dir,
                    const std::string& reason);

}  // namespace tacit::sources
