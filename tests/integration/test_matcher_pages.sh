# A page write without the matcher (issue 9): at 100,000 units the matcher
# (120 MB) and the report data of status.html (140 MB) together were tacitd's
# peak. status.json follows a reply at once; status.html waits until 2 s
# after the last item and lets the matcher go first, though its 5 minutes are
# not up; the next reply builds it again and is matched as ever.
source "$(dirname "$0")/lib.sh"

write_config "$(date -d '+5 days' +%d/%m/%Y)"
with_drop_folder
unset TACIT_MATCHER_IDLE_MS  # the service's 5 minutes
before_pages() { grep -c "matcher let go before the page write" "$WORK/tacitd.log" || true; }
before_pages_is() { [ "$(before_pages)" = "$1" ]; }
mtime_ns() { "$PY" -c 'import os,sys; print(os.stat(sys.argv[1]).st_mtime_ns)' "$1"; }
html_after() { [ "$(mtime_ns "$WORK/state/status.html")" -gt "$1" ]; }
start_daemon

# reply_pages_wait FILE TEXT UNIT BUILDS: drops a reply from UNIT, which
# makes matcher build number BUILDS; status.html comes after the status file
# that shows the reply only once the matcher is let go (the BUILDS-th "let go
# before the page write"), 2 s or more after the reply came.
reply_pages_wait() {
  local file=$1 text=$2 unit=$3 builds=$4 sent json_ns html_ns
  printf '%s\n' "$text" > "$INBOX/$file"
  sent=$(date +%s%N)
  wait_for "$unit replied" 5 status_is "u['$unit']['status']" "replied"
  matcher_builds_are "$builds" || fail "expected matcher build $builds, got $(matcher_builds)"
  json_ns=$(mtime_ns "$WORK/state/status.json")
  wait_for "status.html after $unit's reply" 10 html_after "$json_ns"
  before_pages_is "$builds" || fail "status.html written with the matcher held ($unit)"
  html_ns=$(mtime_ns "$WORK/state/status.html")
  [ $(( (html_ns - sent) / 1000000 )) -ge 1900 ] ||
    fail "status.html $(( (html_ns - sent) / 1000000 )) ms after $unit's reply, before the pause"
}

reply_pages_wait tdp2.txt 'Tổ dân phố số 2 nhất trí với dự thảo.' tdp-02 1
grep -q "matcher let go after" "$WORK/tacitd.log" && fail "the 5-minute release ran instead"

# The next reply builds it again and is matched by name.
printf 'Ý kiến của CA phường: thống nhất.\n' > "$INBOX/ca.txt"
wait_for "cong-an replied" 5 status_is "u['cong-an']['status']" "replied"
matcher_builds_are 2 || fail "expected a second build, got $(matcher_builds)"
wait_for "let go again before the next page write" 10 before_pages_is 2

# After more than kPagesWaitForMatcher (60 s) without a page write, a reply's
# page write still waits for the pause (the 60 s count from when it first
# waited, not from the last page write: this wrote status.html at once with
# the matcher held, 250 MB at 100,000 units).
sleep 61
reply_pages_wait tdp1.txt 'Tổ dân phố số 1 nhất trí.' tdp-01 3
ctl unmatched --json | "$PY" -c 'import json,sys; n=len(json.load(sys.stdin)); assert n == 0, n' ||
  fail "a reply left unmatched"

stop_daemon
echo "ok"
