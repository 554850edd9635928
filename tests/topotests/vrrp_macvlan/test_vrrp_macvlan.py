# SPDX-License-Identifier: GPL-2.0-or-later
"""Autocreated and hand-made macvlans, r1 (priority 200) and r2 (100) at 100 ms:
VRID 5 has a macvlan made by hand before the daemons start ("vip5": r1's carries the VIP,
r2's none); VRID 6 gets an autocreated one; VRID 7 has `no vrrp 7 macvlan-autocreate` and
waits until one is made by hand while running. A stopping vrrpd removes only its own."""

import sys

import pytest

from vrrptest.macvlan import vmac
import vrrptopo as vt

pytestmark = [pytest.mark.vrrpd]

VIP = {5: "10.10.10.16", 6: "10.10.10.26", 7: "10.10.10.36"}


def make_vip5(tgen):
    "Before start: r1's vip5 carries the VIP, r2's carries none."
    vt.make_macvlan(tgen.gears["r1"], "vip5", "v4", 5, [VIP[5] + "/24"])
    vt.make_macvlan(tgen.gears["r2"], "vip5", "v4", 5, [])


def make_vip7(tgen):
    "VRID 7's macvlan, by hand (where test_vrrp_no_autocreate_waits_for_handmade did not)."
    for name in ("r1", "r2"):
        if "vip7" not in vt.macvlans(tgen.gears[name]):
            vt.make_macvlan(tgen.gears[name], "vip7", "v4", 7, [VIP[7] + "/24"])


def setup_module(mod):
    vt.setup_lan(mod, ["r1", "r2"], before_start=make_vip5)


def teardown_module(mod):
    vt.teardown_lan()


def with_mac(router, vrid):
    return sorted(n for n, ln in vt.macvlans(router).items()
                  if ln["address"] == vmac("v4", vrid))


def test_vrrp_handmade_macvlan_adopted(tgen):
    """VRID 5 runs on the hand-made vip5 on both routers: no second macvlan with its MAC, the
    VIP exactly once (added on r2's, where it was missing), not marked as vrrpd's own, in
    protodown on the Backup only."""
    vt.routers_running(tgen)
    vt.expect_states(tgen, [5], {"r1": "Master", "r2": "Backup"})
    for name, master in (("r1", True), ("r2", False)):
        router = tgen.gears[name]
        vt.expect_vrrp(router, [{"vrid": 5, "v4": {"interface": "vip5"}}], 2)
        assert with_mac(router, 5) == ["vip5"], with_mac(router, 5)
        ok, have = vt.topotest.run_and_expect(lambda: vt.addrs(router, "vip5"), [VIP[5]],
                                              count=20, wait=vt.POLL)
        assert ok, "{}: vip5 has {}, expected [{}]".format(name, have, VIP[5])
        link = vt.macvlans(router)["vip5"]
        assert not link.get("ifalias", "").startswith("vrrpd:"), link.get("ifalias")
        assert link.get("proto_down", False) is (not master), (name, link.get("proto_down"))


def test_vrrp_autocreated_next_to_handmade(tgen):
    "VRID 6 gets vrrp4-<ifindex>-6, marked by its ifalias, next to the hand-made vip5."
    vt.routers_running(tgen)
    vt.expect_states(tgen, [6], {"r1": "Master", "r2": "Backup"})
    for name in ("r1", "r2"):
        router = tgen.gears[name]
        mvl = vt.autoname(router, "v4", 6)
        vt.expect_vrrp(router, [{"vrid": 6, "v4": {"interface": mvl}}], 2)
        assert with_mac(router, 6) == [mvl], with_mac(router, 6)
        assert vt.macvlans(router)[mvl].get("ifalias") == "vrrpd:{}-eth0:6:4".format(name)
        assert vt.addrs(router, mvl) == [VIP[6]]


def test_vrrp_no_autocreate_waits_for_handmade(tgen):
    """VRID 7 (no macvlan-autocreate) stays in Initialize, says why, and creates nothing;
    a macvlan made by hand while running ("vip7") is picked up and the election runs."""
    vt.routers_running(tgen)
    for name in ("r1", "r2"):
        router = tgen.gears[name]
        reason = "no macvlan with MAC {} on {}-eth0".format(vmac("v4", 7), name)
        vt.expect_vrrp(router, [{"vrid": 7, "v4": {"status": "Initialize",
                                                    "notRunningReason": reason}}], 5)
        assert with_mac(router, 7) == [], with_mac(router, 7)
    make_vip7(tgen)
    vt.expect_states(tgen, [7], {"r1": "Master", "r2": "Backup"})
    for name in ("r1", "r2"):
        vt.expect_vrrp(tgen.gears[name], [{"vrid": 7, "v4": {"interface": "vip7",
                                                              "notRunningReason": ""}}], 2)


def test_vrrp_stop_removes_only_own_macvlans(tgen):
    """SIGTERM to r1's vrrpd removes its vrrp4-<ifindex>-6 and leaves vip5 and vip7 (with
    their addresses); after the restart all three VRIDs run again on the same interfaces."""
    vt.routers_running(tgen)
    make_vip7(tgen)
    vt.expect_states(tgen, [5, 6, 7], {"r1": "Master", "r2": "Backup"})
    r1 = tgen.gears["r1"]
    own = vt.autoname(r1, "v4", 6)
    assert own in vt.macvlans(r1), sorted(vt.macvlans(r1))
    vt.stop_vrrpd(r1)
    mvls = vt.macvlans(r1)
    assert sorted(mvls) == ["vip5", "vip7"], sorted(mvls)
    assert vt.addrs(r1, "vip5") == [VIP[5]] and vt.addrs(r1, "vip7") == [VIP[7]]
    vt.start_vrrpd(r1)
    vt.expect_states(tgen, [5, 6, 7], {"r1": "Master", "r2": "Backup"})
    assert sorted(vt.macvlans(r1)) == sorted(["vip5", "vip7", own]), sorted(vt.macvlans(r1))


if __name__ == "__main__":
    sys.exit(pytest.main(["-s"] + sys.argv[1:]))
