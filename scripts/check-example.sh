#!/usr/bin/env bash
# Runs README command 1 (scripts/run-example.sh) in the background, waits for the
# status file, checks the reference letter's outcome, and stops it with SIGTERM
# (which must exit 0). On a fresh checkout no reply was ever recorded, so every
# one of the example's units must be deemed_consent; a unit the user replied for
# by hand may be `replied` instead, but none may stay pending.
set -euo pipefail
cd "$(dirname "$0")/.."
status=var/tacit/status.json
rm -f "$status"
log=$(mktemp)
bash scripts/run-example.sh >"$log" 2>&1 &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 600); do
  [ -f "$status" ] && break
  kill -0 $pid 2>/dev/null || { cat "$log"; echo "FAIL: run-example.sh exited early"; exit 1; }
  sleep 0.5
done
[ -f "$status" ] || { cat "$log"; echo "FAIL: no status file"; exit 1; }
py=/usr/bin/python3
[ -x "$py" ] || py=python3
"$py" - "$status" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
c = {x["id"]: x for x in s["consultations"]}["dan-chu-2026"]
assert c["deadline"] == "2026-02-09T23:59:59+07:00", c["deadline"]
assert c["state"] == "closed", c["state"]
units = c["units"]
assert len(units) >= 40, len(units)
groups = {u["group"] for u in units}
assert len(groups) == 7, groups
silent = [u for u in units if u["replies"] == 0]
bad = [u["code"] for u in silent if u["status"] != "deemed_consent"]
assert not bad, bad
assert c["counts"]["pending"] == 0, c["counts"]
print(f"example: {len(units)} units in {len(groups)} groups, "
      f"{c['counts']['deemed_consent']} deemed_consent, state {c['state']}")
PY
kill -TERM $pid
rc=0
wait $pid || rc=$?
[ "$rc" -eq 0 ] || { cat "$log"; echo "FAIL: tacitd exited $rc on SIGTERM"; exit 1; }
echo "example: tacitd stopped cleanly"
