// Mail out (issue 6): an outgoing message as RFC 5322 bytes, built with GMime.
//
// Every header is produced by GMime from structured fields (display names and
// the subject as RFC 2047 encoded words, addresses as addr-specs), and every
// field is checked first: a name, subject or address holding CR, LF or another
// control character, or an address that is not one, is refused (kBadInput), so
// no field can inject a header. The body is UTF-8 text/plain (quoted-printable);
// attachments are base64.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/clock.h"
#include "core/status.h"

namespace tacit::mail {

struct Attachment {
  std::string file_name;     // e.g. "bao-cao.html"
  std::string content_type;  // e.g. "text/html; charset=utf-8"
  std::string bytes;
};

struct Mailbox {
  std::string name;  // may be empty
  std::string address;
};

struct OutgoingMessage {
  Mailbox from;
  std::vector<Mailbox> to;
  std::string reply_to;  // an address; empty: none
  std::string subject;
  std::string body;        // UTF-8 plain text, LF line ends
  std::string message_id;  // without <>
  TimePoint date;
  std::vector<Attachment> attachments;
  bool auto_generated = true;  // Auto-Submitted: auto-generated (RFC 3834)
};

// The message with CRLF line ends, 7-bit clean. kBadInput names the bad field.
Result<std::string> ComposeMessage(const OutgoingMessage& message);

// A deterministic Message-ID (without <>) for one (kind, consultation, unit,
// slot): "tacit.reminder.dan-chu-2026.tdp-01.20260206T0800@example.vn". The
// same inputs always give the same id, so a resend after a crash carries the
// same Message-ID and a reply's In-Reply-To finds the unit.
std::string MakeMessageId(std::string_view kind, std::string_view consultation,
                          std::string_view unit, std::string_view slot, std::string_view domain);

// The domain of an address ("vhxh@example.vn" -> "example.vn"); "localhost" if none.
std::string DomainOf(std::string_view address);

// True when `text` can go into a header field: no control characters (CR, LF,
// NUL, ...) and valid UTF-8.
bool HeaderSafe(std::string_view text);

}  // namespace tacit::mail
