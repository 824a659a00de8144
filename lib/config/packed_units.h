// PackedUnits: a config's units kept as one string, for a daemon that needs
// them only now and then. Once tacitd has written the units to its database
// (Store::SyncConfig) it reads them again only to build its matcher, when a
// reply comes (ingest/ingestor.h); in between, 10,000 units took 4.5 MB of
// heap as Unit structs, strings and vectors, a quarter of an idle tacitd
// (issue 9). Packed they take about 1.3 MB: each text once, with its length,
// and each group's name once for all its units. Each gives back exactly
// the units packed (the tests check every field).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "domain/types.h"

namespace tacit {

class PackedUnits {
 public:
  PackedUnits() = default;
  explicit PackedUnits(const std::vector<Unit>& units);

  // Calls f with each unit in turn, in order, one Unit reused: the matcher is
  // built this way (match::Matcher), since the 100,000 units of issue 9's
  // scale test unpacked all at once took 33 MB of its 221 MB peak. The
  // reference is valid only during the call.
  void Each(const std::function<void(const Unit&)>& f) const;
  size_t size() const { return count_; }
  // Heap bytes held (for the tests).
  size_t bytes() const;

 private:
  std::string data_;                 // per unit: code, name, group index, emails, aliases
  std::vector<std::string> groups_;  // each group's name once
  size_t count_ = 0;
};

}  // namespace tacit
