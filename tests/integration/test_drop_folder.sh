# The drop folder end to end (issue 4): real tacitd, real files, real SQLite.
source "$(dirname "$0")/lib.sh"

write_config "$(date -d '+5 days' +%d/%m/%Y)"
cat >> "$WORK/tacit.toml" <<TOML

[drop_folder]
path = "inbox"
max_bytes = 1000000
TOML
INBOX=$WORK/inbox
mkdir -p "$INBOX"
replies_count() { ctl replies k --json | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
unmatched_count() { ctl unmatched --json | "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
files_in() { find "$1" -type f | wc -l; }

# Dropped while stopped: counted at start, received time = when it was dropped.
mkdir -p "$INBOX/k/tdp-02"
printf 'Tổ dân phố số 2 nhất trí với dự thảo.\n' > "$INBOX/k/tdp-02/tra-loi.txt"
dropped_at=$(stat -c %Z "$INBOX/k/tdp-02/tra-loi.txt")
sleep 1.1
start_daemon
wait_for "tdp-02 replied" 3 status_is "u['tdp-02']['status']" "replied"
expect_status "u['tdp-02']['channel']" "drop"
expect_status "u['tdp-02']['stance']" "agree"
ctl replies k --unit tdp-02 --json | "$PY" -c '
import json, sys, datetime
r = json.load(sys.stdin)[0]
got = datetime.datetime.fromisoformat(r["received_at"]).timestamp()
assert int(got) == int(sys.argv[1]), (r["received_at"], sys.argv[1])
assert r["source"].startswith("archive/"), r
' "$dropped_at" || fail "received time is not the drop time"
# Archived after the commit (SPEC §8): a moment after the reply shows.
wait_for "inbox emptied" 10 eval '[ -z "$(find "$INBOX" -type f)" ]'
[ "$(files_in "$WORK/state/archive")" -eq 1 ] || fail "not archived"

# Written slowly in chunks: read once, whole.
(printf 'Công an phường '; sleep 0.4; printf 'nhất trí, '; sleep 0.4; printf 'đề nghị bổ sung tiến độ.\n') \
  > "$INBOX/cong-an.txt"
wait_for "cong-an replied" 3 status_is "u['cong-an']['status']" "replied"
expect_status "u['cong-an']['replies']" "1"
expect_status "u['cong-an']['stance']" "comments"
ctl replies k --unit cong-an --json | grep -q "đề nghị bổ sung tiến độ" || fail "chunked file read in part"

# mv into the folder (renamed in): counted; status within 100 ms target (checked loosely here).
printf 'UBND phường thống nhất.\n' > "$WORK/ubnd.txt"
mv "$WORK/ubnd.txt" "$INBOX/ubnd.txt"
wait_for "ubnd replied" 2 status_is "u['ubnd']['status']" "replied"

# A Word reply in a unit's subfolder: its text decides the stance.
mkdir -p "$INBOX/tdp-01-draft" "$WORK/docx"
"$PY" - "$WORK/docx/Góp ý TDP2.docx" <<'PY'
import sys, zipfile
body = ("<w:document xmlns:w='http://schemas.openxmlformats.org/wordprocessingml/2006/main'><w:body>"
        "<w:p><w:r><w:t>Kính gửi: Phòng Văn hóa – Xã hội</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>Tổ dân phố số 2 cơ bản </w:t></w:r><w:r><w:t>nhất trí, đề nghị điều chỉnh tiến độ.</w:t></w:r></w:p>"
        "</w:body></w:document>")
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", "<Types xmlns='http://schemas.openxmlformats.org/package/2006/content-types'/>")
    z.writestr("word/document.xml", body)
PY
rmdir "$INBOX/tdp-01-draft"
mv "$WORK/docx/Góp ý TDP2.docx" "$INBOX/k/tdp-02/"
wait_for "docx reply recorded" 3 status_is "u['tdp-02']['replies']" "2"
expect_status "u['tdp-02']['stance']" "comments"
ctl replies k --unit tdp-02 --json | grep -q "đề nghị điều chỉnh tiến độ" || fail "docx text not kept"

# Refusals: each quarantined with a reason; a good file dropped after them still counts.
ln -s /etc/passwd "$INBOX/link.txt"
mkfifo "$INBOX/pipe.txt"
have_dev=0
if mknod "$INBOX/null.txt" c 1 3 2>/dev/null; then have_dev=1; else echo "note: mknod not permitted here; device case not exercised"; fi
head -c 2000000 /dev/zero | tr '\0' 'a' > "$INBOX/big.txt"
printf 'abc\0\0\0binary' > "$INBOX/garbage.txt"
"$PY" - "$INBOX/bomb.docx" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    z.writestr("[Content_Types].xml", "<Types/>")
    z.writestr("word/document.xml", b" " * 150_000_000)
PY
mkdir -p "$INBOX/k/tdp-01/nested"
printf 'x' > "$INBOX/k/tdp-01/nested/deep.txt" 2>/dev/null || true
printf 'TDP 1 nhất trí.\n' > "$INBOX/k/tdp-01/ok.txt"
wait_for "tdp-01 replied after the refusals" 3 status_is "u['tdp-01']['status']" "replied"
Q=$WORK/state/quarantine
reasons_at_least() { [ "$(ls "$Q"/*.reason 2>/dev/null | wc -l)" -ge "$1" ]; }
wait_for "6 reasons" 3 reasons_at_least 6
grep -q "symbolic link: not followed" "$Q/link.txt.reason" || fail "symlink: $(cat "$Q"/link.txt.reason)"
grep -q "a FIFO: only regular files are read" "$Q/pipe.txt.reason" || fail "fifo reason"
grep -q "over drop_folder.max_bytes (1000000)" "$Q/big.txt.reason" || fail "big reason"
if [ "$have_dev" = 1 ]; then
  grep -q "a character device: only regular files are read" "$Q/null.txt.reason" || fail "device reason"
fi
grep -q "control character U+0000" "$Q/garbage.txt.reason" || fail "garbage: $(cat "$Q/garbage.txt.reason")"
grep -q "zip bomb" "$Q/bomb.docx.reason" || fail "bomb: $(cat "$Q/bomb.docx.reason")"
grep -q "folder this deep is not read" "$Q/nested.reason" || fail "nested reason"
[ -L "$Q/link.txt" ] || fail "the symlink itself is not in quarantine"
grep -q "quarantined" "$WORK/tacitd.log" || fail "no warning in the log"
kill -0 "$DAEMON_PID" || fail "tacitd died"

# An unreadable name/place: kept as unmatched, never dropped.
printf 'Ý kiến đóng góp của đơn vị.\n' > "$INBOX/scan-0001.txt"
wait_for "unmatched counted" 3 status_is "s['unmatched']" "1"
[ "$(unmatched_count)" = "1" ] || fail "unmatched not listed"

# The same file again: archived as a duplicate, not recorded twice.
printf 'TDP 1 nhất trí.\n' > "$INBOX/k/tdp-01/ok-again.txt"
wait_for "duplicate archived" 3 test -f "$WORK/state/archive/duplicates/$(date +%Y/%m)/ok-again.txt"
expect_status "u['tdp-01']['replies']" "1"

# 1,000 files at once: every one recorded exactly once.
before=$(replies_count)
mkdir -p "$WORK/burst"
for i in $(seq 1 1000); do printf 'TDP 2 nhất trí, lần %d.\n' "$i" > "$WORK/burst/r$i.txt"; done
mkdir -p "$INBOX/k/tdp-02"
mv "$WORK/burst"/* "$INBOX/k/tdp-02/"
replies_are() { [ "$(replies_count)" -eq "$1" ]; }
wait_for "1000 more replies" 60 replies_are $((before + 1000))
wait_for "the inbox emptied after the burst" 10 eval '[ -z "$(find "$INBOX" -type f)" ]'
stop_daemon
echo "ok: $(replies_count) replies, $(unmatched_count) unmatched"
