# SPDX-License-Identifier: GPL-2.0-or-later
"""Tracking with real routing: r1 (priority 210) and r2 (200) share a LAN and each has an uplink
to an upstream router `up` that sends both a BGP default route (neighbor ... default-originate);
all three run Debian's bgpd, so the default is a BGP route in zebra. On r1, VRID 5 tracks the
uplink r1-eth1 with decrement 20, VRID 6 tracks the route 0.0.0.0/0 with decrement 20, and
VRID 7 tracks the uplink without a decrement (a failure stops it). 100 ms advertisements."""

import sys

import pytest

import vrrptopo as vt

pytestmark = [pytest.mark.vrrpd]

VRIDS = [5, 6, 7]
UPLINK = "r1-eth1"


def topo(tgen):
    """s1 is the LAN (r1-eth0, r2-eth0); s2 and s3 the uplinks (r1-eth1/up-eth0,
    r2-eth1/up-eth1)."""
    r1, r2, up = (tgen.add_router(n) for n in ("r1", "r2", "up"))
    lan = tgen.add_switch("s1")
    lan.add_link(r1)
    lan.add_link(r2)
    for sw, r in (("s2", r1), ("s3", r2)):
        s = tgen.add_switch(sw)
        s.add_link(r)
        s.add_link(up)


def setup_module(mod):
    vt.setup_lan(mod, ["r1", "r2", "up"], topo=topo)


def teardown_module(mod):
    vt.teardown_lan()


def default_via_bgp(router):
    routes = router.vtysh_cmd("show ip route 0.0.0.0/0 json", isjson=True)
    return any(r.get("protocol") == "bgp" and r.get("selected")
               for r in routes.get("0.0.0.0/0", []))


def expect_default(router, present, timeout=30.0):
    def check():
        return None if default_via_bgp(router) == present else "default route not as wanted"
    ok, res = vt.topotest.run_and_expect(check, None, count=int(timeout / 0.5), wait=0.5)
    assert ok, "{}: BGP default route {} expected".format(
        router.name, "present" if present else "absent")


def tracked(obj, state, decrement=None):
    t = {"object": obj, "state": state}
    if decrement is not None:
        t["decrement"] = decrement
    return t


def restore(tgen):
    """Uplink up, BGP session open, every VRID back with r1."""
    r1, up = tgen.gears["r1"], tgen.gears["up"]
    r1.cmd("ip link set {} up".format(UPLINK))
    vt.configure(up, ["router bgp 65000", "no neighbor 192.0.2.1 shutdown"])
    expect_default(r1, True)
    vt.expect_states(tgen, VRIDS, {"r1": "Master", "r2": "Backup"}, timeout=15)


def test_track_all_up(tgen):
    "With uplink and default route present, r1 is Master of all three at full priority."
    vt.routers_running(tgen)
    r1 = tgen.gears["r1"]
    expect_default(r1, True)
    expect_default(tgen.gears["r2"], True)
    vt.expect_states(tgen, VRIDS, {"r1": "Master", "r2": "Backup"}, timeout=15)
    vt.expect_vrrp(r1, [
        {"vrid": 5, "v4": {"effectivePriority": 210},
         "tracked": [tracked("interface " + UPLINK, "up", 20)]},
        {"vrid": 6, "v4": {"effectivePriority": 210},
         "tracked": [tracked("route 0.0.0.0/0", "up", 20)]},
        {"vrid": 7, "v4": {"effectivePriority": 210}},
    ], 10, "trackers up")


def test_track_uplink_down(tgen):
    """r1's uplink goes down: VRID 5 runs at 190 and r2 preempts it; VRID 7 stops with the
    reason shown; the BGP session over the uplink ends, so the default route goes and VRID 6
    runs at 190 too. Uplink up: r1 takes all three back."""
    vt.routers_running(tgen)
    r1, r2 = tgen.gears["r1"], tgen.gears["r2"]
    restore(tgen)
    r1.cmd("ip link set {} down".format(UPLINK))
    vt.expect_vrrp(r1, [
        {"vrid": 5, "v4": {"status": "Backup", "effectivePriority": 190},
         "tracked": [tracked("interface " + UPLINK, "down", 20)]},
        {"vrid": 7, "v4": {"status": "Initialize",
                           "notRunningReason": "tracked interface {} is down".format(UPLINK)}},
    ], 10, "r1 after its uplink went down")
    vt.expect_vrrp(r2, [{"vrid": v, "v4": {"status": "Master"}} for v in (5, 7)], 10)
    expect_default(r1, False)
    vt.expect_vrrp(r1, [{"vrid": 6, "v4": {"status": "Backup", "effectivePriority": 190},
                         "tracked": [tracked("route 0.0.0.0/0", "down", 20)]}], 10,
                   "r1 VRID 6 without the default route")
    vt.expect_vrrp(r2, [{"vrid": 6, "v4": {"status": "Master"}}], 10)
    restore(tgen)


def test_track_route_withdrawn(tgen):
    """The upstream shuts the BGP session to r1: only VRID 6, which tracks the default route,
    moves to r2; the uplink is still up, so VRIDs 5 and 7 stay with r1. The session back: r1
    takes VRID 6 back."""
    vt.routers_running(tgen)
    r1, r2, up = tgen.gears["r1"], tgen.gears["r2"], tgen.gears["up"]
    restore(tgen)
    vt.configure(up, ["router bgp 65000", "neighbor 192.0.2.1 shutdown"])
    expect_default(r1, False)
    vt.expect_vrrp(r1, [{"vrid": 6, "v4": {"status": "Backup", "effectivePriority": 190}}],
                   10, "r1 VRID 6 at 190")
    vt.expect_vrrp(r2, [{"vrid": 6, "v4": {"status": "Master"}}], 10)
    dev = vt.deviation(r1, [{"vrid": v, "v4": {"status": "Master", "effectivePriority": 210}}
                            for v in (5, 7)], 1.0)
    assert dev is None, "VRIDs 5 and 7 moved although the uplink is up:\n{}".format(dev)
    vt.configure(up, ["router bgp 65000", "no neighbor 192.0.2.1 shutdown"])
    expect_default(r1, True)
    vt.expect_vrrp(r1, [{"vrid": 6, "v4": {"status": "Master", "effectivePriority": 210}}],
                   15, "r1 takes VRID 6 back")


if __name__ == "__main__":
    sys.exit(pytest.main(["-s"] + sys.argv[1:]))
