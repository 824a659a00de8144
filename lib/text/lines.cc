#include "text/lines.h"

namespace tacit::text {
namespace {

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

constexpr std::string_view kNbsp = "\xC2\xA0";

std::string_view SkipIndent(std::string_view line) {
  while (!line.empty()) {
    if (line[0] == ' ' || line[0] == '\t') {
      line.remove_prefix(1);
    } else if (line.substr(0, 2) == kNbsp) {
      line.remove_prefix(2);
    } else {
      break;
    }
  }
  return line;
}

// "1." / "12)" / "a)" with the optional "(" already removed.
bool StartsWithNumber(std::string_view s, bool parenthesised) {
  size_t digits = 0;
  while (digits < s.size() && digits < 3 && IsDigit(s[digits])) ++digits;
  if (digits == 0 || digits > 2 || digits == s.size()) return false;
  const char after = s[digits];
  if (after == ')') return true;
  if (after != '.' || parenthesised) return false;
  return digits + 1 == s.size() || !IsDigit(s[digits + 1]);
}

// "a)" ... "z)", and "đ)", which Vietnamese lists use between d) and e).
bool StartsWithLetterItem(std::string_view s) {
  if (s.size() >= 2 && IsAsciiLetter(s[0]) && s[1] == ')') return true;
  return s.substr(0, 3) == "\xC4\x91)";
}

}  // namespace

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n' && text[i] != '\r') continue;
    lines.push_back(text.substr(start, i - start));
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    start = i + 1;
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

std::string_view TrimView(std::string_view text) {
  while (!text.empty()) {
    if (IsAsciiSpace(text.front())) {
      text.remove_prefix(1);
    } else if (text.substr(0, 2) == kNbsp) {
      text.remove_prefix(2);
    } else {
      break;
    }
  }
  while (!text.empty()) {
    if (IsAsciiSpace(text.back())) {
      text.remove_suffix(1);
    } else if (text.size() >= 2 && text.substr(text.size() - 2) == kNbsp) {
      text.remove_suffix(2);
    } else {
      break;
    }
  }
  return text;
}

bool IsBlankLine(std::string_view line) { return TrimView(line).empty(); }

ListMarker ListMarkerOf(std::string_view line) {
  std::string_view s = SkipIndent(line);
  if (s.empty()) return ListMarker::kNone;
  const bool parenthesised = s[0] == '(';
  const std::string_view item = parenthesised ? s.substr(1) : s;
  if (StartsWithNumber(item, parenthesised) || StartsWithLetterItem(item)) {
    return ListMarker::kNumbered;
  }
  for (std::string_view bullet : {"-", "+", "*", "\xE2\x80\xA2", "\xE2\x80\x93"}) {
    if (s.substr(0, bullet.size()) == bullet && s.size() > bullet.size() &&
        s[bullet.size()] == ' ') {
      return ListMarker::kBullet;
    }
  }
  return ListMarker::kNone;
}

std::vector<std::string_view> SplitParagraphs(std::string_view text) {
  std::vector<std::string_view> paragraphs;
  const char* begin = nullptr;  // start of the open paragraph, if any
  const char* end = nullptr;
  auto close = [&] {
    if (begin != nullptr) {
      paragraphs.push_back(TrimView(std::string_view(begin, end - begin)));
    }
    begin = nullptr;
  };
  for (std::string_view line : SplitLines(text)) {
    if (IsBlankLine(line)) {
      close();
      continue;
    }
    if (ListMarkerOf(line) != ListMarker::kNone) close();
    if (begin == nullptr) begin = line.data();
    end = line.data() + line.size();
  }
  close();
  return paragraphs;
}

}  // namespace tacit::text
