# SPDX-License-Identifier: GPL-2.0-or-later
"""Hostile-traffic floods, the only copy: a cycle of crafted frames made of weighted classes,
the floodgen program (tests/lib/floodgen.c) that sends it at a steady rate from a namespace,
the per-class count of what it really sent, and the kernel-side figures a flood test reads
(a process's CPU time, a namespace's IP statistics, raw sockets' drop counts)."""

from __future__ import annotations

import json
import os
import select
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from vrrptest import vrrplab

# Built by `make` (Makefile.am) next to this package, in the repository the tests come from.
FLOODGEN = Path(__file__).resolve().parents[1] / "floodgen"


@dataclass
class FloodClass:
    """One kind of hostile datagram. Each unit is one datagram as the frames that carry it
    (one, or several fragments); every unit goes into the cycle `copies` times."""
    name: str
    units: list[list[bytes]]
    copies: int = 1
    # filled by build_cycle(): the cycle index of the last frame of each copy of each unit
    ends: list[int] = field(default_factory=list)


def build_cycle(classes: list[FloodClass]) -> list[bytes]:
    """The frames of one cycle, the classes interleaved evenly (a cut-off last cycle then
    shortens every class alike); the fragments of a unit stay together and in order."""
    slots = []
    for ci, c in enumerate(classes):
        n = len(c.units) * c.copies
        for k in range(n):
            slots.append(((k + 0.5) / n, ci, c.units[k % len(c.units)]))
    slots.sort(key=lambda s: (s[0], s[1]))
    frames: list[bytes] = []
    for c in classes:
        c.ends = []
    for _, ci, unit in slots:
        frames += unit
        classes[ci].ends.append(len(frames) - 1)
    return frames


def sent_per_class(classes: list[FloodClass], sent: int, cycle: int) -> dict[str, int]:
    """Datagrams of each class fully sent when floodgen reports `sent` frames of a `cycle`
    frame cycle: frame j went out sent // cycle times, once more if j < sent % cycle; a
    datagram counts when its last frame did."""
    full, rest = divmod(sent, cycle)
    return {c.name: sum(full + (j < rest) for j in c.ends) for c in classes}


def write_frames(path: Path, frames: list[bytes]):
    with open(path, "wb") as f:
        for fr in frames:
            assert 14 <= len(fr) <= 0xFFFF, len(fr)
            f.write(len(fr).to_bytes(2, "big") + fr)


class Floodgen:
    """floodgen in `ns`, sending `frames` (one cycle, repeated) on `iface` at `rate` frames a
    second for `seconds`; registered with the Net's helper processes (ended by PID)."""

    def __init__(self, net, ns: vrrplab.Namespace, iface: str, frames: list[bytes],
                 rate: int, seconds: float):
        if not os.access(FLOODGEN, os.X_OK):
            raise vrrplab.LabError(f"{FLOODGEN} is missing: build it with `make`")
        fd, path = tempfile.mkstemp(prefix="flood-", suffix=".bin", dir=net.tmp)
        os.close(fd)
        write_frames(Path(path), frames)
        self.expected = round(rate * seconds)
        self.seconds = seconds
        self.proc = net.popen(ns, [FLOODGEN, iface, rate, seconds, path, ns.name],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
        self._line(10)

    def _line(self, timeout: float) -> dict:
        r, _, _ = select.select([self.proc.stdout], [], [], timeout)
        line = self.proc.stdout.readline() if r else ""
        if not line:
            self.proc.kill()
            raise vrrplab.LabError(f"floodgen {self.proc.pid}: no answer within {timeout}s: "
                                   f"{self.proc.stderr.read()}")
        return json.loads(line)

    def go(self):
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()

    def result(self) -> dict:
        """Wait for the end of the flood; floodgen's report (see floodgen.c)."""
        rep = self._line(self.seconds + 20)
        self.proc.wait(5)
        return rep


def cpu_seconds(pid: int) -> float:
    """utime + stime of a process (this thread group), in seconds."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # fields[0] is the state (field 3 of proc(5)); utime and stime are fields 14 and 15
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def snmp(ns: vrrplab.Namespace) -> dict[str, int]:
    """The namespace's /proc/net/snmp and /proc/net/snmp6 as {"Ip:InHdrErrors": n, ...}."""
    out = {}
    lines = ns.run("cat", "/proc/net/snmp").stdout.splitlines()
    for head, vals in zip(lines[::2], lines[1::2]):
        proto, names = head.split(":", 1)
        for k, v in zip(names.split(), vals.split(":", 1)[1].split()):
            out[f"{proto}:{k}"] = int(v)
    for ln in ns.run("cat", "/proc/net/snmp6").stdout.splitlines():
        k, v = ln.split()
        out[f"Ip6:{k}"] = int(v)
    return out


def raw_drops(ns: vrrplab.Namespace, family: str, proto=112) -> int:
    """Datagrams the kernel dropped at the receive queues of the namespace's raw sockets of
    `proto` and family "v4" / "v6" (the last column of /proc/net/raw or raw6): queues that
    were full."""
    total = 0
    for f in ("/proc/net/raw" if family == "v4" else "/proc/net/raw6",):
        for ln in ns.run("cat", f).stdout.splitlines()[1:]:
            cols = ln.split()
            # "sl local_address:port ..." where the port of a raw socket is its protocol
            if int(cols[1].rsplit(":", 1)[1], 16) == proto:
                total += int(cols[-1])
    return total
