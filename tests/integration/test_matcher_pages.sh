# A page write without the matcher (issue 9): at 100,000 units the matcher (80
# MB) and the report data of status.html (140 MB) together were tacitd's peak.
# A status.html rewrite that comes 2 s or more after the last item lets the
# matcher go first, even though its 5 minutes are not up; one that comes
# sooner keeps it; the next reply builds it again and is matched as ever.
source "$(dirname "$0")/lib.sh"

write_config "$(date -d '+5 days' +%d/%m/%Y)"
cat >> "$WORK/tacit.toml" <<TOML

[drop_folder]
path = "inbox"
TOML
INBOX=$WORK/inbox
mkdir -p "$INBOX"
builds() { grep -c "matcher built" "$WORK/tacitd.log" || true; }
before_pages() { grep -c "matcher let go before the page write" "$WORK/tacitd.log" || true; }
builds_are() { [ "$(builds)" = "$1" ]; }
before_pages_is() { [ "$(before_pages)" = "$1" ]; }

unset TACIT_MATCHER_IDLE_MS  # the service's 5 minutes
start_daemon

# A reply builds the matcher; the page write right after it keeps it.
printf 'Tổ dân phố số 2 nhất trí với dự thảo.\n' > "$INBOX/tdp2.txt"
wait_for "tdp-02 replied" 5 status_is "u['tdp-02']['status']" "replied"
# status.html rewritten after the status file that shows the reply.
html_newer() {
  "$PY" -c 'import os,sys; sys.exit(0 if os.stat(sys.argv[1]).st_mtime_ns > int(sys.argv[2]) else 1)' \
    "$WORK/state/status.html" "$1"
}
json_ns=$("$PY" -c 'import os,sys; print(os.stat(sys.argv[1]).st_mtime_ns)' "$WORK/state/status.json")
wait_for "status.html after the reply" 5 html_newer "$json_ns"
builds_are 1 || fail "expected one matcher build, got $(builds)"
before_pages_is 0 || fail "let go for a page write that came right after a reply"

# A change with no item 2.5 s later: its page write goes without the matcher.
sleep 2.5
printf 'UBND phường nhất trí.\n' > "$WORK/paper.txt"
ctl record k ubnd --stance agree --text "$WORK/paper.txt" >/dev/null ||
  fail "tacitctl record failed"
wait_for "ubnd replied" 5 status_is "u['ubnd']['status']" "replied"
wait_for "matcher let go before the page write" 5 before_pages_is 1
grep -q "matcher let go after" "$WORK/tacitd.log" && fail "the 5-minute release ran instead"

# The next reply builds it again and is matched by name.
printf 'Ý kiến của CA phường: thống nhất.\n' > "$INBOX/ca.txt"
wait_for "cong-an replied" 5 status_is "u['cong-an']['status']" "replied"
builds_are 2 || fail "expected a second build, got $(builds)"
ctl unmatched --json | "$PY" -c 'import json,sys; n=len(json.load(sys.stdin)); assert n == 0, n' ||
  fail "a reply left unmatched"

stop_daemon
echo "ok"
