// ImapSource: replies that arrive in an IMAP mailbox (SPEC §3 "IMAP", issue 5).
//
// One connection on the daemon's io_context, driven by a C++20 coroutine
// (Asio 1.18: co_spawn + use_awaitable + redirect_error; the completion handler
// logs an escaped exception). The session:
//   connect -> TLS (imaps://) or STARTTLS (imap://, required) with certificate
//   and host name verification (ca_file, else the system CAs) -> AUTHENTICATE
//   PLAIN (LOGIN when the server offers no AUTH=PLAIN) -> SELECT mailbox ->
//   fetch new UIDs -> IDLE when offered (re-issued every 25 min), else sleep
//   poll_interval -> fetch again ...
// Any error (network, timeout, TLS, NO/BAD, a store failure) drops the
// connection and reconnects after an exponential backoff (1 s doubling to
// 5 min, with jitter; reset once a mailbox is selected). Every read and write
// has a deadline; a watchdog timer closes the socket when it passes.
//
// Fetching: `UID FETCH last+1:* (UID RFC822.SIZE)` lists the new messages, then
// `UID FETCH <set> (UID INTERNALDATE FLAGS BODY.PEEK[])` in batches. Each
// message: mail::ParseMessage -> channel imap, received_at = INTERNALDATE ->
// Ingestor::Ingest(candidate, "imap:UIDVALIDITY:UID"); the attachments are
// kept in the archive first (sources/mail_archive.h, as for Maildir). Only
// after the batch's replies are committed are they acknowledged with `UID STORE
// +FLAGS.SILENT (ACK)` (never deleted, never expunged), and only then is
// last_uid advanced. ACK is options.ack_flag (\Seen by default, or \Flagged or
// a keyword, which leaves \Seen to people), or \Seen when the mailbox cannot
// keep it (see AckFlagFor) or the server refuses it. New messages are found by
// UID, never by flags: a reply someone has read already is still recorded.
// A crash anywhere re-fetches from the persisted last_uid; the store recognises
// what it already has (Message-ID, content hash) and it is acknowledged again.
//
// A message that cannot be read as mail (or is over max_message_bytes) is
// recorded nowhere: a warning is logged, it is flagged ACK $TacitQuarantined,
// and its raw bytes go to state_dir/quarantine/imap-UID.eml with
// imap-UID.eml.reason beside it.
//
// State, in the daemon's SQLite file (on-disk format):
//   CREATE TABLE IF NOT EXISTS imap_state(mailbox TEXT PRIMARY KEY,
//                                         uidvalidity INTEGER, last_uid INTEGER)
// mailbox = "USER@HOST:PORT/MAILBOX". A UIDVALIDITY other than the stored one
// means the UIDs were renumbered: everything is read again from UID 1 (and
// deduplicated by the store).
//
// Drain(): Drain is synchronous while fetching is not, so it answers from what
// it knows and kicks a fetch for the next call: true iff a mailbox is selected,
// no fetch is in progress and the last fetch finished less than poll_interval
// ago. A false answer makes the daemon ask again (every 30 s) while the kicked
// fetch runs; under IDLE, where fetches are rare, the first Drain therefore
// usually answers false and the second true.
//
// The password is held in memory only and never logged.
// Runs on the daemon's io_context thread only.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "core/clock.h"
#include "core/status.h"
#include "domain/dates.h"
#include "ingest/ingestor.h"
#include "sources/source.h"
#include "store/database.h"

namespace tacit::imap {

struct ImapOptions {
  std::string url;  // imaps://host[:port]/MAILBOX or imap://host[:port]/MAILBOX
  std::string username;
  std::string password;   // read from password_file by the daemon; never logged
  std::string ca_file;    // empty: the system CAs
  std::string state_dir;  // quarantine/ goes here
  std::chrono::seconds poll_interval{60};
  std::chrono::seconds io_timeout{60};
  std::chrono::seconds idle_refresh{25 * 60};
  std::chrono::seconds backoff_min{1};
  std::chrono::seconds backoff_max{5 * 60};
  std::size_t max_message_bytes = 50u << 20;
  // Messages per UID FETCH of bodies (and at most 64 MB). Flags and the saved
  // last UID are written once per batch, so a larger batch defers them; that is
  // safe (replies are committed before their flags, and a message fetched again
  // after a crash is recognised as a duplicate) and saves a round trip and a
  // pipeline stall per batch: 100 gave 650-870 msg/s against Dovecot, 1000
  // about 1100 (bench/RESULTS.md). Config: [imap] fetch_batch.
  std::size_t fetch_batch = 1000;
  // Set on a message once its reply is committed: \Seen, \Flagged or a
  // keyword (validated by the config loader).
  std::string ack_flag = "\\Seen";
  TimeZone tz;  // for the attachments' archive/YYYY/MM; must be set
};

struct ImapUrl {
  bool implicit_tls = true;  // imaps://; imap:// means STARTTLS (required)
  std::string host;
  std::string port;     // "993" / "143" by default
  std::string mailbox;  // percent-decoded; "INBOX" when the path is empty
};

// Parses imaps://host[:port]/MAILBOX, imap://host[:port]/MAILBOX, with
// [v6addr] hosts. kInvalidConfig with "imap.url: ..." otherwise.
Result<ImapUrl> ParseImapUrl(std::string_view url);

// The flag to acknowledge with: `wanted` (imap.ack_flag) when the mailbox keeps
// it, else \Seen. `permanent_flags` is SELECT's [PERMANENTFLAGS (...)], or
// std::nullopt when the server sent none (then every flag is kept, RFC 3501
// §7.1). A system flag (\Flagged) must be listed; a keyword must be listed or
// allowed by `\*`. Flags compare case-insensitively.
std::string AckFlagFor(std::string_view wanted,
                       const std::optional<std::vector<std::string>>& permanent_flags);

// Counters for logs and tests.
struct ImapStats {
  std::uint64_t recorded = 0, unmatched = 0, duplicates = 0, not_replies = 0, quarantined = 0,
                connects = 0;
};

class ImapSource final : public sources::Source {
 public:
  // `ingestor`, `database` and `clock` must outlive this object; `on_commit`
  // runs after each committed reply (the daemon rewrites the status file).
  ImapSource(boost::asio::io_context& io, const Clock& clock, ingest::Ingestor& ingestor,
             store::Database& database, ImapOptions options, std::function<void()> on_commit);
  ~ImapSource() override;

  std::string name() const override { return "imap"; }
  // Checks the url and the CA file, creates the state table and starts the
  // session on the io_context. Errors: kInvalidConfig (url, ca_file), kIo.
  Status Start() override;
  // Closes the connection and cancels the timers; the session ends soon after.
  void Stop() override;
  bool Drain() override;

  const ImapStats& stats() const;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;  // shared with the running session
};

}  // namespace tacit::imap
