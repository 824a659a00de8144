#include "sources/mail_archive.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <filesystem>

#include <fcntl.h>
#include <fmt/format.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sources/file_ops.h"

namespace tacit::sources {
namespace fs = std::filesystem;

namespace {

// Writes `bytes` to `path` through a temporary file, renamed. Not fsynced
// here: SyncArchive flushes a whole group's files at once.
Status WriteFileAtomic(const fs::path& path, const std::string& bytes) {
  const std::string tmp = path.string() + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0640);
  if (fd < 0) return ErrnoStatus(tmp, errno);
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      ::unlink(tmp.c_str());
      return ErrnoStatus(tmp, err);
    }
    done += static_cast<size_t>(n);
  }
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return ErrnoStatus(tmp, err);
  }
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return ErrnoStatus(path.string(), err);
  }
  return Status::Ok();
}

}  // namespace

Status KeepMailAttachments(const std::string& state_dir, const TimeZone& tz,
                           const std::string& content_hash, TimePoint received,
                           const std::vector<mail::AttachmentData>& attachments, bool* wrote) {
  if (attachments.empty()) return Status::Ok();
  const fs::path dir =
      fs::path(state_dir) / "archive" / MonthFolder(received, tz) /
      ("mail-" + content_hash.substr(0, std::min<std::size_t>(12, content_hash.size())));
  // The month folder nearly always exists: one mkdir, and the whole path
  // only when a parent is missing.
  if (::mkdir(dir.c_str(), 0750) != 0 && errno != EEXIST) {
    std::error_code ec;
    fs::create_directories(dir, ec);
    if (ec) return Status::Io(fmt::format("{}: {}", dir.string(), ec.message()));
  }
  for (const mail::AttachmentData& a : attachments) {
    const fs::path target = dir / a.name;
    // Idempotent: a copy kept by an earlier attempt (same message, same name,
    // same size) is not written again.
    struct stat st {};
    if (::lstat(target.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
        static_cast<std::uint64_t>(st.st_size) == a.bytes.size()) {
      continue;
    }
    if (Status s = WriteFileAtomic(target, a.bytes); !s.ok()) return s;
    *wrote = true;
  }
  return Status::Ok();
}

Status SyncArchive(const std::string& state_dir) {
  const std::string dir = state_dir + "/archive";
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(dir, errno);
  const int rc = ::syncfs(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) return ErrnoStatus(dir, err);
  return Status::Ok();
}

}  // namespace tacit::sources
