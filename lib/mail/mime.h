// The only GMime user (like notmuch's message-file.c): a raw RFC 5322 message
// in, a match::Candidate out, for every mail source (Maildir, IMAP, .eml files
// in the drop folder). Nothing here reads the clock or the network.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "match/candidate.h"

namespace tacit::mail {

struct Limits {
  std::size_t max_bytes = 50u << 20;  // whole message
  int max_depth = 32;                 // MIME nesting
  std::size_t max_parts = 200;
  std::size_t max_header_line = 64u << 10;
};

struct AttachmentData {
  std::string name;          // sanitised: no '/', no control characters, never empty
  std::string content_type;  // "application/pdf"
  std::string bytes;         // decoded
};

struct ParsedMessage {
  // Filled: from, subject (decoded UTF-8, NFC), message_id, in_reply_to,
  // references, date_header, auto_submitted, delivery_report, own_text,
  // quoted_text, attachments (name + extracted text), content_hash (SHA-256 of
  // the raw bytes). Left for the source: channel, received_at.
  match::Candidate candidate;
  std::vector<AttachmentData> attachments;  // to keep in the archive
  // The display name of the first From mailbox, decoded to UTF-8 NFC ("" when
  // the address has none): what a mail client shows as the sender.
  std::string from_name;
};

// Parses one message. kBadInput (quarantine, with a one-line reason) for what
// cannot be read as mail; never crashes or hangs on malformed input.
Result<ParsedMessage> ParseMessage(std::string_view raw, const Limits& limits = {});

}  // namespace tacit::mail
