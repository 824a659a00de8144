# IMAP under load (issue 5), against a real Dovecot: 500 replies waiting in the
# mailbox, and 100 more that arrive while tacitd fetches them, are each recorded
# exactly once and all acknowledged.
# On tmpfs when there is room (1 GB): what is tested is tacitd's exactly-once,
# not the disk's fsync; each commit is one, and hundreds of them on a busy
# shared disk take most of a minute.
if [ -z "${TMPDIR:-}" ] && [ "$(df --output=avail -k /dev/shm 2>/dev/null | tail -1 || echo 0)" -gt 1048576 ]; then
  export TMPDIR=/dev/shm
fi
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/imap_lib.sh"

start_dovecot
write_config "$(date -d '+5 days' +%d/%m/%Y)"
imap_config

t0=$(date +%s%N)
store_messages 500 300 load
echo "500 messages stored in $(( ($(date +%s%N) - t0) / 1000000 )) ms"

t0=$(date +%s%N)
# 100 more while the first fetch is under way: tacitd stops itself (SIGSTOP,
# TACIT_STOP_AT) once its first batch is committed and before it flags it, so
# that they surely arrive before the fetch ends (waiting for a log line and
# sending SIGSTOP raced with a fetch that had already ended). Dovecot
# announces them (EXISTS) once, in its answer to tacitd's next UID FETCH or UID
# STORE; they must be fetched right after, not left until the next IDLE
# refresh (25 min).
export TACIT_STOP_AT=imap.before_flag:1
"$TACITD" --config "$WORK/tacit.toml" >"$WORK/tacitd.log" 2>&1 &
DAEMON_PID=$!
unset TACIT_STOP_AT
stopped() { [ "$(ps -o stat= -p "$DAEMON_PID" | cut -c1)" = "T" ]; }
wait_for "tacitd stopped after its first batch" 20 stopped
grep -q "stop point imap.before_flag reached" "$WORK/tacitd.log" || fail "stopped elsewhere"
[ "$(db "SELECT count(*) FROM replies")" -lt 600 ] || fail "more than the first 500"
store_messages 100 300 more
kill -CONT "$DAEMON_PID"
wait_for "tacitd ready" 10 grep -q "tacitd ready" "$WORK/tacitd.log"
recorded() { [ "$(db "SELECT count(*) FROM replies")" = "$1" ]; }
wait_for "600 replies" 50 recorded 600
echo "600 replies recorded in $(( ($(date +%s%N) - t0) / 1000000 )) ms"
replies_with_ids load 500 || fail "not each of the 500 messages once"
replies_with_ids more 100 || fail "not each of the 100 later messages once"
# Each message was recorded by one fetch, none again.
[ "$(grep -c 'imap: imap:[0-9]*:[0-9]* -> reply' "$WORK/tacitd.log")" -eq 600 ] ||
  fail "$(grep -c ' -> reply' "$WORK/tacitd.log") recordings logged for 600 messages"
! grep -q 'is already recorded' "$WORK/tacitd.log" || fail "a message was fetched twice"

# All acknowledged (\Seen), none deleted, and the saved position is the last UID.
all_seen() { [ "$(flags_of | grep -c ':\\Seen$')" -eq "$1" ]; }
wait_for "600 messages \\Seen" 10 all_seen 600
[ "$(flags_of | wc -l)" -eq 600 ] || fail "messages deleted"
[ "$(db "SELECT last_uid FROM imap_state")" = "600" ] || fail "last UID $(db 'SELECT last_uid FROM imap_state')"

stop_daemon
echo "PASS"
