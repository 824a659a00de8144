#include "smtp/protocol.h"

#include <algorithm>

#include <boost/asio/ip/address.hpp>
#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "smtp/smtp_client.h"

namespace tacit::smtp {

namespace internal {

std::string Base64(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

void Wipe(std::string& s) {
  if (!s.empty()) OPENSSL_cleanse(s.data(), s.size());
  s.clear();
}

// One line, printable, bounded: server text goes into logs and the outbox.
std::string Clean(std::string_view text, std::size_t max) {
  std::string out;
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (out.size() > max) {
    std::size_t cut = max;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    out += "...";
  }
  return out;
}

namespace {}  // namespace

bool ValidHeloName(std::string_view name) {
  return !name.empty() && name.size() <= 255 && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.';
  });
}

// The message as DATA wants it: CRLF line ends, leading dots doubled, ending in
// CRLF "." CRLF.
std::string DataBody(std::string_view data) {
  std::string out;
  out.reserve(data.size() + data.size() / 50 + 8);
  bool line_start = true;
  for (std::size_t i = 0; i < data.size(); ++i) {
    const char c = data[i];
    if (c == '\r' || c == '\n') {
      if (c == '\r' && i + 1 < data.size() && data[i + 1] == '\n') ++i;
      out += "\r\n";
      line_start = true;
      continue;
    }
    if (line_start && c == '.') out.push_back('.');
    out.push_back(c);
    line_start = false;
  }
  if (!line_start) out += "\r\n";
  out += ".\r\n";
  return out;
}

}  // namespace internal

Result<SmtpUrl> ParseSmtpUrl(std::string_view url) {
  auto bad = [&](std::string_view why) {
    // A url with user info may hold a password: not repeated then.
    const bool secret = url.find('@') != std::string_view::npos;
    return Status::InvalidConfig(
        fmt::format("smtp.url: {}: {}", secret ? "(not shown)" : internal::Clean(url, 200), why));
  };
  SmtpUrl out;
  std::string_view rest;
  if (url.substr(0, 8) == "smtps://") {
    out.implicit_tls = true;
    out.port = 465;
    rest = url.substr(8);
  } else if (url.substr(0, 7) == "smtp://") {
    out.implicit_tls = false;
    out.port = 587;
    rest = url.substr(7);
  } else {
    return bad("must start with smtps:// (TLS) or smtp:// (STARTTLS)");
  }
  if (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  if (rest.find('@') != std::string_view::npos) {
    return bad("put the user name in smtp.username, not in the url");
  }
  if (rest.find_first_of("/?#;") != std::string_view::npos) {
    return bad("only a host and a port are allowed after the scheme");
  }
  std::string_view host = rest, port;
  if (!rest.empty() && rest.front() == '[') {
    std::size_t close = rest.find(']');
    if (close == std::string_view::npos) return bad("unclosed [ in the host");
    host = rest.substr(1, close - 1);
    if (close + 1 < rest.size()) {
      if (rest[close + 1] != ':') return bad("text after the host");
      port = rest.substr(close + 2);
      if (port.empty()) return bad("empty port");
    }
    boost::system::error_code ec;
    boost::asio::ip::make_address_v6(std::string(host), ec);
    if (ec) return bad("[...] must hold an IPv6 address");
  } else if (std::size_t colon = rest.rfind(':'); colon != std::string_view::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
    if (port.empty()) return bad("empty port");
    if (host.find(':') != std::string_view::npos) return bad("put an IPv6 address in [ ]");
  }
  if (host.empty()) return bad("no host");
  if (!std::all_of(host.begin(), host.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '.' || c == ':' || c == '_';
      })) {
    return bad("the host has characters a host name cannot have");
  }
  if (!port.empty()) {
    if (port.size() > 5 ||
        !std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return bad("the port is not a number from 1 to 65535");
    }
    const int n = std::stoi(std::string(port));
    if (n < 1 || n > 65535) return bad("the port is not a number from 1 to 65535");
    out.port = static_cast<std::uint16_t>(n);
  }
  out.host = std::string(host);
  return out;
}

}  // namespace tacit::smtp
