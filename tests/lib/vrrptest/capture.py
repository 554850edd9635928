# SPDX-License-Identifier: GPL-2.0-or-later
"""Packet capture, the only copy: tcpdump started in a namespace and ended by PID (Tcpdump),
tshark's field decoding of a pcap (tshark_fields), VRRP/ARP/NA records of a pcap with their
analysis (parse_pcap, adverts, gaps_ms ...), a pcap's whole frames (pcap_frames), and the
benchmark's live advertisement capture (LiveCapture: tcpdump's text, parsed while it runs)."""

from __future__ import annotations

import re
import signal
import struct
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from vrrptest import vrrplab

# ---------------------------------------------------------------------------------------------
# tcpdump and tshark
# ---------------------------------------------------------------------------------------------


class Tcpdump:
    """tcpdump writing `pcap` from `iface` in namespace `ns` (filter `bpf`); its stderr goes to
    <pcap>.err. live=True also prints every packet on stdout (tcpdump's text, one line each,
    epoch timestamps) for the caller to read from .proc.stdout. `started` / `stopped` are
    called with the Popen, for the owner's list of helper processes. `direction` ("in" or
    "out", tcpdump -Q) keeps only what `iface` receives or sends: on a switch port, "in" is
    what the node behind it sends. `ns` is anything with `name` and `exec_argv(*argv)`
    (vrrplab.Namespace, or the topotests' vrrptopo.NodeNs)."""

    def __init__(self, ns: vrrplab.Namespace, iface: str, pcap, bpf: str = "", *,
                 live: bool = False, buffer_kib: int | None = None, started=None, stopped=None,
                 direction: str | None = None):
        self.ns, self.iface, self.pcap = ns, iface, Path(pcap)
        self.bpf, self.live, self.buffer_kib = bpf, live, buffer_kib
        self.direction = direction
        self.errfile = self.pcap.with_suffix(".err")
        self.started, self.stopped = started, stopped
        self.proc: subprocess.Popen | None = None
        self.err = None

    def argv(self) -> list[str]:
        # --immediate-mode: no ring-buffer batching, so a packet seen by a daemon's counter is
        # in the file when the capture is stopped right after; -U: written packet by packet.
        argv = ["tcpdump", "-i", self.iface, "-nn", "--immediate-mode", "-U", "-Z", "root"]
        if self.buffer_kib:
            argv += ["-B", str(self.buffer_kib)]
        if self.direction:
            argv += ["-Q", self.direction]
        if self.live:
            argv += ["-tt", "-l", "--print"]
        return argv + ["-w", str(self.pcap), *self.bpf.split()]

    def start(self, timeout: float = 10.0) -> "Tcpdump":
        """Start tcpdump and wait until it is listening; LabError (tcpdump ended) otherwise."""
        self.err = open(self.errfile, "w")
        self.proc = subprocess.Popen(
            self.ns.exec_argv(*self.argv()), stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE if self.live else subprocess.DEVNULL, stderr=self.err,
            text=True, bufsize=1 if self.live else -1)
        if self.started:
            self.started(self.proc)
        deadline = time.monotonic() + timeout
        while "listening on" not in self.errfile.read_text():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                why = (f"exited: {self.errfile.read_text()}" if self.proc.poll() is not None
                       else f"not listening within {timeout}s")
                self.stop()
                raise vrrplab.LabError(f"tcpdump on {self.ns.name}:{self.iface} {why}")
            time.sleep(0.02)
        return self

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def stop(self, grace: float = 5.0) -> str:
        """End tcpdump (SIGINT, by PID; SIGKILL after `grace`) and forget it; idempotent.
        Returns its stderr (statistics such as "N packets dropped by kernel")."""
        if self.proc is None:
            return self.errfile.read_text() if self.errfile.exists() else ""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(grace)
        if self.stopped:
            self.stopped(self.proc)
        self.proc = None
        self.err.close()
        return self.errfile.read_text()


def run_stdout(argv, timeout=60) -> str:
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


def tshark_fields(pcap, fields, display_filter: str | None = None, prefs=()) -> list[dict]:
    """One dict per frame of `pcap` (matching `display_filter`): field name -> tshark's text,
    "" when absent, every occurrence joined with ','. `prefs` are "name:value" preferences."""
    argv = ["tshark", "-n", "-r", str(pcap)]
    if display_filter:
        argv += ["-Y", display_filter]
    for p in prefs:
        argv += ["-o", p]
    argv += ["-T", "fields", "-E", "separator=/t", "-E", "occurrence=a", "-E", "aggregator=,"]
    for f in fields:
        argv += ["-e", f]
    rows = []
    for ln in run_stdout(argv).splitlines():
        row = ln.split("\t")
        if len(row) != len(fields):
            raise vrrplab.LabError(f"tshark: unexpected line {ln!r}")
        rows.append(dict(zip(fields, row)))
    return rows


# ---------------------------------------------------------------------------------------------
# records of a pcap and their analysis
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


def parse_pcap(path) -> list[Record]:
    """A pcap -> Records: fields from tshark (its VRRP dissector verifies the checksum),
    text from tcpdump."""
    rows = tshark_fields(path, TSHARK_FIELDS)
    # tcpdump prints one line per frame (no -v), in file order: frame N is line N
    text = run_stdout(["tcpdump", "-r", str(path), "-nn", "-tt"])
    lines = [ln for ln in text.splitlines() if re.match(r"^\d+\.\d+ ", ln)]
    recs = []
    for f in rows:
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


def pcap_frames(path) -> list[bytes]:
    """The frames of a classic pcap file (what tcpdump -w writes), as captured, in order: for
    comparing whole frames byte by byte, which tshark's fields do not give."""
    data = Path(path).read_bytes()
    if len(data) < 24:
        return []
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        endian = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        endian = ">"
    else:
        raise ValueError(f"{path}: not a classic pcap file")
    frames, off = [], 24
    while off + 16 <= len(data):
        caplen = struct.unpack(endian + "I", data[off + 8:off + 12])[0]
        frames.append(data[off + 16:off + 16 + caplen])
        off += 16 + caplen
    return frames


def adverts(records, src=None, vrid=None, family=None, prio=None) -> list[Record]:
    """VRRP advertisements among records, filtered by IP source / VRID / family / priority."""
    return [r for r in records if r.kind == "vrrp"
            and (src is None or r.src == src) and (vrid is None or r.vrid == vrid)
            and (family is None or r.family == family) and (prio is None or r.prio == prio)]


def gaps_ms(records) -> list[float]:
    return [(b.t - a.t) * 1000 for a, b in zip(records, records[1:])]


def period_problems(records, interval_ms: float, tol_ms: float, who: str,
                    takeover: bool = True) -> list[str]:
    """What is wrong with the gaps between one Master's advertisements, records[0] on, against
    its interval +- tol_ms. With takeover (records[0] is the takeover's advertisement), our
    vrrpd's second one comes at the next point of its parent's grid (Masters on a parent share
    their deadlines: doc/overview.rst, "Aligned advertisements"), so sooner, never later."""
    out = []
    for i, x in enumerate(gaps_ms(records)):
        if takeover and i == 0:
            if not 0 <= x <= interval_ms + tol_ms:
                out.append(f"{who}: first advertisement interval after the takeover {x:.1f} "
                           f"ms, expected at most {interval_ms} + {tol_ms:g}")
        elif abs(x - interval_ms) > tol_ms:
            out.append(f"{who} advertisement interval {x:.1f} ms, expected {interval_ms} +- "
                       f"{tol_ms:g}")
    return out


def first_after(records, t: float):
    return next((r for r in records if r.t > t), None)


def last_before(records, t: float):
    prev = [r for r in records if r.t < t]
    return prev[-1] if prev else None


def fmt_ms(xs) -> str:
    return "[" + ", ".join(f"{x:.1f}" for x in xs) + "]"


def kernel_drops(tcpdump_stderr: str) -> int | None:
    """The "N packets dropped by kernel" of tcpdump's final statistics (None if absent)."""
    m = re.search(r"(\d+) packets? dropped by kernel", tcpdump_stderr)
    return int(m.group(1)) if m else None


def garps(records, addr: str | None = None, mac: str | None = None) -> list[Record]:
    """Gratuitous ARPs among records: ARP requests or replies whose sender and target
    protocol addresses are the same (RFC 5227 announcements), for `addr`, from sender hardware
    address `mac`. ARP replies to a host's request (target = the host) are not counted."""
    return [r for r in records if r.kind == "arp" and r.arp_spa and r.arp_spa == r.arp_tpa
            and (addr is None or r.arp_spa == addr) and (mac is None or r.arp_sha == mac)]


def bursts(records, gap_s: float = 0.5) -> list[list[Record]]:
    """Records (in time order) grouped into bursts: a burst ends at a silence longer than
    gap_s."""
    out: list[list[Record]] = []
    for r in records:
        if out and r.t - out[-1][-1].t <= gap_s:
            out[-1].append(r)
        else:
            out.append([r])
    return out


# ---------------------------------------------------------------------------------------------
# live capture (the benchmark): tcpdump prints each advertisement, parsed as it arrives
# ---------------------------------------------------------------------------------------------

@dataclass
class Adv:
    t: float        # kernel timestamp (CLOCK_REALTIME, s)
    src: str
    vrid: int
    prio: int
    iface: str


ADV_RE = re.compile(r"^(\d+\.\d+) IP (\S+) > (\S+): VRRPv\d, Advertisement, vrid (\d+), "
                    r"prio (\d+)")


class LiveCapture:
    """tcpdump on `iface` in namespace `ns` (pcap + text); records grow while it runs.
    `started` / `stopped` as for Tcpdump."""

    def __init__(self, ns, iface: str, pcap: Path, bpf: str = "ip proto 112", started=None,
                 stopped=None):
        self.ns, self.iface, self.pcap = ns, iface, Path(pcap)
        self.records: list[Adv] = []
        self.cond = threading.Condition()
        self.tcpdump = Tcpdump(ns, iface, pcap, bpf, live=True, buffer_kib=8192,
                               started=started, stopped=stopped)
        self.proc = self.tcpdump.start().proc
        self.thread = threading.Thread(target=self._reader, daemon=True)
        self.thread.start()

    def _reader(self):
        for ln in self.proc.stdout:
            m = ADV_RE.match(ln)
            if not m:
                continue
            r = Adv(float(m.group(1)), m.group(2), int(m.group(4)), int(m.group(5)), self.iface)
            with self.cond:
                self.records.append(r)
                self.cond.notify_all()

    def wait_for(self, pred, start: int, timeout: float):
        """First record at index >= start satisfying pred, waiting up to timeout s."""
        deadline = time.monotonic() + timeout
        i = start
        with self.cond:
            while True:
                while i < len(self.records):
                    if pred(self.records[i]):
                        return self.records[i]
                    i += 1
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.cond.wait(min(left, 0.2))

    def snapshot(self) -> list[Adv]:
        with self.cond:
            return list(self.records)

    def stop(self) -> dict:
        err = self.tcpdump.stop(5)
        self.thread.join(5)
        return {"kernel_drops": kernel_drops(err)}
