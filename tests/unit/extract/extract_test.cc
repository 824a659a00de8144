#include "extract/extract.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <random>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <zip.h>

#include "core/status.h"
#include "extract/helper.h"
#include "extract/pdf.h"
#include "support/temp_dir.h"
#include "text/normalize.h"

namespace tacit::extract {
namespace {

// ---------------------------------------------------------------------------
// Builders: every input is made here, nothing is downloaded.

struct ZipEntry {
  std::string name;
  std::string data;
  zip_int32_t method = ZIP_CM_DEFLATE;
  bool encrypt = false;
};

// A zip archive, in memory, holding `entries` in order.
std::string MakeZip(const std::vector<ZipEntry>& entries) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_source_keep(buffer);  // still ours after zip_close, to read the result
  zip_t* archive = zip_open_from_source(buffer, ZIP_TRUNCATE, &error);
  EXPECT_NE(archive, nullptr);
  for (const ZipEntry& e : entries) {
    zip_source_t* source = zip_source_buffer(archive, e.data.data(), e.data.size(), 0);
    const zip_int64_t index = zip_file_add(archive, e.name.c_str(), source, ZIP_FL_ENC_UTF_8);
    EXPECT_GE(index, 0) << e.name;
    EXPECT_EQ(zip_set_file_compression(archive, static_cast<zip_uint64_t>(index), e.method, 0), 0);
    if (e.encrypt) {
      EXPECT_EQ(zip_file_set_encryption(archive, static_cast<zip_uint64_t>(index), ZIP_EM_AES_256,
                                        "mat khau"),
                0);
    }
  }
  EXPECT_EQ(zip_close(archive), 0);
  zip_stat_t stat;
  zip_stat_init(&stat);
  EXPECT_EQ(zip_source_open(buffer), 0);
  EXPECT_EQ(zip_source_stat(buffer, &stat), 0);
  std::string bytes(stat.size, '\0');
  EXPECT_EQ(zip_source_read(buffer, bytes.data(), stat.size), static_cast<zip_int64_t>(stat.size));
  zip_source_close(buffer);
  zip_source_free(buffer);
  zip_error_fini(&error);
  return bytes;
}

constexpr char kContentTypes[] =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>)";

constexpr char kRels[] =
    R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>)";

// A WordprocessingML part: `root` element around `body`.
std::string WordXml(std::string_view root, std::string_view body) {
  return std::string(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)") +
         "\n<w:" + std::string(root) +
         R"( xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" )"
         R"(xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">)" +
         std::string(body) + "</w:" + std::string(root) + ">";
}

// A reply as Word writes it: runs split mid-sentence, a tab, a line break, a
// table, tab stops in paragraph properties, tracked deletion, a text box with
// its fallback copy, and "Hòa" decomposed (NFD) as a Mac would send it.
const std::string kReplyBody = R"(<w:body>
<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>
  <w:r><w:t xml:space="preserve">UBND PHƯỜNG </w:t></w:r>
  <w:r><w:rPr><w:b/></w:rPr><w:t>Ho)"
                               "\xCC\x80"
                               R"(a Bình</w:t></w:r></w:p>
<w:p><w:r><w:t>Kính gửi:</w:t><w:tab/><w:t>Ủy ban</w:t></w:r></w:p>
<w:p><w:r><w:t>Tổ dân phố số 5</w:t><w:br/><w:t xml:space="preserve">nhất trí </w:t></w:r><w:r><w:t>với dự thảo.</w:t></w:r></w:p>
<w:tbl><w:tblPr/>
  <w:tr><w:tc><w:tcPr/><w:p><w:r><w:t>STT</w:t></w:r></w:p></w:tc>
        <w:tc><w:p><w:r><w:t>Ý kiến</w:t></w:r></w:p><w:p><w:r><w:t>đồng ý</w:t></w:r></w:p></w:tc></w:tr>
  <w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc>
        <w:tc><w:p><w:r><w:t>Nhất trí</w:t></w:r></w:p></w:tc></w:tr>
</w:tbl>
<w:p><w:del><w:r><w:delText>không</w:delText></w:r></w:del><w:r><w:t>Hết.</w:t></w:r></w:p>
<w:p><mc:AlternateContent><mc:Choice><w:r><w:t>Hộp chữ</w:t></w:r></mc:Choice><mc:Fallback><w:r><w:t>Hộp chữ</w:t></w:r></mc:Fallback></mc:AlternateContent></w:p>
<w:sectPr/></w:body>)";

const std::string kReplyText =
    "UBND PHƯỜNG Hòa Bình\n"
    "Kính gửi:\tỦy ban\n"
    "Tổ dân phố số 5\nnhất trí với dự thảo.\n"
    "STT\tÝ kiến đồng ý\n"
    "1\tNhất trí\n"
    "Hết.\n"
    "Hộp chữ\n";

std::vector<ZipEntry> DocxEntries(std::string document_xml) {
  return {{"[Content_Types].xml", kContentTypes},
          {"_rels/.rels", kRels},
          {"word/document.xml", std::move(document_xml)}};
}

std::string MakeDocx(std::string document_xml) {
  return MakeZip(DocxEntries(std::move(document_xml)));
}

// Overwrites the uncompressed size that the local and the central headers
// declare for `name`: a zip whose sizes lie.
void LieAboutSize(std::string* zip, std::string_view name, std::uint32_t size) {
  auto put32 = [&](size_t at) {
    for (int i = 0; i < 4; ++i) (*zip)[at + i] = static_cast<char>((size >> (8 * i)) & 0xFF);
  };
  auto get16 = [&](size_t at) {
    return static_cast<size_t>(static_cast<unsigned char>((*zip)[at])) |
           static_cast<size_t>(static_cast<unsigned char>((*zip)[at + 1])) << 8;
  };
  int patched = 0;
  for (size_t at = 0; at + 46 < zip->size(); ++at) {
    if (zip->compare(at, 4, "PK\x03\x04") == 0 && zip->compare(at + 30, name.size(), name) == 0 &&
        get16(at + 26) == name.size()) {
      put32(at + 22);
      ++patched;
    } else if (zip->compare(at, 4, "PK\x01\x02") == 0 &&
               zip->compare(at + 46, name.size(), name) == 0 && get16(at + 28) == name.size()) {
      put32(at + 24);
      ++patched;
    }
  }
  EXPECT_EQ(patched, 2);
}

// A PDF with one page per content stream, Helvetica as /F1, and a correct
// cross-reference table. `trailer_extra` goes into the trailer dictionary;
// `extra_objects` are appended as objects numbered after the pages'.
std::string MakePdf(const std::vector<std::string>& page_contents,
                    const std::vector<std::string>& extra_objects = {},
                    const std::string& trailer_extra = "") {
  std::vector<std::string> objects;  // objects[i] is object i + 1
  const size_t n = page_contents.size();
  const size_t font = 3 + 2 * n;  // 1 catalog, 2 pages, then page + contents per page
  std::string kids;
  for (size_t i = 0; i < n; ++i) kids += std::to_string(3 + 2 * i) + " 0 R ";
  objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push_back("<< /Type /Pages /Kids [" + kids + "] /Count " + std::to_string(n) + " >>");
  for (size_t i = 0; i < n; ++i) {
    objects.push_back(
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << "
        "/F1 " +
        std::to_string(font) + " 0 R >> >> /Contents " + std::to_string(4 + 2 * i) + " 0 R >>");
    objects.push_back("<< /Length " + std::to_string(page_contents[i].size()) + " >>\nstream\n" +
                      page_contents[i] + "\nendstream");
  }
  objects.push_back("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>");
  for (const std::string& extra : extra_objects) objects.push_back(extra);

  std::string pdf = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<size_t> offsets;
  for (size_t i = 0; i < objects.size(); ++i) {
    offsets.push_back(pdf.size());
    pdf += std::to_string(i + 1) + " 0 obj\n" + objects[i] + "\nendobj\n";
  }
  const size_t xref = pdf.size();
  pdf += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (size_t offset : offsets) {
    char entry[21];
    std::snprintf(entry, sizeof entry, "%010zu 00000 n \n", offset);
    pdf += entry;
  }
  pdf += "trailer\n<< /Size " + std::to_string(objects.size() + 1) + " /Root 1 0 R " +
         trailer_extra + " >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return pdf;
}

std::string TextPage(std::string_view words) {
  return "BT /F1 24 Tf 72 720 Td (" + std::string(words) + ") Tj ET";
}

std::string Utf16(std::u16string_view text, bool big_endian) {
  std::string bytes = big_endian ? "\xFE\xFF" : "\xFF\xFE";
  for (char16_t unit : text) {
    const char hi = static_cast<char>(unit >> 8);
    const char lo = static_cast<char>(unit & 0xFF);
    bytes += big_endian ? std::string{hi, lo} : std::string{lo, hi};
  }
  return bytes;
}

std::string RandomBytes(std::mt19937* rng, size_t size) {
  std::uniform_int_distribution<int> byte(0, 255);
  std::string bytes(size, '\0');
  for (char& c : bytes) c = static_cast<char>(byte(*rng));
  return bytes;
}

void ExpectRefused(const Result<Extracted>& result, const std::string& message) {
  ASSERT_FALSE(result.has_value()) << result->text;
  EXPECT_EQ(result.error().code(), ErrorCode::kBadInput);
  EXPECT_EQ(result.error().message(), message);
}

void ExpectRefusedStartingWith(const Result<Extracted>& result, const std::string& prefix) {
  ASSERT_FALSE(result.has_value()) << result->text;
  EXPECT_EQ(result.error().code(), ErrorCode::kBadInput);
  EXPECT_EQ(result.error().message().rfind(prefix, 0), 0u) << result.error().message();
}

const char kNotText[] = "text is not valid UTF-8, UTF-16 or windows-1258";

// ---------------------------------------------------------------------------
// Kinds and dispatch.

TEST(KindOfTest, ByExtensionIgnoringCase) {
  EXPECT_EQ(KindOf("tra-loi.txt"), Kind::kText);
  EXPECT_EQ(KindOf("TRA-LOI.TXT"), Kind::kText);
  EXPECT_EQ(KindOf("ghi chu.Text"), Kind::kText);
  EXPECT_EQ(KindOf("Báo cáo tổ 5.DOCX"), Kind::kDocx);
  EXPECT_EQ(KindOf("dan-chu-2026/tdp-05/cong-van.pdf"), Kind::kPdf);
  EXPECT_EQ(KindOf("thu.eml"), Kind::kEml);
  EXPECT_EQ(KindOf("scan.jpg"), Kind::kOther);
  EXPECT_EQ(KindOf("cu.doc"), Kind::kOther);
  EXPECT_EQ(KindOf("README"), Kind::kOther);
  EXPECT_EQ(KindOf("thu-muc.pdf/ghi-chu"), Kind::kOther);
  EXPECT_EQ(KindOf(""), Kind::kOther);
}

TEST(ExtractTextTest, EmlAndOtherKindsSayWhyThereIsNoText) {
  const Result<Extracted> eml = ExtractText(Kind::kEml, "From: a@b\r\n\r\nhi\r\n");
  ASSERT_FALSE(eml.has_value());
  EXPECT_EQ(eml.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(eml.error().message(), "eml extraction is not built in yet");
  const Result<Extracted> other = ExtractText(Kind::kOther, "\xFF\xD8\xFF\xE0");
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().code(), ErrorCode::kNotFound);
  EXPECT_EQ(other.error().message(), "no text extractor for this file type");
}

TEST(ExtractTextTest, RefusesFilesOverMaxBytes) {
  Limits limits;
  limits.max_bytes = 11;
  ExpectRefused(ExtractText(Kind::kText, "Nhất trí hoàn toàn", limits),
                "file is 23 bytes (limit 11)");
  ASSERT_TRUE(ExtractText(Kind::kText, "Nhất trí", limits).has_value());
}

// ---------------------------------------------------------------------------
// Plain text.

TEST(DecodeTextTest, Utf8WithAndWithoutBom) {
  const Result<Extracted> plain = DecodeText("Nhất trí\r\nĐồng ý.\tKý tên\f");
  ASSERT_TRUE(plain.has_value()) << plain.error().message();
  EXPECT_EQ(plain->text, "Nhất trí\r\nĐồng ý.\tKý tên\f");
  EXPECT_EQ(plain->encoding, "utf-8");
  EXPECT_TRUE(plain->has_text_layer);

  const Result<Extracted> bom = DecodeText("\xEF\xBB\xBFNhất trí");
  ASSERT_TRUE(bom.has_value()) << bom.error().message();
  EXPECT_EQ(bom->text, "Nhất trí");
  EXPECT_EQ(bom->encoding, "utf-8");
}

TEST(DecodeTextTest, EmptyFileIsEmptyText) {
  const Result<Extracted> empty = DecodeText("");
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->text, "");
  EXPECT_EQ(empty->encoding, "utf-8");
}

TEST(DecodeTextTest, DecomposedUtf8ComesOutNfc) {
  // "Hòa" with U+0300 after the o, "nhất" with U+0302 U+0301 after the a.
  const Result<Extracted> nfd = DecodeText(
      "Ho\xCC\x80"
      "a nha\xCC\x82\xCC\x81t");
  ASSERT_TRUE(nfd.has_value());
  EXPECT_EQ(nfd->text, "Hòa nhất");
  EXPECT_EQ(nfd->text, text::Nfc(nfd->text));
}

TEST(DecodeTextTest, Utf16LittleAndBigEndianWithBom) {
  const std::u16string vietnamese = u"Tổ dân phố số 5: Nhất trí.\r\nĐồng ý 😀";
  const std::string expected = "Tổ dân phố số 5: Nhất trí.\r\nĐồng ý 😀";
  const Result<Extracted> le = DecodeText(Utf16(vietnamese, false));
  ASSERT_TRUE(le.has_value()) << le.error().message();
  EXPECT_EQ(le->text, expected);
  EXPECT_EQ(le->encoding, "utf-16le");
  const Result<Extracted> be = DecodeText(Utf16(vietnamese, true));
  ASSERT_TRUE(be.has_value()) << be.error().message();
  EXPECT_EQ(be->text, expected);
  EXPECT_EQ(be->encoding, "utf-16be");
}

TEST(DecodeTextTest, BrokenUtf16IsRefused) {
  ExpectRefused(DecodeText(Utf16(u"Nhất", false) + "x"), kNotText);  // odd length
  ExpectRefused(DecodeText(Utf16(u"a\xD83D"
                                 "b",
                                 false)),
                kNotText);                                       // lone high surrogate
  ExpectRefused(DecodeText(Utf16(u"a\xDE00", true)), kNotText);  // lone low surrogate
  ExpectRefused(DecodeText(Utf16(u"\xD83D", true)), kNotText);   // truncated pair
}

TEST(DecodeTextTest, Windows1258WithCombiningTonesComesOutNfc) {
  // Bytes from `iconv -f UTF-8 -t WINDOWS-1258`: â = E2, combining acute =
  // EC, í = ED; Đ = D0, ô = F4, combining grave = CC, ê = EA.
  const Result<Extracted> agreed = DecodeText(
      "Nh\xE2\xEC"
      "t tr\xED");
  ASSERT_TRUE(agreed.has_value()) << agreed.error().message();
  EXPECT_EQ(agreed->text, "Nhất trí");
  EXPECT_EQ(agreed->encoding, "windows-1258");

  const Result<Extracted> longer = DecodeText(
      "\xD0\xF4\xCC"
      "ng y\xEC, kh\xF4"
      "ng y\xEC ki\xEA\xEC"
      "n\r\n");
  ASSERT_TRUE(longer.has_value()) << longer.error().message();
  EXPECT_EQ(longer->text, text::Nfc("Đồng ý, không ý kiến\r\n"));
  EXPECT_EQ(longer->text, "Đồng ý, không ý kiến\r\n");
}

TEST(DecodeTextTest, BytesUndefinedInWindows1258AreRefused) {
  // 0x81 has no character in windows-1258, and alone it is not UTF-8.
  ExpectRefused(DecodeText("Nh\xE2\xECt \x81"), kNotText);
  // A UTF-8 BOM promises UTF-8.
  ExpectRefused(DecodeText("\xEF\xBB\xBFNh\xE2\xECt"), kNotText);
}

TEST(DecodeTextTest, BinaryDataIsNotText) {
  ExpectRefused(DecodeText(std::string("ELF\0\0\0\x01garbage", 14)),
                "text contains control character U+0000: binary data is not text");
  // A PNG signature: 0x89 is ‰ in windows-1258, then ^Z gives it away.
  ExpectRefused(DecodeText(std::string("\x89PNG\r\n\x1A\n\0\0\0\rIHDR", 16)),
                "text contains control character U+001A: binary data is not text");
  ExpectRefused(DecodeText("bell\x07"),
                "text contains control character U+0007: binary data is not text");
  ExpectRefused(DecodeText("del\x7F"),
                "text contains control character U+007F: binary data is not text");
  ExpectRefused(DecodeText("next line \xC2\x85 (C1)"),
                "text contains control character U+0085: binary data is not text");
  // UTF-16's zero bytes are fine; a decoded U+0000 is not.
  ExpectRefused(DecodeText(Utf16(std::u16string(u"a\0b", 3), false)),
                "text contains control character U+0000: binary data is not text");
}

TEST(DecodeTextTest, ThroughExtractText) {
  const Result<Extracted> r = ExtractText(Kind::kText,
                                          "Nh\xE2\xEC"
                                          "t tr\xED");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->text, "Nhất trí");
}

// ---------------------------------------------------------------------------
// .docx

TEST(DocxTest, ParagraphsRunsTabsBreaksAndTables) {
  const Result<Extracted> r = ExtractText(Kind::kDocx, MakeDocx(WordXml("document", kReplyBody)));
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->text, kReplyText);
  EXPECT_EQ(r->encoding, "docx");
  EXPECT_TRUE(r->has_text_layer);
}

TEST(DocxTest, StoredEntriesAndMixedCasePartNames) {
  std::vector<ZipEntry> entries = DocxEntries(WordXml("document", kReplyBody));
  entries[2].name = "Word/Document.xml";
  entries[2].method = ZIP_CM_STORE;
  const Result<Extracted> r = ExtractText(Kind::kDocx, MakeZip(entries));
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->text, kReplyText);
}

TEST(DocxTest, HeadersComeFirstAndFootnotesLast) {
  std::vector<ZipEntry> entries = DocxEntries(
      WordXml("document", "<w:body><w:p><w:r><w:t>Nhất trí.</w:t></w:r></w:p></w:body>"));
  entries.push_back(
      {"word/footnotes.xml", WordXml("footnotes",
                                     "<w:footnote><w:p><w:r><w:t>Ghi chú 1</w:t></w:r></w:p>"
                                     "</w:footnote>")});
  entries.push_back(
      {"word/header2.xml", WordXml("hdr", "<w:p><w:r><w:t>Trang đầu</w:t></w:r></w:p>")});
  // Not a name Word writes: skipped (names can end up in a quarantine reason).
  entries.push_back(
      {"word/header\n1.xml", WordXml("hdr", "<w:p><w:r><w:t>bỏ qua</w:t></w:r></w:p>")});
  entries.push_back({"word/header1.xml",
                     WordXml("hdr", "<w:p><w:r><w:t>UBND PHƯỜNG HÒA BÌNH</w:t></w:r></w:p>")});
  const Result<Extracted> r = ExtractText(Kind::kDocx, MakeZip(entries));
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->text, "UBND PHƯỜNG HÒA BÌNH\nTrang đầu\nNhất trí.\nGhi chú 1\n");
}

TEST(DocxTest, ZipBombIsRefusedBeforeInflating) {
  // 200 MB of spaces deflate to about 200 KB: a ratio near deflate's 1032x.
  const std::string spaces(200u << 20, ' ');
  const std::string bomb = MakeDocx(spaces);
  ASSERT_LT(bomb.size(), 1u << 20);
  const Result<Extracted> r = ExtractText(Kind::kDocx, bomb);
  ExpectRefusedStartingWith(r, "docx: word/document.xml inflates ");
  const std::string& message = r.error().message();
  EXPECT_NE(message.find("x (limit 100x): refused as a zip bomb"), std::string::npos) << message;
}

TEST(DocxTest, DeclaredSizeOverTheTotalLimitIsRefused) {
  Limits limits;
  limits.max_uncompressed = 1000;
  const std::string docx = MakeDocx(WordXml("document", kReplyBody));
  const size_t size = WordXml("document", kReplyBody).size();
  ExpectRefused(ExtractText(Kind::kDocx, docx, limits),
                "docx: word/document.xml inflates to " + std::to_string(size) +
                    " bytes (limit 1000 in all): refused as a zip bomb");
}

TEST(DocxTest, LyingDeclaredSizeIsCaughtWhileInflating) {
  // 20 MB of spaces that claim to be 1000 bytes: only counting what really
  // comes out of the inflater catches them.
  std::string docx = MakeDocx(std::string(20u << 20, ' '));
  LieAboutSize(&docx, "word/document.xml", 1000);
  ExpectRefused(ExtractText(Kind::kDocx, docx),
                "docx: word/document.xml inflates beyond 100x, more than it declares: refused "
                "as a zip bomb");
  // With the ratio check out of the way, the total limit still holds.
  Limits limits;
  limits.max_ratio = 1e9;
  limits.max_uncompressed = 2u << 20;
  ExpectRefused(ExtractText(Kind::kDocx, docx, limits),
                "docx: word/document.xml inflates beyond 2097152 bytes in all: refused as a "
                "zip bomb");
}

TEST(DocxTest, CorruptZipsAreRefused) {
  const std::string docx = MakeDocx(WordXml("document", kReplyBody));
  ExpectRefused(ExtractText(Kind::kDocx, docx.substr(0, docx.size() / 2)),
                "docx: cannot be read as a zip archive: not a zip archive");
  ExpectRefused(ExtractText(Kind::kDocx, "Nhất trí, không phải zip"),
                "docx: cannot be read as a zip archive: not a zip archive");
  ExpectRefused(ExtractText(Kind::kDocx, ""), "docx: cannot be read as a zip archive: empty file");

  // Damage the deflated body of word/document.xml (the last entry, so its
  // data ends just before the central directory).
  std::string damaged = docx;
  const size_t central = damaged.find("PK\x01\x02");
  ASSERT_NE(central, std::string::npos);
  for (size_t i = central - 200; i < central - 100; ++i)
    damaged[i] = static_cast<char>(~damaged[i]);
  ExpectRefusedStartingWith(ExtractText(Kind::kDocx, damaged),
                            "docx: word/document.xml is damaged: ");
}

TEST(DocxTest, PasswordProtectedWordFileIsRefused) {
  // Word saves a password-protected .docx as an OLE compound file.
  std::string ole("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8);
  ole.resize(4096, '\0');
  ExpectRefused(ExtractText(Kind::kDocx, ole),
                "docx: is not a zip archive but an OLE file (encrypted with a password, or an "
                "old .doc)");
}

TEST(DocxTest, EncryptedZipEntryIsRefused) {
  if (!zip_encryption_method_supported(ZIP_EM_AES_256, 1)) {
    GTEST_SKIP() << "this libzip cannot write AES";
  }
  std::vector<ZipEntry> entries = DocxEntries(WordXml("document", kReplyBody));
  entries[2].encrypt = true;
  ExpectRefused(ExtractText(Kind::kDocx, MakeZip(entries)), "docx: word/document.xml is encrypted");
}

TEST(DocxTest, ZipWithoutDocumentXmlIsRefused) {
  std::vector<ZipEntry> entries = DocxEntries("");
  entries.pop_back();
  entries.push_back({"xl/workbook.xml", "<workbook/>"});
  ExpectRefused(ExtractText(Kind::kDocx, MakeZip(entries)),
                "docx: has no word/document.xml (not a Word document)");
}

TEST(DocxTest, MalformedXmlIsRefused) {
  ExpectRefusedStartingWith(
      ExtractText(Kind::kDocx, MakeDocx("<w:document><w:body><w:p>Nhất trí</w:body>")),
      "docx: word/document.xml is not well-formed XML: ");
}

TEST(DocxTest, EntitiesAreNotExpanded) {
  // A billion-laughs DTD: pugixml skips the DTD and leaves &lol9; alone.
  const std::string xml =
      R"(<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY lol "lol">)"
      R"(<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>)" +
      WordXml("document", "<w:body><w:p><w:r><w:t>a&lol2;b &amp; c</w:t></w:r></w:p></w:body>")
          .substr(std::string(R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>)").size());
  const Result<Extracted> r = ExtractText(Kind::kDocx, MakeDocx(xml));
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->text.find("lollol"), std::string::npos) << r->text;
  EXPECT_NE(r->text.find("& c"), std::string::npos) << r->text;
}

// ---------------------------------------------------------------------------
// .pdf

TEST(PdfTest, TextOfOnePage) {
  const Result<Extracted> r = ExtractText(Kind::kPdf, MakePdf({TextPage("Nhat tri")}));
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->text, "Nhat tri\n");
  EXPECT_EQ(r->encoding, "pdf");
  EXPECT_TRUE(r->has_text_layer);
}

TEST(PdfTest, PagesBeyondTheLimitAreNotRead) {
  const std::string pdf = MakePdf({TextPage("Trang mot"), TextPage("Trang hai")});
  const Result<Extracted> all = ExtractText(Kind::kPdf, pdf);
  ASSERT_TRUE(all.has_value()) << all.error().message();
  EXPECT_EQ(all->text, "Trang mot\n\nTrang hai\n");
  Limits limits;
  limits.max_pdf_pages = 1;
  const Result<Extracted> first = ExtractText(Kind::kPdf, pdf, limits);
  ASSERT_TRUE(first.has_value()) << first.error().message();
  EXPECT_EQ(first->text, "Trang mot\n");
}

TEST(PdfTest, PageWithoutTextHasNoTextLayer) {
  const Result<Extracted> r =
      ExtractText(Kind::kPdf, MakePdf({"0 0 1 rg 100 100 200 200 re f", "0 g 10 10 50 50 re S"}));
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_FALSE(r->has_text_layer);
  EXPECT_EQ(r->text, "");
  EXPECT_EQ(r->encoding, "pdf");
}

TEST(PdfTest, GarbageAndTruncatedPdfsAreRefused) {
  const std::string refusal = "pdf: cannot be opened (damaged or encrypted)";
  ExpectRefused(ExtractText(Kind::kPdf, "Nhất trí, không phải PDF"), refusal);
  ExpectRefused(ExtractText(Kind::kPdf, ""), refusal);
  const std::string pdf = MakePdf({TextPage("Nhat tri")});
  ExpectRefused(ExtractText(Kind::kPdf, pdf.substr(0, 40)), refusal);
  // Cut anywhere: refused or read, never a crash.
  for (size_t cut = 0; cut < pdf.size(); cut += 7) {
    const Result<Extracted> r = ExtractText(Kind::kPdf, pdf.substr(0, cut));
    if (!r.has_value()) {
      EXPECT_EQ(r.error().code(), ErrorCode::kBadInput);
    }
  }
}

TEST(PdfTest, PasswordProtectedPdfIsRefused) {
  // Standard security handler, RC4 40-bit, with O and U that no empty
  // password matches.
  const std::string hex32(64, 'A');
  const std::string encrypt =
      "<< /Filter /Standard /V 1 /R 2 /O <" + hex32 + "> /U <" + hex32 + "> /P -4 >>";
  const std::string pdf = MakePdf({TextPage("Nhat tri")}, {encrypt},
                                  "/Encrypt 6 0 R /ID [<00112233445566778899AABBCCDDEEFF> "
                                  "<00112233445566778899AABBCCDDEEFF>]");
  ExpectRefused(ExtractText(Kind::kPdf, pdf), "pdf: is protected by a password");
}

// ---------------------------------------------------------------------------
// Hostile input never crashes any extractor.

TEST(ExtractFuzzTest, RandomBytesNeverCrash) {
  std::mt19937 rng(20260301);
  const std::string docx = MakeDocx(WordXml("document", kReplyBody));
  const std::string pdf = MakePdf({TextPage("Nhat tri"), TextPage("Dong y")});
  std::uniform_int_distribution<size_t> pick(0, 1u << 20);
  const Kind kinds[] = {Kind::kText, Kind::kDocx, Kind::kPdf, Kind::kEml, Kind::kOther};
  for (int round = 0; round < 200; ++round) {
    std::string input;
    switch (round % 4) {
      case 0: input = RandomBytes(&rng, 50u << 10); break;
      case 1: input = "%PDF-1.4\n" + RandomBytes(&rng, 50u << 10); break;
      case 2: input = std::string("PK\x03\x04", 4) + RandomBytes(&rng, 50u << 10); break;
      default: {
        // A valid file with a few bytes changed goes much deeper.
        input = round % 8 == 3 ? docx : pdf;
        for (int i = 0; i < 8; ++i) input[pick(rng) % input.size()] = static_cast<char>(rng());
        break;
      }
    }
    for (Kind kind : kinds) {
      const Result<Extracted> r = ExtractText(kind, input);
      if (r.has_value()) {
        EXPECT_TRUE(text::IsValidUtf8(r->text)) << "round " << round;
      } else {
        EXPECT_TRUE(r.error().code() == ErrorCode::kBadInput ||
                    r.error().code() == ErrorCode::kNotFound)
            << "round " << round << ": " << r.error().message();
        EXPECT_EQ(r.error().message().find('\n'), std::string::npos) << r.error().message();
      }
    }
  }
}

// ---------------------------------------------------------------------------
// PDFs are read in the tacit-extract helper process (extract/helper.h).

// A stand-in for tacit-extract: a shell script made executable.
std::string FakeHelper(const testing::TempDir& dir, const std::string& body) {
  const std::string path = dir.Write("tacit-extract", "#!/bin/sh\n" + body + "\n");
  ::chmod(path.c_str(), 0755);
  return path;
}

// Restores the helper search (TACIT_EXTRACT, set for the tests) at the end.
struct HelperPathGuard {
  ~HelperPathGuard() { helper::SetPath(""); }
};

TEST(PdfHelperTest, ReadsWhatPopplerReadsInProcess) {
  const std::string pdf = MakePdf({TextPage("Trang mot"), TextPage("Trang hai")});
  const Result<Extracted> remote = ExtractText(Kind::kPdf, pdf);
  const Result<Extracted> here = ExtractPdfInProcess(pdf, Limits{});
  ASSERT_TRUE(remote.has_value()) << remote.error().message();
  ASSERT_TRUE(here.has_value()) << here.error().message();
  EXPECT_EQ(remote->text, here->text);
  EXPECT_EQ(remote->has_text_layer, here->has_text_layer);
  // The size limit is ours, checked before anything is sent.
  Limits small;
  small.max_bytes = 10;
  ExpectRefused(ExtractText(Kind::kPdf, pdf, small),
                "file is " + std::to_string(pdf.size()) + " bytes (limit 10)");
}

TEST(PdfHelperTest, ManyThreadsAtOnceEachGetTheirOwnText) {
  std::vector<std::thread> threads;
  std::atomic<int> right{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &right] {
      for (int i = 0; i < 5; ++i) {
        const std::string words = "Don vi " + std::to_string(t) + " lan " + std::to_string(i);
        const Result<Extracted> r = ExtractText(Kind::kPdf, MakePdf({TextPage(words)}));
        if (r.has_value() && r->text == words + "\n") ++right;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(right.load(), 20);
}

TEST(PdfHelperTest, AHelperThatLeftWhenIdleIsReplaced) {
  HelperPathGuard guard;
  helper::SetPath(helper::Path(), /*idle_seconds=*/1);
  const std::string pdf = MakePdf({TextPage("Nhat tri")});
  ASSERT_TRUE(ExtractText(Kind::kPdf, pdf).has_value());
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // the helper leaves
  const Result<Extracted> again = ExtractText(Kind::kPdf, pdf);
  ASSERT_TRUE(again.has_value()) << again.error().message();
  EXPECT_EQ(again->text, "Nhat tri\n");
}

TEST(PdfHelperTest, HelpersThatLeftWhenIdleAreReaped) {
  HelperPathGuard guard;
  helper::SetPath(helper::Path(), /*idle_seconds=*/1);  // also reaps those running before
  ASSERT_TRUE(ExtractText(Kind::kPdf, MakePdf({TextPage("Nhat tri")})).has_value());
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // it leaves: a zombie
  helper::ReapIdle();
  int st = 0;
  errno = 0;
  EXPECT_EQ(::waitpid(-1, &st, WNOHANG), -1) << "a child is left";
  EXPECT_EQ(errno, ECHILD);
}

TEST(PdfHelperTest, AReaderThatCrashesRefusesTheFileAndTheCallerLives) {
  testing::TempDir dir;
  HelperPathGuard guard;
  helper::SetPath(FakeHelper(dir, "head -c 1 >/dev/null; kill -SEGV $$"));
  const Result<Extracted> r = ExtractText(Kind::kPdf, MakePdf({TextPage("Nhat tri")}));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kBadInput);
  EXPECT_EQ(r.error().message(),
            "pdf: the reader crashed (signal 11, Segmentation fault): refused");
}

TEST(PdfHelperTest, AReaderThatFailsOrHangsRefusesTheFile) {
  testing::TempDir dir;
  HelperPathGuard guard;
  helper::SetPath(FakeHelper(dir, "head -c 1 >/dev/null; exit 3"));
  const Result<Extracted> failed = ExtractText(Kind::kPdf, MakePdf({TextPage("Nhat tri")}));
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().code(), ErrorCode::kBadInput);
  EXPECT_EQ(failed.error().message(), "pdf: the reader failed (exit status 3): refused");

  helper::SetPath(FakeHelper(dir, "exec sleep 30"));
  const auto start = std::chrono::steady_clock::now();
  const Result<nlohmann::json> hung =
      helper::Call({{"op", "pdf-text"}}, "%PDF", std::chrono::seconds(1), "pdf");
  ASSERT_FALSE(hung.has_value());
  EXPECT_EQ(hung.error().code(), ErrorCode::kBadInput);
  EXPECT_EQ(hung.error().message(), "pdf: not read within 1 s: refused");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(PdfHelperTest, ACancelledRequestStopsTheReader) {
  testing::TempDir dir;
  HelperPathGuard guard;
  helper::SetPath(FakeHelper(dir, "exec sleep 30"));
  std::atomic<bool> cancel{false};
  std::thread canceller([&cancel] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    cancel = true;
  });
  const Result<nlohmann::json> r =
      helper::Call({{"op", "ocr-image"}}, "", std::chrono::seconds(20), "image", &cancel);
  canceller.join();
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code(), ErrorCode::kCancelled);
}

TEST(PdfHelperTest, AMissingOrBrokenHelperIsNotTheFilesFault) {
  testing::TempDir dir;
  HelperPathGuard guard;
  helper::SetPath(dir.path() + "/no-such-tacit-extract");
  const Result<Extracted> missing = ExtractText(Kind::kPdf, MakePdf({TextPage("Nhat tri")}));
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code(), ErrorCode::kTransient);
  EXPECT_NE(missing.error().message().find("cannot start"), std::string::npos)
      << missing.error().message();

  helper::SetPath(FakeHelper(dir, "exit 127"));  // what the shell says when a library is missing
  const Result<Extracted> broken = ExtractText(Kind::kPdf, MakePdf({TextPage("Nhat tri")}));
  ASSERT_FALSE(broken.has_value());
  EXPECT_EQ(broken.error().code(), ErrorCode::kTransient);
}

TEST(PdfHelperTest, ErrorsCrossTheWireWithTheirCode) {
  for (const Status& s : {Status::BadInput("pdf: is protected by a password"),
                          Status::NotFound("ocr: no Vietnamese language data"),
                          Status(ErrorCode::kCancelled, "x"), Status::Io("disk")}) {
    const Status back = helper::ErrorFromReply(helper::ErrorReply(s));
    EXPECT_EQ(back.code(), s.code());
    EXPECT_EQ(back.message(), s.message());
  }
}

}  // namespace
}  // namespace tacit::extract
