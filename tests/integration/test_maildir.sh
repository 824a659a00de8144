# The Maildir source end to end (issue 5): real tacitd, a real Maildir, real SQLite.
source "$(dirname "$0")/lib.sh"

write_config "$(date -d '+5 days' +%d/%m/%Y)"
cat >> "$WORK/tacit.toml" <<TOML

[maildir]
path = "Maildir"
TOML
MD=$WORK/Maildir
mkdir -p "$MD/tmp" "$MD/new" "$MD/cur"
replies_count() { ctl replies k --json | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
unmatched_count() { ctl unmatched --json | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
# deliver FILE-WITH-MESSAGE [MTIME]: as a delivery agent does, tmp/ then rename into new/.
# Prints the unique name.
deliver() {
  local name
  name="$(date +%s).M$(date +%N)P$$.test"
  cp "$1" "$MD/tmp/$name"
  if [ -n "${2:-}" ]; then touch -d "@$2" "$MD/tmp/$name"; fi
  mv "$MD/tmp/$name" "$MD/new/$name"
  echo "$name"
}
# message FROM SUBJECT BODY [EXTRA-HEADERS]: a UTF-8 quoted-printable message on stdout.
message() {
  "$PY" - "$@" <<'PY'
import sys, quopri, email.header, uuid
frm, subject, body = sys.argv[1:4]
extra = sys.argv[4] if len(sys.argv) > 4 else ""
print(f"From: {frm}")
print("To: vhxh@phuong.example.vn")
print("Subject: " + email.header.Header(subject, "utf-8").encode())
print("Date: Tue, 10 Feb 2026 08:15:00 +0700")
print(f"Message-ID: <{uuid.uuid4()}@mail.example.vn>")
if extra: print(extra)
print("MIME-Version: 1.0")
print("Content-Type: text/plain; charset=utf-8")
print("Content-Transfer-Encoding: quoted-printable")
print()
print(quopri.encodestring(body.encode()).decode())
PY
}
in_cur_seen() { [ -f "$MD/cur/$1:2,S" ]; }

# Delivered while stopped: counted at start, received time = the delivery time.
message 'Công an phường <congan@example.vn>' 'Trả lời 15/VH-XH' \
  'Công an phường nhất trí với dự thảo kế hoạch.' > "$WORK/m1.eml"
delivered_at=$(( $(date +%s) - 3600 ))
m1=$(deliver "$WORK/m1.eml" "$delivered_at")
start_daemon
wait_for "cong-an replied" 5 status_is "u['cong-an']['status']" "replied"
expect_status "u['cong-an']['channel']" "maildir"
expect_status "u['cong-an']['stance']" "agree"
ctl replies k --unit cong-an --json | "$PY" -c '
import json, sys, datetime
r = json.load(sys.stdin)[0]
got = datetime.datetime.fromisoformat(r["received_at"]).timestamp()
assert int(got) == int(sys.argv[1]), (r["received_at"], sys.argv[1])
assert r["source"] == "maildir:" + sys.argv[2], r
' "$delivered_at" "$m1" || fail "received time is not the delivery time"
wait_for "m1 moved to cur/ with S" 3 in_cur_seen "$m1"
[ -z "$(ls -A "$MD/new")" ] || fail "new/ not emptied"

# Delivered while running: noticed through inotify, recorded, moved to cur/ with S.
message 'TDP 1 <TDP01@example.vn>' 'Re: Xin ý kiến dự thảo kế hoạch' \
  "Tổ dân phố số 1 đề nghị bổ sung tiến độ.

Vào Th 2, 9 thg 2, 2026 lúc 08:00 Phòng VH-XH <vhxh@phuong.example.vn> đã viết:
> Kính gửi: Ủy ban nhân dân phường, Công an phường, Tổ dân phố số 2
> Quá thời hạn trên, đơn vị không có ý kiến được hiểu là đồng ý." > "$WORK/m2.eml"
m2=$(deliver "$WORK/m2.eml")
wait_for "tdp-01 replied" 3 status_is "u['tdp-01']['status']" "replied"
expect_status "u['tdp-01']['channel']" "maildir"
expect_status "u['tdp-01']['stance']" "comments"
# The quoted letter names other units: they must not be counted.
expect_status "u['tdp-02']['status']" "pending"
wait_for "m2 moved to cur/ with S" 3 in_cur_seen "$m2"

# An auto-reply: not a reply, but acknowledged all the same.
message 'UBND <ubnd@example.vn>' 'Vắng mặt: Xin ý kiến' 'Tôi đang nghỉ phép đến 20/02.' \
  'Auto-Submitted: auto-replied' > "$WORK/auto.eml"
m3=$(deliver "$WORK/auto.eml")
wait_for "auto-reply moved to cur/" 3 in_cur_seen "$m3"
expect_status "u['ubnd']['status']" "pending"

# The same message delivered twice: one reply.
before=$(replies_count)
m4=$(deliver "$WORK/m2.eml")
wait_for "duplicate moved to cur/" 3 in_cur_seen "$m4"
[ "$(replies_count)" -eq "$before" ] || fail "duplicate recorded twice"

# With an attachment: kept in the archive, its text used.
"$PY" - > "$WORK/att.eml" <<'PY'
import base64
txt = "Ủy ban nhân dân phường nhất trí với dự thảo.\n".encode()
print("""From: ubnd@example.vn
To: vhxh@phuong.example.vn
Subject: =?utf-8?B?""" + base64.b64encode("Gửi văn bản trả lời".encode()).decode() + """?=
Date: Tue, 10 Feb 2026 09:00:00 +0700
Message-ID: <att-1@example.vn>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b"

--b
Content-Type: text/html; charset=utf-8

<p>Xem t&#7879;p &#273;&iacute;nh k&egrave;m.</p>
--b
Content-Type: text/plain; charset=utf-8
Content-Disposition: attachment; filename*=utf-8''Tr%E1%BA%A3%20l%E1%BB%9Di.txt
Content-Transfer-Encoding: base64

""" + base64.b64encode(txt).decode() + """
--b--""")
PY
m5=$(deliver "$WORK/att.eml")
wait_for "ubnd replied" 3 status_is "u['ubnd']['status']" "replied"
wait_for "m5 moved to cur/" 3 in_cur_seen "$m5"
kept=$(find "$WORK/state/archive" -path '*/mail-*/Trả lời.txt' | head -1)
[ -n "$kept" ] || fail "attachment not kept: $(find "$WORK/state" -type f)"
grep -q "nhất trí" "$kept" || fail "attachment bytes"

# A message a client moved to cur/ unread (no S flag): read at the next rescan (start).
message 'someone@elsewhere.vn' 'Góp ý' 'Ý kiến đóng góp của một đơn vị.' > "$WORK/unread.eml"
cp "$WORK/unread.eml" "$MD/cur/1700000000.unread.test:2,"
# Malformed: quarantined with a reason; the daemon goes on.
: > "$WORK/empty.eml"
m6=$(deliver "$WORK/empty.eml")
"$PY" - > "$WORK/deep.eml" <<'PY'
print("From: a@b.vn\nSubject: deep")
for i in range(1000):
    print(f"Content-Type: multipart/mixed; boundary=b{i}\n\n--b{i}")
print("Content-Type: text/plain\n\nbottom")
PY
m7=$(deliver "$WORK/deep.eml")
Q=$WORK/state/quarantine
wait_for "empty quarantined" 3 test -f "$Q/$m6.reason"
wait_for "deep quarantined" 3 test -f "$Q/$m7.reason"
grep -q "empty message" "$Q/$m6.reason" || fail "empty: $(cat "$Q/$m6.reason")"
grep -q "MIME" "$Q/$m7.reason" || fail "deep: $(cat "$Q/$m7.reason")"
[ -f "$Q/$m7" ] || fail "message not in quarantine"
kill -0 "$DAEMON_PID" || fail "tacitd died"
stop_daemon

unmatched_before=$(unmatched_count)
start_daemon
wait_for "unread cur/ message acknowledged" 5 test -f "$MD/cur/1700000000.unread.test:2,S"
[ "$(unmatched_count)" -eq $((unmatched_before + 1)) ] || fail "unread cur/ message not recorded"
[ ! -e "$MD/cur/1700000000.unread.test:2," ] || fail "unread message left unflagged"
# Everything in cur/ is seen now; nothing left in new/.
[ -z "$(ls -A "$MD/new")" ] || fail "new/ not emptied: $(ls "$MD/new")"
[ -z "$(find "$MD/cur" -type f ! -name '*:2,*S*')" ] || fail "unflagged in cur/"

# kill -9 during a 1,000-message burst, then restart: each message exactly once.
before=$(replies_count)
"$PY" - "$MD/tmp" <<'PY'
import os, sys, time
d = sys.argv[1]
for i in range(1000):
    with open(os.path.join(d, f"{int(time.time())}.B{i:04d}.burst"), "w") as f:
        f.write(f"From: congan@example.vn\nSubject: Tra loi 15/VH-XH\n"
                f"Message-ID: <burst-{i}@example.vn>\nContent-Type: text/plain; charset=utf-8\n\n"
                f"Công an phường nhất trí, lần {i}.\n")
PY
mv "$MD"/tmp/*.burst "$MD/new/"
some_acknowledged() { [ "$(find "$MD/cur" -name '*.burst:2,S' | wc -l)" -ge 50 ]; }
wait_for "the burst under way" 20 some_acknowledged
kill -9 "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null || true
DAEMON_PID=""
[ -n "$(ls -A "$MD/new")" ] || echo "note: the burst was read whole before kill -9"
start_daemon
new_empty() { [ -z "$(ls -A "$MD/new")" ]; }
wait_for "the burst read after the restart" 60 new_empty
[ "$(replies_count)" -eq $((before + 1000)) ] || fail "burst: $(replies_count) replies, expected $((before + 1000))"
[ "$(find "$MD/cur" -name '*.burst:2,S' | wc -l)" -eq 1000 ] || fail "burst: not all in cur/ with S"
# status.html is rewritten less often than status.json during a backlog; the
# last state still reaches it once the backlog is over (a write is planned).
html_after_burst() {
  "$PY" - "$WORK/state/status.html" "$MD/cur" <<'PY'
import os, sys
html, cur = sys.argv[1], sys.argv[2]
last = max(os.stat(os.path.join(cur, f)).st_ctime_ns for f in os.listdir(cur) if ".burst" in f)
sys.exit(0 if os.stat(html).st_mtime_ns >= last else 1)
PY
}
wait_for "status.html rewritten after the burst's last commit" 10 html_after_burst
stop_daemon
echo "ok: $(replies_count) replies, $(unmatched_count) unmatched"
