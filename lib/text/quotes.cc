#include "text/quotes.h"

#include <algorithm>
#include <array>
#include <vector>

#include "text/lines.h"
#include "text/normalize.h"

namespace tacit::text {
namespace {

// All patterns below are in FoldForMatch form (lower case, no diacritics).
constexpr std::array<std::string_view, 6> kAttributionEnds = {
    "wrote:", "wrote :", "da viet:", "da viet :", "schrieb:", "a ecrit :"};
constexpr std::array<std::string_view, 4> kAttributionStarts = {"on ", "vao ", "am ", "le "};
constexpr std::array<std::string_view, 9> kSeparatorCores = {
    "original message",     "forwarded message", "thu chuyen tiep", "tin nhan da chuyen tiep",
    "tin nhan chuyen tiep", "thu goc",           "tin nhan goc",    "thu da chuyen tiep",
    "message d'origine"};
constexpr std::array<std::string_view, 3> kSeparatorLines = {
    "begin forwarded message:", "bat dau thu duoc chuyen tiep:", "bat dau tin nhan chuyen tiep:"};
constexpr std::array<std::string_view, 2> kFromKeys = {"from:", "tu:"};
constexpr std::array<std::string_view, 6> kTimeKeys = {
    "sent:", "date:", "gui:", "da gui:", "ngay gui:", "ngay:"};
constexpr std::array<std::string_view, 6> kRecipientKeys = {
    "to:", "cc:", "den:", "subject:", "chu de:", "tieu de:"};
constexpr size_t kHeaderBlockLines = 5;
constexpr size_t kMaxAttributionLines = 3;

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

template <size_t N>
bool StartsWithAny(std::string_view s, const std::array<std::string_view, N>& prefixes) {
  return std::any_of(prefixes.begin(), prefixes.end(),
                     [&](std::string_view p) { return StartsWith(s, p); });
}

bool IsQuoteLine(std::string_view line) {
  const std::string_view t = TrimView(line);
  return !t.empty() && t[0] == '>';
}

// `folded` is one attribution candidate, possibly several lines joined.
bool IsAttribution(std::string_view folded) {
  for (std::string_view end : kAttributionEnds) {
    if (!EndsWith(folded, end)) continue;
    if (end.starts_with("da viet")) return true;  // "… đã viết:" always cuts
    return StartsWithAny(folded, kAttributionStarts) || folded.find('@') != std::string_view::npos;
  }
  return false;
}

bool IsSeparator(std::string_view folded) {
  if (std::find(kSeparatorLines.begin(), kSeparatorLines.end(), folded) != kSeparatorLines.end()) {
    return true;
  }
  if (!StartsWith(folded, "--") && !StartsWith(folded, "__") && !StartsWith(folded, "==")) {
    return false;
  }
  const size_t first = folded.find_first_not_of("-_=* ");
  if (first == std::string_view::npos) return false;
  const size_t last = folded.find_last_not_of("-_=* ");
  const std::string_view core = folded.substr(first, last - first + 1);
  return std::find(kSeparatorCores.begin(), kSeparatorCores.end(), core) != kSeparatorCores.end();
}

bool IsUnderscoreRule(std::string_view folded) {
  return folded.size() >= 10 && folded.find_first_not_of('_') == std::string_view::npos;
}

class BodyScanner {
 public:
  explicit BodyScanner(std::string_view body)
      : lines_(SplitLines(body)), folded_(lines_.size()), is_folded_(lines_.size(), 0) {}

  SplitText Split() {
    std::vector<std::string_view> own;
    std::vector<std::string_view> quoted;
    size_t i = 0;
    while (i < lines_.size()) {
      if (IsQuoteLine(lines_[i])) {
        quoted.push_back(lines_[i++]);
        continue;
      }
      if (CutsHere(i)) {
        quoted.insert(quoted.end(), lines_.begin() + i, lines_.end());
        break;
      }
      const size_t span = AttributionSpan(i);
      if (span == 0) {
        own.push_back(lines_[i++]);
        continue;
      }
      // An attribution over '>' lines quotes only those lines; otherwise the
      // original follows unmarked and runs to the end.
      const size_t next = NextNonBlank(i + span);
      if (next < lines_.size() && IsQuoteLine(lines_[next])) {
        quoted.insert(quoted.end(), lines_.begin() + i, lines_.begin() + i + span);
        i += span;
        continue;
      }
      quoted.insert(quoted.end(), lines_.begin() + i, lines_.end());
      break;
    }
    return {Join(own), Join(quoted)};
  }

 private:
  size_t NextNonBlank(size_t i) const {
    while (i < lines_.size() && Folded(i).empty()) ++i;
    return i;
  }

  bool CutsHere(size_t i) const {
    if (IsSeparator(Folded(i)) || IsHeaderBlock(i)) return true;
    return IsUnderscoreRule(Folded(i)) && i + 1 < lines_.size() &&
           IsHeaderBlock(NextNonBlank(i + 1));
  }

  // "From: … / Sent: … / To: …" as Outlook writes it above the original.
  bool IsHeaderBlock(size_t i) const {
    if (i >= lines_.size() || !StartsWithAny(Folded(i), kFromKeys)) {
      return false;
    }
    const bool has_address = Folded(i).find('@') != std::string::npos;
    size_t keys = 0;
    bool recipient = false;
    const size_t end = std::min(lines_.size(), i + 1 + kHeaderBlockLines);
    for (size_t j = i + 1; j < end; ++j) {
      const bool is_recipient = StartsWithAny(Folded(j), kRecipientKeys);
      recipient = recipient || is_recipient;
      if (is_recipient || StartsWithAny(Folded(j), kTimeKeys)) ++keys;
    }
    // A letter may itself open with "Từ: … / Gửi: …"; Outlook always adds a
    // recipient or subject line.
    return recipient && (keys >= 2 || has_address);
  }

  // Number of lines (1..3) forming an attribution that starts at line i, or
  // 0. A wrapped attribution must look like one from its first line: it
  // starts with "On"/"Vào"/… or one of its lines holds an address.
  size_t AttributionSpan(size_t i) const {
    std::string joined;
    bool has_address = false;
    for (size_t span = 1; span <= kMaxAttributionLines; ++span) {
      const size_t j = i + span - 1;
      if (j >= lines_.size() || Folded(j).empty()) return 0;
      if (span > 1) joined.push_back(' ');
      joined += Folded(j);
      has_address = has_address || Folded(j).find('@') != std::string::npos;
      if (span > 1 && !has_address && !StartsWithAny(Folded(i), kAttributionStarts)) {
        return 0;
      }
      if (IsAttribution(joined)) return span;
    }
    return 0;
  }

  static std::string Join(const std::vector<std::string_view>& lines) {
    std::string out;
    for (std::string_view line : lines) {
      out.append(line);
      out.push_back('\n');
    }
    return std::string(TrimView(out));
  }

  std::vector<std::string_view> lines_;
  // Each line folded when first looked at: the scan stops at the first cut,
  // and the original quoted below it (often most of a reply) is never read
  // (folding every line was a twentieth of a Maildir backlog's time).
  const std::string& Folded(size_t i) const {
    if (is_folded_[i] == 0) {
      folded_[i] = FoldForMatch(lines_[i]);
      is_folded_[i] = 1;
    }
    return folded_[i];
  }

  mutable std::vector<std::string> folded_;
  mutable std::vector<char> is_folded_;
};

constexpr std::array<std::string_view, 15> kSubjectPrefixes = {
    "re", "fw", "fwd", "tl", "tra loi", "phan hoi", "chuyen tiep", "aw",
    "wg", "sv", "vs",  "rv", "tr",      "antw",     "ref"};
constexpr std::array<std::string_view, 14> kGatewayTags = {
    "external",       "ext",           "external email",  "external sender", "spam",
    "suspected spam", "possible spam", "warning",         "caution",         "ben ngoai",
    "thu ben ngoai",  "canh bao",      "email ben ngoai", "thu tu ben ngoai"};
constexpr size_t kMaxPrefixBytes = 40;
constexpr std::string_view kFullWidthColon = "\xEF\xBC\x9A";

template <size_t N>
bool Contains(const std::array<std::string_view, N>& set, std::string_view s) {
  return std::find(set.begin(), set.end(), s) != set.end();
}

// Bytes taken by a reply prefix ("Re:", "Re[2]:", "Trả lời :") at the start
// of `s`, or 0.
size_t ReplyPrefixLength(std::string_view s) {
  const std::string_view head = s.substr(0, kMaxPrefixBytes);
  size_t colon = head.find(':');
  size_t colon_size = 1;
  const size_t wide = head.find(kFullWidthColon);
  if (wide < colon) {
    colon = wide;
    colon_size = kFullWidthColon.size();
  }
  if (colon == std::string_view::npos || colon == 0) return 0;
  std::string words = FoldToWords(s.substr(0, colon));
  const size_t last_space = words.rfind(' ');  // "re 2" from "Re[2]"
  if (last_space != std::string::npos &&
      words.find_first_not_of("0123456789", last_space + 1) == std::string::npos) {
    words.resize(last_space);
  }
  return Contains(kSubjectPrefixes, words) ? colon + colon_size : 0;
}

size_t GatewayTagLength(std::string_view s) {
  if (s.empty() || s[0] != '[') return 0;
  const size_t close = s.substr(0, kMaxPrefixBytes).find(']');
  if (close == std::string_view::npos) return 0;
  return Contains(kGatewayTags, FoldToWords(s.substr(1, close - 1))) ? close + 1 : 0;
}

}  // namespace

SplitText SplitQuoted(std::string_view body) { return BodyScanner(body).Split(); }

std::string StripSubjectPrefixes(std::string_view subject) {
  std::string_view rest = TrimView(subject);
  while (!rest.empty()) {
    size_t n = GatewayTagLength(rest);
    if (n == 0) n = ReplyPrefixLength(rest);
    if (n == 0) break;
    rest = TrimView(rest.substr(n));
  }
  return std::string(rest);
}

}  // namespace tacit::text
