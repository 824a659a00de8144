// ExtractPdfInProcess: the text layer of a PDF, read from memory with poppler-cpp.
#include "extract/pdf.h"

#include <algorithm>
#include <exception>
#include <memory>
#include <string>
#include <string_view>

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-page.h>
#include <poppler/cpp/poppler-rectangle.h>

#include "core/status.h"
#include "extract/extract.h"
#include "extract/pdf_document.h"
#include "text/normalize.h"

namespace tacit::extract {
namespace {

constexpr char kSpace[] = " \t\r\n\f\v";

}  // namespace

Result<Extracted> ExtractPdfInProcess(std::string_view bytes, const Limits& limits) {
  // `bytes` outlives `doc` here (poppler does not copy them).
  Result<std::unique_ptr<poppler::document>> opened = OpenPdfDocument(bytes);
  if (!opened) return opened.error();
  std::unique_ptr<poppler::document> doc = std::move(*opened);
  // Poppler is C++ that may throw (std::bad_alloc on a hostile file): keep it
  // inside this adapter.
  try {
    const int pages = doc->pages();

    Extracted result;
    result.encoding = "pdf";
    result.has_text_layer = false;
    std::string text;
    const int last = std::min(pages, limits.max_pdf_pages);
    for (int i = 0; i < last; ++i) {
      if (i > 0) text.push_back('\n');  // a blank line between pages
      std::unique_ptr<poppler::page> page(doc->create_page(i));
      if (!page) continue;
      // Reading order rather than physical layout: the two blocks of a
      // Vietnamese letterhead (the unit on the left, the national motto on
      // the right) come out as separate lines instead of being interleaved.
      const poppler::byte_array utf8 =
          page->text(poppler::rectf(), poppler::page::non_raw_non_physical_layout).to_utf8();
      const std::string_view page_text(utf8.data(), utf8.size());
      // Poppler ends each page with blank lines and a form feed; one newline will do.
      const size_t end = page_text.find_last_not_of(kSpace);
      if (end == std::string_view::npos) continue;
      result.has_text_layer = true;
      text.append(page_text.substr(0, end + 1));
      text.push_back('\n');
    }
    // Whitespace alone is no text: leave nothing for matching to trip on.
    if (result.has_text_layer) result.text = text::Nfc(text);
    return result;
  } catch (const std::exception& e) {
    return Status::BadInput(std::string("pdf: cannot be read: ") + e.what());
  }
}

}  // namespace tacit::extract
