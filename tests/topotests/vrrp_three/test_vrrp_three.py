# SPDX-License-Identifier: GPL-2.0-or-later
"""Three routers on one LAN, VRID 5 at 100 ms, priorities r1 250 > r2 200 > r3 150: election,
then successive failures of the Master (SIGKILL, then SIGTERM) and the recovery by preemption."""

import sys

import pytest

from vrrptest import timing
import vrrptopo as vt

pytestmark = [pytest.mark.vrrpd]

VRID = 5
INTERVAL = 100
PRIO = {"r1": 250, "r2": 200, "r3": 150}


def setup_module(mod):
    vt.setup_lan(mod, ["r1", "r2", "r3"])


def teardown_module(mod):
    vt.teardown_lan()


def transitions(router):
    return vt.vr_json(router, VRID)["v4"]["stats"]["transitions"]


def test_vrrp_three_election(tgen):
    "The highest priority wins; both Backups learn the Master's 100 ms interval."
    vt.routers_running(tgen)
    vt.expect_states(tgen, [VRID], {"r1": "Master", "r2": "Backup", "r3": "Backup"})
    for name in ("r2", "r3"):
        vt.expect_vrrp(tgen.gears[name], [{"vrid": VRID, "v4": {
            "masterAdverInterval": INTERVAL, "effectivePriority": PRIO[name],
            "masterDownInterval": timing.master_down_ms(PRIO[name], INTERVAL)}}], 5)


def test_vrrp_three_successive_failures(tgen):
    """r1's vrrpd dies (SIGKILL): r2, the next highest, takes over and r3 never leaves Backup.
    Then r2's vrrpd stops (SIGTERM): r3 takes over."""
    vt.routers_running(tgen)
    r1, r2, r3 = (tgen.gears[n] for n in ("r1", "r2", "r3"))
    vt.expect_states(tgen, [VRID], {"r1": "Master", "r2": "Backup", "r3": "Backup"})
    r3_transitions = transitions(r3)

    vt.kill_vrrpd(r1)
    vt.expect_vrrp(r2, [{"vrid": VRID, "v4": {"status": "Master"}}], 5, "r2 takes over")
    vt.expect_vrrp(r3, [{"vrid": VRID, "v4": {"status": "Backup",
                                               "masterAdverInterval": INTERVAL}}], 5)
    assert transitions(r3) == r3_transitions, "r3 changed state while r2 should take over"

    vt.stop_vrrpd(r2)
    vt.expect_vrrp(r3, [{"vrid": VRID, "v4": {"status": "Master"}}], 5, "r3 takes over")
    mvl = vt.macvlans(r3)[vt.autoname(r3, "v4", VRID)]
    assert not mvl.get("proto_down", False), "r3 is Master but its macvlan is in protodown"


def test_vrrp_three_recovery(tgen):
    """r2 comes back and preempts r3; r1 comes back (after its SIGKILL: it reuses its macvlan,
    no second one) and preempts r2. Both Backups end with their macvlan in protodown."""
    r1, r2, r3 = (tgen.gears[n] for n in ("r1", "r2", "r3"))
    # The state test_vrrp_three_successive_failures ends in (made here when run alone).
    if vt.vrrpd_pid(r1):
        # Alone: r1 must have made its macvlan for the reuse check below to mean something.
        vt.expect_vrrp(r1, [{"vrid": VRID, "v4": {"status": "Master"}}], 10, "r1 Master")
        vt.kill_vrrpd(r1)
    if vt.vrrpd_pid(r2):
        vt.stop_vrrpd(r2)
    vt.expect_vrrp(r3, [{"vrid": VRID, "v4": {"status": "Master"}}], 5, "r3 Master")
    vt.start_vrrpd(r2)
    vt.expect_states(tgen, [VRID], {"r2": "Master", "r3": "Backup"})
    vt.start_vrrpd(r1)
    vt.routers_running(tgen)
    vt.expect_states(tgen, [VRID], {"r1": "Master", "r2": "Backup", "r3": "Backup"})
    for name, down in (("r1", False), ("r2", True), ("r3", True)):
        router = tgen.gears[name]
        mvls = vt.macvlans(router)
        assert list(mvls) == [vt.autoname(router, "v4", VRID)], (name, list(mvls))
        ok, _ = vt.topotest.run_and_expect(
            lambda: list(vt.macvlans(router).values())[0].get("proto_down", False), down,
            count=20, wait=vt.POLL)
        assert ok, "{}: macvlan protodown should be {}".format(name, down)


if __name__ == "__main__":
    sys.exit(pytest.main(["-s"] + sys.argv[1:]))
