# SPDX-License-Identifier: GPL-2.0-or-later
"""VRRPv2 (RFC 3768): r1 (priority 150) and r2 (default 100), `vrrp 5 version 2`, 1 s
advertisements (VRRPv2 carries whole seconds). Election, failover on SIGKILL after
Master_Down_Interval, preemption back."""

import sys
import time

import pytest

import vrrptopo as vt

pytestmark = [pytest.mark.vrrpd]

VRID = 5
VIP = "10.10.10.16"
INTERVAL = 1000
PRIO = {"r1": 150, "r2": 100}


def setup_module(mod):
    vt.setup_lan(mod, ["r1", "r2"])


def teardown_module(mod):
    vt.teardown_lan()


def test_vrrp_v2_election(tgen):
    """r1 Master, r2 Backup, both version 2; the Backup receives r1's advertisements and drops
    none of them (no version or interval mismatch)."""
    vt.routers_running(tgen)
    vt.expect_states(tgen, [VRID], {"r1": "Master", "r2": "Backup"}, timeout=15)
    for name in ("r1", "r2"):
        vt.expect_vrrp(tgen.gears[name], [{
            "vrid": VRID, "version": 2, "advertisementInterval": INTERVAL,
            "v4": {"effectivePriority": PRIO[name], "addresses": [VIP],
                   "masterAdverInterval": INTERVAL}}], 5)
    r2 = tgen.gears["r2"]
    vr = vt.vr_json(r2, VRID)
    assert vr["v4"]["stats"]["adverRx"] > 0, vr["v4"]["stats"]
    drops = vr["v4"].get("rxDrops")
    assert isinstance(drops, dict) and not any(drops.values()), "v4.rxDrops: {!r}".format(drops)


def test_vrrp_v2_failover_and_preempt(tgen):
    """SIGKILL r1's vrrpd: r2 becomes Master after its Master_Down_Interval (3 s + 600 ms skew),
    not before 3 s; r1's restart takes the VRID back."""
    vt.routers_running(tgen)
    r1, r2 = tgen.gears["r1"], tgen.gears["r2"]
    vt.expect_states(tgen, [VRID], {"r1": "Master", "r2": "Backup"})
    start = time.monotonic()
    vt.kill_vrrpd(r1)
    vt.expect_vrrp(r2, [{"vrid": VRID, "v4": {"status": "Master"}}], 10, "r2 takes over")
    took = time.monotonic() - start
    assert took >= 3 * INTERVAL / 1000.0 - 1.0, \
        "r2 took over {:.2f}s after r1 died, sooner than three advertisements".format(took)
    vt.start_vrrpd(r1)
    vt.expect_states(tgen, [VRID], {"r1": "Master", "r2": "Backup"}, timeout=10)


if __name__ == "__main__":
    sys.exit(pytest.main(["-s"] + sys.argv[1:]))
