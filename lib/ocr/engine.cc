// Engine: one Tesseract instance reading pages of an image or a PDF, with a
// deadline per file and a cancel flag, plus the letterhead from the layout.
#include <algorithm>
#include <chrono>
#include <exception>
#include <memory>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <tesseract/baseapi.h>
#include <tesseract/ocrclass.h>
#include <tesseract/resultiterator.h>

#include "ocr/ocr.h"
#include "ocr/pages.h"
#include "text/normalize.h"

namespace tacit::ocr {
using internal::Page;
using internal::PageSource;
using Clock = std::chrono::steady_clock;

namespace {

constexpr char kLanguage[] = "vie";
// Resolution assumed for an image that does not give one (a scan at 200–300 dpi).
constexpr int kDefaultDpi = 300;

struct CancelState {
  const std::atomic<bool>* flag;
};

bool CancelRequested(void* state, int /*words*/) {
  const auto* s = static_cast<const CancelState*>(state);
  return s->flag != nullptr && s->flag->load();
}

std::string Owned(char* text) {
  std::unique_ptr<char[]> owned(text);
  return owned ? std::string(owned.get()) : std::string();
}

// The start of a reference line ("Số: 12/CV", "V/v …"): the letterhead ends there.
bool StartsReference(const std::string& line) {
  const std::string w = text::FoldToWords(line);
  return w.starts_with("so ") || w == "so" || w.starts_with("v v ") || w.starts_with("vv ");
}

struct Line {
  int top;
  std::string text;
};

}  // namespace

struct Engine::Impl {
  tesseract::TessBaseAPI api;

  // Reads the pages of `source`; see ReadImage.
  Result<OcrResult> Run(PageSource& source, const Limits& limits, const std::atomic<bool>* cancel) {
    OcrResult out;
    double weighted = 0, weight = 0;
    const Clock::time_point deadline = Clock::now() + limits.timeout;
    const int pages = std::min(source.count(), limits.max_pages);
    std::string text;
    for (int i = 0; i < pages; ++i) {
      if (cancel != nullptr && cancel->load()) return Status(ErrorCode::kCancelled, "ocr: stopped");
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) {
        out.timed_out = true;
        break;
      }
      Result<Page> page = source.Get(i, limits);
      if (!page) return page.error();
      api.SetImage(page->pix.get());
      api.SetSourceResolution(page->dpi > 0 ? page->dpi : kDefaultDpi);
      tesseract::ETEXT_DESC monitor;
      CancelState state{cancel};
      monitor.cancel = &CancelRequested;
      monitor.cancel_this = &state;
      monitor.set_deadline_msecs(
          static_cast<int32_t>(std::min<std::int64_t>(left.count(), INT32_MAX)));
      const int rc = api.Recognize(&monitor);
      if (cancel != nullptr && cancel->load()) {
        api.Clear();
        return Status(ErrorCode::kCancelled, "ocr: stopped");
      }
      if (monitor.deadline_exceeded()) out.timed_out = true;
      if (rc == 0 || out.timed_out) {
        std::string page_text = Owned(api.GetUTF8Text());
        const size_t end = page_text.find_last_not_of(" \t\r\n\f\v");
        page_text.resize(end == std::string::npos ? 0 : end + 1);
        if (!page_text.empty()) text += (text.empty() ? "" : "\n\n") + page_text;
        Collect(i == 0, pixGetWidth(page->pix.get()), pixGetHeight(page->pix.get()), &out,
                &weighted, &weight);
      }
      ++out.pages;
      api.Clear();
      if (out.timed_out) break;
    }
    out.text = text::Nfc(text);
    out.letterhead = text::Nfc(out.letterhead);
    // No text read: nothing to be confident about.
    out.confidence = weight > 0 && !out.text.empty() ? weighted / weight : 0;
    return out;
  }

  // Word confidences into the mean; on the first page, also the letterhead:
  // the words in the top third whose middle is in the left half (Tesseract
  // may put the motto on the right into the same line), line by line, above
  // the reference line ("Số: …", "V/v …").
  void Collect(bool first_page, int width, int height, OcrResult* out, double* weighted,
               double* weight) {
    std::unique_ptr<tesseract::ResultIterator> it(api.GetIterator());
    if (!it) return;
    std::vector<Line> head;
    bool new_line = true;
    do {
      if (it->IsAtBeginningOf(tesseract::RIL_TEXTLINE)) new_line = true;
      if (it->Empty(tesseract::RIL_WORD)) continue;
      const std::string word = Owned(it->GetUTF8Text(tesseract::RIL_WORD));
      if (word.find_first_not_of(" \t\r\n") == std::string::npos) continue;
      const double chars = static_cast<double>(word.size());
      *weighted +=
          chars * std::clamp(static_cast<double>(it->Confidence(tesseract::RIL_WORD)), 0.0, 100.0);
      *weight += chars;
      if (!first_page) continue;
      int l = 0, t = 0, r = 0, b = 0;
      if (!it->BoundingBox(tesseract::RIL_WORD, &l, &t, &r, &b)) continue;
      if (t > height / 3 || (l + r) / 2 > width / 2) continue;
      if (new_line || head.empty()) head.push_back({t, {}});
      new_line = false;
      Line& line = head.back();
      line.top = std::min(line.top, t);
      line.text += (line.text.empty() ? "" : " ") + word;
    } while (it->Next(tesseract::RIL_WORD));
    std::stable_sort(head.begin(), head.end(),
                     [](const Line& a, const Line& b) { return a.top < b.top; });
    for (const Line& line : head) {
      if (StartsReference(line.text)) break;
      out->letterhead += line.text + "\n";
    }
  }
};

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

Result<std::unique_ptr<Engine>> Engine::Create(const std::string& tessdata) {
  internal::SilenceLibraries();
  const std::string dir = tessdata.empty() ? FindTessdata() : tessdata;
  if (!HasLanguageData(dir)) {
    return Status::NotFound(
        "ocr: no Vietnamese language data (vie.traineddata; install tesseract-ocr-vie or set "
        "TESSDATA_PREFIX)");
  }
  try {
    auto impl = std::make_unique<Impl>();
    // Tesseract's own chatter (resolution estimates, empty pages) stays out of the journal.
    impl->api.SetVariable("debug_file", "/dev/null");
    if (impl->api.Init(dir.c_str(), kLanguage, tesseract::OEM_LSTM_ONLY) != 0) {
      return Status::Io(
          fmt::format("ocr: tesseract cannot load {}/{}.traineddata", dir, kLanguage));
    }
    impl->api.SetVariable("debug_file", "/dev/null");
    impl->api.SetPageSegMode(tesseract::PSM_AUTO);
    return std::unique_ptr<Engine>(new Engine(std::move(impl)));
  } catch (const std::exception& e) {
    return Status::Io(std::string("ocr: tesseract: ") + e.what());
  }
}

Result<OcrResult> Engine::ReadImage(std::string_view bytes, const Limits& limits,
                                    const std::atomic<bool>* cancel) {
  try {
    Result<std::unique_ptr<PageSource>> pages = internal::OpenImage(bytes, limits);
    if (!pages) return pages.error();
    return impl_->Run(**pages, limits, cancel);
  } catch (const std::exception& e) {
    return Status::BadInput(std::string("image: cannot be read: ") + e.what());
  }
}

Result<OcrResult> Engine::ReadPdf(std::string_view bytes, const Limits& limits,
                                  const std::atomic<bool>* cancel) {
  try {
    Result<std::unique_ptr<PageSource>> pages = internal::OpenPdf(bytes);
    if (!pages) return pages.error();
    return impl_->Run(**pages, limits, cancel);
  } catch (const std::exception& e) {
    return Status::BadInput(std::string("pdf: cannot be read: ") + e.what());
  }
}

}  // namespace tacit::ocr
