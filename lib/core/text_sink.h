// TextSink: where a large rendered document goes as it is made. A renderer
// appends to buf() and calls Boundary() between records (a row, a quote);
// when the buffer has grown past a chunk, Boundary() hands it to the sink's
// flush (the temp file of FileSystem::WriteAtomicStreamed) and empties it, so
// that a report of hundreds of megabytes (issue 9: 370 MB of JSON at 100,000
// units) never exists in memory at once. Without a flush it simply keeps
// everything: Take() is then the whole document, byte for byte what the
// streamed file holds.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>

namespace tacit {

class TextSink {
 public:
  using Flush = std::function<void(std::string_view)>;
  static constexpr size_t kChunk = size_t{1} << 20;

  TextSink() = default;
  explicit TextSink(Flush flush, size_t chunk = kChunk) : flush_(std::move(flush)), chunk_(chunk) {}

  std::string& buf() { return buf_; }
  TextSink& operator+=(std::string_view s) {
    buf_ += s;
    return *this;
  }
  TextSink& operator+=(char c) {
    buf_ += c;
    return *this;
  }
  // Between two records: the buffer goes out once it holds a chunk.
  void Boundary() {
    if (flush_ && buf_.size() >= chunk_) Drain();
  }
  // The end: whatever is left goes out.
  void Finish() {
    if (flush_ && !buf_.empty()) Drain();
  }
  // Without a flush: the whole document.
  std::string Take() { return std::move(buf_); }

 private:
  void Drain() {
    flush_(buf_);
    buf_.clear();
  }
  Flush flush_;
  size_t chunk_ = kChunk;
  std::string buf_;
};

}  // namespace tacit
