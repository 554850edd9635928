# SPDX-License-Identifier: GPL-2.0-or-later
"""Sync groups on two LANs: dev1 (priority 210) and dev2 (200) share LAN 1 (eth1, VRID 5) and
LAN 2 (eth2, VRID 7); on both routers VRID 5 and VRID 7 form the sync group `fw`, with 100 ms
advertisements. Shutting down VRID 7 on dev1, or an uplink failure that lowers VRID 7 below
dev2, moves both VRIDs to dev2, and dev1's VRID 5 says what holds it; when VRID 7 can run
again both come back to dev1 together."""

import json
import time

import pytest

from vrrptest import vrrplab
from vrrptest.timing import master_down_ms
from vrrptest.vrrpnet import net, vrrp_lines, wait_until

assert net  # imported for pytest: the `net` fixture, used by name

INTERVAL = 100
VIPS = {5: "10.10.10.16", 7: "10.10.20.16"}
LAN2 = {"dev1": "10.10.20.15/24", "dev2": "10.10.20.10/24"}
PRIO = {"dev1": 210, "dev2": 200}



def group_lines(label, extra7=()):
    lines = []
    for vrid, iface in ((5, "eth1"), (7, "eth2")):
        lines += vrrp_lines(vrid, PRIO[label], v4=[VIPS[vrid]], interval=INTERVAL,
                            iface=iface, extra=["sync-group fw"] + list(extra7 if vrid == 7
                                                                         else ()))
    return lines


def pair(net, vtysh_bin, extra7=(), uplink=False):
    d1, d2 = net.node("dev1"), net.node("dev2")
    if uplink:
        d1.router.add_stub("wan0", ["192.0.2.1/30"])
    lan2 = net.lab.switch()
    for n in (d1, d2):
        lan2.attach(n.router, "eth2", [LAN2[n.label]])
    d1.configure(group_lines("dev1", extra7), binary=vtysh_bin)
    d2.configure(group_lines("dev2"), binary=vtysh_bin)
    roles(d1, d2)
    return d1, d2


def states(node):
    return {v["vrid"]: v["v4"]["status"] for v in node.show_json()}


def roles(master, backup, timeout=None):
    timeout = timeout or master_down_ms(200, INTERVAL) / 1000 + 5
    wait_until(lambda: states(master) == {5: "Master", 7: "Master"} and
               states(backup) == {5: "Backup", 7: "Backup"}, timeout,
               f"{master.label} Master of both VRIDs, {backup.label} Backup")


def vr(node, vrid):
    return next(v for v in node.show_json() if v["vrid"] == vrid)


def takeover_times(node):
    """Time of the last transition to Master of VRID 5 and 7, from `show vrrp events`."""
    rc, out = node.router.vtysh("show vrrp events json", binary=vrrplab.our_vtysh())
    assert rc == 0, out
    t = {}
    for v in json.loads(out):
        masters = [e["timestamp"] for e in v["v4"] if e["to"] == "Master"]
        t[v["vrid"]] = masters[-1] if masters else None
    return t


def test_shutdown_moves_the_group(net, vtysh_bin):
    d1, d2 = pair(net, vtysh_bin)
    assert vr(d1, 5)["syncGroup"] == "fw"
    assert vr(d1, 5)["v4"]["syncGroupHeldBy"] == ""
    d1.configure(["interface eth2", "vrrp 7 shutdown"], binary=vtysh_bin)
    # VRID 7 stops; its partner VRID 5 hands over as well and stays Backup, held.
    wait_until(lambda: states(d2) == {5: "Master", 7: "Master"}, 3, "dev2 Master of both")
    wait_until(lambda: states(d1) == {5: "Backup", 7: "Initialize"}, 3, "dev1 5 held")
    held = vr(d1, 5)["v4"]
    assert held["syncGroupHeldBy"] == "eth2 VRID 7 (v4) is Initialize"
    assert held["priorityZeroTx"] >= 1
    # It does not preempt back while its partner cannot be Master.
    mdi = master_down_ms(210, INTERVAL) / 1000
    time.sleep(3 * mdi)
    assert states(d1) == {5: "Backup", 7: "Initialize"}
    rc, out = d1.router.vtysh("show vrrp interface eth1 5", binary=vtysh_bin)
    assert "eth2 VRID 7 (v4) is Initialize" in out, out

    d1.configure(["interface eth2", "no vrrp 7 shutdown"], binary=vtysh_bin)
    roles(d1, d2)
    t = takeover_times(d1)
    # Together: within a few advertisement intervals of each other.
    assert abs(t[5] - t[7]) < 3 * INTERVAL / 1000, t


def test_tracked_uplink_moves_the_group(net, vtysh_bin):
    d1, d2 = pair(net, vtysh_bin, extra7=["track interface wan0 decrement 50"], uplink=True)
    d1.router.ip("link", "set", "wan0", "down")
    # 210 - 50 < 200: dev2 preempts VRID 7, and dev1's VRID 5 follows it to dev2.
    wait_until(lambda: states(d2) == {5: "Master", 7: "Master"}, 5, "dev2 Master of both")
    assert states(d1) == {5: "Backup", 7: "Backup"}
    assert vr(d1, 5)["v4"]["syncGroupHeldBy"] == "eth2 VRID 7: tracked interface wan0 is down"
    d1.router.ip("link", "set", "wan0", "up")
    roles(d1, d2)
