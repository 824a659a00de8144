// PDF pages rendered by poppler-cpp into 8-bit grey leptonica images, at
// Limits::pdf_dpi or, for a page that would exceed Limits::max_pixels, at the
// highest resolution that fits.
#include <algorithm>
#include <cmath>
#include <exception>
#include <memory>
#include <string>

#include <fmt/format.h>
#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-page.h>

#include "extract/pdf_document.h"
#include "ocr/pages.h"

namespace tacit::ocr::internal {
namespace {

// Below this a page is not worth reading.
constexpr double kMinDpi = 50;

class PdfPages final : public PageSource {
 public:
  explicit PdfPages(std::unique_ptr<poppler::document> doc) : doc_(std::move(doc)) {}

  int count() const override { return doc_->pages(); }

  Result<Page> Get(int index, const Limits& limits) override {
    try {
      std::unique_ptr<poppler::page> page(doc_->create_page(index));
      if (!page) return Status::BadInput(fmt::format("pdf: page {} cannot be read", index + 1));
      const poppler::rectf box = page->page_rect(poppler::media_box);
      const double w_in = std::abs(box.width()) / 72.0, h_in = std::abs(box.height()) / 72.0;
      if (!(w_in > 0.1 && h_in > 0.1 && w_in < 200 && h_in < 200)) {
        return Status::BadInput(fmt::format("pdf: page {} has no usable size", index + 1));
      }
      double dpi = limits.pdf_dpi;
      const double fit = std::sqrt(static_cast<double>(limits.max_pixels) / (w_in * h_in));
      dpi = std::min(dpi, std::floor(fit));
      if (dpi < kMinDpi) {
        return Status::BadInput(
            fmt::format("pdf: page {} is {:.0f}x{:.0f} inches: too large", index + 1, w_in, h_in));
      }
      poppler::page_renderer renderer;
      renderer.set_image_format(poppler::image::format_gray8);
      renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
      renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
      const poppler::image img = renderer.render_page(page.get(), dpi, dpi);
      if (!img.is_valid() || img.width() <= 0 || img.height() <= 0) {
        return Status::BadInput(fmt::format("pdf: page {} cannot be rendered", index + 1));
      }
      return ToPix(img, static_cast<int>(dpi));
    } catch (const std::exception& e) {
      return Status::BadInput(
          fmt::format("pdf: page {} cannot be rendered: {}", index + 1, e.what()));
    }
  }

 private:
  static Result<Page> ToPix(const poppler::image& img, int dpi) {
    const int w = img.width(), h = img.height();
    PixPtr pix(pixCreate(w, h, 8));
    if (!pix) return Status::BadInput("pdf: page too large to render");
    const char* src = img.const_data();
    const int stride = img.bytes_per_row();
    l_uint32* data = pixGetData(pix.get());
    const l_int32 wpl = pixGetWpl(pix.get());
    for (int y = 0; y < h; ++y) {
      const auto* row =
          reinterpret_cast<const unsigned char*>(src + static_cast<size_t>(y) * stride);
      l_uint32* line = data + static_cast<size_t>(y) * wpl;
      for (int x = 0; x < w; ++x) SET_DATA_BYTE(line, x, row[x]);
    }
    pixSetResolution(pix.get(), dpi, dpi);
    return Page{std::move(pix), dpi};
  }

  std::unique_ptr<poppler::document> doc_;
};

}  // namespace

Result<std::unique_ptr<PageSource>> OpenPdf(std::string_view bytes) {
  SilenceLibraries();
  SilenceLibraries();
  // The caller keeps `bytes` alive (poppler does not copy them).
  Result<std::unique_ptr<poppler::document>> doc = extract::OpenPdfDocument(bytes);
  if (!doc) return doc.error();
  return std::unique_ptr<PageSource>(std::make_unique<PdfPages>(std::move(*doc)));
}

}  // namespace tacit::ocr::internal
