# Scanned paper replies read by OCR end to end (issue 10): a real tacitd with
# Tesseract reads JPEG, PNG, TIFF and image-only PDF letters rendered by
# tests/ocr/make_scans.py into its drop folder. Each is matched to the unit of
# its letterhead with the stance of its body; garbage is quarantined with a
# reason; a low-confidence reading is marked "cần kiểm tra"; tacitd keeps running.
source "$(dirname "$0")/lib.sh"

SRC=${TACIT_SOURCE_DIR:-$(cd "$(dirname "$0")/../.." && pwd)}
missing=""
"$PY" -c 'import PIL' 2>/dev/null || missing="python3-pil"
compgen -G "/usr/share/tesseract-ocr/*/tessdata/vie.traineddata" >/dev/null || missing="$missing tesseract-ocr-vie"
if [ -n "$missing" ]; then
  [ "${CI:-}" = "true" ] && fail "missing under CI: $missing (scripts/install-deps.sh)"
  echo "skip: missing $missing"
  exit 0
fi

write_config "$(date -d '+5 days' +%d/%m/%Y)"
cat >> "$WORK/tacit.toml" <<TOML

[drop_folder]
path = "inbox"
ocr_threads = 2
ocr_min_confidence = 60
ocr_timeout = "60s"
TOML
INBOX=$WORK/inbox
mkdir -p "$INBOX" "$WORK/scans"
"$PY" "$SRC/tests/ocr/make_scans.py" "$WORK/scans" || fail "make_scans.py"

replies_json() { ctl replies k --json; }
reply_field() {  # reply_field UNIT EXPR: EXPR over the unit's only reply `r`
  ctl replies k --unit "$1" --json | "$PY" -c '
import json, sys
rs = json.load(sys.stdin)
assert len(rs) == 1, [(r["id"], r["source"]) for r in rs]
r = rs[0]
print(eval(sys.argv[1]))' "$2"
}
count_all() { "$PY" -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
all_in() {
  [ "$(replies_json | count_all)" -ge 4 ] && [ "$(ctl unmatched --json | count_all)" -ge 1 ] &&
    [ -f "$WORK/state/quarantine/garbage.jpg.reason" ]
}

start_daemon
started=$(date +%s)
for f in cong-an.jpg tdp-02.png two-names.tif ubnd-scan.pdf noise.png garbage.jpg; do
  mv "$WORK/scans/$f" "$INBOX/$f"
done
wait_for "every scan read" 120 all_in
echo "scans read in $(( $(date +%s) - started )) s"
kill -0 "$DAEMON_PID" || fail "tacitd died"
# A file leaves the inbox after its reply is committed (SPEC §8), so the last
# one may still be there a moment after its reply shows: waited for, not
# looked at once.
inbox_empty() { [ -z "$(find "$INBOX" -type f)" ]; }
inbox_empty || wait_for "the inbox emptied" 10 inbox_empty

# Each letter: the letterhead's unit, the body's stance, the OCR confidence kept.
expect_status "u['cong-an']['stance']" "agree"
expect_status "u['tdp-02']['stance']" "comments"
expect_status "u['tdp-01']['stance']" "object"
expect_status "u['ubnd']['stance']" "agree"
for unit in cong-an tdp-02 tdp-01 ubnd; do
  expect_status "u['$unit']['status']" "replied"
  expect_status "u['$unit']['channel']" "drop"
  expect_status "u['$unit'].get('needs_check', False)" "False"
  [ "$(reply_field "$unit" 'r["ocr_confidence"] >= 60 and not r["needs_check"]')" = "True" ] \
    || fail "$unit: confidence not kept: $(ctl replies k --unit "$unit" --json)"
done
# The two-names letter (TDP 1, naming Công an phường and TDP 2 in its body)
# counts for TDP 1 only, by its letterhead.
[ "$(reply_field tdp-01 'r["source"].endswith("two-names.tif") and "letterhead" in r["match_rule"]')" = "True" ] \
  || fail "two-names.tif: $(ctl replies k --unit tdp-01 --json)"
[ "$(reply_field cong-an 'r["source"].endswith("cong-an.jpg")')" = "True" ] || fail "cong-an got another reply"
[ "$(reply_field tdp-02 'r["source"].endswith("tdp-02.png")')" = "True" ] || fail "tdp-02 got another reply"
[ "$(reply_field ubnd 'r["source"].endswith("ubnd-scan.pdf") and "thống nhất" in r["text"]')" = "True" ] \
  || fail "pdf scan: $(ctl replies k --unit ubnd --json)"

# Noise only: kept as unmatched, to check; garbage: quarantined with its reason.
ctl unmatched --json | "$PY" -c '
import json, sys
rs = json.load(sys.stdin)
assert len(rs) == 1 and rs[0]["source"].endswith("noise.png"), rs
assert rs[0]["needs_check"] and rs[0]["stance"] == "unknown", rs[0]
' || fail "noise.png: $(ctl unmatched --json)"
grep -q "image: cannot be decoded" "$WORK/state/quarantine/garbage.jpg.reason" \
  || fail "garbage reason: $(cat "$WORK/state/quarantine/garbage.jpg.reason")"

# Below ocr_min_confidence: stance unknown and "cần kiểm tra" in the reports.
stop_daemon
sed -i 's/^ocr_min_confidence = 60$/ocr_min_confidence = 100/' "$WORK/tacit.toml"
start_daemon
"$PY" "$SRC/tests/ocr/make_scans.py" "$WORK/again" >/dev/null
{ cat "$WORK/again/cong-an.jpg"; printf 'second copy'; } > "$WORK/cong-an-2.jpg"  # new bytes, same image
mv "$WORK/cong-an-2.jpg" "$INBOX/"
wait_for "second cong-an reply" 60 status_is "u['cong-an']['replies']" "2"
expect_status "u['cong-an']['stance']" "unknown"
expect_status "u['cong-an']['needs_check']" "True"
ctl report k --format md -o "$WORK/report.md" && grep -q "cần kiểm tra" "$WORK/report.md" || fail "markdown report does not say cần kiểm tra"
ctl report k --format html -o "$WORK/report.html" && grep -q "cần kiểm tra" "$WORK/report.html" || fail "html report does not say cần kiểm tra"
ctl report k --format csv -o "$WORK/report.csv" && grep -q "cần kiểm tra" "$WORK/report.csv" || fail "csv report does not say cần kiểm tra"
ctl report k --format json | "$PY" -c '
import json, sys
j = json.load(sys.stdin)
low = [r for r in j["replies"] if r["needs_check"]]
assert len(low) == 1 and low[0]["stance"] == "unknown" and low[0]["ocr_confidence"] < 100, low
' || fail "json report"
kill -0 "$DAEMON_PID" || fail "tacitd died"
stop_daemon
echo "ok: OCR scans matched, garbage quarantined, low confidence marked"
