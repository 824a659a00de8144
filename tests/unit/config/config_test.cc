#include "config/config.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "config/csv.h"
#include "support/temp_dir.h"

namespace tacit {
namespace {

using testing::TempDir;
using testing::WriteSmallConfig;

std::string Errors(const std::string& path) {
  Result<Config> c = LoadConfig(path);
  return c ? "ok" : c.error().message();
}

TEST(ConfigTest, LoadsTheSmallConfig) {
  TempDir dir;
  Result<Config> c = LoadConfig(WriteSmallConfig(dir, "09/02/2026"));
  ASSERT_TRUE(c.has_value()) << c.error().message();
  EXPECT_EQ(c->daemon.state_dir, dir.path() + "/state");
  EXPECT_EQ(c->daemon.status_file, dir.path() + "/state/status.json");
  EXPECT_EQ(c->daemon.report_dir, dir.path() + "/state/reports");
  EXPECT_EQ(c->daemon.deadline_grace, std::chrono::hours{24});
  ASSERT_EQ(c->units.size(), 4u);
  EXPECT_EQ(c->units[2].code, "tdp-01");
  EXPECT_EQ(c->units[2].aliases, (std::vector<std::string>{"TDP 1", "Tổ 1"}));
  EXPECT_TRUE(c->units[3].emails.empty());
  ASSERT_EQ(c->consultations.size(), 1u);
  const Consultation& k = c->consultations[0];
  EXPECT_EQ(FormatIso(k.deadline, c->tz), "2026-02-09T23:59:59+07:00");
  EXPECT_EQ(k.addressed_units.size(), 4u);
  EXPECT_EQ(k.silence_means, SilenceMeans::kConsent);
}

TEST(ConfigTest, BadDeadlineNamesFileLineAndValue) {
  TempDir dir;
  std::string path = WriteSmallConfig(dir, "31/02/2026");
  EXPECT_EQ(Errors(path), dir.path() +
                              "/consultations/dan-chu-2026.toml:6: deadline: "
                              "'31/02/2026' is not a valid date: no day 31/02/2026");
  WriteSmallConfig(dir, "2026/13/01");
  EXPECT_EQ(Errors(path), dir.path() +
                              "/consultations/dan-chu-2026.toml:6: deadline: "
                              "'2026/13/01' is not a date (expected dd/mm/yyyy, dd/mm/yyyy HH:MM "
                              "or ISO 8601 with offset)");
}

TEST(ConfigTest, UnknownKeysAreRefused) {
  TempDir dir;
  std::string path = WriteSmallConfig(dir, "09/02/2026");
  dir.Write("tacit.toml",
            "[daemon]\nstate_dir = \"state\"\nstatus_fiel = \"x.json\"\n\n[drop_folder]\npath = "
            "\"inbox\"\nmax_size = 3\n[mail]\n");
  EXPECT_EQ(Errors(path), path + ":8: unknown key 'mail'\n" + path +
                              ":3: unknown key 'status_fiel' in [daemon]\n" + path +
                              ":7: unknown key 'max_size' in [drop_folder]");
}

TEST(ConfigTest, MissingFieldsAreRefused) {
  TempDir dir;
  std::string path = WriteSmallConfig(dir, "09/02/2026");
  dir.Write("consultations/dan-chu-2026.toml", "id = \"dan-chu-2026\"\n");
  const std::string f = dir.path() + "/consultations/dan-chu-2026.toml";
  EXPECT_EQ(Errors(path), f + ":1: missing key 'subject'\n" + f + ":1: missing key 'deadline'\n" +
                              f + ":1: missing key 'addressees'");
  dir.Write("tacit.toml", "[daemon]\ntimezone = \"Asia/Ho_Chi_Minh\"\n");
  EXPECT_NE(Errors(path).find(path + ":1: missing key 'state_dir' in [daemon]"), std::string::npos);
}

TEST(ConfigTest, DuplicateUnitCodesAreRefused) {
  TempDir dir;
  std::string path = WriteSmallConfig(dir, "09/02/2026");
  dir.Write("units.csv",
            "code,name,group,emails,aliases\n"
            "tdp-01,Tổ dân phố số 1,Tổ dân phố,,\n"
            "\"tdp-02\",\"Tổ dân phố số 2, khu A\",Tổ dân phố,,\n"
            "tdp-01,Tổ dân phố số 1 (bis),Tổ dân phố,,\n"
            "TDP-3,Tổ 3,Tổ dân phố,x@,\n");
  const std::string f = dir.path() + "/units.csv";
  EXPECT_EQ(Errors(path), f + ":4: duplicate unit code 'tdp-01' (first on line 2)\n" + f +
                              ":5: unit code 'TDP-3' must be lower-case letters, digits and '-'");
}

TEST(ConfigTest, UnitListsAreTrimmedAndShortRowsRead) {
  TempDir dir;
  std::string path = WriteSmallConfig(dir, "09/02/2026");
  // Columns in another order; blanks around list items and empty items
  // dropped; a row without the trailing columns has no emails or aliases.
  dir.Write("units.csv",
            "name,code,group,aliases,emails\n"
            "Tổ dân phố số 1,tdp-01,Tổ dân phố, TDP 1 ;;Tổ 1 ; ,\t a@example.vn;b@example.vn \n"
            "Tổ dân phố số 2,tdp-02,Tổ dân phố\n");
  Result<Config> c = LoadConfig(path);
  ASSERT_TRUE(c.has_value()) << c.error().message();
  ASSERT_EQ(c->units.size(), 2u);
  EXPECT_EQ(c->units[0].code, "tdp-01");
  EXPECT_EQ(c->units[0].name, "Tổ dân phố số 1");
  EXPECT_EQ(c->units[0].aliases, (std::vector<std::string>{"TDP 1", "Tổ 1"}));
  EXPECT_EQ(c->units[0].emails, (std::vector<std::string>{"a@example.vn", "b@example.vn"}));
  EXPECT_EQ(c->units[1].code, "tdp-02");
  EXPECT_EQ(c->units[1].group, "Tổ dân phố");
  EXPECT_TRUE(c->units[1].emails.empty());
  EXPECT_TRUE(c->units[1].aliases.empty());
}

TEST(ConfigTest, DuplicatesAmongManyUnitsNameTheFirstLine) {
  TempDir dir;
  std::string path = WriteSmallConfig(dir, "09/02/2026");
  std::string csv = "code,name,group,emails,aliases\n";
  for (int i = 0; i < 3000; ++i) csv += fmt::format("u-{},Unit {},Tổ dân phố,,\n", i, i);
  // Again, at the end: each names the line its code was first on.
  csv += "u-0,Again,Tổ dân phố,,\nu-2999,Again,Tổ dân phố,,\nu-1500,Again,Tổ dân phố,,\n";
  dir.Write("units.csv", csv);
  const std::string f = dir.path() + "/units.csv";
  EXPECT_EQ(Errors(path), f + ":3002: duplicate unit code 'u-0' (first on line 2)\n" + f +
                              ":3003: duplicate unit code 'u-2999' (first on line 3001)\n" + f +
                              ":3004: duplicate unit code 'u-1500' (first on line 1502)");
  // Without them the 3,000 load, in order.
  csv.resize(csv.find("u-0,Again"));
  dir.Write("units.csv", csv);
  Result<Config> c = LoadConfig(path);
  ASSERT_TRUE(c.has_value()) << c.error().message();
  ASSERT_EQ(c->units.size(), 3000u);
  EXPECT_EQ(c->units[1234].code, "u-1234");
  EXPECT_EQ(c->units[2999].name, "Unit 2999");
}

TEST(ConfigTest, AMalformedUnitsFileReportsOnlyItsSyntaxError) {
  TempDir dir;
  std::string path = WriteSmallConfig(dir, "09/02/2026");
  const std::string f = dir.path() + "/units.csv";
  // With no units read, the consultation's addressees name none.
  const std::string none = "\n" + dir.path() +
                           "/consultations/dan-chu-2026.toml:8: addressee '*' names no unit or "
                           "group in the units file";
  // A bad code on line 2 is not reported when line 4 leaves a quote open:
  // the file is read as a whole or not at all.
  dir.Write("units.csv",
            "code,name,group,emails,aliases\n"
            "TDP-1,Tổ 1,Tổ dân phố,,\n"
            "tdp-02,Tổ 2,Tổ dân phố,,\n"
            "tdp-03,\"Tổ 3,Tổ dân phố,,\n");
  EXPECT_EQ(Errors(path), f + ":4: unterminated quoted field" + none);
  // Problems of the header are reported with the rows' when the file parses.
  dir.Write("units.csv", "code,name,team\ntdp-01,Tổ 1,x\n");
  EXPECT_EQ(Errors(path),
            f + ":1: unknown column 'team'\n" + f + ":1: missing column 'group'" + none);
  dir.Write("units.csv", "\n\n");
  EXPECT_EQ(Errors(path),
            f + ":1: empty units file: expected header code,name,group,emails,aliases" + none);
}

TEST(ConfigTest, AddresseesNamingNoUnitAreRefused) {
  TempDir dir;
  std::string path = WriteSmallConfig(dir, "09/02/2026");
  dir.Write("consultations/k.toml",
            "id = \"k\"\nsubject = \"S\"\ndeadline = \"09/02/2026\"\n"
            "addressees = [\"Tổ dân phố\",\n  \"truong-hoc\"]\n");
  const std::string f = dir.path() + "/consultations/k.toml";
  EXPECT_EQ(Errors(path),
            f + ":5: addressee 'truong-hoc' names no unit or group in the units file");
}

TEST(ConfigTest, AddresseesByGroupAndCode) {
  TempDir dir;
  std::string path = WriteSmallConfig(dir, "09/02/2026");
  dir.Write("consultations/k.toml",
            "id = \"k\"\nsubject = \"S\"\ndeadline = \"09/02/2026 17:00\"\n"
            "silence_means = \"no_response\"\naddressees = [\"Tổ dân phố\", \"cong-an\"]\n");
  Result<Config> c = LoadConfig(path);
  ASSERT_TRUE(c.has_value()) << c.error().message();
  const Consultation* k = c->FindConsultation("k");
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(k->addressed_units, (std::vector<std::string>{"cong-an", "tdp-01", "tdp-02"}));
  EXPECT_EQ(k->silence_means, SilenceMeans::kNoResponse);
}

TEST(ConfigTest, OtherProblemsEachWithTheirLine) {
  TempDir dir;
  std::string path = WriteSmallConfig(dir, "09/02/2026");
  dir.Write("consultations/k.toml",
            "id = \"k\"\nsubject = \"S\"\ndeadline = \"09/02/2026\"\naddressees = [\"*\"]\n"
            "silence_means = \"agree\"\n[reminders]\nschedule = [\"-3d 8h\"]\n"
            "report_to = [\"vhxh@example.vn\", \"not an address\"]\n");
  dir.Write("tacit.toml", "[daemon]\nstate_dir = \"s\"\ntimezone = \"Asia/Saigon_\"\n");
  const std::string f = dir.path() + "/consultations/k.toml";
  EXPECT_EQ(Errors(path), path + ":3: unknown time zone 'Asia/Saigon_'");
  dir.Write("tacit.toml", "[daemon]\nstate_dir = \"s\"\ndeadline_grace = \"one day\"\n");
  EXPECT_EQ(Errors(path),
            path + ":3: deadline_grace 'one day' is not a duration (e.g. \"24h\", \"90m\")\n" + f +
                ":5: silence_means 'agree' must be \"consent\" or \"no_response\"\n" + f +
                ":7: schedule slot '-3d 8h' must look like \"-3d 08:00\"\n" + f +
                ":8: 'not an address' is not an email address");
}

// The config accepts only addresses the SMTP client can send to (core/address.h):
// a UTF-8 local part would fail at every reminder, so it is refused at load.
TEST(ConfigTest, AddressesTheSmtpClientCannotSendToAreRefused) {
  TempDir dir;
  std::string path = WriteSmallConfig(dir, "09/02/2026");
  dir.Write("consultations/k.toml",
            "id = \"k\"\nsubject = \"S\"\ndeadline = \"09/02/2026\"\naddressees = [\"*\"]\n"
            "[reminders]\nreport_to = [\"vhxh@ubnd.example.vn\", \"người.dùng@example.vn\"]\n");
  const std::string f = dir.path() + "/consultations/k.toml";
  EXPECT_EQ(Errors(path), f + ":6: 'người.dùng@example.vn' is not an email address");
}

TEST(ConfigTest, TomlSyntaxErrorHasItsLine) {
  TempDir dir;
  std::string path = WriteSmallConfig(dir, "09/02/2026");
  dir.Write("tacit.toml", "[daemon]\nstate_dir = \"s\n");
  EXPECT_EQ(Errors(path).rfind(path + ":2: TOML syntax: ", 0), 0u) << Errors(path);
}

TEST(ConfigTest, SameConsultationIdTwice) {
  TempDir dir;
  std::string path = WriteSmallConfig(dir, "09/02/2026");
  dir.Write(
      "consultations/zz.toml",
      "id = \"dan-chu-2026\"\nsubject = \"S\"\ndeadline = \"09/02/2026\"\naddressees = [\"*\"]\n");
  EXPECT_EQ(Errors(path), dir.path() +
                              "/consultations/zz.toml:1: consultation id 'dan-chu-2026' "
                              "is also used by " +
                              dir.path() + "/consultations/dan-chu-2026.toml");
}

TEST(ConfigTest, CrLfInAFieldIsRefused) {
  TempDir dir;
  std::string path = WriteSmallConfig(dir, "09/02/2026");
  dir.Write("consultations/k.toml",
            "id = \"k\"\nsubject = \"S\\r\\nBcc: x@evil.example\"\ndeadline = \"09/02/2026\"\n"
            "addressees = [\"*\"]\n");
  EXPECT_EQ(Errors(path),
            dir.path() + "/consultations/k.toml:2: 'subject' must not contain a line break");
}

TEST(ConfigTest, DurationForms) {
  EXPECT_EQ(ParseDuration("24h"), std::chrono::seconds{86400});
  EXPECT_EQ(ParseDuration("90m"), std::chrono::seconds{5400});
  EXPECT_EQ(ParseDuration("2d"), std::chrono::seconds{172800});
  EXPECT_EQ(ParseDuration("15"), std::chrono::seconds{15});
  EXPECT_EQ(ParseDuration("h"), std::nullopt);
  EXPECT_EQ(ParseDuration("1w"), std::nullopt);
}

TEST(CsvTest, QuotesBomAndLines) {
  Result<std::vector<CsvRecord>> r = ParseCsv(
      "\xEF\xBB\xBF"
      "a,b\r\n\"x, \"\"y\"\"\",\"two\nlines\"\n\nlast,\n");
  ASSERT_TRUE(r.has_value());
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].fields, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ((*r)[1].fields, (std::vector<std::string>{"x, \"y\"", "two\nlines"}));
  EXPECT_EQ((*r)[2].line, 5);
  EXPECT_EQ((*r)[2].fields, (std::vector<std::string>{"last", ""}));
}

TEST(CsvTest, QuotesInsidePlainFieldsBareCrAndLinesAfterAQuotedBreak) {
  // A quote inside an unquoted field is kept as it is; a CR alone is text; a
  // quoted field over three lines moves the next record's line number on.
  Result<std::vector<CsvRecord>> r = ParseCsv("ab\"c\"d,e\rf\n\"1\n2\n3\",x\"\"\nlast\n");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  ASSERT_EQ(r->size(), 3u);
  EXPECT_EQ((*r)[0].fields, (std::vector<std::string>{"ab\"c\"d", "e\rf"}));
  EXPECT_EQ((*r)[1].line, 2);
  EXPECT_EQ((*r)[1].fields, (std::vector<std::string>{"1\n2\n3", "x\"\""}));
  EXPECT_EQ((*r)[2].line, 5);
  EXPECT_EQ((*r)[2].fields, (std::vector<std::string>{"last"}));
  // Text after a closing quote names the line the quote closed on.
  Result<std::vector<CsvRecord>> bad = ParseCsv("a\n\"one\ntwo\"x,b\n");
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().message(), "line 3: text after closing quote");
}

TEST(CsvTest, UnterminatedQuote) {
  Result<std::vector<CsvRecord>> r = ParseCsv("a,b\n\"open,\n");
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().message(), "line 2: unterminated quoted field");
}

TEST(ConfigTest, BundledExampleLoads) {
  Result<Config> c = LoadConfig(std::string(TACIT_SOURCE_DIR) + "/config/tacit.toml");
  ASSERT_TRUE(c.has_value()) << c.error().message();
  EXPECT_GE(c->units.size(), 40u);
  const Consultation* k = c->FindConsultation("dan-chu-2026");
  ASSERT_NE(k, nullptr);
  EXPECT_EQ(FormatIso(k->deadline, c->tz), "2026-02-09T23:59:59+07:00");
  EXPECT_EQ(k->topics.size(), 3u);
  EXPECT_EQ(k->addressed_units.size(), c->units.size());
}

}  // namespace
}  // namespace tacit

namespace tacit {
namespace {

TEST(ConfigMailOut, TemplatesDigestTimeAndSmtpAreChecked) {
  testing::TempDir dir;
  std::string path = testing::WriteSmallConfig(dir, "09/02/2026");
  dir.Write("consultations/k.toml",
            "id = \"k\"\nsubject = \"S\"\ndeadline = \"09/02/2026\"\naddressees = [\"*\"]\n"
            "[reminders]\nschedule = [\"-1d 08:00\"]\ndigest_at = \"8h\"\n"
            "subject = \"Nhắc {{unit}}\"\nbody = \"\"\"Gửi {{unit_name}}\nhạn {{deadline\"\"\"\n");
  dir.Write(
      "tacit.toml",
      "[daemon]\nstate_dir = \"s\"\n[smtp]\nurl = \"http://mail\"\n"
      "from = \"Phòng <vhxh@example.vn> x\"\nrate_per_minute = 0\nretry_initial = \"soon\"\n");
  const std::string f = dir.path() + "/consultations/k.toml";
  Result<Config> c = LoadConfig(path);
  ASSERT_FALSE(c.has_value());
  const std::string& m = c.error().message();
  EXPECT_NE(m.find(path + ":4: url 'http://mail' must start with smtps:// or smtp://"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find(path + ":5: from 'Phòng <vhxh@example.vn> x' must be"), std::string::npos) << m;
  EXPECT_NE(m.find(path + ":6: 'rate_per_minute' must be a whole number"), std::string::npos) << m;
  EXPECT_NE(m.find(path + ":7: retry_initial 'soon' is not a duration"), std::string::npos) << m;
  EXPECT_NE(m.find(f + ":7: digest_at '8h' must be a local time"), std::string::npos) << m;
  EXPECT_NE(m.find(f + ":8: subject: unknown field {{unit}}"), std::string::npos) << m;
  EXPECT_NE(m.find(f + ":9: body: unclosed {{"), std::string::npos) << m;
}

TEST(ConfigMailOut, NoHeaderInjectionThroughConfig) {
  testing::TempDir dir;
  std::string path = testing::WriteSmallConfig(dir, "09/02/2026");
  // A line break in the From name or subject template is refused at load.
  dir.Write("tacit.toml",
            "[daemon]\nstate_dir = \"s\"\n[smtp]\nurl = \"smtp://mail\"\n"
            "from = \"Phòng\\r\\nBcc: all@example.vn <vhxh@example.vn>\"\n");
  Result<Config> c = LoadConfig(path);
  ASSERT_FALSE(c.has_value());
  EXPECT_NE(c.error().message().find("'from' must not contain a line break"), std::string::npos)
      << c.error().message();
  dir.Write("tacit.toml",
            "[daemon]\nstate_dir = \"s\"\n[smtp]\nurl = \"smtp://mail\"\n"
            "from = \"Phòng Văn hóa – Xã hội <vhxh@example.vn>\"\n");
  c = LoadConfig(path);
  ASSERT_TRUE(c.has_value()) << c.error().message();
  EXPECT_EQ(c->smtp->from_name, "Phòng Văn hóa – Xã hội");
  EXPECT_EQ(c->smtp->from_address, "vhxh@example.vn");
  EXPECT_EQ(c->smtp->reply_to, "vhxh@example.vn");
  EXPECT_EQ(c->smtp->rate_per_minute, 20);
  // Units' names with a line break were already refused (a quoted CSV field).
  dir.Write("units.csv",
            "code,name,group,emails,aliases\nubnd,\"UBND\r\nBcc: x@y.vn\",G,ubnd@example.vn,\n");
  EXPECT_FALSE(LoadConfig(path).has_value());
}

// Found by fuzz_config: a From address that is not an address, and no
// reply_to, dereferenced the missing reply_to node (SIGSEGV in check-config).
TEST(ConfigMailOut, BadFromAddressWithoutReplyToIsReportedNotACrash) {
  testing::TempDir dir;
  std::string path = testing::WriteSmallConfig(dir, "09/02/2026");
  for (const char* from : {"Phòng Văn hóa – Xã hội <vhxh.hungdao@example.v;n>",
                           "Phòng <vhxh@example>", "vhxh@example"}) {
    dir.Write("tacit.toml", std::string("[daemon]\nstate_dir = \"s\"\n[smtp]\nurl = "
                                        "\"smtps://mail.example.vn\"\nfrom = \"") +
                                from + "\"\n");
    Result<Config> c = LoadConfig(path);
    ASSERT_FALSE(c.has_value()) << from;
    EXPECT_EQ(c.error().message(),
              path + ":5: from '" + from + "' must be \"Name <addr@domain>\" or an address");
  }
  // A reply_to that is given is still checked, at its own line.
  dir.Write("tacit.toml",
            "[daemon]\nstate_dir = \"s\"\n[smtp]\nurl = \"smtps://mail.example.vn\"\n"
            "from = \"vhxh@example.vn\"\nreply_to = \"nobody\"\n");
  Result<Config> c = LoadConfig(path);
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().message(), path + ":6: reply_to 'nobody' is not an email address");
}

}  // namespace
}  // namespace tacit
