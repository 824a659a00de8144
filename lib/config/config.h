// tacit.toml, units.csv and consultations/*.toml -> one validated Config (SPEC §7).
//
// Loading has no side effects. A bad config is refused as a whole: every problem
// found is reported as "FILE:LINE: what is wrong" (FILE as resolved from the
// config's own folder), one per line, in the Status message. Relative paths in
// tacit.toml are taken from the folder of tacit.toml.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "domain/dates.h"
#include "domain/types.h"

namespace tacit {

struct DaemonConfig {
  std::string state_dir;    // tacit.db, archive/, quarantine/
  std::string status_file;  // default: state_dir/status.json
  std::string report_dir;   // default: state_dir/reports
  std::string timezone = "Asia/Ho_Chi_Minh";
  std::string units_file;         // default: units.csv beside tacit.toml
  std::string consultations_dir;  // default: consultations/ beside tacit.toml
  std::chrono::seconds deadline_grace{24 * 3600};
};

struct DropFolderConfig {
  std::string path;
  std::uint64_t max_bytes = 50ull * 1024 * 1024;
};

struct MaildirConfig {
  std::string path;
};

struct ImapConfig {
  std::string url;
  std::string username;
  std::string password_file;
  std::string ca_file;
  int poll_seconds = 60;
};

struct SmtpConfig {
  std::string url;
  std::string username;
  std::string password_file;
  std::string from;
};

struct Config {
  std::string path;  // tacit.toml as given
  DaemonConfig daemon;
  std::optional<DropFolderConfig> drop_folder;
  std::optional<MaildirConfig> maildir;
  std::optional<ImapConfig> imap;
  std::optional<SmtpConfig> smtp;
  ReportHeaderConfig report;  // [report]: defaults for every consultation
  TimeZone tz;
  std::vector<Unit> units;                  // in file order
  std::vector<Consultation> consultations;  // sorted by id

  const Unit* FindUnit(std::string_view code) const;
  const Consultation* FindConsultation(std::string_view id) const;
};

// Loads and validates everything. Error: kInvalidConfig, message = all problems,
// one "file:line: message" per line.
Result<Config> LoadConfig(const std::string& path);

// "24h", "90m", "2d", "3600s" or "3600" (seconds). Used for deadline_grace.
std::optional<std::chrono::seconds> ParseDuration(std::string_view text);

}  // namespace tacit
