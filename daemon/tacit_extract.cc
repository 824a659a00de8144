// tacit-extract: tacitd's helper process for PDFs and scans (wiring only; the
// why and the protocol are in lib/extract/helper.h). Started by tacitd as
//   tacit-extract --serve --idle-seconds N
// with a socket on stdin and stdout; it answers requests until tacitd closes
// the socket or none comes for N seconds. Not meant to be run by hand.
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string>
#include <string_view>

#include <sys/resource.h>

#include "core/log.h"
#include "extract/helper.h"
#include "extract/pdf.h"
#include "ocr/ocr.h"
#include "ocr/remote.h"

namespace {

using nlohmann::json;
using tacit::Result;
using tacit::Status;

// A hostile file may not take the machine's memory: 4 GiB of address space is
// several times what Tesseract needs for a 40-Mpixel page (the largest it is
// given) and poppler for a page at 300 dpi. Beyond it an allocation fails and
// the file is refused, or the reader dies: refused too (helper.h). Not under
// AddressSanitizer, which reserves terabytes of shadow memory.
constexpr rlim_t kMaxAddressSpace = rlim_t{4} << 30;

// One Tesseract engine, loaded at the first scan and kept while the helper lives.
std::unique_ptr<tacit::ocr::Engine> g_engine;
std::string g_engine_tessdata;

Result<json> Handle(const json& request, std::string_view payload) {
  const std::string op = request.value("op", std::string());
  if (op == "pdf-text") {
    tacit::extract::Limits limits;
    limits.max_pdf_pages = request.value("max_pdf_pages", limits.max_pdf_pages);
    Result<tacit::extract::Extracted> r = tacit::extract::ExtractPdfInProcess(payload, limits);
    if (!r) return r.error();
    return tacit::extract::helper::PdfTextReply(*r);
  }
  if (op == "ocr-pdf" || op == "ocr-image") {
    const std::string tessdata = request.value("tessdata", std::string());
    if (!g_engine || tessdata != g_engine_tessdata) {
      g_engine.reset();
      Result<std::unique_ptr<tacit::ocr::Engine>> e = tacit::ocr::Engine::Create(tessdata);
      if (!e) return e.error();
      g_engine = std::move(*e);
      g_engine_tessdata = tessdata;
    }
    const tacit::ocr::Limits limits = tacit::ocr::LimitsOfRequest(request);
    Result<tacit::ocr::OcrResult> r =
        op == "ocr-pdf" ? g_engine->ReadPdf(payload, limits) : g_engine->ReadImage(payload, limits);
    if (!r) return r.error();
    return tacit::ocr::RemoteReply(*r);
  }
  return Status::Io("tacit-extract: unknown request \"" + op + "\"");
}

}  // namespace

int main(int argc, char** argv) {
  int idle_seconds = tacit::extract::helper::kIdleSeconds;
  bool serve = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--serve") {
      serve = true;
    } else if (arg == "--idle-seconds" && i + 1 < argc) {
      idle_seconds = std::atoi(argv[++i]);
    } else {
      serve = false;
      break;
    }
  }
  if (!serve || idle_seconds <= 0) {
    std::fputs(
        "usage: tacit-extract --serve [--idle-seconds N]\n"
        "tacitd's helper for PDFs and scans; tacitd starts it, it is not run by hand.\n",
        stderr);
    return 2;
  }
#if !defined(__SANITIZE_ADDRESS__)
  const rlimit limit{kMaxAddressSpace, kMaxAddressSpace};
  if (::setrlimit(RLIMIT_AS, &limit) != 0) std::perror("tacit-extract: setrlimit");
#endif
  try {
    return tacit::extract::helper::Serve(Handle, idle_seconds);
  } catch (const std::exception& e) {  // the readers promise not to throw; belt and braces
    tacit::log::Error("tacit-extract: {}", e.what());
    return 3;
  }
}
