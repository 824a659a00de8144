#include "match/unit_index.h"

#include <algorithm>
#include <span>

#include "match/words.h"

namespace tacit::match {
namespace {

std::string LowerAscii(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// "  <Tdp05@Example.vn> " -> "tdp05@example.vn".
std::string CleanAddress(std::string_view address) {
  const size_t open = address.find('<');
  if (open != std::string_view::npos) {
    const size_t close = address.find('>', open);
    address = address.substr(open + 1, close == std::string_view::npos ? close : close - open - 1);
  }
  const size_t first = address.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const size_t last = address.find_last_not_of(" \t\r\n");
  return LowerAscii(address.substr(first, last - first + 1));
}

bool IsCode(KeyKind kind) { return kind == KeyKind::kCode; }

}  // namespace

UnitIndex::UnitIndex(const PackedUnits& units) {
  codes_.reserve(units.size());
  // A unit has its code, name and aliases and a few abbreviation variants of
  // each: room for them up front spares rehashing half a million keys at
  // 100,000 units (most of tacitd's start-up, issue 9).
  codes_sorted_.reserve(units.size());
  folded_codes_.reserve(units.size());
  emails_.reserve(units.size());
  forms_.reserve(units.size() * 2);
  // The texts kept are about the packed units' (code, name, aliases,
  // addresses) and the folded code again.
  text_.reserve(units.bytes() + units.size() * 24);
  Building b;
  b.links.reserve(units.size() * 6);
  b.hashes.reserve(units.size() * 6);
  key_list_.reserve(units.size() * 6);
  size_t slots = 16;
  while (slots < units.size() * 12) slots *= 2;
  key_slots_.assign(slots, 0);
  key_mask_ = slots - 1;
  units.Each([&](const Unit& unit) {
    const auto u = static_cast<uint32_t>(codes_.size());
    const TextRef code = AddText(unit.code);
    codes_.push_back(code);
    codes_sorted_.push_back({code, u});
    folded_codes_.push_back({AddText(FoldWords(unit.code)), u});
    for (const std::string& email : unit.emails) {
      const std::string address = CleanAddress(email);
      if (!address.empty()) emails_.push_back({AddText(address), u});
    }
    auto add_form = [&](const std::string& text, KeyKind kind) {
      const std::string key = FoldWords(text);
      if (key.empty()) return;
      const auto form = static_cast<uint32_t>(forms_.size());
      forms_.push_back({u, kind, kind == KeyKind::kCode ? code : AddText(text)});
      AddKey(b, key, form, false);
      if (IsCode(kind)) return;
      for (const std::string& variant : AbbreviationVariants(key)) AddKey(b, variant, form, true);
    };
    add_form(unit.code, KeyKind::kCode);
    add_form(unit.name, KeyKind::kName);
    for (const std::string& alias : unit.aliases) add_form(alias, KeyKind::kAlias);
  });
  Sort(codes_sorted_);
  Sort(folded_codes_);
  Sort(emails_);
  forms_.shrink_to_fit();
  text_.shrink_to_fit();
  Pack(b);
  AddPrefixes();
}

UnitIndex::TextRef UnitIndex::AddText(std::string_view s) {
  const TextRef r{static_cast<uint32_t>(text_.size()), static_cast<uint32_t>(s.size())};
  text_ += s;
  return r;
}

void UnitIndex::Sort(Lookup& lookup) const {
  // Stable: the rows of one key stay in the order of their units.
  std::stable_sort(lookup.begin(), lookup.end(),
                   [this](const Row& a, const Row& b) { return Text(a.key) < Text(b.key); });
  const auto last = std::unique(lookup.begin(), lookup.end(), [this](const Row& a, const Row& b) {
    return a.unit == b.unit && Text(a.key) == Text(b.key);
  });
  lookup.erase(last, lookup.end());
  lookup.shrink_to_fit();
}

std::span<const UnitIndex::Row> UnitIndex::Find(const Lookup& lookup, std::string_view key) const {
  struct Less {
    const UnitIndex* index;
    bool operator()(const Row& a, std::string_view b) const { return index->Text(a.key) < b; }
    bool operator()(std::string_view a, const Row& b) const { return a < index->Text(b.key); }
  };
  const auto [first, last] = std::equal_range(lookup.begin(), lookup.end(), key, Less{this});
  return {first, last};
}

// One entry per (unit, code or not) per key: a configured spelling beats a
// variant, and the first configured spelling (the name before the aliases) is
// the one shown.
void UnitIndex::AddKey(Building& b, std::string_view key, uint32_t form, bool variant) {
  const size_t hash = Hash{}(key);
  size_t slot = hash & key_mask_;
  for (; key_slots_[slot] != 0; slot = (slot + 1) & key_mask_) {
    Key& have = key_list_[key_slots_[slot] - 1];
    if (std::string_view(key_text_).substr(have.offset, have.length) != key) continue;
    const Form& added = forms_[form];
    for (uint32_t at = have.first + 1; at != 0; at = b.links[at - 1].next) {
      Entry& entry = b.links[at - 1].entry;
      const Form& old = forms_[entry.form];
      if (old.unit != added.unit || IsCode(old.kind) != IsCode(added.kind)) continue;
      if (entry.variant && !variant) entry = {form, variant};
      return;
    }
    const auto link = static_cast<uint32_t>(b.links.size());
    b.links.push_back({{form, variant}, 0});
    b.links[have.count].next = link + 1;
    have.count = link;
    return;
  }
  const auto link = static_cast<uint32_t>(b.links.size());
  b.links.push_back({{form, variant}, 0});
  key_list_.push_back(
      {static_cast<uint32_t>(key_text_.size()), static_cast<uint32_t>(key.size()), link, link});
  key_text_ += key;
  b.hashes.push_back(hash);
  key_slots_[slot] = static_cast<uint32_t>(key_list_.size());
  if (key_list_.size() * 2 > key_slots_.size()) Grow(b);
}

void UnitIndex::Grow(const Building& b) { FillSlots(b.hashes, key_slots_.size() * 2); }

// key_slots_ made anew with `slots` slots, key k (hash hashes[k]) in it.
void UnitIndex::FillSlots(const std::vector<size_t>& hashes, size_t slots) {
  key_slots_.assign(slots, 0);
  key_slots_.shrink_to_fit();
  key_mask_ = slots - 1;
  for (size_t k = 0; k < hashes.size(); ++k) {
    size_t slot = hashes[k] & key_mask_;
    while (key_slots_[slot] != 0) slot = (slot + 1) & key_mask_;
    key_slots_[slot] = static_cast<uint32_t>(k + 1);
  }
}

// Resolves the variants, then packs what is left. Variants are names and
// aliases (never codes). Where a key is a configured name or alias, the
// variants of other units go; where it is only a variant, it stays if it is
// one unit's. Codes stay in any case.
void UnitIndex::Pack(Building& b) {
  std::string text;
  std::vector<Key> keys;
  std::vector<size_t> hashes;
  text.reserve(key_text_.size());
  keys.reserve(key_list_.size());
  hashes.reserve(key_list_.size());
  key_entries_.reserve(b.links.size());
  std::vector<Entry> entries;
  std::vector<uint32_t> varied;
  for (size_t k = 0; k < key_list_.size(); ++k) {
    const Key& key = key_list_[k];
    entries.clear();
    varied.clear();
    bool configured = false;
    for (uint32_t at = key.first + 1; at != 0; at = b.links[at - 1].next) {
      const Entry& e = b.links[at - 1].entry;
      entries.push_back(e);
      if (IsCode(forms_[e.form].kind)) continue;
      if (e.variant) {
        varied.push_back(forms_[e.form].unit);
      } else {
        configured = true;
      }
    }
    std::sort(varied.begin(), varied.end());
    const bool shared = std::unique(varied.begin(), varied.end()) - varied.begin() > 1;
    if (configured || shared) std::erase_if(entries, [](const Entry& e) { return e.variant; });
    if (entries.empty()) continue;
    keys.push_back({static_cast<uint32_t>(text.size()), key.length,
                    static_cast<uint32_t>(key_entries_.size()),
                    static_cast<uint32_t>(entries.size())});
    text.append(key_text_, key.offset, key.length);
    key_entries_.insert(key_entries_.end(), entries.begin(), entries.end());
    hashes.push_back(b.hashes[k]);
  }
  b = Building{};
  key_text_ = std::move(text);
  keys.shrink_to_fit();
  key_list_ = std::move(keys);
  key_text_.shrink_to_fit();
  key_entries_.shrink_to_fit();
  size_t slots = 16;
  while (slots < key_list_.size() * 2) slots *= 2;
  FillSlots(hashes, slots);
}

void UnitIndex::AddPrefixes() {
  // Two passes over the keys, counting the prefixes and then setting their
  // bits, rather than a vector of their hashes: at 100,000 units that vector
  // grew to 32 MB (48 while it grew), the largest part of a matcher build's
  // peak (issue 9).
  auto each_prefix = [this](auto&& f) {
    for (const Key& k : key_list_) {
      const std::string_view key = std::string_view(key_text_).substr(k.offset, k.length);
      size_t words = 1;
      for (size_t pos = key.find(' '); pos != std::string::npos; pos = key.find(' ', pos + 1)) {
        f(key.substr(0, pos));
        ++words;
      }
      max_words_ = std::max(max_words_, words);
    }
  };
  size_t prefixes = 0;
  each_prefix([&](std::string_view) { ++prefixes; });
  // Sixteen bits per prefix: about one run in sixteen that begins no key is
  // taken for one that does.
  size_t bits = 64;
  while (bits < prefixes * 16) bits *= 2;
  prefix_bits_.assign(bits / 64, 0);
  prefix_mask_ = bits - 1;
  each_prefix([&](std::string_view prefix) {
    const size_t h = Hash{}(prefix);
    prefix_bits_[(h & prefix_mask_) / 64] |= uint64_t{1} << (h % 64);
  });
}

const UnitIndex::Key* UnitIndex::FindKey(std::string_view words) const {
  for (size_t slot = Hash{}(words)&key_mask_;; slot = (slot + 1) & key_mask_) {
    const uint32_t at = key_slots_[slot];
    if (at == 0) return nullptr;
    const Key& key = key_list_[at - 1];
    if (std::string_view(key_text_).substr(key.offset, key.length) == words) return &key;
  }
}

bool UnitIndex::MayBePrefix(std::string_view words) const {
  const size_t hash = Hash{}(words);
  const size_t bit = hash & prefix_mask_;
  return (prefix_bits_[bit / 64] >> (bit % 64)) & 1;
}

std::vector<SenderHit> UnitIndex::FindSender(std::string_view raw) const {
  std::vector<SenderHit> hits;
  const std::string address = CleanAddress(raw);
  if (address.empty()) return hits;
  if (const auto rows = Find(emails_, address); !rows.empty()) {
    for (const Row& r : rows) hits.push_back({r.unit, false});
    return hits;
  }
  const size_t at = address.rfind('@');
  const size_t plus = address.find('+');
  if (at == std::string::npos || plus == std::string::npos || plus > at) return hits;
  if (const auto rows = Find(folded_codes_, FoldWords(address.substr(plus + 1, at - plus - 1)));
      !rows.empty()) {
    for (const Row& r : rows) hits.push_back({r.unit, true});
    return hits;
  }
  for (const Row& r : Find(emails_, address.substr(0, plus) + address.substr(at))) {
    hits.push_back({r.unit, false});
  }
  return hits;
}

std::vector<UnitHit> UnitIndex::Scan(std::string_view words, bool with_codes) const {
  std::vector<size_t> starts;
  std::vector<size_t> ends;
  for (size_t pos = 0; pos < words.size();) {
    size_t end = words.find(' ', pos);
    if (end == std::string_view::npos) end = words.size();
    starts.push_back(pos);
    ends.push_back(end);
    pos = end + 1;
  }
  struct Match {
    size_t start;
    size_t end;  // in words, exclusive
    const Key* key;
  };
  std::vector<Match> matches;
  auto usable = [&](const Entry& e) { return with_codes || !IsCode(forms_[e.form].kind); };
  for (size_t i = 0; i < starts.size(); ++i) {
    for (size_t n = 1; n <= max_words_ && i + n <= starts.size(); ++n) {
      const std::string_view run = words.substr(starts[i], ends[i + n - 1] - starts[i]);
      if (const Key* key = FindKey(run)) {
        const auto entries = std::span(key_entries_).subspan(key->first, key->count);
        if (std::any_of(entries.begin(), entries.end(), usable)) {
          matches.push_back({i, i + n, key});
        }
      }
      // A longer run can be a key only if this one begins one.
      if (!MayBePrefix(run)) break;
    }
  }
  // Longest first at each start; a match that ends within an earlier-starting
  // or longer one is inside it.
  std::sort(matches.begin(), matches.end(), [](const Match& a, const Match& b) {
    return a.start != b.start ? a.start < b.start : a.end > b.end;
  });
  std::vector<UnitHit> hits;
  size_t covered_to = 0;
  for (const Match& m : matches) {
    if (m.end <= covered_to) continue;
    covered_to = m.end;
    // Names and aliases first: they say more to a person than the code.
    for (const bool codes : {false, true}) {
      for (const Entry& e : std::span(key_entries_).subspan(m.key->first, m.key->count)) {
        const Form& form = forms_[e.form];
        if (!usable(e) || IsCode(form.kind) != codes) continue;
        const bool seen = std::any_of(hits.begin(), hits.end(),
                                      [&](const UnitHit& h) { return h.unit == form.unit; });
        if (!seen) hits.push_back({form.unit, form.kind, Text(form.text)});
      }
    }
  }
  return hits;
}

int64_t UnitIndex::FindCode(std::string_view code) const {
  const auto rows = Find(codes_sorted_, code);
  return rows.empty() ? -1 : static_cast<int64_t>(rows.front().unit);
}

}  // namespace tacit::match
