# SPDX-License-Identifier: GPL-2.0-or-later
"""Protocol-test building blocks: VRRP LANs, seed macvlans, polling, captures, crafted packets."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import struct
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from vrrptest import vrrplab
from vrrptest.macvlan import macvlan_name, seed_commands

POLL = 0.05            # seconds between polls of `show vrrp json`
VRID = 5
VIP4 = "10.10.10.16"
VIP6_LL = "fe80::5"
VIP6_GLOBAL = "2001:db8:10::16"
GROUP4 = "224.0.0.18"
GROUP6 = "ff02::12"
BCAST_MAC = "ff:ff:ff:ff:ff:ff"

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
        return self.link(ifname)["address"]

    def protodown(self, ifname: str) -> bool:
        """`protodown on` in `ip -d link show` (checked on the text, as a user would; iproute2
        prints the field only when it is on)."""
        out = self.router.ip("-d", "link", "show", "dev", ifname)
        return re.search(r"\bprotodown on\b", out) is not None

    def link_local(self, ifname="eth1") -> str:
        """The (first) IPv6 link-local address of ifname, once DAD no longer holds it."""
        def ll():
            data = json.loads(self.router.ip("-6", "-j", "addr", "show", "dev", ifname,
                                              "scope", "link"))
            for a in (data[0].get("addr_info", []) if data else []):
                if a.get("family") == "inet6" and not a.get("tentative"):
                    return a["local"]
            return None
        return wait_until(ll, 5, f"{self.label}: link-local address on {ifname}")

    def link_locals(self, ifname: str) -> list[str]:
        """All IPv6 link-local addresses of ifname."""
        data = json.loads(self.router.ip("-6", "-j", "addr", "show", "dev", ifname,
                                         "scope", "link"))
        return [a["local"] for a in (data[0].get("addr_info", []) if data else [])
                if a.get("family") == "inet6"]

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

    def configure(self, lines):
        rc, out = self.router.vtysh_config(lines)
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
                for sig, grace in ((signal.SIGINT, 3), (signal.SIGKILL, 3)):
                    try:
                        p.send_signal(sig)
                        p.wait(grace)
                        break
                    except subprocess.TimeoutExpired:
                        problems.append(f"helper {p.pid} ignored signal {sig}")
                    except ProcessLookupError:
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

TSHARK_FIELDS = [
    "frame.number", "frame.time_epoch", "eth.src", "eth.dst", "eth.type",
    "ip.src", "ip.dst", "ip.ttl", "ip.len", "ip.hdr_len", "ip.dsfield",
    "ipv6.src", "ipv6.dst", "ipv6.hlim", "ipv6.plen",
    "vrrp.version", "vrrp.type", "vrrp.virt_rtr_id", "vrrp.prio", "vrrp.addr_count",
    "vrrp.short_adver_int", "vrrp.adver_int", "vrrp.auth_type", "vrrp.checksum",
    "vrrp.checksum.status", "vrrp.ip_addr", "vrrp.ipv6_addr",
    "arp.opcode", "arp.src.hw_mac", "arp.src.proto_ipv4", "arp.dst.hw_mac", "arp.dst.proto_ipv4",
    "icmpv6.type", "icmpv6.nd.na.target_address", "icmpv6.nd.na.flag.r",
    "icmpv6.nd.na.flag.s", "icmpv6.nd.na.flag.o", "icmpv6.opt.linkaddr",
]

# Wireshark's checksum status values (epan/proto.h: PROTO_CHECKSUM_E_*). Its VRRP dissector
# verifies VRRPv3 over IPv4 with the IPv4 pseudo-header by default (preference
# vrrp.v3_checksum_as_in_v2 = FALSE): the checksum FRR 8.4.4 sends and expects, so "good"
# here means "what stock vrrpd accepts"; v2 is checked over the message, v3 IPv6 with the
# IPv6 pseudo-header.
CKSUM_BAD, CKSUM_GOOD, CKSUM_UNVERIFIED = 0, 1, 2


@dataclass
class Record:
    """One captured frame of interest."""
    t: float                    # pcap timestamp (CLOCK_REALTIME, seconds)
    kind: str                   # "vrrp", "arp", "na" or "other"
    src_mac: str
    dst_mac: str
    src: str = ""               # IP source (v4 or v6)
    dst: str = ""
    ttl: int | None = None      # TTL / hop limit
    family: str = ""            # "v4" / "v6"
    version: int | None = None
    type: int | None = None
    vrid: int | None = None
    prio: int | None = None
    naddr: int | None = None
    interval_cs: int | None = None   # v3 Max Adver Int (cs); v2: adver int * 100
    length: int | None = None        # VRRP message length (IP payload)
    checksum_status: int | None = None
    addrs: list = field(default_factory=list)
    arp_op: int | None = None
    arp_sha: str = ""
    arp_spa: str = ""
    arp_tpa: str = ""
    na_target: str = ""
    na_flags: str = ""          # e.g. "R-O" (R, S, O set or "-")
    na_lladdr: str = ""
    text: str = ""              # tcpdump's one-line rendering

    def __str__(self):
        if self.kind == "vrrp":
            return (f"{self.t:.6f} {self.src_mac} {self.src} VRRPv{self.version} vrid {self.vrid} "
                    f"prio {self.prio} intvl {self.interval_cs}cs len {self.length} "
                    f"cksum-status {self.checksum_status}")
        if self.kind == "arp":
            return (f"{self.t:.6f} {self.src_mac} ARP op {self.arp_op} {self.arp_spa} is-at "
                    f"{self.arp_sha} (target {self.arp_tpa})")
        if self.kind == "na":
            return (f"{self.t:.6f} {self.src_mac} NA {self.na_target} flags {self.na_flags} "
                    f"lladdr {self.na_lladdr}")
        return f"{self.t:.6f} {self.src_mac} {self.text}"


def _int(s):
    s = s.split(",")[0] if s else s
    if not s:
        return None
    return int(s, 0)


class Capture:
    """tcpdump writing a pcap in a namespace; stop() ends it by PID and parses the file with
    tshark (fields) and tcpdump (text)."""

    def __init__(self, net: Net, ns: vrrplab.Namespace, iface: str):
        self.net = net
        self.ns = ns
        self.iface = iface
        fd, path = tempfile.mkstemp(prefix="cap-", suffix=".pcap", dir=net.tmp)
        os.close(fd)
        self.pcap = Path(path)
        self.errfile = self.pcap.with_suffix(".err")
        self.proc: subprocess.Popen | None = None
        self.records: list[Record] = []

    def start(self, timeout=10.0) -> "Capture":
        self.err = open(self.errfile, "w")
        self.net.files.append(self.err)
        self.proc = self.net.popen(
            # --immediate-mode: no ring-buffer batching, so a packet seen by a daemon's
            # counter is in the file when the capture is stopped right after
            self.ns, ["tcpdump", "-i", self.iface, "--immediate-mode", "-U", "-Z", "root", "-nn",
                      "-w", self.pcap, "vrrp or ip6 proto 112 or arp or icmp6"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=self.err)
        deadline = time.monotonic() + timeout
        while "listening on" not in self.errfile.read_text():
            if self.proc.poll() is not None:
                raise vrrplab.LabError(f"tcpdump exited: {self.errfile.read_text()}")
            if time.monotonic() > deadline:
                raise vrrplab.LabError(f"tcpdump not listening within {timeout}s")
            time.sleep(0.02)
        return self

    def stop(self) -> list[Record]:
        """End tcpdump (SIGINT, by PID), parse the pcap. Returns the records."""
        self.end_tcpdump()
        self.records = parse_pcap(self.pcap)
        return self.records

    def end_tcpdump(self):
        """End tcpdump (SIGINT, by PID; SIGKILL after 5 s) and forget it; idempotent."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        if self.proc is not None:
            self.err.close()
            self.net.files.remove(self.err)
            self.net.procs.remove(self.proc)
            self.proc = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc is not None:
            self.stop()
        return False


def _run_stdout(argv, timeout=60) -> str:
    """stdout of a command (stderr, e.g. tshark's "Running as user root", is dropped)."""
    try:
        cp = subprocess.run([str(a) for a in argv], stdin=subprocess.DEVNULL,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            timeout=timeout)
    except subprocess.TimeoutExpired:
        raise vrrplab.LabError(f"timeout after {timeout}s: {argv}") from None
    if cp.returncode != 0:
        raise vrrplab.LabError(f"{argv[0]} failed rc={cp.returncode}: {cp.stderr}")
    return cp.stdout


def parse_pcap(path) -> list[Record]:
    """A pcap -> Records: fields from tshark (its VRRP dissector verifies the checksum),
    text from tcpdump."""
    argv = ["tshark", "-n", "-r", str(path), "-T", "fields", "-E", "separator=/t",
            "-E", "occurrence=a", "-E", "aggregator=,"]
    for f in TSHARK_FIELDS:
        argv += ["-e", f]
    fields = _run_stdout(argv)
    # tcpdump prints one line per frame (no -v), in file order: frame N is line N
    text = _run_stdout(["tcpdump", "-r", str(path), "-nn", "-tt"])
    lines = [ln for ln in text.splitlines() if re.match(r"^\d+\.\d+ ", ln)]
    recs = []
    for ln in fields.splitlines():
        row = ln.split("\t")
        if len(row) != len(TSHARK_FIELDS):
            raise vrrplab.LabError(f"tshark: unexpected line {ln!r}")
        f = dict(zip(TSHARK_FIELDS, row))
        r = Record(t=float(f["frame.time_epoch"]), kind="other", src_mac=f["eth.src"],
                   dst_mac=f["eth.dst"])
        n = int(f["frame.number"])
        r.text = lines[n - 1] if n <= len(lines) else ""
        if f["ip.src"]:
            r.family, r.src, r.dst, r.ttl = "v4", f["ip.src"], f["ip.dst"], _int(f["ip.ttl"])
        elif f["ipv6.src"]:
            r.family, r.src, r.dst = "v6", f["ipv6.src"], f["ipv6.dst"]
            r.ttl = _int(f["ipv6.hlim"])
        if f["vrrp.version"]:
            r.kind = "vrrp"
            r.version = _int(f["vrrp.version"])
            r.type = _int(f["vrrp.type"])
            r.vrid = _int(f["vrrp.virt_rtr_id"])
            r.prio = _int(f["vrrp.prio"])
            r.naddr = _int(f["vrrp.addr_count"])
            if r.version == 3:
                r.interval_cs = _int(f["vrrp.short_adver_int"])
            else:
                ai = _int(f["vrrp.adver_int"])
                r.interval_cs = None if ai is None else ai * 100
            r.checksum_status = _int(f["vrrp.checksum.status"])
            r.addrs = [a for a in (f["vrrp.ip_addr"] + "," + f["vrrp.ipv6_addr"]).split(",") if a]
            if r.family == "v4":
                r.length = _int(f["ip.len"]) - _int(f["ip.hdr_len"])
            else:
                r.length = _int(f["ipv6.plen"])
        elif f["arp.opcode"]:
            r.kind = "arp"
            r.arp_op = _int(f["arp.opcode"])
            r.arp_sha, r.arp_spa, r.arp_tpa = (f["arp.src.hw_mac"], f["arp.src.proto_ipv4"],
                                               f["arp.dst.proto_ipv4"])
        elif f["icmpv6.type"] == "136":
            r.kind = "na"
            r.na_target = f["icmpv6.nd.na.target_address"]
            r.na_flags = "".join(c if f[f"icmpv6.nd.na.flag.{c.lower()}"] in ("1", "True")
                                 else "-" for c in "RSO")
            r.na_lladdr = f["icmpv6.opt.linkaddr"].split(",")[-1]
        recs.append(r)
    return recs


def adverts(records, src=None, vrid=None, family=None, prio=None) -> list[Record]:
    """VRRP advertisements among records, filtered by IP source / VRID / family / priority."""
    return [r for r in records if r.kind == "vrrp"
            and (src is None or r.src == src) and (vrid is None or r.vrid == vrid)
            and (family is None or r.family == family) and (prio is None or r.prio == prio)]


def gaps_ms(records) -> list[float]:
    return [(b.t - a.t) * 1000 for a, b in zip(records, records[1:])]


# ---------------------------------------------------------------------------------------------
# crafted packets
# ---------------------------------------------------------------------------------------------

def inet_csum(data: bytes) -> int:
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


def _ip4(a: str) -> bytes:
    import socket
    return socket.inet_pton(socket.AF_INET, a)


def _ip6(a: str) -> bytes:
    import socket
    return socket.inet_pton(socket.AF_INET6, a)


def _mac(m: str) -> bytes:
    return bytes.fromhex(m.replace(":", ""))


def vrrp_message(family="v4", version=3, type_=1, vrid=VRID, prio=100, addrs=(VIP4,),
                 naddr=None, interval_cs=100, adver_int=1, auth_type=0,
                 auth_data=b"\0" * 8, src="10.10.10.99", dst=None, checksum="good",
                 v4_pseudo=True) -> bytes:
    """A VRRP message (no IP header). version 3: 12-bit Max Adver Int (cs); version 2: auth
    type, Adver Int (s) and 8 bytes of auth data. The checksum is the one FRR 8.4.4 sends and
    expects: v2 over the message; v3 IPv4 with the IPv4 pseudo-header (v4_pseudo); v3 IPv6
    with the IPv6 pseudo-header. checksum="bad" flips it; an int is used as is."""
    pack = _ip4 if family == "v4" else _ip6
    body = b"".join(pack(a) for a in addrs)
    n = len(addrs) if naddr is None else naddr
    if version == 2:
        hdr = struct.pack("!BBBBBBH", (version << 4) | type_, vrid, prio, n, auth_type,
                          adver_int, 0)
        msg = hdr + body + auth_data
    else:
        hdr = struct.pack("!BBBBHH", (version << 4) | type_, vrid, prio, n,
                          interval_cs & 0x0FFF, 0)
        msg = hdr + body
    if isinstance(checksum, int):
        ck = checksum
    else:
        if dst is None:
            dst = GROUP4 if family == "v4" else GROUP6
        if family == "v6":
            pseudo = _ip6(src) + _ip6(dst) + struct.pack("!I3xB", len(msg), 112)
        elif version == 3 and v4_pseudo:
            pseudo = _ip4(src) + _ip4(dst) + struct.pack("!xBH", 112, len(msg))
        else:
            pseudo = b""
        ck = inet_csum(pseudo + msg)
        if checksum == "bad":
            ck ^= 0x5a5a
    return msg[:6] + struct.pack("!H", ck) + msg[8:]


def ipv4_frame(src_mac: str, src: str, payload: bytes, dst=GROUP4, ttl=255, proto=112,
               tos=0xC0) -> bytes:
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, tos, 20 + len(payload), 0, 0x4000, ttl, proto, 0,
                      _ip4(src), _ip4(dst))
    hdr = hdr[:10] + struct.pack("!H", inet_csum(hdr)) + hdr[12:]
    d = _ip4(dst)
    dmac = bytes([0x01, 0x00, 0x5E, d[1] & 0x7F, d[2], d[3]])
    return dmac + _mac(src_mac) + b"\x08\x00" + hdr + payload


def ipv6_frame(src_mac: str, src: str, payload: bytes, dst=GROUP6, hlim=255, nh=112) -> bytes:
    hdr = struct.pack("!IHBB16s16s", (6 << 28) | (0xC0 << 20), len(payload), nh, hlim,
                      _ip6(src), _ip6(dst))
    dmac = b"\x33\x33" + _ip6(dst)[12:]
    return dmac + _mac(src_mac) + b"\x86\xdd" + hdr + payload


SENDER_CODE = r"""
import json, select, socket, sys, time
ifname = sys.argv[1]
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
s.bind((ifname, 0))
s.setblocking(False)
def is_vrrp(p, mac):
    if p[6:12] != mac:
        return False
    if p[12:14] == b"\x08\x00":
        return len(p) > 34 and p[23] == 112 and p[34 + 2] != 0
    if p[12:14] == b"\x86\xdd":
        return len(p) > 56 and p[20] == 112 and p[54 + 2] != 0
    return False
print(json.dumps({"ready": True}), flush=True)
for line in sys.stdin:
    req = json.loads(line)
    rep = {}
    if req.get("sync"):
        mac = bytes.fromhex(req["sync"].replace(":", ""))
        while True:
            try:
                s.recv(65535)
            except BlockingIOError:
                break
        deadline = time.monotonic() + req.get("timeout", 5)
        found = None
        while found is None and time.monotonic() < deadline:
            r, _, _ = select.select([s], [], [], max(0, deadline - time.monotonic()))
            while r:
                try:
                    p = s.recv(65535)
                except BlockingIOError:
                    break
                if is_vrrp(p, mac):
                    found = time.time()
                    break
        rep["synced"] = found
        if found is None:
            print(json.dumps(rep), flush=True)
            continue
    rep["sent"] = []
    for f in req.get("frames", []):
        s.send(bytes.fromhex(f))
        rep["sent"].append(time.time())
    print(json.dumps(rep), flush=True)
"""


class Sender:
    """A helper process in a namespace that sends raw Ethernet frames on an interface
    (AF_PACKET), optionally right after the next VRRP advertisement (priority > 0) seen there
    from a given source MAC."""

    def __init__(self, net: Net, ns: vrrplab.Namespace, iface: str):
        # the namespace name on the command line lets vrrplab's stray-process safety net find it
        self.proc = net.popen(ns, ["/usr/bin/python3", "-u", "-c", SENDER_CODE, iface, ns.name],
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


def first_after(records, t: float):
    return next((r for r in records if r.t > t), None)


def last_before(records, t: float):
    prev = [r for r in records if r.t < t]
    return prev[-1] if prev else None


def fmt_ms(xs) -> str:
    return "[" + ", ".join(f"{x:.1f}" for x in xs) + "]"
