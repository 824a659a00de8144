#include "sources/ocr_pool.h"

#include <optional>

#include "core/log.h"
#include "ocr/remote.h"

namespace tacit::sources {
OcrPool::OcrPool(int threads, ocr::Limits limits, std::string tessdata,
                 std::function<void()> notify)
    : limits_(limits), tessdata_(std::move(tessdata)), notify_(std::move(notify)) {
  if (threads < 1) threads = 1;
  for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Work(); });
}

OcrPool::~OcrPool() { Stop(); }

void OcrPool::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
    jobs_.clear();
  }
  cancel_ = true;
  work_cv_.notify_all();
  for (std::thread& t : threads_) {
    if (t.joinable() && t.get_id() != std::this_thread::get_id()) t.join();
  }
  threads_.clear();
}

void OcrPool::Submit(OcrJob job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stopping_) return;
    jobs_.push_back(std::move(job));
  }
  work_cv_.notify_one();
}

std::vector<OcrDone> OcrPool::TakeDone() {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<OcrDone> out;
  out.reserve(done_.size());
  for (OcrDone& d : done_) out.push_back(std::move(d));
  done_.clear();
  return out;
}

bool OcrPool::WaitDone(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(mu_);
  return done_cv_.wait_for(lock, timeout, [this] { return !done_.empty() || stopping_; }) &&
         !done_.empty();
}

void OcrPool::Work() {
  // Tesseract runs in the tacit-extract helper (extract/helper.h): this thread
  // only waits for it. The helper keeps its engine (about 13 MB with the
  // Vietnamese data) loaded while scans keep coming and leaves after a quiet
  // minute, so an idle tacitd holds no OCR memory at all (issue 9). What the
  // first scan would meet is said at start all the same.
  if (!ocr::HasLanguageData(tessdata_.empty() ? ocr::FindTessdata() : tessdata_)) {
    log::Error(
        "drop folder: ocr: no Vietnamese language data (vie.traineddata; install "
        "tesseract-ocr-vie or set TESSDATA_PREFIX)");
  }
  for (;;) {
    std::optional<OcrJob> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      work_cv_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
      if (stopping_) return;
      job.emplace(std::move(jobs_.front()));
      jobs_.pop_front();
    }
    Result<ocr::OcrResult> result =
        ocr::ReadRemote(job->pdf, job->bytes, limits_, tessdata_, &cancel_);
    job->bytes.clear();
    job->bytes.shrink_to_fit();
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) return;
      done_.push_back(OcrDone{std::move(*job), std::move(result)});
    }
    done_cv_.notify_all();
    if (notify_) notify_();
  }
}

}  // namespace tacit::sources
