#include "sources/file_ops.h"

#include <array>
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
  // Across file systems (a drop folder on another disk than state_dir): copy
  // to a hidden name beside the target, fsync, link it in under the final name
  // (link() never replaces: EEXIST), fsync the folder, and only then unlink the
  // source, which acknowledges the item. A copy that fails half way (the disk
  // is full) is removed, so the final name never holds a partial file: found
  // by the disk-full test, where the reply named a truncated archive copy and
  // every retry left another one. A crash mid-copy leaves only the hidden name.
  const fs::path target(to);
  const std::string tmp =
      (target.parent_path() / ("." + target.filename().string() + ".partial")).string();
  int in = ::open(from.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (in < 0) return errno;
  struct stat st {};
  if (::fstat(in, &st) != 0) {
    int err = errno;
    ::close(in);
    return err;
  }
  int out =
      ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, st.st_mode & 0666);
  if (out < 0) {
    int err = errno;
    ::close(in);
    return err;
  }
  int err = 0;
  std::array<char, 64 * 1024> buf;
  while (err == 0) {
    ssize_t n = ::read(in, buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) err = errno;
    if (n <= 0) break;
    for (ssize_t done = 0; done < n && err == 0;) {
      ssize_t w = ::write(out, buf.data() + done, static_cast<size_t>(n - done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0) err = errno;
      if (w > 0) done += w;
    }
  }
  if (err == 0 && ::fsync(out) != 0) err = errno;
  if (::close(out) != 0 && err == 0) err = errno;
  ::close(in);
  if (err == 0 && ::link(tmp.c_str(), to.c_str()) != 0) {
    err = errno;
    // A file system without hard links: a rename that refuses to replace.
    if ((err == EPERM || err == EOPNOTSUPP) &&
        ::renameat2(AT_FDCWD, tmp.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) {
      err = 0;
    }
  }
  ::unlink(tmp.c_str());
  if (err != 0) return err;
  int dir = ::open(target.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
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
    out.close();
    if (!out) {
      // A full disk: an item without its reason would be a mystery. It stays
      // where it is and is looked at again.
      log::Error("cannot quarantine {}: cannot write {}.reason", path, name);
      fs::remove(dir / (name + ".reason"), ec);
      return false;
    }
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
