#include "cli/table.h"

#include <algorithm>
#include <ostream>

namespace tacit::cli {
namespace {

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

}  // namespace

size_t DisplayWidth(std::string_view s) {
  size_t n = 0;
  for (unsigned char c : s) {
    if (!IsContinuation(c)) ++n;
  }
  return n;
}

std::string Excerpt(std::string_view s, size_t max) {
  std::string out;
  size_t points = 0;
  bool space = false;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == '\n' || c == '\r' || c == '\t' || c == ' ') {
      space = !out.empty();
      continue;
    }
    if (!IsContinuation(c)) {
      if (space) {
        out.push_back(' ');
        ++points;
        space = false;
      }
      if (points >= max) {
        out += "…";
        return out;
      }
      ++points;
    }
    out.push_back(static_cast<char>(c));
  }
  return out;
}

void Table::Print(std::ostream& out) const {
  std::vector<size_t> width(header_.size(), 0);
  auto measure = [&](const std::vector<std::string>& row) {
    for (size_t i = 0; i < row.size() && i < width.size(); ++i) {
      width[i] = std::max(width[i], DisplayWidth(row[i]));
    }
  };
  measure(header_);
  for (const auto& r : rows_) measure(r);
  auto print = [&](const std::vector<std::string>& row) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - DisplayWidth(row[i]) + 2, ' ');
    }
    out << line << "\n";
  };
  print(header_);
  for (const auto& r : rows_) print(r);
}

}  // namespace tacit::cli
