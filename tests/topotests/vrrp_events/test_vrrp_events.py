# SPDX-License-Identifier: GPL-2.0-or-later
"""Restarts and link events, r1 (priority 200) and r2 (100), VRID 5 at 100 ms:
zebra restarts on the Master and on the Backup (and a failover while zebra restarts),
vrrpd restart of the Master after SIGKILL, the parent interface going down
(administratively, and by carrier loss) and up again."""

import sys

import pytest

import vrrptopo as vt

pytestmark = [pytest.mark.vrrpd]

VRID = 5


def setup_module(mod):
    vt.setup_lan(mod, ["r1", "r2"])


def teardown_module(mod):
    vt.teardown_lan()


def protodown(router):
    link = vt.macvlans(router).get(vt.autoname(router, "v4", VRID), {})
    return link.get("proto_down", False)


def transitions(router):
    return vt.vr_json(router, VRID)["v4"]["stats"]["transitions"]


def expect_protodown(router, want, timeout=5.0):
    ok, _ = vt.topotest.run_and_expect(lambda: protodown(router), want,
                                       count=int(timeout / vt.POLL), wait=vt.POLL)
    assert ok, "{}: macvlan protodown is not {} after {:g}s".format(router.name, want, timeout)


def zebra_has_vrrpd(router):
    return "vrrp" in router.vtysh_cmd("show zebra client summary", daemon="zebra")


def restart_zebra(router, wait=True):
    """SIGKILL zebra and start it again, through the framework (staticd and vrrpd stay).
    With wait, return once vrrpd has reconnected (libfrr retries after about 8 s)."""
    vt.signal_daemon(router, "zebra", "KILL")
    router.startDaemons(["zebra"])
    if wait:
        wait_zebra_client(router)


def wait_zebra_client(router):
    ok, _ = vt.topotest.run_and_expect(lambda: zebra_has_vrrpd(router), True, count=150,
                                       wait=vt.POLL)
    assert ok, "{}: vrrpd did not reconnect to the restarted zebra".format(router.name)


def settled(tgen):
    "Start point of each test, whatever an earlier one left: everything up, r1 Master."
    r1 = tgen.gears["r1"]
    r1.link_enable("r1-eth0", enabled=True)
    r1.peer_link_enable("r1-eth0", enabled=True)
    vt.ensure_vrrpd(tgen)
    vt.routers_running(tgen)
    vt.expect_states(tgen, [VRID], {"r1": "Master", "r2": "Backup"})
    expect_protodown(tgen.gears["r1"], False)
    expect_protodown(tgen.gears["r2"], True)


def test_vrrp_zebra_restart_on_master(tgen):
    """zebra restarts under the Master: vrrpd keeps running and reconnects, neither router
    changes state meanwhile (transition counters), r1's macvlan is not in protodown after."""
    settled(tgen)
    r1, r2 = tgen.gears["r1"], tgen.gears["r2"]
    before = {r.name: transitions(r) for r in (r1, r2)}
    restart_zebra(r1)
    vt.routers_running(tgen)
    vt.expect_vrrp(r1, [{"vrid": VRID, "v4": {"status": "Master"}}], 5)
    vt.expect_vrrp(r2, [{"vrid": VRID, "v4": {"status": "Backup"}}], 5)
    after = {r.name: transitions(r) for r in (r1, r2)}
    assert after == before, ("state changes during zebra's restart: {} -> {} (protodown on "
                             "the Master r1's macvlan: {})".format(before, after, protodown(r1)))
    expect_protodown(r1, False)


def test_vrrp_zebra_restart_on_backup(tgen):
    """zebra restarts under the Backup: r2 stays Backup throughout, and its macvlan is in
    protodown once vrrpd has reconnected, so it does not answer for the VIP."""
    settled(tgen)
    r2 = tgen.gears["r2"]
    before = transitions(r2)
    restart_zebra(r2)
    vt.routers_running(tgen)
    vt.expect_vrrp(r2, [{"vrid": VRID, "v4": {"status": "Backup"}}], 5)
    assert transitions(r2) == before, (
        "r2 changed state during zebra's restart: transitions {} -> {} (protodown on the "
        "Master r1's macvlan: {})".format(before, transitions(r2), protodown(tgen.gears["r1"])))
    expect_protodown(r2, True)


def test_vrrp_failover_during_zebra_restart(tgen):
    """zebra restarts under the Backup and the Master's vrrpd dies before vrrpd has
    reconnected: r2 becomes Master while zebra cannot take its protodown request. Once vrrpd
    is reconnected, r2's macvlan must not stay in protodown (it would black-hole the VIP)."""
    settled(tgen)
    r1, r2 = tgen.gears["r1"], tgen.gears["r2"]
    restart_zebra(r2, wait=False)
    vt.kill_vrrpd(r1)
    vt.expect_vrrp(r2, [{"vrid": VRID, "v4": {"status": "Master"}}], 5, "r2 takes over")
    wait_zebra_client(r2)
    expect_protodown(r2, False)


def test_vrrpd_restart_on_master(tgen):
    """SIGKILL r1's vrrpd: r2 takes over; r1's vrrpd starts again, reuses the macvlan left
    behind (no second one) and preempts back; r2's macvlan returns to protodown."""
    settled(tgen)
    r1, r2 = tgen.gears["r1"], tgen.gears["r2"]
    mvl = vt.autoname(r1, "v4", VRID)
    vt.kill_vrrpd(r1)
    vt.expect_vrrp(r2, [{"vrid": VRID, "v4": {"status": "Master"}}], 5, "r2 takes over")
    expect_protodown(r2, False)
    vt.start_vrrpd(r1)
    vt.expect_vrrp(r1, [{"vrid": VRID, "v4": {"status": "Master", "interface": mvl}}], 5,
                   "r1 preempts back")
    vt.expect_vrrp(r2, [{"vrid": VRID, "v4": {"status": "Backup"}}], 5)
    assert list(vt.macvlans(r1)) == [mvl], sorted(vt.macvlans(r1))
    expect_protodown(r2, True)


def test_vrrp_interface_admin_down_up(tgen):
    """`ip link set r1-eth0 down`: r1's instance goes to Initialize and says the interface is
    down; r2 takes over. Up again: r1 runs the election again and preempts back."""
    settled(tgen)
    r1, r2 = tgen.gears["r1"], tgen.gears["r2"]
    r1.link_enable("r1-eth0", enabled=False)
    vt.expect_vrrp(r1, [{"vrid": VRID, "v4": {"status": "Initialize"}}], 5, "r1 Initialize")
    reason = vt.vr_json(r1, VRID)["v4"].get("notRunningReason")
    vt.expect_vrrp(r2, [{"vrid": VRID, "v4": {"status": "Master"}}], 5, "r2 takes over")
    r1.link_enable("r1-eth0", enabled=True)
    vt.expect_vrrp(r1, [{"vrid": VRID, "v4": {"status": "Master"}}], 5, "r1 back as Master")
    vt.expect_vrrp(r2, [{"vrid": VRID, "v4": {"status": "Backup"}}], 5)
    assert reason == "interface r1-eth0 is down", "notRunningReason while down: %r" % reason
    assert vt.vr_json(r1, VRID)["v4"].get("notRunningReason") == "", "reason kept after up"


def test_vrrp_interface_carrier_loss(tgen):
    """The switch port of r1 goes down (r1-eth0 loses carrier, stays admin up): same as an
    interface down; carrier back: r1 preempts back."""
    settled(tgen)
    r1, r2 = tgen.gears["r1"], tgen.gears["r2"]
    r1.peer_link_enable("r1-eth0", enabled=False)
    vt.expect_vrrp(r1, [{"vrid": VRID, "v4": {"status": "Initialize"}}], 5, "r1 Initialize")
    reason = vt.vr_json(r1, VRID)["v4"].get("notRunningReason")
    vt.expect_vrrp(r2, [{"vrid": VRID, "v4": {"status": "Master"}}], 5, "r2 takes over")
    r1.peer_link_enable("r1-eth0", enabled=True)
    vt.expect_vrrp(r1, [{"vrid": VRID, "v4": {"status": "Master"}}], 5, "r1 back as Master")
    vt.expect_vrrp(r2, [{"vrid": VRID, "v4": {"status": "Backup"}}], 5)
    assert reason == "interface r1-eth0 is down", "notRunningReason while down: %r" % reason
    assert vt.vr_json(r1, VRID)["v4"].get("notRunningReason") == "", "reason kept after up"


if __name__ == "__main__":
    sys.exit(pytest.main(["-s"] + sys.argv[1:]))
