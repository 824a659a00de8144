// Content hashes for deduplication (SPEC §3: the same reply seen twice is
// recorded once).
#pragma once

#include <string>
#include <string_view>

namespace tacit {

// Lower-case hex SHA-256 of `data`.
std::string Sha256Hex(std::string_view data);

}  // namespace tacit
