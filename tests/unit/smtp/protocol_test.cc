// The text side of the SMTP client: DATA transparency, address checks, log text.
#include "smtp/protocol.h"

#include <gtest/gtest.h>

#include "core/address.h"

namespace tacit::smtp::internal {
namespace {

TEST(SmtpDataBodyTest, NormalisesLineEndsAndStuffsDots) {
  EXPECT_EQ(DataBody(""), ".\r\n");
  EXPECT_EQ(DataBody("a\r\nb\r\n"), "a\r\nb\r\n.\r\n");
  EXPECT_EQ(DataBody("a\nb\rc\r\n\nend"), "a\r\nb\r\nc\r\n\r\nend\r\n.\r\n");
  EXPECT_EQ(DataBody(".\n..x\n.hello\r\nmid.dot\n"), "..\r\n...x\r\n..hello\r\nmid.dot\r\n.\r\n");
  EXPECT_EQ(DataBody(".first"), "..first\r\n.\r\n");
  // "\r\n.\r\n" inside the message can never end DATA early.
  const std::string body = DataBody("x\r\n.\r\ny");
  EXPECT_EQ(body, "x\r\n..\r\ny\r\n.\r\n");
  EXPECT_EQ(body.find("\r\n.\r\n"), body.size() - 5);
}

TEST(SmtpAddressTest, OnlyBareAsciiAddresses) {
  for (const char* ok : {"vhxh@example.vn", "a.b+c@sub.example.vn", "x_y-z@h.vn", "o'neil@x.vn"}) {
    EXPECT_TRUE(IsMailAddress(ok)) << ok;
  }
  for (const char* bad :
       {"", "@x.vn", "a@", "no-at", "a b@x.vn", "a@x.vn>", "<a@x.vn>", "a@x.vn\r\nRCPT TO:<b@y.vn>",
        "a@x.vn\n", "\"q\"@x.vn", "a@x_y.vn", "ngườidùng@x.vn", "a@[127.0.0.1]", "a@x.vn SIZE=1",
        "a@localhost", "a@.vn", "a@x."}) {
    EXPECT_FALSE(IsMailAddress(bad)) << bad;
  }
  EXPECT_FALSE(IsMailAddress(std::string(250, 'a') + "@x.vn"));
  EXPECT_TRUE(ValidHeloName("tacit.example.vn"));
  EXPECT_FALSE(ValidHeloName("bad name"));
  EXPECT_FALSE(ValidHeloName("x\r\nMAIL"));
  EXPECT_FALSE(ValidHeloName(""));
}

TEST(SmtpCleanTest, OnePrintableBoundedLine) {
  EXPECT_EQ(Clean("550 5.1.1 no\r\nsuch\tuser\r\n"), "550 5.1.1 no such user");
  EXPECT_EQ(Clean(std::string(400, 'x')).size(), 303u);
  // Never cuts a UTF-8 sequence in two.
  const std::string cut = Clean("ab" + std::string("ệệệ"), 4);
  EXPECT_EQ(cut, "ab...");
  EXPECT_EQ(Base64(std::string("\0u\0p", 4)), "AHUAcA==");
  std::string secret = "s3cret";
  Wipe(secret);
  EXPECT_TRUE(secret.empty());
}

}  // namespace
}  // namespace tacit::smtp::internal
