# SPDX-License-Identifier: GPL-2.0-or-later
"""Invalid input through Debian's vtysh: a clear '%' error, and nothing changes."""

import json

import pytest

from vrrptest import vrrplab

BASE = [
    "interface eth1",
    "vrrp 5",
    "vrrp 5 priority 210",
    "vrrp 5 ip 10.10.10.16",
    "vrrp 7 version 2",
    "vrrp 7 ip 10.10.10.7",
    "vrrp 8",
    "vrrp 8 ipv6 fe80::8",
]

# (id, commands after "configure terminal", text that must appear in the output)
CASES = [
    # Out of the grammar's range: Debian's vtysh refuses before the daemon sees it.
    ("priority-0", ["interface eth1", "vrrp 5 priority 0"], "% Unknown command"),
    ("priority-255", ["interface eth1", "vrrp 5 priority 255"], "% Unknown command"),
    ("interval-50000", ["interface eth1", "vrrp 5 advertisement-interval 50000"],
     "% Unknown command"),
    # In the grammar's range, refused by our daemon (stock silently stores 10 ms).
    ("interval-15", ["interface eth1", "vrrp 5 advertisement-interval 15"],
     "% Advertisement interval 15 ms is not a multiple of 10 ms; use 10 or 20"),
    ("default-interval-15", ["vrrp default advertisement-interval 15"],
     "% Advertisement interval 15 ms is not a multiple of 10 ms; use 10 or 20"),
    ("ipv6-on-v2", ["interface eth1", "vrrp 7 ipv6 2001:db8::7"],
     '% VRRP version 2 supports only IPv4; use "vrrp 7 version 3" for IPv6 addresses'),
    ("v2-with-ipv6", ["interface eth1", "vrrp 8 version 2"],
     "% VRRP version 2 supports only IPv4; remove the IPv6 addresses of VRID 8 first"),
    ("multicast-vip", ["interface eth1", "vrrp 5 ip 224.0.0.18"],
     "224.0.0.18 cannot be a virtual address: it is a multicast address"),
    ("loopback-vip", ["interface eth1", "vrrp 5 ip 127.0.0.1"],
     "127.0.0.1 cannot be a virtual address: it is a loopback address"),
    ("multicast-vip6", ["interface eth1", "vrrp 8 ipv6 ff02::12"],
     "ff02::12 cannot be a virtual address: it is a multicast address"),
    ("duplicate-vip", ["interface eth1", "vrrp 9 ip 10.10.10.16"],
     "10.10.10.16 is already a virtual address of VRID 5 on this interface"),
    # The same IPv6 address spelt another way is the same address.
    ("duplicate-vip6-spelling", ["interface eth1", "vrrp 9 ipv6 FE80:0::8"],
     "fe80::8 is already a virtual address of VRID 8 on this interface"),
]


@pytest.fixture
def seeded(lab):
    """Our vrrpd with the base configuration applied. Macvlan creation is off, so no election
    runs and `show vrrp json` only changes when configuration does."""
    r = vrrplab.standard_router(lab, vrrpd_config="no vrrp default macvlan-autocreate\n")
    rc, out = r.vtysh_config(BASE)
    assert (rc, out) == (0, ""), out
    return r


def snapshot(r):
    rc, show = r.vtysh("show vrrp json")
    assert rc == 0, show
    return r.running_config(), json.loads(show)


@pytest.mark.parametrize("cmds,message", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rejected_and_unchanged(seeded, cmds, message):
    before = snapshot(seeded)
    rc, out = seeded.vtysh_config(cmds)
    assert rc != 0, f"accepted: {cmds}\n{out}"
    assert message in out, out
    after = snapshot(seeded)
    assert after[0] == before[0], vrrplab.config_diff(before[0], after[0])
    assert after[1] == before[1]
    assert seeded.vrrpd.alive()


def test_show_unknown_interface(seeded):
    rc, out = seeded.vtysh("show vrrp interface nosuch0")
    assert "% Interface nosuch0 does not exist" in out, out
    rc, out = seeded.vtysh("show vrrp interface nosuch0 summary")
    assert "% Interface nosuch0 does not exist" in out, out
    # JSON keeps FRR's empty array so parsers do not break.
    rc, out = seeded.vtysh("show vrrp interface nosuch0 json")
    assert rc == 0 and json.loads(out) == [], out


def test_unknown_interface_config_is_kept_for_later(seeded):
    """Configuration for an interface that does not exist yet is accepted, as FRR does (the
    interface may appear later, and at boot zebra has not reported any interface yet); the
    virtual router stays in Initialize."""
    rc, out = seeded.vtysh_config(["interface later0", "vrrp 3", "vrrp 3 ip 10.0.3.1"])
    assert (rc, out) == (0, ""), out
    rc, out = seeded.vtysh("show vrrp interface later0 json")
    data = json.loads(out)
    assert [(d["vrid"], d["v4"]["status"]) for d in data] == [(3, "Initialize")]
