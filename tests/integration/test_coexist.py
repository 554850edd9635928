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
