// UnitIndex: every way a reply can name a unit, precomputed once per config so
// that finding units in a candidate costs a few hash lookups per word.
//
// - Sender addresses: each configured email (lower case) with its units, in
//   a sorted array; plus-addressing "office+CODE@domain" names unit CODE.
// - Names, aliases and codes: a hash map keyed by FoldWords n-grams (with the
//   abbreviation variants of words.h), which also holds every proper prefix of
//   a key, so a scan over a text's words stops extending an n-gram as soon as
//   no key starts with it. Keys that two units share make a scan report both
//   units (the caller refuses to guess). A variant spelling never shadows a
//   configured spelling of another unit, and a variant that two units share is
//   dropped (the abbreviation tables must not create ambiguity).
//
// Internal to lib/match. Immutable after construction; all methods are const
// and thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "config/packed_units.h"
#include "domain/types.h"

namespace tacit::match {

enum class KeyKind : uint8_t { kCode, kName, kAlias };

// One unit found in a text, with the configured spelling that found it.
struct UnitHit {
  uint32_t unit;
  KeyKind kind;
  std::string_view form;  // the code, name or alias as configured; owned by the index
};

// One unit found from a sender address.
struct SenderHit {
  uint32_t unit;
  bool plus_address;  // found by "+CODE", not by a configured email
};

class UnitIndex {
 public:
  // Reads the units once, in order (unit numbers are their positions).
  explicit UnitIndex(const PackedUnits& units);
  explicit UnitIndex(const std::vector<Unit>& units) : UnitIndex(PackedUnits(units)) {}

  // Units for one sender address (blanks and <> trimmed, compared without
  // case): the units that list it, else the unit whose code is its "+tag",
  // else the units that list it without its "+tag". Each unit at most once.
  std::vector<SenderHit> FindSender(std::string_view address) const;

  // The units named in `words` (FoldWords output), one hit per unit, in order
  // of first appearance. Whole words only; where one match lies within a
  // longer one, only the longer counts ("Phó Chủ tịch UBND phường …" is not
  // also "Chủ tịch UBND phường"). Codes count only when `with_codes`.
  std::vector<UnitHit> Scan(std::string_view words, bool with_codes) const;

  // The unit whose code is `code` (exact), or -1.
  int64_t FindCode(std::string_view code) const;

  std::string_view code(uint32_t unit) const { return Text(codes_[unit]); }
  size_t size() const { return codes_.size(); }

 private:
  struct Hash {
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  // A text in text_.
  struct TextRef {
    uint32_t at;
    uint32_t size;
  };
  // Keys to units, sorted by key (several rows for a key that several units
  // share, in the order added): a sorted array of 12-byte rows instead of an
  // unordered_map node, a std::string and a std::vector per key, and the
  // forms' texts in text_ rather than a std::string each. A matcher for
  // 100,000 units took 116 MB of tacitd's RSS with the maps and strings, 70
  // MB without (issue 9: with the status file written while it was held,
  // tacitd went to 210 MB when a reply came).
  struct Row {
    TextRef key;
    uint32_t unit;
  };
  using Lookup = std::vector<Row>;

  struct Entry {
    uint32_t form;  // index in forms_
    bool variant;   // an abbreviation variant, not the configured spelling
  };
  struct Form {
    uint32_t unit;
    KeyKind kind;
    TextRef text;
  };

  // A key once the index is built: its text in key_text_, its entries in
  // key_entries_.
  struct Key {
    uint32_t offset;
    uint32_t length;
    uint32_t first;  // in key_entries_
    uint32_t count;
  };

  // While building only: the keys in the same packed form, each key's
  // entries as a list (Key::first is its first link, Key::count its last),
  // found through key_slots_. One string and one list node per key instead of
  // an unordered_map node, a std::string and a std::vector: the map's
  // allocations and hashing were most of building the index, and so of
  // tacitd's start-up at 100,000 units (issue 9).
  struct Link {
    Entry entry;
    uint32_t next;  // index in links + 1; 0 ends the list
  };
  struct Building {
    std::vector<Link> links;
    std::vector<size_t> hashes;  // of each key, to grow key_slots_ and to pack
  };

  void AddKey(Building& b, std::string_view key, uint32_t form, bool variant);
  void Grow(const Building& b);
  void FillSlots(const std::vector<size_t>& hashes, size_t slots);
  void Pack(Building& b);
  void AddPrefixes();
  bool MayBePrefix(std::string_view words) const;
  const Key* FindKey(std::string_view words) const;

  std::string_view Text(TextRef r) const { return std::string_view(text_).substr(r.at, r.size); }
  TextRef AddText(std::string_view s);
  // Sorts the rows by key; a unit's rows for one key after the first go.
  void Sort(Lookup& lookup) const;
  // The rows whose key is `key`.
  std::span<const Row> Find(const Lookup& lookup, std::string_view key) const;

  std::string text_;  // codes, forms, folded codes and addresses end to end
  std::vector<TextRef> codes_;
  std::vector<Form> forms_;
  Lookup codes_sorted_;  // exact code
  Lookup folded_codes_;  // FoldWords(code) -> units, for "+tag"
  Lookup emails_;        // lower-case address -> units
  // The keys' texts end to end, their entries in one array, and an open
  // addressing table of Key indices (+1; 0 is empty). A node of an
  // unordered_map with its string and entry vector took about 180 bytes a
  // key, most of an idle tacitd's heap at 10,000 units (issue 9); packed,
  // about 60.
  std::string key_text_;
  std::vector<Key> key_list_;
  std::vector<Entry> key_entries_;
  std::vector<uint32_t> key_slots_;
  size_t key_mask_ = 0;
  // Every key's leading words short of the whole key ("ủy ban" of "ủy ban
  // nhân dân phường"), as a one-hash Bloom filter: Scan goes on to a longer run
  // of words only while the run so far may begin some key. The strings
  // themselves took 8.6 MB of a 10,000-unit index (issue 9: an idle tacitd is
  // mostly its matcher); the filter takes two bytes a prefix. A false "may"
  // costs one more lookup in keys_, never a wrong hit: hits are found there.
  std::vector<uint64_t> prefix_bits_;
  size_t prefix_mask_ = 0;
  size_t max_words_ = 0;
};

}  // namespace tacit::match
