#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# The README's main job: build what is missing, then run the seed's lab. Two routers, dev1
# (eth1 10.10.10.15/24) and dev2 (eth1 10.10.10.10/24), each a network namespace with Debian's
# zebra and our vrrpd, joined on one LAN. The seed's configuration (priority 210 on dev1, 200 on
# dev2) is applied through our vtysh (FRR 8.4.4's, built by scripts/vtysh.sh with our vrrpd
# commands) and the result is shown; then scenes of the extensions (tracking, notify, restart
# without failover, the guardian). Everything the lab creates is removed on exit.
#   LAB_KEEP=1   leave the lab running (remove it later with: scripts/lab.sh --clean)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"

routers=(dev1 dev2)
addrs=(10.10.10.15/24 10.10.10.10/24)
prio=(210 200)
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
vtysh=$(scripts/vtysh.sh 2>/dev/null | tail -n 1)
[ "${LAB_KEEP:-0}" = 1 ] || trap cleanup EXIT
cleanup

vtysh_ns() {
	local ns=$1
	shift
	"$vtysh" -N "$ns" "$@" 2>&1 | { grep -v "vtysh.conf" || true; }
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

# dev1's uplink, which its router tracks below; dev2's notify script, which logs each of its
# router's transitions with the reason the daemon gives.
ip -n lab-dev1 link add wan0 type veth peer name wan0-peer
ip -n lab-dev1 link set wan0-peer up
ip -n lab-dev1 link set wan0 up
cat >/etc/frr/lab-dev2/notify.sh <<EOF
#!/bin/sh
echo "\$3 (\$VRRP_REASON)" >>$run/dev2/notify.log
EOF
chmod 0755 /etc/frr/lab-dev2/notify.sh

# Wait until both daemons answer on each router.
for r in "${routers[@]}"; do
	for _ in $(seq 50); do
		vtysh_ns "lab-$r" -d vrrpd -c 'show logging' 2>/dev/null | grep -q vrrpd && break
		sleep 0.1
	done
done

# FRR's vrrpd needs a manual step first: a macvlan with the virtual MAC carrying the virtual
# address on each router. Ours creates it itself; LAB_MANUAL_MACVLAN=1 does the manual step
# anyway, to show that hand-made macvlans are adopted.
[ "${LAB_MANUAL_MACVLAN:-0}" = 1 ] && for r in "${routers[@]}"; do
	ns=lab-$r
	mvl="vrrp4-$(ip -n "$ns" -o link show eth1 | cut -d: -f1)-5"
	ip -n "$ns" link add "$mvl" link eth1 type macvlan mode bridge
	ip -n "$ns" link set "$mvl" address 00:00:5e:00:01:05
	ip -n "$ns" addr add 10.10.10.16/24 dev "$mvl"
	ip -n "$ns" link set "$mvl" up
done

for i in 0 1; do
	r=${routers[$i]}
	cmds=(-c 'configure terminal' -c 'interface eth1' -c 'vrrp 5')
	[ -n "${prio[$i]}" ] && cmds+=(-c "vrrp 5 priority ${prio[$i]}")
	cmds+=(-c 'vrrp 5 ip 10.10.10.16')
	echo "### $r: configuring through vtysh:"
	printf '    %s\n' "interface eth1" " vrrp 5" ${prio[$i]:+" vrrp 5 priority ${prio[$i]}"} \
		" vrrp 5 ip 10.10.10.16"
	vtysh_ns "lab-$r" "${cmds[@]}"
done
echo "### dev2: a notify script for every transition (an extension: our vtysh knows it)"
echo "    vrrp notify script /etc/frr/lab-dev2/notify.sh"
vtysh_ns lab-dev2 -c 'configure terminal' -c 'vrrp notify script /etc/frr/lab-dev2/notify.sh'

state() { vtysh_ns "lab-$1" -c 'show vrrp json' | /usr/bin/python3 -c \
	'import json,sys; d=json.load(sys.stdin); print(d[0]["v4"]["status"] if d else "none")'; }
wait_state() {
	for _ in $(seq 100); do
		[ "$(state "$1")" = "$2" ] && return 0
		sleep 0.1
	done
	echo "lab.sh: $1 did not become $2" >&2
	return 1
}
now() { /usr/bin/python3 -c 'import time; print(time.monotonic())'; }

echo
echo "### waiting for the election (Master_Down_Interval is 3.21 s on dev2)"
wait_state dev1 Master
wait_state dev2 Backup

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
echo "### the macvlans vrrpd made on each router (no ip link step was run)"
for r in "${routers[@]}"; do
	ip -n "lab-$r" -br link show type macvlan | sed "s/^/    $r: /"
	ip -n "lab-$r" -br addr show type macvlan | sed "s/^/    $r: /"
done
echo "### dev2: the macvlan is held in protodown while Backup"
ip -n lab-dev2 -d link show | grep -A1 'vrrp4-' | grep -o 'vrrp4-[0-9-]*\|protodown [a-z]*' | paste -sd' '

echo
echo "### 3 s of advertisements on the LAN (seen from dev2)"
timeout 3.5 ip netns exec lab-dev2 tcpdump -l -n -e -i eth1 vrrp 2>/dev/null || true

echo
echo "### dev1 tracks its uplink wan0: wan0 down costs 20, so dev2 (200) takes over from dev1 (190)"
echo "    interface eth1"
echo "     vrrp 5 track interface wan0 decrement 20"
vtysh_ns lab-dev1 -c 'configure terminal' -c 'interface eth1' \
	-c 'vrrp 5 track interface wan0 decrement 20'
ip -n lab-dev1 link set wan0 down
wait_state dev2 Master
wait_state dev1 Backup
vtysh_ns lab-dev1 -c 'show vrrp' | grep -E 'Track|wan0|Effective|Status \(v4\)' | sed 's/^/    /'
echo "### wan0 back up: dev1 (210) preempts dev2 again"
ip -n lab-dev1 link set wan0 up
wait_state dev1 Master
wait_state dev2 Backup
echo "### dev2's notify script was told of each transition:"
sed 's/^/    /' "$run/dev2/notify.log"

echo
echo "### kill -9 dev1's vrrpd and start it again: dev1 resumes Master, dev2 never moves"
field() { vtysh_ns "lab-$1" -c 'show vrrp json' | /usr/bin/python3 -c \
	'import json,sys; v=json.load(sys.stdin)[0]["v4"]; print(eval(sys.argv[1]))' "$2"; }
before=$(field dev2 'v["stats"]["transitions"]')
# The next daemon reads the configuration that vtysh gave this one from its file.
printf 'interface eth1\n vrrp 5\n vrrp 5 priority 210\n vrrp 5 ip 10.10.10.16\n%s\nexit\n' \
	' vrrp 5 track interface wan0 decrement 20' >"$run/dev1/vrrpd.conf"
kill -9 "$(cat "$run/dev1/vrrpd.pid")"
sleep 1
ip netns exec lab-dev1 "$top/vrrpd/vrrpd" -N lab-dev1 -d -P 0 -f "$run/dev1/vrrpd.conf" \
	-i "$run/dev1/vrrpd.pid" --log "file:$run/dev1/vrrpd.log" 2>>"$run/dev1/vrrpd.err"
for _ in $(seq 50); do
	vtysh_ns lab-dev1 -d vrrpd -c 'show logging' 2>/dev/null | grep -q vrrpd && break
	sleep 0.1
done
wait_state dev1 Master
sleep 4
echo "    dev1: $(field dev1 'v["status"] + ", last transition " + v["lastTransitionReason"] + ", resumes " + str(v["stats"]["resumes"])')"
echo "    dev2: $(field dev2 'v["status"]'), transitions $before before and $(field dev2 'v["stats"]["transitions"]') after"

echo
echo "### kill -9 dev1's vrrpd; dev2 takes over after Master_Down_Interval"
t0=$(now)
kill -9 "$(cat "$run/dev1/vrrpd.pid")"
wait_state dev2 Master
/usr/bin/python3 -c "import sys; print(f'dev2 is Master {float(sys.argv[2]) - float(sys.argv[1]):.2f} s after the kill')" "$t0" "$(now)"
vtysh_ns lab-dev2 -c 'show vrrp summary'
echo "### dev1: its guardian put the dead daemon's macvlan into protodown, so only dev2 answers"
ip -n lab-dev1 -d link show | grep -A1 'vrrp4-' | grep -o 'vrrp4-[0-9-]*\|protodown [a-z]*' | paste -sd' '

echo
echo "### dev2: clear vrrp counters, an extension Debian's vtysh refuses and ours knows"
vtysh_ns lab-dev2 -c 'clear vrrp counters'
vtysh_ns lab-dev2 -c 'show vrrp json' | /usr/bin/python3 -c \
	'import json,sys; v=json.load(sys.stdin)[0]["v4"]; print("    adverTx", v["stats"]["adverTx"], "transitions", v["stats"]["transitions"], "priorityZeroRx", v["priorityZeroRx"])'
