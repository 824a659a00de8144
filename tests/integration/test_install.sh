# `cmake --install` into a DESTDIR with prefix /usr puts every file where the
# package and systemd expect it (cmake/install.cmake), never under /etc; then the
# INSTALLED tacitd runs the INSTALLED example config (state paths moved to a temp
# dir): the reference deadline is past, so every unit comes out deemed_consent.
source "$(dirname "$0")/lib.sh"

BUILD=$(dirname "$(dirname "$TACITD")")
[ -f "$BUILD/cmake_install.cmake" ] || fail "$BUILD is not a build folder"
DEST="$WORK/root"
DESTDIR="$DEST" cmake --install "$BUILD" --prefix /usr >"$WORK/install.log" 2>&1 \
  || { cat "$WORK/install.log" >&2; fail "cmake --install failed"; }

# Files where they belong.
for f in usr/sbin/tacitd usr/bin/tacitctl; do
  [ -x "$DEST/$f" ] || fail "$f not installed (or not executable)"
done
[ ! -e "$DEST/usr/bin/tacitd" ] || fail "tacitd belongs in sbin, not bin"
unit=""
for d in lib/systemd/system usr/lib/systemd/system; do
  [ -f "$DEST/$d/tacitd.service" ] && unit="$DEST/$d/tacitd.service"
done
[ -n "$unit" ] || fail "tacitd.service not installed under lib/systemd/system"
grep -qx "ExecStart=/usr/sbin/tacitd --config /etc/tacit/tacit.toml" "$unit" \
  || fail "installed unit does not start /usr/sbin/tacitd: $(grep ExecStart= "$unit")"
for f in usr/lib/sysusers.d/tacit.conf usr/lib/tmpfiles.d/tacit.conf \
         usr/share/man/man8/tacitd.8.gz usr/share/man/man1/tacitctl.1.gz \
         usr/share/man/man5/tacit.toml.5.gz \
         usr/share/doc/tacit/examples/tacit.toml usr/share/doc/tacit/examples/units.csv \
         usr/share/doc/tacit/examples/consultations/dan-chu-2026.toml; do
  [ -f "$DEST/$f" ] || fail "$f not installed"
done
[ ! -e "$DEST/etc" ] || fail "something was installed under /etc: $(cd "$DEST" && find etc)"
cmp -s "$DEST/usr/lib/sysusers.d/tacit.conf" "$TACIT_SOURCE_DIR/systemd/sysusers.d/tacit.conf" \
  || fail "installed sysusers.d/tacit.conf differs from systemd/sysusers.d/tacit.conf"

# The man pages render without a warning.
if command -v man >/dev/null; then
  for page in "$DEST"/usr/share/man/man*/*.gz; do
    warnings=$(man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null) \
      || fail "man cannot render $page"
    [ -z "$warnings" ] || fail "man warns about $page: $warnings"
  done
fi

# The installed example, state moved from /var/lib/tacit to the temp dir.
cp -r "$DEST/usr/share/doc/tacit/examples/." "$WORK/"
grep -q '"/var/lib/tacit' "$WORK/tacit.toml" || fail "installed example does not use /var/lib/tacit"
sed -i "s#\"/var/lib/tacit#\"$WORK/state#" "$WORK/tacit.toml"
! grep -v '^[[:space:]]*#' "$WORK/tacit.toml" | grep -q /var/lib/tacit \
  || fail "a /var/lib/tacit path is left in the example"

TACITD="$DEST/usr/sbin/tacitd"
TACITCTL="$DEST/usr/bin/tacitctl"
ctl check-config >/dev/null || fail "installed tacitctl check-config refuses the installed example"
start_daemon
wait_for "status file" 10 test -f "$WORK/state/status.json"
expect_status "c['dan-chu-2026']['state']" "closed"
expect_status "len(c['dan-chu-2026']['units']) >= 40" "True"
expect_status "sorted(set(x['status'] for x in c['dan-chu-2026']['units']))" "['deemed_consent']"
expect_status "c['dan-chu-2026']['counts']['pending']" "0"
ctl status dan-chu-2026 --json >/dev/null || fail "installed tacitctl status failed"
stop_daemon
echo ok
