// Wording shared by the report renderers (not part of the library's interface):
// Vietnamese labels, the deadline in words, and how a quoted paragraph points
// back at its original.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "reports/report.h"

namespace tacit::reports {

// What `render` appends to a sink without a flush: the whole document, for
// the string forms of the streamed renderers (RenderHtml from RenderHtmlTo).
template <typename Render>
std::string Whole(Render&& render) {
  TextSink whole;
  render(whole);
  return whole.Take();
}

// "hết ngày 09/02/2026" for a deadline at the end of a local day, else
// "17:00 ngày 09/02/2026".
std::string DeadlineWords(TimePoint deadline, const TimeZone& tz);

// How a reply came in, for people: "văn bản giấy", "thư điện tử", ...
std::string_view ChannelLabel(Channel c);

// "bản gốc: archive/2026/02/x.pdf" or, without an archived original,
// "ý kiến số 12" (the id `tacitctl replies` shows).
std::string OriginalRef(std::int64_t reply_id, std::string_view source_ref);

// The reply's fields as views::WriteReply writes them.
views::ReplyFields FieldsOf(const Reply& r);

// The report's title line and the provisional note ("" when closed).
std::string ProvisionalNote(const ReportData& data, const TimeZone& tz);

// "Danh sách đơn vị được hiểu là đồng ý" or, when silence is not consent,
// "Danh sách đơn vị không có ý kiến".
std::string_view SilentListTitle(SilenceMeans s);
// The status that silence gave units at the deadline.
UnitStatus SilentStatus(SilenceMeans s);

// Units in `data` grouped in order of first appearance of their group.
std::vector<std::pair<std::string, std::vector<const store::UnitState*>>> UnitsByGroup(
    const ReportData& data);

// Notes on a silent unit: its own deadline when it was extended for it alone,
// and whether it replied after the deadline; "" when neither.
std::string UnitDeadlineNote(const store::UnitState& u, const TimeZone& tz);

// The counts table: (label, number, indented under "Đã trả lời").
struct CountRow {
  std::string label;
  int value = 0;
  bool sub = false;
};
std::vector<CountRow> CountRows(const ReportData& data);

// The mark of a reply whose scan OCR read with too little confidence.
inline constexpr const char* kNeedsCheck = "cần kiểm tra";

// Notes for a unit's row: excluded reason, own deadline, failed notice, and
// kNeedsCheck when its reply is a scan that OCR could not read with confidence.
std::string UnitNotes(const store::UnitState& u, const TimeZone& tz);

// Vietnamese capitals: "Phòng Văn hóa – Xã hội" -> "PHÒNG VĂN HÓA – XÃ HỘI" (NFC).
std::string UpperCase(std::string_view utf8);
// "nhất trí" -> "Nhất trí".
std::string UpperFirst(std::string_view utf8);
// "Xin ý kiến" -> "xin ý kiến", for use inside a sentence; an acronym ("UBND
// phường") is left alone.
std::string LowerFirst(const std::string& utf8);

// The docx report's summary line (trích yếu) from the letter's subject:
// "Xin ý kiến tham gia vào dự thảo X" -> "Tổng hợp ý kiến tham gia vào dự thảo
// X"; "Xin ý kiến dự thảo X" -> the same; any other subject S -> "Tổng hợp ý
// kiến về S" (its first word lowered unless it is an acronym).
std::string SummaryLine(const std::string& subject);

}  // namespace tacit::reports
