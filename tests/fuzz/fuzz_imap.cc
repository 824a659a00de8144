// libFuzzer target: the incremental IMAP response parser. The first byte picks
// how the rest is cut into Feed() calls (the parser must not care) and whether
// small limits apply; every response is drained with Next() until it needs more
// or says bad, which must then stay bad.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "imap/parser.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const unsigned mode = data[0];
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  tacit::imap::ParserLimits limits;
  if (mode & 0x80) {
    limits.max_line = 64;
    limits.max_literal = 256;
    limits.max_response = 1024;
  }
  const std::size_t step = (mode & 0x7f) == 0 ? rest.size() + 1 : (mode & 0x7f);
  tacit::imap::Parser parser(limits);
  bool bad = false;
  for (std::size_t i = 0; i < rest.size() && !bad; i += step) {
    parser.Feed(rest.substr(i, step));
    for (;;) {
      tacit::Result<std::optional<tacit::imap::Response>> r = parser.Next();
      if (!r) {
        bad = true;
        if (!parser.bad()) std::abort();  // an error must be final
        break;
      }
      if (!*r) break;
      const tacit::imap::Response& resp = **r;
      (void)resp.IsStatus();
    }
  }
  if (bad && parser.Next().has_value()) std::abort();  // bad for good
  // The date and quoting helpers on the same bytes.
  (void)tacit::imap::ParseInternalDate(rest.substr(0, 64));
  (void)tacit::imap::Quote(rest.substr(0, 256));
  return 0;
}
