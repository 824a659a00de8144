#include "text/normalize.h"

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <utf8proc.h>

namespace tacit::text {
namespace {

constexpr int32_t kReplacement = 0xFFFD;
constexpr int32_t kSmallDStroke = 0x0111;  // đ; Đ casefolds to it

// NFKD + casefold + drop marks and default-ignorables, one code point at a
// time. NFKD rather than NFD so that full-width digits, ligatures and NBSP
// compare like their plain forms.
constexpr utf8proc_option_t kFoldOptions =
    static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
                                   UTF8PROC_STRIPMARK | UTF8PROC_IGNORE);

constexpr int32_t kInvalid = -1;

// Advances `*pos` past the ASCII bytes at it, eight at a time where it can
// (mail text is markup, addresses and spaces between the accented letters).
void SkipAscii(std::string_view s, size_t* pos) {
  constexpr uint64_t kHighBits = 0x8080808080808080ull;
  while (*pos + 8 <= s.size()) {
    uint64_t word = 0;
    std::memcpy(&word, s.data() + *pos, 8);
    if ((word & kHighBits) != 0) break;
    *pos += 8;
  }
  while (*pos < s.size() && static_cast<unsigned char>(s[*pos]) < 0x80) ++*pos;
}

// Decodes the code point at `*pos` and advances past it. An invalid sequence
// yields kInvalid and consumes exactly one byte, so decoding always progresses.
int32_t DecodeRaw(std::string_view s, size_t* pos) {
  const auto c = static_cast<unsigned char>(s[*pos]);
  if (c < 0x80) {
    ++*pos;
    return c;
  }
  // Two- and three-byte sequences (all of precomposed Vietnamese) decoded
  // here; anything else, valid or not, by utf8proc, whose verdict this
  // shortcut gives too (no overlong forms, no surrogates). utf8proc_iterate
  // was a twentieth of a Maildir backlog's time (issue 5).
  const size_t left = s.size() - *pos;
  auto cont = [&](size_t i) { return (static_cast<unsigned char>(s[*pos + i]) & 0xC0) == 0x80; };
  auto low6 = [&](size_t i) { return static_cast<int32_t>(s[*pos + i]) & 0x3F; };
  if (c >= 0xC2 && c <= 0xDF && left >= 2 && cont(1)) {
    const int32_t cp = ((c & 0x1F) << 6) | low6(1);
    *pos += 2;
    return cp;
  }
  if (c >= 0xE0 && c <= 0xEF && left >= 3 && cont(1) && cont(2)) {
    const int32_t cp = ((c & 0x0F) << 12) | (low6(1) << 6) | low6(2);
    if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
      *pos += 3;
      return cp;
    }
  }
  utf8proc_int32_t cp = 0;
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(s.data());
  const utf8proc_ssize_t n =
      utf8proc_iterate(bytes + *pos, static_cast<utf8proc_ssize_t>(s.size() - *pos), &cp);
  if (n <= 0 || cp < 0) {
    ++*pos;
    return kInvalid;
  }
  *pos += static_cast<size_t>(n);
  return cp;
}

// DecodeRaw with invalid bytes read as U+FFFD.
int32_t DecodeAt(std::string_view s, size_t* pos) {
  const int32_t cp = DecodeRaw(s, pos);
  return cp == kInvalid ? kReplacement : cp;
}

void AppendUtf8(std::string* out, int32_t cp) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
    return;
  }
  utf8proc_uint8_t buf[4];
  const utf8proc_ssize_t n = utf8proc_encode_char(cp, buf);
  out->append(reinterpret_cast<const char*>(buf), static_cast<size_t>(n));
}

// Whitespace and control characters: all of them separate words.
bool IsSpaceOrControl(int32_t cp) {
  if (cp <= 0x20 || cp == 0x7F) return true;
  if (cp < 0x80) return false;
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_ZS:
    case UTF8PROC_CATEGORY_ZL:
    case UTF8PROC_CATEGORY_ZP:
    case UTF8PROC_CATEGORY_CC: return true;
    default: return false;
  }
}

// Appends folded code points, turning whitespace runs into one pending space
// that is written only before the next visible character (so the output is
// trimmed on both sides).
class FoldSink {
 public:
  explicit FoldSink(std::string* out) : out_(out) {}

  void Put(int32_t cp) {
    if (IsSpaceOrControl(cp)) {
      pending_space_ = !out_->empty();
      return;
    }
    if (cp == kSmallDStroke) cp = 'd';
    if (pending_space_) {
      out_->push_back(' ');
      pending_space_ = false;
    }
    AppendUtf8(out_, cp);
  }

 private:
  std::string* out_;
  bool pending_space_ = false;
};

// utf8proc_decompose_char's answer for the code points below kCachedBelow
// (Latin with all of Vietnamese, combining marks, general punctuation and
// spaces), computed once: folding is what matching spends most of its time on.
// Only answers of at most kCachedMax code points are kept; the others (and
// every code point above) take the direct path. Same results either way.
constexpr int32_t kCachedBelow = 0x2100;
constexpr int kCachedMax = 3;

struct CachedFold {
  int8_t size;  // -1: not cached
  int32_t code_points[kCachedMax];
};

const CachedFold* FoldCache() {
  static const std::vector<CachedFold> cache = [] {
    std::vector<CachedFold> table(kCachedBelow);
    for (int32_t cp = 0; cp < kCachedBelow; ++cp) {
      utf8proc_int32_t buf[kCachedMax];
      int boundclass = 0;
      const utf8proc_ssize_t n =
          utf8proc_decompose_char(cp, buf, kCachedMax, kFoldOptions, &boundclass);
      CachedFold& entry = table[static_cast<size_t>(cp)];
      entry.size = n < 0 || n > kCachedMax ? int8_t{-1} : static_cast<int8_t>(n);
      for (utf8proc_ssize_t i = 0; i < n && i < kCachedMax; ++i) entry.code_points[i] = buf[i];
    }
    return table;
  }();
  return cache.data();
}

void FoldCodePoint(int32_t cp, FoldSink* sink) {
  if (cp >= 0 && cp < kCachedBelow) {
    const CachedFold& cached = FoldCache()[cp];
    if (cached.size >= 0) {
      for (int i = 0; i < cached.size; ++i) sink->Put(cached.code_points[i]);
      return;
    }
  }
  constexpr utf8proc_ssize_t kBufSize = 32;  // longest NFKD is 18 code points
  utf8proc_int32_t buf[kBufSize];
  int boundclass = 0;
  const utf8proc_ssize_t n = utf8proc_decompose_char(cp, buf, kBufSize, kFoldOptions, &boundclass);
  if (n < 0) {
    sink->Put(kReplacement);
    return;
  }
  if (n <= kBufSize) {
    for (utf8proc_ssize_t i = 0; i < n; ++i) sink->Put(buf[i]);
    return;
  }
  std::vector<utf8proc_int32_t> big(static_cast<size_t>(n));
  utf8proc_decompose_char(cp, big.data(), n, kFoldOptions, &boundclass);
  for (utf8proc_int32_t c : big) sink->Put(c);
}

// NFC quick check (UAX #15 §9) for the code points below kCachedBelow. A
// code point is "stable" when NFC leaves it alone (no singleton or excluded
// decomposition), its combining class is 0, and no canonical composition can
// take it as a later element (it never follows the first code point of a
// canonical decomposition). Text made only of stable code points is already
// NFC, so Nfc returns it as is: that is nearly all Vietnamese mail, written
// precomposed. Decomposed text (macOS, some webmail) has combining marks,
// which are not stable, and takes utf8proc's full path.
const std::vector<bool>& NfcStable() {
  static const std::vector<bool> table = [] {
    std::vector<bool> stable(kCachedBelow, true);
    // Later elements of any canonical decomposition, over all of Unicode
    // (a composition's second code point always is one).
    for (int32_t cp = 0; cp <= 0x10FFFF; ++cp) {
      const utf8proc_property_t* p = utf8proc_get_property(cp);
      if (p->decomp_seqindex == UINT16_MAX || p->decomp_type != 0) continue;
      utf8proc_int32_t buf[8];
      int boundclass = 0;
      const utf8proc_ssize_t n =
          utf8proc_decompose_char(cp, buf, 8, UTF8PROC_DECOMPOSE, &boundclass);
      for (utf8proc_ssize_t i = 1; i < n && i < 8; ++i) {
        if (buf[i] >= 0 && buf[i] < kCachedBelow) stable[static_cast<size_t>(buf[i])] = false;
      }
    }
    // Hangul syllables compose algorithmically, outside those tables: the
    // vowel and trailing-consonant jamo are later elements too.
    for (int32_t cp = 0x1161; cp <= 0x1175; ++cp) stable[static_cast<size_t>(cp)] = false;
    for (int32_t cp = 0x11A8; cp <= 0x11C2; ++cp) stable[static_cast<size_t>(cp)] = false;
    for (int32_t cp = 0; cp < kCachedBelow; ++cp) {
      const utf8proc_property_t* p = utf8proc_get_property(cp);
      if (p->combining_class != 0 || p->comp_exclusion) {
        stable[static_cast<size_t>(cp)] = false;
        continue;
      }
      utf8proc_int32_t buf[8];
      int boundclass = 0;
      const utf8proc_ssize_t n = utf8proc_decompose_char(
          cp, buf, 8, static_cast<utf8proc_option_t>(UTF8PROC_DECOMPOSE), &boundclass);
      utf8proc_int32_t composed[8];
      for (utf8proc_ssize_t i = 0; i < n && i < 8; ++i) composed[i] = buf[i];
      const utf8proc_ssize_t m =
          n > 0 && n <= 8 ? utf8proc_normalize_utf32(composed, n, UTF8PROC_COMPOSE) : -1;
      if (m != 1 || composed[0] != cp) stable[static_cast<size_t>(cp)] = false;
    }
    return stable;
  }();
  return table;
}

// True when `utf8` (valid UTF-8) is made only of ASCII and NFC-stable code
// points, so that it is its own NFC.
bool IsQuickNfc(std::string_view utf8) {
  size_t pos = 0;
  while (pos < utf8.size()) {
    SkipAscii(utf8, &pos);
    if (pos == utf8.size()) break;
    const int32_t cp = DecodeRaw(utf8, &pos);
    if (cp < 0 || cp >= kCachedBelow || !NfcStable()[static_cast<size_t>(cp)]) return false;
  }
  return true;
}

enum class WordKind { kNone, kLetter, kDigit };

WordKind KindOf(int32_t cp) {
  if (cp >= '0' && cp <= '9') return WordKind::kDigit;
  if (cp < 0x80) {
    const bool letter = (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
    return letter ? WordKind::kLetter : WordKind::kNone;
  }
  switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_ND:
    case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO: return WordKind::kLetter;  // non-ASCII digits keep their zeros
    default: return WordKind::kNone;
  }
}

}  // namespace

bool IsValidUtf8(std::string_view utf8) {
  size_t pos = 0;
  while (pos < utf8.size()) {
    SkipAscii(utf8, &pos);
    if (pos == utf8.size()) break;
    if (DecodeRaw(utf8, &pos) == kInvalid) return false;
  }
  return true;
}

std::string SanitizeUtf8(std::string_view utf8) {
  if (IsValidUtf8(utf8)) return std::string(utf8);
  std::string out;
  out.reserve(utf8.size() + 8);
  size_t pos = 0;
  while (pos < utf8.size()) AppendUtf8(&out, DecodeAt(utf8, &pos));
  return out;
}

std::string Nfc(std::string_view utf8) {
  // One pass for the usual case, valid text that is its own NFC (it used to
  // be three: validate, copy, quick check).
  bool valid = true;
  bool quick = true;
  for (size_t pos = 0; pos < utf8.size();) {
    SkipAscii(utf8, &pos);
    if (pos == utf8.size()) break;
    const int32_t cp = DecodeRaw(utf8, &pos);
    if (cp == kInvalid) {
      valid = false;
      break;
    }
    if (quick && (cp >= kCachedBelow || !NfcStable()[static_cast<size_t>(cp)])) quick = false;
  }
  if (valid && quick) return std::string(utf8);
  std::string clean = valid ? std::string(utf8) : SanitizeUtf8(utf8);
  if (!valid && IsQuickNfc(clean)) return clean;
  utf8proc_uint8_t* mapped = nullptr;
  const utf8proc_ssize_t n =
      utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(clean.data()),
                   static_cast<utf8proc_ssize_t>(clean.size()), &mapped,
                   static_cast<utf8proc_option_t>(UTF8PROC_STABLE | UTF8PROC_COMPOSE));
  if (n < 0) return clean;  // only on allocation failure: keep the input
  std::string out(reinterpret_cast<const char*>(mapped), static_cast<size_t>(n));
  std::free(mapped);
  return out;
}

std::string FoldForMatch(std::string_view utf8) {
  std::string out;
  out.reserve(utf8.size());
  FoldSink sink(&out);
  size_t pos = 0;
  while (pos < utf8.size()) {
    const auto c = static_cast<unsigned char>(utf8[pos]);
    if (c < 0x80) {  // ASCII fast path: only case and spaces change
      ++pos;
      sink.Put((c >= 'A' && c <= 'Z') ? c + ('a' - 'A') : c);
      continue;
    }
    FoldCodePoint(DecodeAt(utf8, &pos), &sink);
  }
  return out;
}

std::string FoldToWords(std::string_view utf8) {
  const std::string folded = FoldForMatch(utf8);
  std::string out;
  out.reserve(folded.size());
  WordKind prev = WordKind::kNone;
  bool only_zeros = false;  // the current number has shown only zeros so far
  auto end_number = [&] {
    if (prev == WordKind::kDigit && only_zeros) out.push_back('0');
  };
  size_t pos = 0;
  while (pos < folded.size()) {
    const size_t start = pos;
    const auto byte = static_cast<unsigned char>(folded[pos]);
    // Folded text is mostly ASCII: decode only the rest.
    const int32_t cp = byte < 0x80 ? (++pos, byte) : DecodeAt(folded, &pos);
    const WordKind kind = KindOf(cp);
    if (kind != prev) {
      end_number();
      if (kind != WordKind::kNone && !out.empty()) out.push_back(' ');
      only_zeros = kind == WordKind::kDigit;
      prev = kind;
    }
    if (kind == WordKind::kNone) continue;
    if (kind == WordKind::kDigit) {
      if (only_zeros && cp == '0') continue;
      only_zeros = false;
    }
    if (pos - start == 1) {
      out.push_back(folded[start]);
    } else {
      out.append(folded, start, pos - start);
    }
  }
  end_number();
  return out;
}

bool ContainsWords(std::string_view haystack_words, std::string_view needle_words) {
  if (needle_words.empty()) return false;
  size_t pos = haystack_words.find(needle_words);
  while (pos != std::string_view::npos) {
    const size_t end = pos + needle_words.size();
    const bool starts = pos == 0 || haystack_words[pos - 1] == ' ';
    const bool ends = end == haystack_words.size() || haystack_words[end] == ' ';
    if (starts && ends) return true;
    pos = haystack_words.find(needle_words, pos + 1);
  }
  return false;
}

}  // namespace tacit::text
