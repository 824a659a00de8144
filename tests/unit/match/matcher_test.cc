// Matcher rules one by one (SPEC §3), with several consultations at once: which
// consultation a reply is for, refusals, not-a-reply items, and the rule texts
// that tacitctl and the event log show.
#include "match/matcher.h"

#include <map>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "config/config.h"
#include "support/temp_dir.h"
#include "unit/text/seed_letter.h"

namespace tacit::match {
namespace {

using testing::TempDir;

constexpr const char* kDanChuSubject =
    "Xin ý kiến tham gia vào dự thảo 02 Kế hoạch triển khai thực hiện dân chủ ở cơ sở và công "
    "tác dân vận năm 2026";

std::string Consultation(const std::string& id, const std::string& reference,
                         const std::string& subject, const std::string& deadline,
                         const std::string& addressees) {
  return "id = \"" + id + "\"\nreference = \"" + reference + "\"\nsubject = \"" + subject +
         "\"\ndeadline = \"" + deadline + "\"\naddressees = " + addressees +
         "\ntopics = [\"Chỉ tiêu đạt 100% trong năm 2026\", \"Phân công nhiệm vụ cho từng bộ "
         "phận\", \"Tiến độ thực hiện\"]\n";
}

// Six units (tdp-05 and tdp-06 share a mailbox) and five consultations:
// dan-chu-2026 (everyone), giao-duc-2026 (schools), pccc-2025 (TDPs and the
// police; its deadline passed), and quy-che-tdp / quy-che-truong, two letters
// with the same subject for TDPs and for schools.
std::string WriteConfig(const TempDir& dir) {
  dir.Write("units.csv",
            "code,name,group,emails,aliases\n"
            "cong-an,Công an phường,Công an phường,congan@example.vn,CA phường\n"
            "tdp-05,Tổ dân phố số 5,Tổ dân phố,tdp05@example.vn;chung@example.vn,TDP 5;Tổ 5\n"
            "tdp-06,Tổ dân phố số 6,Tổ dân phố,chung@example.vn,TDP 6\n"
            "tdp-15,Tổ dân phố số 15,Tổ dân phố,tdp15@example.vn,TDP 15;Tổ 15\n"
            "th-hung-dao,Trường Tiểu học Hưng Đạo,Trường học,thhungdao@example.vn,TH Hưng Đạo\n"
            "mn-hoa-sen,Trường Mầm non Hoa Sen,Trường học,mnhoasen@example.vn,\n");
  dir.Write("consultations/dan-chu-2026.toml",
            Consultation("dan-chu-2026", "15/VH-XH", kDanChuSubject, "09/02/2026", "[\"*\"]"));
  dir.Write("consultations/giao-duc-2026.toml",
            Consultation("giao-duc-2026", "22/VH-XH",
                         "Xin ý kiến dự thảo Kế hoạch phát triển giáo dục mầm non và tiểu học năm "
                         "học 2026-2027",
                         "20/02/2026", "[\"Trường học\"]"));
  dir.Write("consultations/pccc-2025.toml",
            Consultation("pccc-2025", "9/CA-VH",
                         "Lấy ý kiến về phương án phòng cháy chữa cháy khu dân cư năm 2025",
                         "15/12/2025", "[\"Tổ dân phố\", \"cong-an\"]"));
  dir.Write("consultations/quy-che-tdp.toml",
            Consultation("quy-che-tdp", "", "Xin ý kiến dự thảo Quy chế phối hợp năm 2026",
                         "28/02/2026", "[\"Tổ dân phố\"]"));
  dir.Write("consultations/quy-che-truong.toml",
            Consultation("quy-che-truong", "", "Xin ý kiến dự thảo Quy chế phối hợp năm 2026",
                         "28/02/2026", "[\"Trường học\"]"));
  return dir.Write("tacit.toml", "[daemon]\nstate_dir = \"state\"\n");
}

class MatchRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<Config> config = LoadConfig(WriteConfig(dir_));
    ASSERT_TRUE(config.has_value()) << config.error().message();
    matcher_.emplace(*config);
    context_.open_consultations = {"dan-chu-2026", "giao-duc-2026"};
    context_.sent_lookup = [this](const std::string& id) -> std::optional<SentMessage> {
      const auto it = sent_.find(id);
      if (it == sent_.end()) return std::nullopt;
      return it->second;
    };
    sent_["r1@tacit.example.vn"] = {"dan-chu-2026", "tdp-15"};
    sent_["r2@tacit.example.vn"] = {"giao-duc-2026", "mn-hoa-sen"};
    sent_["gone@tacit.example.vn"] = {"old-2024", "tdp-15"};
  }

  MatchResult Match(const Candidate& c) const { return matcher_->Match(c, context_); }

  static Candidate Mail(const std::string& from, const std::string& subject,
                        const std::string& own = "Nhất trí.") {
    Candidate c;
    c.channel = Channel::kImap;
    c.from = {from};
    c.subject = subject;
    c.own_text = own;
    return c;
  }

  TempDir dir_;
  std::optional<Matcher> matcher_;
  MatchContext context_;
  std::map<std::string, SentMessage> sent_;
};

std::string Show(const std::optional<std::string>& s) { return s ? *s : "(none)"; }

// Rule 2: consultation by the only open consultation addressing the unit.

TEST_F(MatchRulesTest, OnlyOpenConsultationAddressingTheUnitDecides) {
  const MatchResult r = Match(Mail("tdp05@example.vn", "Ý kiến"));
  EXPECT_EQ(r.outcome, Outcome::kMatched);
  EXPECT_EQ(Show(r.consultation_id), "dan-chu-2026");
  EXPECT_EQ(Show(r.unit_code), "tdp-05");
  EXPECT_EQ(r.consultation_rule, "only open consultation addressing the unit");
  EXPECT_EQ(r.unit_rule, "sender tdp05@example.vn");
  EXPECT_EQ(r.stance, Stance::kAgree);
}

TEST_F(MatchRulesTest, TwoOpenConsultationsAddressingTheUnitIsUnmatched) {
  const MatchResult r = Match(Mail("thhungdao@example.vn", "Ý kiến"));
  EXPECT_EQ(r.outcome, Outcome::kUnmatched);
  EXPECT_EQ(Show(r.consultation_id), "(none)");
  EXPECT_EQ(Show(r.unit_code), "th-hung-dao");  // partial evidence is kept
  EXPECT_EQ(r.consultation_rule,
            "two consultations fit: open and addressing the unit: dan-chu-2026, giao-duc-2026");
  EXPECT_EQ(r.stance, Stance::kAgree);  // classified anyway, for when it is assigned
}

TEST_F(MatchRulesTest, ClosedConsultationsDoNotCountAsOpen) {
  context_.open_consultations = {"giao-duc-2026"};
  const MatchResult r = Match(Mail("tdp05@example.vn", "Ý kiến"));
  EXPECT_EQ(r.outcome, Outcome::kUnmatched);
  EXPECT_EQ(r.consultation_rule, "no consultation fits (no open one addresses the unit)");
  context_.open_consultations = {"dan-chu-2026", "pccc-2025"};
  EXPECT_EQ(Match(Mail("congan@example.vn", "Ý kiến")).consultation_rule,
            "two consultations fit: open and addressing the unit: dan-chu-2026, pccc-2025");
}

TEST_F(MatchRulesTest, WithoutAUnitNoOpenConsultationIsGuessed) {
  const MatchResult r = Match(Mail("someone@gmail.com", "Ý kiến"));
  EXPECT_EQ(r.outcome, Outcome::kUnmatched);
  EXPECT_EQ(r.unit_rule, "no unit fits");
  EXPECT_EQ(r.consultation_rule, "no consultation fits");
}

// Rule 2: consultation by reference, tag, subfolder, subject.

TEST_F(MatchRulesTest, ReferenceInSubjectDecides) {
  MatchResult r = Match(Mail("thhungdao@example.vn", "Phúc đáp Công văn số 15/VH-XH"));
  EXPECT_EQ(r.outcome, Outcome::kMatched);
  EXPECT_EQ(Show(r.consultation_id), "dan-chu-2026");
  EXPECT_EQ(r.consultation_rule, "reference 15/VH-XH in subject");
  r = Match(Mail("thhungdao@example.vn", "Re: gop y CV 22/VH-XH ngay 02/02/2026"));
  EXPECT_EQ(Show(r.consultation_id), "giao-duc-2026");
}

TEST_F(MatchRulesTest, ReferenceMustMatchWholeWords) {
  const MatchResult r = Match(Mail("thhungdao@example.vn", "Phúc đáp Công văn số 115/VH-XH"));
  EXPECT_EQ(r.outcome, Outcome::kUnmatched);
  EXPECT_EQ(Show(r.consultation_id), "(none)");
}

TEST_F(MatchRulesTest, TagDecidesAnyCase) {
  MatchResult r = Match(Mail("thhungdao@example.vn", "[tacit:giao-duc-2026] Re: Nhắc hạn"));
  EXPECT_EQ(r.outcome, Outcome::kMatched);
  EXPECT_EQ(Show(r.consultation_id), "giao-duc-2026");
  EXPECT_EQ(r.consultation_rule, "[tacit:giao-duc-2026] tag");
  r = Match(Mail("thhungdao@example.vn", "RE: [TACIT:Giao-Duc-2026] nhac han"));
  EXPECT_EQ(Show(r.consultation_id), "giao-duc-2026");
}

TEST_F(MatchRulesTest, UnknownTagIsNoEvidence) {
  const MatchResult r = Match(Mail("tdp05@example.vn", "[tacit:khong-co] Ý kiến"));
  EXPECT_EQ(Show(r.consultation_id), "dan-chu-2026");
  EXPECT_EQ(r.consultation_rule, "only open consultation addressing the unit");
}

TEST_F(MatchRulesTest, TagBeatsReferenceAndSubject) {
  const MatchResult r =
      Match(Mail("thhungdao@example.vn", "[tacit:giao-duc-2026] Phúc đáp CV 15/VH-XH"));
  EXPECT_EQ(Show(r.consultation_id), "giao-duc-2026");
}

TEST_F(MatchRulesTest, ClosedConsultationStillMatchesByTag) {
  const MatchResult r = Match(Mail("tdp15@example.vn", "Re: [tacit:pccc-2025] Nhắc hạn"));
  EXPECT_EQ(r.outcome, Outcome::kMatched);
  EXPECT_EQ(Show(r.consultation_id), "pccc-2025");
}

TEST_F(MatchRulesTest, SubfolderDecidesConsultationAndFileNameTheUnit) {
  Candidate c;
  c.subfolders = {"giao-duc-2026"};
  c.file_name = "MN Hoa Sen.pdf";
  c.own_text = "Trường Mầm non Hoa Sen đề nghị bổ sung chỉ tiêu.";
  const MatchResult r = Match(c);
  EXPECT_EQ(r.outcome, Outcome::kMatched);
  EXPECT_EQ(Show(r.consultation_id), "giao-duc-2026");
  EXPECT_EQ(r.consultation_rule, "subfolder giao-duc-2026");
  EXPECT_EQ(Show(r.unit_code), "mn-hoa-sen");
  EXPECT_EQ(r.unit_rule, "name 'Trường Mầm non Hoa Sen' in file name");
  EXPECT_EQ(r.stance, Stance::kComments);
}

TEST_F(MatchRulesTest, SubfolderAndTagThatDisagreeAreUnmatched) {
  Candidate c = Mail("thhungdao@example.vn", "[tacit:giao-duc-2026] Ý kiến");
  c.subfolders = {"dan-chu-2026"};
  // Both consultations address the school: nothing narrows them.
  const MatchResult r = Match(c);
  EXPECT_EQ(r.outcome, Outcome::kUnmatched);
  EXPECT_EQ(r.consultation_rule,
            "two consultations fit: dan-chu-2026 (subfolder dan-chu-2026), giao-duc-2026 "
            "([tacit:giao-duc-2026] tag)");
}

TEST_F(MatchRulesTest, LetterSubjectInReplySubject) {
  MatchResult r = Match(
      Mail("thhungdao@example.vn",
           "Góp ý dự thảo Kế hoạch phát triển giáo dục mầm non và tiểu học năm học 2026-2027"));
  EXPECT_EQ(Show(r.consultation_id), "giao-duc-2026");
  EXPECT_EQ(r.consultation_rule, "letter's subject in subject");
  r = Match(Mail("thhungdao@example.vn",
                 "Re: Xin y kien tham gia vao du thao 02 ke hoach trien khai thuc hien dan chu o "
                 "co so"));
  EXPECT_EQ(Show(r.consultation_id), "dan-chu-2026");
  // Too little of the letter's subject to say which letter.
  r = Match(Mail("thhungdao@example.vn", "Góp ý dự thảo kế hoạch năm 2026"));
  EXPECT_EQ(r.outcome, Outcome::kUnmatched);
  EXPECT_EQ(r.consultation_rule,
            "two consultations fit: open and addressing the unit: dan-chu-2026, giao-duc-2026");
}

TEST_F(MatchRulesTest, ReplySubjectWithinTheLetterSubjectNeedsMostOfIt) {
  MatchResult r = Match(Mail("thhungdao@example.vn",
                             "Ý kiến tham gia vào dự thảo 02 Kế hoạch triển khai thực hiện dân "
                             "chủ ở cơ sở"));  // 17 of 23 words in a row
  EXPECT_EQ(Show(r.consultation_id), "dan-chu-2026");
  r = Match(Mail("thhungdao@example.vn", "Tham gia ý kiến vào dự thảo 02 Kế hoạch"));
  EXPECT_EQ(Show(r.consultation_id), "(none)");
}

TEST_F(MatchRulesTest, SubjectFittingTwoLettersIsNarrowedByTheUnit) {
  MatchResult r =
      Match(Mail("tdp15@example.vn", "Re: Xin ý kiến dự thảo Quy chế phối hợp năm 2026"));
  EXPECT_EQ(r.outcome, Outcome::kMatched);
  EXPECT_EQ(Show(r.consultation_id), "quy-che-tdp");
  EXPECT_EQ(r.consultation_rule,
            "letter's subject in subject, the only one of quy-che-tdp, quy-che-truong addressing "
            "the unit");
  r = Match(Mail("x@gmail.com", "Re: Xin ý kiến dự thảo Quy chế phối hợp năm 2026"));
  EXPECT_EQ(r.outcome, Outcome::kUnmatched);
  EXPECT_EQ(r.consultation_rule,
            "two consultations fit: quy-che-tdp (letter's subject in subject), quy-che-truong "
            "(letter's subject in subject)");
}

TEST_F(MatchRulesTest, LetterSubjectWordsDoNotNameUnits) {
  // The letter's subject says "Công an phường"; only the unit after it counts.
  Result<Config> config = LoadConfig(WriteConfig(dir_));
  ASSERT_TRUE(config.has_value());
  config->consultations[0].subject = "Xin ý kiến về phối hợp giữa Công an phường và các tổ dân phố";
  const Matcher matcher(*config);
  const MatchResult r = matcher.Match(
      Mail("x@gmail.com",
           "Re: Xin ý kiến về phối hợp giữa Công an phường và các tổ dân phố - TDP 6"),
      context_);
  EXPECT_EQ(r.outcome, Outcome::kMatched);
  EXPECT_EQ(Show(r.unit_code), "tdp-06");
  EXPECT_EQ(Show(r.consultation_id), "dan-chu-2026");
}

// Rule 4: the unit must be addressed.

TEST_F(MatchRulesTest, UnitNotAddressedByTheConsultationIsUnmatched) {
  const MatchResult r = Match(Mail("tdp05@example.vn", "[tacit:giao-duc-2026] Ý kiến"));
  EXPECT_EQ(r.outcome, Outcome::kUnmatched);
  EXPECT_EQ(Show(r.consultation_id), "giao-duc-2026");
  EXPECT_EQ(Show(r.unit_code), "tdp-05");
  EXPECT_EQ(r.unit_rule, "sender tdp05@example.vn; tdp-05 is not addressed by giao-duc-2026");
}

// Rule 1: replies to what tacit sent.

TEST_F(MatchRulesTest, InReplyToOurMessageDecidesBoth) {
  Candidate c = Mail("tdp05@example.vn", "[tacit:giao-duc-2026] Re: Nhắc");
  c.in_reply_to = "<r1@tacit.example.vn>";
  const MatchResult r = Match(c);
  EXPECT_EQ(r.outcome, Outcome::kMatched);
  EXPECT_EQ(Show(r.consultation_id), "dan-chu-2026");
  EXPECT_EQ(Show(r.unit_code), "tdp-15");
  EXPECT_EQ(r.consultation_rule, "in-reply-to <r1@tacit.example.vn>");
  EXPECT_EQ(r.unit_rule, "in-reply-to <r1@tacit.example.vn>");
}

TEST_F(MatchRulesTest, ReferencesToOurMessageDecideNewestFirst) {
  Candidate c = Mail("x@gmail.com", "Re: Nhắc");
  c.in_reply_to = "<other@gmail.com>";
  c.references = {"<r1@tacit.example.vn>", "<other@gmail.com> <r2@tacit.example.vn>"};
  const MatchResult r = Match(c);
  EXPECT_EQ(r.outcome, Outcome::kMatched);
  EXPECT_EQ(Show(r.consultation_id), "giao-duc-2026");
  EXPECT_EQ(Show(r.unit_code), "mn-hoa-sen");
  EXPECT_EQ(r.unit_rule, "references <r2@tacit.example.vn>");
}

TEST_F(MatchRulesTest, ReplyToAMessageForARemovedConsultationFallsThrough) {
  Candidate c = Mail("tdp05@example.vn", "Re: Nhắc");
  c.in_reply_to = "<gone@tacit.example.vn>";
  const MatchResult r = Match(c);
  EXPECT_EQ(Show(r.unit_code), "tdp-05");
  EXPECT_EQ(r.unit_rule, "sender tdp05@example.vn");
}

TEST_F(MatchRulesTest, NoLookupMeansNoRuleOne) {
  context_.sent_lookup = nullptr;
  Candidate c = Mail("tdp05@example.vn", "Re: Nhắc");
  c.in_reply_to = "<r1@tacit.example.vn>";
  EXPECT_EQ(Show(Match(c).unit_code), "tdp-05");
}

// Units: shared mailboxes, several senders, the letter itself.

TEST_F(MatchRulesTest, SharedMailboxAloneIsUnmatched) {
  const MatchResult r = Match(Mail("chung@example.vn", "Ý kiến"));
  EXPECT_EQ(r.outcome, Outcome::kUnmatched);
  EXPECT_EQ(r.unit_rule,
            "two units fit: tdp-05 (sender chung@example.vn), tdp-06 (sender chung@example.vn)");
}

TEST_F(MatchRulesTest, SharedMailboxNarrowedByTheSubject) {
  MatchResult r = Match(Mail("chung@example.vn", "Ý kiến TDP 6"));
  EXPECT_EQ(r.outcome, Outcome::kMatched);
  EXPECT_EQ(Show(r.unit_code), "tdp-06");
  EXPECT_EQ(r.unit_rule, "sender chung@example.vn (shared), alias 'TDP 6' in subject");
  // A unit outside the mailbox's owners does not count.
  r = Match(Mail("chung@example.vn", "Ý kiến TDP 15"));
  EXPECT_EQ(r.outcome, Outcome::kUnmatched);
}

TEST_F(MatchRulesTest, TwoSendersOfDifferentUnitsAreUnmatched) {
  Candidate c = Mail("tdp05@example.vn", "Ý kiến");
  c.from.push_back("tdp15@example.vn");
  const MatchResult r = Match(c);
  EXPECT_EQ(r.outcome, Outcome::kUnmatched);
  EXPECT_EQ(r.unit_rule,
            "two units fit: tdp-05 (sender tdp05@example.vn), tdp-15 (sender tdp15@example.vn)");
}

// Not a reply.

TEST_F(MatchRulesTest, BounceOfOurReminderNamesIt) {
  Candidate c = Mail("MAILER-DAEMON@mail.example.vn", "Undelivered Mail Returned to Sender", "");
  c.references = {"<r1@tacit.example.vn>"};
  const MatchResult r = Match(c);
  EXPECT_EQ(r.outcome, Outcome::kNotAReply);
  EXPECT_EQ(Show(r.bounced_message_id), "r1@tacit.example.vn");
  EXPECT_EQ(Show(r.consultation_id), "dan-chu-2026");
  EXPECT_EQ(Show(r.unit_code), "tdp-15");
  EXPECT_EQ(r.unit_rule, "delivery report for <r1@tacit.example.vn>");
}

TEST_F(MatchRulesTest, BounceOfSomethingElseNamesTheFirstReference) {
  Candidate c = Mail("postmaster@example.vn", "Returned mail: see transcript for details", "");
  c.delivery_report = true;
  c.references = {"<a@gmail.com>", "<b@gmail.com>"};
  const MatchResult r = Match(c);
  EXPECT_EQ(r.outcome, Outcome::kNotAReply);
  EXPECT_EQ(Show(r.bounced_message_id), "a@gmail.com");
  EXPECT_EQ(Show(r.unit_code), "(none)");
}

TEST_F(MatchRulesTest, BounceWithoutReferences) {
  Candidate c = Mail("mailer-daemon@example.vn", "Delivery Status Notification (Failure)", "");
  const MatchResult r = Match(c);
  EXPECT_EQ(r.outcome, Outcome::kNotAReply);
  EXPECT_FALSE(r.bounced_message_id.has_value());
  EXPECT_EQ(r.unit_rule, "delivery report");
}

TEST_F(MatchRulesTest, AutoReplyToOurReminderIsNotAReply) {
  Candidate c = Mail("tdp05@example.vn", "Re: Nhắc hạn", "Tôi đang nghỉ phép, đồng ý.");
  c.in_reply_to = "<r1@tacit.example.vn>";
  c.auto_submitted = true;
  const MatchResult r = Match(c);
  EXPECT_EQ(r.outcome, Outcome::kNotAReply);
  EXPECT_EQ(r.stance, Stance::kUnknown);
  EXPECT_EQ(r.unit_rule, "auto-reply (auto-submitted)");
  EXPECT_FALSE(r.bounced_message_id.has_value());
}

// Stance and topics.

TEST_F(MatchRulesTest, StanceFromTheAttachmentWhenTheBodySaysNothing) {
  Candidate c = Mail("tdp05@example.vn", "Ý kiến", "Gửi kèm văn bản.");
  c.attachments.push_back({"ykien.docx", "Tổ dân phố nhất trí.\n\nĐề nghị sửa tiến độ thực hiện."});
  const MatchResult r = Match(c);
  EXPECT_EQ(r.stance, Stance::kComments);
}

// The mail sources classify the stance on their parse thread
// (Matcher::ClassifyStance, on a copy of the matcher) and Match takes it.
TEST_F(MatchRulesTest, StanceClassifiedAheadIsTheOneMatchGivesAndIsUsed) {
  Candidate c = Mail("tdp05@example.vn", "Ý kiến", "Gửi kèm văn bản.");
  c.attachments.push_back({"ykien.docx", "Tổ dân phố nhất trí.\n\nĐề nghị sửa tiến độ thực hiện."});
  const Matcher copy = *matcher_;
  EXPECT_EQ(copy.ClassifyStance(c), Stance::kComments);
  EXPECT_EQ(Match(c).stance, copy.ClassifyStance(c));
  for (const Candidate& other : {Mail("tdp05@example.vn", "Ý kiến", "Không đồng ý."),
                                 Mail("tdp05@example.vn", "Ý kiến", "Nhất trí."),
                                 Mail("tdp05@example.vn", "Ý kiến", "Xin gửi lời chào.")}) {
    EXPECT_EQ(Match(other).stance, copy.ClassifyStance(other)) << other.own_text;
  }
  // Set ahead: used as it is (not classified again).
  c.stance = Stance::kObject;
  EXPECT_EQ(Match(c).stance, Stance::kObject);
  // An auto-reply is no reply, whatever was classified.
  c.auto_submitted = true;
  c.subject = "Automatic reply: Ý kiến";
  EXPECT_EQ(Match(c).outcome, Outcome::kNotAReply);
  EXPECT_EQ(Match(c).stance, Stance::kUnknown);
}

// Robustness.

TEST_F(MatchRulesTest, EmptyCandidateIsUnmatched) {
  const MatchResult r = Match(Candidate{});
  EXPECT_EQ(r.outcome, Outcome::kUnmatched);
  EXPECT_EQ(r.unit_rule, "no unit fits");
  EXPECT_EQ(r.consultation_rule, "no consultation fits");
  EXPECT_EQ(r.stance, Stance::kUnknown);
}

TEST_F(MatchRulesTest, InvalidUtf8IsHarmless) {
  Candidate c = Mail("t\xff\xfe@example.vn", "\xc3(TDP 5\xe2\x82", "Nh\xe1\xbb\x20t tr\xc3");
  c.subfolders = {"\xff"};
  c.file_name = "\x80\x80.pdf";
  c.in_reply_to = "<\xff>";
  c.attachments.push_back({"\xfe", "\xc0\xaf"});
  const MatchResult r = Match(c);
  EXPECT_EQ(r.outcome, Outcome::kMatched);
  EXPECT_EQ(Show(r.unit_code), "tdp-05");
}

TEST_F(MatchRulesTest, MatcherOutlivesItsConfig) {
  std::optional<Matcher> matcher;
  {
    Result<Config> config = LoadConfig(WriteConfig(dir_));
    ASSERT_TRUE(config.has_value());
    matcher.emplace(*config);
  }
  const Matcher copy = *matcher;
  matcher.reset();
  EXPECT_EQ(Show(copy.Match(Mail("tdp05@example.vn", "Ý kiến"), context_).unit_code), "tdp-05");
}

// The bundled example config: every unit is found by every way of naming it,
// and no spelling (abbreviation variants included) names two units.

class MatchBundledConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<Config> config = LoadConfig(std::string(TACIT_SOURCE_DIR) + "/config/tacit.toml");
    ASSERT_TRUE(config.has_value()) << config.error().message();
    config_ = *config;
    matcher_.emplace(config_);
    context_.open_consultations = {"dan-chu-2026"};
  }

  Config config_;
  std::optional<Matcher> matcher_;
  MatchContext context_;
};

TEST_F(MatchBundledConfigTest, EveryEmailNameAliasAndCodeFindsItsUnit) {
  ASSERT_EQ(config_.units.size(), 46u);
  for (const Unit& unit : config_.units) {
    for (const std::string& email : unit.emails) {
      Candidate c;
      c.from = {email};
      EXPECT_EQ(Show(matcher_->Match(c, context_).unit_code), unit.code) << email;
    }
    std::vector<std::string> spellings = unit.aliases;
    spellings.push_back(unit.name);
    for (const std::string& spelling : spellings) {
      Candidate c;
      c.subject = "Ý kiến của " + spelling;
      const MatchResult r = matcher_->Match(c, context_);
      EXPECT_EQ(Show(r.unit_code), unit.code) << spelling << ": " << r.unit_rule;
      EXPECT_EQ(r.outcome, Outcome::kMatched) << spelling;
    }
    Candidate c;
    c.file_name = unit.code + ".pdf";
    EXPECT_EQ(Show(matcher_->Match(c, context_).unit_code), unit.code) << unit.code;
    c.file_name.clear();
    c.subfolders = {unit.code};
    const MatchResult r = matcher_->Match(c, context_);
    EXPECT_EQ(r.unit_rule, "subfolder " + unit.code);
  }
}

TEST_F(MatchBundledConfigTest, TheLetterItselfNamesManyUnits) {
  Candidate c;
  c.own_text = std::string(text::test_data::kSeedLetter);
  const MatchResult r = matcher_->Match(c, context_);
  EXPECT_EQ(r.outcome, Outcome::kUnmatched);
  EXPECT_EQ(r.unit_rule,
            "two units fit in own text: cong-an (name 'Công an phường'), bch-quan-su (name 'Ban "
            "Chỉ huy Quân sự phường')");
}

TEST_F(MatchBundledConfigTest, ReferenceWithoutANumberIsNoEvidence) {
  // The bundled letter's reference is "/VH-XH" (not numbered yet): every reply
  // to any letter of the office cites it.
  Candidate c;
  c.subject = "Phúc đáp Công văn số /VH-XH của Phòng VH-XH";
  const MatchResult r = matcher_->Match(c, context_);
  EXPECT_EQ(r.outcome, Outcome::kUnmatched);
  EXPECT_EQ(r.consultation_rule, "no consultation fits");
  // The letter's subject is evidence, even without a unit.
  c.subject = std::string("Re: ") +
              "Xin ý kiến tham gia vào dự thảo 02 Kế hoạch triển khai thực "
              "hiện dân chủ ở cơ sở và công tác dân vận năm 2026";
  const MatchResult s = matcher_->Match(c, context_);
  EXPECT_EQ(s.outcome, Outcome::kUnmatched);
  EXPECT_EQ(Show(s.consultation_id), "dan-chu-2026");
  EXPECT_EQ(s.consultation_rule, "letter's subject in subject");
  EXPECT_EQ(s.unit_rule, "no unit fits");
}

TEST_F(MatchBundledConfigTest, ResidentialGroupsWrittenEveryWay) {
  const std::vector<std::string> forms = {
      "TDP 5",
      "TDP 05",
      "TDP số 5",
      "TDP số 05",
      "TDP5",
      "tdp-05",
      "Tổ 5",
      "Tổ số 5",
      "Tổ dân phố 5",
      "Tổ dân phố số 5",
      "Tổ dân phố số 05",
      "to-dan-pho-so-5",
      "TO DAN PHO SO 5",
      "to dan pho so 05",
      "Tổ DP 5",
      "Tổ dân phố số:5",
      "T\xE1\xBB\x95 d\xC3\xA2n ph\xE1\xBB\x91 s\xE1\xBB\x91 5"};
  for (const std::string& form : forms) {
    Candidate c;
    c.own_text = form + " nhất trí.";
    const MatchResult r = matcher_->Match(c, context_);
    EXPECT_EQ(Show(r.unit_code), "tdp-05") << form << ": " << r.unit_rule;
  }
  for (const char* other : {"TDP 15", "Tổ 50", "Tổ dân phố số 55", "TDP 51"}) {
    Candidate c;
    c.own_text = std::string(other) + " nhất trí.";
    EXPECT_NE(Show(matcher_->Match(c, context_).unit_code), "tdp-05") << other;
  }
}

}  // namespace
}  // namespace tacit::match
