#include "net/tls.h"

#include <fmt/format.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

namespace tacit::net {

namespace ssl = boost::asio::ssl;

Status ConfigureTlsClient(ssl::context& context, const std::string& ca_file, std::string_view key) {
  boost::system::error_code ec;
  context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                          ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                          ssl::context::no_tlsv1_1,
                      ec);
  if (!ec) {
    if (ca_file.empty()) {
      context.set_default_verify_paths(ec);
    } else {
      context.load_verify_file(ca_file, ec);
    }
  }
  if (ec) {
    return Status::InvalidConfig(
        fmt::format("{}: {}: {}", key, ca_file.empty() ? "system CAs" : ca_file, ec.message()));
  }
  context.set_verify_mode(ssl::verify_peer);
  return Status::Ok();
}

void ExpectPeer(ssl::stream<boost::asio::ip::tcp::socket>& stream, const std::string& host) {
  SSL* handle = stream.native_handle();
  boost::system::error_code not_an_address;
  boost::asio::ip::make_address(host, not_an_address);
  if (not_an_address) {
    SSL_set_tlsext_host_name(handle, host.c_str());
    SSL_set1_host(handle, host.c_str());
  } else {
    X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(handle), host.c_str());
  }
  stream.set_verify_mode(ssl::verify_peer);
}

}  // namespace tacit::net
