# SPDX-License-Identifier: GPL-2.0-or-later
"""Our vrrpd (dev1) against keepalived 2.2.7 with unicast_peer, on a LAN that carries no
multicast (every bridge port mcast_flood off; test_unicast.py shows that multicast does not
cross it): each names the other as its only unicast peer, keepalived with check_unicast_src
(it accepts only its peers), both winner orders, VRRPv3 over IPv4 and IPv6; and keepalived
with old_unicast_checksum (IPv4: the multicast group in the pseudo-header), which ours
accepts and counts. Assertions on state and counters only: the roles both sides report, held for several
intervals; ours counts the Master's advertisements on its peer and drops nothing; keepalived
logs nothing invalid."""

from __future__ import annotations

import re

import pytest

from vrrptest import vrrpnet
from vrrptest.peers import keepalived_conf
from vrrptest.timing import master_down_ms
from vrrptest.vrrpnet import (SEED, UNICAST_LL, VIP4, VIP6_GLOBAL, VIP6_LL, VRID, holds_for,
                              net, seed_lines, unicast_peer_lines, wait_until)

assert net  # imported for pytest: the `net` fixture, used by name

WIN, LOSE = 210, 200
INTERVAL = 500  # ms, sub-second on both sides (keepalived: fractional advert_int)
KA_ROLE = {"MASTER": "Master", "BACKUP": "Backup", "FAULT": "Fault", "STOP": "Stop"}

CASES = [
    # (id, family, winner, keepalived sends the old unicast checksum)
    ("v3-ipv4-ours-wins", "v4", "ours", False),
    ("v3-ipv4-peer-wins", "v4", "peer", False),
    ("v3-ipv6-ours-wins", "v6", "ours", False),
    ("v3-ipv6-peer-wins", "v6", "peer", False),
    # IPv4 only: keepalived 2.2.7 with old_unicast_checksum over IPv6 sends checksums that
    # verify with the real destination (observed: ours counted none as old), the kernel
    # computing them for its IPv6 socket.
    ("v3-ipv4-old-checksum-peer-wins", "v4", "peer", True),
]


def invalid_lines(ka) -> list[str]:
    return [ln for ln in ka.log_text(100000).splitlines() if re.search(r"[Ii]nvalid", ln)]


@pytest.mark.parametrize("family,winner,old", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_unicast_with_keepalived(lab, net, keepalived, vtysh_bin, family, winner, old):
    p_ours, p_ka = (WIN, LOSE) if winner == "ours" else (LOSE, WIN)
    ours = net.node("dev1")
    ns = lab.namespace()
    net.switch.attach(ns, "eth1", [SEED["dev2"]["v4"]])
    ns.ip("addr", "add", SEED["dev2"]["v6"], "dev", "eth1", "nodad")
    ll_ours, ll_ka = UNICAST_LL["dev1"], UNICAST_LL["dev2"]
    vrrpnet.fixed_link_local(ours.ns, ll_ours)
    vrrpnet.fixed_link_local(ns, ll_ka)
    net.switch.block_multicast()
    if family == "v4":
        a_ours, a_ka = ours.addr4, SEED["dev2"]["v4"].split("/")[0]
    else:
        a_ours, a_ka = ll_ours, ll_ka
        # no neighbour discovery on this LAN: each side is told the other's MAC
        ours.pin_neighbour(a_ka, vrrpnet.mac_of(ns))
        vrrpnet.pin_neighbour(ns, a_ours, ours.mac())

    ours.configure(seed_lines((family,), prio=p_ours, interval=INTERVAL)
                   + unicast_peer_lines([a_ka])[1:], binary=vtysh_bin)
    wait_until(lambda: ours.status(family) in ("Backup", "Master"), 10, "ours running")
    ka = keepalived(ns)
    vips = [f"{VIP4}/24"] if family == "v4" else [f"{VIP6_LL}/64", f"{VIP6_GLOBAL}/64"]
    ka.start(keepalived_conf(vrid=VRID, priority=p_ka, version=3, advert_int=INTERVAL / 1000,
                             vips=vips, notify=ka.notify, unicast_peers=[a_ours],
                             unicast_src_ip=a_ka, old_unicast_checksum=old))

    expect = ("Master", "Backup") if winner == "ours" else ("Backup", "Master")

    def roles():
        r = (ours.status(family), KA_ROLE.get(ka.state(), ka.state()))
        return r if r == expect else None
    # Without unicast neither would hear the other and both would stay Master.
    try:
        wait_until(roles, master_down_ms(LOSE, INTERVAL) / 1000 + 5,
                   f"ours {expect[0]}, keepalived {expect[1]}")
    except AssertionError as e:
        v = ours.vr()[family]
        raise AssertionError(f"{e}\nours: {v['status']}, rxDrops "
                             f"{ {k: c for k, c in v['rxDrops'].items() if c} }, interface "
                             f"{ {k: c for k, c in v['interfaceRxDrops'].items() if c} }, "
                             f"peers {v.get('unicastPeers')}\nkeepalived: {ka.state()}\n"
                             f"{ka.log_text(30)}") from None
    v0, bad0 = ours.vr()[family], invalid_lines(ka)
    ok, seen = holds_for(lambda: (ours.status(family), KA_ROLE.get(ka.state())) == expect,
                         4 * INTERVAL / 1000)
    assert ok, f"roles changed: {seen}"
    v = ours.vr()[family]

    assert [p["address"] for p in v["unicastPeers"]] == [a_ka], v["unicastPeers"]
    drops = {k: c for k, c in v["rxDrops"].items() if c}
    assert drops == {}, drops
    if old:
        # keepalived in old-checksum mode refuses the correct checksum, which ours sends: only
        # while ours was Master (at the start, before keepalived won), never since.
        bad = invalid_lines(ka)
        assert bad == bad0 and all("Invalid VRRPv3 checksum" in ln for ln in bad), bad
    else:
        assert invalid_lines(ka) == [], invalid_lines(ka)
    if winner == "peer":
        # 4 intervals passed between the two reads: at least 3 advertisements each way.
        got = v["unicastPeers"][0]["adverRx"] - v0["unicastPeers"][0]["adverRx"]
        assert got >= 3, (v0, v)
        assert v["stats"]["adverRx"] == v["unicastPeers"][0]["adverRx"], v
        assert v["rxChecksumOldUnicast"] == (v["stats"]["adverRx"] if old else 0), v
    else:
        assert v["stats"]["adverTx"] - v0["stats"]["adverTx"] >= 3, (v0, v)
