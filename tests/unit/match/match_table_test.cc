// The matching table, part 1: senders, quoted letters, forwarded mail,
// replies to what tacit sent, auto-replies and bounces (the rest is in
// match_table_names_test.cc; the rows' type is in match_table.h).
#include "unit/match/match_table.h"

#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <utf8proc.h>

#include "config/config.h"
#include "text/quotes.h"
#include "unit/text/seed_letter.h"

namespace tacit::match::table {
namespace {

std::string Nfd(const std::string& s) {
  utf8proc_uint8_t* out = utf8proc_NFD(reinterpret_cast<const utf8proc_uint8_t*>(s.c_str()));
  std::string result(reinterpret_cast<const char*>(out));
  std::free(out);
  return result;
}

std::vector<std::string> SplitPath(const std::string& path) {
  std::vector<std::string> parts;
  size_t pos = 0;
  while (pos <= path.size() && !path.empty()) {
    size_t end = path.find('/', pos);
    if (end == std::string::npos) end = path.size();
    if (end > pos) parts.push_back(path.substr(pos, end - pos));
    pos = end + 1;
  }
  return parts;
}

std::string QuotedLetter() {
  std::string quoted =
      "\n\nVào Th 5, 05/02/2026 lúc 08:12 Phòng Văn hóa - Xã hội "
      "<vhxh.hungdao@example.vn> đã viết:\n";
  std::string_view letter = text::test_data::kSeedLetter;
  size_t pos = 0;
  while (pos < letter.size()) {
    size_t end = letter.find('\n', pos);
    if (end == std::string_view::npos) end = letter.size();
    quoted += "> " + std::string(letter.substr(pos, end - pos)) + "\n";
    pos = end + 1;
  }
  return quoted;
}

}  // namespace

Candidate MakeCandidate(const Case& c) {
  auto t = [&](const char* s) { return c.nfd ? Nfd(s) : std::string(s); };
  Candidate k;
  k.channel = c.file[0] != '\0' || c.folder[0] != '\0' ? Channel::kDrop : Channel::kImap;
  if (c.from[0] != '\0') k.from.push_back(c.from);
  k.subject = t(c.subject);
  k.in_reply_to = c.in_reply_to;
  k.subfolders = SplitPath(t(c.folder));
  k.file_name = t(c.file);
  std::string body = t(c.body);
  if (c.quote_letter) body += QuotedLetter();
  const text::SplitText split = text::SplitQuoted(body);
  k.own_text = split.own;
  k.quoted_text = split.quoted;
  if (c.attachment_name[0] != '\0' || c.attachment_text[0] != '\0') {
    k.attachments.push_back({t(c.attachment_name), t(c.attachment_text)});
  }
  k.auto_submitted = c.auto_submitted;
  k.delivery_report = c.delivery_report;
  return k;
}

void MatchTableTest::SetUpTestSuite() {
  Result<Config> config = LoadConfig(std::string(TACIT_SOURCE_DIR) + "/config/tacit.toml");
  ASSERT_TRUE(config.has_value()) << config.error().message();
  matcher_ = new Matcher(*config);
}

void MatchTableTest::TearDownTestSuite() {
  delete matcher_;
  matcher_ = nullptr;
}

MatchContext MatchTableTest::Context() {
  MatchContext context;
  context.open_consultations = {"dan-chu-2026"};
  context.sent_lookup = [](const std::string& id) -> std::optional<SentMessage> {
    if ("<" + id + ">" == kOurReminder) return SentMessage{"dan-chu-2026", "tdp-07"};
    return std::nullopt;
  };
  return context;
}

Matcher* MatchTableTest::matcher_ = nullptr;

TEST_P(MatchTableTest, Matches) {
  const Case& c = GetParam();
  ASSERT_NE(matcher_, nullptr);
  const MatchResult r = matcher_->Match(MakeCandidate(c), Context());
  const auto show = [](const std::optional<std::string>& s) { return s ? *s : "(none)"; };
  SCOPED_TRACE("consultation " + show(r.consultation_id) + " by " + r.consultation_rule +
               "; unit " + show(r.unit_code) + " by " + r.unit_rule);
  ASSERT_EQ(static_cast<int>(r.outcome), static_cast<int>(c.outcome));
  if (c.outcome == kMatched) {
    EXPECT_EQ(show(r.consultation_id), "dan-chu-2026");
    EXPECT_EQ(show(r.unit_code), c.unit);
  }
  if (c.outcome != kNotAReply) {
    EXPECT_EQ(ToString(r.stance), ToString(c.stance));
  }
  if (c.unit_rule != nullptr) {
    EXPECT_EQ(r.unit_rule, c.unit_rule);
  }
}

INSTANTIATE_TEST_SUITE_P(
    MatchSender, MatchTableTest,
    ::testing::Values(
        Case{.label = "tdp05 email",
             .from = "tdp05.hungdao@example.vn",
             .subject = kReSubject,
             .body = "TDP số 5 nhất trí với nội dung dự thảo.",
             .unit = "tdp-05",
             .stance = kA,
             .unit_rule = "sender tdp05.hungdao@example.vn"},
        Case{.label = "upper-case address",
             .from = "TDP05.HungDao@Example.VN",
             .subject = kReSubject,
             .body = "Nhất trí.",
             .unit = "tdp-05",
             .stance = kA},
        Case{.label = "address in brackets",
             .from = "<tdp06.hungdao@example.vn>",
             .subject = kReSubject,
             .body = "Thống nhất",
             .unit = "tdp-06",
             .stance = kA},
        Case{.label = "police",
             .from = "congan.hungdao@example.vn",
             .subject = kReSubject,
             .body = kAgreeLetter,
             .unit = "cong-an",
             .stance = kA},
        Case{.label = "military",
             .from = "quansu.hungdao@example.vn",
             .subject = "BCH Quân sự phường tham gia ý kiến",
             .body = kCommentsLetter,
             .unit = "bch-quan-su",
             .stance = kC},
        Case{.label = "second email of a unit",
             .from = "vanthu.hungdao@example.vn",
             .subject = kReSubject,
             .body = kNoCommentLetter,
             .unit = "van-phong",
             .stance = kA},
        Case{.label = "school",
             .from = "thtranquoctoan@example.vn",
             .subject = "TL: Góp ý dự thảo",
             .body = kObjectLetter,
             .unit = "th-tran-quoc-toan",
             .stance = kO},
        Case{.label = "sender beats names in the text",
             .from = "tdp12.hungdao@example.vn",
             .subject = kReSubject,
             .body = "TDP 12 đã họp cùng Công an phường và Hội CCB phường, thống nhất.",
             .unit = "tdp-12",
             .stance = kA},
        Case{.label = "sender beats another unit in the subject",
             .from = "hdnd.hungdao@example.vn",
             .subject = "Ý kiến của Chủ tịch UBND phường",
             .body = kAgreeLetter,
             .unit = "hdnd",
             .stance = kA},
        Case{.label = "plus-address with code",
             .from = "vhxh+tdp-05@example.vn",
             .subject = "Góp ý",
             .body = "Đề nghị sửa chỉ tiêu.",
             .unit = "tdp-05",
             .stance = kC,
             .unit_rule = "sender vhxh+tdp-05@example.vn (plus-address)"},
        Case{.label = "plus-address upper case",
             .from = "Office+TDP-11@example.vn",
             .subject = "Re: Góp ý",
             .body = "Nhất trí",
             .unit = "tdp-11",
             .stance = kA},
        Case{.label = "plus-address without dash",
             .from = "office+tdp11@example.vn",
             .subject = "Re: Góp ý",
             .body = "Nhất trí",
             .unit = "tdp-11",
             .stance = kA},
        Case{.label = "plus-address of a unit with no email",
             .from = "vhxh.hungdao+tdp-07@example.vn",
             .subject = "Ý kiến",
             .body = "Đồng ý",
             .unit = "tdp-07",
             .stance = kA},
        Case{.label = "plus tag on a unit's own address",
             .from = "tdp08.hungdao+gopy@example.vn",
             .subject = "Ý kiến",
             .body = "Không đồng ý với tiến độ",
             .unit = "tdp-08",
             .stance = kO,
             .unit_rule = "sender tdp08.hungdao+gopy@example.vn"},
        Case{.label = "women's union",
             .from = "phunu.hungdao@example.vn",
             .subject = kReSubject,
             .body = "Hội LHPN phường nhất trí, đề nghị bổ sung nội dung tuyên truyền.",
             .unit = "hoi-phu-nu",
             .stance = kC},
        Case{.label = "youth union",
             .from = "doanthanhnien.hungdao@example.vn",
             .subject = kReSubject,
             .body = "Đoàn phường thống nhất.",
             .unit = "doan-thanh-nien",
             .stance = kA},
        Case{.label = "veterans",
             .from = "ccb.hungdao@example.vn",
             .subject = kReSubject,
             .body = "Không có ý kiến bổ sung.",
             .unit = "hoi-cuu-chien-binh",
             .stance = kA},
        Case{.label = "health station",
             .from = "tramyte.hungdao@example.vn",
             .subject = kReSubject,
             .body = "Trạm Y tế phường không đồng ý phân công tại mục 3.",
             .unit = "tram-y-te",
             .stance = kO},
        Case{.label = "kindergarten",
             .from = "mnhoasen@example.vn",
             .subject = kReSubject,
             .body = "Trường MN Hoa Sen nhất trí.",
             .unit = "mn-hoa-sen",
             .stance = kA},
        Case{.label = "upper secondary",
             .from = "thptphamngulao@example.vn",
             .subject = kReSubject,
             .body = "1. Đề nghị làm rõ chỉ tiêu.\n2. Đề nghị điều chỉnh tiến độ.",
             .unit = "thpt-pham-ngu-lao",
             .stance = kC},
        Case{.label = "vice chair",
             .from = "pct.kinhte.hungdao@example.vn",
             .subject = kReSubject,
             .body = "Nhất trí",
             .unit = "ubnd-pct-kt",
             .stance = kA},
        Case{.label = "front",
             .from = "mttq.hungdao@example.vn",
             .subject = kReSubject,
             .body = "Thống nhất với dự thảo, không có ý kiến khác.",
             .unit = "ubmttq",
             .stance = kA},
        Case{.label = "nfd body",
             .from = "tdp09.hungdao@example.vn",
             .subject = kReSubject,
             .body = "Tổ dân phố số 9 không nhất trí chỉ tiêu 100%.",
             .nfd = true,
             .unit = "tdp-09",
             .stance = kO},
        Case{.label = "no diacritics body",
             .from = "tdp10.hungdao@example.vn",
             .subject = kReSubject,
             .body = "To dan pho so 10 nhat tri, de nghi bo sung tien do.",
             .unit = "tdp-10",
             .stance = kC},
        Case{.label = "sending a letter says no stance",
             .from = "tdp04.hungdao@example.vn",
             .subject = "V/v tham gia ý kiến",
             .body = kSendingLetter,
             .unit = "tdp-04",
             .stance = kU},
        Case{.label = "empty body",
             .from = "tdp13.hungdao@example.vn",
             .subject = kReSubject,
             .unit = "tdp-13",
             .stance = kU},
        Case{.label = "sender and a code in the subject",
             .from = "tdp14.hungdao@example.vn",
             .subject = "tdp-14 tra loi",
             .body = "dong y",
             .unit = "tdp-14",
             .stance = kA}));

INSTANTIATE_TEST_SUITE_P(
    MatchQuotedLetter, MatchTableTest,
    ::testing::Values(
        Case{.label = "reply quoting the whole letter matches only its sender",
             .from = "tdp05.hungdao@example.vn",
             .subject = kReSubject,
             .body = "Tổ dân phố số 5 nhất trí.",
             .quote_letter = true,
             .unit = "tdp-05",
             .stance = kA},
        Case{.label = "quoted letter and an unknown sender: the own text decides",
             .from = "nguyenvanan1968@gmail.com",
             .subject = kReSubject,
             .body = "TDP 16 thống nhất với dự thảo.\nTổ trưởng Nguyễn Văn An",
             .quote_letter = true,
             .unit = "tdp-16",
             .stance = kA},
        Case{.label = "quoted letter and nothing else: no unit",
             .from = "nguyenvanan1968@gmail.com",
             .subject = kReSubject,
             .body = "Nhất trí.",
             .quote_letter = true,
             .outcome = kUnmatched,
             .stance = kA,
             .unit_rule = "no unit fits"},
        Case{.label = "quoted letter: its 'được hiểu là đồng ý' is no stance",
             .from = "tdp17.hungdao@example.vn",
             .subject = kReSubject,
             .body = "Đã nhận.",
             .quote_letter = true,
             .unit = "tdp-17",
             .stance = kU},
        Case{.label = "quoted letter with object",
             .from = "tdp18.hungdao@example.vn",
             .subject = kReSubject,
             .body = "Không đồng ý chỉ tiêu 100%.",
             .quote_letter = true,
             .unit = "tdp-18",
             .stance = kO},
        Case{.label = "quoted letter, nfd",
             .from = "tdp19.hungdao@example.vn",
             .subject = kReSubject,
             .body = "Nhất trí, đề nghị bổ sung kinh phí.",
             .nfd = true,
             .quote_letter = true,
             .unit = "tdp-19",
             .stance = kC},
        Case{.label = "quoted letter under the police's reply",
             .from = "congan.hungdao@example.vn",
             .subject = kReSubject,
             .body = "Công an phường nhất trí.",
             .quote_letter = true,
             .unit = "cong-an",
             .stance = kA},
        Case{.label = "gmail school quoting the letter",
             .from = "hieutruong.thhd@gmail.com",
             .subject = kReSubject,
             .body = "Trường TH Hưng Đạo nhất trí.",
             .quote_letter = true,
             .unit = "th-hung-dao",
             .stance = kA},
        Case{.label = "> lines are quoted",
             .from = "hoangthimai@yahoo.com",
             .subject = "Re: Góp ý",
             .body = "Nhất trí\n\n> Kính gửi Công an phường, BCH Quân sự phường\n> TDP 5",
             .outcome = kUnmatched,
             .stance = kA,
             .unit_rule = "no unit fits"},
        Case{.label = "Outlook header block is quoted",
             .from = "ketoan.mnhd@gmail.com",
             .subject = "RE: Xin ý kiến",
             .body = "MN Hưng Đạo thống nhất.\n\n"
                     "From: Phòng VH-XH\nSent: Thursday\n"
                     "To: Các đơn vị\nSubject: Xin ý kiến\n\n"
                     "Kính gửi TDP 1, TDP 2, Công an phường",
             .unit = "mn-hung-dao",
             .stance = kA}));

INSTANTIATE_TEST_SUITE_P(
    MatchForwarded, MatchTableTest,
    ::testing::Values(
        Case{.label = "clerk forwards TDP 5's mail: the subject names it",
             .from = "vhxh.hungdao@example.vn",
             .subject = "Fwd: Ý kiến TDP 5",
             .body = "Chuyển chị Lan tổng hợp.\n\n---------- Forwarded message ---------\n"
                     "From: To truong TDP5 <totruong5@gmail.com>\nDate: Fri, 6 Feb 2026\n"
                     "Subject: Ý kiến TDP 5\n\nNhất trí.",
             .unit = "tdp-05",
             .stance = kU,
             .unit_rule = "alias 'TDP 5' in subject"},
        Case{.label = "forward with Vietnamese separator",
             .from = "vanthu.ubnd@gmail.com",
             .subject = "Chuyển tiếp: Công an phường góp ý",
             .body = "-------- Thư chuyển tiếp --------\nTừ: congan\nNhất trí",
             .unit = "cong-an",
             .stance = kU},
        Case{.label = "forwarded without a unit in the subject",
             .from = "vanthu.ubnd@gmail.com",
             .subject = "Fwd: Re: Xin ý kiến",
             .body = "---------- Forwarded message ---------\nFrom: TDP 5\nNhất trí",
             .outcome = kUnmatched,
             .stance = kU},
        Case{.label = "FW: prefix and sender",
             .from = "tdp20.hungdao@example.vn",
             .subject = "FW: Re: Xin ý kiến dự thảo",
             .body = "Tổ 20 nhất trí",
             .unit = "tdp-20",
             .stance = kA},
        Case{.label = "forwarding with own comment naming the unit",
             .from = "lananh.vhxh@gmail.com",
             .subject = "Fwd: góp ý",
             .body = "Chị ơi, ý kiến của Trạm Y tế phường ạ.\n\n"
                     "---------- Forwarded message ---------\nFrom: tyt\nĐề nghị bổ sung",
             .unit = "tram-y-te",
             .stance = kU}));

INSTANTIATE_TEST_SUITE_P(
    MatchReplyTo, MatchTableTest,
    ::testing::Values(
        Case{.label = "in-reply-to our reminder decides both",
             .from = "nguyenvanan@gmail.com",
             .subject = "Re: Nhắc gửi ý kiến",
             .body = "TDP 5 nhất trí",
             .in_reply_to = kOurReminder,
             .unit = "tdp-07",
             .stance = kA,
             .unit_rule = "in-reply-to <reminder.dan-chu-2026.tdp-07.1@tacit.hungdao.example.vn>"},
        Case{.label = "in-reply-to beats the sender",
             .from = "tdp05.hungdao@example.vn",
             .subject = "Re: Nhắc",
             .body = "Nhất trí",
             .in_reply_to = kOurReminder,
             .unit = "tdp-07",
             .stance = kA},
        Case{.label = "in-reply-to without brackets",
             .from = "x@gmail.com",
             .subject = "Re: Nhắc",
             .body = "Đồng ý",
             .in_reply_to = "reminder.dan-chu-2026.tdp-07.1@tacit.hungdao.example.vn",
             .unit = "tdp-07",
             .stance = kA},
        Case{.label = "in-reply-to not ours falls through",
             .from = "tdp06.hungdao@example.vn",
             .subject = kReSubject,
             .body = "Nhất trí",
             .in_reply_to = "<abc@mail.gmail.com>",
             .unit = "tdp-06",
             .stance = kA},
        Case{.label = "in-reply-to not ours and nothing else",
             .from = "x@gmail.com",
             .subject = kReSubject,
             .body = "Nhất trí",
             .in_reply_to = "<abc@mail.gmail.com>",
             .outcome = kUnmatched,
             .stance = kA}));

INSTANTIATE_TEST_SUITE_P(MatchNotAReply, MatchTableTest,
                         ::testing::Values(Case{.label = "auto-submitted header",
                                                .from = "tdp05.hungdao@example.vn",
                                                .subject = "Re: Nhắc gửi ý kiến",
                                                .body = "Tôi đang đi công tác.",
                                                .auto_submitted = true,
                                                .outcome = kNotAReply},
                                           Case{.label = "Out of Office subject",
                                                .from = "congan.hungdao@example.vn",
                                                .subject = "Out of Office: Re: Xin ý kiến",
                                                .body = "I am away",
                                                .outcome = kNotAReply},
                                           Case{.label = "Automatic reply subject",
                                                .from = "congan.hungdao@example.vn",
                                                .subject = "Automatic reply: Xin ý kiến",
                                                .outcome = kNotAReply},
                                           Case{.label = "Trả lời tự động",
                                                .from = "tdp08.hungdao@example.vn",
                                                .subject = "Trả lời tự động: Xin ý kiến tham gia",
                                                .body = "Tôi vắng mặt",
                                                .outcome = kNotAReply},
                                           Case{.label = "Tự động trả lời",
                                                .from = "tdp08.hungdao@example.vn",
                                                .subject = "Tự động trả lời: Re: Xin ý kiến",
                                                .outcome = kNotAReply},
                                           Case{.label = "Vắng mặt",
                                                .from = "x@gmail.com",
                                                .subject = "Vắng mặt đến ngày 10/02",
                                                .body = "Nhất trí",
                                                .outcome = kNotAReply},
                                           Case{.label = "Re: Vắng mặt",
                                                .from = "x@gmail.com",
                                                .subject = "Re: Vắng mặt",
                                                .outcome = kNotAReply},
                                           Case{.label = "no diacritics auto reply",
                                                .from = "x@gmail.com",
                                                .subject = "TU DONG TRA LOI: Xin y kien",
                                                .outcome = kNotAReply},
                                           Case{.label = "delivery report flag",
                                                .from = "mailer-daemon@example.vn",
                                                .subject = "Undelivered Mail Returned to Sender",
                                                .delivery_report = true,
                                                .outcome = kNotAReply},
                                           Case{.label = "bounce by sender and subject",
                                                .from = "MAILER-DAEMON@mail.example.vn",
                                                .subject = "Undelivered Mail Returned to Sender",
                                                .in_reply_to = kOurReminder,
                                                .outcome = kNotAReply},
                                           Case{.label = "postmaster DSN",
                                                .from = "postmaster@example.vn",
                                                .subject = "Delivery Status Notification (Failure)",
                                                .outcome = kNotAReply},
                                           Case{
                                               .label = "postmaster with a real subject is a reply",
                                               .from = "postmaster@example.vn",
                                               .subject = "Góp ý của TDP 5",
                                               .body = "Nhất trí",
                                               .unit = "tdp-05",
                                               .stance = kA}));

}  // namespace tacit::match::table
