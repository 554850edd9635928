# SPDX-License-Identifier: GPL-2.0-or-later
"""Our vtysh (scripts/vtysh.sh): every stock command is still there, our additions are too, and
every vrrpd command, stock and extension, reaches our daemon through it; Debian's vtysh refuses
the extensions, which is why ours exists."""

import json
import re

import pytest

from vrrptest import vrrplab

# Configure-mode lines covering every configuration command of vrrpd, in an order that leaves a
# known running-config. Extensions are marked; the rest is FRR 8.4's grammar.
CONFIG = [
    "vrrp default priority 150",
    "vrrp default advertisement-interval 500",
    "no vrrp default preempt",
    "vrrp default preempt",
    "vrrp default shutdown",
    "no vrrp default shutdown",
    "no vrrp default macvlan-autocreate",  # extension
    "vrrp default macvlan-autocreate",  # extension
    "vrrp default macvlan-autocreate delay 30",  # extension
    "no vrrp default macvlan-autocreate delay",  # extension
    "vrrp default macvlan-autocreate delay 45",  # extension
    "vrrp default gratuitous-arp repeat 3",  # extension
    "vrrp default gratuitous-arp delay 0",  # extension
    "vrrp default gratuitous-arp refresh 60",  # extension
    "no vrrp default gratuitous-arp refresh",  # extension
    "vrrp autoconfigure version 3",
    "no vrrp autoconfigure",
    "debug vrrp protocol",
    "no debug vrrp",
    "interface eth1",
    "vrrp 5",
    "vrrp 5 priority 210",
    "vrrp 5 advertisement-interval 2000",
    "vrrp 5 ip 10.10.10.16",
    "no vrrp 5 preempt",
    "vrrp 5 shutdown",
    "no vrrp 5 shutdown",
    "vrrp 6 version 2",
    "vrrp 6 ip 10.10.10.6",
    "no vrrp 6 macvlan-autocreate",  # extension
    "vrrp 6 gratuitous-arp repeat 1",  # extension
    "vrrp 6 gratuitous-arp delay 10",  # extension
    "vrrp 6 gratuitous-arp refresh 30",  # extension
    "no vrrp 6 gratuitous-arp delay 10",  # extension
    "vrrp 7",
    "vrrp 7 priority 120",
    "no vrrp 7 priority",
    "vrrp 7 advertisement-interval 200",
    "no vrrp 7 advertisement-interval",
    "vrrp 7 ip 10.10.10.7",
    "no vrrp 7 ip 10.10.10.7",
    "no vrrp 7",
    "vrrp 8",
    "vrrp 8 ipv6 fe80::8",
    "vrrp 8 ipv6 2001:db8::8",
    "no vrrp 8 ipv6 2001:db8::8",
    "no vrrp 8 checksum-with-ipv4-pseudoheader",  # extension
]

EXPECTED = """\
vrrp default priority 150
vrrp default advertisement-interval 500
vrrp default macvlan-autocreate delay 45
vrrp default gratuitous-arp repeat 3
vrrp default gratuitous-arp delay 0
!
interface eth1
 vrrp 5
 vrrp 5 priority 210
 no vrrp 5 preempt
 vrrp 5 advertisement-interval 2000
 vrrp 5 ip 10.10.10.16
 vrrp 6 version 2
 vrrp 6 ip 10.10.10.6
 no vrrp 6 macvlan-autocreate
 vrrp 6 gratuitous-arp repeat 1
 vrrp 6 gratuitous-arp refresh 30
 vrrp 8
 vrrp 8 ipv6 fe80::8
 no vrrp 8 checksum-with-ipv4-pseudoheader
exit
!
"""

EXEC = [
    "show vrrp",
    "show vrrp json",
    "show vrrp interface eth1",
    "show vrrp interface eth1 5",
    "show vrrp interface eth1 5 json",
    "show vrrp summary",
    "show vrrp interface eth1 summary",
    "clear vrrp counters",  # extension
    "clear vrrp interface eth1 counters",  # extension
    "clear vrrp interface eth1 5 counters",  # extension
    "debug vrrp packets",
    "no debug vrrp packets",
]

EXTENSIONS = [c for c in CONFIG + EXEC if "macvlan-autocreate" in c or "checksum" in c
              or "counters" in c or "gratuitous-arp" in c]

# `list` output of our additions, per node, as vtysh prints them.
OUR_LIST = {
    "enable": {"clear vrrp [interface INTERFACE] [(1-255)] counters",
               "show vrrp [interface INTERFACE] [(1-255)] events [json]"},
    "config": {"[no] vrrp default macvlan-autocreate",
               "vrrp default macvlan-autocreate delay (1-3600)",
               "no vrrp default macvlan-autocreate delay [(1-3600)]",
               "vrrp startup-delay (1-3600)",
               "no vrrp startup-delay [(1-3600)]",
               "[no] vrrp graceful-restart",
               "vrrp default gratuitous-arp <repeat (1-20)|delay (0-3600)|refresh (0-86400)>",
               "no vrrp default gratuitous-arp <repeat [(1-20)]|delay [(0-3600)]|refresh "
               "[(0-86400)]>",
               "vrrp notify script PATH [{timeout (1-3600)|user WORD}]",
               "no vrrp notify script [PATH [{timeout (1-3600)|user WORD}]]",
               "vrrp notify fifo PATH",
               "no vrrp notify fifo [PATH]"},
    "interface": {"[no] vrrp (1-255) macvlan-autocreate",
                  "[no] vrrp (1-255) checksum-with-ipv4-pseudoheader",
                  "[no] vrrp (1-255) checksum-with-ipv4-pseudoheader auto",
                  "[no] vrrp (1-255) track interface IFNAME [decrement (1-254)]",
                  "[no] vrrp (1-255) track route <A.B.C.D/M|X:X::X:X/M> [decrement (1-254)]",
                  "[no] vrrp (1-255) unicast-peer <A.B.C.D|X:X::X:X>",
                  "vrrp (1-255) preempt delay (1-3600)",
                  "no vrrp (1-255) preempt delay [(1-3600)]",
                  "vrrp (1-255) sync-group WORD",
                  "no vrrp (1-255) sync-group [WORD]",
                  "vrrp (1-255) gratuitous-arp <repeat (1-20)|delay (0-3600)|refresh (0-86400)>",
                  "no vrrp (1-255) gratuitous-arp <repeat [(1-20)]|delay [(0-3600)]|refresh "
                  "[(0-86400)]>",
                  "vrrp (1-255) notify script PATH [{timeout (1-3600)|user WORD}]",
                  "no vrrp (1-255) notify script [PATH [{timeout (1-3600)|user WORD}]]"},
}
NODES = {
    "enable": [],
    "config": ["configure terminal"],
    "interface": ["configure terminal", "interface eth1"],
}



@pytest.fixture
def router(lab):
    return vrrplab.standard_router(lab)


def listing(r, node, binary=None) -> set[str]:
    rc, out = r.vtysh(*NODES[node], "list", binary=binary)
    assert rc == 0, out
    return {re.sub(r"\s+", " ", line).strip() for line in out.splitlines() if line.strip()}


@pytest.mark.parametrize("node", sorted(NODES))
def test_list_is_stock_plus_ours(router, vtysh_bin, node):
    stock = listing(router, node)
    ours = listing(router, node, vtysh_bin)
    assert len(stock) > 20, stock
    assert not stock - ours, f"stock commands missing from ours: {sorted(stock - ours)}"
    assert ours - stock == OUR_LIST[node], sorted(ours - stock)


def test_every_command_through_our_vtysh(router, vtysh_bin):
    rc, out = router.vtysh_config(CONFIG, binary=vtysh_bin)
    assert (rc, out) == (0, ""), out
    assert router.running_config() == EXPECTED
    for cmd in EXEC:
        rc, out = router.vtysh(cmd, binary=vtysh_bin)
        assert rc == 0 and "%" not in out, (cmd, out)
    # Show output comes from our daemon.
    rc, out = router.vtysh("show vrrp interface eth1 8 json", binary=vtysh_bin)
    data = json.loads(out)
    assert data[0]["checksumWithIpv4Pseudoheader"] is False, data
    rc, out = router.vtysh("show debugging", binary=vtysh_bin)
    assert rc == 0 and "VRRP debugging status" in out, out


@pytest.mark.parametrize("cmd", EXTENSIONS)
def test_stock_vtysh_refuses_extensions(router, vtysh_bin, cmd):
    """The reason for our vtysh: Debian's refuses each extension before vrrpd sees it."""
    in_if = cmd in CONFIG[CONFIG.index("interface eth1"):]
    pre = ["configure terminal", "interface eth1"] if in_if else (
        ["configure terminal"] if cmd in CONFIG else [])
    rc, out = router.vtysh_config(["interface eth1", "vrrp 8", "vrrp 8 ip 10.10.10.8"])
    assert rc == 0, out
    rc, out = router.vtysh(*pre, cmd)
    assert rc != 0 and "% Unknown command" in out, (cmd, out)
    rc, out = router.vtysh(*pre, cmd, binary=vtysh_bin)
    assert rc == 0 and "%" not in out, (cmd, out)
