// Line, paragraph and list-item splitting shared by the quote splitter and
// the stance classifier. Works on bytes: every separator it looks for is
// ASCII, so UTF-8 (valid or not) passes through untouched. Returned views
// point into the caller's text and live as long as it does.
#pragma once

#include <string_view>
#include <vector>

namespace tacit::text {

// Lines without their terminators; "\n", "\r\n" and a lone "\r" all end a
// line. A final terminator does not add an empty line; "" gives no lines.
std::vector<std::string_view> SplitLines(std::string_view text);

// `text` without leading and trailing ASCII whitespace and NBSP (U+00A0).
std::string_view TrimView(std::string_view text);

// True when the line holds only whitespace.
bool IsBlankLine(std::string_view line);

enum class ListMarker { kNone, kNumbered, kBullet };

// What starts the line, after optional indentation: kNumbered for "1.",
// "12)", "(3)", "a)", "(b)" ("1." must not be followed by a digit, so
// "1.5 triệu" and "09.02.2026" are not items); kBullet for "-", "+", "*",
// "•" or "–" followed by a space; kNone otherwise.
ListMarker ListMarkerOf(std::string_view line);

// Paragraphs: runs of non-blank lines, where a line that starts a list item
// also starts a new paragraph. Each is trimmed and keeps its inner line
// breaks exactly as in `text`.
std::vector<std::string_view> SplitParagraphs(std::string_view text);

}  // namespace tacit::text
