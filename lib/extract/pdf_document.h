// Opening a PDF held in memory with poppler-cpp, shared by the text-layer
// extractor (extract/pdf.cc) and the OCR page renderer (ocr/pdf_pages.cc), so
// both refuse the same files with the same words.
#pragma once

#include <memory>
#include <string_view>

#include <poppler/cpp/poppler-document.h>

#include "core/status.h"

namespace tacit::extract {

// The document, with poppler's stderr chatter silenced (a damaged file would
// otherwise flood the journal; its fate is told by the return value). kBadInput
// for a file that is too large, damaged, encrypted, locked or has no pages.
// poppler does not copy `bytes`: they must outlive the document.
Result<std::unique_ptr<poppler::document>> OpenPdfDocument(std::string_view bytes);

}  // namespace tacit::extract
