# IMAP acknowledgement flag and attachments (issue 5), against a real Dovecot:
# with imap.ack_flag a keyword, a reply that a person already read (\Seen) is
# still recorded, tacit sets its keyword and leaves \Seen as the person left it;
# a server that refuses the keyword gets \Seen instead; a mail's attachment is
# kept in the archive under its sanitised name, as for Maildir.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/imap_lib.sh"

start_dovecot
write_config "$(date -d '+5 days' +%d/%m/%Y)"
imap_config "ack_flag = '\$TacitDone'"

RECEIVED=$(LC_ALL=C date -d '-1 days' '+%d-%b-%Y 10:00:00 +0700')
# Before tacitd starts: a reply a person has read already, an unread one, a
# reply with an attachment whose name tries to leave its folder, and one
# message that is not mail.
MSG_DATE=$RECEIVED imap_py '
import os
from email.message import EmailMessage
def mail(sender, subject, text, mid):
    e = EmailMessage()
    e["From"] = sender
    e["To"] = "vhxh@example.vn"
    e["Subject"] = subject
    e["Message-ID"] = mid
    e.set_content(text)
    return e
date = "\"" + os.environ["MSG_DATE"] + "\""
read = mail("Tổ 1 <tdp01@example.vn>", "Re: Xin ý kiến dự thảo kế hoạch",
            "Tổ dân phố số 1 nhất trí.", "<read-by-a-person@example.vn>")
assert m.append("INBOX", None, date, read.as_bytes())[0] == "OK"
assert m.uid("STORE", "1", "+FLAGS", "(\\Seen)")[0] == "OK"
unread = mail("congan@example.vn", "Ý kiến của Công an phường",
              "Công an phường không đồng ý với tiến độ.", "<unread@example.vn>")
assert m.append("INBOX", None, date, unread.as_bytes())[0] == "OK"
att = mail("ubnd@example.vn", "Trả lời: dự thảo kế hoạch", "Xem tệp đính kèm.",
           "<with-attachment@example.vn>")
att.add_attachment("UBND phường nhất trí với dự thảo.\n".encode(), maintype="text",
                   subtype="plain", filename="../../Công văn:trả lời?.txt")
assert m.append("INBOX", None, date, att.as_bytes())[0] == "OK"
assert m.append("INBOX", None, None, b"\x00\x01 not a mail \x00\r\n" * 3)[0] == "OK"
'

start_daemon
wait_for "tdp-01 replied (read by a person first)" 15 status_is "u['tdp-01']['status']" "replied"
wait_for "cong-an replied" 5 status_is "u['cong-an']['status']" "replied"
wait_for "ubnd replied" 5 status_is "u['ubnd']['status']" "replied"
expect_status "u['tdp-01']['channel']" "imap"

# The keyword on every message; \Seen only where the person put it; the
# unreadable one keeps tacit's keyword and the quarantine keyword, unread.
want_flags='1:$TacitDone \Seen
2:$TacitDone
3:$TacitDone
4:$TacitDone $TacitQuarantined'
flags_ok() { [ "$(flags_of)" = "$want_flags" ]; }
wait_for "flags: keyword set, \\Seen untouched" 5 flags_ok
[ "$(db "SELECT count(*) FROM replies")" = "3" ] || fail "expected 3 replies"

# The attachment: in the archive, under the month received, in the folder of the
# message's content hash, with the path and the characters : and ? taken out.
kept=$(find "$WORK/state/archive" -path '*/mail-*/Công văn_trả lời_.txt')
[ "$(printf '%s\n' "$kept" | grep -c .)" -eq 1 ] ||
  fail "attachment not kept once: $(find "$WORK/state" -type f)"
grep -qx "UBND phường nhất trí với dự thảo." "$kept" || fail "attachment bytes differ"
month=$(TZ=Asia/Ho_Chi_Minh date -d '-1 days' +%Y/%m)
hash=$(db "SELECT substr(content_hash, 1, 12) FROM replies WHERE unit_code = 'ubnd'")
[ "$kept" = "$WORK/state/archive/$month/mail-$hash/Công văn_trả lời_.txt" ] ||
  fail "attachment at $kept, expected archive/$month/mail-$hash/"
[ -z "$(find "$WORK" -name 'Công văn*' ! -path "$WORK/state/archive/*")" ] ||
  fail "an attachment escaped the archive"

# While tacitd runs: a reply that arrives already marked read is recorded too.
MSG_DATE=$(LC_ALL=C date '+%d-%b-%Y %H:%M:%S +0700') imap_py '
import os
from email.message import EmailMessage
e = EmailMessage()
e["From"] = "tdp02@example.vn"
e["To"] = "vhxh@example.vn"
e["Subject"] = "TDP 2 trả lời"
e.set_content("Tổ dân phố số 2 nhất trí.")
assert m.append("INBOX", "(\\Seen)", "\"" + os.environ["MSG_DATE"] + "\"", e.as_bytes())[0] == "OK"
'
wait_for "tdp-02 replied (arrived read)" 10 status_is "u['tdp-02']['status']" "replied"
flags5() { flags_of | grep -qx '5:$TacitDone \\Seen'; }
wait_for "message 5 acknowledged with the keyword" 5 flags5
stop_daemon

# A server that refuses the keyword (here: a new one, longer than Dovecot's
# mail_max_keyword_length; keywords the mailbox has already are still taken)
# still gets the message acknowledged, with \Seen, and the mailbox does not stall.
sed -i "s|^ack_flag = .*|ack_flag = '\$TacitRecorded'|" "$WORK/tacit.toml"
echo "mail_max_keyword_length = 4" >> "$DC/dovecot.conf"
kill -HUP "$(cat "$DC/run/master.pid")"
sleep 1  # the reload is asynchronous; new imap processes read the new limit
MSG_DATE=$RECEIVED imap_py '
import os
from email.message import EmailMessage
e = EmailMessage()
e["From"] = "congan@example.vn"
e["To"] = "vhxh@example.vn"
e["Subject"] = "Công an phường bổ sung ý kiến"
e.set_content("Đề nghị bổ sung tiến độ.")
assert m.append("INBOX", None, "\"" + os.environ["MSG_DATE"] + "\"", e.as_bytes())[0] == "OK"
'
start_daemon
flags6() { flags_of | grep -qx '6:\\Seen'; }
wait_for "message 6 flagged \\Seen instead" 10 flags6
grep -q 'flags (\$TacitRecorded) not accepted.*flagging \\Seen only' "$WORK/tacitd.log" ||
  fail "no warning about the refused keyword"
[ "$(db "SELECT count(*) FROM replies")" = "5" ] || fail "expected 5 replies"
[ "$(db "SELECT last_uid FROM imap_state")" = "6" ] || fail "last UID not advanced past 6"
stop_daemon
echo "PASS"
