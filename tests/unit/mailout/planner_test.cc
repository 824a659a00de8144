// What mail is due, and the outbox that makes each slot go out at most once
// (issue 6), with a fake clock and a real SQLite file.
#include "mailout/planner.h"

#include <fstream>

#include <gtest/gtest.h>

#include "core/hash.h"
#include "ingest/ingestor.h"
#include "mail/mime.h"
#include "support/fake_clock.h"
#include "support/temp_dir.h"

namespace tacit::mailout {
namespace {

using namespace std::chrono_literals;
using store::OutboxState;
using testing::FakeClock;
using testing::TempDir;

class PlannerTest : public ::testing::Test {
 protected:
  void SetUp() override { Load(); }

  void Load(const std::string& reminders =
                "[reminders]\n"
                "schedule = [\"-3d 08:00\", \"-1d 08:00\", \"0d 08:00\"]\n"
                "working_days_only = true\n"
                "report_to = [\"vhxh@example.vn\"]\n") {
    std::string path = testing::WriteSmallConfig(dir_, "09/02/2026", "consent", "dan-chu-2026");
    {
      std::ofstream c(dir_.path() + "/consultations/dan-chu-2026.toml", std::ios::app);
      c << reminders;
      std::ofstream t(path, std::ios::app);
      t << "[smtp]\nurl = \"smtp://127.0.0.1:2525\"\n"
           "from = \"Phòng Văn hóa – Xã hội <vhxh@example.vn>\"\n";
    }
    Result<Config> c = LoadConfig(path);
    ASSERT_TRUE(c.has_value()) << c.error().message();
    config_ = std::move(*c);
    if (!store_) {
      auto s = store::Store::Open(dir_.path() + "/tacit.db", config_.tz);
      ASSERT_TRUE(s.has_value()) << s.error().message();
      store_ = std::move(*s);
    }
    ASSERT_TRUE(store_->SyncConfig(config_, clock_.Now(), "test").ok());
  }

  TimePoint Local(const std::string& text) {
    return *ParseDate(text, config_.tz, DateKind::kInstant);
  }

  std::vector<store::PlannedMessage> Plan() {
    Result<std::vector<store::PlannedMessage>> p =
        PlanDue(config_, *config_.smtp, *store_, clock_.Now());
    EXPECT_TRUE(p.has_value()) << p.error().message();
    return p.has_value() ? *p : std::vector<store::PlannedMessage>{};
  }

  int PlanAndStore() {
    Result<int> n = store_->PlanMessages(Plan(), clock_.Now(), "test");
    EXPECT_TRUE(n.has_value());
    return n.has_value() ? *n : -1;
  }

  std::vector<store::OutboxRow> Outbox() { return *store_->Outbox("dan-chu-2026"); }

  void Reply(const std::string& unit) {
    store::NewReply r;
    r.consultation_id = "dan-chu-2026";
    r.unit_code = unit;
    r.received_at = clock_.Now();
    r.stance = Stance::kAgree;
    r.text = "Nhất trí";
    r.content_hash = Sha256Hex(unit);
    ASSERT_TRUE(store_->RecordReply(r, clock_.Now(), "test").has_value());
  }

  TempDir dir_;
  FakeClock clock_{TimePoint{std::chrono::seconds{1769904000}}};  // 01/02/2026 07:00 +07
  Config config_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(PlannerTest, NothingBeforeTheFirstSlot) {
  clock_.Set(Local("06/02/2026 07:59"));
  for (const auto& m : Plan()) EXPECT_NE(m.kind, "reminder");
}

TEST_F(PlannerTest, FirstSlotGoesToPendingUnitsWithAnEmail) {
  clock_.Set(Local("06/02/2026 08:00"));  // Friday; -1d (Sunday) moved here too
  std::vector<store::PlannedMessage> plan = Plan();
  std::vector<std::string> units;
  for (const auto& m : plan) {
    if (m.kind == "reminder") units.push_back(m.unit_code);
  }
  // tdp-02 has no email.
  EXPECT_EQ(units, (std::vector<std::string>{"ubnd", "cong-an", "tdp-01"}));
  const store::PlannedMessage& m = plan.front();
  EXPECT_EQ(m.message_id, "tacit.reminder.dan-chu-2026.ubnd.20260206T0800@example.vn");
  EXPECT_EQ(m.recipients, (std::vector<std::string>{"ubnd@example.vn"}));
  EXPECT_NE(m.subject.find("[tacit:dan-chu-2026]"), std::string::npos);
  Result<mail::ParsedMessage> parsed = mail::ParseMessage(m.message);
  ASSERT_TRUE(parsed.has_value());
  const std::string& body = parsed->candidate.own_text;
  EXPECT_NE(body.find("Kính gửi: Ủy ban nhân dân phường"), std::string::npos) << body;
  EXPECT_NE(body.find("23 giờ 59 phút ngày 09/02/2026"), std::string::npos) << body;
  EXPECT_NE(body.find("được hiểu là đồng ý"), std::string::npos) << body;
  EXPECT_NE(body.find("12/VH-XH"), std::string::npos) << body;
}

TEST_F(PlannerTest, EachSlotIsPlannedOnceAndNotToUnitsThatReplied) {
  clock_.Set(Local("06/02/2026 08:00"));
  EXPECT_EQ(PlanAndStore(), 4);  // 3 reminders + today's digest
  EXPECT_EQ(PlanAndStore(), 0);  // a second pass (or a restart) adds nothing
  Reply("cong-an");
  clock_.Set(Local("09/02/2026 08:00"));
  Plan();
  int reminders = 0;
  for (const auto& m : Plan()) {
    if (m.kind != "reminder") continue;
    ++reminders;
    EXPECT_NE(m.unit_code, "cong-an");
  }
  EXPECT_EQ(reminders, 2);
}

TEST_F(PlannerTest, MissedSlotsAreSkippedNotBurst) {
  // tacitd was down from before -3d until the deadline day, 08:30.
  clock_.Set(Local("09/02/2026 08:30"));
  ASSERT_GT(PlanAndStore(), 0);
  int planned = 0, skipped = 0;
  for (const auto& r : Outbox()) {
    if (r.kind != "reminder") continue;
    if (r.state == OutboxState::kPlanned) {
      ++planned;
      EXPECT_EQ(r.slot, "2026-02-09 08:00");
    }
    if (r.state == OutboxState::kSkipped) ++skipped;
  }
  EXPECT_EQ(planned, 3);  // one per unit with an email: the latest slot only
  EXPECT_EQ(skipped, 3);  // the Friday slot, once per unit
}

TEST_F(PlannerTest, NothingAfterTheDeadline) {
  clock_.Set(Local("10/02/2026 08:00"));
  for (const auto& m : Plan()) {
    EXPECT_NE(m.kind, "reminder");
    EXPECT_NE(m.kind, "digest");
  }
}

TEST_F(PlannerTest, FinalReportOnceAfterTheDeadlineIsApplied) {
  clock_.Set(Local("10/02/2026 00:01"));
  ASSERT_TRUE(store_->ApplyDueDeadlines(clock_.Now(), {}, "test").has_value());
  std::vector<store::PlannedMessage> plan = Plan();
  ASSERT_EQ(plan.size(), 1u);
  EXPECT_EQ(plan[0].kind, "report");
  Result<mail::ParsedMessage> parsed = mail::ParseMessage(plan[0].message);
  ASSERT_TRUE(parsed.has_value());
  ASSERT_EQ(parsed->attachments.size(), 3u);
  EXPECT_EQ(parsed->attachments[0].name, "dan-chu-2026.html");
  EXPECT_EQ(parsed->attachments[2].name, "dan-chu-2026.docx");
  EXPECT_EQ(parsed->attachments[2].bytes.substr(0, 2), "PK");
  EXPECT_NE(parsed->attachments[1].bytes.find("Tổ dân phố số 1"), std::string::npos);
  EXPECT_EQ(PlanAndStore(), 1);
  EXPECT_EQ(PlanAndStore(), 0);
}

TEST_F(PlannerTest, OutboxLifecycleCountsRemindersAndFailedAddresses) {
  clock_.Set(Local("06/02/2026 08:00"));
  PlanAndStore();
  auto next = store_->NextOutgoing(clock_.Now());
  ASSERT_TRUE(next.has_value() && next->has_value());
  const store::OutboxRow row = **next;
  ASSERT_TRUE(store_->MarkSending(row.id, clock_.Now()).ok());
  // Crash here: the row is still due, with the same Message-ID.
  auto again = store_->NextOutgoing(clock_.Now());
  ASSERT_TRUE(again.has_value() && again->has_value());
  EXPECT_EQ((*again)->id, row.id);
  EXPECT_EQ((*again)->message_id, row.message_id);
  ASSERT_TRUE(store_->MarkSent(row.id, clock_.Now(), {}, "test").ok());
  // A second MarkSent (a resend after a crash) changes nothing.
  ASSERT_TRUE(store_->MarkSent(row.id, clock_.Now(), {}, "test").ok());
  auto sent = store_->FindSent(row.message_id);
  ASSERT_TRUE(sent.has_value() && sent->has_value());
  EXPECT_EQ((*sent)->second, row.unit_code);

  auto next2 = *store_->NextOutgoing(clock_.Now());
  ASSERT_TRUE(next2);
  ASSERT_TRUE(store_->MarkSending(next2->id, clock_.Now()).ok());
  ASSERT_TRUE(store_->MarkFailed(next2->id, clock_.Now(), "550 5.1.1 no such user", "test").ok());

  auto cs = *store_->Consultations("dan-chu-2026");
  for (const auto& u : cs.front().units) {
    if (u.code == row.unit_code) {
      EXPECT_EQ(u.reminders_sent, 1);
      EXPECT_FALSE(u.notice_failed);
    }
    if (u.code == next2->unit_code) {
      EXPECT_EQ(u.reminders_sent, 0);
      EXPECT_TRUE(u.notice_failed);  // its only address failed
    }
  }
  auto failed = *store_->FailedAddresses("dan-chu-2026");
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].reason, "550 5.1.1 no such user");
  bool event = false;
  for (const auto& e : *store_->Events("dan-chu-2026")) event = event || e.kind == "reminder_sent";
  EXPECT_TRUE(event);
}

TEST_F(PlannerTest, ABounceOfAReminderFailsTheAddressAndAReplyToItMatches) {
  clock_.Set(Local("06/02/2026 08:00"));
  PlanAndStore();
  std::string cong_an_id, tdp_id;
  for (const auto& r : Outbox()) {
    if (r.kind != "reminder") continue;
    ASSERT_TRUE(store_->MarkSending(r.id, clock_.Now()).ok());
    ASSERT_TRUE(store_->MarkSent(r.id, clock_.Now(), {}, "test").ok());
    if (r.unit_code == "cong-an") cong_an_id = r.message_id;
    if (r.unit_code == "tdp-01") tdp_id = r.message_id;
  }
  ASSERT_FALSE(cong_an_id.empty());
  ingest::Ingestor ingestor(*store_, clock_, config_);
  std::string dsn =
      "From: MAILER-DAEMON@example.vn\nTo: vhxh@example.vn\nSubject: Undelivered Mail\n"
      "Date: Fri, 6 Feb 2026 08:05:00 +0700\nMessage-ID: <dsn-9@example.vn>\nMIME-Version: 1.0\n"
      "Content-Type: multipart/report; report-type=delivery-status; boundary=b\n\n"
      "--b\nContent-Type: text/plain\n\nUser unknown\n"
      "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; example.vn\n\n"
      "Final-Recipient: rfc822; congan@example.vn\nAction: failed\nStatus: 5.1.1\n"
      "--b\nContent-Type: text/rfc822-headers\n\nMessage-ID: <" +
      cong_an_id + ">\nSubject: x\n--b--\n";
  Result<mail::ParsedMessage> parsed = mail::ParseMessage(dsn);
  ASSERT_TRUE(parsed.has_value());
  parsed->candidate.channel = Channel::kMaildir;
  parsed->candidate.received_at = clock_.Now();
  Result<ingest::IngestResult> r = ingestor.Ingest(parsed->candidate, "maildir:dsn");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_EQ(r->disposition, ingest::Disposition::kNotAReply);
  EXPECT_TRUE(r->bounce_recorded);
  // A reply to tdp-01's reminder from an address tacit does not know.
  std::string reply =
      "From: thuky@gmail.com\nTo: vhxh@example.vn\nSubject: Re: nhac\n"
      "Date: Fri, 6 Feb 2026 09:00:00 +0700\nMessage-ID: <r1@gmail.com>\n"
      "In-Reply-To: <" +
      tdp_id + ">\n\nNhất trí.\n";
  parsed = mail::ParseMessage(reply);
  ASSERT_TRUE(parsed.has_value());
  parsed->candidate.channel = Channel::kMaildir;
  parsed->candidate.received_at = clock_.Now();
  r = ingestor.Ingest(parsed->candidate, "maildir:r1");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->disposition, ingest::Disposition::kRecorded);
  EXPECT_EQ(r->match.unit_code.value_or(""), "tdp-01");
  auto cs = *store_->Consultations("dan-chu-2026");
  for (const auto& u : cs.front().units) {
    if (u.code == "cong-an") {
      EXPECT_TRUE(u.notice_failed);
      EXPECT_EQ(u.failed_addresses, (std::vector<std::string>{"congan@example.vn"}));
    }
    if (u.code == "tdp-01") {
      EXPECT_EQ(u.status, UnitStatus::kReplied);
    }
  }
}

TEST_F(PlannerTest, RetryWaitsAndCancelledIsNeverSent) {
  clock_.Set(Local("06/02/2026 08:00"));
  PlanAndStore();
  auto row = **store_->NextOutgoing(clock_.Now());
  ASSERT_TRUE(store_->MarkSending(row.id, clock_.Now()).ok());
  ASSERT_TRUE(store_->MarkRetry(row.id, clock_.Now() + 60s, "451 try later").ok());
  auto next = **store_->NextOutgoing(clock_.Now());
  EXPECT_NE(next.id, row.id);
  EXPECT_EQ(**store_->NextOutgoingAt(), clock_.Now());
  ASSERT_TRUE(store_->Cancel(next.id, "replied").ok());
  clock_.Advance(61s);
  bool seen_retry = false;
  while (auto n = *store_->NextOutgoing(clock_.Now())) {
    EXPECT_NE(n->id, next.id);
    seen_retry = seen_retry || n->id == row.id;
    ASSERT_TRUE(store_->MarkSending(n->id, clock_.Now()).ok());
    ASSERT_TRUE(store_->MarkSent(n->id, clock_.Now(), {}, "test").ok());
  }
  EXPECT_TRUE(seen_retry);
}

TEST_F(PlannerTest, DryRunShowsEveryUnitAndSlot) {
  clock_.Set(Local("06/02/2026 09:00"));
  Reply("ubnd");
  auto lines = DryRun(config_, *config_.smtp, *store_, "dan-chu-2026", clock_.Now());
  ASSERT_TRUE(lines.has_value()) << lines.error().message();
  // 2 slots (Friday, Monday) x 4 units.
  ASSERT_EQ(lines->size(), 8u);
  std::map<std::string, std::string> first, last;
  for (const auto& l : *lines) {
    if (l.slot == "-3d 08:00") first[l.unit_code] = l.state;
    if (l.slot == "0d 08:00") last[l.unit_code] = l.state;
  }
  EXPECT_EQ(first["ubnd"], "not pending");
  EXPECT_EQ(first["cong-an"], "due");
  EXPECT_EQ(first["tdp-02"], "no email");
  EXPECT_EQ(last["cong-an"], "scheduled");
  EXPECT_EQ(last["ubnd"], "not pending");
}

TEST_F(PlannerTest, TemplatesFromConfig) {
  Load(
      "[reminders]\n"
      "schedule = [\"-1d 08:00\"]\n"
      "subject = \"Hạn {{deadline_date}}: {{reference}}\"\n"
      "body = \"\"\"Gửi {{unit_name}} ({{group}}),\nhạn {{deadline}}.\"\"\"\n");
  clock_.Set(Local("08/02/2026 08:00"));
  auto plan = Plan();
  ASSERT_FALSE(plan.empty());
  EXPECT_EQ(plan[0].subject, "Hạn 09/02/2026: 12/VH-XH [tacit:dan-chu-2026]");
  Result<mail::ParsedMessage> parsed = mail::ParseMessage(plan[0].message);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_NE(
      parsed->candidate.own_text.find("Gửi Ủy ban nhân dân phường (Lãnh đạo),\nhạn 23 giờ 59"),
      std::string::npos)
      << parsed->candidate.own_text;
}

}  // namespace
}  // namespace tacit::mailout
