# SPDX-License-Identifier: GPL-2.0-or-later
"""Living beside the administrator and other tools: a stricter arp_ignore on the parent is
kept, and a hand-made macvlan we adopted carries nothing of ours after parent flaps and after
SIGTERM but what its owner put there."""

import json
import signal
import time

import pytest

from vrrptest.vrrpnet import VIP4, net, seed_lines, wait_until

assert net  # imported for pytest: the `net` fixture, used by name


def arp_ignore(node, ifname="eth1") -> int:
    out = node.ns.run("sysctl", "-n", f"net.ipv4.conf.{ifname}.arp_ignore").stdout
    return int(out.strip())


@pytest.mark.parametrize("before,after", [(2, 2), (0, 1), (8, 8)])
def test_parent_arp_ignore_raised_never_lowered(net, before, after):
    d1 = net.node("dev1", start=False)
    d1.ns.run("sysctl", "-qw", f"net.ipv4.conf.eth1.arp_ignore={before}")
    d1.router.start()
    d1.configure(seed_lines())
    d1.wait_status("Master", timeout=10)
    assert arp_ignore(d1) == after
    print(f"arp_ignore {before} before the router, {after} after it ran")


def inet(node, ifname) -> list[str]:
    data = json.loads(node.router.ip("-4", "-j", "addr", "show", "dev", ifname))
    return sorted(f"{a['local']}/{a['prefixlen']}" for a in data[0].get("addr_info", []))


def flap(node, ifname="eth1"):
    """Parent down until the router has noticed, then up until it runs again."""
    node.router.ip("link", "set", ifname, "down")
    wait_until(lambda: node.status() not in ("Master", "Backup"), 5, "router stopped")
    node.router.ip("link", "set", ifname, "up")
    wait_until(lambda: node.status() in ("Master", "Backup"), 10, "router running")


def test_adopted_macvlan_keeps_only_its_owner_addresses(net):
    d1 = net.node("dev1")
    mvl = d1.make_macvlan()
    theirs = inet(d1, mvl)
    assert theirs == [f"{VIP4}/24"], theirs
    d1.configure(seed_lines())
    d1.wait_status("Master", timeout=10)
    for i in range(10):
        flap(d1)
        time.sleep(0.3)
        assert inet(d1, mvl) == theirs, f"after flap {i + 1}: {inet(d1, mvl)}"
    d1.wait_status("Master", timeout=10)
    assert inet(d1, mvl) == theirs
    d1.vrrpd.stop()
    assert inet(d1, mvl) == theirs, f"after SIGTERM: {inet(d1, mvl)}"
    print(f"{mvl}: {theirs} through ten parent flaps and SIGTERM")


def test_foreign_address_added_is_removed_at_stop(net):
    """An address the owner did not put there (a second virtual address) is ours: removed at
    SIGTERM, the owner's /24 kept."""
    d1 = net.node("dev1")
    mvl = d1.make_macvlan()
    d1.configure(seed_lines() + ["vrrp 5 ip 10.10.10.17"])
    d1.wait_status("Master", timeout=10)
    wait_until(lambda: "10.10.10.17/24" in inet(d1, mvl), 5, "second VIP added")
    d1.vrrpd.stop()
    assert inet(d1, mvl) == [f"{VIP4}/24"], f"after SIGTERM: {inet(d1, mvl)}"
