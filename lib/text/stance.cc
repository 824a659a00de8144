#include "text/stance.h"

#include <algorithm>
#include <array>
#include <utility>

#include "text/lines.h"
#include "text/normalize.h"

namespace tacit::text {
namespace {

using Words = std::vector<std::string_view>;

// How far (in words) a negation may end before the phrase it negates.
constexpr size_t kObjectNegationGap = 3;
constexpr size_t kAgreeNegationGap = 2;
constexpr size_t kCommentsNegationGap = 3;
// A numbered item needs this many words besides its marker to count as a
// comment when it holds no stance phrase.
constexpr size_t kMinBareItemWords = 3;

struct Span {
  size_t begin;
  size_t end;  // one past the last word
};

Words SplitWords(std::string_view words) {
  Words out;
  size_t start = 0;
  while (start < words.size()) {
    size_t space = words.find(' ', start);
    if (space == std::string_view::npos) space = words.size();
    out.push_back(words.substr(start, space - start));
    start = space + 1;
  }
  return out;
}

std::vector<std::vector<std::string>> FoldPhrases(const std::vector<std::string>& phrases) {
  std::vector<std::vector<std::string>> out;
  for (const std::string& phrase : phrases) {
    const std::string folded = FoldToWords(phrase);  // outlives the views
    std::vector<std::string> words;
    for (std::string_view w : SplitWords(folded)) words.emplace_back(w);
    if (!words.empty()) out.push_back(std::move(words));
  }
  return out;
}

bool MatchesAt(const Words& words, size_t at, const std::vector<std::string>& phrase) {
  if (at + phrase.size() > words.size()) return false;
  for (size_t k = 0; k < phrase.size(); ++k) {
    if (words[at + k] != phrase[k]) return false;
  }
  return true;
}

bool Overlaps(const Span& span, const std::vector<Span>& others) {
  return std::any_of(others.begin(), others.end(),
                     [&](const Span& o) { return span.begin < o.end && o.begin < span.end; });
}

bool NegatedBy(const Span& span, const std::vector<Span>& negations, size_t max_gap) {
  return std::any_of(negations.begin(), negations.end(), [&](const Span& n) {
    return n.end <= span.begin && span.begin - n.end <= max_gap;
  });
}

// Clauses end at ASCII sentence punctuation; bytes, so UTF-8 is safe.
std::vector<std::string_view> SplitClauses(std::string_view paragraph) {
  std::vector<std::string_view> clauses;
  size_t start = 0;
  for (size_t i = 0; i <= paragraph.size(); ++i) {
    if (i < paragraph.size() &&
        std::string_view(".,;:!?").find(paragraph[i]) == std::string_view::npos) {
      continue;
    }
    if (i > start) clauses.push_back(paragraph.substr(start, i - start));
    start = i + 1;
  }
  return clauses;
}

size_t WordCount(std::string_view text) {
  const std::string words = FoldToWords(text);
  return words.empty() ? 0 : std::count(words.begin(), words.end(), ' ') + 1;
}

// Function words, and words every letter of this kind uses, in folded form.
constexpr std::array<std::string_view, 56> kStopwords = {
    "va",   "la",     "cua",   "cac",  "cho",   "voi",  "trong", "tai", "theo",  "ve",
    "duoc", "co",     "khong", "nhu",  "sau",   "tren", "nay",   "do",  "nhung", "mot",
    "de",   "da",     "se",    "thi",  "ma",    "tu",   "den",   "nam", "thang", "ngay",
    "so",   "thuc",   "hien",  "ke",   "hoach", "du",   "thao",  "noi", "dung",  "don",
    "vi",   "phuong", "tung",  "viec", "can",   "phai", "dang",  "hon", "rat",   "cung",
    "hoac", "neu",    "vao",   "ra",   "len",   "boi"};

bool IsStopword(std::string_view word) {
  return std::find(kStopwords.begin(), kStopwords.end(), word) != kStopwords.end();
}

}  // namespace

struct StanceClassifier::Signals {
  bool object = false;
  bool comments = false;
  bool agree = false;
};

StanceKeywords StanceKeywords::Defaults() {
  StanceKeywords k;
  k.object = {"không đồng ý", "không nhất trí", "không thống nhất", "không tán thành", "phản đối"};
  k.agree = {"nhất trí", "đồng ý", "thống nhất", "tán thành", "không có ý kiến"};
  k.comments = {"đề nghị",        "kiến nghị",   "đề xuất",    "bổ sung",  "sửa",
                "sửa đổi",        "chỉnh sửa",   "điều chỉnh", "thay đổi", "góp ý",
                "ý kiến như sau", "xem xét lại", "làm rõ",     "lược bỏ"};
  k.negations = {"không", "chưa", "chẳng", "chả", "ko", "không có ý kiến"};
  k.neutral = {"xin ý kiến",    "lấy ý kiến",          "đề nghị tham gia ý kiến",
               "đề nghị góp ý", "được hiểu là đồng ý", "coi như đồng ý"};
  return k;
}

StanceClassifier::StanceClassifier(const StanceKeywords& keywords) {
  sets_[kNeutral] = FoldPhrases(keywords.neutral);
  sets_[kObject] = FoldPhrases(keywords.object);
  sets_[kAgree] = FoldPhrases(keywords.agree);
  sets_[kComments] = FoldPhrases(keywords.comments);
  sets_[kNegations] = FoldPhrases(keywords.negations);
  for (uint8_t set = 0; set < kSets; ++set) {
    for (uint32_t i = 0; i < sets_[set].size(); ++i) {
      by_first_word_[sets_[set][i].front()].push_back({static_cast<Set>(set), i});
    }
  }
}

bool StanceClassifier::ClassifyClause(std::string_view clause, Signals* signals) const {
  const std::string folded = FoldToWords(clause);
  const Words words = SplitWords(folded);
  // Every occurrence of every phrase, by set; then the neutral ones mask the
  // others (no other phrase may overlap them).
  std::array<std::vector<Span>, kSets> found;
  for (size_t i = 0; i < words.size(); ++i) {
    const auto it = by_first_word_.find(words[i]);
    if (it == by_first_word_.end()) continue;
    for (const PhraseRef& ref : it->second) {
      const Phrase& phrase = sets_[ref.set][ref.phrase];
      if (MatchesAt(words, i, phrase)) found[ref.set].push_back({i, i + phrase.size()});
    }
  }
  const std::vector<Span>& masked = found[kNeutral];
  for (uint8_t set = kObject; set < kSets; ++set) {
    std::erase_if(found[set], [&](const Span& s) { return Overlaps(s, masked); });
  }
  const std::vector<Span>& objects = found[kObject];
  const std::vector<Span>& agrees = found[kAgree];
  const std::vector<Span>& comments = found[kComments];
  const std::vector<Span>& negations = found[kNegations];
  // "không có ý kiến" is an answer, not a negation of what follows it.
  std::vector<Span> agree_negations;
  for (const Span& n : negations) {
    if (!Overlaps(n, agrees)) agree_negations.push_back(n);
  }
  bool any = !objects.empty() || !comments.empty();
  for (const Span& s : objects) {
    (NegatedBy(s, negations, kObjectNegationGap) ? signals->agree : signals->object) = true;
  }
  for (const Span& s : agrees) {
    if (Overlaps(s, objects)) continue;
    any = true;
    (NegatedBy(s, agree_negations, kAgreeNegationGap) ? signals->object : signals->agree) = true;
  }
  for (const Span& s : comments) {
    (NegatedBy(s, negations, kCommentsNegationGap) ? signals->agree : signals->comments) = true;
  }
  return any;
}

Stance StanceClassifier::Classify(std::string_view own_text) const {
  Signals signals;
  size_t items = 0;
  bool bare_item = false;  // a numbered item that is neither yes nor no
  for (std::string_view paragraph : SplitParagraphs(own_text)) {
    bool any = false;
    for (std::string_view clause : SplitClauses(paragraph)) {
      any = ClassifyClause(clause, &signals) || any;
    }
    if (ListMarkerOf(paragraph) != ListMarker::kNumbered) continue;
    ++items;
    bare_item = bare_item || (!any && WordCount(paragraph) > kMinBareItemWords);  // + marker
  }
  if (items >= 2 && bare_item) signals.comments = true;
  if (signals.object) return Stance::kObject;
  if (signals.comments) return Stance::kComments;
  if (signals.agree) return Stance::kAgree;
  return Stance::kUnknown;
}

namespace {

// What a paragraph must hold to mention one topic (see ParagraphsForTopic).
struct TopicKey {
  std::string head;                      // empty: the topic matches nothing
  std::vector<std::string> significant;  // distinct, two characters or more
  size_t need = 0;
};

TopicKey KeyOf(std::string_view topic) {
  const std::string topic_folded = FoldToWords(topic);
  const Words topic_words = SplitWords(topic_folded);
  TopicKey key;
  for (size_t i = 0; i < topic_words.size(); ++i) {
    const std::string_view w = topic_words[i];
    if (IsStopword(w)) continue;
    if (key.head.empty()) {
      key.head = std::string(w);
      if (i + 1 < topic_words.size()) {
        key.head += ' ';
        key.head += topic_words[i + 1];
      }
    }
    if (w.size() >= 2 &&
        std::find(key.significant.begin(), key.significant.end(), w) == key.significant.end()) {
      key.significant.emplace_back(w);
    }
  }
  key.need = std::max<size_t>(2, (key.significant.size() + 1) / 2);
  return key;
}

bool Mentions(const std::string& paragraph_words, const TopicKey& key) {
  if (key.head.empty()) return false;
  if (ContainsWords(paragraph_words, key.head)) return true;
  size_t present = 0;
  for (const std::string& w : key.significant) present += ContainsWords(paragraph_words, w);
  return present >= key.need;
}

}  // namespace

std::vector<std::vector<size_t>> ParagraphTopics(std::string_view own_text,
                                                 const std::vector<std::string>& topics) {
  std::vector<TopicKey> keys;
  keys.reserve(topics.size());
  bool any = false;
  for (const std::string& t : topics) {
    keys.push_back(KeyOf(t));
    any = any || !keys.back().head.empty();
  }
  std::vector<std::vector<size_t>> out(topics.size());
  if (!any) return out;
  const std::vector<std::string_view> paragraphs = SplitParagraphs(own_text);
  for (size_t p = 0; p < paragraphs.size(); ++p) {
    // Folded once, tested against every topic.
    const std::string words = FoldToWords(paragraphs[p]);
    for (size_t t = 0; t < keys.size(); ++t) {
      if (Mentions(words, keys[t])) out[t].push_back(p);
    }
  }
  return out;
}

std::vector<std::string> ParagraphsForTopic(std::string_view own_text, std::string_view topic) {
  const std::vector<std::vector<size_t>> found = ParagraphTopics(own_text, {std::string(topic)});
  std::vector<std::string> out;
  if (found.front().empty()) return out;
  const std::vector<std::string_view> paragraphs = SplitParagraphs(own_text);
  for (size_t p : found.front()) out.emplace_back(paragraphs[p]);
  return out;
}

}  // namespace tacit::text
