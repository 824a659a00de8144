// Unicode normalisation and folding for matching Vietnamese text. Replies come
// precomposed (NFC) or decomposed (NFD, common from macOS and some webmail),
// with or without diacritics ("Hoà", "Hòa", "HOA"), in any case, with NBSP and
// odd whitespace. Everything that compares names, aliases, subjects or stance
// keywords goes through FoldForMatch or FoldToWords so those differences
// vanish.
//
// All functions accept any bytes: invalid UTF-8 never crashes or throws. Each
// maximal invalid byte (a stray continuation byte, a truncated sequence, an
// overlong or surrogate encoding) is replaced by U+FFFD REPLACEMENT CHARACTER,
// one U+FFFD per rejected byte. All functions are pure and thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace tacit::text {

// True when `utf8` is well-formed UTF-8 (no overlongs, no surrogates, nothing
// above U+10FFFF). The empty string is valid.
bool IsValidUtf8(std::string_view utf8);

// Replaces every invalid byte by U+FFFD; valid input comes back unchanged.
std::string SanitizeUtf8(std::string_view utf8);

// Canonical composition (NFC) of `utf8`, after SanitizeUtf8. Use it for text
// that is stored or shown; it keeps case and diacritics.
std::string Nfc(std::string_view utf8);

// Key for diacritics- and case-insensitive comparison: compatibility
// decomposition (NFKD), combining marks dropped, đ/Đ mapped to "d" (Unicode
// gives them no decomposition), default-ignorable characters (soft hyphen,
// zero-width space, BOM) dropped, case folded; every run of whitespace
// (ASCII, NBSP, U+2028, other Zs) becomes one ASCII space, and the result is
// trimmed. Punctuation is kept. "Hòa", "Hoà", "HOÀ" and "Ho\u0300a" all fold
// to "hoa". Costs one pass and no allocation per character.
std::string FoldForMatch(std::string_view utf8);

// FoldForMatch, then reduced to words: every run of characters that are not
// letters or digits becomes one space, a letter-digit boundary splits words
// ("tdp05" -> "tdp 5"), and numbers lose leading zeros ("05" -> "5", "000" ->
// "0"). "Tổ dân phố số 05", "to-dan-pho-so-5" and "TỔ DÂN PHỐ SỐ 5" all give
// "to dan pho so 5". The result is words separated by single spaces, trimmed.
std::string FoldToWords(std::string_view utf8);

// Whole-word containment on FoldToWords output: true when `needle_words`
// occurs in `haystack_words` starting and ending at word boundaries. "to 5"
// is in "gui to 5 ve" but not in "to 15" or "to 50". An empty needle is never
// contained (an empty alias must not match everything).
bool ContainsWords(std::string_view haystack_words, std::string_view needle_words);

}  // namespace tacit::text
