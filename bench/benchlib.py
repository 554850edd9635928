# SPDX-License-Identifier: GPL-2.0-or-later
"""Benchmark building blocks: LANs of routers in namespaces, process bookkeeping, and one adapter
per implementation (our vrrpd, Debian's stock vrrpd, keepalived) with the same operations. The
lab, captures, macvlans, timer formulas and keepalived's process come from tests/lib/vrrptest."""

from __future__ import annotations

import fcntl
import math
import os
import re
import select
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
sys.path.insert(0, str(REPO / "tests" / "lib"))

from vrrptest import vrrplab  # noqa: E402  (read-only use of the test lab)
from vrrptest.capture import LiveCapture  # noqa: E402
from vrrptest.macvlan import macvlan_name, seed_commands  # noqa: E402
from vrrptest.peers import KeepalivedProcess  # noqa: E402

CLK_TCK = os.sysconf("SC_CLK_TCK")

# Host part of each router's address on every parent: dev1 (priority 210) .15, dev2 (200) .10.
HOSTS = {"dev1": 15, "dev2": 10}
PRIOS = {"dev1": 210, "dev2": 200}

_reg_lock = threading.Lock()
_labs: list = []        # every Lab ever created, for the emergency cleanup
_procs: list = []       # every helper Popen (tcpdump, keepalived)


class BenchError(Exception):
    pass


def log(msg: str):
    sys.stderr.write(f"[{time.strftime('%H:%M:%S')}] {msg}\n")
    sys.stderr.flush()


# ---------------------------------------------------------------------------------------------
# processes
# ---------------------------------------------------------------------------------------------

def register_proc(p: subprocess.Popen):
    with _reg_lock:
        _procs.append(p)


def unregister_proc(p: subprocess.Popen):
    with _reg_lock:
        if p in _procs:
            _procs.remove(p)


def stop_proc(p: subprocess.Popen, first=signal.SIGTERM, grace=5.0):
    """End a helper we started, by PID: `first`, then SIGKILL."""
    if p.poll() is None:
        for sig in (first, signal.SIGKILL):
            try:
                p.send_signal(sig)
                p.wait(grace)
                break
            except subprocess.TimeoutExpired:
                continue
            except ProcessLookupError:
                break
    unregister_proc(p)


def new_lab() -> vrrplab.Lab:
    lab = vrrplab.Lab("bench")
    with _reg_lock:
        _labs.append(lab)
    return lab


def close_lab(lab: vrrplab.Lab) -> list[str]:
    problems = lab.cleanup()
    with _reg_lock:
        if lab in _labs:
            _labs.remove(lab)
    return problems


def emergency_cleanup():
    """Stop every helper and lab still registered (on error or signal)."""
    with _reg_lock:
        procs, labs = list(_procs), list(_labs)
    for p in procs:
        try:
            stop_proc(p, signal.SIGTERM, 3)
        except Exception:
            pass
    for lab in labs:
        try:
            close_lab(lab)
        except Exception:
            pass


def descendants(pid: int) -> list[int]:
    todo, out = [pid], []
    while todo:
        q = todo.pop()
        for c in vrrplab.children_of(q):
            out.append(c)
            todo.append(c)
    return out


def cpu_ticks(pids) -> int:
    """utime + stime (clock ticks) of the given processes; vanished ones count 0."""
    total = 0
    for pid in pids:
        try:
            f = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(f[11]) + int(f[12])
        except (OSError, IndexError):
            pass
    return total


def cpu_ns(pids) -> int:
    """On-CPU time (ns) of all threads of the given processes, from /proc/PID/task/*/schedstat
    (nanosecond resolution; utime+stime count 10 ms ticks, too coarse for idle daemons)."""
    total = 0
    for pid in pids:
        try:
            for t in Path(f"/proc/{pid}/task").iterdir():
                try:
                    total += int((t / "schedstat").read_text().split()[0])
                except (OSError, ValueError, IndexError):
                    pass
        except OSError:
            pass
    return total


def host_cpu() -> tuple[int, int, int]:
    """(busy, softirq, total) jiffies of all CPUs from /proc/stat."""
    f = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    total = sum(f[:8])
    idle = f[3] + f[4]
    return total - idle, f[6], total


def rss_kib(pids) -> int:
    total = 0
    for pid in pids:
        try:
            for ln in Path(f"/proc/{pid}/status").read_text().splitlines():
                if ln.startswith("VmRSS:"):
                    total += int(ln.split()[1])
        except OSError:
            pass
    return total


# ---------------------------------------------------------------------------------------------
# live capture: capture.LiveCapture, its tcpdump among the helpers the emergency cleanup stops
# ---------------------------------------------------------------------------------------------

def live_capture(ns, iface: str, pcap: Path, bpf: str = "ip proto 112") -> LiveCapture:
    return LiveCapture(ns, iface, pcap, bpf, started=register_proc, stopped=unregister_proc)


# ---------------------------------------------------------------------------------------------
# topology: routers with parents eth1..ethP, each ethK on bridge brK in a switch namespace
# ---------------------------------------------------------------------------------------------

@dataclass
class VR:
    iface: str
    vrid: int
    prio: int
    interval_ms: int
    vip: str          # address only
    plen: int = 16
    # (interface, decrement): the router tracks that interface and loses `decrement` of its
    # priority while it is down (ours: track interface, keepalived: track_interface weight)
    track: tuple[str, int] | None = None


def parent_addr(k: int, label: str) -> str:
    return f"10.{k}.0.{HOSTS[label]}"


def vip(k: int, vrid: int) -> str:
    return f"10.{k}.{vrid}.1"


# The role each router of a pair holds when the LAN has converged.
ROLES = {"dev1": "Master", "dev2": "Backup"}


def in_role(impl, r, label: str, want, timeout=30) -> int | None:
    """How many of the virtual routers `want` ((iface, vrid) keys) router r, labelled
    `label`, holds in its converged role (ROLES); None when its daemon does not answer."""
    st = impl.states(r, timeout=timeout)
    if st is None:
        return None
    return sum(1 for k in want if st.get(k) == ROLES[label])


def vrs_for(label: str, counts: list[int], interval_ms: int) -> list[VR]:
    """counts[k-1] virtual routers (VRID 1..n) on parent ethK."""
    out = []
    for k, n in enumerate(counts, 1):
        for v in range(1, n + 1):
            out.append(VR(f"eth{k}", v, PRIOS[label], interval_ms, vip(k, v)))
    return out


def split_counts(n: int, per_parent: int = 255) -> list[int]:
    p = max(1, math.ceil(n / per_parent))
    return [n // p + (1 if i < n % p else 0) for i in range(p)]


class Topo:
    """A switch namespace with bridges br1..brP and routers (vrrplab Routers) plugged in."""

    def __init__(self, lab, impl, labels=("dev1", "dev2"), parents=1):
        self.lab, self.impl, self.parents = lab, impl, parents
        self.sw = lab.namespace()
        # The switch forwards frames and nothing else. With br_netfilter built in, a bridge
        # of a new namespace passes every frame through the IP hooks, and that work lands on
        # whichever daemon sent the frame: a third of a Master's CPU at 10 ms, for every
        # implementation alike (bench/README.md, Finding 14).
        for fam in ("iptables", "ip6tables", "arptables"):
            self.sw.run("sysctl", "-qw", f"net.bridge.bridge-nf-call-{fam}=0", check=False)
        for k in range(1, parents + 1):
            self.sw.ip("link", "add", f"br{k}", "type", "bridge", "mcast_snooping", "0")
            self.sw.link_up(f"br{k}")
        self.routers = {}
        self.hosts = []
        for i, label in enumerate(labels, 1):
            r = lab.router(vrrpd_bin=impl.binary)
            for k in range(1, parents + 1):
                port = f"d{i}p{k}"
                lab.veth(r, f"eth{k}", self.sw, port, addrs_a=[f"{parent_addr(k, label)}/16"])
                self.sw.ip("link", "set", port, "master", f"br{k}")
            self.routers[label] = r

    def link(self, label: str, k: int, up: bool):
        self.routers[label].ip("link", "set", f"eth{k}", "up" if up else "down")

    def add_host(self, k: int, addr: str, gateway: str | None = None):
        """A plain host namespace on brK with addr/16 and, if given, a default route via
        gateway (the virtual address, for a host behind the virtual router)."""
        h = self.lab.namespace()
        port = f"h{len(self.hosts) + 1}p{k}"
        self.lab.veth(h, "eth0", self.sw, port, addrs_a=[f"{addr}/16"])
        self.sw.ip("link", "set", port, "master", f"br{k}")
        if gateway:
            h.ip("route", "add", "default", "via", gateway)
        self.hosts.append(h)
        return h

    def route_between_parents(self):
        """Let the routers forward between their parents, as gateways do (set before the
        macvlans exist, so that they inherit rp_filter off: a datagram for the virtual MAC
        comes in on the macvlan, whose source the routes place on the parent)."""
        for r in self.routers.values():
            r.ns.run("sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv4.conf.all.rp_filter=0",
                     "net.ipv4.conf.default.rp_filter=0")


# ---------------------------------------------------------------------------------------------
# implementations
# ---------------------------------------------------------------------------------------------

class Impl:
    name = "?"
    binary = None
    # the failover and restart cases (phases.SCENARIOS, phases.RESTARTS) it cannot run
    lacks: frozenset = frozenset()

    def supports(self, scen: str) -> bool:
        return scen not in self.lacks

    def start(self, r, vrs: list[VR]):
        raise NotImplementedError

    def prepare(self, r, vrs: list[VR]):
        """What must exist before the daemon starts and is not timed with it (FRR: the
        macvlans stock needs, and zebra). Nothing for keepalived."""

    def kill9(self, r):
        raise NotImplementedError

    def restart(self, r, vrs):
        raise NotImplementedError

    def release(self, r, vrs):
        """Make the Master give up with a priority-0 advertisement."""
        raise NotImplementedError

    def unrelease(self, r, vrs):
        raise NotImplementedError

    def daemon_pids(self, r) -> list[int]:
        raise NotImplementedError

    def zebra_pids(self, r) -> list[int]:
        return []

    def states(self, r, timeout=30) -> dict | None:
        """(iface, vrid) -> "Master" / "Backup" / "Initialize" / ..., or None if unknown."""
        raise NotImplementedError

    def fifo(self, r) -> "NotifyFifo | None":
        """The router's notify FIFO reader, when the implementation writes one."""
        return None

    def stop(self, r):
        pass


def frr_conf(vrs: list[VR], logfile: Path | None = None, globals_=()) -> str:
    by_if: dict[str, list[VR]] = {}
    for v in vrs:
        by_if.setdefault(v.iface, []).append(v)
    # microsecond log timestamps: the benchmark reads the Backup -> Master transition time
    out = [f"log file {logfile} informational", "log timestamp precision 6", "!"] \
        if logfile else []
    out += [*globals_, "!"] if globals_ else []
    for ifn, lst in by_if.items():
        out.append(f"interface {ifn}")
        for v in lst:
            out.append(f" vrrp {v.vrid}")
            out.append(f" vrrp {v.vrid} priority {v.prio}")
            if v.interval_ms != 1000:
                out.append(f" vrrp {v.vrid} advertisement-interval {v.interval_ms}")
            out.append(f" vrrp {v.vrid} ip {v.vip}")
            if v.track:
                out.append(f" vrrp {v.vrid} track interface {v.track[0]} decrement "
                           f"{v.track[1]}")
        out.append("exit")
        out.append("!")
    return "\n".join(out) + "\n"


SUMMARY_RE = re.compile(r"^\s*(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(\S+)\s*$")


class WrappedDaemon(vrrplab.Daemon):
    """A vrrplab daemon whose command line can be prefixed (valgrind)."""

    wrapper: list = []

    def argv(self) -> list[str]:
        return [*map(str, self.wrapper), *super().argv()]


class NotifyFifo:
    """A keepalived-format notify FIFO (keepalived's `vrrp_notify_fifo`, our `vrrp notify
    fifo`) read by a thread: each instance's state, and when its line arrived, so a
    convergence time is read exactly instead of rounded up to the next poll."""

    # states only: MASTER_RX_LOWER_PRI and MASTER_PRIORITY are events. keepalived names an
    # instance eth1_5 here; ours are eth1-5-v4 (IPv6 instances are not benchmarked).
    LINE_RE = re.compile(rb'^INSTANCE "(eth\d+)(?:_(\d+)|-(\d+)-v4)" '
                         rb'(MASTER|BACKUP|FAULT|STOP|DELETED) (\d+)')

    def __init__(self, path: Path):
        self.path = path
        if not path.exists():
            os.mkfifo(path, 0o600)
        self.lock = threading.Lock()
        self.states: dict = {}
        self.since: dict = {}
        self.closed = False
        self.fd = os.open(path, os.O_RDWR | os.O_NONBLOCK)  # RDWR: never sees EOF
        try:  # 1000 instances write ~60 KB of notifications at start
            fcntl.fcntl(self.fd, 1031, 1 << 20)  # F_SETPIPE_SZ
        except OSError:
            pass
        threading.Thread(target=self._reader, daemon=True).start()

    def _reader(self):
        buf = b""
        while True:
            try:
                rl, _, _ = select.select([self.fd], [], [], 1.0)
            except (OSError, ValueError):
                return
            if not rl:
                if self.closed:
                    return
                continue
            try:
                chunk = os.read(self.fd, 65536)
            except BlockingIOError:
                continue
            except OSError:
                return
            now = time.monotonic()
            *lines, buf = (buf + chunk).split(b"\n")
            with self.lock:
                for ln in lines:
                    m = self.LINE_RE.match(ln)
                    if m:
                        key = (m.group(1).decode(), int(m.group(2) or m.group(3)))
                        self.states[key] = m.group(4).decode().capitalize()
                        self.since[key] = now

    def snapshot(self) -> dict:
        with self.lock:
            return dict(self.states)

    def settled_at(self, want, role: str) -> float | None:
        """time.monotonic() at which the last of `want` entered `role`, if all hold it."""
        with self.lock:
            if any(self.states.get(k) != role for k in want):
                return None
            return max((self.since[k] for k in want), default=None)

    def clear(self):
        with self.lock:
            self.states.clear()
            self.since.clear()

    def close(self):
        self.closed = True
        try:
            os.close(self.fd)
        except OSError:
            pass


TRANS_RE = re.compile(r"^(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d)\.(\d+) .*Backup -> Master")


class FrrImpl(Impl):
    """Our vrrpd or Debian's, each with Debian's zebra; stock gets hand-made macvlans."""

    def __init__(self, name: str, binary: Path, manual_macvlans: bool, lacks=(),
                 restart_globals=(), notify_fifo=False):
        """restart_globals: the global commands a restart without failover needs, which
        the failover session asks for (use_restart_globals()). notify_fifo: the daemon
        writes state changes to a FIFO, as keepalived does in this bench (fifo())."""
        self.name, self.binary, self.manual = name, Path(binary), manual_macvlans
        self.notify_fifo = notify_fifo
        self.lacks = frozenset(lacks)
        self.restart_globals = tuple(restart_globals)
        self._vtysh = None

    def use_restart_globals(self, r):
        r._bench_globals = self.restart_globals

    def _make_macvlans(self, r, vrs):
        """The seed's hand-made macvlans, all in one `ip -batch` (1000 of them take seconds
        one command at a time)."""
        idx = {}
        cmds = []
        for v in vrs:
            if v.iface not in idx:
                idx[v.iface] = r.ifindex(v.iface)
            name = macvlan_name("v4", idx[v.iface], v.vrid)
            if len(name) > 15:
                raise BenchError(f"macvlan name too long: {name}")
            cmds += [" ".join(argv[1:]) for argv in
                     seed_commands(name, v.iface, "v4", v.vrid, [f"{v.vip}/{v.plen}"])]
        vrrplab.run(r.ns.exec_argv("ip", "-batch", "-"), input="\n".join(cmds) + "\n",
                    timeout=300)

    def start(self, r, vrs, macvlans_only=False, wrapper=(), boot=False):
        """boot: as frrinit boots an integrated configuration, the daemon starts with no
        routers and `vtysh -b` applies frr.conf (ours with our vtysh, stock with Debian's)."""
        if self.manual and not getattr(r, "_bench_mvl", False):
            self._make_macvlans(r, vrs)
            r._bench_mvl = True
        if macvlans_only:
            return
        if "zebra" not in r.daemons or not r.daemons["zebra"].alive():
            r.start_zebra()
        # As frrinit's daemon_start: `vtysh -b` right after `-d` returns, no check between.
        self._start_vrrpd(r, [] if boot else vrs, wrapper=wrapper,
                          on_detach=(lambda: self._vtysh_boot(r, vrs)) if boot else None)

    def _start_vrrpd(self, r, vrs, timeout=120, wrapper=(), on_detach=None):
        old = r.daemons.get("vrrpd")
        if old is not None:
            old.pidfile.unlink(missing_ok=True)
            # a guardian the old daemon left is reaped at teardown, as vrrplab does
            old.reap_helpers(0)
            r.orphans += old.helpers
        d = WrappedDaemon(r, "vrrpd", self.binary,
                          frr_conf(vrs, r.workdir / "vrrpd-us.log", self._globals(r)))
        d.wrapper = list(wrapper)
        r.daemons["vrrpd"] = d
        d.start(timeout=timeout, on_detach=on_detach)

    def _globals(self, r) -> tuple:
        out = tuple(getattr(r, "_bench_globals", ()))
        if self.notify_fifo:
            if getattr(r, "_fifo", None) is None:
                r._fifo = NotifyFifo(r.workdir / "vrrpd.fifo")
            out += (f"vrrp notify fifo {r._fifo.path}",)
        return out

    def fifo(self, r) -> NotifyFifo | None:
        return getattr(r, "_fifo", None)

    def vtysh_binary(self) -> Path:
        """Resolved once (ours may be built by scripts/vtysh.sh), before anything is timed."""
        if self._vtysh is None:
            self._vtysh = vrrplab.our_vtysh() if self.name == "ours" else vrrplab.VTYSH_BIN
        return self._vtysh

    def _vtysh_boot(self, r, vrs, timeout=300):
        vrrplab._write_frr_file(r.etcdir / "vtysh.conf", "service integrated-vtysh-config\n",
                                0o640)
        vrrplab._write_frr_file(r.etcdir / "frr.conf",
                                frr_conf(vrs, globals_=self._globals(r)), 0o640)
        cp = vrrplab.run([str(self.vtysh_binary()), "-N", r.name, "-b"], check=False,
                         timeout=timeout)
        if cp.returncode != 0:
            raise BenchError(f"{r.name}: vtysh -b: rc={cp.returncode} "
                             f"{(cp.stdout + (cp.stderr or ''))[-2000:]}")

    def start_zebra(self, r):
        r.start_zebra()

    def prepare(self, r, vrs):
        self.start(r, vrs, macvlans_only=True)
        self.start_zebra(r)

    def kill9(self, r):
        d = r.vrrpd
        d.stopped = True
        if not d.alive():
            return
        d.signal(signal.SIGKILL)
        if d.wait(5) is None:
            raise BenchError(f"{d} survived SIGKILL")
        d.pidfile.unlink(missing_ok=True)

    def restart(self, r, vrs):
        self._start_vrrpd(r, vrs)

    def restart_daemon(self, r, vrs):
        """As `systemctl restart` does to one daemon: SIGTERM, wait for the exit, start."""
        r.vrrpd.stop(timeout=30)
        self._start_vrrpd(r, vrs)

    def restart_zebra(self, r):
        """zebra dies (kill -9) and is started again, as the restart topotest does; the
        router's vrrpd keeps running and reconnects."""
        z = r.zebra
        z.stopped = True
        z.signal(signal.SIGKILL)
        if z.wait(5) is None:
            raise BenchError(f"{z} survived SIGKILL")
        z.pidfile.unlink(missing_ok=True)
        r.start_zebra()

    def _shut(self, r, vrs, no: str):
        lines = []
        for v in vrs:
            lines += [f"interface {v.iface}", f"{no}vrrp {v.vrid} shutdown"]
        rc, out = r.vtysh_config(lines)
        if rc != 0:
            raise BenchError(f"{r.name}: vtysh {lines}: rc={rc} {out}")

    def release(self, r, vrs):
        self._shut(r, vrs, "")

    def unrelease(self, r, vrs):
        self._shut(r, vrs, "no ")

    def daemon_pids(self, r):
        d = r.daemons.get("vrrpd")
        return [d.pid] if d and d.pid and d.alive() else []

    def zebra_pids(self, r):
        d = r.daemons.get("zebra")
        return [d.pid] if d and d.pid and d.alive() else []

    def transitions_to_master(self, r) -> list[float]:
        """CLOCK_REALTIME of every "Backup -> Master" line in the vrrpd log (local time)."""
        out = []
        try:
            text = (r.workdir / "vrrpd-us.log").read_text(errors="replace")
        except OSError:
            return out
        for ln in text.splitlines():
            m = TRANS_RE.match(ln)
            if m:
                t = time.mktime(time.strptime(m.group(1), "%Y/%m/%d %H:%M:%S"))
                out.append(t + float("0." + m.group(2)))
        return out

    def states(self, r, timeout=30):
        rc, out = r.vtysh("show vrrp summary", timeout=timeout)
        if rc != 0:
            return None
        st = {}
        for ln in out.splitlines():
            m = SUMMARY_RE.match(ln)
            if m and m.group(2).isdigit():
                st[(m.group(1), int(m.group(2)))] = m.group(6)
        return st

    def stop(self, r):
        d = r.daemons.get("vrrpd")
        if d is not None:
            try:
                d.stop(timeout=30)
            except vrrplab.LabError as e:
                log(f"{self.name}: {e}")


class KeepalivedImpl(Impl):
    """keepalived 2.2.7 (VRRP only, use_vmac), one process tree per router, in the foreground.
    State changes come from its notify FIFO."""

    name = "keepalived"
    binary = None
    lacks = frozenset({"zebra"})  # no zebra to restart

    def __init__(self):
        pass

    @staticmethod
    def conf(r, vrs, fifo) -> str:
        out = ["global_defs {", "  vrrp_version 3", f"  vrrp_notify_fifo {fifo}",
               "  max_auto_priority -1", "}"]
        for v in vrs:
            k = v.iface[3:]
            adv = f"{v.interval_ms / 1000:g}"
            out += [f"vrrp_instance {v.iface}_{v.vrid} {{", f"  interface {v.iface}",
                    f"  use_vmac vk{k}-{v.vrid}", f"  virtual_router_id {v.vrid}",
                    f"  priority {v.prio}", f"  advert_int {adv}",
                    "  virtual_ipaddress {", f"    {v.vip}/{v.plen}", "  }"]
            if v.track:
                out += ["  track_interface {", f"    {v.track[0]} weight -{v.track[1]}",
                        "  }"]
            out.append("}")
        return "\n".join(out) + "\n"

    def start(self, r, vrs, wrapper=()):
        wd = r.workdir
        fifo = wd / "keepalived.fifo"
        if not fifo.exists():
            os.mkfifo(fifo, 0o600)
        if getattr(r, "_ka", None) is None:
            r._ka = NotifyFifo(fifo)
        # as users run it: a plain log, the VRRP child respawned if it dies
        ka = getattr(r, "_ka_proc", None)
        if ka is None:
            ka = r._ka_proc = KeepalivedProcess(r.ns, wd, detailed_log=False, respawn=True)
        register_proc(ka.launch(self.conf(r, vrs, fifo), wrapper))
        ka.wait_vrrp_child(120 if wrapper else 30)

    def _proc(self, r) -> subprocess.Popen | None:
        ka = getattr(r, "_ka_proc", None)
        return ka.proc if ka else None

    def kill9(self, r):
        ka = getattr(r, "_ka_proc", None)
        if ka is None or not ka.running():
            return
        ka.kill9()
        unregister_proc(ka.proc)

    def restart(self, r, vrs):
        self.start(r, vrs)

    def restart_daemon(self, r, vrs):
        """`systemctl restart keepalived`: SIGTERM (its Masters send priority 0), start."""
        self.stop(r)
        self.start(r, vrs)

    def reload(self, r, vrs):
        """`systemctl reload keepalived`: SIGHUP to the parent, which re-reads the same
        configuration; the instances keep their state. It returns at once: the failover
        session watches the wire until dev1 is the only Master again."""
        ka = getattr(r, "_ka_proc", None)
        if ka is None or not ka.running():
            raise BenchError(f"{r.name}: keepalived is not running")
        ka.proc.send_signal(signal.SIGHUP)

    def release(self, r, vrs):
        """SIGTERM: keepalived's VRRP child sends priority 0 for its Masters and exits."""
        self.stop(r)

    def unrelease(self, r, vrs):
        self.start(r, vrs)

    def daemon_pids(self, r):
        p = self._proc(r)
        if p is None or p.poll() is not None:
            return []
        return [p.pid] + descendants(p.pid)

    def states(self, r, timeout=None):
        st = getattr(r, "_ka", None)
        return None if st is None else st.snapshot()

    def fifo(self, r) -> NotifyFifo | None:
        return getattr(r, "_ka", None)

    def stop(self, r, timeout=60):
        ka = getattr(r, "_ka_proc", None)
        if ka is not None:
            for problem in ka.stop(timeout):
                log(f"keepalived in {r.name}: {problem}")
            unregister_proc(ka.proc)
        st = getattr(r, "_ka", None)
        if st is not None:
            st.clear()

    def close(self, r):
        self.stop(r)
        st = getattr(r, "_ka", None)
        if st is not None:
            st.close()


def make_impls(ours_bin: Path) -> dict[str, Impl]:
    # a reload is keepalived's; FRR 8.4.4's vrrpd tracks nothing and has no graceful restart
    return {"ours": FrrImpl("ours", ours_bin, manual_macvlans=False, lacks=("reload",),
                            restart_globals=("vrrp graceful-restart",), notify_fifo=True),
            "stock": FrrImpl("stock", vrrplab.STOCK_VRRPD, manual_macvlans=True,
                             lacks=("track", "reload")),
            "keepalived": KeepalivedImpl()}


def teardown(topo: Topo | None, lab) -> list[str]:
    """Stop keepalived trees (ours/stock are stopped by the lab), then the lab."""
    problems = []
    if topo is not None and isinstance(topo.impl, KeepalivedImpl):
        for r in topo.routers.values():
            try:
                topo.impl.close(r)
            except Exception as e:
                problems.append(f"keepalived stop: {e!r}")
    elif topo is not None:
        for r in topo.routers.values():
            f = topo.impl.fifo(r)
            if f is not None:
                f.close()
    problems += close_lab(lab)
    return problems
