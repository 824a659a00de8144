#include "match/letter_index.h"

#include <algorithm>
#include <limits>

#include "match/words.h"
#include "text/quotes.h"

namespace tacit::match {
namespace {

constexpr std::string_view kTagOpen = "[tacit:";
constexpr size_t kMaxSubjectWords = 64;
constexpr std::string_view kMask = "_";
// Leading words of a letter's subject that every letter has ("V/v …").
constexpr std::string_view kSubjectLeads[] = {"v v ", "vv ", "ve viec "};

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::string_view Trim(std::string_view s) {
  const size_t first = s.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

// Where `needle` starts as consecutive words of `subject`, or npos.
size_t FindRun(const ReplySubject& subject, const std::vector<std::string>& needle) {
  const size_t n = subject.spans.size();
  if (needle.empty() || needle.size() > n) return std::string::npos;
  for (size_t i = 0; i + needle.size() <= n; ++i) {
    size_t k = 0;
    while (k < needle.size() && subject.word(i + k) == needle[k]) ++k;
    if (k == needle.size()) return i;
  }
  return std::string::npos;
}

void Mask(ReplySubject* subject, size_t start, size_t count) {
  for (size_t i = start; i < start + count; ++i) subject->masked[i] = true;
}

struct Run {
  size_t length = 0;
  size_t end = 0;  // one past the run's last word in the reply
};

// Longest run of consecutive words that `reply` and `letter` share (word ids;
// -1 never matches).
Run LongestCommonRun(const std::vector<int32_t>& reply, const std::vector<int32_t>& letter) {
  // Most replies carry the whole subject ("Re: <subject>"): no table needed.
  const auto whole = std::search(reply.begin(), reply.end(), letter.begin(), letter.end());
  if (!letter.empty() && whole != reply.end()) {
    return {letter.size(), static_cast<size_t>(whole - reply.begin()) + letter.size()};
  }
  Run best;
  std::vector<size_t> prev(letter.size() + 1, 0);
  std::vector<size_t> cur(letter.size() + 1, 0);
  for (size_t i = 0; i < reply.size(); ++i) {
    for (size_t j = 0; j < letter.size(); ++j) {
      cur[j + 1] = (reply[i] >= 0 && reply[i] == letter[j]) ? prev[j] + 1 : 0;
      if (cur[j + 1] > best.length) best = {cur[j + 1], i + 1};
    }
    std::swap(prev, cur);
  }
  return best;
}

}  // namespace

std::string ReplySubject::WordsForUnits() const {
  std::string out;
  out.reserve(words.size());
  for (size_t i = 0; i < spans.size(); ++i) {
    if (i > 0) out.push_back(' ');
    out.append(masked[i] ? kMask : word(i));
  }
  return out;
}

ReplySubject ParseSubject(std::string_view subject) {
  ReplySubject parsed;
  // Tags first: they may stand before "Re:", which must then still go.
  const std::string lower =
      subject.find('[') == std::string_view::npos ? std::string() : LowerAscii(subject);
  std::string rest;
  size_t pos = 0;
  for (size_t open = lower.find(kTagOpen); open != std::string::npos;
       open = lower.find(kTagOpen, pos)) {
    const size_t close = lower.find(']', open);
    if (close == std::string::npos) break;
    const std::string_view id = Trim(
        std::string_view(lower).substr(open + kTagOpen.size(), close - open - kTagOpen.size()));
    if (!id.empty()) parsed.tags.emplace_back(id);
    rest.append(subject.substr(pos, open - pos));
    rest.push_back(' ');
    pos = close + 1;
  }
  rest.append(subject.substr(pos));
  parsed.words = FoldWords(text::StripSubjectPrefixes(Trim(rest)));
  for (std::string_view w : SplitWords(parsed.words)) {
    if (parsed.spans.size() == kMaxSubjectWords) break;
    parsed.spans.emplace_back(static_cast<uint32_t>(w.data() - parsed.words.data()),
                              static_cast<uint32_t>(w.size()));
  }
  parsed.masked.assign(parsed.spans.size(), false);
  return parsed;
}

LetterIndex::LetterIndex(const std::vector<Consultation>& consultations, const UnitIndex& units) {
  letters_.reserve(consultations.size());
  for (const Consultation& c : consultations) {
    const auto index = static_cast<uint32_t>(letters_.size());
    Letter letter;
    letter.id = c.id;
    letter.id_words = FoldWords(c.id);
    letter.reference = c.reference;
    const std::string reference = FoldWords(c.reference);
    const std::vector<std::string_view> reference_words = SplitWords(reference);
    const bool has_number = std::any_of(reference_words.begin(), reference_words.end(), IsNumber);
    const bool has_letters = !std::all_of(reference_words.begin(), reference_words.end(), IsNumber);
    if (has_number && has_letters) {
      letter.reference_words.assign(reference_words.begin(), reference_words.end());
    }
    std::string subject = FoldWords(c.subject);
    for (std::string_view lead : kSubjectLeads) {
      if (subject.starts_with(lead)) subject.erase(0, lead.size());
    }
    for (std::string_view w : SplitWords(subject)) {
      auto [it, added] =
          word_ids_.try_emplace(std::string(w), static_cast<int32_t>(word_ids_.size()));
      if (added) letters_with_word_.emplace_back();
      std::vector<uint32_t>& with = letters_with_word_[static_cast<size_t>(it->second)];
      if (with.empty() || with.back() != index) with.push_back(index);
      letter.subject.push_back(it->second);
    }
    const size_t length = letter.subject.size();
    const size_t share = (length * 6 + 9) / 10;  // ⌈0.6·length⌉
    letter.subject_needed = length == 0   ? std::numeric_limits<size_t>::max()
                            : length <= 3 ? length
                                          : std::max<size_t>(3, share);
    letter.addressed.assign(units.size(), false);
    for (const std::string& code : c.addressed_units) {
      const int64_t unit = units.FindCode(code);
      if (unit >= 0) letter.addressed[static_cast<size_t>(unit)] = true;
    }
    letter.topics = c.topics;
    by_id_.emplace(c.id, index);
    letters_.push_back(std::move(letter));
  }
}

std::vector<LetterEvidence> LetterIndex::ByFolderOrTag(const Candidate& candidate,
                                                       const ReplySubject& subject) const {
  std::vector<LetterEvidence> found;
  for (const std::string& folder : candidate.subfolders) {
    const std::string words = FoldWords(folder);
    for (uint32_t i = 0; i < letters_.size(); ++i) {
      if (!words.empty() && letters_[i].id_words == words) {
        found.push_back({i, "subfolder " + letters_[i].id});
      }
    }
  }
  for (const std::string& tag : subject.tags) {
    const int64_t i = Find(tag);
    if (i >= 0) found.push_back({static_cast<uint32_t>(i), "[tacit:" + tag + "] tag"});
  }
  return found;
}

std::vector<LetterEvidence> LetterIndex::ByReference(ReplySubject* subject) const {
  std::vector<LetterEvidence> found;
  for (uint32_t i = 0; i < letters_.size(); ++i) {
    const Letter& letter = letters_[i];
    const size_t at = FindRun(*subject, letter.reference_words);
    if (at == std::string::npos) continue;
    Mask(subject, at, letter.reference_words.size());
    found.push_back({i, "reference " + letter.reference + " in subject"});
  }
  return found;
}

std::vector<LetterEvidence> LetterIndex::BySubject(ReplySubject* subject) const {
  std::vector<LetterEvidence> found;
  if (letters_.empty() || subject->spans.empty()) return found;
  std::vector<int32_t> ids;
  std::vector<size_t> shared(letters_.size(), 0);  // an upper bound of the common run
  for (size_t i = 0; i < subject->spans.size(); ++i) {
    const auto it = word_ids_.find(subject->word(i));
    ids.push_back(it == word_ids_.end() ? -1 : it->second);
    if (it == word_ids_.end()) continue;
    for (uint32_t letter : letters_with_word_[static_cast<size_t>(it->second)]) ++shared[letter];
  }
  for (uint32_t i = 0; i < letters_.size(); ++i) {
    const Letter& letter = letters_[i];
    if (shared[i] < letter.subject_needed) continue;
    const Run run = LongestCommonRun(ids, letter.subject);
    if (run.length < letter.subject_needed) continue;
    Mask(subject, run.end - run.length, run.length);
    found.push_back({i, "letter's subject in subject"});
  }
  return found;
}

bool LetterIndex::IsConsultationFolder(std::string_view subfolder) const {
  const std::string words = FoldWords(subfolder);
  return std::any_of(letters_.begin(), letters_.end(),
                     [&](const Letter& l) { return !words.empty() && l.id_words == words; });
}

int64_t LetterIndex::Find(std::string_view id) const {
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? -1 : static_cast<int64_t>(it->second);
}

}  // namespace tacit::match
