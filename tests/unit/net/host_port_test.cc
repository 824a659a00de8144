// net::ParseHostPort (lib/net/host_port.h): the host and port part of imap.url
// and smtp.url.
#include "net/host_port.h"

#include <gtest/gtest.h>

namespace tacit::net {
namespace {

TEST(HostPortTest, NamesAddressesAndPorts) {
  Result<HostPort> h = ParseHostPort("mail.example.vn");
  ASSERT_TRUE(h.has_value()) << h.error().message();
  EXPECT_EQ(h->host, "mail.example.vn");
  EXPECT_FALSE(h->port.has_value());

  h = ParseHostPort("127.0.0.1:10143");
  ASSERT_TRUE(h.has_value()) << h.error().message();
  EXPECT_EQ(h->host, "127.0.0.1");
  EXPECT_EQ(h->port, 10143);

  h = ParseHostPort("[2001:db8::25]:587");
  ASSERT_TRUE(h.has_value()) << h.error().message();
  EXPECT_EQ(h->host, "2001:db8::25");
  EXPECT_EQ(h->port, 587);

  h = ParseHostPort("[::1]");
  ASSERT_TRUE(h.has_value()) << h.error().message();
  EXPECT_EQ(h->host, "::1");
  EXPECT_FALSE(h->port.has_value());
}

TEST(HostPortTest, EachMistakeHasItsReason) {
  auto why = [](std::string_view a) {
    Result<HostPort> h = ParseHostPort(a);
    return h.has_value() ? std::string("accepted") : h.error().message();
  };
  EXPECT_EQ(why(""), "no host");
  EXPECT_EQ(why(":993"), "no host");
  EXPECT_EQ(why("h:"), "empty port");
  EXPECT_EQ(why("[::1]:"), "empty port");
  EXPECT_EQ(why("h:0"), "the port is not a number from 1 to 65535");
  EXPECT_EQ(why("h:65536"), "the port is not a number from 1 to 65535");
  EXPECT_EQ(why("h:99999"), "the port is not a number from 1 to 65535");
  EXPECT_EQ(why("h:-1"), "the port is not a number from 1 to 65535");
  EXPECT_EQ(why("h:1e3"), "the port is not a number from 1 to 65535");
  EXPECT_EQ(why("[::1"), "unclosed [ in the host");
  EXPECT_EQ(why("[::1]x"), "text after the host");
  EXPECT_EQ(why("[example.vn]"), "[...] must hold an IPv6 address");
  EXPECT_EQ(why("::1"), "put an IPv6 address in [ ]");
  EXPECT_EQ(why("mail example.vn"), "the host has characters a host name cannot have");
  EXPECT_EQ(why("mail.example.vn\r\nx"), "the host has characters a host name cannot have");
  EXPECT_EQ(why("h:65535"), "accepted");
}

}  // namespace
}  // namespace tacit::net
