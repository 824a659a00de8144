// PackedUnits keeps tacitd's units between matcher builds (issue 9): what it
// gives back must be exactly what was packed, or the matcher built from it
// would match replies against units that are not the config's.
#include "config/packed_units.h"

#include <gtest/gtest.h>

namespace tacit {
namespace {

Unit MakeUnit(std::string code, std::string name, std::string group,
              std::vector<std::string> emails, std::vector<std::string> aliases) {
  Unit u;
  u.code = std::move(code);
  u.name = std::move(name);
  u.group = std::move(group);
  u.emails = std::move(emails);
  u.aliases = std::move(aliases);
  return u;
}

// Every unit Each gives, in order.
std::vector<Unit> Unpack(const PackedUnits& packed) {
  std::vector<Unit> units;
  packed.Each([&units](const Unit& u) { units.push_back(u); });
  return units;
}

void ExpectSame(const std::vector<Unit>& got, const std::vector<Unit>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    SCOPED_TRACE(want[i].code);
    EXPECT_EQ(got[i].code, want[i].code);
    EXPECT_EQ(got[i].name, want[i].name);
    EXPECT_EQ(got[i].group, want[i].group);
    EXPECT_EQ(got[i].emails, want[i].emails);
    EXPECT_EQ(got[i].aliases, want[i].aliases);
  }
}

TEST(PackedUnitsTest, UnpacksEveryFieldOfEveryUnitInOrder) {
  const std::vector<Unit> units = {
      MakeUnit("ubnd", "Ủy ban nhân dân phường Hưng Đạo", "Lãnh đạo", {"ubnd@example.vn"},
               {"UBND phường", "UBND"}),
      MakeUnit("tdp-01", "Tổ dân phố số 1", "Tổ dân phố", {"a@example.vn", "b@example.vn"}, {}),
      MakeUnit("tdp-02", "Tổ dân phố số 2", "Tổ dân phố", {}, {"TDP 2"}),
      // Empty texts, and a text longer than 127 bytes (a length of two bytes).
      MakeUnit("x", "", "Lãnh đạo", {""}, {std::string(300, 'a'), std::string(128, 'b')}),
  };
  PackedUnits packed(units);
  EXPECT_EQ(packed.size(), 4u);
  ExpectSame(Unpack(packed), units);
  // Unpacking leaves the packed units as they were.
  ExpectSame(Unpack(packed), units);
}

TEST(PackedUnitsTest, NoUnits) {
  PackedUnits packed(std::vector<Unit>{});
  EXPECT_EQ(packed.size(), 0u);
  EXPECT_TRUE(Unpack(packed).empty());
  EXPECT_TRUE(Unpack(PackedUnits()).empty());
}

TEST(PackedUnitsTest, TenThousandUnitsTakeAThirdOfTheirStructs) {
  std::vector<Unit> units;
  size_t as_structs = 0;
  for (int i = 0; i < 10000; ++i) {
    units.push_back(MakeUnit("hungdao-hc-tdp-" + std::to_string(i),
                             "Tổ dân phố số " + std::to_string(i) + " phường Hưng Đạo",
                             "Tổ dân phố – phường Hưng Đạo (Hải Châu)",
                             {"tdp" + std::to_string(i) + ".hungdao@example.vn"}, {}));
    const Unit& u = units.back();
    as_structs += sizeof(Unit) + u.code.capacity() + u.name.capacity() + u.group.capacity() +
                  sizeof(std::string) + u.emails.front().capacity();
  }
  PackedUnits packed(units);
  ExpectSame(Unpack(packed), units);
  EXPECT_LT(packed.bytes() * 3, as_structs) << packed.bytes() << " bytes packed";
}

}  // namespace
}  // namespace tacit
