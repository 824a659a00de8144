// Small WordprocessingML building blocks for the docx report (issue 11):
// escaped text runs, paragraphs, tables, and the zip package. Not part of the
// library's interface; exposed for render_docx.cc and its tests.
//
// Every element is written in the child order the OOXML schema requires
// (Word refuses some files that LibreOffice opens). Lengths are in twips
// (1/20 pt; 1 mm = 56.7 twips); font sizes in half-points.
#pragma once

#include <ctime>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/text_sink.h"

namespace tacit::reports::ooxml {

inline constexpr const char* kWordNs =
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
inline constexpr const char* kRelNs =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

// `text` as XML character data (also safe in a double-quoted attribute):
// & < > " ' escaped; invalid UTF-8 becomes U+FFFD; characters XML 1.0 forbids
// (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF) and the C1 controls
// and DEL are dropped. Tab, LF and CR are kept as they are.
std::string XmlText(std::string_view text);

// Millimetres to twips, rounded.
// Lengths are never negative, and std::lround is not constexpr in C++20.
constexpr int Mm(double mm) {
  return static_cast<int>(mm * 56.6929 + 0.5);  // NOLINT(bugprone-incorrect-roundings)
}

struct RunProps {
  bool bold = false;
  bool italic = false;
  int half_points = 0;  // 0: the paragraph style's size
};

// One run of `text`: a line break (LF, CR or CRLF) becomes <w:br/>, a tab
// <w:tab/>; spaces are preserved. Empty text gives an empty string.
std::string Run(std::string_view text, const RunProps& props = {});

struct ParaProps {
  std::string style = {};  // a styleId from styles.xml; empty: Normal
  bool keep_next = false;
  bool page_break_before = false;
  bool rule_above = false;  // a thin line along the top (used for short rules)
  int before = -1, after = -1;
  int line = -1;  // line spacing in 240ths of a line ("auto")
  int left = 0, right = 0;
  int first_line = -1;
  std::string jc = {};  // "center", "both", "left", "right"; empty: the style's
  int mark_size = 0;    // half-points of the paragraph mark (tiny rule paragraphs)
};

// <w:p> with `props` around `runs` (already built with Run()).
std::string Paragraph(const ParaProps& props, const std::string& runs);

struct Cell {
  int width = 0;
  std::string content = {};  // paragraphs; a cell must hold at least one
  bool center_vertically = false;
  int span = 1;  // grid columns this cell covers; `width` is their sum
};

struct TableProps {
  std::vector<int> grid = {};  // column widths
  bool borders = false;        // single lines around every cell, or none at all
  int indent = 0;              // from the left margin; may be negative
  int cell_margin = 57;        // left and right padding of every cell
  int header_rows = 0;         // rows repeated at the top of each page
};

// A fixed-layout table; the spans of every row's cells must add up to grid.size().
std::string Table(const TableProps& props, const std::vector<std::vector<Cell>>& rows);
// The same in pieces, for a table too long to hold (100,000 rows): TableStart,
// then TableRow for row 0, 1, … (`index` decides the header rows), then
// kTableEnd.
std::string TableStart(const TableProps& props);
std::string TableRow(const TableProps& props, size_t index, const std::vector<Cell>& cells);
inline constexpr std::string_view kTableEnd = "</w:tbl>";

struct Part {
  std::string name;  // path inside the package, e.g. "word/document.xml"
  std::string content;
  // Instead of `content`: writes the part as it goes. ZipPackage runs it on
  // a thread of its own and compresses its chunks as they come, so that a
  // document.xml of hundreds of megabytes (100,000 units) is never in memory
  // whole.
  std::function<void(TextSink&)> stream = {};
};

// The XML declaration, then `root` (the opening tag with its namespaces) and `rest`.
std::string XmlPart(std::string_view root, std::string_view rest);

// The parts of tacit's .docx that do not depend on the report, in package
// order: [Content_Types].xml, _rels/.rels, word/_rels/document.xml.rels
// (rId1 styles, rId2 settings, rId3 the header with the page number, rId4
// the empty first-page header), the styles, settings, both headers and
// docProps/app.xml. word/document.xml and docProps/core.xml are added by
// the renderer.
std::vector<Part> DocxFixedParts();

// A zip package (deflated, entries in the given order, every entry stamped
// with `mtime` so that the same parts give the same bytes), built in memory.
Result<std::string> ZipPackage(const std::vector<Part>& parts, std::time_t mtime);

}  // namespace tacit::reports::ooxml
