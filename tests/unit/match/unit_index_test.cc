// The pieces under Matcher: word folding with "số" and abbreviations, and the
// n-gram index of unit names (longest match, whole words, shared keys).
#include "match/unit_index.h"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "match/words.h"

namespace tacit::match {
namespace {

bool Has(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(MatchWordsTest, SoBeforeANumberIsDropped) {
  EXPECT_EQ(FoldWords("TDP số 05"), "tdp 5");
  EXPECT_EQ(FoldWords("Tổ dân phố số 5"), "to dan pho 5");
  EXPECT_EQ(FoldWords("to-dan-pho-so-5"), "to dan pho 5");
  EXPECT_EQ(FoldWords("Tổ dân phố số:05"), "to dan pho 5");
  EXPECT_EQ(FoldWords("Số 5"), "5");
  EXPECT_EQ(FoldWords("số liệu 5"), "so lieu 5");
  EXPECT_EQ(FoldWords("hồ sơ"), "ho so");
}

TEST(MatchWordsTest, CoSoKeepsItsSo) {
  EXPECT_EQ(FoldWords("Trung học cơ sở 2"), "trung hoc co so 2");
  EXPECT_EQ(FoldWords("Trung học cơ sở số 2"), "trung hoc co so 2");
  EXPECT_EQ(FoldWords("THCS số 2"), "thcs 2");
}

TEST(MatchWordsTest, SplitWords) {
  EXPECT_EQ(SplitWords("a bc d"), (std::vector<std::string_view>{"a", "bc", "d"}));
  EXPECT_TRUE(SplitWords("").empty());
}

TEST(MatchWordsTest, AbbreviationsBothWays) {
  const std::vector<std::string> tdp = AbbreviationVariants("to dan pho 5");
  EXPECT_TRUE(Has(tdp, "tdp 5"));
  EXPECT_TRUE(Has(tdp, "to dp 5"));
  EXPECT_FALSE(Has(tdp, "to dan pho 5"));  // not itself
  const std::vector<std::string> ca = AbbreviationVariants("ca phuong");
  EXPECT_TRUE(Has(ca, "cong an phuong"));
  const std::vector<std::string> bch = AbbreviationVariants("bch qs phuong");
  EXPECT_TRUE(Has(bch, "ban chi huy quan su phuong"));
  EXPECT_TRUE(Has(bch, "bchqs phuong"));
  EXPECT_TRUE(Has(bch, "bch quan su phuong"));
  EXPECT_TRUE(Has(bch, "ban chqs phuong"));
  const std::vector<std::string> ubnd = AbbreviationVariants("chu tich ubnd phuong");
  EXPECT_TRUE(Has(ubnd, "ct ubnd phuong"));
  EXPECT_TRUE(Has(ubnd, "chu tich uy ban nhan dan phuong"));
  EXPECT_TRUE(Has(ubnd, "ct uy ban nhan dan phuong"));
}

TEST(MatchWordsTest, LongestFormWins) {
  // "pho chu tich" is one form, not "pho" + "chu tich".
  const std::vector<std::string> v = AbbreviationVariants("pho chu tich ubnd phuong");
  EXPECT_TRUE(Has(v, "pct ubnd phuong"));
  EXPECT_FALSE(Has(v, "pho ct ubnd phuong"));
}

TEST(MatchWordsTest, SchoolsWithAndWithoutTruong) {
  const std::vector<std::string> v = AbbreviationVariants("truong tieu hoc hung dao");
  EXPECT_TRUE(Has(v, "truong th hung dao"));
  EXPECT_TRUE(Has(v, "th hung dao"));
  EXPECT_TRUE(Has(v, "tieu hoc hung dao"));
  EXPECT_TRUE(Has(AbbreviationVariants("thcs 2"), "trung hoc co so 2"));
  EXPECT_TRUE(Has(AbbreviationVariants("mn hoa sen"), "mam non hoa sen"));
}

TEST(MatchWordsTest, NoOneWordVariants) {
  // "ca" is also "cả" (all), "th" and "mn" are too short to stand alone.
  EXPECT_TRUE(AbbreviationVariants("cong an").empty());
  EXPECT_TRUE(AbbreviationVariants("tieu hoc").empty());
  EXPECT_TRUE(AbbreviationVariants("").empty());
}

TEST(MatchWordsTest, VariantsAreBounded) {
  const std::vector<std::string> v =
      AbbreviationVariants("to dan pho cong an bch qs to dan pho cong an ubnd hdnd");
  EXPECT_LE(v.size(), 64u);
  EXPECT_FALSE(v.empty());
}

Unit MakeUnit(std::string code, std::string name, std::vector<std::string> emails,
              std::vector<std::string> aliases) {
  return Unit{std::move(code), std::move(name), "g", std::move(emails), std::move(aliases)};
}

std::vector<std::string> Codes(const UnitIndex& index, const std::vector<UnitHit>& hits) {
  std::vector<std::string> out;
  for (const UnitHit& h : hits) out.emplace_back(index.code(h.unit));
  return out;
}

class MatchUnitIndexTest : public ::testing::Test {
 protected:
  MatchUnitIndexTest()
      : index_({MakeUnit("tdp-01", "Tổ dân phố số 1", {"tdp01@x.vn"}, {"TDP 1", "Tổ 1"}),
                MakeUnit("tdp-10", "Tổ dân phố số 10", {"TDP10@X.vn", "chung@x.vn"},
                         {"TDP 10", "Tổ 10"}),
                MakeUnit("tdp-11", "Tổ dân phố số 11", {"chung@x.vn"}, {}),
                MakeUnit("ubnd-ct", "Chủ tịch UBND phường", {}, {"CT UBND phường"}),
                MakeUnit("ubnd-pct", "Phó Chủ tịch UBND phường phụ trách Kinh tế", {}, {}),
                MakeUnit("ca-a", "Công an phường A", {}, {"Công an"}),
                MakeUnit("ca-b", "Công an phường B", {}, {"Công an"}),
                MakeUnit("doi-ca", "Đội CA phường", {}, {}),
                MakeUnit("to-ca", "Tổ công an phường", {}, {}),
                MakeUnit("tdp7-cu", "TDP 7", {}, {}), MakeUnit("tdp-07", "Tổ dân phố số 7", {}, {}),
                MakeUnit("tdp-09", "Tổ dân phố 9", {}, {}),
                MakeUnit("tdp-09b", "Tổ DP 9", {}, {})}) {}

  std::vector<std::string> Scan(const std::string& text, bool with_codes = false) const {
    return Codes(index_, index_.Scan(FoldWords(text), with_codes));
  }

  UnitIndex index_;
};

TEST_F(MatchUnitIndexTest, WholeWordsOnly) {
  EXPECT_EQ(Scan("Ý kiến Tổ 10"), std::vector<std::string>{"tdp-10"});
  EXPECT_EQ(Scan("Ý kiến Tổ 1"), std::vector<std::string>{"tdp-01"});
  EXPECT_TRUE(Scan("Tổ 100").empty());
  EXPECT_TRUE(Scan("Tổ1000 TDP 0100").empty());
}

TEST_F(MatchUnitIndexTest, LongerMatchHidesTheOneInside) {
  EXPECT_EQ(Scan("Phó Chủ tịch UBND phường phụ trách Kinh tế nhất trí"),
            std::vector<std::string>{"ubnd-pct"});
  EXPECT_EQ(Scan("Chủ tịch UBND phường nhất trí"), std::vector<std::string>{"ubnd-ct"});
  EXPECT_EQ(Scan("Chủ tịch Ủy ban nhân dân phường và Phó Chủ tịch UBND phường phụ trách Kinh tế"),
            (std::vector<std::string>{"ubnd-ct", "ubnd-pct"}));
}

TEST_F(MatchUnitIndexTest, SharedConfiguredSpellingNamesBothUnits) {
  EXPECT_EQ(Scan("Công an đề nghị"), (std::vector<std::string>{"ca-a", "ca-b"}));
  EXPECT_EQ(Scan("Công an phường A đề nghị"), std::vector<std::string>{"ca-a"});
}

TEST_F(MatchUnitIndexTest, VariantNeverShadowsAConfiguredSpelling) {
  // "Đội CA phường" has the variant "doi cong an phuong"; "Tổ công an phường"
  // the variant "to ca phuong"; each still finds only its own unit.
  EXPECT_EQ(Scan("Đội Công an phường"), std::vector<std::string>{"doi-ca"});
  EXPECT_EQ(Scan("Tổ CA phường"), std::vector<std::string>{"to-ca"});
  // "CA phường A" is a variant of "Công an phường A" only.
  EXPECT_EQ(Scan("CA phường A"), std::vector<std::string>{"ca-a"});
  // "tdp 7" is configured for tdp7-cu and only a variant for tdp-07.
  EXPECT_EQ(Scan("TDP 7"), std::vector<std::string>{"tdp7-cu"});
  EXPECT_EQ(Scan("Tổ dân phố số 7"), std::vector<std::string>{"tdp-07"});
}

TEST_F(MatchUnitIndexTest, VariantOfTwoUnitsIsDropped) {
  // "tdp 9" is a variant of both "Tổ dân phố 9" and "Tổ DP 9": it names neither.
  EXPECT_TRUE(Scan("TDP 9").empty());
  EXPECT_EQ(Scan("Tổ dân phố 9"), std::vector<std::string>{"tdp-09"});
  EXPECT_EQ(Scan("Tổ DP 9"), std::vector<std::string>{"tdp-09b"});
}

TEST_F(MatchUnitIndexTest, CodesOnlyWhenAsked) {
  EXPECT_TRUE(Scan("ubnd-ct.pdf").empty());
  EXPECT_EQ(Scan("ubnd-ct.pdf", true), std::vector<std::string>{"ubnd-ct"});
  EXPECT_EQ(Scan("tdp-1", true), std::vector<std::string>{"tdp-01"});
  const std::vector<UnitHit> hits = index_.Scan(FoldWords("TDP 10"), true);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].kind, KeyKind::kAlias);  // an alias says more than the code
  EXPECT_EQ(hits[0].form, "TDP 10");
}

TEST_F(MatchUnitIndexTest, Senders) {
  auto units = [&](const std::string& address) {
    std::vector<std::string> out;
    for (const SenderHit& h : index_.FindSender(address)) {
      out.push_back(std::string(index_.code(h.unit)) + (h.plus_address ? "+" : ""));
    }
    return out;
  };
  EXPECT_EQ(units("tdp10@x.vn"), std::vector<std::string>{"tdp-10"});
  EXPECT_EQ(units(" <TDP01@X.VN> "), std::vector<std::string>{"tdp-01"});
  EXPECT_EQ(units("chung@x.vn"), (std::vector<std::string>{"tdp-10", "tdp-11"}));
  EXPECT_EQ(units("office+tdp-11@y.vn"), std::vector<std::string>{"tdp-11+"});
  EXPECT_EQ(units("office+TDP11@y.vn"), std::vector<std::string>{"tdp-11+"});
  EXPECT_EQ(units("tdp01+abc@x.vn"), std::vector<std::string>{"tdp-01"});
  EXPECT_TRUE(units("office+nobody@y.vn").empty());
  EXPECT_TRUE(units("tdp01@x.vn.evil").empty());
  EXPECT_TRUE(units("").empty());
  EXPECT_TRUE(units("+@").empty());
}

TEST_F(MatchUnitIndexTest, FindCode) {
  EXPECT_EQ(index_.FindCode("tdp-10"), 1);
  EXPECT_EQ(index_.FindCode("tdp-1"), -1);
  EXPECT_EQ(index_.size(), 13u);
}

// Codes, folded codes and addresses are kept in sorted arrays (issue 9):
// every unit of many is found by each, a shared address names its units in
// list order (not sorted by code), and an address a unit lists twice names
// it once.
TEST(MatchUnitIndexLookupTest, EveryUnitOfManyIsFoundByCodeAndAddress) {
  std::vector<Unit> units;
  for (int i = 2999; i >= 0; --i) {
    const std::string n = std::to_string(i);
    units.push_back(MakeUnit("u-" + n, "Đơn vị " + n, {"u" + n + "@x.vn", "U" + n + "@X.VN"}, {}));
  }
  units.push_back(MakeUnit("zz", "Zeta", {"chung@x.vn"}, {}));
  units.push_back(MakeUnit("aa", "Alpha", {"chung@x.vn"}, {}));
  units.push_back(MakeUnit("mm", "Mu", {"Chung@x.vn"}, {}));
  const UnitIndex index(units);
  for (uint32_t u = 0; u < units.size(); ++u) {
    ASSERT_EQ(index.FindCode(units[u].code), u) << units[u].code;
    ASSERT_EQ(index.code(u), units[u].code);
  }
  for (uint32_t u = 0; u < 3000; ++u) {
    const std::vector<SenderHit> hits = index.FindSender(units[u].emails[0]);
    ASSERT_EQ(hits.size(), 1u) << units[u].emails[0];
    EXPECT_EQ(hits[0].unit, u);
    const std::vector<SenderHit> plus = index.FindSender("office+" + units[u].code + "@y.vn");
    ASSERT_EQ(plus.size(), 1u) << units[u].code;
    EXPECT_EQ(plus[0].unit, u);
    EXPECT_TRUE(plus[0].plus_address);
  }
  std::vector<std::string> shared;
  for (const SenderHit& h : index.FindSender("chung@x.vn")) shared.emplace_back(index.code(h.unit));
  EXPECT_EQ(shared, (std::vector<std::string>{"zz", "aa", "mm"}));
  EXPECT_EQ(index.FindCode("u-"), -1);
  EXPECT_EQ(index.FindCode("u-30000"), -1);
  EXPECT_EQ(index.FindCode(""), -1);
  EXPECT_TRUE(index.FindSender("u1@x.v").empty());
}

}  // namespace
}  // namespace tacit::match
