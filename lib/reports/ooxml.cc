#include "reports/ooxml.h"

#include <fmt/format.h>
#include <utf8proc.h>
#include <zip.h>

namespace tacit::reports::ooxml {
namespace {

bool AllowedInXml(utf8proc_int32_t cp) {
  if (cp == '\t' || cp == '\n' || cp == '\r') return true;
  if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) return false;
  return cp != 0xFFFE && cp != 0xFFFF;
}

// The twips value of an optional property, or nothing when unset (< 0).
std::string Attr(std::string_view name, int value) {
  return value < 0 ? std::string() : fmt::format(" w:{}=\"{}\"", name, value);
}

std::string Borders(std::string_view element, bool on) {
  std::string out = fmt::format("<w:{}>", element);
  for (const char* side : {"top", "left", "bottom", "right", "insideH", "insideV"}) {
    out += on ? fmt::format(R"(<w:{} w:val="single" w:sz="4" w:space="0" w:color="000000"/>)", side)
              : fmt::format(R"(<w:{} w:val="nil"/>)", side);
  }
  return out + fmt::format("</w:{}>", element);
}

std::string ZipFailure(std::string_view what, zip_error_t* error) {
  return fmt::format("docx: {}: {}", what, zip_error_strerror(error));
}

}  // namespace

std::string XmlText(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  size_t pos = 0;
  while (pos < text.size()) {
    utf8proc_int32_t cp = 0;
    utf8proc_ssize_t n =
        utf8proc_iterate(bytes + pos, static_cast<utf8proc_ssize_t>(text.size() - pos), &cp);
    if (n <= 0) {  // an invalid sequence: one byte becomes U+FFFD
      out += "\xEF\xBF\xBD";
      ++pos;
      continue;
    }
    const std::string_view encoded = text.substr(pos, static_cast<size_t>(n));
    pos += static_cast<size_t>(n);
    if (!AllowedInXml(cp)) continue;
    switch (cp) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += encoded;
    }
  }
  return out;
}

std::string Run(std::string_view text, const RunProps& props) {
  if (text.empty()) return "";
  std::string r = "<w:r>";
  if (props.bold || props.italic || props.half_points > 0) {
    r += "<w:rPr>";
    if (props.bold) r += "<w:b/><w:bCs/>";
    if (props.italic) r += "<w:i/><w:iCs/>";
    if (props.half_points > 0) {
      r += fmt::format(R"(<w:sz w:val="{0}"/><w:szCs w:val="{0}"/>)", props.half_points);
    }
    r += "</w:rPr>";
  }
  std::string pending;  // text not yet written, already escaped
  auto flush = [&] {
    if (!pending.empty()) r += "<w:t xml:space=\"preserve\">" + pending + "</w:t>";
    pending.clear();
  };
  const std::string escaped = XmlText(text);
  for (size_t i = 0; i < escaped.size(); ++i) {
    const char c = escaped[i];
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < escaped.size() && escaped[i + 1] == '\n') ++i;
      flush();
      r += "<w:br/>";
    } else if (c == '\t') {
      flush();
      r += "<w:tab/>";
    } else {
      pending += c;
    }
  }
  flush();
  return r + "</w:r>";
}

std::string Paragraph(const ParaProps& p, const std::string& runs) {
  std::string ppr;
  if (!p.style.empty()) ppr += fmt::format(R"(<w:pStyle w:val="{}"/>)", XmlText(p.style));
  if (p.keep_next) ppr += "<w:keepNext/>";
  if (p.page_break_before) ppr += "<w:pageBreakBefore/>";
  if (p.rule_above) {
    ppr += R"(<w:pBdr><w:top w:val="single" w:sz="6" w:space="1" w:color="000000"/></w:pBdr>)";
  }
  if (p.before >= 0 || p.after >= 0 || p.line >= 0) {
    ppr += "<w:spacing" + Attr("before", p.before) + Attr("after", p.after) + Attr("line", p.line) +
           (p.line >= 0 ? R"( w:lineRule="auto")" : "") + "/>";
  }
  if (p.left != 0 || p.right != 0 || p.first_line >= 0) {
    ppr += "<w:ind" + Attr("left", p.left) + Attr("right", p.right) +
           Attr("firstLine", p.first_line) + "/>";
  }
  if (!p.jc.empty()) ppr += fmt::format(R"(<w:jc w:val="{}"/>)", p.jc);
  if (p.mark_size > 0) {
    ppr += fmt::format(R"(<w:rPr><w:sz w:val="{0}"/><w:szCs w:val="{0}"/></w:rPr>)", p.mark_size);
  }
  std::string out = "<w:p>";
  if (!ppr.empty()) out += "<w:pPr>" + ppr + "</w:pPr>";
  return out + runs + "</w:p>";
}

std::string Table(const TableProps& props, const std::vector<std::vector<Cell>>& rows) {
  int total = 0;
  for (int w : props.grid) total += w;
  std::string t = "<w:tbl><w:tblPr>";
  t += fmt::format(R"(<w:tblW w:w="{}" w:type="dxa"/>)", total);
  t += fmt::format(R"(<w:tblInd w:w="{}" w:type="dxa"/>)", props.indent);
  t += Borders("tblBorders", props.borders);
  t += R"(<w:tblLayout w:type="fixed"/>)";
  t += fmt::format(
      R"(<w:tblCellMar><w:left w:w="{0}" w:type="dxa"/><w:right w:w="{0}" w:type="dxa"/>)"
      "</w:tblCellMar>",
      props.cell_margin);
  t += R"(<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" )"
       R"(w:lastColumn="0" w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>)";
  for (int w : props.grid) t += fmt::format(R"(<w:gridCol w:w="{}"/>)", w);
  t += "</w:tblGrid>";
  for (size_t i = 0; i < rows.size(); ++i) {
    t += "<w:tr>";
    if (static_cast<int>(i) < props.header_rows) t += "<w:trPr><w:tblHeader/></w:trPr>";
    for (const Cell& c : rows[i]) {
      t += fmt::format(R"(<w:tc><w:tcPr><w:tcW w:w="{}" w:type="dxa"/>{}{}</w:tcPr>)", c.width,
                       c.span > 1 ? fmt::format(R"(<w:gridSpan w:val="{}"/>)", c.span) : "",
                       c.center_vertically ? R"(<w:vAlign w:val="center"/>)" : "");
      t += c.content.empty() ? Paragraph({}, "") : c.content;
      t += "</w:tc>";
    }
    t += "</w:tr>";
  }
  return t + "</w:tbl>";
}

Result<std::string> ZipPackage(const std::vector<Part>& parts, std::time_t mtime) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* buffer = zip_source_buffer_create(nullptr, 0, 0, &error);
  zip_t* archive = buffer ? zip_open_from_source(buffer, ZIP_TRUNCATE, &error) : nullptr;
  if (archive == nullptr) {
    std::string why = ZipFailure("cannot create the package", &error);
    if (buffer) zip_source_free(buffer);
    zip_error_fini(&error);
    return Status::Io(why);
  }
  zip_error_fini(&error);
  zip_source_keep(buffer);  // read back after zip_close
  auto give_up = [&](const std::string& why) {
    zip_discard(archive);
    zip_source_free(buffer);
    return Status::Io(why);
  };
  for (const Part& p : parts) {
    zip_source_t* source = zip_source_buffer(archive, p.content.data(), p.content.size(), 0);
    const zip_int64_t index = source ? zip_file_add(archive, p.name.c_str(), source, 0) : -1;
    if (index < 0) {
      if (source) zip_source_free(source);
      return give_up(fmt::format("docx: cannot add {}: {}", p.name, zip_strerror(archive)));
    }
    const auto i = static_cast<zip_uint64_t>(index);
    if (zip_set_file_compression(archive, i, ZIP_CM_DEFLATE, 9) != 0 ||
        zip_file_set_mtime(archive, i, mtime, 0) != 0) {
      return give_up(fmt::format("docx: {}: {}", p.name, zip_strerror(archive)));
    }
  }
  if (zip_close(archive) != 0) {
    return give_up(fmt::format("docx: cannot write the package: {}", zip_strerror(archive)));
  }
  std::string out;
  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_source_stat(buffer, &stat) == 0 && zip_source_open(buffer) == 0) {
    out.resize(stat.size);
    const zip_int64_t n = zip_source_read(buffer, out.data(), stat.size);
    zip_source_close(buffer);
    out.resize(n > 0 ? static_cast<size_t>(n) : 0);
  }
  zip_source_free(buffer);
  if (out.empty()) return Status::Io("docx: cannot read the package back from memory");
  return out;
}

}  // namespace tacit::reports::ooxml
