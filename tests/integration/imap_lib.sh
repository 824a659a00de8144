# Shared by the IMAP integration tests (test_imap_*.sh; not a test itself): a
# private Dovecot on two free ports (scripts/start-dovecot.sh), the [imap]
# section of tacit.toml, and ways to act as another mail client. Sourced after
# lib.sh, which it needs (WORK, PY, fail, cleanup).
ROOT=${TACIT_SOURCE_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}

if [ "$(id -u)" -ne 0 ] || ! command -v dovecot >/dev/null; then
  if [ "${CI:-}" = "true" ]; then fail "needs root and dovecot in CI (sudo bash scripts/test.sh)"; fi
  echo "SKIP: needs root and dovecot (scripts/install-deps.sh)"
  exit 0
fi

# Two free ports for IMAP (STARTTLS) and IMAPS.
read -r IMAP_PORT IMAPS_PORT < <("$PY" -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
DC=$WORK/dovecot
CA=$DC/ca.pem
# Dovecot's mail store for the user "tacit": INBOX is a Maildir here.
MAILSTORE=$DC/mail/tacit
chmod 755 "$WORK"  # Dovecot's own users read their config and mail below it
stop_all() {
  "$ROOT/scripts/start-dovecot.sh" --stop "$DC" || true
  cleanup
}
trap stop_all EXIT

start_dovecot() {
  "$ROOT/scripts/start-dovecot.sh" "$DC" "$IMAP_PORT" "$IMAPS_PORT" > "$WORK/dovecot.env" ||
    fail "dovecot did not start"
}

# kill_dovecot: SIGKILL to the master and every process it started (the imap
# process serving tacitd among them), by pid: a crash, not a shutdown.
kill_dovecot() {
  local master
  master=$(cat "$DC/run/master.pid")
  local pids="$master $(pgrep -P "$master" | tr '\n' ' ')"
  # shellcheck disable=SC2086
  kill -KILL $pids 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$master" 2>/dev/null || return 0; sleep 0.05; done
  fail "dovecot master $master did not die"
}

# imap_config [KEY = VALUE lines]: appends [imap] for the test server to tacit.toml.
imap_config() {
  cat >> "$WORK/tacit.toml" <<TOML

[imap]
url = "imaps://127.0.0.1:$IMAPS_PORT/INBOX"
username = "tacit"
password_file = "$DC/password"
ca_file = "$CA"
poll_seconds = 60
${1:-}
TOML
}

# imap_py CODE: runs CODE with `m`, a logged-in imaplib connection (TLS, test
# CA) with INBOX selected, as a person's mail client would.
imap_py() {
  "$PY" - "$IMAPS_PORT" "$CA" "$1" <<'PY'
import imaplib, ssl, sys
ctx = ssl.create_default_context(cafile=sys.argv[2])
m = imaplib.IMAP4_SSL("127.0.0.1", int(sys.argv[1]), ssl_context=ctx)
m.login("tacit", "secret-pw")
m.select("INBOX")
exec(sys.argv[3])
m.logout()
PY
}

# flags_of: "UID:FLAGS" per message, flags sorted, \Recent left out,
# e.g. "1:$TacitDone \Seen".
flags_of() {
  imap_py '
import re
typ, data = m.uid("FETCH", "1:*", "(UID FLAGS)")
for d in data:
    if d is None: continue
    uid = re.search(rb"UID (\d+)", d).group(1).decode()
    flags = sorted(x for x in re.search(rb"FLAGS \(([^)]*)\)", d).group(1).decode().split() if x != "\\Recent")
    print(uid + ":" + " ".join(flags))
'
}

# store_messages COUNT TEXT_BYTES TAG [ATTACHMENT_BYTES]: COUNT replies with
# about TEXT_BYTES of text (and an attachment TAG-i.bin of ATTACHMENT_BYTES
# random bytes), written straight into Dovecot's Maildir (tmp/, then renamed
# into new/, as a delivery agent does), received an hour ago. Message i
# (1..COUNT) has the Message-ID <TAG-i@example.vn>. Measured on the 2-core test machine, 500 messages of 20 KB:
# this 0.9-3 s (+0.5 s for Dovecot to index them at the next SELECT); one IMAP
# MULTIAPPEND 7 s (2.7 s with mail_fsync = never); an imaplib APPEND loop about
# 50 ms a message (25 s); `doveadm save` about 0.7 s a message (a process each).
store_messages() {
  "$PY" - "$MAILSTORE" "$1" "$2" "$3" "${4:-0}" <<'PY'
import os, sys, time
from email.message import EmailMessage
from email.utils import formatdate
store, count, size, tag = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
attachment = int(sys.argv[5])
senders = ["Tổ 1 <tdp01@example.vn>", "congan@example.vn", "ubnd@example.vn"]
received = time.time() - 3600
for sub in ("tmp", "new", "cur"):
    os.makedirs(os.path.join(store, sub), exist_ok=True)
    os.chown(os.path.join(store, sub), 65534, 65534)
filler = "Nội dung góp ý chi tiết cho dự thảo kế hoạch, mục {}.\n"
for i in range(1, count + 1):
    e = EmailMessage()
    e["From"] = senders[i % len(senders)]
    e["To"] = "vhxh@example.vn"
    e["Subject"] = "Re: Xin ý kiến dự thảo kế hoạch ({})".format(i)
    e["Message-ID"] = "<{}-{}@example.vn>".format(tag, i)
    e["Date"] = formatdate(received, localtime=True)
    body = "Ý kiến số {}: nhất trí với dự thảo.\n".format(i)
    n = 0
    while len(body.encode()) < size:
        n += 1
        body += filler.format(n)
    e.set_content(body)
    if attachment:
        e.add_attachment(os.urandom(attachment), maintype="application",
                         subtype="octet-stream", filename="{}-{}.bin".format(tag, i))
    data = e.as_bytes().replace(b"\n", b"\r\n")
    name = "{}.M{}P{}Q{}.tacit-test".format(int(received), i, os.getpid(), i)
    tmp = os.path.join(store, "tmp", name)
    with open(tmp, "wb") as f:
        f.write(data)
    os.chown(tmp, 65534, 65534)
    os.utime(tmp, (received, received))  # the INTERNALDATE Dovecot reports
    os.rename(tmp, os.path.join(store, "new", name))
PY
}

# db SQL: one value from tacitd's SQLite file.
db() { sqlite3 "$WORK/state/tacit.db" "$1"; }

# replies_with_ids TAG COUNT: checks that the store holds exactly one reply for
# each of <TAG-1@example.vn> .. <TAG-COUNT@example.vn>, all from IMAP.
replies_with_ids() {
  db "SELECT message_id || ' ' || channel FROM replies WHERE message_id LIKE '%$1-%'" |
    "$PY" -c '
import collections, re, sys
tag, count = sys.argv[1], int(sys.argv[2])
seen = collections.Counter()
for line in sys.stdin:
    mid, channel = line.split()
    assert channel == "imap", line
    seen[int(re.search(re.escape(tag) + r"-(\d+)@", mid).group(1))] += 1
twice = [i for i, n in seen.items() if n > 1]
missing = [i for i in range(1, count + 1) if i not in seen]
assert not twice and not missing, "twice: %s missing: %s" % (twice[:10], missing[:10])
' "$1" "$2"
}
