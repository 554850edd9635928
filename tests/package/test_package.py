# SPDX-License-Identifier: GPL-2.0-or-later
"""The Debian package (scripts/package.sh), installed into a throw-away root: dpkg diverts frr's
vrrpd and vtysh, FRR's init script starts our vrrpd under watchfrr in a network namespace,
watchfrr restarts it after kill -9, an integrated frr.conf with extension lines is applied at
boot, frr-reload.py computes deltas with them, and dpkg -r gives frr its files back.

The root is a mount namespace held by a sleeping process, with overlays on /usr, /etc and /var
(uppers on a tmpfs) and a tmpfs on /run/frr: dpkg and the daemons change nothing of the host's,
and everything they wrote goes away with the namespace."""

import hashlib
import os
import re
import signal
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import pytest

from vrrptest import vrrplab

PKG = "frr-vrrpd"
DIVERTED = {"/usr/lib/frr/vrrpd": "/usr/lib/frr/vrrpd.frr-stock",
            "/usr/bin/vtysh": "/usr/bin/vtysh.frr-stock"}
BOOT_TIMEOUT = 60.0
RESTART_TIMEOUT = 60.0

# frr.conf in the form `show running-config` prints it (zebra's forwarding lines and vtysh's
# service line included), so that the two compare line by line: stock lines (vrrp default,
# vrrp 5 ...) and this daemon's extensions.
FRR_CONF_BODY = """\
no ip forwarding
no ipv6 forwarding
vrrp default priority 150
no vrrp default macvlan-autocreate
service integrated-vtysh-config
!
interface eth1
 vrrp 5
 vrrp 5 priority 200
 vrrp 5 ip 10.10.10.1
 no vrrp 5 checksum-with-ipv4-pseudoheader
 no vrrp 5 macvlan-autocreate
exit
!
"""
# What is reaped as it ends: FRR's daemons, vrrpd's notifier, forked before vrrpd goes to the
# background and so re-parented to us with it, and the guardian a stopped vrrpd leaves.
FRR_DAEMONS = {"watchfrr", "zebra", "staticd", "vrrpd", vrrplab.GUARDIAN_COMM,
               *vrrplab.HELPER_COMMS}


def sha256(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def md5(path) -> str:
    return hashlib.md5(Path(path).read_bytes()).hexdigest()


class Root:
    """A throw-away root. Commands run in it through nsenter; files are read and written
    through /proc/HOLDER/root, which shows the namespace's mounts."""

    def __init__(self):
        self.tmp = Path(tempfile.mkdtemp(prefix="vrrpd-pkg-"))
        self.holder = subprocess.Popen(["unshare", "--mount", "--propagation", "private",
                                        "sleep", "infinity"], stdin=subprocess.DEVNULL,
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        mine = os.readlink("/proc/self/ns/mnt")
        while os.readlink(f"/proc/{self.holder.pid}/ns/mnt") == mine:
            if time.monotonic() > deadline:
                raise vrrplab.LabError("unshare did not make a mount namespace")
            time.sleep(0.02)
        uid, gid = vrrplab._frr_ids()
        self.run("mount", "-t", "tmpfs", "-o", "mode=0700", "vrrpd-pkg", self.tmp)
        for d in ("usr", "etc", "var"):
            upper, work = self.tmp / f"{d}.upper", self.tmp / f"{d}.work"
            self.run("mkdir", upper, work)
            self.run("mount", "-t", "overlay", "overlay", "-o",
                     f"lowerdir=/{d},upperdir={upper},workdir={work}", f"/{d}")
        # The host's other labs keep their sockets in /run/frr; this root sees none of them.
        self.run("mount", "-t", "tmpfs", "-o", f"mode=0755,uid={uid},gid={gid}", "vrrpd-pkg-run",
                 "/run/frr")

    def argv(self, *argv) -> list[str]:
        return ["nsenter", "-t", str(self.holder.pid), "-m", "--", *map(str, argv)]

    def run(self, *argv, timeout=vrrplab.CMD_TIMEOUT, check=True):
        return vrrplab.run(self.argv(*argv), timeout=timeout, check=check)

    def path(self, p) -> Path:
        return Path(f"/proc/{self.holder.pid}/root") / str(p).lstrip("/")

    def close(self):
        # Every mount goes with the namespace once its last process has gone.
        if self.holder.poll() is None:
            self.holder.kill()
        self.holder.wait(timeout=10)
        os.rmdir(self.tmp)


class System:
    """The root with the package installed and FRR started in the network namespace ns."""

    def __init__(self, root: Root, ns: vrrplab.Namespace, deb: Path):
        self.root, self.ns, self.deb = root, ns, deb
        self.conf = Path("/etc/frr") / ns.name

    def run(self, *argv, timeout=vrrplab.CMD_TIMEOUT, check=True):
        """A command in the root and in the network namespace."""
        return self.root.run("ip", "netns", "exec", self.ns.name, *argv, timeout=timeout,
                             check=check)

    def vtysh(self, *cmds, check=True) -> str:
        argv = ["/usr/bin/vtysh", "-N", self.ns.name]
        for c in cmds:
            argv += ["-c", c]
        return self.run(*argv, check=check).stdout

    def frrinit(self, action):
        return self.run("/usr/lib/frr/frrinit.sh", action, self.ns.name, timeout=120)

    def pid(self, daemon) -> int | None:
        return vrrplab.read_pid(self.root.path(f"/run/frr/{self.ns.name}/{daemon}.pid"))

    def running_config(self) -> str:
        return vrrplab.normalise_running_config(self.vtysh("show running-config"))

    def wait_config(self, timeout) -> str:
        """The running-config once it equals FRR_CONF_BODY, or the last one seen at timeout."""
        deadline = time.monotonic() + timeout
        last = ""
        while time.monotonic() < deadline:
            try:
                last = self.running_config()
            except vrrplab.LabError as e:
                last = str(e)
            if last == FRR_CONF_BODY:
                break
            time.sleep(0.5)
        return last

    def processes(self) -> list[int]:
        """PIDs of every process in the network namespace: the daemons FRR started."""
        ns = os.stat(f"/run/netns/{self.ns.name}")
        found = []
        for p in Path("/proc").iterdir():
            if p.name.isdigit():
                try:
                    st = os.stat(p / "ns" / "net")
                except OSError:
                    continue
                if (st.st_dev, st.st_ino) == (ns.st_dev, ns.st_ino):
                    found.append(int(p.name))
        return found


def write_conf(root: Root, ns: str, frr_conf: str):
    """/etc/frr/NS: Debian's daemons file with vrrpd on, vtysh.conf for the integrated
    configuration, and frr.conf; owned and moded as the frr package makes them."""
    uid, gid = vrrplab._frr_ids()
    vty_gid = vrrplab.grp.getgrnam("frrvty").gr_gid
    d = root.path(f"/etc/frr/{ns}")
    d.mkdir(mode=0o755)
    os.chown(d, uid, gid)
    daemons = root.path("/etc/frr/daemons").read_text()
    daemons = re.sub(r"(?m)^vrrpd=no$", "vrrpd=yes", daemons)
    files = {"daemons": (daemons, gid, 0o640),
             "vtysh.conf": ("service integrated-vtysh-config\n", vty_gid, 0o640),
             "frr.conf": (frr_conf, gid, 0o640)}
    for name, (text, group, mode) in files.items():
        p = d / name
        p.write_text(text)
        os.chown(p, uid, group)
        os.chmod(p, mode)


def frr_md5sums(root: Root) -> dict[str, str]:
    out = {}
    for ln in root.path("/var/lib/dpkg/info/frr.md5sums").read_text().splitlines():
        digest, path = ln.split(None, 1)
        out["/" + path] = digest
    return out


def reap_children():
    """Daemonised FRR processes are re-parented to us (vrrplab makes us the subreaper): reap
    those that ended. Only FRR's daemons, never a child subprocess is waiting for."""
    for p in Path("/proc").iterdir():
        if not p.name.isdigit() or vrrplab._proc_state(int(p.name)) != "Z" or \
                vrrplab._proc_ppid(int(p.name)) != os.getpid():
            continue
        try:
            if (p / "comm").read_text().strip() in FRR_DAEMONS:
                os.waitpid(int(p.name), 0)
        except (OSError, ChildProcessError):
            pass


class Reaper(threading.Thread):
    """Reaps ended FRR daemons all along: frrcommon.sh waits for a stopped daemon's PID to
    go (kill -0), and an unreaped zombie would keep it waiting for two minutes."""

    def __init__(self):
        super().__init__(daemon=True)
        self.done = threading.Event()

    def run(self):
        while not self.done.wait(0.1):
            reap_children()

    def stop(self):
        self.done.set()
        self.join()
        reap_children()


@pytest.fixture(scope="session")
def deb() -> Path:
    """The .deb, built once per session (package.sh reuses build/deb when nothing changed)."""
    cp = subprocess.run([str(vrrplab.REPO_ROOT / "scripts" / "package.sh")],
                        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                        text=True, timeout=1800)
    if cp.returncode != 0:
        pytest.fail(f"scripts/package.sh failed:\n{cp.stderr[-4000:]}", pytrace=False)
    return Path(cp.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def system(deb):
    """The package installed in a throw-away root and FRR started in a network namespace
    (eth1 10.10.10.15/24, its veth peer in another namespace). Torn down whatever happens."""
    lab = vrrplab.Lab(tag="package")
    reaper = Reaper()
    reaper.start()
    root = sysm = None
    try:
        # Network namespaces first: their /run/netns mounts must exist when the root is made.
        ns = lab.namespace()
        peer = lab.namespace()
        lab.veth(ns, "eth1", peer, "eth1", addrs_a=("10.10.10.15/24",),
                 addrs_b=("10.10.10.10/24",))
        root = Root()
        root.run("dpkg", "-i", deb, timeout=180)
        frr_conf = ("frr defaults traditional\n"
                    f"log file /var/log/frr/{ns.name}.log\n!\n" + FRR_CONF_BODY)
        write_conf(root, ns.name, frr_conf)
        sysm = System(root, ns, deb)
        sysm.frrinit("start")
        sysm.boot_config = sysm.wait_config(BOOT_TIMEOUT)
        yield sysm
    finally:
        problems = []
        if sysm is not None:
            sysm.frrinit_stop = sysm.run("/usr/lib/frr/frrinit.sh", "stop", sysm.ns.name,
                                         timeout=120, check=False)
            for pid in sysm.processes():
                problems.append(f"process {pid} still ran after frrinit.sh stop")
                os.kill(pid, signal.SIGKILL)
        if root is not None:
            root.close()
        reaper.stop()
        problems += lab.cleanup()
        assert not problems, problems


def test_lintian(deb):
    """lintian finds no errors (the overrides in debian/ each give their reason)."""
    cp = vrrplab.run(["lintian", "--fail-on", "error,warning", deb], timeout=300, check=False)
    assert cp.returncode == 0, cp.stdout
    assert not re.search(r"(?m)^[EW]: ", cp.stdout), cp.stdout


def test_diversions(system):
    """Both of frr's files are diverted to *.frr-stock by our package and are intact there;
    ours are in place."""
    out = system.root.run("dpkg-divert", "--list").stdout
    for path, stock in DIVERTED.items():
        assert f"diversion of {path} to {stock} by {PKG}" in out, out
    sums = frr_md5sums(system.root)
    for path, stock in DIVERTED.items():
        assert md5(system.root.path(stock)) == sums[path], stock
        assert md5(system.root.path(path)) != sums[path], path
    assert system.root.run("dpkg", "--verify", PKG).stdout == ""


def test_frrinit_starts_our_vrrpd_under_watchfrr(system):
    """frrinit.sh start NS started watchfrr, which started our vrrpd (by the bytes of the
    binary the process runs), and vrrpd answers with this daemon's show vrrp json."""
    watchfrr = system.pid("watchfrr")
    assert watchfrr and vrrplab._proc_state(watchfrr) not in (None, "Z"), "watchfrr is not running"
    pid = system.pid("vrrpd")
    assert pid and vrrplab._proc_state(pid) not in (None, "Z"), "vrrpd is not running"
    assert os.readlink(f"/proc/{pid}/exe") == "/usr/lib/frr/vrrpd"
    assert sha256(f"/proc/{pid}/exe") == sha256(system.root.path("/usr/lib/frr/vrrpd"))
    assert sha256(f"/proc/{pid}/exe") != sha256(system.root.path(DIVERTED["/usr/lib/frr/vrrpd"]))
    assert re.search(r"vrrpd\s+Up", system.vtysh("show watchfrr")), system.vtysh("show watchfrr")
    assert '"priorityZeroRx"' in system.vtysh("show vrrp json")


def test_boot_applies_integrated_config(system):
    """vtysh -b at boot applied every line of frr.conf, the extension lines too."""
    assert system.boot_config == FRR_CONF_BODY, \
        vrrplab.config_diff(FRR_CONF_BODY, system.boot_config, "frr.conf", "running-config")


def test_watchfrr_restarts_killed_vrrpd(system):
    """kill -9 of vrrpd: watchfrr starts our binary again, and the configuration is back."""
    old = system.pid("vrrpd")
    os.kill(old, signal.SIGKILL)
    deadline = time.monotonic() + RESTART_TIMEOUT
    new = None
    while time.monotonic() < deadline:
        new = system.pid("vrrpd")
        if new and new != old and vrrplab._proc_state(new) not in (None, "Z"):
            break
        time.sleep(0.2)
    else:
        pytest.fail(f"vrrpd (pid {old}) was not restarted within {RESTART_TIMEOUT:g}s")
    assert sha256(f"/proc/{new}/exe") == sha256(system.root.path("/usr/lib/frr/vrrpd"))
    config = system.wait_config(BOOT_TIMEOUT)
    assert config == FRR_CONF_BODY, vrrplab.config_diff(FRR_CONF_BODY, config)


def test_frr_reload_delta(system):
    """frr-reload.py --test with the running configuration edited, a stock line changed and an
    extension line removed, prints just those changes: our vtysh parses both configurations,
    extension lines included."""
    # As `write memory` would save it: without vtysh's "Building configuration..." frame.
    running = system.vtysh("show running-config").split("Current configuration:\n", 1)[1]
    edited = running.replace(" vrrp 5 priority 200\n", " vrrp 5 priority 180\n") \
        .replace(" no vrrp 5 checksum-with-ipv4-pseudoheader\n", "")
    assert edited.count("\n") == running.count("\n") - 1, running
    new = system.conf / "frr.conf.new"
    system.root.path(new).write_text(edited)
    out = system.run("/usr/lib/frr/frr-reload.py", "--test", "--stdout", "--pathspace",
                     system.ns.name, new, timeout=60).stdout
    assert "Lines To Delete" in out and "Lines To Add" in out, out
    delete = out.split("Lines To Delete", 1)[1].split("Lines To Add", 1)[0]
    add = out.split("Lines To Add", 1)[1]

    def lines(text):
        return [ln.rstrip() for ln in text.splitlines() if ln.strip() and not ln.startswith("=")]

    # frr-reload prints what it would send: the deleted lines as their "no" forms.
    assert lines(delete) == ["interface eth1", " no vrrp 5 priority 200",
                             "interface eth1", " vrrp 5 checksum-with-ipv4-pseudoheader"], out
    assert lines(add) == ["interface eth1", " vrrp 5 priority 180"], out


def test_remove_restores_stock_files(system):
    """frrinit.sh stop; installing the package again (an upgrade) leaves the diversions as they
    are; then dpkg -r: the diversions are gone and frr's vrrpd and vtysh are back, byte for byte
    what frr's md5sums say."""
    system.frrinit("stop")
    # Stopped first: an upgrade replaces the binaries the running daemons were started from.
    before = system.root.run("dpkg-divert", "--list").stdout
    again = system.root.run("dpkg", "-i", system.deb, timeout=180).stdout
    assert "diversion" not in again, again
    assert system.root.run("dpkg-divert", "--list").stdout == before
    system.root.run("dpkg", "-r", PKG, timeout=120)
    out = system.root.run("dpkg-divert", "--list").stdout
    assert PKG not in out, out
    sums = frr_md5sums(system.root)
    for path, stock in DIVERTED.items():
        assert md5(system.root.path(path)) == sums[path], path
        assert not system.root.path(stock).exists(), stock
    verify = system.root.run("dpkg", "--verify", "frr", check=False).stdout
    for path in DIVERTED:
        assert path not in verify, verify
