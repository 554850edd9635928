#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build vrrpd in the source tree: the FRR SDK (cached outside the repo), then autotools.
# Prints nothing on success but make's short lines. --sanitize: see below.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sdk=$(scripts/frr-sdk.sh | tail -n 1)
# --sanitize: an ASan + UBSan vrrpd (configure --enable-sanitizers, clang) in build/asan, from
# a copy of the working tree (automake cannot build out of a source tree configured in place),
# so the normal build is untouched. Prints the binary's path.
if [ "${1:-}" = --sanitize ]; then
	dir=$top/build/asan
	mkdir -p "$dir/src"
	git ls-files -z -co --exclude-standard |
		tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C "$dir/src"
	cd "$dir/src"
	if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt Makefile.in ]; then
		autoreconf -fi >/dev/null
	fi
	if [ ! -f Makefile ] || [ configure -nt config.status ]; then
		./configure CC=clang --with-frr="$sdk" --enable-sanitizers >/dev/null
	fi
	make -j"$(nproc)" >&2
	echo "$dir/src/vrrpd/vrrpd"
	exit 0
fi
if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt Makefile.in ]; then
	autoreconf -fi >/dev/null
fi
if [ ! -f Makefile ] || [ configure -nt config.status ] ||
	! grep -qF -- "--with-frr=$sdk" config.status 2>/dev/null; then
	./configure --with-frr="$sdk" --enable-werror >/dev/null
fi
make -j"$(nproc)"
