#!/usr/bin/env bash
# Crash tests (issue 9, SPEC §8): for each source and each named crash point on
# its path (lib/core/crash_point.h), a fresh tacit is given N items, tacitd is
# started with TACIT_CRASH_AT=POINT and must die there (SIGKILL, from inside);
# it is then restarted without the variable and, once idle, stopped, and:
#  - every reply is recorded exactly once (each item carries a token CRASH-i);
#  - every source item is acknowledged exactly once (drop: the folder is empty
#    and each file is in archive/ once; Maildir: new/ is empty and each message
#    is in cur/ once, seen; IMAP: every message \Seen, none deleted);
#  - reminders: one outbox row per (unit, slot), all sent, each received; a
#    second copy is allowed only for a crash between the server's 250 and
#    MarkSent, and then it carries the same Message-ID (at least once, and
#    identifiable as the same message: nothing tacit can do about a lost commit
#    after the server took the mail);
#  - a deadline is applied once, each silent unit changed once, reports written;
#  - PRAGMA integrity_check is ok and status.json agrees with the database;
#  - a second restart changes nothing (tables, archive, Maildir, mail received).
#
#   crash_points.sh SOURCE...    SOURCE: drop maildir imap reminders deadline
#
# IMAP needs root and Dovecot (scripts/start-dovecot.sh): skipped without them,
# except under CI=true, where that is a failure.
source "$(dirname "$0")/../integration/lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=${TACIT_SOURCE_DIR:-$(cd "$HERE/../.." && pwd)}
CHECK="$PY $HERE/crash_check.py"
BASE=$WORK
N=6  # items per case

# The points each source's path goes through; "NAME:K" crashes at the Kth time.
POINTS_drop=(ingest.before_commit ingest.after_commit ingest.after_commit:4 drop.after_archive
  drop.after_archive:3 status.before_rename:2)
POINTS_maildir=(ingest.before_commit:2 ingest.after_commit maildir.before_move
  maildir.before_move:4 maildir.after_move:2 status.before_rename:2)
POINTS_imap=(ingest.before_commit:3 ingest.after_commit imap.before_flag imap.after_flag
  status.before_rename:2)
POINTS_reminders=(mail.after_plan mail.after_mark_sending mail.after_mark_sending:2
  mail.after_smtp_ok mail.after_smtp_ok:3 mail.after_mark_sent:2)
POINTS_deadline=(ingest.after_commit:2 deadline.before_apply deadline.after_apply
  status.before_rename:2)

SMTP_PID=""
DOVECOT_DIR=""
harness_cleanup() {
  if [ -n "$DAEMON_PID" ] && kill -0 "$DAEMON_PID" 2>/dev/null; then kill -9 "$DAEMON_PID" || true; fi
  DAEMON_PID=""
  stop_smtp
  if [ -n "$DOVECOT_DIR" ]; then "$ROOT/scripts/start-dovecot.sh" --stop "$DOVECOT_DIR" || true; fi
  WORK=$BASE
  cleanup
}
trap harness_cleanup EXIT

free_port() {
  "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# crash_run POINT: tacitd with TACIT_CRASH_AT=POINT must kill itself there.
crash_run() {
  local point=$1 log=$WORK/tacitd.crash.log
  TACIT_CRASH_AT=$point "$TACITD" --config "$WORK/tacit.toml" >"$log" 2>&1 &
  DAEMON_PID=$!
  dead() { ! kill -0 "$DAEMON_PID" 2>/dev/null; }
  local end=$(( $(date +%s) + 60 ))
  until dead; do
    if [ "$(date +%s)" -ge "$end" ]; then
      cat "$log" >&2
      fail "tacitd never reached crash point $point"
    fi
    sleep 0.05
  done
  local rc=0
  wait "$DAEMON_PID" || rc=$?
  DAEMON_PID=""
  if [ "$rc" -ne 137 ] || ! grep -q "crash point ${point%%:*} reached" "$log"; then
    cat "$log" >&2
    fail "tacitd exited with $rc, not killed at $point"
  fi
  cat "$log" >>"$WORK/tacitd.earlier.log"
  echo "  killed at $point: $(after_crash)"
}

# after_crash: what the crash left, for the log.
after_crash() {
  local db=$WORK/state/tacit.db
  [ -f "$db" ] || { echo "no database yet"; return; }
  local replies outbox
  replies=$($CHECK count "$db" 'SELECT count(*) FROM replies')
  case "$source" in
    drop | deadline) echo "$replies replies, $(find "$WORK/inbox" -type f | wc -l) files in the drop folder" ;;
    maildir) echo "$replies replies, $(ls -A "$WORK/Maildir/new" | wc -l) messages in new/" ;;
    imap) echo "$replies replies, last UID saved $($CHECK count "$db" 'SELECT max(last_uid) FROM imap_state')" ;;
    reminders)
      outbox=$($CHECK count "$db" "SELECT group_concat(state, ' ') FROM outbox")
      echo "outbox: ${outbox:-empty}; $(find "$WORK/received" -name '*.json' | wc -l) received"
      ;;
  esac
}

# ---------------------------------------------------------------------------------
# Sources: setup_X, idle_X (true once everything is in), settle_X (after a second
# start, long enough for the source to have looked), check_X POINT.

item_text() { printf 'Tổ dân phố nhất trí với dự thảo kế hoạch. Mã CRASH-%d.\n' "$1"; }
UNITS=(tdp-01 ubnd cong-an tdp-02)
EMAILS=(tdp01@example.vn ubnd@example.vn congan@example.vn)

replies_are() { [ "$($CHECK count "$WORK/state/tacit.db" 'SELECT count(*) FROM replies')" = "$1" ]; }

setup_drop() {
  write_config "$(date -d '+5 days' +%d/%m/%Y)"
  printf '\n[drop_folder]\npath = "inbox"\n' >>"$WORK/tacit.toml"
  local i unit
  for i in $(seq 1 "$N"); do
    unit=${UNITS[$(( i % 4 ))]}
    mkdir -p "$WORK/inbox/k/$unit"
    item_text "$i" >"$WORK/inbox/k/$unit/tra-loi-$i.txt"
  done
}
inbox_empty() { [ -z "$(find "$WORK/inbox" -type f)" ]; }
idle_drop() { replies_are "$N" && inbox_empty; }
settle_drop() { sleep 1.5; }
check_drop() { $CHECK drop "$WORK" "$N" || fail "drop: items not acknowledged exactly once"; }

setup_maildir() {
  write_config "$(date -d '+5 days' +%d/%m/%Y)"
  printf '\n[maildir]\npath = "Maildir"\n' >>"$WORK/tacit.toml"
  mkdir -p "$WORK/Maildir/tmp" "$WORK/Maildir/new" "$WORK/Maildir/cur"
  local i t0
  t0=$(( $(date +%s) - 600 ))
  for i in $(seq 1 "$N"); do
    local name="$(( t0 + i )).M${i}P$$.crashtest"
    {
      printf 'From: %s\r\nTo: vhxh@example.vn\r\nSubject: Tra loi 15/VH-XH so %d\r\n' \
        "${EMAILS[$(( i % 3 ))]}" "$i"
      printf 'Date: Tue, 10 Feb 2026 08:15:00 +0700\r\nMessage-ID: <crash-%d-%s@example.vn>\r\n' \
        "$i" "$RANDOM$RANDOM"
      printf 'MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n'
      printf 'Content-Transfer-Encoding: 8bit\r\n\r\n'
      item_text "$i"
    } >"$WORK/Maildir/tmp/$name"
    mv "$WORK/Maildir/tmp/$name" "$WORK/Maildir/new/$name"
  done
}
new_empty() { [ -z "$(ls -A "$WORK/Maildir/new")" ]; }
idle_maildir() { replies_are "$N" && new_empty; }
settle_maildir() { sleep 1.5; }
check_maildir() { $CHECK maildir "$WORK" "$N" || fail "maildir: messages not acknowledged exactly once"; }

IMAP_CASE=0
setup_imap() {
  IMAP_CASE=$(( IMAP_CASE + 1 ))
  MAILBOX="crash$IMAP_CASE"
  write_config "$(date -d '+5 days' +%d/%m/%Y)"
  cat >>"$WORK/tacit.toml" <<TOML

[imap]
url = "imaps://127.0.0.1:$IMAPS_PORT/$MAILBOX"
username = "tacit"
password_file = "$DOVECOT_DIR/password"
ca_file = "$DOVECOT_DIR/ca.pem"
poll_seconds = 60
TOML
  "$PY" - "$IMAPS_PORT" "$DOVECOT_DIR/ca.pem" "$MAILBOX" "$N" <<'PY' || fail "cannot fill $MAILBOX"
import imaplib, ssl, sys
from email.message import EmailMessage
port, ca, box, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
m = imaplib.IMAP4_SSL("127.0.0.1", int(port), ssl_context=ssl.create_default_context(cafile=ca))
m.login("tacit", "secret-pw")
assert m.create(box)[0] == "OK"
emails = ["tdp01@example.vn", "ubnd@example.vn", "congan@example.vn"]
for i in range(1, n + 1):
    e = EmailMessage()
    e["From"] = emails[i % 3]
    e["To"] = "vhxh@example.vn"
    e["Subject"] = "Tra loi 15/VH-XH so %d" % i
    e["Message-ID"] = "<crash-imap-%s-%d@example.vn>" % (box, i)
    e.set_content("Tổ dân phố nhất trí với dự thảo kế hoạch. Mã CRASH-%d.\n" % i)
    assert m.append(box, None, None, e.as_bytes())[0] == "OK"
m.logout()
PY
}
all_seen() { $CHECK imap "$IMAPS_PORT" "$DOVECOT_DIR/ca.pem" "$MAILBOX" "$N" 2>/dev/null; }
uid_saved() {
  [ "$($CHECK count "$WORK/state/tacit.db" 'SELECT max(last_uid) FROM imap_state')" = "$N" ]
}
idle_imap() { replies_are "$N" && all_seen && uid_saved; }
settle_imap() {
  wait_for "mailbox selected" 20 grep -q "$MAILBOX selected" "$WORK/tacitd.log"
  sleep 1
}
check_imap() {
  $CHECK imap "$IMAPS_PORT" "$DOVECOT_DIR/ca.pem" "$MAILBOX" "$N" || fail "imap: not all \\Seen"
  local last
  last=$($CHECK count "$WORK/state/tacit.db" 'SELECT max(last_uid) FROM imap_state')
  [ "$last" = "$N" ] || fail "imap: last UID saved is $last, expected $N"
}

stop_smtp() {
  if [ -n "$SMTP_PID" ]; then
    kill -TERM "$SMTP_PID" 2>/dev/null || true
    wait "$SMTP_PID" 2>/dev/null || true
    SMTP_PID=""
  fi
}
setup_reminders() {
  stop_smtp
  # Local time near midday whatever the UTC hour (an Etc/GMT zone), so that the
  # slot (a minute ago) and the deadline (in two hours) fall on the same day.
  local utc_hour offset tzname now slot deadline port
  utc_hour=$(date -u +%H)
  offset=$(( 12 - 10#$utc_hour ))
  if [ "$offset" -gt 0 ]; then tzname="Etc/GMT-$offset"
  elif [ "$offset" -lt 0 ]; then tzname="Etc/GMT+$(( -offset ))"
  else tzname="Etc/UTC"; fi
  now=$(date +%s)
  slot=$(TZ=$tzname date -d "@$(( now - 60 ))" +%H:%M)
  deadline=$(TZ=$tzname date -d "@$(( now + 7200 ))" '+%d/%m/%Y %H:%M')
  write_config "$deadline"
  cat >>"$WORK/consultations/k.toml" <<TOML

[reminders]
schedule = ["0d $slot"]
TOML
  port=$(free_port)
  sed -i "s|^timezone = .*|timezone = \"$tzname\"|" "$WORK/tacit.toml"
  cat >>"$WORK/tacit.toml" <<TOML

[smtp]
url = "smtp://127.0.0.1:$port"
from = "Phòng Văn hóa – Xã hội <vhxh@example.vn>"
rate_per_minute = 100
retry_initial = "1s"
retry_max = "2s"
timeout = "10s"
TOML
  mkdir -p "$WORK/received"
  "$PY" "$ROOT/tests/smtp/smtp_server.py" --host 127.0.0.1 --port "$port" \
    --port-file "$WORK/smtp.port" --out "$WORK/received" >>"$WORK/smtp.log" 2>&1 &
  SMTP_PID=$!
  wait_for "smtp server" 10 test -s "$WORK/smtp.port"
}
REMINDERS=3  # the units with an address: tdp-01, ubnd, cong-an
reminders_sent() {
  [ "$($CHECK count "$WORK/state/tacit.db" \
    "SELECT count(*) FROM outbox WHERE kind='reminder' AND state='sent'")" = "$REMINDERS" ]
}
idle_reminders() { reminders_sent; }
settle_reminders() { sleep 1.5; }
check_reminders() {
  $CHECK reminders "$WORK" "$REMINDERS" "$1" || fail "reminders: not each slot exactly once"
}

setup_deadline() {
  # Passed a few minutes ago; two replies dropped before the start must be read
  # (the drain) before it applies; the other two units are silent.
  write_config "$(TZ=Asia/Ho_Chi_Minh date -d '-3 minutes' '+%d/%m/%Y %H:%M')"
  printf '\n[drop_folder]\npath = "inbox"\n' >>"$WORK/tacit.toml"
  mkdir -p "$WORK/inbox/k/tdp-01" "$WORK/inbox/k/ubnd"
  item_text 1 >"$WORK/inbox/k/tdp-01/tra-loi-1.txt"
  item_text 2 >"$WORK/inbox/k/ubnd/tra-loi-2.txt"
  sleep 1.1  # older than the drop folder's settle time: read at the drain
}
deadline_applied() {
  [ "$($CHECK count "$WORK/state/tacit.db" "SELECT state FROM consultations WHERE id='k'")" = closed ] &&
    [ -f "$WORK/state/reports/k/report.json" ]
}
idle_deadline() { replies_are 2 && inbox_empty && deadline_applied; }
settle_deadline() { sleep 1.5; }
check_deadline() {
  $CHECK drop "$WORK" 2 || fail "deadline: items not acknowledged exactly once"
  $CHECK deadline "$WORK" cong-an tdp-02 || fail "deadline: not applied exactly once"
}
items_deadline=2

# ---------------------------------------------------------------------------------

CASES=0
run_case() {
  local source=$1 point=$2 n=$N
  [ "$source" = deadline ] && n=$items_deadline
  [ "$source" = reminders ] && n=0
  WORK=$BASE/$source-${point//:/-}
  mkdir -p "$WORK"
  chmod 755 "$WORK"
  DAEMON_PID=""
  local t0
  t0=$(date +%s%N)
  "setup_$source"
  crash_run "$point"
  start_daemon
  wait_for "$source idle after the crash at $point" 60 "idle_$source"
  stop_daemon
  "check_$source" "$point"
  $CHECK replies "$WORK/state/tacit.db" "CRASH-=$n" || fail "$source $point: replies not exactly once"
  $CHECK integrity "$WORK/state/tacit.db" || fail "$source $point: integrity_check"
  $CHECK status "$WORK" || fail "$source $point: status.json disagrees with the database"
  $CHECK snapshot "$WORK" >"$WORK/snapshot.1.json"
  start_daemon
  "settle_$source"
  stop_daemon
  $CHECK snapshot "$WORK" >"$WORK/snapshot.2.json"
  diff -u "$WORK/snapshot.1.json" "$WORK/snapshot.2.json" >&2 ||
    fail "$source $point: the second restart changed something"
  $CHECK integrity "$WORK/state/tacit.db" || fail "$source $point: integrity_check after restart"
  CASES=$(( CASES + 1 ))
  echo "ok: $source at $point ($(( ($(date +%s%N) - t0) / 1000000 )) ms)"
  WORK=$BASE
}

start_imap() {
  if [ "$(id -u)" -ne 0 ] || ! command -v dovecot >/dev/null; then
    [ "${CI:-}" = "true" ] && fail "IMAP crash tests need root and dovecot (scripts/install-deps.sh)"
    echo "SKIP imap: needs root and dovecot (scripts/install-deps.sh)"
    return 1
  fi
  local imap_port
  read -r imap_port IMAPS_PORT < <("$PY" -c '
import socket
s = [socket.socket() for _ in range(2)]
for x in s: x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])')
  chmod 755 "$BASE"
  DOVECOT_DIR=$BASE/dovecot
  "$ROOT/scripts/start-dovecot.sh" "$DOVECOT_DIR" "$imap_port" "$IMAPS_PORT" >"$BASE/dovecot.env" ||
    fail "dovecot did not start"
}

need_aiosmtpd() {
  if "$PY" -c 'import aiosmtpd' 2>/dev/null; then return 0; fi
  [ "${CI:-}" = "true" ] && fail "python3-aiosmtpd is missing (scripts/install-deps.sh)"
  echo "SKIP reminders: python3-aiosmtpd is not installed"
  return 1
}

[ $# -gt 0 ] || set -- drop maildir imap reminders deadline
for source in "$@"; do
  case "$source" in
    imap) start_imap || continue ;;
    reminders) need_aiosmtpd || continue ;;
    drop | maildir | deadline) ;;
    *) fail "unknown source $source" ;;
  esac
  declare -n points="POINTS_$source"
  for point in "${points[@]}"; do run_case "$source" "$point"; done
  unset -n points
done
echo "PASS: $CASES crash cases ($*)"
