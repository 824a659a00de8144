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
  // OCR of scans (images, PDFs without text): worker threads, the confidence
  // (0-100) below which a reply's stance is unknown and marked "cần kiểm tra",
  // the time one file may take, and the pages read per file.
  int ocr_threads = 1;
  int ocr_min_confidence = 60;
  std::chrono::seconds ocr_timeout{120};
  int ocr_max_pages = 20;
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
  // Messages fetched per UID FETCH of a backlog; flags and the saved position
  // follow each batch (README, "Tuning").
  int fetch_batch = 1000;
  // The flag set on a message once its reply is committed: "\Seen" (default),
  // "\Flagged" or a keyword such as "$TacitDone", which leaves \Seen to the
  // people who read the mailbox.
  std::string ack_flag = "\\Seen";
};

struct SmtpConfig {
  std::string url;
  std::string username;
  std::string password_file;
  std::string ca_file;                     // optional private CA; system CAs otherwise
  std::string from;                        // "Name <addr@domain>" or "addr@domain", as written
  std::string from_name;                   // parsed from `from`
  std::string from_address;                // parsed from `from`
  std::string reply_to;                    // default: from_address
  int rate_per_minute = 20;                // messages per minute at most
  std::chrono::seconds retry_initial{60};  // first retry after a 4xx/timeout; doubles
  std::chrono::seconds retry_max{3600};
  std::chrono::seconds timeout{60};  // per SMTP step
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
