// The docx report (issue 11) from a real Store: the package is a zip that
// libzip opens, every XML part is well-formed (pugixml), the page is A4 with
// the Decree 30 margins, the text is Times New Roman 14 pt, the national title
// and motto, "BÁO CÁO", every unit and the comments under their topics are
// there, and reply text cannot break the XML.
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <pugixml.hpp>
#include <zip.h>

#include "core/hash.h"
#include "reports/ooxml.h"
#include "reports/report.h"
#include "reports/report_internal.h"
#include "support/fake_clock.h"
#include "support/temp_dir.h"

namespace tacit::reports {
namespace {

using testing::FakeClock;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::TempDir;

// name -> content of every entry, in archive order in `order`.
struct Package {
  std::map<std::string, std::string> parts;
  std::vector<std::string> order;
};

Package Unzip(const std::string& bytes) {
  Package p;
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* src = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  zip_t* archive = src ? zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &error) : nullptr;
  EXPECT_NE(archive, nullptr) << zip_error_strerror(&error);
  zip_error_fini(&error);
  if (archive == nullptr) {
    if (src) zip_source_free(src);
    return p;
  }
  for (zip_int64_t i = 0; i < zip_get_num_entries(archive, 0); ++i) {
    zip_stat_t st;
    zip_stat_index(archive, static_cast<zip_uint64_t>(i), 0, &st);
    std::string content(st.size, '\0');
    zip_file_t* f = zip_fopen_index(archive, static_cast<zip_uint64_t>(i), 0);
    EXPECT_EQ(zip_fread(f, content.data(), st.size), static_cast<zip_int64_t>(st.size));
    zip_fclose(f);
    EXPECT_EQ(st.comp_method, ZIP_CM_DEFLATE) << st.name;
    p.order.push_back(st.name);
    p.parts[st.name] = content;
  }
  zip_discard(archive);
  return p;
}

// Text of a paragraph or run tree: w:t as is, w:br as "\n", w:tab as "\t".
std::string TextOf(const pugi::xml_node& node) {
  std::string out;
  for (pugi::xml_node child : node.children()) {
    std::string_view name = child.name();
    if (name == "w:t") {
      out += child.text().get();
    } else if (name == "w:br") {
      out += "\n";
    } else if (name == "w:tab") {
      out += "\t";
    } else if (name != "w:pPr" && name != "w:rPr") {
      out += TextOf(child);
    }
  }
  return out;
}

class DocxReportTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string config_path = testing::WriteSmallConfig(dir_, "09/02/2026");
    dir_.Write(
        "consultations/dan-chu-2026.toml",
        "id = \"dan-chu-2026\"\n"
        "reference = \"12/VH-XH\"\n"
        "subject = \"Xin ý kiến tham gia vào dự thảo Kế hoạch <dân chủ> & \\\"dân vận\\\"\"\n"
        "issuer = \"Phòng Văn hóa – Xã hội\"\n"
        "signer = \"Nguyễn Chí Linh\"\n"
        "deadline = \"09/02/2026\"\n"
        "addressees = [\"*\"]\n"
        "topics = [\"Chỉ tiêu đạt 100% trong năm 2026\", \"Tiến độ thực hiện\"]\n"
        "[report]\n"
        "issuing_body = [\"UBND PHƯỜNG HƯNG ĐẠO\", \"PHÒNG VĂN HÓA – XÃ HỘI\"]\n"
        "number_suffix = \"BC-VHXH\"\n"
        "place = \"Hưng Đạo\"\n"
        "recipients = [\"UBND phường (để báo cáo);\", \"Lưu: VT, VHXH.\"]\n");
    Result<Config> c = LoadConfig(config_path);
    ASSERT_TRUE(c.has_value()) << c.error().message();
    config_ = std::move(*c);
    auto s = store::Store::Open(dir_.path() + "/tacit.db", config_.tz);
    ASSERT_TRUE(s.has_value()) << s.error().message();
    store_ = std::move(*s);
    ASSERT_TRUE(store_->SyncConfig(config_, clock_.Now(), "test").ok());
  }

  void Record(const std::string& unit, const std::string& received, Stance stance,
              const std::string& text) {
    store::NewReply r;
    r.consultation_id = "dan-chu-2026";
    r.unit_code = unit;
    r.channel = Channel::kManual;
    r.received_at = *ParseDate(received, config_.tz, DateKind::kInstant);
    r.stance = stance;
    r.text = text;
    r.match_rule = "test";
    r.content_hash = Sha256Hex(unit + text + received);
    Result<store::RecordOutcome> out = store_->RecordReply(r, clock_.Now(), "test");
    ASSERT_TRUE(out.has_value()) << out.error().message();
  }

  void RecordReplies() {
    clock_.Set(*ParseDate("09/02/2026 12:00", config_.tz, DateKind::kInstant));
    Record("tdp-01", "06/02/2026 09:00", Stance::kComments,
           "- Đề nghị điều chỉnh chỉ tiêu đạt 100% xuống 95%.\n\n"
           "- Đề nghị lùi tiến độ thực hiện sang quý II.");
    Record("cong-an", "07/02/2026 15:00", Stance::kObject,
           "<script>alert(1)</script> R&D \"x\" 'y' ]]> bell\x07 vt\x0B esc\x1B del\x7F end\n"
           "Không đồng ý.");
    Record("ubnd", "07/02/2026 16:00", Stance::kAgree, "Nhất trí.");
  }

  void PassDeadline() {
    clock_.Set(*ParseDate("10/02/2026 08:00", config_.tz, DateKind::kInstant));
    ASSERT_TRUE(store_->ApplyDueDeadlines(clock_.Now(), {}, "test").has_value());
  }

  ReportData Gather() {
    Result<ReportData> d =
        GatherReport(*store_, config_.consultations.front(), config_.tz, clock_.Now());
    EXPECT_TRUE(d.has_value()) << d.error().message();
    return d.has_value() ? std::move(*d) : ReportData{};
  }

  // Renders, unzips and parses word/document.xml into doc_.
  void Render(const ReportData& d) {
    Result<std::string> bytes = RenderDocx(d, config_.tz, d.header);
    ASSERT_TRUE(bytes.has_value()) << bytes.error().message();
    bytes_ = *bytes;
    pkg_ = Unzip(bytes_);
    xml_ = pkg_.parts["word/document.xml"];
    pugi::xml_parse_result ok = doc_.load_string(xml_.c_str());
    ASSERT_TRUE(ok) << ok.description() << " at " << ok.offset;
    paragraphs_.clear();
    styles_.clear();
    for (const pugi::xpath_node& p : doc_.select_nodes("//w:p")) {
      paragraphs_.push_back(TextOf(p.node()));
      styles_.push_back(p.node().child("w:pPr").child("w:pStyle").attribute("w:val").value());
    }
  }

  // The first paragraph whose text contains `needle`.
  pugi::xml_node ParagraphWith(const std::string& needle) {
    for (const pugi::xpath_node& p : doc_.select_nodes("//w:p")) {
      if (TextOf(p.node()).find(needle) != std::string::npos) return p.node();
    }
    ADD_FAILURE() << "no paragraph with " << needle;
    return {};
  }

  std::string AllText() const {
    std::string all;
    for (const std::string& p : paragraphs_) all += p + "\n";
    return all;
  }

  TempDir dir_;
  FakeClock clock_{TimePoint{std::chrono::seconds{1770267600}}};  // 05/02/2026 12:00 +07
  Config config_;
  std::unique_ptr<store::Store> store_;
  std::string bytes_, xml_;
  Package pkg_;
  pugi::xml_document doc_;
  std::vector<std::string> paragraphs_, styles_;
};

TEST_F(DocxReportTest, PackageHasEveryPartAndEachIsWellFormed) {
  RecordReplies();
  Render(Gather());
  ASSERT_FALSE(pkg_.order.empty());
  EXPECT_EQ(pkg_.order.front(), "[Content_Types].xml");
  for (const char* name :
       {"_rels/.rels", "word/document.xml", "word/styles.xml", "word/settings.xml",
        "word/header1.xml", "word/header2.xml", "word/_rels/document.xml.rels", "docProps/core.xml",
        "docProps/app.xml"}) {
    ASSERT_TRUE(pkg_.parts.count(name)) << name;
    pugi::xml_document part;
    EXPECT_TRUE(part.load_string(pkg_.parts[name].c_str())) << name;
    EXPECT_THAT(pkg_.parts[name], HasSubstr(name == std::string("word/document.xml")
                                                ? "<?xml version=\"1.0\" encoding=\"UTF-8\""
                                                : "<?xml"));
  }
  EXPECT_THAT(pkg_.parts["[Content_Types].xml"],
              HasSubstr("PartName=\"/word/document.xml\" ContentType=\"application/"
                        "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\""));
  EXPECT_THAT(pkg_.parts["word/_rels/document.xml.rels"],
              HasSubstr("Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/"
                        "2006/relationships/header\" Target=\"header1.xml\""));
}

TEST_F(DocxReportTest, A4PortraitWithDecreeMarginsAndPageNumbersFromPageTwo) {
  Render(Gather());
  pugi::xml_node sect = doc_.select_node("/w:document/w:body/w:sectPr").node();
  ASSERT_TRUE(sect);
  EXPECT_STREQ(sect.child("w:pgSz").attribute("w:w").value(), "11906");
  EXPECT_STREQ(sect.child("w:pgSz").attribute("w:h").value(), "16838");
  EXPECT_FALSE(sect.child("w:pgSz").attribute("w:orient"));
  pugi::xml_node mar = sect.child("w:pgMar");
  auto mm = [&](const char* side) { return mar.attribute(side).as_int() / 56.6929; };
  EXPECT_NEAR(mm("w:top"), 20, 0.1);
  EXPECT_NEAR(mm("w:bottom"), 20, 0.1);
  EXPECT_NEAR(mm("w:left"), 30, 0.1);
  EXPECT_NEAR(mm("w:right"), 15, 0.1);
  EXPECT_TRUE(sect.child("w:titlePg"));
  EXPECT_TRUE(sect.find_child_by_attribute("w:headerReference", "w:type", "first"));
  EXPECT_TRUE(sect.find_child_by_attribute("w:headerReference", "w:type", "default"));
  EXPECT_THAT(pkg_.parts["word/header1.xml"], HasSubstr("> PAGE </w:instrText>"));
  EXPECT_THAT(pkg_.parts["word/header1.xml"], HasSubstr("<w:jc w:val=\"center\"/>"));
  EXPECT_THAT(pkg_.parts["word/header2.xml"], Not(HasSubstr("PAGE")));
}

TEST_F(DocxReportTest, TimesNewRoman14InStylesAndNoOtherFont) {
  Render(Gather());
  pugi::xml_document styles;
  ASSERT_TRUE(styles.load_string(pkg_.parts["word/styles.xml"].c_str()));
  pugi::xml_node normal = styles.select_node("//w:style[@w:styleId='Normal']/w:rPr").node();
  EXPECT_STREQ(normal.child("w:rFonts").attribute("w:ascii").value(), "Times New Roman");
  EXPECT_STREQ(normal.child("w:rFonts").attribute("w:hAnsi").value(), "Times New Roman");
  EXPECT_STREQ(normal.child("w:sz").attribute("w:val").value(), "28");
  EXPECT_STREQ(normal.child("w:lang").attribute("w:val").value(), "vi-VN");
  EXPECT_TRUE(doc_.select_nodes("//w:rFonts").empty()) << "a run overrides the font";
  for (const pugi::xpath_node& sz : doc_.select_nodes("//w:sz")) {
    int half_points = sz.node().attribute("w:val").as_int();
    if (half_points > 2) {  // the rules' paragraph marks are 1 pt
      EXPECT_GE(half_points, 22);
      EXPECT_LE(half_points, 28);
    }
  }
}

TEST_F(DocxReportTest, HeaderBlocksTitleAndSummary) {
  Render(Gather());
  pugi::xml_node title = ParagraphWith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
  EXPECT_TRUE(title.select_node(".//w:rPr/w:b"));
  EXPECT_STREQ(title.select_node(".//w:rPr/w:sz").node().attribute("w:val").value(), "26");
  pugi::xml_node motto = ParagraphWith("Độc lập - Tự do - Hạnh phúc");
  EXPECT_TRUE(motto.select_node(".//w:rPr/w:b"));
  EXPECT_STREQ(motto.select_node(".//w:rPr/w:sz").node().attribute("w:val").value(), "28");
  // The motto's rule is the next paragraph: a top border, no text.
  pugi::xml_node rule = motto.next_sibling("w:p");
  EXPECT_TRUE(rule.select_node("w:pPr/w:pBdr/w:top"));
  EXPECT_EQ(TextOf(rule), "");
  // Both blocks sit in one borderless table.
  EXPECT_STREQ(title.parent().parent().parent().name(), "w:tbl");
  EXPECT_STREQ(title.parent()
                   .parent()
                   .parent()
                   .select_node("w:tblPr/w:tblBorders/w:top")
                   .node()
                   .attribute("w:val")
                   .value(),
               "nil");
  pugi::xml_node ward = ParagraphWith("UBND PHƯỜNG HƯNG ĐẠO");
  EXPECT_FALSE(ward.select_node(".//w:rPr/w:b"));
  EXPECT_TRUE(ParagraphWith("PHÒNG VĂN HÓA – XÃ HỘI").select_node(".//w:rPr/w:b"));
  EXPECT_THAT(AllText(), HasSubstr("Số:        /BC-VHXH\n"));
  pugi::xml_node date = ParagraphWith("Hưng Đạo, ngày      tháng      năm 2026");
  EXPECT_TRUE(date.select_node(".//w:rPr/w:i"));
  pugi::xml_node type = ParagraphWith("BÁO CÁO");
  EXPECT_EQ(TextOf(type), "BÁO CÁO");
  EXPECT_STREQ(type.select_node("w:pPr/w:jc").node().attribute("w:val").value(), "center");
  EXPECT_THAT(AllText(), HasSubstr("Tổng hợp ý kiến tham gia vào dự thảo Kế hoạch <dân chủ> & "
                                   "\"dân vận\"\n"));
  EXPECT_THAT(AllText(), HasSubstr("(Dự thảo – tạm thời)"));
  // Signature block and recipients.
  EXPECT_TRUE(ParagraphWith("Nơi nhận:").select_node(".//w:rPr/w:i"));
  EXPECT_THAT(AllText(), HasSubstr("- UBND phường (để báo cáo);\n- Lưu: VT, VHXH.\n"));
  EXPECT_TRUE(ParagraphWith("TRƯỞNG PHÒNG").select_node(".//w:rPr/w:b"));
  EXPECT_TRUE(ParagraphWith("Nguyễn Chí Linh").select_node(".//w:rPr/w:b"));
}

TEST_F(DocxReportTest, EveryUnitAndTheCountsByGroup) {
  RecordReplies();
  PassDeadline();
  ReportData d = Gather();
  Render(d);
  for (const store::UnitState& u : d.consultation.units) {
    EXPECT_THAT(AllText(), HasSubstr(u.name)) << u.code;
  }
  EXPECT_THAT(AllText(), Not(HasSubstr("(Dự thảo – tạm thời)")));
  EXPECT_THAT(AllText(), HasSubstr("Văn bản được gửi đến 4 đơn vị. Đến hết thời hạn, đã nhận được "
                                   "ý kiến của 3 đơn vị, trong đó 1 đơn vị nhất trí, 1 đơn vị có "
                                   "góp ý, 1 đơn vị không nhất trí."));
  // The counts table: a header row, one row per group, the total.
  pugi::xml_node table = doc_.select_nodes("//w:tbl")[1].node();
  std::vector<std::string> rows;
  for (pugi::xml_node tr : table.children("w:tr")) {
    std::string row;
    for (pugi::xml_node tc : tr.children("w:tc")) row += TextOf(tc) + "|";
    rows.push_back(row);
  }
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0],
            "Nhóm đơn vị|Số đơn vị được xin ý kiến|Đã trả lời|Nhất trí|Có góp ý|Không nhất "
            "trí|Được hiểu là đồng ý|");
  EXPECT_EQ(rows[3], "Tổ dân phố|2|1|0|1|0|1|");
  EXPECT_EQ(rows[4], "Tổng cộng|4|3|1|1|1|1|");
  // The units deemed to agree, with the rule quoted.
  EXPECT_THAT(AllText(), HasSubstr("Theo văn bản xin ý kiến: “Đơn vị không gửi ý kiến đến hết "
                                   "ngày 09/02/2026 được hiểu là đồng ý.”"));
  EXPECT_THAT(AllText(), HasSubstr("- Tổ dân phố (1): Tổ dân phố số 2."));
  // The appendix lists every unit, by group, with its outcome.
  pugi::xml_node appendix = doc_.select_nodes("//w:tbl")[3].node();
  std::string listed;
  for (pugi::xml_node tr : appendix.children("w:tr")) {
    for (pugi::xml_node tc : tr.children("w:tc")) listed += TextOf(tc) + "|";
    listed += "\n";
  }
  EXPECT_THAT(listed,
              HasSubstr("Lãnh đạo (1 đơn vị)|\n1|Ủy ban nhân dân phường|Nhất trí|07/02/2026||\n"));
  EXPECT_THAT(listed, HasSubstr("4|Tổ dân phố số 2|Được hiểu là đồng ý|||\n"));
  EXPECT_TRUE(ParagraphWith("PHỤ LỤC").select_node("w:pPr/w:pageBreakBefore"));
}

// Part IV names the unit of each late reply (by a code -> name lookup).
TEST_F(DocxReportTest, LateRepliesAreListedByUnitName) {
  RecordReplies();
  PassDeadline();
  Record("tdp-02", "10/02/2026 09:30", Stance::kComments, "Góp ý gửi muộn.");
  Render(Gather());
  const std::string text = AllText();
  const size_t late = text.find("1. Ý kiến gửi sau thời hạn");
  const size_t failed = text.find("2. Đơn vị không nhận được thư thông báo");
  ASSERT_NE(late, std::string::npos);
  ASSERT_NE(failed, std::string::npos);
  const std::string part = text.substr(late, failed - late);
  EXPECT_THAT(part, HasSubstr("Tổ dân phố số 2"));
  EXPECT_THAT(part, HasSubstr("nhận lúc"));
  EXPECT_THAT(part, Not(HasSubstr("tdp-02")));
  EXPECT_THAT(part, Not(HasSubstr("Không có.")));
}

TEST_F(DocxReportTest, CommentsSitUnderTheirTopics) {
  RecordReplies();
  Render(Gather());
  std::map<std::string, std::string> under;  // topic heading -> text below it
  std::string current;
  for (size_t i = 0; i < paragraphs_.size(); ++i) {
    if (styles_[i] == "TopicHeading") {
      current = paragraphs_[i];
      under[current];
    } else if (styles_[i] == "SectionHeading") {
      current.clear();
    } else if (!current.empty()) {
      under[current] += paragraphs_[i] + "\n";
    }
  }
  ASSERT_EQ(under.size(), 3u);
  EXPECT_THAT(under["1. Chỉ tiêu đạt 100% trong năm 2026"],
              HasSubstr("- Tổ dân phố số 1: - Đề nghị điều chỉnh chỉ tiêu đạt 100% xuống 95%."));
  EXPECT_THAT(under["1. Chỉ tiêu đạt 100% trong năm 2026"], Not(HasSubstr("quý II")));
  EXPECT_THAT(under["2. Tiến độ thực hiện"],
              HasSubstr("- Tổ dân phố số 1: - Đề nghị lùi tiến độ thực hiện sang quý II."));
  EXPECT_THAT(under["3. Ý kiến khác"], HasSubstr("- Công an phường: <script>alert(1)</script>"));
  EXPECT_THAT(under["3. Ý kiến khác"], Not(HasSubstr("Nhất trí.")));
}

TEST_F(DocxReportTest, ReplyTextIsEscapedAndControlCharactersDropped) {
  RecordReplies();
  Render(Gather());
  EXPECT_THAT(xml_, Not(HasSubstr("<script>")));
  EXPECT_THAT(xml_, HasSubstr("&lt;script&gt;alert(1)&lt;/script&gt; R&amp;D &quot;x&quot; "
                              "&apos;y&apos; ]]&gt; bell vt esc del end</w:t></w:r></w:p>"));
  for (char c : {'\x01', '\x07', '\x0B', '\x1B', '\x7F'}) {
    EXPECT_EQ(xml_.find(c), std::string::npos) << static_cast<int>(c);
  }
  // What a reader sees is the reply as written.
  EXPECT_THAT(AllText(), HasSubstr("<script>alert(1)</script> R&D \"x\" 'y' ]]> bell vt esc del "
                                   "end\nKhông đồng ý."));
  pugi::xml_document core;
  ASSERT_TRUE(core.load_string(pkg_.parts["docProps/core.xml"].c_str()));
  EXPECT_STREQ(core.select_node("//dc:subject").node().text().get(),
               "Xin ý kiến tham gia vào dự thảo Kế hoạch <dân chủ> & \"dân vận\"");
}

TEST_F(DocxReportTest, SameDataSameBytesAndEveryEntryPoint) {
  RecordReplies();
  PassDeadline();
  ReportData d = Gather();
  Result<std::string> a = RenderDocx(d, config_.tz, d.header);
  Result<std::string> b = RenderReport(d, config_.tz, "docx");
  ASSERT_TRUE(a.has_value() && b.has_value());
  EXPECT_EQ(*a, *b);
  EXPECT_EQ(a->substr(0, 4), std::string("PK\x03\x04", 4));
  PosixFileSystem fs;
  ASSERT_TRUE(WriteReports(d, config_.tz, dir_.path() + "/reports", fs).ok());
  Result<std::string> written = fs.ReadFile(dir_.path() + "/reports/dan-chu-2026/report.docx");
  ASSERT_TRUE(written.has_value());
  EXPECT_EQ(*written, *a);
}

// document.xml is written as it goes (issue 9: hundreds of megabytes at
// 100,000 units): a report far longer than the chunks it passes through is
// still one well-formed document with every unit in its appendix, in order,
// and the same data still gives the same bytes.
TEST_F(DocxReportTest, ALongReportStreamsIntoOneWellFormedDocument) {
  RecordReplies();
  PassDeadline();
  ReportData d = Gather();
  const store::UnitState model = d.consultation.units.back();
  for (int i = 0; i < 4000; ++i) {
    store::UnitState u = model;
    u.code = fmt::format("tdp-x{:04}", i);
    u.name = fmt::format("Tổ dân phố bổ sung số {:04}", i);
    d.consultation.units.push_back(u);
  }
  Render(d);
  ASSERT_GT(xml_.size(), size_t{4} << 20);  // about twenty of the pipe's 256 KiB chunks
  const std::string text = AllText();
  size_t first = text.find("Tổ dân phố bổ sung số 0000");
  size_t last = text.find("Tổ dân phố bổ sung số 3999");
  ASSERT_NE(first, std::string::npos);
  ASSERT_NE(last, std::string::npos);
  EXPECT_LT(first, last);
  EXPECT_NE(text.find("Tổ dân phố bổ sung số 2000"), std::string::npos);
  // The body still ends with the section properties after the appendix.
  EXPECT_EQ(xml_.substr(xml_.size() - 22), "</w:body></w:document>");
  Result<std::string> again = RenderDocx(d, config_.tz, d.header);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, bytes_);
}

TEST(OoxmlTest, AStreamedPartUnzipsToWhatWasWritten) {
  std::string expected;
  for (int i = 0; i < 50000; ++i) expected += fmt::format("<w:p>đoạn {}</w:p>", i * 7919 % 100003);
  ooxml::Part streamed{.name = "word/document.xml", .content = {}, .stream = [&](TextSink& out) {
                         for (size_t at = 0; at < expected.size(); at += 1000) {
                           out += std::string_view(expected).substr(at, 1000);
                           out.Boundary();
                         }
                       }};
  Result<std::string> zip = ooxml::ZipPackage({{"a.xml", "<a/>"}, streamed}, 1770267600);
  ASSERT_TRUE(zip.has_value()) << zip.error().message();
  Package pkg = Unzip(*zip);
  EXPECT_EQ(pkg.parts["a.xml"], "<a/>");
  EXPECT_EQ(pkg.parts["word/document.xml"], expected);
  // A writer that fails ends the package with an error, not a hang or a crash.
  ooxml::Part failing{.name = "word/document.xml", .content = {}, .stream = [](TextSink& out) {
                        out += std::string(size_t{1} << 20, 'x');
                        out.Boundary();
                        throw std::runtime_error("out of memory");
                      }};
  Result<std::string> broken = ooxml::ZipPackage({failing}, 1770267600);
  EXPECT_FALSE(broken.has_value());
}

TEST(OoxmlTest, XmlTextEscapesAndDropsWhatXmlForbids) {
  EXPECT_EQ(ooxml::XmlText("a<b>&\"'"), "a&lt;b&gt;&amp;&quot;&apos;");
  EXPECT_EQ(ooxml::XmlText(std::string("x\0y\x01\x1F\t\n\r z", 10)), "xy\t\n\r z");
  EXPECT_EQ(ooxml::XmlText("\xC2\x85|\xEF\xBF\xBE|\xEF\xBF\xBF|é"), "|||é");
  // Invalid UTF-8: one U+FFFD per bad byte; Vietnamese passes through.
  EXPECT_EQ(ooxml::XmlText("\xFF\xC3"), "\xEF\xBF\xBD\xEF\xBF\xBD");
  EXPECT_EQ(ooxml::XmlText("Hưng Đạo"), "Hưng Đạo");
}

TEST(OoxmlTest, RunBreaksLinesAndKeepsTabs) {
  EXPECT_EQ(ooxml::Run(""), "");
  EXPECT_EQ(ooxml::Run("a\r\nb\rc\td", {.bold = true}),
            "<w:r><w:rPr><w:b/><w:bCs/></w:rPr><w:t xml:space=\"preserve\">a</w:t><w:br/>"
            "<w:t xml:space=\"preserve\">b</w:t><w:br/><w:t xml:space=\"preserve\">c</w:t>"
            "<w:tab/><w:t xml:space=\"preserve\">d</w:t></w:r>");
}

TEST(ReportHeaderTest, SummaryLineFromTheSubject) {
  EXPECT_EQ(SummaryLine("Xin ý kiến tham gia vào dự thảo 02 Kế hoạch"),
            "Tổng hợp ý kiến tham gia vào dự thảo 02 Kế hoạch");
  EXPECT_EQ(SummaryLine("V/v xin ý kiến dự thảo Kế hoạch"),
            "Tổng hợp ý kiến tham gia vào dự thảo Kế hoạch");
  EXPECT_EQ(SummaryLine("Xin ý kiến về việc sáp nhập tổ dân phố"),
            "Tổng hợp ý kiến về việc sáp nhập tổ dân phố");
  EXPECT_EQ(SummaryLine("Dự thảo Quy chế"), "Tổng hợp ý kiến về dự thảo Quy chế");
  EXPECT_EQ(SummaryLine("UBND phường lấy ý kiến"), "Tổng hợp ý kiến về UBND phường lấy ý kiến");
  EXPECT_EQ(SummaryLine("Xin ý kiến"), "Tổng hợp ý kiến");
  EXPECT_EQ(SummaryLine(""), "Tổng hợp ý kiến");
}

TEST(ReportHeaderTest, DefaultsComeFromTheConsultation) {
  store::ConsultationState c;
  c.issuer = "Phòng Văn hóa – Xã hội";
  c.signer = "Nguyễn Chí Linh";
  c.reference = "15/VH-XH";
  ReportHeader h = ResolveReportHeader({}, c);
  EXPECT_EQ(h.issuing_body, std::vector<std::string>{"PHÒNG VĂN HÓA – XÃ HỘI"});
  EXPECT_EQ(h.number_suffix, "BC-VH-XH");
  EXPECT_EQ(h.place, "");
  EXPECT_EQ(h.signer_title, "TRƯỞNG PHÒNG");
  EXPECT_EQ(h.signer_name, "Nguyễn Chí Linh");
  EXPECT_EQ(h.recipients, std::vector<std::string>{"Lưu: VT."});

  c.issuer = "Ủy ban nhân dân phường";
  c.reference = "";
  ReportHeaderConfig config;
  config.signer_name = "Trần Văn A";
  config.signer_title = "kt. chủ tịch";
  config.recipients = std::vector<std::string>{};
  h = ResolveReportHeader(config, c);
  EXPECT_EQ(h.issuing_body, std::vector<std::string>{"ỦY BAN NHÂN DÂN PHƯỜNG"});
  EXPECT_EQ(h.number_suffix, "BC");
  EXPECT_EQ(h.signer_title, "KT. CHỦ TỊCH");
  EXPECT_EQ(h.signer_name, "Trần Văn A");
  EXPECT_TRUE(h.recipients.empty());
}

}  // namespace
}  // namespace tacit::reports
