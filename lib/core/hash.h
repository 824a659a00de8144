// Content hashes for deduplication (SPEC §3: the same reply seen twice is
// recorded once).
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace tacit {

// SHA-256 of data given piece by piece (a fingerprint of something too large
// to join into one string first).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(std::string_view data);
  // Lower-case hex; call once, last.
  std::string Hex();

 private:
  struct Ctx;
  std::unique_ptr<Ctx> ctx_;
};

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

}  // namespace tacit
