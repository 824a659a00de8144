# The foundation's end-to-end story (issue 2): a consultation whose deadline is a
# few seconds ahead; a paper reply entered with tacitctl while tacitd runs shows
# in the status file within a second; after the deadline every other unit is
# deemed_consent; SIGTERM exits 0; a restart changes nothing.
source "$(dirname "$0")/lib.sh"

deadline=$(date -d '+3 seconds' --iso-8601=seconds)
write_config "$deadline"
start_daemon
expect_status "c['k']['state']" "open"
expect_status "c['k']['counts']['pending']" "4"

t0=$(date +%s%N)
ctl record k tdp-01 --stance agree >/dev/null
wait_for "tdp-01 replied in the status file" 1 status_is "u['tdp-01']['status']" "replied"
echo "status file showed the reply after $(( ($(date +%s%N) - t0) / 1000000 )) ms"
expect_status "u['tdp-01']['channel']" "manual"
expect_status "u['tdp-01']['stance']" "agree"

wait_for "deadline applied" 10 status_is "c['k']['state']" "closed"
expect_status "[u[x]['status'] for x in ['ubnd','cong-an','tdp-01','tdp-02']]" \
  "['deemed_consent', 'deemed_consent', 'replied', 'deemed_consent']"
expect_status "c['k']['counts']['deemed_consent']" "3"
grep -q "deadline applied for k" "$WORK/tacitd.log" || fail "no log line for the deadline"
stop_daemon

events_before=$(ctl events k --json | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)))')
snapshot() { status_py "json.dumps(s['consultations'], sort_keys=True)"; }
before=$(snapshot)
start_daemon
stop_daemon
events_after=$(ctl events k --json | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$events_before" = "$events_after" ] || fail "restart added events: $events_before -> $events_after"
[ "$before" = "$(snapshot)" ] || fail "restart changed the status"
applied=$(ctl events k --json | "$PY" -c 'import json,sys; print(sum(e["kind"]=="deadline_applied" for e in json.load(sys.stdin)))')
[ "$applied" = "1" ] || fail "deadline applied $applied times"
echo "ok: $events_after events, deadline applied once"
