// The light half of lib/ocr, linked into tacitd: which files are scans, where
// the language data is, and OCR through the tacit-extract helper (ReadRemote).
// Tesseract itself (engine.cc, images.cc, pdf_pages.cc) runs in the helper.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "extract/extract.h"
#include "extract/helper.h"
#include "ocr/ocr.h"
#include "ocr/remote.h"

namespace tacit::ocr {
namespace fs = std::filesystem;
using nlohmann::json;

bool IsImageName(std::string_view name) {
  const size_t slash = name.find_last_of('/');
  if (slash != std::string_view::npos) name.remove_prefix(slash + 1);
  for (std::string_view ext : {".jpg", ".jpeg", ".png", ".tif", ".tiff"}) {
    if (extract::EndsWithNoCase(name, ext)) return true;
  }
  return false;
}

bool HasLanguageData(const std::string& dir) {
  std::error_code ec;
  return !dir.empty() && fs::is_regular_file(fs::path(dir) / "vie.traineddata", ec);
}

std::string FindTessdata() {
  std::error_code ec;
  if (const char* env = std::getenv("TESSDATA_PREFIX"); env != nullptr && *env != '\0') {
    const fs::path prefix(env);
    if (HasLanguageData(prefix)) return prefix.string();
    if (HasLanguageData(prefix / "tessdata")) return (prefix / "tessdata").string();
    return {};  // an explicit setting is not second-guessed
  }
  const fs::path debian = "/usr/share/tesseract-ocr";
  std::vector<fs::path> found;
  for (const auto& entry : fs::directory_iterator(debian, ec)) {
    if (HasLanguageData(entry.path() / "tessdata")) found.push_back(entry.path() / "tessdata");
  }
  if (found.empty()) return {};
  std::sort(found.begin(), found.end());
  return found.back().string();  // the newest version folder
}

json RemoteRequest(bool pdf, const Limits& limits, const std::string& tessdata) {
  return json{{"op", pdf ? "ocr-pdf" : "ocr-image"}, {"max_pages", limits.max_pages},
              {"max_pixels", limits.max_pixels},     {"timeout_ms", limits.timeout.count()},
              {"pdf_dpi", limits.pdf_dpi},           {"tessdata", tessdata}};
}

Limits LimitsOfRequest(const json& request) {
  Limits limits;
  limits.max_pages = request.value("max_pages", limits.max_pages);
  limits.max_pixels = request.value("max_pixels", limits.max_pixels);
  limits.timeout = std::chrono::milliseconds(request.value("timeout_ms", limits.timeout.count()));
  limits.pdf_dpi = request.value("pdf_dpi", limits.pdf_dpi);
  return limits;
}

json RemoteReply(const OcrResult& r) {
  return json{{"text", r.text},
              {"letterhead", r.letterhead},
              {"confidence", r.confidence},
              {"pages", r.pages},
              {"timed_out", r.timed_out}};
}

Result<OcrResult> ReadRemote(bool pdf, std::string_view bytes, const Limits& limits,
                             const std::string& tessdata, const std::atomic<bool>* cancel) {
  // Tesseract stops itself at limits.timeout; the margin covers loading the
  // language data and rendering the pages.
  const auto timeout = limits.timeout + std::chrono::seconds(60);
  Result<json> reply =
      extract::helper::Call(RemoteRequest(pdf, limits, tessdata), bytes,
                            std::chrono::duration_cast<std::chrono::milliseconds>(timeout),
                            pdf ? "pdf" : "image", cancel);
  if (!reply) return reply.error();
  OcrResult r;
  r.text = reply->value("text", std::string());
  r.letterhead = reply->value("letterhead", std::string());
  r.confidence = reply->value("confidence", 0.0);
  r.pages = reply->value("pages", 0);
  r.timed_out = reply->value("timed_out", false);
  return r;
}

}  // namespace tacit::ocr
