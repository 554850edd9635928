# SPDX-License-Identifier: GPL-2.0-or-later
"""A numbered UDP flow through the virtual router: a sender in one namespace sends datagrams
carrying a sequence number at a fixed rate (paced by absolute deadlines, so a late wake-up
does not slow the rate down), a receiver in another namespace records what arrives. Both log
to files, read after stop(): which datagrams sent in a time window never arrived is what a
user of the gateway lost in that window. Run as a script, this file is the sender or the
receiver itself (no imports from the package, so that it runs under any namespace)."""

from __future__ import annotations

import os
import signal
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

PORT = 5599
_HDR = struct.Struct("!Id")  # sequence number, CLOCK_REALTIME of the send


class UdpFlow:
    """`rate` datagrams a second from namespace `src` to `dst_addr` (an address of namespace
    `dst`); logs go to `workdir`."""

    def __init__(self, src, dst, dst_addr: str, workdir: Path, rate: int = 1000, name="flow"):
        self.src, self.dst, self.dst_addr, self.rate = src, dst, dst_addr, rate
        self.sent_log = Path(workdir) / f"{name}-sent.bin"
        self.rcvd_log = Path(workdir) / f"{name}-rcvd.bin"
        self.procs: list[subprocess.Popen] = []
        self._sent = self._rcvd = None

    def _spawn(self, ns, *args) -> subprocess.Popen:
        argv = ns.exec_argv(sys.executable if sys.executable else "/usr/bin/python3",
                            str(Path(__file__).resolve()), *args)
        p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE)
        self.procs.append(p)
        return p

    def start(self, timeout=5.0):
        """Start the receiver, then the sender; returns once the receiver got a datagram."""
        self.rcvd_log.unlink(missing_ok=True)
        self.sent_log.unlink(missing_ok=True)
        self._spawn(self.dst, "recv", str(self.rcvd_log))
        time.sleep(0.2)
        self._spawn(self.src, "send", self.dst_addr, str(self.rate), str(self.sent_log))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.rcvd_log.exists() and self.rcvd_log.stat().st_size >= _HDR.size:
                return
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"no datagram of the flow reached {self.dst_addr} in {timeout} s")

    def stop(self):
        """Stop the sender, give the last datagrams time to arrive, stop the receiver; both
        flush their logs on SIGTERM."""
        for i, p in enumerate(self.procs):
            if i == 0:
                continue
            p.send_signal(signal.SIGTERM)
            p.wait(5)
        time.sleep(0.2)
        if self.procs:
            self.procs[0].send_signal(signal.SIGTERM)
            self.procs[0].wait(5)
        self.procs = []
        self._sent = _read(self.sent_log)
        self._rcvd = {s for s, _ in _read(self.rcvd_log)}

    def lost(self, t0: float, t1: float) -> int:
        """Datagrams sent in [t0, t1) (CLOCK_REALTIME) that never arrived; after stop()."""
        return sum(1 for s, t in self._sent if t0 <= t < t1 and s not in self._rcvd)

    def sent_in(self, t0: float, t1: float) -> int:
        return sum(1 for _, t in self._sent if t0 <= t < t1)

    def last_sent(self) -> float:
        """CLOCK_REALTIME just after the last datagram sent; after stop()."""
        return self._sent[-1][1] + 1e-6 if self._sent else 0.0


def _read(path: Path) -> list[tuple[int, float]]:
    if not path.exists():
        return []
    data = path.read_bytes()
    n = len(data) // _HDR.size
    return [_HDR.unpack_from(data, i * _HDR.size) for i in range(n)]


def _on_term(flush):
    def handler(sig, frame):
        flush()
        os._exit(0)
    signal.signal(signal.SIGTERM, handler)


def _send(addr: str, rate: int, log: str):
    s = socket.socket(socket.AF_INET6 if ":" in addr else socket.AF_INET, socket.SOCK_DGRAM)
    out = bytearray()
    _on_term(lambda: Path(log).write_bytes(out))
    period = 1.0 / rate
    seq = 0
    nxt = time.monotonic()
    while True:
        now = time.time()
        pkt = _HDR.pack(seq, now)
        try:
            s.sendto(pkt, (addr, PORT))
        except OSError:
            pass  # no route or neighbour for a moment: the datagram is lost, as a host's is
        out += pkt
        seq += 1
        nxt += period
        delay = nxt - time.monotonic()
        if delay > 0:
            time.sleep(delay)


def _recv(log: str):
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", PORT))
    out = bytearray()
    _on_term(lambda: Path(log).write_bytes(out))
    first = True
    while True:
        data = s.recv(64)
        if len(data) >= _HDR.size:
            out += data[:_HDR.size]
            if first:
                # start() waits for the first datagram to be on disk.
                Path(log).write_bytes(out)
                first = False


if __name__ == "__main__":
    if sys.argv[1] == "send":
        _send(sys.argv[2], int(sys.argv[3]), sys.argv[4])
    else:
        _recv(sys.argv[2])
