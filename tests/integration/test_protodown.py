# SPDX-License-Identifier: GPL-2.0-or-later
"""Protodown of the macvlans, which the daemon sets in the kernel itself (vrrpd/vrrp_protodown.c,
doc/macvlan.rst): after a burst of transitions, zebra's `show interface` and the kernel agree on
every macvlan, the Backup's are down and the Master's up, and nobody (zebra) changes them back."""

import re
import time

from vrrptest.vrrpnet import VRID, holds_for, net, seed_pair, wait_roles, wait_until

assert net  # imported for pytest: the `net` fixture, used by name

FAMILIES = ("v4", "v6")
INTERVAL_MS = 100
# dev1's link is down for these many seconds per flap, up for UP_S: some shorter than dev2's
# Master_Down_Interval (3 x 100 ms + skew, 0.32 s), so dev2 does not always take over, some
# longer, so it does and dev1 then preempts it back.
DOWN_S = (0.05, 0.6, 0.1, 0.45, 0.02, 0.5, 0.15, 0.4, 0.7, 0.03)
UP_S = 0.7
# Zebra learns of a change from the kernel's report; on a loaded host that takes up to seconds.
AGREE_TIMEOUT_S = 15.0


def zebra_protodown(node, ifname):
    """(protodown, reasons) as zebra's `show interface` prints them."""
    rc, out = node.router.vtysh(f"show interface {ifname}", daemon="zebra")
    assert rc == 0, out
    pd = re.search(r"^\s*protodown: (on|off)\b", out, re.M)
    reasons = re.search(r"^\s*protodown reasons: (.*)$", out, re.M)
    return (pd.group(1) if pd else None), (reasons.group(1).strip() if reasons else None)


def views(node):
    """{family: (kernel, zebra, zebra's reasons)} for node's macvlans."""
    out = {}
    for fam in FAMILIES:
        ifname = node.macvlans[(fam, VRID)]
        kernel = "on" if node.protodown(ifname) else "off"
        out[fam] = (kernel, *zebra_protodown(node, ifname))
    return out


def wait_agree(node, want):
    """Wait until kernel and zebra both say `want` for every macvlan of node; return views."""
    def ok():
        v = views(node)
        return v if all(k == z == want for k, z, _ in v.values()) else None
    return wait_until(ok, AGREE_TIMEOUT_S, f"{node.label}: kernel and zebra protodown {want}")


def transitions(node):
    vr = node.vr()
    return sum(vr[f]["stats"]["transitions"] for f in FAMILIES)


def test_zebra_and_kernel_agree_after_burst(net):
    d1, d2 = seed_pair(net, families=FAMILIES, interval=INTERVAL_MS)
    wait_roles(d1, d2, FAMILIES, timeout=15)
    wait_agree(d1, "off")
    wait_agree(d2, "on")

    # dev2 Master: its macvlans out of protodown in both views.
    d1.router.ip("link", "set", "eth1", "down")
    d2.wait_status("Master", "v4")
    d2.wait_status("Master", "v6")
    wait_agree(d2, "off")
    d1.router.ip("link", "set", "eth1", "up")
    wait_roles(d1, d2, FAMILIES, timeout=15)

    before = transitions(d2)
    for down_s in DOWN_S:
        d1.router.ip("link", "set", "eth1", "down")
        time.sleep(down_s)
        d1.router.ip("link", "set", "eth1", "up")
        time.sleep(UP_S)
    wait_roles(d1, d2, FAMILIES, timeout=15)
    took = transitions(d2) - before
    # Every flap longer than the Master_Down_Interval is two transitions per family on dev2.
    assert took >= 4 * len(FAMILIES), f"the burst made only {took} transitions on dev2"

    v1 = wait_agree(d1, "off")
    v2 = wait_agree(d2, "on")
    for node, v in ((d1, v1), (d2, v2)):
        for fam, (_, _, reasons) in v.items():
            # Our bit is zebra's own: zebra must not see a foreign ("external") reason.
            assert not reasons or "external" not in reasons, (node.label, fam, reasons)

    # Nobody changes them back: zebra does not reassert a protodown it did not request.
    def steady():
        return (all(k == z == "off" for k, z, _ in views(d1).values())
                and all(k == z == "on" for k, z, _ in views(d2).values()))
    held, _ = holds_for(steady, 3.0)
    assert held, f"protodown changed after the burst: dev1 {views(d1)}, dev2 {views(d2)}"
