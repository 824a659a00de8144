# The matcher on demand (issue 9): an idle tacitd holds no matcher (at 10,000
# units it was most of its memory); the first reply builds it, it is let go
# after TACIT_MATCHER_IDLE_MS without an item (5 minutes in service), and the
# next reply builds it again from the units tacitd keeps packed. A SIGHUP's
# units are the ones the next matcher knows.
source "$(dirname "$0")/lib.sh"

write_config "$(date -d '+5 days' +%d/%m/%Y)"
with_drop_folder
releases() { grep -c "matcher let go after" "$WORK/tacitd.log" || true; }
releases_are() { [ "$(releases)" = "$1" ]; }

export TACIT_MATCHER_IDLE_MS=1500
start_daemon
sleep 0.5
[ "$(matcher_builds)" = 0 ] || fail "a matcher was built with nothing to match"

# The first reply builds it; matched as ever.
printf 'Tổ dân phố số 2 nhất trí với dự thảo.\n' > "$INBOX/tdp2.txt"
wait_for "tdp-02 replied" 5 status_is "u['tdp-02']['status']" "replied"
matcher_builds_are 1 || fail "expected one matcher build, got $(matcher_builds)"
# Let go once idle, and only once.
wait_for "matcher let go" 10 releases_are 1
sleep 2
releases_are 1 || fail "let go $(releases) times"
matcher_builds_are 1 || fail "rebuilt with nothing to match"

# The next reply builds it again, from the packed units: the name, the alias
# and the group all still match.
printf 'Ý kiến của CA phường: thống nhất.\n' > "$INBOX/ca.txt"
wait_for "cong-an replied" 5 status_is "u['cong-an']['status']" "replied"
matcher_builds_are 2 || fail "expected a second build, got $(matcher_builds)"
wait_for "matcher let go again" 10 releases_are 2

# A reloaded units.csv: tdp-01 gets an alias that no unit had before.
sed -i 's/^tdp-01,Tổ dân phố số 1,Tổ dân phố,tdp01@example.vn,TDP 1$/tdp-01,Tổ dân phố số 1,Tổ dân phố,tdp01@example.vn,TDP 1;Khu phố Hòa Bình/' \
  "$WORK/units.csv"
grep -q "Khu phố Hòa Bình" "$WORK/units.csv" || fail "units.csv not edited"
kill -HUP "$DAEMON_PID"
wait_for "config reloaded" 5 grep -q "config reloaded: 4 units" "$WORK/tacitd.log"
printf 'Khu phố Hòa Bình nhất trí.\n' > "$INBOX/hoa-binh.txt"
wait_for "tdp-01 replied" 5 status_is "u['tdp-01']['status']" "replied"
ctl unmatched --json | "$PY" -c 'import json,sys; n=len(json.load(sys.stdin)); assert n == 0, n' ||
  fail "a reply left unmatched"

stop_daemon
echo "ok"
