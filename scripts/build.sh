#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Build vrrpd in the source tree: the FRR SDK (cached outside the repo), then autotools.
# Prints nothing on success but make's short lines.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
sdk=$(scripts/frr-sdk.sh | tail -n 1)
if [ ! -x configure ] || [ configure.ac -nt configure ] || [ Makefile.am -nt Makefile.in ]; then
	autoreconf -fi >/dev/null
fi
if [ ! -f Makefile ] || [ configure -nt config.status ] ||
	! grep -qF -- "--with-frr=$sdk" config.status 2>/dev/null; then
	./configure --with-frr="$sdk" --enable-werror >/dev/null
fi
make -j"$(nproc)"
