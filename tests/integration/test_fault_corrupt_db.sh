# A damaged database (issue 9): tacit.db with its header overwritten, with a
# page in the middle overwritten, and from a newer tacit (schema version above
# this binary's). tacitd refuses to start (exit 1) with a message naming the
# file and what to do; tacitctl refuses likewise; neither changes the file
# (same SHA-256 before and after) nor leaves a new one in its place.
source "$(dirname "$0")/lib.sh"

write_config "$(date -d '+5 days' +%d/%m/%Y)"
DB=$WORK/state/tacit.db
# A real database with a few replies in it, closed cleanly (WAL checkpointed).
start_daemon
for u in ubnd cong-an tdp-01; do ctl record k "$u" --stance agree >/dev/null; done
stop_daemon
[ ! -e "$DB-wal" ] || [ ! -s "$DB-wal" ] || fail "WAL not checkpointed at stop"
cp "$DB" "$WORK/good.db"
pages=$(( $(stat -c %s "$DB") / 4096 ))
[ "$pages" -ge 4 ] || fail "database too small to damage a middle page: $pages pages"

sum() { sha256sum "$DB" | cut -d' ' -f1; }

# refuses WHAT EXPECTED-TEXT: tacitd and tacitctl both refuse, file unchanged.
refuses() {
  local what=$1 expected=$2 before rc
  rm -f "$DB-wal" "$DB-shm"
  before=$(sum)
  rc=0
  timeout 30 "$TACITD" --config "$WORK/tacit.toml" >"$WORK/tacitd.log" 2>&1 || rc=$?
  [ "$rc" -ne 124 ] || fail "$what: tacitd did not exit"
  [ "$rc" -ne 0 ] || fail "$what: tacitd started on it"
  grep -q "tacitd ready" "$WORK/tacitd.log" && fail "$what: tacitd said ready"
  grep -q "$DB" "$WORK/tacitd.log" || fail "$what: the message does not name $DB"
  grep -q -- "$expected" "$WORK/tacitd.log" || fail "$what: the message does not say '$expected'"
  [ "$(sum)" = "$before" ] || fail "$what: tacitd changed the file"
  rc=0
  timeout 30 "$TACITCTL" --config "$WORK/tacit.toml" status k >"$WORK/ctl.out" 2>"$WORK/ctl.err" || rc=$?
  [ "$rc" -eq 1 ] || fail "$what: tacitctl exit $rc: $(cat "$WORK/ctl.err")"
  grep -q "$DB" "$WORK/ctl.err" && grep -q -- "$expected" "$WORK/ctl.err" ||
    fail "$what: tacitctl's message: $(cat "$WORK/ctl.err")"
  [ "$(sum)" = "$before" ] || fail "$what: tacitctl changed the file"
  [ ! -s "$DB-wal" ] || fail "$what: a WAL with content was written beside it"
  echo "$what: refused: $(grep -m1 "$DB" "$WORK/tacitd.log")"
}

# 1. The header overwritten (the first 100 bytes: magic string, page size...).
cp "$WORK/good.db" "$DB"
head -c 100 /dev/urandom | dd of="$DB" conv=notrunc status=none
refuses "damaged header" "restore tacit.db from a backup"

# 2. A page in the middle overwritten with garbage; the header is intact.
cp "$WORK/good.db" "$DB"
head -c 4096 /dev/urandom | dd of="$DB" bs=4096 seek=$(( pages / 2 )) conv=notrunc status=none
refuses "damaged page $(( pages / 2 )) of $pages" "restore tacit.db from a backup"

# 3. Written by a newer tacit: schema version 99.
cp "$WORK/good.db" "$DB"
"$PY" -c 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("PRAGMA user_version=99"); c.commit(); c.close()' "$DB"
refuses "schema version 99" "newer than this tacit understands"

# The good file still works: nothing in tacit remembers the refusals.
cp "$WORK/good.db" "$DB"
rm -f "$DB-wal" "$DB-shm"
start_daemon
expect_status "c['k']['counts']['replied']" "3"
stop_daemon
echo "PASS: damaged or newer database refused by tacitd and tacitctl, file untouched"
