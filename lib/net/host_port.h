// The host and port of a server URL, shared by imap.url and smtp.url: one
// place decides what a host may look like, how an IPv6 literal is written and
// what a port is, so the two sources of network configuration agree.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"

namespace tacit::net {

struct HostPort {
  std::string host;                   // without the [] of an IPv6 literal
  std::optional<std::uint16_t> port;  // absent: the scheme's default
};

// Parses "host", "host:port", "[v6addr]" or "[v6addr]:port". The host is a
// DNS name or an IPv4/IPv6 address (letters, digits, '-', '.', '_'; an IPv6
// address only inside [ ]); the port a number from 1 to 65535. Errors are
// kInvalidConfig with a short reason ("no host", "empty port", ...) that the
// caller prefixes with its config key.
Result<HostPort> ParseHostPort(std::string_view authority);

}  // namespace tacit::net
