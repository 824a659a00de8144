#include "match/letterhead.h"

#include <algorithm>
#include <iterator>
#include <map>

#include <fmt/format.h>

#include "match/words.h"
#include "text/normalize.h"

namespace tacit::match {
namespace {

// Forms shorter than this (letters and digits) are only taken as written: an
// edit or two turns one short name into another ("ca phuong", "nam phuong").
constexpr size_t kMinFuzzyChars = 8;
// Below this length a form may differ by one edit only.
constexpr size_t kShortForm = 12;
// A letterhead line with fewer letters is a rule, a star or a speck.
constexpr size_t kMinLineLetters = 3;
constexpr size_t kMaxReferenceBytes = 600;
constexpr size_t kMaxLetterheadLines = 4;

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(pos, end - pos));
    pos = end + 1;
  }
  return lines;
}

size_t Letters(std::string_view words) {
  return static_cast<size_t>(
      std::count_if(words.begin(), words.end(), [](char c) { return c != ' '; }));
}

size_t AlphaLetters(std::string_view words) {
  return static_cast<size_t>(std::count_if(words.begin(), words.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80;
  }));
}

// Edits a form of `length` bytes may differ by.
size_t AllowedEdits(size_t length) {
  if (length < kMinFuzzyChars) return 0;
  if (length < kShortForm) return 1;
  return static_cast<size_t>(static_cast<double>(length) * LetterheadIndex::kMaxDistance);
}

bool IsLetterByte(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || static_cast<unsigned char>(c) >= 0x80;
}

// OCR reads O, l and S inside a word as 0, 1 and 5 ("C0NG AN", "T0AN"); a
// digit between two letters is taken back to its letter. "TDP05" and "SỐ 5"
// keep their digits.
std::string UndoDigitConfusions(std::string_view line) {
  std::string out(line);
  for (size_t i = 1; i + 1 < out.size(); ++i) {
    if (!IsLetterByte(out[i - 1]) || !IsLetterByte(out[i + 1])) continue;
    if (out[i] == '0') out[i] = 'O';
    if (out[i] == '1') out[i] = 'l';
    if (out[i] == '5') out[i] = 'S';
  }
  return out;
}

// The number words of `words`, in order, separated by a space.
std::string Numbers(std::string_view words) {
  std::string out;
  for (std::string_view w : SplitWords(words)) {
    if (!IsNumber(w)) continue;
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

bool StartsWord(std::string_view words, std::string_view lead) {
  return words.starts_with(lead) && (words.size() == lead.size() || words[lead.size()] == ' ');
}

// "Số: 12/CV" or "V/v …" (FoldToWords words).
bool IsReferenceLine(std::string_view words) {
  return StartsWord(words, "v v") || StartsWord(words, "vv") ||
         (StartsWord(words, "so") && words.size() > 3 && IsNumber(words.substr(3)));
}

bool IsSubjectLine(std::string_view words) {
  return StartsWord(words, "v v") || StartsWord(words, "vv");
}

bool IsAddressLine(std::string_view words) { return StartsWord(words, "kinh gui"); }

// Byte offset of line `index` in `text`.
size_t LineOffset(std::string_view text, const std::vector<std::string_view>& lines, size_t index) {
  return static_cast<size_t>(lines[index].data() - text.data());
}

std::string CutUtf8(std::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  size_t end = max;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return std::string(text.substr(0, end));
}

std::string_view KindWord(KeyKind kind) { return kind == KeyKind::kName ? "name" : "alias"; }

}  // namespace

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

LetterheadIndex::LetterheadIndex(const PackedUnits& units, const UnitIndex& exact) : exact_(exact) {
  forms_.reserve(units.size() * 3);
  shown_.reserve(units.size() + 1);
  shown_text_.reserve(units.bytes());
  shown_.push_back(0);
  uint32_t u = 0;
  units.Each([&](const Unit& unit) {
    auto add = [&](const std::string& text, std::string_view kind) {
      const std::string key = FoldWords(text);
      if (key.empty()) return;
      std::vector<std::string> keys = AbbreviationVariants(key);
      keys.insert(keys.begin(), key);
      const auto shown = static_cast<uint32_t>(shown_.size() - 1);
      bool used = false;
      for (const std::string& k : keys) {
        if (Letters(k) < kMinFuzzyChars) continue;
        const auto count = static_cast<uint32_t>(SplitWords(k).size());
        const std::string numbers = Numbers(k);
        const auto words_at = static_cast<uint32_t>(text_.size());
        text_ += k;
        const auto numbers_at = static_cast<uint32_t>(text_.size());
        text_ += numbers;
        forms_.push_back({u, words_at, static_cast<uint32_t>(k.size()), numbers_at,
                          static_cast<uint32_t>(numbers.size()), count, shown});
        used = true;
      }
      if (!used) return;
      fmt::format_to(std::back_inserter(shown_text_), "{} '{}'", kind, text);
      shown_.push_back(static_cast<uint32_t>(shown_text_.size()));
    };
    add(unit.name, "name");
    for (const std::string& alias : unit.aliases) add(alias, "alias");
    ++u;
  });
  forms_.shrink_to_fit();
  text_.shrink_to_fit();
  shown_text_.shrink_to_fit();
  shown_.shrink_to_fit();
}

std::vector<LetterheadHit> LetterheadIndex::Find(std::string_view letterhead) const {
  std::vector<std::string> lines;
  for (std::string_view line : Lines(letterhead)) {
    std::string words = FoldWords(UndoDigitConfusions(line));
    if (AlphaLetters(words) >= kMinLineLetters) lines.push_back(std::move(words));
  }
  if (lines.empty()) return {};
  // The bottom line, then the two bottom lines as one name.
  std::vector<LetterheadHit> hits = FindIn(lines.back());
  if (!hits.empty() || lines.size() < 2) return hits;
  const std::string& upper = lines[lines.size() - 2];
  hits = FindIn(upper + " " + lines.back());
  // What the upper line names by itself is the parent body, not the issuer.
  for (const LetterheadHit& parent : FindIn(upper)) {
    std::erase_if(hits, [&](const LetterheadHit& h) { return h.unit == parent.unit; });
  }
  return hits;
}

std::vector<LetterheadHit> LetterheadIndex::FindIn(std::string_view words) const {
  std::vector<LetterheadHit> hits;
  for (const UnitHit& hit : exact_.Scan(words, false)) {
    hits.push_back({hit.unit, fmt::format("{} '{}'", KindWord(hit.kind), hit.form)});
  }
  if (!hits.empty()) return hits;
  return FindFuzzy(words);
}

std::vector<LetterheadHit> LetterheadIndex::FindFuzzy(std::string_view words) const {
  const std::vector<std::string_view> line = SplitWords(words);
  struct Best {
    double score;
    size_t edits;
    const Form* form;
  };
  std::map<uint32_t, Best> best;  // per unit
  for (const Form& form : forms_) {
    const std::string_view form_words = Text(form.words_at, form.words_size);
    const std::string_view form_numbers = Text(form.numbers_at, form.numbers_size);
    const size_t lo = form.word_count > 1 ? form.word_count - 1 : 1;
    for (size_t size = lo; size <= form.word_count + 1 && size <= line.size(); ++size) {
      for (size_t start = 0; start + size <= line.size(); ++start) {
        const std::string_view last = line[start + size - 1];
        const char* first = line[start].data();
        const std::string_view window(first,
                                      static_cast<size_t>(last.data() + last.size() - first));
        const size_t longest = std::max(window.size(), form_words.size());
        const size_t shortest = std::min(window.size(), form_words.size());
        const size_t allowed = AllowedEdits(form_words.size());
        if (longest - shortest > allowed) continue;
        if (Numbers(window) != form_numbers) continue;
        const size_t edits = EditDistance(window, form_words);
        if (edits > allowed) continue;
        const double score = static_cast<double>(edits) / static_cast<double>(longest);
        auto [it, added] = best.try_emplace(form.unit, Best{score, edits, &form});
        if (!added && score < it->second.score) it->second = {score, edits, &form};
      }
    }
  }
  std::vector<std::pair<uint32_t, Best>> ranked(best.begin(), best.end());
  std::sort(ranked.begin(), ranked.end(),
            [](const auto& a, const auto& b) { return a.second.score < b.second.score; });
  std::vector<LetterheadHit> hits;
  for (const auto& [unit, b] : ranked) {
    if (!hits.empty() && b.score >= ranked.front().second.score + kMargin) break;
    hits.push_back({unit, fmt::format("{} (OCR: {} edit{})", Shown(b.form->shown), b.edits,
                                      b.edits == 1 ? "" : "s")});
  }
  return hits;
}

std::string LetterheadFromText(std::string_view text) {
  std::string out;
  size_t taken = 0;
  for (std::string_view line : Lines(text)) {
    std::string words = text::FoldToWords(line);
    if (words.empty()) {
      if (taken > 0) break;  // the block ends at a blank line
      continue;
    }
    if (IsReferenceLine(words) || IsAddressLine(words)) break;
    for (std::string_view motto : {"cong hoa", "doc lap"}) {
      const size_t at = words.find(motto);
      if (at != std::string::npos && (at == 0 || words[at - 1] == ' ')) words.resize(at);
    }
    while (!words.empty() && words.back() == ' ') words.pop_back();
    if (!words.empty()) out += words + "\n";
    if (++taken == kMaxLetterheadLines) break;
  }
  return out;
}

std::string SubjectFromText(std::string_view text) {
  const std::vector<std::string_view> lines = Lines(text);
  std::string out;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (!IsSubjectLine(text::FoldToWords(lines[i]))) continue;
    for (size_t k = i; k < lines.size() && k < i + 3; ++k) {
      const std::string words = text::FoldToWords(lines[k]);
      if (words.empty() || IsAddressLine(words)) break;
      std::string_view line = lines[k];
      while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.remove_suffix(1);
      out += (out.empty() ? "" : " ") + std::string(line);
    }
    break;
  }
  return out;
}

std::string ReferenceText(std::string_view text) {
  const std::vector<std::string_view> lines = Lines(text);
  for (size_t i = 0; i < lines.size(); ++i) {
    if (IsSubjectLine(text::FoldToWords(lines[i]))) {
      return CutUtf8(text.substr(LineOffset(text, lines, i)), kMaxReferenceBytes);
    }
  }
  return CutUtf8(text, kMaxReferenceBytes);
}

std::string BodyFromText(std::string_view text) {
  const std::vector<std::string_view> lines = Lines(text);
  size_t subject_end = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string words = text::FoldToWords(lines[i]);
    if (IsAddressLine(words)) {
      const size_t next = i + 1 < lines.size() ? LineOffset(text, lines, i + 1) : text.size();
      return std::string(text.substr(next));
    }
    if (subject_end == 0 && IsSubjectLine(words)) {
      size_t k = i + 1;
      while (k < lines.size() && k < i + 3 && !text::FoldToWords(lines[k]).empty()) ++k;
      subject_end = k < lines.size() ? LineOffset(text, lines, k) : text.size();
    }
  }
  return std::string(text.substr(subject_end));
}

}  // namespace tacit::match
