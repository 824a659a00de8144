#include "extract/pdf_document.h"

#include <climits>
#include <exception>
#include <mutex>
#include <string>

#include <poppler/cpp/poppler-global.h>

namespace tacit::extract {
namespace {

void IgnorePopplerMessage(const std::string& /*message*/, void* /*closure*/) {}

void SilencePoppler() {
  static std::once_flag once;
  std::call_once(once, [] { poppler::set_debug_error_function(&IgnorePopplerMessage, nullptr); });
}

}  // namespace

Result<std::unique_ptr<poppler::document>> OpenPdfDocument(std::string_view bytes) {
  SilencePoppler();
  if (bytes.size() > static_cast<size_t>(INT_MAX)) return Status::BadInput("pdf: too large");
  // Poppler is C++ that may throw (std::bad_alloc on a hostile file): keep it
  // inside this adapter.
  try {
    std::unique_ptr<poppler::document> doc(
        poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
    if (!doc) return Status::BadInput("pdf: cannot be opened (damaged or encrypted)");
    if (doc->is_locked()) return Status::BadInput("pdf: is protected by a password");
    if (doc->pages() <= 0) return Status::BadInput("pdf: has no pages");
    return doc;
  } catch (const std::exception& e) {
    return Status::BadInput(std::string("pdf: cannot be read: ") + e.what());
  }
}

}  // namespace tacit::extract
