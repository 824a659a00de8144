// tacitd: wiring only. Parses the command line, builds the real clock and file
// system, creates the Daemon and runs the event loop until SIGTERM.
#include <cstdio>
#include <exception>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <malloc.h>

#include "core/file_system.h"
#include "core/log.h"
#include "service/daemon.h"

namespace {

int Run(int argc, char** argv) {
  CLI::App app{"tacitd: tracks replies to an official letter until its deadline"};
  std::string config_path;
  bool debug = false;
  app.add_option("--config", config_path, "path to tacit.toml")->required();
  app.add_flag("--debug", debug, "log debug messages");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  if (debug) tacit::log::SetMinLevel(tacit::log::Level::kDebug);
  try {
    boost::asio::io_context io;
    tacit::SystemClock clock;
    tacit::PosixFileSystem fs;
    auto daemon = tacit::service::Daemon::Create(io, clock, fs, config_path);
    if (!daemon) {
      tacit::log::Error("cannot start:\n{}", daemon.error().message());
      return 1;
    }
    if (tacit::Status s = (*daemon)->Start(); !s.ok()) {
      tacit::log::Error("cannot start: {}", s.message());
      return 1;
    }
    io.run();
    tacit::log::Notice("tacitd stopped");
    return 0;
  } catch (const std::exception& e) {
    tacit::log::Error("fatal: {}", e.what());
    return 1;
  }
}

}  // namespace

// Every exception ends here: logged, exit status 1.
int main(int argc, char** argv) {
  // Fixed malloc thresholds. By default glibc raises its mmap and trim
  // thresholds (up to 32 and 64 MB) each time a large block is freed, and a
  // thread's arena then keeps its free top for good: malloc_trim gives back
  // only the main arena's. An idle tacitd at 10,000 units kept 2.4 MB of the
  // finished page writer's arena that way (issue 9). Blocks of 1 MB or more
  // are mapped on their own and unmapped when freed; an arena gives back a
  // free top of more than 1 MB.
  ::mallopt(M_MMAP_THRESHOLD, 1 << 20);
  ::mallopt(M_TRIM_THRESHOLD, 1 << 20);
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: fatal: %s\n", argv[0], e.what());
  } catch (...) {
    std::fprintf(stderr, "%s: fatal: unknown exception\n", argv[0]);
  }
  return 1;
}
