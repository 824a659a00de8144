# PDFs are read by the tacit-extract helper process, not by tacitd
# (lib/extract/helper.h): a helper that cannot start leaves the file in the
# drop folder until it can, and the deadline waits for it (SPEC §2: a source
# not drained holds the deadline back); a reader that crashes gets the file
# quarantined with the reason while tacitd goes on; tacitd itself maps
# neither poppler nor Tesseract. Real tacitd, real helper (beside it in the
# build tree).
source "$(dirname "$0")/lib.sh"

# The PDF must be in the folder before the deadline: time for a slow (ASan) start.
write_config "$(date -d '+8 seconds' --iso-8601=seconds)"
cat >> "$WORK/tacit.toml" <<TOML

[drop_folder]
path = "inbox"
TOML
INBOX=$WORK/inbox
Q=$WORK/state/quarantine
mkdir -p "$INBOX/k/tdp-01"

# A one-page PDF with a text layer: bench/make_corpus.py's, as in the benchmark.
make_pdf() {
  "$PY" - "$1" "$2" "$TACIT_SOURCE_DIR/bench" <<'PY'
import sys
sys.path.insert(0, sys.argv[3])
from make_corpus import pdf
open(sys.argv[1], "wb").write(pdf([sys.argv[2]]))
PY
}

# 1. No helper: the PDF, dropped before the deadline, is not the file's
# fault; it stays in the drop folder, and the deadline waits for it.
export TACIT_EXTRACT=$WORK/no-such-tacit-extract
start_daemon
# Said at start, before any PDF arrives.
grep -q "tacit-extract not found at $WORK/no-such-tacit-extract (No such file or directory): PDFs and scans cannot be read" \
  "$WORK/tacitd.log" || fail "a missing helper is not said at start"
make_pdf "$WORK/tra-loi.pdf" "To dan pho so 1 nhat tri voi du thao."
mv "$WORK/tra-loi.pdf" "$INBOX/k/tdp-01/tra-loi.pdf"
[ "$(stat -c %Z "$INBOX/k/tdp-01/tra-loi.pdf")" -lt "$(date -d "$(sed -n 's/^deadline = "\(.*\)"$/\1/p' "$WORK/consultations/k.toml")" +%s)" ] ||
  fail "the machine is too slow for this test: the PDF was dropped after the deadline"
printf 'UBND phường thống nhất.\n' > "$INBOX/ubnd.txt"
wait_for "ubnd replied" 5 status_is "u['ubnd']['status']" "replied"
wait_for "the missing helper is said" 5 grep -q "cannot start $WORK/no-such-tacit-extract" "$WORK/tacitd.log"
wait_for "the deadline held back for the drop folder" 20 grep -q "deadline held back: k" "$WORK/tacitd.log"
grep -q "deadline applied for k" "$WORK/tacitd.log" && fail "the deadline applied with a PDF unread"
[ -f "$INBOX/k/tdp-01/tra-loi.pdf" ] || fail "the PDF left the drop folder without a helper"
[ ! -e "$Q/tra-loi.pdf.reason" ] || fail "quarantined for a missing helper: $(cat "$Q/tra-loi.pdf.reason")"
expect_status "u['tdp-01']['status']" "pending"
# tacitd never maps the PDF and OCR libraries.
if grep -E 'libpoppler|libtesseract|liblept' "/proc/$DAEMON_PID/maps"; then
  fail "tacitd maps poppler/Tesseract/leptonica"
fi
stop_daemon

# 2. With the helper: the same file is read, counts as on time (dropped before
# the deadline), and only then the deadline applies.
unset TACIT_EXTRACT
start_daemon
grep -q "tacit-extract not found" "$WORK/tacitd.log" && fail "the helper beside tacitd was not found"
wait_for "deadline applied after the drain" 15 grep -q "deadline applied for k" "$WORK/tacitd.log"
wait_for "tdp-01 replied" 5 status_is "u['tdp-01']['status']" "replied"
expect_status "u['tdp-01']['late_reply']" "False"
reply_line=$(grep -n "tra-loi.pdf -> reply" "$WORK/tacitd.log" | head -1 | cut -d: -f1)
applied_line=$(grep -n "deadline applied for k" "$WORK/tacitd.log" | head -1 | cut -d: -f1)
[ -n "$reply_line" ] && [ "$reply_line" -lt "$applied_line" ] ||
  fail "the PDF's reply was not recorded before the deadline applied"
expect_status "u['tdp-01']['stance']" "agree"
expect_status "u['tdp-02']['status']" "deemed_consent"
ctl replies k --unit tdp-01 --json | grep -q "nhat tri voi du thao" || fail "PDF text not kept"
wait_for "PDF archived" 10 eval '[ ! -e "$INBOX/k/tdp-01/tra-loi.pdf" ]'
# The helper stays for the next file (a minute), with its memory capped.
helper=$(pgrep -P "$DAEMON_PID" -x tacit-extract) || fail "no tacit-extract beside tacitd"
if ldd "$TACITD" | grep -q libasan; then
  echo "note: AddressSanitizer build: the helper's 4 GiB address-space cap is not set"
else
  grep -Eq '^Max address space +4294967296 +4294967296 ' "/proc/$helper/limits" ||
    fail "helper's address space is not capped: $(grep 'Max address space' "/proc/$helper/limits")"
fi
stop_daemon

# 3. A reader that crashes: the file is quarantined with the reason, tacitd
# goes on and reads the next file.
cat > "$WORK/crashing-helper" <<'SH'
#!/bin/sh
head -c 1 >/dev/null
kill -SEGV $$
SH
chmod +x "$WORK/crashing-helper"
export TACIT_EXTRACT=$WORK/crashing-helper
start_daemon
make_pdf "$WORK/hong.pdf" "Cong an phuong nhat tri."
mv "$WORK/hong.pdf" "$INBOX/hong.pdf"
wait_for "crashing PDF quarantined" 10 test -f "$Q/hong.pdf.reason"
grep -q "pdf: the reader crashed (signal 11" "$Q/hong.pdf.reason" || fail "reason: $(cat "$Q/hong.pdf.reason")"
[ -f "$Q/hong.pdf" ] || fail "the PDF itself is not in quarantine"
printf 'Công an phường nhất trí.\n' > "$INBOX/cong-an.txt"
cong_an_recorded() { grep -q "cong-an.txt -> reply" "$WORK/tacitd.log"; }
wait_for "cong-an's reply recorded after the crash" 5 cong_an_recorded
kill -0 "$DAEMON_PID" || fail "tacitd died with its reader"
stop_daemon
echo "ok"
