# SPDX-License-Identifier: GPL-2.0-or-later
"""The socket adapters on the real kernel: vrrpd/vrrp_sock.c and vrrpd/vrrp_announce.c, driven by
tests/adapters/sock_probe in namespaces, checked with tcpdump captures decoded by tshark.

Topology (the `topo` fixture; a few tests build only R and P). DAD is off unless a test turns it
on, and nothing is sent before every interface is operationally up:

    R: eth0 192.0.2.1/24 ---------- P: eth0 192.0.2.2/24      (the VRRP segment)
       mv4 macvlan bridge on eth0, MAC 00:00:5e:00:01:05
       mv6 macvlan bridge on eth0, MAC 00:00:5e:00:02:05, addrgenmode random
       eth1 198.51.100.1/24 ------ Q: eth0 198.51.100.2/24    (another segment)
"""

import json
import os
import re
import select
import signal
import subprocess
import time

import pytest

from vrrptest import capture, vrrplab
from vrrptest.flood import Floodgen, raw_drops
from vrrptest.macvlan import vmac
from vrrptest.packets import RAWSOCK, inet_csum, ipv4_frame, vrrp_message

PROBE = vrrplab.REPO_ROOT / "tests" / "adapters" / "sock_probe"
VMAC4 = vmac("v4", 5)
VMAC6 = vmac("v6", 5)
ENETDOWN = -100
ENXIO = -6
CS6 = "48"


@pytest.fixture(scope="module", autouse=True)
def _probe_built():
    if not os.access(PROBE, os.X_OK):
        pytest.fail(f"{PROBE} is missing or not executable: build it first "
                    f"(scripts/build.sh or make tests/adapters/sock_probe)", pytrace=False)


# --------------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------------

def sysctl(ns, *settings):
    ns.run("sysctl", "-qw", *settings)


def link_local(ns, ifname) -> str:
    out = ns.ip("-6", "addr", "show", "dev", ifname, "scope", "link")
    m = re.search(r"inet6 (fe80::[0-9a-f:]+)/64", out)
    assert m, out
    return m.group(1)


def results(lines, cmd) -> list[int]:
    """The return codes printed for `cmd` ("send", "garp", ...), in order."""
    return [int(ln.split()[-1]) if " (" not in ln else int(ln.split(" (")[0].split()[-1])
            for ln in lines if ln.split()[:1] == [cmd]]


def rx_lines(lines) -> list[dict]:
    """The "rx key=value ..." lines sock_probe prints for received datagrams."""
    return [dict(kv.split("=", 1) for kv in ln.split()[1:]) for ln in lines
            if ln.startswith("rx ")]


def probe(ns, *args, timeout=20) -> list[str]:
    """Run sock_probe to completion in ns; returns its stdout lines (stderr goes to the report)."""
    cp = subprocess.run(ns.exec_argv(PROBE, *args), stdin=subprocess.DEVNULL,
                        capture_output=True, text=True, timeout=timeout)
    print(f"sock_probe {' '.join(map(str, args))}\n{cp.stdout}{cp.stderr}")
    assert cp.returncode == 0, cp.stderr
    return cp.stdout.splitlines()


def read_until(fd, buf: bytearray, pred, deadline) -> list[str] | None:
    """Read lines from a raw pipe fd (no Python buffering, so select() stays truthful) until
    a line satisfies pred; returns the lines read, or None on timeout or end of file."""
    lines = []
    while True:
        while b"\n" in buf:
            i = buf.index(b"\n")
            ln = buf[:i].decode(errors="replace")
            del buf[:i + 1]
            lines.append(ln)
            if pred(ln):
                return lines
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([fd], [], [], left)[0]:
            return None
        chunk = os.read(fd, 4096)
        if not chunk:
            return None
        buf += chunk


class Probe:
    """sock_probe running in the background, synchronised on its "ready" lines."""

    def __init__(self, ns, *args):
        self.args = args
        self.proc = subprocess.Popen(ns.exec_argv(PROBE, *args), stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.buf = bytearray()
        self.lines: list[str] = []
        self.err = ""

    def wait_ready(self, timeout=10):
        got = read_until(self.proc.stdout.fileno(), self.buf, lambda ln: ln == "ready",
                         time.monotonic() + timeout)
        if got is None:
            self.kill()
            pytest.fail(f"sock_probe {self.args} never got ready: {self.buf!r}\n"
                        + self.proc.stderr.read().decode(errors="replace"))
        self.lines += got

    def resume(self):
        """Answer a "wait" command."""
        self.proc.stdin.write(b"go\n")
        self.proc.stdin.flush()

    def finish(self, timeout=20) -> list[str]:
        try:
            out, err = self.proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            pytest.fail(f"sock_probe {self.args} did not finish within {timeout}s")
        self.lines += (bytes(self.buf) + out).decode(errors="replace").splitlines()
        self.err = err.decode(errors="replace")
        print(f"sock_probe {' '.join(map(str, self.args))}\n" + "\n".join(self.lines) + "\n"
              + self.err)
        assert self.proc.returncode == 0, err
        return self.lines

    def kill(self):
        """Safety net for failures: end the probe we started, by its PID."""
        if self.proc.poll() is None:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(5)


class Capture:
    """capture.Tcpdump on ns:ifname into a pcap file, read back with tshark's fields."""

    def __init__(self, ns, ifname, path, bpf=""):
        self.path = path
        self.tcpdump = capture.Tcpdump(ns, ifname, path, bpf).start()

    def stop(self):
        time.sleep(0.3)  # let the last frames reach the capture
        self.tcpdump.stop(5)

    def fields(self, display_filter, *fields) -> list[dict]:
        """One dict per matching frame, field name -> tshark's text ("" when absent)."""
        return capture.tshark_fields(self.path, fields, display_filter)


@pytest.fixture
def topo(lab):
    """The namespaces of the module docstring; returns (R, P, Q)."""
    r, p, q = lab.namespace(), lab.namespace(), lab.namespace()
    for ns in (r, p, q):
        sysctl(ns, "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0")
    veth(lab, r, "eth0", p, "eth0", ["192.0.2.1/24"], ["192.0.2.2/24"])
    veth(lab, r, "eth1", q, "eth0", ["198.51.100.1/24"], ["198.51.100.2/24"])
    add_macvlans(r)
    return r, p, q


def wait_running(ns, *ifnames, timeout=5):
    """Until the kernel reports each interface operationally up. A fresh veth end turns
    operational only when the kernel's link watcher runs, up to a second later: until then
    the adapters refuse to send on it (-ENETDOWN) and its IPv6 stack ignores incoming NAs."""
    deadline = time.monotonic() + timeout
    for ifn in ifnames:
        while ns.run("cat", f"/sys/class/net/{ifn}/operstate").stdout.strip() != "up":
            if time.monotonic() > deadline:
                pytest.fail(f"{ns.name}:{ifn} not operationally up after {timeout}s")
            time.sleep(0.05)


def veth(lab, a, if_a, b, if_b, addrs_a, addrs_b):
    lab.veth(a, if_a, b, if_b, addrs_a, addrs_b)
    wait_running(a, if_a)
    wait_running(b, if_b)


def add_macvlans(r, v6_dad=False):
    """mv4 and mv6 on R's eth0; with v6_dad, mv6's addresses stay tentative for 30 s."""
    for name, mac in (("mv4", VMAC4), ("mv6", VMAC6)):
        r.ip("link", "add", name, "link", "eth0", "type", "macvlan", "mode", "bridge")
        r.ip("link", "set", name, "address", mac)
    r.ip("link", "set", "mv6", "addrgenmode", "random")
    if v6_dad:
        sysctl(r, "net.ipv6.conf.mv6.accept_dad=1", "net.ipv6.conf.mv6.dad_transmits=30")
    r.link_up("mv4")
    r.link_up("mv6")
    wait_running(r, "mv4", "mv6")


# --------------------------------------------------------------------------------------------
# sending advertisements
# --------------------------------------------------------------------------------------------

ADVERT_FIELDS = ("eth.src", "eth.dst", "ip.src", "ip.dst", "ip.ttl", "ip.dsfield.dscp",
                 "ipv6.src", "ipv6.dst", "ipv6.hlim", "ipv6.tclass.dscp", "vrrp.version",
                 "vrrp.type", "vrrp.virt_rtr_id", "vrrp.prio", "vrrp.checksum.status",
                 "vrrp.ip_addr", "vrrp.ipv6_addr", "_ws.malformed", "_ws.expert.severity")


def test_send_ipv4_advertisement(topo, tmp_path):
    r, p, _ = topo
    cap = Capture(p, "eth0", tmp_path / "v4.pcap", "ip proto 112")
    # The parent's own receive socket must not see what we send (loop off; macvlan bridge
    # mode reflects multicast to sibling macvlans only, never up the parent's stack).
    out = probe(r, "ref", "4", "eth0", "send", "4", "mv4", "192.0.2.1", "5", "100",
                "192.0.2.254,192.0.2.253", "recv", "1", "1")
    cap.stop()
    assert results(out, "send") == [0]
    assert rx_lines(out) == [] and "recv-done 0" in out
    pkts = cap.fields("ip.proto == 112", *ADVERT_FIELDS)
    assert len(pkts) == 1, pkts
    pk = pkts[0]
    assert pk["eth.src"] == VMAC4 and pk["eth.dst"] == "01:00:5e:00:00:12"
    assert (pk["ip.src"], pk["ip.dst"], pk["ip.ttl"]) == ("192.0.2.1", "224.0.0.18", "255")
    assert pk["ip.dsfield.dscp"] == CS6
    assert (pk["vrrp.version"], pk["vrrp.type"], pk["vrrp.virt_rtr_id"], pk["vrrp.prio"]) == \
        ("3", "1", "5", "100")
    assert pk["vrrp.ip_addr"] == "192.0.2.254,192.0.2.253"
    assert pk["vrrp.checksum.status"] == "1"  # Good
    assert pk["_ws.malformed"] == "" and pk["_ws.expert.severity"] == "", pk


def test_ipv4_multicast_frame_equals_the_ip_paths(topo, tmp_path):
    """A multicast IPv4 advertisement leaves as a frame built in user space on the parent
    (vrrpd/vrrp_txframe.c); the LAN gets the bytes the raw IP socket's send through the
    macvlan gives, except the identification (a counter either way) and so the header
    checksum, which must still be right."""
    r, p, _ = topo
    cap = Capture(p, "eth0", tmp_path / "both.pcap", "ip proto 112")
    args = ["4", "mv4", "192.0.2.1", "5", "100", "192.0.2.254,192.0.2.253"]
    out = probe(r, "sendip", *args, "send", *args, "send", *args)
    cap.stop()
    assert results(out, "sendip") == [0] and results(out, "send") == [0, 0]
    ip_path, frame, frame2 = capture.pcap_frames(cap.path)
    assert len(frame) == len(ip_path) == 14 + 20 + 16, (ip_path.hex(), frame.hex())
    assert frame[:18] == ip_path[:18] and frame[20:24] == ip_path[20:24], \
        (ip_path.hex(), frame.hex())
    assert frame[26:] == ip_path[26:], (ip_path.hex(), frame.hex())
    assert frame[20] & 0x40, "DF must be set as on the IP path"
    for f in (ip_path, frame, frame2):
        assert inet_csum(f[14:34]) == 0, f"bad IPv4 header checksum: {f.hex()}"
    # One counter for the socket, one step per datagram.
    ident = int.from_bytes(frame[18:20], "big")
    assert int.from_bytes(frame2[18:20], "big") == (ident + 1) & 0xFFFF


def test_ipv4_advertisement_skips_sibling_macvlans(topo, tmp_path):
    """A macvlan in bridge mode copies every multicast frame it sends to each sibling; the
    frame path leaves from the parent, so mv6, mv4's sibling, gets no copy (the IP path's
    send does give it one: the capture there works)."""
    r, p, _ = topo
    lan = Capture(p, "eth0", tmp_path / "lan.pcap", "ip proto 112")
    sib = Capture(r, "mv6", tmp_path / "sibling.pcap", "ip proto 112")
    args = ["4", "mv4", "192.0.2.1", "5", "100", "192.0.2.254"]
    out = probe(r, "send", *args, "sendip", *args)
    lan.stop()
    sib.stop()
    assert results(out, "send") == [0] and results(out, "sendip") == [0]
    assert [x["eth.src"] for x in lan.fields("vrrp", "eth.src")] == [VMAC4, VMAC4]
    assert len(sib.fields("vrrp", "eth.src")) == 1, "the sibling got a copy of the frame path's"


def test_send_ipv6_advertisement(topo, tmp_path):
    r, p, _ = topo
    ll = link_local(r, "mv6")
    cap = Capture(p, "eth0", tmp_path / "v6.pcap", "ip6 proto 112")
    out = probe(r, "ref", "6", "eth0", "send", "6", "mv6", ll, "5", "100",
                "fe80::1,2001:db8::254", "recv", "1", "1")
    cap.stop()
    assert results(out, "send") == [0]
    assert rx_lines(out) == []
    pkts = cap.fields("ipv6.nxt == 112", *ADVERT_FIELDS)
    assert len(pkts) == 1, pkts
    pk = pkts[0]
    assert pk["eth.src"] == VMAC6 and pk["eth.dst"] == "33:33:00:00:00:12"
    assert (pk["ipv6.src"], pk["ipv6.dst"], pk["ipv6.hlim"]) == (ll, "ff02::12", "255")
    assert pk["ipv6.tclass.dscp"] == CS6
    assert (pk["vrrp.version"], pk["vrrp.virt_rtr_id"], pk["vrrp.prio"]) == ("3", "5", "100")
    assert pk["vrrp.ipv6_addr"] == "fe80::1,2001:db8::254"
    assert pk["vrrp.checksum.status"] == "1"
    assert pk["_ws.malformed"] == "" and pk["_ws.expert.severity"] == "", pk


def test_send_ipv6_from_tentative_link_local(lab, tmp_path):
    """Right after protodown is lifted the macvlan link-local is still in DAD; IPV6_PKTINFO
    would refuse it (EINVAL) without IPV6_FREEBIND on the send socket."""
    r, p = lab.namespace(), lab.namespace()
    sysctl(p, "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0")
    veth(lab, r, "eth0", p, "eth0", ["192.0.2.1/24"], ["192.0.2.2/24"])
    add_macvlans(r, v6_dad=True)
    ll = link_local(r, "mv6")
    assert "tentative" in r.ip("-6", "addr", "show", "dev", "mv6", "scope", "link")
    cap = Capture(p, "eth0", tmp_path / "t.pcap", "ip6 proto 112")
    out = probe(r, "send", "6", "mv6", ll, "5", "100", "fe80::1")
    cap.stop()
    assert results(out, "send") == [0]
    pkts = cap.fields("vrrp", "ipv6.src", "eth.src")
    assert pkts == [{"ipv6.src": ll, "eth.src": VMAC6}]


def test_send_while_protodown_or_gone(topo, tmp_path):
    """A protodown macvlan keeps IFF_UP and the kernel would accept and silently drop; the
    adapters must say -ENETDOWN instead, and -ENXIO for an interface that vanished."""
    r, p, _ = topo
    ll = link_local(r, "mv6")
    script = ["send", "4", "mv4", "192.0.2.1", "5", "100", "192.0.2.254",
              "send", "6", "mv6", ll, "5", "100", "fe80::1",
              "garp", "mv4", VMAC4, "192.0.2.254",
              "una", "mv6", VMAC6, "2001:db8::254"]

    cap = Capture(p, "eth0", tmp_path / "pd.pcap")
    r.ip("link", "set", "mv4", "protodown", "on")
    r.ip("link", "set", "mv6", "protodown", "on")
    out = probe(r, *script)
    assert results(out, "send") == [ENETDOWN, ENETDOWN]
    assert results(out, "garp") == [ENETDOWN] and results(out, "una") == [ENETDOWN]
    # Lifting protodown makes them go out at once.
    r.ip("link", "set", "mv4", "protodown", "off")
    r.ip("link", "set", "mv6", "protodown", "off")
    out = probe(r, *script)
    cap.stop()
    assert results(out, "send") == [0, 0]
    assert results(out, "garp") == [0] and results(out, "una") == [0]
    sent = cap.fields("vrrp || arp.src.hw_mac == 00:00:5e:00:01:05 || icmpv6.type == 136",
                      "frame.protocols")
    assert len(sent) == 4, sent  # only the second round

    # Parent down: the macvlans lose their carrier too.
    r.ip("link", "set", "eth0", "down")
    out = probe(r, *script)
    assert results(out, "send") == [ENETDOWN, ENETDOWN]
    r.ip("link", "set", "eth0", "up")

    # Gone: the engine may still hold the old ifindex for a moment.
    idx4, idx6 = r.ifindex("mv4"), r.ifindex("mv6")
    r.ip("link", "del", "mv4")
    r.ip("link", "del", "mv6")
    out = probe(r, "send", "4", f"@{idx4}", "192.0.2.1", "5", "100", "192.0.2.254",
                "send", "6", f"@{idx6}", ll, "5", "100", "fe80::1",
                "garp", f"@{idx4}", VMAC4, "192.0.2.254",
                "una", f"@{idx6}", VMAC6, "2001:db8::254")
    assert results(out, "send") == [ENXIO, ENXIO]
    assert results(out, "garp") == [ENXIO] and results(out, "una") == [ENXIO]


# --------------------------------------------------------------------------------------------
# receiving
# --------------------------------------------------------------------------------------------

def test_receive_ipv4_once_and_only_on_its_parent(topo):
    r, p, q = topo
    # eth0, eth1 and the macvlan mv4 all join 224.0.0.18, so the kernel delivers the peer's
    # datagram twice on R (via eth0 and via mv4) and Q's via eth1: each socket must get only
    # what arrived on its own interface.
    bg = Probe(r, "ref", "4", "eth0", "ref", "4", "eth1", "ref", "4", "mv4", "ready",
               "recv", "100", "3")
    try:
        bg.wait_ready()
        probe(p, "send", "4", "eth0", "192.0.2.2", "7", "120", "192.0.2.254")
        probe(q, "send", "4", "eth0", "198.51.100.2", "9", "130", "198.51.100.254")
        out = bg.finish()
    finally:
        bg.kill()
    assert results(out, "ref") == [0, 0, 0]
    rx = rx_lines(out)
    by_if = {ifn: [x for x in rx if x["if"] == ifn] for ifn in ("eth0", "eth1", "mv4")}
    assert len(rx) == 3, rx
    assert by_if["eth0"] == [{"family": "4", "if": "eth0", "len": "12", "src": "192.0.2.2",
                              "dst": "224.0.0.18", "ttl": "255", "vrid": "7", "prio": "120",
                              "drop": "accepted"}]
    assert [(x["src"], x["vrid"]) for x in by_if["eth1"]] == [("198.51.100.2", "9")]
    assert [(x["src"], x["vrid"]) for x in by_if["mv4"]] == [("192.0.2.2", "7")]


def test_receive_ipv6_meta_once_and_only_on_its_parent(topo):
    r, p, q = topo
    p_ll, q_ll = link_local(p, "eth0"), link_local(q, "eth0")
    bg = Probe(r, "ref", "6", "eth0", "ref", "6", "eth1", "ref", "6", "mv6", "ready",
               "recv", "100", "3")
    try:
        bg.wait_ready()
        probe(p, "send", "6", "eth0", p_ll, "7", "120", "fe80::1,2001:db8::254")
        # Hop limit 1: the meta must carry the received value, not a constant.
        p.run("/usr/bin/python3", RAWSOCK, "ip-send", "6", "eth0", "1", "3107780100640000" + "fe80" + "00" * 14)
        probe(q, "send", "6", "eth0", q_ll, "9", "130", "fe80::9")
        out = bg.finish()
    finally:
        bg.kill()
    assert results(out, "ref") == [0, 0, 0]
    rx = rx_lines(out)
    eth0 = [x for x in rx if x["if"] == "eth0"]
    assert eth0 == [
        {"family": "6", "if": "eth0", "len": "40", "src": p_ll, "dst": "ff02::12", "ttl": "255",
         "vrid": "7", "prio": "120", "drop": "accepted"},
        {"family": "6", "if": "eth0", "len": "24", "src": p_ll, "dst": "ff02::12", "ttl": "1",
         "vrid": "7", "prio": "120", "drop": "badTtl"},
    ], rx
    assert [(x["src"], x["vrid"]) for x in rx if x["if"] == "eth1"] == [(q_ll, "9")]
    assert [(x["vrid"], x["ttl"]) for x in rx if x["if"] == "mv6"] == [("7", "255"), ("7", "1")]
    assert len(rx) == 5, rx


@pytest.mark.parametrize("family", ["4", "6"])
def test_receive_stamps_arrival(topo, family):
    """Each datagram carries when the kernel queued it (the Master_Down timer restarts from
    then): its true age, however long it waited, but never more than the time since the
    queue was last read empty, so that a realtime clock step cannot take more off."""
    r, p, _ = topo
    src = "192.0.2.2" if family == "4" else link_local(p, "eth0")
    vip = "192.0.2.254" if family == "4" else "fe80::1"
    t_ref = time.monotonic()
    bg = Probe(r, "ref", family, "eth0", "ages", "ready", "wait", "recv", "1", "5",
               "ready", "recv", "1", "5")
    try:
        bg.wait_ready()
        # Queued 0.3 s before the probe reads it.
        probe(p, "send", family, "eth0", src, "7", "120", vip)
        time.sleep(0.3)
        bg.resume()
        bg.wait_ready()
        held_max_us = (time.monotonic() - t_ref) * 1e6
        t0 = time.monotonic()
        probe(p, "send", family, "eth0", src, "8", "120", vip)
        out = bg.finish()
        elapsed_us = (time.monotonic() - t0) * 1e6
    finally:
        bg.kill()
    ages = [ln.split()[1] for ln in out if ln.startswith("rx-age ")]
    assert [x["vrid"] for x in rx_lines(out)] == ["7", "8"], out
    assert "none" not in ages, ages
    held, fresh = int(ages[0]), int(ages[1])
    assert 290000 <= held <= held_max_us, (held, held_max_us)
    assert 0 <= fresh <= elapsed_us, (fresh, elapsed_us)


def _lazy_sender(family, p):
    src = "192.0.2.2" if family == "4" else link_local(p, "eth0")
    vip = "192.0.2.254" if family == "4" else "fe80::1"
    return lambda vrid, prio: probe(p, "send", family, "eth0", src, vrid, prio, vip)


@pytest.mark.parametrize("family", ["4", "6"])
def test_lazy_backup_wakes_only_for_what_cannot_wait(topo, family):
    """With a doorbell, advertisements for a quiet VRID (version 3, interval 100 cs, priority
    above 0) wait in the queue and come out, in order and with their true age, at the next
    drain; a release, a VRID that is not quiet and an interval other than the quiet one wake
    the protocol at once, and so does a VRID the moment it stops being quiet. sock_probe
    sends version 3 at 100 cs."""
    r, p, _ = topo
    send = _lazy_sender(family, p)
    bg = Probe(r, "nosample", "lazy", "ref", family, "eth0",
               "quiet", family, "eth0", "5", "3", "100",
               "quiet", family, "eth0", "7", "3", "200",
               "quiet", family, "eth0", "9", "3", "100", "quiet", family, "eth0", "9", "off",
               "recv", "1", "1", "ages", "ready", "wait", "recv", "1", "1", "drain", "ready",
               "wait", "recv", "4", "5", "quiet", family, "eth0", "5", "off", "ready", "wait",
               "recv", "1", "5")
    try:
        bg.wait_ready()
        t_sent = time.monotonic()
        for prio in ("100", "101", "102"):
            send("5", prio)
        bg.resume()
        bg.wait_ready()
        waited_us = (time.monotonic() - t_sent) * 1e6
        for vrid, prio in (("5", "0"), ("6", "100"), ("7", "100"), ("9", "100")):
            send(vrid, prio)
        bg.resume()
        # No longer quiet: it rings at once, before any commit.
        bg.wait_ready()
        send("5", "103")
        bg.resume()
        out = bg.finish()
    finally:
        bg.kill()
    assert [ln for ln in out if ln.startswith(("recv-done", "drain-done"))] == [
        "recv-done 0", "recv-done 0", "drain-done 3", "recv-done 4", "recv-done 1"], out
    rx = rx_lines(out)
    assert [(x["vrid"], x["prio"]) for x in rx[:3]] == [("5", "100"), ("5", "101"), ("5", "102")]
    assert [(x["vrid"], x["prio"]) for x in rx[3:]] == [("5", "0"), ("6", "100"), ("7", "100"),
                                                       ("9", "100"), ("5", "103")], out
    ages = [int(ln.split()[1]) for ln in out if ln.startswith("rx-age ")]
    # The three that waited are read a second later, and say so.
    assert all(900000 <= a <= waited_us for a in ages[:3]), (ages, waited_us)


@pytest.mark.parametrize("family", ["4", "6"])
def test_lazy_backup_samples_a_flood(topo, family):
    """A flood of quiet advertisements still rings the bell (about one in 128 at random), so
    the queue is read long before it could overflow: everything sent is delivered, none is
    lost at the queue, and the protocol wakes far less often than once per datagram."""
    r, p, _ = topo
    n = 1500
    src = "192.0.2.2" if family == "4" else link_local(p, "eth0")
    vip = "192.0.2.254" if family == "4" else "fe80::1"
    bg = Probe(r, "lazy", "ref", family, "eth0", "quiet", family, "eth0", "5", "3", "100",
               "recv", "1", "1", "ready", "recv", "1000000", "3", "wakeups", "drain")
    try:
        bg.wait_ready()
        probe(p, *sum((["send", family, "eth0", src, "5", "100", vip] for _ in range(n)),
                      []), timeout=60)
        out = bg.finish()
    finally:
        bg.kill()
    rx = rx_lines(out)
    lost = [x for x in rx if x["drop"] != "accepted"]
    assert not lost, lost[:3]
    assert len(rx) == n, len(rx)
    rang = int([ln for ln in out if ln.startswith("recv-done ")][1].split()[1])
    wakeups = int(next(ln for ln in out if ln.startswith("wakeups ")).split()[1])
    # No ring in 1,500 datagrams would happen once in 10^5 runs; 94 or more, never.
    assert rang > 0 and 1 <= wakeups <= n // 16, (rang, wakeups)


@pytest.mark.parametrize("family", ["4", "6"])
def test_receive_survives_odd_datagrams(topo, family):
    """Oversized (reassembled from fragments, larger than any VRRP message) arrives cut short
    and is handed over as a bad length, the prefix that was read with it; a 3-byte message is
    handed over for the codec to reject; reading goes on."""
    r, p, _ = topo
    src = "192.0.2.2" if family == "4" else link_local(p, "eth0")
    addrs = "192.0.2.254" if family == "4" else "fe80::1"
    bg = Probe(r, "debug", "ref", family, "eth0", "ready", "recv", "100", "3")
    try:
        bg.wait_ready()
        p.run("/usr/bin/python3", RAWSOCK, "ip-send", family, "eth0", "255", "z9000")
        p.run("/usr/bin/python3", RAWSOCK, "ip-send", family, "eth0", "255", "310501")
        probe(p, "send", family, "eth0", src, "7", "120", addrs)
        out = bg.finish()
    finally:
        bg.kill()
    rx = rx_lines(out)
    assert [x["drop"] for x in rx] == ["badLength", "truncated", "accepted"], rx
    # The MSG_TRUNC path, seen through its debug log (libfrr logs aux programs to stdout).
    assert "dropped a datagram longer than 4148 bytes" in "\n".join(out)
    # what was read of it: the whole receive buffer (60 + 8 + 255 * 16 bytes)
    assert rx[0]["len"] == "4148" and rx[1]["len"] == "3"


class _Helpers:
    """What vrrptest.flood.Floodgen needs of a vrrpnet.Net: a work dir and a way to start a
    process in a namespace that is ended (by PID) afterwards."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.procs = []

    def popen(self, ns, argv, **kw):
        p = subprocess.Popen(ns.exec_argv(*argv), **kw)
        self.procs.append(p)
        return p

    def close(self):
        for p in self.procs:
            if p.poll() is None:
                os.kill(p.pid, signal.SIGKILL)
                p.wait(5)


def test_queue_overflow_counted(topo, tmp_path):
    """While the probe does not read, 6,000 advertisements arrive: the queue keeps what fits
    and the kernel drops the rest. Every one of them reaches the callback, read or as a
    queue overflow, the latter learnt from the count the next datagram carries; the number
    is the kernel's own."""
    r, p, _ = topo
    mac = json.loads(p.ip("-j", "link", "show", "dev", "eth0"))[0]["address"]
    adv = ipv4_frame(mac, "192.0.2.2", vrrp_message("v4", vrid=7, prio=120,
                                                    addrs=("192.0.2.254",), src="192.0.2.2"))
    helpers = _Helpers(tmp_path)
    bg = Probe(r, "debug", "ref", "4", "eth0", "ready", "wait", "recv", "6001", "10")
    try:
        bg.wait_ready()
        gen = Floodgen(helpers, p, "eth0", [adv], 50_000, 0.12)
        gen.go()
        assert gen.result()["sent"] == 6000
        lost = raw_drops(r, "v4")
        bg.resume()
        time.sleep(0.5)
        # the next datagram brings the count of those lost since the last one read
        gen = Floodgen(helpers, p, "eth0", [adv], 1, 1)
        gen.go()
        gen.result()
        out = bg.finish()
    finally:
        bg.kill()
        helpers.close()
    drops = [x["drop"] for x in rx_lines(out)]
    assert len(drops) == 6001 and "recv-done 6001" in out, drops[-3:]
    assert 0 < lost < 6000, lost
    assert drops.count("queueOverflow") == lost, (drops.count("queueOverflow"), lost)
    assert drops.count("accepted") == 6001 - lost
    assert "the kernel dropped" in "\n".join(out)


def test_refcount_and_reopen_after_ifindex_change(topo):
    r, p, _ = topo
    old = r.ifindex("eth0")
    bg = Probe(r,
               # two references share one socket: one unref leaves it open
               "ref", "4", "eth0", "ref", "4", "eth0", "unref", "4", "eth0",
               "ref", "6", "eth0", "unref", "6", "eth0",   # last unref: closed
               "ready", "wait",
               # the engine's sequence after zebra reports a new ifindex
               "unref", "4", "eth0", "ref", "4", "eth0", "ref", "6", "eth0",
               "ready", "recv", "2", "5")
    try:
        bg.wait_ready()
        r.ip("link", "del", "eth0")  # takes P's end and the macvlans with it
        vrrplab.run(["ip", "-n", r.name, "link", "add", "eth0", "type", "veth", "peer", "name",
                     "eth0", "netns", p.name])
        r.addr_add("eth0", "192.0.2.1/24")
        p.addr_add("eth0", "192.0.2.2/24")
        r.link_up("eth0")
        p.link_up("eth0")
        wait_running(r, "eth0")
        wait_running(p, "eth0")
        assert r.ifindex("eth0") != old
        bg.resume()
        bg.wait_ready()
        probe(p, "send", "4", "eth0", "192.0.2.2", "7", "120", "192.0.2.254")
        probe(p, "send", "6", "eth0", link_local(p, "eth0"), "8", "120", "fe80::1")
        out = bg.finish()
    finally:
        bg.kill()
    assert results(out, "ref") == [0, 0, 0, 0, 0]
    rx = rx_lines(out)
    assert [(x["family"], x["vrid"], x["drop"]) for x in rx] == [("4", "7", "accepted"),
                                                                ("6", "8", "accepted")], rx


def test_callback_may_replace_the_socket_being_read(topo):
    """The engine may drop the last reference (and take a new one) from inside the receive
    callback; the read handler must neither touch the freed socket nor stop reading."""
    r, p, _ = topo
    bg = Probe(r, "ref", "4", "eth0", "churn", "ready", "recv", "4", "5")
    try:
        bg.wait_ready()
        for vrid in ("1", "2", "3"):
            probe(p, "send", "4", "eth0", "192.0.2.2", vrid, "120", "192.0.2.254")
            time.sleep(0.2)
        # A burst: what was queued on the socket closed by the callback is lost, the rest of
        # the burst reaches the new socket or not, but nothing breaks.
        probe(p, "send", "4", "eth0", "192.0.2.2", "4", "120", "192.0.2.254",
              "send", "4", "eth0", "192.0.2.2", "5", "120", "192.0.2.254")
        out = bg.finish()
    finally:
        bg.kill()
    vrids = [x["vrid"] for x in rx_lines(out)]
    assert vrids[:3] == ["1", "2", "3"] and vrids[3:4] == ["4"], vrids
    assert set(results(out, "churn-ref")) == {0}


def test_with_vrrpd_privileges(topo):
    """As vrrpd runs: user frr, capabilities permitted but not effective. Whatever needs one
    must be inside frr_with_privs(), or it fails here with EPERM."""
    r, p, _ = topo
    ll = link_local(r, "mv6")
    bg = Probe(r, "--frr-privs", "ref", "4", "eth0", "ref", "6", "eth0",
               "send", "4", "mv4", "192.0.2.1", "5", "100", "192.0.2.254",
               "send", "6", "mv6", ll, "5", "100", "fe80::1",
               "garp", "mv4", VMAC4, "192.0.2.254",
               "una", "mv6", VMAC6, "2001:db8::254",
               "ready", "recv", "2", "5")
    try:
        bg.wait_ready()
        status = dict(ln.split(":", 1) for ln in open(f"/proc/{bg.proc.pid}/status")
                      if ":" in ln)
        assert status["Uid"].split()[1] == str(vrrplab._frr_ids()[0]), status["Uid"]
        assert int(status["CapEff"], 16) == 0, status["CapEff"]
        probe(p, "send", "4", "eth0", "192.0.2.2", "7", "120", "192.0.2.254")
        probe(p, "send", "6", "eth0", link_local(p, "eth0"), "7", "120", "fe80::1")
        out = bg.finish()
    finally:
        bg.kill()
    assert results(out, "ref") == [0, 0]
    assert results(out, "send") == [0, 0]
    assert results(out, "garp") == [0] and results(out, "una") == [0]
    assert [(x["family"], x["drop"]) for x in rx_lines(out)] == [("4", "accepted"),
                                                                ("6", "accepted")]


def test_closed_socket_receives_nothing(topo):
    r, p, _ = topo
    bg = Probe(r, "ref", "4", "eth0", "unref", "4", "eth0", "ready", "recv", "1", "2")
    try:
        bg.wait_ready()
        probe(p, "send", "4", "eth0", "192.0.2.2", "7", "120", "192.0.2.254")
        out = bg.finish()
    finally:
        bg.kill()
    assert rx_lines(out) == [] and "recv-done 0" in out


# --------------------------------------------------------------------------------------------
# gratuitous ARP and unsolicited NA
# --------------------------------------------------------------------------------------------

def test_gratuitous_arp(topo, tmp_path):
    r, p, _ = topo
    # P already knows the VIP at another MAC; a gratuitous ARP it accepts moves it to the VMAC.
    p.ip("neigh", "add", "192.0.2.254", "lladdr", "02:00:00:00:00:99", "dev", "eth0", "nud",
         "stale")
    cap = Capture(p, "eth0", tmp_path / "arp.pcap", "arp")
    out = probe(r, "garp", "mv4", VMAC4, "192.0.2.254")
    cap.stop()
    assert results(out, "garp") == [0]
    pkts = cap.fields("arp", "eth.src", "eth.dst", "arp.hw.type", "arp.proto.type",
                      "arp.opcode", "arp.src.hw_mac", "arp.src.proto_ipv4", "arp.dst.hw_mac",
                      "arp.dst.proto_ipv4", "arp.isgratuitous")
    assert pkts == [{"eth.src": VMAC4, "eth.dst": "ff:ff:ff:ff:ff:ff", "arp.hw.type": "1",
                     "arp.proto.type": "0x0800", "arp.opcode": "1", "arp.src.hw_mac": VMAC4,
                     "arp.src.proto_ipv4": "192.0.2.254",
                     "arp.dst.hw_mac": "00:00:00:00:00:00",
                     "arp.dst.proto_ipv4": "192.0.2.254", "arp.isgratuitous": "1"}], pkts
    assert f"lladdr {VMAC4}" in p.ip("neigh", "show", "192.0.2.254", "dev", "eth0")


def test_gratuitous_arp_skips_sibling_macvlans(topo, tmp_path):
    """The gratuitous ARP leaves through mv4's parent: the LAN gets it, mv6, a sibling
    macvlan in bridge mode, gets no copy (a send on mv4 itself would give it one)."""
    r, p, _ = topo
    lan = Capture(p, "eth0", tmp_path / "lan.pcap", "arp")
    sib = Capture(r, "mv6", tmp_path / "sibling.pcap", "arp")
    out = probe(r, "garp", "mv4", VMAC4, "192.0.2.254")
    lan.stop()
    sib.stop()
    assert results(out, "garp") == [0]
    assert [x["eth.src"] for x in lan.fields("arp", "eth.src")] == [VMAC4]
    assert sib.fields("arp", "eth.src") == []


NA_FIELDS = ("eth.src", "eth.dst", "ipv6.src", "ipv6.dst", "ipv6.hlim", "icmpv6.type",
             "icmpv6.code", "icmpv6.checksum.status", "icmpv6.nd.na.flag.r",
             "icmpv6.nd.na.flag.s", "icmpv6.nd.na.flag.o", "icmpv6.nd.na.target_address",
             "icmpv6.opt.type", "icmpv6.opt.linkaddr", "_ws.expert.severity")


@pytest.mark.parametrize("dad", [False, True], ids=["vip-valid", "vip-tentative"])
def test_unsolicited_na(lab, tmp_path, dad):
    """The NA is sourced from the VIP configured on the macvlan; while that VIP is still
    tentative (DAD after protodown is lifted) the kernel must not refuse it."""
    r, p = lab.namespace(), lab.namespace()
    sysctl(p, "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0")
    if not dad:
        sysctl(r, "net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0")
    veth(lab, r, "eth0", p, "eth0", ["192.0.2.1/24"], ["192.0.2.2/24"])
    add_macvlans(r, v6_dad=dad)
    r.addr_add("mv6", "2001:db8::254/64")
    r.addr_add("mv6", "fe80::1/64")
    addrs = r.ip("-6", "addr", "show", "dev", "mv6")
    assert ("tentative" in addrs) == dad, addrs
    # P already knows the VIPs at another MAC: an NA it accepts with O=1 overrides that, and
    # R=1 marks the entry as a router.
    for vip in ("2001:db8::254", "fe80::1"):
        p.ip("-6", "neigh", "add", vip, "lladdr", "02:00:00:00:00:99", "dev", "eth0", "nud",
             "stale")
    cap = Capture(p, "eth0", tmp_path / "na.pcap", "icmp6")
    out = probe(r, "una", "mv6", VMAC6, "2001:db8::254", "una", "mv6", VMAC6, "fe80::1")
    cap.stop()
    assert results(out, "una") == [0, 0]
    pkts = cap.fields("icmpv6.type == 136", *NA_FIELDS)
    assert len(pkts) == 2, pkts
    for pk, vip in zip(pkts, ("2001:db8::254", "fe80::1")):
        assert pk == {"eth.src": VMAC6, "eth.dst": "33:33:00:00:00:01", "ipv6.src": vip,
                      "ipv6.dst": "ff02::1", "ipv6.hlim": "255", "icmpv6.type": "136",
                      "icmpv6.code": "0", "icmpv6.checksum.status": "1",
                      "icmpv6.nd.na.flag.r": "1", "icmpv6.nd.na.flag.s": "0",
                      "icmpv6.nd.na.flag.o": "1", "icmpv6.nd.na.target_address": vip,
                      "icmpv6.opt.type": "2", "icmpv6.opt.linkaddr": VMAC6,
                      "_ws.expert.severity": ""}, pk
    for vip in ("2001:db8::254", "fe80::1"):
        neigh = p.ip("-6", "neigh", "show", vip, "dev", "eth0")
        assert f"lladdr {VMAC6} router" in neigh, neigh
