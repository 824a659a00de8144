// Image files (JPEG, PNG, TIFF with one or more pages) decoded by leptonica
// from memory. The header is read first, so a small file that claims to
// inflate to gigapixels is refused before any pixel is decoded.
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>

#include <fmt/format.h>

#include "ocr/pages.h"

namespace tacit::ocr::internal {
namespace {

constexpr const char kNotAnImage[] = "image: cannot be decoded (not a JPEG, PNG or TIFF image)";

const l_uint8* Data(std::string_view bytes) {
  return reinterpret_cast<const l_uint8*>(bytes.data());
}

Status CheckSize(int w, int h, const Limits& limits) {
  if (w <= 0 || h <= 0) return Status::BadInput(kNotAnImage);
  const std::uint64_t pixels = static_cast<std::uint64_t>(w) * static_cast<std::uint64_t>(h);
  if (pixels > limits.max_pixels) {
    return Status::BadInput(fmt::format("image: {}x{} pixels (limit {})", w, h, limits.max_pixels));
  }
  return Status::Ok();
}

bool IsTiff(l_int32 format) {
  return format == IFF_TIFF || format == IFF_TIFF_PACKBITS || format == IFF_TIFF_RLE ||
         format == IFF_TIFF_G3 || format == IFF_TIFF_G4 || format == IFF_TIFF_LZW ||
         format == IFF_TIFF_ZIP || format == IFF_TIFF_JPEG;
}

bool Supported(l_int32 format) {
  return format == IFF_JFIF_JPEG || format == IFF_PNG || IsTiff(format);
}

class ImagePages final : public PageSource {
 public:
  ImagePages(std::string_view bytes, bool tiff, int pages)
      : bytes_(bytes), tiff_(tiff), pages_(pages) {}

  int count() const override { return pages_; }

  Result<Page> Get(int index, const Limits& limits) override {
    l_int32 w = 0, h = 0, bps = 0, spp = 0, res = 0, cmap = 0, format = 0;
    PixPtr pix;
    if (tiff_) {
      if (readHeaderMemTiff(Data(bytes_), bytes_.size(), index, &w, &h, &bps, &spp, &res, &cmap,
                            &format) != 0) {
        return Status::BadInput(kNotAnImage);
      }
      if (Status s = CheckSize(w, h, limits); !s.ok()) return s;
      pix.reset(pixReadMemTiff(Data(bytes_), bytes_.size(), index));
    } else {
      if (pixReadHeaderMem(Data(bytes_), bytes_.size(), &format, &w, &h, &bps, &spp, &cmap) != 0) {
        return Status::BadInput(kNotAnImage);
      }
      if (Status s = CheckSize(w, h, limits); !s.ok()) return s;
      pix.reset(pixReadMem(Data(bytes_), bytes_.size()));
    }
    if (!pix) return Status::BadInput(kNotAnImage);
    Page page;
    page.dpi = pixGetXRes(pix.get());
    page.pix = ForTesseract(std::move(pix));
    if (!page.pix) return Status::BadInput(kNotAnImage);
    return page;
  }

 private:
  std::string_view bytes_;
  bool tiff_;
  int pages_;
};

}  // namespace

void SilenceLibraries() {
  static std::once_flag once;
  std::call_once(once, [] { setMsgSeverity(L_SEVERITY_NONE); });
}

PixPtr ForTesseract(PixPtr pix) {
  if (!pix) return pix;
  if (pixGetColormap(pix.get()) != nullptr) {
    pix.reset(pixRemoveColormap(pix.get(), REMOVE_CMAP_BASED_ON_SRC));
    if (!pix) return pix;
  }
  const l_int32 depth = pixGetDepth(pix.get());
  if (depth == 1 || depth == 8 || depth == 32) return pix;
  return PixPtr(pixConvertTo8(pix.get(), 0));
}

Result<std::unique_ptr<PageSource>> OpenImage(std::string_view bytes, const Limits& limits) {
  SilenceLibraries();
  l_int32 format = IFF_UNKNOWN;
  if (bytes.size() < 8 || findFileFormatBuffer(Data(bytes), &format) != 0 || !Supported(format)) {
    return Status::BadInput(kNotAnImage);
  }
  int pages = 1;
  const bool tiff = IsTiff(format);
  if (tiff) {
    // Count the pages from their headers, a few past the limit at most.
    pages = 0;
    l_int32 w, h, bps, spp, res, cmap, f;
    while (pages <= limits.max_pages && readHeaderMemTiff(Data(bytes), bytes.size(), pages, &w, &h,
                                                          &bps, &spp, &res, &cmap, &f) == 0) {
      ++pages;
    }
    if (pages == 0) return Status::BadInput(kNotAnImage);
  }
  return std::unique_ptr<PageSource>(std::make_unique<ImagePages>(bytes, tiff, pages));
}

}  // namespace tacit::ocr::internal
