// Word-level folding for matching unit names, aliases and letter subjects, on
// top of text::FoldToWords. Two things FoldToWords leaves alone matter here:
// "số" (number) between a word and a number ("TDP số 05" must equal "TDP 5"),
// and the abbreviations Vietnamese offices write for the same unit ("TDP" and
// "tổ dân phố", "CA" and "công an", "BCH QS" and "ban chỉ huy quân sự"…).
//
// The haystack (a subject, a file name, a text) is only folded (FoldWords);
// the abbreviations are handled on the index side: each configured name or
// alias is indexed under its abbreviated and expanded variants
// (AbbreviationVariants), so one hash lookup per n-gram finds every form.
// Internal to lib/match. All functions are pure and thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tacit::match {

// text::FoldToWords, then every word "so" that is followed by a number is
// dropped, unless it follows "co" ("cơ sở 2" keeps its "so"): "TDP số 05",
// "Tổ dân phố số 5" and "to-dan-pho-so-5" give "tdp 5", "to dan pho 5" and
// "to dan pho 5".
std::string FoldWords(std::string_view text);

// The "số" step of FoldWords on text::FoldToWords output.
std::string DropSoBeforeNumbers(std::string words);

// The words of a FoldWords result, as views into it.
std::vector<std::string_view> SplitWords(std::string_view words);

// True when `word` (a FoldWords word) is a number.
inline bool IsNumber(std::string_view word) {
  return !word.empty() && word[0] >= '0' && word[0] <= '9';
}

// Other spellings of the FoldWords key `words`, without `words` itself: every
// known abbreviation in it replaced by each of its other forms ("to dan pho 5"
// -> "tdp 5", "to dp 5"; "bch qs phuong" -> "ban chi huy quan su phuong", …),
// and a leading "truong" (Trường) dropped. Variants of one word are left out
// ("Công an" does not give "ca", which is also "cả"). At most 64 variants.
std::vector<std::string> AbbreviationVariants(std::string_view words);

}  // namespace tacit::match
