#include "text/quotes.h"

#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>

#include <gtest/gtest.h>

#include "text/lines.h"
#include "unit/text/seed_letter.h"

namespace tacit::text {
namespace {

using test_data::kSeedLetter;

// Units the letter addresses; none of them may leak into a reply's own part.
constexpr std::string_view kLetterUnitNames[] = {"Công an phường", "BCH Quân sự phường",
                                                 "Các trường học", "Các tổ dân phố",
                                                 "UBMTTQ",         "được hiểu là đồng ý"};

const std::string kOwn =
    "Tổ dân phố số 5 nhất trí với nội dung các dự thảo.\n"
    "\n"
    "Trân trọng,\n"
    "Nguyễn Văn An - Tổ trưởng TDP số 5";

std::string QuoteLines(std::string_view text) {
  std::string out;
  for (std::string_view line : SplitLines(text)) {
    out += line.empty() ? ">" : "> ";
    out += line;
    out += '\n';
  }
  return out;
}

void ExpectNoLetterInOwn(const SplitText& split) {
  for (std::string_view name : kLetterUnitNames) {
    EXPECT_EQ(split.own.find(name), std::string::npos) << name;
    EXPECT_NE(split.quoted.find(name), std::string::npos) << name;
  }
}

TEST(SplitQuotedTest, NoQuoteKeepsEverythingTrimmed) {
  const SplitText split = SplitQuoted("\n\n" + kOwn + "\n\n");
  EXPECT_EQ(split.own, kOwn);
  EXPECT_EQ(split.quoted, "");
  EXPECT_EQ(SplitQuoted("").own, "");
}

TEST(SplitQuotedTest, GmailVietnameseAttributionCutsWholeLetter) {
  const std::string attribution =
      "Vào Th 2, 9 thg 2, 2026 lúc 08:00 Phòng Văn hóa - Xã hội "
      "<vhxh@hungdao.gov.vn> đã viết:";
  const SplitText split =
      SplitQuoted(kOwn + "\n\n" + attribution + "\n" + std::string(kSeedLetter));
  EXPECT_EQ(split.own, kOwn);
  EXPECT_EQ(split.quoted.substr(0, attribution.size()), attribution);
  ExpectNoLetterInOwn(split);
}

TEST(SplitQuotedTest, GmailAttributionWrappedOverTwoLinesWithQuoteMarks) {
  const std::string body = kOwn +
                           "\n\nVào Th 2, 9 thg 2, 2026 lúc 08:00 Phòng Văn "
                           "hóa - Xã hội <\nvhxh@hungdao.gov.vn> đã viết:\n\n" +
                           QuoteLines(kSeedLetter);
  const SplitText split = SplitQuoted(body);
  EXPECT_EQ(split.own, kOwn);
  EXPECT_EQ(split.quoted.substr(0, 4), "Vào");
  ExpectNoLetterInOwn(split);
}

TEST(SplitQuotedTest, AttributionWrappedOverThreeLines) {
  const SplitText split = SplitQuoted(
      "Nhất trí.\nVào Th 2, 9 thg 2, 2026 lúc 08:00\nPhòng Văn hóa - Xã "
      "hội\n<vhxh@hungdao.gov.vn> đã viết:\nKính gửi: Công an phường");
  EXPECT_EQ(split.own, "Nhất trí.");
  EXPECT_EQ(split.quoted,
            "Vào Th 2, 9 thg 2, 2026 lúc 08:00\nPhòng Văn hóa - Xã hội\n"
            "<vhxh@hungdao.gov.vn> đã viết:\nKính gửi: Công an phường");
}

TEST(SplitQuotedTest, AttributionInNfdCapitalsIsFound) {
  // "ĐÃ VIẾT:" decomposed: A + tilde, E + circumflex + acute.
  const std::string attribution =
      "VA\xCC\x80O TH 2 PHO\xCC\x80NG VHXH ĐA\xCC\x83 VIE\xCC\x82\xCC\x81T:";
  const SplitText split = SplitQuoted("Nhất trí\n" + attribution + "\n" + std::string(kSeedLetter));
  EXPECT_EQ(split.own, "Nhất trí");
  ExpectNoLetterInOwn(split);
}

TEST(SplitQuotedTest, QuotedLinesAnywhereAreQuoted) {
  const SplitText split = SplitQuoted(QuoteLines(kSeedLetter) + "\n" + kOwn);
  EXPECT_EQ(split.own, kOwn);
  ExpectNoLetterInOwn(split);
}

TEST(SplitQuotedTest, EnglishBottomPostKeepsAnswerAfterQuote) {
  const std::string body = "On Mon, Feb 9, 2026 at 8:00 AM VHXH <vhxh@hungdao.gov.vn> wrote:\n" +
                           QuoteLines(kSeedLetter) + "\nTrường THCS Hưng Đạo nhất trí.\n";
  const SplitText split = SplitQuoted(body);
  EXPECT_EQ(split.own, "Trường THCS Hưng Đạo nhất trí.");
  ExpectNoLetterInOwn(split);
}

TEST(SplitQuotedTest, InterleavedAnswersStayOwn) {
  const SplitText split = SplitQuoted(
      "VHXH <vhxh@hungdao.gov.vn> wrote:\n"
      ">  > Chỉ tiêu đạt 100% trong năm 2026;\n"
      "Đề nghị giảm xuống 95%.\n"
      "> Tiến độ thực hiện tại Phụ lục\n"
      "Nhất trí.\n");
  EXPECT_EQ(split.own, "Đề nghị giảm xuống 95%.\nNhất trí.");
  EXPECT_EQ(split.quoted,
            "VHXH <vhxh@hungdao.gov.vn> wrote:\n"
            ">  > Chỉ tiêu đạt 100% trong năm 2026;\n"
            "> Tiến độ thực hiện tại Phụ lục");
}

TEST(SplitQuotedTest, OutlookEnglishHeaderBlockUnderRule) {
  const std::string body =
      "Agree / Nhất trí.\r\n\r\n"
      "________________________________\r\n"
      "From: Phong VHXH <vhxh@hungdao.gov.vn>\r\n"
      "Sent: Monday, February 9, 2026 8:00 AM\r\n"
      "To: tdp5@hungdao.gov.vn\r\n"
      "Subject: V/v xin y kien\r\n\r\n" +
      std::string(kSeedLetter);
  const SplitText split = SplitQuoted(body);
  EXPECT_EQ(split.own, "Agree / Nhất trí.");
  EXPECT_EQ(split.quoted.substr(0, 10), "__________");
  ExpectNoLetterInOwn(split);
}

TEST(SplitQuotedTest, OutlookVietnameseHeaderBlockWithoutAddress) {
  const std::string body =
      "Đơn vị thống nhất.\n\n"
      "Từ: Phòng Văn hóa - Xã hội\n"
      "Đã gửi: Thứ Hai, 9 tháng 2, 2026 8:00 SA\n"
      "Đến: Công an phường\n"
      "Chủ đề: V/v xin ý kiến\n\n" +
      std::string(kSeedLetter);
  const SplitText split = SplitQuoted(body);
  EXPECT_EQ(split.own, "Đơn vị thống nhất.");
  EXPECT_EQ(split.quoted.substr(0, 5), "Từ:");
  ExpectNoLetterInOwn(split);
}

TEST(SplitQuotedTest, OutlookNgayGuiGuiBlock) {
  const SplitText split = SplitQuoted(
      "Nhất trí\nTừ: vhxh@hungdao.gov.vn\nNgày gửi: 09/02/2026\n"
      "Gửi: tdp5@hungdao.gov.vn\nTiêu đề: V/v xin ý kiến\nCác tổ dân phố");
  EXPECT_EQ(split.own, "Nhất trí");
}

class SeparatorTest : public ::testing::TestWithParam<const char*> {};

TEST_P(SeparatorTest, CutsFromSeparatorToEnd) {
  const std::string separator = GetParam();
  const SplitText split =
      SplitQuoted("Đề nghị xem file đính kèm.\n\n" + separator + "\n" + std::string(kSeedLetter));
  EXPECT_EQ(split.own, "Đề nghị xem file đính kèm.");
  EXPECT_EQ(split.quoted.substr(0, separator.size()), separator);
  ExpectNoLetterInOwn(split);
}

INSTANTIATE_TEST_SUITE_P(
    AllClients, SeparatorTest,
    ::testing::Values("-----Original Message-----", "---------- Forwarded message ---------",
                      "-------- Thư chuyển tiếp --------", "----- Tin nhắn đã chuyển tiếp -----",
                      "-----ORIGINAL MESSAGE-----",
                      "----- Tin nha\xCC\x86\xCC\x81n \xC4\x91"
                      "a\xCC\x83 "
                      "chuye\xCC\x82\xCC\x89n tie\xCC\x82\xCC\x81p -----",
                      "Begin forwarded message:",
                      "Le lun. 9 févr. 2026 à 08:00, VHXH <vhxh@x.vn> a écrit :",
                      "VHXH <vhxh@x.vn> schrieb:", "Phòng VHXH <vhxh@hungdao.gov.vn> đã viết:"));

TEST(SplitQuotedTest, LookalikesAreNotCuts) {
  const std::string body =
      "Từ: ngày 01/3/2026\n"
      "Gửi: Phòng Văn hóa - Xã hội\n"
      "Ông Minh wrote: nhất trí\n"
      "Như anh Minh wrote:\n"
      "Đơn vị đã viết: báo cáo gửi kèm\n"
      "Thư chuyển tiếp sau.\n"
      "-- \n"
      "TDP 5";
  const SplitText split = SplitQuoted(body);
  EXPECT_EQ(split.own, body);
  EXPECT_EQ(split.quoted, "");
}

TEST(SplitQuotedTest, GarbageIsSplitLineByLine) {
  const std::string garbage("\xFF\xFE>\x00\r\r\n>\xC3\n-----\xE1\n", 17);
  const SplitText split = SplitQuoted(garbage);
  EXPECT_EQ(split.own, std::string("\xFF\xFE>\x00\n\n-----\xE1", 12));
  EXPECT_EQ(split.quoted, ">\xC3");
  EXPECT_EQ(SplitQuoted(">").quoted, ">");
  EXPECT_EQ(SplitQuoted(">").own, "");
}

TEST(SplitQuotedTest, RandomLinesNeverLoseOrInventText) {
  static const char* const kLines[] = {"> Kính gửi",
                                       "Nhất trí",
                                       "",
                                       "-----Original Message-----",
                                       "\xFF\xC3",
                                       "Vào Th 2 <a@b.vn>",
                                       "a@b.vn> đã viết:",
                                       "Từ: X",
                                       "Đến: Y",
                                       "   >",
                                       "On Mon wrote:",
                                       "______________",
                                       "Chủ đề: Z",
                                       "\r"};
  uint32_t state = 7;
  for (int i = 0; i < 2000; ++i) {
    std::string body;
    for (int k = 0; k < 8; ++k) {
      state = state * 1664525u + 1013904223u;
      body += kLines[(state >> 16) % std::size(kLines)];
      body += '\n';
    }
    const SplitText split = SplitQuoted(body);
    const std::string both = split.own + "\n" + split.quoted;
    for (std::string_view line : SplitLines(both)) {
      EXPECT_NE(body.find(line), std::string::npos) << "[" << line << "] in\n" << body;
    }
    EXPECT_LE(split.own.size() + split.quoted.size(), body.size()) << body;
    const std::string stripped = StripSubjectPrefixes(body);
    EXPECT_NE(body.find(stripped), std::string::npos) << body;
  }
}

struct SubjectCase {
  const char* in;
  const char* out;
};

class StripSubjectTest : public ::testing::TestWithParam<SubjectCase> {};

TEST_P(StripSubjectTest, Strips) { EXPECT_EQ(StripSubjectPrefixes(GetParam().in), GetParam().out); }

INSTANTIATE_TEST_SUITE_P(
    Prefixes, StripSubjectTest,
    ::testing::Values(
        SubjectCase{"Re: V/v xin ý kiến", "V/v xin ý kiến"},
        SubjectCase{"RE: RE: Fwd: V/v xin ý kiến", "V/v xin ý kiến"},
        SubjectCase{"  FW:   V/v xin ý kiến  ", "V/v xin ý kiến"},
        SubjectCase{"TL: Trả lời: V/v xin ý kiến", "V/v xin ý kiến"},
        SubjectCase{"TRẢ LỜI: V/v", "V/v"}, SubjectCase{"Tra loi: V/v", "V/v"},
        SubjectCase{"Tra\xCC\x89 lo\xCC\x9B\xCC\x80i: V/v", "V/v"},
        SubjectCase{"Chuyển tiếp: Re: Góp ý dự thảo", "Góp ý dự thảo"},
        SubjectCase{"Re[2]: Re (3): Góp ý", "Góp ý"}, SubjectCase{"AW: WG: SV: VS: Góp ý", "Góp ý"},
        SubjectCase{"[EXTERNAL] RE: Góp ý", "Góp ý"},
        SubjectCase{"Re: [External Email] Fwd: Góp ý", "Góp ý"}, SubjectCase{"RE：Góp ý", "Góp ý"},
        SubjectCase{"Phản hồi: Ý kiến TDP 5", "Ý kiến TDP 5"},
        SubjectCase{"[tacit:dan-chu-2026] Re: Góp ý", "[tacit:dan-chu-2026] Re: Góp ý"},
        SubjectCase{"V/v: xin ý kiến", "V/v: xin ý kiến"},
        SubjectCase{"Ý kiến: nhất trí", "Ý kiến: nhất trí"}, SubjectCase{"Re:", ""},
        SubjectCase{"", ""}, SubjectCase{"Regarding: plan", "Regarding: plan"}));

}  // namespace
}  // namespace tacit::text
