// DecodeText: plain text files in the encodings Vietnamese offices produce.
#include <cerrno>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

#include <fmt/format.h>
#include <iconv.h>

#include "core/status.h"
#include "extract/extract.h"
#include "text/normalize.h"

namespace tacit::extract {
namespace {

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kUtf16LeBom = "\xFF\xFE";
constexpr std::string_view kUtf16BeBom = "\xFE\xFF";
constexpr char kNotText[] = "text is not valid UTF-8, UTF-16 or windows-1258";

void AppendUtf8(std::string* out, char32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// UTF-16 (BOM already removed) to UTF-8. False for an odd byte count or an
// unpaired surrogate: such a file is not UTF-16.
bool Utf16ToUtf8(std::string_view bytes, bool big_endian, std::string* out) {
  if (bytes.size() % 2 != 0) return false;
  out->reserve(bytes.size() * 3 / 2);
  auto unit_at = [&](size_t i) -> char32_t {
    const auto a = static_cast<unsigned char>(bytes[i]);
    const auto b = static_cast<unsigned char>(bytes[i + 1]);
    return big_endian ? (char32_t{a} << 8) | b : (char32_t{b} << 8) | a;
  };
  for (size_t i = 0; i < bytes.size(); i += 2) {
    const char32_t unit = unit_at(i);
    if (unit >= 0xDC00 && unit <= 0xDFFF) return false;  // low surrogate first
    if (unit < 0xD800 || unit > 0xDBFF) {
      AppendUtf8(out, unit);
      continue;
    }
    if (i + 3 >= bytes.size()) return false;  // high surrogate at the end
    const char32_t low = unit_at(i + 2);
    if (low < 0xDC00 || low > 0xDFFF) return false;
    AppendUtf8(out, 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00));
    i += 2;
  }
  return true;
}

// windows-1258 to UTF-8 through glibc's iconv. glibc already composes a base
// letter and a following tone mark where Unicode has a precomposed letter;
// the caller still applies NFC for the rest. kBadInput for bytes the code page
// leaves undefined; kIo when this system's iconv lacks the code page (that is
// not the file's fault, so it must not be quarantined for it).
Result<std::string> Windows1258ToUtf8(std::string_view bytes) {
  iconv_t cd = iconv_open("UTF-8", "WINDOWS-1258");
  if (reinterpret_cast<intptr_t>(cd) == -1) {  // iconv_open fails with (iconv_t)-1
    // Always kIo, even for an errno ErrnoStatus would call kNotFound.
    return Status(ErrorCode::kIo,
                  ErrnoStatus("iconv: windows-1258 is not available", errno).message());
  }
  std::string out(bytes.size() * 3 + 16, '\0');    // one byte gives at most 3
  char* in_ptr = const_cast<char*>(bytes.data());  // iconv's API is not const-correct
  size_t in_left = bytes.size();
  char* out_ptr = out.data();
  size_t out_left = out.size();
  bool ok = iconv(cd, &in_ptr, &in_left, &out_ptr, &out_left) != static_cast<size_t>(-1);
  // glibc holds back the last letter in case a tone mark follows: flush it.
  ok = ok && iconv(cd, nullptr, nullptr, &out_ptr, &out_left) != static_cast<size_t>(-1);
  iconv_close(cd);
  if (!ok || in_left != 0) return Status::BadInput(kNotText);
  out.resize(out.size() - out_left);
  return out;
}

// Finds the first control character in valid UTF-8 `utf8` other than tab,
// LF, FF and CR (C0, DEL or C1): true, with the character in `*found`.
bool FindControl(std::string_view utf8, char32_t* found) {
  for (size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\f' && c != '\r') {
      *found = c;
      return true;
    }
    if (c == 0x7F) {
      *found = c;
      return true;
    }
    // C1 controls U+0080..U+009F are C2 80..C2 9F in UTF-8.
    if (c == 0xC2 && i + 1 < utf8.size()) {
      const auto next = static_cast<unsigned char>(utf8[i + 1]);
      if (next >= 0x80 && next <= 0x9F) {
        *found = next;
        return true;
      }
    }
  }
  return false;
}

}  // namespace

Result<Extracted> DecodeText(std::string_view bytes) {
  Extracted result;
  std::string utf8;
  if (bytes.starts_with(kUtf8Bom)) {
    bytes.remove_prefix(kUtf8Bom.size());
    if (!text::IsValidUtf8(bytes)) return Status::BadInput(kNotText);
    utf8.assign(bytes);
    result.encoding = "utf-8";
  } else if (bytes.starts_with(kUtf16LeBom) || bytes.starts_with(kUtf16BeBom)) {
    const bool big_endian = bytes.starts_with(kUtf16BeBom);
    if (!Utf16ToUtf8(bytes.substr(2), big_endian, &utf8)) return Status::BadInput(kNotText);
    result.encoding = big_endian ? "utf-16be" : "utf-16le";
  } else if (text::IsValidUtf8(bytes)) {
    utf8.assign(bytes);
    result.encoding = "utf-8";
  } else {
    Result<std::string> decoded = Windows1258ToUtf8(bytes);
    if (!decoded) return decoded.error();
    utf8 = std::move(decoded).value();
    result.encoding = "windows-1258";
  }
  // After decoding, so that UTF-16's zero bytes do not count; a control
  // character in any encoding means binary data.
  char32_t control = 0;
  if (FindControl(utf8, &control)) {
    return Status::BadInput(
        fmt::format("text contains control character U+{:04X}: binary data is not text",
                    static_cast<std::uint32_t>(control)));
  }
  result.text = text::Nfc(utf8);
  return result;
}

}  // namespace tacit::extract
