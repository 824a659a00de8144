// Reading a scanned letter (OCR text, issue 10): which unit its letterhead
// names, its subject line ("V/v …") and its body.
//
// A Vietnamese administrative letter (Nghị định 30/2020) puts the issuer's
// name top left: the parent body on the first line ("UBND PHƯỜNG HƯNG ĐẠO"),
// the issuer below it ("TRƯỜNG THCS HƯNG ĐẠO"), sometimes one name over two
// lines ("ỦY BAN NHÂN DÂN" / "PHƯỜNG HƯNG ĐẠO"). So the issuer is looked for
// in the bottom line of the letterhead, then in the two bottom lines joined
// (without the units the upper line names by itself: the parent never
// decides, that would be a guess).
//
// In each of those windows, names and aliases are first looked for exactly
// (UnitIndex::Scan, with the abbreviation variants), then with OCR noise in
// mind: the normalised edit distance (Levenshtein over FoldWords text, so
// diacritics and case do not count) between the unit's name, an alias or a
// variant and a run of the window's words: at most kMaxDistance of the form's
// length, one edit for a form under 12 bytes, none under 8; numbers equal
// ("TỔ DÂN PHỐ SỐ 2" is never "Tổ dân phố số 3"); a digit between letters is
// read as the letter OCR took it for ("C0NG" is "CONG"). Two units that fit
// (exactly, or within kMargin of each other) make the letterhead ambiguous:
// never a guess.
//
// Internal to lib/match. Immutable after construction; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "domain/types.h"
#include "match/unit_index.h"

namespace tacit::match {

struct LetterheadHit {
  uint32_t unit;
  std::string what;  // "name 'Công an phường'", "alias 'TDP 2' (OCR: 2 edits)"
};

class LetterheadIndex {
 public:
  // Largest normalised edit distance accepted, and the smallest lead the best
  // unit needs over the second.
  static constexpr double kMaxDistance = 0.2;
  static constexpr double kMargin = 0.05;

  // `exact` (the same units' UnitIndex, for exact names first) must outlive the index.
  // Reads the units once, in order, as UnitIndex does.
  LetterheadIndex(const PackedUnits& units, const UnitIndex& exact);

  // The units the letterhead names (lines separated by '\n', top to bottom):
  // empty when none, one when found, several when ambiguous.
  std::vector<LetterheadHit> Find(std::string_view letterhead) const;

 private:
  // A spelling of a unit's name or alias, its texts in text_ (a string and a
  // vector of strings per form were most of the index's 37 MB at 100,000
  // units, issue 9).
  struct Form {
    uint32_t unit;
    uint32_t words_at, words_size;      // FoldWords text
    uint32_t numbers_at, numbers_size;  // its number words, in order, space-separated
    uint32_t word_count;
    uint32_t shown;  // in shown_
  };
  std::string_view Text(uint32_t at, uint32_t size) const {
    return std::string_view(text_).substr(at, size);
  }
  std::vector<LetterheadHit> FindIn(std::string_view words) const;
  std::vector<LetterheadHit> FindFuzzy(std::string_view words) const;

  const UnitIndex& exact_;
  std::vector<Form> forms_;
  std::string text_;
  // "name 'X'" / "alias 'Y'", one per configured spelling and shared by its
  // variants (a string per form was a tenth of the matcher's build, issue 9),
  // each in shown_text_ from shown_[i] to shown_[i + 1] (a std::string each
  // was 12 MB at 100,000 units).
  std::string shown_text_;
  std::vector<uint32_t> shown_;
  std::string_view Shown(uint32_t i) const {
    return std::string_view(shown_text_).substr(shown_[i], shown_[i + 1] - shown_[i]);
  }
};

// The letterhead from OCR text alone, when the layout gave none: the lines
// before the reference ("Số: …", "V/v …"), cut where the national motto
// ("CỘNG HÒA …", "Độc lập …") starts, at most the first four lines.
std::string LetterheadFromText(std::string_view text);

// The letter's subject: the "V/v …" line and its continuation lines (up to
// "Kính gửi", a blank line or three lines), joined by spaces; empty if none.
std::string SubjectFromText(std::string_view text);

// Where the reference matching looks: the text from the "V/v" line (or from
// the start when there is none), at most about 600 bytes.
std::string ReferenceText(std::string_view text);

// The body, which gives the stance: the text after the "Kính gửi" line, or
// after the subject when there is no such line, else all of it. The
// letterhead and "V/v góp ý …" would otherwise read as a stance.
std::string BodyFromText(std::string_view text);

// Levenshtein distance between two byte strings (exposed for tests).
size_t EditDistance(std::string_view a, std::string_view b);

}  // namespace tacit::match
