#!/usr/bin/env bash
# Builds the Debian package from a build folder and checks it (issue 8):
#   scripts/check-package.sh BUILD_DIR      (BUILD_DIR built, e.g. by scripts/build.sh)
#   1. cpack -G DEB -> BUILD_DIR/tacit_VERSION_amd64.deb
#   2. dpkg-deb --info/--contents: name, fields, Depends (dpkg-shlibdeps), files,
#      nothing in /etc, maintainer scripts that enable and start nothing
#   3. lintian --fail-on error (warnings are shown, not fatal)
#   4. the maintainer scripts against a scratch root (DPKG_ROOT): the tacit user,
#      the /var/lib/tacit folders (systemd-tmpfiles --root)
#   5. the man pages render without a warning (man --warnings)
#   6. systemd-analyze verify on the packaged unit (ExecStart pointed at the
#      extracted binary) and systemd-analyze security --offline=true
#      --threshold=15 (exposure 1.5) on systemd/tacitd.service and the packaged unit
# systemd is not PID 1 in CI containers, so nothing here starts the service.
set -euo pipefail
build=$(cd "${1:?usage: scripts/check-package.sh BUILD_DIR}" && pwd)
cd "$(dirname "$0")/.."
src=$PWD
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# --- 1. build the package ------------------------------------------------------------
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:[A-Z]*=//p' "$build/CMakeCache.txt")
[ -n "$version" ] || fail "no CMAKE_PROJECT_VERSION in $build/CMakeCache.txt"
deb="$build/tacit_${version}_amd64.deb"
rm -f "$build"/tacit_*.deb
(cd "$build" && cpack -G DEB) >"$tmp/cpack.log" 2>&1 || { cat "$tmp/cpack.log"; fail "cpack -G DEB"; }
[ -f "$deb" ] || { cat "$tmp/cpack.log"; fail "cpack did not make $(basename "$deb")"; }
echo "package: $deb"

# --- 2. control fields and contents ------------------------------------------------------
field() { dpkg-deb --field "$deb" "$1"; }
[ "$(field Package)" = tacit ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version), expected $version"
[ "$(field Architecture)" = amd64 ] || fail "Architecture: $(field Architecture)"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
[ -n "$(field Section)" ] || fail "no Section"
depends=$(field Depends)
echo "Depends: $depends"
tr ',|' '\n\n' <<<"$depends" | sed 's/(.*//; s/[[:space:]]//g' >"$tmp/depends"
for pkg in libc6 libstdc++6 libsqlite3-0 libsystemd0 libssl3 tzdata systemd; do
  grep -qxF "$pkg" "$tmp/depends" || fail "Depends lacks $pkg"
done

dpkg-deb --contents "$deb" | awk '{print $NF}' | sed 's#^\./#/#' >"$tmp/contents"
for f in /usr/sbin/tacitd /usr/bin/tacitctl /usr/libexec/tacit/tacit-extract /lib/systemd/system/tacitd.service \
         /usr/lib/sysusers.d/tacit.conf /usr/lib/tmpfiles.d/tacit.conf \
         /usr/share/man/man8/tacitd.8.gz /usr/share/man/man1/tacitctl.1.gz \
         /usr/share/man/man5/tacit.toml.5.gz /usr/share/doc/tacit/copyright \
         /usr/share/doc/tacit/changelog.gz /usr/share/doc/tacit/examples/tacit.toml \
         /usr/share/doc/tacit/examples/units.csv; do
  grep -qx "$f" "$tmp/contents" || fail "$f is not in the package"
done
ls "$src"/config/consultations/*.toml >/dev/null
for f in "$src"/config/consultations/*.toml; do
  grep -qx "/usr/share/doc/tacit/examples/consultations/$(basename "$f")" "$tmp/contents" \
    || fail "example consultations/$(basename "$f") is not in the package"
done
! grep -q '^/etc/' "$tmp/contents" || fail "the package ships files in /etc: $(grep '^/etc/' "$tmp/contents")"

dpkg-deb --control "$deb" "$tmp/control"
for s in postinst prerm postrm; do
  [ -x "$tmp/control/$s" ] || fail "no executable $s"
  sh -n "$tmp/control/$s" || fail "$s: syntax error"
done
[ ! -e "$tmp/control/conffiles" ] || fail "the package has conffiles: $(cat "$tmp/control/conffiles")"
for s in postinst prerm postrm; do
  if sed 's/#.*//' "$tmp/control/$s" |
       grep -En '(systemctl|deb-systemd-helper|deb-systemd-invoke).*[[:space:]](enable|start|unmask)([[:space:]]|$)'; then
    fail "$s enables or starts something"
  fi
done

# --- 3. lintian --------------------------------------------------------------------
rc=0
lintian --fail-on error "$deb" >"$tmp/lintian.log" 2>&1 || rc=$?
grep -v 'running with root privileges' "$tmp/lintian.log" || true
[ "$rc" -eq 0 ] || fail "lintian reports errors (above)"
echo "lintian: no errors ($(grep -c '^W:' "$tmp/lintian.log" || true) warnings)"

# --- 4. maintainer scripts in a scratch root ---------------------------------------------
root="$tmp/root"
dpkg-deb -x "$deb" "$root"
mkdir -p "$root/etc"
DPKG_ROOT="$root" sh "$tmp/control/postinst" configure >"$tmp/postinst.log" 2>&1 \
  || { cat "$tmp/postinst.log"; fail "postinst configure (DPKG_ROOT=$root)"; }
IFS=: read -r _ _ uid gid _ home shell < <(grep '^tacit:' "$root/etc/passwd") \
  || fail "postinst did not create the tacit user"
[ "$home" = /var/lib/tacit ] || fail "tacit's home is $home"
case "$shell" in */nologin|*/false) ;; *) fail "tacit's shell is $shell" ;; esac
[ "$uid" -lt 1000 ] || fail "tacit is not a system user (uid $uid)"
grep -q "^tacit:x:$gid:" "$root/etc/group" || fail "no tacit group with gid $gid"
systemd-tmpfiles --root="$root" --create tacit.conf >"$tmp/tmpfiles.log" 2>&1 \
  || { cat "$tmp/tmpfiles.log"; fail "systemd-tmpfiles --create tacit.conf"; }
for d in var/lib/tacit var/lib/tacit/inbox; do
  [ "$(stat -c '%a %u %g' "$root/$d")" = "2770 $uid $gid" ] \
    || fail "/$d is $(stat -c '%a %u %g' "$root/$d"), expected 2770 tacit tacit"
done
[ "$(stat -c '%a %u %g %s' "$root/var/lib/tacit/tacit.db")" = "660 $uid $gid 0" ] \
  || fail "/var/lib/tacit/tacit.db is $(stat -c '%a %u %g %s' "$root/var/lib/tacit/tacit.db")"
mkdir -p "$root/etc/systemd/system/multi-user.target.wants"
ln -s /lib/systemd/system/tacitd.service "$root/etc/systemd/system/multi-user.target.wants/"
DPKG_ROOT="$root" sh "$tmp/control/prerm" remove
DPKG_ROOT="$root" sh "$tmp/control/postrm" remove
[ -L "$root/etc/systemd/system/multi-user.target.wants/tacitd.service" ] \
  || fail "postrm remove dropped the admin's enablement (only purge may)"
DPKG_ROOT="$root" sh "$tmp/control/postrm" purge
if [ -L "$root/etc/systemd/system/multi-user.target.wants/tacitd.service" ]; then
  fail "postrm purge left the enablement symlink"
fi
[ -d "$root/var/lib/tacit" ] || fail "postrm purge removed /var/lib/tacit (the records)"
echo "maintainer scripts: tacit user (uid $uid), /var/lib/tacit{,/inbox} 2770, tacit.db 0660, purge keeps the data"

# --- 5. man pages ----------------------------------------------------------------------
for page in "$root"/usr/share/man/man*/*.gz; do
  warnings=$(man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null) || fail "man cannot render $page"
  [ -z "$warnings" ] || fail "man warns about $(basename "$page"): $warnings"
done
echo "man pages: $(ls "$root"/usr/share/man/man*/*.gz | wc -l) render without warnings"

# --- 6. the unit ------------------------------------------------------------------------
unit="$root/lib/systemd/system/tacitd.service"
grep -qx 'ExecStart=/usr/sbin/tacitd --config /etc/tacit/tacit.toml' "$unit" \
  || fail "packaged unit: $(grep ExecStart= "$unit")"
# verify wants ExecStart= to exist and the Documentation= man pages to be found.
mkdir -p "$tmp/verify"
sed "s#^ExecStart=/usr/sbin/tacitd#ExecStart=$root/usr/sbin/tacitd#" "$unit" >"$tmp/verify/tacitd.service"
MANPATH="$root/usr/share/man" systemd-analyze verify "$tmp/verify/tacitd.service" \
  || fail "systemd-analyze verify tacitd.service"
for u in "$src/systemd/tacitd.service" "$unit"; do
  systemd-analyze security --offline=true --threshold=15 "$u" >"$tmp/security.log" 2>&1 \
    || { cat "$tmp/security.log"; fail "systemd-analyze security: $u is above 1.5"; }
done
echo "unit: verify ok, $(grep -o 'Overall exposure level.*' "$tmp/security.log")"
echo "package ok: $(basename "$deb")"
