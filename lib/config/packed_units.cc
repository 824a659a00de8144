#include "config/packed_units.h"

#include <cstdint>
#include <stdexcept>
#include <string_view>
#include <unordered_map>

namespace tacit {
namespace {

// Numbers as LEB128: seven bits a byte, low first, the top bit set on all but
// the last. A length under 128 (every code, most names) takes one byte.
void PutNumber(std::string& out, size_t n) {
  while (n >= 0x80) {
    out.push_back(static_cast<char>((n & 0x7f) | 0x80));
    n >>= 7;
  }
  out.push_back(static_cast<char>(n));
}

void PutText(std::string& out, std::string_view s) {
  PutNumber(out, s.size());
  out.append(s);
}

void PutList(std::string& out, const std::vector<std::string>& list) {
  PutNumber(out, list.size());
  for (const std::string& s : list) PutText(out, s);
}

// Reads back what the Put functions wrote. The data never leaves the process
// that packed it, so running off its end is a bug: it throws, never reads on.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}

  size_t Number() {
    size_t n = 0;
    for (int shift = 0;; shift += 7) {
      if (at_ >= data_.size() || shift > 63) throw std::logic_error("PackedUnits: corrupt");
      const auto byte = static_cast<unsigned char>(data_[at_++]);
      n |= static_cast<size_t>(byte & 0x7f) << shift;
      if (!(byte & 0x80)) return n;
    }
  }
  // Into `s`, keeping its buffer (Each reuses one Unit).
  void Text(std::string& s) {
    const size_t n = Number();
    if (n > data_.size() - at_) throw std::logic_error("PackedUnits: corrupt");
    s.assign(data_.substr(at_, n));
    at_ += n;
  }
  void List(std::vector<std::string>& list) {
    list.resize(Number());
    for (std::string& s : list) Text(s);
  }

 private:
  std::string_view data_;
  size_t at_ = 0;
};

}  // namespace

PackedUnits::PackedUnits(const std::vector<Unit>& units) : count_(units.size()) {
  std::unordered_map<std::string_view, size_t> group_index;
  for (const Unit& u : units) {
    auto [it, added] = group_index.try_emplace(u.group, groups_.size());
    if (added) groups_.push_back(u.group);
    PutText(data_, u.code);
    PutText(data_, u.name);
    PutNumber(data_, it->second);
    PutList(data_, u.emails);
    PutList(data_, u.aliases);
  }
  data_.shrink_to_fit();
  groups_.shrink_to_fit();
}

void PackedUnits::Each(const std::function<void(const Unit&)>& f) const {
  Reader r(data_);
  Unit u;
  for (size_t i = 0; i < count_; ++i) {
    r.Text(u.code);
    r.Text(u.name);
    u.group = groups_.at(r.Number());
    r.List(u.emails);
    r.List(u.aliases);
    f(u);
  }
}

size_t PackedUnits::bytes() const {
  size_t n = data_.capacity() + groups_.capacity() * sizeof(std::string);
  for (const std::string& g : groups_) n += g.capacity();
  return n;
}

}  // namespace tacit
