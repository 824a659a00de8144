#include "smtp/protocol.h"

#include <algorithm>

#include <boost/asio/ip/address.hpp>
#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "net/host_port.h"
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
  Result<net::HostPort> hp = net::ParseHostPort(rest);
  if (!hp) return bad(hp.error().message());
  out.host = std::move(hp->host);
  if (hp->port) out.port = *hp->port;
  return out;
}

}  // namespace tacit::smtp
