#include "net/host_port.h"

#include <algorithm>

#include <boost/asio/ip/address.hpp>

namespace tacit::net {

Result<HostPort> ParseHostPort(std::string_view authority) {
  auto bad = [](std::string_view why) { return Status::InvalidConfig(std::string(why)); };
  std::string_view host = authority, port;
  bool has_port = false;
  if (!authority.empty() && authority.front() == '[') {
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("unclosed [ in the host");
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size()) {
      if (authority[close + 1] != ':') return bad("text after the host");
      port = authority.substr(close + 2);
      has_port = true;
    }
    boost::system::error_code ec;
    boost::asio::ip::make_address_v6(std::string(host), ec);
    if (ec) return bad("[...] must hold an IPv6 address");
  } else if (const std::size_t colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
    has_port = true;
    if (host.find(':') != std::string_view::npos) return bad("put an IPv6 address in [ ]");
  }
  if (host.empty()) return bad("no host");
  if (!std::all_of(host.begin(), host.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '.' || c == ':' || c == '_';
      })) {
    return bad("the host has characters a host name cannot have");
  }
  HostPort out;
  out.host = std::string(host);
  if (has_port) {
    if (port.empty()) return bad("empty port");
    if (port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return bad("the port is not a number from 1 to 65535");
    }
    const int n = std::stoi(std::string(port));
    if (n < 1 || n > 65535) return bad("the port is not a number from 1 to 65535");
    out.port = static_cast<std::uint16_t>(n);
  }
  return out;
}

}  // namespace tacit::net
