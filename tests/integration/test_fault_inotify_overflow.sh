# inotify overflow (issue 9): tacitd's inotify queue holds only 16 events
# (fs.inotify.max_queued_events lowered while it starts; the kernel reads the
# limit when the queue is created, and it is restored at once), then 300 files
# land in the drop folder and 300 messages in the Maildir at once. The queue
# overflows (IN_Q_OVERFLOW), each source rescans, and every item is ingested
# exactly once, well before the one-minute periodic rescan could hide a miss.
#
# Needs root (/proc/sys); under CI=true not being able to lower it is a failure.
source "$(dirname "$0")/lib.sh"

KNOB=/proc/sys/fs/inotify/max_queued_events
N=300

write_config "$(date -d '+5 days' +%d/%m/%Y)"
with_drop_and_maildir
replies_count() { ctl replies k --json | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
replies_are() { [ "$(replies_count)" = "$1" ]; }

saved=$(cat "$KNOB")
restore() { echo "$saved" > "$KNOB" 2>/dev/null || true; }
trap 'restore; cleanup' EXIT
if ! echo 16 > "$KNOB" 2>"$WORK/knob.err"; then
  [ "${CI:-}" = "true" ] && fail "cannot lower $KNOB (needs root): $(cat "$WORK/knob.err")"
  echo "SKIP: cannot lower $KNOB (needs root)"
  exit 0
fi
start_daemon
restore  # only tacitd's queues, created above, keep the low limit
[ "$(cat "$KNOB")" = "$saved" ] || fail "$KNOB not restored"

# All at once: the files written in one go in place (IN_CLOSE_WRITE each), the
# messages written in tmp/ and renamed into new/ (IN_MOVED_TO each).
# tacitd is stopped while the files arrive, so that both queues overflow
# whatever the machine's speed (a fast tacitd kept up with this writer and
# the overflow, which this test is about, did not always happen).
# The units' folders first, while tacitd runs: it watches each as it appears.
for u in ubnd cong-an tdp-01 tdp-02; do mkdir -p "$INBOX/k/$u"; done
sleep 1
kill -STOP "$DAEMON_PID"
"$PY" - "$INBOX/k" "$MD" "$N" <<'PY'
import os, sys
inbox, md, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
units = ["ubnd", "cong-an", "tdp-01", "tdp-02"]
for u in units:
    os.makedirs(os.path.join(inbox, u), exist_ok=True)
for i in range(n):
    with open(os.path.join(inbox, units[i % 4], f"gop-y-{i:03}.txt"), "w") as f:
        f.write(f"Ý kiến số {i}: nhất trí với dự thảo kế hoạch.\n")
for i in range(n):
    name = f"17000{i:05}.M{i}P1.test"
    with open(os.path.join(md, "tmp", name), "w") as f:
        f.write("From: congan@example.vn\nTo: vhxh@example.vn\n"
                "Subject: =?utf-8?b?VHLhuqMgbOG7nWkgMTUvVkgtWEg=?=\n"
                f"Message-ID: <overflow-{i}@example.vn>\n"
                "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n"
                f"Công an phường, ý kiến số {i}: nhất trí.\n")
    os.rename(os.path.join(md, "tmp", name), os.path.join(md, "new", name))
PY
kill -CONT "$DAEMON_PID"

wait_for "both queues overflowed" 20 eval 'grep -q "drop folder: inotify queue overflow" "$WORK/tacitd.log" && grep -q "maildir: inotify queue overflow" "$WORK/tacitd.log"'
wait_for "all $((2 * N)) items ingested" 45 replies_are $((2 * N))
wait_for "drop folder emptied" 10 eval '[ -z "$(find "$INBOX" -type f)" ]'
wait_for "new/ emptied" 10 eval '[ -z "$(ls "$MD/new")" ]'
[ "$(ls "$MD/cur" | grep -c ':2,S$')" -eq "$N" ] || fail "cur/ holds $(ls "$MD/cur" | wc -l) messages"
[ "$(find "$WORK/state/archive" -type f | wc -l)" -eq "$N" ] || fail "archive: $(find "$WORK/state/archive" -type f | wc -l) files"
sleep 1
replies_are $((2 * N)) || fail "recorded more than once: $(replies_count)"
if grep -q "already recorded" "$WORK/tacitd.log"; then fail "an item was read twice"; fi
kill -0 "$DAEMON_PID" || fail "tacitd died"
stop_daemon
echo "PASS: inotify overflow ($N files, $N messages, each once)"
