# The database locked by a long transaction (issue 9): another program (here
# Python's sqlite3, as a clerk's `sqlite3` shell or a stuck tacitctl would)
# holds BEGIN IMMEDIATE on tacit.db for longer than the busy timeout (10 s)
# while replies arrive in the drop folder and the Maildir.
#
#  - tacitd acknowledges nothing it could not commit, does not crash, and
#    ingests everything, once, after the lock is released;
#  - it stays alive for systemd: WATCHDOG=1 keeps coming within WatchdogSec
#    (a locked database costs one busy timeout per retry, not one per item);
#  - tacitctl facing the lock ends with a clear message, not a hang.
source "$(dirname "$0")/lib.sh"

write_config "$(date -d '+5 days' +%d/%m/%Y)"
with_drop_and_maildir
DB=$WORK/state/tacit.db
SOCK=$WORK/notify.sock
MSGS=$WORK/notify.log
WATCHDOG_SEC=30
LOCK_SEC=34  # over three busy timeouts, and over WatchdogSec
replies_count() { ctl replies k --json | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
replies_are() { [ "$(replies_count)" = "$1" ]; }
alive() { kill -0 "$DAEMON_PID" 2>/dev/null || fail "tacitd died"; }

# systemd's side of sd_notify: "<monotonic ns> <line>" per line received.
"$PY" - "$SOCK" "$MSGS" <<'PY' &
import os, socket, sys, time
path, out = sys.argv[1:]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path + ".tmp")
os.rename(path + ".tmp", path)
with open(out, "a", buffering=1) as f:
    while True:
        data = s.recv(65536)
        now = time.monotonic_ns()
        for line in data.decode("utf-8", "replace").split("\n"):
            if line:
                f.write(f"{now} {line}\n")
PY
LISTENER_PID=$!
LOCK_PID=""
trap 'kill "$LISTENER_PID" 2>/dev/null || true; [ -z "$LOCK_PID" ] || kill "$LOCK_PID" 2>/dev/null || true; cleanup' EXIT
wait_for "notify socket" 5 test -S "$SOCK"
(
  export NOTIFY_SOCKET="$SOCK" WATCHDOG_USEC=$((WATCHDOG_SEC * 1000000))
  export WATCHDOG_PID=$BASHPID
  exec "$TACITD" --config "$WORK/tacit.toml"
) >"$WORK/tacitd.log" 2>&1 &
DAEMON_PID=$!
wait_for "tacitd ready" 10 grep -q "tacitd ready" "$WORK/tacitd.log"

# --- the lock -------------------------------------------------------------------
"$PY" - "$DB" "$LOCK_SEC" "$WORK/locked" <<'PY' &
import sqlite3, sys, time
db, seconds, flag = sys.argv[1], float(sys.argv[2]), sys.argv[3]
c = sqlite3.connect(db, isolation_level=None, timeout=30)
c.execute("BEGIN IMMEDIATE")
open(flag, "w").close()
time.sleep(seconds)
c.execute("COMMIT")
PY
LOCK_PID=$!
wait_for "the lock taken" 30 test -e "$WORK/locked"
lock_start=$(date +%s)

# Replies arrive: ten files and three messages.
for unit in ubnd cong-an tdp-01 tdp-02; do mkdir -p "$INBOX/k/$unit"; done
for i in 1 2 3 4 5 6 7 8 9 10; do
  units=(ubnd cong-an tdp-01 tdp-02)
  unit=${units[$((i % 4))]}
  printf 'Góp ý số %s: nhất trí với dự thảo kế hoạch.\n' "$i" > "$INBOX/k/$unit/gop-y-$i.txt"
done
for i in 1 2 3; do
  name="17000000$i.M${i}P1.test"
  printf 'From: congan@example.vn\nTo: vhxh@example.vn\nSubject: =?utf-8?b?%s?=\nMessage-ID: <lock-%s@example.vn>\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nCông an phường bổ sung ý kiến lần %s: nhất trí.\n' \
    "$(printf 'Trả lời 15/VH-XH' | base64 -w0)" "$i" "$i" > "$MD/tmp/$name"
  mv "$MD/tmp/$name" "$MD/new/$name"
done

# tacitctl facing the lock: a clear message and exit 1, within a bound.
rc=0
timeout 60 "$TACITCTL" --config "$WORK/tacit.toml" status k > "$WORK/ctl.out" 2> "$WORK/ctl.err" || rc=$?
[ "$rc" -ne 124 ] || fail "tacitctl hung on the locked database"
[ "$rc" -eq 1 ] || fail "tacitctl on a locked database: exit $rc (expected 1): $(cat "$WORK/ctl.err")"
grep -q "locked" "$WORK/ctl.err" && grep -q "tacit.db" "$WORK/ctl.err" && grep -qi "try again" "$WORK/ctl.err" ||
  fail "tacitctl's message does not say the database is locked and what to do: $(cat "$WORK/ctl.err")"
echo "tacitctl said: $(cat "$WORK/ctl.err")"

# While locked: nothing acknowledged (the lock holder sees no reply), alive.
alive
[ "$(find "$INBOX" -type f | wc -l)" -eq 10 ] || fail "a file left the drop folder while the database was locked"
[ "$(ls "$MD/new" | wc -l)" -eq 3 ] || fail "a message left new/ while the database was locked"
grep -q "database is locked" "$WORK/tacitd.log" || fail "the log does not say the database is locked"

wait "$LOCK_PID" || fail "the lock holder failed"
LOCK_PID=""
echo "lock released after $(( $(date +%s) - lock_start )) s"
wait_for "every reply ingested after the lock" 40 replies_are 13
wait_for "drop folder emptied" 10 eval '[ -z "$(find "$INBOX" -type f)" ]'
wait_for "messages acknowledged" 10 eval '[ -z "$(ls "$MD/new")" ]'
alive
sleep 2
replies_are 13 || fail "recorded more than once: $(replies_count)"
wait_for "status file shows them" 5 status_is "c['k']['counts']['replied']" "4"

# systemd would have killed a tacitd that went WatchdogSec without WATCHDOG=1.
"$PY" - "$MSGS" "$WATCHDOG_SEC" <<'PY' || fail "watchdog starved while the database was locked"
import sys, time
rows = [l.split(" ", 1) for l in open(sys.argv[1]).read().splitlines()]
pings = [int(t) for t, m in rows if m in ("READY=1", "WATCHDOG=1")]
pings.append(time.monotonic_ns())
gaps = [(b - a) / 1e9 for a, b in zip(pings, pings[1:])]
print(f"{len(pings) - 2} watchdog pings, longest gap {max(gaps):.1f} s (WatchdogSec {sys.argv[2]})")
sys.exit(0 if max(gaps) < float(sys.argv[2]) else 1)
PY
stop_daemon
echo "PASS: locked database (nothing acknowledged, all ingested once after, watchdog fed, tacitctl clear)"
