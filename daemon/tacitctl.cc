// tacitctl: wiring only. Parses the command line (CLI11), loads the config,
// opens the shared database and runs one command from lib/cli.
// Exit status: 0 done, 1 failed, 2 bad usage.
#include <cstdio>
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>
#include <unistd.h>

#include "cli/commands.h"
#include "service/daemon.h"

namespace {

struct Args {
  std::string id, unit, date, reason, format = "md", reply, output;
  bool json = false;
  bool dry_run = false;
  tacit::cli::RecordOptions record;
};

}  // namespace

namespace {

int Run(int argc, char** argv) {
  CLI::App app{"tacitctl: look at and correct what tacitd tracks"};
  app.require_subcommand(1);
  std::string config_path = "/etc/tacit/tacit.toml";
  app.add_option("--config", config_path, "path to tacit.toml")->capture_default_str();
  Args a;

  auto* check = app.add_subcommand("check-config", "validate the config and exit");
  auto* status = app.add_subcommand("status", "counts and unit statuses");
  status->add_option("ID", a.id, "consultation id");
  status->add_flag("--json", a.json, "JSON array of consultation objects");
  auto* units = app.add_subcommand("units", "units addressed by a consultation");
  units->add_option("ID", a.id)->required();
  units->add_flag("--json", a.json);
  auto* replies = app.add_subcommand("replies", "replies recorded for a consultation");
  replies->add_option("ID", a.id)->required();
  replies->add_option("--unit", a.unit, "only this unit");
  replies->add_flag("--json", a.json);
  auto* events = app.add_subcommand("events", "the event log of a consultation");
  events->add_option("ID", a.id)->required();
  events->add_flag("--json", a.json);
  auto* unmatched = app.add_subcommand("unmatched", "replies no rule could attribute");
  unmatched->add_flag("--json", a.json);
  auto* assign = app.add_subcommand("assign", "attribute an unmatched reply by hand");
  assign->add_option("REPLY", a.reply, "reply id (from `unmatched`)")->required();
  assign->add_option("CONSULTATION", a.id)->required();
  assign->add_option("UNIT", a.unit)->required();
  auto* record = app.add_subcommand("record", "enter a paper reply");
  record->add_option("ID", a.record.id)->required();
  record->add_option("UNIT", a.record.unit)->required();
  record->add_option("--stance", a.record.stance, "agree|comments|object|unknown")->required();
  record->add_option("--text", a.record.text_file, "file with the reply's text");
  record->add_option("--received", a.record.received,
                     "when the office received it (dd/mm/yyyy [HH:MM]); default now");
  auto* report = app.add_subcommand("report", "the synthesis report of a consultation");
  report->add_option("ID", a.id)->required();
  report->add_option("--format", a.format, "md|html|csv|json|docx")
      ->check(CLI::IsMember({"md", "html", "csv", "json", "docx"}))
      ->capture_default_str();
  report->add_option("-o,--output", a.output,
                     "write to FILE (atomically) instead of stdout (docx: required on a terminal)");
  report->footer(
      "Example: tacitctl report dan-chu-2026 --format html -o bao-cao.html\n"
      "         tacitctl report dan-chu-2026 --format docx -o bao-cao.docx");
  auto* remind = app.add_subcommand("remind", "who gets which reminder when (sends nothing)");
  remind->add_option("ID", a.id)->required();
  remind->add_flag("--dry-run", a.dry_run, "show the plan; required (tacitd does the sending)");
  remind->add_flag("--json", a.json);
  remind->footer("Example: tacitctl remind dan-chu-2026 --dry-run");
  auto* extend = app.add_subcommand("extend", "move a deadline (reopens a closed consultation)");
  extend->add_option("ID", a.id)->required();
  extend->add_option("DATE", a.date)->required();
  extend->add_option("--unit", a.unit, "extend for this unit only");
  auto* exclude = app.add_subcommand("exclude", "take a unit out of a consultation");
  exclude->add_option("ID", a.id)->required();
  exclude->add_option("UNIT", a.unit)->required();
  exclude->add_option("--reason", a.reason)->required();

  // Every command's --help ends with an example.
  check->footer("Example: tacitctl --config /etc/tacit/tacit.toml check-config");
  status->footer("Example: tacitctl status dan-chu-2026 --json");
  units->footer("Example: tacitctl units dan-chu-2026");
  replies->footer("Example: tacitctl replies dan-chu-2026 --unit tdp-05");
  events->footer("Example: tacitctl events dan-chu-2026 --json");
  unmatched->footer("Example: tacitctl unmatched");
  assign->footer("Example: tacitctl assign 42 dan-chu-2026 tdp-05");
  record->footer(
      "Example: tacitctl record dan-chu-2026 tdp-05 --stance comments --text gopy.txt --received "
      "\"05/02/2026 10:30\"");
  extend->footer("Example: tacitctl extend dan-chu-2026 16/02/2026 --unit tdp-05");
  exclude->footer("Example: tacitctl exclude dan-chu-2026 tdp-21 --reason \"sáp nhập vào TDP 20\"");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  try {
    if (check->parsed()) return tacit::cli::CheckConfig(config_path, std::cout, std::cerr);
    tacit::Result<tacit::Config> config = tacit::LoadConfig(config_path);
    if (!config) {
      std::cerr << "tacitctl: bad config (see check-config):\n" << config.error().message() << "\n";
      return 1;
    }
    tacit::SystemClock clock;
    const std::string actor = tacit::service::ActorName("tacitctl");
    auto store = tacit::cli::OpenStore(*config, clock, actor);
    if (!store) {
      std::cerr << "tacitctl: " << store.error().message() << "\n";
      return 1;
    }
    tacit::cli::Context ctx{
        *config, **store, clock, actor, std::cout, std::cerr, isatty(STDOUT_FILENO) == 1};
    if (status->parsed()) return tacit::cli::StatusCommand(ctx, a.id, a.json);
    if (units->parsed()) return tacit::cli::UnitsCommand(ctx, a.id, a.json);
    if (replies->parsed()) return tacit::cli::RepliesCommand(ctx, a.id, a.unit, a.json);
    if (events->parsed()) return tacit::cli::EventsCommand(ctx, a.id, a.json);
    if (unmatched->parsed()) return tacit::cli::UnmatchedCommand(ctx, a.json);
    if (assign->parsed()) return tacit::cli::AssignCommand(ctx, a.reply, a.id, a.unit);
    if (record->parsed()) return tacit::cli::RecordCommand(ctx, a.record);
    if (report->parsed()) return tacit::cli::ReportCommand(ctx, a.id, a.format, a.output);
    if (remind->parsed()) return tacit::cli::RemindCommand(ctx, a.id, a.dry_run, a.json);
    if (extend->parsed()) return tacit::cli::ExtendCommand(ctx, a.id, a.date, a.unit);
    if (exclude->parsed()) return tacit::cli::ExcludeCommand(ctx, a.id, a.unit, a.reason);
  } catch (const std::exception& e) {
    std::cerr << "tacitctl: internal error: " << e.what() << "\n";
    return 1;
  }
  return 2;
}

}  // namespace

// Every exception ends here: logged, exit status 1.
int main(int argc, char** argv) {
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: fatal: %s\n", argv[0], e.what());
  } catch (...) {
    std::fprintf(stderr, "%s: fatal: unknown exception\n", argv[0]);
  }
  return 1;
}
