// The matching table: realistic replies to the reference letter against the
// bundled example config (46 units, one consultation), as Vietnamese ward
// offices write them. Each row is one received item and what tacit must make
// of it: (consultation, unit, stance), unmatched, or not a reply.
#include <cstdlib>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <utf8proc.h>

#include "config/config.h"
#include "match/matcher.h"
#include "text/quotes.h"
#include "unit/text/seed_letter.h"

namespace tacit::match {
namespace {

constexpr Outcome kMatched = Outcome::kMatched;
constexpr Outcome kUnmatched = Outcome::kUnmatched;
constexpr Outcome kNotAReply = Outcome::kNotAReply;
constexpr Stance kA = Stance::kAgree;
constexpr Stance kC = Stance::kComments;
constexpr Stance kO = Stance::kObject;
constexpr Stance kU = Stance::kUnknown;

constexpr const char* kLetterSubject =
    "Xin ý kiến tham gia vào dự thảo 02 Kế hoạch triển khai thực hiện dân chủ ở cơ sở và công "
    "tác dân vận năm 2026";
constexpr const char* kReSubject =
    "Re: Xin ý kiến tham gia vào dự thảo 02 Kế hoạch triển khai thực hiện dân chủ ở cơ sở và "
    "công tác dân vận năm 2026";
constexpr const char* kOurReminder = "<reminder.dan-chu-2026.tdp-07.1@tacit.hungdao.example.vn>";

struct Case {
  const char* label;
  const char* from = "";
  const char* subject = "";
  const char* folder = "";  // drop sub-path, "a/b" -> {"a", "b"}
  const char* file = "";
  const char* body = "";  // split into own and quoted text as a source would
  const char* attachment_name = "";
  const char* attachment_text = "";
  const char* in_reply_to = "";
  bool nfd = false;  // every text field decomposed (macOS, some webmail)
  bool quote_letter = false;  // the seed letter quoted below the body
  bool auto_submitted = false;
  bool delivery_report = false;
  // Expected.
  Outcome outcome = kMatched;
  const char* unit = nullptr;  // for kMatched
  Stance stance = kU;
  const char* unit_rule = nullptr;  // the whole rule, when given
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.label; }

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
  std::string quoted = "\n\nVào Th 5, 05/02/2026 lúc 08:12 Phòng Văn hóa - Xã hội "
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

class MatchTableTest : public ::testing::TestWithParam<Case> {
 protected:
  static void SetUpTestSuite() {
    Result<Config> config = LoadConfig(std::string(TACIT_SOURCE_DIR) + "/config/tacit.toml");
    ASSERT_TRUE(config.has_value()) << config.error().message();
    matcher_ = new Matcher(*config);
  }
  static void TearDownTestSuite() {
    delete matcher_;
    matcher_ = nullptr;
  }

  static MatchContext Context() {
    MatchContext context;
    context.open_consultations = {"dan-chu-2026"};
    context.sent_lookup = [](const std::string& id) -> std::optional<SentMessage> {
      if ("<" + id + ">" == kOurReminder) return SentMessage{"dan-chu-2026", "tdp-07"};
      return std::nullopt;
    };
    return context;
  }

  static Matcher* matcher_;
};

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

// Bodies as units write them.
constexpr const char* kAgreeLetter =
    "Kính gửi: Phòng Văn hóa – Xã hội phường Hưng Đạo\n\n"
    "Sau khi nghiên cứu dự thảo 02 Kế hoạch, đơn vị nhất trí với nội dung dự thảo.\n\n"
    "Trân trọng./.";
constexpr const char* kCommentsLetter =
    "Kính gửi: Phòng Văn hóa – Xã hội\n\n"
    "Đơn vị cơ bản nhất trí, đề nghị bổ sung vào phần Tiến độ thực hiện: hoàn thành trước "
    "30/6/2026.\n\nTrân trọng!";
constexpr const char* kObjectLetter =
    "Đơn vị không nhất trí với chỉ tiêu đạt 100% trong năm 2026 vì chưa phù hợp thực tế "
    "địa bàn.";
constexpr const char* kNoCommentLetter = "Đơn vị không có ý kiến khác.";
constexpr const char* kSendingLetter = "Gửi Phòng VH-XH văn bản tham gia ý kiến của đơn vị.";

INSTANTIATE_TEST_SUITE_P(
    MatchSender, MatchTableTest,
    ::testing::Values(
        Case{.label = "tdp05 email", .from = "tdp05.hungdao@example.vn", .subject = kReSubject,
             .body = "TDP số 5 nhất trí với nội dung dự thảo.", .unit = "tdp-05", .stance = kA,
             .unit_rule = "sender tdp05.hungdao@example.vn"},
        Case{.label = "upper-case address", .from = "TDP05.HungDao@Example.VN", .subject = kReSubject,
             .body = "Nhất trí.", .unit = "tdp-05", .stance = kA},
        Case{.label = "address in brackets", .from = "<tdp06.hungdao@example.vn>", .subject = kReSubject,
             .body = "Thống nhất", .unit = "tdp-06", .stance = kA},
        Case{.label = "police", .from = "congan.hungdao@example.vn", .subject = kReSubject,
             .body = kAgreeLetter, .unit = "cong-an", .stance = kA},
        Case{.label = "military", .from = "quansu.hungdao@example.vn",
             .subject = "BCH Quân sự phường tham gia ý kiến", .body = kCommentsLetter,
             .unit = "bch-quan-su", .stance = kC},
        Case{.label = "second email of a unit", .from = "vanthu.hungdao@example.vn",
             .subject = kReSubject, .body = kNoCommentLetter, .unit = "van-phong", .stance = kA},
        Case{.label = "school", .from = "thtranquoctoan@example.vn", .subject = "TL: Góp ý dự thảo",
             .body = kObjectLetter, .unit = "th-tran-quoc-toan", .stance = kO},
        Case{.label = "sender beats names in the text", .from = "tdp12.hungdao@example.vn",
             .subject = kReSubject,
             .body = "TDP 12 đã họp cùng Công an phường và Hội CCB phường, thống nhất.",
             .unit = "tdp-12", .stance = kA},
        Case{.label = "sender beats another unit in the subject", .from = "hdnd.hungdao@example.vn",
             .subject = "Ý kiến của Chủ tịch UBND phường", .body = kAgreeLetter, .unit = "hdnd",
             .stance = kA},
        Case{.label = "plus-address with code", .from = "vhxh+tdp-05@example.vn",
             .subject = "Góp ý", .body = "Đề nghị sửa chỉ tiêu.", .unit = "tdp-05", .stance = kC,
             .unit_rule = "sender vhxh+tdp-05@example.vn (plus-address)"},
        Case{.label = "plus-address upper case", .from = "Office+TDP-11@example.vn",
             .subject = "Re: Góp ý", .body = "Nhất trí", .unit = "tdp-11", .stance = kA},
        Case{.label = "plus-address without dash", .from = "office+tdp11@example.vn",
             .subject = "Re: Góp ý", .body = "Nhất trí", .unit = "tdp-11", .stance = kA},
        Case{.label = "plus-address of a unit with no email", .from = "vhxh.hungdao+tdp-07@example.vn",
             .subject = "Ý kiến", .body = "Đồng ý", .unit = "tdp-07", .stance = kA},
        Case{.label = "plus tag on a unit's own address", .from = "tdp08.hungdao+gopy@example.vn",
             .subject = "Ý kiến", .body = "Không đồng ý với tiến độ", .unit = "tdp-08",
             .stance = kO, .unit_rule = "sender tdp08.hungdao+gopy@example.vn"},
        Case{.label = "women's union", .from = "phunu.hungdao@example.vn", .subject = kReSubject,
             .body = "Hội LHPN phường nhất trí, đề nghị bổ sung nội dung tuyên truyền.",
             .unit = "hoi-phu-nu", .stance = kC},
        Case{.label = "youth union", .from = "doanthanhnien.hungdao@example.vn", .subject = kReSubject,
             .body = "Đoàn phường thống nhất.", .unit = "doan-thanh-nien", .stance = kA},
        Case{.label = "veterans", .from = "ccb.hungdao@example.vn", .subject = kReSubject,
             .body = "Không có ý kiến bổ sung.", .unit = "hoi-cuu-chien-binh", .stance = kA},
        Case{.label = "health station", .from = "tramyte.hungdao@example.vn", .subject = kReSubject,
             .body = "Trạm Y tế phường không đồng ý phân công tại mục 3.", .unit = "tram-y-te",
             .stance = kO},
        Case{.label = "kindergarten", .from = "mnhoasen@example.vn", .subject = kReSubject,
             .body = "Trường MN Hoa Sen nhất trí.", .unit = "mn-hoa-sen", .stance = kA},
        Case{.label = "upper secondary", .from = "thptphamngulao@example.vn", .subject = kReSubject,
             .body = "1. Đề nghị làm rõ chỉ tiêu.\n2. Đề nghị điều chỉnh tiến độ.",
             .unit = "thpt-pham-ngu-lao", .stance = kC},
        Case{.label = "vice chair", .from = "pct.kinhte.hungdao@example.vn", .subject = kReSubject,
             .body = "Nhất trí", .unit = "ubnd-pct-kt", .stance = kA},
        Case{.label = "front", .from = "mttq.hungdao@example.vn", .subject = kReSubject,
             .body = "Thống nhất với dự thảo, không có ý kiến khác.", .unit = "ubmttq",
             .stance = kA},
        Case{.label = "nfd body", .from = "tdp09.hungdao@example.vn", .subject = kReSubject,
             .body = "Tổ dân phố số 9 không nhất trí chỉ tiêu 100%.", .nfd = true,
             .unit = "tdp-09", .stance = kO},
        Case{.label = "no diacritics body", .from = "tdp10.hungdao@example.vn", .subject = kReSubject,
             .body = "To dan pho so 10 nhat tri, de nghi bo sung tien do.", .unit = "tdp-10",
             .stance = kC},
        Case{.label = "empty body", .from = "tdp13.hungdao@example.vn", .subject = kReSubject,
             .unit = "tdp-13", .stance = kU},
        Case{.label = "sender and a code in the subject", .from = "tdp14.hungdao@example.vn",
             .subject = "tdp-14 tra loi", .body = "dong y", .unit = "tdp-14", .stance = kA}));

INSTANTIATE_TEST_SUITE_P(
    MatchQuotedLetter, MatchTableTest,
    ::testing::Values(
        Case{.label = "reply quoting the whole letter matches only its sender",
             .from = "tdp05.hungdao@example.vn", .subject = kReSubject,
             .body = "Tổ dân phố số 5 nhất trí.", .quote_letter = true, .unit = "tdp-05",
             .stance = kA},
        Case{.label = "quoted letter and an unknown sender: the own text decides",
             .from = "nguyenvanan1968@gmail.com", .subject = kReSubject,
             .body = "TDP 16 thống nhất với dự thảo.\nTổ trưởng Nguyễn Văn An",
             .quote_letter = true, .unit = "tdp-16", .stance = kA},
        Case{.label = "quoted letter and nothing else: no unit",
             .from = "nguyenvanan1968@gmail.com", .subject = kReSubject, .body = "Nhất trí.",
             .quote_letter = true, .outcome = kUnmatched, .stance = kA,
             .unit_rule = "no unit fits"},
        Case{.label = "quoted letter: its 'được hiểu là đồng ý' is no stance",
             .from = "tdp17.hungdao@example.vn", .subject = kReSubject,
             .body = "Đã nhận.", .quote_letter = true, .unit = "tdp-17", .stance = kU},
        Case{.label = "quoted letter with object", .from = "tdp18.hungdao@example.vn",
             .subject = kReSubject, .body = "Không đồng ý chỉ tiêu 100%.",
             .quote_letter = true, .unit = "tdp-18", .stance = kO},
        Case{.label = "quoted letter, nfd", .from = "tdp19.hungdao@example.vn", .subject = kReSubject,
             .body = "Nhất trí, đề nghị bổ sung kinh phí.", .nfd = true, .quote_letter = true,
             .unit = "tdp-19", .stance = kC},
        Case{.label = "quoted letter under the police's reply",
             .from = "congan.hungdao@example.vn", .subject = kReSubject,
             .body = "Công an phường nhất trí.", .quote_letter = true, .unit = "cong-an",
             .stance = kA},
        Case{.label = "gmail school quoting the letter", .from = "hieutruong.thhd@gmail.com",
             .subject = kReSubject, .body = "Trường TH Hưng Đạo nhất trí.", .quote_letter = true,
             .unit = "th-hung-dao", .stance = kA},
        Case{.label = "> lines are quoted", .from = "hoangthimai@yahoo.com", .subject = "Re: Góp ý",
             .body = "Nhất trí\n\n> Kính gửi Công an phường, BCH Quân sự phường\n> TDP 5",
             .outcome = kUnmatched, .stance = kA, .unit_rule = "no unit fits"},
        Case{.label = "Outlook header block is quoted", .from = "ketoan.mnhd@gmail.com",
             .subject = "RE: Xin ý kiến", .body = "MN Hưng Đạo thống nhất.\n\n"
                                                  "From: Phòng VH-XH\nSent: Thursday\n"
                                                  "To: Các đơn vị\nSubject: Xin ý kiến\n\n"
                                                  "Kính gửi TDP 1, TDP 2, Công an phường",
             .unit = "mn-hung-dao", .stance = kA}));

INSTANTIATE_TEST_SUITE_P(
    MatchForwarded, MatchTableTest,
    ::testing::Values(
        Case{.label = "clerk forwards TDP 5's mail: the subject names it",
             .from = "vhxh.hungdao@example.vn", .subject = "Fwd: Ý kiến TDP 5",
             .body = "Chuyển chị Lan tổng hợp.\n\n---------- Forwarded message ---------\n"
                     "From: To truong TDP5 <totruong5@gmail.com>\nDate: Fri, 6 Feb 2026\n"
                     "Subject: Ý kiến TDP 5\n\nNhất trí.",
             .unit = "tdp-05", .stance = kU, .unit_rule = "alias 'TDP 5' in subject"},
        Case{.label = "forward with Vietnamese separator", .from = "vanthu.ubnd@gmail.com",
             .subject = "Chuyển tiếp: Công an phường góp ý",
             .body = "-------- Thư chuyển tiếp --------\nTừ: congan\nNhất trí",
             .unit = "cong-an", .stance = kU},
        Case{.label = "forwarded without a unit in the subject", .from = "vanthu.ubnd@gmail.com",
             .subject = "Fwd: Re: Xin ý kiến",
             .body = "---------- Forwarded message ---------\nFrom: TDP 5\nNhất trí",
             .outcome = kUnmatched, .stance = kU},
        Case{.label = "FW: prefix and sender", .from = "tdp20.hungdao@example.vn",
             .subject = "FW: Re: Xin ý kiến dự thảo", .body = "Tổ 20 nhất trí",
             .unit = "tdp-20", .stance = kA},
        Case{.label = "forwarding with own comment naming the unit", .from = "lananh.vhxh@gmail.com",
             .subject = "Fwd: góp ý",
             .body = "Chị ơi, ý kiến của Trạm Y tế phường ạ.\n\n"
                     "---------- Forwarded message ---------\nFrom: tyt\nĐề nghị bổ sung",
             .unit = "tram-y-te", .stance = kU}));

INSTANTIATE_TEST_SUITE_P(
    MatchDropFolder, MatchTableTest,
    ::testing::Values(
        Case{.label = "subfolder is the code", .folder = "tdp-05", .file = "scan001.pdf",
             .body = kAgreeLetter, .unit = "tdp-05", .stance = kA,
             .unit_rule = "subfolder tdp-05"},
        Case{.label = "consultation then unit subfolder", .folder = "dan-chu-2026/tdp-05",
             .file = "Tra loi.pdf", .body = kCommentsLetter, .unit = "tdp-05", .stance = kC},
        Case{.label = "subfolder tdp-5", .folder = "tdp-5", .file = "a.docx", .body = "Nhất trí",
             .unit = "tdp-05", .stance = kA, .unit_rule = "alias 'TDP 5' in subfolder"},
        Case{.label = "subfolder upper case", .folder = "TDP-05", .file = "a.docx", .body = "Nhất trí",
             .unit = "tdp-05", .stance = kA},
        Case{.label = "subfolder cong-an", .folder = "cong-an", .file = "CV 12.pdf",
             .body = kObjectLetter, .unit = "cong-an", .stance = kO},
        Case{.label = "subfolder named like the unit", .folder = "To dan pho so 5", .file = "1.pdf",
             .body = "dong y", .unit = "tdp-05", .stance = kA},
        Case{.label = "subfolder beats the file name", .folder = "tdp-03", .file = "Cong an phuong.pdf",
             .body = "Nhất trí", .unit = "tdp-03", .stance = kA},
        Case{.label = "subfolder beats the text", .folder = "hoi-nong-dan", .file = "y kien.docx",
             .body = "Hội Nông dân phối hợp Hội CCB phường, nhất trí.",
             .unit = "hoi-nong-dan", .stance = kA},
        Case{.label = "only the consultation subfolder: file name decides",
             .folder = "dan-chu-2026", .file = "TDP so 05 - gop y.docx", .body = "Nhất trí",
             .unit = "tdp-05", .stance = kA, .unit_rule = "alias 'TDP 5' in file name"},
        Case{.label = "file name to-dan-pho-so-5", .file = "to-dan-pho-so-5.pdf", .body = "Nhất trí",
             .unit = "tdp-05", .stance = kA},
        Case{.label = "file name TDP5", .file = "TDP5.pdf", .body = kAgreeLetter, .unit = "tdp-05",
             .stance = kA},
        Case{.label = "file name Tổ dân phố số 10 is not tổ 1", .file = "Tổ dân phố số 10.pdf",
             .body = "Thống nhất", .unit = "tdp-10", .stance = kA},
        Case{.label = "file name TDP1", .file = "TDP1_gopy.docx", .body = "Thống nhất",
             .unit = "tdp-01", .stance = kA},
        Case{.label = "file name with code", .file = "tdp-12_y-kien.docx", .body = kCommentsLetter,
             .unit = "tdp-12", .stance = kC, .unit_rule = "alias 'TDP 12' in file name"},
        Case{.label = "file name with code without zero", .file = "tdp-2 y kien.docx",
             .body = "Nhất trí", .unit = "tdp-02", .stance = kA},
        Case{.label = "file name police", .file = "Y kien Cong an phuong.pdf", .body = kAgreeLetter,
             .unit = "cong-an", .stance = kA},
        Case{.label = "file name CA phuong", .file = "CA phuong - gop y du thao.docx",
             .body = kCommentsLetter, .unit = "cong-an", .stance = kC},
        Case{.label = "file name BCH QS", .file = "BCH QS phuong - y kien.docx", .body = "Nhất trí",
             .unit = "bch-quan-su", .stance = kA},
        Case{.label = "file name Ban CHQS", .file = "Ban CHQS phường.pdf", .body = "Nhất trí",
             .unit = "bch-quan-su", .stance = kA},
        Case{.label = "file name Ban chỉ huy quân sự", .file = "Ban chỉ huy quân sự phường.pdf",
             .body = "Nhất trí", .unit = "bch-quan-su", .stance = kA},
        Case{.label = "file name Truong TH", .file = "Truong TH Hung Dao.pdf", .body = kAgreeLetter,
             .unit = "th-hung-dao", .stance = kA},
        Case{.label = "file name Tiểu học without Trường", .file = "Tiểu học Trần Quốc Toản.docx",
             .body = "Nhất trí", .unit = "th-tran-quoc-toan", .stance = kA},
        Case{.label = "file name THCS", .file = "THCS Tran Khanh Du - gop y.docx",
             .body = kCommentsLetter, .unit = "thcs-tran-khanh-du", .stance = kC},
        Case{.label = "file name Trung hoc co so", .file = "Trung hoc co so Hung Dao.pdf",
             .body = "Nhất trí", .unit = "thcs-hung-dao", .stance = kA},
        Case{.label = "file name MN", .file = "MN Hoa Sen gop y.pdf", .body = kObjectLetter,
             .unit = "mn-hoa-sen", .stance = kO},
        Case{.label = "file name Mam non", .file = "Mầm non Hưng Đạo.pdf", .body = "Nhất trí",
             .unit = "mn-hung-dao", .stance = kA},
        Case{.label = "file name THPT expanded", .file = "Trung học phổ thông Phạm Ngũ Lão.pdf",
             .body = "Nhất trí", .unit = "thpt-pham-ngu-lao", .stance = kA},
        Case{.label = "file name CCB", .file = "Hoi CCB phuong.docx", .body = "Nhất trí",
             .unit = "hoi-cuu-chien-binh", .stance = kA},
        Case{.label = "file name nfd", .file = "Tổ dân phố số 4.pdf", .body = "Nhất trí", .nfd = true,
             .unit = "tdp-04", .stance = kA},
        Case{.label = "file name upper case", .file = "TỔ DÂN PHỐ SỐ 21.PDF", .body = "NHẤT TRÍ",
             .unit = "tdp-21", .stance = kA},
        Case{.label = "file name TDP số 05 with space", .file = "TDP số 05.docx", .body = "Đồng ý",
             .unit = "tdp-05", .stance = kA},
        Case{.label = "file name To 15", .file = "To 15 y kien.docx", .body = "Đồng ý",
             .unit = "tdp-15", .stance = kA},
        Case{.label = "file name Tổ DP", .file = "Tổ DP 22 góp ý.pdf", .body = "Đồng ý",
             .unit = "tdp-22", .stance = kA},
        Case{.label = "file name HĐND", .file = "Thuong truc HDND phuong.pdf", .body = "Nhất trí",
             .unit = "hdnd", .stance = kA},
        Case{.label = "file name with a code that is no alias", .file = "ubnd-ct.pdf",
             .body = "Nhất trí", .unit = "ubnd-ct", .stance = kA,
             .unit_rule = "code ubnd-ct in file name"},
        Case{.label = "file name with another such code", .file = "tt-dvc_gopy.docx",
             .body = "Nhất trí", .unit = "tt-dvc", .stance = kA},
        Case{.label = "file name two units", .file = "TDP 5 va TDP 6.pdf", .body = "Nhất trí",
             .outcome = kUnmatched, .stance = kA,
             .unit_rule = "two units fit in file name: tdp-05 (alias 'TDP 5'), tdp-06 (alias "
                          "'TDP 6')"},
        Case{.label = "file name says nothing: text decides", .file = "scan_20260205.pdf",
             .body = "TỔ DÂN PHỐ SỐ 8\n\nKính gửi: Phòng Văn hóa – Xã hội\n\n"
                     "Tổ dân phố nhất trí với dự thảo.",
             .unit = "tdp-08", .stance = kA, .unit_rule = "name 'Tổ dân phố số 8' in own text"},
        Case{.label = "letterhead of the police", .file = "IMG_0042.pdf",
             .body = "CÔNG AN PHƯỜNG HƯNG ĐẠO\nSố: 15/CAP\n\nV/v góp ý dự thảo kế hoạch\n\n"
                     "Công an phường cơ bản thống nhất, đề nghị bổ sung nhiệm vụ bảo đảm an "
                     "ninh trật tự.",
             .unit = "cong-an", .stance = kC},
        Case{.label = "letterhead of the military command", .file = "scan.pdf",
             .body = "BAN CHỈ HUY QUÂN SỰ PHƯỜNG\n\nNhất trí với nội dung.",
             .unit = "bch-quan-su", .stance = kA},
        Case{.label = "nothing anywhere", .file = "scan.pdf", .body = "Nhất trí với nội dung dự thảo.",
             .outcome = kUnmatched, .stance = kA, .unit_rule = "no unit fits"},
        Case{.label = "unknown subfolder, file name decides", .folder = "2026-02", .file = "TDP 19.pdf",
             .body = "Nhất trí", .unit = "tdp-19", .stance = kA},
        Case{.label = "nfd subfolder name", .folder = "Tổ dân phố số 14", .file = "a.pdf",
             .body = "Nhất trí", .nfd = true, .unit = "tdp-14", .stance = kA}));

INSTANTIATE_TEST_SUITE_P(
    MatchSubject, MatchTableTest,
    ::testing::Values(
        Case{.label = "TDP số 05 in subject", .from = "totruong5@gmail.com",
             .subject = "Ý kiến của TDP số 05", .body = "Nhất trí", .unit = "tdp-05",
             .stance = kA, .unit_rule = "alias 'TDP 5' in subject"},
        Case{.label = "Tổ dân phố số 5 in subject", .from = "totruong5@gmail.com",
             .subject = "Tổ dân phố số 5 góp ý dự thảo", .body = "Nhất trí", .unit = "tdp-05",
             .stance = kA, .unit_rule = "name 'Tổ dân phố số 5' in subject"},
        Case{.label = "no diacritics", .from = "totruong@gmail.com",
             .subject = "y kien to dan pho so 5", .body = "nhat tri", .unit = "tdp-05",
             .stance = kA},
        Case{.label = "Tổ 1 is not Tổ 10", .from = "to10@gmail.com", .subject = "Ý kiến Tổ 10",
             .body = "Đồng ý", .unit = "tdp-10", .stance = kA},
        Case{.label = "Tổ 1", .from = "to1@gmail.com", .subject = "Ý kiến Tổ 1", .body = "Đồng ý",
             .unit = "tdp-01", .stance = kA},
        Case{.label = "TDP 5 and TDP 15 in subject", .from = "ab@gmail.com",
             .subject = "Ý kiến TDP 5 và TDP 15", .body = "Đồng ý", .outcome = kUnmatched,
             .stance = kA,
             .unit_rule = "two units fit in subject: tdp-05 (alias 'TDP 5'), tdp-15 (alias "
                          "'TDP 15')"},
        Case{.label = "CA phường", .from = "doiCSKV@gmail.com", .subject = "CA phường tham gia ý kiến",
             .body = kCommentsLetter, .unit = "cong-an", .stance = kC},
        Case{.label = "BCH Quân sự", .from = "quansu@gmail.com",
             .subject = "V/v: BCH Quân sự phường góp ý", .body = "Nhất trí", .unit = "bch-quan-su",
             .stance = kA},
        Case{.label = "Trường TH", .from = "vanthu.thhd@gmail.com",
             .subject = "Trường TH Hưng Đạo tham gia ý kiến", .body = "Nhất trí",
             .unit = "th-hung-dao", .stance = kA},
        Case{.label = "Trường THCS upper case", .from = "x@gmail.com",
             .subject = "TRƯỜNG THCS TRẦN KHÁNH DƯ - Ý KIẾN", .body = "NHẤT TRÍ",
             .unit = "thcs-tran-khanh-du", .stance = kA},
        Case{.label = "UBMTTQ phường", .from = "x@gmail.com", .subject = "UBMTTQ phường góp ý",
             .body = "Đề nghị bổ sung", .unit = "ubmttq", .stance = kC},
        Case{.label = "Ủy ban MTTQ phường", .from = "x@gmail.com",
             .subject = "Ý kiến của Ủy ban Mặt trận Tổ quốc phường", .body = "Nhất trí",
             .unit = "ubmttq", .stance = kA},
        Case{.label = "Vice chair (economy) contains Chủ tịch UBND phường", .from = "x@gmail.com",
             .subject = "Ý kiến Phó Chủ tịch UBND phường phụ trách Kinh tế",
             .body = "Nhất trí", .unit = "ubnd-pct-kt", .stance = kA},
        Case{.label = "Chủ tịch UBND phường", .from = "x@gmail.com",
             .subject = "Ý kiến của đồng chí Chủ tịch UBND phường", .body = "Nhất trí",
             .unit = "ubnd-ct", .stance = kA},
        Case{.label = "Chủ tịch Ủy ban nhân dân phường", .from = "x@gmail.com",
             .subject = "Ý kiến Chủ tịch Ủy ban nhân dân phường", .body = "Nhất trí",
             .unit = "ubnd-ct", .stance = kA},
        Case{.label = "PCT văn xã", .from = "x@gmail.com", .subject = "PCT Văn xã: ý kiến",
             .body = "Nhất trí", .unit = "ubnd-pct-vx", .stance = kA},
        Case{.label = "Hội Phụ nữ", .from = "x@gmail.com", .subject = "Hội Phụ nữ phường góp ý",
             .body = "Nhất trí", .unit = "hoi-phu-nu", .stance = kA},
        Case{.label = "Hội Liên hiệp Phụ nữ", .from = "x@gmail.com",
             .subject = "Hội Liên hiệp Phụ nữ phường tham gia ý kiến", .body = "Nhất trí",
             .unit = "hoi-phu-nu", .stance = kA},
        Case{.label = "Đoàn TN phường", .from = "x@gmail.com", .subject = "Đoàn TN phường góp ý",
             .body = "Nhất trí", .unit = "doan-thanh-nien", .stance = kA},
        Case{.label = "Đoàn Thanh niên", .from = "x@gmail.com", .subject = "Đoàn Thanh niên phường",
             .body = "Nhất trí", .unit = "doan-thanh-nien", .stance = kA},
        Case{.label = "Hội ND", .from = "x@gmail.com", .subject = "Hội ND phường ý kiến",
             .body = "Nhất trí", .unit = "hoi-nong-dan", .stance = kA},
        Case{.label = "Công đoàn", .from = "x@gmail.com", .subject = "Công đoàn phường góp ý",
             .body = "Nhất trí", .unit = "cong-doan", .stance = kA},
        Case{.label = "Văn phòng HĐND-UBND", .from = "x@gmail.com",
             .subject = "Văn phòng HĐND-UBND tham gia", .body = "Nhất trí",
             .unit = "van-phong", .stance = kA},
        Case{.label = "Phòng KT-HT-ĐT", .from = "x@gmail.com", .subject = "Phòng KT-HT-ĐT góp ý",
             .body = "Đề nghị chỉnh sửa", .unit = "phong-kt-ht-dt", .stance = kC},
        Case{.label = "Bộ phận một cửa", .from = "x@gmail.com", .subject = "Bộ phận một cửa: ý kiến",
             .body = "Nhất trí", .unit = "tt-hcc", .stance = kA},
        Case{.label = "Trung tâm dịch vụ công", .from = "x@gmail.com",
             .subject = "Trung tâm dịch vụ công góp ý", .body = "Nhất trí", .unit = "tt-dvc",
             .stance = kA},
        Case{.label = "TYT", .from = "x@gmail.com", .subject = "TYT phường - ý kiến",
             .body = "Nhất trí", .unit = "tram-y-te", .stance = kA},
        Case{.label = "Mặt trận phường", .from = "x@gmail.com", .subject = "Mặt trận phường góp ý",
             .body = "Không có ý kiến", .unit = "ubmttq", .stance = kA},
        Case{.label = "TDP 07 after the letter subject", .from = "x@gmail.com",
             .subject = "Re: Xin ý kiến tham gia vào dự thảo 02 Kế hoạch triển khai thực hiện "
                        "dân chủ ở cơ sở - TDP 07",
             .body = "Nhất trí", .unit = "tdp-07", .stance = kA},
        Case{.label = "tag, prefix and unit", .from = "x@gmail.com",
             .subject = "Re: [tacit:dan-chu-2026] Nhắc gửi ý kiến - Tổ dân phố số 21",
             .body = "Tổ nhất trí", .unit = "tdp-21", .stance = kA},
        Case{.label = "nfd subject", .from = "x@gmail.com", .subject = "Ý kiến Tổ dân phố số 22",
             .body = "Nhất trí", .nfd = true, .unit = "tdp-22", .stance = kA},
        Case{.label = "mixed case no diacritics", .from = "x@gmail.com", .subject = "Y KIEN tDp 3",
             .body = "nhat tri", .unit = "tdp-03", .stance = kA},
        Case{.label = "subject beats the own text", .from = "x@gmail.com", .subject = "Ý kiến TDP 4",
             .body = "TDP 4 họp với Công an phường và thống nhất.", .unit = "tdp-04",
             .stance = kA},
        Case{.label = "subject with two spellings of one unit", .from = "x@gmail.com",
             .subject = "TDP 6 (Tổ dân phố số 6) góp ý", .body = "Đồng ý", .unit = "tdp-06",
             .stance = kA},
        Case{.label = "vắng mặt inside a real subject is no auto-reply", .from = "tdp05.hungdao@example.vn",
             .subject = "Ý kiến TDP 5 (tổ trưởng vắng mặt, tổ phó ký)", .body = "Nhất trí",
             .unit = "tdp-05", .stance = kA}));

INSTANTIATE_TEST_SUITE_P(
    MatchOwnText, MatchTableTest,
    ::testing::Values(
        Case{.label = "own text names the unit", .from = "nguyenthihoa@gmail.com",
             .subject = "Góp ý dự thảo",
             .body = "Kính gửi Phòng VH-XH\nTổ dân phố số 11 nhất trí với 02 dự thảo.",
             .unit = "tdp-11", .stance = kA, .unit_rule = "name 'Tổ dân phố số 11' in own text"},
        Case{.label = "own text TDP số 05", .from = "x@gmail.com", .subject = "Góp ý",
             .body = "TDP số 05 đề nghị bổ sung chỉ tiêu.", .unit = "tdp-05", .stance = kC},
        Case{.label = "own text no diacritics", .from = "x@gmail.com", .subject = "gop y",
             .body = "to dan pho so 18 dong y", .unit = "tdp-18", .stance = kA},
        Case{.label = "own text two units", .from = "x@gmail.com", .subject = "Góp ý",
             .body = "TDP 5 đã họp cùng Công an phường, thống nhất.", .outcome = kUnmatched,
             .stance = kA,
             .unit_rule = "two units fit in own text: tdp-05 (alias 'TDP 5'), cong-an (name "
                          "'Công an phường')"},
        Case{.label = "own text three units", .from = "x@gmail.com", .subject = "Góp ý",
             .body = "Hội CCB phường, Hội Nông dân và Công đoàn phường thống nhất.",
             .outcome = kUnmatched, .stance = kA},
        Case{.label = "own text: Phó Chủ tịch … Kinh tế only", .from = "x@gmail.com",
             .subject = "Ý kiến",
             .body = "Phó Chủ tịch UBND phường phụ trách Kinh tế nhất trí với dự thảo.",
             .unit = "ubnd-pct-kt", .stance = kA},
        Case{.label = "own text: vice chair culture with dash", .from = "x@gmail.com",
             .subject = "Ý kiến",
             .body = "Phó Chủ tịch UBND phường phụ trách Văn hóa - Xã hội: thống nhất.",
             .unit = "ubnd-pct-vx", .stance = kA},
        Case{.label = "own text letterhead school", .from = "x@gmail.com", .subject = "Văn bản",
             .body = "PHÒNG GD&ĐT\nTRƯỜNG TIỂU HỌC TRẦN QUỐC TOẢN\n\nNhà trường nhất trí.",
             .unit = "th-tran-quoc-toan", .stance = kA},
        Case{.label = "own text Ban chỉ huy quân sự", .from = "x@gmail.com", .subject = "Ý kiến",
             .body = "Ban Chỉ huy quân sự phường đề nghị điều chỉnh tiến độ.",
             .unit = "bch-quan-su", .stance = kC},
        Case{.label = "own text BCHQS", .from = "x@gmail.com", .subject = "Ý kiến",
             .body = "BCHQS phường không nhất trí chỉ tiêu.", .unit = "bch-quan-su",
             .stance = kO},
        Case{.label = "own text Công an phường, nfd", .from = "x@gmail.com", .subject = "Ý kiến",
             .body = "Công an phường nhất trí.", .nfd = true, .unit = "cong-an", .stance = kA},
        Case{.label = "own text Trường Mầm non Hoa Sen", .from = "x@gmail.com", .subject = "Ý kiến",
             .body = "Trường Mầm non Hoa Sen thống nhất.", .unit = "mn-hoa-sen", .stance = kA},
        Case{.label = "own text THCS số", .from = "x@gmail.com", .subject = "Ý kiến",
             .body = "Trường Trung học cơ sở Hưng Đạo nhất trí.", .unit = "thcs-hung-dao",
             .stance = kA},
        Case{.label = "own text Tổ 9 signature", .from = "x@gmail.com", .subject = "Ý kiến",
             .body = "Nhất trí.\n\nTổ trưởng Tổ 9\nLê Văn Bình", .unit = "tdp-09", .stance = kA},
        Case{.label = "own text Hội CCB", .from = "x@gmail.com", .subject = "Ý kiến",
             .body = "Hội CCB phường không có ý kiến khác.", .unit = "hoi-cuu-chien-binh",
             .stance = kA},
        Case{.label = "own text Trạm Y tế", .from = "x@gmail.com", .subject = "Ý kiến",
             .body = "Trạm Y tế phường kiến nghị bổ sung nội dung chăm sóc sức khỏe.",
             .unit = "tram-y-te", .stance = kC},
        Case{.label = "own text mentions no unit", .from = "x@gmail.com", .subject = "Ý kiến",
             .body = "Nhất trí với nội dung.\nNguyễn Văn Hùng", .outcome = kUnmatched,
             .stance = kA},
        Case{.label = "own text Tổ 2 not Tổ 20", .from = "x@gmail.com", .subject = "Ý kiến",
             .body = "Tổ 2 nhất trí.", .unit = "tdp-02", .stance = kA},
        Case{.label = "own text 'tổ dân phố' without number", .from = "x@gmail.com",
             .subject = "Ý kiến",
             .body = "Các hộ dân trong tổ dân phố nhất trí.", .outcome = kUnmatched,
             .stance = kA},
        Case{.label = "own text TDP with leading zero", .from = "x@gmail.com", .subject = "Ý kiến",
             .body = "TDP 003 nhất trí", .unit = "tdp-03", .stance = kA},
        Case{.label = "own text 'Tổ dân phố số: 5'", .from = "x@gmail.com", .subject = "Ý kiến",
             .body = "Đơn vị: Tổ dân phố số: 5\nÝ kiến: nhất trí", .unit = "tdp-05",
             .stance = kA}));

INSTANTIATE_TEST_SUITE_P(
    MatchAttachments, MatchTableTest,
    ::testing::Values(
        Case{.label = "body says 'sent attached', the .docx agrees", .from = "tdp22.hungdao@example.vn",
             .subject = kReSubject, .body = "Gửi kèm văn bản.", .attachment_name = "ykien.docx",
             .attachment_text = "Tổ dân phố số 22 nhất trí với nội dung dự thảo.",
             .unit = "tdp-22", .stance = kA},
        Case{.label = "attachment name names the unit", .from = "x@gmail.com", .subject = "Ý kiến",
             .body = "Gửi kèm văn bản.", .attachment_name = "TDP 16 - y kien.docx",
             .attachment_text = "Nhất trí, đề nghị bổ sung kinh phí.", .unit = "tdp-16",
             .stance = kC, .unit_rule = "alias 'TDP 16' in attachment name 'TDP 16 - y kien.docx'"},
        Case{.label = "attachment text names the unit", .from = "x@gmail.com", .subject = "Ý kiến",
             .body = "Gửi kèm văn bản.", .attachment_name = "scan.pdf",
             .attachment_text = "HỘI NÔNG DÂN PHƯỜNG\n\nKhông nhất trí chỉ tiêu 100%.",
             .unit = "hoi-nong-dan", .stance = kO,
             .unit_rule = "name 'Hội Nông dân phường' in attachment 'scan.pdf'"},
        Case{.label = "own text beats attachment text", .from = "x@gmail.com", .subject = "Ý kiến",
             .body = "Ý kiến của TDP 13", .attachment_name = "scan.pdf",
             .attachment_text = "Tổ dân phố số 14", .unit = "tdp-13", .stance = kU},
        Case{.label = "attachment is the forwarded letter: no unit", .from = "x@gmail.com",
             .subject = "Ý kiến", .body = "Nhất trí", .attachment_name = "CV.pdf",
             .attachment_text = "Kính gửi: Công an phường; BCH Quân sự phường; Tổ dân phố số 1",
             .outcome = kUnmatched, .stance = kA},
        Case{.label = "own stance wins over attachment", .from = "tdp01.hungdao@example.vn",
             .subject = "Ý kiến", .body = "Nhất trí", .attachment_name = "a.docx",
             .attachment_text = "Không đồng ý", .unit = "tdp-01", .stance = kA},
        Case{.label = "attachment object when own text is silent", .from = "tdp02.hungdao@example.vn",
             .subject = "Ý kiến", .body = "Kính gửi.", .attachment_name = "a.docx",
             .attachment_text = "Tổ không đồng ý với tiến độ thực hiện.", .unit = "tdp-02",
             .stance = kO},
        Case{.label = "attachment comments, nfd", .from = "tdp03.hungdao@example.vn",
             .subject = "Ý kiến", .body = "Gửi kèm", .attachment_name = "Góp ý.docx",
             .attachment_text = "1. Đề nghị sửa chỉ tiêu.\n2. Đề nghị bổ sung tiến độ.",
             .nfd = true, .unit = "tdp-03", .stance = kC}));

INSTANTIATE_TEST_SUITE_P(
    MatchReplyTo, MatchTableTest,
    ::testing::Values(
        Case{.label = "in-reply-to our reminder decides both", .from = "nguyenvanan@gmail.com",
             .subject = "Re: Nhắc gửi ý kiến", .body = "TDP 5 nhất trí",
             .in_reply_to = kOurReminder, .unit = "tdp-07", .stance = kA,
             .unit_rule = "in-reply-to <reminder.dan-chu-2026.tdp-07.1@tacit.hungdao.example.vn>"},
        Case{.label = "in-reply-to beats the sender", .from = "tdp05.hungdao@example.vn",
             .subject = "Re: Nhắc", .body = "Nhất trí", .in_reply_to = kOurReminder,
             .unit = "tdp-07", .stance = kA},
        Case{.label = "in-reply-to without brackets", .from = "x@gmail.com", .subject = "Re: Nhắc",
             .body = "Đồng ý", .in_reply_to = "reminder.dan-chu-2026.tdp-07.1@tacit.hungdao.example.vn",
             .unit = "tdp-07", .stance = kA},
        Case{.label = "in-reply-to not ours falls through", .from = "tdp06.hungdao@example.vn",
             .subject = kReSubject, .body = "Nhất trí", .in_reply_to = "<abc@mail.gmail.com>",
             .unit = "tdp-06", .stance = kA},
        Case{.label = "in-reply-to not ours and nothing else", .from = "x@gmail.com",
             .subject = kReSubject, .body = "Nhất trí", .in_reply_to = "<abc@mail.gmail.com>",
             .outcome = kUnmatched, .stance = kA}));

INSTANTIATE_TEST_SUITE_P(
    MatchNotAReply, MatchTableTest,
    ::testing::Values(
        Case{.label = "auto-submitted header", .from = "tdp05.hungdao@example.vn",
             .subject = "Re: Nhắc gửi ý kiến", .body = "Tôi đang đi công tác.",
             .auto_submitted = true, .outcome = kNotAReply},
        Case{.label = "Out of Office subject", .from = "congan.hungdao@example.vn",
             .subject = "Out of Office: Re: Xin ý kiến", .body = "I am away",
             .outcome = kNotAReply},
        Case{.label = "Automatic reply subject", .from = "congan.hungdao@example.vn",
             .subject = "Automatic reply: Xin ý kiến", .outcome = kNotAReply},
        Case{.label = "Trả lời tự động", .from = "tdp08.hungdao@example.vn",
             .subject = "Trả lời tự động: Xin ý kiến tham gia", .body = "Tôi vắng mặt",
             .outcome = kNotAReply},
        Case{.label = "Tự động trả lời", .from = "tdp08.hungdao@example.vn",
             .subject = "Tự động trả lời: Re: Xin ý kiến", .outcome = kNotAReply},
        Case{.label = "Vắng mặt", .from = "x@gmail.com", .subject = "Vắng mặt đến ngày 10/02",
             .body = "Nhất trí", .outcome = kNotAReply},
        Case{.label = "Re: Vắng mặt", .from = "x@gmail.com", .subject = "Re: Vắng mặt",
             .outcome = kNotAReply},
        Case{.label = "no diacritics auto reply", .from = "x@gmail.com",
             .subject = "TU DONG TRA LOI: Xin y kien", .outcome = kNotAReply},
        Case{.label = "delivery report flag", .from = "mailer-daemon@example.vn",
             .subject = "Undelivered Mail Returned to Sender", .delivery_report = true,
             .outcome = kNotAReply},
        Case{.label = "bounce by sender and subject", .from = "MAILER-DAEMON@mail.example.vn",
             .subject = "Undelivered Mail Returned to Sender", .in_reply_to = kOurReminder,
             .outcome = kNotAReply},
        Case{.label = "postmaster DSN", .from = "postmaster@example.vn",
             .subject = "Delivery Status Notification (Failure)", .outcome = kNotAReply},
        Case{.label = "postmaster with a real subject is a reply", .from = "postmaster@example.vn",
             .subject = "Góp ý của TDP 5", .body = "Nhất trí", .unit = "tdp-05",
             .stance = kA}));

}  // namespace
}  // namespace tacit::match
