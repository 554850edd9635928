# SPDX-License-Identifier: GPL-2.0-or-later
"""Macvlan management by the daemon: created from FRR configuration alone, hand-made ones
adopted, nothing leaked or duplicated across `no vrrp`, SIGTERM and kill -9, recreated when
deleted underneath, IPv6 alike, and off on request."""

import json
import signal
import subprocess
import time

import pytest

from vrrptest import vrrplab
from vrrptest.macvlan import macvlan_name, seed_commands, vmac

VMAC4 = vmac("v4", 5)
VMAC6 = vmac("v6", 5)


def seed_conf(prio=None, extra=()):
    lines = ["interface eth1", " vrrp 5"]
    if prio:
        lines.append(f" vrrp 5 priority {prio}")
    lines += [" vrrp 5 ip 10.10.10.16", *extra]
    return "\n".join(lines) + "\n"


def pair(lab, conf1, conf2, binary=None):
    """dev1 (eth1 10.10.10.15/24) and dev2 (eth1 10.10.10.10/24) on one LAN, no macvlans."""
    r1 = lab.router(vrrpd_bin=binary)
    r2 = lab.router(vrrpd_bin=binary)
    lab.veth(r1, "eth1", r2, "eth1", ["10.10.10.15/24"], ["10.10.10.10/24"])
    r1.start(vrrpd_config=conf1)
    r2.start(vrrpd_config=conf2)
    return r1, r2


def links(r):
    return json.loads(r.ip("-j", "-d", "link", "show"))


def macvlans(r, mac):
    return [ln for ln in links(r) if ln.get("address") == mac
            and ln.get("linkinfo", {}).get("info_kind") == "macvlan"]


def link_names(r):
    return sorted(ln["ifname"] for ln in links(r))


def status(r, fam="v4"):
    rc, out = r.vtysh("show vrrp json")
    data = json.loads(out) if rc == 0 and out.strip() else []
    return data[0][fam]["status"] if data else None


def wait_for(cond, timeout, what, step=0.05):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if cond():
            return time.monotonic() - t0
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def test_seed_with_frr_config_only(lab):
    r1, r2 = pair(lab, seed_conf(210), seed_conf())
    wait_for(lambda: status(r1) == "Master" and status(r2) == "Backup", 10, "election")
    for r, protodown in ((r1, False), (r2, True)):
        mv = macvlans(r, VMAC4)
        assert len(mv) == 1, mv
        name = macvlan_name("v4", r.ifindex("eth1"), 5)
        assert mv[0]["ifname"] == name
        assert mv[0]["linkinfo"]["info_data"]["mode"] == "bridge"
        assert mv[0]["link"] == "eth1"
        assert mv[0].get("proto_down", False) == protodown, mv[0]
        addrs = r.ip("-o", "addr", "show", "dev", name)
        assert "inet 10.10.10.16/24" in addrs, addrs
    print("dev1 Master, dev2 Backup; macvlans", [m["ifname"] for m in macvlans(r1, VMAC4)])


def test_handmade_macvlan_adopted(lab):
    r = lab.router()
    r.add_stub("eth1", ["10.10.10.15/24"])
    name = macvlan_name("v4", r.ifindex("eth1"), 5)
    # The seed's manual step, minus the address: the daemon adds missing virtual addresses.
    r.ns.run_all(seed_commands(name, "eth1", "v4", 5, []))
    r.start(vrrpd_config=seed_conf(210))
    wait_for(lambda: status(r) == "Master", 10, "Master")
    assert len(macvlans(r, VMAC4)) == 1
    assert "10.10.10.16/24" in r.ip("-o", "addr", "show", "dev", name)
    # Not ours: `no vrrp 5` leaves it where it was.
    rc, out = r.vtysh_config(["interface eth1", "no vrrp 5"])
    assert (rc, out) == (0, "")
    time.sleep(0.5)
    assert [m["ifname"] for m in macvlans(r, VMAC4)] == [name]


def test_no_leak_or_duplicate(lab):
    r = lab.router()
    r.add_stub("eth1", ["10.10.10.15/24"])
    r.start()
    before = link_names(r)
    name = macvlan_name("v4", r.ifindex("eth1"), 5)

    # Configured through vtysh, removed with `no vrrp 5`.
    rc, out = r.vtysh_config(["interface eth1", "vrrp 5", "vrrp 5 ip 10.10.10.16"])
    assert (rc, out) == (0, "")
    wait_for(lambda: len(macvlans(r, VMAC4)) == 1, 3, "macvlan created")
    rc, out = r.vtysh_config(["interface eth1", "no vrrp 5"])
    assert (rc, out) == (0, "")
    wait_for(lambda: link_names(r) == before, 3, "macvlan removed after no vrrp 5")

    # Last virtual address removed.
    rc, out = r.vtysh_config(["interface eth1", "vrrp 5", "vrrp 5 ip 10.10.10.16"])
    wait_for(lambda: len(macvlans(r, VMAC4)) == 1, 3, "macvlan created")
    rc, out = r.vtysh_config(["interface eth1", "no vrrp 5 ip 10.10.10.16"])
    assert (rc, out) == (0, "")
    wait_for(lambda: link_names(r) == before, 3, "macvlan removed with the last address")

    # SIGTERM removes what the daemon made.
    r.restart_vrrpd(seed_conf(210))
    wait_for(lambda: len(macvlans(r, VMAC4)) == 1, 3, "macvlan created")
    r.vrrpd.stop()
    assert link_names(r) == before

    # kill -9 leaves it; a restart adopts it as its own (no duplicate), SIGTERM removes it.
    r.restart_vrrpd(seed_conf(210))
    wait_for(lambda: status(r) == "Master", 10, "Master")
    r.vrrpd.signal(signal.SIGKILL)
    r.vrrpd.wait(5)
    r.vrrpd.stopped = True
    assert [m["ifname"] for m in macvlans(r, VMAC4)] == [name]
    r.restart_vrrpd(seed_conf(210))
    wait_for(lambda: status(r) == "Master", 10, "Master after restart")
    assert [m["ifname"] for m in macvlans(r, VMAC4)] == [name]
    r.vrrpd.stop()
    assert link_names(r) == before


def test_leftover_removed_when_no_longer_configured(lab):
    """kill -9, then a restart whose configuration no longer has the router: the macvlan the
    earlier run made is removed once the new configuration had time to claim it."""
    r = lab.router()
    r.add_stub("eth1", ["10.10.10.15/24"])
    r.start(vrrpd_config=seed_conf(210))
    before_vrrp = [ln for ln in link_names(r) if not ln.startswith("vrrp")]
    wait_for(lambda: len(macvlans(r, VMAC4)) == 1, 3, "macvlan created")
    r.vrrpd.signal(signal.SIGKILL)
    r.vrrpd.wait(5)
    r.vrrpd.stopped = True
    r.restart_vrrpd("")
    waited = wait_for(lambda: link_names(r) == before_vrrp, 20, "leftover removed")
    print(f"leftover removed {waited:.1f} s after restart")


def test_deleted_underneath_master_is_recreated(lab):
    r1, r2 = pair(lab, seed_conf(210), seed_conf(200))
    wait_for(lambda: status(r1) == "Master" and status(r2) == "Backup", 10, "election")
    name = macvlans(r1, VMAC4)[0]["ifname"]
    t0 = time.monotonic()
    r1.ip("link", "del", name)
    back = wait_for(lambda: len(macvlans(r1, VMAC4)) == 1, vrrplab.slow(1.0),
                    "macvlan recreated")
    # The Master keeps its state across the recreation, well within its Master_Down_Interval
    # (3.17 s): the new macvlan carries the address and is out of protodown. The waits are for
    # the daemon's own work; that dev2 never took over is checked below, unscaled.
    wait_for(lambda: not macvlans(r1, VMAC4)[0].get("proto_down", False) and
             "10.10.10.16/24" in r1.ip("-o", "addr", "show", "dev", name), vrrplab.slow(1.0),
             "recreated macvlan ready")
    total = time.monotonic() - t0
    print(f"macvlan recreated after {back * 1000:.0f} ms, ready after {total * 1000:.0f} ms")
    assert status(r1) == "Master" and status(r2) == "Backup"
    data = json.loads(r1.vtysh("show vrrp json")[1])[0]["v4"]
    assert data["stats"]["transitions"] == 2, data  # Initialize -> Backup -> Master, no more
    assert macvlans(r1, VMAC4)[0]["ifname"] == name


def test_ipv6(lab):
    conf = ("interface eth1\n vrrp 5\n vrrp 5 priority {p}\n vrrp 5 ipv6 fe80::5\n"
            " vrrp 5 ipv6 2001:db8::16\n")
    r1 = lab.router()
    r2 = lab.router()
    lab.veth(r1, "eth1", r2, "eth1", ["2001:db8::15/64"], ["2001:db8::10/64"])
    r1.start(vrrpd_config=conf.format(p=210))
    r2.start(vrrpd_config=conf.format(p=200))
    wait_for(lambda: status(r1, "v6") == "Master" and status(r2, "v6") == "Backup", 15,
             "IPv6 election")
    for r in (r1, r2):
        mv = macvlans(r, VMAC6)
        assert len(mv) == 1, mv
        assert mv[0]["ifname"] == macvlan_name("v6", r.ifindex("eth1"), 5)
        assert mv[0].get("inet6_addr_gen_mode") == "random", mv[0]
        addrs = r.ip("-o", "addr", "show", "dev", mv[0]["ifname"])
        assert "fe80::5/64" in addrs and "2001:db8::16/64" in addrs, addrs
    # The Master's macvlan sends router advertisements (RFC 9568 6.4.3, through zebra).
    ra = subprocess.run(["ip", "netns", "exec", r2.name, "timeout", "6", "tcpdump", "-c", "1",
                         "-n", "-e", "-i", "eth1", "ether src " + VMAC6 + " and icmp6 and "
                         "ip6[40] == 134"], capture_output=True, text=True, timeout=10)
    assert "router advertisement" in ra.stdout, ra.stdout + ra.stderr
    # The two routers' own link-locals (the advertisement sources) differ.
    src = [json.loads(r.vtysh("show vrrp json")[1])[0]["v6"]["primaryAddress"]
           for r in (r1, r2)]
    assert src[0] != src[1] and all(s.startswith("fe80:") for s in src), src


def test_autocreate_off_keeps_stock_behaviour(lab):
    r = lab.router()
    r.add_stub("eth1", ["10.10.10.15/24"])
    r.start(vrrpd_config=seed_conf(210, [" no vrrp 5 macvlan-autocreate"]))
    time.sleep(1)
    assert macvlans(r, VMAC4) == []
    data = json.loads(r.vtysh("show vrrp json")[1])[0]
    assert data["v4"]["status"] == "Initialize"
    assert data["v4"]["notRunningReason"] == f"no macvlan with MAC {VMAC4} on eth1"
    assert " no vrrp 5 macvlan-autocreate" in r.running_config()


def test_ipv6_backup_restarts_on_protodown_macvlan(lab):
    """After kill -9 a Backup's macvlan stays in protodown, where zebra reports no addresses;
    the restarted daemon still finds its link-local source and runs again."""
    conf = "interface eth1\n vrrp 5\n vrrp 5 priority {p}\n vrrp 5 ipv6 fe80::5\n"
    r1 = lab.router()
    r2 = lab.router()
    lab.veth(r1, "eth1", r2, "eth1")
    r1.start(vrrpd_config=conf.format(p=210))
    r2.start(vrrpd_config=conf.format(p=200))
    wait_for(lambda: status(r1, "v6") == "Master" and status(r2, "v6") == "Backup", 15,
             "IPv6 election")
    r2.vrrpd.signal(signal.SIGKILL)
    r2.vrrpd.wait(5)
    r2.vrrpd.stopped = True
    assert macvlans(r2, VMAC6)[0].get("proto_down") is True
    r2.restart_vrrpd(conf.format(p=200))
    wait_for(lambda: status(r2, "v6") == "Backup", 10, "Backup again after restart")
    assert len(macvlans(r2, VMAC6)) == 1


def test_autoconfigure_from_existing_macvlan(lab):
    """`vrrp autoconfigure` (FRR's command): a hand-made macvlan with a virtual MAC becomes a
    virtual router with the macvlan's addresses, not part of the configuration; it runs, and
    goes away with `no vrrp autoconfigure`."""
    r = lab.router()
    r.add_stub("eth1", ["10.10.10.15/24"])
    name = macvlan_name("v4", r.ifindex("eth1"), 7)
    r.ns.run_all(seed_commands(name, "eth1", "v4", 7, ["10.10.10.77/24"]))
    r.start()
    rc, out = r.vtysh_config(["vrrp autoconfigure"])
    assert (rc, out) == (0, "")

    def vr():
        data = json.loads(r.vtysh("show vrrp json")[1])
        return data[0] if data else None

    wait_for(lambda: vr() and vr()["v4"]["status"] == "Master", 10, "autoconfigured Master")
    d = vr()
    assert (d["vrid"], d["autoconfigured"], d["version"]) == (7, True, 3), d
    assert d["v4"]["addresses"] == ["10.10.10.77"] and d["v4"]["interface"] == name, d
    # Not configuration: only the global line appears.
    conf = r.running_config()
    assert "vrrp autoconfigure" in conf and "vrrp 7" not in conf, conf
    rc, out = r.vtysh_config(["no vrrp autoconfigure"])
    assert (rc, out) == (0, "")
    wait_for(lambda: vr() is None, 3, "autoconfigured router removed")
    assert [m["ifname"] for m in macvlans(r, vmac("v4", 7))] == [name]


@pytest.mark.parametrize("trigger", ["arp-toggle", "admin-flap"])
def test_backup_macvlan_stays_down_after_parent_change(lab, trigger):
    """The kernel hands a macvlan its parent's carrier on every parent state change, protodown
    or not, and zebra (protodown already on) does nothing: the Backup's macvlan would then carry
    the virtual MAC and address on the LAN. The daemon puts it back down at once."""
    r1, r2 = pair(lab, seed_conf(210), seed_conf(200))
    wait_for(lambda: status(r1) == "Master" and status(r2) == "Backup", 10, "election")

    def held_down():
        mv = macvlans(r2, VMAC4)
        return (len(mv) == 1 and mv[0].get("proto_down", False)
                and "LOWER_UP" not in mv[0].get("flags", []))

    wait_for(held_down, 3, "the Backup's macvlan in protodown without carrier")
    if trigger == "arp-toggle":
        r2.ip("link", "set", "eth1", "arp", "off")
        r2.ip("link", "set", "eth1", "arp", "on")
    else:
        r2.ip("link", "set", "eth1", "down")
        time.sleep(0.3)
        r2.ip("link", "set", "eth1", "up")
    wait_for(lambda: status(r2) == "Backup", 10, "dev2 Backup again")
    took = wait_for(held_down, 3, "the Backup's macvlan back without carrier")
    # And it stays so: no flapping back.
    time.sleep(1.0)
    assert held_down(), macvlans(r2, VMAC4)
    # The LAN is a veth pair: an admin flap of dev2's end takes dev1's carrier too, and dev1
    # is Master again only after its Master_Down_Interval. Its macvlan stays down meanwhile.
    wait_for(lambda: status(r1) == "Master", 10, "dev1 Master again")
    assert held_down(), macvlans(r2, VMAC4)
    assert status(r2) == "Backup"
    # Zebra still lifts the protodown it holds when dev2 takes over.
    r1.vrrpd.signal(signal.SIGKILL)
    r1.vrrpd.wait(5)
    r1.vrrpd.stopped = True
    wait_for(lambda: status(r2) == "Master", 6, "dev2 Master after dev1's vrrpd died")
    wait_for(lambda: not held_down() and not macvlans(r2, VMAC4)[0].get("proto_down", False)
             and "LOWER_UP" in macvlans(r2, VMAC4)[0].get("flags", []), 2,
             "dev2's macvlan out of protodown, with carrier")
    print(f"{trigger}: the Backup's macvlan was held down again within {took * 1000:.0f} ms")
