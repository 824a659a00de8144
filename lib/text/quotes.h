// Separates what a reply says itself from the material it quotes, and cleans
// reply subjects. The letter being answered names every addressed unit and
// contains "được hiểu là đồng ý", so quoted text must never reach unit
// matching or stance classification (SPEC §3).
#pragma once

#include <string>
#include <string_view>

namespace tacit::text {

struct SplitText {
  std::string own;     // the reply's own words
  std::string quoted;  // everything quoted, forwarded or attributed
};

// Splits a plain-text body. Quoted material is:
// - every line whose first non-blank character is '>';
// - from a separator line to the end: "-----Original Message-----",
//   "---------- Forwarded message ---------", "-------- Thư chuyển tiếp
//   --------", "----- Tin nhắn đã chuyển tiếp -----", "Begin forwarded
//   message:", an Outlook header block ("From:"/"Từ:" followed within five
//   lines by at least two of "Sent:", "Date:", "To:", "Subject:", "Cc:",
//   "Gửi:", "Đã gửi:", "Ngày gửi:", "Đến:", "Chủ đề:", "Tiêu đề:"; or one of
//   them if the From line holds an address), and a "____" rule just above
//   such a block;
// - from an attribution line to the end: "On … wrote:" (or "… <a@b> wrote:"),
//   "… đã viết:", "Vào … đã viết:", "… schrieb:", "… a écrit :", also when
//   wrapped over up to three lines. When the first non-blank line after an
//   attribution is a '>' line, only the attribution is cut and the following
//   lines are judged one by one, so bottom-posted and interleaved answers
//   stay in `own`.
// Matching is case- and diacritics-insensitive and accepts NFD input. Lines
// keep their bytes (quote markers included) and are joined with "\n"; both
// parts are trimmed.
SplitText SplitQuoted(std::string_view body);

// Removes any number of leading reply/forward prefixes — "Re:", "RE :",
// "Re[2]:", "Fwd:", "FW:", "TL:", "Trả lời:", "Phản hồi:", "Chuyển tiếp:",
// "AW:", "WG:", "SV:", "VS:", "RV:", "TR:" — and bracketed mail-gateway tags
// such as "[EXTERNAL]", "[External Email]", "[SPAM]", "[Bên ngoài]",
// "[Cảnh báo]". The rest is returned trimmed with its original characters.
// Other bracketed tags (e.g. "[tacit:ID]") are kept.
std::string StripSubjectPrefixes(std::string_view subject);

}  // namespace tacit::text
