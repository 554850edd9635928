# SPDX-License-Identifier: GPL-2.0-or-later
"""IPv6 VRRPv3 at 100 ms, r1 (priority 200) and r2 (100): VRID 5 is IPv6 only with a
link-local and a global VIP (fe80::5, 2001:db8:10::16); VRID 6 runs IPv4 and IPv6 on one VRID
(10.10.10.26, 2001:db8:10::26). Election per family, the vrrp6 macvlans, failover of both
families together."""

import sys

import pytest

from vrrptest.macvlan import vmac
import vrrptopo as vt

pytestmark = [pytest.mark.vrrpd]

VIPS6 = {5: ["2001:db8:10::16", "fe80::5"], 6: ["2001:db8:10::26"]}
VIP4_6 = "10.10.10.26"


def setup_module(mod):
    vt.setup_lan(mod, ["r1", "r2"])


def teardown_module(mod):
    vt.teardown_lan()


def test_vrrp_ipv6_election(tgen):
    """VRID 5: r1 Master / r2 Backup for IPv6 while IPv4 stays Initialize (no IPv4 VIP);
    both VIPs in the JSON and on an IPv6 macvlan with MAC 00:00:5e:00:02:05, which is in
    protodown on the Backup only."""
    vt.routers_running(tgen)
    vt.expect_states(tgen, [5], {"r1": "Master", "r2": "Backup"}, fam="v6")
    for name, master in (("r1", True), ("r2", False)):
        router = tgen.gears[name]
        mvl = vt.autoname(router, "v6", 5)
        vt.expect_vrrp(router, [{"vrid": 5, "v4": {"status": "Initialize"},
                                 "v6": {"interface": mvl, "vmac": vmac("v6", 5),
                                        "masterAdverInterval": 100}}], 5)
        vr = vt.vr_json(router, 5)
        assert sorted(vr["v6"]["addresses"]) == VIPS6[5], vr["v6"]["addresses"]
        if master:
            assert vr["v6"]["primaryAddress"].startswith("fe80:"), vr["v6"]["primaryAddress"]
        link = vt.macvlans(router)[mvl]
        assert link["address"] == vmac("v6", 5), link
        # The addresses follow zebra's report of the parent's, which may come after the
        # election on a busy host: wait for them rather than sample once.
        ok, _ = vt.topotest.run_and_expect(
            lambda: None if all(a in vt.addrs(router, mvl, "inet6") for a in VIPS6[5])
            else "missing", None, count=50, wait=0.1)
        have = vt.addrs(router, mvl, "inet6")
        assert ok, "{}: {} has {}".format(name, mvl, have)
        assert link.get("proto_down", False) is (not master), (name, link.get("proto_down"))


def test_vrrp_dual_stack_election(tgen):
    """VRID 6: one virtual router, both families: r1 Master of IPv4 and IPv6, r2 Backup of
    both, with one macvlan per family (00:00:5e:00:01:06 and 00:00:5e:00:02:06)."""
    vt.routers_running(tgen)
    vt.expect_states(tgen, [6], {"r1": "Master", "r2": "Backup"}, fam="v4")
    vt.expect_states(tgen, [6], {"r1": "Master", "r2": "Backup"}, fam="v6")
    for name in ("r1", "r2"):
        router = tgen.gears[name]
        vr = vt.vr_json(router, 6)
        assert vr["v4"]["addresses"] == [VIP4_6], vr["v4"]
        assert vr["v6"]["addresses"] == VIPS6[6], vr["v6"]
        mvls = vt.macvlans(router)
        m4, m6 = vt.autoname(router, "v4", 6), vt.autoname(router, "v6", 6)
        assert vr["v4"]["interface"] == m4 and vr["v6"]["interface"] == m6, vr
        assert mvls[m4]["address"] == vmac("v4", 6), mvls[m4]
        assert mvls[m6]["address"] == vmac("v6", 6), mvls[m6]
        assert vt.addrs(router, m4) == [VIP4_6]
        assert VIPS6[6][0] in vt.addrs(router, m6, "inet6")
        # VRID 5 (IPv6 only) + VRID 6 (both): three macvlans, no IPv4 one for VRID 5.
        assert sorted(mvls) == sorted([vt.autoname(router, "v6", 5), m4, m6]), sorted(mvls)


def test_vrrp_ipv6_failover(tgen):
    """r1's vrrpd stops (SIGTERM): r2 becomes Master of VRID 5 (IPv6) and of both families of
    VRID 6; r1's restart takes all of them back."""
    vt.routers_running(tgen)
    r1, r2 = tgen.gears["r1"], tgen.gears["r2"]
    vt.stop_vrrpd(r1)
    vt.expect_vrrp(r2, [{"vrid": 5, "v6": {"status": "Master"}},
                        {"vrid": 6, "v4": {"status": "Master"}, "v6": {"status": "Master"}}],
                   5, "r2 Master of everything")
    for fam, vrid in (("v6", 5), ("v4", 6), ("v6", 6)):
        link = vt.macvlans(r2)[vt.autoname(r2, fam, vrid)]
        assert not link.get("proto_down", False), (fam, vrid, "still in protodown on r2")
    vt.start_vrrpd(r1)
    vt.expect_vrrp(r1, [{"vrid": 5, "v6": {"status": "Master"}},
                        {"vrid": 6, "v4": {"status": "Master"}, "v6": {"status": "Master"}}],
                   5, "r1 Master of everything again")
    vt.expect_vrrp(r2, [{"vrid": 5, "v6": {"status": "Backup"}},
                        {"vrid": 6, "v4": {"status": "Backup"}, "v6": {"status": "Backup"}}], 5)


if __name__ == "__main__":
    sys.exit(pytest.main(["-s"] + sys.argv[1:]))
