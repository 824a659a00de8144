#include "core/hash.h"

#include <array>

// The one-shot SHA-256 functions, not EVP: EVP fetches the digest from
// OpenSSL 3's provider machinery, whose set-up touched 3.3 MB of libcrypto in
// an idle tacitd that hashes only its config at start (issue 9). Same
// assembly underneath, same digests (hash_test).
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

namespace tacit {
namespace {

std::string HexOf(const unsigned char* md, unsigned int len) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(static_cast<size_t>(len) * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(kHex[md[i] >> 4]);
    out.push_back(kHex[md[i] & 0xf]);
  }
  return out;
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> md{};
  SHA256_CTX ctx;
  SHA256_Init(&ctx);
  SHA256_Update(&ctx, data.data(), data.size());
  SHA256_Final(md.data(), &ctx);
  return HexOf(md.data(), SHA256_DIGEST_LENGTH);
}

struct Sha256::Ctx {
  SHA256_CTX sha;
};

Sha256::Sha256() : ctx_(std::make_unique<Ctx>()) { SHA256_Init(&ctx_->sha); }

Sha256::~Sha256() = default;

void Sha256::Update(std::string_view data) { SHA256_Update(&ctx_->sha, data.data(), data.size()); }

std::string Sha256::Hex() {
  std::array<unsigned char, SHA256_DIGEST_LENGTH> md{};
  SHA256_Final(md.data(), &ctx_->sha);
  return HexOf(md.data(), SHA256_DIGEST_LENGTH);
}

}  // namespace tacit
