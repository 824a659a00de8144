// Text extraction for files dropped into the drop folder (SPEC §3): plain text
// (UTF-8, UTF-16 with a byte order mark, windows-1258), Word .docx (libzip +
// pugixml) and .pdf (poppler-cpp). The text feeds matching and stance, so it
// comes back as UTF-8 in NFC whatever the file used.
//
// These functions only look at bytes the caller has already read: the caller
// opens the file safely (no symlinks, FIFOs or devices, size checked). Every
// input is hostile until proven otherwise: a .docx is inflated with size and
// ratio limits counted while reading (declared sizes can lie), XML is parsed
// without DTDs or entities, and a damaged PDF is refused rather than crashing.
// A refused file gets ErrorCode::kBadInput with a one-line, lower-case reason
// fit for the quarantine NAME.reason file. Nothing here throws.
//
// All functions are safe to call from several threads at once on different
// inputs (the PDF work is meant to run in a small pool, STYLE §5.6).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/status.h"

namespace tacit::extract {

// Bounds on what one file may cost. The defaults match drop_folder.max_bytes.
struct Limits {
  std::uint64_t max_bytes = 50ull << 20;          // input file size
  std::uint64_t max_uncompressed = 100ull << 20;  // total inflated bytes read from a .docx
  double max_ratio = 100.0;                       // inflated/compressed per zip entry
  int max_pdf_pages = 200;                        // later pages are not read
};

enum class Kind { kText, kDocx, kPdf, kEml, kOther };

// The kind of a file from its name's extension, case-insensitive: .txt and
// .text are kText, .docx kDocx, .pdf kPdf, .eml kEml; anything else (no
// extension, .doc, .jpg, a dot only in a folder name) is kOther. `file_name`
// may be a bare name or a path.
Kind KindOf(std::string_view file_name);

// True when `name` ends with `suffix` (given in lower case), ASCII
// case-insensitive: ".PDF" ends with ".pdf".
bool EndsWithNoCase(std::string_view name, std::string_view suffix);

struct Extracted {
  std::string text;      // UTF-8, NFC
  std::string encoding;  // "utf-8", "utf-16le", "utf-16be", "windows-1258", "docx", "pdf"
  // False for a PDF where no page read yields anything but whitespace: a scan,
  // to be read by OCR (another issue). Always true for the other kinds.
  bool has_text_layer = true;
};

// Extracts the text of a file of `kind` from its bytes.
//
// Errors:
// - kBadInput: the file is refused; the message is one line saying why, e.g.
//   "file is 60000000 bytes (limit 52428800)",
//   "docx: word/document.xml inflates 1031x (limit 100x): refused as a zip bomb",
//   "docx: has no word/document.xml (not a Word document)",
//   "text is not valid UTF-8, UTF-16 or windows-1258",
//   "pdf: cannot be opened (damaged or encrypted)".
// - kNotFound for kEml: "eml extraction is not built in yet". Mail files go
//   through the MIME code (lib/mail) instead; the caller should route them
//   there, and this code tells it that it forgot.
// - kNotFound for kOther: "no text extractor for this file type". The caller
//   records such a file as a reply without text (stance unknown).
//
// In a .docx, text comes from word/document.xml, preceded by the page headers
// (word/headerN.xml) and followed by footnotes and endnotes when present. A
// paragraph is a line; runs are joined; <w:tab/> is a tab and <w:br/> a line
// break; a table row is one line with its cells separated by tabs (paragraphs
// inside a cell are joined by spaces). Deleted text of tracked changes and the
// fallback copy of text boxes are left out.
//
// In a .pdf, pages (at most limits.max_pdf_pages, the rest are ignored) are
// read in reading order and separated by a blank line. A PDF without a text
// layer is not an error: it comes back with has_text_layer = false.
Result<Extracted> ExtractText(Kind kind, std::string_view bytes, const Limits& limits = {});

// Decodes a text file. A UTF-8 byte order mark is stripped; UTF-16LE and
// UTF-16BE need theirs. Without a BOM, valid UTF-8 is taken as UTF-8 and
// anything else as windows-1258 (the legacy Vietnamese code page, with tone
// marks as combining characters; composed to NFC here). The result must not
// hold control characters other than tab, CR, LF and form feed — a NUL byte
// means binary data, not text.
//
// Errors (kBadInput): "text is not valid UTF-8, UTF-16 or windows-1258";
// "text contains control character U+0000: binary data is not text" (with the
// first such character). kIo when this system's iconv has no windows-1258
// (glibc's gconv modules missing): not the file's fault, so not quarantined.
Result<Extracted> DecodeText(std::string_view bytes);

}  // namespace tacit::extract
