#!/usr/bin/env bash
# smtp.rate_per_minute (issue 6): with 3 reminders due at once and a limit of 2
# a minute, two go out at once and the third only when the first is a minute old.
source "$(dirname "$0")/lib.sh"

SRC=${TACIT_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
if ! "$PY" -c 'import aiosmtpd' 2>/dev/null; then
  if [ "${CI:-}" = "true" ]; then fail "python3-aiosmtpd is missing (scripts/install-deps.sh installs it)"; fi
  echo "SKIP: python3-aiosmtpd is not installed (run scripts/install-deps.sh)"
  exit 0
fi

OUT="$WORK/received"
mkdir -p "$OUT" "$WORK/consultations"
"$PY" "$SRC/tests/smtp/smtp_server.py" --host 127.0.0.1 --port 0 --port-file "$WORK/port" \
  --out "$OUT" >"$WORK/smtp.log" 2>&1 &
SERVER_PID=$!
trap 'kill "$SERVER_PID" 2>/dev/null || true; cleanup' EXIT
wait_for "smtp server" 10 test -s "$WORK/port"

# A slot at 00:00 of the deadline's day, the deadline tomorrow: due now.
DEADLINE=$(TZ=UTC date -d tomorrow +%d/%m/%Y)
cat > "$WORK/units.csv" <<CSV
code,name,group,emails,aliases
a,Đơn vị A,G,a@example.vn,
b,Đơn vị B,G,b@example.vn,
c,Đơn vị C,G,c@example.vn,
CSV
cat > "$WORK/consultations/k.toml" <<TOML
id = "k"
subject = "Xin ý kiến"
deadline = "$DEADLINE"
addressees = ["*"]
[reminders]
schedule = ["-1d 00:00"]
TOML
cat > "$WORK/tacit.toml" <<TOML
[daemon]
state_dir = "state"
timezone = "UTC"
[smtp]
url = "smtp://127.0.0.1:$(cat "$WORK/port")"
from = "Phòng <vhxh@example.vn>"
rate_per_minute = 2
retry_initial = "1s"
TOML

received() { ls "$OUT"/*.json 2>/dev/null | wc -l; }
has_received() { [ "$(received)" -ge "$1" ]; }
start_daemon
t0=$(date +%s)
wait_for "two reminders" 20 has_received 2
sleep 5
[ "$(received)" -eq 2 ] || fail "$(received) messages within the first minute with rate_per_minute = 2"
wait_for "the third reminder after a minute" 90 has_received 3
waited=$(( $(date +%s) - t0 ))
[ "$waited" -ge 50 ] || fail "the third reminder came after ${waited}s, before the minute was over"
stop_daemon
echo "PASS: rate limit (third message after ${waited}s)"
