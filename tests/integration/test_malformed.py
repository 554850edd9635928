# SPDX-License-Identifier: GPL-2.0-or-later
"""Malformed advertisements of every drop class: no state change, daemon up, counted by reason."""

import time
from dataclasses import dataclass
from typing import Callable

import pytest

from vrrptest import vrrplab
from vrrptest.macvlan import vmac
from vrrptest.packets import ipv4_frame, ipv6_frame, vrrp_message
from vrrptest.vrrpnet import (VIP4, VIP6_GLOBAL, VIP6_LL, net, seed_lines, seed_pair, vrrp_lines,
                              wait_roles, wait_until)

assert net  # imported for pytest: the `net` fixture, used by name

IMPLS = {"ours": vrrplab.default_vrrpd_bin(), "stock": vrrplab.STOCK_VRRPD}
P1, P2 = 210, 200
INTERVAL = 500          # VRRPv3 VR 5 (IPv4 + IPv6): short, to keep the rounds quick
V2_VRID, V2_VIP = 6, "10.10.10.26"   # VRRPv2 VR 6 (IPv4 only, 1 s: v2 has whole seconds)
UNKNOWN_VRID = 77

# How long a round watches the states after its two packets: beyond the Backup's Skew_Time
# (100 ms for VR 5 at 500 ms, 210 ms for the v2 VR) plus a margin of ~200 ms, so that a
# priority-0 packet the Backup wrongly accepted has turned it into Master by then.
WATCH = {5: 0.30, V2_VRID: 0.45}


@dataclass
class Peer:
    """Addresses of the namespace a crafted packet is sent from."""
    mac: str
    addr4: str
    ll6: str


def v3v4(peer, prio, *, ttl=255, cut=None, **kw):
    kw.setdefault("vrid", 5)
    kw.setdefault("addrs", (VIP4,))
    kw.setdefault("interval_cs", INTERVAL // 10)
    m = vrrp_message("v4", prio=prio, src=peer.addr4, **kw)
    return ipv4_frame(peer.mac, peer.addr4, m[:cut] if cut else m, ttl=ttl)


def v2v4(peer, prio, **kw):
    kw.setdefault("vrid", V2_VRID)
    kw.setdefault("addrs", (V2_VIP,))
    kw.setdefault("adver_int", 1)
    m = vrrp_message("v4", version=2, prio=prio, src=peer.addr4, **kw)
    return ipv4_frame(peer.mac, peer.addr4, m)


def v3v6(peer, prio, *, hlim=255, cut=None, **kw):
    kw.setdefault("vrid", 5)
    kw.setdefault("addrs", (VIP6_LL, VIP6_GLOBAL))
    kw.setdefault("interval_cs", INTERVAL // 10)
    m = vrrp_message("v6", prio=prio, src=peer.ll6, **kw)
    return ipv6_frame(peer.mac, peer.ll6, m[:cut] if cut else m, hlim=hlim)


@dataclass
class Case:
    name: str
    family: str                 # "v4" / "v6"
    vrid: int                   # the VR the packet is aimed at (sync on its advertisements)
    where: str                  # "vr": rxDrops of that VR; "if": interfaceRxDrops
    reason: str                 # the reason key in our show vrrp json
    build: Callable[[Peer, int], bytes]


CASES = [
    # VRRPv3 over IPv4, VR 5
    Case("v4-ttl-254", "v4", 5, "vr", "badTtl", lambda p, pr: v3v4(p, pr, ttl=254)),
    Case("v4-version-4", "v4", 5, "vr", "badVersion", lambda p, pr: v3v4(p, pr, version=4)),
    Case("v4-type-2", "v4", 5, "vr", "badType", lambda p, pr: v3v4(p, pr, type_=2)),
    Case("v4-unknown-vrid", "v4", 5, "if", "unknownVrid",
         lambda p, pr: v3v4(p, pr, vrid=UNKNOWN_VRID)),
    Case("v4-addr-count-0", "v4", 5, "vr", "zeroAddrCount",
         lambda p, pr: v3v4(p, pr, addrs=(), naddr=0)),
    Case("v4-count-1-two-addrs", "v4", 5, "vr", "badLength",
         lambda p, pr: v3v4(p, pr, addrs=(VIP4, "10.10.10.17"), naddr=1)),
    Case("v4-count-2-one-addr", "v4", 5, "vr", "badLength",
         lambda p, pr: v3v4(p, pr, naddr=2)),
    Case("v4-bad-checksum", "v4", 5, "vr", "badChecksum",
         lambda p, pr: v3v4(p, pr, checksum="bad")),
    Case("v4-truncated-6-bytes", "v4", 5, "if", "truncated", lambda p, pr: v3v4(p, pr, cut=6)),
    Case("v4-v2-packet-to-v3-vr", "v4", 5, "vr", "versionMismatch",
         lambda p, pr: v2v4(p, pr, vrid=5, addrs=(VIP4,))),
    # VRRPv2, VR 6
    Case("v2-auth-type-1", "v4", V2_VRID, "vr", "badAuthType",
         lambda p, pr: v2v4(p, pr, auth_type=1, auth_data=b"secret\0\0")),
    Case("v2-interval-0", "v4", V2_VRID, "vr", "badInterval",
         lambda p, pr: v2v4(p, pr, adver_int=0)),
    Case("v2-interval-2s", "v4", V2_VRID, "vr", "intervalMismatch",
         lambda p, pr: v2v4(p, pr, adver_int=2)),
    Case("v2-bad-checksum", "v4", V2_VRID, "vr", "badChecksum",
         lambda p, pr: v2v4(p, pr, checksum="bad")),
    Case("v2-v3-packet-to-v2-vr", "v4", V2_VRID, "vr", "versionMismatch",
         lambda p, pr: v3v4(p, pr, vrid=V2_VRID, addrs=(V2_VIP,), interval_cs=100)),
    # VRRPv3 over IPv6, VR 5
    Case("v6-hop-limit-254", "v6", 5, "vr", "badTtl", lambda p, pr: v3v6(p, pr, hlim=254)),
    Case("v6-version-4", "v6", 5, "vr", "badVersion", lambda p, pr: v3v6(p, pr, version=4)),
    Case("v6-version-2", "v6", 5, "vr", "badVersion",
         lambda p, pr: ipv6_frame(p.mac, p.ll6, vrrp_message(
             "v6", version=2, vrid=5, prio=pr, src=p.ll6, addrs=(VIP6_LL, VIP6_GLOBAL)))),
    Case("v6-type-2", "v6", 5, "vr", "badType", lambda p, pr: v3v6(p, pr, type_=2)),
    Case("v6-unknown-vrid", "v6", 5, "if", "unknownVrid",
         lambda p, pr: v3v6(p, pr, vrid=UNKNOWN_VRID)),
    Case("v6-addr-count-0", "v6", 5, "vr", "zeroAddrCount",
         lambda p, pr: v3v6(p, pr, addrs=(), naddr=0)),
    Case("v6-count-1-two-addrs", "v6", 5, "vr", "badLength",
         lambda p, pr: v3v6(p, pr, naddr=1)),
    Case("v6-bad-checksum", "v6", 5, "vr", "badChecksum",
         lambda p, pr: v3v6(p, pr, checksum="bad")),
    Case("v6-truncated-6-bytes", "v6", 5, "if", "truncated", lambda p, pr: v3v6(p, pr, cut=6)),
]

# Classes stock 8.4.4 accepts (anchors.md 1.7: "A received Max Adver Int of 0 is not
# rejected"; 1.7 / 4.1: FRR neither enforces nor checks that the first IPv6 address is
# link-local, erratum 8300).
ZERO_INTERVAL_CASES = [
    Case("v4-interval-0", "v4", 5, "vr", "badInterval", lambda p, pr: v3v4(p, pr, interval_cs=0)),
    Case("v6-interval-0", "v6", 5, "vr", "badInterval", lambda p, pr: v3v6(p, pr, interval_cs=0)),
]
FIRST_NOT_LL_CASES = [
    Case("v6-first-address-global", "v6", 5, "vr", "firstAddrNotLinkLocal",
         lambda p, pr: v3v6(p, pr, addrs=(VIP6_GLOBAL, VIP6_LL))),
]


class Bench:
    """dev1 (Master) and dev2 (Backup) running `binary`, with some of: VR 5 (VRRPv3, 500 ms)
    for IPv4 and/or IPv6, VR 6 (VRRPv2, IPv4, 1 s); a packet sender in each namespace."""

    def __init__(self, net, binary, vrs):
        self.vrs = list(vrs)
        fams5 = tuple(f for v, f in self.vrs if v == 5)
        d1, d2 = seed_pair(net, binary, binary, families=fams5, configure=False)
        if (V2_VRID, "v4") in self.vrs:
            for n in (d1, d2):
                n.make_macvlan("v4", V2_VRID, [f"{V2_VIP}/24"])
        for n, prio in ((d1, P1), (d2, P2)):
            lines = seed_lines(fams5, prio=prio, interval=INTERVAL) if fams5 else []
            if (V2_VRID, "v4") in self.vrs:
                lines += vrrp_lines(V2_VRID, prio, v4=[V2_VIP], version=2)
            n.configure(lines)
        self.d1, self.d2 = d1, d2
        self.converge()
        # the link-local is only known once DAD is done: not waited for without IPv6
        v6 = any(f == "v6" for _, f in self.vrs)
        self.peer = {n.label: Peer(n.mac(), n.addr4, n.link_local() if v6 else None)
                     for n in (d1, d2)}
        self.tx = {"dev1": net.sender(d1), "dev2": net.sender(d2)}

    def converge(self, timeout=8.0):
        for vrid in sorted({v for v, _ in self.vrs}):
            fams = tuple(f for v, f in self.vrs if v == vrid)
            wait_roles(self.d1, self.d2, fams, vrid, timeout=timeout)

    def snapshot(self):
        """{(router, vrid, family): (status, transitions)} and the drop counters
        {(router, vrid, family, kind, reason): count} of both routers."""
        states, drops = {}, {}
        for n in (self.d1, self.d2):
            for vr in n.show_json():
                for fam in ("v4", "v6"):
                    af = vr[fam]
                    key = (n.label, vr["vrid"], fam)
                    if (vr["vrid"], fam) in self.vrs:
                        states[key] = (af["status"], af["stats"]["transitions"])
                    for kind in ("rxDrops", "interfaceRxDrops"):
                        for reason, c in (af.get(kind) or {}).items():
                            drops[key + (kind, reason)] = c
        return states, drops

    def dead(self):
        return [n.label for n in (self.d1, self.d2) if not n.vrrpd.alive()]

    def inject(self, case, prio_backup=0, prio_master=254):
        """The Backup-directed variant (priority 0: if accepted, the Backup becomes Master
        after its Skew_Time) is sent from dev1's namespace right after one of dev1's
        advertisements for the target VR, so no genuine advertisement can reset the Backup's
        timer before Skew_Time; the Master-directed variant (priority 254: if accepted, the
        Master becomes Backup at once) from dev2's namespace."""
        self.tx["dev1"].send([case.build(self.peer["dev1"], prio_backup)],
                             after_advert_from=vmac(case.family, case.vrid))
        self.tx["dev2"].send([case.build(self.peer["dev2"], prio_master)])


def expected_drop_delta(bench, case):
    """The counter changes one round must cause in our vrrpd, as (required, optional):
    required: {key: +1}; optional: keys that may show +1 (the interface counter as displayed
    in a VR whose family is not running)."""
    req, opt = {}, set()
    for router in ("dev1", "dev2"):
        if case.where == "vr":
            req[(router, case.vrid, case.family, "rxDrops", case.reason)] = 1
        else:
            for vrid in sorted({v for v, _ in bench.vrs}):
                key = (router, vrid, case.family, "interfaceRxDrops", case.reason)
                if (vrid, case.family) in bench.vrs:
                    req[key] = 1
                else:
                    opt.add(key)
    return req, opt


def check_drops(bench, case, drops0) -> list[str]:
    """Our vrrpd: wait (bounded) until the round's packets are counted, then the counters must
    have changed by exactly the expected +1s."""
    req, opt = expected_drop_delta(bench, case)

    def counted():
        d = bench.snapshot()[1]
        return d if all(d.get(k, 0) - drops0.get(k, 0) >= v for k, v in req.items()) else None
    try:
        drops1 = wait_until(counted, 2.0, f"{case.name}: drop counters")
    except AssertionError:
        drops1 = bench.snapshot()[1]
    delta = {k: drops1.get(k, 0) - drops0.get(k, 0) for k in set(drops0) | set(drops1)
             if drops1.get(k, 0) != drops0.get(k, 0)}
    got = {k: v for k, v in delta.items() if not (k in opt and v == 1)}
    if got != req:
        return [f"{case.name}: drop counters changed by {sorted(got.items())}, expected "
                f"{sorted(req.items())}"]
    return []


def run_round(bench, case, impl) -> list[str]:
    problems = []
    states0, drops0 = bench.snapshot()
    bench.inject(case)
    t0 = time.monotonic()
    changed = None
    while time.monotonic() - t0 < WATCH[case.vrid]:
        s = bench.snapshot()[0]
        if s != states0:
            changed = s
            break
        time.sleep(0.02)
    if impl == "ours":
        problems += check_drops(bench, case, drops0)
    if changed is None:
        s = bench.snapshot()[0]
        changed = s if s != states0 else None
    print(f"  {case.name:26s} states {'CHANGED' if changed else 'unchanged'}")
    if changed:
        diff = {k: (states0.get(k), v) for k, v in changed.items() if states0.get(k) != v}
        problems.append(f"{case.name}: state changed (before, after): {diff}")
    return problems


def run_rounds(bench, cases, impl):
    """One round per case; returns the list of problems (empty: all good)."""
    problems = []
    for case in cases:
        try:
            found = run_round(bench, case, impl)
        except AssertionError as e:     # e.g. vtysh could not reach a daemon
            found = [f"{case.name}: {e}"]
        problems += found
        dead = bench.dead()
        if dead:
            problems.append(f"{case.name}: vrrpd died on {dead}")
            print(f"  {case.name:26s} DEAD: {dead}")
            break
        if found:
            try:
                bench.converge(timeout=6)
            except AssertionError as e:
                problems.append(f"after {case.name}: no reconvergence: {e}")
                break
    return problems


def backup_control(bench, vrid, family):
    """A valid priority-0 advertisement into the Backup: it must become Master after
    Skew_Time (and Backup again at the Master's next advertisement, which an RFC 9568 Master
    sends at once when it hears the lower priority: so the transition counter is watched,
    not the state). Proves the packets of a round reach the daemon and that accepting one
    would show."""
    build = {(5, "v4"): v3v4, (5, "v6"): v3v6, (V2_VRID, "v4"): v2v4}[(vrid, family)]
    states0, drops0 = bench.snapshot()
    key = ("dev2", vrid, family)
    bench.tx["dev1"].send([build(bench.peer["dev1"], 0)], after_advert_from=vmac(family, vrid))
    wait_until(lambda: bench.snapshot()[0][key][1] > states0[key][1], 1.0,
               f"control: dev2 vrid {vrid} {family} Master after a valid priority-0 advert")
    bench.converge()
    _, drops1 = bench.snapshot()
    return drops0, drops1, build


GROUPS = {
    # the VRs of the bench, the classes sent to them
    "ipv4-v3": ([(5, "v4")], [c for c in CASES if c.name.startswith("v4-")]),
    "ipv4-v2": ([(V2_VRID, "v4")], [c for c in CASES if c.name.startswith("v2-")]),
    "ipv6-v3": ([(5, "v6")], [c for c in CASES if c.name.startswith("v6-")]),
}


def master_control(bench):
    """A valid priority-254 advertisement into the Master takes it over at once (run last)."""
    build = {(5, "v4"): v3v4, (5, "v6"): v3v6, (V2_VRID, "v4"): v2v4}
    for vrid, fam in bench.vrs:
        bench.tx["dev2"].send([build[(vrid, fam)](bench.peer["dev2"], 254)])
        wait_until(lambda: bench.d1.status(fam, vrid) == "Backup", 1.0,
                   f"control: dev1 vrid {vrid} {fam} Backup after a valid priority-254 advert")


@pytest.mark.parametrize("impl", list(IMPLS))
@pytest.mark.parametrize("group", list(GROUPS))
def test_malformed_every_class(lab, net, group, impl):
    """Every drop class, sent to the Master (priority 254) and to the Backup (priority 0):
    no state change, the daemons stay up; our vrrpd counts each packet once, by reason."""
    vrs, cases = GROUPS[group]
    bench = Bench(net, IMPLS[impl], vrs)
    problems = []
    # positive controls: valid packets through the same path are accepted (and not counted)
    for vrid, fam in bench.vrs:
        drops0, drops1, _ = backup_control(bench, vrid, fam)
        if impl == "ours" and drops0 != drops1:
            problems.append(f"control vrid {vrid} {fam}: a valid advertisement changed drop "
                            f"counters: {set(drops1.items()) ^ set(drops0.items())}")
    print(f"\n{impl} {group}: {len(cases)} classes")
    problems += run_rounds(bench, cases, impl)
    if not bench.dead():
        master_control(bench)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("impl", [
    "ours",
    pytest.param("stock", marks=pytest.mark.xfail(
        strict=True, reason="stock 8.4.4 accepts Max Adver Int 0 (anchors.md 1.7)")),
])
@pytest.mark.parametrize("case", ZERO_INTERVAL_CASES, ids=lambda c: c.name)
def test_malformed_zero_interval(lab, net, case, impl):
    """VRRPv3 Max Adver Int 0 (RFC 9568 erratum 8301)."""
    bench = Bench(net, IMPLS[impl], [(5, case.family)])
    problems = run_rounds(bench, [case], impl)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("impl", [
    "ours",
    pytest.param("stock", marks=pytest.mark.xfail(
        strict=True, reason="stock 8.4.4 does not check that the first IPv6 address is "
                            "link-local (anchors.md 1.7, 4.1: erratum 8300)")),
])
def test_malformed_ipv6_first_address_not_link_local(lab, net, impl):
    """IPv6 advertisement whose first address is global (RFC 9568 5.2.9, erratum 8300)."""
    bench = Bench(net, IMPLS[impl], [(5, "v6")])
    problems = run_rounds(bench, FIRST_NOT_LL_CASES, impl)
    assert not problems, "\n".join(problems)
