# SPDX-License-Identifier: GPL-2.0-or-later
"""Macvlans of a VRRP router, the only copy of their conventions: the virtual MAC, the name our
vrrpd gives the macvlans it creates, and the commands of a hand-made (seed) macvlan as FRR's
documentation tells users of the stock vrrpd. Each harness runs the commands its own way
(vrrplab in an `ip netns`, the topotests in a router's shell, the benchmark with `ip -batch`)."""

from __future__ import annotations


def vmac(family: str, vrid: int) -> str:
    """RFC 9568 7.3 virtual MAC: 00:00:5e:00:01:VRID (IPv4) / 00:00:5e:00:02:VRID (IPv6)."""
    return f"00:00:5e:00:0{1 if family == 'v4' else 2}:{vrid:02x}"


def macvlan_name(family: str, parent_ifindex: int, vrid: int) -> str:
    """Name our vrrpd gives the macvlans it creates: vrrp4-<parent ifindex>-<vrid> (IPv4),
    vrrp6-... (IPv6); the seed's hand-made ones use it too."""
    return f"vrrp{family[1]}-{parent_ifindex}-{vrid}"


def seed_commands(name: str, parent: str, family: str, vrid: int, cidrs,
                  keep_addr_on_down: bool = False) -> list[list[str]]:
    """The commands (argv lists, `ip ...` and `sysctl ...`) that make the seed's manual
    macvlan `name` on `parent`: bridge mode, the virtual MAC, the addresses `cidrs`, up. IPv6
    ones get addrgenmode random (RFC 9568 7.4; FRR's doc) before they go up, and their shared
    virtual addresses are added nodad."""
    cmds = [["ip", "link", "add", name, "link", parent, "type", "macvlan", "mode", "bridge"]]
    if family == "v6":
        cmds.append(["ip", "link", "set", "dev", name, "addrgenmode", "random"])
        # No DAD on the shared-MAC interface: its random link-local (the advert source) would
        # otherwise stay tentative for a second after every protodown -> up, and the virtual
        # addresses are shared by design.
        cmds.append(["sysctl", "-qw", f"net.ipv6.conf.{name}.accept_dad=0"])
        if keep_addr_on_down:
            # Keep the link-local and the virtual addresses through protodown: without it the
            # kernel flushes them on carrier loss and stock vrrpd, which binds its source once,
            # cannot send after becoming Master (dual Master seen in interop runs). Our vrrpd
            # sets this itself on the macvlans it uses.
            cmds.append(["sysctl", "-qw", f"net.ipv6.conf.{name}.keep_addr_on_down=1"])
    cmds.append(["ip", "link", "set", "dev", name, "address", vmac(family, vrid)])
    for c in cidrs:
        cmds.append(["ip", "addr", "add", c, "dev", name] + (["nodad"] if family == "v6" else []))
    cmds.append(["ip", "link", "set", "dev", name, "up"])
    return cmds


def netlab_script(name: str, parent: str, vrid: int, cidr: str) -> str:
    """The bash script netlab generates for an FRR node's IPv4 VRRP group: under `set -e`, make
    macvlan `name` on `parent` unless it exists, then the virtual MAC, the address, up -- each
    a separate `ip` command, as netlab writes it."""
    return "\n".join([
        "set -e",
        f"if [ ! -e /sys/class/net/{name} ]; then",
        f"  ip link add {name} link {parent} type macvlan mode bridge",
        f"  ip link set dev {name} address {vmac('v4', vrid)}",
        f"  ip addr add {cidr} dev {name}",
        f"  ip link set dev {name} up",
        "fi",
        "",
    ])


def manager_commands(name: str, parent: str, family: str, vrid: int,
                     cidrs) -> list[list[str]]:
    """What systemd-networkd does for a .netdev `Kind=macvlan` with `MACAddress=` and its
    .network: create the macvlan with the virtual MAC already set, (IPv6) choose a random
    link-local without DAD, add the addresses, bring it up. The last command may fail while
    another macvlan of the parent holds the MAC; callers run it unchecked."""
    cmds = [["ip", "link", "add", name, "link", parent, "address", vmac(family, vrid),
             "type", "macvlan", "mode", "bridge"]]
    if family == "v6":
        cmds.append(["ip", "link", "set", "dev", name, "addrgenmode", "random"])
        # networkd's IPv6DuplicateAddressDetection=none, as the seed's: the random link-local
        # (the advertisement source) is usable at once.
        cmds.append(["sysctl", "-qw", f"net.ipv6.conf.{name}.accept_dad=0"])
    for c in cidrs:
        # networkd sets addresses with NLM_F_REPLACE: one already there is no error.
        cmds.append(["ip", "addr", "replace", c, "dev", name]
                    + (["nodad"] if family == "v6" else []))
    cmds.append(["ip", "link", "set", "dev", name, "up"])
    return cmds
