// Keeping a mail's attachments in the archive, shared by the mail sources
// (Maildir and IMAP) so that a reply's files land in the same place whichever
// way it came in (SPEC §3: "attachments (kept in the archive ...)").
#pragma once

#include <string>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "domain/dates.h"
#include "mail/mime.h"

namespace tacit::sources {

// Writes each attachment to
//   state_dir/archive/YYYY/MM/mail-<first 12 hex of content_hash>/NAME
// (YYYY/MM: `received` in `tz`; NAME as sanitised by the MIME parser, unique
// within the message), each through a temporary file and renamed; sets
// `*wrote` when it wrote any file. Idempotent: a file already there with the
// same size (an earlier attempt at the same message) is left alone, so a
// message read again after a crash or a UIDVALIDITY change writes nothing new.
// Call it before the reply is committed: a failure (kIo, naming the path)
// means "not committed, try again later".
//
// The files are not fsynced one by one: a source commits replies in groups,
// and calls SyncArchive once before committing a group whose messages wrote
// any file (one flush per group instead of one per attachment: the per-file
// fsync was about 6% of an IMAP backlog's time).
Status KeepMailAttachments(const std::string& state_dir, const TimeZone& tz,
                           const std::string& content_hash, TimePoint received,
                           const std::vector<mail::AttachmentData>& attachments, bool* wrote);

// Flushes to disk what KeepMailAttachments wrote (syncfs on the file system
// that holds state_dir/archive).
Status SyncArchive(const std::string& state_dir);

}  // namespace tacit::sources
