// Tells tacitd when another process (tacitctl, a sqlite3 shell) may have
// committed to the shared database, so that it need not ask SQLite four times a
// second (issue 9: an idle daemon wakes at most once a second).
//
// In WAL mode every commit writes its frames to DB-wal; the wal-index (DB-shm)
// is a shared mapping and raises no event. inotify on the database's folder, for
// events on DB-wal only, is therefore the hint: a write (IN_MODIFY), a writer
// closing it (IN_CLOSE_WRITE: tacitctl exits after its commit, so this event
// comes after the wal-index says the commit is there), the file made anew
// (IN_CREATE, IN_MOVED_TO). The folder is watched rather than the file so that
// a WAL deleted and made again (the last connection closing) keeps being seen.
//
// Events are only a hint: the caller asks PRAGMA data_version, which is the
// truth, once per burst (`debounce` after the first event), and keeps a slow
// safety poll for what inotify cannot see (another host on a network file
// system, a lost watch).
#pragma once

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include "core/status.h"

namespace tacit::service {

class DatabaseWatch {
 public:
  // `on_change` runs on the loop at most once per `debounce`, after events on
  // `db_path`-wal (or a queue overflow, or the watch being lost).
  DatabaseWatch(boost::asio::io_context& io, std::string db_path,
                std::chrono::milliseconds debounce, std::function<void()> on_change);
  ~DatabaseWatch();
  DatabaseWatch(const DatabaseWatch&) = delete;
  DatabaseWatch& operator=(const DatabaseWatch&) = delete;

  // An error (no inotify instance, the folder cannot be watched): the caller
  // falls back to polling.
  Status Start();
  void Stop();
  // False before Start() succeeded and after the watch was lost (the folder
  // removed or unmounted): then only polling sees changes.
  bool watching() const { return watching_; }

 private:
  void ReadEvents();
  void Fire();

  const std::string dir_;
  const std::string wal_name_;  // the file name of the WAL inside dir_
  const std::chrono::milliseconds debounce_;
  const std::function<void()> on_change_;
  boost::asio::posix::stream_descriptor stream_;
  boost::asio::steady_timer timer_;
  int watch_ = -1;
  bool watching_ = false;
  bool armed_ = false;  // timer_ will call on_change_
  bool stopping_ = false;
  // Several events per read: each is 16 bytes plus a name of at most NAME_MAX.
  std::array<char, 4096> buffer_{};
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace tacit::service
