# The synthesis report (issue 7): `tacitctl report ID --format md|html|csv|json
# [-o FILE]` on demand (provisional while open), the four files tacitd writes to
# report_dir/ID/ when the deadline applies, and status.html beside the status
# file. HTML escapes reply text and loads nothing from outside; CSV has a BOM and
# neutralised cells and reads back with Python's csv module. With chromium
# installed, the HTML also prints to A4 pages that keep the diacritics.
source "$(dirname "$0")/lib.sh"

expect_rc() {
  local want=$1
  shift
  local rc=0
  "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
  [ "$rc" -eq "$want" ] || { cat "$WORK/out" "$WORK/err" >&2; fail "$* exited $rc, expected $want"; }
}

local_time() { TZ=Asia/Ho_Chi_Minh date -d "$1" '+%d/%m/%Y %H:%M'; }

write_config "$(date -d '+5 seconds' --iso-8601=seconds)"
cat > "$WORK/reply-tdp-01.txt" <<'TXT'
<script>alert(1)</script>
" onmouseover=alert(2) x='y'

Đề nghị đẩy nhanh tiến độ thực hiện trong quý I.
TXT
printf -- '- Đồng ý với dự thảo; không có ý kiến khác.\n' > "$WORK/reply-tdp-02.txt"
expect_rc 0 ctl record k tdp-01 --stance comments --text "$WORK/reply-tdp-01.txt" --received "$(local_time '-2 hours')"
expect_rc 0 ctl record k tdp-02 --stance agree --text "$WORK/reply-tdp-02.txt" --received "$(local_time '-1 hour')"

# On demand while open: provisional, every format, stdout or -o FILE.
expect_rc 0 ctl report k --format md
grep -q "TẠM THỜI" "$WORK/out" || fail "open report is not marked provisional"
grep -q "Số/ký hiệu văn bản: 15/VH-XH" "$WORK/out" || fail "no reference in the report"
expect_rc 0 ctl report k --format json -o "$WORK/open.json"
"$PY" -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["provisional"] is True and j["state"] == "open", j["state"]
assert j["counts"]["replied"] == 2 and j["counts"]["pending"] == 2, j["counts"]
' "$WORK/open.json" || fail "open report json"
expect_rc 2 ctl report k --format pdf
expect_rc 1 ctl report nope --format md
[ "$(wc -l < "$WORK/err")" -eq 1 ] || fail "failure message is not one line"

# At the deadline tacitd writes report_dir/ID/* (report_dir defaults to state/reports).
start_daemon
wait_for "deadline applied" 20 status_is "c['k']['state']" "closed"
dir="$WORK/state/reports/k"
reports_written() { [ -s "$dir/report.md" ] && [ -s "$dir/report.html" ] && [ -s "$dir/report.csv" ] && [ -s "$dir/report.json" ]; }
wait_for "report files in $dir" 10 reports_written
html_written() { [ -s "$WORK/state/status.html" ]; }
wait_for "status.html beside status.json" 10 html_written
# A late reply after the deadline: the files in report_dir are rewritten with it.
grep -q "trả lời sau hạn muộn" "$dir/report.md" && fail "late reply text already in the report"
printf 'Xin gửi ý kiến trả lời sau hạn muộn.\n' > "$WORK/late.txt"
ctl record k ubnd --stance comments --text "$WORK/late.txt" >/dev/null
late_in_report() { grep -q "trả lời sau hạn muộn" "$dir/report.md" && grep -q "trả lời sau hạn muộn" "$dir/report.json"; }
wait_for "report_dir refreshed with the late reply" 10 late_in_report
# report.json as tacitd streams it: one document with the audit trail (read
# for the reports only, not for status.html) and the docx a valid package.
"$PY" -c '
import json, sys, zipfile
j = json.load(open(sys.argv[1] + "/report.json"))
kinds = [e["kind"] for e in j["events"]]
assert "deadline_applied" in kinds, kinds
# The trail is read by the page thread as it writes (issue 9), up to the
# newest event when the data was gathered: the late reply is in it.
late = [e for e in j["events"] if e["kind"] == "reply_recorded" and e["actor"].startswith("tacitctl")]
assert late and late[-1]["unit"] == "ubnd", kinds
assert j["state"] == "closed" and len(j["replies"]) == 3, (j["state"], len(j["replies"]))
z = zipfile.ZipFile(sys.argv[1] + "/report.docx")
assert z.testzip() is None
assert z.read("word/document.xml").decode().endswith("</w:body></w:document>")
' "$dir" || fail "report.json/report.docx written by tacitd"
stop_daemon

# A restart with nothing changed leaves them alone (reports.stamp, written after
# them, says what they were made from: at 100,000 units rewriting them at every
# start is costly); without the stamp (a crash before it) they are rewritten.
[ -s "$dir/reports.stamp" ] || fail "no reports.stamp beside the reports"
made=$(stat -c %.9Y "$dir/report.md" "$dir/report.json")
start_daemon
[ "$(stat -c %.9Y "$dir/report.md" "$dir/report.json")" = "$made" ] || fail "reports rewritten at start"
stop_daemon
rm "$dir/reports.stamp"
start_daemon
# Written by the page thread after READY=1, md first and the stamp last (after
# the docx): waited for, not looked at once.
rewritten() { [ "$(stat -c %.9Y "$dir/report.md" "$dir/report.json")" != "$made" ]; }
wait_for "reports rewritten without their stamp" 20 rewritten
wait_for "the stamp written again" 20 test -s "$dir/reports.stamp"
grep -q "trả lời sau hạn muộn" "$dir/report.md" || fail "rewritten report lost the late reply"
stop_daemon

grep -q "TẠM THỜI" "$dir/report.md" && fail "final report still provisional"
grep -q "Danh sách đơn vị được hiểu là đồng ý" "$dir/report.md" || fail "no deemed list"
grep -q "được hiểu là đồng ý." "$dir/report.md" || fail "silence rule not quoted"
grep -q '<meta http-equiv="refresh" content="30">' "$WORK/state/status.html" || fail "status.html does not refresh"

"$PY" - "$dir" "$WORK/state/status.html" <<'PY' || fail "report content"
import csv, io, json, re, sys
d = sys.argv[1]
j = json.load(open(d + "/report.json"))
assert j["state"] == "closed" and j["provisional"] is False
n = j["counts"]
assert (n["addressed"], n["replied"], n["comments"], n["agree"], n["deemed_consent"]) == (4, 2, 1, 1, 2), n
assert sorted(j["silent_units"]) == ["cong-an", "ubnd"], j["silent_units"]
assert len(j["replies"]) == 3 and j["events"], "replies (one late) and events"
assert j["comments_by_topic"][0]["topic"] == "Tiến độ thực hiện"
assert any("tiến độ" in p["text"] for p in j["comments_by_topic"][0]["paragraphs"])

for path in (d + "/report.html", sys.argv[2]):
    html = open(path, encoding="utf-8").read()
    assert '<meta charset="utf-8">' in html
    assert "<script" not in html and '" onmouseover' not in html, path
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, path
    assert "&quot; onmouseover=alert(2) x=&#39;y&#39;" in html, path
    assert "@page { size: A4;" in html
    # Nothing is fetched: no link, src, url() or import; the only URL is the SVG namespace.
    for bad in ("<link", " src=", "url(", "@import", "<iframe"):
        assert bad not in html, (path, bad)
    urls = set(re.findall(r"https?://[^\"' )]+", html))
    assert urls <= {"http://www.w3.org/2000/svg"}, urls

raw = open(d + "/report.csv", "rb").read()
assert raw.startswith(b"\xef\xbb\xbf"), "no BOM"
rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
assert rows[0][:4] == ["code", "name", "group", "status"], rows[0]
assert len(rows) == 5 and all(len(r) == 14 for r in rows), rows
by = {r[0]: r for r in rows[1:]}
assert by["tdp-02"][12].startswith("'- Đồng ý với dự thảo; không có ý kiến khác."), by["tdp-02"]
assert by["tdp-01"][12].startswith('<script>alert(1)</script>\n" onmouseover'), by["tdp-01"]
assert by["ubnd"][3] == "deemed_consent" and by["tdp-01"][4] == "comments"
PY

# The same report on demand, to a file (CSV has no timestamp: byte for byte).
expect_rc 0 ctl report k --format csv -o "$WORK/again.csv"
cmp -s "$WORK/again.csv" "$dir/report.csv" || fail "tacitctl report differs from the daemon's"

# Print to A4 in headless Chromium when it is installed (Debian's `chromium`).
if command -v chromium >/dev/null && command -v pdfinfo >/dev/null; then
  chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
    --print-to-pdf="$WORK/report.pdf" "file://$dir/report.html" >/dev/null 2>&1 || fail "chromium print"
  pdfinfo "$WORK/report.pdf" | grep -q "(A4)" || fail "report does not print on A4"
  pdftotext "$WORK/report.pdf" - | grep -q "Tổ dân phố số 1" || fail "pdf text lost diacritics"
  chromium --headless --no-sandbox --disable-gpu --window-size=1240,1754 \
    --screenshot="$WORK/report.png" "file://$dir/report.html" >/dev/null 2>&1 || fail "chromium screenshot"
  if [ -n "${TACIT_ARTIFACT_DIR:-}" ]; then
    mkdir -p "$TACIT_ARTIFACT_DIR"
    cp "$WORK/report.png" "$WORK/report.pdf" "$TACIT_ARTIFACT_DIR/"
  fi
  echo "ok: printed $(pdfinfo "$WORK/report.pdf" | awk '/^Pages:/ {print $2}') A4 page(s)"
  # Loads with no console message and no network request. Chromium's own
  # background traffic (Google update and account hosts) is left out; every
  # name resolves to nothing, so a request the page made shows in the net log.
  page_check() {  # page_check FILE.html -> prints problems, one per line
    rm -f "$WORK/net.json"
    timeout 120 chromium --headless --no-sandbox --disable-gpu --enable-logging=stderr --v=0 \
      --host-resolver-rules="MAP * ~NOTFOUND" --log-net-log="$WORK/net.json" \
      --virtual-time-budget=3000 --dump-dom "file://$1" >/dev/null 2>"$WORK/chromium.err" || true
    grep -E ":CONSOLE[:(]" "$WORK/chromium.err" || true
    grep -Eo '"url":"(https?|wss?|ftp)://[^/"]*' "$WORK/net.json" |
      grep -Ev '(google\.com|googleapis\.com|gvt1\.com|gstatic\.com)$' | sort -u || true
  }
  # The check itself must catch a script's console output and an external image.
  printf '<html><body><script>console.error("x")</script><img src="http://tacit-test.invalid/a.png"></body></html>' \
    > "$WORK/bad.html"
  bad=$(page_check "$WORK/bad.html")
  [[ "$bad" == *CONSOLE* && "$bad" == *tacit-test.invalid* ]] || fail "the page check misses known problems: $bad"
  problems=$(page_check "$dir/report.html")
  [ -z "$problems" ] || fail "report.html: console messages or network requests: $problems"
  echo "ok: report.html loads with no console message and no network request"
else
  if [ "${CI:-}" = "true" ]; then fail "chromium/poppler-utils missing in CI (scripts/install-deps.sh installs them)"; fi
  echo "note: chromium/poppler-utils not installed; print check skipped"
fi
echo "ok: reports"
