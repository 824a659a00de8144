// FileSystem::WriteAtomicStreamed (issue 9, peak memory): a document made as
// it is written reaches its file whole and in order, the sink never holds much
// more than a chunk, a failed render leaves the old file, and a test double
// that only knows WriteAtomic still sees the whole document there.
#include "core/file_system.h"

#include <filesystem>
#include <map>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace tacit {
namespace {

using testing::TempDir;

// Line `i` of a document of numbered lines (about 5 MB for 60,000 lines).
std::string Piece(int i) {
  return fmt::format("{:06} Ý kiến của đơn vị số {} về dự thảo kế hoạch, đoạn thứ {}.\n", i, i, i);
}

TEST(StreamedWriteTest, TheFileIsEveryPieceInOrderAndTheSinkStaysSmall) {
  TempDir dir;
  const std::string path = dir.path() + "/report.md";
  PosixFileSystem fs;
  std::string expected;
  size_t largest = 0;
  Status s = fs.WriteAtomicStreamed(path, [&](TextSink& out) {
    for (int i = 0; i < 60000; ++i) {
      const std::string piece = Piece(i);
      expected += piece;
      out += piece;
      out.Boundary();
      largest = std::max(largest, out.buf().size());
    }
    return Status::Ok();
  });
  ASSERT_TRUE(s.ok()) << s.message();
  ASSERT_GT(expected.size(), 4 * TextSink::kChunk);
  Result<std::string> written = fs.ReadFile(path);
  ASSERT_TRUE(written.has_value());
  EXPECT_EQ(*written, expected);
  // Emptied into the file at every chunk: never the whole document in memory.
  EXPECT_LT(largest, TextSink::kChunk + 200);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST(StreamedWriteTest, AFailedRenderLeavesTheOldFileAndNoTemp) {
  TempDir dir;
  const std::string path = dir.path() + "/status.html";
  PosixFileSystem fs;
  ASSERT_TRUE(fs.WriteAtomic(path, "old page\n").ok());
  Status s = fs.WriteAtomicStreamed(path, [](TextSink& out) {
    for (int i = 0; i < 30000; ++i) {  // past a chunk: some of it is in the temp file
      out += Piece(i);
      out.Boundary();
    }
    return Status::Io("docx: cannot write the package");
  });
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.message(), "docx: cannot write the package");
  EXPECT_EQ(*fs.ReadFile(path), "old page\n");
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST(StreamedWriteTest, AnUnwritableFolderIsAnErrorNotACrash) {
  TempDir dir;
  PosixFileSystem fs;
  Status s = fs.WriteAtomicStreamed(dir.path() + "/no/such/folder/report.json", [](TextSink& out) {
    out += "{}\n";
    return Status::Ok();
  });
  EXPECT_FALSE(s.ok());
  EXPECT_NE(s.message().find("no/such/folder/report.json.tmp"), std::string::npos) << s.message();
}

// A double that overrides only WriteAtomic, as the fault-injection tests' do.
class RecordingFileSystem final : public FileSystem {
 public:
  Status WriteAtomic(const std::string& path, const std::string& contents) override {
    files[path] = contents;
    return Status::Ok();
  }
  Result<std::string> ReadFile(const std::string& path) override { return files.at(path); }
  Status MakeDirs(const std::string&) override { return Status::Ok(); }
  std::map<std::string, std::string> files;
};

TEST(StreamedWriteTest, ADoubleWithOnlyWriteAtomicSeesTheWholeDocument) {
  RecordingFileSystem fs;
  std::string expected;
  ASSERT_TRUE(fs.WriteAtomicStreamed("status.html", [&](TextSink& out) {
                  for (int i = 0; i < 20000; ++i) {
                    expected += Piece(i);
                    out += Piece(i);
                    out.Boundary();
                  }
                  return Status::Ok();
                }).ok());
  EXPECT_EQ(fs.files.at("status.html"), expected);
  // A render that fails writes nothing at all.
  EXPECT_FALSE(
      fs.WriteAtomicStreamed("other.html", [](TextSink&) { return Status::Io("gone"); }).ok());
  EXPECT_EQ(fs.files.count("other.html"), 0u);
}

}  // namespace
}  // namespace tacit
