# tacitctl's contract: exit 0 done, 1 failed (one-line reason), 2 bad usage;
# check-config names file:line; listings take --json.
source "$(dirname "$0")/lib.sh"

expect_rc() {
  local want=$1
  shift
  local rc=0
  "$@" >"$WORK/out" 2>"$WORK/err" || rc=$?
  [ "$rc" -eq "$want" ] || { cat "$WORK/out" "$WORK/err" >&2; fail "$* exited $rc, expected $want"; }
}

write_config "$(date -d '+5 days' +%d/%m/%Y)"
expect_rc 0 ctl check-config
grep -q "ok: 4 units, 1 consultation" "$WORK/out" || fail "check-config output"

# Bad config: every problem with file:line, exit 1.
printf 'tdp-01,Trùng mã,Tổ dân phố,,\n' >> "$WORK/units.csv"
sed -i 's/^deadline = .*/deadline = "31\/02\/2026"/' "$WORK/consultations/k.toml"
expect_rc 1 ctl check-config
grep -qx "$WORK/units.csv:6: duplicate unit code 'tdp-01' (first on line 4)" "$WORK/err" || fail "dup code: $(cat "$WORK/err")"
grep -qx "$WORK/consultations/k.toml:4: deadline: '31/02/2026' is not a valid date: no day 31/02/2026" "$WORK/err" \
  || fail "bad date: $(cat "$WORK/err")"
expect_rc 1 ctl status
write_config "$(date -d '+5 days' +%d/%m/%Y)"

expect_rc 2 ctl
expect_rc 2 ctl frobnicate
expect_rc 2 ctl record k tdp-01
expect_rc 2 ctl record k tdp-01 --stance maybe
expect_rc 1 ctl record nope tdp-01 --stance agree
[ "$(wc -l < "$WORK/err")" -eq 1 ] || fail "failure message is not one line"
grep -q "no consultation 'nope'" "$WORK/err" || fail "unknown consultation message"
expect_rc 1 ctl record k truong-x --stance agree
expect_rc 1 ctl record k tdp-01 --stance agree --received "$(date -d '+2 days' +%d/%m/%Y)"
expect_rc 1 ctl extend k 01/01/2020

printf 'Kính gửi Phòng VH-XH.\nTổ dân phố số 2 nhất trí, đề nghị bổ sung tiến độ.\n' > "$WORK/reply.txt"
expect_rc 0 ctl record k tdp-02 --stance comments --text "$WORK/reply.txt" --received "$(date -d '-1 day' '+%d/%m/%Y %H:%M')"
grep -q "recorded reply 1 from tdp-02 (on time)" "$WORK/out" || fail "record output: $(cat "$WORK/out")"
expect_rc 0 ctl record k tdp-02 --stance comments --text "$WORK/reply.txt" --received "$(date -d '-1 day' '+%d/%m/%Y %H:%M')"
grep -q "already recorded as reply 1" "$WORK/out" || fail "duplicate not detected"

expect_rc 0 ctl replies k --json
"$PY" -c '
import json, sys
r = json.load(open(sys.argv[1]))
assert len(r) == 1 and r[0]["id"] == 1 and r[0]["unit"] == "tdp-02", r
assert r[0]["stance"] == "comments" and r[0]["channel"] == "manual" and not r[0]["late"], r
assert "đề nghị bổ sung" in r[0]["text"], r
' "$WORK/out" || fail "replies --json"

expect_rc 0 ctl exclude k cong-an --reason "sáp nhập vào đơn vị khác"
expect_rc 0 ctl status k --json
"$PY" -c '
import json, sys
s = json.load(open(sys.argv[1]))
assert isinstance(s, list) and s[0]["id"] == "k", s
n = s[0]["counts"]
assert (n["addressed"], n["replied"], n["comments"], n["pending"], n["excluded"]) == (3, 1, 1, 2, 1), n
' "$WORK/out" || fail "status --json counts"
expect_rc 0 ctl status k
grep -q "tdp-02.*đã trả lời.*có góp ý.*manual" "$WORK/out" || fail "status table: $(cat "$WORK/out")"
grep -q "cong-an.*không tính" "$WORK/out" || fail "excluded in table"

expect_rc 0 ctl extend k "$(date -d '+9 days' +%d/%m/%Y)" --unit tdp-01
expect_rc 0 ctl units k --json
"$PY" -c '
import json, sys
u = {x["code"]: x for x in json.load(open(sys.argv[1]))}
assert u["tdp-01"]["deadline"] != u["ubnd"]["deadline"], u
assert u["cong-an"]["status"] == "excluded" and u["cong-an"]["excluded_reason"], u
assert u["tdp-01"]["emails"] == ["tdp01@example.vn"], u
' "$WORK/out" || fail "units --json"

expect_rc 0 ctl events k --json
"$PY" -c '
import json, sys
kinds = [e["kind"] for e in json.load(open(sys.argv[1]))]
for k in ["consultation_added", "reply_recorded", "excluded", "unit_deadline_extended"]:
    assert k in kinds, (k, kinds)
' "$WORK/out" || fail "events --json"
# Every command's --help ends with an example.
for cmd in check-config status units replies events unmatched assign record report extend exclude; do
  ctl "$cmd" --help | grep -q "^Example: tacitctl" || fail "$cmd --help has no example"
done

# The bash completion file completes commands and consultation ids.
complete_words() {
  bash -c '
    source /usr/share/bash-completion/bash_completion
    source "$1/packaging/completion/tacitctl"
    PATH=$(dirname "$2"):$PATH
    shift 2
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _tacitctl; echo "${COMPREPLY[*]}"' _ "$TACIT_SOURCE_DIR" "$TACITCTL" "$@"
}
[ "$(complete_words tacitctl --config "$WORK/tacit.toml" sta)" = "status" ] || fail "completion of commands"
[ "$(complete_words tacitctl --config "$WORK/tacit.toml" replies "")" = "k" ] || fail "completion of ids"
[ "$(complete_words tacitctl --config "$WORK/tacit.toml" record k tdp-01 --stance ob)" = "object" ] \
  || fail "completion of stances"
echo ok
