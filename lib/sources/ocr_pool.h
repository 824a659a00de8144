// OcrPool: a few worker threads (drop_folder.ocr_threads) that read scans with
// Tesseract off the event loop (issue 10, STYLE §5.6). Each thread hands its
// job to a tacit-extract helper process (ocr::ReadRemote) and waits.
//
// The loop submits a job; a worker reads it and queues the result, then calls
// `notify` (from the worker thread: it must only post to the loop). The loop
// takes results with TakeDone(), or blocks for one with WaitDone() (Drain
// before a deadline). Stop() cancels the job being read (its helper is
// killed), drops those not started and joins the threads: nothing is lost,
// since a file stays in the drop folder until its reply is committed.
//
// Submit, TakeDone, WaitDone and Stop may be called from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <sys/stat.h>

#include "core/status.h"
#include "match/candidate.h"
#include "ocr/ocr.h"

namespace tacit::sources {

struct OcrJob {
  std::string path;            // where the file is, to archive it when done
  std::string bytes;           // as read and hashed
  struct stat st {};           // as read: a file changed meanwhile is read again
  bool pdf = false;            // a PDF without text layer, else an image
  match::Candidate candidate;  // filled but for the text
};

struct OcrDone {
  OcrJob job;
  Result<ocr::OcrResult> result;
};

class OcrPool {
 public:
  // Starts `threads` workers. `tessdata` empty: ocr::FindTessdata().
  OcrPool(int threads, ocr::Limits limits, std::string tessdata, std::function<void()> notify);
  ~OcrPool();
  OcrPool(const OcrPool&) = delete;
  OcrPool& operator=(const OcrPool&) = delete;

  void Submit(OcrJob job);
  // Results ready now, oldest first.
  std::vector<OcrDone> TakeDone();
  // Waits until a result is ready or `timeout` passed; true when one is.
  bool WaitDone(std::chrono::milliseconds timeout);
  void Stop();

  const ocr::Limits& limits() const { return limits_; }

 private:
  void Work();

  const ocr::Limits limits_;
  const std::string tessdata_;
  const std::function<void()> notify_;
  std::mutex mu_;
  std::condition_variable work_cv_;  // a job was submitted, or stopping
  std::condition_variable done_cv_;  // a result was queued
  std::deque<OcrJob> jobs_;          // GUARDED_BY(mu_)
  std::deque<OcrDone> done_;         // GUARDED_BY(mu_)
  bool stopping_ = false;            // GUARDED_BY(mu_)
  std::atomic<bool> cancel_{false};
  std::vector<std::thread> threads_;
};

}  // namespace tacit::sources
