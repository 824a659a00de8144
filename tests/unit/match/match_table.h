// Shared by the matching table tests (match_table_test.cc,
// match_table_names_test.cc): realistic replies to the reference letter
// against the bundled example config (46 units, one consultation), as
// Vietnamese ward offices write them. Each row is one received item and what
// tacit must make of it: (consultation, unit, stance), unmatched, or not a
// reply.
#pragma once

#include <ostream>
#include <string>

#include <gtest/gtest.h>

#include "match/matcher.h"

namespace tacit::match::table {

inline constexpr Outcome kMatched = Outcome::kMatched;
inline constexpr Outcome kUnmatched = Outcome::kUnmatched;
inline constexpr Outcome kNotAReply = Outcome::kNotAReply;
inline constexpr Stance kA = Stance::kAgree;
inline constexpr Stance kC = Stance::kComments;
inline constexpr Stance kO = Stance::kObject;
inline constexpr Stance kU = Stance::kUnknown;

inline constexpr const char* kReSubject =
    "Re: Xin ý kiến tham gia vào dự thảo 02 Kế hoạch triển khai thực hiện dân chủ ở cơ sở và "
    "công tác dân vận năm 2026";
// A reminder tacit sent to tdp-07 for dan-chu-2026 (the fixture's sent_lookup).
inline constexpr const char* kOurReminder =
    "<reminder.dan-chu-2026.tdp-07.1@tacit.hungdao.example.vn>";

// Bodies as units write them.
inline constexpr const char* kAgreeLetter =
    "Kính gửi: Phòng Văn hóa – Xã hội phường Hưng Đạo\n\n"
    "Sau khi nghiên cứu dự thảo 02 Kế hoạch, đơn vị nhất trí với nội dung dự thảo.\n\n"
    "Trân trọng./.";
inline constexpr const char* kCommentsLetter =
    "Kính gửi: Phòng Văn hóa – Xã hội\n\n"
    "Đơn vị cơ bản nhất trí, đề nghị bổ sung vào phần Tiến độ thực hiện: hoàn thành trước "
    "30/6/2026.\n\nTrân trọng!";
inline constexpr const char* kObjectLetter =
    "Đơn vị không nhất trí với chỉ tiêu đạt 100% trong năm 2026 vì chưa phù hợp thực tế "
    "địa bàn.";
inline constexpr const char* kNoCommentLetter = "Đơn vị không có ý kiến khác.";
inline constexpr const char* kSendingLetter = "Gửi Phòng VH-XH văn bản tham gia ý kiến của đơn vị.";

struct Case {
  const char* label;
  const char* from = "";
  const char* subject = "";
  const char* folder = "";  // drop sub-path, "a/b" -> {"a", "b"}
  const char* file = "";
  const char* body = "";  // split into own and quoted text as a source would
  const char* attachment_name = "";
  const char* attachment_text = "";
  const char* in_reply_to = "";
  bool nfd = false;           // every text field decomposed (macOS, some webmail)
  bool quote_letter = false;  // the seed letter quoted below the body
  bool auto_submitted = false;
  bool delivery_report = false;
  // Expected.
  Outcome outcome = kMatched;
  const char* unit = nullptr;  // for kMatched
  Stance stance = kU;
  const char* unit_rule = nullptr;  // the whole rule, when given
};

inline void PrintTo(const Case& c, std::ostream* os) { *os << c.label; }

// The item a source would hand to matching for `c`.
Candidate MakeCandidate(const Case& c);

// Matches each Case with the bundled config; dan-chu-2026 is open.
class MatchTableTest : public ::testing::TestWithParam<Case> {
 protected:
  static void SetUpTestSuite();
  static void TearDownTestSuite();
  static MatchContext Context();

  static Matcher* matcher_;
};

}  // namespace tacit::match::table
