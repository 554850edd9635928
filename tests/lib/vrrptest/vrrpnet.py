# SPDX-License-Identifier: GPL-2.0-or-later
"""Protocol-test building blocks: VRRP LANs of seed routers (Node, Net and the `net` fixture),
the seed scenario, configuration lines, polling `show vrrp`, the LAN's capture and the packet
sender. Formulas, macvlans, capture decoding and packet building live in their own modules."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from vrrptest import capture, vrrplab
from vrrptest.macvlan import macvlan_name, seed_commands
from vrrptest.packets import RAWSOCK

POLL = 0.05            # seconds between polls of `show vrrp json`
VRID = 5
VIP4 = "10.10.10.16"
VIP6_LL = "fe80::5"
VIP6_GLOBAL = "2001:db8:10::16"

# The seed: dev1 (priority 210) must win over dev2 (priority 200); dev3 for three-router LANs.
SEED = {
    "dev1": {"v4": "10.10.10.15/24", "v6": "2001:db8:10::15/64", "prio": 210},
    "dev2": {"v4": "10.10.10.10/24", "v6": "2001:db8:10::10/64", "prio": 200},
    "dev3": {"v4": "10.10.10.20/24", "v6": "2001:db8:10::20/64", "prio": 100},
}


# ---------------------------------------------------------------------------------------------
# polling
# ---------------------------------------------------------------------------------------------

def wait_until(pred, timeout: float, what: str = "condition", interval: float = POLL):
    """Call pred() until it returns something truthy (returned) or `timeout` seconds pass
    (AssertionError naming `what` and the last value)."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        last = pred()
        if last:
            return last
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:g}s waiting for {what}; "
                                 f"last: {last!r}")
        time.sleep(interval)


def holds_for(pred, duration: float, interval: float = POLL):
    """Poll pred() for `duration` seconds; return (True, None) if it held every time, else
    (False, value-of-the-failing-poll)."""
    deadline = time.monotonic() + duration
    while True:
        v = pred()
        if not v:
            return False, v
        if time.monotonic() >= deadline:
            return True, None
        time.sleep(interval)


# ---------------------------------------------------------------------------------------------
# configuration lines
# ---------------------------------------------------------------------------------------------

def vrrp_lines(vrid=VRID, prio=None, v4=(), v6=(), version=None, interval=None, iface="eth1",
               extra=()) -> list[str]:
    """configure-mode lines for one virtual router, in the seed's order."""
    lines = [f"interface {iface}", f"vrrp {vrid}"]
    if version is not None:
        lines.append(f"vrrp {vrid} version {version}")
    if prio is not None:
        lines.append(f"vrrp {vrid} priority {prio}")
    if interval is not None:
        lines.append(f"vrrp {vrid} advertisement-interval {interval}")
    lines += [f"vrrp {vrid} ip {a}" for a in v4]
    lines += [f"vrrp {vrid} ipv6 {a}" for a in v6]
    lines += [f"vrrp {vrid} {e}" for e in extra]
    return lines


def lines_to_conf(lines) -> str:
    """A vrrpd.conf text from vrrp_lines() output (interface blocks closed with exit)."""
    out = []
    for ln in lines:
        if ln.startswith("interface "):
            if out:
                out.append("exit")
            out.append(ln)
        else:
            out.append(" " + ln)
    out.append("exit")
    return "\n".join(out) + "\n!\n"


# ---------------------------------------------------------------------------------------------
# nodes and LANs
# ---------------------------------------------------------------------------------------------

def link_local(ns: vrrplab.Namespace, ifname="eth1", label="") -> str:
    """The (first) IPv6 link-local address of ifname in ns, once DAD no longer holds it."""
    def ll():
        data = json.loads(ns.ip("-6", "-j", "addr", "show", "dev", ifname, "scope", "link"))
        for a in (data[0].get("addr_info", []) if data else []):
            if a.get("family") == "inet6" and not a.get("tentative"):
                return a["local"]
        return None
    return wait_until(ll, 5, f"{label or ns.name}: link-local address on {ifname}")


def fixed_link_local(ns: vrrplab.Namespace, addr: str, ifname="eth1"):
    """Replace ifname's kernel-made link-local with addr, without DAD and for good
    (addrgenmode none). Observed here: a link-local's DAD can stay tentative for over 15 s
    when two namespaces join the bridge at once, and for good when its ports stop flooding
    multicast meanwhile (Switch.block_multicast); tests that name link-locals as peers use
    fixed ones."""
    ns.ip("link", "set", ifname, "addrgenmode", "none")
    ns.ip("-6", "addr", "flush", "dev", ifname, "scope", "link")
    ns.ip("-6", "addr", "add", f"{addr}/64", "dev", ifname, "nodad")


def mac_of(ns: vrrplab.Namespace, ifname="eth1") -> str:
    return json.loads(ns.ip("-j", "link", "show", "dev", ifname))[0]["address"]


def pin_neighbour(ns: vrrplab.Namespace, addr: str, mac: str, ifname="eth1"):
    """A permanent IPv6 neighbour entry: on a LAN without multicast (Switch.block_multicast)
    neighbour solicitations do not arrive, so unicast to addr needs its MAC given."""
    ns.ip("-6", "neigh", "replace", addr, "lladdr", mac, "dev", ifname, "nud", "permanent")


class Node:
    """A router on the LAN: vrplab Router + the protocol helpers the tests use."""

    def __init__(self, net: "Net", label: str, router: vrrplab.Router, v4: str, v6: str | None):
        self.net = net
        self.label = label
        self.router = router
        self.ns = router.ns
        self.addr4 = v4.split("/")[0]
        self.prefix4 = v4
        self.addr6 = v6.split("/")[0] if v6 else None
        self.macvlans: dict[tuple[str, int], str] = {}

    def __repr__(self):
        return f"{self.label}({self.router.name}, {self.router.vrrpd_bin})"

    # links ----------------------------------------------------------------------------------
    def link(self, ifname: str) -> dict:
        out = self.router.ip("-d", "-j", "link", "show", "dev", ifname)
        return json.loads(out)[0]

    def ifindex(self, ifname="eth1") -> int:
        return self.router.ifindex(ifname)

    def mac(self, ifname="eth1") -> str:
        return mac_of(self.ns, ifname)

    def protodown(self, ifname: str) -> bool:
        """`protodown on` in `ip -d link show` (checked on the text, as a user would; iproute2
        prints the field only when it is on)."""
        out = self.router.ip("-d", "link", "show", "dev", ifname)
        return re.search(r"\bprotodown on\b", out) is not None

    def link_local(self, ifname="eth1") -> str:
        """The (first) IPv6 link-local address of ifname, once DAD no longer holds it."""
        return link_local(self.ns, ifname, self.label)

    def link_locals(self, ifname: str) -> list[str]:
        """All IPv6 link-local addresses of ifname."""
        data = json.loads(self.router.ip("-6", "-j", "addr", "show", "dev", ifname,
                                         "scope", "link"))
        return [a["local"] for a in (data[0].get("addr_info", []) if data else [])
                if a.get("family") == "inet6"]

    def pin_neighbour(self, addr: str, mac: str, ifname="eth1"):
        pin_neighbour(self.ns, addr, mac, ifname)

    def make_macvlan(self, family="v4", vrid=VRID, addrs=None, parent="eth1") -> str:
        """The seed's manual macvlan (macvlan.seed_commands) named as ours names its own,
        with the virtual addresses by default; IPv6 ones keep their addresses on down."""
        name = macvlan_name(family, self.ifindex(parent), vrid)
        if addrs is None:
            addrs = [f"{VIP4}/24"] if family == "v4" else [f"{VIP6_GLOBAL}/64"]
        self.ns.run_all(seed_commands(name, parent, family, vrid, addrs, keep_addr_on_down=True))
        self.macvlans[(family, vrid)] = name
        return name

    # vrrpd ----------------------------------------------------------------------------------
    @property
    def vrrpd(self) -> vrrplab.Daemon:
        return self.router.vrrpd

    def configure(self, lines, binary=None):
        """Configure-mode lines through vtysh: Debian's, or `binary` (ours, for extensions)."""
        rc, out = self.router.vtysh_config(lines, binary=binary)
        assert rc == 0 and out == "", f"{self.label}: vtysh config {lines} -> rc={rc}\n{out}"

    def show_json(self) -> list:
        rc, out = self.router.vtysh("show vrrp json", timeout=10)
        assert rc == 0, f"{self.label}: show vrrp json rc={rc}\n{out}"
        try:
            return json.loads(out)
        except ValueError:
            raise AssertionError(f"{self.label}: show vrrp json is not JSON:\n{out}") from None

    def show_text(self, *args) -> str:
        rc, out = self.router.vtysh(" ".join(("show vrrp",) + args), timeout=10)
        assert rc == 0, f"{self.label}: show vrrp rc={rc}\n{out}"
        return out

    def vr(self, vrid=VRID, iface="eth1") -> dict | None:
        for v in self.show_json():
            if v.get("vrid") == vrid and v.get("interface") == iface:
                return v
        return None

    def status(self, family="v4", vrid=VRID) -> str | None:
        v = self.vr(vrid)
        return v[family]["status"] if v else None

    def wait_status(self, status, family="v4", vrid=VRID, timeout=10.0) -> dict:
        def ok():
            v = self.vr(vrid)
            return v if v and v[family]["status"] == status else None
        return wait_until(ok, timeout, f"{self.label} vrid {vrid} {family} {status}")

    def kill9(self) -> float:
        """SIGKILL vrrpd (an intended death: teardown must not report it); returns the
        CLOCK_REALTIME time of the kill. The stale pid file is removed for a restart."""
        d = self.vrrpd
        d.stopped = True
        t = time.time()
        d.signal(signal.SIGKILL)
        assert d.wait(5) is not None, f"{self.label}: vrrpd survived SIGKILL"
        d.pidfile.unlink(missing_ok=True)
        return t

    def start_vrrpd(self, config: str = "") -> vrrplab.Daemon:
        """(Re)start vrrpd with `config` (vrrpd.conf text)."""
        old = self.router.daemons.get("vrrpd")
        if old is not None and old.alive():
            old.stop()
        if old is not None:
            old.pidfile.unlink(missing_ok=True)
        return self.router.start_vrrpd(config)


# How long a helper (capture, sender, flood generator) may take to end after a signal; they
# take 0.03 s. Over a second is printed; still there after this long is a problem.
HELPER_EXIT_S = 5.0


class Net:
    """Everything a protocol test builds on top of the `lab` fixture: nodes on one switch,
    captures and packet senders. close() stops the helper processes (by PID)."""

    def __init__(self, lab: vrrplab.Lab):
        self.lab = lab
        self.switch: vrrplab.Switch | None = None
        self.nodes: dict[str, Node] = {}
        self.procs: list[subprocess.Popen] = []
        self.files: list = []
        self.tmp = Path(tempfile.mkdtemp(prefix="vrrpnet-"))

    def close(self):
        problems = []
        for p in self.procs:
            if p.poll() is None:
                # SIGTERM, not SIGINT: a shell without job control starts a background job
                # with SIGINT ignored (POSIX), its children inherit that, and Python and
                # floodgen keep it, so a suite run that way saw every helper "ignore" SIGINT.
                for sig in (signal.SIGTERM, signal.SIGKILL):
                    t0 = time.monotonic()
                    try:
                        p.send_signal(sig)
                        p.wait(HELPER_EXIT_S)
                    except subprocess.TimeoutExpired:
                        problems.append(f"helper {p.pid} ignored signal {sig} for "
                                        f"{HELPER_EXIT_S:g} s")
                        continue
                    except ProcessLookupError:
                        break
                    took = time.monotonic() - t0
                    if took > 1:
                        print(f"helper {p.pid} took {took:.1f} s to exit after signal {sig}")
                    break
            for f in (p.stdin, p.stdout, p.stderr):
                if f is not None:
                    f.close()
        self.procs.clear()
        for f in self.files:
            f.close()
        self.files.clear()
        if not os.environ.get("VRRPLAB_KEEP"):
            shutil.rmtree(self.tmp, ignore_errors=True)
        return problems

    def node(self, label: str, binary=None, v4: str | None = None, v6: str | None = None,
             start=True) -> Node:
        """A router attached with eth1 to the LAN's switch, seed addresses by label, zebra and
        vrrpd (`binary`, default: the vrrpd under test) started with an empty config."""
        if self.switch is None:
            self.switch = self.lab.switch()
        seed = SEED.get(label, {})
        v4 = v4 or seed["v4"]
        v6 = v6 if v6 is not None else seed.get("v6")
        r = self.lab.router(vrrpd_bin=binary)
        self.switch.attach(r, "eth1", [v4])
        if v6:
            # the parent's global is there for realism; no DAD delay on a fresh LAN
            r.ip("addr", "add", v6, "dev", "eth1", "nodad")
        n = Node(self, label, r, v4, v6)
        self.nodes[label] = n
        if start:
            r.start()
        return n

    # helpers in namespaces ------------------------------------------------------------------
    def popen(self, ns: vrrplab.Namespace, argv, **kw) -> subprocess.Popen:
        p = subprocess.Popen(ns.exec_argv(*argv), **kw)
        self.procs.append(p)
        return p

    def capture(self, ns=None, iface="br0") -> "Capture":
        """Start a capture (tcpdump, pcap file) on the switch's bridge by default: it sees every
        multicast and broadcast frame of the LAN, from all routers, with kernel timestamps."""
        if ns is None:
            ns = self.switch.ns
        return Capture(self, ns, iface).start()

    def sender(self, node: Node, iface="eth1") -> "Sender":
        return Sender(self, node.ns, iface)


@pytest.fixture
def net(lab):
    """A Net on the test's Lab; its helper processes end before the lab is torn down."""
    n = Net(lab)
    try:
        yield n
    finally:
        problems = n.close()
    if problems:
        pytest.fail("vrrpnet teardown problems:\n" + "\n".join(problems), pytrace=False)


def seed_pair(net: Net, bin1=None, bin2=None, families=("v4",), vrid=VRID, version=None,
              interval=None, prio1=210, prio2=200, configure=True):
    """The seed scenario on a fresh LAN: dev1 and dev2 with their seed macvlans (per family),
    vrrpd configured (dev1 first) with the seed VR. Returns (dev1, dev2); does not wait for the
    election."""
    d1 = net.node("dev1", bin1)
    d2 = net.node("dev2", bin2)
    for n in (d1, d2):
        for fam in families:
            n.make_macvlan(fam, vrid)
    if configure:
        for n, prio in ((d1, prio1), (d2, prio2)):
            n.configure(seed_lines(families, vrid, prio, version, interval))
    return d1, d2


# The parents' link-locals on LANs without multicast (fixed_link_local).
UNICAST_LL = {"dev1": "fe80::15", "dev2": "fe80::10"}


def unicast_pair(net: Net, families=("v4",), vrid=VRID, bin1=None, bin2=None):
    """The seed pair on a LAN that carries no multicast (every bridge port mcast_flood off),
    with fixed parent link-locals (UNICAST_LL), each pinned as a neighbour on the other. No vrrpd configuration yet.
    Returns (dev1, dev2)."""
    d1, d2 = seed_pair(net, bin1, bin2, families, vrid, configure=False)
    for n in (d1, d2):
        fixed_link_local(n.ns, UNICAST_LL[n.label])
    net.switch.block_multicast()
    for a, b in ((d1, d2), (d2, d1)):
        a.pin_neighbour(UNICAST_LL[b.label], b.mac())
    return d1, d2


def unicast_peer_lines(peers, vrid=VRID, iface="eth1") -> list[str]:
    """configure-mode lines giving a router its unicast peers."""
    return [f"interface {iface}"] + [f"vrrp {vrid} unicast-peer {p}" for p in peers]


def seed_lines(families=("v4",), vrid=VRID, prio=210, version=None, interval=None) -> list[str]:
    return vrrp_lines(vrid, prio, v4=[VIP4] if "v4" in families else [],
                      v6=[VIP6_LL, VIP6_GLOBAL] if "v6" in families else [],
                      version=version, interval=interval)


# ---------------------------------------------------------------------------------------------
# show vrrp (text)
# ---------------------------------------------------------------------------------------------

def parse_show_vrrp(text: str) -> list[dict]:
    """`show vrrp` text -> one dict per virtual router: label -> value (stripped), plus
    "IPv4 Addresses list" / "IPv6 Addresses list" for the dotted address rows."""
    vrs, cur, last_list = [], None, None
    for ln in text.splitlines():
        if not ln.strip():
            continue
        m = re.match(r"^\s*(\.{10,})\s+(\S+)\s*$", ln)
        if m and cur is not None and last_list:
            cur[last_list + " list"].append(m.group(2))
            continue
        m = re.match(r"^ (\S.*?)(?:\s{2,}(.*?))?\s*$", ln)
        if not m:
            continue
        label, value = m.group(1).strip(), (m.group(2) or "").strip()
        if label == "Virtual Router ID":
            cur = {}
            vrs.append(cur)
        if cur is None:
            continue
        cur[label] = value
        if label in ("IPv4 Addresses", "IPv6 Addresses"):
            last_list = label
            cur[label + " list"] = []
    return vrs


# ---------------------------------------------------------------------------------------------
# captures
# ---------------------------------------------------------------------------------------------

class Capture:
    """A capture.Tcpdump of the LAN into a pcap in the Net's work dir, among the Net's helper
    processes while it runs; stop() ends it by PID and parses the file (capture.parse_pcap)."""

    BPF = "vrrp or ip6 proto 112 or arp or icmp6"

    def __init__(self, net: Net, ns: vrrplab.Namespace, iface: str):
        self.net = net
        fd, path = tempfile.mkstemp(prefix="cap-", suffix=".pcap", dir=net.tmp)
        os.close(fd)
        self.pcap = Path(path)
        self.tcpdump = capture.Tcpdump(ns, iface, self.pcap, self.BPF,
                                       started=net.procs.append, stopped=net.procs.remove)
        self.records: list[capture.Record] = []

    def start(self, timeout=10.0) -> "Capture":
        self.tcpdump.start(timeout)
        return self

    def stop(self) -> list[capture.Record]:
        """End tcpdump (SIGINT, by PID), parse the pcap. Returns the records."""
        self.end_tcpdump()
        self.records = capture.parse_pcap(self.pcap)
        return self.records

    def end_tcpdump(self):
        """End tcpdump (SIGINT, by PID; SIGKILL after 5 s) and forget it; idempotent."""
        self.tcpdump.stop(5)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.tcpdump.proc is not None:
            self.stop()
        return False


# ---------------------------------------------------------------------------------------------
# the packet sender
# ---------------------------------------------------------------------------------------------

class Sender:
    """A helper process in a namespace (rawsock.py frames) that sends raw Ethernet frames on
    an interface (AF_PACKET), optionally right after the next VRRP advertisement (priority > 0)
    seen there from a given source MAC."""

    def __init__(self, net: Net, ns: vrrplab.Namespace, iface: str):
        # the namespace name on the command line lets vrrplab's stray-process safety net find it
        self.proc = net.popen(ns, ["/usr/bin/python3", "-u", RAWSOCK, "frames", iface, ns.name],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
        self._read(10)

    def _read(self, timeout) -> dict:
        import select
        r, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not r:
            raise vrrplab.LabError(f"sender {self.proc.pid}: no answer within {timeout}s")
        line = self.proc.stdout.readline()
        if not line:
            raise vrrplab.LabError(f"sender {self.proc.pid} exited rc={self.proc.poll()}")
        try:
            return json.loads(line)
        except ValueError:
            raise vrrplab.LabError(f"sender: {line}{self.proc.stdout.read()}") from None

    def send(self, frames, after_advert_from: str | None = None, timeout=5.0) -> dict:
        req = {"frames": [f.hex() for f in frames]}
        if after_advert_from:
            req["sync"] = after_advert_from
            req["timeout"] = timeout
        self.proc.stdin.write(json.dumps(req) + "\n")
        self.proc.stdin.flush()
        rep = self._read(timeout + 5)
        if after_advert_from and not rep.get("synced"):
            raise AssertionError(f"no VRRP advertisement from {after_advert_from} within "
                                 f"{timeout}s")
        return rep


# ---------------------------------------------------------------------------------------------
# roles and capture analysis
# ---------------------------------------------------------------------------------------------

def wait_roles(master: Node, backup: Node, families=("v4",), vrid=VRID, timeout=10.0):
    """Wait until `master` is Master and `backup` is Backup in every family; returns the two
    VR dicts of `show vrrp json`."""
    seen = {}

    def ok():
        m, b = master.vr(vrid), backup.vr(vrid)
        seen.update({f: (m and m[f]["status"], b and b[f]["status"]) for f in families})
        if m and b and all(m[f]["status"] == "Master" and b[f]["status"] == "Backup"
                           for f in families):
            return m, b
        return None
    try:
        return wait_until(ok, timeout, f"{master.label} Master / {backup.label} Backup "
                                       f"(vrid {vrid} {'+'.join(families)})")
    except AssertionError as e:
        raise AssertionError(f"{e}\n  last seen ({master.label}, {backup.label}): {seen}") \
            from None


def wait_adver_tx(node: Node, count: int, family="v4", vrid=VRID, timeout=10.0) -> dict:
    """Wait until node's adverTx (family) reaches count."""
    def ok():
        v = node.vr(vrid)
        return v if v and v[family]["stats"]["adverTx"] >= count else None
    return wait_until(ok, timeout, f"{node.label} {family} adverTx >= {count}")


