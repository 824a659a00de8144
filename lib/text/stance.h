// Reads a reply's own words (after SplitQuoted) and decides its stance
// (SPEC §1): agree, comments, object, or unknown when a person must look. It
// also picks the paragraphs of a reply that talk about one of the letter's
// topics, for the synthesis report.
//
// Everything is matched on FoldToWords text, so diacritics, case, NFD/NFC and
// punctuation do not matter. Rules, applied per clause (a clause ends at
// . , ; : ! ?, a blank line or a list item; a plain line break does not end
// one, since mail clients wrap lines):
// - `neutral` phrases ("xin ý kiến", "được hiểu là đồng ý", …) are masked
//   first: they describe the request, not the answer. No other phrase may
//   overlap them.
// - An `object` phrase counts as an objection unless a negation ends at most
//   3 words before it ("không phản đối", "không có ý kiến gì phản đối"): then
//   it counts as agreement.
// - An `agree` phrase that overlaps an object phrase is ignored ("không đồng
//   ý" contains "đồng ý"). One with a negation ending at most 2 words before
//   it ("chưa đồng ý", "không hoàn toàn nhất trí", "chưa thật sự đồng ý")
//   counts as an objection: a qualified "no" is something the office must
//   look at. Negations inside an agree phrase ("không có ý kiến") do not
//   negate a following agree phrase.
// - A `comments` phrase counts as a request to change unless a negation ends
//   at most 3 words before it ("không có ý kiến bổ sung", "không đề nghị sửa
//   đổi gì"): then it counts as agreement.
// - A list of two or more numbered items ("1.", "2)", "a)") in which some
//   item of three or more words has no stance phrase counts as comments.
// - Result: object if any objection (even next to requests to change: the
//   office must look at objections), else comments if any request to change
//   ("nhất trí, đề nghị bổ sung …"), else agree if any agreement, else
//   unknown.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "domain/types.h"

namespace tacit::text {

// Phrases as people write them (any case, with or without diacritics).
struct StanceKeywords {
  std::vector<std::string> object;
  std::vector<std::string> agree;
  std::vector<std::string> comments;
  std::vector<std::string> negations;
  std::vector<std::string> neutral;

  // The Vietnamese defaults.
  static StanceKeywords Defaults();
};

// Immutable after construction; Classify may be called from any thread.
class StanceClassifier {
 public:
  // Folds the keywords once; empty phrases are ignored.
  explicit StanceClassifier(const StanceKeywords& keywords = StanceKeywords::Defaults());

  // `own_text` is the reply's own words, without quoted material.
  Stance Classify(std::string_view own_text) const;

 private:
  using Phrase = std::vector<std::string>;
  struct Signals;
  enum Set : uint8_t { kNeutral, kObject, kAgree, kComments, kNegations, kSets };
  struct PhraseRef {
    Set set;
    uint32_t phrase;  // in sets_[set]
  };
  struct WordHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  // Adds what the clause says to `signals`; true when it held any object,
  // agree or comments phrase (negated or not).
  bool ClassifyClause(std::string_view clause, Signals* signals) const;

  std::array<std::vector<Phrase>, kSets> sets_;
  // Every phrase under its first word: each word of a clause is looked up
  // once, instead of being compared with every phrase of every set (that
  // was the largest single cost of a Maildir backlog, issue 5).
  std::unordered_map<std::string, std::vector<PhraseRef>, WordHash, std::equal_to<>> by_first_word_;
};

// The paragraphs of `own_text` (split as in SplitParagraphs: blank lines and
// list items) that mention `topic`, trimmed, in order. A paragraph mentions
// the topic when it contains, as whole folded words,
// - the topic's first two words as a phrase, after leading stopwords ("chỉ
//   tiêu" for "Chỉ tiêu đạt 100% trong năm 2026", "tiến độ" for "Tiến độ
//   thực hiện"), or the single word of a one-word topic; or
// - at least max(2, ⌈k/2⌉) of the topic's k distinct significant words:
//   words of two or more characters that are not Vietnamese function words
//   or words common to every letter ("thực hiện", "kế hoạch", "năm", …).
// An empty topic matches nothing.
std::vector<std::string> ParagraphsForTopic(std::string_view own_text, std::string_view topic);

// ParagraphsForTopic for every topic at once, as indices into
// SplitParagraphs(own_text): element t lists, in order, the paragraphs that
// mention topics[t]. Each paragraph is folded once, whatever the number of
// topics (the status page and the reports group every reply by topic).
std::vector<std::vector<size_t>> ParagraphTopics(std::string_view own_text,
                                                 const std::vector<std::string>& topics);

}  // namespace tacit::text
