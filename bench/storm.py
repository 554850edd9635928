#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Diagnostic (not part of run.sh): one scale session of the benchmark (bench/phases.py), with the
Backup's zebra watched while it runs, for the flap storm of Finding 5.

    /usr/bin/python3 bench/storm.py [--impl ours|stock|keepalived] [--vrs 1000]
        [--interval 10] [--ours PATH] [--out DIR]

Every 2 s: dev2's (the Backup's) zebra RSS, and from its `show memory` the count and bytes of
"Stream" buffers (zebra keeps each message it has not yet written to a client in one of 16 KiB),
and the interface and address message counts of `show zebra client` for vrrp. At the end the
session's own results (convergence, false-failover episodes, CPU, RSS) as the table shows them.
"""

import argparse
import json
import os
import re
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib  # noqa: E402
import phases  # noqa: E402

STREAM = re.compile(r"^\s*Stream\s*:\s*(\d+)\s+variable\s+(\d+)", re.M)
CLIENT = re.compile(r"Client: vrrp.*?^Interface\s+(\d+)\s+\d+\s+(\d+).*?^Intf Addr\s+(\d+)\s+\d+\s+"
                    r"(\d+)", re.S | re.M)


def sample(impl, r, t0) -> dict:
    s = {"t": round(time.monotonic() - t0, 1)}
    zp = impl.zebra_pids(r)
    if not zp:
        return s
    s["zebra_rss_mib"] = round(benchlib.rss_kib(zp) / 1024, 1)
    try:
        _, out = r.vtysh("show memory", daemon="zebra", timeout=10)
        m = STREAM.search(out)
        if m:
            s["streams"], s["stream_mib"] = int(m.group(1)), round(int(m.group(2)) / 2**20, 1)
        _, out = r.vtysh("show zebra client", daemon="zebra", timeout=10)
        m = CLIENT.search(out)
        if m:
            s["if_up"], s["if_down"], s["addr_add"], s["addr_del"] = map(int, m.groups())
    except Exception as e:  # a saturated zebra may not answer in time: say so, go on
        s["error"] = str(e)
    return s


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--impl", default="ours")
    ap.add_argument("--vrs", type=int, default=1000)
    ap.add_argument("--interval", type=int, default=10)
    ap.add_argument("--ours", default=str(benchlib.REPO / "vrrpd" / "vrrpd"))
    ap.add_argument("--out", default=str(benchlib.REPO / "build" / "bench" / "storm"))
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench/storm.py must run as root (network namespaces)")
    os.setpriority(os.PRIO_PROCESS, 0, -5)  # as run.py
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    impl = benchlib.make_impls(Path(args.ours))[args.impl]
    topos, samples, done = [], [], threading.Event()

    class WatchedTopo(benchlib.Topo):
        def __init__(self, *a, **kw):
            super().__init__(*a, **kw)
            topos.append(self)

    def watch():
        t0 = time.monotonic()
        while not done.wait(2.0):
            if topos and args.impl != "keepalived":
                s = sample(impl, topos[0].routers["dev2"], t0)
                samples.append(s)
                print(json.dumps(s), flush=True)

    phases.Topo = WatchedTopo
    th = threading.Thread(target=watch, daemon=True)
    th.start()
    try:
        res = phases.scale_session(impl, args.vrs, args.interval, 5.0,
                                   40 if args.vrs > 255 else 25, out)
    finally:
        done.set()
        benchlib.emergency_cleanup()
    keys = ("impl", "converge_s", "converge_last", "end_state", "false_failovers",
            "false_failover_vrs", "backup_adverts", "cpu_s_per_s", "zebra_cpu_s_per_s",
            "rss_kib", "zebra_rss_kib", "host_busy", "errors")
    print(json.dumps({k: res.get(k) for k in keys}, indent=1, default=str))
    (out / f"storm-{args.impl}-{args.vrs}-{args.interval}.json").write_text(
        json.dumps({"result": res, "samples": samples}, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
