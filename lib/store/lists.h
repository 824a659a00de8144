// How lists (a unit's emails and aliases, an outbox message's recipients) are
// kept in one TEXT column: items joined by ';' (no item holds one: config
// validation refuses it in addresses and aliases). For the Store's .cc files.
#pragma once

#include <string>
#include <vector>

namespace tacit::store {

inline std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) {
    if (!out.empty()) out += ';';
    out += i;
  }
  return out;
}

// Empty items are dropped.
inline std::vector<std::string> SplitList(const std::string& s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t end = s.find(';', start);
    if (end == std::string::npos) end = s.size();
    if (end > start) out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

}  // namespace tacit::store
