// LetterIndex: the consultations (letters) as a reply can name them — a drop
// subfolder named after the id, a "[tacit:ID]" tag, the letter's reference
// ("15/VH-XH") or its subject in the reply's subject — and whom each
// addresses. Built once per config; immutable and thread-safe after that.
//
// Subject rule: the letter's subject S and the reply's subject R are compared
// as FoldWords words, after "Re:"/"Fwd:"/"Trả lời:"… prefixes (R) and a
// leading "V/v" (S) are removed. R fits S when they share a run of
// consecutive words at least max(3, ⌈0.6·|S|⌉) long; a subject of three words
// or fewer must appear whole. So "Góp ý dự thảo 02 Kế hoạch triển khai thực
// hiện dân chủ ở cơ sở và công tác dân vận năm 2026" fits the reference letter
// (17 of its 23 words in a row), "Góp ý dự thảo kế hoạch" does not.
// Reference rule: a reference with a number and a letter ("15/VH-XH", not
// "/VH-XH") fits when its words appear whole in R ("CV 15/VH-XH" yes,
// "115/VH-XH" no).
//
// Internal to lib/match.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "domain/types.h"
#include "match/candidate.h"
#include "match/unit_index.h"

namespace tacit::match {

// A reply's subject, prepared once per candidate.
struct ReplySubject {
  std::vector<std::string> tags;  // ids from "[tacit:ID]" tags, lower case
  std::string words;              // FoldWords of the rest, reply prefixes removed
  std::vector<std::pair<uint32_t, uint32_t>> spans;  // offset and size of each word
  std::vector<bool> masked;  // per word: part of a letter's reference or subject

  std::string_view word(size_t i) const {
    return std::string_view(words).substr(spans[i].first, spans[i].second);
  }
  // `words` with the masked words replaced by "_", so that unit names are not
  // looked for in the letter's own subject.
  std::string WordsForUnits() const;
};

ReplySubject ParseSubject(std::string_view subject);

// One consultation that a rule says the reply is for.
struct LetterEvidence {
  uint32_t consultation;
  std::string rule;  // e.g. "[tacit:dan-chu-2026] tag"
};

class LetterIndex {
 public:
  LetterIndex(const std::vector<Consultation>& consultations, const UnitIndex& units);

  // Subfolders named after a consultation id, and "[tacit:ID]" tags of known ids.
  std::vector<LetterEvidence> ByFolderOrTag(const Candidate& candidate,
                                            const ReplySubject& subject) const;
  // Consultations whose non-trivial reference is in the subject; masks it.
  std::vector<LetterEvidence> ByReference(ReplySubject* subject) const;
  // Consultations whose subject fits the reply's subject; masks the shared run.
  std::vector<LetterEvidence> BySubject(ReplySubject* subject) const;

  // True when `subfolder` names a consultation (then it does not name a unit).
  bool IsConsultationFolder(std::string_view subfolder) const;
  // The consultation with id `id` (exact), or -1.
  int64_t Find(std::string_view id) const;
  bool Addresses(uint32_t consultation, uint32_t unit) const {
    return letters_[consultation].addressed[unit];
  }
  const std::string& id(uint32_t consultation) const { return letters_[consultation].id; }
  const std::vector<std::string>& topics(uint32_t consultation) const {
    return letters_[consultation].topics;
  }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct Letter {
    std::string id;
    std::string id_words;  // FoldWords(id), for subfolder names
    std::string reference;
    std::vector<std::string> reference_words;  // empty when trivial
    std::vector<int32_t> subject;              // word ids
    size_t subject_needed;                     // shortest run of words that fits
    std::vector<bool> addressed;               // per unit index
    std::vector<std::string> topics;
  };

  std::vector<Letter> letters_;
  std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>> by_id_;
  std::unordered_map<std::string, int32_t, Hash, std::equal_to<>> word_ids_;
  std::vector<std::vector<uint32_t>> letters_with_word_;  // word id -> letters
};

}  // namespace tacit::match
