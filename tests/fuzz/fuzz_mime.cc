// libFuzzer target: one raw RFC 5322 message through mail::ParseMessage (GMime,
// encoded words, multipart, DSN, attachments and their text extraction).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "mail/mime.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  // Small limits so that the limit paths are reached too.
  tacit::mail::Limits limits;
  limits.max_depth = 8;
  limits.max_parts = 32;
  limits.max_header_line = 4096;
  tacit::Result<tacit::mail::ParsedMessage> m = tacit::mail::ParseMessage(raw, limits);
  if (m) {
    // Touch what the sources read, so that a bad string shows up here.
    std::size_t n = m->candidate.subject.size() + m->candidate.own_text.size();
    for (const auto& a : m->attachments) n += a.name.size() + a.bytes.size();
    if (n == static_cast<std::size_t>(-1)) return 1;
  }
  return 0;
}
