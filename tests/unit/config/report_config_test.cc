// [report] (issue 11): defaults in tacit.toml, overridden key by key in a
// consultation's .toml; bad values refused as file:line: message.
#include <gtest/gtest.h>

#include "config/config.h"
#include "support/temp_dir.h"

namespace tacit {
namespace {

using testing::TempDir;
using testing::WriteSmallConfig;

const std::string kDaemon = "[daemon]\nstate_dir = \"state\"\n";

std::string Errors(const std::string& path) {
  Result<Config> c = LoadConfig(path);
  return c ? "ok" : c.error().message();
}

// The small config's consultation file with `extra` appended.
void WriteConsultation(const TempDir& dir, const std::string& extra) {
  dir.Write("consultations/dan-chu-2026.toml",
            "id = \"dan-chu-2026\"\nsubject = \"Xin ý kiến\"\ndeadline = \"09/02/2026\"\n"
            "addressees = [\"*\"]\n" +
                extra);
}

TEST(ReportConfigTest, AbsentEverywhereLeavesEveryFieldUnset) {
  TempDir dir;
  Result<Config> c = LoadConfig(WriteSmallConfig(dir, "09/02/2026"));
  ASSERT_TRUE(c.has_value()) << c.error().message();
  const ReportHeaderConfig& r = c->consultations[0].report;
  EXPECT_FALSE(r.issuing_body || r.number_suffix || r.place || r.signer_title || r.signer_name ||
               r.recipients);
}

TEST(ReportConfigTest, ConsultationOverridesTheDefaultsKeyByKey) {
  TempDir dir;
  std::string path = WriteSmallConfig(dir, "09/02/2026");
  dir.Write("tacit.toml",
            kDaemon +
                "[report]\n"
                "issuing_body = [\"UBND PHƯỜNG HƯNG ĐẠO\", \"PHÒNG VĂN HÓA – XÃ HỘI\"]\n"
                "number_suffix = \"BC-VHXH\"\n"
                "place = \"Hưng Đạo\"\n"
                "signer_title = \"TRƯỞNG PHÒNG\"\n"
                "recipients = [\"Lưu: VT, VHXH.\"]\n");
  WriteConsultation(dir,
                    "[report]\nsigner_name = \"Phạm Thị B\"\n"
                    "recipients = [\"UBND phường (để báo cáo);\", \"Lưu: VT.\"]\n");
  Result<Config> c = LoadConfig(path);
  ASSERT_TRUE(c.has_value()) << c.error().message();
  EXPECT_EQ(c->report.place, "Hưng Đạo");
  EXPECT_FALSE(c->report.signer_name);
  const ReportHeaderConfig& r = c->consultations[0].report;
  EXPECT_EQ(r.issuing_body,
            (std::vector<std::string>{"UBND PHƯỜNG HƯNG ĐẠO", "PHÒNG VĂN HÓA – XÃ HỘI"}));
  EXPECT_EQ(r.number_suffix, "BC-VHXH");
  EXPECT_EQ(r.place, "Hưng Đạo");
  EXPECT_EQ(r.signer_title, "TRƯỞNG PHÒNG");
  EXPECT_EQ(r.signer_name, "Phạm Thị B");
  EXPECT_EQ(r.recipients, (std::vector<std::string>{"UBND phường (để báo cáo);", "Lưu: VT."}));
}

TEST(ReportConfigTest, BadValuesAreRefusedWithFileAndLine) {
  TempDir dir;
  std::string path = WriteSmallConfig(dir, "09/02/2026");
  dir.Write("tacit.toml", kDaemon +
                              "[report]\n"
                              "issuing_body = []\n"
                              "number_suffix = \"12/BC\"\n"
                              "place = \"  \"\n"
                              "signer = \"x\"\n"
                              "recipients = \"Lưu: VT.\"\n");
  EXPECT_EQ(Errors(path), path + ":7: unknown key 'signer' in [report]\n" + path +
                              ":4: 'issuing_body' must have 1 to 3 lines\n" + path +
                              ":5: number_suffix '12/BC' must be a symbol such as \"BC-VHXH\", "
                              "without spaces or '/'\n" +
                              path + ":6: 'place' must not be empty\n" + path +
                              ":8: 'recipients' must be an array of strings");
  dir.Write("tacit.toml", kDaemon);
  WriteConsultation(dir, "report = 3\n");
  const std::string f = dir.path() + "/consultations/dan-chu-2026.toml";
  EXPECT_EQ(Errors(path), f + ":5: 'report' must be a table");
  WriteConsultation(dir, "[report]\nissuing_body = [\"A\", \"\", \"B\", \"C\"]\nplace = 1\n");
  EXPECT_EQ(Errors(path), f + ":6: 'issuing_body' must not hold an empty line\n" + f +
                              ":6: 'issuing_body' must have 1 to 3 lines\n" + f +
                              ":7: 'place' must be a string");
}

}  // namespace
}  // namespace tacit
