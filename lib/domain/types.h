// The words of SPEC §1 as types: units, consultations, stances, unit statuses,
// channels. Pure data, no I/O. The string forms are the interface (status file,
// CLI, database) and are spelled exactly as in the spec.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"

namespace tacit {

// A byte each: a unit's state and a reply are held by the hundred thousand
// (issue 9, tacitd's peak memory).
enum class Stance : std::uint8_t { kAgree, kComments, kObject, kUnknown };
enum class UnitStatus : std::uint8_t { kPending, kReplied, kDeemedConsent, kNoResponse, kExcluded };
enum class Channel : std::uint8_t { kDrop, kMaildir, kImap, kManual };
enum class SilenceMeans { kConsent, kNoResponse };

std::string_view ToString(Stance s);
std::string_view ToString(UnitStatus s);
std::string_view ToString(Channel c);
std::string_view ToString(SilenceMeans s);
std::optional<Stance> ParseStance(std::string_view s);
std::optional<UnitStatus> ParseUnitStatus(std::string_view s);
std::optional<Channel> ParseChannel(std::string_view s);
std::optional<SilenceMeans> ParseSilenceMeans(std::string_view s);
// Vietnamese label for tables and reports ("coi như đồng ý").
std::string_view VietnameseLabel(UnitStatus s);
std::string_view VietnameseLabel(Stance s);

struct Unit {
  std::string code;  // [a-z0-9-]+, stable
  std::string name;
  std::string group;
  std::vector<std::string> emails;
  std::vector<std::string> aliases;
};

struct ReminderConfig {
  std::vector<std::string> schedule;  // e.g. "-3d 08:00"; interpreted by the mail-out code
  bool working_days_only = false;
  std::vector<std::string> report_to;
  std::vector<std::string> holidays;  // dd/mm/yyyy
  int digest_at_minutes = 8 * 60;     // local time of the daily digest ("08:00")
  // Templates with {{field}} placeholders (lib/text/template.h); empty: the
  // built-in Vietnamese defaults of lib/mailout.
  std::string subject_template;
  std::string body_template;
};

// The header blocks of the docx report (issue 11), from [report] in tacit.toml
// and, field by field, in a consultation's .toml. Unset fields take defaults
// from the consultation when the report is rendered.
struct ReportHeaderConfig {
  std::optional<std::vector<std::string>> issuing_body;  // lines, top left
  std::optional<std::string> number_suffix;              // "BC-VHXH" -> "Số:   /BC-VHXH"
  std::optional<std::string> place;                      // "Hưng Đạo"
  std::optional<std::string> signer_title;               // "TRƯỞNG PHÒNG"
  std::optional<std::string> signer_name;                // default: the consultation's signer
  std::optional<std::vector<std::string>> recipients;    // "Nơi nhận:" items
};

struct Consultation {
  std::string id;
  std::string reference;
  std::string subject;
  std::string issuer;
  std::string signer;
  TimePoint deadline;         // the last second that is on time, as configured
  std::string deadline_text;  // as written in the config, for messages
  SilenceMeans silence_means = SilenceMeans::kConsent;
  std::vector<std::string> addressees;       // as written: "*", group names, unit codes
  std::vector<std::string> addressed_units;  // resolved unit codes, in units.csv order
  std::vector<std::string> topics;
  ReminderConfig reminders;
  ReportHeaderConfig report;  // tacit.toml's [report], overridden by this file's
  std::string source_file;    // the .toml it came from
};

// A unit is valid as a code when it matches [a-z0-9-]+.
bool IsValidCode(std::string_view code);

}  // namespace tacit
