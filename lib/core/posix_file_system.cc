#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

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

// The temp file `tmp`, open as `fd` and fully written, becomes `path`: fsync,
// close, rename, fsync the directory. On failure `tmp` is removed.
Status Replace(int fd, const std::string& tmp, const std::string& path) {
  if (::fsync(fd) != 0) {
    int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return ErrnoStatus("write " + tmp, err);
  }
  if (::close(fd) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return ErrnoStatus("close " + tmp, err);
  }
  CrashPoint("status.before_rename");
  if (::rename(tmp.c_str(), path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return ErrnoStatus("rename " + tmp, err);
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
  const std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoStatus("open " + tmp, errno);
  if (!WriteAll(fd, contents)) {
    int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return ErrnoStatus("write " + tmp, err);
  }
  return Replace(fd, tmp, path);
}

Status PosixFileSystem::WriteAtomicStreamed(const std::string& path, const Render& render) {
  const std::string tmp = path + ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return ErrnoStatus("open " + tmp, errno);
  // After a failed write the rest is not written (and the file not kept).
  int write_error = 0;
  TextSink sink([fd, &write_error](std::string_view chunk) {
    if (write_error == 0 && !WriteAll(fd, chunk)) write_error = errno;
  });
  Status rendered = render(sink);
  if (rendered.ok()) sink.Finish();
  if (!rendered.ok() || write_error != 0) {
    ::close(fd);
    ::unlink(tmp.c_str());
    return rendered.ok() ? ErrnoStatus("write " + tmp, write_error) : rendered;
  }
  return Replace(fd, tmp, path);
}

Result<std::string> PosixFileSystem::ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ErrnoStatus(path, errno);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) return ErrnoStatus(path, errno);
  return ss.str();
}

Status PosixFileSystem::MakeDirs(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) return Status::Io(path + ": " + ec.message());
  return Status::Ok();
}

}  // namespace tacit
