// The report as Markdown: plain text that reads well in a terminal and in an
// email body, with the same sections as the HTML report.
#include <fmt/format.h>

#include "reports/report.h"
#include "reports/report_internal.h"

namespace tacit::reports {
namespace {

// A table cell: one line, no column separator.
std::string Cell(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '|') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += ' ';
    } else if (c != '\r') {
      out += c;
    }
  }
  return out.empty() ? "-" : out;
}

// Every line of `text` as a Markdown quote.
std::string Quote(std::string_view text) {
  std::string out = "> ";
  for (char c : text) {
    if (c == '\r') continue;
    out += c;
    if (c == '\n') out += "> ";
  }
  return out + "\n";
}

// Reply and config text is written as received, except that every '<' is
// backslash-escaped (CommonMark) in one last pass: a Markdown viewer that
// passes raw HTML through would otherwise run a reply's "<script>" or load its
// "<img src=...>". The report itself writes no '<'. In a terminal it reads as
// "\<script>", a small price.
std::string NoRawHtml(const std::string& md) {
  std::string out;
  out.reserve(md.size());
  for (char c : md) {
    if (c == '<') out += '\\';
    out += c;
  }
  return out;
}

std::string When(const std::optional<TimePoint>& t, const TimeZone& tz) {
  return t ? FormatHuman(*t, tz) : "-";
}

}  // namespace

void RenderMarkdownTo(const ReportData& data, const TimeZone& tz, TextSink& out) {
  const store::ConsultationState& c = data.consultation;
  // Made in pieces of about 64 KiB, each passed through NoRawHtml into `out`.
  std::string md;
  auto flush = [&md, &out] {
    out += NoRawHtml(md);
    md.clear();
    out.Boundary();
  };
  auto line = [&md, &flush](std::string_view s) {
    md += s;
    md += '\n';
    if (md.size() >= (size_t{64} << 10)) flush();
  };
  line(fmt::format("# BÁO CÁO TỔNG HỢP Ý KIẾN{}", data.provisional ? " (TẠM THỜI)" : ""));
  line("");
  if (data.provisional) {
    line(fmt::format("**{}**", ProvisionalNote(data, tz)));
    line("");
  }
  line(fmt::format("- Số/ký hiệu văn bản: {}", c.reference.empty() ? "-" : c.reference));
  line(fmt::format("- V/v: {}", c.subject));
  line(fmt::format("- Cơ quan xin ý kiến: {}", c.issuer.empty() ? "-" : c.issuer));
  line(fmt::format("- Người ký: {}", c.signer.empty() ? "-" : c.signer));
  line(fmt::format("- Hạn gửi ý kiến: {}", DeadlineWords(c.deadline, tz)));
  if (c.closed) {
    line(fmt::format("- Đã hết hạn; áp dụng lúc {}", When(c.closed_at, tz)));
  }
  line(fmt::format("- Mã đợt: {}; lập lúc {}", c.id, FormatHuman(data.generated_at, tz)));
  line("");

  line("## 1. Số liệu tổng hợp");
  line("");
  line("| Nội dung | Số đơn vị |");
  line("|---|---:|");
  for (const CountRow& r : CountRows(data)) {
    line(fmt::format("| {}{} | {} |", r.sub ? "— " : "", r.label, r.value));
  }
  line("");

  line("## 2. Ý kiến theo đơn vị");
  for (const auto& [group, units] : UnitsByGroup(data)) {
    line("");
    line(fmt::format("### {} ({} đơn vị)", Cell(group), units.size()));
    line("");
    line(
        "| Mã | Đơn vị | Trạng thái | Ý kiến | Kênh | Nhận lúc | Sau hạn | Số lần nhắc | Ghi chú "
        "|");
    line("|---|---|---|---|---|---|---|---:|---|");
    for (const store::UnitState* u : units) {
      line(fmt::format(
          "| {} | {} | {} | {} | {} | {} | {} | {} | {} |", u->code, Cell(u->name),
          VietnameseLabel(u->status), u->stance ? std::string(VietnameseLabel(*u->stance)) : "-",
          u->channel ? std::string(ChannelLabel(*u->channel)) : "-", When(u->replied_at, tz),
          u->late_reply ? "có" : "", u->reminders_sent, Cell(UnitNotes(*u, tz))));
    }
  }
  line("");

  line("## 3. Nội dung ý kiến theo chủ đề");
  int n = 0;
  for (const TopicSection& s : data.sections) {
    line("");
    line(fmt::format("### 3.{}. {}", ++n, Cell(s.topic)));
    line("");
    if (s.paragraphs.empty()) {
      line("_Không có ý kiến._");
      continue;
    }
    for (const QuotedParagraph& p : s.paragraphs) {
      const Reply& r = data.ReplyOf(p);
      line(fmt::format("**{}** ({}{}; {}):", Cell(data.UnitNameOf(p)),
                       FormatHuman(r.received_at, tz), r.late ? ", sau hạn" : "",
                       Cell(OriginalRef(r.id, r.source_ref()))));
      md += Quote(data.TextOf(p));
      line("");
    }
  }
  line("");

  const UnitStatus silent = SilentStatus(c.silence_means);
  line(fmt::format("## 4. {}", SilentListTitle(c.silence_means)));
  line("");
  line(fmt::format("Theo văn bản xin ý kiến: \"{}\"", data.silence_rule));
  line("");
  int silent_count = 0;
  for (const store::UnitState& u : c.units) {
    if (u.status != silent) continue;
    std::string own = UnitDeadlineNote(u, tz);
    line(fmt::format("{}. {} ({}; {}){}", ++silent_count, u.name, u.code, u.group,
                     own.empty() ? "" : ", " + own));
  }
  if (silent_count == 0) {
    line(c.closed ? "_Không có đơn vị nào._" : "_Chưa hết hạn: chưa có đơn vị nào._");
  }
  line("");

  line("## 5. Cần lưu ý");
  line("");
  line("### Đơn vị không nhận được thư thông báo (gửi thư thất bại)");
  line("");
  int failed = 0;
  for (const store::UnitState& u : c.units) {
    if (!u.notice_failed) continue;
    line(fmt::format("- {} ({}; {})", u.name, u.code, u.group));
    ++failed;
  }
  if (failed == 0) line("_Không có._");
  line("");
  if (!data.failed_addresses.empty()) {
    line("### Địa chỉ thư không gửi được");
    line("");
    for (const store::FailedAddress& f : data.failed_addresses) {
      line(fmt::format("- {} ({}), {}: {}", Cell(f.address),
                       f.unit_code.empty() ? "-" : f.unit_code, FormatHuman(f.failed_at, tz),
                       Cell(f.reason)));
    }
    line("");
  }
  line(fmt::format("### Ý kiến chưa xác định được đơn vị ({})", data.unmatched.size()));
  line("");
  for (const Reply& r : data.unmatched) {
    line(fmt::format("- số {}, nhận {} qua {}: {} — {}{}", r.id, FormatHuman(r.received_at, tz),
                     ChannelLabel(r.channel),
                     Cell(r.sender().empty() ? r.source_ref() : r.sender()), Cell(r.subject()),
                     r.match_rule().empty() ? "" : " (" + Cell(r.match_rule()) + ")"));
  }
  if (data.unmatched.empty()) line("_Không có._");
  line("");

  line("## 6. Diễn biến theo ngày");
  line("");
  if (data.timeline.empty()) {
    line("_Chưa có ý kiến nào._");
  } else {
    line("| Ngày | Số ý kiến | Trong đó sau hạn |");
    line("|---|---:|---:|");
    for (const DayCount& d : data.timeline) {
      line(fmt::format("| {} | {} | {} |", d.date, d.replies, d.late));
    }
  }
  flush();
}

std::string RenderMarkdown(const ReportData& data, const TimeZone& tz) {
  return Whole([&](TextSink& out) { RenderMarkdownTo(data, tz, out); });
}

}  // namespace tacit::reports
