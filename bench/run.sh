#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The whole comparison in one command: our vrrpd, Debian's stock vrrpd and keepalived.
#   bench/run.sh [--quick] [--no-build] [run.py options]
# Builds the daemon (scripts/build.sh) and the callgrind harness (build/bench/rx_replay), then
# runs bench/run.py as root. Prints the table; JSON in build/bench/latest.json.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

build=1
args=()
for a in "$@"; do
	case "$a" in
	--no-build) build=0 ;;
	*) args+=("$a") ;;
	esac
done

if [ "$(id -u)" -ne 0 ]; then
	echo "bench/run.sh must run as root (network namespaces, FRR daemons)" >&2
	exit 1
fi
# FRR, keepalived, tcpdump and the build dependencies, as the tests need them (a fresh machine
# has none of them); fast when everything is there.
scripts/deps.sh >/dev/null || exit 1
missing=()
for b in keepalived tcpdump valgrind callgrind_annotate; do
	command -v "$b" >/dev/null || missing+=("$b")
done
if [ ${#missing[@]} -gt 0 ]; then
	echo "installing: keepalived tcpdump valgrind" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q keepalived tcpdump valgrind >/dev/null
fi

mkdir -p build/bench
if [ $build -eq 1 ]; then
	scripts/build.sh >build/bench/build.log 2>&1 || {
		tail -n 30 build/bench/build.log >&2
		exit 1
	}
fi
# The harness: compiled with the daemon's own flags, linked with vrrpd/libvrrp.a and libfrr.
flags=$(printf 'bench-flags:\n\t@echo "$(COMPILE)"\n\t@echo "$(AM_LDFLAGS) $(LDFLAGS) $(FRR_LDADD) $(LIBS)"\n' |
	make -s -f Makefile -f - bench-flags)
compile=$(sed -n 1p <<<"$flags")
link=$(sed -n 2p <<<"$flags")
# shellcheck disable=SC2086
$compile -o build/bench/rx_replay bench/rx_replay.c vrrpd/libvrrp.a $link

exec /usr/bin/python3 bench/run.py "${args[@]}"
