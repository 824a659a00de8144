# The sd_notify protocol as systemd sees it (Type=notify, WatchdogSec=), against a
# real AF_UNIX datagram socket given as NOTIFY_SOCKET: READY=1 only once the first
# status file is written, with a STATUS= line; WATCHDOG=1 every half of
# WATCHDOG_USEC; a SIGHUP with a broken consultation keeps tacitd running (the log
# names file:line) and says RELOADING=1 then READY=1, as does a good reload;
# SIGTERM says STOPPING=1 and exits 0.
source "$(dirname "$0")/lib.sh"

write_config "$(date -d '+30 days' +%d/%m/%Y)"
STATUS_FILE="$WORK/state/status.json"
SOCK="$WORK/notify.sock"
MSGS="$WORK/notify.log"

# The listener: one line per message line, "<monotonic ns> <line>". When a
# datagram carries READY=1 for the first time it also notes whether the status
# file exists at that moment.
"$PY" - "$SOCK" "$MSGS" "$STATUS_FILE" <<'PY' &
import os, socket, sys, time
path, out, status = sys.argv[1:]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(path + ".tmp")
os.rename(path + ".tmp", path)  # appears only once bound
first_ready = True
with open(out, "a", buffering=1) as f:
    while True:
        data = s.recv(65536)
        now = time.monotonic_ns()
        lines = data.decode("utf-8", "replace").split("\n")
        if "READY=1" in lines and first_ready:
            first_ready = False
            f.write(f"{now} #status_file_at_ready={'yes' if os.path.exists(status) else 'no'}\n")
        for line in lines:
            if line:
                f.write(f"{now} {line}\n")
PY
LISTENER_PID=$!
trap 'kill "$LISTENER_PID" 2>/dev/null || true; cleanup' EXIT
wait_for "notify socket" 5 test -S "$SOCK"

# WATCHDOG_PID names the process the watchdog is for (sd_watchdog_enabled checks
# it): the subshell's pid, which exec turns into tacitd's.
(
  export NOTIFY_SOCKET="$SOCK" WATCHDOG_USEC=400000
  export WATCHDOG_PID=$BASHPID
  exec "$TACITD" --config "$WORK/tacit.toml"
) >"$WORK/tacitd.log" 2>&1 &
DAEMON_PID=$!

got() { grep -q -- " $1\$" "$MSGS"; }
count() { grep -c -- " $1\$" "$MSGS" || true; }
at_least() { [ "$(count "$1")" -ge "$2" ]; }
wait_for "READY=1" 10 got "READY=1"
grep -q "#status_file_at_ready=yes" "$MSGS" || fail "READY=1 sent before the status file was written"
expect_status "c['k']['state']" "open"
grep -q " STATUS=..*" "$MSGS" || fail "no STATUS= line"
ready_status=$(grep -m1 " STATUS=" "$MSGS" | cut -d' ' -f2-)
echo "first status: $ready_status"

# Half of 400 ms: about five pings a second. At least three in the first second
# (CI machines are slow, sanitizers slower).
"$PY" - "$MSGS" <<'PY' || fail "fewer than 3 WATCHDOG=1 in the first second after READY=1"
import sys, time
start = None
deadline = time.monotonic() + 5
while time.monotonic() < deadline:
    rows = [l.split(" ", 1) for l in open(sys.argv[1]).read().splitlines()]
    ready = [int(t) for t, m in rows if m == "READY=1"]
    pings = [int(t) for t, m in rows if m == "WATCHDOG=1"]
    if ready and sum(1 for p in pings if ready[0] < p <= ready[0] + 1_000_000_000) >= 3:
        sys.exit(0)
    if ready and time.monotonic_ns() > ready[0] + 1_500_000_000:
        break
    time.sleep(0.1)
print(f"watchdog pings after READY: {[p - ready[0] for p in pings] if ready else pings}")
sys.exit(1)
PY

# A broken consultation on SIGHUP: refused with file:line, tacitd keeps running.
cp "$WORK/consultations/k.toml" "$WORK/k.toml.good"
sed -i 's/^deadline = .*/deadline = "31\/02\/2026"/' "$WORK/consultations/k.toml"
kill -HUP "$DAEMON_PID"
wait_for "reload refused" 5 grep -q "reload refused" "$WORK/tacitd.log"
grep -q "k.toml:4: deadline: '31/02/2026' is not a valid date" "$WORK/tacitd.log" \
  || fail "refused reload does not name file:line"
wait_for "READY=1 after the refused reload" 5 at_least "READY=1" 2
[ "$(count "RELOADING=1")" -eq 1 ] || fail "expected one RELOADING=1 so far"
kill -0 "$DAEMON_PID" || fail "tacitd died on a bad reload"
pings=$(count "WATCHDOG=1")
wait_for "watchdog still pinging after the refused reload" 3 at_least "WATCHDOG=1" $((pings + 1))

# A good reload.
cp "$WORK/k.toml.good" "$WORK/consultations/k.toml"
kill -HUP "$DAEMON_PID"
wait_for "config reloaded" 5 grep -q "config reloaded" "$WORK/tacitd.log"
wait_for "READY=1 after the good reload" 5 at_least "READY=1" 3

# SIGTERM: STOPPING=1, exit 0.
kill -TERM "$DAEMON_PID"
rc=0
wait "$DAEMON_PID" || rc=$?
DAEMON_PID=""
[ "$rc" -eq 0 ] || fail "tacitd exited with $rc after SIGTERM"
wait_for "STOPPING=1" 2 got "STOPPING=1"

# The whole conversation, watchdog pings and STATUS= lines aside.
seq=$(awk '$2 == "READY=1" || $2 == "RELOADING=1" || $2 == "STOPPING=1" { print $2 }' "$MSGS" | paste -sd' ')
[ "$seq" = "READY=1 RELOADING=1 READY=1 RELOADING=1 READY=1 STOPPING=1" ] \
  || { cat "$MSGS" >&2; fail "unexpected notify sequence: $seq"; }
echo ok
