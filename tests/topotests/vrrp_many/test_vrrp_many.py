# SPDX-License-Identifier: GPL-2.0-or-later
"""Twenty virtual routers (VRIDs 1-20, VIPs 10.10.10.101-120) on one LAN at 200 ms: r1 has
priority 200 on odd VRIDs and 100 on even ones, r2 the reverse, so the masters alternate.
Election, one macvlan per VRID, failover of all twenty and the return to alternating."""

import sys

import pytest

from vrrptest.macvlan import vmac
import vrrptopo as vt

pytestmark = [pytest.mark.vrrpd]

VRIDS = list(range(1, 21))
ODD = [v for v in VRIDS if v % 2]
EVEN = [v for v in VRIDS if not v % 2]


def setup_module(mod):
    vt.setup_lan(mod, ["r1", "r2"])


def teardown_module(mod):
    vt.teardown_lan()


def expect_alternating(tgen, timeout=10):
    vt.expect_states(tgen, ODD, {"r1": "Master", "r2": "Backup"}, timeout=timeout)
    vt.expect_states(tgen, EVEN, {"r1": "Backup", "r2": "Master"}, timeout=timeout)


def test_vrrp_many_election(tgen):
    "Masters alternate by priority: r1 holds the odd VRIDs, r2 the even ones."
    vt.routers_running(tgen)
    expect_alternating(tgen, timeout=15)
    for name in ("r1", "r2"):
        data = vt.show_vrrp(tgen.gears[name])
        assert sorted(vr["vrid"] for vr in data) == VRIDS, [vr["vrid"] for vr in data]
        for vr in data:
            assert vr["v4"]["addresses"] == ["10.10.10.{}".format(100 + vr["vrid"])], vr


def test_vrrp_many_macvlans(tgen):
    """Each router has exactly twenty macvlans, vrrp4-<ifindex>-<vrid> with the VRID's MAC and
    VIP; the ten of the VRIDs it backs up are in protodown, the other ten not."""
    vt.routers_running(tgen)
    expect_alternating(tgen)
    for name, mine in (("r1", ODD), ("r2", EVEN)):
        router = tgen.gears[name]
        mvls = vt.macvlans(router)
        want = {vt.autoname(router, "v4", v): v for v in VRIDS}
        assert sorted(mvls) == sorted(want), sorted(mvls)
        for mname, vrid in want.items():
            link = mvls[mname]
            assert link["address"] == vmac("v4", vrid), link
            assert vt.addrs(router, mname) == ["10.10.10.{}".format(100 + vrid)]
            assert link.get("proto_down", False) is (vrid not in mine), \
                "{}: {} protodown {}".format(name, mname, link.get("proto_down", False))


def test_vrrp_many_failover(tgen):
    """r1's vrrpd stops (SIGTERM): r2 becomes Master of all twenty, and r1's twenty macvlans
    are gone (vrrpd removes the ones it made when it stops). r1 comes back: alternating again."""
    vt.routers_running(tgen)
    r1, r2 = tgen.gears["r1"], tgen.gears["r2"]
    vt.stop_vrrpd(r1)
    vt.expect_vrrp(r2, [{"vrid": v, "v4": {"status": "Master"}} for v in VRIDS], 10,
                   "r2 Master of all twenty")
    assert vt.macvlans(r1) == {}, "r1 left macvlans behind: {}".format(sorted(vt.macvlans(r1)))
    vt.start_vrrpd(r1)
    vt.routers_running(tgen)
    expect_alternating(tgen)


if __name__ == "__main__":
    sys.exit(pytest.main(["-s"] + sys.argv[1:]))
