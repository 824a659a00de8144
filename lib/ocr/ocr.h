// OCR of scanned replies (issue 10): Tesseract's C++ API with Debian's
// Vietnamese language data ("vie"), for images (.jpg/.jpeg/.png/.tif/.tiff,
// decoded by leptonica) and for PDF pages without a text layer (rendered by
// poppler-cpp at 300 dpi).
//
// Every input is hostile: the image header is read before decoding and a page
// over Limits::max_pixels is refused (a PDF page is rendered at a lower
// resolution instead), only Limits::max_pages pages are read, and the whole
// file gets Limits::timeout (Tesseract's deadline). A file that cannot be read
// gets ErrorCode::kBadInput with a one-line, lower-case reason fit for the
// quarantine NAME.reason file. Nothing here throws; leptonica's and poppler's
// messages on stderr are silenced.
//
// An Engine holds one Tesseract instance: not thread-safe, so each worker
// thread owns its own. Engines on different threads may run at once.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/status.h"

namespace tacit::ocr {

struct Limits {
  int max_pages = 20;                                          // later pages are not read
  std::uint64_t max_pixels = 40ull * 1000 * 1000;              // per page (A4 at 600 dpi is 35M)
  std::chrono::milliseconds timeout{std::chrono::minutes{2}};  // per file
  int pdf_dpi = 300;
};

struct OcrResult {
  // UTF-8, NFC; the pages' text in reading order, separated by a blank line.
  std::string text;
  // The letterhead: lines of the first page that lie in its top-left block
  // (top third, left half: "UBND PHƯỜNG …", "TRƯỜNG THCS …"), top to bottom,
  // one per line; NFC. Empty when the layout shows none.
  std::string letterhead;
  // Mean word confidence 0–100, weighted by word length; 0 without words.
  double confidence = 0;
  int pages = 0;           // pages read
  bool timed_out = false;  // Limits::timeout ran out: text is what was read by then
};

// True for .jpg, .jpeg, .png, .tif and .tiff (case-insensitive); `file_name`
// may be a bare name or a path.
bool IsImageName(std::string_view file_name);

// The tessdata folder holding vie.traineddata: $TESSDATA_PREFIX when set
// (itself or its tessdata/ subfolder), else Debian's
// /usr/share/tesseract-ocr/*/tessdata. Empty when none has it.
std::string FindTessdata();

// True when `dir` holds vie.traineddata.
bool HasLanguageData(const std::string& dir);

class Engine {
 public:
  // Loads "vie" from `tessdata` (empty: FindTessdata()). kNotFound when the
  // language data is missing ("install tesseract-ocr-vie"), kIo when
  // Tesseract cannot load it.
  static Result<std::unique_ptr<Engine>> Create(const std::string& tessdata = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Reads an image file's bytes (every page of a multi-page TIFF, up to
  // max_pages). `cancel`, when set and it turns true, stops the work:
  // kCancelled. Errors (kBadInput): "image: cannot be decoded (not a JPEG,
  // PNG or TIFF image)", "image: 30000x30000 pixels (limit 40000000)".
  Result<OcrResult> ReadImage(std::string_view bytes, const Limits& limits,
                              const std::atomic<bool>* cancel = nullptr);
  // Renders and reads a PDF's pages. Errors (kBadInput): "pdf: cannot be
  // opened (damaged or encrypted)", "pdf: is protected by a password",
  // "pdf: has no pages"; kCancelled as above.
  Result<OcrResult> ReadPdf(std::string_view bytes, const Limits& limits,
                            const std::atomic<bool>* cancel = nullptr);

 private:
  struct Impl;
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace tacit::ocr
