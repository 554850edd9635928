# SPDX-License-Identifier: GPL-2.0-or-later
"""The seed scenario: r1 (10.10.10.15, priority 210) and r2 (10.10.10.10, default priority 100)
share VIP 10.10.10.16 on VRID 5 at the default 1000 ms; a host h1 on the same LAN.
Covers election, the `show vrrp json` fields (stock's and ours), the autocreated macvlans, ARP
for the VIP as seen from a host, and the `vrrp 5 shutdown` handover."""

import sys
import time

import pytest

from vrrptest import timing
from vrrptest.macvlan import vmac
import vrrptopo as vt

pytestmark = [pytest.mark.vrrpd]

VRID = 5
VIP = "10.10.10.16"
ADDR = {"r1": "10.10.10.15", "r2": "10.10.10.10"}
PRIO = {"r1": 210, "r2": 100}
INTERVAL = 1000
# A Master's gratuitous ARPs at the built-in policy: 2 at the takeover and 2 more 5 s later,
# then none (refresh off); stock sends 1.
GARP_TOTAL = 4


def setup_module(mod):
    vt.setup_lan(mod, ["r1", "r2"], hosts=[("h1", "10.10.10.100/24")])


def teardown_module(mod):
    vt.teardown_lan()


def expected_vr(name, role):
    """Stock 8.4.4's `show vrrp json` object for the seed VR, all its keys with their values
    (but garpTx: ours sends GARP_TOTAL where stock sends 1)."""
    prio = PRIO[name]
    master = role == "Master"
    return {
        "vrid": VRID, "version": 3, "autoconfigured": False, "shutdown": False,
        "preemptMode": True, "acceptMode": True, "interface": "{}-eth0".format(name),
        "advertisementInterval": INTERVAL,
        "v4": {
            "vmac": vmac("v4", VRID), "status": role, "effectivePriority": prio,
            "masterAdverInterval": INTERVAL, "skewTime": timing.skew_ms(prio, INTERVAL),
            "masterDownInterval": timing.master_down_ms(prio, INTERVAL), "addresses": [VIP],
            "primaryAddress": "*",
            "stats": {"adverTx": "*", "adverRx": "*", "garpTx": GARP_TOTAL if master else 0,
                      "transitions": 2 if master else 1},
        },
        "v6": {"status": "Initialize", "addresses": [], "interface": "", "primaryAddress": "::",
               "vmac": vmac("v6", VRID), "effectivePriority": prio,
               "masterAdverInterval": 0, "skewTime": 0, "masterDownInterval": 0,
               "stats": {"adverTx": 0, "adverRx": 0, "neighborAdverTx": 0, "transitions": 0}},
    }


def test_vrrp_election(tgen):
    "r1 (210) becomes Master, r2 (100) Backup, after r1's Master_Down_Interval."
    vt.routers_running(tgen)
    vt.expect_states(tgen, [VRID], {"r1": "Master", "r2": "Backup"}, timeout=15)


def test_vrrp_json_fields(tgen):
    "Every key stock 8.4.4 shows in `show vrrp json`, with the seed's values."
    vt.routers_running(tgen)
    for name, role in (("r1", "Master"), ("r2", "Backup")):
        router = tgen.gears[name]
        want = expected_vr(name, role)
        want["v4"]["interface"] = vt.autoname(router, "v4", VRID)
        # Up to 5 s for the Master's second burst of gratuitous ARPs, then as before.
        vt.expect_vrrp(router, [want], 10, "seed JSON as " + role)
        vr = vt.vr_json(router, VRID)
        assert vr["v4"]["primaryAddress"] in ((ADDR[name],) if role == "Master"
                                              else ("", ADDR[name])), vr["v4"]
        stats = vr["v4"]["stats"]
        if role == "Master":
            assert stats["adverTx"] > 0 and stats["adverRx"] == 0, stats
        else:
            assert stats["adverTx"] == 0 and stats["adverRx"] > 0, stats


def test_vrrp_json_extension_fields(tgen):
    """Our additions per family: `notRunningReason` (empty while IPv4 runs, a reason for the
    IPv6 family without addresses), `rxDrops` and `interfaceRxDrops` (all zero here)."""
    vt.routers_running(tgen)
    vt.expect_states(tgen, [VRID], {"r1": "Master", "r2": "Backup"}, timeout=15)
    for name in ("r1", "r2"):
        vr = vt.vr_json(tgen.gears[name], VRID)
        assert vr is not None, "{}: VRID {} missing".format(name, VRID)
        assert vr["v4"].get("notRunningReason") == "", vr["v4"]
        assert vr["v6"].get("notRunningReason"), "v6 has no addresses: a reason is expected"
        for key in ("rxDrops", "interfaceRxDrops"):
            drops = vr["v4"].get(key)
            assert isinstance(drops, dict) and drops, "{}: v4.{} = {!r}".format(name, key, drops)
            assert not any(drops.values()), "{}: v4.{} = {}".format(name, key, drops)


def test_vrrp_autocreated_macvlans(tgen):
    """Each router has exactly one macvlan on its LAN interface, made by vrrpd:
    vrrp4-<ifindex>-5, the virtual MAC, the VIP with the parent's prefix length, marked by its
    ifalias; the Backup's is in protodown, the Master's is not."""
    vt.routers_running(tgen)
    vt.expect_states(tgen, [VRID], {"r1": "Master", "r2": "Backup"}, timeout=15)
    for name, master in (("r1", True), ("r2", False)):
        router = tgen.gears[name]
        mvls = vt.macvlans(router)
        want = vt.autoname(router, "v4", VRID)
        assert list(mvls) == [want], "{}: macvlans {}".format(name, list(mvls))
        mvl = mvls[want]
        assert mvl["address"] == vmac("v4", VRID), mvl
        assert mvl["linkinfo"]["info_data"]["mode"] == "bridge", mvl
        assert "UP" in mvl["flags"], mvl
        assert mvl.get("ifalias") == "vrrpd:{}-eth0:{}:4".format(name, VRID), mvl
        assert vt.addrs(router, want) == [VIP], vt.addrs(router, want)
        assert router.cmd("ip -o addr show dev {}".format(want)).count(VIP + "/24") == 1
        assert mvl.get("proto_down", False) is (not master), \
            "{}: protodown {} on the {}'s macvlan".format(
                name, mvl.get("proto_down", False), "Master" if master else "Backup")


def test_vrrp_vip_answers_with_virtual_mac(tgen):
    """Only the Master answers ARP for the VIP, and with the virtual MAC (README: the Backup's
    macvlan in protodown "neither answers ARP/ND for the virtual addresses nor takes traffic
    for them"). h1 sends one ARP request and collects every reply for 0.5 s. The routers keep
    Linux's default arp_ignore=0 (the framework sets it explicitly)."""
    vt.routers_running(tgen)
    vt.expect_states(tgen, [VRID], {"r1": "Master", "r2": "Backup"}, timeout=15)
    h1 = tgen.gears["h1"]
    macs = {n: [(ln["ifname"], ln["address"]) for ln in vt.links(tgen.gears[n])]
            for n in ("r1", "r2")}
    replies = vt.arp_replies(h1, "h1-eth0", "10.10.10.100", VIP)
    assert replies == [vmac("v4", VRID)], (
        "ARP replies for {}: {} (expected only the virtual MAC); router MACs: {}".format(
            VIP, replies, macs))


def test_vrrp_shutdown_handover(tgen):
    """`vrrp 5 shutdown` on the Master: it sends priority 0, so r2 takes over after its
    Skew_Time (600 ms), well before a Master_Down_Interval (3600 ms) could expire; `no vrrp 5
    shutdown` makes r1 preempt back."""
    vt.routers_running(tgen)
    r1, r2 = tgen.gears["r1"], tgen.gears["r2"]
    vt.expect_states(tgen, [VRID], {"r1": "Master", "r2": "Backup"})
    start = time.monotonic()
    vt.configure(r1, ["interface r1-eth0", "vrrp 5 shutdown"])
    vt.expect_vrrp(r2, [{"vrid": VRID, "v4": {"status": "Master"}}], 10, "r2 Master")
    took = time.monotonic() - start
    limit = 3 * INTERVAL / 1000.0
    assert took < limit, ("r2 took over after {:.2f}s: that is a Master_Down timeout, not the "
                          "priority-0 handover (expected < {:g}s)".format(took, limit))
    vt.expect_vrrp(r1, [{"vrid": VRID, "shutdown": True, "v4": {"status": "Initialize"}}], 5,
                   "r1 shut down")
    reason = vt.vr_json(r1, VRID)["v4"].get("notRunningReason")
    mvl2 = vt.macvlans(r2)[vt.autoname(r2, "v4", VRID)]
    assert not mvl2.get("proto_down", False), "r2 is Master but its macvlan is in protodown"

    vt.configure(r1, ["interface r1-eth0", "no vrrp 5 shutdown"])
    vt.expect_vrrp(r1, [{"vrid": VRID, "shutdown": False, "v4": {"status": "Master"}}], 10,
                   "r1 preempts back")
    vt.expect_vrrp(r2, [{"vrid": VRID, "v4": {"status": "Backup"}}], 5, "r2 back to Backup")
    assert reason == "administratively shut down", "r1's notRunningReason: {!r}".format(reason)


if __name__ == "__main__":
    sys.exit(pytest.main(["-s"] + sys.argv[1:]))
