# SPDX-License-Identifier: GPL-2.0-or-later
"""Interop matrix: our vrrpd against stock vrrpd and keepalived, per version, family, checksum."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pytest

from vrrptest import vrrplab
from vrrptest import vrrpnet
from vrrptest.capture import CKSUM_GOOD, tshark_fields
from vrrptest.macvlan import vmac
from vrrptest.peers import keepalived_conf
from vrrptest.timing import master_down_ms
from vrrptest.vrrpnet import VIP4, VIP6_GLOBAL, VIP6_LL, VRID, lines_to_conf, net, seed_lines

assert net  # imported for pytest: the `net` fixture, used by name

OURS = vrrplab.default_vrrpd_bin()
WIN, LOSE = 210, 200            # the chosen winner's and the loser's priority

# Advertisement intervals (ms). VRRPv3: 500 ms, sub-second on every side (stock: 10 ms steps,
# keepalived: fractional advert_int). VRRPv2 carries whole seconds on the wire (RFC 3768 5.3.7;
# keepalived 2.2.7 sends v2 as whole seconds), so 1 s is the shortest common value.
INTERVAL_MS = {3: 500, 2: 1000}

# Tolerance on top of the winner's Master_Down_Interval, measured from the moment the later
# of the two routers is running. What it has to absorb: the winner's timer firing late (event
# loop latency, and for stock a zebra round trip for protodown before it sends: ~1-20 ms
# observed), the first advertisement's trip and processing on the loser (< 1 ms on a veth
# bridge) and a busy CI runner (10x margin). What it must not absorb: one lost or rejected
# advertisement, which costs a whole Advertisement_Interval (500 ms for v3, 1 s for v2) — the
# failures this matrix exists to find. 250 ms sits between the two with a wide margin each
# way. Start times are taken when the start is confirmed (vtysh returned, keepalived's first
# notify ran), so they are never early; the deadline can only err on the lenient side, by the
# confirmation latency (< 100 ms).
TOL_S = 0.25


@dataclass(frozen=True)
class Combo:
    """One row of the matrix besides the peer: VRRP version, family and checksum mode."""
    key: str
    version: int
    family: str             # "v4" / "v6"
    checksum: str           # "pseudo", "message", "v2" (message, fixed), "v6" (fixed), and
                            # "auto-pseudo" / "auto-message": ours follows the peer, starting
                            # in that mode (`checksum-with-ipv4-pseudoheader auto`)
    label: str              # checksum column of the table

    @property
    def interval_ms(self) -> int:
        return INTERVAL_MS[self.version]


COMBOS = [
    Combo("v3-ipv4-pseudo", 3, "v4", "pseudo", "pseudo-header"),
    Combo("v3-ipv4-msgonly", 3, "v4", "message", "message-only"),
    Combo("v3-ipv4-auto-pseudo", 3, "v4", "auto-pseudo", "auto, from pseudo-header"),
    Combo("v3-ipv4-auto-msgonly", 3, "v4", "auto-message", "auto, from message-only"),
    Combo("v2-ipv4", 2, "v4", "v2", "message (v2, fixed)"),
    Combo("v3-ipv6", 3, "v6", "v6", "IPv6 pseudo-header (fixed)"),
]
PEERS = ["stock", "keepalived"]
WINNERS = ["ours", "peer"]
NOT_A_CELL = {("v2", "IPv6"): "n/a: VRRPv2 is IPv4 only (RFC 3768; RFC 9568 5.2.1)"}

XFAIL = {
    ("stock", "v3-ipv4-msgonly", "ours"):
        "stock FRR 8.4.4 has no message-only IPv4 checksum: `vrrp N checksum-with-ipv4-"
        "pseudoheader` came with FRR 8.5 (Debian's vtysh: '% Unknown command'); stock always "
        "sends and checks the pseudo-header, so each side drops the other's advertisements "
        "as bad checksums and both are Master",
    ("keepalived", "v3-ipv4-msgonly", "ours"):
        "keepalived 2.2.7 has no v3_checksum_as_v2 (added in 2.2.8; 2.2.7 logs \"Unknown "
        "keyword 'v3_checksum_as_v2'\"); it always uses the pseudo-header and logs 'Invalid "
        "VRRPv3 checksum' for our message-only advertisements, so both are Master",
    ("stock", "v3-ipv6", "peer"):
        "stock FRR 8.4.4 loses its first IPv6 advertisement after Backup -> Master: zebra "
        "withdrew the macvlan's link-local from vrrpd at protodown and re-announces it only "
        "after reporting the link up, so the advertisement deferred until 'up' finds no "
        "source ('Failed to find address to bind on vrrp6-...') and is dropped; the next one "
        "is an interval later, so both are Master past Master_Down_Interval + tolerance",
}
XFAIL[("stock", "v3-ipv4-msgonly", "peer")] = XFAIL[("stock", "v3-ipv4-msgonly", "ours")]
XFAIL[("keepalived", "v3-ipv4-msgonly", "peer")] = XFAIL[("keepalived", "v3-ipv4-msgonly",
                                                         "ours")]


def cell_id(peer, combo, winner) -> str:
    return f"{peer}-{combo.key}-{winner}-wins"


def _cells():
    for peer in PEERS:
        for combo in COMBOS:
            for winner in WINNERS:
                reason = XFAIL.get((peer, combo.key, winner))
                marks = [pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason)] \
                    if reason else []
                yield pytest.param(peer, combo, winner, id=cell_id(peer, combo, winner),
                                   marks=marks)


# ---------------------------------------------------------------------------------------------
# the table at the end of the run (pytest_terminal_summary of a plugin this module registers)
# ---------------------------------------------------------------------------------------------

class MatrixSummary:
    """Collects the outcome of every cell and prints the matrix in the terminal summary."""

    RANK = {"": 0, "skip": 1, "pass": 2, "xfail": 3, "XPASS": 4, "FAIL": 5, "ERROR": 6}

    def __init__(self):
        self.outcome: dict[str, str] = {}
        self.duration: dict[str, float] = {}

    def _set(self, cid, outcome):
        if self.RANK[outcome] >= self.RANK[self.outcome.get(cid, "")]:
            self.outcome[cid] = outcome

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report):
        if "test_interop_matrix.py::test_cell[" not in report.nodeid:
            return
        cid = report.nodeid.split("[", 1)[1].rstrip("]")
        self.duration[cid] = self.duration.get(cid, 0.0) + report.duration
        xf = hasattr(report, "wasxfail")
        if report.when == "call":
            if report.passed:
                self._set(cid, "XPASS" if xf else "pass")
            elif report.skipped:
                self._set(cid, "xfail" if xf else "skip")
            elif str(report.longrepr).startswith("[XPASS(strict)]"):
                self._set(cid, "XPASS")     # reported as a failure, without wasxfail
            else:
                self._set(cid, "FAIL")
        elif report.failed:
            self._set(cid, "ERROR")
        elif report.skipped and report.when == "setup":
            self._set(cid, "xfail" if xf else "skip")

    @pytest.hookimpl
    def pytest_terminal_summary(self, terminalreporter):
        if not self.outcome:
            return
        tr = terminalreporter
        tr.section("VRRP interop matrix (ours = " + str(OURS) + ")")
        hdr = (f"{'peer':<11}{'version':<8}{'family':<7}{'checksum':<28}"
               f"{'ours wins':<16}{'peer wins':<16}")
        tr.write_line(hdr)
        tr.write_line("-" * len(hdr))
        notes = []
        for peer in PEERS:
            for combo in COMBOS:
                cols = []
                for w in WINNERS:
                    cid = cell_id(peer, combo, w)
                    o = self.outcome.get(cid, "not run")
                    d = self.duration.get(cid)
                    txt = o if d is None or o == "not run" else f"{o} {d:.1f}s"
                    reason = XFAIL.get((peer, combo.key, w))
                    if reason and o in ("xfail", "XPASS", "FAIL"):
                        if reason not in notes:
                            notes.append(reason)
                        txt += f" [{notes.index(reason) + 1}]"
                    cols.append(txt)
                fam = "IPv4" if combo.family == "v4" else "IPv6"
                tr.write_line(f"{peer:<11}{'v' + str(combo.version):<8}{fam:<7}"
                              f"{combo.label:<28}{cols[0]:<16}{cols[1]:<16}")
            for (ver, fam), why in NOT_A_CELL.items():
                tr.write_line(f"{peer:<11}{ver:<8}{fam:<7}{'-':<28}{why}")
        for i, n in enumerate(notes, 1):
            tr.write_line(f"[{i}] {n}")


@pytest.fixture(scope="session", autouse=True)
def _matrix_summary(request):
    """Registers MatrixSummary once per session (no conftest needed: plugins registered at
    run time receive the later hook calls, including pytest_terminal_summary)."""
    pm = request.config.pluginmanager
    if pm.get_plugin("vrrp-interop-matrix") is None:
        pm.register(MatrixSummary(), "vrrp-interop-matrix")
    yield


# ---------------------------------------------------------------------------------------------
# fixtures and helpers
# ---------------------------------------------------------------------------------------------

class AdvertCapture(vrrpnet.Capture):
    """vrrpnet's tcpdump capture on the LAN's bridge, read back with tshark verifying the
    VRRP checksum in the cell's mode (vrrp.v3_checksum_as_in_v2 for message-only)."""

    FIELDS = ["frame.time_epoch", "eth.src", "ip.src", "ipv6.src", "vrrp.version",
              "vrrp.virt_rtr_id", "vrrp.prio", "vrrp.checksum.status"]

    def stop_adverts(self, message_only: bool) -> list[dict]:
        self.end_tcpdump()
        return self.adverts_as(message_only)

    def adverts_as(self, message_only: bool) -> list[dict]:
        """The capture's advertisements, checksums verified in one mode (after stop)."""
        pref = f"vrrp.v3_checksum_as_in_v2:{'TRUE' if message_only else 'FALSE'}"
        recs = []
        for f in tshark_fields(self.pcap, self.FIELDS, "vrrp", [pref]):
            recs.append({"t": float(f["frame.time_epoch"]), "mac": f["eth.src"],
                         "src": f["ip.src"] or f["ipv6.src"], "version": int(f["vrrp.version"]),
                         "vrid": int(f["vrrp.virt_rtr_id"]), "prio": int(f["vrrp.prio"]),
                         "cksum": int(f["vrrp.checksum.status"] or -1)})
        return recs


def fmt_advert(a, t0) -> str:
    return (f"  {a['t'] - t0:+7.3f}s {a['mac']} {a['src']} v{a['version']} vrid {a['vrid']} "
            f"prio {a['prio']} checksum-status {a['cksum']}")


def status_of(node: vrrpnet.Node, family: str) -> str | None:
    v = node.vr()
    return v[family]["status"] if v else None


class Peer:
    """The other side of a cell: `role()` gives its view, Master/Backup/other."""

    def role(self) -> str:
        raise NotImplementedError


class StockPeer(Peer):
    def __init__(self, net, family):
        self.node = net.node("dev2", vrrplab.STOCK_VRRPD)
        self.node.make_macvlan(family, VRID)    # stock binds to a hand-made macvlan only
        self.family = family
        self.notes = []

    def start(self, lines, message_only) -> float:
        rc, out = self.node.router.vtysh_config(lines)
        if rc != 0 or out:
            raise vrrplab.LabError(f"stock vtysh config {lines} -> rc={rc}\n{out}")
        t = time.time()                 # the VR is configured (and runs: checked below)
        if message_only:
            cmd = f"no vrrp {VRID} checksum-with-ipv4-pseudoheader"
            rc, out = self.node.router.vtysh_config(["interface eth1", cmd])
            if rc != 0 or out:
                self.notes.append(f"stock refuses message-only checksums: vtysh '{cmd}' -> "
                                  f"rc={rc}: {out.strip()}")
        st = status_of(self.node, self.family)
        if st not in ("Backup", "Master"):
            raise vrrplab.LabError(f"stock vrrpd did not start the VR: status {st}")
        return t

    def role(self):
        return status_of(self.node, self.family)

    def log_problems(self) -> list[str]:
        """Stock's own word for an advertisement it could not send."""
        return [f"stock log: {ln.split('] ', 1)[-1]} (that advertisement was not sent)"
                for ln in self.node.vrrpd.log().splitlines()
                if "Failed to find address to bind" in ln]

    def stats(self):
        return self.node.vr()[self.family]["stats"]


class KeepalivedPeer(Peer):
    KA_ROLE = {"MASTER": "Master", "BACKUP": "Backup", "FAULT": "Fault", "STOP": "Stop"}

    def __init__(self, net, lab, factory, family):
        ns = lab.namespace()
        net.switch.attach(ns, "eth1", [vrrpnet.SEED["dev2"]["v4"]])
        if family == "v6":
            ns.ip("addr", "add", vrrpnet.SEED["dev2"]["v6"], "dev", "eth1", "nodad")
        self.ka = factory(ns)
        self.notes = []

    def start(self, conf) -> float:
        t_exec = time.time()
        t = self.ka.start(conf)
        self.startup = t - t_exec       # keepalived start-up: exec -> first notify (BACKUP)
        log = self.ka.log_text(400)
        self.notes += [f"keepalived: {ln.split(': ', 1)[-1]}" for ln in log.splitlines()
                       if "Unknown keyword" in ln]
        return t

    def role(self):
        s = self.ka.state()
        return self.KA_ROLE.get(s, s)

    def invalid_lines(self) -> list[str]:
        return [ln for ln in self.ka.log_text(100000).splitlines()
                if "Invalid" in ln or "invalid" in ln]


# ---------------------------------------------------------------------------------------------
# the cells
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("peer,combo,winner", list(_cells()))
def test_cell(lab, net, keepalived, peer, combo, winner):
    """Ours (dev1) starts first; once it runs, the peer starts (stock vrrpd on a hand-made seed
    macvlan, or keepalived with use_vmac). Priorities 210/200 make `winner` win. From the
    later start + the winner's Master_Down_Interval + TOL_S on, for two intervals: exactly one
    Master, the winner, seen from ours (`show vrrp json`) and from the peer (stock: vtysh
    `show vrrp json`; keepalived: its notify script's log). On the wire (tshark on the LAN's
    bridge): every advertisement of both sides has the cell's version, VRID and virtual MAC
    and a good checksum in the cell's mode; the loser is silent after the deadline; the
    winner advertises without a gap. Ours drops nothing and, as Backup, counts the Master's
    advertisements."""
    fam, version, interval = combo.family, combo.version, combo.interval_ms
    auto = combo.checksum.startswith("auto-")
    # The peers speak the pseudo-header unless the cell is message-only; in an auto cell ours
    # starts in its own mode and must end up in the peer's.
    message_only = combo.checksum == "message"
    ours_message_only = combo.checksum in ("message", "auto-message")
    p_ours, p_peer = (WIN, LOSE) if winner == "ours" else (LOSE, WIN)
    t_cell = time.time()

    # ours: dev1 (10.10.10.15), vrrpd.conf given with -f (the checksum command is not in
    # Debian's vtysh grammar); no seed macvlan: ours creates vrrp4-/vrrp6-<ifindex>-5 itself
    ours = net.node("dev1", start=False)
    lines = seed_lines((fam,), prio=p_ours, version=2 if version == 2 else None,
                       interval=None if interval == 1000 else interval)
    if ours_message_only:
        lines.append(f"no vrrp {VRID} checksum-with-ipv4-pseudoheader")
    if auto:
        lines.append(f"vrrp {VRID} checksum-with-ipv4-pseudoheader auto")
    peer_lines = seed_lines((fam,), prio=p_peer, version=2 if version == 2 else None,
                            interval=None if interval == 1000 else interval)

    if peer == "stock":
        p = StockPeer(net, fam)
    else:
        p = KeepalivedPeer(net, lab, keepalived, fam)
    cap = AdvertCapture(net, net.switch.ns, "br0").start()

    ours.router.start(vrrpd_config=lines_to_conf(lines))
    rc = ours.router.running_config()
    if ours_message_only and f"no vrrp {VRID} checksum-with-ipv4-pseudoheader" not in rc:
        raise vrrplab.LabError(f"ours did not take the message-only checksum:\n{rc}")
    if auto and f"vrrp {VRID} checksum-with-ipv4-pseudoheader auto" not in rc:
        raise vrrplab.LabError(f"ours did not take the auto checksum:\n{rc}")
    # ours leaves Initialize once its macvlan is usable (IPv6: after DAD of its link-local)
    try:
        vrrpnet.wait_until(lambda: status_of(ours, fam) in ("Backup", "Master"), 10,
                           "ours out of Initialize")
    except AssertionError as e:       # a set-up failure, never an (expected) cell failure
        raise vrrplab.LabError(str(e)) from None
    t_ours = time.time()

    if peer == "stock":
        t_peer = p.start(peer_lines, message_only)
    else:
        vips = [f"{VIP4}/24"] if fam == "v4" else [f"{VIP6_LL}/64", f"{VIP6_GLOBAL}/64"]
        conf = keepalived_conf(vrid=VRID, priority=p_peer, version=version,
                               advert_int=interval / 1000, vips=vips, notify=p.ka.notify,
                               v3_checksum_as_v2=message_only)
        t_peer = p.start(conf)
    t0 = max(t_ours, t_peer)
    mdi = master_down_ms(WIN, interval, version) / 1000
    deadline = t0 + mdi + TOL_S
    hold = 2 * interval / 1000 + 0.2
    expect = ("Master", "Backup") if winner == "ours" else ("Backup", "Master")

    # Roles are sampled with both queries in parallel (a vtysh round trip is ~25 ms), and the
    # first checked sample is taken right at the deadline.
    pool = ThreadPoolExecutor(2)

    def sample():
        fo, fp = pool.submit(status_of, ours, fam), pool.submit(p.role)
        return fo.result(), fp.result()

    timeline, bad = [], []
    last = None
    try:
        while True:
            now = time.time()
            roles = sample()
            if roles != last:
                timeline.append((now, roles))
                last = roles
            if now >= deadline:
                break
            time.sleep(max(0.0, min(vrrpnet.POLL, deadline - time.time())))
        # `now` is the sample's start, at (or just after) the deadline
        if roles != expect:
            bad.append((now, roles))
        rx0 = ours.vr()[fam]["stats"]["adverRx"]
        inv0 = len(p.invalid_lines()) if peer == "keepalived" else 0
        prx0 = p.stats()["adverRx"] if peer == "stock" else None
        # A counter read that has returned is no older than this moment.
        t_rx0 = time.time()
        while time.time() < deadline + hold:
            time.sleep(vrrpnet.POLL)
            now = time.time()
            roles = sample()
            if roles != last:
                timeline.append((now, roles))
                last = roles
            if roles != expect:
                bad.append((now, roles))
    finally:
        pool.shutdown()
    # ... and one that starts now is no older than now: at least this many intervals between.
    t_rx1 = time.time()
    vr = ours.vr()[fam]
    prx1 = p.stats()["adverRx"] if peer == "stock" else None
    min_rx = max(1, int((t_rx1 - t_rx0) / (interval / 1000)))
    ads = cap.stop_adverts(message_only)
    if auto:
        # Ours changes mode once it hears the peer: a frame is good if its checksum is good
        # in either mode, and ours must speak the peer's mode from the deadline on.
        alt = cap.adverts_as(not message_only)
        for a, b in zip(ads, alt):
            a["cksum_peer_mode"] = a["cksum"]
            if b["cksum"] == CKSUM_GOOD:
                a["cksum"] = CKSUM_GOOD

    # --- verdict ---------------------------------------------------------------------------
    problems = list(p.notes)
    n_master = {r.count("Master") for _, r in bad}
    if bad:
        problems.append(
            f"not exactly one Master ({winner} wins) from +{deadline - t0:.3f}s (Master_Down_"
            f"Interval {mdi:.3f}s + {TOL_S}s) on: (ours, {peer}) = "
            + ", ".join(f"{r} at +{t - t0:.3f}s" for t, r in bad[:5])
            + (f" ... ({len(bad)} samples)" if len(bad) > 5 else "")
            + f"; Masters per sample {sorted(n_master)}")
    if winner == "peer" and vr["stats"]["adverRx"] - rx0 < min_rx:
        problems.append(f"ours, Backup, counted {vr['stats']['adverRx'] - rx0} "
                        f"advertisements in {t_rx1 - t_rx0:.2f}s (at least {min_rx})")
    if winner == "ours" and peer == "stock" and prx1 - prx0 < min_rx:
        problems.append(f"stock, Backup, counted {prx1 - prx0} advertisements in "
                        f"{t_rx1 - t_rx0:.2f}s (at least {min_rx})")
    drops = {f"{k}.{c}": n for k in ("rxDrops", "interfaceRxDrops")
             for c, n in vr.get(k, {}).items() if n}
    if drops:
        problems.append(f"ours dropped advertisements: {drops}")
    if peer == "stock":
        problems += p.log_problems()
    if peer == "keepalived":
        inv = p.invalid_lines()
        # In an auto cell ours may be rejected until it has heard the peer, not after.
        inv = inv[inv0:] if auto else inv
        if inv:
            problems.append(f"keepalived rejected {len(inv)} packets, e.g. "
                            f"'{inv[0].split(': ', 1)[-1]}'")

    win_prio, lose_prio = WIN, LOSE
    want_mac = vmac(fam, VRID)
    for a in ads:
        side = "ours" if a["prio"] == p_ours else (peer if a["prio"] == p_peer else "?")
        if a["version"] != version or a["vrid"] != VRID or a["mac"] != want_mac:
            problems.append(f"{side} advertisement v{a['version']} vrid {a['vrid']} from MAC "
                            f"{a['mac']}: want v{version} vrid {VRID} from {want_mac}")
        if a["cksum"] != CKSUM_GOOD:
            problems.append(f"{side} advertisement at +{a['t'] - t0:.3f}s: tshark checksum "
                            f"status {a['cksum']} ({combo.label}; 0 = bad)")
    if auto:
        wrong = [a for a in ads if a["prio"] == p_ours and a["t"] >= deadline and
                 a["cksum_peer_mode"] != CKSUM_GOOD]
        if wrong:
            problems.append(f"ours sent {len(wrong)} advertisements after the deadline not in "
                            f"the peer's checksum mode, the first at "
                            f"+{wrong[0]['t'] - t0:.3f}s")
    win_ads = [a for a in ads if a["prio"] == win_prio]
    late = [a for a in ads if a["prio"] == lose_prio and a["t"] > deadline]
    if late:
        problems.append(f"the loser ({'ours' if winner == 'peer' else peer}) advertised "
                        f"{len(late)} times after the deadline")
    held = [a for a in win_ads if a["t"] >= deadline - interval / 1000]
    gaps = [b["t"] - a["t"] for a, b in zip(held, held[1:])]
    if len(held) < 2 or max(gaps, default=0) > 1.5 * interval / 1000:
        problems.append(f"the winner's advertisements around the hold window: {len(held)}, "
                        f"largest gap {max(gaps, default=0) * 1000:.0f} ms "
                        f"(interval {interval} ms)")

    report = (f"\n{cell_id(peer, combo, winner)}: start ours +{t_ours - t_cell:.2f}s, peer "
              f"+{t_peer - t_cell:.2f}s"
              + (f" (keepalived exec -> BACKUP {p.startup * 1000:.0f} ms)"
                 if peer == "keepalived" else "")
              + f"; deadline = later start + {mdi:.3f} + {TOL_S}s\n"
              "timeline (ours, peer) from the later start:\n"
              + "\n".join(f"  {t - t0:+7.3f}s {r}" for t, r in timeline)
              + "\nadvertisements:\n" + "\n".join(fmt_advert(a, t0) for a in ads))
    print(report)
    if problems and peer == "keepalived":
        report += "\nkeepalived log:\n" + p.ka.log_text(40)
    assert not problems, "\n".join(problems) + report
