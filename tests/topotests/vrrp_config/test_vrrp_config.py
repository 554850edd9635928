# SPDX-License-Identifier: GPL-2.0-or-later
"""Configuration changes through Debian's vtysh while VRRP runs, r1 (priority 200) and r2 (100),
VRID 5 at 100 ms: a priority change that makes r2 preempt, an advertisement-interval change
seen by the Backup, virtual addresses added and removed (JSON and macvlan)."""

import sys

import pytest

from vrrptest import timing
import vrrptopo as vt

pytestmark = [pytest.mark.vrrpd]

VRID = 5
VIP = "10.10.10.16"
VIP2 = "10.10.10.17"


def setup_module(mod):
    vt.setup_lan(mod, ["r1", "r2"])


def teardown_module(mod):
    vt.teardown_lan()


def settled(tgen):
    vt.routers_running(tgen)
    vt.expect_states(tgen, [VRID], {"r1": "Master", "r2": "Backup"})


def test_vrrp_priority_change_preempts(tgen):
    """`vrrp 5 priority 250` on the Backup r2: it preempts r1 (within its Master_Down_Interval). `no vrrp 5 priority`
    (back to 100): r1 takes over again."""
    settled(tgen)
    r1, r2 = tgen.gears["r1"], tgen.gears["r2"]
    vt.configure(r2, ["interface r2-eth0", "vrrp 5 priority 250"])
    vt.expect_vrrp(r2, [{"vrid": VRID, "v4": {"status": "Master", "effectivePriority": 250}}],
                   5, "r2 preempts with priority 250")
    vt.expect_vrrp(r1, [{"vrid": VRID, "v4": {"status": "Backup"}}], 5)
    vt.configure(r2, ["interface r2-eth0", "no vrrp 5 priority"])
    vt.expect_vrrp(r2, [{"vrid": VRID, "v4": {"status": "Backup", "effectivePriority": 100}}],
                   5, "r2 back to priority 100 and Backup")
    vt.expect_vrrp(r1, [{"vrid": VRID, "v4": {"status": "Master"}}], 5)


def test_vrrp_advertisement_interval_change(tgen):
    """`vrrp 5 advertisement-interval 200` on the Master: its `advertisementInterval` becomes
    200, and the Backup learns 200 from the advertisements (`masterAdverInterval`, and its
    Master_Down_Interval 3 * 200 + skew; RFC 9568 6.1 defines Master_Adver_Interval as the
    value a Backup received, so the Master's own is not checked). Back to 100 after."""
    settled(tgen)
    r1, r2 = tgen.gears["r1"], tgen.gears["r2"]
    vt.configure(r1, ["interface r1-eth0", "vrrp 5 advertisement-interval 200"])
    vt.expect_vrrp(r1, [{"vrid": VRID, "advertisementInterval": 200,
                         "v4": {"status": "Master"}}], 5)
    vt.expect_vrrp(r2, [{"vrid": VRID, "advertisementInterval": 100,
                         "v4": {"status": "Backup", "masterAdverInterval": 200,
                                "skewTime": timing.skew_ms(100, 200),
                                "masterDownInterval": timing.master_down_ms(100, 200)}}], 5,
                   "r2 learns 200 ms")
    vt.configure(r1, ["interface r1-eth0", "vrrp 5 advertisement-interval 100"])
    vt.expect_vrrp(r2, [{"vrid": VRID, "v4": {"masterAdverInterval": 100}}], 5)
    vt.expect_states(tgen, [VRID], {"r1": "Master", "r2": "Backup"})


def test_vrrp_virtual_address_add_remove(tgen):
    """`vrrp 5 ip 10.10.10.17` on both: listed in `addresses` and carried by both macvlans;
    `no vrrp 5 ip 10.10.10.17`: gone from both. Removing the last VIP on r2 takes its IPv4
    instance to Initialize (with a reason) and removes the macvlan vrrpd made; adding it
    back recreates it and r2 is Backup again."""
    settled(tgen)
    r1, r2 = tgen.gears["r1"], tgen.gears["r2"]
    mvl = {n: vt.autoname(tgen.gears[n], "v4", VRID) for n in ("r1", "r2")}

    def on_macvlan(router, want):
        ok, have = vt.topotest.run_and_expect(lambda: vt.addrs(router, mvl[router.name]),
                                              want, count=30, wait=vt.POLL)
        assert ok, "{}: {} has {}, expected {}".format(router.name, mvl[router.name], have,
                                                       want)

    for router in (r1, r2):
        vt.configure(router, ["interface {}-eth0".format(router.name), "vrrp 5 ip " + VIP2])
    for router in (r1, r2):
        vt.expect_vrrp(router, [{"vrid": VRID, "v4": {"addresses": [VIP, VIP2]}}], 5)
        assert sorted(vt.vr_json(router, VRID)["v4"]["addresses"]) == [VIP, VIP2]
        on_macvlan(router, [VIP, VIP2])
    vt.expect_states(tgen, [VRID], {"r1": "Master", "r2": "Backup"})

    for router in (r1, r2):
        vt.configure(router, ["interface {}-eth0".format(router.name), "no vrrp 5 ip " + VIP2])
    for router in (r1, r2):
        vt.expect_vrrp(router, [{"vrid": VRID, "v4": {"addresses": [VIP]}}], 5)
        assert vt.vr_json(router, VRID)["v4"]["addresses"] == [VIP]
        on_macvlan(router, [VIP])

    vt.configure(r2, ["interface r2-eth0", "no vrrp 5 ip " + VIP])
    vt.expect_vrrp(r2, [{"vrid": VRID, "v4": {"status": "Initialize", "addresses": [],
                                               "notRunningReason": "*"}}], 5)
    assert vt.vr_json(r2, VRID)["v4"]["notRunningReason"], "no reason given"
    ok, left = vt.topotest.run_and_expect(lambda: sorted(vt.macvlans(r2)), [], count=30,
                                          wait=vt.POLL)
    assert ok, "r2 kept its macvlan without virtual addresses: {}".format(left)
    vt.configure(r2, ["interface r2-eth0", "vrrp 5 ip " + VIP])
    vt.expect_states(tgen, [VRID], {"r1": "Master", "r2": "Backup"})
    on_macvlan(r2, [VIP])


if __name__ == "__main__":
    sys.exit(pytest.main(["-s"] + sys.argv[1:]))
