# SPDX-License-Identifier: GPL-2.0-or-later
"""VRRP on the wire between two routers running our vrrpd: election, show, timing, failover."""

import time

import pytest

from vrrptest import vrrplab
from vrrptest.capture import (CKSUM_GOOD, adverts, first_after, fmt_ms, gaps_ms, last_before,
                              period_problems)
from vrrptest.macvlan import vmac
from vrrptest.packets import BCAST_MAC, GROUP4, GROUP6
from vrrptest.timing import master_down_ms, skew_ms
from vrrptest.vrrpnet import (VIP4, VIP6_GLOBAL, VIP6_LL, VRID, lines_to_conf, net,
                              parse_show_vrrp, seed_lines, seed_pair, wait_adver_tx, wait_roles,
                              wait_until)

assert net  # imported for pytest: the `net` fixture, used by name

P1, P2 = 210, 200               # the seed's priorities: dev1 wins
# A new Master's announcements at the built-in policy (doc/configuration.rst): GARP_REPEAT
# per virtual address at the takeover and again GARP_DELAY_S later; stock sends one, once.
GARP_REPEAT, GARP_DELAY_S = 2, 5

# Timing tolerance: +-5 % of the advertisement interval (+-50 ms at the seed's 1000 ms).
# Observed jitter of capture timestamps against the theoretical values on this kind of host is
# about 1 ms (FRR's event loop timers, kernel timestamps on the bridge), so 5 % leaves a
# margin of more than 10x for a loaded CI runner, and is still far below what the checks must
# tell apart: one lost/late advertisement (a whole interval), and Skew_Time vs "at once"
# (210 ms / 100 ms at 1000 ms / 500 ms).
def tolerance_ms(interval_ms):
    return interval_ms * 0.05


# `show vrrp` labels, in stock 8.4.4's order (anchors.md 1.3).
STOCK_LABELS = [
    "Virtual Router ID", "Protocol Version", "Autoconfigured", "Shutdown", "Interface",
    "VRRP interface (v4)", "VRRP interface (v6)", "Primary IP (v4)", "Primary IP (v6)",
    "Virtual MAC (v4)", "Virtual MAC (v6)", "Status (v4)", "Status (v6)", "Priority",
    "Effective Priority (v4)", "Effective Priority (v6)", "Preempt Mode", "Accept Mode",
    "Advertisement Interval", "Master Advertisement Interval (v4) Rx",
    "Master Advertisement Interval (v6) Rx", "Advertisements Tx (v4)", "Advertisements Tx (v6)",
    "Advertisements Rx (v4)", "Advertisements Rx (v6)", "Gratuitous ARP Tx (v4)",
    "Neigh. Adverts Tx (v6)", "State transitions (v4)", "State transitions (v6)",
    "Skew Time (v4)", "Skew Time (v6)", "Master Down Interval (v4)", "Master Down Interval (v6)",
    "IPv4 Addresses", "IPv6 Addresses",
]

# `show vrrp json` keys, in stock 8.4.4's order; ours may append keys after them.
STOCK_JSON_KEYS = ["vrid", "version", "autoconfigured", "shutdown", "preemptMode", "acceptMode",
                   "interface", "advertisementInterval", "v4", "v6"]
STOCK_JSON_FAMILY_KEYS = ["interface", "vmac", "primaryAddress", "status", "effectivePriority",
                          "masterAdverInterval", "skewTime", "masterDownInterval", "stats",
                          "addresses"]
STOCK_JSON_STATS = {"v4": ["adverTx", "adverRx", "garpTx", "transitions"],
                    "v6": ["adverTx", "adverRx", "neighborAdverTx", "transitions"]}


def _any_int(v):
    return v.isdigit()


def _positive(v):
    return v.isdigit() and int(v) > 0


def _ms(n):
    """A `show vrrp` millisecond value; stock appends " (stale)" to the Rx intervals
    unconditionally (anchors.md 1.3), which is accepted but not required."""
    return lambda v: v in (f"{n} ms", f"{n} ms (stale)")


def seed_expectations(node, role, garps):
    """Every stock field of `show vrrp` for the seed VR (IPv4 only, VRRPv3, 1000 ms) on a
    router in `role`, with the values stock 8.4.4 shows in the seed scenario, but for the
    gratuitous ARPs a Master sent: `garps`, the counts the wire allows (stock's is 1)."""
    master = role == "Master"
    prio = P1 if master else P2
    mvl = node.macvlans[("v4", VRID)]
    return {
        "Virtual Router ID": "5", "Protocol Version": "3", "Autoconfigured": "No",
        "Shutdown": "No", "Interface": "eth1",
        "VRRP interface (v4)": mvl, "VRRP interface (v6)": "None",
        # stock binds the IPv4 source lazily at the first advertisement it sends, so a Backup
        # that never sent one shows nothing; the parent's first address is the bound value
        "Primary IP (v4)": node.addr4 if master else (lambda v: v in ("", node.addr4)),
        "Primary IP (v6)": "::",
        "Virtual MAC (v4)": vmac("v4", VRID), "Virtual MAC (v6)": vmac("v6", VRID),
        "Status (v4)": role, "Status (v6)": "Initialize",
        "Priority": str(prio), "Effective Priority (v4)": str(prio),
        "Effective Priority (v6)": str(prio),
        "Preempt Mode": "Yes", "Accept Mode": "Yes",
        "Advertisement Interval": "1000 ms",
        "Master Advertisement Interval (v4) Rx": _ms(1000),
        "Master Advertisement Interval (v6) Rx": _ms(0),
        "Advertisements Tx (v4)": _positive if master else "0",
        "Advertisements Tx (v6)": "0",
        "Advertisements Rx (v4)": "0" if master else _positive,
        "Advertisements Rx (v6)": "0",
        "Gratuitous ARP Tx (v4)": (lambda v: v.isdigit() and int(v) in garps) if master else "0",
        "Neigh. Adverts Tx (v6)": "0",
        # Initialize -> Backup (-> Master)
        "State transitions (v4)": "2" if master else "1",
        "State transitions (v6)": "0",
        "Skew Time (v4)": f"{skew_ms(prio)} ms", "Skew Time (v6)": "0 ms",
        "Master Down Interval (v4)": f"{master_down_ms(prio)} ms",
        "Master Down Interval (v6)": "0 ms",
        "IPv4 Addresses": "1", "IPv4 Addresses list": [VIP4],
        "IPv6 Addresses": "0", "IPv6 Addresses list": [],
    }


def check_fields(label, actual: dict, expected: dict) -> list[str]:
    bad = []
    for k, want in expected.items():
        got = actual.get(k)
        ok = want(got) if callable(want) and got is not None else got == want
        if not ok:
            exp = "" if callable(want) else f", expected {want!r}"
            bad.append(f"{label}: {k!r} = {got!r}{exp}")
    return bad


def check_json(label, vr, node, role, garps) -> list[str]:
    bad = []
    master = role == "Master"
    prio = P1 if master else P2
    keys = list(vr)
    if keys[:len(STOCK_JSON_KEYS)] != STOCK_JSON_KEYS:
        bad.append(f"{label}: json keys {keys}, stock's come first: {STOCK_JSON_KEYS}")
    for fam in ("v4", "v6"):
        fk = list(vr.get(fam, {}))
        if fk[:len(STOCK_JSON_FAMILY_KEYS)] != STOCK_JSON_FAMILY_KEYS:
            bad.append(f"{label}: json {fam} keys {fk}, stock's come first: "
                       f"{STOCK_JSON_FAMILY_KEYS}")
        sk = list(vr.get(fam, {}).get("stats", {}))
        if sk[:len(STOCK_JSON_STATS[fam])] != STOCK_JSON_STATS[fam]:
            bad.append(f"{label}: json {fam}.stats keys {sk}")
    if bad:
        return bad
    want = {"vrid": VRID, "version": 3, "autoconfigured": False, "shutdown": False,
            "preemptMode": True, "acceptMode": True, "interface": "eth1",
            "advertisementInterval": 1000}
    bad += [f"{label}: json {k} = {vr[k]!r}, expected {v!r}" for k, v in want.items()
            if vr[k] != v]
    v4, v6 = vr["v4"], vr["v6"]
    want4 = {"interface": node.macvlans[("v4", VRID)], "vmac": vmac("v4", VRID),
             "status": role, "effectivePriority": prio, "masterAdverInterval": 1000,
             "skewTime": skew_ms(prio), "masterDownInterval": master_down_ms(prio),
             "addresses": [VIP4]}
    want6 = {"interface": "", "vmac": vmac("v6", VRID), "primaryAddress": "::",
             "status": "Initialize", "effectivePriority": prio, "masterAdverInterval": 0,
             "skewTime": 0, "masterDownInterval": 0, "addresses": []}
    bad += [f"{label}: json v4.{k} = {v4[k]!r}, expected {v!r}" for k, v in want4.items()
            if v4[k] != v]
    bad += [f"{label}: json v6.{k} = {v6[k]!r}, expected {v!r}" for k, v in want6.items()
            if v6[k] != v]
    if v4["primaryAddress"] not in ((node.addr4,) if master else ("", node.addr4)):
        bad.append(f"{label}: json v4.primaryAddress = {v4['primaryAddress']!r}")
    s4, s6 = v4["stats"], v6["stats"]
    want_s4 = {"transitions": 2 if master else 1}
    bad += [f"{label}: json v4.stats.{k} = {s4[k]!r}, expected {v!r}"
            for k, v in want_s4.items() if s4[k] != v]
    if s4["garpTx"] not in (garps if master else {0}):
        bad.append(f"{label}: json v4.stats.garpTx = {s4['garpTx']}, expected one of "
                   f"{sorted(garps) if master else [0]}")
    if master and not (s4["adverTx"] > 0 and s4["adverRx"] == 0):
        bad.append(f"{label}: json v4.stats {s4}")
    if not master and not (s4["adverTx"] == 0 and s4["adverRx"] > 0):
        bad.append(f"{label}: json v4.stats {s4}")
    if any(s6.values()):
        bad.append(f"{label}: json v6.stats {s6}")
    return bad


def advert_problems(recs, *, family, version, prio, interval_ms, src=None) -> list[str]:
    """Wire format of advertisements (RFC 9568 5, RFC 3768 5; FRR 8.4.4's checksum)."""
    bad = []
    addrs = [VIP4] if family == "v4" else [VIP6_LL, VIP6_GLOBAL]
    alen = 4 if family == "v4" else 16
    length = 8 + alen * len(addrs) + (8 if version == 2 else 0)
    want_cs = interval_ms // 10 if version == 3 else (interval_ms // 1000) * 100
    for r in recs:
        want = {"src_mac": vmac(family, VRID), "dst": GROUP4 if family == "v4" else GROUP6,
                "ttl": 255, "version": version, "type": 1, "vrid": VRID, "prio": prio,
                "naddr": len(addrs), "interval_cs": want_cs, "length": length,
                "checksum_status": CKSUM_GOOD, "addrs": addrs}
        if src is not None:
            want["src"] = src
        got = {k: getattr(r, k) for k in want}
        if got != want:
            bad.append(f"advert {r}: " + ", ".join(f"{k}={got[k]!r} (want {want[k]!r})"
                                                   for k in want if got[k] != want[k]))
        # tcpdump's rendering (print-vrrp.c), as a user reading a capture sees it
        if version == 3:
            frag = f"vrid {VRID}, prio {prio}, intvl {want_cs}cs, length {length}"
        else:
            frag = (f"vrid {VRID}, prio {prio}, authtype none, intvl {want_cs // 100}s, "
                    f"length {length}")
        if f"VRRPv{version}, Advertisement, {frag}" not in r.text:
            bad.append(f"advert {r}: tcpdump shows {r.text!r}, expected {frag!r}")
        if family == "v6" and not r.src.startswith("fe80:"):
            bad.append(f"advert {r}: IPv6 source is not a link-local address")
    return bad


def announcement_problems(recs, family, t_master, who) -> list[str]:
    """The gratuitous ARP (IPv4) / unsolicited NAs (IPv6) a new Master sends with its first
    advertisement (RFC 9568 6.4.2 and errata 7947/7949): GARP_REPEAT per virtual address, from
    and for the virtual MAC, within 100 ms after that advertisement. Not before it: the daemon
    announces after it advertises, and until then the other router is Master, whose delayed
    announcement (GARP_DELAY_S after its takeover) may fall just there with the same MAC."""
    bad = []
    lo, hi = t_master, t_master + 0.100
    mac = vmac(family, VRID)
    if family == "v4":
        garps = [r for r in recs if r.kind == "arp" and r.arp_spa == VIP4 and lo <= r.t <= hi]
        if len(garps) != GARP_REPEAT:
            bad.append(f"{who}: {len(garps)} gratuitous ARPs for {VIP4} within 100 ms of its "
                       f"first advertisement at {t_master:.6f}, expected {GARP_REPEAT}")
        for g in garps:
            got = (g.src_mac, g.dst_mac, g.arp_op, g.arp_sha, g.arp_tpa)
            want = (mac, BCAST_MAC, 1, mac, VIP4)
            if got != want:
                bad.append(f"{who}: gratuitous ARP {g}: (eth src, eth dst, op, sha, tpa) = "
                           f"{got}, expected {want}")
    else:
        for vip in (VIP6_LL, VIP6_GLOBAL):
            nas = [r for r in recs if r.kind == "na" and r.na_target == vip and lo <= r.t <= hi]
            if len(nas) != GARP_REPEAT:
                bad.append(f"{who}: {len(nas)} unsolicited NAs for {vip} within 100 ms of its "
                           f"first advertisement at {t_master:.6f}, expected {GARP_REPEAT}")
            for n in nas:
                got = (n.src_mac, n.dst, n.na_flags, n.na_lladdr)
                want = (mac, "ff02::1", "R-O", mac)
                if got != want:
                    bad.append(f"{who}: NA {n}: (eth src, dst, flags, lladdr) = {got}, "
                               f"expected {want}")
    return bad


# ---------------------------------------------------------------------------------------------

def test_seed_election_show_and_wire(lab, net):
    """The seed at its own timing (1000 ms): dev1 Master, dev2 Backup; every advertisement of
    dev1 on the wire; `show vrrp` / `show vrrp json` on both; dev2's macvlan protodown."""
    d1, d2 = seed_pair(net, configure=False)
    cap = net.capture()
    t_cfg = time.time()
    d1.configure(seed_lines(prio=P1))
    d2.configure(seed_lines(prio=P2))
    wait_roles(d1, d2, timeout=master_down_ms(P2) / 1000 + 4)
    wait_adver_tx(d1, 5, timeout=8)          # four full intervals on the wire
    t_show = time.time()
    text1, text2 = d1.show_text(), d2.show_text()
    vr1, vr2 = d1.vr(), d2.vr()
    t_shown = time.time()
    pd1 = d1.protodown(d1.macvlans[("v4", VRID)])
    pd2 = d2.protodown(d2.macvlans[("v4", VRID)])
    recs = cap.stop()
    # dev1's counter equals the gratuitous ARPs on the wire when show ran: the takeover's
    # burst, about four seconds before; should the second burst (GARP_DELAY_S after the
    # takeover) fall while the four shows ran, a show may have seen it or not.
    g1 = [r for r in recs if r.kind == "arp" and r.arp_spa == VIP4]
    garps = {sum(r.t < t_show for r in g1), sum(r.t < t_shown for r in g1)}

    a1 = adverts(recs, src=d1.addr4)
    g = gaps_ms(a1)
    first_delay = (a1[0].t - t_cfg) * 1000 if a1 else None
    print(f"\nseed: dev1 adverts {len(a1)}, intervals ms {fmt_ms(g)} (theory 1000), "
          f"first advert {first_delay and round(first_delay, 1)} ms after configuration "
          f"(Master_Down_Interval {master_down_ms(P1)} ms)")
    for r in a1:
        print("  ", r.text)

    problems = []
    # the wire
    if len(a1) < 5:
        problems.append(f"only {len(a1)} advertisements from dev1 captured")
    problems += advert_problems(a1, family="v4", version=3, prio=P1, interval_ms=1000,
                                src=d1.addr4)
    want_text = f"IP {d1.addr4} > {GROUP4}: VRRPv3, Advertisement, vrid 5, prio 210, " \
                "intvl 100cs, length 12"
    problems += [f"tcpdump: {r.text!r} lacks {want_text!r}" for r in a1 if want_text not in r.text]
    tol = tolerance_ms(1000)
    problems += period_problems(a1, 1000, tol, "dev1")
    if first_delay is not None and first_delay < master_down_ms(P1) - tol:
        problems.append(f"dev1 became Master {first_delay:.1f} ms after configuration, before "
                        f"its Master_Down_Interval {master_down_ms(P1)} ms (RFC 9568 6.4.1)")
    if a1 and first_delay > master_down_ms(P1) + 500:
        problems.append(f"dev1 became Master only {first_delay:.1f} ms after configuration")
    a2 = adverts(recs, src=d2.addr4)
    problems += [f"dev2 (Backup all along) sent an advertisement: {r}" for r in a2]
    if a1:
        problems += announcement_problems(recs, "v4", a1[0].t, "dev1")
    # show vrrp
    for node, role, text in ((d1, "Master", text1), (d2, "Backup", text2)):
        vrs = parse_show_vrrp(text)
        if len(vrs) != 1:
            problems.append(f"{node.label}: show vrrp shows {len(vrs)} VRs:\n{text}")
            continue
        labels = [k for k in vrs[0] if not k.endswith(" list")]
        it = iter(labels)
        if not all(lb in it for lb in STOCK_LABELS):
            problems.append(f"{node.label}: show vrrp labels {labels}\n  expected stock's, in "
                            f"order: {STOCK_LABELS}")
        problems += check_fields(f"{node.label} show vrrp", vrs[0],
                                 seed_expectations(node, role, garps))
    problems += check_json("dev1", vr1, d1, "Master", garps)
    problems += check_json("dev2", vr2, d2, "Backup", garps)
    # protodown
    if pd1:
        problems.append("dev1 (Master): its macvlan is protodown on")
    if not pd2:
        problems.append("dev2 (Backup): its macvlan is not protodown on")
    assert not problems, "\n".join(problems) + f"\n--- dev1:\n{text1}\n--- dev2:\n{text2}"


VARIANTS = {
    # family, VRRP version, advertisement interval (ms)
    "v3-ipv4-1000ms": ("v4", 3, 1000),     # the seed's timing
    "v2-ipv4-1000ms": ("v4", 2, 1000),     # RFC 3768: whole seconds, 1 s is the minimum
    "v3-ipv6-500ms": ("v6", 3, 500),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_failover_preempt_shutdown(lab, net, variant):
    """kill -9 of the Master: the Backup's first advertisement comes Master_Down_Interval after
    the Master's last one, with a gratuitous ARP / unsolicited NAs for the virtual MAC; the
    restarted dev1 preempts back; `vrrp 5 shutdown` hands over in Skew_Time (priority 0)."""
    family, version, interval = VARIANTS[variant]
    fams = (family,)
    mvl_key = (family, VRID)
    cfg = dict(version=2 if version == 2 else None,
               interval=None if interval == 1000 else interval)
    lines1 = seed_lines(fams, prio=P1, **cfg)
    lines2 = seed_lines(fams, prio=P2, **cfg)
    mdi1, mdi2 = (master_down_ms(p, interval, version) for p in (P1, P2))
    skew2 = skew_ms(P2, interval, version)
    tol = tolerance_ms(interval)
    ivs = interval / 1000

    d1, d2 = seed_pair(net, families=fams, configure=False)
    cap = net.capture()
    d1.configure(lines1)
    d2.configure(lines2)
    wait_roles(d1, d2, fams, timeout=mdi2 / 1000 + 4)
    wait_adver_tx(d1, 3, family, timeout=5 * ivs + 2)

    problems = []
    t_kill = t_start = t_shut = None
    pd2_master = pd2_backup = pd1_shut = vr1 = ll2 = None
    try:
        # 1. kill -9 of the Master
        t_kill = d1.kill9()
        wait_until(lambda: d2.status(family) == "Master", mdi2 / 1000 + 3,
                   "dev2 Master after dev1's vrrpd was killed")
        wait_adver_tx(d2, 3, family, timeout=5 * ivs + 2)
        pd2_master = d2.protodown(d2.macvlans[mvl_key])

        # 2. dev1 restarted: it preempts back
        t_start = time.time()
        d1.start_vrrpd(lines_to_conf(lines1))
        wait_roles(d1, d2, fams, timeout=mdi1 / 1000 + 5)
        wait_adver_tx(d1, 2, family, timeout=5 * ivs + 2)
        pd2_backup = d2.protodown(d2.macvlans[mvl_key])

        # 3. vrrp 5 shutdown on the Master
        tx2 = d2.vr()[family]["stats"]["adverTx"]
        t_shut = time.time()
        d1.configure(["interface eth1", f"vrrp {VRID} shutdown"])
        try:
            wait_until(lambda: d2.status(family) == "Master", 3, "dev2 Master after shutdown")
            wait_adver_tx(d2, tx2 + 2, family, timeout=5 * ivs + 2)
        finally:
            vr1 = d1.vr()
            pd1_shut = d1.protodown(d1.macvlans[mvl_key])
        ll2 = d2.link_locals(d2.macvlans[mvl_key]) if family == "v6" else None
    except AssertionError as e:
        problems.append(f"sequence stopped: {e}")
    recs = cap.stop()

    # the sender of an advertisement is known by its priority (0 is dev1 shutting down)
    src1 = d1.addr4 if family == "v4" else None
    src2 = d2.addr4 if family == "v4" else None
    a1 = adverts(recs, family=family, prio=P1)
    a2 = adverts(recs, family=family, prio=P2)
    a0 = adverts(recs, family=family, prio=0)
    problems += advert_problems(a1, family=family, version=version, prio=P1,
                                interval_ms=interval, src=src1)
    problems += advert_problems(a2, family=family, version=version, prio=P2,
                                interval_ms=interval, src=src2)

    # 1. failover
    last1 = last_before(a1, t_kill)
    first2 = first_after(a2, last1.t) if last1 else None
    gap = (first2.t - last1.t) * 1000 if first2 else None
    print(f"\n{variant}: failover gap {gap and round(gap, 1)} ms (theory Master_Down_Interval "
          f"{mdi2} ms, tolerance +-{tol:g})")
    if not (last1 and first2):
        problems.append(f"failover: dev1's last advert {last1}, dev2's first {first2}")
    else:
        if abs(gap - mdi2) > tol:
            problems.append(f"failover gap {gap:.1f} ms, expected {mdi2} +- {tol:g} ms")
        problems += announcement_problems(recs, family, first2.t, "dev2 after failover")
    problems += [f"dev1 advertised while killed: {r}" for r in a1
                 if t_kill < r.t < (t_start or float("inf"))]
    if pd2_master:
        problems.append("dev2 (Master after failover): its macvlan is protodown on")

    # dev2's own timing as Master
    t_pre = first_after(a1, t_start) if t_start else None
    end = t_pre.t if t_pre else (t_shut or float("inf"))
    a2_run = [r for r in a2 if first2 and first2.t <= r.t < end]
    g2 = gaps_ms(a2_run)
    print(f"{variant}: dev2 intervals as Master ms {fmt_ms(g2)} (theory {interval})")
    problems += period_problems(a2_run, interval, tol, "dev2")

    # 2. preemption
    if t_start is not None:
        if t_pre is None:
            problems.append("dev1 sent no advertisement after its restart")
        else:
            delay = (t_pre.t - t_start) * 1000
            print(f"{variant}: restarted dev1 preempts {delay:.1f} ms after its start "
                  f"(Master_Down_Interval {mdi1} ms + daemon startup)")
            if delay < mdi1 - tol:
                problems.append(f"restarted dev1 became Master {delay:.1f} ms after its start, "
                                f"before its Master_Down_Interval {mdi1} ms (RFC 9568 6.4.1)")
            # The daemon's start-up is its own work: a sanitized build takes longer.
            if delay > mdi1 + vrrplab.slow(1500):
                problems.append(f"restarted dev1 became Master only {delay:.1f} ms after start")
            late = [r for r in a2 if t_pre.t + 0.05 < r.t < (t_shut or float("inf"))]
            problems += [f"dev2 still advertising after dev1 preempted: {r}" for r in late]
            problems += announcement_problems(recs, family, t_pre.t, "dev1 after preempting")
        if pd2_backup is False:
            problems.append("dev2 (Backup again after preemption): its macvlan is not "
                            "protodown on")

    # 3. shutdown handover
    if t_shut is not None:
        zero = first_after(a0, t_shut)
        first2s = first_after(a2, zero.t) if zero else None
        hand = (first2s.t - zero.t) * 1000 if first2s else None
        print(f"{variant}: shutdown handover {hand and round(hand, 1)} ms after the priority-0 "
              f"advertisement (theory Skew_Time {skew2} ms, tolerance +-{tol:g})")
        if zero is None:
            problems.append("vrrp 5 shutdown: dev1 sent no priority-0 advertisement")
        else:
            problems += advert_problems([zero], family=family, version=version, prio=0,
                                        interval_ms=interval, src=src1)
            if first2s is None:
                problems.append("shutdown: dev2 sent no advertisement after the priority-0 one")
            elif abs(hand - skew2) > tol:
                problems.append(f"shutdown handover {hand:.1f} ms, expected Skew_Time {skew2} "
                                f"+- {tol:g} ms")
            problems += [f"dev1 advertised after its priority-0 advertisement: {r}"
                         for r in a1 if r.t > zero.t]
        if vr1 is not None and (vr1["shutdown"] is not True
                                or vr1[family]["status"] != "Initialize"):
            problems.append(f"dev1 after shutdown: shutdown={vr1['shutdown']}, "
                            f"status={vr1[family]['status']} (expected true, Initialize)")
        if pd1_shut is False:
            problems.append("dev1 after shutdown: its macvlan is not protodown on")
        if ll2 is not None:
            # RFC 9568 5.1.2.1: the link-local address of the interface sent from (the
            # macvlan); never the virtual router's own link-local, which both routers share
            problems += [f"dev2's advert source {r.src} is not one of its macvlan's own "
                         f"link-local addresses {ll2} (the virtual {VIP6_LL} excluded)"
                         for r in a2
                         if r.t > t_shut and (r.src not in ll2 or r.src == VIP6_LL)]
    assert not problems, "\n".join(problems) + "\n" + "\n".join(
        str(r) for r in recs if r.kind != "other")
