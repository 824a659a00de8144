// The IMAP response parser (lib/imap/parser.h): whole responses, byte-at-a-time
// feeding, literals split across feeds, garbage and over-limit input.
#include "imap/parser.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace tacit::imap {
namespace {

using namespace std::chrono_literals;

// Feeds `bytes` in pieces of `step` bytes and collects every response; fails the
// test on a parse error.
std::vector<Response> ParseAll(const std::string& bytes, std::size_t step = 0,
                               ParserLimits limits = {}) {
  Parser p(limits);
  std::vector<Response> out;
  if (step == 0) step = bytes.size();
  for (std::size_t i = 0; i < bytes.size(); i += step) {
    p.Feed(std::string_view(bytes).substr(i, step));
    for (;;) {
      Result<std::optional<Response>> r = p.Next();
      EXPECT_TRUE(r.has_value()) << r.error().message();
      if (!r || !*r) break;
      out.push_back(std::move(**r));
    }
  }
  EXPECT_EQ(p.buffered(), 0u);
  return out;
}

// The message of the first error met while feeding all of `bytes`.
std::string FirstError(const std::string& bytes, ParserLimits limits = {}) {
  Parser p(limits);
  p.Feed(bytes);
  for (;;) {
    Result<std::optional<Response>> r = p.Next();
    if (!r) return r.error().message();
    if (!*r) return "need more";
  }
}

const std::string kBody =
    "From: =?UTF-8?B?VOG7lSBkw6JuIHBo4buRIDU=?= <tdp05@example.vn>\r\n"
    "Subject: Re: Xin y kien\r\n\r\n"
    "Nh\xe1\xba\xa5t tr\xc3\xad {12}\r\n) \"quoted\" * 3 FETCH\r\n";

std::string FetchResponse() {
  return "* 3 FETCH (UID 17 INTERNALDATE \"09-Feb-2026 23:59:59 +0700\" FLAGS (\\Seen "
         "$TacitQuarantined) RFC822.SIZE " +
         std::to_string(kBody.size()) + " BODY[] {" + std::to_string(kBody.size()) + "}\r\n" +
         kBody + ")\r\n";
}

TEST(ImapParserTest, GreetingWithCapabilityCode) {
  auto rs = ParseAll(
      "* OK [CAPABILITY IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ STARTTLS "
      "AUTH=PLAIN] Dovecot (Debian) ready.\r\n");
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].kind, ResponseKind::kUntagged);
  EXPECT_EQ(rs[0].name, "OK");
  EXPECT_TRUE(rs[0].IsStatus());
  EXPECT_EQ(rs[0].code, "CAPABILITY");
  EXPECT_EQ(rs[0].text, "Dovecot (Debian) ready.");
  EXPECT_EQ(rs[0].atoms,
            (std::vector<std::string>{"IMAP4REV1", "SASL-IR", "LOGIN-REFERRALS", "ID", "ENABLE",
                                      "IDLE", "LITERAL+", "STARTTLS", "AUTH=PLAIN"}));
}

TEST(ImapParserTest, SelectResponses) {
  auto rs = ParseAll(
      "* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)\r\n"
      "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)] Flags "
      "permitted.\r\n"
      "* 42 EXISTS\r\n"
      "* 0 RECENT\r\n"
      "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n"
      "* OK [UIDNEXT 4392] Predicted next UID\r\n"
      "a2 OK [READ-WRITE] Select completed (0.001 + 0.000 secs).\r\n");
  ASSERT_EQ(rs.size(), 7u);
  EXPECT_EQ(rs[0].name, "FLAGS");
  EXPECT_EQ(rs[1].code, "PERMANENTFLAGS");
  EXPECT_EQ(rs[1].code_args, "(\\Answered \\Flagged \\Deleted \\Seen \\Draft \\*)");
  EXPECT_EQ(rs[2].name, "EXISTS");
  EXPECT_EQ(rs[2].number, 42u);
  EXPECT_EQ(rs[3].name, "RECENT");
  EXPECT_EQ(rs[4].code, "UIDVALIDITY");
  EXPECT_EQ(rs[4].code_args, "3857529045");
  EXPECT_EQ(rs[5].code, "UIDNEXT");
  EXPECT_EQ(rs[6].kind, ResponseKind::kTagged);
  EXPECT_EQ(rs[6].tag, "a2");
  EXPECT_TRUE(rs[6].ok());
  EXPECT_EQ(rs[6].code, "READ-WRITE");
  EXPECT_EQ(rs[6].text, "Select completed (0.001 + 0.000 secs).");
}

TEST(ImapParserTest, TaggedNoAndBad) {
  auto rs = ParseAll(
      "a1 NO [AUTHENTICATIONFAILED] Authentication failed.\r\n"
      "a2 BAD Error in IMAP command: Unknown command.\r\n"
      "* BYE Server shutting down.\r\n");
  ASSERT_EQ(rs.size(), 3u);
  EXPECT_EQ(rs[0].name, "NO");
  EXPECT_EQ(rs[0].code, "AUTHENTICATIONFAILED");
  EXPECT_EQ(rs[0].text, "Authentication failed.");
  EXPECT_FALSE(rs[0].ok());
  EXPECT_EQ(rs[1].name, "BAD");
  EXPECT_EQ(rs[2].kind, ResponseKind::kUntagged);
  EXPECT_EQ(rs[2].name, "BYE");
}

TEST(ImapParserTest, CapabilitySearchAndContinuation) {
  auto rs = ParseAll(
      "* CAPABILITY IMAP4rev1 idle UIDPLUS\r\n"
      "* SEARCH 2 84 882\r\n"
      "* SEARCH\r\n"
      "+ idling\r\n"
      "+\r\n");
  ASSERT_EQ(rs.size(), 5u);
  EXPECT_EQ(rs[0].atoms, (std::vector<std::string>{"IMAP4REV1", "IDLE", "UIDPLUS"}));
  EXPECT_EQ(rs[1].name, "SEARCH");
  EXPECT_EQ(rs[1].atoms, (std::vector<std::string>{"2", "84", "882"}));
  EXPECT_TRUE(rs[2].atoms.empty());
  EXPECT_EQ(rs[3].kind, ResponseKind::kContinuation);
  EXPECT_EQ(rs[3].text, "idling");
  EXPECT_EQ(rs[4].kind, ResponseKind::kContinuation);
  EXPECT_EQ(rs[4].text, "");
}

TEST(ImapParserTest, FetchWithLiteralBody) {
  auto rs = ParseAll(FetchResponse() + "a5 OK Fetch completed.\r\n");
  ASSERT_EQ(rs.size(), 2u);
  const FetchData& f = rs[0].fetch;
  EXPECT_EQ(rs[0].name, "FETCH");
  EXPECT_EQ(rs[0].number, 3u);
  EXPECT_EQ(f.uid, 17u);
  ASSERT_TRUE(f.internal_date.has_value());
  EXPECT_EQ(*f.internal_date, *ParseInternalDate("09-Feb-2026 16:59:59 +0000"));
  ASSERT_TRUE(f.flags.has_value());
  EXPECT_EQ(*f.flags, (std::vector<std::string>{"\\Seen", "$TacitQuarantined"}));
  EXPECT_EQ(f.size, kBody.size());
  ASSERT_TRUE(f.body.has_value());
  EXPECT_EQ(*f.body, kBody);  // the literal's bytes, "{12}" and ")" inside included
  EXPECT_EQ(rs[1].tag, "a5");
}

TEST(ImapParserTest, ByteAtATimeGivesTheSameResponses) {
  const std::string all = "* OK [UIDVALIDITY 7] x\r\n" + FetchResponse() + FetchResponse() +
                          "* 4 EXISTS\r\na5 OK done\r\n";
  auto whole = ParseAll(all);
  for (std::size_t step : {1u, 2u, 3u, 7u, 64u}) {
    SCOPED_TRACE(step);
    auto pieces = ParseAll(all, step);
    ASSERT_EQ(pieces.size(), whole.size());
    ASSERT_EQ(pieces.size(), 5u);
    for (std::size_t i = 0; i < whole.size(); ++i) {
      EXPECT_EQ(pieces[i].name, whole[i].name);
      EXPECT_EQ(pieces[i].fetch.body, whole[i].fetch.body);
      EXPECT_EQ(pieces[i].fetch.uid, whole[i].fetch.uid);
    }
  }
}

TEST(ImapParserTest, LiteralSplitAcrossFeedsNeedsMoreUntilComplete) {
  const std::string all = FetchResponse();
  const std::size_t in_literal = all.find("From:") + 10;
  Parser p;
  p.Feed(all.substr(0, in_literal));
  auto r = p.Next();
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->has_value());  // need more
  p.Feed(all.substr(in_literal, all.size() - in_literal - 3));
  r = p.Next();
  ASSERT_TRUE(r.has_value());
  EXPECT_FALSE(r->has_value());  // the closing ")\r\n" is missing
  p.Feed(all.substr(all.size() - 3));
  r = p.Next();
  ASSERT_TRUE(r.has_value()) << r.error().message();
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ((*r)->fetch.body, kBody);
}

TEST(ImapParserTest, LargeLiteralFedInChunks) {
  std::string body(3u << 20, 'x');
  for (std::size_t i = 0; i < body.size(); i += 77) body[i] = '\n';
  std::string all = "* 1 FETCH (UID 1 BODY[] {" + std::to_string(body.size()) + "}\r\n" + body +
                    " FLAGS (\\Seen))\r\n";
  auto rs = ParseAll(all, 4096);
  ASSERT_EQ(rs.size(), 1u);
  EXPECT_EQ(rs[0].fetch.body->size(), body.size());
  EXPECT_EQ(*rs[0].fetch.body, body);
  EXPECT_EQ(rs[0].fetch.flags->size(), 1u);
}

TEST(ImapParserTest, FetchSkipsAttributesItDoesNotUse) {
  auto rs = ParseAll(
      "* 12 FETCH (MODSEQ (12) BODY[HEADER.FIELDS (MESSAGE-ID)] {4}\r\nab\r\n "
      "ENVELOPE (\"d\" \"s\" ((NIL NIL \"a\" \"b\")) NIL NIL NIL NIL NIL NIL \"<x@y>\") UID 5 "
      "BODY[] NIL)\r\n"
      "* 1 FETCH (FLAGS ())\r\n");
  ASSERT_EQ(rs.size(), 2u);
  EXPECT_EQ(rs[0].fetch.uid, 5u);
  EXPECT_FALSE(rs[0].fetch.body.has_value());
  ASSERT_TRUE(rs[1].fetch.flags.has_value());
  EXPECT_TRUE(rs[1].fetch.flags->empty());
}

TEST(ImapParserTest, OverLimitLiteralIsBad) {
  ParserLimits limits;
  limits.max_literal = 1000;
  EXPECT_EQ(FirstError("* 1 FETCH (UID 1 BODY[] {1001}\r\n", limits),
            "imap: literal of 1001 bytes, over the limit of 1000");
  EXPECT_EQ(FirstError("* 1 FETCH (UID 1 BODY[] {99999999999999999999}\r\n", limits),
            "imap: literal of 18446744073709551615 bytes, over the limit of 1000");
}

TEST(ImapParserTest, OverLongLineIsBad) {
  ParserLimits limits;
  limits.max_line = 100;
  EXPECT_EQ(FirstError(std::string(101, 'a'), limits), "imap: line over 100 bytes");
  EXPECT_EQ(FirstError("* OK " + std::string(200, 'a') + "\r\n", limits),
            "imap: line over 100 bytes");
}

TEST(ImapParserTest, GarbageIsBadAndStaysBad) {
  EXPECT_EQ(FirstError("HTTP/1.1 400 Bad Request\r\n"),
            "imap: tagged response is not OK, NO or BAD in \"HTTP/1.1 400 Bad Request\"");
  EXPECT_EQ(FirstError("*garbage\r\n"),
            "imap: untagged response without a space after '*' in \"*garbage\"");
  EXPECT_EQ(FirstError("\r\n"), "imap: response is neither tagged, untagged nor '+' in \"\"");
  EXPECT_EQ(FirstError("* 3 FETCH (UID x)\r\n"),
            "imap: FETCH UID is not a number in \"* 3 FETCH (UID x)\"");
  EXPECT_EQ(FirstError("* 3 FETCH (UID 4\r\n"),
            "imap: FETCH list not closed in \"* 3 FETCH (UID 4\"");
  EXPECT_EQ(FirstError("* 3 FETCH (BODY[] \"unterminated)\r\n"),
            "imap: FETCH BODY[] is not a string in \"* 3 FETCH (BODY[] \"unterminated)\"");
  EXPECT_EQ(FirstError("* OK [UIDVALIDITY 3\r\n"),
            "imap: response code not closed in \"* OK [UIDVALIDITY 3\"");

  Parser p;
  p.Feed("a1 MAYBE\r\n* 1 EXISTS\r\n");
  EXPECT_FALSE(p.Next().has_value());
  EXPECT_TRUE(p.bad());
  EXPECT_FALSE(p.Next().has_value());  // bad for good
}

TEST(ImapParserTest, RandomBytesNeverCrash) {
  std::uint32_t seed = 12345;
  for (int round = 0; round < 200; ++round) {
    std::string bytes;
    for (int i = 0; i < 300; ++i) {
      seed = seed * 1103515245 + 12345;
      const char alphabet[] = "* 1FETCH(UID BODY[]{3}\r\n\"\\)OK a+";
      bytes.push_back(alphabet[(seed >> 16) % (sizeof(alphabet) - 1)]);
    }
    Parser p;
    p.Feed(bytes);
    for (int i = 0; i < 400; ++i) {
      auto r = p.Next();
      if (!r || !*r) break;
    }
  }
}

TEST(ImapParserTest, InternalDate) {
  using std::chrono::sys_days;
  auto utc = [](int y, unsigned m, unsigned d, int h, int mi, int s) {
    return TimePoint{sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}}
                         .time_since_epoch() +
                     std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{s}};
  };
  EXPECT_EQ(ParseInternalDate("09-Feb-2026 23:59:59 +0700"), utc(2026, 2, 9, 16, 59, 59));
  EXPECT_EQ(ParseInternalDate(" 9-Feb-2026 23:59:59 +0700"), utc(2026, 2, 9, 16, 59, 59));
  EXPECT_EQ(ParseInternalDate("9-feb-2026 00:00:00 -0130"), utc(2026, 2, 9, 1, 30, 0));
  EXPECT_EQ(ParseInternalDate("31-Dec-2025 20:00:00 -0500"), utc(2026, 1, 1, 1, 0, 0));
  EXPECT_EQ(ParseInternalDate("31-Feb-2026 10:00:00 +0700"), std::nullopt);
  EXPECT_EQ(ParseInternalDate("09-Fev-2026 10:00:00 +0700"), std::nullopt);
  EXPECT_EQ(ParseInternalDate("09-Feb-2026 24:00:00 +0700"), std::nullopt);
  EXPECT_EQ(ParseInternalDate("09-Feb-2026 10:00:00"), std::nullopt);
  EXPECT_EQ(ParseInternalDate(""), std::nullopt);
}

TEST(ImapParserTest, Quote) {
  EXPECT_EQ(Quote("vhxh@example.vn"), "\"vhxh@example.vn\"");
  EXPECT_EQ(Quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
  EXPECT_EQ(Quote("m\xe1\xba\xadt"), std::nullopt);
  EXPECT_EQ(Quote("a\r\nb"), std::nullopt);
}

}  // namespace
}  // namespace tacit::imap
