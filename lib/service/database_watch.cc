#include "service/database_watch.h"

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>
#include <sys/inotify.h>

#include "core/log.h"

namespace tacit::service {
namespace {

// IN_MODIFY: a commit's frames; IN_CLOSE_WRITE: a writer closed the WAL (after
// its commit is visible); IN_CREATE / IN_MOVED_TO: the WAL made anew.
constexpr std::uint32_t kWatchMask = IN_MODIFY | IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO;

std::string ParentOf(const std::string& path) {
  std::string dir = std::filesystem::path(path).parent_path().string();
  return dir.empty() ? "." : dir;
}

}  // namespace

DatabaseWatch::DatabaseWatch(boost::asio::io_context& io, std::string db_path,
                             std::chrono::milliseconds debounce, std::function<void()> on_change)
    : dir_(ParentOf(db_path)),
      wal_name_(std::filesystem::path(db_path).filename().string() + "-wal"),
      debounce_(debounce),
      on_change_(std::move(on_change)),
      stream_(io),
      timer_(io) {}

DatabaseWatch::~DatabaseWatch() {
  *alive_ = false;
  Stop();
}

Status DatabaseWatch::Start() {
  int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd < 0) return ErrnoStatus("inotify_init1", errno);
  stream_.assign(fd);
  watch_ = ::inotify_add_watch(fd, dir_.c_str(), kWatchMask);
  if (watch_ < 0) {
    Status s = ErrnoStatus(fmt::format("inotify_add_watch {}", dir_), errno);
    boost::system::error_code ignored;
    stream_.close(ignored);
    return s;
  }
  watching_ = true;
  ReadEvents();
  return Status::Ok();
}

void DatabaseWatch::Stop() {
  if (stopping_) return;
  stopping_ = true;
  watching_ = false;
  timer_.cancel();
  if (stream_.is_open()) {
    boost::system::error_code ignored;
    stream_.close(ignored);  // closes the inotify instance and its watch
  }
}

void DatabaseWatch::ReadEvents() {
  stream_.async_read_some(
      boost::asio::buffer(buffer_),
      [this, alive = alive_](const boost::system::error_code& ec, std::size_t n) {
        if (ec || !*alive || stopping_) return;
        bool changed = false;
        for (std::size_t off = 0; off + sizeof(inotify_event) <= n;) {
          inotify_event ev{};
          std::memcpy(&ev, buffer_.data() + off, sizeof(ev));
          std::string_view name;
          if (ev.len > 0) {
            const char* p = buffer_.data() + off + sizeof(ev);
            name = std::string_view(p, ::strnlen(p, ev.len));
          }
          off += sizeof(inotify_event) + ev.len;
          if (ev.mask & IN_Q_OVERFLOW) {
            changed = true;  // some events were dropped: look anyway
          } else if (ev.mask & IN_IGNORED) {
            // The folder went away (or its file system): nothing more will
            // come. Said once; the caller polls from now on.
            if (watching_) log::Warn("{}: no longer watched for tacitctl's changes", dir_);
            watching_ = false;
            changed = true;
          } else if (name == wal_name_) {
            changed = true;
          }
        }
        if (changed) Fire();
        if (watching_) ReadEvents();
      });
}

void DatabaseWatch::Fire() {
  // The first event of a burst arms the timer; the rest of the burst (a
  // transaction writes several frames, then tacitctl closes the file) is
  // covered by that one look. An event after the timer fired arms it again, so
  // the last event of a burst is always followed by a look.
  if (armed_ || stopping_) return;
  armed_ = true;
  timer_.expires_after(debounce_);
  timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    if (ec || !*alive) return;
    armed_ = false;
    if (stopping_) return;
    on_change_();
  });
}

}  // namespace tacit::service
