// Candidate: a received item as every source hands it to matching (SPEC §3).
// Sources fill what they know; matching reads only this, never the source.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "domain/types.h"

namespace tacit::match {

struct Attachment {
  std::string name;  // file name as sent (sanitised by the source)
  std::string text;  // extracted text, empty when none could be extracted
};

struct Candidate {
  Channel channel = Channel::kDrop;
  TimePoint received_at;  // our side's receipt time (SPEC §2)
  // Mail fields (empty for files).
  std::vector<std::string> from;  // bare addresses, as written
  std::string subject;
  std::optional<std::string> message_id;
  std::string in_reply_to;              // the In-Reply-To header's message-id, if any
  std::vector<std::string> references;  // the References header's message-ids
  std::string date_header;
  bool auto_submitted = false;    // Auto-Submitted other than "no", X-Autoreply, out-of-office
  bool delivery_report = false;   // multipart/report or a bounce
  std::string bounced_recipient;  // a delivery report's failed recipient, if it names one
  // Drop folder fields (empty for mail): the path below the drop folder,
  // e.g. "dan-chu-2026/tdp-05/Tra loi.pdf" -> subfolders {"dan-chu-2026","tdp-05"}.
  std::vector<std::string> subfolders;
  std::string file_name;
  // The text: the body (or the file's text) split into the sender's own words and
  // the quoted material, which never counts (text/quotes.h).
  std::string own_text;
  std::string quoted_text;
  std::vector<Attachment> attachments;
  std::string content_hash;  // SHA-256 of the raw item (file bytes, raw message)
  // A scan read by OCR (drop folder, issue 10). own_text is then the whole OCR
  // text; the unit comes from the letterhead (match/letterhead.h), never from
  // names in the body, and the stance from the body only.
  bool ocr = false;
  std::string letterhead_text;  // the top-left block's lines, top to bottom
  double ocr_confidence = 0;    // mean word confidence, 0-100
  // Below drop_folder.ocr_min_confidence: the stance is unknown and the reply
  // is marked "cần kiểm tra" (to check).
  bool ocr_low_confidence = false;
  // The stance, when Matcher::ClassifyStance already gave it (the mail
  // sources do so on their parse thread, off the event loop); Match then uses
  // it as it is. Unset: Match classifies.
  std::optional<Stance> stance;
};

}  // namespace tacit::match
