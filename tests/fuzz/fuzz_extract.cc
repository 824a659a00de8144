// libFuzzer target: text extraction of dropped files (lib/extract): the first
// byte picks the kind (text, .docx, .pdf), the rest is the file. Small limits
// so that the zip-bomb and page limits are reached too. PDFs are read here
// with poppler, as the tacit-extract helper reads them (ExtractText would
// hand them to a helper process).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "extract/extract.h"
#include "extract/pdf.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  tacit::extract::Kind kind = tacit::extract::Kind::kText;
  switch (data[0] % 3) {
    case 0: kind = tacit::extract::Kind::kText; break;
    case 1: kind = tacit::extract::Kind::kDocx; break;
    default: kind = tacit::extract::Kind::kPdf; break;
  }
  tacit::extract::Limits limits;
  limits.max_bytes = 1 << 20;
  limits.max_uncompressed = 4 << 20;
  limits.max_pdf_pages = 5;
  tacit::Result<tacit::extract::Extracted> r =
      kind == tacit::extract::Kind::kPdf ? tacit::extract::ExtractPdfInProcess(bytes, limits)
                                         : tacit::extract::ExtractText(kind, bytes, limits);
  if (!r && r.error().message().find('\n') != std::string::npos) {
    std::abort();  // a refusal is one line (it becomes a .reason file)
  }
  return 0;
}
