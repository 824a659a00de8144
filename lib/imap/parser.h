// An incremental IMAP4rev1 response parser with no I/O (RFC 3501 §7), in the
// spirit of Asio's request_parser: bytes go in with Feed(), complete responses
// come out of Next(), which answers "here is one", "need more" or "bad".
//
// A response is a line, or a line ending in a literal announcement `{n}` (or
// `~{n}`) followed by exactly n bytes and more of the line, until a line ends
// without one. Literals of any size up to Limits::max_literal are accepted; a
// bigger announcement, a line longer than Limits::max_line without CRLF, or a
// response that does not follow the grammar makes the parser bad for good: the
// connection must be dropped (the byte stream cannot be resynchronised).
//
// Understood: tagged and untagged OK/NO/BAD/BYE/PREAUTH with a response code
// (`[UIDVALIDITY n]`, `[CAPABILITY ...]`, ...), `* CAPABILITY`, `* SEARCH`,
// `* n EXISTS|RECENT|EXPUNGE`, `* n FETCH (...)` with UID, INTERNALDATE, FLAGS,
// RFC822.SIZE and BODY[] / RFC822 (other attributes are skipped), and the
// continuation request `+ ...`. Other untagged responses come back with their
// name and the rest of the line as text.
//
// Not thread-safe; one parser per connection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace tacit::imap {

struct ParserLimits {
  std::size_t max_line = 64u << 10;       // one line without its literals
  std::size_t max_literal = 64u << 20;    // one literal
  std::size_t max_response = 128u << 20;  // one response, literals included
};

enum class ResponseKind { kTagged, kUntagged, kContinuation };

// The attributes of a `* n FETCH (...)` response that tacit uses.
struct FetchData {
  std::optional<std::uint32_t> uid;
  std::optional<TimePoint> internal_date;
  std::optional<std::vector<std::string>> flags;
  std::optional<std::uint64_t> size;  // RFC822.SIZE
  std::optional<std::string> body;    // BODY[] or RFC822 (NIL: absent)
};

struct Response {
  ResponseKind kind = ResponseKind::kUntagged;
  std::string tag;  // kTagged only
  // Upper-cased response name: "OK", "NO", "BAD", "BYE", "PREAUTH",
  // "CAPABILITY", "SEARCH", "EXISTS", "RECENT", "EXPUNGE", "FETCH", "FLAGS", ...
  std::string name;
  std::optional<std::uint32_t> number;  // the n of `* n EXISTS` / `* n FETCH`
  // Response code of a status response: `[UIDVALIDITY 3857529045]` ->
  // code "UIDVALIDITY", code_args "3857529045".
  std::string code;
  std::string code_args;
  // Human-readable text of a status response or a continuation request; the
  // rest of the line for responses not understood here.
  std::string text;
  // CAPABILITY atoms (upper-cased; also from a [CAPABILITY ...] code) or the
  // SEARCH numbers as written.
  std::vector<std::string> atoms;
  FetchData fetch;

  bool IsStatus() const;  // OK, NO, BAD, BYE or PREAUTH
  bool ok() const { return name == "OK"; }
};

class Parser {
 public:
  explicit Parser(ParserLimits limits = {});

  // Appends bytes received from the server. Cheap; parsing happens in Next().
  void Feed(std::string_view bytes);

  // The next complete response: a Response, std::nullopt when more bytes are
  // needed, or kBadInput (and bad from then on) for what is not IMAP.
  Result<std::optional<Response>> Next();

  // Bytes fed but not yet returned as responses (after STARTTLS there must be
  // none: anything sent in the clear before the handshake is an injection).
  std::size_t buffered() const { return buffer_.size() - consumed_; }
  bool bad() const { return !error_.empty(); }

 private:
  // Finds the end of the response starting at consumed_; false: need more.
  Result<bool> Scan();
  void Compact();

  ParserLimits limits_;
  std::string buffer_;
  std::size_t consumed_ = 0;      // start of the next response in buffer_
  std::size_t scan_ = 0;          // where the search for the end goes on
  std::size_t line_start_ = 0;    // start of the line being scanned
  std::size_t literal_left_ = 0;  // bytes of an announced literal still to come
  std::size_t end_ = 0;           // end of a complete response once Scan() said so
  std::string error_;
};

// Parses an INTERNALDATE, "09-Feb-2026 23:59:59 +0700" (the day may be
// space-padded: " 9-Feb-2026 ..."), into UTC. std::nullopt when malformed.
std::optional<TimePoint> ParseInternalDate(std::string_view text);

// `"..."` with `\` and `"` escaped, for LOGIN and SELECT arguments; std::nullopt
// when the text holds CR, LF, NUL or 8-bit bytes, which a quoted string cannot
// carry (use AUTHENTICATE PLAIN for such passwords).
std::optional<std::string> Quote(std::string_view text);

}  // namespace tacit::imap
