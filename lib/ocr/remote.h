// OCR in the tacit-extract helper (see extract/helper.h for why and how):
// tacitd calls ReadRemote; the helper turns the request back into Limits with
// LimitsOfRequest, reads with an Engine and answers with RemoteReply. Library
// tacit_ocr_files (no Tesseract in it).
#pragma once

#include <atomic>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "ocr/ocr.h"

namespace tacit::ocr {

// Reads an image (pdf false) or a PDF's pages (pdf true) like
// Engine::ReadImage/ReadPdf, in a helper process. `tessdata` empty: the
// helper's FindTessdata(). Errors: those of the Engine, and those of
// extract::helper::Call ("image: the reader crashed (signal 11, …): refused",
// kTransient when the helper cannot run, kCancelled).
Result<OcrResult> ReadRemote(bool pdf, std::string_view bytes, const Limits& limits,
                             const std::string& tessdata, const std::atomic<bool>* cancel);

// The wire, both ends.
nlohmann::json RemoteRequest(bool pdf, const Limits& limits, const std::string& tessdata);
Limits LimitsOfRequest(const nlohmann::json& request);
nlohmann::json RemoteReply(const OcrResult& result);

}  // namespace tacit::ocr
