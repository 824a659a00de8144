# Restart at the deadline (issue 9): tacitd stops seconds before a deadline and
# starts again just after it. Replies that arrived while it was down count by
# when they arrived (SPEC §2: the drop time, the delivery time), not when
# tacitd read them: before the deadline on time, after it late. The deadline is
# applied exactly once, at the start, after those replies were read, and the
# final reports are written; a further restart changes nothing.
source "$(dirname "$0")/lib.sh"

D=$(( $(date +%s) + 8 ))
write_config "$(date -d "@$D" --iso-8601=seconds)"
with_drop_and_maildir
mkdir -p "$INBOX/k/cong-an" "$INBOX/k/tdp-02"
sleep_until() { while [ "$(date +%s%N)" -lt "$1" ]; do sleep 0.05; done; }
events_json() { ctl events k --json; }
count_events() { events_json | "$PY" -c 'import json,sys; print(sum(e["kind"]==sys.argv[1] for e in json.load(sys.stdin)))' "$1"; }

start_daemon
ctl record k tdp-01 --stance agree >/dev/null
wait_for "tdp-01 replied" 5 status_is "u['tdp-01']['status']" "replied"
sleep_until $(( (D - 4) * 1000000000 ))
stop_daemon
[ "$(date +%s)" -lt "$D" ] || fail "stopped too late for the test (machine too slow)"

# While down, before the deadline: a file dropped, a message delivered.
printf 'Công an phường nhất trí với dự thảo kế hoạch.\n' > "$INBOX/k/cong-an/tra-loi.txt"
printf 'From: ubnd@example.vn\nTo: vhxh@example.vn\nSubject: =?utf-8?b?VHLhuqMgbOG7nWkgMTUvVkgtWEg=?=\nMessage-ID: <at-deadline@example.vn>\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nUBND phường thống nhất.\n' \
  > "$MD/tmp/1.M1P1.test"
touch -d "@$(( D - 2 ))" "$MD/tmp/1.M1P1.test"  # delivered two seconds before
mv "$MD/tmp/1.M1P1.test" "$MD/new/1.M1P1.test"
[ "$(stat -c %Z "$INBOX/k/cong-an/tra-loi.txt")" -lt "$D" ] || fail "dropped too late for the test"

# Just after the deadline, still down: a late file.
sleep_until $(( D * 1000000000 + 1100000000 ))
printf 'Tổ dân phố số 2 góp ý muộn: đề nghị bổ sung.\n' > "$INBOX/k/tdp-02/muon.txt"
[ "$(stat -c %Z "$INBOX/k/tdp-02/muon.txt")" -gt "$D" ] || fail "late file has an early ctime"

start_daemon
wait_for "deadline applied" 15 status_is "c['k']['state']" "closed"
wait_for "every item read" 10 eval '[ -z "$(find "$INBOX" -type f)" ] && [ -z "$(ls "$MD/new")" ]'
expect_status "[u[x]['status'] for x in ['ubnd','cong-an','tdp-01','tdp-02']]" \
  "['replied', 'replied', 'replied', 'deemed_consent']"
expect_status "[u[x]['late_reply'] for x in ['ubnd','cong-an','tdp-01','tdp-02']]" \
  "[False, False, False, True]"
expect_status "c['k']['counts']['deemed_consent']" "1"
[ "$(count_events deadline_applied)" = 1 ] || fail "deadline applied $(count_events deadline_applied) times"
# The deadline is stamped with the deadline, not with the restart.
events_json | "$PY" -c '
import json, sys, datetime
e = [e for e in json.load(sys.stdin) if e["kind"] == "deadline_applied"][0]
eff = datetime.datetime.fromisoformat(e["effective_at"]).timestamp()
assert int(eff) == int(sys.argv[1]), (e, sys.argv[1])
' "$D" || fail "deadline_applied not stamped with the deadline"
wait_for "final reports written" 10 test -s "$WORK/state/reports/k/report.json"
"$PY" - "$WORK/state/reports/k/report.json" <<'PY' || fail "report.json does not match"
import json, sys
r = json.load(open(sys.argv[1]))
units = {u["code"]: u for u in r["units"]}
assert r["state"] == "closed" and not r["provisional"], r["state"]
assert [units[x]["status"] for x in ["ubnd", "cong-an", "tdp-01", "tdp-02"]] == \
    ["replied", "replied", "replied", "deemed_consent"], units
PY
stop_daemon

# Once more: nothing changes.
before=$(events_json)
start_daemon
sleep 1
stop_daemon
[ "$before" = "$(events_json)" ] || fail "a restart after the deadline added events"
[ "$(count_events deadline_applied)" = 1 ] || fail "deadline applied again at restart"
echo "PASS: restart at the deadline (on-time replies read late still on time, late one late, applied once)"
