// The state machine of SPEC §1-§2 through the Store, with a fake clock and a real
// SQLite file.
#include "store/store.h"

#include <fstream>

#include <gtest/gtest.h>

#include "core/hash.h"
#include "support/fake_clock.h"
#include "support/temp_dir.h"

namespace tacit::store {
namespace {

using namespace std::chrono_literals;
using testing::FakeClock;
using testing::TempDir;

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Load("09/02/2026"); }

  void Load(const std::string& deadline, const std::string& silence = "consent") {
    config_path_ = testing::WriteSmallConfig(dir_, deadline, silence);
    Result<Config> c = LoadConfig(config_path_);
    ASSERT_TRUE(c.has_value()) << c.error().message();
    config_ = std::move(*c);
    if (!store_) {
      auto s = Store::Open(dir_.path() + "/tacit.db", config_.tz);
      ASSERT_TRUE(s.has_value()) << s.error().message();
      store_ = std::move(*s);
    }
    ASSERT_TRUE(store_->SyncConfig(config_, clock_.Now(), "test").ok());
  }

  TimePoint Local(const std::string& text) {
    return *ParseDate(text, config_.tz, DateKind::kInstant);
  }

  RecordOutcome Record(const std::string& unit, TimePoint received, Stance stance = Stance::kAgree,
                       const std::string& text = "Nhất trí") {
    NewReply r;
    r.consultation_id = "dan-chu-2026";
    r.unit_code = unit;
    r.received_at = received;
    r.stance = stance;
    r.text = text;
    r.content_hash = Sha256Hex(unit + text + std::to_string(received.time_since_epoch().count()));
    Result<RecordOutcome> out = store_->RecordReply(r, clock_.Now(), "test");
    EXPECT_TRUE(out.has_value()) << out.error().message();
    return out.has_value() ? *out : RecordOutcome{};
  }

  DeadlineReport Apply(DeadlineGate gate = {}) {
    Result<DeadlineReport> r = store_->ApplyDueDeadlines(clock_.Now(), gate, "test");
    EXPECT_TRUE(r.has_value()) << r.error().message();
    return r.has_value() ? *r : DeadlineReport{};
  }

  ConsultationState State() { return store_->Consultations("dan-chu-2026")->front(); }

  UnitState Unit(const std::string& code) {
    for (const UnitState& u : State().units) {
      if (u.code == code) return u;
    }
    ADD_FAILURE() << "no unit " << code;
    return {};
  }

  std::vector<std::string> EventKinds() {
    std::vector<std::string> out;
    for (const EventRow& e : *store_->Events("dan-chu-2026")) {
      out.push_back(e.kind + (e.unit_code.empty() ? "" : ":" + e.unit_code));
    }
    return out;
  }

  TempDir dir_;
  FakeClock clock_{TimePoint{std::chrono::seconds{1770267600}}};  // 05/02/2026 12:00 +07
  std::string config_path_;
  Config config_;
  std::unique_ptr<Store> store_;
};

TEST_F(StoreTest, EveryAddresseeStartsPending) {
  ConsultationState c = State();
  EXPECT_FALSE(c.closed);
  ASSERT_EQ(c.units.size(), 4u);
  for (const UnitState& u : c.units) EXPECT_EQ(u.status, UnitStatus::kPending) << u.code;
  EXPECT_EQ(c.units[0].code, "ubnd");  // units.csv order
}

TEST_F(StoreTest, ReplyBeforeDeadlineThenDeadlineDeemsTheRest) {
  RecordOutcome out = Record("tdp-01", Local("06/02/2026 09:00"));
  EXPECT_FALSE(out.late);
  EXPECT_EQ(Unit("tdp-01").status, UnitStatus::kReplied);
  EXPECT_EQ(Unit("tdp-01").stance, Stance::kAgree);
  EXPECT_EQ(Unit("tdp-01").channel, Channel::kManual);

  clock_.Set(Local("09/02/2026 23:59"));
  EXPECT_TRUE(Apply().applied.empty());  // not yet past
  EXPECT_EQ(Unit("ubnd").status, UnitStatus::kPending);

  clock_.Set(Local("10/02/2026 00:00"));
  DeadlineReport r = Apply();
  EXPECT_EQ(r.applied, (std::vector<std::string>{"dan-chu-2026"}));
  ConsultationState c = State();
  EXPECT_TRUE(c.closed);
  EXPECT_EQ(Unit("tdp-01").status, UnitStatus::kReplied);
  for (const char* code : {"ubnd", "cong-an", "tdp-02"}) {
    EXPECT_EQ(Unit(code).status, UnitStatus::kDeemedConsent) << code;
  }
  // Applied exactly once: a second pass (or a restart) changes nothing.
  size_t events = EventKinds().size();
  EXPECT_TRUE(Apply().applied.empty());
  EXPECT_EQ(EventKinds().size(), events);
}

TEST_F(StoreTest, DeadlineEventsAreStampedWithTheDeadline) {
  clock_.Set(Local("15/02/2026 08:00"));  // tacitd was down at the deadline
  Apply();
  std::vector<EventRow> events = *store_->Events("dan-chu-2026");
  const EventRow& last = events.back();
  EXPECT_EQ(last.kind, "deadline_applied");
  EXPECT_EQ(last.effective_at, config_.consultations[0].deadline);
  EXPECT_EQ(last.at, clock_.Now());
  EXPECT_EQ(last.detail,
            "deadline 09/02/2026 23:59 applied at 2026-02-15T08:00:00+07:00: 4 silent units -> "
            "deemed_consent");
  int deemed = 0;
  for (const EventRow& e : events) {
    if (e.kind == "status_changed") {
      ++deemed;
      EXPECT_EQ(e.effective_at, config_.consultations[0].deadline);
    }
  }
  EXPECT_EQ(deemed, 4);
}

TEST_F(StoreTest, LateReplyIsKeptAndFlaggedButStatusStays) {
  clock_.Set(Local("10/02/2026 08:00"));
  Apply();
  RecordOutcome out = Record("cong-an", Local("10/02/2026 07:30"), Stance::kObject, "Không đồng ý");
  EXPECT_TRUE(out.late);
  UnitState u = Unit("cong-an");
  EXPECT_EQ(u.status, UnitStatus::kDeemedConsent);
  EXPECT_TRUE(u.late_reply);
  EXPECT_EQ(u.replies, 1);
  EXPECT_EQ(u.stance, Stance::kObject);
  std::vector<ReplyRow> replies = *store_->Replies("dan-chu-2026", "cong-an");
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_TRUE(replies[0].late);
}

TEST_F(StoreTest, PaperReplyReceivedOnTimeButEnteredLateCounts) {
  clock_.Set(Local("11/02/2026 08:00"));
  Apply();
  RecordOutcome out = Record("tdp-02", Local("09/02/2026 16:00"));
  EXPECT_FALSE(out.late);
  EXPECT_EQ(Unit("tdp-02").status, UnitStatus::kReplied);
  EXPECT_FALSE(Unit("tdp-02").late_reply);
}

TEST_F(StoreTest, SilenceMeansNoResponse) {
  Load("09/02/2026", "no_response");
  clock_.Set(Local("10/02/2026 00:00"));
  Apply();
  EXPECT_EQ(Unit("ubnd").status, UnitStatus::kNoResponse);
}

TEST_F(StoreTest, ClockJumpBackDoesNotRepeatOrUndo) {
  clock_.Set(Local("10/02/2026 00:00"));
  Apply();
  size_t events = EventKinds().size();
  clock_.Set(Local("01/02/2026 00:00"));  // NTP correction far back
  EXPECT_TRUE(Apply().applied.empty());
  EXPECT_EQ(Unit("ubnd").status, UnitStatus::kDeemedConsent);
  clock_.Set(Local("10/02/2026 00:00"));
  EXPECT_TRUE(Apply().applied.empty());
  EXPECT_EQ(EventKinds().size(), events);
}

TEST_F(StoreTest, ClockJumpForwardPastTheDeadlineAppliesOnce) {
  clock_.Set(Local("20/03/2026 00:00"));
  EXPECT_EQ(Apply().applied.size(), 1u);
  EXPECT_TRUE(Apply().applied.empty());
}

TEST_F(StoreTest, ExtensionReopensAClosedConsultation) {
  clock_.Set(Local("10/02/2026 08:00"));
  Apply();
  Record("tdp-01", Local("10/02/2026 07:00"));  // late under the old deadline
  ASSERT_TRUE(store_
                  ->Extend("dan-chu-2026", *ParseDate("16/02/2026", config_.tz), std::nullopt,
                           clock_.Now(), "test")
                  .ok());
  ConsultationState c = State();
  EXPECT_FALSE(c.closed);
  EXPECT_EQ(FormatIso(c.deadline, config_.tz), "2026-02-16T23:59:59+07:00");
  EXPECT_EQ(Unit("ubnd").status, UnitStatus::kPending);
  EXPECT_EQ(Unit("tdp-01").status, UnitStatus::kReplied);  // now on time
  EXPECT_FALSE(Unit("tdp-01").late_reply);
  EXPECT_EQ(*store_->NextDeadline(), *ParseDate("16/02/2026", config_.tz) + 1s);

  clock_.Set(Local("17/02/2026 00:00"));
  EXPECT_EQ(Apply().applied.size(), 1u);
  EXPECT_EQ(Unit("ubnd").status, UnitStatus::kDeemedConsent);
  std::vector<std::string> kinds = EventKinds();
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "deadline_applied"), 2);
  EXPECT_EQ(std::count(kinds.begin(), kinds.end(), "deadline_extended"), 1);
}

TEST_F(StoreTest, ExtensionToThePastIsRefused) {
  Status s = store_->Extend("dan-chu-2026", *ParseDate("01/02/2026", config_.tz), std::nullopt,
                            clock_.Now(), "test");
  EXPECT_EQ(s.code(), ErrorCode::kBadInput);
  EXPECT_EQ(s.message(), "the new deadline 01/02/2026 23:59 is already past");
  EXPECT_EQ(
      store_
          ->Extend("nope", *ParseDate("20/02/2026", config_.tz), std::nullopt, clock_.Now(), "test")
          .message(),
      "no consultation 'nope'");
}

TEST_F(StoreTest, OneUnitExtensionKeepsItPendingAfterTheOthersClose) {
  ASSERT_TRUE(store_
                  ->Extend("dan-chu-2026", *ParseDate("13/02/2026", config_.tz),
                           std::string("tdp-02"), clock_.Now(), "test")
                  .ok());
  clock_.Set(Local("10/02/2026 00:00"));
  Apply();
  EXPECT_TRUE(State().closed);
  EXPECT_EQ(Unit("ubnd").status, UnitStatus::kDeemedConsent);
  EXPECT_EQ(Unit("tdp-02").status, UnitStatus::kPending);
  EXPECT_EQ(FormatIso(*Unit("tdp-02").unit_deadline, config_.tz), "2026-02-13T23:59:59+07:00");
  Record("tdp-02", Local("12/02/2026 10:00"), Stance::kComments, "Đề nghị bổ sung");
  EXPECT_EQ(Unit("tdp-02").status, UnitStatus::kReplied);
  EXPECT_FALSE(Unit("tdp-02").late_reply);
}

TEST_F(StoreTest, OneUnitExtensionExpiresOnItsOwn) {
  ASSERT_TRUE(store_
                  ->Extend("dan-chu-2026", *ParseDate("13/02/2026", config_.tz),
                           std::string("tdp-02"), clock_.Now(), "test")
                  .ok());
  clock_.Set(Local("10/02/2026 00:00"));
  Apply();
  EXPECT_EQ(*store_->NextDeadline(), *ParseDate("13/02/2026", config_.tz) + 1s);
  clock_.Set(Local("14/02/2026 00:00"));
  Apply();
  EXPECT_EQ(Unit("tdp-02").status, UnitStatus::kDeemedConsent);
  EXPECT_EQ(*store_->NextDeadline(), std::nullopt);
}

TEST_F(StoreTest, UnreachableSourceHoldsTheDeadlineUpToTheGrace) {
  DeadlineGate gate{{"imap"}, 24h};
  clock_.Set(Local("10/02/2026 06:00"));
  DeadlineReport r = Apply(gate);
  EXPECT_TRUE(r.applied.empty());
  EXPECT_EQ(r.waiting,
            (std::vector<std::string>{"dan-chu-2026: waiting for imap (until 10/02/2026 23:59)"}));
  EXPECT_EQ(Unit("ubnd").status, UnitStatus::kPending);
  clock_.Set(Local("11/02/2026 00:00"));
  r = Apply(gate);
  EXPECT_EQ(r.applied.size(), 1u);
  EXPECT_NE(store_->Events("dan-chu-2026")
                ->back()
                .detail.find("sources not checked (unreachable for the whole grace period): imap"),
            std::string::npos);
}

TEST_F(StoreTest, DuplicateReplyIsRecordedOnce) {
  RecordOutcome a = Record("tdp-01", Local("06/02/2026 09:00"));
  RecordOutcome b = Record("tdp-01", Local("06/02/2026 09:00"));
  EXPECT_FALSE(a.duplicate);
  EXPECT_TRUE(b.duplicate);
  EXPECT_EQ(a.reply_id, b.reply_id);
  EXPECT_EQ(Unit("tdp-01").replies, 1);
}

TEST_F(StoreTest, ReplyFromUnitNotAddressedIsRefused) {
  NewReply r;
  r.consultation_id = "dan-chu-2026";
  r.unit_code = "truong-x";
  r.received_at = clock_.Now();
  r.content_hash = "h";
  Result<RecordOutcome> out = store_->RecordReply(r, clock_.Now(), "test");
  ASSERT_FALSE(out.has_value());
  EXPECT_EQ(out.error().message(),
            "unit 'truong-x' is not addressed by consultation 'dan-chu-2026'");
}

// A group of replies in one transaction (the mail sources' batches): a reply
// that cannot be recorded fails alone, the others are committed, and a second
// copy within the same group is a duplicate of the first.
TEST_F(StoreTest, GroupCommitsEachReplyOnItsOwnTerms) {
  auto reply = [&](const std::string& unit, const std::string& hash) {
    NewReply r;
    r.consultation_id = "dan-chu-2026";
    r.unit_code = unit;
    r.received_at = Local("06/02/2026 09:00");
    r.stance = Stance::kAgree;
    r.content_hash = hash;
    return r;
  };
  std::vector<NewReply> group = {reply("tdp-01", "a"), reply("truong-x", "b"), reply("tdp-02", "c"),
                                 reply("tdp-01", "a")};
  const std::vector<std::string> before = EventKinds();
  Result<std::vector<Result<RecordOutcome>>> outs =
      store_->RecordReplies(group, clock_.Now(), "test");
  ASSERT_TRUE(outs.has_value()) << outs.error().message();
  ASSERT_EQ(outs->size(), 4u);
  ASSERT_TRUE((*outs)[0].has_value());
  EXPECT_FALSE((*outs)[0]->duplicate);
  ASSERT_FALSE((*outs)[1].has_value());
  EXPECT_EQ((*outs)[1].error().message(),
            "unit 'truong-x' is not addressed by consultation 'dan-chu-2026'");
  ASSERT_TRUE((*outs)[2].has_value());
  ASSERT_TRUE((*outs)[3].has_value());
  EXPECT_TRUE((*outs)[3]->duplicate);
  EXPECT_EQ((*outs)[3]->reply_id, (*outs)[0]->reply_id);
  EXPECT_EQ(Unit("tdp-01").status, UnitStatus::kReplied);
  EXPECT_EQ(Unit("tdp-01").replies, 1);
  EXPECT_EQ(Unit("tdp-02").status, UnitStatus::kReplied);
  // Nothing of the refused reply was written: two replies, two events.
  EXPECT_EQ(store_->Replies("dan-chu-2026")->size(), 2u);
  std::vector<std::string> after = EventKinds();
  ASSERT_EQ(after.size(), before.size() + 2);
  EXPECT_EQ(after[before.size()], "reply_recorded:tdp-01");
  EXPECT_EQ(after[before.size() + 1], "reply_recorded:tdp-02");
}

TEST_F(StoreTest, UnmatchedReplyIsKeptAndCounted) {
  NewReply r;
  r.received_at = clock_.Now();
  r.channel = Channel::kDrop;
  r.sender = "someone@example.vn";
  r.content_hash = "unmatched-1";
  ASSERT_TRUE(store_->RecordReply(r, clock_.Now(), "test").has_value());
  EXPECT_EQ(*store_->UnmatchedCount(), 1);
}

TEST_F(StoreTest, AssignAttributesAnUnmatchedReply) {
  NewReply r;
  r.received_at = Local("06/02/2026 10:00");
  r.channel = Channel::kDrop;
  r.stance = Stance::kAgree;
  r.source_ref = "scan-0042.pdf";
  r.match_rule = "no unit fits";
  r.content_hash = "scan-0042";
  Result<RecordOutcome> rec = store_->RecordReply(r, clock_.Now(), "test");
  ASSERT_TRUE(rec.has_value());
  std::vector<ReplyRow> open = *store_->Unmatched();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open[0].source_ref, "scan-0042.pdf");
  EXPECT_EQ(open[0].match_rule, "no unit fits");
  EXPECT_FALSE(open[0].unit_code.has_value());

  clock_.Set(Local("11/02/2026 09:00"));  // after the deadline: received time decides
  Apply();
  ASSERT_TRUE(store_->Assign(rec->reply_id, "dan-chu-2026", "tdp-02", clock_.Now(), "clerk").ok());
  EXPECT_EQ(Unit("tdp-02").status, UnitStatus::kReplied);
  EXPECT_FALSE(Unit("tdp-02").late_reply);
  EXPECT_EQ(*store_->UnmatchedCount(), 0);
  EXPECT_TRUE(store_->Unmatched()->empty());
  EXPECT_EQ(store_->Replies("dan-chu-2026", "tdp-02")->front().match_rule, "assigned by clerk");
  EXPECT_EQ(store_->Events("dan-chu-2026")->back().kind, "reply_assigned");
  EXPECT_EQ(store_->Assign(rec->reply_id, "dan-chu-2026", "ubnd", clock_.Now(), "clerk").message(),
            "reply " + std::to_string(rec->reply_id) + " is already attributed");
  EXPECT_EQ(store_->Assign(999, "dan-chu-2026", "ubnd", clock_.Now(), "clerk").code(),
            ErrorCode::kNotFound);
}

TEST_F(StoreTest, ExcludedUnitKeepsItsRepliesAndIsNotDeemed) {
  Record("cong-an", Local("06/02/2026 09:00"));
  ASSERT_TRUE(store_->Exclude("dan-chu-2026", "cong-an", "sáp nhập", clock_.Now(), "test").ok());
  clock_.Set(Local("10/02/2026 00:00"));
  Apply();
  UnitState u = Unit("cong-an");
  EXPECT_EQ(u.status, UnitStatus::kExcluded);
  EXPECT_EQ(u.excluded_reason, "sáp nhập");
  EXPECT_EQ(u.replies, 1);
  EXPECT_EQ(store_->Exclude("dan-chu-2026", "cong-an", "x", clock_.Now(), "test").message(),
            "unit 'cong-an' is already excluded");
}

TEST_F(StoreTest, ResyncWithSameConfigChangesNothing) {
  size_t events = EventKinds().size();
  ASSERT_TRUE(store_->SyncConfig(config_, clock_.Now(), "test").ok());
  EXPECT_EQ(EventKinds().size(), events);
}

// A restart skips the sync when the config is the one synced last; any one
// field the store keeps, changed alone, must still reach the database.
TEST_F(StoreTest, EachConfigFieldChangedAloneIsSynced) {
  SQLite::Database& db = store_->database().db();
  auto unit_row = [&](const std::string& code) {
    SQLite::Statement q(db,
                        "SELECT name || '|' || grp || '|' || emails || '|' || aliases || '|' || "
                        "position FROM units WHERE code=?");
    q.bind(1, code);
    return q.executeStep() ? q.getColumn(0).getString() : std::string("(none)");
  };
  auto sync = [&] { ASSERT_TRUE(store_->SyncConfig(config_, clock_.Now(), "test").ok()); };
  ASSERT_GE(config_.units.size(), 2u);
  tacit::Unit& first = config_.units[0];
  const std::string code = first.code;

  first.name = "Tên mới";
  sync();
  EXPECT_EQ(unit_row(code).substr(0, unit_row(code).find('|')), "Tên mới");
  first.group = "Nhóm mới";
  sync();
  EXPECT_NE(unit_row(code).find("|Nhóm mới|"), std::string::npos) << unit_row(code);
  first.emails.push_back("moi@example.vn");
  sync();
  EXPECT_NE(unit_row(code).find("moi@example.vn"), std::string::npos) << unit_row(code);
  first.aliases.push_back("Bí danh");
  sync();
  EXPECT_NE(unit_row(code).find("Bí danh"), std::string::npos) << unit_row(code);
  std::swap(config_.units[0], config_.units[1]);
  sync();
  EXPECT_EQ(unit_row(code).substr(unit_row(code).rfind('|') + 1), "1") << unit_row(code);

  Consultation& c = config_.consultations.at(0);
  c.subject = "Trích yếu mới";
  sync();
  c.signer = "Người ký mới";
  sync();
  c.reference = "99/UBND";
  sync();
  c.issuer = "Cơ quan mới";
  sync();
  c.silence_means = SilenceMeans::kNoResponse;
  sync();
  ConsultationState s = State();
  EXPECT_EQ(s.subject, "Trích yếu mới");
  EXPECT_EQ(s.signer, "Người ký mới");
  EXPECT_EQ(s.reference, "99/UBND");
  EXPECT_EQ(s.issuer, "Cơ quan mới");
  EXPECT_EQ(s.silence_means, SilenceMeans::kNoResponse);

  const size_t addressed = s.units.size();
  c.addressed_units.pop_back();
  sync();
  EXPECT_EQ(State().units.size(), addressed - 1);
}

// What makes the restart skip: the database, once synced with a config, is
// not compared with that same config again (an edit made behind tacit's back
// stays until the config changes).
TEST_F(StoreTest, AConfigSyncedBeforeIsNotComparedAgain) {
  SQLite::Database& db = store_->database().db();
  const std::string code = config_.units.at(0).code;
  auto name = [&] {
    SQLite::Statement q(db, "SELECT name FROM units WHERE code=?");
    q.bind(1, code);
    return q.executeStep() ? q.getColumn(0).getString() : std::string();
  };
  SQLite::Statement edit(db, "UPDATE units SET name='sửa tay' WHERE code=?");
  edit.bind(1, code);
  edit.exec();
  ASSERT_TRUE(store_->SyncConfig(config_, clock_.Now(), "test").ok());
  EXPECT_EQ(name(), "sửa tay");
  config_.units.at(1).name += " (mới)";
  ASSERT_TRUE(store_->SyncConfig(config_, clock_.Now(), "test").ok());
  EXPECT_EQ(name(), config_.units.at(0).name);
}

TEST_F(StoreTest, DeadlineChangedInConfigIsAnExtension) {
  clock_.Set(Local("10/02/2026 08:00"));
  Apply();
  Load("20/02/2026");
  EXPECT_FALSE(State().closed);
  EXPECT_EQ(Unit("ubnd").status, UnitStatus::kPending);
  std::vector<EventRow> events = *store_->Events("dan-chu-2026");
  bool found = false;
  for (const EventRow& e : events) {
    if (e.kind == "deadline_extended") {
      found = true;
      EXPECT_EQ(e.detail.rfind(
                    "deadline moved from 09/02/2026 23:59 to 20/02/2026 23:59 (changed in ", 0),
                0u)
          << e.detail;
    }
  }
  EXPECT_TRUE(found);
}

TEST_F(StoreTest, UnitAddedAfterTheDeadlineIsExcluded) {
  clock_.Set(Local("10/02/2026 08:00"));
  Apply();
  dir_.Write("units.csv",
             "code,name,group,emails,aliases\n"
             "ubnd,Ủy ban nhân dân phường,Lãnh đạo,,\n"
             "tdp-03,Tổ dân phố số 3,Tổ dân phố,,\n");
  Result<Config> c = LoadConfig(config_path_);
  ASSERT_TRUE(c.has_value()) << c.error().message();
  ASSERT_TRUE(store_->SyncConfig(*c, clock_.Now(), "test").ok());
  ConsultationState s = State();
  ASSERT_EQ(s.units.size(), 2u);  // cong-an, tdp-01, tdp-02 no longer addressed
  EXPECT_EQ(s.units[1].code, "tdp-03");
  EXPECT_EQ(s.units[1].status, UnitStatus::kExcluded);
  EXPECT_EQ(s.units[1].excluded_reason, "added after the deadline was applied");
}

TEST_F(StoreTest, EventsAreAppendOnly) {
  SQLite::Database& db = store_->database().db();
  EXPECT_THROW(db.exec("UPDATE events SET detail='x'"), SQLite::Exception);
  EXPECT_THROW(db.exec("DELETE FROM events"), SQLite::Exception);
}

TEST(DatabaseTest, OpensWithWalFullSyncAndForeignKeys) {
  TempDir dir;
  auto db = Database::Open(dir.path() + "/t.db");
  ASSERT_TRUE(db.has_value());
  SQLite::Database& d = (*db)->db();
  EXPECT_EQ(d.execAndGet("PRAGMA journal_mode").getString(), "wal");
  EXPECT_EQ(d.execAndGet("PRAGMA synchronous").getInt(), 2);  // FULL
  EXPECT_EQ(d.execAndGet("PRAGMA foreign_keys").getInt(), 1);
  EXPECT_EQ(d.execAndGet("PRAGMA user_version").getInt(), kSchemaVersion);
}

// The status file counts unmatched replies at every write and `tacitctl
// unmatched` lists them: both go through a partial index of the unmatched
// replies only, not a scan of every reply (Store::UnmatchedCount, Unmatched);
// the per-unit summary reads an index that holds what it needs.
TEST(DatabaseTest, StatusReadsUseIndexesNotEveryReplyRow) {
  TempDir dir;
  auto db = Database::Open(dir.path() + "/t.db");
  ASSERT_TRUE(db.has_value());
  SQLite::Database& d = (*db)->db();
  auto plan = [&](const std::string& sql) {
    SQLite::Statement q(d, "EXPLAIN QUERY PLAN " + sql);
    std::string out;
    while (q.executeStep()) out += q.getColumn(3).getString() + "\n";
    return out;
  };
  const std::string counted =
      plan("SELECT COUNT(*) FROM replies INDEXED BY replies_unmatched WHERE unit_code IS NULL");
  EXPECT_NE(counted.find("replies_unmatched"), std::string::npos) << counted;
  const std::string listed =
      plan("SELECT r.id FROM replies r WHERE r.unit_code IS NULL ORDER BY r.received_at, r.id");
  EXPECT_NE(listed.find("replies_unmatched"), std::string::npos) << listed;
  EXPECT_EQ(listed.find("TEMP B-TREE"), std::string::npos) << listed;
  // Each unit's replies, summarised for the status file (LoadUnits): from an
  // index in received order, without reading the replies' rows.
  const std::string brief = plan(
      "SELECT unit_code, channel, received_at, stance, needs_check FROM replies WHERE "
      "consultation_id=? ORDER BY received_at, id");
  EXPECT_NE(brief.find("COVERING INDEX replies_brief"), std::string::npos) << brief;
  EXPECT_EQ(brief.find("TEMP B-TREE"), std::string::npos) << brief;
}

TEST(DatabaseTest, NewerSchemaIsRefusedAndLeftAlone) {
  TempDir dir;
  const std::string path = dir.path() + "/t.db";
  {
    SQLite::Database d(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    d.exec("PRAGMA user_version=99");
  }
  auto db = Database::Open(path);
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().code(), ErrorCode::kCorrupt);
  EXPECT_EQ(db.error().message(),
            path + ": database schema version 99 is newer than this tacit understands (" +
                std::to_string(kSchemaVersion) +
                "); the file was left unchanged: upgrade tacit to the version that wrote it");
  SQLite::Database d(path, SQLite::OPEN_READONLY);
  EXPECT_EQ(d.execAndGet("PRAGMA user_version").getInt(), 99);
}

TEST(DatabaseTest, CorruptFileIsRefusedAndNotOverwritten) {
  TempDir dir;
  const std::string junk(8192, 'x');
  const std::string path = dir.Write("t.db", junk);
  auto db = Database::Open(path);
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().code(), ErrorCode::kCorrupt);
  std::ifstream in(path, std::ios::binary);
  std::string after((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(after, junk);
}

}  // namespace
}  // namespace tacit::store
