#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Install every Debian package the build, the lab and the tests need, and enable deb-src so the
# FRR SDK script can fetch FRR's source package. Safe to run again; it only adds what is missing.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

pkgs=(
	# FRR itself: zebra, vtysh, the stock vrrpd we compare against
	frr
	# building the FRR SDK (scripts/frr-sdk.sh)
	dpkg-dev autoconf automake libtool bison flex pkg-config
	libjson-c-dev libelf-dev libcap-dev libyang2-dev libpcre2-dev libreadline-dev
	python3-dev
	# building vrrpd
	build-essential libnl-3-dev libnl-route-3-dev
	# building our vtysh with Debian's configure flags (scripts/vtysh.sh)
	libpam0g-dev libsnmp-dev librtr-dev libc-ares-dev chrpath
	# tests
	libcmocka-dev clang python3-pytest iproute2 libyang2-tools
	# sysctl (the harness, FRR's topotests), the fuzzer's runtime, the leak test
	procps libclang-rt-14-dev valgrind
	# protocol tests: captures, crafted packets, the keepalived peer
	tshark tcpdump python3-scapy keepalived
	# FRR's topotest framework: its environment check wants gdb
	gdb python3-pytest-xdist
	# boot and reload tests: FRR's frr-reload.py
	frr-pythontools
	# documentation (make doc) and its test, which renders vrrpd.8 with man
	python3-sphinx man-db
	# the Debian package (scripts/package.sh) and its test: lintian, frr-reload.py
	debhelper dh-autoreconf lintian frr-pythontools
	# scripts/package.sh: git lists the repository's files that go into the source package
	git
	# the SNMP module (vrrpd_snmp.so): Debian's libfrrsnmp and net-snmp to build it; the AgentX
	# master, the tools and the trap receiver of its test; keepalived (above) ships the MIB,
	# /usr/share/snmp/mibs/VRRPv3-MIB.txt
	frr-snmp libsnmp-dev snmpd snmp snmptrapd
)

if [ "$(id -u)" -ne 0 ]; then
	echo "deps.sh: run as root (it installs packages)" >&2
	exit 1
fi

# apt-get source needs a deb-src entry; stock Debian images often have none.
updated=yes
[ -n "$("$(dirname "$0")/enable-deb-src.sh")" ] && updated=no

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ] || [ "$updated" = no ]; then
	apt-get update -q
fi
if [ "${#missing[@]}" -gt 0 ]; then
	# policy-rc.d may refuse to start FRR's service; the tests start their own daemons anyway.
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
