// The extractors behind ExtractText, one per file kind, for extract.cc only.
// Each takes bytes already checked against Limits::max_bytes and follows the
// contract of ExtractText in extract.h.
#pragma once

#include <string_view>

#include "core/status.h"
#include "extract/extract.h"

namespace tacit::extract::internal {

// word/document.xml (with headers, footnotes and endnotes) of a .docx.
Result<Extracted> ExtractDocx(std::string_view bytes, const Limits& limits);

}  // namespace tacit::extract::internal
