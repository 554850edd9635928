#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build FRR's vtysh from the Debian source package of the installed frr, with Debian's configure
# flags, whose command table is stock's for every daemon but vrrpd, and ours (the command files of
# vrrpd/) for vrrpd. Debian's vtysh has FRR's vrrpd grammar compiled in and refuses every command
# this daemon adds; this one knows them, and `vtysh -b` and frr-reload.py then work with them.
#
# Usage: scripts/vtysh.sh
#   Prints the path of the built vtysh on its last line. Cached next to the FRR SDK, keyed by the
#   frr version, this script and our command files: a second run takes about a second.
#   FRR_SDK_CACHE, FRR_VERSION, FRR_SRC as for scripts/frr-sdk.sh.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
log() { printf 'vtysh: %s\n' "$*" >&2; }

# The files of ours that define commands; extract.pl reads the daemon from the directory name.
cmd_files=(vrrpd/vrrp_vty.c vrrpd/vrrp_show.c vrrpd/vrrp_debug.c)

# The SDK script fetches and bootstraps the source package; reuse its unpacked tree.
"$here/frr-sdk.sh" >/dev/null
cache_root=${FRR_SDK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/frr-sdk}
frr_ver=${FRR_VERSION:-$(dpkg-query -W -f='${Version}' frr)}
work="$cache_root/work-$frr_ver"
if [ -n "${FRR_SRC:-}" ]; then
	src=$(cd "$FRR_SRC" && pwd)
else
	src=$(ls -d "$work"/frr-*/ | head -n 1)
fi
src=${src%/}

hash=$( (cat "$0"; cd "$top" && cat "${cmd_files[@]}" vrrpd/*.h) | sha256sum | cut -c1-12)
out="$cache_root/vtysh-$frr_ver-$hash"
if [ -x "$out/vtysh" ]; then
	log "reusing $out/vtysh"
	echo "$out/vtysh"
	exit 0
fi

exec 9>"$cache_root/.vtysh.lock"
flock 9

build="$work/vtysh-build"
mkdir -p "$build"
if [ ! -f "$build/config.status" ]; then
	log "configure with Debian's flags (about 30 s)"
	multiarch=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
	# extract.pl derives its include paths from top_srcdir: configure by a relative path.
	rel=$(realpath --relative-to="$build" "$src")
	(cd "$build" && eval "$(DEB_BUILD_MAINT_OPTIONS=hardening=+all dpkg-buildflags --export=sh)" &&
		"$rel/configure" \
			PYTHON=/usr/bin/python3 \
			--prefix=/usr \
			--localstatedir=/var/run/frr \
			--sbindir=/usr/lib/frr \
			--sysconfdir=/etc/frr \
			--with-vtysh-pager=/usr/bin/pager \
			--libdir="/usr/lib/$multiarch/frr" \
			--with-moduledir="/usr/lib/$multiarch/frr/modules" \
			LIBTOOLFLAGS="-rpath /usr/lib/$multiarch/frr" \
			--disable-dependency-tracking \
			--enable-rpki --disable-scripting --disable-pim6d \
			--with-libpam --disable-doc --enable-snmp --enable-fpm \
			--disable-protobuf --disable-zeromq --enable-ospfapi --enable-bgp-vnc \
			--enable-multipath=256 \
			--enable-user=frr --enable-group=frr --enable-vty-group=frrvty \
			--enable-configfile-mask=0640 --enable-logfile-mask=0640 \
			>"$work/vtysh-configure.log" 2>&1) || {
		tail -n 30 "$work/vtysh-configure.log" >&2
		exit 1
	}
fi

# vtysh needs libfrr and the generated headers first.
log "building libfrr for vtysh (about a minute the first time)"
# FRR's embedmodel.py creates yang/ietf/ when it finds it missing; two of them run at once
# under make -j and the second fails with "File exists" (seen in a package build).
mkdir -p "$build/yang/ietf"
make -C "$build" -j"$(nproc)" lib/libfrr.la >"$work/vtysh-make.log" 2>&1 || {
	tail -n 30 "$work/vtysh-make.log" >&2
	exit 1
}

# Stock's scan list, without FRR's vrrpd and with our command files (given relative to
# top_srcdir, as extract.pl expects; our vrrpd/ is reached through a link inside the build).
cat >"$build/print-var.mk" <<'MK'
print-%:
	@echo $($*)
MK
stock_scan=$(make -s --no-print-directory -C "$build" -f Makefile -f print-var.mk print-vtysh_scan)
scan=()
for f in $stock_scan; do
	case "$f" in */vrrpd/*) ;; *) scan+=("$f") ;; esac
done
ours="$build/ours"
rm -rf "$ours"
mkdir -p "$ours"
ln -s "$top/vrrpd" "$ours/vrrpd"
for f in "${cmd_files[@]}"; do
	scan+=("$(realpath --relative-to="$build" -s "$ours/$f")")
done
# make does not notice a changed variable: extract again.
rm -f "$build/vtysh/vtysh_cmd.c"
log "extracting the command table and linking vtysh"
make -C "$build" -j"$(nproc)" vtysh/vtysh vtysh_scan="${scan[*]}" >>"$work/vtysh-make.log" 2>&1 || {
	tail -n 30 "$work/vtysh-make.log" >&2
	exit 1
}
# extract.pl drops, without a word, commands it cannot see (installed in a loop, say): every
# command of ours that is not _NOSH must be in the table.
lost=0
for cmd in $(cd "$top" && grep -hoE '^DEF(PY|UN)(_YANG)?\s*\(\s*[a-z0-9_]+,\s*[a-z0-9_]+' \
	"${cmd_files[@]}" | sed -E 's/.*,\s*//'); do
	if ! grep -q "&${cmd}_vtysh)" "$build/vtysh/vtysh_cmd.c"; then
		log "command $cmd is missing from vtysh's table"
		lost=1
	fi
done
[ "$lost" -eq 0 ] || exit 1

stage="$out.tmp"
rm -rf "$stage"
mkdir -p "$stage"
# libtool keeps the real binary in .libs when it links against an uninstalled libfrr.
if [ -f "$build/vtysh/.libs/vtysh" ]; then
	cp "$build/vtysh/.libs/vtysh" "$stage/vtysh"
else
	cp "$build/vtysh/vtysh" "$stage/vtysh"
fi
# Run against Debian's libfrr, as Debian's own vtysh does.
if command -v chrpath >/dev/null; then
	chrpath -r "/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH)/frr" "$stage/vtysh" >/dev/null
fi
rm -rf "$out"
mv "$stage" "$out"
log "vtysh ready: $out/vtysh"
echo "$out/vtysh"
