#include "service/status_file.h"

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "core/hash.h"
#include "core/text_sink.h"
#include "support/fake_clock.h"
#include "support/temp_dir.h"

namespace tacit::service {
namespace {

using nlohmann::json;

class StatusFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<Config> c = LoadConfig(testing::WriteSmallConfig(dir_, "09/02/2026"));
    ASSERT_TRUE(c.has_value());
    config_ = std::move(*c);
    store_ = std::move(store::Store::Open(dir_.path() + "/tacit.db", config_.tz).value());
    ASSERT_TRUE(store_->SyncConfig(config_, clock_.Now(), "test").ok());
  }

  json Read(const std::string& path) {
    std::ifstream in(path);
    return json::parse(in);
  }

  testing::TempDir dir_;
  testing::FakeClock clock_{TimePoint{std::chrono::seconds{1770267600}}};
  Config config_;
  std::unique_ptr<store::Store> store_;
  PosixFileSystem fs_;
};

TEST_F(StatusFileTest, ShapeIsTheSpecs) {
  store::NewReply r;
  r.consultation_id = "dan-chu-2026";
  r.unit_code = "tdp-01";
  r.received_at = clock_.Now();
  r.stance = Stance::kComments;
  r.content_hash = Sha256Hex("x");
  ASSERT_TRUE(store_->RecordReply(r, clock_.Now(), "test").has_value());
  const std::string path = dir_.path() + "/status.json";
  ASSERT_TRUE(WriteStatusFile(*store_, fs_, path, clock_.Now(), config_.tz).ok());
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  json j = Read(path);
  EXPECT_EQ(j["generated_at"], "2026-02-05T12:00:00+07:00");
  EXPECT_EQ(j["unmatched"], 0);
  ASSERT_EQ(j["consultations"].size(), 1u);
  json c = j["consultations"][0];
  EXPECT_EQ(c["id"], "dan-chu-2026");
  EXPECT_EQ(c["reference"], "12/VH-XH");
  EXPECT_EQ(c["subject"], "Xin ý kiến dự thảo");
  EXPECT_EQ(c["deadline"], "2026-02-09T23:59:59+07:00");
  EXPECT_EQ(c["state"], "open");
  EXPECT_EQ(c["counts"], json::parse(R"({"addressed": 4, "pending": 3, "replied": 1, "agree": 0,
      "comments": 1, "object": 0, "unknown": 0, "deemed_consent": 0, "no_response": 0,
      "late": 0, "excluded": 0})"));
  json u = c["units"][2];
  EXPECT_EQ(u, json::parse(R"({"code": "tdp-01", "name": "Tổ dân phố số 1", "group": "Tổ dân phố",
      "status": "replied", "stance": "comments", "channel": "manual",
      "replied_at": "2026-02-05T12:00:00+07:00", "late_reply": false, "replies": 1,
      "reminders_sent": 0, "notice_failed": false, "failed_addresses": []})"));
  json pending = c["units"][0];
  EXPECT_EQ(pending["status"], "pending");
  EXPECT_TRUE(pending["stance"].is_null());
  EXPECT_TRUE(pending["channel"].is_null());
  EXPECT_TRUE(pending["replied_at"].is_null());
}

TEST_F(StatusFileTest, FailedWriteKeepsTheOldFile) {
  const std::string path = dir_.path() + "/status.json";
  ASSERT_TRUE(WriteStatusFile(*store_, fs_, path, clock_.Now(), config_.tz).ok());
  // A directory squatting on the temp name makes the next write fail.
  std::filesystem::create_directory(path + ".tmp");
  clock_.Advance(std::chrono::hours{1});
  Status s = WriteStatusFile(*store_, fs_, path, clock_.Now(), config_.tz);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(Read(path)["generated_at"], "2026-02-05T12:00:00+07:00");
}

// Every optional field and branch of the status file, and its layout: one
// pretty dump (what nlohmann's dump(2) of the same document gives).
TEST_F(StatusFileTest, EveryFieldAndBranchInOnePrettyDocument) {
  const TimePoint t0 = clock_.Now();
  store::ConsultationState open;
  open.id = "dan-chu-2026";
  open.reference = "12/VH-XH";
  open.subject = "Xin ý kiến \"dự thảo\"\\ về\tquy chế\n";
  open.deadline = t0 + std::chrono::hours{24};
  store::UnitState pending;
  pending.code = "tdp-01";
  pending.name = "Tổ dân phố số 1";
  pending.group = "Tổ dân phố";
  store::UnitState replied = pending;
  replied.code = "cong-an";
  replied.name = std::string("Công an phường \x01\x1f\x7f");
  replied.status = UnitStatus::kReplied;
  replied.stance = Stance::kObject;
  replied.channel = Channel::kImap;
  replied.replied_at = t0 - std::chrono::minutes{5};
  replied.late_reply = true;
  replied.replies = 3;
  replied.reminders_sent = 2;
  replied.needs_check = true;
  replied.unit_deadline = t0 + std::chrono::hours{48};
  store::UnitState failed = pending;
  failed.code = "truong-th";
  failed.notice_failed = true;
  failed.failed_addresses = {"a@truong.edu.vn", "b@truong.edu.vn"};
  store::UnitState excluded = pending;
  excluded.code = "hoi-cct";
  excluded.status = UnitStatus::kExcluded;
  excluded.excluded_reason = "Đã giải thể";
  open.units = {pending, replied, failed, excluded};
  store::ConsultationState closed = open;
  closed.id = "an-ninh";
  closed.closed = true;
  closed.closed_at = t0 - std::chrono::hours{1};
  closed.units[0].status = UnitStatus::kDeemedConsent;
  store::ConsultationState empty = open;
  empty.id = "rong";
  empty.units.clear();
  const std::vector<store::ConsultationState> all = {open, closed, empty};
  const std::map<std::string, std::string> waiting = {{"an-ninh", "waiting for imap"}};
  const std::string text = StatusFileText(all, 7, t0, config_.tz, waiting);
  using ojson = nlohmann::ordered_json;
  const ojson j = ojson::parse(text);
  EXPECT_EQ(text, j.dump(2) + "\n");
  EXPECT_EQ(j["unmatched"], 7);
  ASSERT_EQ(j["consultations"].size(), 3u);
  const ojson& o = j["consultations"][0];
  EXPECT_EQ(o["subject"], open.subject);
  EXPECT_EQ(o["state"], "open");
  EXPECT_FALSE(o.contains("deadline_applied_at"));
  EXPECT_TRUE(o["deadline_waiting"].is_null());
  EXPECT_EQ(o["counts"], ojson::parse(R"({"addressed": 3, "pending": 2, "replied": 1, "agree": 0,
      "comments": 0, "object": 1, "unknown": 0, "deemed_consent": 0, "no_response": 0,
      "late": 1, "excluded": 1})"));
  ojson unit = o["units"][1];
  EXPECT_EQ(unit["name"], replied.name);
  unit.erase("name");
  EXPECT_EQ(unit, ojson::parse(R"({"code": "cong-an",
      "group": "Tổ dân phố", "status": "replied", "stance": "object", "channel": "imap",
      "replied_at": "2026-02-05T11:55:00+07:00", "late_reply": true, "replies": 3,
      "reminders_sent": 2, "notice_failed": false, "failed_addresses": [],
      "deadline": "2026-02-07T12:00:00+07:00", "needs_check": true})"));
  EXPECT_EQ(o["units"][2]["failed_addresses"],
            ojson::parse(R"(["a@truong.edu.vn", "b@truong.edu.vn"])"));
  EXPECT_TRUE(o["units"][2]["notice_failed"]);
  EXPECT_EQ(o["units"][3]["status"], "excluded");
  EXPECT_EQ(o["units"][3]["excluded_reason"], "Đã giải thể");
  EXPECT_FALSE(o["units"][0].contains("excluded_reason"));
  EXPECT_FALSE(o["units"][0].contains("deadline"));
  EXPECT_FALSE(o["units"][0].contains("needs_check"));
  const ojson& c = j["consultations"][1];
  EXPECT_EQ(c["state"], "closed");
  EXPECT_EQ(c["deadline_applied_at"], "2026-02-05T11:00:00+07:00");
  EXPECT_EQ(c["deadline_waiting"], "waiting for imap");
  EXPECT_EQ(c["units"][0]["status"], "deemed_consent");
  EXPECT_EQ(j["consultations"][2]["units"], ojson::array());
  EXPECT_EQ(StatusJson(all, 7, t0, config_.tz, waiting), j);
  const std::string none = StatusFileText({}, 0, t0, config_.tz);
  EXPECT_EQ(none, ojson::parse(none).dump(2) + "\n");
  EXPECT_EQ(ojson::parse(none)["consultations"], ojson::array());
}

// The status file is streamed to disk in chunks (issue 9: at 100,000 units
// its whole text was tacitd's largest block): what lands in the file is
// StatusFileText byte for byte, over many chunks, and the old file stays when
// the write fails.
TEST_F(StatusFileTest, StreamedFileIsTheTextOverManyChunks) {
  store::ConsultationState c;
  c.id = "lon";
  c.subject = "Xin ý kiến";
  c.deadline = clock_.Now();
  for (int i = 0; i < 12000; ++i) {
    store::UnitState u;
    u.code = "u" + std::to_string(i);
    u.name = "Tổ dân phố số " + std::to_string(i);
    u.group = "Tổ dân phố";
    if (i % 3 == 0) {
      u.status = UnitStatus::kReplied;
      u.stance = Stance::kAgree;
      u.replied_at = clock_.Now();
      u.replies = 1;
    }
    c.units.push_back(std::move(u));
  }
  const std::vector<store::ConsultationState> all = {c};
  const std::string text = StatusFileText(all, 3, clock_.Now(), config_.tz);
  ASSERT_GT(text.size(), 3 * TextSink::kChunk);
  const std::string path = dir_.path() + "/status.json";
  ASSERT_TRUE(WriteStatusFile(fs_, path, all, 3, clock_.Now(), config_.tz).ok());
  EXPECT_EQ(fs_.ReadFile(path).value(), text);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
  // Into a folder that is not there: an error, nothing left behind.
  const std::string missing = dir_.path() + "/no/status.json";
  EXPECT_FALSE(WriteStatusFile(fs_, missing, all, 3, clock_.Now(), config_.tz).ok());
  EXPECT_FALSE(std::filesystem::exists(missing + ".tmp"));
}

}  // namespace
}  // namespace tacit::service
