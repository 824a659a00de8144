// lib/ocr on scans rendered by tests/ocr/make_scans.py (python3-pil and
// Debian's fonts) into a temporary folder: Vietnamese text, the letterhead,
// confidence; and every way a file can be bad. Without python3-pil or the
// "vie" data the tests skip, except under CI=true, where they fail.
#include "ocr/ocr.h"

#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "support/temp_dir.h"
#include "text/normalize.h"

namespace tacit::ocr {
namespace {

bool InCi() {
  const char* ci = std::getenv("CI");
  return ci != nullptr && std::string(ci) == "true";
}

#define SKIP_OR_FAIL(why)        \
  do {                           \
    if (InCi()) FAIL() << (why); \
    GTEST_SKIP() << (why);       \
  } while (0)

class OcrTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    const std::string cmd = "/usr/bin/python3 " + std::string(TACIT_SOURCE_DIR) +
                            "/tests/ocr/make_scans.py " + dir_->path() + " 2>&1";
    scans_ok_ = std::system(cmd.c_str()) == 0;
    Result<std::unique_ptr<Engine>> e = Engine::Create();
    if (e) engine_ = std::move(*e).release();
  }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
    delete dir_;
    dir_ = nullptr;
  }
  void SetUp() override {
    if (!scans_ok_) SKIP_OR_FAIL("tests/ocr/make_scans.py failed (python3-pil, fonts-noto-core?)");
    if (engine_ == nullptr) SKIP_OR_FAIL("no Tesseract 'vie' data (tesseract-ocr-vie)");
  }

  static std::string Read(const std::string& name) {
    std::ifstream in(dir_->path() + "/" + name, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
  }
  static bool Has(const std::string& text, const std::string& phrase) {
    return text::ContainsWords(text::FoldToWords(text), text::FoldToWords(phrase));
  }

  static testing::TempDir* dir_;
  static Engine* engine_;
  static bool scans_ok_;
};
testing::TempDir* OcrTest::dir_ = nullptr;
Engine* OcrTest::engine_ = nullptr;
bool OcrTest::scans_ok_ = false;

TEST(OcrNamesTest, ImageNames) {
  EXPECT_TRUE(IsImageName("a.jpg"));
  EXPECT_TRUE(IsImageName("dir/Scan 01.JPEG"));
  EXPECT_TRUE(IsImageName("x.png"));
  EXPECT_TRUE(IsImageName("x.TIF"));
  EXPECT_TRUE(IsImageName("x.tiff"));
  EXPECT_FALSE(IsImageName("x.pdf"));
  EXPECT_FALSE(IsImageName("jpg"));
  EXPECT_FALSE(IsImageName("x.jpg/notes"));
}

TEST(OcrDataTest, TessdataPrefixOverrides) {
  const char* old = std::getenv("TESSDATA_PREFIX");
  const std::string saved = old ? old : "";
  ::setenv("TESSDATA_PREFIX", "/nonexistent", 1);
  EXPECT_EQ(FindTessdata(), "");
  Result<std::unique_ptr<Engine>> e = Engine::Create();
  ASSERT_FALSE(e);
  EXPECT_EQ(e.error().code(), ErrorCode::kNotFound);
  EXPECT_NE(e.error().message().find("tesseract-ocr-vie"), std::string::npos);
  if (old) {
    ::setenv("TESSDATA_PREFIX", saved.c_str(), 1);
  } else {
    ::unsetenv("TESSDATA_PREFIX");
  }
}

TEST_F(OcrTest, ReadsAVietnameseLetterFromJpeg) {
  Result<OcrResult> r = engine_->ReadImage(Read("cong-an.jpg"), Limits{});
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->pages, 1);
  EXPECT_FALSE(r->timed_out);
  EXPECT_GT(r->confidence, 60) << r->text;
  EXPECT_TRUE(Has(r->text, "nhất trí với toàn bộ nội dung dự thảo")) << r->text;
  EXPECT_TRUE(Has(r->text, "15/VH-XH")) << r->text;
  EXPECT_TRUE(text::IsValidUtf8(r->text));
  EXPECT_EQ(r->text, text::Nfc(r->text));
  // The letterhead: the left block above "Số:", not the motto on the right.
  EXPECT_TRUE(Has(r->letterhead, "CÔNG AN PHƯỜNG HƯNG ĐẠO")) << r->letterhead;
  EXPECT_FALSE(Has(r->letterhead, "Độc lập")) << r->letterhead;
  EXPECT_FALSE(Has(r->letterhead, "25/CAP")) << r->letterhead;
}

TEST_F(OcrTest, ReadsPngAndTiff) {
  Result<OcrResult> png = engine_->ReadImage(Read("tdp-02.png"), Limits{});
  ASSERT_TRUE(png) << png.error().message();
  EXPECT_TRUE(Has(png->text, "bổ sung tiến độ thực hiện")) << png->text;
  EXPECT_TRUE(Has(png->letterhead, "TỔ DÂN PHỐ SỐ 2")) << png->letterhead;
  Result<OcrResult> tif = engine_->ReadImage(Read("two-names.tif"), Limits{});
  ASSERT_TRUE(tif) << tif.error().message();
  EXPECT_TRUE(Has(tif->text, "không nhất trí")) << tif->text;
  EXPECT_TRUE(Has(tif->letterhead, "TỔ DÂN PHỐ SỐ 1")) << tif->letterhead;
}

TEST_F(OcrTest, ReadsAScannedPdf) {
  Result<OcrResult> r = engine_->ReadPdf(Read("ubnd-scan.pdf"), Limits{});
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(r->pages, 1);
  EXPECT_TRUE(Has(r->text, "thống nhất với nội dung")) << r->text;
  EXPECT_TRUE(Has(r->letterhead, "PHƯỜNG HƯNG ĐẠO")) << r->letterhead;
  EXPECT_GT(r->confidence, 60);
}

TEST_F(OcrTest, GarbageIsRefusedWithAReason) {
  for (const std::string& bytes :
       {Read("garbage.jpg"), std::string(), std::string("\xFF\xD8\xFF")}) {
    Result<OcrResult> r = engine_->ReadImage(bytes, Limits{});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code(), ErrorCode::kBadInput);
    EXPECT_EQ(r.error().message(), "image: cannot be decoded (not a JPEG, PNG or TIFF image)");
  }
  Result<OcrResult> pdf = engine_->ReadPdf("%PDF-1.4\ngarbage", Limits{});
  ASSERT_FALSE(pdf);
  EXPECT_EQ(pdf.error().code(), ErrorCode::kBadInput);
  EXPECT_NE(pdf.error().message().find("pdf:"), std::string::npos);
}

TEST_F(OcrTest, TruncatedImageDoesNotCrash) {
  const std::string jpeg = Read("cong-an.jpg");
  for (size_t cut : {size_t{200}, jpeg.size() / 2}) {
    Result<OcrResult> r = engine_->ReadImage(jpeg.substr(0, cut), Limits{});
    if (!r) {
      EXPECT_EQ(r.error().code(), ErrorCode::kBadInput);
    }
  }
}

TEST_F(OcrTest, NoiseGivesLittleOrNoConfidentText) {
  Result<OcrResult> r = engine_->ReadImage(Read("noise.png"), Limits{});
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_LT(r->confidence, 60) << "[" << r->text << "]";
}

TEST_F(OcrTest, PixelLimitIsCheckedBeforeDecoding) {
  Limits limits;
  limits.max_pixels = 1000;
  Result<OcrResult> r = engine_->ReadImage(Read("tdp-02.png"), limits);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message(), "image: 1165x1654 pixels (limit 1000)");
  // A PDF page is rendered smaller instead, and refused only below 50 dpi.
  Result<OcrResult> pdf = engine_->ReadPdf(Read("ubnd-scan.pdf"), limits);
  ASSERT_FALSE(pdf);
  EXPECT_NE(pdf.error().message().find("too large"), std::string::npos) << pdf.error().message();
}

TEST_F(OcrTest, TimeoutStopsAndSaysSo) {
  Limits limits;
  limits.timeout = std::chrono::milliseconds{1};
  Result<OcrResult> r = engine_->ReadImage(Read("cong-an.jpg"), limits);
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_TRUE(r->timed_out);
}

TEST_F(OcrTest, CancelStops) {
  std::atomic<bool> cancel{true};
  Result<OcrResult> r = engine_->ReadImage(Read("cong-an.jpg"), Limits{}, &cancel);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code(), ErrorCode::kCancelled);
}

}  // namespace
}  // namespace tacit::ocr
