# The docx report (issue 11): `tacitctl report ID --format docx -o FILE`, and
# report.docx written by tacitd at the deadline. python3-docx checks the
# structure (A4, Decree 30 margins, Times New Roman, national title and motto,
# "BÁO CÁO", every unit, comments under their topics, escaping); LibreOffice
# converts it to PDF; pdftotext finds the diacritics; the first page is saved
# as a PNG artifact. Needs python3-docx, libreoffice-writer-nogui and
# poppler-utils (scripts/install-deps.sh): missing tools fail the test when
# CI=true and skip it otherwise.
source "$(dirname "$0")/lib.sh"

missing=()
"$PY" -c 'import docx' 2>/dev/null || missing+=(python3-docx)
command -v soffice >/dev/null || missing+=(libreoffice-writer-nogui)
command -v pdftotext >/dev/null && command -v pdftoppm >/dev/null || missing+=(poppler-utils)
if [ "${#missing[@]}" -gt 0 ]; then
  [ "${CI:-}" = "true" ] && fail "missing ${missing[*]} (run scripts/install-deps.sh)"
  echo "SKIP: missing ${missing[*]} (run scripts/install-deps.sh)"
  exit 0
fi

expect_rc() {
  local want=$1
  shift
  local rc=0
  "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
  [ "$rc" -eq "$want" ] || { cat "$WORK/out" "$WORK/err" >&2; fail "$* exited $rc, expected $want"; }
}

local_time() { TZ=Asia/Ho_Chi_Minh date -d "$1" '+%d/%m/%Y %H:%M'; }

write_config "$(date -d '+6 seconds' --iso-8601=seconds)"
cat >> "$WORK/consultations/k.toml" <<'TOML'
issuer = "Phòng Văn hóa – Xã hội"
signer = "Nguyễn Chí Linh"
topics = ["Chỉ tiêu đạt 100% trong năm 2026", "Tiến độ thực hiện"]
[report]
recipients = ["UBND phường (để báo cáo);", "Lưu: VT, VH-XH."]
TOML
# lib.sh's consultation has its own topics line: keep the last one only.
sed -i '0,/^topics = \["Tiến độ thực hiện"\]$/{//d}' "$WORK/consultations/k.toml"
cat >> "$WORK/tacit.toml" <<'TOML'
[report]
issuing_body = ["UBND PHƯỜNG HƯNG ĐẠO", "PHÒNG VĂN HÓA – XÃ HỘI"]
number_suffix = "BC-VHXH"
place = "Hưng Đạo"
signer_title = "TRƯỞNG PHÒNG"
recipients = ["Lưu: VT."]
TOML
expect_rc 0 ctl check-config

printf '%s\n\n%s\n' '- Đề nghị điều chỉnh chỉ tiêu đạt 100% xuống 95% cho tổ dân phố.' \
  '- Đề nghị lùi tiến độ thực hiện sang quý II.' > "$WORK/reply-tdp-01.txt"
printf '%s\n%s\n' "<script>alert(1)</script> R&D \"nháy kép\" 'nháy đơn' x<y bell$(printf '\a')" \
  'Không đồng ý với dự thảo.' > "$WORK/reply-cong-an.txt"
expect_rc 0 ctl record k tdp-01 --stance comments --text "$WORK/reply-tdp-01.txt" --received "$(local_time '-2 hours')"
expect_rc 0 ctl record k cong-an --stance object --text "$WORK/reply-cong-an.txt" --received "$(local_time '-1 hour')"

# Binary: refused on a terminal without -o (exit 2), written to a pipe or a file.
expect_rc 0 ctl report k --format docx -o "$WORK/open.docx"
grep -q "wrote the docx report of k to $WORK/open.docx (provisional" "$WORK/out" || fail "no -o message"
ctl report k --format docx > "$WORK/piped.docx" || fail "docx to a pipe"
[ "$(head -c 2 "$WORK/piped.docx")" = "PK" ] || fail "piped docx is not a zip"
if command -v script >/dev/null; then
  rc=0
  script -qec "$TACITCTL --config $WORK/tacit.toml report k --format docx" /dev/null \
    >"$WORK/tty.out" 2>&1 || rc=$?
  [ "$rc" -eq 2 ] || fail "docx on a terminal exited $rc, expected 2"
  grep -q "binary: give -o FILE" "$WORK/tty.out" || fail "no refusal message on a terminal"
fi

# At the deadline tacitd writes report.docx beside the other formats.
start_daemon
wait_for "deadline applied" 20 status_is "c['k']['state']" "closed"
docx="$WORK/state/reports/k/report.docx"
docx_written() { [ -s "$docx" ]; }
wait_for "report.docx" 10 docx_written
stop_daemon

"$PY" - "$WORK/open.docx" "$docx" <<'PY' || fail "docx structure"
import sys
import docx
from docx.shared import Mm, Pt

def check(path, provisional):
    d = docx.Document(path)
    s = d.sections
    assert len(s) == 1, len(s)
    s = s[0]
    assert abs(s.page_width - Mm(210)) < Mm(0.5) and abs(s.page_height - Mm(297)) < Mm(0.5), (s.page_width, s.page_height)
    assert s.orientation == 0, s.orientation  # portrait
    for side, want in (("top", 20), ("bottom", 20), ("left", 30), ("right", 15)):
        got = getattr(s, side + "_margin")
        assert abs(got - Mm(want)) < Mm(0.5), (side, got.mm)
    assert s.different_first_page_header_footer, "no titlePg"
    assert "PAGE" in s.header.paragraphs[0]._p.xml and "PAGE" not in s.first_page_header.paragraphs[0]._p.xml

    normal = d.styles["Normal"].font
    assert normal.name == "Times New Roman" and normal.size == Pt(14), (normal.name, normal.size)
    runs = [r for p in d.paragraphs for r in p.runs]
    runs += [r for t in d.tables for row in t.rows for c in row.cells for p in c.paragraphs for r in p.runs]
    assert runs and all(r.font.name in (None, "Times New Roman") for r in runs)
    assert all(r.font.size is None or Pt(11) <= r.font.size <= Pt(14) for r in runs)

    header = d.tables[0]
    left = [p.text for p in header.cell(0, 0).paragraphs if p.text]
    right = [p for p in header.cell(0, 1).paragraphs if p.text]
    assert left == ["UBND PHƯỜNG HƯNG ĐẠO", "PHÒNG VĂN HÓA – XÃ HỘI"], left
    assert header.cell(0, 0).paragraphs[1].runs[0].bold
    assert [p.text for p in right] == ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
    assert all(p.runs[0].bold for p in right)
    assert right[0].runs[0].font.size == Pt(13) and right[1].runs[0].font.size == Pt(14)
    assert header.cell(1, 0).paragraphs[0].text.replace(" ", "") == "Số:/BC-VHXH"
    date = header.cell(1, 1).paragraphs[0]
    assert date.text.startswith("Hưng Đạo, ngày") and date.runs[0].italic, date.text

    texts = [p.text for p in d.paragraphs]
    assert "BÁO CÁO" in texts
    i = texts.index("BÁO CÁO")
    assert texts[i + 1] == "Tổng hợp ý kiến tham gia vào dự thảo kế hoạch", texts[i + 1]
    assert ("(Dự thảo – tạm thời)" in texts) == provisional

    everything = "\n".join(texts) + "\n".join(c.text for t in d.tables for row in t.rows for c in row.cells)
    for unit in ("Ủy ban nhân dân phường", "Công an phường", "Tổ dân phố số 1", "Tổ dân phố số 2"):
        assert unit in everything, unit

    under, topic = {}, None
    for p in d.paragraphs:
        if p.style.name == "Topic Heading":
            topic = p.text
            under[topic] = []
        elif p.style.name == "Section Heading":
            topic = None
        elif topic:
            under[topic].append(p.text)
    assert list(under) == ["1. Chỉ tiêu đạt 100% trong năm 2026", "2. Tiến độ thực hiện", "3. Ý kiến khác"], list(under)
    assert any(t.startswith("- Tổ dân phố số 1: - Đề nghị điều chỉnh chỉ tiêu") for t in under["1. Chỉ tiêu đạt 100% trong năm 2026"])
    assert any("lùi tiến độ" in t for t in under["2. Tiến độ thực hiện"])
    other = "\n".join(under["3. Ý kiến khác"])
    # Escaping round-trips: the reader sees exactly what the unit wrote, minus the bell.
    assert "- Công an phường: <script>alert(1)</script> R&D \"nháy kép\" 'nháy đơn' x<y bell\nKhông đồng ý" in other, other

    sign = next(t for t in d.tables if t.cell(0, 0).paragraphs[0].text == "Nơi nhận:")
    assert [p.text for p in sign.cell(0, 0).paragraphs[1:]] == ["- UBND phường (để báo cáo);", "- Lưu: VT, VH-XH."]
    assert [p.text for p in sign.cell(0, 1).paragraphs] == ["TRƯỞNG PHÒNG", "Nguyễn Chí Linh"]
    # The appendix: every unit in a row of its own, under its group.
    appendix = d.tables[-1]
    names = [row.cells[1].text for row in appendix.rows[1:] if row.cells[0].text.isdigit()]
    assert names == ["Ủy ban nhân dân phường", "Công an phường", "Tổ dân phố số 1", "Tổ dân phố số 2"], names
    return everything

check(sys.argv[1], True)
final = check(sys.argv[2], False)
assert "Theo văn bản xin ý kiến: “Đơn vị không gửi ý kiến đến" in final
assert "- Lãnh đạo phường (1): Ủy ban nhân dân phường." in final, final
PY

# LibreOffice renders it; the PDF keeps the diacritics.
export HOME="$WORK/home"
mkdir -p "$HOME"
timeout 120 soffice --headless --norestore --convert-to pdf --outdir "$WORK/pdf" "$docx" \
  >"$WORK/soffice.log" 2>&1 || { cat "$WORK/soffice.log" >&2; fail "soffice --convert-to pdf"; }
pdf="$WORK/pdf/report.pdf"
[ -s "$pdf" ] || { cat "$WORK/soffice.log" >&2; fail "no PDF from LibreOffice"; }
grep -qi "error" "$WORK/soffice.log" && { cat "$WORK/soffice.log" >&2; fail "LibreOffice reported an error"; }
pdfinfo "$pdf" | grep -q "(A4)" || fail "PDF is not A4"
pdftotext -layout "$pdf" "$WORK/report.txt"
for text in "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" "Độc lập - Tự do - Hạnh phúc" "BÁO CÁO" \
  "PHÒNG VĂN HÓA – XÃ HỘI" "Ủy ban nhân dân phường" "Công an phường" "Tổ dân phố số 1" \
  "Tổ dân phố số 2" "Nguyễn Chí Linh"; do
  grep -qF "$text" "$WORK/report.txt" || { cat "$WORK/report.txt" >&2; fail "PDF text lacks '$text'"; }
done
# The national title stays on one line; the page number appears from page 2.
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')
if [ "$pages" -ge 2 ]; then
  pdftotext -f 2 -l 2 "$pdf" - | head -n 3 | grep -qx "2" || fail "no page number on page 2"
fi
pdftotext -f 1 -l 1 "$pdf" - | head -n 5 | grep -qx "1" && fail "page number on page 1"

art="${TACIT_ARTIFACT_DIR:-$(dirname "$TACITCTL")/../artifacts}"
mkdir -p "$art"
pdftoppm -png -r 80 -f 1 -l 1 "$pdf" "$WORK/page" || fail "pdftoppm"
cp "$WORK"/page*.png "$art/report-docx-page1.png"
cp "$docx" "$art/report.docx"
cp "$pdf" "$art/report-docx.pdf"
echo "ok: docx ($pages page(s); first page saved as $(cd "$art" && pwd)/report-docx-page1.png)"
