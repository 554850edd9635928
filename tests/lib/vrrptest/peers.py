# SPDX-License-Identifier: GPL-2.0-or-later
"""keepalived as a VRRP peer in a lab namespace, the only copy of how it is run: generated config
(interop tests), the foreground process and its VRRP child (KeepalivedProcess: interop tests and
the benchmark), the notify log of states (Keepalived)."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from vrrptest import vrrplab

KEEPALIVED_BIN = Path("/usr/sbin/keepalived")
STOP_TIMEOUT = 5.0

NOTIFY_SCRIPT = """#!/bin/sh
# keepalived notify: $1 = INSTANCE|GROUP, $2 = name, $3 = state, $4 = priority
printf '%s %s %s\\n' "$(date +%s.%N)" "$2" "$3" >> "{states}"
"""


def keepalived_conf(*, vrid: int, priority: int, version: int, advert_int: float,
                    vips: list[str], notify: Path, iface: str = "eth1", use_vmac: bool = True,
                    nopreempt: bool = False, v3_checksum_as_v2: bool = False,
                    vmac_name: str | None = None, unicast_peers: list[str] = (),
                    unicast_src_ip: str | None = None,
                    old_unicast_checksum: bool = False) -> str:
    """A keepalived.conf with one vrrp_instance VI_<vrid> on `iface` (initial state BACKUP, as
    an RFC router starts; multicast to 224.0.0.18 / ff02::12; not strict, so no firewall rules
    are installed). `vips` are address/prefix strings of one family: keepalived derives the
    instance's family from them (IPv6 instances always run VRRPv3).

    use_vmac (default) makes keepalived the same kind of VRRP router as ours and stock FRR: a
    macvlan with the virtual MAC (00:00:5e:00:01:VRID / 00:00:5e:00:02:VRID) sources the
    advertisements (RFC 9568 7.2, RFC 3768 7.3) and carries the virtual addresses, so ARP/ND
    for them is answered with the virtual MAC whichever router is Master. Without it keepalived
    advertises from, and puts the addresses on, the parent with its own MAC: hosts' neighbour
    entries and switch FDBs would flip between the VMAC and a physical MAC at every change of
    Master between it and ours. keepalived's macvlan is in private mode and stays up in Backup
    (it removes the addresses and sets arp_ignore) where ours and stock use protodown; on the
    wire both look the same: only the Master sends, from the VMAC.

    unicast_peers: keepalived's unicast_peer list instead of the group, sent from
    unicast_src_ip (else keepalived's choice), accepting only those peers (check_unicast_src);
    with use_vmac also vmac_xmit_base, which keepalived requires for unicast and which sends
    from the parent interface, as ours does. old_unicast_checksum: the pre-1.3.6 checksum, the
    multicast group in the pseudo-header of unicast advertisements."""
    adv = f"{advert_int:g}"
    lines = [
        "global_defs {",
        # the notify script runs as root; keepalived checks that nobody else can write it
        "    script_user root",
        "    enable_script_security",
        # no delayed/repeated gratuitous ARP/NA bursts 5 s after becoming Master: they would
        # only add noise to the capture (the first burst at the transition stays)
        "    vrrp_garp_master_delay 0",
        "    vrrp_garp_master_refresh 0",
        "}",
        f"vrrp_instance VI_{vrid} {{",
        "    state BACKUP",
        f"    interface {iface}",
        f"    virtual_router_id {vrid}",
        f"    version {version}",
        f"    priority {priority}",
        f"    advert_int {adv}",
    ]
    if use_vmac:
        lines.append(f"    use_vmac {vmac_name or f'ka{vrid}'}")
        if unicast_peers:
            lines.append("    vmac_xmit_base")
    if unicast_peers:
        if unicast_src_ip:
            lines.append(f"    unicast_src_ip {unicast_src_ip}")
        # RFC 9568 5.1.1.3 / 5.1.2.3: receivers drop anything but 255
        lines += ["    unicast_ttl 255", "    check_unicast_src", "    unicast_peer {"]
        lines += [f"        {a}" for a in unicast_peers] + ["    }"]
        if old_unicast_checksum:
            lines.append("    old_unicast_checksum")
    if nopreempt:
        lines.append("    nopreempt")
    if v3_checksum_as_v2:
        lines.append("    v3_checksum_as_v2")
    lines.append("    virtual_ipaddress {")
    lines += [f"        {a}" for a in vips]
    lines += ["    }", f"    notify {notify}", "}", ""]
    return "\n".join(lines)


class KeepalivedProcess:
    """keepalived (VRRP subsystem only) in a namespace, in the foreground (-n), with its config,
    pid files and console log in `workdir` (default: a private temp dir, removed by cleanup()).
    It is ended by the PIDs it was started with: the Popen'd parent (ip netns exec execs
    keepalived in place) and its VRRP child, named by the -r pid file. The interop tests run
    it with a detailed log and no respawn; the benchmark with neither (what users run)."""

    def __init__(self, ns: vrrplab.Namespace, workdir: Path | None = None, *,
                 detailed_log: bool = True, respawn: bool = False):
        self.ns = ns
        self.own_dir = workdir is None
        self.dir = Path(workdir) if workdir else Path(tempfile.mkdtemp(
            prefix=f"vrrplab-ka-{ns.name}-"))
        self.detailed_log, self.respawn = detailed_log, respawn
        self.conf = self.dir / "keepalived.conf"
        self.pidfile = self.dir / "keepalived.pid"
        self.vrrp_pidfile = self.dir / "vrrp.pid"
        self.logfile = self.dir / "keepalived.log"
        self.proc: subprocess.Popen | None = None
        self.vrrp_pid: int | None = None
        self.log = None

    def argv(self, wrapper=()) -> list[str]:
        # -n: no daemon fork; -P: VRRP only (no checker/BFD children); -R: no respawn; -l (-D):
        # (detailed) log to the console (our log file); -G: no syslog; -p/-r: pid files here,
        # not /run; -i NS: the config-id (only matters for '@' lines, none here) puts the
        # namespace name on the command line, so vrrplab's stray-process checks see it.
        return [*map(str, wrapper), str(KEEPALIVED_BIN), "-n", "-P",
                *([] if self.respawn else ["-R"]), "-l", *(["-D"] if self.detailed_log else []),
                "-G", "-f", str(self.conf), "-p", str(self.pidfile), "-r",
                str(self.vrrp_pidfile), "-i", self.ns.name]

    def launch(self, conf_text: str, wrapper=()) -> subprocess.Popen:
        """Write the config and start keepalived (`wrapper` in front, inside the namespace);
        the log file is appended to, across restarts."""
        self.conf.write_text(conf_text)
        for stale in (self.pidfile, self.vrrp_pidfile):
            stale.unlink(missing_ok=True)
        self.vrrp_pid = None
        if self.log is not None:
            self.log.close()
        self.log = open(self.logfile, "a")
        # no NOTIFY_SOCKET: keepalived (built with systemd support) must not talk to a
        # service manager that may have started the test run
        env = {k: v for k, v in os.environ.items() if k != "NOTIFY_SOCKET"}
        self.proc = subprocess.Popen(self.ns.exec_argv(*self.argv(wrapper)),
                                     stdin=subprocess.DEVNULL, stdout=self.log,
                                     stderr=subprocess.STDOUT, env=env)
        return self.proc

    def wait_vrrp_child(self, timeout: float, ready=None):
        """Wait for the VRRP child's pid file (and ready(), if given, to return something
        truthy, which is returned); LabError if keepalived exits or the time runs out."""
        deadline = time.monotonic() + timeout
        while True:
            if self.vrrp_pid is None:
                pid = vrrplab.read_pid(self.vrrp_pidfile)
                if pid is not None:
                    # only ever signalled if it is the child of the keepalived we started
                    if vrrplab._proc_ppid(pid) != self.proc.pid:
                        raise vrrplab.LabError(f"keepalived: {self.vrrp_pidfile} names {pid}, "
                                               f"not a child of {self.proc.pid}")
                    self.vrrp_pid = pid
            got = True if ready is None else ready()
            if self.vrrp_pid is not None and got:
                return got
            if self.proc.poll() is not None:
                raise vrrplab.LabError(f"keepalived exited rc={self.proc.returncode} during "
                                       f"start-up:\n{self.log_text()}")
            if time.monotonic() > deadline:
                raise vrrplab.LabError(f"keepalived: no VRRP child"
                                       f"{'' if ready is None else ' / not ready'} within "
                                       f"{timeout}s:\n{self.log_text()}")
            time.sleep(0.02)

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_text(self, lines: int = 80) -> str:
        try:
            txt = self.logfile.read_text(errors="replace").splitlines()
        except FileNotFoundError:
            return ""
        return "\n".join(txt[-lines:])

    def _child_alive(self) -> bool:
        if self.vrrp_pid is None:
            return False
        try:
            # reaped here if it was re-parented to us (vrrplab makes us the child subreaper)
            if os.waitpid(self.vrrp_pid, os.WNOHANG)[0] == self.vrrp_pid:
                return False
        except ChildProcessError:
            pass
        st = vrrplab._proc_state(self.vrrp_pid)
        return st is not None and st not in ("Z", "X")

    def kill9(self):
        """SIGKILL the children first (no priority-0 advertisement on the way out, and no
        respawn), then the parent; the children, re-parented to us, are reaped."""
        if not self.running():
            return
        kids = vrrplab.children_of(self.proc.pid)
        for pid in kids:
            os.kill(pid, signal.SIGKILL)
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(STOP_TIMEOUT)
        for pid in kids:
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass

    def stop(self, grace: float = STOP_TIMEOUT) -> list[str]:
        """SIGTERM to the parent (it stops its VRRP child, which removes its VMAC and VIPs),
        SIGKILL after `grace`; then the VRRP child by its PID if it outlived the parent.
        Returns problems (empty: clean exit)."""
        problems = []
        if self.running():
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(grace)
            except subprocess.TimeoutExpired:
                problems.append(f"keepalived {self.proc.pid} ignored SIGTERM; SIGKILLed")
                self.proc.kill()
                self.proc.wait(STOP_TIMEOUT)
        if self._child_alive():
            # only a process that is still ours: re-parented to us after the parent's exit
            if vrrplab._proc_ppid(self.vrrp_pid) == os.getpid():
                problems.append(f"keepalived VRRP child {self.vrrp_pid} outlived its parent")
                os.kill(self.vrrp_pid, signal.SIGKILL)
                deadline = time.monotonic() + STOP_TIMEOUT
                while self._child_alive() and time.monotonic() < deadline:
                    time.sleep(0.01)
            if self._child_alive():
                problems.append(f"keepalived VRRP child {self.vrrp_pid} still running")
        if self.log is not None:
            self.log.close()
            self.log = None
        return problems

    def cleanup(self) -> list[str]:
        problems = self.stop()
        if self.own_dir and not os.environ.get("VRRPLAB_KEEP"):
            shutil.rmtree(self.dir, ignore_errors=True)
        return problems


class Keepalived(KeepalivedProcess):
    """The interop tests' keepalived peer: a KeepalivedProcess whose instance reports its
    states through a notify script into a log of (time, state) lines."""

    def __init__(self, ns: vrrplab.Namespace):
        super().__init__(ns)
        self.states_file = self.dir / "states"
        self.notify = self.dir / "notify.sh"
        self.t_start: float | None = None
        self.notify.write_text(NOTIFY_SCRIPT.format(states=self.states_file))
        os.chmod(self.notify, 0o700)
        self.states_file.touch()

    def start(self, conf_text: str, timeout: float = 10.0) -> float:
        """Write the config, start keepalived, wait for the VRRP child's pid file and the
        instance's first notify (BACKUP). Returns the CLOCK_REALTIME time of that notify."""
        self.t_start = time.time()
        self.launch(conf_text)
        st = self.wait_vrrp_child(timeout, ready=self.states)
        return st[0][0]

    def states(self) -> list[tuple[float, str]]:
        """(time, state) for each notify so far: BACKUP, MASTER, FAULT, STOP."""
        out = []
        for ln in self.states_file.read_text().splitlines():
            parts = ln.split()
            if len(parts) == 3:
                out.append((float(parts[0]), parts[2]))
        return out

    def state(self) -> str | None:
        """The current state. keepalived runs each notify script in its own process, so two
        transitions milliseconds apart (Master, then Backup on hearing a higher priority) can
        reach the states file in either order; its own log is written in order, so its last
        "Entering ... STATE" line decides once there is one."""
        found = re.findall(r"Entering (MASTER|BACKUP|FAULT|STOP) STATE",
                           self.log_text(100000))
        if found:
            return found[-1]
        st = self.states()
        return st[-1][1] if st else None
