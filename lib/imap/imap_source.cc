#include "imap/imap_source.h"

// GCC 12 misreads Asio's recycling allocator for coroutine frames (operator new
// and delete of awaitable_frame_base) as mismatched; a known false positive.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif

#include <algorithm>
#include <array>
#include <cctype>
#include <deque>
#include <exception>
#include <filesystem>
#include <fstream>
#include <future>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <utility>
#include <vector>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <fmt/format.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>

#include "core/crash_point.h"
#include "core/log.h"
#include "imap/parser.h"
#include "mail/mime.h"
#include "net/host_port.h"
#include "net/tls.h"
#include "sources/mail_archive.h"

namespace tacit::imap {
namespace asio = boost::asio;
namespace ssl = boost::asio::ssl;
namespace fs = std::filesystem;
using asio::awaitable;
using asio::use_awaitable;
using asio::ip::tcp;
using boost::system::error_code;
using std::chrono::steady_clock;

namespace {

constexpr std::string_view kQuarantineKeyword = "$TacitQuarantined";

std::string Base64(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()),
                          static_cast<int>(in.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "1:5,7,9:12" for sorted UIDs.
std::string UidSet(const std::vector<std::uint32_t>& uids) {
  std::string out;
  for (std::size_t i = 0; i < uids.size();) {
    std::size_t j = i;
    while (j + 1 < uids.size() && uids[j + 1] == uids[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += j == i ? std::to_string(uids[i]) : fmt::format("{}:{}", uids[i], uids[j]);
    i = j + 1;
  }
  return out;
}

// Which message, for logs: no secrets, no message contents.
std::string Where(std::uint32_t uidvalidity, std::uint32_t uid) {
  return fmt::format("imap:{}:{}", uidvalidity, uid);
}

}  // namespace

Result<ImapUrl> ParseImapUrl(std::string_view url) {
  auto bad = [&](std::string_view why) {
    // A url with user info may hold a password: not repeated then (as smtp.url).
    const bool secret = url.find('@') != std::string_view::npos;
    return Status::InvalidConfig(
        fmt::format("imap.url: {}: {}", secret ? "(not shown)" : url, why));
  };
  ImapUrl out;
  std::string_view rest;
  if (url.substr(0, 8) == "imaps://") {
    out.implicit_tls = true;
    out.port = "993";
    rest = url.substr(8);
  } else if (url.substr(0, 7) == "imap://") {
    out.implicit_tls = false;
    out.port = "143";
    rest = url.substr(7);
  } else {
    return bad("must start with imaps:// or imap:// (STARTTLS)");
  }
  std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
  if (authority.find('@') != std::string_view::npos) {
    return bad("put the user name in imap.username, not in the url");
  }
  Result<net::HostPort> hp = net::ParseHostPort(authority);
  if (!hp) return bad(hp.error().message());
  out.host = std::move(hp->host);
  if (hp->port) out.port = std::to_string(*hp->port);
  for (std::size_t i = 0; i < path.size(); ++i) {
    if (path[i] == '%' && i + 2 < path.size() && HexValue(path[i + 1]) >= 0 &&
        HexValue(path[i + 2]) >= 0) {
      out.mailbox.push_back(static_cast<char>(HexValue(path[i + 1]) * 16 + HexValue(path[i + 2])));
      i += 2;
    } else if (path[i] == ';' || path[i] == '?') {
      return bad("url parameters are not supported");
    } else {
      out.mailbox.push_back(path[i]);
    }
  }
  while (!out.mailbox.empty() && out.mailbox.back() == '/') out.mailbox.pop_back();
  if (out.mailbox.empty()) out.mailbox = "INBOX";
  if (!Quote(out.mailbox)) return bad("mailbox names with 8-bit characters are not supported");
  return out;
}

std::string AckFlagFor(std::string_view wanted,
                       const std::optional<std::vector<std::string>>& permanent_flags) {
  static const std::string kSeen = "\\Seen";
  if (wanted.empty()) return kSeen;
  if (!permanent_flags) return std::string(wanted);
  auto same = [](std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) ==
                    std::tolower(static_cast<unsigned char>(y));
           });
  };
  const bool keyword = wanted.front() != '\\';
  for (const std::string& f : *permanent_flags) {
    if (same(f, wanted) || (keyword && f == "\\*")) return std::string(wanted);
  }
  return kSeen;
}

// ---------------------------------------------------------------------------

class ImapSource::Impl : public std::enable_shared_from_this<ImapSource::Impl> {
 public:
  Impl(asio::io_context& io, const Clock& clock, ingest::Ingestor& ingestor,
       store::Database& database, ImapOptions options, std::function<void()> on_commit)
      : io_(io),
        clock_(clock),
        ingestor_(ingestor),
        database_(database),
        options_(std::move(options)),
        on_commit_(std::move(on_commit)),
        ssl_context_(ssl::context::tls_client),
        parser_(Limits()),
        watchdog_(io),
        wait_timer_(io),
        idle_timer_(io),
        backoff_(options_.backoff_min),
        random_(std::random_device{}()) {}

  Status Start();
  void Stop();
  bool Drain();
  const ImapStats& stats() const { return stats_; }

 private:
  // What became of one fetched message: waiting in the group to be committed
  // (then acknowledged), or quarantined.
  enum class Outcome { kAcknowledge, kQuarantined };
  // A parsed message whose reply is not committed yet.
  struct Pending {
    std::uint32_t uid = 0;
    std::string ref;
    match::Candidate candidate;
  };
  using Untagged = std::function<Status(Response&)>;

  ParserLimits Limits() const {
    ParserLimits l;
    l.max_literal = options_.max_message_bytes + 4096;
    l.max_response = l.max_literal + (1u << 20);
    return l;
  }

  awaitable<void> Run();
  awaitable<Status> Session();
  awaitable<Status> Connect();
  awaitable<Status> Handshake();
  awaitable<Status> Login();
  awaitable<Status> Select();
  awaitable<Status> FetchNew();
  awaitable<Status> FetchBatch(const std::vector<std::uint32_t>& uids);
  awaitable<Status> Acknowledge(const std::vector<std::uint32_t>& uids, bool quarantined);
  awaitable<Status> WaitForNews();
  awaitable<Status> Idle();
  awaitable<void> Sleep(std::chrono::steady_clock::duration d);

  awaitable<Status> Write(std::string data);
  awaitable<Result<Response>> Read(std::chrono::steady_clock::duration timeout);
  // Sends `TAG command` and reads until the tagged answer, which comes back
  // (OK, NO or BAD). Untagged responses go to `on_untagged` (then to the
  // defaults: EXISTS, CAPABILITY, BYE); a continuation request is answered with
  // `continuation`. `what` names the command in errors (never its arguments).
  awaitable<Result<Response>> Command(std::string command, std::string_view what,
                                      Untagged on_untagged = {},
                                      std::optional<std::string> continuation = {});
  Status Default(Response& r);
  std::string NextTag() { return fmt::format("t{}", ++tag_counter_); }

  // One fetched message on its way: read from the FETCH answer on the loop,
  // parsed on a worker thread, then handled on the loop again.
  struct Fetched {
    std::uint32_t uid = 0;
    std::optional<TimePoint> internal_date;
    std::string raw;
    std::optional<Result<mail::ParsedMessage>> parsed;
    std::string threw;  // what ParseMessage threw, if it did
  };
  // A group of fetched messages handed to a worker thread to be parsed.
  struct Chunk {
    std::vector<Fetched> items;
    std::future<void> parsed;
  };
  // Parses each message of `items`; runs on a worker thread and touches
  // nothing but `items`.
  // Parses each message and classifies its stance (`matcher`: a copy).
  static void ParseAll(std::vector<Fetched>* items, std::uint64_t max_bytes,
                       const match::Matcher& matcher);
  // Quarantines what did not parse; keeps the attachments of the rest and adds
  // them to `pending`.
  Result<Outcome> HandleMessage(Fetched& f, std::vector<Pending>* pending);
  // Commits the pending replies in one transaction (Ingestor::IngestBatch) and
  // adds their UIDs to `acknowledge`; an error: not all were committed.
  Status CommitPending(std::vector<Pending>* pending, std::vector<std::uint32_t>* acknowledge);
  void Quarantine(std::uint32_t uid, const std::string* raw, const std::string& reason);
  Status LoadState();
  Status SaveState(std::uint32_t last_uid);
  void ChooseAckFlag();

  void SetDeadline(steady_clock::duration timeout);
  // No operation pending: the watchdog leaves the connection alone.
  void ClearDeadline() { deadline_ = steady_clock::time_point::max(); }
  void ArmWatchdog();
  void CloseSocket();
  void SendDone();
  void Kick();
  bool HasCapability(std::string_view cap) const { return capabilities_.count(std::string(cap)); }
  std::string Server() const { return fmt::format("{}:{}", url_.host, url_.port); }

  asio::io_context& io_;
  const Clock& clock_;
  ingest::Ingestor& ingestor_;
  store::Database& database_;
  ImapOptions options_;
  std::function<void()> on_commit_;
  ImapUrl url_;
  std::string state_key_;
  ssl::context ssl_context_;

  // The connection.
  std::unique_ptr<ssl::stream<tcp::socket>> stream_;
  bool tls_ = false;  // reads and writes go through TLS
  Parser parser_;
  std::array<char, 64 * 1024> read_buffer_{};
  std::set<std::string> capabilities_;
  int tag_counter_ = 0;
  int connection_ = 0;  // generation: handlers of an older connection do nothing
  steady_clock::time_point deadline_ = steady_clock::time_point::max();
  bool timed_out_ = false;

  // The mailbox.
  std::uint32_t uidvalidity_ = 0;
  std::uint32_t last_uid_ = 0;
  std::uint32_t exists_ = 0;
  // From SELECT's [PERMANENTFLAGS (...)]; nullopt when the server sent none.
  std::optional<std::vector<std::string>> permanent_flags_;
  std::string ack_flag_;  // options_.ack_flag, or \Seen when the mailbox cannot keep it

  asio::steady_timer watchdog_;
  asio::steady_timer wait_timer_;  // poll interval and backoff; Kick() cancels it
  asio::steady_timer idle_timer_;  // ends an IDLE after idle_refresh
  std::chrono::seconds backoff_;
  std::minstd_rand random_;

  bool started_ = false;
  bool stopping_ = false;
  bool selected_ = false;
  bool fetching_ = false;
  bool idling_ = false;  // between the IDLE's "+" and our DONE
  bool done_sent_ = false;
  bool kicked_ = false;  // fetch again before waiting
  std::optional<steady_clock::time_point> last_fetch_done_;
  ImapStats stats_;
  // Attachments written since the last SyncArchive: flushed before the next
  // group is committed.
  bool archive_unsynced_ = false;
};

Status ImapSource::Impl::Start() {
  Result<ImapUrl> url = ParseImapUrl(options_.url);
  if (!url) return url.error();
  url_ = std::move(*url);
  state_key_ = fmt::format("{}@{}:{}/{}", options_.username, url_.host, url_.port, url_.mailbox);
  if (Status st = net::ConfigureTlsClient(ssl_context_, options_.ca_file, "imap.ca_file");
      !st.ok()) {
    return st;
  }
  Status st = database_.Write("imap state", [&] {
    database_.db().exec(
        "CREATE TABLE IF NOT EXISTS imap_state(mailbox TEXT PRIMARY KEY, uidvalidity INTEGER, "
        "last_uid INTEGER)");
    return Status::Ok();
  });
  if (!st.ok()) return st;
  started_ = true;
  auto self = shared_from_this();
  asio::co_spawn(io_, Run(), [self](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& x) {
      log::Error("imap: session ended by an internal error: {}", x.what());
    } catch (...) {
      log::Error("imap: session ended by an unknown internal error");
    }
  });
  log::Info("imap: {} mailbox {} as {} ({})", url_.implicit_tls ? "imaps" : "imap+starttls",
            url_.mailbox, options_.username, Server());
  return Status::Ok();
}

void ImapSource::Impl::Stop() {
  if (stopping_) return;
  stopping_ = true;
  wait_timer_.cancel();
  idle_timer_.cancel();
  watchdog_.cancel();
  CloseSocket();
}

bool ImapSource::Impl::Drain() {
  const bool drained = selected_ && !fetching_ && last_fetch_done_ &&
                       steady_clock::now() - *last_fetch_done_ < options_.poll_interval;
  if (started_ && !stopping_) Kick();
  if (!drained) {
    log::Info("imap: not drained yet ({}); fetching now",
              selected_ ? "no recent fetch" : "not connected");
  }
  return drained;
}

void ImapSource::Impl::Kick() {
  kicked_ = true;
  if (idling_) {
    SendDone();
  } else if (!fetching_) {
    wait_timer_.cancel();  // wakes the poll sleep or the backoff
  }
}

// --- connection plumbing --------------------------------------------------------

void ImapSource::Impl::SetDeadline(steady_clock::duration timeout) {
  deadline_ = steady_clock::now() + timeout;
  if (deadline_ < watchdog_.expiry()) ArmWatchdog();
}

void ImapSource::Impl::ArmWatchdog() {
  watchdog_.expires_at(deadline_);
  watchdog_.async_wait([self = shared_from_this(), gen = connection_](const error_code& ec) {
    // Aborted: re-armed for an earlier deadline, or stopping.
    if (ec || gen != self->connection_ || self->stopping_) return;
    if (self->deadline_ <= steady_clock::now()) {
      self->timed_out_ = true;
      self->CloseSocket();  // the pending read or write fails
      return;
    }
    self->ArmWatchdog();  // the deadline moved later meanwhile
  });
}

void ImapSource::Impl::CloseSocket() {
  if (!stream_) return;
  error_code ignored;
  stream_->lowest_layer().shutdown(tcp::socket::shutdown_both, ignored);
  stream_->lowest_layer().close(ignored);
}

awaitable<Status> ImapSource::Impl::Write(std::string data) {
  error_code ec;
  SetDeadline(options_.io_timeout);
  if (tls_) {
    co_await asio::async_write(*stream_, asio::buffer(data),
                               asio::redirect_error(use_awaitable, ec));
  } else {
    co_await asio::async_write(stream_->next_layer(), asio::buffer(data),
                               asio::redirect_error(use_awaitable, ec));
  }
  ClearDeadline();
  if (ec) {
    co_return Status::Transient(timed_out_ ? std::string("write timed out")
                                           : fmt::format("write: {}", ec.message()));
  }
  co_return Status::Ok();
}

awaitable<Result<Response>> ImapSource::Impl::Read(steady_clock::duration timeout) {
  for (;;) {
    Result<std::optional<Response>> next = parser_.Next();
    if (!next) co_return Status::Transient(next.error().message());
    if (*next) co_return std::move(**next);
    error_code ec;
    SetDeadline(timeout);
    std::size_t n = 0;
    if (tls_) {
      n = co_await stream_->async_read_some(asio::buffer(read_buffer_),
                                            asio::redirect_error(use_awaitable, ec));
    } else {
      n = co_await stream_->next_layer().async_read_some(asio::buffer(read_buffer_),
                                                         asio::redirect_error(use_awaitable, ec));
    }
    ClearDeadline();
    if (ec) {
      if (timed_out_) co_return Status::Transient("no answer from the server (timed out)");
      if (ec == asio::error::eof || ec == ssl::error::stream_truncated) {
        co_return Status::Transient("the server closed the connection");
      }
      co_return Status::Transient(fmt::format("read: {}", ec.message()));
    }
    parser_.Feed(std::string_view(read_buffer_.data(), n));
  }
}

Status ImapSource::Impl::Default(Response& r) {
  if (r.kind != ResponseKind::kUntagged) return Status::Ok();
  if (r.name == "EXISTS" && r.number) {
    // New mail announced outside IDLE (Dovecot tells in its answer to any
    // command, e.g. our UID FETCH or UID STORE): fetch again before waiting.
    // It is not announced a second time, so an IDLE begun now would leave
    // these messages until the next IDLE refresh or a restart.
    if (selected_ && *r.number > exists_) kicked_ = true;
    exists_ = *r.number;
  } else if (r.name == "EXPUNGE" && r.number) {
    if (exists_ > 0) --exists_;  // so that the next EXISTS is compared right
  } else if (r.name == "CAPABILITY" || r.code == "CAPABILITY") {
    capabilities_ = std::set<std::string>(r.atoms.begin(), r.atoms.end());
  } else if (r.name == "BYE") {
    return Status::Transient(fmt::format("the server said goodbye: {}", r.text));
  } else if (r.code == "UIDVALIDITY") {
    uidvalidity_ = static_cast<std::uint32_t>(std::strtoul(r.code_args.c_str(), nullptr, 10));
  } else if (r.code == "PERMANENTFLAGS") {
    std::string list = r.code_args;
    std::replace(list.begin(), list.end(), '(', ' ');
    std::replace(list.begin(), list.end(), ')', ' ');
    std::istringstream words(list);
    permanent_flags_.emplace();
    for (std::string w; words >> w;) permanent_flags_->push_back(w);
  }
  return Status::Ok();
}

awaitable<Result<Response>> ImapSource::Impl::Command(std::string command, std::string_view what,
                                                      Untagged on_untagged,
                                                      std::optional<std::string> continuation) {
  const std::string tag = NextTag();
  if (Status st = co_await Write(tag + " " + command + "\r\n"); !st.ok()) co_return st;
  command.assign(command.size(), '\0');  // may hold the password
  for (;;) {
    Result<Response> r = co_await Read(options_.io_timeout);
    if (!r) co_return r.error();
    if (r->kind == ResponseKind::kTagged) {
      if (r->tag != tag) {
        co_return Status::Transient(fmt::format("{}: answer for an unknown tag {}", what, r->tag));
      }
      if (r->code == "CAPABILITY") capabilities_ = {r->atoms.begin(), r->atoms.end()};
      co_return std::move(*r);
    }
    if (r->kind == ResponseKind::kContinuation) {
      if (!continuation) {
        co_return Status::Transient(fmt::format("{}: unexpected continuation request", what));
      }
      std::string data = std::move(*continuation) + "\r\n";
      continuation.reset();
      if (Status st = co_await Write(std::move(data)); !st.ok()) co_return st;
      continue;
    }
    if (on_untagged) {
      if (Status st = on_untagged(*r); !st.ok()) co_return st;
    }
    if (Status st = Default(*r); !st.ok()) co_return st;
  }
}

// --- session ----------------------------------------------------------------------

awaitable<void> ImapSource::Impl::Sleep(steady_clock::duration d) {
  error_code ec;
  wait_timer_.expires_after(d);
  co_await wait_timer_.async_wait(asio::redirect_error(use_awaitable, ec));
}

awaitable<void> ImapSource::Impl::Run() {
  while (!stopping_) {
    Status st = co_await Session();
    CloseSocket();
    selected_ = false;
    idling_ = false;
    fetching_ = false;
    ++connection_;
    if (stopping_) break;
    // Jitter: 80-120% of the backoff, so that many daemons do not retry in step.
    std::uniform_int_distribution<long> pct(80, 120);
    auto delay = std::chrono::milliseconds(backoff_.count() * 10 * pct(random_));
    log::Error("imap: {}: {}; retrying in {:.1f} s", Server(), st.message(),
               static_cast<double>(delay.count()) / 1000);
    backoff_ = std::min(backoff_ * 2, options_.backoff_max);
    kicked_ = false;
    co_await Sleep(delay);
  }
}

awaitable<Status> ImapSource::Impl::Session() {
  if (Status st = co_await Connect(); !st.ok()) co_return st;
  if (Status st = co_await Login(); !st.ok()) co_return st;
  if (Status st = co_await Select(); !st.ok()) co_return st;
  backoff_ = options_.backoff_min;
  while (!stopping_) {
    kicked_ = false;
    if (Status st = co_await FetchNew(); !st.ok()) co_return st;
    if (kicked_ || stopping_) continue;
    if (Status st = co_await WaitForNews(); !st.ok()) co_return st;
  }
  co_return Status::Ok();
}

awaitable<Status> ImapSource::Impl::Connect() {
  ++connection_;
  ++stats_.connects;
  timed_out_ = false;
  deadline_ = steady_clock::time_point::max();
  watchdog_.expires_at(deadline_);
  parser_ = Parser(Limits());
  capabilities_.clear();
  tls_ = false;
  stream_ = std::make_unique<ssl::stream<tcp::socket>>(io_, ssl_context_);

  error_code ec;
  tcp::resolver resolver(io_);
  SetDeadline(options_.io_timeout);
  auto endpoints = co_await resolver.async_resolve(url_.host, url_.port,
                                                   asio::redirect_error(use_awaitable, ec));
  if (ec)
    co_return Status::Transient(fmt::format("cannot resolve {}: {}", url_.host, ec.message()));
  co_await asio::async_connect(stream_->lowest_layer(), endpoints,
                               asio::redirect_error(use_awaitable, ec));
  ClearDeadline();
  if (ec) {
    co_return Status::Transient(timed_out_ ? std::string("connect timed out")
                                           : fmt::format("connect: {}", ec.message()));
  }

  if (url_.implicit_tls) {
    if (Status st = co_await Handshake(); !st.ok()) co_return st;
  }
  Result<Response> greeting = co_await Read(options_.io_timeout);
  if (!greeting) co_return greeting.error();
  if (greeting->kind != ResponseKind::kUntagged || (greeting->name != "OK")) {
    co_return Status::Transient(
        fmt::format("server greeting is not OK: {} {}", greeting->name, greeting->text));
  }
  if (Status st = Default(*greeting); !st.ok()) co_return st;
  if (capabilities_.empty()) {
    Result<Response> r = co_await Command("CAPABILITY", "CAPABILITY");
    if (!r) co_return r.error();
  }
  if (!url_.implicit_tls) {
    if (!HasCapability("STARTTLS")) {
      co_return Status::Transient(
          "the server does not offer STARTTLS, and imap:// never logs in without TLS");
    }
    Result<Response> r = co_await Command("STARTTLS", "STARTTLS");
    if (!r) co_return r.error();
    if (!r->ok()) co_return Status::Transient(fmt::format("STARTTLS refused: {}", r->text));
    // Anything the server sent before the handshake is an injection attempt.
    if (parser_.buffered() != 0) {
      co_return Status::Transient("data after the STARTTLS answer, before the TLS handshake");
    }
    if (Status st = co_await Handshake(); !st.ok()) co_return st;
    capabilities_.clear();  // what was said in the clear does not count
    Result<Response> caps = co_await Command("CAPABILITY", "CAPABILITY");
    if (!caps) co_return caps.error();
  }
  co_return Status::Ok();
}

awaitable<Status> ImapSource::Impl::Handshake() {
  // SNI for names (not for address literals), and the certificate must name
  // the host (RFC 6125) and chain to ca_file or a system CA.
  net::ExpectPeer(*stream_, url_.host);
  error_code hs;
  SetDeadline(options_.io_timeout);
  co_await stream_->async_handshake(ssl::stream_base::client,
                                    asio::redirect_error(use_awaitable, hs));
  ClearDeadline();
  if (hs) {
    std::string why = hs.message();
    long verify = SSL_get_verify_result(stream_->native_handle());
    if (verify != X509_V_OK) why += fmt::format(" ({})", X509_verify_cert_error_string(verify));
    co_return Status::Transient(timed_out_ ? std::string("TLS handshake timed out")
                                           : fmt::format("TLS handshake refused: {}", why));
  }
  tls_ = true;
  co_return Status::Ok();
}

awaitable<Status> ImapSource::Impl::Login() {
  Result<Response> r = Status::Transient("no login attempted");
  if (HasCapability("AUTH=PLAIN")) {
    std::string plain;
    plain.push_back('\0');
    plain += options_.username;
    plain.push_back('\0');
    plain += options_.password;
    std::string b64 = Base64(plain);
    plain.assign(plain.size(), '\0');
    if (HasCapability("SASL-IR")) {
      r = co_await Command("AUTHENTICATE PLAIN " + b64, "AUTHENTICATE PLAIN");
    } else {
      r = co_await Command("AUTHENTICATE PLAIN", "AUTHENTICATE PLAIN", {}, b64);
    }
    b64.assign(b64.size(), '\0');
  } else if (HasCapability("LOGINDISABLED")) {
    co_return Status(ErrorCode::kPermanent,
                     "the server offers neither AUTH=PLAIN nor LOGIN (LOGINDISABLED)");
  } else {
    std::optional<std::string> user = Quote(options_.username);
    std::optional<std::string> pass = Quote(options_.password);
    if (!user || !pass) {
      co_return Status(ErrorCode::kPermanent,
                       "the user name or password has characters LOGIN cannot carry, and the "
                       "server offers no AUTH=PLAIN");
    }
    r = co_await Command("LOGIN " + *user + " " + *pass, "LOGIN");
    pass->assign(pass->size(), '\0');
  }
  if (!r) co_return r.error();
  if (!r->ok()) {
    co_return Status(ErrorCode::kPermanent,
                     fmt::format("login as {} refused: {}{}{}", options_.username,
                                 r->code.empty() ? "" : "[" + r->code + "] ", r->text,
                                 r->name == "BAD" ? " (BAD)" : ""));
  }
  // The capabilities change after login; Dovecot names them in the OK.
  if (r->code != "CAPABILITY") {
    Result<Response> caps = co_await Command("CAPABILITY", "CAPABILITY");
    if (!caps) co_return caps.error();
  }
  co_return Status::Ok();
}

awaitable<Status> ImapSource::Impl::Select() {
  uidvalidity_ = 0;
  exists_ = 0;
  permanent_flags_.reset();
  Result<Response> r = co_await Command("SELECT " + *Quote(url_.mailbox), "SELECT");
  if (!r) co_return r.error();
  if (!r->ok()) {
    co_return Status(ErrorCode::kPermanent,
                     fmt::format("cannot select {}: {}", url_.mailbox, r->text));
  }
  if (uidvalidity_ == 0) {
    co_return Status::Transient(fmt::format("{} has no UIDVALIDITY", url_.mailbox));
  }
  if (Status st = LoadState(); !st.ok()) co_return st;
  ChooseAckFlag();
  selected_ = true;
  log::Info("imap: {} selected on {} (UIDVALIDITY {}, {} messages, read up to UID {}){}",
            url_.mailbox, Server(), uidvalidity_, exists_, last_uid_,
            HasCapability("IDLE") ? ", IDLE" : "");
  co_return Status::Ok();
}

// The acknowledgement flag must stick: a flag the mailbox does not keep
// (neither in PERMANENTFLAGS nor allowed by \*) would be gone by the next
// session. Then tacit falls back to \Seen, with an error logged at each
// SELECT: \Seen is what SPEC §3 promises ("messages are flagged") and what
// every server keeps, and which messages are new is decided by UID, never by
// a flag, so the fallback loses nothing; the cost is that people reading the
// mailbox see tacit's messages as read. No PERMANENTFLAGS at all means every
// flag can be kept (RFC 3501 §7.1).
void ImapSource::Impl::ChooseAckFlag() {
  ack_flag_ = AckFlagFor(options_.ack_flag, permanent_flags_);
  if (ack_flag_ != options_.ack_flag && !options_.ack_flag.empty()) {
    log::Error(
        "imap: {} on {} does not keep the flag {} (imap.ack_flag): acknowledging with \\Seen "
        "instead",
        url_.mailbox, Server(), options_.ack_flag);
  }
}

// --- state ---------------------------------------------------------------------------

Status ImapSource::Impl::LoadState() {
  std::optional<std::pair<std::int64_t, std::int64_t>> row;
  Status st = database_.Read("imap state", [&] {
    SQLite::Statement q(database_.db(),
                        "SELECT uidvalidity, last_uid FROM imap_state WHERE mailbox = ?");
    q.bind(1, state_key_);
    if (q.executeStep()) row = {q.getColumn(0).getInt64(), q.getColumn(1).getInt64()};
    return Status::Ok();
  });
  if (!st.ok()) return st;
  last_uid_ = 0;
  if (row && row->first == static_cast<std::int64_t>(uidvalidity_)) {
    last_uid_ = static_cast<std::uint32_t>(row->second);
  } else if (row) {
    log::Notice(
        "imap: {}: UIDVALIDITY changed from {} to {}: reading every message again "
        "(what is already recorded is recognised)",
        url_.mailbox, row->first, uidvalidity_);
  }
  return Status::Ok();
}

Status ImapSource::Impl::SaveState(std::uint32_t last_uid) {
  Status st = database_.Write("imap state", [&] {
    SQLite::Statement q(database_.db(),
                        "INSERT INTO imap_state(mailbox, uidvalidity, last_uid) VALUES(?, ?, ?) "
                        "ON CONFLICT(mailbox) DO UPDATE SET uidvalidity = excluded.uidvalidity, "
                        "last_uid = excluded.last_uid");
    q.bind(1, state_key_);
    q.bind(2, static_cast<std::int64_t>(uidvalidity_));
    q.bind(3, static_cast<std::int64_t>(last_uid));
    q.exec();
    return Status::Ok();
  });
  if (st.ok()) last_uid_ = last_uid;
  return st;
}

// --- fetching --------------------------------------------------------------------------

awaitable<Status> ImapSource::Impl::FetchNew() {
  fetching_ = true;
  std::vector<std::pair<std::uint32_t, std::uint64_t>> fresh;  // uid, size
  Result<Response> r =
      co_await Command(fmt::format("UID FETCH {}:* (UID RFC822.SIZE)", last_uid_ + 1), "UID FETCH",
                       [&](Response& u) {
                         // "n:*" also names the last message when it is older than n: skip it.
                         if (u.name == "FETCH" && u.fetch.uid && *u.fetch.uid > last_uid_) {
                           fresh.emplace_back(*u.fetch.uid, u.fetch.size.value_or(0));
                         }
                         return Status::Ok();
                       });
  if (!r) co_return r.error();
  if (!r->ok()) co_return Status::Transient(fmt::format("UID FETCH refused: {}", r->text));
  std::sort(fresh.begin(), fresh.end());
  fresh.erase(std::unique(fresh.begin(), fresh.end()), fresh.end());
  if (!fresh.empty()) log::Info("imap: {} new message(s) in {}", fresh.size(), url_.mailbox);

  std::vector<std::uint32_t> batch, too_big;
  std::size_t i = 0;
  while (i < fresh.size() && !stopping_) {
    batch.clear();
    too_big.clear();
    std::uint64_t bytes = 0;
    for (; i < fresh.size() && batch.size() < options_.fetch_batch && bytes < (64u << 20); ++i) {
      auto [uid, size] = fresh[i];
      if (size > options_.max_message_bytes) {
        Quarantine(uid, nullptr,
                   fmt::format("message is {} bytes, over the limit of {}", size,
                               options_.max_message_bytes));
        too_big.push_back(uid);
      } else {
        batch.push_back(uid);
        bytes += size;
      }
    }
    if (!too_big.empty()) {
      if (Status st = co_await Acknowledge(too_big, true); !st.ok()) co_return st;
    }
    if (!batch.empty()) {
      if (Status st = co_await FetchBatch(batch); !st.ok()) co_return st;
    }
    // Everything up to here is committed and acknowledged: advance.
    CrashPoint("imap.after_flag");
    std::uint32_t upto = fresh[i - 1].first;
    if (Status st = SaveState(upto); !st.ok()) co_return st;
  }
  fetching_ = false;
  last_fetch_done_ = steady_clock::now();
  co_return Status::Ok();
}

awaitable<Status> ImapSource::Impl::FetchBatch(const std::vector<std::uint32_t>& uids) {
  std::vector<std::uint32_t> acknowledge, quarantined;
  // Messages are read from the FETCH answer on the loop and gathered in
  // chunks of Ingestor::kMaxBatch (or kChunkBytes). A full chunk goes to a
  // worker thread to be parsed while the loop reads the next one; the chunk
  // before it is then handled on the loop (attachments kept, quarantines) and
  // committed in one transaction. Parsing is about a third of the time of a
  // backlog; the rest (the socket, matching, SQLite) stays on the loop, in
  // UID order.
  constexpr std::size_t kChunkBytes = 16u << 20;
  constexpr std::size_t kAhead = 2;
  const std::uint64_t max_bytes = options_.max_message_bytes;
  std::vector<Pending> pending;
  std::vector<Fetched> reading;
  std::size_t reading_bytes = 0;
  std::deque<std::unique_ptr<Chunk>> inflight;  // futures of std::async join when destroyed
  auto settle = [&](Chunk& chunk) -> Status {
    if (chunk.parsed.valid()) chunk.parsed.get();  // the last chunk is parsed in place
    for (Fetched& f : chunk.items) {
      Result<Outcome> outcome = HandleMessage(f, &pending);
      if (!outcome) return outcome.error();
      if (*outcome == Outcome::kQuarantined) quarantined.push_back(f.uid);
    }
    // Not committed: stop here; nothing of this batch is acknowledged or
    // advanced, and the next session fetches it again.
    return CommitPending(&pending, &acknowledge);
  };
  auto dispatch = [&]() -> Status {
    auto chunk = std::make_unique<Chunk>();
    chunk->items = std::move(reading);
    reading.clear();
    reading_bytes = 0;
    std::vector<Fetched>* items = &chunk->items;
    chunk->parsed = std::async(
        std::launch::async,
        [items, max_bytes, matcher = ingestor_.matcher()] { ParseAll(items, max_bytes, matcher); });
    inflight.push_back(std::move(chunk));
    // Two chunks parsing ahead, on two threads: with one, the loop and the
    // worker waited for each other (the Maildir source measured 1.4x more
    // messages a second with two, issue 5).
    while (inflight.size() > kAhead) {
      Status st = settle(*inflight.front());
      inflight.pop_front();
      if (!st.ok()) return st;
    }
    return Status::Ok();
  };
  Result<Response> r = co_await Command(
      fmt::format("UID FETCH {} (UID INTERNALDATE FLAGS BODY.PEEK[])", UidSet(uids)), "UID FETCH",
      [&](Response& u) -> Status {
        if (u.name != "FETCH" || !u.fetch.uid || !u.fetch.body) return Status::Ok();
        if (!std::binary_search(uids.begin(), uids.end(), *u.fetch.uid)) return Status::Ok();
        Fetched f;
        f.uid = *u.fetch.uid;
        f.internal_date = u.fetch.internal_date;
        f.raw = std::move(*u.fetch.body);
        u.fetch.body.reset();
        reading_bytes += f.raw.size();
        reading.push_back(std::move(f));
        if (reading.size() >= ingest::Ingestor::kMaxBatch || reading_bytes >= kChunkBytes) {
          return dispatch();
        }
        return Status::Ok();
      });
  if (!r) co_return r.error();
  if (!r->ok()) co_return Status::Transient(fmt::format("UID FETCH refused: {}", r->text));
  // The rest: what the worker still holds, then the last, partial chunk (parsed
  // here: a message noticed by IDLE needs no thread).
  while (!inflight.empty()) {
    Status st = settle(*inflight.front());
    inflight.pop_front();
    if (!st.ok()) co_return st;
  }
  if (!reading.empty()) {
    Chunk last;
    last.items = std::move(reading);
    ParseAll(&last.items, max_bytes, ingestor_.matcher());
    if (Status st = settle(last); !st.ok()) co_return st;
  }
  // Committed: only now acknowledge (SPEC §8).
  std::sort(acknowledge.begin(), acknowledge.end());
  std::sort(quarantined.begin(), quarantined.end());
  CrashPoint("imap.before_flag");
  if (!acknowledge.empty()) {
    if (Status st = co_await Acknowledge(acknowledge, false); !st.ok()) co_return st;
  }
  if (!quarantined.empty()) {
    if (Status st = co_await Acknowledge(quarantined, true); !st.ok()) co_return st;
  }
  co_return Status::Ok();
}

awaitable<Status> ImapSource::Impl::Acknowledge(const std::vector<std::uint32_t>& uids,
                                                bool quarantined) {
  // A quarantined message gets the acknowledgement flag too: with a keyword,
  // it stays unread for the person who must look at it.
  std::string flags = quarantined ? fmt::format("{} {}", ack_flag_, kQuarantineKeyword) : ack_flag_;
  Result<Response> r = co_await Command(
      fmt::format("UID STORE {} +FLAGS.SILENT ({})", UidSet(uids), flags), "UID STORE");
  if (!r) co_return r.error();
  if (!r->ok() && flags != "\\Seen") {
    // A server that refuses a keyword still gets \Seen; retrying the keyword
    // would refuse again on every reconnect and stall the mailbox.
    log::Warn("imap: flags ({}) not accepted ({}); flagging \\Seen only", flags, r->text);
    r = co_await Command(fmt::format("UID STORE {} +FLAGS.SILENT (\\Seen)", UidSet(uids)),
                         "UID STORE");
    if (!r) co_return r.error();
  }
  if (!r->ok()) co_return Status::Transient(fmt::format("UID STORE refused: {}", r->text));
  co_return Status::Ok();
}

void ImapSource::Impl::ParseAll(std::vector<Fetched>* items, std::uint64_t max_bytes,
                                const match::Matcher& matcher) {
  mail::Limits limits;
  limits.max_bytes = max_bytes;
  for (Fetched& f : *items) {
    try {
      f.parsed.emplace(mail::ParseMessage(f.raw, limits));
      if (*f.parsed) (*f.parsed)->candidate.stance = matcher.ClassifyStance((*f.parsed)->candidate);
    } catch (const std::exception& e) {
      // The per-item guard: this message is set aside, the others go on.
      f.threw = e.what();
    }
  }
}

Result<ImapSource::Impl::Outcome> ImapSource::Impl::HandleMessage(Fetched& f,
                                                                  std::vector<Pending>* pending) {
  const std::uint32_t uid = f.uid;
  const std::string ref = Where(uidvalidity_, uid);
  if (!f.parsed) {
    Quarantine(uid, &f.raw, fmt::format("internal error: {}", f.threw));
    return Outcome::kQuarantined;
  }
  std::optional<Result<mail::ParsedMessage>>& parsed = f.parsed;
  if (!*parsed) {
    Quarantine(uid, &f.raw, parsed->error().message());
    return Outcome::kQuarantined;
  }
  match::Candidate c = std::move((*parsed)->candidate);
  c.channel = Channel::kImap;
  if (f.internal_date) {
    c.received_at = *f.internal_date;
  } else {
    c.received_at = clock_.Now();
    log::Warn("imap: {}: no INTERNALDATE; received time taken as now", ref);
  }
  // Kept before the commit, as the Maildir source does: not kept means not
  // committed, and the message is fetched again by the next session.
  if (Status st =
          sources::KeepMailAttachments(options_.state_dir, options_.tz, c.content_hash,
                                       c.received_at, (*parsed)->attachments, &archive_unsynced_);
      !st.ok()) {
    return Status::Transient(fmt::format("{}: cannot keep the attachments: {}", ref, st.message()));
  }
  pending->push_back(Pending{uid, ref, std::move(c)});
  return Outcome::kAcknowledge;
}

Status ImapSource::Impl::CommitPending(std::vector<Pending>* pending,
                                       std::vector<std::uint32_t>* acknowledge) {
  if (pending->empty()) return Status::Ok();
  if (archive_unsynced_) {
    // The group's attachments reach the disk before its replies are committed.
    if (Status s = sources::SyncArchive(options_.state_dir); !s.ok()) {
      return Status::Transient(fmt::format("cannot flush the kept attachments: {}", s.message()));
    }
    archive_unsynced_ = false;
  }
  std::vector<ingest::Ingestor::Item> items;
  items.reserve(pending->size());
  for (const Pending& p : *pending) items.push_back({&p.candidate, p.ref});
  std::vector<Result<ingest::IngestResult>> results = ingestor_.IngestBatch(items);
  Status failed;
  for (std::size_t i = 0; i < pending->size(); ++i) {
    const std::string& ref = (*pending)[i].ref;
    const Result<ingest::IngestResult>& r = results[i];
    if (!r) {
      if (failed.ok()) failed = Status::Transient(fmt::format("{}: {}", ref, r.error().message()));
      continue;
    }
    acknowledge->push_back((*pending)[i].uid);
    switch (r->disposition) {
      case ingest::Disposition::kRecorded:
        ++stats_.recorded;
        log::Info("imap: {} -> reply {} from {} for {} ({})", ref, r->reply_id,
                  r->match.unit_code.value_or("?"), r->match.consultation_id.value_or("?"),
                  r->late ? "late" : "on time");
        break;
      case ingest::Disposition::kUnmatched:
        ++stats_.unmatched;
        log::Warn("imap: {} -> reply {} unmatched: {}; {}", ref, r->reply_id,
                  r->match.consultation_rule, r->match.unit_rule);
        break;
      case ingest::Disposition::kDuplicate:
        ++stats_.duplicates;
        log::Info("imap: {} is already recorded as reply {}", ref, r->reply_id);
        break;
      case ingest::Disposition::kNotAReply:
        ++stats_.not_replies;
        log::Info("imap: {} is not a reply (auto-reply or delivery report)", ref);
        break;
    }
    if (on_commit_) on_commit_();
  }
  pending->clear();
  return failed;
}

void ImapSource::Impl::Quarantine(std::uint32_t uid, const std::string* raw,
                                  const std::string& reason) {
  ++stats_.quarantined;
  log::Warn("imap: {} quarantined: {}", Where(uidvalidity_, uid), reason);
  const fs::path dir = fs::path(options_.state_dir) / "quarantine";
  std::error_code ec;
  fs::create_directories(dir, ec);
  std::string name = fmt::format("imap-{}.eml", uid);
  for (int i = 2; fs::exists(dir / name, ec) || fs::exists(dir / (name + ".reason"), ec); ++i) {
    // Fetched again after a crash: the same bytes (or, for a message too big
    // to fetch, its reason) are there already.
    if (raw == nullptr) return;
    if (fs::file_size(dir / name, ec) == raw->size()) {
      std::ifstream in(dir / name, std::ios::binary);
      std::stringstream had;
      had << in.rdbuf();
      if (had.str() == *raw) return;
    }
    name = fmt::format("imap-{} ({}).eml", uid, i);
  }
  // The reason first: a crash in between leaves a stray .reason, never a
  // quarantined message without one.
  {
    std::ofstream out(dir / (name + ".reason"));
    out << fmt::format("{} (UIDVALIDITY {}, UID {} in {}): {}\n", url_.mailbox, uidvalidity_, uid,
                       Server(), reason);
  }
  if (raw != nullptr) {
    std::ofstream out(dir / name, std::ios::binary);
    out.write(raw->data(), static_cast<std::streamsize>(raw->size()));
    if (!out) log::Error("imap: cannot write {}", (dir / name).string());
  }
}

// --- waiting for news ------------------------------------------------------------------

awaitable<Status> ImapSource::Impl::WaitForNews() {
  if (HasCapability("IDLE")) co_return co_await Idle();
  co_await Sleep(options_.poll_interval);
  co_return Status::Ok();
}

void ImapSource::Impl::SendDone() {
  if (!idling_ || done_sent_ || !stream_) return;
  done_sent_ = true;
  SetDeadline(options_.io_timeout);  // the IDLE's OK must come soon now
  static const std::string kDone = "DONE\r\n";
  asio::async_write(
      *stream_, asio::buffer(kDone),
      [self = shared_from_this(), gen = connection_](const error_code& ec, std::size_t) {
        if (ec && gen == self->connection_ && !self->stopping_) {
          log::Warn("imap: ending IDLE: {}", ec.message());
          self->CloseSocket();
        }
      });
}

awaitable<Status> ImapSource::Impl::Idle() {
  const std::string tag = NextTag();
  if (Status st = co_await Write(tag + " IDLE\r\n"); !st.ok()) co_return st;
  const auto idle_timeout = options_.idle_refresh + options_.io_timeout;
  done_sent_ = false;
  for (;;) {
    Result<Response> r = co_await Read(idling_ && !done_sent_ ? idle_timeout : options_.io_timeout);
    if (!r) co_return r.error();
    if (r->kind == ResponseKind::kContinuation && !idling_) {
      idling_ = true;
      idle_timer_.expires_after(options_.idle_refresh);
      idle_timer_.async_wait([self = shared_from_this(), gen = connection_](const error_code& ec) {
        if (!ec && gen == self->connection_) self->SendDone();  // re-issued after the fetch
      });
      if (kicked_) SendDone();
      continue;
    }
    if (r->kind == ResponseKind::kTagged) {
      idling_ = false;
      idle_timer_.cancel();
      if (r->tag != tag) co_return Status::Transient("IDLE: answer for an unknown tag");
      if (!r->ok()) co_return Status::Transient(fmt::format("IDLE refused: {}", r->text));
      co_return Status::Ok();
    }
    if (Status st = Default(*r); !st.ok()) co_return st;
    // New mail (or anything that may be): end the IDLE and fetch.
    if (r->name == "EXISTS" || r->name == "RECENT" || r->name == "FETCH") SendDone();
  }
}

// --- ImapSource ---------------------------------------------------------------------------

ImapSource::ImapSource(asio::io_context& io, const Clock& clock, ingest::Ingestor& ingestor,
                       store::Database& database, ImapOptions options,
                       std::function<void()> on_commit)
    : impl_(std::make_shared<Impl>(io, clock, ingestor, database, std::move(options),
                                   std::move(on_commit))) {}

ImapSource::~ImapSource() { impl_->Stop(); }

Status ImapSource::Start() { return impl_->Start(); }
void ImapSource::Stop() { impl_->Stop(); }
bool ImapSource::Drain() { return impl_->Drain(); }
const ImapStats& ImapSource::stats() const { return impl_->stats(); }

}  // namespace tacit::imap
