#include "sources/file_ops.h"

#include <cerrno>
#include <cstring>
#include <fstream>

#include <date/date.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <stdio.h>
#include <unistd.h>

#include "core/log.h"

namespace tacit::sources {
namespace fs = std::filesystem;

namespace {

const char* TypeName(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISDIR(mode)) return "a folder";
  return "not a regular file";
}

}  // namespace

Result<FileBytes> ReadRegularFile(const std::string& path, std::uint64_t max_bytes,
                                  const std::string& limit_name) {
  int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return Status::NotFound(path + ": gone");
    if (errno == ELOOP) return Status::BadInput("symbolic link: not followed");
    return Status::BadInput(fmt::format("cannot open: {}", std::strerror(errno)));
  }
  FileBytes out;
  Status error;
  if (::fstat(fd, &out.st) != 0) {
    error = Status::BadInput(fmt::format("cannot stat: {}", std::strerror(errno)));
  } else if (!S_ISREG(out.st.st_mode)) {
    error =
        Status::BadInput(fmt::format("{}: only regular files are read", TypeName(out.st.st_mode)));
  } else if (static_cast<std::uint64_t>(out.st.st_size) > max_bytes) {
    error = Status::BadInput(
        fmt::format("file is {} bytes, over {} ({})", out.st.st_size, limit_name, max_bytes));
  } else {
    out.bytes.resize(static_cast<size_t>(out.st.st_size));
    size_t done = 0;
    while (error.ok()) {
      // Read one byte more than the size: a file growing while we read is
      // refused rather than read in part.
      if (done == out.bytes.size()) out.bytes.resize(done + 1);
      ssize_t n = ::read(fd, out.bytes.data() + done, out.bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) error = Status::BadInput(fmt::format("cannot read: {}", std::strerror(errno)));
      if (n <= 0) break;
      done += static_cast<size_t>(n);
      if (done > max_bytes) {
        error = Status::BadInput(fmt::format("file grew over {} ({})", limit_name, max_bytes));
      }
    }
    out.bytes.resize(done);
  }
  ::close(fd);
  if (!error.ok()) return error;
  return out;
}

std::string FreeName(const fs::path& dir, const std::string& name) {
  fs::path p(name);
  std::string stem = p.stem().string(), ext = p.extension().string();
  std::error_code ec;
  for (int i = 1;; ++i) {
    std::string candidate = i == 1 ? name : fmt::format("{} ({}){}", stem, i, ext);
    if (!fs::exists(dir / candidate, ec) && !fs::exists(dir / (candidate + ".reason"), ec)) {
      return candidate;
    }
  }
}

int MoveNoReplace(const std::string& from, const std::string& to) {
  if (::renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return 0;
  if (errno != EXDEV) return errno;
  std::error_code ec;
  fs::copy_file(from, to, fs::copy_options::none, ec);
  if (ec) return ec.value();
  int fd = ::open(to.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
  return ::unlink(from.c_str()) == 0 ? 0 : errno;
}

std::string MonthFolder(TimePoint t, const TimeZone& tz) {
  date::local_seconds local{t.time_since_epoch() + std::chrono::seconds{tz.OffsetSeconds(t)}};
  return date::format("%Y/%m", local);
}

bool QuarantineFile(const std::string& path, const fs::path& dir, const std::string& reason) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  const std::string name = FreeName(dir, fs::path(path).filename().string());
  // The reason first: a crash in between leaves a stray .reason, never an item
  // in quarantine without one.
  {
    std::ofstream out(dir / (name + ".reason"));
    out << reason << "\n";
  }
  int err = MoveNoReplace(path, (dir / name).string());
  if (err != 0) {
    log::Error("cannot quarantine {}: {}", path, std::strerror(err));
    fs::remove(dir / (name + ".reason"), ec);
    return false;
  }
  return true;
}

}  // namespace tacit::sources
