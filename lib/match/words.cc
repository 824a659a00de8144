#include "match/words.h"

#include <algorithm>
#include <cstddef>

#include "text/normalize.h"

namespace tacit::match {
namespace {

// Groups of spellings of one thing, in FoldWords form. Any form of a group in a
// name or alias is indexed under every other form of the group. Kept to the
// abbreviations of ward-level unit names; short forms that are also common
// words only ever appear next to other words (see AbbreviationVariants).
// A form that contains another ("pho chu tich" ⊃ "chu tich") wins where both
// fit, since the longest form at a position is taken.
constexpr std::string_view kGroups[][6] = {
    {"to dan pho", "tdp", "to dp"},
    {"cong an", "ca"},
    {"ban chi huy quan su", "bch quan su", "bch qs", "bchqs", "ban chqs", "ban chi huy qs"},
    {"uy ban nhan dan", "ubnd"},
    {"hoi dong nhan dan", "hdnd"},
    {"uy ban mat tran to quoc", "ubmttq", "uy ban mttq", "ub mttq"},
    {"mat tran to quoc", "mttq"},
    {"tieu hoc", "th"},
    {"trung hoc co so", "thcs"},
    {"trung hoc pho thong", "thpt"},
    {"mam non", "mn"},
    {"pho chu tich", "pct"},
    {"chu tich", "ct"},
    {"lien hiep phu nu", "lhpn"},
    {"cuu chien binh", "ccb"},
    {"thanh nien", "tn"},
    {"van phong", "vp"},
    {"tram y te", "tyt"},
    {"viet nam", "vn"},
    {"khu pho", "kp"},
};

constexpr size_t kMaxVariants = 64;
constexpr size_t kMaxVariedSpans = 4;

using Words = std::vector<std::string_view>;

struct Form {
  Words words;
  size_t group;
};

const std::vector<Form>& Forms() {
  static const std::vector<Form> forms = [] {
    std::vector<Form> all;
    for (size_t g = 0; g < std::size(kGroups); ++g) {
      for (std::string_view f : kGroups[g]) {
        if (!f.empty()) all.push_back({SplitWords(f), g});
      }
    }
    return all;
  }();
  return forms;
}

bool StartsAt(const Words& words, size_t pos, const Words& form) {
  if (pos + form.size() > words.size()) return false;
  return std::equal(form.begin(), form.end(), words.begin() + static_cast<std::ptrdiff_t>(pos));
}

// A run of a key's words that is one form of an abbreviation group.
struct Span {
  size_t start;
  size_t length;
  size_t group;
};

std::vector<Span> FindSpans(const Words& words) {
  std::vector<Span> spans;
  size_t pos = 0;
  while (pos < words.size() && spans.size() < kMaxVariedSpans) {
    const Form* best = nullptr;
    for (const Form& form : Forms()) {
      if ((best == nullptr || form.words.size() > best->words.size()) &&
          StartsAt(words, pos, form.words)) {
        best = &form;
      }
    }
    if (best == nullptr) {
      ++pos;
      continue;
    }
    spans.push_back({pos, best->words.size(), best->group});
    pos += best->words.size();
  }
  return spans;
}

std::string Join(const Words& words, size_t from = 0) {
  std::string out;
  for (size_t i = from; i < words.size(); ++i) {
    if (!out.empty()) out.push_back(' ');
    out.append(words[i]);
  }
  return out;
}

// Every combination of forms for `spans` (the first combination is `words`
// itself), at most kMaxVariants.
std::vector<Words> Combinations(const Words& words, const std::vector<Span>& spans) {
  std::vector<Words> out;
  std::vector<size_t> choice(spans.size(), 0);
  while (out.size() < kMaxVariants) {
    Words variant;
    size_t pos = 0;
    for (size_t s = 0; s < spans.size(); ++s) {
      variant.insert(variant.end(), words.begin() + static_cast<std::ptrdiff_t>(pos),
                     words.begin() + static_cast<std::ptrdiff_t>(spans[s].start));
      if (choice[s] == 0) {
        variant.insert(
            variant.end(), words.begin() + static_cast<std::ptrdiff_t>(spans[s].start),
            words.begin() + static_cast<std::ptrdiff_t>(spans[s].start + spans[s].length));
      } else {
        const Words form = SplitWords(kGroups[spans[s].group][choice[s] - 1]);
        variant.insert(variant.end(), form.begin(), form.end());
      }
      pos = spans[s].start + spans[s].length;
    }
    variant.insert(variant.end(), words.begin() + static_cast<std::ptrdiff_t>(pos), words.end());
    out.push_back(std::move(variant));
    // Next choice, odometer style; choice 0 is the key's own spelling, choice
    // k > 0 is form k-1 of the group (which may equal the own spelling: the
    // duplicate is removed by the caller).
    size_t s = 0;
    for (; s < spans.size(); ++s) {
      size_t forms = 0;
      while (forms < std::size(kGroups[0]) && !kGroups[spans[s].group][forms].empty()) ++forms;
      if (++choice[s] <= forms) break;
      choice[s] = 0;
    }
    if (s == spans.size()) break;
  }
  return out;
}

}  // namespace

std::string FoldWords(std::string_view text) {
  return DropSoBeforeNumbers(text::FoldToWords(text));
}

std::string DropSoBeforeNumbers(std::string words) {
  // Most texts have no "so" before a number: find the first one before copying.
  auto next_so = [&](size_t from) {
    for (size_t pos = words.find("so ", from); pos != std::string::npos;
         pos = words.find("so ", pos + 1)) {
      const bool starts = pos == 0 || words[pos - 1] == ' ';
      const bool number = pos + 3 < words.size() && words[pos + 3] >= '0' && words[pos + 3] <= '9';
      const bool after_co =
          pos >= 3 && words.compare(pos - 3, 3, "co ") == 0 && (pos == 3 || words[pos - 4] == ' ');
      if (starts && number && !after_co) return pos;
    }
    return std::string::npos;
  };
  size_t drop = next_so(0);
  if (drop == std::string::npos) return words;
  std::string out;
  out.reserve(words.size());
  size_t from = 0;
  while (drop != std::string::npos) {
    out.append(words, from, drop - from);  // up to and with the space before "so"
    from = drop + 3;                       // after "so "
    drop = next_so(from);
  }
  out.append(words, from, std::string::npos);
  return out;
}

std::vector<std::string_view> SplitWords(std::string_view words) {
  std::vector<std::string_view> out;
  size_t pos = 0;
  while (pos < words.size()) {
    size_t end = words.find(' ', pos);
    if (end == std::string_view::npos) end = words.size();
    if (end > pos) out.push_back(words.substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

std::vector<std::string> AbbreviationVariants(std::string_view key) {
  const Words words = SplitWords(key);
  std::vector<std::string> out;
  auto add = [&](const Words& variant, size_t from) {
    if (variant.size() - from < 2 || out.size() >= kMaxVariants) return;
    std::string joined = Join(variant, from);
    if (joined != key && std::find(out.begin(), out.end(), joined) == out.end()) {
      out.push_back(std::move(joined));
    }
  };
  for (const Words& variant : Combinations(words, FindSpans(words))) {
    add(variant, 0);
    if (!variant.empty() && variant[0] == "truong") add(variant, 1);
  }
  return out;
}

}  // namespace tacit::match
