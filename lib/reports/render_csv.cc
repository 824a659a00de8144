// The report as CSV: one row per unit, for Excel and scripts. UTF-8 with a BOM
// (so Excel does not read it as the ANSI code page), comma-separated, CRLF line
// ends, RFC 4180 quoting; cells that a spreadsheet would take for a formula are
// neutralised with a leading apostrophe.
#include <algorithm>
#include <cstdint>
#include <string_view>

#include <fmt/format.h>

#include "reports/report.h"
#include "reports/report_internal.h"

namespace tacit::reports {

std::string CsvCell(std::string_view text) {
  std::string cell;
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos) {
    cell += '\'';
  }
  cell += text;
  bool quote = cell.find_first_of(",;\"\r\n") != std::string::npos ||
               (!cell.empty() && (cell.front() == ' ' || cell.back() == ' '));
  if (!quote) return cell;
  std::string out = "\"";
  for (char c : cell) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void RenderCsvTo(const ReportData& data, const TimeZone& tz, TextSink& out) {
  out += "\xEF\xBB\xBF";
  auto row = [&out](const std::vector<std::string>& cells) {
    std::string& csv = out.buf();
    for (size_t i = 0; i < cells.size(); ++i) {
      if (i > 0) csv += ',';
      csv += CsvCell(cells[i]);
    }
    csv += "\r\n";
    out.Boundary();
  };
  row({"code", "name", "group", "status", "stance", "channel", "received_at", "late", "replies",
       "reminders_sent", "notice_failed", "excluded_reason", "comment", "check"});
  // Each unit's reply texts, oldest first: the replies with a text sorted by
  // unit, then by when they came (a pass over every reply per unit is 2e10
  // steps at 100,000 units and 200,000 replies; a map of each unit's texts
  // was 8 MB more at tacitd's peak), joined only when its row is written.
  std::vector<std::uint64_t> by_unit;  // unit index << 32 | reply index
  for (size_t i = 0; i < data.replies.size(); ++i) {
    const Reply& r = data.replies[i];
    if (r.unit == Reply::kNoUnit || r.text().empty()) continue;
    by_unit.push_back(std::uint64_t{r.unit} << 32 | i);
  }
  std::sort(by_unit.begin(), by_unit.end());
  auto next = by_unit.begin();
  const std::vector<store::UnitState>& units = data.consultation.units;
  for (size_t at = 0; at < units.size(); ++at) {
    const store::UnitState& u = units[at];
    std::string comment;
    for (; next != by_unit.end() && (*next >> 32) == at; ++next) {
      if (!comment.empty()) comment += "\n\n";
      comment += data.replies[*next & 0xFFFFFFFF].text();
    }
    row({u.code, u.name, u.group, std::string(ToString(u.status)),
         u.stance ? std::string(ToString(*u.stance)) : "",
         u.channel ? std::string(ToString(*u.channel)) : "",
         u.replied_at ? FormatIso(*u.replied_at, tz) : "", u.late_reply ? "true" : "false",
         std::to_string(u.replies), std::to_string(u.reminders_sent),
         u.notice_failed ? "true" : "false", u.excluded_reason, std::move(comment),
         u.needs_check ? std::string(kNeedsCheck) : ""});
  }
}

std::string RenderCsv(const ReportData& data, const TimeZone& tz) {
  return Whole([&](TextSink& out) { RenderCsvTo(data, tz, out); });
}

}  // namespace tacit::reports
