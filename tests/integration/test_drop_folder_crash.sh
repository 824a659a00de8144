# kill -9 during a 1,000-file burst, restart: each file recorded exactly once,
# nothing left behind, nothing lost (SPEC §8).
source "$(dirname "$0")/lib.sh"

write_config "$(date -d '+5 days' +%d/%m/%Y)"
printf '\n[drop_folder]\npath = "inbox"\n' >> "$WORK/tacit.toml"
INBOX=$WORK/inbox
mkdir -p "$INBOX/k/tdp-01" "$WORK/burst"
for i in $(seq 1 1000); do printf 'TDP 1: ý kiến số %d.\n' "$i" > "$WORK/burst/r$i.txt"; done
start_daemon
mv "$WORK/burst"/* "$INBOX/k/tdp-01/"
sleep 0.3
kill -9 "$DAEMON_PID"
wait "$DAEMON_PID" 2>/dev/null || true
DAEMON_PID=""
left=$(find "$INBOX" -type f | wc -l)
echo "killed with $left files still in the inbox"
start_daemon
count() { ctl replies k --json | "$PY" -c 'import json,sys; r=json.load(sys.stdin); print(len(r), len({x["source"] for x in r}))'; }
count_is() { [ "$(count)" = "$1" ]; }
inbox_empty() { [ -z "$(find "$INBOX" -type f)" ]; }
wait_for "1000 replies" 60 count_is "1000 1000"
wait_for "inbox empty" 10 inbox_empty
archived=$(find "$WORK/state/archive" -type f -not -path '*/duplicates/*' | wc -l)
[ "$archived" -eq 1000 ] || fail "archive holds $archived files, expected 1000"
# Every reply's archived original exists.
ctl replies k --json | "$PY" -c '
import json, os, sys
missing = [r["source"] for r in json.load(sys.stdin) if not os.path.exists(os.path.join(sys.argv[1], r["source"]))]
assert not missing, missing[:5]
' "$WORK/state" || fail "a reply points to a missing archived file"
[ "$(sqlite3 "$WORK/state/tacit.db" 'PRAGMA integrity_check')" = "ok" ] || fail "integrity_check"
stop_daemon
echo "ok: 1000 replies once each after kill -9 with $left files pending"
