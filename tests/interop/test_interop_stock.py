# SPDX-License-Identifier: GPL-2.0-or-later
"""Interoperation of our vrrpd with Debian's stock vrrpd on one LAN: both agree on one Master."""

import time

import pytest

from vrrptest import vrrplab
from vrrptest.capture import CKSUM_GOOD, adverts, fmt_ms, gaps_ms
from vrrptest.timing import master_down_ms
from vrrptest.vrrpnet import holds_for, net, seed_lines, seed_pair, wait_roles

assert net  # imported for pytest: the `net` fixture, used by name

IMPLS = {"ours": vrrplab.default_vrrpd_bin(), "stock": vrrplab.STOCK_VRRPD}
P1, P2 = 210, 200

VARIANTS = {
    # family, VRRP version, advertisement interval (ms)
    "v3-ipv4": ("v4", 3, 1000),
    "v2-ipv4": ("v4", 2, 1000),
    "v3-ipv6": ("v6", 3, 500),
}
# dev1 (priority 210) and dev2 (200) run:
ORDERS = {"ours-higher": ("ours", "stock"), "stock-higher": ("stock", "ours")}


# Stock 8.4.4 as the IPv6 Master: zebra withdraws the macvlan's link-local from vrrpd while it
# is in protodown, so stock's first advertisement as Master fails ("Failed to find address to
# bind") and both routers are Master for a while; in some runs stock never sends at all. It
# depends on timing, so this expected failure is not strict (test_interop_matrix.py shows the
# same cell failing every time with a stricter check).
STOCK_V6_MASTER = pytest.mark.xfail(
    strict=False, reason="stock 8.4.4 loses its IPv6 source after protodown and may not send")


@pytest.mark.compat
@pytest.mark.parametrize("order", list(ORDERS))
@pytest.mark.parametrize("variant", list(VARIANTS))
def test_one_master(lab, net, variant, order, request):
    """dev1 (priority 210) and dev2 (200), one running our vrrpd and the other stock's: the
    higher priority is Master, the other Backup, and it stays so: the Backup accepts every
    advertisement of the Master (its adverRx grows, its Master_Down_Timer never fires), the
    Backup never advertises once the Master does, and every advertisement on the wire
    passes Wireshark's VRRP checksum check."""
    family, version, interval = VARIANTS[variant]
    impl1, impl2 = ORDERS[order]
    if family == "v6" and impl1 == "stock":
        request.applymarker(STOCK_V6_MASTER)
    fams = (family,)
    cfg = dict(version=2 if version == 2 else None,
               interval=None if interval == 1000 else interval)
    d1, d2 = seed_pair(net, IMPLS[impl1], IMPLS[impl2], families=fams, configure=False)
    cap = net.capture()
    d1.configure(seed_lines(fams, prio=P1, **cfg))
    d2.configure(seed_lines(fams, prio=P2, **cfg))
    wait_roles(d1, d2, fams, timeout=master_down_ms(P2, interval, version) / 1000 + 4)
    rx0 = d2.vr()[family]["stats"]["adverRx"]
    t_conv = time.time()

    # Three intervals, so that two advertisements fall inside even when vtysh is slow.
    held, _ = holds_for(lambda: (d1.status(family), d2.status(family)) == ("Master", "Backup"),
                        3 * interval / 1000 + 0.2)
    vr1, vr2 = d1.vr(), d2.vr()
    recs = cap.stop()

    a1 = adverts(recs, family=family, prio=P1)
    a2 = adverts(recs, family=family, prio=P2)
    rx = vr2[family]["stats"]["adverRx"] - rx0
    g = gaps_ms([r for r in a1 if r.t >= t_conv - interval / 1000])
    print(f"\n{variant} {order}: dev1 ({impl1}) {vr1[family]['status']}, dev2 ({impl2}) "
          f"{vr2[family]['status']}; Master intervals ms {fmt_ms(g)}; Backup adverRx +{rx} "
          f"in the hold window")
    problems = []
    if not held:
        problems.append(f"roles did not hold for three intervals after convergence: "
                        f"dev1 {d1.status(family)}, dev2 {d2.status(family)}")
    if (vr1[family]["status"], vr2[family]["status"]) != ("Master", "Backup"):
        problems.append(f"final roles dev1 {vr1[family]['status']}, dev2 "
                        f"{vr2[family]['status']}")
    if rx < 2:
        problems.append(f"the Backup's adverRx grew by {rx} over three Master intervals")
    if vr2[family]["masterAdverInterval"] != interval:
        problems.append(f"the Backup's masterAdverInterval is "
                        f"{vr2[family]['masterAdverInterval']}, the Master sends {interval}")
    if not a1:
        problems.append("no advertisement from dev1 (priority 210) captured")
    else:
        # once dev2 has heard dev1's first advertisement, it stays silent
        late = [r for r in a2 if r.t > a1[0].t + 0.05]
        problems += [f"the Backup advertised after the Master did: {r}" for r in late]
    for r in a1 + a2:
        if r.checksum_status != CKSUM_GOOD or r.version != version:
            problems.append(f"advert {r}: version {r.version}, checksum status "
                            f"{r.checksum_status}")
    assert not problems, "\n".join(problems) + "\n" + "\n".join(
        str(r) for r in recs if r.kind == "vrrp")
