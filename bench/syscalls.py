#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Diagnostic (not part of run.sh): system calls and wake-ups per advertisement of a lone
Master, or of a Backup per advertisement it receives.

    /usr/bin/python3 bench/syscalls.py [INTERVAL_MS] [--vrs N] [--backup] [--ours PATH]
        [--only ours,stock,keepalived] [--after AFTER]

For each implementation: one router, N virtual routers (default 1; 255 to a parent) at
INTERVAL_MS (default 10), Master (with --backup: a second router, priority 200, is straced
instead; the count of advertisements is the 3 s divided by the interval, times N); `strace -c`
on the daemon for 3 s, then its on-CPU time for 3 s without strace. A wake-up is a return from
the call the event loop waits in (ppoll for FRR daemons, epoll_wait for keepalived). The
measurement starts AFTER seconds (default 1) after every router is in its final state
("settled": how long that took after the daemons were started). libfrr 8.4's
event loop truncates the poll timeout to whole milliseconds and calls ppoll() with a zero
timeout until a timer is due, so FRR daemons show many ppoll() per advertisement;
keepalived arms a timerfd and wakes once.
"""

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import (REPO, Topo, cpu_ns, emergency_cleanup, make_impls,  # noqa: E402
                      in_role, new_lab, split_counts, teardown, vrs_for)


def settle(impl, topo, labels, want, timeout=150) -> float:
    """Wait until dev1 is Master of every router in `want` and dev2 (if there) Backup of
    every one; seconds it took. Exits if that does not happen within timeout."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if all(in_role(impl, topo.routers[lb], lb, want) == len(want) for lb in labels):
            return time.monotonic() - t0
        time.sleep(0.5)
    sys.exit(f"{impl.name}: not converged within {timeout} s")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("interval", nargs="?", type=int, default=10)
    ap.add_argument("--ours", default=str(REPO / "vrrpd" / "vrrpd"))
    ap.add_argument("--backup", action="store_true", help="trace a Backup, not a lone Master")
    ap.add_argument("--vrs", type=int, default=1, help="virtual routers (255 to a parent)")
    ap.add_argument("--only", default="", help="comma-separated implementations")
    ap.add_argument("--after", type=float, default=1.0,
                    help="seconds from settled to the measurement")
    args = ap.parse_args()
    impls = make_impls(Path(args.ours))
    if args.only:
        impls = {k: v for k, v in impls.items() if k in args.only.split(",")}
    labels = ("dev1", "dev2") if args.backup else ("dev1",)
    counts = split_counts(args.vrs)
    print(f"{'a Backup' if args.backup else 'one Master'}, {args.vrs} VR, {args.interval} ms")
    print(f"{'':12} {'settled':>7} {'CPU s/s':>8} {'adverts':>8} {'wake-ups':>8} {'calls':>6} "
          f"{'per advertisement (strace -c, 3 s)'}")
    try:
        for name, impl in impls.items():
            lab = new_lab()
            topo = None
            try:
                topo = Topo(lab, impl, labels=labels, parents=len(counts))
                for lb in labels:
                    vrs = vrs_for(lb, counts, args.interval)
                    impl.prepare(topo.routers[lb], vrs)
                    impl.start(topo.routers[lb], vrs)
                r = topo.routers[labels[-1]]
                # Converged first (dev1 Master of all, dev2 Backup of all), or a start-up
                # still running would be counted; then one more second.
                settled = settle(impl, topo, labels, {(v.iface, v.vrid) for v in vrs})
                time.sleep(args.after)
                pids = impl.daemon_pids(r)
                pid = pids[-1]   # keepalived: the VRRP child
                out = subprocess.run(["timeout", "-s", "INT", "3", "strace", "-f", "-c", "-p",
                                      str(pid)], capture_output=True, text=True).stderr
                calls = {}
                for ln in out.splitlines():
                    m = re.match(r"^\s*[\d.]+\s+[\d.]+\s+\d+\s+(\d+)\s+(?:\d+\s+)?(\w+)\s*$", ln)
                    if m and m.group(2) != "total":
                        calls[m.group(2)] = int(m.group(1))
                sends = calls.get("sendmsg", 0) + calls.get("sendto", 0)
                if args.backup:
                    sends = round(3000 / args.interval) * args.vrs
                waits = calls.get("ppoll", 0) + calls.get("epoll_wait", 0) + \
                    calls.get("poll", 0) + calls.get("select", 0)
                total = sum(calls.values())
                c0 = cpu_ns(pids)
                time.sleep(3)
                cpu = (cpu_ns(pids) - c0) / 3e9
                per = ", ".join(f"{k} {v / sends:.1f}" for k, v in
                                sorted(calls.items(), key=lambda kv: -kv[1])[:8]) if sends \
                    else str(calls)
                wpa = f"{waits / sends:8.3f}" if sends else f"{'-':>8}"
                cpa = f"{total / sends:6.2f}" if sends else f"{'-':>6}"
                print(f"{name:12} {settled:6.1f}s {cpu:8.4f} {sends:8d} {wpa} {cpa} {per}")
            finally:
                teardown(topo, lab)
    finally:
        emergency_cleanup()


if __name__ == "__main__":
    main()
