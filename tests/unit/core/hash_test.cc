#include "core/hash.h"

#include <string>

#include <gtest/gtest.h>

namespace tacit {
namespace {

// The test vectors of FIPS 180-2, appendix B: every content hash (duplicate
// replies, the config's fingerprint) depends on these digests.
TEST(HashTest, Sha256OfTheStandardVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(Sha256Hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Fed in pieces of any size, the incremental hash is the one-shot one.
TEST(HashTest, IncrementalSha256IsTheOneShot) {
  std::string text;
  for (int i = 0; i < 3000; ++i) text += static_cast<char>('a' + i * 7 % 26);
  const std::string whole = Sha256Hex(text);
  for (size_t piece : {1u, 3u, 63u, 64u, 65u, 1000u, 5000u}) {
    Sha256 h;
    for (size_t at = 0; at < text.size(); at += piece)
      h.Update(std::string_view(text).substr(at, piece));
    EXPECT_EQ(h.Hex(), whole) << "pieces of " << piece;
  }
  Sha256 empty;
  EXPECT_EQ(empty.Hex(), Sha256Hex(""));
}

}  // namespace
}  // namespace tacit
