# SPDX-License-Identifier: GPL-2.0-or-later
"""RFC 6527 VRRPv3-MIB over AgentX (vrrpd -M snmp, the vrrpd_snmp.so module), between two
routers on a LAN: each runs Debian's snmpd as AgentX master (its own socket, a rocommunity and a
trap2sink) and our vrrpd with `-M snmp` and `agentx`; a snmptrapd on the LAN writes the traps
to a file. snmpwalk shows dev1 Master and dev2 Backup as `show vrrp json` does; after kill -9 of
dev1's vrrpd, dev2 sends vrrpv3NewMaster with its own address; bad packets set the row's
protocol-error reason, count, and raise one vrrpv3ProtoError per 10 s. dev1 enables AgentX with
the `agentx` command, dev2 with the module's argument (`-M snmp:agentx`).

Object names and OIDs come from the MIB file itself (/usr/share/snmp/mibs/VRRPv3-MIB.txt, from
keepalived), not from our code; the tools run with numeric OIDs (MIBS= and -On), since Debian
ships no IETF MIBs for net-snmp to parse it with. The module is loaded from the directory of the
vrrpd under test (-M snmp --moduledir), or from $VRRPD_SNMP_MODULE."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from vrrptest import vrrplab
from vrrptest.packets import ipv4_frame, vrrp_message
from vrrptest.timing import master_down_ms
from vrrptest.vrrpnet import VIP4, VRID, net, seed_lines, wait_roles, wait_until

assert net  # imported for pytest: the `net` fixture, used by name

MIB_FILE = Path("/usr/share/snmp/mibs/VRRPv3-MIB.txt")
# The module next to the vrrpd under test (vrrpd/ of the build), or $VRRPD_SNMP_MODULE.
MODULE = Path(os.environ.get("VRRPD_SNMP_MODULE")
              or vrrplab.default_vrrpd_bin().parent / "vrrpd_snmp.so").resolve()
P1, P2 = 210, 200
TRAP_RECEIVER = "10.10.10.100"
TRAP_PORT = 16162
AGENT_PORT = 16161
# The trap receiver's community of each router's snmpd, which tells the senders apart.
TRAP_COMMUNITY = {"dev1": "dev1", "dev2": "dev2"}
# snmpTrapOID.0 (SNMPv2-MIB), the varbind that names the notification.
SNMP_TRAP_OID = "1.3.6.1.6.3.1.1.4.1.0"
TOOLS = ("/usr/sbin/snmpd", "/usr/sbin/snmptrapd", "/usr/bin/snmpwalk")
# net-snmp with no MIBs to parse (Debian has none of the IETF ones VRRPv3-MIB imports).
SNMP_ENV = {"MIBS": ""}


# ---------------------------------------------------------------------------------------------
# the MIB, read from its file
# ---------------------------------------------------------------------------------------------

DEF_RE = re.compile(
    r"^\s*([a-z][\w-]*)\s+(?:OBJECT-TYPE|OBJECT IDENTIFIER|MODULE-IDENTITY|NOTIFICATION-TYPE)"
    r"\b.*?::=\s*\{\s*([\w-]+)\s+(\d+)\s*\}", re.S | re.M)


def mib_oids() -> dict[str, str]:
    """name -> dotted OID of every object, notification and node VRRPv3-MIB defines."""
    text = re.sub(r"--[^\n]*", "", MIB_FILE.read_text())
    parent = {m.group(1): (m.group(2), m.group(3)) for m in DEF_RE.finditer(text)}
    known = {"mib-2": "1.3.6.1.2.1"}

    def resolve(name):
        if name not in known:
            up, n = parent[name]
            known[name] = f"{resolve(up)}.{n}"
        return known[name]
    return {name: resolve(name) for name in parent}


@pytest.fixture(scope="module")
def mib():
    missing = [t for t in TOOLS if not os.access(t, os.X_OK)]
    if missing:
        pytest.fail(f"{', '.join(missing)} missing: install snmpd, snmptrapd and snmp "
                    f"(scripts/deps.sh)", pytrace=False)
    if not MIB_FILE.is_file():
        pytest.fail(f"{MIB_FILE} missing: install keepalived (scripts/deps.sh)", pytrace=False)
    if not MODULE.is_file():
        pytest.fail(f"{MODULE} not built: install frr-snmp and libsnmp-dev (scripts/deps.sh), "
                    f"then configure and build again", pytrace=False)
    oids = mib_oids()
    assert oids["vrrpv3MIB"] == "1.3.6.1.2.1.207", oids["vrrpv3MIB"]
    return oids


# ---------------------------------------------------------------------------------------------
# snmpd, snmptrapd and snmpwalk in the test's namespaces
# ---------------------------------------------------------------------------------------------

def helper_env(**extra) -> dict:
    return dict(os.environ, **SNMP_ENV, **extra)


class Snmp:
    """The SNMP side of a LAN: a snmptrapd on the switch, a snmpd per router. Every process is
    among the Net's helpers (ended by PID); stop() ends them here first, before the Net removes
    the directory they write to."""

    def __init__(self, net):
        self.net = net
        self.dir = net.tmp / "snmp"
        self.dir.mkdir()
        # vrrpd runs as frr and must reach the AgentX sockets in here.
        os.chmod(net.tmp, 0o755)
        os.chmod(self.dir, 0o755)
        self.traps = self.dir / "traps.log"
        self.procs: list[subprocess.Popen] = []

    def _start(self, ns, argv, log: Path):
        out = open(log.with_suffix(".out"), "w")
        self.net.files.append(out)
        persist = self.dir / f"persist-{log.stem}"
        p = self.net.popen(ns, argv, stdin=subprocess.DEVNULL, stdout=out,
                           stderr=subprocess.STDOUT,
                           env=helper_env(SNMP_PERSISTENT_DIR=str(persist)))
        self.procs.append(p)
        return p

    def start_trapd(self):
        sw = self.net.switch.ns
        sw.ip("addr", "add", f"{TRAP_RECEIVER}/24", "dev", "br0")
        conf = self.dir / "snmptrapd.conf"
        conf.write_text("disableAuthorization yes\n")
        p = self._start(sw, ["/usr/sbin/snmptrapd", "-f", "-C", "-c", conf, "-Lf", self.traps,
                             "-Onx", "-F", "TRAP %b|%P|%v\\n",
                             f"udp:{TRAP_RECEIVER}:{TRAP_PORT}"], self.traps)
        wait_until(lambda: self.traps.exists() and "NET-SNMP version" in self.traps.read_text()
                   or p.poll() is not None, 10, "snmptrapd started")
        assert p.poll() is None, f"snmptrapd exited:\n{self.traps.read_text()}"

    def start_agent(self, node) -> Path:
        """snmpd in node's namespace: AgentX master on a socket of its own, a read-only
        community on loopback, traps to the LAN's receiver. Returns the AgentX socket."""
        sock = self.dir / f"agentx-{node.label}.sock"
        conf = self.dir / f"snmpd-{node.label}.conf"
        log = self.dir / f"snmpd-{node.label}.log"
        conf.write_text(f"master agentx\nagentXSocket {sock}\nagentXPerms 0777 0755\n"
                        f"rocommunity public 127.0.0.1\n"
                        f"trap2sink {TRAP_RECEIVER}:{TRAP_PORT} {TRAP_COMMUNITY[node.label]}\n")
        p = self._start(node.ns, ["/usr/sbin/snmpd", "-f", "-C", "-c", conf, "-Lf", log,
                                  f"udp:127.0.0.1:{AGENT_PORT}"], log)
        wait_until(lambda: sock.exists() or p.poll() is not None, 10, f"{sock} to appear")
        assert p.poll() is None, f"snmpd exited:\n{log.read_text()}"
        return sock

    def stop(self):
        for p in self.procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in self.procs:
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait(5)

    def trap_lines(self) -> list[str]:
        if not self.traps.exists():
            return []
        return [ln for ln in self.traps.read_text().splitlines() if ln.startswith("TRAP ")]

    def traps_of(self, mib, notification: str) -> list[dict]:
        """The traps received of one notification: the sender's community and the varbinds
        ({numeric OID: value}), in arrival order."""
        found = []
        for ln in self.trap_lines():
            _, sec, varbinds = ln.split("|", 2)
            vb = dict(re.match(r"^\.?([\d.]+) = (?:[\w-]+: )?(.*)$", v.strip()).groups()
                      for v in varbinds.split("\t") if v.strip())
            if vb.get(SNMP_TRAP_OID, "").lstrip(".") == mib[notification]:
                found.append({"community": re.search(r"community (\S+)", sec).group(1),
                              "vars": {k: v.strip() for k, v in vb.items()}})
        return found


@pytest.fixture
def snmp(net, mib, monkeypatch):
    s = Snmp(net)
    monkeypatch.setenv("MIBS", "")
    try:
        yield s
    finally:
        s.stop()


def start_router(snmp: Snmp, label: str, monkeypatch, load_arg=False):
    """A LAN router with snmpd, zebra and our vrrpd with the module and AgentX on: by the
    `agentx` command in its configuration, or by the module's argument (`-M snmp:agentx`,
    load_arg). The daemon's net-snmp configuration (its AgentX socket) and state live in its
    work dir."""
    node = snmp.net.node(label, start=False)
    sock = snmp.start_agent(node)
    r = node.router
    conf = r.workdir / "snmp"
    conf.mkdir()
    (conf / "frr.conf").write_text(f"agentXSocket {sock}\n")
    for p in (conf, conf / "frr.conf"):
        shutil.chown(p, vrrplab.FRR_USER, vrrplab.FRR_GROUP)
    r.start_zebra()
    # net-snmp finds its configuration and keeps its state where these say; read at start.
    monkeypatch.setenv("SNMPCONFPATH", str(conf))
    monkeypatch.setenv("SNMP_PERSISTENT_DIR", str(conf))
    arg = ":agentx" if load_arg else ""
    module = ["--moduledir", MODULE.parent, "-M", f"snmp{arg}"] \
        if MODULE.name == "vrrpd_snmp.so" else ["-M", f"{MODULE}{arg}"]
    r.start_vrrpd("" if load_arg else "agentx\n!\n", extra_args=module)
    wait_until(lambda: "AgentX subagent connected" in r.vrrpd.log(), 10,
               f"{label}: vrrpd's AgentX session")
    return node


def walk(node, oid: str) -> dict[str, tuple[str, str]]:
    """snmpwalk of node's agent below oid: {numeric OID without the leading dot: (type,
    value)}, octet strings in hex, time ticks as numbers."""
    cp = subprocess.run(node.ns.exec_argv("/usr/bin/snmpwalk", "-v2c", "-c", "public", "-On",
                                          "-Ox", "-Ot", "-t", "2", "-r", "3",
                                          f"127.0.0.1:{AGENT_PORT}", oid),
                        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
                        env=helper_env())
    assert cp.returncode == 0, f"snmpwalk {oid}: rc={cp.returncode}\n{cp.stdout}{cp.stderr}"
    out = {}
    for ln in cp.stdout.splitlines():
        m = re.match(r"^\.?([\d.]+) = (?:([\w-]+): )?(.*)$", ln)
        assert m, f"unexpected snmpwalk line: {ln!r}"
        out[m.group(1)] = (m.group(2) or "", m.group(3).strip())
    return out


def hexaddr(a: str) -> str:
    """10.10.10.15 -> '0A 0A 0A 0F', as snmpwalk -Ox prints an InetAddress."""
    return " ".join(f"{int(x):02X}" for x in a.split("."))


class Row:
    """One row of the MIB's per-VR tables in a walk, column values by object name."""

    def __init__(self, mib, tree, index: str):
        self.mib, self.tree, self.index = mib, tree, index

    def get(self, name: str):
        key = f"{self.mib[name]}.{self.index}"
        assert key in self.tree, f"{name}.{self.index} ({key}) not in the walk"
        typ, val = self.tree[key]
        # -Ot prints time ticks as a bare number, without a type.
        if typ in ("INTEGER", "Gauge32", "Counter32", "Counter64", ""):
            return int(val)
        return val


def row_index(node) -> str:
    """ifIndex.VRID.InetAddressType of the seed VR's IPv4 row."""
    return f"{node.ifindex('eth1')}.{VRID}.1"


def vr_row(mib, tree, node) -> Row:
    return Row(mib, tree, row_index(node))


def scalar(mib, tree, name: str) -> int:
    return int(tree[f"{mib[name]}.0"][1])


def new_master_traps(snmp, mib, index: str) -> list[dict]:
    """The vrrpv3NewMaster traps received about a row: community, master address, reason."""
    return [{"community": t["community"],
             "master": t["vars"].get(f"{mib['vrrpv3OperationsMasterIpAddr']}.{index}"),
             "reason": int(t["vars"].get(f"{mib['vrrpv3StatisticsNewMasterReason']}.{index}",
                                         "-1"))}
            for t in snmp.traps_of(mib, "vrrpv3NewMaster")]


# ---------------------------------------------------------------------------------------------
# the tests
# ---------------------------------------------------------------------------------------------

def lan(snmp, monkeypatch):
    snmp.net.switch = snmp.net.lab.switch()
    snmp.start_trapd()
    d1 = start_router(snmp, "dev1", monkeypatch)
    # dev2 as with an integrated frr.conf, from which vtysh sends `agentx` to other daemons.
    d2 = start_router(snmp, "dev2", monkeypatch, load_arg=True)
    d1.configure(seed_lines(prio=P1))
    d2.configure(seed_lines(prio=P2))
    wait_roles(d1, d2, timeout=master_down_ms(P2) / 1000 + 5)
    return d1, d2


def check_row(mib, tree, node, vr: dict, status: int, master_ip: str):
    """The operations and statistics rows of node's VR against `show vrrp json` (vr, taken
    just before the walk: counters may only have grown since)."""
    row = vr_row(mib, tree, node)
    v4 = vr["v4"]
    assert row.get("vrrpv3OperationsStatus") == status
    assert row.get("vrrpv3OperationsPriority") == v4["effectivePriority"]
    assert row.get("vrrpv3OperationsMasterIpAddr") == hexaddr(master_ip)
    assert row.get("vrrpv3OperationsPrimaryIpAddr") == hexaddr(v4["primaryAddress"])
    assert row.get("vrrpv3OperationsVirtualMacAddr") == v4["vmac"].replace(":", " ").upper()
    assert row.get("vrrpv3OperationsAddrCount") == len(v4["addresses"]) == 1
    assert row.get("vrrpv3OperationsAdvInterval") == vr["advertisementInterval"] // 10
    assert row.get("vrrpv3OperationsPreemptMode") == (1 if vr["preemptMode"] else 2)
    assert row.get("vrrpv3OperationsAcceptMode") == (1 if vr["acceptMode"] else 2)
    assert row.get("vrrpv3OperationsRowStatus") == 1
    assert row.get("vrrpv3OperationsUpTime") > 0
    addr_row = Row(mib, tree, f"{row.index}.4.{VIP4}")
    assert v4["addresses"] == [VIP4]
    assert addr_row.get("vrrpv3AssociatedIpAddrRowStatus") == 1

    assert row.get("vrrpv3StatisticsMasterTransitions") == v4["actions"]["protodown-off"]
    assert row.get("vrrpv3StatisticsRcvdAdvertisements") >= v4["stats"]["adverRx"]
    assert row.get("vrrpv3StatisticsRcvdPriZeroPackets") == v4["priorityZeroRx"]
    assert row.get("vrrpv3StatisticsSentPriZeroPackets") == v4["priorityZeroTx"]
    for name in ("AdvIntervalErrors", "IpTtlErrors", "RcvdInvalidTypePackets",
                 "AddressListErrors", "PacketLengthErrors"):
        assert row.get(f"vrrpv3Statistics{name}") == 0, name
    assert row.get("vrrpv3StatisticsProtoErrReason") == 0
    assert row.get("vrrpv3StatisticsRefreshRate") == vr["advertisementInterval"]
    return row


def test_walk_and_new_master_trap(snmp, monkeypatch, mib):
    d1, d2 = lan(snmp, monkeypatch)
    base = mib["vrrpv3MIB"]
    for node, status, master, transitions, reason in (
            (d1, 3, d1.addr4, 1, 3),   # Master after its timer: masterNoResponse
            (d2, 2, d1.addr4, 0, 0)):  # Backup: sees dev1 as Master; never Master
        vr = node.vr()
        tree = walk(node, base)
        print(f"{node.label}: snmpwalk {base}:\n" + "\n".join(
            f"  {k} = {t}: {v}" for k, (t, v) in tree.items()))
        row = check_row(mib, tree, node, vr, status, master)
        assert row.get("vrrpv3StatisticsMasterTransitions") == transitions
        assert row.get("vrrpv3StatisticsNewMasterReason") == reason
        for name in ("vrrpv3RouterChecksumErrors", "vrrpv3RouterVersionErrors",
                     "vrrpv3RouterVrIdErrors"):
            assert scalar(mib, tree, name) == 0, name
        # Exactly the row of the one VR: no IPv6 row for a VR without IPv6 addresses.
        col = mib["vrrpv3OperationsStatus"] + "."
        assert [k[len(col):] for k in tree if k.startswith(col)] == [row.index]

    idx1 = row_index(d1)
    wait_until(lambda: [t for t in new_master_traps(snmp, mib, idx1)
                        if t["community"] == "dev1"], 10, "dev1's vrrpv3NewMaster")
    assert new_master_traps(snmp, mib, idx1)[0] == {
        "community": "dev1", "master": hexaddr(d1.addr4), "reason": 3}

    t_kill = d1.kill9()
    d2.wait_status("Master", timeout=master_down_ms(P2) / 1000 + 5)
    idx2 = row_index(d2)
    traps = wait_until(lambda: [t for t in new_master_traps(snmp, mib, idx2)
                                if t["community"] == "dev2"], 10, "dev2's vrrpv3NewMaster")
    print(f"dev2's trap {time.time() - t_kill:.1f} s after kill -9 of dev1's vrrpd: {traps}")
    print("\n".join(snmp.trap_lines()))
    # dev2 took over because dev1 fell silent: masterNoResponse, with its own address.
    assert traps == [{"community": "dev2", "master": hexaddr(d2.addr4), "reason": 3}]

    vr = d2.vr()
    tree = walk(d2, base)
    row = check_row(mib, tree, d2, vr, 3, d2.addr4)
    assert row.get("vrrpv3StatisticsMasterTransitions") == 1
    assert row.get("vrrpv3StatisticsNewMasterReason") == 3


def test_protocol_errors(snmp, monkeypatch, mib):
    d1, d2 = lan(snmp, monkeypatch)
    mac1 = d1.mac()
    tx = snmp.net.sender(d1)

    def bad_ttl():
        m = vrrp_message("v4", vrid=VRID, prio=P1, addrs=(VIP4,), src=d1.addr4)
        return ipv4_frame(mac1, d1.addr4, m, ttl=64)

    def unknown_vrid():
        m = vrrp_message("v4", vrid=77, prio=P1, addrs=(VIP4,), src=d1.addr4)
        return ipv4_frame(mac1, d1.addr4, m)

    t0 = time.monotonic()
    tx.send([bad_ttl(), bad_ttl()])
    wait_until(lambda: d2.vr()["v4"]["rxDrops"]["badTtl"] == 2, 5, "dev2 counts two bad TTLs")
    wait_until(lambda: snmp.traps_of(mib, "vrrpv3ProtoError"), 10, "dev2's vrrpv3ProtoError")
    tree = walk(d2, mib["vrrpv3MIB"])
    row = vr_row(mib, tree, d2)
    assert row.get("vrrpv3StatisticsIpTtlErrors") == 2
    assert row.get("vrrpv3StatisticsProtoErrReason") == 1  # ipTtlError

    # A VRID nobody has: the router-wide counter, and the reason of the rows on eth1.
    tx.send([unknown_vrid()])
    wait_until(lambda: d2.vr()["v4"]["interfaceRxDrops"]["unknownVrid"] == 1, 5,
               "dev2 counts the unknown VRID")
    tree = walk(d2, mib["vrrpv3MIB"])
    assert scalar(mib, tree, "vrrpv3RouterVrIdErrors") == 1
    assert vr_row(mib, tree, d2).get("vrrpv3StatisticsProtoErrReason") == 4  # vrIdError
    # Both packets' errors fell in the first 10 s: one trap for the row, the first one.
    elapsed = time.monotonic() - t0
    assert elapsed < 9, f"too slow to see the rate limit ({elapsed:.1f} s)"
    time.sleep(1)
    traps = snmp.traps_of(mib, "vrrpv3ProtoError")
    print(traps)
    assert traps == [{"community": "dev2", "vars": {
        "1.3.6.1.2.1.1.3.0": traps[0]["vars"]["1.3.6.1.2.1.1.3.0"],  # sysUpTime.0
        SNMP_TRAP_OID: "." + mib["vrrpv3ProtoError"],
        f"{mib['vrrpv3StatisticsProtoErrReason']}.{row.index}": "1"}}], traps
