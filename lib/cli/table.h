// Plain-text tables for tacitctl, aligned by display width so that Vietnamese
// text (multi-byte UTF-8) lines up in a terminal.
#pragma once

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

namespace tacit::cli {

class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void Add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  // The last column is not padded.
  void Print(std::ostream& out) const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// Number of code points (a good-enough display width for Vietnamese in NFC).
size_t DisplayWidth(std::string_view utf8);
// The text on one line, cut to `max` code points with "…".
std::string Excerpt(std::string_view utf8, size_t max);

}  // namespace tacit::cli
