#include <cerrno>
#include <filesystem>
#include <functional>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/crash_point.h"
#include "core/file_system.h"

namespace tacit {
namespace {

// Writes all of `data` to `fd`, retrying on EINTR and short writes.
bool WriteAll(int fd, std::string_view data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    done += static_cast<size_t>(n);
  }
  return true;
}

// Gives the temp file up: closed (when `fd` is open) and removed.
Status Abandon(int fd, const std::string& tmp, Status why) {
  if (fd >= 0) ::close(fd);
  ::unlink(tmp.c_str());
  return why;
}

// Replaces `path` with what `write` puts in "path.tmp" (open as its `fd`):
// fsync, close, rename, fsync the directory. On any failure the temp is
// removed and the old file stays.
Status ThroughTemp(const std::string& path,
                   const std::function<Status(int fd, const std::string& tmp)>& write) {
  const std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoStatus("open " + tmp, errno);
  if (Status s = write(fd, tmp); !s.ok()) return Abandon(fd, tmp, s);
  // errno is read before anything else can change it.
  if (::fsync(fd) != 0) {
    const int err = errno;
    return Abandon(fd, tmp, ErrnoStatus("write " + tmp, err));
  }
  if (::close(fd) != 0) {
    const int err = errno;
    return Abandon(-1, tmp, ErrnoStatus("close " + tmp, err));
  }
  CrashPoint("status.before_rename");
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    return Abandon(-1, tmp, ErrnoStatus("rename " + tmp, err));
  }
  // The rename is durable only once the directory entry is.
  // (Not `if (dir.empty()) dir = ".";`: GCC 12 at -O3 reports a false
  // -Wrestrict there, GCC bug 105329.)
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (parent.empty()) parent = std::filesystem::path(".");
  const std::string dir = parent.string();
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) return ErrnoStatus("open " + dir, errno);
  int rc = ::fsync(dfd);
  int err = errno;
  ::close(dfd);
  if (rc != 0) return ErrnoStatus("fsync " + dir, err);
  return Status::Ok();
}

}  // namespace

Status FileSystem::WriteAtomicStreamed(const std::string& path, const Render& render) {
  TextSink whole;
  if (Status s = render(whole); !s.ok()) return s;
  return WriteAtomic(path, whole.Take());
}

Status PosixFileSystem::WriteAtomic(const std::string& path, const std::string& contents) {
  return ThroughTemp(path, [&](int fd, const std::string& tmp) {
    if (WriteAll(fd, contents)) return Status::Ok();
    const int err = errno;
    return ErrnoStatus("write " + tmp, err);
  });
}

Status PosixFileSystem::WriteAtomicStreamed(const std::string& path, const Render& render) {
  return ThroughTemp(path, [&](int fd, const std::string& tmp) {
    // After a failed write the rest is not written (and the file not kept).
    int write_error = 0;
    TextSink sink([fd, &write_error](std::string_view chunk) {
      if (write_error == 0 && !WriteAll(fd, chunk)) write_error = errno;
    });
    if (Status rendered = render(sink); !rendered.ok()) return rendered;
    sink.Finish();
    return write_error == 0 ? Status::Ok() : ErrnoStatus("write " + tmp, write_error);
  });
}

// One read loop into a string sized from fstat (a units.csv of 100,000 units
// is 16 MB: through a stringstream it took 0.25 s of tacitd's start-up).
Result<std::string> PosixFileSystem::ReadFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(path, errno);
  std::string text;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && st.st_size > 0) text.reserve(static_cast<size_t>(st.st_size));
  char buf[65536];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      const int err = errno;
      ::close(fd);
      return ErrnoStatus(path, err);
    }
    if (n == 0) break;
    text.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return text;
}

Status PosixFileSystem::MakeDirs(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return Status::Io(path + ": " + ec.message());
  return Status::Ok();
}

}  // namespace tacit
