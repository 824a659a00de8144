// Outgoing messages (issue 6): built with GMime, read back with our own MIME
// parser; no field can inject a header.
#include "mail/compose.h"

#include <cctype>

#include <gtest/gtest.h>

#include "mail/mime.h"

namespace tacit::mail {
namespace {

OutgoingMessage Reminder() {
  OutgoingMessage m;
  m.from = {"Phòng Văn hóa – Xã hội", "vhxh@example.vn"};
  m.to = {{"Tổ dân phố số 1", "tdp01@example.vn"}};
  m.reply_to = "vhxh@example.vn";
  m.subject = "Nhắc gửi ý kiến: Xin ý kiến dự thảo [tacit:dan-chu-2026]";
  m.body =
      "Kính gửi: Tổ dân phố số 1\n\nĐề nghị gửi ý kiến trước 23 giờ 59 phút ngày 09/02/2026.\n";
  m.message_id =
      MakeMessageId("reminder", "dan-chu-2026", "tdp-01", "2026-02-06 08:00", "example.vn");
  m.date = TimePoint{std::chrono::seconds{1770339600}};
  return m;
}

TEST(Compose, DeterministicMessageId) {
  EXPECT_EQ(MakeMessageId("reminder", "dan-chu-2026", "tdp-01", "2026-02-06 08:00", "example.vn"),
            "tacit.reminder.dan-chu-2026.tdp-01.20260206T0800@example.vn");
  EXPECT_EQ(MakeMessageId("digest", "k", "", "2026-02-06", "example.vn"),
            "tacit.digest.k.20260206@example.vn");
  EXPECT_EQ(DomainOf("vhxh@hungdao.gov.vn"), "hungdao.gov.vn");
}

TEST(Compose, RoundTripsThroughTheParser) {
  Result<std::string> raw = ComposeMessage(Reminder());
  ASSERT_TRUE(raw.has_value()) << raw.error().message();
  // 7-bit clean on the wire: Vietnamese goes in encoded words and QP.
  for (unsigned char c : *raw) ASSERT_LT(c, 0x80);
  EXPECT_NE(raw->find("\r\n"), std::string::npos);
  EXPECT_NE(raw->find("Auto-Submitted: auto-generated"), std::string::npos);
  EXPECT_NE(raw->find("Message-Id: <tacit.reminder.dan-chu-2026.tdp-01.20260206T0800@example.vn>"),
            std::string::npos)
      << *raw;
  EXPECT_NE(raw->find("Reply-To: vhxh@example.vn"), std::string::npos);
  std::string lower = *raw;
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_NE(lower.find("subject: =?utf-8?"), std::string::npos) << *raw;
  Result<ParsedMessage> back = ParseMessage(*raw);
  ASSERT_TRUE(back.has_value()) << back.error().message();
  EXPECT_EQ(back->candidate.subject, Reminder().subject);
  EXPECT_EQ(back->candidate.message_id.value_or(""),
            "tacit.reminder.dan-chu-2026.tdp-01.20260206T0800@example.vn");
  EXPECT_NE(back->candidate.own_text.find("23 giờ 59 phút ngày 09/02/2026"), std::string::npos);
  EXPECT_TRUE(back->candidate.auto_submitted);
  ASSERT_EQ(back->candidate.from.size(), 1u);
  EXPECT_EQ(back->candidate.from[0], "vhxh@example.vn");
}

TEST(Compose, AttachmentsArrive) {
  OutgoingMessage m = Reminder();
  m.attachments = {{"bao-cao.html", "text/html; charset=utf-8", "<p>Báo cáo</p>"},
                   {"bao-cao.csv", "text/csv; charset=utf-8", "\xEF\xBB\xBFma;ten\n"}};
  Result<std::string> raw = ComposeMessage(m);
  ASSERT_TRUE(raw.has_value()) << raw.error().message();
  Result<ParsedMessage> back = ParseMessage(*raw);
  ASSERT_TRUE(back.has_value());
  ASSERT_EQ(back->attachments.size(), 2u);
  EXPECT_EQ(back->attachments[0].name, "bao-cao.html");
  EXPECT_EQ(back->attachments[0].bytes, "<p>Báo cáo</p>");
  EXPECT_EQ(back->attachments[1].bytes, "\xEF\xBB\xBFma;ten\n");
}

TEST(Compose, NoFieldCanInjectAHeader) {
  auto refused = [](OutgoingMessage m) { return !ComposeMessage(m).has_value(); };
  OutgoingMessage m = Reminder();
  m.subject = "Nhắc\r\nBcc: everyone@example.vn";
  EXPECT_TRUE(refused(m));
  m = Reminder();
  m.to[0].name = "Tổ 1\nBcc: x@example.vn";
  EXPECT_TRUE(refused(m));
  m = Reminder();
  m.to[0].address = "tdp01@example.vn\r\nBcc: x@example.vn";
  EXPECT_TRUE(refused(m));
  m = Reminder();
  m.to[0].address = "Tổ 1 <tdp01@example.vn>";
  EXPECT_TRUE(refused(m));
  m = Reminder();
  m.from.name = "Phòng\rX: y";
  EXPECT_TRUE(refused(m));
  m = Reminder();
  m.reply_to = "a@b.vn, c@d.vn";
  EXPECT_TRUE(refused(m));
  m = Reminder();
  m.subject = std::string("bad \xC3 utf8");
  EXPECT_TRUE(refused(m));
  m = Reminder();
  m.to.clear();
  EXPECT_TRUE(refused(m));
  // A name with quotes and commas is fine: GMime quotes or encodes it.
  m = Reminder();
  m.to[0].name = "Trường \"THCS\", Hưng Đạo";
  Result<std::string> raw = ComposeMessage(m);
  ASSERT_TRUE(raw.has_value());
  Result<ParsedMessage> back = ParseMessage(*raw);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->candidate.from[0], "vhxh@example.vn");
}

}  // namespace
}  // namespace tacit::mail
