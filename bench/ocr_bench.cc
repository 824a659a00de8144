// ocr_bench: OCR throughput (issue 10). Not a timed test: it renders the test
// scans (tests/ocr/make_scans.py: A5 letters at 200 dpi, JPEG, PNG, TIFF and an
// image-only PDF rendered back at 300 dpi) into a temporary folder, reads each
// of them `rounds` times with one ocr::Engine (one thread, as the drop folder's
// default drop_folder.ocr_threads = 1) and prints pages per second.
//
// Usage: ocr_bench [rounds]   (default 3; needs python3-pil and tesseract-ocr-vie)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "ocr/ocr.h"

#ifndef TACIT_SOURCE_DIR
#error "TACIT_SOURCE_DIR must be defined"
#endif

namespace {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  const int rounds = argc > 1 ? std::max(1, std::atoi(argv[1])) : 3;
  std::string dir = (fs::temp_directory_path() / "ocr_bench.XXXXXX").string();
  if (::mkdtemp(dir.data()) == nullptr) {
    std::perror("mkdtemp");
    return 1;
  }
  const std::string cmd =
      fmt::format("/usr/bin/python3 {}/tests/ocr/make_scans.py {}", TACIT_SOURCE_DIR, dir);
  if (std::system(cmd.c_str()) != 0) {
    std::fprintf(stderr, "ocr_bench: make_scans.py failed (python3-pil installed?)\n");
    return 1;
  }
  auto engine = tacit::ocr::Engine::Create();
  if (!engine) {
    std::fprintf(stderr, "ocr_bench: %s\n", engine.error().message().c_str());
    return 1;
  }
  const std::vector<std::string> files = {"cong-an.jpg", "tdp-02.png", "two-names.tif",
                                          "ubnd-scan.pdf"};
  std::vector<std::string> bytes;
  for (const std::string& f : files) bytes.push_back(ReadFile(fs::path(dir) / f));

  int pages = 0;
  double confidence = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int r = 0; r < rounds; ++r) {
    for (size_t i = 0; i < files.size(); ++i) {
      const bool pdf = files[i].ends_with(".pdf");
      auto res = pdf ? (*engine)->ReadPdf(bytes[i], {}) : (*engine)->ReadImage(bytes[i], {});
      if (!res) {
        std::fprintf(stderr, "ocr_bench: %s: %s\n", files[i].c_str(),
                     res.error().message().c_str());
        return 1;
      }
      pages += res->pages;
      confidence += res->confidence;
    }
  }
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fs::remove_all(dir);
  std::printf(
      "ocr_bench: %d pages (A5, 200 dpi scans; PDF at 300 dpi) in %.2f s: %.2f pages/s, "
      "%.0f ms/page, mean confidence %.1f\n",
      pages, secs, pages / secs, 1000 * secs / pages,
      confidence / (rounds * static_cast<double>(files.size())));
  return 0;
}
