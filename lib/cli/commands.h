// tacitctl's commands (SPEC §6) as functions over a loaded config and an open
// store, writing to the given streams, so tests can run them without a process.
// Each returns the exit status: 0 done, 1 failed (one line on `err`), 2 bad usage.
#pragma once

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>

#include "config/config.h"
#include "core/clock.h"
#include "store/store.h"

namespace tacit::cli {

struct Context {
  const Config& config;
  store::Store& store;
  const Clock& clock;
  std::string actor;
  std::ostream& out;
  std::ostream& err;
  // `out` is a terminal: binary output (the docx report) is not written there.
  bool out_is_terminal = false;
};

// Opens the database named by the config (creating the state folder) and syncs
// the config into it, so commands see the units and consultations on disk.
Result<std::unique_ptr<store::Store>> OpenStore(const Config& config, const Clock& clock,
                                                const std::string& actor);

int CheckConfig(const std::string& config_path, std::ostream& out, std::ostream& err);
int StatusCommand(Context& ctx, const std::string& id, bool json);
int UnitsCommand(Context& ctx, const std::string& id, bool json);
int RepliesCommand(Context& ctx, const std::string& id, const std::string& unit, bool json);
int EventsCommand(Context& ctx, const std::string& id, bool json);
int UnmatchedCommand(Context& ctx, bool json);
int AssignCommand(Context& ctx, const std::string& reply, const std::string& id,
                  const std::string& unit);

// Who would get which reminder and when (SPEC §6 `remind ID --dry-run`); sends
// nothing. Without --dry-run it refuses (exit 2): tacitd sends on the schedule.
int RemindCommand(Context& ctx, const std::string& id, bool dry_run, bool json);

struct RecordOptions {
  std::string id, unit, stance;
  std::string text_file;  // empty: no text
  std::string received;   // empty: now
};
int RecordCommand(Context& ctx, const RecordOptions& opts);
int ExtendCommand(Context& ctx, const std::string& id, const std::string& date,
                  const std::string& unit);
// The synthesis report of consultation `id` (issue 7) in `format` (md, html,
// csv, json or docx), on `out` or, with `output`, written atomically to that
// file. Provisional ("tạm thời") while the consultation is open. docx is
// binary: without `output` it is refused (exit 2) when `out` is a terminal.
int ReportCommand(Context& ctx, const std::string& id, const std::string& format,
                  const std::string& output);
int ExcludeCommand(Context& ctx, const std::string& id, const std::string& unit,
                   const std::string& reason);

}  // namespace tacit::cli
