// TLS for tacit's clients (IMAP, SMTP): one definition of "verified".
#pragma once

#include <string>
#include <string_view>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>

#include "core/status.h"

namespace tacit::net {

// TLS 1.2 or newer, peer verification on, trusting `ca_file` (a private CA,
// e.g. the office's own mail server) or else the system CAs. There is no
// setting that turns verification off. `key` names the config key in the
// error ("imap.ca_file").
Status ConfigureTlsClient(boost::asio::ssl::context& context, const std::string& ca_file,
                          std::string_view key);

// Before the handshake: SNI for a host name (not for an address literal), and
// the certificate must name `host` (RFC 6125: a DNS name, or the IP address
// for a literal), checked by OpenSSL during the handshake.
void ExpectPeer(boost::asio::ssl::stream<boost::asio::ip::tcp::socket>& stream,
                const std::string& host);

}  // namespace tacit::net
