# SPDX-License-Identifier: GPL-2.0-or-later
"""Preempt mode: r1 (priority 200) and r2 (100) run VRID 5 (preempt, the default) and VRID 6
(`no vrrp 6 preempt`) at 100 ms. When r1 returns after a stop, it takes VRID 5 back but
leaves VRID 6 with r2, until preempt is switched on at run time."""

import sys

import pytest

import vrrptopo as vt

pytestmark = [pytest.mark.vrrpd]

INTERVAL = 100


def setup_module(mod):
    vt.setup_lan(mod, ["r1", "r2"])


def teardown_module(mod):
    vt.teardown_lan()


def test_vrrp_preempt_election(tgen):
    "r1 is Master of both VRIDs; the JSON shows each VRID's preempt mode."
    vt.routers_running(tgen)
    vt.expect_states(tgen, [5, 6], {"r1": "Master", "r2": "Backup"})
    for name in ("r1", "r2"):
        vt.expect_vrrp(tgen.gears[name], [{"vrid": 5, "preemptMode": True},
                                          {"vrid": 6, "preemptMode": False}], 2)


def test_vrrp_preempt_on_and_off(tgen):
    """r1's vrrpd stops: r2 takes both. r1 comes back as Backup of both; with preempt it takes
    VRID 5 over after its Master_Down_Interval, without it VRID 6 stays with r2 (checked for
    2 s, more than 5 of r1's Master_Down_Intervals)."""
    vt.routers_running(tgen)
    r1, r2 = tgen.gears["r1"], tgen.gears["r2"]
    vt.expect_states(tgen, [5, 6], {"r1": "Master", "r2": "Backup"})
    vt.stop_vrrpd(r1)
    vt.expect_vrrp(r2, [{"vrid": 5, "v4": {"status": "Master"}},
                        {"vrid": 6, "v4": {"status": "Master"}}], 5, "r2 Master of both")
    vt.start_vrrpd(r1)
    vt.expect_vrrp(r1, [{"vrid": 5, "v4": {"status": "Master"}}], 5, "r1 preempts VRID 5")
    vt.expect_vrrp(r2, [{"vrid": 5, "v4": {"status": "Backup"}}], 5)
    stays = [{"vrid": 6, "v4": {"status": "Backup", "masterAdverInterval": INTERVAL}}]
    vt.expect_vrrp(r1, stays, 5, "r1 Backup of VRID 6")
    dev = vt.deviation(r1, stays, 2.0)
    assert dev is None, "r1 left Backup of VRID 6 although preempt is off:\n{}".format(dev)
    dev = vt.deviation(r2, [{"vrid": 6, "v4": {"status": "Master"}}], 0.5)
    assert dev is None, "r2 lost VRID 6 although r1 does not preempt:\n{}".format(dev)
    assert vt.vr_json(r1, 6)["v4"]["stats"]["transitions"] == 1, \
        "r1 was not only Backup of VRID 6 since its start: {}".format(vt.vr_json(r1, 6)["v4"])


def test_vrrp_preempt_enabled_at_runtime(tgen):
    "`vrrp 6 preempt` on r1 through vtysh: r1 takes VRID 6 over; r2 returns to Backup."
    vt.routers_running(tgen)
    r1, r2 = tgen.gears["r1"], tgen.gears["r2"]
    if vt.vr_json(r2, 6)["v4"]["status"] != "Master":
        # Run alone: make r2 Master of VRID 6 as test_vrrp_preempt_on_and_off does.
        vt.stop_vrrpd(r1)
        vt.expect_vrrp(r2, [{"vrid": 6, "v4": {"status": "Master"}}], 5)
        vt.start_vrrpd(r1)
    vt.expect_vrrp(r1, [{"vrid": 6, "v4": {"status": "Backup"}}], 5, "r1 Backup of VRID 6")
    vt.expect_vrrp(r2, [{"vrid": 6, "v4": {"status": "Master"}}], 5, "r2 Master of VRID 6")
    vt.configure(r1, ["interface r1-eth0", "vrrp 6 preempt"])
    vt.expect_vrrp(r1, [{"vrid": 6, "preemptMode": True, "v4": {"status": "Master"}}], 5,
                   "r1 preempts VRID 6")
    vt.expect_vrrp(r2, [{"vrid": 6, "v4": {"status": "Backup"}}], 5)


if __name__ == "__main__":
    sys.exit(pytest.main(["-s"] + sys.argv[1:]))
