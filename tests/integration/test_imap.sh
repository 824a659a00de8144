# The IMAP source end to end (issue 5): real tacitd against a private Dovecot on
# 127.0.0.1 (scripts/start-dovecot.sh), IMAPS with a test CA, real SQLite.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/imap_lib.sh"
start_dovecot

# append FROM SUBJECT BODY INTERNALDATE [MESSAGE-ID]
append() {
  MSG_FROM=$1 MSG_SUBJECT=$2 MSG_BODY=$3 MSG_DATE=$4 MSG_ID=${5:-} imap_py '
import os
from email.message import EmailMessage
e = EmailMessage()
e["From"] = os.environ["MSG_FROM"]
e["To"] = "vhxh@example.vn"
e["Subject"] = os.environ["MSG_SUBJECT"]
if os.environ["MSG_ID"]: e["Message-ID"] = os.environ["MSG_ID"]
e.set_content(os.environ["MSG_BODY"])
typ, _ = m.append("INBOX", None, "\"" + os.environ["MSG_DATE"] + "\"", e.as_bytes())
assert typ == "OK"
'
}
replies_count() { ctl replies k --json | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
write_config "$(date -d '+5 days' +%d/%m/%Y)"
imap_config

# Waiting before tacitd starts: two replies and one message that is not mail.
DATE1=$(LC_ALL=C date -d '-2 days' '+%d-%b-%Y 10:15:00 +0700')
append "Tổ 1 <tdp01@example.vn>" "Re: Xin ý kiến dự thảo kế hoạch" \
  "Tổ dân phố số 1 nhất trí với dự thảo." "$DATE1" "<tdp01-reply@example.vn>"
append "congan@example.vn" "Ý kiến của Công an phường" \
  "Công an phường không đồng ý với tiến độ." "$(LC_ALL=C date -d '-1 days' '+%d-%b-%Y %H:%M:%S +0700')"
imap_py '
typ, _ = m.append("INBOX", None, None, b"\x00\x01\x02 not a mail \x00\r\n" * 3)
assert typ == "OK"
'

start_daemon
wait_for "tdp-01 replied" 10 status_is "u['tdp-01']['status']" "replied"
wait_for "cong-an replied" 5 status_is "u['cong-an']['status']" "replied"
expect_status "u['tdp-01']['channel']" "imap"
expect_status "u['cong-an']['stance']" "object"
ctl replies k --unit tdp-01 --json | "$PY" -c '
import json, sys, datetime
r = json.load(sys.stdin)[0]
got = datetime.datetime.fromisoformat(r["received_at"])
want = datetime.datetime.strptime(sys.argv[1], "%d-%b-%Y %H:%M:%S %z")
assert got == want, (r["received_at"], sys.argv[1])
assert r["source"].startswith("imap:") and r["source"].endswith(":1"), r["source"]
' "$DATE1" || fail "received_at is not the INTERNALDATE, or the source is not imap:V:1"

# Acknowledged by flags only: nothing deleted, all \Seen, the bad one quarantined.
flags_seen() { [ "$(flags_of | grep -c '\\Seen')" -eq 3 ]; }
wait_for "3 messages \\Seen" 5 flags_seen
[ "$(flags_of | wc -l)" -eq 3 ] || fail "messages deleted: $(flags_of)"
flags_of | grep -q '^3:\$TacitQuarantined \\Seen$' || fail "not flagged quarantined: $(flags_of)"
Q=$WORK/state/quarantine
[ -f "$Q/imap-3.eml" ] && [ -f "$Q/imap-3.eml.reason" ] || fail "no quarantined copy: $(ls -la "$Q" 2>&1)"
# (Dovecot stores NUL bytes as 0x80, so compare the text around them.)
[ "$(grep -c ' not a mail ' "$Q/imap-3.eml")" -eq 3 ] || fail "quarantined bytes differ"
grep -q "imap:.*:3 quarantined" "$WORK/tacitd.log" || fail "no quarantine warning in the log"
[ "$(replies_count)" = "2" ] || fail "expected 2 replies, got $(replies_count)"

# IDLE: a message appended while tacitd runs is noticed within seconds
# (poll_seconds is 60, so only IDLE can be that quick).
grep -q "IDLE" "$WORK/tacitd.log" || fail "the server's IDLE was not used"
sleep 1
t0=$(date +%s%N)
append "ubnd@example.vn" "Trả lời: dự thảo kế hoạch" "UBND phường nhất trí." \
  "$(LC_ALL=C date '+%d-%b-%Y %H:%M:%S +0700')"
wait_for "ubnd replied via IDLE" 5 status_is "u['ubnd']['status']" "replied"
echo "IDLE: noticed in $(( ($(date +%s%N) - t0) / 1000000 )) ms"

# Restart: nothing recorded twice; then the state lost (as after a UIDVALIDITY
# change): everything is read again and still recorded once.
stop_daemon
start_daemon
wait_for "selected again" 10 grep -q "INBOX selected" "$WORK/tacitd.log"
sleep 1
[ "$(replies_count)" = "3" ] || fail "after restart: $(replies_count) replies"
stop_daemon
sqlite3 "$WORK/state/tacit.db" "UPDATE imap_state SET uidvalidity = 1, last_uid = 0"
start_daemon
wait_for "re-read" 10 grep -q "UIDVALIDITY changed" "$WORK/tacitd.log"
already() { [ "$(grep -c 'is already recorded' "$WORK/tacitd.log")" -ge 3 ]; }
wait_for "3 duplicates recognised" 10 already
[ "$(replies_count)" = "3" ] || fail "after re-reading: $(replies_count) replies"
[ "$(ls "$Q"/imap-*.eml | wc -l)" -eq 1 ] || fail "quarantined twice: $(ls "$Q")"
stop_daemon

# STARTTLS (imap://) works the same.
sed -i "s|^url = .*|url = \"imap://127.0.0.1:$IMAP_PORT/INBOX\"|" "$WORK/tacit.toml"
start_daemon
wait_for "selected over STARTTLS" 10 grep -q "INBOX selected" "$WORK/tacitd.log"
stop_daemon

# A CA that did not sign the server's certificate: refused, logged, no crash.
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=other CA" \
  -keyout "$WORK/other.key" -out "$WORK/other-ca.pem" 2>/dev/null
sed -i "s|^url = .*|url = \"imaps://127.0.0.1:$IMAPS_PORT/INBOX\"|; s|^ca_file = .*|ca_file = \"$WORK/other-ca.pem\"|" \
  "$WORK/tacit.toml"
start_daemon
wait_for "certificate refused" 10 grep -q "TLS handshake refused.*certificate verify failed" "$WORK/tacitd.log"
kill -0 "$DAEMON_PID" || fail "tacitd died on a bad certificate"
stop_daemon

# A wrong password: a clear error, retried, the daemon keeps running.
printf 'wrong\n' > "$WORK/wrong.password"
sed -i "s|^ca_file = .*|ca_file = \"$CA\"|; s|^password_file = .*|password_file = \"$WORK/wrong.password\"|" \
  "$WORK/tacit.toml"
start_daemon
wait_for "login refused" 10 grep -q "login as tacit refused" "$WORK/tacitd.log"
kill -0 "$DAEMON_PID" || fail "tacitd died on a wrong password"
stop_daemon

# A deadline that passed while a reply waited unread on the server: the deadline
# waits until IMAP is drained (SPEC §2), then the reply counts as on time.
sed -i "s|^password_file = .*|password_file = \"$DC/password\"|" "$WORK/tacit.toml"
# (An hour ago, well within daemon.deadline_grace.)
sed -i "s|^deadline = .*|deadline = \"$(TZ=Asia/Ho_Chi_Minh date -d '-1 hour' '+%d/%m/%Y %H:%M')\"|" \
  "$WORK/consultations/k.toml"
append "to2@example.vn" "TDP 2 trả lời" "Tổ dân phố số 2 nhất trí." \
  "$(LC_ALL=C date -d '-2 days' '+%d-%b-%Y 09:00:00 +0700')"
start_daemon
grep -q "deadline held back.*imap" "$WORK/tacitd.log" || fail "the deadline did not wait for imap"
wait_for "deadline applied after the drain" 70 grep -q "deadline applied for k" "$WORK/tacitd.log"
expect_status "u['tdp-02']['status']" "replied"
expect_status "u['tdp-02']['late_reply']" "False"
stop_daemon

! grep -q "secret-pw" "$WORK/tacitd.log" "$WORK/tacitd.earlier.log" || fail "the password was logged"
echo "PASS"
