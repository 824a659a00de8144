// SMTP submission client (issue 6, spec §4 and §7 [smtp]): one message per session,
// over TLS from the first byte (smtps://) or STARTTLS (smtp://), certificates
// verified against the system CAs or a private ca_file, AUTH PLAIN or LOGIN.
//
// Send() never throws and never logs; it reports what happened in a SendResult whose
// `message` is safe to log and store (never the password, never message contents).
//
// How outcomes are decided:
// - kSent: the server said 2xx to the end of DATA. Recipients refused with 5xx at
//   RCPT are listed in `rejected` (the message went to the others).
// - kTransient: try the whole message again later. Network errors, timeouts, the
//   server closing the connection, TLS failures (a certificate that does not verify
//   says "certificate verify failed" in `message`), any 4xx (including 421 at any
//   point and a 4xx to one RCPT), and problems with the configuration or the server's
//   capabilities that an administrator must fix: a bad url or ca_file, a server that
//   offers no STARTTLS while credentials are set (they are never sent in the clear;
//   `message` says "server offers no STARTTLS"), or no AUTH PLAIN/LOGIN. These are
//   transient on purpose: they say nothing about the recipients, so the caller must
//   not mark addresses failed because of them.
// - kPermanent: the server refused with 5xx: the credentials (535 and other 5xx to
//   AUTH), the sender (MAIL FROM), every recipient (`rejected` lists them all), the
//   message (DATA); or the envelope is unusable (bad sender address, no valid
//   recipient). When `rejected` is empty the refusal is not about particular
//   recipients.
// A recipient address that is not a plain ASCII address is not sent to the server: it
// is listed in `rejected` with code 0.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>  // Boost 1.74's awaitable.hpp uses std::exchange without it
#include <vector>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>

#include "core/status.h"

namespace tacit::smtp {

struct SmtpUrl {
  bool implicit_tls = true;  // smtps://
  std::string host;          // without [] for IPv6 literals
  std::uint16_t port = 465;
};

// "smtps://host[:port]" (default port 465) or "smtp://host[:port]" (STARTTLS, default
// 587); a trailing "/" is allowed. Anything else (user info, paths, parameters, other
// schemes) is kInvalidConfig with a message that starts with "smtp.url: ".
Result<SmtpUrl> ParseSmtpUrl(std::string_view url);

struct ClientOptions {
  std::string url;
  std::string username;              // empty: no AUTH
  std::string password;              // never logged
  std::string ca_file;               // empty: system CAs
  std::string helo_name;             // empty: gethostname()
  std::chrono::seconds timeout{60};  // per step: connect, handshake, each read or write
};

// Bare addresses ("vhxh@example.vn"), no display names or angle brackets.
struct Envelope {
  std::string from;
  std::vector<std::string> to;
};

enum class Outcome { kSent, kTransient, kPermanent };

struct RecipientResult {
  std::string address;
  int code = 0;
  std::string text;
};

struct SendResult {
  Outcome outcome = Outcome::kTransient;
  int code = 0;         // the deciding SMTP reply code; 0 for network/TLS/timeout errors
  std::string message;  // one line, for logs and the outbox's last_error; no secrets
  std::vector<std::string> accepted;      // RCPT accepted (2xx)
  std::vector<RecipientResult> rejected;  // RCPT refused with 5xx: permanent for that address
  // For kPermanent: true when the server refused this message's recipients (RCPT)
  // or the message itself (DATA, end of data); false when it refused our session,
  // account or sender (greeting, EHLO, STARTTLS, AUTH, MAIL FROM), which says
  // nothing about the recipients and needs the office to fix the config.
  bool message_refused = false;
};

std::string_view OutcomeName(Outcome outcome);

// One SMTP session: connect, EHLO (HELO if EHLO is refused), STARTTLS for smtp:// when
// offered (required when a username is set), AUTH PLAIN (else LOGIN) when a username
// is set, MAIL FROM, RCPT TO each recipient, DATA, QUIT.
// `data` is the whole message (headers and body, 7-bit); line ends are normalised to
// CRLF (bare LF and bare CR become CRLF), lines starting with "." are dot-stuffed, and
// a final CRLF is added when missing.
// `options` is taken by reference: it must outlive the returned awaitable (true when
// the caller co_awaits it directly; use AsyncSend otherwise).
boost::asio::awaitable<SendResult> Send(const ClientOptions& options, Envelope envelope,
                                        std::string data);

// For callers not in a coroutine: runs Send on `io` (owning the arguments) and calls
// `done` on the io thread with the result. `done` is always called exactly once, unless
// `io` is stopped or destroyed first.
void AsyncSend(boost::asio::io_context& io, ClientOptions options, Envelope envelope,
               std::string data, std::function<void(SendResult)> done);

}  // namespace tacit::smtp
