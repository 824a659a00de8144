// Scanned letters (issue 10): the unit from the letterhead with OCR noise,
// never a guess; the consultation from "V/v"/"Số"; the stance from the body.
// On the real config (config/units.csv: 45 units, several schools "… Hưng
// Đạo", TDPs 1 to 20) so that near names are really there.
#include "match/letterhead.h"

#include <string>

#include <gtest/gtest.h>

#include "config/config.h"
#include "match/matcher.h"
#include "match/unit_index.h"

namespace tacit::match {
namespace {

class LetterheadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<Config> config = LoadConfig(std::string(TACIT_SOURCE_DIR) + "/config/tacit.toml");
    ASSERT_TRUE(config) << config.error().message();
    config_ = std::move(*config);
    units_ = std::make_unique<UnitIndex>(config_.units);
    index_ = std::make_unique<LetterheadIndex>(PackedUnits(config_.units), *units_);
    matcher_ = std::make_unique<Matcher>(config_);
    context_.open_consultations = {"dan-chu-2026"};
  }

  // The code of the one unit found, "" for none, "?" plus codes when several.
  std::string Find(const std::string& letterhead) const {
    std::vector<LetterheadHit> hits = index_->Find(letterhead);
    if (hits.empty()) return "";
    if (hits.size() == 1) return std::string(units_->code(hits[0].unit));
    std::string out = "?";
    for (const LetterheadHit& h : hits) out += " " + std::string(units_->code(h.unit));
    return out;
  }

  // A whole OCR'd letter as the drop folder hands it to matching.
  MatchResult MatchScan(const std::string& text, bool low_confidence = false) const {
    Candidate c;
    c.channel = Channel::kDrop;
    c.file_name = "scan0001.jpg";
    c.content_hash = "x";
    c.ocr = true;
    c.own_text = text;
    c.letterhead_text = LetterheadFromText(text);
    c.subject = SubjectFromText(text);
    c.ocr_confidence = low_confidence ? 35 : 88;
    c.ocr_low_confidence = low_confidence;
    return matcher_->Match(c, context_);
  }

  Config config_;
  std::unique_ptr<UnitIndex> units_;
  std::unique_ptr<LetterheadIndex> index_;
  std::unique_ptr<Matcher> matcher_;
  MatchContext context_;
};

TEST(EditDistanceTest, Basics) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("abc", ""), 3u);
  EXPECT_EQ(EditDistance("cong an", "cong an"), 0u);
  EXPECT_EQ(EditDistance("cong an", "c0ng an"), 1u);
  EXPECT_EQ(EditDistance("thcs", "th"), 2u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
}

TEST_F(LetterheadTest, ExactNamesInTheBottomLine) {
  EXPECT_EQ(Find("UBND PHƯỜNG HƯNG ĐẠO\nTRƯỜNG THCS HƯNG ĐẠO\n"), "thcs-hung-dao");
  EXPECT_EQ(Find("CÔNG AN TP HẢI PHÒNG\nCÔNG AN PHƯỜNG HƯNG ĐẠO\n"), "cong-an");
  EXPECT_EQ(Find("UBND PHƯỜNG HƯNG ĐẠO\nTỔ DÂN PHỐ SỐ 5"), "tdp-05");
  EXPECT_EQ(Find("ỦY BAN MTTQ\nPHƯỜNG HƯNG ĐẠO"), "ubmttq");
  // Case and diacritics do not matter; NFD counts like NFC.
  EXPECT_EQ(Find("ubnd phuong hung dao\ntruong mam non hoa sen"), "mn-hoa-sen");
  EXPECT_EQ(
      Find(
          "UBND PHU\u031BO\u031B\u0300NG\nTRU\u031BO\u031B\u0300NG THCS HU\u031BNG \u0110A\u0323O"),
      "thcs-hung-dao");
}

TEST_F(LetterheadTest, OcrNoiseIsTolerated) {
  // Letters misread, diacritics lost or wrong, a space dropped.
  EXPECT_EQ(Find("UBND PHUONG HUNG DAO\nTRUÒNG THCS HUNC ĐẠO"), "thcs-hung-dao");
  EXPECT_EQ(Find("CÔNG AN TP HẢI PHÒNG\nC0NG AN PHUỜNG HUNG ĐAO"), "cong-an");
  EXPECT_EQ(Find("UBND PHƯỜNG\nTRUONG TIEU HOC TRAN QUOC T0AN"), "th-tran-quoc-toan");
  EXPECT_EQ(Find("UBND PHƯỜNG\nTRAM Y TÊ PHUÒNG"), "tram-y-te");
  EXPECT_EQ(Find("UBND PHƯỜNG\nHỘI CỰU CHIÊN BlNH PHƯỜNG"), "hoi-cuu-chien-binh");
}

TEST_F(LetterheadTest, AFuzzyHitNamesTheConfiguredSpellingAndItsEdits) {
  // The rule shown to the clerk quotes the name or alias as configured, also
  // when an abbreviation variant of it ("thcs" for "trung hoc co so") matched.
  std::vector<LetterheadHit> hits = index_->Find("UBND PHUONG HUNG DAO\nTRUÒNG THCS HUNC ĐẠO");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].what, "name 'Trường THCS Hưng Đạo' (OCR: 1 edit)");
  // A variant of the name ("trung hoc co so hung dao": "thcs" spelt out,
  // "trường" left off) is shown as the name itself.
  hits = index_->Find("UBND PHƯỜNG\nTRUNG HOC CO SO HUNC DAO");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].what, "name 'Trường THCS Hưng Đạo' (OCR: 1 edit)");
  // An alias: its own label; here "MTTQ phường", whose variant spelt out
  // comes before the alias "Mặt trận Tổ quốc phường" spelt the same way.
  hits = index_->Find("UBND PHƯỜNG\nMẶT TRẬN TỔ QUỐC PHƯỜMG");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(units_->code(hits[0].unit), "ubmttq");
  EXPECT_EQ(hits[0].what, "alias 'MTTQ phường' (OCR: 1 edit)");
}

TEST_F(LetterheadTest, NumbersMustBeRead) {
  // One letter off in "Tổ dân phố số 3" is still TDP 3; a misread digit is
  // another TDP or nothing, never a near one.
  EXPECT_EQ(Find("UBND PHƯỜNG\nTO DAM PHO SO 3"), "tdp-03");
  EXPECT_EQ(Find("UBND PHƯỜNG\nTO DAN PHO S0 4"), "");  // "S0 4": numbers 0 and 4
  EXPECT_EQ(Find("UBND PHƯỜNG\nTỔ DÂN PHỐ SỐ 99"), "");
}

TEST_F(LetterheadTest, NameOverTwoLines) {
  EXPECT_EQ(Find("ĐẢNG ỦY PHƯỜNG HƯNG ĐẠO\nBAN CHỈ HUY QUÂN SỰ\nPHƯỜNG HƯNG ĐẠO"), "bch-quan-su");
}

TEST_F(LetterheadTest, ParentLineAloneNeverDecides) {
  // The school's own line is unreadable: the parent (UBND phường) is not taken.
  EXPECT_EQ(Find("UBND PHƯỜNG HƯNG ĐẠO\n#$%& ~~ x7q"), "");
  EXPECT_EQ(Find(""), "");
  EXPECT_EQ(Find("\n\n  \n"), "");
}

TEST_F(LetterheadTest, EquallyCloseUnitsAreAmbiguous) {
  // "TH" and "THCS" Hưng Đạo are both two edits from "THXS HUNG DAO"... and
  // the tie is refused rather than resolved.
  std::string got = Find("UBND PHƯỜNG\nTRƯỜNG THC HƯNG ĐẠO");
  EXPECT_TRUE(got.empty() || got[0] == '?') << got;
  // Two units named exactly in the bottom line.
  EXPECT_EQ(Find("UBND PHƯỜNG\nCÔNG AN PHƯỜNG VÀ TRẠM Y TẾ PHƯỜNG"), "? cong-an tram-y-te");
}

TEST_F(LetterheadTest, LetterheadFromTextStopsAtTheReferenceAndTheMotto) {
  EXPECT_EQ(LetterheadFromText("UBND PHƯỜNG HƯNG ĐẠO CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
                               "TỔ DÂN PHỐ SỐ 2 Độc lập - Tự do - Hạnh phúc\n"
                               "Số: 03/TDP\nV/v góp ý\n"),
            "ubnd phuong hung dao\nto dan pho so 2\n");
  EXPECT_EQ(LetterheadFromText("\n\nCÔNG AN PHƯỜNG\n\nSố: 1/CA\n"), "cong an phuong\n");
}

TEST_F(LetterheadTest, SubjectAndBody) {
  const std::string text =
      "TỔ DÂN PHỐ SỐ 2\nSố: 03/TDP\nV/v góp ý dự thảo\nkế hoạch năm 2026\n\n"
      "Kính gửi: Phòng Văn hóa – Xã hội\n\nTổ dân phố số 2 nhất trí.\n";
  EXPECT_EQ(SubjectFromText(text), "V/v góp ý dự thảo kế hoạch năm 2026");
  EXPECT_EQ(BodyFromText(text), "\nTổ dân phố số 2 nhất trí.\n");
  EXPECT_EQ(SubjectFromText("no subject here"), "");
  EXPECT_EQ(BodyFromText("just text"), "just text");
}

constexpr const char* kTwoNames =
    "UBND PHƯỜNG HƯNG ĐẠO\nTỔ DÂN PHỐ SỐ 1\n\n"
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n\n"
    "Số: 07/TDP\nV/v ý kiến về dự thảo 02 Kế hoạch\n\n"
    "Kính gửi: Phòng Văn hóa – Xã hội phường\n\n"
    "Thực hiện Công văn số /VH-XH về việc xin ý kiến tham gia vào dự thảo 02 Kế hoạch "
    "triển khai thực hiện dân chủ ở cơ sở, Tổ dân phố số 1 đã họp cùng Công an phường và "
    "Trạm Y tế phường.\nTổ dân phố số 1 không nhất trí với dự thảo.\n";

TEST_F(LetterheadTest, ScanMatchesTheLetterheadUnitOnly) {
  MatchResult r = MatchScan(kTwoNames);
  EXPECT_EQ(r.outcome, Outcome::kMatched) << r.unit_rule << " / " << r.consultation_rule;
  EXPECT_EQ(r.unit_code.value_or(""), "tdp-01");
  EXPECT_NE(r.unit_rule.find("letterhead"), std::string::npos) << r.unit_rule;
  EXPECT_EQ(r.consultation_id.value_or(""), "dan-chu-2026");
  EXPECT_EQ(r.stance, Stance::kObject);
}

// tacitd keeps its units packed, config.units emptied, and builds its matcher
// from them (issue 9): the letterhead, the names and the senders are all found
// as from the config's own list.
TEST_F(LetterheadTest, MatcherBuiltFromPackedUnitsAsTacitdBuildsIt) {
  const PackedUnits packed(config_.units);
  Config without_units = config_;
  without_units.units.clear();
  matcher_ = std::make_unique<Matcher>(without_units, packed);
  MatchResult r = MatchScan(kTwoNames);
  EXPECT_EQ(r.outcome, Outcome::kMatched) << r.unit_rule << " / " << r.consultation_rule;
  EXPECT_EQ(r.unit_code.value_or(""), "tdp-01");
  EXPECT_NE(r.unit_rule.find("letterhead"), std::string::npos) << r.unit_rule;
  // The last unit of the list too (the units are read one at a time).
  const Unit& last = config_.units.back();
  Candidate c;
  c.channel = Channel::kDrop;
  c.file_name = "y-kien.txt";
  c.content_hash = "y";
  c.subject = last.name;
  c.own_text = "Nhất trí.";
  r = matcher_->Match(c, context_);
  EXPECT_EQ(r.unit_code.value_or(""), last.code) << r.unit_rule;
  // Without the packed units, nothing is found: the config's list is not read.
  matcher_ = std::make_unique<Matcher>(config_, PackedUnits());
  EXPECT_FALSE(MatchScan(kTwoNames).unit_code.has_value());
}

TEST_F(LetterheadTest, ScanWithAnUnreadableLetterheadIsNotMatchedByBodyNames) {
  std::string text = kTwoNames;
  text.replace(text.find("TỔ DÂN PHỐ SỐ 1\n"), std::string("TỔ DÂN PHỐ SỐ 1").size(), "~~##@@ %%");
  MatchResult r = MatchScan(text);
  EXPECT_EQ(r.outcome, Outcome::kUnmatched);
  EXPECT_FALSE(r.unit_code.has_value()) << *r.unit_code;
}

TEST_F(LetterheadTest, SubjectLineIsNotAStance) {
  // "V/v góp ý …" would read as comments; the body agrees.
  MatchResult r = MatchScan(
      "CÔNG AN PHƯỜNG HƯNG ĐẠO\nSố: 25/CAP\nV/v góp ý dự thảo kế hoạch\n\n"
      "Kính gửi: Phòng Văn hóa – Xã hội\n\nCông an phường nhất trí với dự thảo.\n");
  EXPECT_EQ(r.unit_code.value_or(""), "cong-an");
  EXPECT_EQ(r.stance, Stance::kAgree);
}

TEST_F(LetterheadTest, LowConfidenceLeavesTheStanceUnknown) {
  MatchResult r = MatchScan(kTwoNames, /*low_confidence=*/true);
  EXPECT_EQ(r.unit_code.value_or(""), "tdp-01");
  EXPECT_EQ(r.stance, Stance::kUnknown);
}

TEST_F(LetterheadTest, NonOcrCandidatesIgnoreTheLetterheadField) {
  Candidate c;
  c.file_name = "reply.txt";
  c.content_hash = "x";
  c.letterhead_text = "CÔNG AN PHƯỜNG";  // not a scan: not read
  c.own_text = "Nhất trí.";
  MatchResult r = matcher_->Match(c, context_);
  EXPECT_FALSE(r.unit_code.has_value());
}

}  // namespace
}  // namespace tacit::match
