# Random kill -9 (issue 9, SPEC §8): while replies keep arriving (files in the
# drop folder, messages in the Maildir, paper replies entered with tacitctl
# record), tacitd is killed with SIGKILL at random moments (50-500 ms after its
# start, or that long after it said ready) and started again, at least
# TACIT_KILLS times (default 50). Then, once it is idle: every reply is
# recorded exactly once, every file and message acknowledged exactly once,
# PRAGMA integrity_check is ok, and a second restart changes nothing.
source "$(dirname "$0")/../integration/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
CHECK="$PY $HERE/crash_check.py"
KILLS=${TACIT_KILLS:-50}

write_config "$(date -d '+5 days' +%d/%m/%Y)"
printf '\n[drop_folder]\npath = "inbox"\n\n[maildir]\npath = "Maildir"\n' >>"$WORK/tacit.toml"
INBOX=$WORK/inbox
MD=$WORK/Maildir
mkdir -p "$INBOX/k/tdp-01" "$INBOX/k/ubnd" "$INBOX/k/cong-an" "$MD/tmp" "$MD/new" "$MD/cur" \
  "$WORK/staging" "$WORK/paper"
# Create the database before tacitctl writes to it.
start_daemon
stop_daemon

FEEDER_PID=""
trap '[ -n "$FEEDER_PID" ] && kill "$FEEDER_PID" 2>/dev/null; cleanup' EXIT

# feed: until the file "stop" appears, every 50-150 ms one new item, in turn a
# dropped file, a delivered message, and (one time in four) a paper reply. The
# counts of each kind are written to feed.counts at the end.
feed() {
  local d=0 m=0 h=0 turn=0 units=(tdp-01 ubnd cong-an) emails=(tdp01@example.vn ubnd@example.vn congan@example.vn)
  while [ ! -e "$WORK/stop" ]; do
    turn=$(( turn + 1 ))
    case $(( turn % 4 )) in
      0 | 2)
        d=$(( d + 1 ))
        printf 'Ý kiến của đơn vị: nhất trí. Mã DROP-%d.\n' "$d" >"$WORK/staging/y-kien-$d.txt"
        mv "$WORK/staging/y-kien-$d.txt" "$INBOX/k/${units[$(( d % 3 ))]}/y-kien-$d.txt"
        ;;
      1)
        m=$(( m + 1 ))
        local name="$(date +%s).M${m}P$$.random"
        printf 'From: %s\r\nTo: vhxh@example.vn\r\nSubject: Tra loi 15/VH-XH\r\nMessage-ID: <random-%d-%s@example.vn>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\nNhất trí với dự thảo. Mã MAIL-%d.\r\n' \
          "${emails[$(( m % 3 ))]}" "$m" "$$" "$m" >"$MD/tmp/$name"
        mv "$MD/tmp/$name" "$MD/new/$name"
        ;;
      3)
        h=$(( h + 1 ))
        printf 'Công văn giấy: nhất trí. Mã HAND-%d.\n' "$h" >"$WORK/paper/$h.txt"
        # tacitd is never killed while tacitctl runs here, but may be in the
        # middle of its own transaction when killed: tacitctl must still succeed.
        ctl record k tdp-02 --stance agree --text "$WORK/paper/$h.txt" >>"$WORK/record.log" 2>&1 ||
          { echo "tacitctl record $h failed" >>"$WORK/feed.errors"; }
        ;;
    esac
    sleep "0.$(printf '%03d' $(( RANDOM % 100 + 50 )))"
  done
  echo "$d $m $h" >"$WORK/feed.counts"
}
feed &
FEEDER_PID=$!

t0=$(date +%s)
: >"$WORK/tacitd.kills.log"
kills=0
while [ "$kills" -lt "$KILLS" ]; do
  readies=$(grep -c 'tacitd ready' "$WORK/tacitd.kills.log" 2>/dev/null || true)
  "$TACITD" --config "$WORK/tacit.toml" >>"$WORK/tacitd.kills.log" 2>&1 &
  DAEMON_PID=$!
  # One start in three: killed after it said ready (busy reading), else at any
  # moment of its start-up.
  if [ $(( RANDOM % 3 )) -eq 0 ]; then
    for _ in $(seq 1 100); do
      [ "$(grep -c 'tacitd ready' "$WORK/tacitd.kills.log")" -gt "$readies" ] && break
      kill -0 "$DAEMON_PID" 2>/dev/null || break
      sleep 0.05
    done
  fi
  sleep "0.$(printf '%03d' $(( RANDOM % 450 + 50 )))"
  if ! kill -0 "$DAEMON_PID" 2>/dev/null; then
    rc=0
    wait "$DAEMON_PID" || rc=$?
    DAEMON_PID=""
    tail -n 30 "$WORK/tacitd.kills.log" >&2
    fail "tacitd died by itself (exit $rc) before kill $(( kills + 1 ))"
  fi
  kill -9 "$DAEMON_PID"
  wait "$DAEMON_PID" 2>/dev/null || true
  DAEMON_PID=""
  kills=$(( kills + 1 ))
done
touch "$WORK/stop"
wait "$FEEDER_PID"
FEEDER_PID=""
loop_s=$(( $(date +%s) - t0 ))
[ ! -s "$WORK/feed.errors" ] || { cat "$WORK/record.log" >&2; fail "$(cat "$WORK/feed.errors")"; }
read -r DROPS MAILS HANDS <"$WORK/feed.counts"
TOTAL=$(( DROPS + MAILS + HANDS ))
echo "$kills kills in ${loop_s}s while $DROPS files, $MAILS messages and $HANDS paper replies arrived"
echo "replies before the final start: $($CHECK count "$WORK/state/tacit.db" 'SELECT count(*) FROM replies')"

replies_are() { [ "$($CHECK count "$WORK/state/tacit.db" 'SELECT count(*) FROM replies')" = "$1" ]; }
idle() {
  replies_are "$TOTAL" && [ -z "$(find "$INBOX" -type f)" ] && [ -z "$(ls -A "$MD/new")" ]
}
start_daemon
wait_for "all $TOTAL replies in" 90 idle
stop_daemon
$CHECK replies "$WORK/state/tacit.db" "DROP-=$DROPS" "MAIL-=$MAILS" "HAND-=$HANDS" ||
  fail "replies not recorded exactly once"
$CHECK drop "$WORK" "$DROPS" DROP- || fail "drop folder: files not archived exactly once"
$CHECK maildir "$WORK" "$MAILS" MAIL- || fail "maildir: messages not acknowledged exactly once"
$CHECK integrity "$WORK/state/tacit.db" || fail "integrity_check"
$CHECK status "$WORK" || fail "status.json disagrees with the database"
$CHECK snapshot "$WORK" >"$WORK/snapshot.1.json"
start_daemon
sleep 1.5
stop_daemon
$CHECK snapshot "$WORK" >"$WORK/snapshot.2.json"
diff -u "$WORK/snapshot.1.json" "$WORK/snapshot.2.json" >&2 || fail "the second restart changed something"
echo "PASS: $kills kills; $TOTAL replies each recorded and acknowledged exactly once"
