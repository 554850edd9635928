#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The README's main job: build what is missing, then run the seed's lab. Two routers, dev1
# (eth1 10.10.10.15/24) and dev2 (eth1 10.10.10.10/24), each a network namespace with Debian's
# zebra and our vrrpd, joined on one LAN. The seed's configuration is applied through Debian's
# stock vtysh and the result is shown. Everything the lab creates is removed on exit.
#   LAB_KEEP=1   leave the lab running (remove it later with: scripts/lab.sh --clean)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

routers=(dev1 dev2)
addrs=(10.10.10.15/24 10.10.10.10/24)
prio=(210 "")
run=/run/vrrpd-lab

cleanup() {
	for r in "${routers[@]}"; do
		for d in vrrpd zebra; do
			pidf="$run/$r/$d.pid"
			[ -f "$pidf" ] && kill "$(cat "$pidf")" 2>/dev/null || true
		done
	done
	sleep 0.3
	for r in "${routers[@]}"; do
		ip netns del "lab-$r" 2>/dev/null || true
		rm -rf "/var/run/frr/lab-$r" "/etc/frr/lab-$r"
	done
	rm -rf "$run"
}

if [ "${1:-}" = "--clean" ]; then
	cleanup
	exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "lab.sh: run as root (it creates network namespaces)" >&2
	exit 1
fi

scripts/deps.sh >/dev/null
scripts/build.sh >/dev/null
[ "${LAB_KEEP:-0}" = 1 ] || trap cleanup EXIT
cleanup

vtysh_ns() {
	local ns=$1
	shift
	vtysh -N "$ns" "$@" 2>&1 | { grep -v "vtysh.conf" || true; }
}

# The LAN: a veth pair named eth1 on both ends, like two hosts on one segment.
ip netns add lab-dev1
ip netns add lab-dev2
ip link add eth1 netns lab-dev1 type veth peer name eth1 netns lab-dev2
for i in 0 1; do
	r=${routers[$i]}
	ns=lab-$r
	ip -n "$ns" link set lo up
	ip -n "$ns" addr add "${addrs[$i]}" dev eth1
	ip -n "$ns" link set eth1 up
	mkdir -p "$run/$r" "/var/run/frr/$ns" "/etc/frr/$ns"
	: >"$run/$r/vrrpd.conf"
	printf 'hostname %s\n' "$r" >"$run/$r/zebra.conf"
	touch "/etc/frr/$ns/vtysh.conf"
	chown -R frr:frr "$run" "/var/run/frr/$ns"
	ip netns exec "$ns" /usr/lib/frr/zebra -N "$ns" -d -P 0 -f "$run/$r/zebra.conf" \
		-i "$run/$r/zebra.pid" --log "file:$run/$r/zebra.log" 2>>"$run/$r/zebra.err"
	ip netns exec "$ns" "$top/vrrpd/vrrpd" -N "$ns" -d -P 0 -f "$run/$r/vrrpd.conf" \
		-i "$run/$r/vrrpd.pid" --log "file:$run/$r/vrrpd.log" 2>>"$run/$r/vrrpd.err"
done

# Wait until both daemons answer on each router.
for r in "${routers[@]}"; do
	for _ in $(seq 50); do
		vtysh_ns "lab-$r" -d vrrpd -c 'show logging' 2>/dev/null | grep -q vrrpd && break
		sleep 0.1
	done
done

for i in 0 1; do
	r=${routers[$i]}
	cmds=(-c 'configure terminal' -c 'interface eth1' -c 'vrrp 5')
	[ -n "${prio[$i]}" ] && cmds+=(-c "vrrp 5 priority ${prio[$i]}")
	cmds+=(-c 'vrrp 5 ip 10.10.10.16')
	echo "### $r: configuring through Debian's vtysh:"
	printf '    %s\n' "interface eth1" " vrrp 5" ${prio[$i]:+" vrrp 5 priority ${prio[$i]}"} \
		" vrrp 5 ip 10.10.10.16"
	vtysh_ns "lab-$r" "${cmds[@]}"
done

for r in "${routers[@]}"; do
	echo
	echo "### $r: show running-config (vrrpd's part)"
	vtysh_ns "lab-$r" -d vrrpd -c 'show running-config' | sed -n '/^interface/,$p'
	echo "### $r: show vrrp summary"
	vtysh_ns "lab-$r" -c 'show vrrp summary'
done

echo
echo "### dev1: show vrrp"
vtysh_ns lab-dev1 -c 'show vrrp'
