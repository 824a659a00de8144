#include "smtp/smtp_client.h"

// GCC 12 misreads Asio's recycling allocator for coroutine frames (operator new
// and delete of awaitable_frame_base) as mismatched; a known false positive.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

#include <algorithm>
#include <exception>
#include <memory>
#include <optional>
#include <set>
#include <utility>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <fmt/format.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <unistd.h>

#include "core/address.h"
#include "net/tls.h"
#include "smtp/protocol.h"

namespace tacit::smtp {
namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using boost::system::error_code;
using internal::Base64;
using internal::Clean;
using internal::DataBody;
using internal::ValidHeloName;
using internal::Wipe;

namespace {

constexpr std::size_t kMaxReplyLine = 4096;
constexpr std::size_t kMaxReplyLines = 200;
constexpr std::chrono::seconds kGoodbyeTimeout{3};  // QUIT and the TLS close

struct Reply {
  int code = 0;
  std::vector<std::string> lines;  // the text after "NNN-" / "NNN "

  int Class() const { return code / 100; }
  std::string Text() const {
    std::string joined = std::to_string(code);
    for (const std::string& l : lines) joined += " " + l;
    return Clean(joined);
  }
};

SendResult Make(Outcome outcome, int code, std::string message) {
  SendResult r;
  r.outcome = outcome;
  r.code = code;
  r.message = std::move(message);
  return r;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(const asio::any_io_executor& ex, const ClientOptions& options)
      : options_(options),
        ssl_context_(ssl::context::tls_client),
        executor_(ex),
        resolver_(ex),
        watchdog_(ex) {}

  awaitable<SendResult> Run(Envelope envelope, std::string data);

 private:
  awaitable<SendResult> Transaction(const Envelope& envelope, const std::string& data);
  std::optional<SendResult> SetUpTls();
  awaitable<std::optional<SendResult>> Connect();
  awaitable<std::optional<SendResult>> Handshake();
  awaitable<std::optional<SendResult>> Hello();
  awaitable<std::optional<SendResult>> StartTls();
  awaitable<std::optional<SendResult>> Authenticate();
  awaitable<void> Goodbye();

  awaitable<Result<Reply>> ReadReply();
  awaitable<Status> Write(std::string_view data);
  awaitable<Result<Reply>> Command(std::string line);
  // A SendResult for a reply that is not what the step wanted.
  SendResult Refused(std::string_view step, const Reply& reply);
  SendResult Broken(std::string_view step, const Status& st) {
    return Make(Outcome::kTransient, 0, fmt::format("{}: {}", step, st.message()));
  }

  void Arm(std::chrono::steady_clock::duration timeout);
  void Disarm();
  void CloseSocket();
  std::string Server() const { return fmt::format("{}:{}", url_.host, url_.port); }

  const ClientOptions& options_;
  SmtpUrl url_;
  ssl::context ssl_context_;
  asio::any_io_executor executor_;
  tcp::resolver resolver_;
  std::unique_ptr<ssl::stream<tcp::socket>> stream_;  // made once ssl_context_ is set up
  asio::steady_timer watchdog_;
  std::chrono::steady_clock::duration step_timeout_{};
  unsigned generation_ = 0;  // a watchdog handler for an older step does nothing
  bool timed_out_ = false;
  bool tls_ = false;     // reads and writes go through TLS
  bool usable_ = false;  // connected, and the server still listens (no 421, no I/O error)
  std::string buffer_;   // received, not yet parsed
  bool extended_ = false;
  std::set<std::string> capabilities_;  // EHLO keywords, upper case
  std::set<std::string> auth_mechanisms_;
};

void Session::Arm(std::chrono::steady_clock::duration timeout) {
  timed_out_ = false;
  const unsigned gen = ++generation_;
  watchdog_.expires_after(timeout);
  watchdog_.async_wait([self = shared_from_this(), gen](const error_code& ec) {
    if (ec || gen != self->generation_) return;
    self->timed_out_ = true;
    self->CloseSocket();  // the pending operation fails
  });
}

void Session::Disarm() {
  ++generation_;
  watchdog_.cancel();
}

void Session::CloseSocket() {
  error_code ignored;
  resolver_.cancel();
  usable_ = false;
  if (!stream_) return;
  stream_->lowest_layer().shutdown(tcp::socket::shutdown_both, ignored);
  stream_->lowest_layer().close(ignored);
}

awaitable<Status> Session::Write(std::string_view data) {
  error_code ec;
  Arm(step_timeout_);
  if (tls_) {
    co_await asio::async_write(*stream_, asio::buffer(data),
                               asio::redirect_error(use_awaitable, ec));
  } else {
    co_await asio::async_write(stream_->next_layer(), asio::buffer(data),
                               asio::redirect_error(use_awaitable, ec));
  }
  Disarm();
  if (ec) {
    usable_ = false;
    co_return Status::Transient(timed_out_ ? std::string("timed out sending to the server")
                                           : fmt::format("write: {}", ec.message()));
  }
  co_return Status::Ok();
}

awaitable<Result<Reply>> Session::ReadReply() {
  Reply reply;
  for (;;) {
    std::size_t end = buffer_.find('\n');
    if (end == std::string::npos) {
      if (buffer_.size() > kMaxReplyLine) {
        usable_ = false;
        co_return Status::Transient("the server sent a line too long for SMTP");
      }
      error_code ec;
      auto buf = asio::dynamic_buffer(buffer_, kMaxReplyLine + 1);
      Arm(step_timeout_);
      if (tls_) {
        co_await asio::async_read_until(*stream_, buf, '\n',
                                        asio::redirect_error(use_awaitable, ec));
      } else {
        co_await asio::async_read_until(stream_->next_layer(), buf, '\n',
                                        asio::redirect_error(use_awaitable, ec));
      }
      Disarm();
      if (ec == asio::error::not_found) continue;  // too long: said above
      if (ec) {
        usable_ = false;
        if (timed_out_) co_return Status::Transient("no answer from the server (timed out)");
        if (ec == asio::error::eof || ec == ssl::error::stream_truncated ||
            ec == asio::error::connection_reset) {
          co_return Status::Transient("the server closed the connection");
        }
        co_return Status::Transient(fmt::format("read: {}", ec.message()));
      }
      continue;
    }
    std::string line = buffer_.substr(0, end);
    buffer_.erase(0, end + 1);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const bool digits = line.size() >= 3 && std::all_of(line.begin(), line.begin() + 3, [](char c) {
                          return c >= '0' && c <= '9';
                        });
    if (!digits || (line.size() > 3 && line[3] != ' ' && line[3] != '-')) {
      usable_ = false;
      co_return Status::Transient(fmt::format("not an SMTP reply: \"{}\"", Clean(line, 80)));
    }
    const int code = std::stoi(line.substr(0, 3));
    if (reply.code != 0 && code != reply.code) {
      usable_ = false;
      co_return Status::Transient("a multi-line reply changed its code");
    }
    reply.code = code;
    if (reply.lines.size() < kMaxReplyLines)
      reply.lines.push_back(line.size() > 4 ? line.substr(4) : "");
    if (line.size() == 3 || line[3] == ' ') {
      if (code == 421) usable_ = false;  // the server is closing the connection
      co_return reply;
    }
  }
}

awaitable<Result<Reply>> Session::Command(std::string line) {
  line += "\r\n";
  Status st = co_await Write(line);
  Wipe(line);  // may hold credentials
  if (!st.ok()) co_return st;
  co_return co_await ReadReply();
}

SendResult Session::Refused(std::string_view step, const Reply& reply) {
  Outcome outcome = Outcome::kTransient;
  if (reply.Class() == 5) outcome = Outcome::kPermanent;
  std::string what = reply.Class() == 4 || reply.Class() == 5 ? "" : "unexpected reply ";
  return Make(outcome, reply.code, fmt::format("{}: {}{}", step, what, reply.Text()));
}

// --- session steps -------------------------------------------------------------------

std::optional<SendResult> Session::SetUpTls() {
  if (Status st = net::ConfigureTlsClient(ssl_context_, options_.ca_file, "smtp.ca_file");
      !st.ok()) {
    return Make(Outcome::kTransient, 0, st.message());
  }
  stream_ = std::make_unique<ssl::stream<tcp::socket>>(executor_, ssl_context_);
  return std::nullopt;
}

awaitable<std::optional<SendResult>> Session::Connect() {
  error_code ec;
  Arm(step_timeout_);
  auto endpoints = co_await resolver_.async_resolve(url_.host, std::to_string(url_.port),
                                                    asio::redirect_error(use_awaitable, ec));
  if (!ec) {
    co_await asio::async_connect(stream_->lowest_layer(), endpoints,
                                 asio::redirect_error(use_awaitable, ec));
  }
  Disarm();
  if (ec) {
    co_return Make(Outcome::kTransient, 0,
                   timed_out_ ? fmt::format("connect to {}: timed out", Server())
                              : fmt::format("connect to {}: {}", Server(), ec.message()));
  }
  usable_ = true;
  co_return std::nullopt;
}

awaitable<std::optional<SendResult>> Session::Handshake() {
  // SNI for names (not for address literals); the certificate must chain to ca_file
  // or a system CA and name the host (a DNS name, or an IP address for a literal).
  net::ExpectPeer(*stream_, url_.host);
  error_code ec;
  Arm(step_timeout_);
  co_await stream_->async_handshake(ssl::stream_base::client,
                                    asio::redirect_error(use_awaitable, ec));
  Disarm();
  if (!ec) {
    tls_ = true;
    co_return std::nullopt;
  }
  usable_ = false;
  const long verify = SSL_get_verify_result(stream_->native_handle());
  if (verify != X509_V_OK) {
    co_return Make(Outcome::kTransient, 0,
                   fmt::format("TLS with {}: certificate verify failed: {}", Server(),
                               X509_verify_cert_error_string(verify)));
  }
  co_return Make(Outcome::kTransient, 0,
                 timed_out_
                     ? fmt::format("TLS with {}: handshake timed out", Server())
                     : fmt::format("TLS with {}: handshake failed: {}", Server(), ec.message()));
}

awaitable<std::optional<SendResult>> Session::Hello() {
  std::string name = options_.helo_name;
  if (name.empty()) {
    char host[256] = {};
    if (::gethostname(host, sizeof host - 1) == 0) name = host;
  }
  if (!ValidHeloName(name)) {
    error_code ec;
    auto local = stream_->lowest_layer().local_endpoint(ec).address();
    name =
        ec ? "localhost"
           : (local.is_v6() ? "[IPv6:" + local.to_string() + "]" : "[" + local.to_string() + "]");
  }
  capabilities_.clear();
  auth_mechanisms_.clear();
  Result<Reply> r = co_await Command("EHLO " + name);
  if (!r) co_return Broken("EHLO", r.error());
  if (r->Class() == 5 && r->code != 554) {  // no ESMTP: plain HELO, no extensions
    r = co_await Command("HELO " + name);
    if (!r) co_return Broken("HELO", r.error());
    if (r->Class() != 2) co_return Refused("HELO", *r);
    extended_ = false;
    co_return std::nullopt;
  }
  if (r->Class() != 2) co_return Refused("EHLO", *r);
  extended_ = true;
  for (std::size_t i = 1; i < r->lines.size(); ++i) {
    std::string line = r->lines[i];
    std::transform(line.begin(), line.end(), line.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    std::replace(line.begin(), line.end(), '=', ' ');  // old "AUTH=LOGIN" style
    std::size_t sp = line.find(' ');
    std::string keyword = line.substr(0, sp);
    capabilities_.insert(keyword);
    if (keyword == "AUTH") {
      while (sp != std::string::npos) {
        std::size_t next = line.find(' ', sp + 1);
        std::string mech = line.substr(sp + 1, next == std::string::npos ? next : next - sp - 1);
        if (!mech.empty()) auth_mechanisms_.insert(mech);
        sp = next;
      }
    }
  }
  co_return std::nullopt;
}

awaitable<std::optional<SendResult>> Session::StartTls() {
  Result<Reply> r = co_await Command("STARTTLS");
  if (!r) co_return Broken("STARTTLS", r.error());
  if (r->code != 220) co_return Refused("STARTTLS", *r);
  // Anything the server sent before the handshake would be read as if it came
  // through TLS: an injection attempt (CVE-2011-0411 style).
  if (!buffer_.empty()) {
    usable_ = false;
    co_return Make(Outcome::kTransient, 0, "STARTTLS: data before the TLS handshake");
  }
  if (auto failed = co_await Handshake()) co_return failed;
  co_return co_await Hello();  // what was said in the clear does not count
}

awaitable<std::optional<SendResult>> Session::Authenticate() {
  auto outcome = [&](const Result<Reply>& r) -> std::optional<SendResult> {
    if (!r) return Broken("AUTH", r.error());
    if (r->code == 235) return std::nullopt;
    if (r->Class() == 5) {
      return Make(Outcome::kPermanent, r->code,
                  fmt::format("authentication as {} refused: {}", options_.username, r->Text()));
    }
    return Refused("AUTH", *r);
  };
  if (auth_mechanisms_.count("PLAIN")) {
    std::string plain;
    plain.push_back('\0');
    plain += options_.username;
    plain.push_back('\0');
    plain += options_.password;
    std::string b64 = Base64(plain);
    Wipe(plain);
    Result<Reply> r = co_await Command("AUTH PLAIN " + b64);
    if (r && r->code == 334) r = co_await Command(b64);  // wanted it after an empty challenge
    Wipe(b64);
    co_return outcome(r);
  }
  if (auth_mechanisms_.count("LOGIN")) {
    Result<Reply> r = co_await Command("AUTH LOGIN");
    if (r && r->code == 334) r = co_await Command(Base64(options_.username));
    if (r && r->code == 334) {
      std::string b64 = Base64(options_.password);
      r = co_await Command(b64);
      Wipe(b64);
    }
    co_return outcome(r);
  }
  co_return Make(Outcome::kTransient, 0,
                 fmt::format("{} offers neither AUTH PLAIN nor AUTH LOGIN{}", Server(),
                             auth_mechanisms_.empty() ? " (no AUTH at all)" : ""));
}

awaitable<SendResult> Session::Transaction(const Envelope& envelope, const std::string& data) {
  if (!IsMailAddress(envelope.from)) {
    co_return Make(Outcome::kPermanent, 0,
                   fmt::format("invalid sender address \"{}\"", Clean(envelope.from, 80)));
  }
  SendResult result;
  std::vector<std::string> valid;
  for (const std::string& to : envelope.to) {
    if (IsMailAddress(to)) {
      valid.push_back(to);
    } else {
      result.rejected.push_back({to, 0, "not a valid address"});
    }
  }
  if (valid.empty()) {
    SendResult r = Make(Outcome::kPermanent, 0, "no valid recipient address");
    r.rejected = std::move(result.rejected);
    r.message_refused = true;
    co_return r;
  }
  if (auto failed = SetUpTls()) co_return *failed;
  if (auto failed = co_await Connect()) co_return *failed;
  if (url_.implicit_tls) {
    if (auto failed = co_await Handshake()) co_return *failed;
  }
  Result<Reply> greeting = co_await ReadReply();
  if (!greeting) co_return Broken("greeting", greeting.error());
  if (greeting->code != 220) co_return Refused("greeting", *greeting);
  if (auto failed = co_await Hello()) co_return *failed;

  const bool credentials = !options_.username.empty();
  if (!url_.implicit_tls) {
    if (capabilities_.count("STARTTLS")) {
      if (auto failed = co_await StartTls()) co_return *failed;
    } else if (credentials) {
      co_return Make(Outcome::kTransient, 0,
                     fmt::format("{} offers no STARTTLS: the password is never sent without "
                                 "TLS (use smtps:// or enable STARTTLS on the server)",
                                 Server()));
    }
  }
  if (credentials) {
    if (auto failed = co_await Authenticate()) co_return *failed;
  }

  Result<Reply> r = co_await Command(fmt::format("MAIL FROM:<{}>", envelope.from));
  if (!r) co_return Broken("MAIL FROM", r.error());
  if (r->Class() != 2) co_return Refused("MAIL FROM", *r);
  for (const std::string& to : valid) {
    r = co_await Command(fmt::format("RCPT TO:<{}>", to));
    if (!r) co_return Broken("RCPT TO", r.error());
    if (r->Class() == 2) {
      result.accepted.push_back(to);
    } else if (r->Class() == 5) {
      result.rejected.push_back({to, r->code, r->Text()});
    } else {  // 4xx (or nonsense): the whole message again later
      co_return Refused(fmt::format("RCPT TO <{}>", to), *r);
    }
  }
  if (result.accepted.empty()) {
    const RecipientResult& first = result.rejected.front();
    result.outcome = Outcome::kPermanent;
    result.message_refused = true;
    result.code = first.code;
    result.message = result.rejected.size() == 1
                         ? fmt::format("recipient refused: {}", first.text)
                         : fmt::format("all {} recipients refused; first: {}",
                                       result.rejected.size(), first.text);
    co_return result;
  }
  r = co_await Command("DATA");
  if (!r) co_return Broken("DATA", r.error());
  if (r->code != 354) {
    SendResult refused = Refused("DATA", *r);
    refused.message_refused = true;
    co_return refused;
  }
  if (Status st = co_await Write(DataBody(data)); !st.ok()) co_return Broken("message", st);
  r = co_await ReadReply();
  if (!r) co_return Broken("end of message", r.error());
  if (r->Class() != 2) {
    SendResult refused = Refused("end of message", *r);
    refused.message_refused = true;
    refused.rejected = std::move(result.rejected);  // still true of those addresses
    co_return refused;
  }
  result.outcome = Outcome::kSent;
  result.code = r->code;
  result.message = fmt::format("sent to {} of {} recipients via {}: {}", result.accepted.size(),
                               envelope.to.size(), Server(), r->Text());
  co_return result;
}

awaitable<void> Session::Goodbye() {
  step_timeout_ = std::min<std::chrono::steady_clock::duration>(step_timeout_, kGoodbyeTimeout);
  if (usable_) {
    Result<Reply> ignored = co_await Command("QUIT");
    (void)ignored;
  }
  if (tls_ && stream_ && stream_->lowest_layer().is_open()) {
    // Sends close_notify and waits for the server's, or for the watchdog.
    error_code ec;
    Arm(step_timeout_);
    co_await stream_->async_shutdown(asio::redirect_error(use_awaitable, ec));
    Disarm();
  }
  CloseSocket();
}

awaitable<SendResult> Session::Run(Envelope envelope, std::string data) {
  step_timeout_ =
      std::max<std::chrono::steady_clock::duration>(options_.timeout, std::chrono::seconds(1));
  Result<SmtpUrl> url = ParseSmtpUrl(options_.url);
  if (!url) co_return Make(Outcome::kTransient, 0, url.error().message());
  url_ = *url;
  SendResult result = co_await Transaction(envelope, data);
  co_await Goodbye();
  co_return result;
}

awaitable<SendResult> SendOwned(ClientOptions options, Envelope envelope, std::string data) {
  co_return co_await Send(options, std::move(envelope), std::move(data));
}

}  // namespace

std::string_view OutcomeName(Outcome outcome) {
  switch (outcome) {
    case Outcome::kSent: return "sent";
    case Outcome::kTransient: return "transient";
    case Outcome::kPermanent: return "permanent";
  }
  return "?";
}

awaitable<SendResult> Send(const ClientOptions& options, Envelope envelope, std::string data) {
  SendResult result;
  try {
    auto session = std::make_shared<Session>(co_await asio::this_coro::executor, options);
    result = co_await session->Run(std::move(envelope), std::move(data));
  } catch (const std::exception& e) {
    result = Make(Outcome::kTransient, 0, fmt::format("smtp: internal error: {}", e.what()));
  }
  co_return result;
}

void AsyncSend(asio::io_context& io, ClientOptions options, Envelope envelope, std::string data,
               std::function<void(SendResult)> done) {
  asio::co_spawn(io, SendOwned(std::move(options), std::move(envelope), std::move(data)),
                 [done = std::move(done)](std::exception_ptr e, SendResult result) {
                   if (e) {
                     result = Make(Outcome::kTransient, 0, "smtp: internal error");
                   }
                   done(std::move(result));
                 });
}

}  // namespace tacit::smtp
