// Mail as Vietnamese ward units send it, through ParseMessage (issue 5): the
// encodings and clients seen in practice, and malformed input that must end
// as a result or a one-line kBadInput, never a crash or a hang.
#include "mail/mime.h"

#include <cctype>
#include <chrono>
#include <cstdint>
#include <iterator>
#include <string>

#include <gtest/gtest.h>

#include "core/hash.h"
#include "mail/html.h"
#include "text/normalize.h"

namespace tacit::mail {
namespace {

using namespace std::string_literals;

ParsedMessage Parse(const std::string& raw) {
  Result<ParsedMessage> r = ParseMessage(raw);
  EXPECT_TRUE(r.has_value()) << (r.has_value() ? "" : r.error().message());
  if (!r.has_value()) return {};
  return std::move(*r);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Valid UTF-8 without NUL bytes: fit for the store.
bool IsClean(const std::string& s) {
  return text::IsValidUtf8(s) && s.find('\0') == std::string::npos;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

const std::string kHead =
    "From: \"=?utf-8?Q?T=E1=BB=95_d=C3=A2n_ph=E1=BB=91_s=E1=BB=91_1?=\" <TDP01@Example.vn>\n"
    "To: vhxh@phuong.example.vn\n"
    "Date: Tue, 10 Feb 2026 08:15:00 +0700\n"
    "Message-ID: <reply-1@mail.example.vn>\n";

TEST(MimeTest, OutlookSplitsAUtf8CharacterAcrossEncodedWords) {
  std::string raw =
      kHead +
      "Subject: =?utf-8?B?VHLh?= "
      "=?utf-8?B?uqMgbOG7nWk6IEfDs3Agw70gZOG7sSB0aOG6o28ga+G6vyBob+G6oWNoIDE1L1ZILVhI?="
      "\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\nNhất trí.\n";
  ParsedMessage m = Parse(raw);
  EXPECT_EQ(m.candidate.subject, "Trả lời: Góp ý dự thảo kế hoạch 15/VH-XH");
}

TEST(MimeTest, RunsOfPaddedBase64WordsDecodeWhole) {
  // Each word is decoded on its own, then the bytes are joined: GMime 3.2
  // alone reads "abccd" for the first, "ab" for the second, and cut Outlook
  // subjects after their first word.
  std::string raw = kHead + "Subject: =?utf-8?B?YWJj?= =?utf-8?B?Y2Q=?=\n\nx\n";
  EXPECT_EQ(Parse(raw).candidate.subject, "abccd");
  raw = kHead + "Subject: =?utf-8?B?YWI=?=\r\n =?UTF-8?B?Y2Q=?= tail\n\nx\n";
  EXPECT_EQ(Parse(raw).candidate.subject, "abcd tail");
  // "Trả lời" padded and split inside "ả" and "ờ"; display name likewise.
  raw =
      "From: =?utf-8?B?VOG7lQ==?= =?utf-8?B?IDE=?= <tdp1@example.vn>\n"
      "Subject: =?utf-8?B?VHLhug==?=\n =?utf-8?B?oyBs4bs=?=\n =?utf-8?B?nWk=?=\n\nx\n";
  ParsedMessage m = Parse(raw);
  EXPECT_EQ(m.candidate.subject, "Trả lời");
  EXPECT_EQ(m.from_name, "Tổ 1");
  ASSERT_EQ(m.candidate.from.size(), 1u);
  EXPECT_EQ(m.candidate.from[0], "tdp1@example.vn");
  // Words of different charsets are each decoded in their own.
  raw = kHead + "Subject: =?utf-8?B?YWI=?= =?iso-8859-1?B?4Q==?=\n\nx\n";
  EXPECT_EQ(Parse(raw).candidate.subject, "abá");
}

TEST(MimeTest, FormatFlowedSoftBreaks) {
  std::string raw =
      kHead +
      "Subject: x\nContent-Type: text/plain; charset=utf-8; format=flowed; delsp=yes\n\n"
      "Nhất \ntrí.\n>> quoted \n>> on\n-- \nsig\n";
  ParsedMessage m = Parse(raw);
  // delsp=yes: the space before the soft break was not the writer's.
  EXPECT_EQ(m.candidate.own_text, "Nhấttrí.\n-- \nsig");
  EXPECT_EQ(m.candidate.quoted_text, ">> quotedon");
  raw = kHead + "Subject: x\nContent-Type: text/plain; format=flowed\n\nmot \nhai\n\nba\n";
  EXPECT_EQ(Parse(raw).candidate.own_text, "mot hai\n\nba");
  // Without format=flowed a trailing space is kept as a line end.
  raw = kHead + "Subject: x\nContent-Type: text/plain\n\nmot \nhai\n";
  EXPECT_EQ(Parse(raw).candidate.own_text, "mot \nhai");
}

TEST(MimeTest, OnlyFailedRecipientsBounce) {
  auto report = [](const std::string& status) {
    return "From: MAILER-DAEMON@example.vn\nSubject: report\n"
           "Content-Type: multipart/report; report-type=delivery-status; boundary=r\n\n"
           "--r\nContent-Type: text/plain\n\nreport\n--r\nContent-Type: message/delivery-status\n\n"
           "Reporting-MTA: dns; example.vn\n\n" +
           status +
           "--r\nContent-Type: text/rfc822-headers\n\nMessage-ID: <rem-1@example.vn>\n--r--\n";
  };
  ParsedMessage m = Parse(report(
      "Final-Recipient: rfc822; slow@example.vn\nAction: delayed\n\n"
      "Final-Recipient: rfc822; gone@example.vn\nAction: failed (bad mailbox)\nStatus: 5.1.1\n\n"));
  EXPECT_TRUE(m.candidate.delivery_report);
  EXPECT_EQ(m.candidate.bounced_recipient, "gone@example.vn");
  EXPECT_EQ(m.candidate.in_reply_to, "rem-1@example.vn");
  m = Parse(report("Final-Recipient: rfc822; ok@example.vn\nAction: relayed\n\n"));
  EXPECT_FALSE(m.candidate.delivery_report);
  EXPECT_TRUE(m.candidate.auto_submitted);
  EXPECT_EQ(m.candidate.bounced_recipient, "");
  EXPECT_EQ(m.candidate.in_reply_to, "");
  // No Action at all (a broken report): still a bounce, as before.
  m = Parse(report("Final-Recipient: rfc822; x@example.vn\n\n"));
  EXPECT_TRUE(m.candidate.delivery_report);
  EXPECT_EQ(m.candidate.bounced_recipient, "x@example.vn");
}

TEST(MimeTest, HeadersAddressesAndIds) {
  std::string raw = kHead +
                    "In-Reply-To: <rem-k-tdp-01-1@example.vn>\n"
                    "References: <letter-1@example.vn>\n <rem-k-tdp-01-1@example.vn>\n"
                    "Subject: =?UTF-8?Q?Tr=E1=BA=A3_l=E1=BB=9Di?=\n"
                    "Content-Type: text/plain; charset=utf-8\n\nNhất trí.\n";
  ParsedMessage m = Parse(raw);
  const match::Candidate& c = m.candidate;
  ASSERT_EQ(c.from.size(), 1u);
  EXPECT_EQ(Lower(c.from[0]), "tdp01@example.vn");
  ASSERT_TRUE(c.message_id.has_value());
  EXPECT_EQ(*c.message_id, "reply-1@mail.example.vn");
  EXPECT_EQ(c.in_reply_to, "rem-k-tdp-01-1@example.vn");
  ASSERT_EQ(c.references.size(), 2u);
  EXPECT_EQ(c.references[0], "letter-1@example.vn");
  EXPECT_EQ(c.references[1], "rem-k-tdp-01-1@example.vn");
  EXPECT_EQ(c.subject, "Trả lời");
  EXPECT_EQ(c.date_header, "Tue, 10 Feb 2026 08:15:00 +0700");
  EXPECT_EQ(c.own_text, "Nhất trí.");
  EXPECT_EQ(c.content_hash, Sha256Hex(raw));
  EXPECT_FALSE(c.auto_submitted);
  EXPECT_FALSE(c.delivery_report);
}

TEST(MimeTest, Windows1258QuotedPrintableBody) {
  std::string raw = kHead +
                    "Subject: Tra loi\nContent-Type: text/plain; charset=windows-1258\n"
                    "Content-Transfer-Encoding: quoted-printable\n\n"
                    "T=F4=D2 d=E2n ph=F4=EC s=F4=EC 2 nh=E2=ECt tr=ED v=F5=ECi d=FD=F2 tha=D2o k=\n"
                    "=EA=EC hoa=F2ch.\n";
  ParsedMessage m = Parse(raw);
  // Combining tone marks composed: NFC.
  EXPECT_EQ(m.candidate.own_text, "Tổ dân phố số 2 nhất trí với dự thảo kế hoạch.");
}

TEST(MimeTest, Base64Utf8Body) {
  std::string raw =
      kHead +
      "Subject: =?utf-8?B?VHLhuqMgbOG7nWk=?=\nContent-Type: text/plain; "
      "charset=\"UTF-8\"\nContent-Transfer-Encoding: base64\n\n"
      "Q8O0bmcgYW4gcGjGsOG7nW5nIHRo4buRbmcgbmjhuqV0IHbhu5tpIG7hu5lpIGR1bmcgZOG7sSB0aOG6\n"
      "o28uClRyw6JuIHRy4buNbmcuCg==\n";
  ParsedMessage m = Parse(raw);
  EXPECT_EQ(m.candidate.subject, "Trả lời");
  EXPECT_EQ(m.candidate.own_text, "Công an phường thống nhất với nội dung dự thảo.\nTrân trọng.");
}

TEST(MimeTest, QuotedPrintableUtf8WithSoftBreaks) {
  std::string raw = kHead +
                    "Subject: Y kien\nContent-Type: text/plain; charset=utf-8\n"
                    "Content-Transfer-Encoding: quoted-printable\n\n"
                    "=E1=BB=A6y ban nh=C3=A2n d=C3=A2n ph=C6=B0=E1=BB=9Dng =C4=91=E1=BB=81 ngh=\n"
                    "=E1=BB=8B b=E1=BB=95 sung ti=E1=BA=BFn =C4=91=E1=BB=99 th=E1=BB=B1c hi=E1=\n"
                    "=BB=87n trong qu=C3=BD III n=C4=83m 2026.\n";
  ParsedMessage m = Parse(raw);
  EXPECT_EQ(m.candidate.own_text,
            "Ủy ban nhân dân phường đề nghị bổ sung tiến độ thực hiện trong quý III năm 2026.");
}

TEST(MimeTest, LegacyAndUndeclaredHeaderCharsets) {
  // An old client: windows-1258 encoded word (tone marks combining).
  std::string raw = kHead +
                    "Subject: =?windows-1258?Q?T=F4=EC_d=E2n_ph=F4=EC?=\n"
                    "Content-Type: text/plain\n\nx\n";
  EXPECT_EQ(Parse(raw).candidate.subject, "Tố dân phố");
  // Raw 8-bit UTF-8 in the header, no encoded word (Zimbra, some webmail).
  raw = kHead + "Subject: Trả lời công văn\nContent-Type: text/plain\n\nx\n";
  EXPECT_EQ(Parse(raw).candidate.subject, "Trả lời công văn");
  // Q encoding split in the middle of a UTF-8 sequence.
  raw = kHead + "Subject: =?UTF-8?Q?Tr=E1=BA?= =?UTF-8?Q?=A3_l=E1=BB=9Di?=\n\nx\n";
  EXPECT_EQ(Parse(raw).candidate.subject, "Trả lời");
}

TEST(MimeTest, AppleMailNfdSubjectBecomesNfc) {
  // "Hòa" with a combining grave accent, as macOS writes it.
  std::string raw = kHead + "Subject: =?utf-8?Q?Ho=CC=80a?=\nContent-Type: text/plain\n\nx\n";
  EXPECT_EQ(Parse(raw).candidate.subject, "Hòa");
}

TEST(MimeTest, HtmlOnlyBodyBecomesText) {
  std::string raw = kHead +
                    "Subject: Tra loi\nContent-Type: text/html; charset=utf-8\n\n"
                    "<html><head><style>p{color:red}</style><title>x</title></head><body>"
                    "<p>K&iacute;nh g&#7917;i &quot;Ph&ograve;ng VH-XH&quot;,</p>"
                    "<div>Tổ dân phố số 1 <b>nhất trí</b>&nbsp;với dự thảo.<br>Trân trọng,</div>"
                    "<script>alert(1)</script><!-- comment --></body></html>\n";
  ParsedMessage m = Parse(raw);
  EXPECT_EQ(m.candidate.own_text,
            "Kính gửi \"Phòng VH-XH\",\n\nTổ dân phố số 1 nhất trí với dự thảo.\nTrân trọng,");
}

TEST(MimeTest, AlternativePrefersPlain) {
  std::string raw = kHead +
                    "Subject: Tra loi\nMIME-Version: 1.0\n"
                    "Content-Type: multipart/alternative; boundary=\"alt\"\n\n"
                    "--alt\nContent-Type: text/html; charset=utf-8\n\n<p>HTML version</p>\n"
                    "--alt\nContent-Type: text/plain; charset=utf-8\n\nBản văn bản thuần.\n"
                    "--alt--\n";
  ParsedMessage m = Parse(raw);
  EXPECT_EQ(m.candidate.own_text, "Bản văn bản thuần.");
}

TEST(MimeTest, AlternativeWithRelatedHtmlOnly) {
  std::string raw = kHead +
                    "Subject: x\nContent-Type: multipart/alternative; boundary=a\n\n"
                    "--a\nContent-Type: multipart/related; boundary=r\n\n"
                    "--r\nContent-Type: text/html; charset=utf-8\n\n<div>Nhất trí</div>\n"
                    "--r\nContent-Type: image/png\nContent-ID: <logo>\n"
                    "Content-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--r--\n--a--\n";
  ParsedMessage m = Parse(raw);
  EXPECT_EQ(m.candidate.own_text, "Nhất trí");
}

TEST(MimeTest, TxtAttachmentWithRfc2231Name) {
  std::string raw =
      kHead +
      "Subject: Gui van ban\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"----=_Part_1\"\n\n"
      "------=_Part_1\nContent-Type: text/plain; charset=utf-8\n\nGửi kèm ý kiến.\n"
      "------=_Part_1\nContent-Type: text/plain; charset=utf-8\n"
      "Content-Disposition: attachment;\n filename*=utf-8''Tr%E1%BA%A3%20l%E1%BB%9Di%20TDP1.txt\n"
      "Content-Transfer-Encoding: base64\n\n"
      "TuG7mWkgZHVuZyB04buHcCDEkcOtbmgga8OobTogVOG7lSBkw6JuIHBo4buRIHPhu5EgMSBuaOG6pXQgdHLDrS4K\n"
      "------=_Part_1--\n";
  ParsedMessage m = Parse(raw);
  EXPECT_EQ(m.candidate.own_text, "Gửi kèm ý kiến.");
  ASSERT_EQ(m.candidate.attachments.size(), 1u);
  EXPECT_EQ(m.candidate.attachments[0].name, "Trả lời TDP1.txt");
  EXPECT_TRUE(Contains(m.candidate.attachments[0].text, "Tổ dân phố số 1 nhất trí"));
  ASSERT_EQ(m.attachments.size(), 1u);
  EXPECT_EQ(m.attachments[0].name, "Trả lời TDP1.txt");
  EXPECT_EQ(m.attachments[0].content_type, "text/plain");
  EXPECT_EQ(m.attachments[0].bytes, "Nội dung tệp đính kèm: Tổ dân phố số 1 nhất trí.\n");
}

TEST(MimeTest, Rfc2231ContinuationsAndEncodedWordNames) {
  std::string raw =
      kHead +
      "Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n"
      "--b\nContent-Type: text/plain\n\nxem tệp\n"
      "--b\nContent-Type: application/pdf\nContent-Disposition: attachment;\n"
      " filename*0*=utf-8''C%C3%B4ng%20v%C4%83n;\n filename*1*=%20s%E1%BB%91%2015.pdf\n\n"
      "not really a pdf\n"
      "--b\nContent-Type: application/octet-stream; name=\"=?utf-8?B?QuG6o25nIGvDqi54bHN4?=\"\n"
      "Content-Disposition: attachment\n\nxx\n"
      "--b\nContent-Type: application/pdf\nContent-Disposition: attachment\n\nyy\n"
      "--b--\n";
  ParsedMessage m = Parse(raw);
  ASSERT_EQ(m.candidate.attachments.size(), 3u);
  EXPECT_EQ(m.candidate.attachments[0].name, "Công văn số 15.pdf");
  EXPECT_EQ(m.candidate.attachments[0].text, "");  // damaged pdf: kept without text
  EXPECT_EQ(m.candidate.attachments[1].name, "Bảng kê.xlsx");
  EXPECT_EQ(m.candidate.attachments[2].name, "attachment-3.pdf");
}

TEST(MimeTest, HostileAttachmentNamesAreSanitised) {
  std::string raw = kHead +
                    "Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n"
                    "--b\nContent-Type: text/plain\n\nx\n"
                    "--b\nContent-Type: text/plain; name=\"../../etc/passwd\"\n\na\n"
                    "--b\nContent-Type: text/plain; name=\"..\"\n\nb\n"
                    "--b\nContent-Type: text/plain; name=\"passwd\"\n\nc\n"
                    "--b\nContent-Type: text/plain; name=\"=?utf-8?Q?a=0Ab=00c.txt?=\"\n\nd\n"
                    "--b--\n";
  ParsedMessage m = Parse(raw);
  ASSERT_EQ(m.attachments.size(), 4u);
  EXPECT_EQ(m.attachments[0].name, "passwd");
  EXPECT_EQ(m.attachments[1].name, "attachment-2.txt");
  EXPECT_EQ(m.attachments[2].name, "passwd (2)");
  for (const auto& a : m.attachments) {
    EXPECT_FALSE(a.name.empty());
    EXPECT_EQ(a.name.find('/'), std::string::npos);
    for (char ch : a.name) EXPECT_GE(static_cast<unsigned char>(ch), 0x20) << a.name;
  }
}

TEST(MimeTest, ReplyQuotingTheLetterUnderDaViet) {
  std::string raw = kHead +
                    "Subject: =?utf-8?Q?Re:_Xin_=C3=BD_ki=E1=BA=BFn?=\n"
                    "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
                    "Tổ dân phố số 1 nhất trí.\n\n"
                    "Vào Th 2, 9 thg 2, 2026 lúc 08:00 Phòng VH-XH <vhxh@phuong.example.vn> đã "
                    "viết:\n"
                    "> Kính gửi: Ủy ban nhân dân phường, Công an phường, Tổ dân phố số 2\n"
                    "> Quá thời hạn trên, đơn vị không có ý kiến được hiểu là đồng ý.\n";
  ParsedMessage m = Parse(raw);
  EXPECT_EQ(m.candidate.own_text, "Tổ dân phố số 1 nhất trí.");
  EXPECT_TRUE(Contains(m.candidate.quoted_text, "Công an phường"));
  EXPECT_FALSE(Contains(m.candidate.own_text, "Công an"));
}

TEST(MimeTest, ForwardedMessageIsQuoted) {
  std::string raw = kHead +
                    "Subject: Fwd: x\nContent-Type: multipart/mixed; boundary=b\n\n"
                    "--b\nContent-Type: text/plain; charset=utf-8\n\nChuyển tiếp ý kiến.\n"
                    "--b\nContent-Type: message/rfc822\n\n"
                    "From: a@b.vn\nSubject: goc\nContent-Type: text/plain; charset=utf-8\n\n"
                    "Công an phường nhất trí.\n--b--\n";
  ParsedMessage m = Parse(raw);
  EXPECT_EQ(m.candidate.own_text, "Chuyển tiếp ý kiến.");
  EXPECT_TRUE(Contains(m.candidate.quoted_text, "Công an phường nhất trí."));
}

struct AutoCase {
  std::string header;
  bool auto_submitted;
};

class AutoReplyTest : public ::testing::TestWithParam<AutoCase> {};

TEST_P(AutoReplyTest, Flags) {
  std::string raw = kHead + GetParam().header +
                    "Subject: =?utf-8?Q?V=E1=BA=AFng_m=E1=BA=B7t?=\n"
                    "Content-Type: text/plain\n\nToi dang nghi phep.\n";
  EXPECT_EQ(Parse(raw).candidate.auto_submitted, GetParam().auto_submitted) << GetParam().header;
}

INSTANTIATE_TEST_SUITE_P(Headers, AutoReplyTest,
                         ::testing::Values(AutoCase{"Auto-Submitted: auto-replied\n", true},
                                           AutoCase{"Auto-Submitted: auto-generated\n", true},
                                           AutoCase{"Auto-Submitted: No\n", false},
                                           AutoCase{"X-Autoreply: yes\n", true},
                                           AutoCase{"X-Autorespond: Vacation\n", true},
                                           AutoCase{"Precedence: auto_reply\n", true},
                                           AutoCase{"Precedence: bulk\n", false},
                                           AutoCase{"", false}));

TEST(MimeTest, DeliveryReportLinksTheBouncedReminder) {
  std::string raw =
      "From: Mail Delivery System <MAILER-DAEMON@phuong.example.vn>\n"
      "To: vhxh@phuong.example.vn\nSubject: Undelivered Mail Returned to Sender\n"
      "Date: Tue, 10 Feb 2026 08:15:00 +0700\nMessage-ID: <dsn-1@phuong.example.vn>\n"
      "Auto-Submitted: auto-replied\nMIME-Version: 1.0\n"
      "Content-Type: multipart/report; report-type=delivery-status; boundary=\"dsn\"\n\n"
      "--dsn\nContent-Type: text/plain; charset=us-ascii\n\n"
      "I'm sorry to have to inform you that your message could not be delivered.\n"
      "--dsn\nContent-Type: message/delivery-status\n\n"
      "Reporting-MTA: dns; phuong.example.vn\n\nFinal-Recipient: rfc822; tdp02@example.vn\n"
      "Action: failed\nStatus: 5.1.1\n"
      "--dsn\nContent-Type: text/rfc822-headers\n\n"
      "From: vhxh@phuong.example.vn\nTo: tdp02@example.vn\n"
      "Subject: =?utf-8?Q?Nh=E1=BA=AFc?=\nMessage-ID:\n <rem-k-tdp-02-1@example.vn>\n"
      "--dsn--\n";
  ParsedMessage m = Parse(raw);
  EXPECT_TRUE(m.candidate.delivery_report);
  EXPECT_EQ(m.candidate.in_reply_to, "rem-k-tdp-02-1@example.vn");
  EXPECT_EQ(m.candidate.bounced_recipient, "tdp02@example.vn");
  EXPECT_TRUE(m.attachments.empty());
}

TEST(MimeTest, DeliveryReportWithTheWholeMessage) {
  std::string raw =
      "From: postmaster@example.vn\nSubject: Delivery Status Notification (Failure)\n"
      "Date: Tue, 10 Feb 2026 08:15:00 +0700\n"
      "Content-Type: multipart/mixed; boundary=o\n\n"
      "--o\nContent-Type: text/plain\n\nfailed\n"
      "--o\nContent-Type: message/delivery-status\n\nAction: failed\n"
      "--o\nContent-Type: message/rfc822\n\n"
      "From: vhxh@phuong.example.vn\nMessage-ID: <rem-k-ubnd-2@example.vn>\n"
      "Subject: x\n\nbody\n--o--\n";
  ParsedMessage m = Parse(raw);
  EXPECT_TRUE(m.candidate.delivery_report);
  // Not a multipart/report: the message/rfc822 is treated as forwarded.
  EXPECT_TRUE(m.candidate.in_reply_to.empty() ||
              m.candidate.in_reply_to == "rem-k-ubnd-2@example.vn");
}

TEST(MimeTest, ReportWithMessageRfc822) {
  std::string raw =
      "From: MAILER-DAEMON@example.vn\nSubject: failure\nDate: Tue, 10 Feb 2026 08:15:00 +0700\n"
      "Content-Type: multipart/report; report-type=delivery-status; boundary=o\n\n"
      "--o\nContent-Type: text/plain\n\nfailed\n"
      "--o\nContent-Type: message/delivery-status\n\nAction: failed\n"
      "--o\nContent-Type: message/rfc822\n\n"
      "From: vhxh@phuong.example.vn\nMessage-ID: <rem-k-ubnd-2@example.vn>\n"
      "Subject: x\n\nbody\n--o--\n";
  ParsedMessage m = Parse(raw);
  EXPECT_TRUE(m.candidate.delivery_report);
  EXPECT_EQ(m.candidate.in_reply_to, "rem-k-ubnd-2@example.vn");
}

TEST(MimeTest, HtmlToTextBlockquoteIsQuoted) {
  EXPECT_EQ(HtmlToText("<div>Nhất trí</div><div>Vào ... đã viết:<blockquote>Kính "
                       "gửi<br>Công an</blockquote></div>"),
            "Nhất trí\nVào ... đã viết:\n> Kính gửi\n> Công an");
  EXPECT_EQ(HtmlToText("a &lt; b &amp;&amp; c &#x1EA1; &#9999999999; &bogus; <"),
            "a < b && c ạ \xEF\xBF\xBD &bogus; <");
  EXPECT_EQ(HtmlToText("<pre>a\n  b</pre>x"), "a\n  b\nx");
}

// --- Malformed input --------------------------------------------------------

Result<ParsedMessage> Bad(const std::string& raw, const Limits& limits = {}) {
  auto start = std::chrono::steady_clock::now();
  Result<ParsedMessage> r = ParseMessage(raw, limits);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  if (!r.has_value()) {
    EXPECT_EQ(r.error().code(), ErrorCode::kBadInput);
    EXPECT_FALSE(r.error().message().empty());
    EXPECT_EQ(r.error().message().find('\n'), std::string::npos) << r.error().message();
  }
  return r;
}

TEST(MimeMalformedTest, MultipartWithoutBoundary) {
  Result<ParsedMessage> r =
      Bad(kHead + "Subject: x\nContent-Type: multipart/mixed\n\nTổ dân phố số 1 nhất trí.\n");
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(Contains(r->candidate.own_text, "nhất trí")) << r->candidate.own_text;
}

TEST(MimeMalformedTest, ThousandDeepNesting) {
  std::string raw = kHead + "Subject: deep\n";
  for (int i = 0; i < 1000; ++i) {
    raw += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\n\n--b" +
           std::to_string(i) + "\n";
  }
  raw += "Content-Type: text/plain\n\nbottom\n";
  Result<ParsedMessage> r = Bad(raw);
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(Contains(r.error().message(), "MIME")) << r.error().message();
}

TEST(MimeMalformedTest, NestingJustOverTheDepthLimit) {
  std::string raw = kHead + "Subject: deep\n";
  for (int i = 0; i < 40; ++i) {
    raw += "Content-Type: multipart/mixed; boundary=b" + std::to_string(i) + "\n\n--b" +
           std::to_string(i) + "\n";
  }
  raw += "Content-Type: text/plain\n\nbottom\n";
  Result<ParsedMessage> r = Bad(raw);
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(Contains(r.error().message(), "nesting deeper than 32")) << r.error().message();
}

TEST(MimeMalformedTest, TooManyParts) {
  std::string raw = kHead + "Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n";
  for (int i = 0; i < 300; ++i) raw += "--b\nContent-Type: text/plain\n\npart\n";
  raw += "--b--\n";
  Result<ParsedMessage> r = Bad(raw);
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(Contains(r.error().message(), "200")) << r.error().message();
}

TEST(MimeMalformedTest, MegabyteHeaderLine) {
  std::string raw = kHead + "Subject: " + std::string(1 << 20, 'A') + "\n\nbody\n";
  Result<ParsedMessage> r = Bad(raw);
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(Contains(r.error().message(), "header line")) << r.error().message();
}

TEST(MimeMalformedTest, HeaderFullOfEncodedWordStarts) {
  // 16 folded lines of unterminated "=?u?B?" starts, ended by one "?=": the
  // encoded-word joining must stay linear (a quadratic scan would not finish).
  std::string subject;
  for (int line = 0; line < 16; ++line) {
    if (line > 0) subject += "\n ";
    for (int i = 0; i < 6000; ++i) subject += "=?u?B?AAA";
  }
  Result<ParsedMessage> r = ParseMessage(kHead + "Subject: " + subject + "?=\n\nx\n");
  ASSERT_TRUE(r.has_value()) << r.error().message();
  EXPECT_TRUE(IsClean(r->candidate.subject));
}

TEST(MimeMalformedTest, NulBytes) {
  std::string raw = kHead + "Subject: a\0b\nContent-Type: text/plain\n\nnh\0\0ất trí\0\n"s;
  Result<ParsedMessage> r = Bad(raw);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->candidate.own_text.find('\0'), std::string::npos);
  EXPECT_EQ(r->candidate.subject.find('\0'), std::string::npos);
  EXPECT_EQ(r->candidate.content_hash, Sha256Hex(raw));
}

TEST(MimeMalformedTest, InvalidBase64) {
  Result<ParsedMessage> r =
      Bad(kHead +
          "Subject: x\nContent-Type: text/plain; charset=utf-8\n"
          "Content-Transfer-Encoding: base64\n\n!!!not*base64@@@ ====\n\x01\xff\n");
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(IsClean(r->candidate.own_text));
}

TEST(MimeMalformedTest, Truncated) {
  std::string raw = kHead +
                    "Subject: x\nContent-Type: multipart/mixed; boundary=b\n\n"
                    "--b\nContent-Type: text/plain; charset=utf-8\n\nNhất trí\n"
                    "--b\nContent-Type: application/pdf; name=a.pdf\n"
                    "Content-Transfer-Encoding: base64\n\nJVBERi0xLjQK";
  Result<ParsedMessage> r = Bad(raw);
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->candidate.own_text, "Nhất trí");
  // Cut in the middle of the headers as well.
  (void)Bad(kHead.substr(0, 50));
  (void)Bad(raw.substr(0, raw.size() / 2));
}

TEST(MimeMalformedTest, NotMailAtAll) {
  EXPECT_FALSE(Bad("").has_value());
  EXPECT_FALSE(Bad("\n\n\n").has_value());
  (void)Bad("\x89PNG\r\n\x1a\n\0\0\0\rIHDR"s);
  (void)Bad(std::string(10000, '\xff'));
}

TEST(MimeMalformedTest, OverTheSizeLimit) {
  Limits limits;
  limits.max_bytes = 100;
  Result<ParsedMessage> r = Bad(kHead + "Subject: x\n\n" + std::string(200, 'a'), limits);
  ASSERT_FALSE(r.has_value());
  EXPECT_TRUE(Contains(r.error().message(), "limit 100")) << r.error().message();
}

TEST(MimeMalformedTest, BadCharsetAndInvalidUtf8) {
  Result<ParsedMessage> r = Bad(kHead +
                                "Subject: =?x-unknown?B?AAAA?= \xC3\x28\nContent-Type: text/plain; "
                                "charset=x-no-such-charset\n\nT\xF4\xD2 d\xE2n\n");
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(IsClean(r->candidate.subject));
  EXPECT_TRUE(IsClean(r->candidate.own_text));
}

TEST(MimeMalformedTest, MutatedMessagesNeverCrash) {
  const std::string seed =
      kHead +
      "Subject: =?utf-8?B?VHLh?= =?utf-8?B?uqMgbOG7nWk=?=\nMIME-Version: 1.0\n"
      "Content-Type: multipart/mixed; boundary=\"b\"\n\n"
      "--b\nContent-Type: multipart/alternative; boundary=a\n\n"
      "--a\nContent-Type: text/plain; charset=windows-1258\n"
      "Content-Transfer-Encoding: quoted-printable\n\nT=F4=D2 d=E2n ph=F4=EC\n"
      "--a\nContent-Type: text/html; charset=utf-8\n\n<p>Nh&#7845;t tr&iacute;</p>\n--a--\n"
      "--b\nContent-Type: text/plain; name*=utf-8''a%C3%A1.txt\n"
      "Content-Transfer-Encoding: base64\n\nTuG7mWkgZHVuZw==\n"
      "--b\nContent-Type: message/rfc822\n\nFrom: a@b.vn\nSubject: x\n\ninner\n--b--\n";
  std::uint32_t state = 12345;
  auto next = [&state] {
    state = state * 1103515245u + 12345u;
    return (state >> 8) & 0xFFFFFF;
  };
  static const char* kTokens[] = {"\n", "--b", "--a",      "=?utf-8?B?",
                                  "?=", "=",   "\0",       "<",
                                  ">",  ";",   "\xE1\xBA", "Content-Type: multipart/x\n"};
  for (int round = 0; round < 2000; ++round) {
    std::string raw = seed;
    int edits = 1 + static_cast<int>(next() % 8);
    for (int e = 0; e < edits && !raw.empty(); ++e) {
      std::size_t at = next() % raw.size();
      switch (next() % 4) {
        case 0: raw.erase(at, 1 + next() % 20); break;
        case 1: raw.insert(at, kTokens[next() % std::size(kTokens)]); break;
        case 2: raw[at] = static_cast<char>(next() & 0xFF); break;
        default: raw.resize(at); break;
      }
    }
    Result<ParsedMessage> r = ParseMessage(raw);
    if (r.has_value()) {
      EXPECT_TRUE(IsClean(r->candidate.own_text));
      EXPECT_TRUE(IsClean(r->candidate.subject));
      for (const auto& a : r->attachments) EXPECT_FALSE(a.name.empty());
    } else {
      EXPECT_EQ(r.error().code(), ErrorCode::kBadInput);
    }
  }
}

}  // namespace
}  // namespace tacit::mail
