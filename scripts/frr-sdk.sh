#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build a private FRR SDK (headers with FRR's config.h, libfrr, clippy, embedmodel.py and FRR's
# YANG files) from the Debian source package that matches the installed frr, into a cache outside
# the repository. Debian ships no libfrr headers; this is how we get them without committing FRR.
#
# Usage: scripts/frr-sdk.sh [--print-prefix]
#   FRR_SDK_CACHE  cache root (default: $XDG_CACHE_HOME/frr-sdk or ~/.cache/frr-sdk)
#   FRR_VERSION    Debian version of frr to build against (default: the installed one)
#   FRR_SRC        an unpacked frr source tree (Debian's patches applied) to use instead of
#                  fetching one with apt-get source; the Debian package's build sets it, as it
#                  must not use the network
#
# Prints the SDK prefix on its last line of output. A second run with the same frr version and the
# same script reuses the cached prefix and takes about a second.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache_root=${FRR_SDK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/frr-sdk}
frr_ver=${FRR_VERSION:-$(dpkg-query -W -f='${Version}' frr 2>/dev/null || true)}
if [ -z "$frr_ver" ]; then
	echo "frr-sdk: the frr package is not installed; run scripts/deps.sh first" >&2
	exit 1
fi
arch=$(dpkg --print-architecture)
script_hash=$(sha256sum "$0" | cut -c1-12)
key="frr-sdk-$(. /etc/os-release && echo "${VERSION_CODENAME:-unknown}")-$arch-$frr_ver-$script_hash"
prefix="$cache_root/$key"
work="$cache_root/work-$frr_ver"

log() { printf 'frr-sdk: %s\n' "$*" >&2; }

if [ -f "$prefix/.complete" ]; then
	log "reusing $prefix"
	echo "$prefix"
	exit 0
fi

mkdir -p "$cache_root"
# One builder at a time: parallel CI jobs or a second terminal wait instead of racing.
exec 9>"$cache_root/.lock"
flock 9
if [ -f "$prefix/.complete" ]; then
	echo "$prefix"
	exit 0
fi

# Source package.
if [ -n "${FRR_SRC:-}" ]; then
	src=$(cd "$FRR_SRC" && pwd)
else
	src=$(ls -d "$work"/frr-*/ 2>/dev/null | head -n 1 || true)
fi
if [ -z "${FRR_SRC:-}" ] && { [ -z "$src" ] || [ ! -f "$src/bootstrap.sh" ]; }; then
	rm -rf "$work"
	mkdir -p "$work"
	log "fetching frr=$frr_ver source"
	if [ -n "$("$here/enable-deb-src.sh")" ]; then
		apt-get update -q >&2
	fi
	(cd "$work" && apt-get source -q --only-source "frr=$frr_ver" >&2)
	src=$(ls -d "$work"/frr-*/ | head -n 1)
fi
src=${src%/}

if [ ! -x "$src/configure" ]; then
	log "bootstrap"
	(cd "$src" && ./bootstrap.sh >&2)
fi

build="$work/build"
mkdir -p "$build"
if [ ! -f "$build/config.status" ]; then
	log "configure (about two minutes)"
	# Options that reach libfrr's ABI or its compiled-in paths must match Debian's build.
	(cd "$build" && "$src/configure" \
		PYTHON=/usr/bin/python3 \
		--prefix=/usr \
		--localstatedir=/var/run/frr \
		--sysconfdir=/etc/frr \
		--enable-multipath=256 \
		--enable-user=frr --enable-group=frr --enable-vty-group=frrvty \
		--enable-configfile-mask=0640 --enable-logfile-mask=0640 \
		--disable-static --disable-doc \
		--disable-zebra --disable-bgpd --disable-ripd --disable-ripngd --disable-ospfd \
		--disable-ospf6d --disable-ldpd --disable-nhrpd --disable-eigrpd --disable-babeld \
		--disable-isisd --disable-pimd --disable-pim6d --disable-pbrd --disable-sharpd \
		--disable-staticd --disable-fabricd --disable-vrrpd --disable-bfdd --disable-pathd \
		--disable-watchfrr --disable-bgp-vnc \
		>"$work/configure.log" 2>&1) || {
		tail -n 30 "$work/configure.log" >&2
		exit 1
	}
fi

# FRR's embedmodel.py creates yang/ietf/ when it finds it missing; two of them run at once
# under make -j and the second fails with "File exists" (seen in a package build).
mkdir -p "$build/yang/ietf"
log "building clippy and libfrr"
make -C "$build" -j"$(nproc)" lib/clippy lib/libfrr.la >"$work/make.log" 2>&1 || {
	tail -n 30 "$work/make.log" >&2
	exit 1
}

stage="$prefix.tmp"
rm -rf "$stage"
mkdir -p "$stage"
make -C "$build" DESTDIR="$stage" install-libLTLIBRARIES install-pkgincludeHEADERS \
	install-nodist_pkgincludeHEADERS >"$work/install.log" 2>&1 || {
	tail -n 30 "$work/install.log" >&2
	exit 1
}
# Flatten DESTDIR/usr into the prefix so the SDK is relocatable.
mv "$stage/usr"/* "$stage/"
rmdir "$stage/usr"
inc="$stage/include/frr"
cp "$build/config.h" "$inc/config.h"
cp "$src/lib/plist_int.h" "$inc/"
# Headers include each other as "lib/foo.h".
ln -sfn . "$inc/lib"

share="$stage/share/frr-sdk"
mkdir -p "$share/lib" "$share/bgpd" "$share/python" "$share/yang" "$stage/bin"
cp "$build/lib/route_types.h" "$share/lib/" 2>/dev/null || cp "$src/lib/route_types.h" "$share/lib/"
cp "$src/lib/command.h" "$share/lib/"
cp "$src/bgpd/bgp_vty.h" "$share/bgpd/"
cp -r "$src/python/." "$share/python/"
cp "$src/yang/embedmodel.py" "$share/"
cp "$src/yang/"*.yang "$src/yang/ietf/"*.yang "$share/yang/"
cp "$build/lib/.libs/clippy" "$share/clippy" 2>/dev/null || cp "$build/lib/clippy" "$share/clippy"
# FRR's topotest framework (its lib, conftest and pytest.ini), for tests/topotests.
mkdir -p "$share/topotests"
cp -r "$src/tests/topotests/lib" "$src/tests/topotests/conftest.py" \
	"$src/tests/topotests/pytest.ini" "$share/topotests/"

# clidef.py reads lib/route_types.h relative to the working directory, so run it from $share.
cat >"$stage/bin/frr-clippy" <<'WRAP'
#!/bin/sh
# Runs FRR's clippy from the directory its scripts expect; arguments are made absolute first.
share=$(cd "$(dirname "$0")/../share/frr-sdk" && pwd)
script=$1; shift
out=
for a in "$@"; do
	case "$a" in /*|-*) ;; *) a="$PWD/$a" ;; esac
	out="$out '$a'"
done
cd "$share" && eval exec ./clippy "python/$script" $out
WRAP
chmod +x "$stage/bin/frr-clippy"

mkdir -p "$stage/lib/pkgconfig"
cat >"$stage/lib/pkgconfig/frr-sdk.pc" <<PC
prefix=\${pcfiledir}/../..
includedir=\${prefix}/include/frr
libdir=\${prefix}/lib
clippy=\${prefix}/bin/frr-clippy
embedmodel=\${prefix}/share/frr-sdk/embedmodel.py
yangdir=\${prefix}/share/frr-sdk/yang
debversion=$frr_ver

Name: frr-sdk
Description: FRR $frr_ver headers and libfrr for out-of-tree daemons
Version: ${frr_ver%%-*}
Cflags: -DHAVE_CONFIG_H -I\${includedir} -fms-extensions
Libs: -L\${libdir} -lfrr
PC

# ABI check: the exports must equal Debian's libfrr.so.0, or the daemon would run against a
# library it was not compiled for.
deb_lib=/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/frr/libfrr.so.0
if [ -f "$deb_lib" ]; then
	if ! diff <(nm -D --defined-only "$deb_lib" | awk '{print $3}' | sort) \
		<(nm -D --defined-only "$stage/lib/libfrr.so" | awk '{print $3}' | sort) >/dev/null; then
		log "WARNING: exported symbols differ from $deb_lib"
	else
		log "ABI check: exports identical to $deb_lib"
	fi
fi

rm -rf "$prefix"
mv "$stage" "$prefix"
# The pkg-config file keeps its relative paths; only the marker is written last.
touch "$prefix/.complete"
log "SDK ready in $prefix"
echo "$prefix"
