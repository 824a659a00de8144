#include "sources/ocr_pool.h"

#include <exception>
#include <filesystem>
#include <memory>
#include <optional>

#include <malloc.h>

#include "core/log.h"

namespace tacit::sources {
namespace {

// An engine unused this long is dropped (see Work).
constexpr std::chrono::minutes kUnloadAfter{10};

}  // namespace

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
  // Tesseract with the Vietnamese language data holds about 13 MB per engine:
  // loaded at the first job rather than at start, and dropped again after a
  // quiet spell, so that an idle tacitd stays small (issue 9). A burst of scans
  // pays the load (well under a second, beside seconds of OCR per page) once.
  // What the first scan would meet is said at start all the same.
  const std::string dir = tessdata_.empty() ? ocr::FindTessdata() : tessdata_;
  if (dir.empty() || !std::filesystem::exists(dir + "/vie.traineddata")) {
    log::Error(
        "drop folder: ocr: no Vietnamese language data (vie.traineddata; install "
        "tesseract-ocr-vie or set TESSDATA_PREFIX)");
  }
  std::unique_ptr<ocr::Engine> engine;
  auto ready = [this] { return stopping_ || !jobs_.empty(); };
  for (;;) {
    std::optional<OcrJob> job;
    {
      std::unique_lock<std::mutex> lock(mu_);
      if (!engine) {
        work_cv_.wait(lock, ready);
      } else if (!work_cv_.wait_for(lock, kUnloadAfter, ready)) {
        lock.unlock();
        engine.reset();
        // Give the engine's pages back to the system (glibc keeps them in this
        // thread's arena otherwise).
        ::malloc_trim(0);
        continue;
      }
      if (stopping_) return;
      job.emplace(std::move(jobs_.front()));
      jobs_.pop_front();
    }
    Status load_error = Status::Ok();
    if (!engine) {
      Result<std::unique_ptr<ocr::Engine>> e = ocr::Engine::Create(tessdata_);
      if (e) {
        engine = std::move(*e);
      } else {
        load_error = e.error();
      }
    }
    Result<ocr::OcrResult> result = Status(ErrorCode::kIo, "ocr: not run");
    if (!engine) {
      result = load_error;
    } else {
      try {
        result = job->pdf ? engine->ReadPdf(job->bytes, limits_, &cancel_)
                          : engine->ReadImage(job->bytes, limits_, &cancel_);
      } catch (const std::exception& e) {  // Engine promises not to throw; belt and braces
        result = Status::BadInput(std::string("ocr: ") + e.what());
      }
    }
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
