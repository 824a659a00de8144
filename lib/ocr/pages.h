// The pages of a file as leptonica images, for engine.cc only: decoded from
// an image file (images.cc) or rendered from a PDF (pdf_pages.cc). Each page
// is produced when asked for, so a file of 200 pages never holds 200 bitmaps.
#pragma once

#include <memory>
#include <string_view>

#include <leptonica/allheaders.h>

#include "core/status.h"
#include "ocr/ocr.h"

namespace tacit::ocr::internal {

struct PixDeleter {
  void operator()(Pix* pix) const { pixDestroy(&pix); }
};
using PixPtr = std::unique_ptr<Pix, PixDeleter>;

// One page, ready for Tesseract (1, 8 or 32 bits per pixel, no colour map).
struct Page {
  PixPtr pix;
  int dpi = 0;  // 0 when the file does not say
};

class PageSource {
 public:
  virtual ~PageSource() = default;
  virtual int count() const = 0;  // pages in the file (may exceed max_pages)
  // Page `index` (0-based); kBadInput when it cannot be decoded or is too big.
  virtual Result<Page> Get(int index, const Limits& limits) = 0;
};

// Messages from leptonica go nowhere (a damaged file would flood
// the journal); the file's fate is told by return values. Idempotent.
void SilenceLibraries();

// `bytes` must outlive the result. kBadInput when the bytes are no image.
Result<std::unique_ptr<PageSource>> OpenImage(std::string_view bytes, const Limits& limits);
Result<std::unique_ptr<PageSource>> OpenPdf(std::string_view bytes);

// Converts to a depth Tesseract takes; null when leptonica cannot.
PixPtr ForTesseract(PixPtr pix);

}  // namespace tacit::ocr::internal
