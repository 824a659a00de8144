// imap.url parsing (lib/imap/imap_source.h): schemes, ports, IPv6 hosts and
// percent-encoded mailboxes; whole error messages.
#include <gtest/gtest.h>

#include "imap/imap_source.h"

namespace tacit::imap {
namespace {

TEST(ImapUrlTest, ImapsWithDefaults) {
  Result<ImapUrl> u = ParseImapUrl("imaps://mail.example.vn");
  ASSERT_TRUE(u.has_value()) << u.error().message();
  EXPECT_TRUE(u->implicit_tls);
  EXPECT_EQ(u->host, "mail.example.vn");
  EXPECT_EQ(u->port, "993");
  EXPECT_EQ(u->mailbox, "INBOX");
}

TEST(ImapUrlTest, StartTlsPortAndMailbox) {
  Result<ImapUrl> u = ParseImapUrl("imap://127.0.0.1:10143/Replies%20VH-XH/2026/");
  ASSERT_TRUE(u.has_value()) << u.error().message();
  EXPECT_FALSE(u->implicit_tls);
  EXPECT_EQ(u->host, "127.0.0.1");
  EXPECT_EQ(u->port, "10143");
  EXPECT_EQ(u->mailbox, "Replies VH-XH/2026");
}

TEST(ImapUrlTest, Ipv6Host) {
  Result<ImapUrl> u = ParseImapUrl("imaps://[::1]:993/INBOX");
  ASSERT_TRUE(u.has_value()) << u.error().message();
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, "993");
}

TEST(ImapUrlTest, Refused) {
  auto error = [](const char* url) {
    Result<ImapUrl> u = ParseImapUrl(url);
    return u.has_value() ? std::string("accepted") : u.error().message();
  };
  EXPECT_EQ(error("https://mail.example.vn/INBOX"),
            "imap.url: https://mail.example.vn/INBOX: must start with imaps:// or imap:// "
            "(STARTTLS)");
  // A url with user info may hold a password: it is not repeated.
  EXPECT_EQ(error("imaps://user:secret@mail.example.vn/INBOX"),
            "imap.url: (not shown): put the user name in imap.username, not in the url");
  EXPECT_EQ(error("imaps://[mail.example.vn]/INBOX"),
            "imap.url: imaps://[mail.example.vn]/INBOX: [...] must hold an IPv6 address");
  EXPECT_EQ(error("imaps://mail example.vn/INBOX"),
            "imap.url: imaps://mail example.vn/INBOX: the host has characters a host name cannot "
            "have");
  EXPECT_EQ(error("imaps://mail.example.vn:99999/INBOX"),
            "imap.url: imaps://mail.example.vn:99999/INBOX: the port is not a number from 1 to "
            "65535");
  EXPECT_EQ(error("imaps:///INBOX"), "imap.url: imaps:///INBOX: no host");
  EXPECT_EQ(error("imaps://h/Th%C6%B0"),
            "imap.url: imaps://h/Th%C6%B0: mailbox names with 8-bit characters are not supported");
}

}  // namespace
}  // namespace tacit::imap
