#include "text/normalize.h"

#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <utf8proc.h>

#include "text/lines.h"

namespace tacit::text {
namespace {

// NFD spellings, written as bytes: U+0300 grave = CC 80, U+0301 acute =
// CC 81, U+0302 circumflex = CC 82, U+0303 tilde = CC 83, U+0309 hook = CC 89,
// U+031B horn = CC 9B, U+0323 dot below = CC A3.
const std::string kHoaNfd =
    "Ho\xCC\x80"
    "a";  // Hòa
const std::string kHoaNfc =
    "H\xC3\xB2"
    "a";                                           // Hòa
const std::string kHoaNfcOldStyle = "Ho\xC3\xA0";  // Hoà
const std::string kToDanPhoNfd =                   // Tổ dân phố
    "To\xCC\x82\xCC\x89 da\xCC\x82"
    "n pho\xCC\x82\xCC\x81";

TEST(NormalizeTest, NfcComposesDecomposedVietnamese) {
  EXPECT_EQ(Nfc(kHoaNfd), kHoaNfc);
  EXPECT_EQ(Nfc(kToDanPhoNfd), "T\xE1\xBB\x95 d\xC3\xA2n ph\xE1\xBB\x91");
  // u + horn + acute composes to ứ.
  EXPECT_EQ(Nfc("nu\xCC\x9B\xCC\x81"
                "c"),
            "n\xE1\xBB\xA9"
            "c");  // nức
}

TEST(NormalizeTest, NfcKeepsAsciiAndComposedText) {
  EXPECT_EQ(Nfc("TDP so 05"), "TDP so 05");
  EXPECT_EQ(Nfc(""), "");
  EXPECT_EQ(Nfc("Phòng Văn hóa – Xã hội"), "Phòng Văn hóa – Xã hội");
}

// utf8proc's own NFC, the reference for Nfc's quick path.
std::string ReferenceNfc(const std::string& utf8) {
  utf8proc_uint8_t* mapped = nullptr;
  const utf8proc_ssize_t n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(utf8.data()),
                   static_cast<utf8proc_ssize_t>(utf8.size()), &mapped,
                   static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  std::string out(reinterpret_cast<const char*>(mapped), static_cast<size_t>(n));
  std::free(mapped);
  return out;
}

std::string Utf8(int32_t cp) {
  utf8proc_uint8_t buf[4];
  const utf8proc_ssize_t n = utf8proc_encode_char(cp, buf);
  return std::string(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

// Nfc returns text made of "stable" code points as it is, without composing
// it. Pairs where the second code point composes with the first although
// both look harmless (Hangul jamo, Indic vowel signs with combining class 0,
// singletons such as U+212B ANGSTROM SIGN, U+0340) must still come out as
// utf8proc composes them.
TEST(NormalizeTest, NfcQuickPathAgreesWithFullComposition) {
  const std::vector<int32_t> tricky = {0x0340, 0x0341, 0x0343, 0x0344, 0x0374, 0x037E, 0x0387,
                                       0x0B3E, 0x0B56, 0x0B57, 0x0BBE, 0x0BD7, 0x0C56, 0x0CC2,
                                       0x0CD5, 0x0CD6, 0x0D3E, 0x0D57, 0x0DCF, 0x0DDF, 0x102E,
                                       0x1161, 0x1175, 0x11A8, 0x11C2, 0x1B35, 0x1F71, 0x2000,
                                       0x2001, 0x2126, 0x212A, 0x212B, 0x0958, 0x0301, 0x0323};
  uint32_t state = 7;
  for (int32_t a = 0x20; a < 0x2100; ++a) {
    if (a >= 0xD800 && a < 0xE000) continue;
    std::vector<int32_t> seconds = tricky;
    for (int k = 0; k < 8; ++k) {
      state = state * 1664525u + 1013904223u;
      seconds.push_back(0x20 + static_cast<int32_t>((state >> 8) % (0x2100 - 0x20)));
    }
    const std::string first = Utf8(a);
    ASSERT_EQ(Nfc(first), ReferenceNfc(first)) << std::hex << a;
    for (int32_t b : seconds) {
      const std::string pair = first + Utf8(b) + "x";
      ASSERT_EQ(Nfc(pair), ReferenceNfc(pair)) << std::hex << a << " " << b;
    }
  }
  // Korean: precomposed syllables stay, jamo compose.
  EXPECT_EQ(Nfc("\u1100\u1161"), "\uAC00");
}

TEST(NormalizeTest, NfcReplacesInvalidBytes) {
  EXPECT_EQ(Nfc("ab\xFF"
                "c"),
            "ab\xEF\xBF\xBD"
            "c");
  EXPECT_EQ(Nfc("\xC3"), "\xEF\xBF\xBD");                  // truncated sequence
  EXPECT_EQ(Nfc("\xC0\xAF"), "\xEF\xBF\xBD\xEF\xBF\xBD");  // overlong "/"
  EXPECT_EQ(Nfc("\xED\xA0\x80"),                           // UTF-16 surrogate
            "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(Nfc(std::string("a\0b", 3)), std::string("a\0b", 3));
}

TEST(NormalizeTest, IsValidUtf8) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("Hưng Đạo"));
  EXPECT_TRUE(IsValidUtf8(kHoaNfd));
  EXPECT_TRUE(IsValidUtf8("\xEF\xBF\xBD"));      // U+FFFD itself
  EXPECT_TRUE(IsValidUtf8("\xF0\x9F\x98\x80"));  // emoji
  EXPECT_FALSE(IsValidUtf8("\x80"));
  EXPECT_FALSE(IsValidUtf8("H\xC6"));  // cut in the middle of ư
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // above U+10FFFF
  EXPECT_EQ(SanitizeUtf8("x\x80y"), "x\xEF\xBF\xBDy");
}

// The decoder's shortcut for two- and three-byte sequences must say what
// utf8proc says of every one of them: valid or not, and which code point
// (SanitizeUtf8 decodes a text with an invalid byte in it code point by code
// point and writes each one again).
TEST(NormalizeTest, DecodingAgreesWithUtf8procOnEveryTwoAndThreeByteSequence) {
  auto check = [](const std::string& seq) {
    utf8proc_int32_t cp = -1;
    const utf8proc_ssize_t n =
        utf8proc_iterate(reinterpret_cast<const utf8proc_uint8_t*>(seq.data()),
                         static_cast<utf8proc_ssize_t>(seq.size()), &cp);
    const bool valid = n == static_cast<utf8proc_ssize_t>(seq.size()) && cp >= 0;
    if (IsValidUtf8(seq) != valid) return false;
    if (!valid) return true;
    return SanitizeUtf8(seq + "\xFF") == seq + "\xEF\xBF\xBD";
  };
  int failures = 0;
  for (int a = 0xC0; a <= 0xDF; ++a) {
    for (int b = 0; b < 256; ++b) {
      const std::string seq{static_cast<char>(a), static_cast<char>(b)};
      if (!check(seq) && ++failures < 5) ADD_FAILURE() << std::hex << a << " " << b;
    }
  }
  for (int a = 0xE0; a <= 0xEF; ++a) {
    for (int b = 0x70; b < 0xD0; ++b) {  // around the continuation bytes 80..BF
      for (int c = 0x70; c < 0xD0; ++c) {
        const std::string seq{static_cast<char>(a), static_cast<char>(b), static_cast<char>(c)};
        if (!check(seq) && ++failures < 5) ADD_FAILURE() << std::hex << a << " " << b << " " << c;
      }
    }
  }
  EXPECT_EQ(failures, 0);
}

TEST(NormalizeTest, FoldForMatchIgnoresDiacriticsCaseAndForm) {
  EXPECT_EQ(FoldForMatch(kHoaNfc), "hoa");
  EXPECT_EQ(FoldForMatch(kHoaNfcOldStyle), "hoa");
  EXPECT_EQ(FoldForMatch(kHoaNfd), "hoa");
  EXPECT_EQ(FoldForMatch("HOÀ"), "hoa");
  EXPECT_EQ(FoldForMatch(kToDanPhoNfd), "to dan pho");
  EXPECT_EQ(FoldForMatch("TỔ DÂN PHỐ SỐ 05"), "to dan pho so 05");
  EXPECT_EQ(FoldForMatch("Phường Hưng Đạo"), "phuong hung dao");
  EXPECT_EQ(FoldForMatch("ĐỒNG Ý, ĐỀ NGHỊ"), "dong y, de nghi");
  EXPECT_EQ(FoldForMatch("Ủy ban nhân dân"), "uy ban nhan dan");
  EXPECT_EQ(FoldForMatch("Thư chuyển tiếp"), "thu chuyen tiep");
  EXPECT_EQ(FoldForMatch("đã viết:"), "da viet:");
}

TEST(NormalizeTest, FoldForMatchCollapsesWhitespaceAndKeepsPunctuation) {
  EXPECT_EQ(FoldForMatch("  Nhất\ttrí\r\n\n với\xC2\xA0\xC2\xA0"
                         "dự thảo.  "),
            "nhat tri voi du thao.");
  EXPECT_EQ(FoldForMatch("a\xE2\x80\xA8"
                         "b\xE3\x80\x80"
                         "c"),
            "a b c");
  EXPECT_EQ(FoldForMatch("V/v: 02 Kế hoạch (dự thảo)"), "v/v: 02 ke hoach (du thao)");
  EXPECT_EQ(FoldForMatch(" \t\n"), "");
  EXPECT_EQ(FoldForMatch(""), "");
}

TEST(NormalizeTest, FoldForMatchDropsIgnorablesAndUsesCompatForms) {
  EXPECT_EQ(FoldForMatch("\xEF\xBB\xBFTDP"), "tdp");  // BOM
  EXPECT_EQ(FoldForMatch("nh\xC2\xAD"
                         "\xE1\xBA\xA5t"),
            "nhat");                             // soft hyphen
  EXPECT_EQ(FoldForMatch("\xEF\xBC\x95"), "5");  // full-width 5
  EXPECT_EQ(FoldForMatch("\xEF\xAC\x81"
                         "le"),
            "file");  // fi ligature
}

TEST(NormalizeTest, FoldForMatchSurvivesInvalidBytes) {
  EXPECT_EQ(FoldForMatch("T\xFF"
                         "DP"),
            "t\xEF\xBF\xBD"
            "dp");
  EXPECT_EQ(FoldForMatch("\xE1\xBB"), "\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(NormalizeTest, FoldToWordsMakesVariantsEqual) {
  const std::string expected = "to dan pho so 5";
  EXPECT_EQ(FoldToWords("Tổ dân phố số 5"), expected);
  EXPECT_EQ(FoldToWords("to-dan-pho-so-5"), expected);
  EXPECT_EQ(FoldToWords("TỔ DÂN PHỐ SỐ 5"), expected);
  EXPECT_EQ(FoldToWords("Tổ dân phố số 05"), expected);
  EXPECT_EQ(FoldToWords(kToDanPhoNfd + " s\xE1\xBB\x91 005"), expected);
  EXPECT_EQ(FoldToWords("  (Tổ   dân phố), số: 5!! "), expected);
}

TEST(NormalizeTest, FoldToWordsNumbers) {
  EXPECT_EQ(FoldToWords("TDP số 05"), "tdp so 5");
  EXPECT_EQ(FoldToWords("tdp05"), "tdp 5");
  EXPECT_EQ(FoldToWords("tdp-01"), "tdp 1");
  EXPECT_EQ(FoldToWords("000"), "0");
  EXPECT_EQ(FoldToWords("0"), "0");
  EXPECT_EQ(FoldToWords("100%"), "100");
  EXPECT_EQ(FoldToWords("09/02/2026"), "9 2 2026");
  EXPECT_EQ(FoldToWords("82/NQ-HĐND"), "82 nq hdnd");
  EXPECT_EQ(FoldToWords("00 5"), "0 5");
  EXPECT_EQ(FoldToWords("quý II/2026"), "quy ii 2026");
  EXPECT_EQ(FoldToWords("...---..."), "");
}

TEST(NormalizeTest, ContainsWordsIsWholeWord) {
  EXPECT_TRUE(ContainsWords("gui to 5 ve", "to 5"));
  EXPECT_TRUE(ContainsWords("to 5", "to 5"));
  EXPECT_TRUE(ContainsWords("ban to 5", "to 5"));
  EXPECT_FALSE(ContainsWords("to 15", "to 5"));
  EXPECT_FALSE(ContainsWords("to 50", "to 5"));
  EXPECT_FALSE(ContainsWords("to 15 to 50", "to 5"));
  EXPECT_TRUE(ContainsWords("to 15 to 5", "to 5"));
  EXPECT_FALSE(ContainsWords("cong an phuong", ""));
  EXPECT_FALSE(ContainsWords("", "to"));
  // Leading zeros go, "số" stays: an alias "TDP 5" needs its own entry.
  EXPECT_TRUE(ContainsWords(FoldToWords("Kính gửi TDP số 05,"), FoldToWords("TDP số 5")));
  EXPECT_TRUE(ContainsWords(FoldToWords("Kính gửi TDP 05,"), FoldToWords("TDP 5")));
  EXPECT_FALSE(ContainsWords(FoldToWords("Kính gửi TDP số 05,"), FoldToWords("TDP 5")));
}

// Random mixes of stray bytes and Vietnamese fragments, NFC and NFD.
std::string RandomText(uint32_t* state) {
  static const char* const kPieces[] = {"Đ",
                                        "ồ",
                                        "o\xCC\x82\xCC\x80",
                                        "\xCC\x81",
                                        "\xC3",
                                        "\xE1\xBB",
                                        "\xFF",
                                        " ",
                                        "\xC2\xA0",
                                        "\n",
                                        "05",
                                        "0",
                                        "-",
                                        "A",
                                        "ư",
                                        "\xED\xA0\x80",
                                        "\x00"};
  auto next = [state] {
    *state = *state * 1664525u + 1013904223u;
    return *state >> 16;
  };
  std::string out;
  const uint32_t pieces = next() % 24;
  for (uint32_t i = 0; i < pieces; ++i) {
    const uint32_t r = next();
    if (r % 4 == 0) {
      out.push_back(static_cast<char>(r >> 8));
    } else {
      const char* piece = kPieces[r % std::size(kPieces)];
      out.append(piece, piece[0] == '\0' ? 1 : std::char_traits<char>::length(piece));
    }
  }
  return out;
}

TEST(NormalizeTest, RandomBytesGiveValidIdempotentOutput) {
  uint32_t state = 20260209;
  for (int i = 0; i < 3000; ++i) {
    const std::string text = RandomText(&state);
    const std::string nfc = Nfc(text);
    const std::string folded = FoldForMatch(text);
    const std::string words = FoldToWords(text);
    ASSERT_TRUE(IsValidUtf8(nfc)) << i;
    ASSERT_TRUE(IsValidUtf8(folded)) << i;
    ASSERT_TRUE(IsValidUtf8(words)) << i;
    EXPECT_EQ(Nfc(nfc), nfc) << i;
    EXPECT_EQ(FoldForMatch(folded), folded) << i;
    EXPECT_EQ(FoldToWords(words), words) << i;
    EXPECT_EQ(FoldForMatch(nfc), folded) << i;
    EXPECT_EQ(words.find("  "), std::string::npos) << i;
  }
}

TEST(LinesTest, SplitLinesHandlesAllLineEnds) {
  const auto lines = SplitLines("a\r\nb\rc\n\nd\n");
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0], "a");
  EXPECT_EQ(lines[1], "b");
  EXPECT_EQ(lines[2], "c");
  EXPECT_EQ(lines[3], "");
  EXPECT_EQ(lines[4], "d");
  EXPECT_TRUE(SplitLines("").empty());
}

TEST(LinesTest, ListMarkers) {
  EXPECT_EQ(ListMarkerOf("1. Về chỉ tiêu"), ListMarker::kNumbered);
  EXPECT_EQ(ListMarkerOf("  12) Về tiến độ"), ListMarker::kNumbered);
  EXPECT_EQ(ListMarkerOf("(3) abc"), ListMarker::kNumbered);
  EXPECT_EQ(ListMarkerOf("b) abc"), ListMarker::kNumbered);
  EXPECT_EQ(ListMarkerOf("đ) abc"), ListMarker::kNumbered);
  EXPECT_EQ(ListMarkerOf("1.Nhất trí"), ListMarker::kNumbered);
  EXPECT_EQ(ListMarkerOf("- Như trên;"), ListMarker::kBullet);
  EXPECT_EQ(ListMarkerOf("1.5 triệu đồng"), ListMarker::kNone);
  EXPECT_EQ(ListMarkerOf("09.02.2026 hạn cuối"), ListMarker::kNone);
  EXPECT_EQ(ListMarkerOf("2026. Năm"), ListMarker::kNone);
  EXPECT_EQ(ListMarkerOf("-----Original Message-----"), ListMarker::kNone);
  EXPECT_EQ(ListMarkerOf(""), ListMarker::kNone);
}

TEST(LinesTest, SplitParagraphsAtBlankLinesAndItems) {
  const auto paragraphs = SplitParagraphs(
      "  Kính gửi Phòng VH-XH,\n\nĐơn vị có ý kiến\nnhư sau:\n"
      "1. Chỉ tiêu\n   cao.\n2. Tiến độ gấp.\n \n");
  ASSERT_EQ(paragraphs.size(), 4u);
  EXPECT_EQ(paragraphs[0], "Kính gửi Phòng VH-XH,");
  EXPECT_EQ(paragraphs[1], "Đơn vị có ý kiến\nnhư sau:");
  EXPECT_EQ(paragraphs[2], "1. Chỉ tiêu\n   cao.");
  EXPECT_EQ(paragraphs[3], "2. Tiến độ gấp.");
}

}  // namespace
}  // namespace tacit::text
