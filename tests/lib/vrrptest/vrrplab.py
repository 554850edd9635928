# SPDX-License-Identifier: GPL-2.0-or-later
"""Test lab: network namespaces, zebra + vrrpd daemons, stock vtysh access, and cleanup."""

from __future__ import annotations

import ctypes
import difflib
import grp
import itertools
import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
FRR_LIBDIR = Path("/usr/lib/frr")
ZEBRA_BIN = FRR_LIBDIR / "zebra"
STOCK_VRRPD = FRR_LIBDIR / "vrrpd"
VTYSH_BIN = Path("/usr/bin/vtysh")
FRR_RUNDIR = Path("/var/run/frr")
FRR_SYSCONFDIR = Path("/etc/frr")
FRR_USER = "frr"
FRR_GROUP = "frr"

# VRRPD_ASAN_LOGDIR=DIR, with VRRPD_BIN a sanitized vrrpd (scripts/build.sh --sanitize): each
# vrrpd writes its ASan / UBSan / LSan reports to DIR/vrrpd.<namespace>.<pid>, and one report
# fails that daemon's stop() and so its router's teardown. Leaks of libfrr's and libyang's own
# are suppressed by tests/sanitizers/lsan.supp; ours never are.
ASAN_LOGDIR = os.environ.get("VRRPD_ASAN_LOGDIR")

# How much slower than the release build the daemon under test does its own work: starting,
# loading a configuration, answering vtysh, exiting (a sanitized build checks every memory
# access, and scans the heap for leaks at exit). VRRPLAB_SLOWDOWN=F sets it; the default is 3
# for a sanitized vrrpd, 1 otherwise. It scales the waits for that work and the tests' bounds
# on it, never a protocol bound: the daemon's timers run on the same clock in either build.
SLOWDOWN = float(os.environ.get("VRRPLAB_SLOWDOWN") or (3 if ASAN_LOGDIR else 1))


def slow(seconds: float) -> float:
    """A wait for, or a bound on, the daemon's own work, in seconds, scaled by SLOWDOWN."""
    return seconds * SLOWDOWN


# Default timeouts (seconds). Every subprocess call has one.
CMD_TIMEOUT = slow(30.0)
START_TIMEOUT = slow(15.0)
STOP_TIMEOUT = slow(5.0)
# Helper processes a daemon forks before it goes to the background (vrrpd's notifier, by its
# comm), and how long one may outlive its daemon: the notifier finishes what it was sent, for
# 10 s at most, then ends.
HELPER_COMMS = ("vrrpd-notify",)
HELPER_TIMEOUT = slow(15.0)
POLL_INTERVAL = 0.02

# Names: "vl" + pid + "n" + counter, e.g. "vl1234567n12" (<= 15 chars, alphanumeric, so it is
# a valid interface name, a valid "ip netns" name and a harmless FRR pathspace directory name).
NS_PREFIX = "vl"
_counter = itertools.count(1)


class LabError(Exception):
    """Raised when the lab cannot set something up or tear it down."""


LSAN_SUPPRESSIONS = REPO_ROOT / "tests" / "sanitizers" / "lsan.supp"
_sanitizer_seen: set[Path] = set()


def sanitizer_env(prefix: str) -> dict | None:
    """The environment of a sanitized daemon whose reports go to ASAN_LOGDIR/prefix.<pid>."""
    if not ASAN_LOGDIR:
        return None
    d = Path(ASAN_LOGDIR)
    d.mkdir(parents=True, exist_ok=True)
    os.chmod(d, 0o1777)  # the daemon writes as user frr once it has dropped privileges
    log = d / prefix
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = (f"detect_leaks=1:abort_on_error=1:log_path={log}"
                           ":fast_unwind_on_malloc=0")  # whole stacks through libfrr, libnl
    env["UBSAN_OPTIONS"] = f"print_stacktrace=1:halt_on_error=1:log_path={log}"
    env["LSAN_OPTIONS"] = f"suppressions={LSAN_SUPPRESSIONS}:print_suppressions=0"
    return env


def sanitizer_reports(prefix: str) -> list[str]:
    """Reports under ASAN_LOGDIR/prefix.* not returned before, as 'path:\ncontent'."""
    if not ASAN_LOGDIR:
        return []
    found = []
    for f in sorted(Path(ASAN_LOGDIR).glob(f"{prefix}.*")):
        if f in _sanitizer_seen:
            continue
        _sanitizer_seen.add(f)
        found.append(f"{f}:\n{f.read_text(errors='replace')[-8000:]}")
    return found


def our_vtysh() -> Path:
    """FRR's vtysh with our vrrpd commands (scripts/vtysh.sh builds it once, then reuses it)."""
    cp = subprocess.run([str(REPO_ROOT / "scripts" / "vtysh.sh")], stdin=subprocess.DEVNULL,
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=900)
    if cp.returncode != 0:
        raise LabError(f"scripts/vtysh.sh failed:\n{cp.stderr[-3000:]}")
    return Path(cp.stdout.strip().splitlines()[-1])


def default_vrrpd_bin() -> Path:
    """The vrrpd under test: $VRRPD_BIN (relative paths are taken from the repo root), else ours."""
    env = os.environ.get("VRRPD_BIN")
    if env:
        p = Path(env)
        return p if p.is_absolute() else (REPO_ROOT / p)
    return REPO_ROOT / "vrrpd" / "vrrpd"


def run(argv, timeout=CMD_TIMEOUT, check=True, input=None) -> subprocess.CompletedProcess:
    """Run a command (list of str) with a timeout; stdout+stderr merged into .stdout."""
    argv = [str(a) for a in argv]
    try:
        cp = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, input=input,
                            text=True, timeout=timeout, stdin=None if input is not None
                            else subprocess.DEVNULL)
    except subprocess.TimeoutExpired as e:
        raise LabError(f"timeout after {timeout}s: {' '.join(argv)}\n{e.output or ''}") from None
    if check and cp.returncode != 0:
        raise LabError(f"command failed (rc={cp.returncode}): {' '.join(argv)}\n{cp.stdout}")
    return cp


def _become_subreaper() -> None:
    """Make this process the child subreaper, so daemonized (-d) FRR daemons started from here
    are re-parented to us: their PIDs cannot be recycled before we reap them, and we can
    waitpid() them to measure exit times and avoid zombies."""
    libc = ctypes.CDLL(None, use_errno=True)
    PR_SET_CHILD_SUBREAPER = 36
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise LabError(f"prctl(PR_SET_CHILD_SUBREAPER): {os.strerror(ctypes.get_errno())}")


def check_environment() -> list[str]:
    """Return a list of reasons why the lab cannot run here (empty list: all fine)."""
    problems = []
    if os.geteuid() != 0:
        problems.append("integration tests must run as root (network namespaces, FRR daemons)")
    for p in (ZEBRA_BIN, STOCK_VRRPD, VTYSH_BIN):
        if not os.access(p, os.X_OK):
            problems.append(f"{p} missing: install Debian's frr package (apt-get install frr)")
    if shutil.which("ip") is None:
        problems.append("'ip' (iproute2) not found")
    try:
        pwd.getpwnam(FRR_USER)
        grp.getgrnam(FRR_GROUP)
    except KeyError:
        problems.append(f"user/group {FRR_USER}:{FRR_GROUP} missing (installed by the frr package)")
    return problems


# --------------------------------------------------------------------------------------------
# running-config normalisation
# --------------------------------------------------------------------------------------------

# vtysh's "show running-config" (also with -d DAEMON) prints this frame:
#   Building configuration...
#   <empty line>
#   Current configuration:
#   !
#   frr version 8.4.4
#   frr defaults traditional
#   hostname <uname -n>
#   log ...                 (only if logging is configured; --log command line targets are not shown)
#   <configuration: top-level lines, "!" separators, debug lines, interface blocks ...>
#   end
HEADER = ["Building configuration...", "", "Current configuration:", "!"]
STRIP_PREFIXES = ("frr version ", "frr defaults ", "hostname ", "log ")


def normalise_running_config(text: str) -> str:
    """Reduce vtysh 'show running-config' output to the daemon's own configuration.

    Rules (exactly these, nothing else is changed):
      1. the first four lines must be "Building configuration...", "", "Current configuration:"
         and "!" (vtysh's fixed frame, printed before any configuration) and are dropped;
      2. the last line must be "end" and is dropped;
      3. top-level lines starting with "frr version ", "frr defaults ", "hostname " or "log "
         are dropped (they describe the build, the host name and logging, not VRRP);
    "!" separator lines, ordering and indentation are kept. The result ends with a newline.
    A LabError is raised if the frame is not there (e.g. vtysh printed an error instead).
    """
    lines = text.splitlines()
    if lines[:4] != HEADER or not lines or lines[-1] != "end":
        raise LabError("not a running-config (unexpected frame):\n" + text)
    body = [ln for ln in lines[4:-1] if not ln.startswith(STRIP_PREFIXES)]
    return "".join(ln + "\n" for ln in body)


def config_diff(expected: str, actual: str, a="expected", b="actual") -> str:
    return "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True),
                                        fromfile=a, tofile=b))


def read_vtysh_lines(path) -> list[str]:
    """A .vtysh file: one configure-mode command per line; blank lines and lines whose first
    non-blank character is '#' are ignored; everything else is sent verbatim (right-stripped)."""
    out = []
    for ln in Path(path).read_text().splitlines():
        s = ln.rstrip()
        if not s.strip() or s.lstrip().startswith("#"):
            continue
        out.append(s.strip())
    return out


# --------------------------------------------------------------------------------------------
# namespaces
# --------------------------------------------------------------------------------------------

class Namespace:
    """A named network namespace created by the lab (loopback is up)."""

    def __init__(self, lab: "Lab", name: str):
        self.lab = lab
        self.name = name

    def __repr__(self):
        return f"Namespace({self.name})"

    def exec_argv(self, *argv) -> list[str]:
        return ["ip", "netns", "exec", self.name, *map(str, argv)]

    def run(self, *argv, timeout=CMD_TIMEOUT, check=True) -> subprocess.CompletedProcess:
        """Run a command inside the namespace."""
        return run(self.exec_argv(*argv), timeout=timeout, check=check)

    def ip(self, *args, check=True) -> str:
        """`ip -n NS ARGS...`, returns output."""
        return run(["ip", "-n", self.name, *args], check=check).stdout

    def run_all(self, cmds):
        """Run commands (argv lists, e.g. from macvlan.seed_commands) in order inside the
        namespace; `ip ...` ones as `ip -n NS ...`."""
        for argv in cmds:
            if argv[0] == "ip":
                self.ip(*argv[1:])
            else:
                self.run(*argv)

    def ip_batch(self, lines, timeout=600):
        """Many `ip` commands (each without the leading `ip`) in one `ip -n NS -batch -`: a
        thousand interfaces take seconds one command at a time."""
        run(["ip", "-n", self.name, "-batch", "-"], input="\n".join(lines) + "\n",
            timeout=timeout)

    def ifindex(self, ifname) -> int:
        return int(self.run("cat", f"/sys/class/net/{ifname}/ifindex").stdout)

    def link_up(self, ifname):
        self.ip("link", "set", ifname, "up")

    def addr_add(self, ifname, addr):
        self.ip("addr", "add", addr, "dev", ifname)


class Lab:
    """Owns everything a test creates; cleanup() removes all of it (idempotent)."""

    def __init__(self, tag: str = ""):
        _become_subreaper()
        self.tag = tag
        self.namespaces: list[Namespace] = []
        self.routers: list[Router] = []
        self.cleaned = False
        self.keep_dirs = bool(os.environ.get("VRRPLAB_KEEP"))

    # context manager --------------------------------------------------------------------
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cleanup()
        return False

    # namespaces -------------------------------------------------------------------------
    def new_name(self) -> str:
        name = f"{NS_PREFIX}{os.getpid()}n{next(_counter)}"
        assert len(name) <= 15, name
        return name

    def namespace(self) -> Namespace:
        name = self.new_name()
        run(["ip", "netns", "add", name])
        ns = Namespace(self, name)
        self.namespaces.append(ns)
        ns.link_up("lo")
        return ns

    def veth(self, ns_a, if_a: str, ns_b, if_b: str, addrs_a=(), addrs_b=()):
        """Create a veth pair ns_a:if_a <-> ns_b:if_b (Namespace or Router), both up."""
        a, b = _ns(ns_a), _ns(ns_b)
        run(["ip", "-n", a.name, "link", "add", if_a, "type", "veth", "peer", "name", if_b,
             "netns", b.name])
        for ns, ifn, addrs in ((a, if_a, addrs_a), (b, if_b, addrs_b)):
            for ad in addrs:
                ns.addr_add(ifn, ad)
            ns.link_up(ifn)

    def switch(self) -> "Switch":
        """A namespace holding a Linux bridge br0 (for 3+ routers on one segment)."""
        return Switch(self, self.namespace())

    # routers ----------------------------------------------------------------------------
    def router(self, **kw) -> "Router":
        """A new namespace with FRR pathspace dirs; daemons are started with Router.start()."""
        return Router(self, self.namespace(), **kw)

    # teardown ---------------------------------------------------------------------------
    def cleanup(self) -> list[str]:
        """Stop every daemon we started (by PID), delete namespaces and created dirs.
        Returns a list of problems found (e.g. daemons that had died unexpectedly)."""
        if self.cleaned:
            return []
        self.cleaned = True
        problems = []
        for r in reversed(self.routers):
            try:
                problems += r.teardown()
            except Exception as e:  # keep going: namespaces and dirs must still go
                problems.append(f"{r}: teardown failed: {e!r}")
        for ns in reversed(self.namespaces):
            try:
                run(["ip", "netns", "del", ns.name])
            except LabError as e:
                problems.append(str(e))
        return problems

    def dump_logs(self, lines=60) -> str:
        return "\n".join(r.dump_logs(lines) for r in self.routers)


def _ns(x) -> Namespace:
    return x.ns if isinstance(x, Router) else x


class Switch:
    """A bridge br0 in its own namespace; attach() plugs a router interface into it."""

    def __init__(self, lab: Lab, ns: Namespace):
        self.lab = lab
        self.ns = ns
        self.ports = 0
        self.mcast_flood = True
        ns.ip("link", "add", "br0", "type", "bridge", "mcast_snooping", "0")
        ns.link_up("br0")

    def attach(self, node, ifname: str, addrs=()):
        """Create node:ifname as a veth whose peer is a port of br0."""
        self.ports += 1
        port = f"p{self.ports}"
        self.lab.veth(node, ifname, self.ns, port, addrs_a=addrs)
        self.ns.ip("link", "set", port, "master", "br0")
        if not self.mcast_flood:
            self.ns.run("bridge", "link", "set", "dev", port, "mcast_flood", "off")

    def block_multicast(self):
        """A LAN without multicast, as in clouds that only carry unicast: every port, present
        and future, stops flooding multicast (with snooping off nothing is forwarded to a
        port by group membership either). Broadcast still floods, so ARP works; IPv6
        neighbour discovery, which is multicast, does not (vrrpnet.pin_neighbour), and a
        link-local still in DAD may stay tentative (vrrpnet.fixed_link_local)."""
        self.mcast_flood = False
        for i in range(1, self.ports + 1):
            self.ns.run("bridge", "link", "set", "dev", f"p{i}", "mcast_flood", "off")


# --------------------------------------------------------------------------------------------
# daemons
# --------------------------------------------------------------------------------------------

def _frr_ids():
    return pwd.getpwnam(FRR_USER).pw_uid, grp.getgrnam(FRR_GROUP).gr_gid


def _mkdir_frr(path: Path, mode=0o755) -> bool:
    """mkdir owned by frr:frr; returns True if we created it."""
    try:
        path.mkdir(mode=mode)
    except FileExistsError:
        return False
    uid, gid = _frr_ids()
    os.chown(path, uid, gid)
    os.chmod(path, mode)
    return True


def _write_frr_file(path: Path, text: str, mode=0o644):
    path.write_text(text)
    uid, gid = _frr_ids()
    os.chown(path, uid, gid)
    os.chmod(path, mode)


def _proc_state(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = stat.rsplit(")", 1)[-1].split()
    # A process that is being reaped can give an empty stat: it is gone.
    return fields[0] if fields else None


# The name vrrpd's guardian process gives itself (prctl PR_SET_NAME).
GUARDIAN_COMM = "vrrpd-guard"


def _proc_comm(pid: int) -> str | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    return stat[stat.index("(") + 1:stat.rindex(")")]


def _proc_ppid(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except (FileNotFoundError, ProcessLookupError):
        return None
    fields = stat.rsplit(")", 1)[-1].split()
    return int(fields[1]) if len(fields) > 1 else None


def read_pid(path: Path) -> int | None:
    """The PID a pid file names, or None while it is missing or not yet written."""
    try:
        return int(Path(path).read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


def reap_helpers(pids, timeout: float, owner: str) -> tuple[list[str], list[int]]:
    """Wait up to `timeout` s for each helper process in pids (our children) to end, and reap
    it. One still running after a wait is ended by PID (SIGKILL) and reported; after no wait
    (timeout 0) it is returned. Returns (problems, still running)."""
    problems, left = [], []
    deadline = time.monotonic() + timeout
    for pid in pids:
        while True:
            try:
                if os.waitpid(pid, os.WNOHANG)[0] == pid:
                    break
            except ChildProcessError:
                break
            if time.monotonic() >= deadline:
                if not timeout:
                    left.append(pid)
                    break
                problems.append(f"{owner}: helper {pid} still running {timeout:g}s after its "
                                f"daemon; killed")
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                break
            time.sleep(0.01)
    return problems, left


def children_of(pid: int) -> list[int]:
    """PIDs of the processes whose parent is `pid`."""
    return [int(p.name) for p in Path("/proc").iterdir()
            if p.name.isdigit() and _proc_ppid(int(p.name)) == pid]


class Daemon:
    """One FRR daemon process started (daemonized with -d) in a router's namespace."""

    def __init__(self, router: "Router", name: str, binary: Path, config: str, extra_args=()):
        self.router = router
        self.name = name
        self.binary = Path(binary)
        wd = router.workdir
        self.conf = wd / f"{name}.conf"
        self.pidfile = wd / f"{name}.pid"
        self.logfile = wd / f"{name}.log"
        self.outfile = wd / f"{name}.out"
        self.extra_args = list(extra_args)
        self.pid: int | None = None
        self.status: int | None = None      # waitpid status once reaped
        self.stopped = False                # stop() was called (exit is expected)
        self.ready = False                  # start() completed
        self.helpers: list[int] = []        # its helper processes, re-parented to us
        _write_frr_file(self.conf, config)

    def __repr__(self):
        return f"Daemon({self.name}@{self.router.ns.name} pid={self.pid})"

    @property
    def vty_socket(self) -> Path:
        return self.router.rundir / f"{self.name}.vty"

    def argv(self) -> list[str]:
        ns = self.router.ns.name
        # No TCP vty unless the test asks for one (libfrr refuses -P twice).
        port = [] if "-P" in self.extra_args else ["-P", "0"]
        return [str(self.binary), "-N", ns, "-d", *port, "-f", str(self.conf),
                "-i", str(self.pidfile), "--log", f"file:{self.logfile}", "--log-level", "debug",
                *self.extra_args]

    def start(self, timeout=START_TIMEOUT, on_detach=None):
        """on_detach: called once `-d` has returned (the daemon is up and listening, as libfrr
        returns only then), before the readiness checks: frrinit runs `vtysh -b` there."""
        if not os.access(self.binary, os.X_OK):
            raise LabError(f"{self.name} binary {self.binary} does not exist or is not "
                           f"executable (set VRRPD_BIN or build it)")
        for stale in (self.pidfile, self.vty_socket):
            stale.unlink(missing_ok=True)
        self.status = None
        self.pid = None
        self.stopped = False
        self.ready = False
        with open(self.outfile, "a") as out:
            try:
                cp = subprocess.run(self.router.ns.exec_argv(*self.argv()), stdin=subprocess.DEVNULL,
                                    stdout=out, stderr=subprocess.STDOUT, timeout=timeout,
                                    env=self.sanitizer_env())
            except subprocess.TimeoutExpired:
                raise LabError(f"{self}: '{' '.join(self.argv())}' did not return within "
                               f"{timeout}s\n{self.dump_log()}") from None
        # The process we started has exited: its helpers are ours now, whatever comes next.
        self.helpers = self._find_helpers()
        if cp.returncode != 0:
            raise LabError(f"{self}: start failed (rc={cp.returncode}): {' '.join(self.argv())}\n"
                           f"{self.dump_log()}")
        if on_detach is not None:
            on_detach()
        deadline = time.monotonic() + timeout
        while True:
            if self.pid is None:
                pid = read_pid(self.pidfile)
                if pid is not None:
                    # we only ever signal processes we started: the daemonized process must be
                    # our child (re-parented to us, the subreaper)
                    if _proc_ppid(pid) != os.getpid():
                        raise LabError(f"{self}: pid file {self.pidfile} names {pid}, which is "
                                       f"not a process started by this lab\n{self.dump_log()}")
                    self.pid = pid
            if self.pid is not None and self.vty_socket.exists():
                rc, out = self.router.vtysh("show logging", daemon=self.name, timeout=5)
                if rc == 0 and f"Logging configuration for {self.name}" in out:
                    break
            if self.pid is not None and not self.alive():
                raise LabError(f"{self}: died during startup\n{self.dump_log()}")
            if time.monotonic() > deadline:
                raise LabError(f"{self}: not ready within {timeout}s (pid file, "
                               f"{self.vty_socket}, 'show logging')\n{self.dump_log()}")
            time.sleep(POLL_INTERVAL)
        self.ready = True
        return self

    def _find_helpers(self) -> list[int]:
        """Helpers (HELPER_COMMS) forked before the daemon went to the background: when the
        process we started exits they are re-parented to us, the subreaper, like the daemon.
        Ours: our children with this router's namespace on their command line, which they
        share with the daemon, and not a helper of an earlier daemon of the router."""
        found = []
        for pid in children_of(os.getpid()):
            try:
                comm = Path(f"/proc/{pid}/comm").read_text().strip()
                argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
            except OSError:
                continue
            if comm in HELPER_COMMS and self.router.name in argv.split("\0") and \
                    pid not in self.router.helpers:
                found.append(pid)
        self.router.helpers.update(found)
        return found

    def reap_helpers(self, timeout: float = HELPER_TIMEOUT) -> list[str]:
        """Once the daemon is gone: reap its helpers (reap_helpers()); those still running
        after no wait (timeout 0) stay listed for a later call."""
        problems, self.helpers = reap_helpers(self.helpers, timeout, str(self))
        return problems

    def _reap(self) -> bool:
        """True if the process is gone (reaped by us, or not our child and no longer running)."""
        if self.pid is None or self.status is not None:
            return True
        try:
            pid, status = os.waitpid(self.pid, os.WNOHANG)
        except ChildProcessError:
            # not our child (should not happen thanks to the subreaper): fall back to /proc
            st = _proc_state(self.pid)
            if st is None or st in ("Z", "X"):
                self.status = -1
                return True
            return False
        if pid == 0:
            return False
        self.status = status
        return True

    def alive(self) -> bool:
        return not self._reap()

    def exit_description(self) -> str:
        if self.pid is None:
            return "not started"
        if self.status is None:
            return "running"
        if self.status == -1:
            return "exited (status unknown)"
        if os.WIFSIGNALED(self.status):
            return f"killed by signal {os.WTERMSIG(self.status)}"
        return f"exited with code {os.WEXITSTATUS(self.status)}"

    def signal(self, sig):
        if self.pid is None or not self.alive():
            raise LabError(f"{self}: not running ({self.exit_description()})")
        os.kill(self.pid, sig)

    def wait(self, timeout) -> float | None:
        """Wait until the process is gone; returns seconds waited or None on timeout."""
        t0 = time.monotonic()
        while time.monotonic() - t0 <= timeout:
            if not self.alive():
                return time.monotonic() - t0
            time.sleep(0.005)
        return None

    @property
    def sanitizer_prefix(self) -> str:
        return f"{self.name}.{self.router.ns.name}"

    def sanitizer_env(self) -> dict | None:
        """Our vrrpd's sanitizer settings under VRRPD_ASAN_LOGDIR (zebra is Debian's)."""
        return sanitizer_env(self.sanitizer_prefix) if self.name == "vrrpd" else None

    def check_sanitizer(self):
        """Raise LabError if this daemon's processes left a sanitizer report."""
        reports = sanitizer_reports(self.sanitizer_prefix)
        if reports:
            raise LabError(f"{self}: sanitizer report(s) in {ASAN_LOGDIR}:\n"
                           + "\n".join(reports))

    def stop(self, timeout=STOP_TIMEOUT) -> float:
        """SIGTERM, then SIGKILL after `timeout`. Returns the seconds until exit after SIGTERM
        (SIGKILL case: raises LabError after killing). Raises LabError for a sanitizer report
        (VRRPD_ASAN_LOGDIR)."""
        self.stopped = True
        if self.pid is None or not self.alive():
            self.check_sanitizer()
            return 0.0
        t0 = time.monotonic()
        os.kill(self.pid, signal.SIGTERM)
        if self.wait(timeout) is not None:
            self.check_sanitizer()
            return time.monotonic() - t0
        os.kill(self.pid, signal.SIGKILL)
        if self.wait(timeout) is None:
            raise LabError(f"{self}: still alive after SIGKILL")
        raise LabError(f"{self}: did not exit within {timeout}s of SIGTERM; SIGKILLed")

    def log(self) -> str:
        try:
            return self.logfile.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def dump_log(self, lines=60) -> str:
        parts = [f"--- {self.name} in {self.router.ns.name}: {self.binary} "
                 f"({self.exit_description()})"]
        for f in (self.outfile, self.logfile):
            try:
                txt = f.read_text(errors="replace").splitlines()[-lines:]
            except FileNotFoundError:
                continue
            parts.append(f"--- {f} (last {lines} lines)")
            parts += txt
        return "\n".join(parts)


class Router:
    """One namespace with zebra and vrrpd, reachable through stock vtysh -N NS."""

    def __init__(self, lab: Lab, ns: Namespace, vrrpd_bin=None):
        self.lab = lab
        self.ns = ns
        self.name = ns.name
        self.vrrpd_bin = Path(vrrpd_bin) if vrrpd_bin else default_vrrpd_bin()
        self.daemons: dict[str, Daemon] = {}
        self.helpers: set[int] = set()      # every daemon helper seen (Daemon._find_helpers)
        self.orphans: list[int] = []        # helpers of daemons that were replaced
        self.rundir = FRR_RUNDIR / self.name
        self.etcdir = FRR_SYSCONFDIR / self.name
        self._created: list[Path] = []
        lab.routers.append(self)  # from here on, Lab.cleanup() tears down whatever exists
        self.workdir = Path(tempfile.mkdtemp(prefix=f"vrrplab-{self.name}-"))
        self._created.append(self.workdir)
        uid, gid = _frr_ids()
        os.chown(self.workdir, uid, gid)
        os.chmod(self.workdir, 0o755)
        if not FRR_RUNDIR.exists():
            FRR_RUNDIR.mkdir(mode=0o755)
            os.chown(FRR_RUNDIR, uid, gid)
        for d in (self.rundir, self.etcdir):
            if _mkdir_frr(d):
                self._created.append(d)
        # an empty vtysh.conf in the pathspace silences vtysh's
        # "Can't open configuration file /etc/frr/NS/vtysh.conf" complaint
        vconf = self.etcdir / "vtysh.conf"
        if not vconf.exists():
            _write_frr_file(vconf, "", 0o640)

    def __repr__(self):
        return f"Router({self.name}, vrrpd={self.vrrpd_bin})"

    # network ----------------------------------------------------------------------------
    def ip(self, *args, check=True) -> str:
        return self.ns.ip(*args, check=check)

    def ifindex(self, ifname) -> int:
        return self.ns.ifindex(ifname)

    def add_stub(self, ifname="eth1", addrs=(), peer=None, peer_addrs=()):
        """A veth ifname whose peer (default ifname+'p') stays in the same namespace."""
        self.lab.veth(self.ns, ifname, self.ns, peer or (ifname[:13] + "p"), addrs, peer_addrs)

    def add_stubs(self, stubs: dict):
        """add_stub() for every {ifname: addrs}, all in one `ip -batch`."""
        lines = []
        for ifname, addrs in stubs.items():
            peer = ifname[:13] + "p"
            lines.append(f"link add {ifname} type veth peer name {peer}")
            lines += [f"addr add {a} dev {ifname}" for a in addrs]
            lines += [f"link set {ifname} up", f"link set {peer} up"]
        self.ns.ip_batch(lines)

    # daemons ----------------------------------------------------------------------------
    def start_zebra(self, config="", extra_args=()) -> Daemon:
        d = Daemon(self, "zebra", ZEBRA_BIN, config, extra_args)
        self.daemons["zebra"] = d
        return d.start()

    def start_vrrpd(self, config="", binary=None, extra_args=()) -> Daemon:
        old = self.daemons.get("vrrpd")
        if old is not None:
            # The last daemon's helpers that ended are reaped; the others wait for teardown.
            old.reap_helpers(0)
            self.orphans += old.helpers
        d = Daemon(self, "vrrpd", Path(binary) if binary else self.vrrpd_bin, config, extra_args)
        self.daemons["vrrpd"] = d
        return d.start()

    def start(self, vrrpd_config="", zebra_config="", binary=None) -> "Router":
        """Start zebra, then vrrpd."""
        if "zebra" not in self.daemons or not self.daemons["zebra"].alive():
            self.start_zebra(zebra_config)
        self.start_vrrpd(vrrpd_config, binary)
        return self

    def restart_vrrpd(self, config="", binary=None) -> Daemon:
        """Stop vrrpd (if running) and start a fresh one with `config` (empty by default)."""
        old = self.daemons.get("vrrpd")
        if old:
            old.stop()
        return self.start_vrrpd(config, binary or (old.binary if old else None))

    @property
    def vrrpd(self) -> Daemon:
        return self.daemons["vrrpd"]

    @property
    def zebra(self) -> Daemon:
        return self.daemons["zebra"]

    # vtysh ------------------------------------------------------------------------------
    def vtysh(self, *cmds, daemon=None, timeout=CMD_TIMEOUT, binary=None) -> tuple[int, str]:
        return vtysh(self.name, *cmds, daemon=daemon, timeout=timeout, binary=binary)

    def vtysh_config(self, lines, daemon=None, timeout=CMD_TIMEOUT,
                     binary=None) -> tuple[int, str]:
        """Feed configure-mode lines (a frr.conf fragment) via `-c 'configure terminal' -c ...`.
        Note: vtysh stops at the first failing command and returns non-zero."""
        return self.vtysh("configure terminal", *lines, daemon=daemon, timeout=timeout,
                          binary=binary)

    def running_config(self, daemon="vrrpd", raw=False) -> str:
        """`show running-config` (of `daemon`, or vtysh's merged one if daemon is None),
        normalised with normalise_running_config() unless raw."""
        rc, out = self.vtysh("show running-config", daemon=daemon)
        if rc != 0:
            raise LabError(f"{self.name}: show running-config failed rc={rc}\n{out}")
        return out if raw else normalise_running_config(out)

    # teardown ---------------------------------------------------------------------------
    def teardown(self) -> list[str]:
        problems = []
        for name in ("vrrpd", "zebra"):
            d = self.daemons.get(name)
            if d is None:
                continue
            if d.ready and not d.stopped and not d.alive():
                problems.append(f"{d} had died unexpectedly: {d.exit_description()}\n"
                                + d.dump_log())
            try:
                d.stop()
            except LabError as e:
                problems.append(str(e))
            problems += d.reap_helpers()
        problems += reap_helpers(self.orphans, HELPER_TIMEOUT, f"{self}: an earlier vrrpd")[0]
        self.orphans = []
        self._end_guardians()
        problems += self._kill_strays()
        for d in self._created:
            if not (d == self.workdir and self.lab.keep_dirs):
                shutil.rmtree(d, ignore_errors=True)
        return problems

    def _end_guardians(self) -> None:
        """The guardians (vrrpd-guard, vrrpd/vrrp_guardian.c) a killed vrrpd left to us, the
        subreaper. One ends on its own at most three advertisement intervals after its daemon,
        but the namespace goes now: end this router's by PID and reap every one that ended
        (a zombie has no command line to tell whose it was; all are ours). Not strays."""
        for pid in children_of(os.getpid()):
            if _proc_comm(pid) != GUARDIAN_COMM:
                continue
            if _proc_state(pid) != "Z":
                try:
                    argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
                except OSError:
                    continue
                if self.name not in argv.split("\0"):
                    continue
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)

    def _kill_strays(self) -> list[str]:
        """Safety net: our own children (we are their subreaper) still running with this
        router's pathspace on their command line, e.g. a daemon whose pid file never appeared.
        They are ended by PID: SIGTERM, then SIGKILL."""
        strays = []
        for p in Path("/proc").iterdir():
            if not p.name.isdigit() or _proc_ppid(int(p.name)) != os.getpid():
                continue
            try:
                argv = (p / "cmdline").read_bytes().decode(errors="replace").split("\0")
            except OSError:
                continue
            if self.name in argv:
                strays.append(int(p.name))
        found = [f"{self.name}: stray process {pid} ended" for pid in strays]
        for sig in (signal.SIGTERM, signal.SIGKILL):
            for pid in strays:
                try:
                    os.kill(pid, sig)
                except ProcessLookupError:
                    pass
            deadline = time.monotonic() + STOP_TIMEOUT
            while strays and time.monotonic() < deadline:
                for pid in list(strays):
                    try:
                        if os.waitpid(pid, os.WNOHANG)[0] == pid:
                            strays.remove(pid)
                    except ChildProcessError:
                        strays.remove(pid)
                time.sleep(0.01)
            if not strays:
                break
        return found + [f"{self.name}: stray process {pid} could not be ended" for pid in strays]

    def dump_logs(self, lines=60) -> str:
        return "\n".join(d.dump_log(lines) for d in self.daemons.values())


def vtysh(ns: str, *cmds, daemon=None, timeout=CMD_TIMEOUT, binary=None) -> tuple[int, str]:
    """Run `vtysh -N ns [-d daemon] -c CMD...`, Debian's stock one unless binary names another
    (ours, from scripts/vtysh.sh); returns (rc, stdout+stderr)."""
    argv = [str(binary or VTYSH_BIN), "-N", ns]
    if daemon:
        argv += ["-d", daemon]
    for c in cmds:
        argv += ["-c", c]
    env = dict(os.environ)
    env.pop("VTYSH_PAGER", None)
    try:
        cp = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True, timeout=timeout, env=env)
    except subprocess.TimeoutExpired as e:
        return 124, f"vtysh timed out after {timeout}s\n{e.output or ''}"
    return cp.returncode, cp.stdout


def leftovers() -> list[str]:
    """Namespaces / daemons / dirs left behind by labs of *this* process (for self-checks)."""
    tag = f"{NS_PREFIX}{os.getpid()}n"
    found = []
    out = run(["ip", "netns", "list"], check=False).stdout
    found += [f"netns {ln.split()[0]}" for ln in out.splitlines() if ln.startswith(tag)]
    for base in (FRR_RUNDIR, FRR_SYSCONFDIR):
        if base.exists():
            found += [f"dir {p}" for p in base.iterdir() if p.name.startswith(tag)]
    for p in Path("/proc").iterdir():
        if not p.name.isdigit():
            continue
        try:
            cmd = (p / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if any(a.decode(errors="replace").startswith(tag) for a in cmd) and \
                _proc_state(int(p.name)) not in (None, "Z", "X"):
            found.append(f"process {p.name}: {b' '.join(cmd).decode(errors='replace')}")
        elif _proc_state(int(p.name)) == "Z" and _proc_ppid(int(p.name)) == os.getpid():
            # A guardian or notifier of a killed vrrpd ends on its own, possibly after its
            # router's teardown; as their subreaper we reap them, as init would.
            if _proc_comm(int(p.name)) in (GUARDIAN_COMM, *HELPER_COMMS):
                try:
                    os.waitpid(int(p.name), 0)
                    continue
                except ChildProcessError:
                    pass
            found.append(f"unreaped zombie child {p.name}")
    return found


# --------------------------------------------------------------------------------------------
# goldens and standard routers
# --------------------------------------------------------------------------------------------

GOLDEN_DIR = REPO_ROOT / "tests" / "golden"

# The interfaces every standard router has (veth stubs, peers named <ifname>p).
STANDARD_INTERFACES = {"eth0": (), "eth1": ("10.10.10.15/24",), "eth2": ("10.10.20.15/24",)}


def golden_names() -> list[str]:
    return sorted(p.stem for p in GOLDEN_DIR.glob("*.vtysh"))


def standard_router(lab: Lab, binary=None, vrrpd_config="") -> Router:
    """A new namespace with STANDARD_INTERFACES, zebra and vrrpd (`binary`) running."""
    r = lab.router(vrrpd_bin=binary)
    for ifname, addrs in STANDARD_INTERFACES.items():
        r.add_stub(ifname, addrs)
    return r.start(vrrpd_config=vrrpd_config)


def configured_router(lab: Lab, lines, binary=None) -> Router:
    """standard_router() configured with configure-mode `lines` through vtysh (`binary`, e.g.
    ours for our commands), which must accept them silently."""
    r = standard_router(lab)
    rc, out = r.vtysh_config(lines, binary=binary)
    if (rc, out) != (0, ""):
        raise LabError(f"{r.name}: vtysh did not take {lines}: rc={rc}\n{out}")
    return r


def apply_golden_input(router: Router, name: str) -> str:
    """Feed GOLDEN_DIR/name.vtysh through vtysh in configure mode and return the normalised
    `show running-config` of vrrpd. Raises LabError if vtysh fails or prints anything
    (stock vtysh/vrrpd print nothing for valid configuration)."""
    lines = read_vtysh_lines(GOLDEN_DIR / f"{name}.vtysh")
    rc, out = router.vtysh_config(lines)
    if rc != 0 or out:
        raise LabError(f"{router.name}: {name}.vtysh: vtysh rc={rc}, output:\n{out}")
    return router.running_config()
