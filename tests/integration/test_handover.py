# SPDX-License-Identifier: GPL-2.0-or-later
"""Interface managers that make their own macvlan for a virtual router while the daemon runs:
netlab's script succeeds under `vrrp default macvlan-autocreate delay`, a systemd-networkd
style macvlan (created with the virtual MAC, then up) takes over from ours without a new
election, and the delay holds creation back for as long as configured and no longer."""

import json
import time

import pytest

from vrrptest.macvlan import macvlan_name, manager_commands, netlab_script, vmac
from vrrptest.vrrpnet import (VIP4, VIP6_GLOBAL, VRID, net, seed_lines, wait_roles,
                              wait_until)

assert net  # imported for pytest: the `net` fixture, used by name

# netlab names the macvlan after its own interface number (1 for eth1), not the ifindex.
NETLAB_MVL = "vrrp4-1-5"
MANAGER_MVL = "mgr0"


def vmac_macvlans(node, family="v4") -> list[str]:
    """Names of the node's macvlans that carry the family's virtual MAC."""
    links = json.loads(node.router.ip("-j", "-d", "link", "show"))
    return sorted(ln["ifname"] for ln in links
                  if ln.get("address") == vmac(family, VRID)
                  and ln.get("linkinfo", {}).get("info_kind") == "macvlan")


def addrs(node, ifname) -> list[str]:
    data = json.loads(node.router.ip("-j", "addr", "show", "dev", ifname))
    return sorted(f"{a['local']}/{a['prefixlen']}" for a in data[0].get("addr_info", []))


def flags(node, ifname) -> list[str]:
    return json.loads(node.router.ip("-j", "link", "show", "dev", ifname))[0]["flags"]


def start_with(net, label, conf):
    node = net.node(label, start=False)
    node.router.start(vrrpd_config=conf)
    return node


def test_netlab_script_succeeds_with_delay(net):
    """dev1 waits up to 60 s for the macvlan netlab's script makes after the router is
    configured (the script runs within a second); dev2 creates its own at once."""
    d1 = start_with(net, "dev1", "vrrp default macvlan-autocreate delay 60\n")
    d2 = net.node("dev2")
    d2.configure(seed_lines(prio=200))
    d2.wait_status("Master", timeout=15)
    d1.configure(seed_lines(prio=210))
    v = d1.vr()["v4"]
    assert v["status"] == "Initialize", v
    assert "waiting before creating one" in v["notRunningReason"], v
    assert vmac_macvlans(d1) == []

    cp = d1.ns.run("bash", "-c", netlab_script(NETLAB_MVL, "eth1", VRID, f"{VIP4}/24"),
                   check=False)
    assert cp.returncode == 0, f"netlab script failed:\n{cp.stderr}"

    # dev1 (210) preempts dev2 on the script's macvlan, and never made one of its own.
    wait_roles(d1, d2, timeout=15)
    assert vmac_macvlans(d1) == [NETLAB_MVL]
    assert d1.vr()["v4"]["interface"] == NETLAB_MVL
    assert f"{VIP4}/24" in addrs(d1, NETLAB_MVL)
    assert "LOWER_UP" in flags(d1, NETLAB_MVL)

    # Failover still works, and the script's macvlan is not ours to remove.
    d1.vrrpd.stop()
    d2.wait_status("Master", timeout=15)
    assert vmac_macvlans(d1) == [NETLAB_MVL]
    print(f"netlab script rc 0 while vrrpd ran; dev1 Master on {NETLAB_MVL}; dev2 took over")


def test_netlab_script_rerun_is_harmless(net):
    """A second run of the script (netlab re-deploys) finds its macvlan and does nothing."""
    d1 = start_with(net, "dev1", "vrrp default macvlan-autocreate delay 60\n")
    d1.configure(seed_lines())
    script = netlab_script(NETLAB_MVL, "eth1", VRID, f"{VIP4}/24")
    assert d1.ns.run("bash", "-c", script, check=False).returncode == 0
    d1.wait_status("Master", timeout=15)
    cp = d1.ns.run("bash", "-c", script, check=False)
    assert cp.returncode == 0, cp.stderr
    d1.wait_status("Master", timeout=5)
    assert vmac_macvlans(d1) == [NETLAB_MVL]


def test_delay_then_own_macvlan(net):
    """With no tool, the router creates its own macvlan once the delay has passed, not before."""
    delay = 2.0
    d1 = start_with(net, "dev1", f"vrrp default macvlan-autocreate delay {delay:.0f}\n")
    ours = macvlan_name("v4", d1.ifindex(), VRID)
    t0 = time.monotonic()
    d1.configure(seed_lines())

    def appeared():
        found = vmac_macvlans(d1)
        seen = time.monotonic() - t0
        # Listed before `seen`, which is before the delay ends: nothing may exist yet.
        if seen < delay:
            assert found == [], f"{found} after {seen:.2f}s, before the {delay}s delay"
        return seen if found else None

    # Created no earlier than the delay after the configuration (t0 is before it applied);
    # 10 s beyond it is slack for a loaded machine.
    seen = wait_until(appeared, delay + 10, "our macvlan after the delay")
    assert seen >= delay
    assert vmac_macvlans(d1) == [ours]
    d1.wait_status("Master", timeout=15)
    print(f"our {ours} seen {seen:.2f}s after configuration (delay {delay}s)")


@pytest.mark.parametrize("family", ["v4", "v6"])
def test_manager_macvlan_takes_over_from_ours(net, family):
    """A macvlan created with the virtual MAC next to ours (down: ours holds the MAC) is
    handed the MAC: ours is removed, theirs brought up, and the Master goes on on it without
    a new election; its owner's `up` may have failed meanwhile, it does not matter."""
    d1, d2 = net.node("dev1"), net.node("dev2")
    d1.configure(seed_lines((family,), prio=210))
    d2.configure(seed_lines((family,), prio=200))
    # The first election is not what this test measures. With IPv6 it waits for DAD of the
    # routers' random link-locals, after creation and again after protodown: up to 12 s seen
    # on this 2-core machine under other agents' load, so 30 s.
    wait_roles(d1, d2, (family,), timeout=30)
    ours = macvlan_name(family, d1.ifindex(), VRID)
    assert vmac_macvlans(d1, family) == [ours]
    before = {n.label: n.vr()[family]["stats"]["transitions"] for n in (d1, d2)}

    cidr = f"{VIP4}/24" if family == "v4" else f"{VIP6_GLOBAL}/64"
    cmds = manager_commands(MANAGER_MVL, "eth1", family, VRID, [cidr])
    d1.ns.run_all(cmds[:-1])
    # Fails (Address already in use) unless the hand-over came first: either is fine.
    d1.ns.run(*cmds[-1], check=False)

    def handed_over():
        v = d1.vr()[family]
        return (vmac_macvlans(d1, family) == [MANAGER_MVL] and v["interface"] == MANAGER_MVL
                and v["status"] == "Master" and "LOWER_UP" in flags(d1, MANAGER_MVL))

    wait_until(handed_over, 10, f"dev1 Master on {MANAGER_MVL}, {ours} removed")
    assert cidr in addrs(d1, MANAGER_MVL)
    assert not d1.protodown(MANAGER_MVL)
    after = {n.label: n.vr()[family]["stats"]["transitions"] for n in (d1, d2)}
    assert after == before, f"transitions {before} -> {after}: the hand-over re-elected"
    assert d2.status(family) == "Backup"

    # Failover still works; the manager's macvlan stays when our daemon stops.
    d1.vrrpd.stop()
    d2.wait_status("Master", family=family, timeout=15)
    assert vmac_macvlans(d1, family) == [MANAGER_MVL]
    print(f"{family}: {ours} handed over to {MANAGER_MVL}; transitions {before} unchanged")
