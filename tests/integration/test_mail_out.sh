#!/usr/bin/env bash
# Mail out end to end (issue 6): real tacitd, real SQLite, and a real SMTP
# server (tests/smtp/smtp_server.py on Debian's python3-aiosmtpd) on 127.0.0.1
# with STARTTLS (a test CA), AUTH PLAIN and scripted failures.
#
#  - the server is down at slot time: the reminders go out when it returns;
#  - reminders go only to pending units with an email; 451 then success gives
#    one message; 550 marks the address failed and is not retried;
#  - a reply to a reminder (In-Reply-To its Message-ID, from an unknown
#    address) is matched to the unit;
#  - kill -9 and restart send nothing twice;
#  - the digest arrives while open and the final report, with its HTML and CSV
#    attached, when the deadline applies.
source "$(dirname "$0")/lib.sh"

SRC=${TACIT_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if ! "$PY" -c 'import aiosmtpd' 2>/dev/null; then
  if [ "${CI:-}" = "true" ]; then fail "python3-aiosmtpd is missing (scripts/install-deps.sh installs it)"; fi
  echo "SKIP: python3-aiosmtpd is not installed (run scripts/install-deps.sh)"
  exit 0
fi

# --- a test CA and a certificate for 127.0.0.1 ------------------------------------------
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=tacit mail test CA" \
  -keyout "$WORK/ca.key" -out "$WORK/ca.pem" \
  -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" \
  -keyout "$WORK/server.key" -out "$WORK/server.csr" 2>/dev/null
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' \
  > "$WORK/server.ext"
openssl x509 -req -in "$WORK/server.csr" -CA "$WORK/ca.pem" -CAkey "$WORK/ca.key" \
  -CAcreateserial -days 1 -extfile "$WORK/server.ext" -out "$WORK/server.pem" 2>/dev/null

PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
OUT="$WORK/received"
mkdir -p "$OUT"
SERVER_PID=""
start_server() {
  "$PY" "$SRC/tests/smtp/smtp_server.py" --host 127.0.0.1 --port "$PORT" --port-file "$WORK/port" \
    --out "$OUT" --tls-cert "$WORK/server.pem" --tls-key "$WORK/server.key" --require-starttls \
    --auth "vhxh@example.vn:s3cret-pw" --behaviour "$WORK/behaviour.json" \
    >>"$WORK/smtp.log" 2>&1 &
  SERVER_PID=$!
  wait_for "smtp server" 10 test -s "$WORK/port"
}
stop_server() {
  kill -TERM "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  rm -f "$WORK/port"
}
trap 'stop_server; cleanup' EXIT

# --- local time near midday whatever the UTC hour: an Etc/GMT zone --------------------
# (Etc/GMT-5 is UTC+5.) Slots are whole local minutes relative to the deadline's day,
# so the test needs a day that does not end while it runs.
utc_hour=$(date -u +%H)
offset=$(( 12 - 10#$utc_hour ))
if [ "$offset" -gt 0 ]; then TZNAME="Etc/GMT-$offset"; elif [ "$offset" -lt 0 ]; then TZNAME="Etc/GMT+$(( -offset ))"; else TZNAME="Etc/UTC"; fi
local_fmt() { TZ="$TZNAME" date -d "@$1" "$2"; }
NOW=$(date +%s)
SLOT=$(local_fmt $(( NOW - 60 )) +%H:%M)          # due at start
DIGEST=$(local_fmt $(( NOW - 60 )) +%H:%M)
DEADLINE_AT=$(( (NOW / 60 + 2) * 60 + 59 ))       # end of the minute two minutes ahead
DEADLINE=$(local_fmt "$DEADLINE_AT" "+%d/%m/%Y %H:%M")

mkdir -p "$WORK/consultations" "$WORK/inbox"
cat > "$WORK/units.csv" <<CSV
code,name,group,emails,aliases
tdp-01,Tổ dân phố số 1,Tổ dân phố,tdp01@example.vn,TDP 1
tdp-02,Tổ dân phố số 2,Tổ dân phố,bad@example.vn,TDP 2
tdp-03,Tổ dân phố số 3,Tổ dân phố,tdp03@example.vn,TDP 3
tdp-04,Tổ dân phố số 4,Tổ dân phố,,TDP 4
CSV
cat > "$WORK/consultations/k.toml" <<TOML
id = "k"
reference = "15/VH-XH"
subject = "Xin ý kiến dự thảo kế hoạch"
issuer = "Phòng Văn hóa – Xã hội"
deadline = "$DEADLINE"
addressees = ["*"]

[reminders]
schedule = ["0d $SLOT"]
report_to = ["truongphong@example.vn"]
digest_at = "$DIGEST"
TOML
printf 's3cret-pw\n' > "$WORK/smtp.password"
cat > "$WORK/tacit.toml" <<TOML
[daemon]
state_dir = "state"
timezone = "$TZNAME"

[drop_folder]
path = "inbox"

[smtp]
url = "smtp://127.0.0.1:$PORT"
username = "vhxh@example.vn"
password_file = "smtp.password"
ca_file = "ca.pem"
from = "Phòng Văn hóa – Xã hội <vhxh@example.vn>"
rate_per_minute = 100
retry_initial = "1s"
retry_max = "2s"
timeout = "10s"
TOML
# 550 for tdp-02's address; the first DATA (whichever message) gets 451.
cat > "$WORK/behaviour.json" <<'JSON'
{"rcpt": {"bad@example.vn": "550 5.1.1 no such user"}, "data": ["451 4.3.0 try later"]}
JSON

# tdp-03 answered before the slot: no reminder for it.
ctl record k tdp-03 --stance agree >/dev/null

# messages PYTHON-EXPR-over-list: the received messages as dicts
# {to, subject, message_id, in_reply_to, attachments, auto, body}.
messages_py() {
  "$PY" - "$OUT" "$1" <<'PY'
import email, email.policy, glob, json, os, sys
out = []
for j in sorted(glob.glob(os.path.join(sys.argv[1], "*.json"))):
    meta = json.load(open(j))
    raw = open(j[:-5] + ".eml", "rb").read()
    m = email.message_from_bytes(raw, policy=email.policy.default)
    body = m.get_body(("plain",))
    out.append({"to": meta["rcpt_tos"], "tls": meta["tls"], "auth": meta["auth_user"],
                "subject": str(m["subject"]), "message_id": str(m["message-id"]),
                "auto": str(m["auto-submitted"]), "reply_to": str(m["reply-to"]),
                "body": body.get_content() if body else "",
                "attachments": [(a.get_filename(), a.get_content_type()) for a in m.iter_attachments()]})
msgs = out
print(eval(sys.argv[2]))
PY
}
count_to() { messages_py "len([m for m in msgs if '$1' in m['to']])"; }
has_count_to() { [ "$(count_to "$1")" = "$2" ]; }

# --- 1. the server is down at slot time ---------------------------------------------------
start_daemon
wait_for "a retry while the server is down" 15 grep -q "retry in" "$WORK/tacitd.log"
[ "$(ls "$OUT" | wc -l)" -eq 0 ] || fail "mail arrived while the server was down"
start_server
wait_for "reminder to tdp-01" 30 has_count_to tdp01@example.vn 1
wait_for "digest to the head of office" 30 has_count_to truongphong@example.vn 1

# --- 2. what arrived ------------------------------------------------------------------
[ "$(count_to tdp03@example.vn)" = 0 ] || fail "tdp-03 replied but was reminded"
[ "$(count_to bad@example.vn)" = 0 ] || fail "a message reached the refused address"
subject=$(messages_py "[m['subject'] for m in msgs if 'tdp01@example.vn' in m['to']][0]")
case "$subject" in *"[tacit:k]"*) ;; *) fail "reminder subject without the tag: $subject" ;; esac
mid=$(messages_py "[m['message_id'] for m in msgs if 'tdp01@example.vn' in m['to']][0]")
[[ "$mid" == "<tacit.reminder.k.tdp-01."*"@example.vn>" ]] || fail "unexpected Message-ID $mid"
[ "$(messages_py "[m for m in msgs if 'tdp01@example.vn' in m['to']][0]['auto']")" = "auto-generated" ] ||
  fail "reminder without Auto-Submitted: auto-generated"
[ "$(messages_py "all(m['tls'] and m['auth'] == 'vhxh@example.vn' for m in msgs)")" = True ] ||
  fail "a message went without STARTTLS or AUTH"
body=$(messages_py "[m['body'] for m in msgs if 'tdp01@example.vn' in m['to']][0]")
for want in "Kính gửi: Tổ dân phố số 1" "15/VH-XH" "giờ" "được hiểu là đồng ý"; do
  [[ "$body" == *"$want"* ]] || fail "reminder body lacks '$want': $body"
done
grep -q "451" "$WORK/tacitd.log" || fail "the scripted 451 was not seen"
# 550: tdp-02's address failed, shown in the status file, and never retried.
wait_for "tdp-02 notice failed" 10 status_is "u['tdp-02']['notice_failed']" True
expect_status "u['tdp-02']['failed_addresses']" "['bad@example.vn']"
expect_status "u['tdp-01']['reminders_sent']" 1
expect_status "u['tdp-03']['reminders_sent']" 0
sleep 3
rcpt_bad=$(grep -c "RCPT bad@example.vn: scripted" "$WORK/smtp.log" || true)
[ "$rcpt_bad" -eq 1 ] || fail "bad@example.vn was tried $rcpt_bad times (550 must not be retried)"
ctl remind k --dry-run --json > "$WORK/dry.json"
"$PY" - "$WORK/dry.json" <<'PY' || fail "remind --dry-run does not show the outbox states"
import json, sys
s = {l["unit"]: l["state"] for l in json.load(open(sys.argv[1]))}
assert s == {"tdp-01": "sent", "tdp-02": "failed", "tdp-03": "not pending", "tdp-04": "no email"}, s
PY

# --- 3. kill -9 and restart: nothing is sent twice ------------------------------------
kill -9 "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null || true
DAEMON_PID=""
before=$(ls "$OUT"/*.json | wc -l)
start_daemon
sleep 3
after=$(ls "$OUT"/*.json | wc -l)
[ "$before" -eq "$after" ] || fail "restart sent $((after - before)) message(s) again"

# --- 4. a reply to the reminder, from an address tacit does not know -------------------
cat > "$WORK/reply.eml" <<EML
From: Thu ky <thuky.to1@gmail.com>
To: vhxh@example.vn
Subject: Re: nhac
Message-ID: <reply-1@gmail.com>
In-Reply-To: $mid
Date: Mon, 9 Feb 2026 09:00:00 +0700
Content-Type: text/plain; charset=utf-8

Nhất trí với dự thảo.
EML
cp "$WORK/reply.eml" "$WORK/inbox/.reply.tmp" && mv "$WORK/inbox/.reply.tmp" "$WORK/inbox/reply.eml"
wait_for "the reply matched to tdp-01" 10 status_is "u['tdp-01']['status']" replied
ctl replies k --unit tdp-01 --json | "$PY" -c '
import json, sys
r = json.load(sys.stdin)
assert any("in-reply-to" in x["match_rule"] for x in r), r' || fail "the reply was not matched by In-Reply-To"

# --- 5. the deadline applies: the final report, once, with attachments ------------------
wait_for "final report" 150 has_count_to truongphong@example.vn 2
messages_py "[m for m in msgs if 'truongphong@example.vn' in m['to']][-1]" > "$WORK/final.txt"
grep -q "Báo cáo tổng hợp ý kiến" "$WORK/final.txt" || fail "final report subject: $(cat "$WORK/final.txt")"
grep -q "('k.html', 'text/html')" "$WORK/final.txt" || fail "final report without the HTML attachment"
grep -q "('k.csv', 'text/csv')" "$WORK/final.txt" || fail "final report without the CSV attachment"
grep -q "('k.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document')" "$WORK/final.txt" ||
  fail "final report without the Word draft"
expect_status "c['k']['state']" closed
expect_status "u['tdp-02']['status']" deemed_consent
sleep 2
[ "$(count_to truongphong@example.vn)" = 2 ] || fail "the final report was sent more than once"
[ "$(count_to tdp01@example.vn)" = 1 ] || fail "tdp-01 got more than one reminder"
stop_daemon
echo "PASS: mail out (reminders, retry, 550, reply to a reminder, restart, digest, final report)"
