// The parts of the docx report that do not depend on its content: the
// package's content types and relationships, the styles (Times New Roman
// 14 pt, Vietnamese), the settings, the two headers (page number top centre;
// empty on the first page) and the application properties.
#include <fmt/format.h>

#include "reports/ooxml.h"

namespace tacit::reports::ooxml {
namespace {

constexpr const char* kFont = "Times New Roman";

constexpr const char* kWordType = "application/vnd.openxmlformats-officedocument.wordprocessingml";

std::string ContentTypes() {
  std::string x =
      R"(<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.)"
      R"(relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>)";
  auto word = [&x](const char* part, const char* type) {
    x += fmt::format(R"(<Override PartName="/word/{}" ContentType="{}.{}+xml"/>)", part, kWordType,
                     type);
  };
  word("document.xml", "document.main");
  word("styles.xml", "styles");
  word("settings.xml", "settings");
  word("header1.xml", "header");
  word("header2.xml", "header");
  x += R"(<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-)"
       R"(package.core-properties+xml"/><Override PartName="/docProps/app.xml" )"
       R"(ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>)";
  return XmlPart(R"(<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">)",
                 x + "</Types>");
}

std::string Relationships(const std::vector<std::pair<std::string, std::string>>& type_target) {
  std::string x;
  int id = 0;
  for (const auto& [type, target] : type_target) {
    x += fmt::format(R"(<Relationship Id="rId{}" Type="{}" Target="{}"/>)", ++id, type, target);
  }
  return XmlPart(
      R"(<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">)",
      x + "</Relationships>");
}

std::string RunFonts(int half_points) {
  return fmt::format(
      R"(<w:rFonts w:ascii="{0}" w:hAnsi="{0}" w:eastAsia="{0}" w:cs="{0}"/>)"
      R"(<w:sz w:val="{1}"/><w:szCs w:val="{1}"/><w:lang w:val="vi-VN" w:eastAsia="en-US"/>)",
      kFont, half_points);
}

// A paragraph style based on `based_on`; `ppr` and `rpr` are element lists.
std::string ParagraphStyle(std::string_view id, std::string_view name, std::string_view based_on,
                           std::string_view ppr, std::string_view rpr) {
  return fmt::format(
      R"(<w:style w:type="paragraph" w:customStyle="1" w:styleId="{}"><w:name w:val="{}"/>)"
      R"(<w:basedOn w:val="{}"/><w:next w:val="BodyText"/><w:qFormat/>)"
      "<w:pPr>{}</w:pPr><w:rPr>{}</w:rPr></w:style>",
      id, name, based_on, ppr, rpr);
}

std::string Styles() {
  std::string x = "<w:docDefaults><w:rPrDefault><w:rPr>" + RunFonts(28) +
                  "</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr>"
                  R"(<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>)"
                  "</w:pPr></w:pPrDefault></w:docDefaults>";
  x += R"(<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>)"
       "<w:qFormat/><w:pPr><w:widowControl/></w:pPr><w:rPr>" +
       RunFonts(28) + "</w:rPr></w:style>";
  x += R"(<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">)"
       R"(<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>)"
       "<w:unhideWhenUsed/></w:style>";
  x += R"(<w:style w:type="table" w:default="1" w:styleId="TableNormal">)"
       R"(<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/>)"
       R"(<w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>)"
       R"(<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>)"
       R"(<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>)"
       "</w:tblCellMar></w:tblPr></w:style>";
  // Body: justified, 1 cm first-line indent, 6 pt after, 1.2 lines.
  x += R"(<w:style w:type="paragraph" w:styleId="BodyText"><w:name w:val="Body Text"/>)"
       R"(<w:basedOn w:val="Normal"/><w:qFormat/><w:pPr>)"
       R"(<w:spacing w:before="0" w:after="120" w:line="288" w:lineRule="auto"/>)"
       R"(<w:ind w:firstLine="567"/><w:jc w:val="both"/></w:pPr></w:style>)";
  x += ParagraphStyle("SectionHeading", "Section Heading", "BodyText",
                      R"(<w:keepNext/><w:spacing w:before="120"/><w:outlineLvl w:val="0"/>)",
                      "<w:b/><w:bCs/>");
  x += ParagraphStyle("SubHeading", "Sub Heading", "BodyText",
                      R"(<w:keepNext/><w:outlineLvl w:val="1"/>)", "<w:b/><w:bCs/>");
  x += ParagraphStyle("TopicHeading", "Topic Heading", "SubHeading",
                      R"(<w:keepNext/><w:outlineLvl w:val="2"/>)", "<w:b/><w:bCs/><w:i/><w:iCs/>");
  return XmlPart(fmt::format(R"(<w:styles xmlns:w="{}">)", kWordNs), x + "</w:styles>");
}

std::string Settings() {
  return XmlPart(
      fmt::format(R"(<w:settings xmlns:w="{}">)", kWordNs),
      R"(<w:zoom w:percent="100"/><w:defaultTabStop w:val="720"/>)"
      R"(<w:characterSpacingControl w:val="doNotCompress"/><w:compat>)"
      R"(<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/)"
      R"(word" w:val="15"/></w:compat><w:themeFontLang w:val="vi-VN"/>)"
      R"(<w:decimalSymbol w:val=","/><w:listSeparator w:val=";"/></w:settings>)");
}

// The page number, top centre, 14 pt; `page_field` false gives the empty
// header of the first page.
std::string Header(bool page_field) {
  std::string runs;
  if (page_field) {
    runs = R"(<w:r><w:fldChar w:fldCharType="begin"/></w:r>)"
           R"(<w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>)"
           R"(<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>2</w:t></w:r>)"
           R"(<w:r><w:fldChar w:fldCharType="end"/></w:r>)";
  }
  return XmlPart(fmt::format(R"(<w:hdr xmlns:w="{}" xmlns:r="{}">)", kWordNs, kRelNs),
                 R"(<w:p><w:pPr><w:jc w:val="center"/></w:pPr>)" + runs + "</w:p></w:hdr>");
}

}  // namespace

std::string XmlPart(std::string_view root, std::string_view rest) {
  return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n{}{}", root,
                     rest);
}

std::vector<Part> DocxFixedParts() {
  const std::string office_rel = kRelNs;
  return {
      {"[Content_Types].xml", ContentTypes()},
      {"_rels/.rels",
       Relationships({{office_rel + "/officeDocument", "word/document.xml"},
                      {"http://schemas.openxmlformats.org/package/2006/relationships/metadata/"
                       "core-properties",
                       "docProps/core.xml"},
                      {office_rel + "/extended-properties", "docProps/app.xml"}})},
      {"word/_rels/document.xml.rels", Relationships({{office_rel + "/styles", "styles.xml"},
                                                      {office_rel + "/settings", "settings.xml"},
                                                      {office_rel + "/header", "header1.xml"},
                                                      {office_rel + "/header", "header2.xml"}})},
      {"word/styles.xml", Styles()},
      {"word/settings.xml", Settings()},
      {"word/header1.xml", Header(true)},
      {"word/header2.xml", Header(false)},
      {"docProps/app.xml",
       XmlPart(R"(<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/)"
               R"(extended-properties">)",
               "<Application>tacit</Application><DocSecurity>0</DocSecurity></Properties>")},
  };
}

}  // namespace tacit::reports::ooxml
