# Helpers for the integration tests: real tacitd/tacitctl binaries in a
# temporary folder. Sourced by test_*.sh; TACITD and TACITCTL come from CTest.
set -euo pipefail

: "${TACITD:?set TACITD to the tacitd binary}"
: "${TACITCTL:?set TACITCTL to the tacitctl binary}"

# Debian's interpreter: a pyenv shim on PATH costs most of a second per call.
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

WORK=$(mktemp -d "${TMPDIR:-/tmp}/tacit-it-XXXXXX")
DAEMON_PID=""
cleanup() {
  if [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; then kill -9 "$DAEMON_PID" || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*" >&2
  if [ -f "$WORK/tacitd.log" ]; then echo "--- tacitd.log" >&2; cat "$WORK/tacitd.log" >&2; fi
  exit 1
}

# write_config DEADLINE [SILENCE]: four units, one consultation "k".
write_config() {
  mkdir -p "$WORK/consultations"
  cat > "$WORK/units.csv" <<CSV
code,name,group,emails,aliases
ubnd,Ủy ban nhân dân phường,Lãnh đạo phường,ubnd@example.vn,UBND phường
cong-an,Công an phường,Công an phường,congan@example.vn,CA phường
tdp-01,Tổ dân phố số 1,Tổ dân phố,tdp01@example.vn,TDP 1
tdp-02,Tổ dân phố số 2,Tổ dân phố,,TDP 2
CSV
  cat > "$WORK/consultations/k.toml" <<TOML
id = "k"
reference = "15/VH-XH"
subject = "Xin ý kiến dự thảo kế hoạch"
deadline = "$1"
silence_means = "${2:-consent}"
addressees = ["*"]
topics = ["Tiến độ thực hiện"]
TOML
  cat > "$WORK/tacit.toml" <<TOML
[daemon]
state_dir = "state"
timezone = "Asia/Ho_Chi_Minh"
TOML
}

# with_drop_folder: adds [drop_folder] (WORK/inbox, as INBOX) to tacit.toml,
# after write_config.
with_drop_folder() {
  cat >> "$WORK/tacit.toml" <<TOML

[drop_folder]
path = "inbox"
TOML
  INBOX=$WORK/inbox
  mkdir -p "$INBOX"
}

# How many times tacitd built its matcher (the log says so each time).
matcher_builds() { grep -c "matcher built" "$WORK/tacitd.log" || true; }
matcher_builds_are() { [ "$(matcher_builds)" = "$1" ]; }

# with_drop_and_maildir: adds [drop_folder] (WORK/inbox, as INBOX, with the
# consultation's folder k/) and [maildir] (WORK/Maildir, as MD) to tacit.toml,
# after write_config.
with_drop_and_maildir() {
  cat >> "$WORK/tacit.toml" <<TOML

[drop_folder]
path = "inbox"

[maildir]
path = "Maildir"
TOML
  INBOX=$WORK/inbox
  MD=$WORK/Maildir
  mkdir -p "$INBOX/k" "$MD/tmp" "$MD/new" "$MD/cur"
}

ctl() { "$TACITCTL" --config "$WORK/tacit.toml" "$@"; }

start_daemon() {
  if [ -f "$WORK/tacitd.log" ]; then cat "$WORK/tacitd.log" >> "$WORK/tacitd.earlier.log"; fi
  "$TACITD" --config "$WORK/tacit.toml" >"$WORK/tacitd.log" 2>&1 &
  DAEMON_PID=$!
  wait_for "tacitd ready" 10 grep -q "tacitd ready" "$WORK/tacitd.log"
}

# stop_daemon: SIGTERM and expect exit status 0.
stop_daemon() {
  kill -TERM "$DAEMON_PID"
  local rc=0
  wait "$DAEMON_PID" || rc=$?
  DAEMON_PID=""
  [ "$rc" -eq 0 ] || fail "tacitd exited with $rc after SIGTERM"
}

# wait_for WHAT SECONDS CMD...: polls CMD every 50 ms. CMD is run anew each time, so
# pass a function, not `test "$(...)"` (that is expanded once, before the first poll).
wait_for() {
  local what=$1 limit=$2
  shift 2
  local end=$(( $(date +%s%N) + limit * 1000000000 ))
  until "$@" 2>/dev/null; do
    [ "$(date +%s%N)" -lt "$end" ] || fail "timed out after ${limit}s waiting for: $what"
    sleep 0.05
  done
}

# status_py EXPR: evaluates a Python expression over the status file as `s`.
status_py() {
  "$PY" - "$WORK/state/status.json" "$1" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
c = {x["id"]: x for x in s["consultations"]}
u = {x["code"]: x for k in s["consultations"] for x in k["units"]} if s["consultations"] else {}
print(eval(sys.argv[2]))
PY
}

# expect_status EXPR VALUE
expect_status() {
  local got
  got=$(status_py "$1") || fail "cannot evaluate $1"
  [ "$got" = "$2" ] || fail "$1: expected '$2', got '$got'"
}

status_is() { [ "$(status_py "$1" 2>/dev/null)" = "$2" ]; }
