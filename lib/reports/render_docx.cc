// The report as a Word document in the layout of Decree 30/2020/NĐ-CP
// (Appendix I, text documents): A4 portrait, margins top/bottom 20 mm, left
// 30 mm, right 15 mm, Times New Roman 14 pt (13 pt in the header and tables);
// the issuing body and "Số: …/BC-…" top left, the national title and motto
// top right with its rule and the italic place-and-date line under it; "BÁO
// CÁO" and the summary line; the body; "Nơi nhận:" and the signature block;
// page numbers top centre from page 2 (titlePg with an empty first header).
//
// Every text from a reply, a unit or the config goes through ooxml::Run
// (escaped, characters XML forbids dropped); constant labels are ours.
#include <algorithm>
#include <chrono>
#include <ctime>
#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "reports/ooxml.h"
#include "reports/report.h"
#include "reports/report_internal.h"

namespace tacit::reports {
namespace {

using ooxml::Cell;
using ooxml::Mm;
using ooxml::ParaProps;
using ooxml::Run;
using ooxml::RunProps;

constexpr int kPageWidth = 11906, kPageHeight = 16838;  // A4 portrait
constexpr int kTop = Mm(20), kBottom = Mm(20), kLeft = Mm(30), kRight = Mm(15);
constexpr int kTextWidth = kPageWidth - kLeft - kRight;
constexpr int kPt14 = 28, kPt13 = 26, kPt12 = 24, kPt11 = 22;  // half-points
constexpr int kCellMargin = 57;                                // 1 mm

// The header table reaches 7.5 mm into the left margin and 5 mm into the
// right one, so the national title (about 96 mm in 13 pt bold capitals) fits
// on one line beside a 70 mm issuing-body column.
constexpr int kHeaderIndent = -Mm(7.5);
constexpr int kHeaderLeft = Mm(72.5);
constexpr int kHeaderRight = kTextWidth - kHeaderIndent + Mm(5) - kHeaderLeft;

std::string Para(const std::string& runs, const ParaProps& props = {}) {
  return ooxml::Paragraph(props, runs);
}

std::string Body(const std::string& runs) { return Para(runs, {.style = "BodyText"}); }
std::string BodyText(std::string_view text) { return Body(Run(text)); }
std::string Heading(std::string_view style, std::string_view text) {
  return Para(Run(text), {.style = std::string(style)});
}

// One centred line without spacing (the header blocks).
std::string Line(std::string_view text, RunProps run, int before = 0) {
  return Para(Run(text, run), {.before = before, .after = 0, .jc = "center"});
}

// A short horizontal rule `length` wide, centred in `available`.
std::string Rule(int length, int available) {
  const int side = std::max(0, (available - length) / 2);
  return Para("", {.rule_above = true,
                   .before = 100,
                   .after = 0,
                   .line = 240,
                   .left = side,
                   .right = side,
                   .first_line = 0,
                   .mark_size = 2});
}

std::string LocalYear(TimePoint t, const TimeZone& tz) {
  return FormatHuman(t, tz).substr(6, 4);  // "dd/mm/yyyy HH:MM"
}

std::string HeaderTable(const ReportData& data, const TimeZone& tz, const ReportHeader& h) {
  const int left_inner = kHeaderLeft - 2 * kCellMargin;
  const int right_inner = kHeaderRight - 2 * kCellMargin;
  std::string left;
  for (size_t i = 0; i < h.issuing_body.size(); ++i) {
    left += Line(h.issuing_body[i], {.bold = i + 1 == h.issuing_body.size(), .half_points = kPt13});
  }
  if (h.issuing_body.empty()) left += Line("", {});
  left += Rule(Mm(25), left_inner);
  std::string right =
      Line("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", {.bold = true, .half_points = kPt13});
  right += Line("Độc lập - Tự do - Hạnh phúc", {.bold = true, .half_points = kPt14});
  right += Rule(Mm(60), right_inner);
  const std::string number = Line("Số:        /" + h.number_suffix, {.half_points = kPt13}, 120);
  const std::string place = h.place.empty() ? "……………" : h.place;
  const std::string date =
      Line(place + ", ngày      tháng      năm " + LocalYear(data.generated_at, tz),
           {.italic = true, .half_points = kPt14}, 120);
  return ooxml::Table({.grid = {kHeaderLeft, kHeaderRight}, .indent = kHeaderIndent},
                      {{{kHeaderLeft, left}, {kHeaderRight, right}},
                       {{kHeaderLeft, number}, {kHeaderRight, date}}});
}

std::string TitleBlock(const ReportData& data, const TimeZone& tz) {
  std::string t = Line("BÁO CÁO", {.bold = true, .half_points = kPt14}, 360);
  t += Line(SummaryLine(data.consultation.subject), {.bold = true, .half_points = kPt14});
  t += Rule(Mm(40), kTextWidth);
  if (data.provisional) {
    t += Line("(Dự thảo – tạm thời)", {.italic = true, .half_points = kPt14}, 120);
    t += Para(Run(ProvisionalNote(data, tz), {.italic = true, .half_points = kPt12}),
              {.before = 60, .after = 0, .jc = "center"});
  }
  return t + Para("", {.after = 120});
}

// "- Name: text" with the name in bold; each further line of the text is a
// paragraph of its own (a line break inside a justified paragraph would
// stretch the line before it across the page).
std::string NamedItem(std::string_view name, std::string_view note, std::string_view text) {
  std::vector<std::string> lines;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find_first_of("\r\n", pos);
    if (end == std::string_view::npos) end = text.size();
    if (end > pos) lines.emplace_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  std::string runs = Run("- ") + Run(name, {.bold = true});
  if (!note.empty()) runs += Run(" (" + std::string(note) + ")", {.italic = true});
  if (!lines.empty()) runs += Run(": " + lines.front());
  std::string out = Body(runs);
  for (size_t i = 1; i < lines.size(); ++i) out += BodyText(lines[i]);
  return out;
}

// The counts of the units of one group (one pass over its own units: a
// pass over every unit per group was quadratic at 100,000 units).
views::Counts CountOf(const std::vector<const store::UnitState*>& units) {
  views::Counts n;
  for (const store::UnitState* u : units) views::AddToCounts(n, *u);
  return n;
}

std::string CountsTable(const ReportData& data) {
  const ReportCounts& all = data.counts;
  const store::ConsultationState& c = data.consultation;
  struct Column {
    std::string label;
    int views::Counts::*field;
  };
  std::vector<Column> cols = {{"Số đơn vị được xin ý kiến", &views::Counts::addressed},
                              {"Đã trả lời", &views::Counts::replied},
                              {"Nhất trí", &views::Counts::agree},
                              {"Có góp ý", &views::Counts::comments},
                              {"Không nhất trí", &views::Counts::object}};
  if (all.unknown > 0) cols.push_back({"Chưa rõ ý kiến", &views::Counts::unknown});
  if (c.silence_means == SilenceMeans::kConsent || all.deemed_consent > 0) {
    cols.push_back({"Được hiểu là đồng ý", &views::Counts::deemed_consent});
  }
  if (c.silence_means == SilenceMeans::kNoResponse || all.no_response > 0) {
    cols.push_back({"Không có ý kiến", &views::Counts::no_response});
  }
  if (!c.closed || all.pending > 0) cols.push_back({"Chưa trả lời", &views::Counts::pending});
  if (all.late > 0) cols.push_back({"Gửi sau hạn", &views::Counts::late});
  const int first = Mm(42);
  const int other = (kTextWidth - first) / static_cast<int>(cols.size());
  std::vector<int> grid = {first};
  grid.insert(grid.end(), cols.size(), other);

  auto cell = [](int width, std::string_view text, bool bold, const char* jc) {
    return Cell{width,
                Para(Run(text, {.bold = bold, .half_points = kPt13}),
                     {.before = 40, .after = 40, .jc = jc}),
                true};
  };
  std::vector<std::vector<Cell>> rows(1);
  rows[0].push_back(cell(first, "Nhóm đơn vị", true, "center"));
  for (const Column& col : cols) rows[0].push_back(cell(other, col.label, true, "center"));
  auto add_row = [&](std::string_view label, const views::Counts& n, bool bold) {
    rows.emplace_back();
    rows.back().push_back(cell(first, label, bold, "left"));
    for (const Column& col : cols) {
      rows.back().push_back(cell(other, std::to_string(n.*col.field), bold, "center"));
    }
  };
  for (const auto& [group, units] : UnitsByGroup(data)) add_row(group, CountOf(units), false);
  add_row("Tổng cộng", views::CountUnits(c), true);
  return ooxml::Table({.grid = grid, .borders = true, .header_rows = 1}, rows);
}

std::string CountsSentence(const ReportData& data, const TimeZone& tz) {
  const ReportCounts& n = data.counts;
  const store::ConsultationState& c = data.consultation;
  std::string s = fmt::format("Văn bản được gửi đến {} đơn vị. ", n.addressed);
  s +=
      c.closed ? "Đến hết thời hạn, " : fmt::format("Đến {}, ", FormatHuman(data.generated_at, tz));
  s += fmt::format(
      "đã nhận được ý kiến của {} đơn vị, trong đó {} đơn vị nhất trí, {} đơn vị có góp ý, {} "
      "đơn vị không nhất trí",
      n.replied, n.agree, n.comments, n.object);
  if (n.unknown > 0) s += fmt::format(", {} đơn vị chưa rõ ý kiến", n.unknown);
  s += ".";
  if (n.deemed_consent > 0) {
    s += fmt::format(" {} đơn vị không gửi ý kiến được hiểu là đồng ý.", n.deemed_consent);
  }
  if (n.no_response > 0) s += fmt::format(" {} đơn vị không có ý kiến.", n.no_response);
  if (n.pending > 0) s += fmt::format(" {} đơn vị chưa trả lời.", n.pending);
  if (n.late > 0) s += fmt::format(" {} đơn vị gửi ý kiến sau hạn.", n.late);
  return s;
}

// "15/VH-XH"; "…/VH-XH" when the number was left blank; "(chưa ghi số)".
std::string ReferenceWords(const std::string& reference) {
  if (reference.empty()) return "(chưa ghi số)";
  return reference.starts_with('/') ? "…" + reference : reference;
}

std::string PartOne(const ReportData& data, const TimeZone& tz) {
  const store::ConsultationState& c = data.consultation;
  std::string b = Heading("SectionHeading", "I. KẾT QUẢ XIN Ý KIẾN");
  b += Heading("SubHeading", "1. Văn bản xin ý kiến");
  b += BodyText(fmt::format(
      "{} văn bản số {} về việc {}; thời hạn gửi ý kiến: {}.",
      c.issuer.empty() ? std::string("Văn bản xin ý kiến:") : c.issuer + " đã ban hành",
      ReferenceWords(c.reference), LowerFirst(c.subject), DeadlineWords(c.deadline, tz)));
  b += Heading("SubHeading", "2. Số đơn vị được xin ý kiến và đã trả lời");
  b += BodyText(CountsSentence(data, tz));
  b += CountsTable(data) + Para("", {.after = 120});
  return b;
}

void PartTwo(const ReportData& data, TextSink& b) {
  b += Heading("SectionHeading", "II. NỘI DUNG Ý KIẾN THAM GIA");
  int n = 0;
  for (const TopicSection& s : data.sections) {
    b += Heading("TopicHeading", fmt::format("{}. {}", ++n, s.topic));
    if (s.paragraphs.empty()) b += Body(Run("Không có ý kiến.", {.italic = true}));
    for (const QuotedParagraph& p : s.paragraphs) {
      b += NamedItem(data.UnitNameOf(p), data.ReplyOf(p).late ? "gửi sau hạn" : "", data.TextOf(p));
      b.Boundary();
    }
  }
}

// "- Group (n): A, B, C." for the units `wanted` selects.
template <typename Pred>
std::string UnitsByGroupList(const ReportData& data, const TimeZone& tz, Pred wanted) {
  std::string out;
  for (const auto& [group, units] : UnitsByGroup(data)) {
    std::string names;
    int count = 0;
    for (const store::UnitState* u : units) {
      if (!wanted(*u)) continue;
      std::string note = UnitDeadlineNote(*u, tz);
      names += (count++ ? ", " : "") + u->name + (note.empty() ? "" : " (" + note + ")");
    }
    if (count > 0) out += NamedItem(fmt::format("{} ({})", group, count), "", names + ".");
  }
  return out;
}

std::string PartThree(const ReportData& data, const TimeZone& tz) {
  const store::ConsultationState& c = data.consultation;
  std::string b =
      Heading("SectionHeading", "III. " + UpperCase(std::string(SilentListTitle(c.silence_means))));
  b += Body(Run("Theo văn bản xin ý kiến: “" + data.silence_rule + "”", {.italic = true}));
  const UnitStatus silent = SilentStatus(c.silence_means);
  if (c.closed) {
    const int n =
        silent == UnitStatus::kDeemedConsent ? data.counts.deemed_consent : data.counts.no_response;
    if (n == 0) return b + BodyText("Không có đơn vị nào.");
    b += BodyText(fmt::format("Gồm {} đơn vị:", n));
    return b + UnitsByGroupList(data, tz,
                                [&](const store::UnitState& u) { return u.status == silent; });
  }
  if (data.counts.pending == 0) {
    return b + BodyText("Chưa hết thời hạn; tất cả các đơn vị đã trả lời.");
  }
  b += BodyText(
      fmt::format("Chưa hết thời hạn. Hiện còn {} đơn vị chưa trả lời:", data.counts.pending));
  return b + UnitsByGroupList(data, tz, [](const store::UnitState& u) {
           return u.status == UnitStatus::kPending;
         });
}

void PartFour(const ReportData& data, const TimeZone& tz, TextSink& b) {
  const store::ConsultationState& c = data.consultation;
  b += Heading("SectionHeading", "IV. CÁC TRƯỜNG HỢP CẦN LƯU Ý");
  b += Heading("SubHeading", "1. Ý kiến gửi sau thời hạn");
  bool any_late = false;
  for (const Reply& r : data.replies) {
    if (!r.late) continue;
    // The unit's name, found when gathered (Reply::unit), or its code.
    const std::string_view name = r.unit != Reply::kNoUnit ? c.units[r.unit].name : r.unit_code();
    b += NamedItem(
        name, "",
        fmt::format("nhận lúc {} ({}).", FormatHuman(r.received_at, tz), ChannelLabel(r.channel)));
    b.Boundary();
    any_late = true;
  }
  if (!any_late) b += BodyText("Không có.");
  b += Heading("SubHeading", "2. Đơn vị không nhận được thư thông báo (gửi thư thất bại)");
  std::string failed;
  for (const store::UnitState& u : c.units) {
    if (u.notice_failed) failed += NamedItem(u.name, "", u.group + ".");
  }
  b += failed.empty() ? BodyText("Không có.") : failed;
  int item = 2;
  if (data.counts.excluded > 0) {
    b += Heading("SubHeading", fmt::format("{}. Đơn vị không tính (đưa ra khỏi đợt)", ++item));
    for (const store::UnitState& u : c.units) {
      if (u.status == UnitStatus::kExcluded) b += NamedItem(u.name, "", UnitNotes(u, tz) + ".");
    }
  }
  if (!data.unmatched.empty()) {
    b += Heading("SubHeading", fmt::format("{}. Ý kiến chưa xác định được đơn vị gửi ({})", ++item,
                                           data.unmatched.size()));
    b += BodyText("Cần xác định đơn vị gửi các ý kiến sau trước khi hoàn thiện báo cáo:");
    for (const Reply& r : data.unmatched) {
      const std::string_view from = r.sender().empty() ? r.source_ref() : r.sender();
      b += NamedItem(
          fmt::format("Ý kiến số {}", r.id), "",
          fmt::format("nhận lúc {} ({}){}{}.", FormatHuman(r.received_at, tz),
                      ChannelLabel(r.channel), from.empty() ? "" : fmt::format(", từ {}", from),
                      r.subject().empty() ? "" : fmt::format(", tiêu đề “{}”", r.subject())));
      b.Boundary();
    }
  }
}

std::string SignatureTable(const ReportHeader& h) {
  const int left = Mm(80), right = kTextWidth - left;
  std::string recipients =
      Para(Run("Nơi nhận:", {.bold = true, .italic = true, .half_points = kPt12}),
           {.before = 240, .after = 0});
  for (const std::string& r : h.recipients) {
    recipients += Para(Run("- " + r, {.half_points = kPt11}), {.before = 0, .after = 0});
  }
  std::string sign = Line(h.signer_title, {.bold = true, .half_points = kPt14}, 240);
  sign += Line(h.signer_name, {.bold = true, .half_points = kPt14}, 1700);
  return ooxml::Table({.grid = {left, right}, .cell_margin = 0},
                      {{{left, recipients}, {right, sign}}});
}

// What became of a unit, in the report's words.
std::string Outcome(const store::UnitState& u) {
  switch (u.status) {
    case UnitStatus::kReplied:
      return u.stance && *u.stance != Stance::kUnknown ? UpperFirst(VietnameseLabel(*u.stance))
                                                       : "Chưa rõ ý kiến";
    case UnitStatus::kDeemedConsent: return "Được hiểu là đồng ý";
    case UnitStatus::kNoResponse: return "Không có ý kiến";
    case UnitStatus::kPending: return "Chưa trả lời";
    case UnitStatus::kExcluded: return "Không tính";
  }
  return "";
}

// After the signature, on a page of its own: every addressed unit, by group,
// with what became of it (the appendix a report of this kind carries).
void Appendix(const ReportData& data, const TimeZone& tz, const ReportHeader& h, TextSink& a) {
  a +=
      Para(Run("PHỤ LỤC", {.bold = true}), {.page_break_before = true, .after = 0, .jc = "center"});
  a += Line("DANH SÁCH ĐƠN VỊ ĐƯỢC XIN Ý KIẾN VÀ KẾT QUẢ", {.bold = true});
  std::string issuer = data.consultation.issuer;
  if (issuer.empty() && !h.issuing_body.empty()) issuer = h.issuing_body.back();
  a += Line(fmt::format("(Kèm theo Báo cáo số      /{} ngày    tháng    năm {}{})", h.number_suffix,
                        LocalYear(data.generated_at, tz), issuer.empty() ? "" : " của " + issuer),
            {.italic = true});
  a += Rule(Mm(40), kTextWidth) + Para("", {.after = 120});
  const std::vector<int> grid = {Mm(10), Mm(58), Mm(44), Mm(28), kTextWidth - Mm(140)};
  auto cell = [&](size_t col, std::string_view text, bool bold, const char* jc) {
    return Cell{grid[col],
                Para(Run(text, {.bold = bold, .half_points = kPt13}),
                     {.before = 20, .after = 20, .jc = jc}),
                true};
  };
  // Row by row: at 100,000 units the table is most of document.xml.
  const ooxml::TableProps table{.grid = grid, .borders = true, .header_rows = 1};
  size_t row = 0;
  auto add = [&](const std::vector<Cell>& cells) {
    a += ooxml::TableRow(table, row++, cells);
    a.Boundary();
  };
  a += ooxml::TableStart(table);
  add({cell(0, "TT", true, "center"), cell(1, "Đơn vị", true, "center"),
       cell(2, "Kết quả", true, "center"), cell(3, "Ngày nhận ý kiến", true, "center"),
       cell(4, "Ghi chú", true, "center")});
  int n = 0;
  for (const auto& [group, units] : UnitsByGroup(data)) {
    Cell g = cell(1, fmt::format("{} ({} đơn vị)", group, units.size()), true, "left");
    g.width = kTextWidth;
    g.span = static_cast<int>(grid.size());
    add({g});
    for (const store::UnitState* u : units) {
      std::string received = u->replied_at ? FormatHuman(*u->replied_at, tz).substr(0, 10) : "";
      std::string notes = UnitNotes(*u, tz);
      if (u->late_reply) notes += (notes.empty() ? "" : "; ") + std::string("có ý kiến sau hạn");
      add({cell(0, std::to_string(++n), false, "center"), cell(1, u->name, false, "left"),
           cell(2, Outcome(*u), false, "left"), cell(3, received, false, "center"),
           cell(4, notes, false, "left")});
    }
  }
  a += ooxml::kTableEnd;
}

// document.xml, written as it goes (ooxml::Part::stream): at 100,000 units
// and 200,000 replies it is hundreds of megabytes, most of tacitd's peak
// memory when it was built as one string (issue 9).
void DocumentXml(const ReportData& data, const TimeZone& tz, const ReportHeader& h, TextSink& doc) {
  std::string summary = SummaryLine(data.consultation.subject);
  summary[0] = 't';  // "Tổng hợp …" after "báo cáo"
  doc += ooxml::XmlPart(
      fmt::format(R"(<w:document xmlns:w="{}" xmlns:r="{}">)", ooxml::kWordNs, ooxml::kRelNs),
      "<w:body>");
  doc += HeaderTable(data, tz, h);
  doc += TitleBlock(data, tz);
  doc += PartOne(data, tz);
  PartTwo(data, doc);
  doc += PartThree(data, tz);
  PartFour(data, tz, doc);
  doc += BodyText("Trên đây là báo cáo " + summary + "./.");
  doc += SignatureTable(h);
  Appendix(data, tz, h, doc);
  doc += fmt::format(
      R"(<w:sectPr><w:headerReference w:type="default" r:id="rId3"/>)"
      R"(<w:headerReference w:type="first" r:id="rId4"/>)"
      R"(<w:pgSz w:w="{}" w:h="{}"/>)"
      R"(<w:pgMar w:top="{}" w:right="{}" w:bottom="{}" w:left="{}" w:header="{}" w:footer="{}" )"
      R"(w:gutter="0"/><w:cols w:space="720"/><w:titlePg/><w:docGrid w:linePitch="360"/>)"
      "</w:sectPr>",
      kPageWidth, kPageHeight, kTop, kRight, kBottom, kLeft, Mm(10), Mm(10));
  doc += "</w:body></w:document>";
}

// "2026-02-10T01:00:00Z"
std::string W3cUtc(TimePoint t) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

}  // namespace

Result<std::string> RenderDocx(const ReportData& data, const TimeZone& tz,
                               const ReportHeader& header) {
  const std::string title = "Báo cáo tổng hợp ý kiến – " + data.consultation.id;
  const std::string created = W3cUtc(data.generated_at);
  std::vector<ooxml::Part> parts = ooxml::DocxFixedParts();
  parts.push_back({.name = "word/document.xml", .content = {}, .stream = [&](TextSink& out) {
                     DocumentXml(data, tz, header, out);
                   }});
  parts.push_back(
      {"docProps/core.xml",
       ooxml::XmlPart(
           R"(<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/)"
           R"(metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" )"
           R"(xmlns:dcterms="http://purl.org/dc/terms/" )"
           R"(xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">)",
           fmt::format("<dc:title>{}</dc:title><dc:subject>{}</dc:subject>"
                       "<dc:creator>tacit</dc:creator><dc:language>vi-VN</dc:language>"
                       R"(<dcterms:created xsi:type="dcterms:W3CDTF">{}</dcterms:created>)"
                       R"(<dcterms:modified xsi:type="dcterms:W3CDTF">{}</dcterms:modified>)"
                       "</cp:coreProperties>",
                       ooxml::XmlText(title), ooxml::XmlText(data.consultation.subject), created,
                       created))});
  return ooxml::ZipPackage(parts, std::chrono::system_clock::to_time_t(data.generated_at));
}

}  // namespace tacit::reports
