# SPDX-License-Identifier: GPL-2.0-or-later
"""The macvlan adapter (vrrpd/vrrp_macvlan.c, libnl-3) on the real kernel, driven by
tests/adapters/macvlan_probe in namespaces and checked with iproute2 (`ip -j -d link`, `ip addr`).

Topology of every test: one namespace with eth0 <-> eth0p, a veth pair whose ends are both up,
so eth0 has carrier; some tests add eth1 <-> eth1p the same way.
"""

import errno
import json
import os
import re
import subprocess

import pytest

from vrrptest import vrrplab
from vrrptest.macvlan import macvlan_name, vmac

PROBE = vrrplab.REPO_ROOT / "tests" / "adapters" / "macvlan_probe"
VMAC4 = vmac("v4", 5)
VMAC6 = vmac("v6", 5)
EPERM, ENODEV, EINVAL, EEXIST, EADDRINUSE, EADDRNOTAVAIL = 1, 19, 22, 17, 98, 99
EC_LINE = re.compile(r"\[EC \d+\]")
LOG_LINE = re.compile(r"\d{4}/\d\d/\d\d \d\d:\d\d:\d\d ")


@pytest.fixture(scope="module", autouse=True)
def _probe_built():
    if not os.access(PROBE, os.X_OK):
        pytest.fail(f"{PROBE} is missing or not executable: build it first "
                    f"(make tests/adapters/macvlan_probe)", pytrace=False)


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------

class Run:
    """One finished probe run: its result lines and the error lines it logged. libfrr's
    auxiliary log (zlog_aux_init) writes to stdout, each line starting with a timestamp."""

    def __init__(self, cp: subprocess.CompletedProcess):
        out = cp.stdout.splitlines()
        logs = [ln for ln in out if LOG_LINE.match(ln)]
        self.lines = [ln for ln in out if not LOG_LINE.match(ln)]
        self.stderr = cp.stderr
        self.errors = [ln for ln in logs if EC_LINE.search(ln)]

    def rc(self, prefix: str, nth: int = 0) -> int:
        """The result printed by the nth command whose line starts with `prefix`."""
        found = [ln for ln in self.lines if ln.startswith(prefix + " ")]
        assert len(found) > nth, (prefix, self.lines)
        return int(found[nth][len(prefix) + 1:].split()[0])


def probe(ns, *args, wrapper=(), inner=(), timeout=30) -> Run:
    """Run macvlan_probe to completion in ns (exit status 0 required); `wrapper` runs outside
    the namespace (around ip netns exec), `inner` inside it, directly around the probe."""
    argv = [*wrapper, *ns.exec_argv(*inner, PROBE, *args)]
    cp = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                        timeout=timeout)
    print(f"macvlan_probe {' '.join(map(str, args))}\n{cp.stdout}{cp.stderr}")
    assert cp.returncode == 0, cp.stderr
    return Run(cp)


def segment(lab, ns, ifname="eth0"):
    lab.veth(ns, ifname, ns, ifname + "p")


def exists(ns, ifname) -> bool:
    return ns.run("test", "-e", f"/sys/class/net/{ifname}", check=False).returncode == 0


def link(ns, ifname) -> dict:
    return json.loads(ns.ip("-j", "-d", "link", "show", "dev", ifname))[0]


def mvl_name(ns, parent, vrid, v6=False) -> str:
    return macvlan_name("v6" if v6 else "v4", ns.ifindex(parent), vrid)


def marker(parent, vrid, v6=False) -> str:
    return f"vrrpd:{parent}:{vrid}:{6 if v6 else 4}"


def create(ns, parent="eth0", vrid=5, v6=False, name=None, mac=None, alias=None, extra=()):
    name = name or mvl_name(ns, parent, vrid, v6)
    mac = mac or (VMAC6 if v6 else VMAC4)
    alias = alias or marker(parent, vrid, v6)
    run = probe(ns, *extra, "create", name, parent, mac, "6" if v6 else "4", alias)
    return name, run.rc(f"create {name}"), run


def addrs(ns, ifname, family) -> list[dict]:
    out = json.loads(ns.ip("-j", family, "addr", "show", "dev", ifname))
    return out[0].get("addr_info", []) if out else []


def eui64_ll(mac: str) -> str:
    b = [int(x, 16) for x in mac.split(":")]
    b[0] ^= 2
    words = [(b[0] << 8) | b[1], (b[2] << 8) | 0xff, 0xfe00 | b[3], (b[4] << 8) | b[5]]
    return "fe80::" + ":".join(f"{w:x}" for w in words)


# --------------------------------------------------------------------------------------------
# creation
# --------------------------------------------------------------------------------------------

def test_create_ipv4(lab):
    ns = lab.namespace()
    segment(lab, ns)
    name, rc, run = create(ns)
    assert rc == ns.ifindex(name)
    assert run.errors == []
    j = link(ns, name)
    assert j["linkinfo"]["info_kind"] == "macvlan"
    assert j["linkinfo"]["info_data"]["mode"] == "bridge"
    assert j["link"] == "eth0"
    assert j["address"] == VMAC4
    assert "UP" in j["flags"] and j["operstate"] == "UP"
    assert j["ifalias"] == marker("eth0", 5)
    # No link-local on an IPv4 macvlan: a Backup never speaks IPv6 from the shared VMAC.
    assert j["inet6_addr_gen_mode"] == "none"
    assert addrs(ns, name, "-6") == []
    text = ns.ip("-d", "link", "show", "dev", name)
    assert "macvlan mode bridge" in text and "addrgenmode none" in text
    assert f"alias {marker('eth0', 5)}" in text
    sysctl = ns.run("sysctl", "-n", f"net.ipv4.conf.{name}.promote_secondaries").stdout
    assert sysctl.strip() == "1"
    # Nor any IPv6 routes, which every carrier change would have the kernel walk.
    sysctl = ns.run("sysctl", "-n", f"net.ipv6.conf.{name}.disable_ipv6").stdout
    assert sysctl.strip() == "1"


def test_create_ipv6_random_link_local(lab):
    ns = lab.namespace()
    segment(lab, ns)
    name, rc, run = create(ns, v6=True)
    assert rc == ns.ifindex(name) and run.errors == []
    j = link(ns, name)
    assert (j["linkinfo"]["info_kind"], j["linkinfo"]["info_data"]["mode"]) == ("macvlan",
                                                                                 "bridge")
    assert j["address"] == VMAC6 and j["link"] == "eth0" and "UP" in j["flags"]
    assert j["ifalias"] == marker("eth0", 5, v6=True)
    assert j["inet6_addr_gen_mode"] == "random"
    assert "addrgenmode random" in ns.ip("-d", "link", "show", "dev", name)
    lls = [a["local"] for a in addrs(ns, name, "-6") if a["scope"] == "link"]
    assert len(lls) == 1, lls
    assert lls[0] != eui64_ll(VMAC6) and "ff:fe" not in lls[0], lls


def test_ipv6_link_locals_differ_between_routers(lab):
    """Two routers sharing the VMAC must not share the advertisement source."""
    lls = []
    for _ in range(2):
        ns = lab.namespace()
        segment(lab, ns)
        name, rc, _run = create(ns, v6=True)
        assert rc > 0
        lls += [a["local"] for a in addrs(ns, name, "-6") if a["scope"] == "link"]
    assert len(lls) == 2 and lls[0] != lls[1], lls


def test_reuse_own_and_recreate_when_changed(lab):
    ns = lab.namespace()
    segment(lab, ns)
    name, first, _ = create(ns)
    ns.ip("link", "set", name, "down")
    _, again, run = create(ns)
    assert again == first and run.errors == []
    assert "UP" in link(ns, name)["flags"]
    # Still ours by the marker, but no longer what we make: made again from scratch.
    ns.ip("link", "set", name, "type", "macvlan", "mode", "private")
    _, third, run = create(ns)
    assert third > 0 and third != first and run.errors == []
    j = link(ns, name)
    assert j["linkinfo"]["info_data"]["mode"] == "bridge" and j["ifalias"] == marker("eth0", 5)


def test_reuse_after_parent_rename(lab):
    """The marker names the parent; after a rename it is still ours, and the marker follows."""
    ns = lab.namespace()
    segment(lab, ns)
    name, first, _ = create(ns)
    ns.ip("link", "set", "eth0", "down")
    ns.ip("link", "set", "eth0", "name", "lan0")
    ns.link_up("lan0")
    _, again, run = create(ns, parent="lan0", name=name)
    assert again == first and run.errors == []
    assert link(ns, name)["ifalias"] == marker("lan0", 5)
    # A marker of another VRID on that name is not this virtual router's.
    ns.ip("link", "set", name, "alias", marker("lan0", 6))
    _, rc, run = create(ns, parent="lan0", name=name)
    assert rc == -EEXIST and len(run.errors) == 1
    assert link(ns, name)["ifalias"] == marker("lan0", 6)


# --------------------------------------------------------------------------------------------
# names taken by interfaces that are not ours
# --------------------------------------------------------------------------------------------

def test_name_taken_by_veth_is_untouched(lab):
    ns = lab.namespace()
    segment(lab, ns)
    name = mvl_name(ns, "eth0", 5)
    lab.veth(ns, name, ns, "other0")
    before = link(ns, name)
    _, rc, run = create(ns, name=name)
    assert rc == -EEXIST
    assert len(run.errors) == 1 and "name taken by a veth interface" in run.errors[0]
    after = link(ns, name)
    for key in ("ifindex", "address", "flags", "mtu", "linkinfo"):
        assert after.get(key) == before.get(key), key
    assert "ifalias" not in after


@pytest.mark.parametrize("case", ["user-macvlan", "other-parent"])
def test_name_taken_by_foreign_macvlan_is_untouched(lab, case):
    ns = lab.namespace()
    segment(lab, ns)
    segment(lab, ns, "eth1")
    name = mvl_name(ns, "eth0", 5)
    if case == "user-macvlan":
        # What an admin or ifupdown2 made, by our naming scheme but without our marker.
        ns.ip("link", "add", "link", "eth0", "name", name, "address", "02:00:00:00:00:01",
              "type", "macvlan", "mode", "private")
        want = "did not create"
    else:
        ns.ip("link", "add", "link", "eth1", "name", name, "type", "macvlan", "mode", "bridge")
        ns.ip("link", "set", name, "alias", marker("eth0", 5))
        want = "name taken by a macvlan on ifindex"
    before = link(ns, name)
    _, rc, run = create(ns, name=name)
    assert rc == -EEXIST
    assert len(run.errors) == 1 and want in run.errors[0], run.errors
    assert link(ns, name) == before


def test_vmac_in_use_rolls_back(lab):
    """The kernel refuses to bring up a second macvlan with the same MAC on one parent; the
    half-made interface must not be left behind."""
    ns = lab.namespace()
    segment(lab, ns)
    ns.ip("link", "add", "link", "eth0", "name", "usermv", "address", VMAC4, "type", "macvlan",
          "mode", "bridge")
    ns.link_up("usermv")
    name, rc, run = create(ns)
    assert rc == -EADDRINUSE
    assert len(run.errors) == 1 and "Address already in use" in run.errors[0]
    assert not exists(ns, name)
    assert "UP" in link(ns, "usermv")["flags"]


def test_missing_parent_and_bad_arguments(lab):
    ns = lab.namespace()
    segment(lab, ns)
    run = probe(ns, "create", "vrrp4-9999-5", "9999", VMAC4, "4", marker("x", 5),
                "create", "averyveryverylongname", "eth0", VMAC4, "4", marker("eth0", 5),
                "up", "0", "addr-add", "0", "192.0.2.1/24")
    assert run.rc("create vrrp4-9999-5") == -ENODEV
    assert run.rc("create averyveryverylongname") == -EINVAL
    assert run.rc("up 0") == -EINVAL
    assert run.rc("addr-add 0 192.0.2.1/24") == -EINVAL
    assert len(run.errors) == 4, run.errors
    assert "vrrp4-9999-5" in run.errors[0] and "No such device" in run.errors[0]


def test_without_cap_net_admin(lab):
    """Every failing kernel request is one log line with the kernel's reason; nothing is left."""
    ns = lab.namespace()
    segment(lab, ns)
    name = mvl_name(ns, "eth0", 5)
    ns.ip("link", "add", "link", "eth0", "name", "ours", "type", "macvlan", "mode", "bridge")
    ns.ip("link", "set", "ours", "alias", marker("eth0", 6))
    run = probe(ns, "create", name, "eth0", VMAC4, "4", marker("eth0", 5),
                "addr-add", "ours", "192.0.2.1/24", "delete", "ours", "alias", "ours",
                "walk", "vrrpd:",
                wrapper=("setpriv", "--bounding-set=-net_admin", "--inh-caps=-net_admin"))
    assert run.rc(f"create {name}") == -EPERM
    assert run.rc("addr-add ours 192.0.2.1/24") == -EPERM
    assert run.rc("delete ours") == -EPERM
    # Reading needs no privilege.
    assert run.rc("alias ours") == 0 and run.rc("walk vrrpd:") == 1
    assert len(run.errors) == 3 and all("Operation not permitted" in e for e in run.errors)
    assert not exists(ns, name) and exists(ns, "ours")


# --------------------------------------------------------------------------------------------
# addresses, up, delete
# --------------------------------------------------------------------------------------------

def test_ipv4_addresses(lab):
    ns = lab.namespace()
    segment(lab, ns)
    name, idx, _ = create(ns)
    run = probe(ns, "addr-add", idx, "192.0.2.10/24", "addr-add", idx, "192.0.2.11/24",
                "addr-add", idx, "192.0.2.10/24", "addr-del", idx, "192.0.2.10/24",
                "addr-del", idx, "192.0.2.10/24")
    assert run.rc(f"addr-add {idx} 192.0.2.10/24") == 0
    assert run.rc(f"addr-add {idx} 192.0.2.11/24") == 0
    assert run.rc(f"addr-add {idx} 192.0.2.10/24", 1) == -EEXIST
    assert run.rc(f"addr-del {idx} 192.0.2.10/24") == 0
    assert run.rc(f"addr-del {idx} 192.0.2.10/24", 1) == -EADDRNOTAVAIL
    assert run.errors == []  # both "already so" results are silent
    # Removing the subnet's primary did not take the secondary VIP with it.
    assert [(a["local"], a["prefixlen"]) for a in addrs(ns, name, "-4")] == [("192.0.2.11", 24)]


def test_ipv6_addresses(lab):
    ns = lab.namespace()
    segment(lab, ns)
    name, idx, _ = create(ns, v6=True)
    run = probe(ns, "addr-add", name, "fe80::1/64", "addr-add", name, "2001:db8::10/64",
                "addr-add", name, "2001:db8::10/64")
    assert run.rc(f"addr-add {name} fe80::1/64") == 0
    assert run.rc(f"addr-add {name} 2001:db8::10/64") == 0
    assert run.rc(f"addr-add {name} 2001:db8::10/64", 1) == -EEXIST
    got = {a["local"]: a for a in addrs(ns, name, "-6")}
    for vip in ("fe80::1", "2001:db8::10"):
        assert got[vip]["prefixlen"] == 64
        # Added without DAD, so usable at once and never "dadfailed" on a brief overlap.
        assert got[vip].get("nodad") and not got[vip].get("tentative"), got[vip]
    assert got["fe80::1"]["scope"] == "link"
    run2 = probe(ns, "addr-del", name, "2001:db8::10/64", "addr-del", name, "2001:db8::10/64")
    assert run2.rc(f"addr-del {name} 2001:db8::10/64") == 0
    assert run2.rc(f"addr-del {name} 2001:db8::10/64", 1) == -EADDRNOTAVAIL
    assert run.errors == [] and run2.errors == []
    assert "2001:db8::10" not in {a["local"] for a in addrs(ns, name, "-6")}


def test_set_up(lab):
    ns = lab.namespace()
    segment(lab, ns)
    name, idx, _ = create(ns)
    ns.ip("link", "set", name, "down")
    run = probe(ns, "up", idx)
    assert run.rc(f"up {idx}") == 0 and "UP" in link(ns, name)["flags"]


def protodown_of(ns, name) -> tuple[bool, str]:
    """(protodown, reasons) as `ip -d link show` prints them (the reasons as "<7>", "" if none)."""
    text = ns.ip("-d", "link", "show", "dev", name)
    m = re.search(r"protodown_reason <([^>]*)>", text)
    return re.search(r"\bprotodown on\b", text) is not None, (m.group(1) if m else "")


def test_protodown_with_zebra_reason_bit(lab):
    ns = lab.namespace()
    segment(lab, ns)
    name, idx, _ = create(ns)
    run = probe(ns, "protodown", idx, "on")
    assert run.rc(f"protodown {idx} on") == 0
    # Zebra's own bit (7) and no other: zebra files it under no foreign reason.
    assert protodown_of(ns, name) == (True, "7")
    assert "LOWER_UP" not in link(ns, name)["flags"]
    run = probe(ns, "protodown", idx, "off")
    assert run.rc(f"protodown {idx} off") == 0
    assert protodown_of(ns, name) == (False, "")
    # Someone else's reason keeps it down: clearing ours is refused, and theirs stays.
    ns.ip("link", "set", "dev", name, "protodown_reason", "3", "on")
    ns.ip("link", "set", "dev", name, "protodown", "on")
    run = probe(ns, "protodown", idx, "off")
    assert run.rc(f"protodown {idx} off") == -errno.EBUSY
    assert protodown_of(ns, name) == (True, "3")
    # Gone: -ENODEV, silently.
    ns.ip("link", "del", name)
    run = probe(ns, "protodown", idx, "on")
    assert run.rc(f"protodown {idx} on") == -errno.ENODEV and run.errors == []


def test_delete_is_idempotent(lab):
    ns = lab.namespace()
    segment(lab, ns)
    name, idx, _ = create(ns)
    run = probe(ns, "delete", idx, "delete", idx)
    assert run.rc(f"delete {idx}") == 0
    assert run.rc(f"delete {idx}", 1) == -ENODEV
    assert run.errors == []  # "already gone" is silent
    assert not exists(ns, name) and exists(ns, "eth0")


# --------------------------------------------------------------------------------------------
# ownership: alias and walk
# --------------------------------------------------------------------------------------------

def test_alias_read_from_kernel(lab):
    ns = lab.namespace()
    segment(lab, ns)
    name, idx, _ = create(ns)
    run = probe(ns, "alias", idx, "alias", "eth0")
    assert run.lines[0] == f"alias {idx} 0 {marker('eth0', 5)}"
    assert run.lines[1] == "alias eth0 0"


def test_walk_finds_exactly_ours(lab):
    ns = lab.namespace()
    segment(lab, ns)
    segment(lab, ns, "eth1")
    ours = {}
    for parent, vrid, v6 in (("eth0", 5, False), ("eth0", 5, True), ("eth1", 7, False)):
        name, idx, _ = create(ns, parent=parent, vrid=vrid, v6=v6)
        assert idx > 0
        ours[idx] = (name, ns.ifindex(parent), marker(parent, vrid, v6))
    # Not ours: no alias, a foreign alias, and our marker on something that is not a macvlan.
    ns.ip("link", "add", "link", "eth0", "name", "plain", "type", "macvlan")
    ns.ip("link", "add", "link", "eth0", "name", "foreign", "type", "macvlan")
    ns.ip("link", "set", "foreign", "alias", "keepalived")
    ns.ip("link", "set", "eth1p", "alias", marker("eth1", 9))

    run = probe(ns, "walk", "vrrpd:", "walk", "vrrpd:eth0:")
    found = {}
    for ln in run.lines:
        if ln.startswith("owned "):
            kv = dict(f.split("=", 1) for f in ln.split()[1:])
            found[int(kv["ifindex"])] = (kv["name"], int(kv["parent"]), kv["alias"])
    assert found == ours
    assert run.rc("walk vrrpd:") == 3 and run.rc("walk vrrpd:eth0:") == 2

    # The callback may delete what it is handed.
    run = probe(ns, "walk-delete", "vrrpd:", "walk", "vrrpd:")
    assert run.rc("walk vrrpd:") == 3 and run.rc("walk vrrpd:", 1) == 0
    assert all(not exists(ns, n) for n, _, _ in ours.values())
    assert all(exists(ns, n) for n in ("plain", "foreign", "eth1p"))


def test_alias_marker_helpers(lab):
    ns = lab.namespace()
    run = probe(ns, "alias-make", "eth0", "5", "4", "alias-make", "enp3s0f1np1", "255", "6",
                "alias-make", "bad:name", "5", "4",
                "alias-parse", "vrrpd:eth0:5:4", "alias-parse", "vrrpd:enp3s0f1np1:255:6",
                "alias-parse", "vrrpd:eth0:0:4", "alias-parse", "vrrpd:eth0:256:4",
                "alias-parse", "vrrpd:eth0:5:5", "alias-parse", "vrrpd::5:4",
                "alias-parse", "vrrpd:eth0:5:4x", "alias-parse", "keepalived:eth0:5:4")
    assert run.lines[:2] == ["alias-make 14 vrrpd:eth0:5:4",
                             "alias-make 23 vrrpd:enp3s0f1np1:255:6"]
    assert run.rc("alias-make", 2) == -EINVAL
    assert run.lines[3:5] == ["alias-parse parent=eth0 vrid=5 family=4",
                              "alias-parse parent=enp3s0f1np1 vrid=255 family=6"]
    assert run.lines[5:] == ["alias-parse invalid"] * 6


# --------------------------------------------------------------------------------------------
# privileges and memory
# --------------------------------------------------------------------------------------------

def test_as_frr_raises_privileges_only_around_requests(lab):
    """As vrrpd runs: user frr, CAP_NET_ADMIN permitted but not effective."""
    ns = lab.namespace()
    segment(lab, ns)
    name = mvl_name(ns, "eth0", 5, v6=True)
    run = probe(ns, "--as-frr", "capeff",
                "create", name, "eth0", VMAC6, "6", marker("eth0", 5, True),
                "addr-add", name, "2001:db8::10/64", "addr-del", name, "2001:db8::10/64",
                "up", name, "alias", name, "walk", "vrrpd:", "capeff", "delete", name, "capeff")
    caps = [ln.split()[1] for ln in run.lines if ln.startswith("capeff ")]
    assert caps == ["0000000000000000"] * 3
    assert run.rc(f"create {name}") > 0
    for cmd in (f"addr-add {name} 2001:db8::10/64", f"addr-del {name} 2001:db8::10/64",
                f"up {name}", f"alias {name}", f"delete {name}"):
        assert run.rc(cmd) == 0, cmd
    assert run.rc("walk vrrpd:") == 1 and run.errors == []
    assert not exists(ns, name)


def test_valgrind_no_leaks(lab):
    """Success and failure paths alike release every libnl object."""
    ns = lab.namespace()
    segment(lab, ns)
    segment(lab, ns, "eth1")
    lab.veth(ns, "taken", ns, "takenp")
    n4, n6 = mvl_name(ns, "eth0", 5), mvl_name(ns, "eth0", 5, True)
    script = [
        "create", n4, "eth0", VMAC4, "4", marker("eth0", 5),
        "create", n6, "eth0", VMAC6, "6", marker("eth0", 5, True),
        "create", n6, "eth0", VMAC6, "6", marker("eth0", 5, True),      # reused
        "create", "taken", "eth0", VMAC4, "4", marker("eth0", 9),       # refused
        "create", "dup", "eth0", VMAC4, "4", marker("eth0", 5),         # rolled back
        "create", "nope", "9999", VMAC4, "4", marker("eth0", 5),        # no parent
        "addr-add", n4, "192.0.2.1/24", "addr-add", n4, "192.0.2.1/24",
        "addr-del", n4, "192.0.2.1/24", "addr-del", n4, "192.0.2.1/24",
        "addr-add", n6, "2001:db8::1/64", "addr-add", "9999", "2001:db8::2/64",
        "up", n4, "up", "9999", "alias", n4, "alias", "9999",
        "walk", "vrrpd:", "fini", "walk-delete", "vrrpd:", "delete", "9999",
    ]
    run = probe(ns, *script, inner=(
        "valgrind", "--leak-check=full", "--show-leak-kinds=all",
        "--errors-for-leak-kinds=definite,indirect,possible", "--error-exitcode=99"),
        timeout=120)
    assert run.rc(f"create {n4}") > 0 and run.rc("create dup") == -EADDRINUSE
    assert run.rc("walk vrrpd:") == 2
    assert "ERROR SUMMARY: 0 errors" in run.stderr
    # Not even "still reachable": the socket and every object were released.
    assert "All heap blocks were freed -- no leaks are possible" in run.stderr
    assert not exists(ns, n4) and not exists(ns, n6) and not exists(ns, "dup")
