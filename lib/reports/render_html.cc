// The report as one self-contained HTML file: inline CSS, inline SVG charts, no
// script and no external asset, printable on A4 (each section starts a page).
// Every text that comes from a reply, a unit or the config goes through
// EscapeHtml; only the constant labels below are written raw.
#include <algorithm>

#include <fmt/format.h>

#include "reports/report.h"
#include "reports/report_internal.h"

namespace tacit::reports {
namespace {

constexpr std::string_view kCss = R"css(
@page { size: A4; margin: 18mm 15mm 18mm 20mm; }
* { box-sizing: border-box; }
body { font-family: "Times New Roman", "Liberation Serif", "DejaVu Serif", serif;
  font-size: 12pt; line-height: 1.35; color: #111; margin: 0 auto; max-width: 190mm;
  padding: 8mm 6mm; }
h1 { font-size: 16pt; text-align: center; margin: 4mm 0 2mm; }
h2 { font-size: 13.5pt; border-bottom: 1px solid #888; padding-bottom: 1mm; margin: 0 0 3mm; }
h3 { font-size: 12pt; margin: 4mm 0 2mm; }
.issuer { text-align: center; font-weight: bold; text-transform: uppercase; margin: 0; }
.subject { text-align: center; font-style: italic; margin: 0 0 4mm; }
.provisional { border: 2px solid #b71c1c; color: #b71c1c; font-weight: bold; text-align: center;
  padding: 2mm; margin: 3mm 0; }
dl.meta { display: grid; grid-template-columns: 45mm 1fr; gap: 1mm 3mm; margin: 0 0 4mm; }
dl.meta dt { font-weight: bold; }
dl.meta dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: 10pt; margin: 0 0 3mm; }
th, td { border: 1px solid #777; padding: 1mm 1.5mm; vertical-align: top; text-align: left; }
th { background: #eee; }
td.num, th.num { text-align: right; white-space: nowrap; }
td.sub { padding-left: 6mm; }
table.units { table-layout: fixed; }
table.units small { color: #555; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
tr.object td { background: #fdecea; }
tr.unknown td { background: #fff8e1; }
.warn { color: #b71c1c; font-weight: bold; }
section { break-before: page; page-break-before: always; }
section.first { break-before: auto; page-break-before: auto; }
article + article { break-before: page; page-break-before: always; }
.charts { display: flex; gap: 4mm; align-items: flex-end; break-inside: avoid; }
.charts figure { margin: 0; flex: 1 1 0; min-width: 0; }
.charts svg { width: 100%; height: auto; }
figcaption { font-size: 10pt; font-style: italic; text-align: center; }
.quote { break-inside: avoid; page-break-inside: avoid; margin: 0 0 3mm; }
.who { font-size: 10pt; }
.ref { color: #444; }
blockquote { white-space: pre-wrap; margin: 1mm 0 0 4mm; padding-left: 3mm;
  border-left: 3px solid #999; }
.rule { font-style: italic; margin: 0 0 3mm; }
.empty { color: #555; font-style: italic; }
ol.silent { columns: 2; column-gap: 8mm; font-size: 10.5pt; }
@media screen { body { max-width: 210mm; } }
)css";

std::string Esc(std::string_view s) { return EscapeHtml(s); }

std::string When(const std::optional<TimePoint>& t, const TimeZone& tz) {
  return t ? FormatHuman(*t, tz) : "–";
}

// Stances and silence as horizontal bars over the addressed units.
std::string StanceChart(const ReportData& data) {
  const ReportCounts& n = data.counts;
  struct Bar {
    std::string_view label;
    int value;
    std::string_view color;
  };
  std::vector<Bar> bars = {
      {"nhất trí", n.agree, "#2e7d32"},
      {"có góp ý", n.comments, "#1565c0"},
      {"không nhất trí", n.object, "#c62828"},
      {"cần xem", n.unknown, "#f9a825"},
  };
  if (data.consultation.silence_means == SilenceMeans::kConsent || n.deemed_consent > 0) {
    bars.push_back({"được hiểu là đồng ý", n.deemed_consent, "#81c784"});
  }
  if (data.consultation.silence_means == SilenceMeans::kNoResponse || n.no_response > 0) {
    bars.push_back({"không có ý kiến", n.no_response, "#757575"});
  }
  bars.push_back({"chưa trả lời", n.pending, "#bdbdbd"});
  const int total = std::max(1, n.addressed);
  const int width = 330, label_w = 130, bar_max = width - label_w - 40, row_h = 22;
  const int height = static_cast<int>(bars.size()) * row_h + 8;
  std::string svg = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" viewBox="0 0 {0} {1}" )"
      R"(role="img" aria-label="Ý kiến theo loại" font-family="sans-serif" font-size="11">)",
      width, height);
  int y = 4;
  for (const Bar& b : bars) {
    int w = b.value * bar_max / total;
    svg += fmt::format(R"(<text x="{}" y="{}" text-anchor="end">{}</text>)", label_w - 6, y + 14,
                       b.label);
    svg += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>)", label_w, y + 2,
                       std::max(w, 1), row_h - 6, b.color);
    svg += fmt::format(R"(<text x="{}" y="{}">{}</text>)", label_w + w + 4, y + 14, b.value);
    y += row_h;
  }
  return svg + "</svg>";
}

// Replies per local day as vertical bars; the late part in red on top.
std::string TimelineChart(const std::vector<DayCount>& timeline) {
  const int width = 360, height = 180, left = 28, bottom = 34, top = 14;
  int max_value = 1;
  for (const DayCount& d : timeline) max_value = std::max(max_value, d.replies);
  const int n = static_cast<int>(timeline.size());
  const double slot = static_cast<double>(width - left - 6) / std::max(1, n);
  const double bar_w = std::min(28.0, slot * 0.75);
  const int plot_h = height - bottom - top;
  const int label_every = std::max(1, (n + 11) / 12);
  std::string svg = fmt::format(
      R"(<svg xmlns="http://www.w3.org/2000/svg" width="{0}" height="{1}" viewBox="0 0 {0} {1}" )"
      R"(role="img" aria-label="Số ý kiến theo ngày" font-family="sans-serif" font-size="10">)",
      width, height);
  svg += fmt::format(R"(<line x1="{0}" y1="{1}" x2="{2}" y2="{1}" stroke="#333"/>)", left,
                     height - bottom, width - 4);
  svg += fmt::format(R"(<line x1="{0}" y1="{1}" x2="{0}" y2="{2}" stroke="#333"/>)", left, top,
                     height - bottom);
  svg += fmt::format(R"(<text x="{}" y="{}" text-anchor="end">{}</text>)", left - 4, top + 4,
                     max_value);
  svg +=
      fmt::format(R"(<text x="{}" y="{}" text-anchor="end">0</text>)", left - 4, height - bottom);
  for (int i = 0; i < n; ++i) {
    const DayCount& d = timeline[i];
    double x = left + 3 + slot * i + (slot - bar_w) / 2;
    double h = static_cast<double>(d.replies) * plot_h / max_value;
    double late_h = static_cast<double>(d.late) * plot_h / max_value;
    double y = height - bottom - h;
    if (d.replies > d.late) {
      svg += fmt::format(R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" )"
                         R"(fill="#1565c0"/>)",
                         x, y + late_h, bar_w, h - late_h);
    }
    if (d.late > 0) {
      svg += fmt::format(R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" )"
                         R"(fill="#c62828"/>)",
                         x, y, bar_w, late_h);
    }
    if (d.replies > 0) {
      svg += fmt::format(R"(<text x="{:.1f}" y="{:.1f}" text-anchor="middle">{}</text>)",
                         x + bar_w / 2, y - 2, d.replies);
    }
    if (i % label_every == 0) {
      // "dd/mm" under the bar, slanted so that many days still fit.
      double lx = x + bar_w / 2;
      double ly = height - bottom + 12;
      svg += fmt::format(R"(<text x="{0:.1f}" y="{1:.1f}" text-anchor="end" )"
                         R"svg(transform="rotate(-40 {0:.1f} {1:.1f})">{2}</text>)svg",
                         lx, ly, Esc(d.date.substr(0, 5)));
    }
  }
  return svg + "</svg>";
}

// Appended to `h` as it goes, with a boundary after each row and quote.
void ReportArticle(const ReportData& data, const TimeZone& tz, TextSink& h) {
  const store::ConsultationState& c = data.consultation;
  h += fmt::format(R"(<article class="report" id="{}">)", Esc(c.id));
  h += "\n<section class=\"first\">\n";
  if (!c.issuer.empty()) h += fmt::format("<p class=\"issuer\">{}</p>\n", Esc(c.issuer));
  h += fmt::format("<h1>BÁO CÁO TỔNG HỢP Ý KIẾN{}</h1>\n",
                   data.provisional ? " <span class=\"warn\">(TẠM THỜI)</span>" : "");
  h += fmt::format("<p class=\"subject\">V/v {}</p>\n", Esc(c.subject));
  if (data.provisional) {
    h += fmt::format("<p class=\"provisional\">{}</p>\n", Esc(ProvisionalNote(data, tz)));
  }
  h += "<dl class=\"meta\">\n";
  auto meta = [&h](std::string_view dt, const std::string& dd) {
    h += fmt::format("<dt>{}</dt><dd>{}</dd>\n", dt, dd);
  };
  meta("Số/ký hiệu văn bản", Esc(c.reference.empty() ? "–" : c.reference));
  meta("Cơ quan xin ý kiến", Esc(c.issuer.empty() ? "–" : c.issuer));
  meta("Người ký", Esc(c.signer.empty() ? "–" : c.signer));
  meta("Hạn gửi ý kiến", Esc(DeadlineWords(c.deadline, tz)));
  meta("Tình trạng", c.closed ? "đã hết hạn, áp dụng lúc " + Esc(When(c.closed_at, tz))
                              : std::string("đang nhận ý kiến"));
  meta("Mã đợt; lập lúc", Esc(c.id) + "; " + Esc(FormatHuman(data.generated_at, tz)));
  h += "</dl>\n";

  h += "<h2>1. Số liệu tổng hợp</h2>\n";
  h += "<table class=\"counts\"><thead><tr><th>Nội dung</th><th class=\"num\">Số đơn vị</th>"
       "</tr></thead><tbody>\n";
  for (const CountRow& r : CountRows(data)) {
    h += fmt::format("<tr><td{}>{}</td><td class=\"num\">{}</td></tr>\n",
                     r.sub ? " class=\"sub\"" : "", Esc(r.label), r.value);
  }
  h += "</tbody></table>\n";
  h += "<div class=\"charts\">\n<figure>" + StanceChart(data) +
       "<figcaption>Ý kiến các đơn vị theo loại</figcaption></figure>\n";
  if (!data.timeline.empty()) {
    h += "<figure>" + TimelineChart(data.timeline) +
         "<figcaption>Số ý kiến nhận được theo ngày (đỏ: sau hạn)</figcaption></figure>\n";
  }
  h += "</div>\n</section>\n";

  h += "<section>\n<h2>2. Ý kiến theo đơn vị</h2>\n";
  for (const auto& [group, units] : UnitsByGroup(data)) {
    h += fmt::format("<h3>{} ({} đơn vị)</h3>\n", Esc(group), units.size());
    h += "<table class=\"units\"><colgroup><col style=\"width:29%\"><col style=\"width:12%\">"
         "<col style=\"width:10%\"><col style=\"width:10%\"><col style=\"width:12%\">"
         "<col style=\"width:7%\"><col style=\"width:6%\"><col style=\"width:14%\"></colgroup>"
         "<thead><tr><th>Đơn vị</th><th>Trạng thái</th><th>Ý kiến</th>"
         "<th>Kênh</th><th>Nhận lúc</th><th>Sau hạn</th><th class=\"num\">Nhắc</th>"
         "<th>Ghi chú</th></tr></thead><tbody>\n";
    for (const store::UnitState* u : units) {
      std::string row_class;
      if (u->stance == Stance::kObject) row_class = " class=\"object\"";
      if (u->stance == Stance::kUnknown) row_class = " class=\"unknown\"";
      std::string notes = Esc(UnitNotes(*u, tz));
      if (u->notice_failed) {
        notes.insert(0, "<span class=\"warn\">");
        notes += "</span>";
      }
      h += fmt::format(
          "<tr{}><td>{}<br><small>{}</small></td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
          "<td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>\n",
          row_class, Esc(u->name), Esc(u->code), Esc(VietnameseLabel(u->status)),
          u->stance ? Esc(VietnameseLabel(*u->stance)) : "–",
          u->channel ? Esc(ChannelLabel(*u->channel)) : "–", Esc(When(u->replied_at, tz)),
          u->late_reply ? "<span class=\"warn\">có</span>" : "", u->reminders_sent, notes);
      h.Boundary();
    }
    h += "</tbody></table>\n";
  }
  h += "</section>\n";

  h += "<section>\n<h2>3. Nội dung ý kiến theo chủ đề</h2>\n";
  int n = 0;
  for (const TopicSection& s : data.sections) {
    h += fmt::format("<h3>3.{}. {}</h3>\n", ++n, Esc(s.topic));
    if (s.paragraphs.empty()) h += "<p class=\"empty\">Không có ý kiến.</p>\n";
    for (const QuotedParagraph& p : s.paragraphs) {
      const Reply& r = data.ReplyOf(p);
      h += fmt::format(
          "<div class=\"quote\"><div class=\"who\"><b>{}</b> · {}{} · <span class=\"ref\">{}"
          "</span></div><blockquote>{}</blockquote></div>\n",
          Esc(data.UnitNameOf(p)), Esc(FormatHuman(r.received_at, tz)),
          r.late ? " · <span class=\"warn\">sau hạn</span>" : "",
          Esc(OriginalRef(r.id, r.source_ref())), Esc(data.TextOf(p)));
      h.Boundary();
    }
  }
  h += "</section>\n";

  const UnitStatus silent = SilentStatus(c.silence_means);
  h += fmt::format("<section>\n<h2>4. {}</h2>\n", SilentListTitle(c.silence_means));
  h += fmt::format("<p class=\"rule\">Theo văn bản xin ý kiến: “{}”</p>\n", Esc(data.silence_rule));
  std::string items;
  for (const store::UnitState& u : c.units) {
    if (u.status != silent) continue;
    std::string own = UnitDeadlineNote(u, tz);
    items += fmt::format("<li>{} <small>({}{})</small></li>\n", Esc(u.name), Esc(u.group),
                         own.empty() ? "" : "; " + Esc(own));
  }
  if (items.empty()) {
    h += c.closed ? "<p class=\"empty\">Không có đơn vị nào.</p>\n"
                  : "<p class=\"empty\">Chưa hết hạn: chưa có đơn vị nào.</p>\n";
  } else {
    h += "<ol class=\"silent\">\n" + items + "</ol>\n";
  }

  h += "<h2>5. Cần lưu ý</h2>\n<h3>Đơn vị không nhận được thư thông báo (gửi thư thất bại)</h3>\n";
  std::string failed;
  for (const store::UnitState& u : c.units) {
    if (u.notice_failed) {
      failed += fmt::format("<li class=\"warn\">{} <small>({})</small></li>\n", Esc(u.name),
                            Esc(u.group));
    }
  }
  h += failed.empty() ? "<p class=\"empty\">Không có.</p>\n" : "<ul>\n" + failed + "</ul>\n";
  if (!data.failed_addresses.empty()) {
    h += "<h3>Địa chỉ thư không gửi được</h3>\n<ul>\n";
    for (const store::FailedAddress& f : data.failed_addresses) {
      h += fmt::format("<li class=\"warn\">{} <small>({}, {})</small>: {}</li>\n", Esc(f.address),
                       Esc(f.unit_code.empty() ? "-" : f.unit_code), FormatHuman(f.failed_at, tz),
                       Esc(f.reason));
    }
    h += "</ul>\n";
  }
  h += fmt::format("<h3>Ý kiến chưa xác định được đơn vị ({})</h3>\n", data.unmatched.size());
  if (data.unmatched.empty()) {
    h += "<p class=\"empty\">Không có.</p>\n";
  } else {
    h += "<table><thead><tr><th class=\"num\">Số</th><th>Nhận lúc</th><th>Kênh</th>"
         "<th>Người gửi / tệp</th><th>Tiêu đề</th><th>Lý do</th></tr></thead><tbody>\n";
    for (const Reply& r : data.unmatched) {
      h += fmt::format(
          "<tr><td class=\"num\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>"
          "</tr>\n",
          r.id, Esc(FormatHuman(r.received_at, tz)), Esc(ChannelLabel(r.channel)),
          Esc(r.sender().empty() ? r.source_ref() : r.sender()), Esc(r.subject()),
          Esc(r.match_rule()));
      h.Boundary();
    }
    h += "</tbody></table>\n";
  }

  h += "<h2>6. Diễn biến theo ngày</h2>\n";
  if (data.timeline.empty()) {
    h += "<p class=\"empty\">Chưa có ý kiến nào.</p>\n";
  } else {
    h += "<table class=\"timeline\"><thead><tr><th>Ngày</th><th class=\"num\">Số ý kiến</th>"
         "<th class=\"num\">Trong đó sau hạn</th></tr></thead><tbody>\n";
    for (const DayCount& d : data.timeline) {
      h += fmt::format("<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>\n",
                       Esc(d.date), d.replies, d.late);
    }
    h += "</tbody></table>\n";
  }
  h += "</section>\n</article>\n";
  h.Boundary();
}

// A complete document is DocumentStart, the body, kDocumentEnd.
std::string DocumentStart(std::string_view title, std::string_view head_extra) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n{}"
      "<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n",
      head_extra, Esc(title), kCss);
}
constexpr std::string_view kDocumentEnd = "</body>\n</html>\n";

}  // namespace

std::string EscapeHtml(std::string_view text) {
  // Runs without a special character are copied whole: most text has none.
  std::string out;
  out.reserve(text.size() + text.size() / 16);
  size_t from = 0;
  for (size_t at = text.find_first_of("&<>\"'"); at != std::string_view::npos;
       at = text.find_first_of("&<>\"'", from)) {
    out.append(text, from, at - from);
    switch (text[at]) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += "&#39;";
    }
    from = at + 1;
  }
  out.append(text, from);
  return out;
}

void RenderHtmlTo(const ReportData& data, const TimeZone& tz, TextSink& out) {
  std::string title = "Báo cáo tổng hợp ý kiến – " + data.consultation.id;
  if (data.provisional) title += " (tạm thời)";
  out += DocumentStart(title, "");
  ReportArticle(data, tz, out);
  out += kDocumentEnd;
}

std::string RenderHtml(const ReportData& data, const TimeZone& tz) {
  return Whole([&](TextSink& out) { RenderHtmlTo(data, tz, out); });
}

void RenderStatusHtmlTo(const std::vector<ReportData>& reports, const TimeZone& tz, TimePoint now,
                        TextSink& out) {
  out += DocumentStart("tacit – tình hình trả lời ý kiến",
                       "<meta http-equiv=\"refresh\" content=\"30\">\n");
  if (reports.empty()) {
    out += fmt::format("<p class=\"empty\">Không có đợt xin ý kiến nào (cập nhật lúc {}).</p>\n",
                       Esc(FormatHuman(now, tz)));
  }
  for (const ReportData& r : reports) ReportArticle(r, tz, out);
  out += kDocumentEnd;
}

std::string RenderStatusHtml(const std::vector<ReportData>& reports, const TimeZone& tz,
                             TimePoint now) {
  return Whole([&](TextSink& out) { RenderStatusHtmlTo(reports, tz, now, out); });
}

}  // namespace tacit::reports
