#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build the Debian package frr-vrrpd (our vrrpd and a vtysh with our commands, in place of
# frr's) for the installed frr, into build/deb/: a 3.0 (quilt) source package whose second
# upstream tarball (orig-frr) is Debian's frr source, with Debian's frr patches re-rooted under
# frr/ as quilt patches, then `dpkg-buildpackage -b -uc -us` on it. The build itself needs no
# network; this script fetches frr's source with `apt-get source` first.
#
# Usage: scripts/package.sh
#   FRR_VERSION   Debian version of frr to build for (default: the installed one; the build
#                 checks that it is installed, as the binaries are only valid with it)
#   PKG_REVISION  our packaging revision n, the +vrrpd<n> of the version (default 1)
# The version is <ours>+frr<frr upstream>-<frr revision>+vrrpd<n>, for example
# 0.1.0+frr8.4.4-1.1~deb12u2+vrrpd1: each frr revision gets its own, ordered as frr's are.
# Prints the path of the .deb on its last line. Nothing changed since the last build (our files,
# the frr version, this script): the .deb of that build is reused at once.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
out="$top/build/deb"
log() { printf 'package: %s\n' "$*" >&2; }

frr_ver=${FRR_VERSION:-$(dpkg-query -W -f='${Version}' frr 2>/dev/null || true)}
if [ -z "$frr_ver" ]; then
	echo "package: the frr package is not installed; run scripts/deps.sh first" >&2
	exit 1
fi
case "$frr_ver" in
*:*)
	echo "package: frr $frr_ver has an epoch, which the version scheme does not carry" >&2
	exit 1
	;;
esac
ours=$(sed -n 's/^AC_INIT(\[vrrpd\], \[\([^]]*\)\].*/\1/p' "$top/configure.ac")
frr_up=${frr_ver%-*}
frr_rev=${frr_ver##*-}
upver="$ours+frr$frr_up"
version="$upver-$frr_rev+vrrpd${PKG_REVISION:-1}"
arch=$(dpkg --print-architecture)
deb="$out/frr-vrrpd_${version}_$arch.deb"

mkdir -p "$out"
exec 9>"$out/.lock"
flock 9

# What the package is built from: the repository's files as they are in the work tree (tracked
# or new, not ignored), so uncommitted changes are packaged too.
list="$out/.files"
(cd "$top" && git ls-files -z --cached --others --exclude-standard |
	xargs -0 -r sh -c 'for f; do [ -f "$f" ] && printf "%s\0" "$f"; done' sh) >"$list"
# The key leaves out the test suites that the build never reads, so editing them reuses the .deb.
key=$( (echo "$version"; cd "$top" && xargs -0 sh -c 'for f; do case "$f" in
	tests/*.py | tests/*.ini | tests/golden/* | tests/topotests/*) ;;
	*) printf "%s\0" "$f" ;;
	esac; done' sh <"$list" | xargs -0 sha256sum) | sha256sum | cut -c1-16)
if [ -f "$deb" ] && [ "$(cat "$out/.key" 2>/dev/null)" = "$key" ]; then
	log "reusing $deb (nothing changed)"
	echo "$deb"
	exit 0
fi

# frr's source package: its upstream tarball and Debian's patches (kept per version).
frr_dl="$out/frr-source/$frr_ver"
if ! ls "$frr_dl"/frr_"$frr_up".orig.tar.* >/dev/null 2>&1 ||
	! ls "$frr_dl"/frr_"$frr_ver".debian.tar.* >/dev/null 2>&1; then
	log "fetching frr=$frr_ver source"
	if [ -n "$("$here/enable-deb-src.sh")" ]; then
		apt-get update -q >&2
	fi
	rm -rf "$frr_dl"
	mkdir -p "$frr_dl"
	(cd "$frr_dl" && apt-get source -q -d --only-source "frr=$frr_ver" >&2)
fi
frr_orig=$(ls "$frr_dl"/frr_"$frr_up".orig.tar.* | head -n 1)
frr_debian=$(ls "$frr_dl"/frr_"$frr_ver".debian.tar.* | head -n 1)

rm -rf "$out"/frr-vrrpd-* "$out"/frr-vrrpd_* "$out/.key"
stage="$out/frr-vrrpd-$upver"
mkdir -p "$stage"
tar -C "$top" --null -T "$list" -cf - | tar -C "$stage" -xf -

# Our upstream tarball: the tree without debian/, reproducible for the same files.
mtime=$(git -C "$top" log -1 --format=%ct 2>/dev/null || date +%s)
tar -C "$out" --sort=name --mtime="@$mtime" --owner=0 --group=0 --numeric-owner \
	--exclude="frr-vrrpd-$upver/debian" -cf - "frr-vrrpd-$upver" |
	xz -T0 -6 >"$out/frr-vrrpd_$upver.orig.tar.xz"
# FRR's upstream tarball is the orig-frr component unchanged; dpkg-source unpacks it to frr/.
ln "$frr_orig" "$out/frr-vrrpd_$upver.orig-frr.tar.${frr_orig##*.tar.}"
mkdir "$stage/frr"
tar -C "$stage/frr" --strip-components=1 -xf "$frr_orig"

# Debian's frr patches, in their order, with every path moved under frr/.
mkdir -p "$stage/debian/patches/frr"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar -C "$tmp" -xf "$frr_debian" debian/patches
/usr/bin/python3 - "$tmp/debian/patches" "$stage/debian/patches" <<'PY'
import re
import sys
from pathlib import Path

src, dst = Path(sys.argv[1]), Path(sys.argv[2])


def reroot(path):
    # "a/bgpd/x.c" -> "a/frr/bgpd/x.c"; patches are applied with -p1.
    if path == "/dev/null":
        return path
    head, _, rest = path.partition("/")
    return f"{head}/frr/{rest}"


series = []
for line in (src / "series").read_text().splitlines():
    name = line.split("#", 1)[0].strip()
    if not name:
        continue
    if " " in name:
        sys.exit(f"package: patch options in frr's series are not handled: {line!r}")
    out, old, new = [], 0, 0
    for ln in (src / name).read_text(encoding="utf-8", errors="surrogateescape").splitlines(True):
        if old > 0 or new > 0:
            # Inside a hunk nothing is a header, whatever it starts with.
            c = ln[:1]
            if c in " -":
                old -= 1
            if c in " +":
                new -= 1
            out.append(ln)
            continue
        m = re.match(r"@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@", ln)
        if m:
            old = int(m.group(1)) if m.group(1) is not None else 1
            new = int(m.group(2)) if m.group(2) is not None else 1
        elif re.match(r"(---|\+\+\+) ", ln):
            mark, rest = ln[:4], ln[4:]
            path, sep, tail = rest.partition("\t")
            if not sep:
                path, tail = path.rstrip("\n"), "\n"
            ln = mark + reroot(path) + sep + tail
        elif ln.startswith("diff --git "):
            a, b = ln[len("diff --git "):].rstrip("\n").split(" ")
            ln = f"diff --git {reroot(a)} {reroot(b)}\n"
        out.append(ln)
    (dst / "frr" / name).write_text("".join(out), encoding="utf-8", errors="surrogateescape")
    series.append(f"frr/{name}")
(dst / "series").write_text("".join(s + "\n" for s in series))
PY
dpkg-source --before-build "$stage" >&2

# A build for another frr than the committed changelog's gets an entry of its own.
top_version=$(dpkg-parsechangelog -l "$stage/debian/changelog" -S Version)
if [ "$top_version" != "$version" ]; then
	{
		echo "frr-vrrpd ($version) bookworm; urgency=medium"
		echo
		echo "  * Built for frr $frr_ver by scripts/package.sh."
		echo
		echo " -- vrrpd developers <dev@vrrpd.invalid>  $(date -R)"
		echo
		cat "$stage/debian/changelog"
	} >"$stage/debian/changelog.new"
	mv "$stage/debian/changelog.new" "$stage/debian/changelog"
fi

log "source package"
(cd "$out" && dpkg-source -b "frr-vrrpd-$upver" >"$out/source.log" 2>&1) || {
	tail -n 30 "$out/source.log" >&2
	exit 1
}
log "dpkg-buildpackage -b (about four minutes on two cores)"
(cd "$stage" && dpkg-buildpackage -b -uc -us -j"$(nproc)" >"$out/build.log" 2>&1) || {
	tail -n 40 "$out/build.log" >&2
	log "full log: $out/build.log"
	exit 1
}
[ -f "$deb" ] || {
	log "dpkg-buildpackage made no $deb"
	exit 1
}
echo "$key" >"$out/.key"
log "built $deb"
echo "$deb"
