// Named crash points for the crash tests (tests/crash, issue 9).
//
// CrashPoint("name") does nothing unless the environment variable TACIT_CRASH_AT
// names that point when the process first reaches any crash point: then the
// process kills itself with SIGKILL right there (no destructor, no atexit, no
// flush: the same as a power cut or kill -9 for everything not yet on disk).
// "name:N" kills at the Nth time the point is reached (counting from 1), so a
// test can crash in the middle of a batch. The variable is read once; in
// production (unset) a crash point costs a cached comparison.
//
// Before dying it writes one line to stderr, "tacit: crash point NAME reached",
// so the harness can tell its kill from any other death.
//
// TACIT_STOP_AT, in the same form, stops the process there instead (SIGSTOP,
// once, after the line "tacit: stop point NAME reached"), for a test to act
// while tacitd is surely in the middle of something, then send SIGCONT.
//
// The points (keep this list and the README in step):
//   ingest.before_commit     a reply is matched, RecordReply not yet run
//   ingest.after_commit      the reply is committed, the source has not acknowledged it
//   drop.after_archive       the dropped file is moved to archive/ (acknowledged)
//   maildir.before_move      committed; the message is still in new/ (or unseen in cur/)
//   maildir.after_move       the message is in cur/ with :2,S
//   imap.before_flag         a fetched batch is committed; UID STORE \Seen not yet sent
//   imap.after_flag          the batch is flagged \Seen; last UID not yet saved
//   mail.after_plan          outbox rows committed (planned), nothing sent
//   mail.after_mark_sending  the row is 'sending' (committed); SMTP not yet started
//   mail.after_smtp_ok       the server said 250 to the message; MarkSent not yet run
//   mail.after_mark_sent     the row is 'sent' (committed)
//   deadline.before_apply    sources drained for a due deadline; not yet applied
//   deadline.after_apply     the deadline is applied (committed); final reports not written
//   status.before_rename     status file written to its .tmp and fsynced; not yet renamed
#pragma once

#include <string_view>

namespace tacit {

void CrashPoint(std::string_view name);

}  // namespace tacit
