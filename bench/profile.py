#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Diagnostic (not part of run.sh): where a daemon spends its CPU with many virtual routers.

    /usr/bin/python3 bench/profile.py [--impl ours|stock|keepalived] [--vrs 1000]
        [--interval 1000] [--after 25] [--seconds 4] [--backup] [--ours PATH]

One router (alone, so every VR becomes Master) with VRS virtual routers over 255-VRID parents;
with `--backup` a second router (priority 200) joins the LAN first and is the one profiled, so
the samples show the receive path of a Backup.
`--after` seconds after the daemon was launched, `perf record -g` samples it for `--seconds`;
then the Masters count over time and the top symbols are printed. Needs perf.
"""

import argparse
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import (REPO, FrrImpl, Topo, cpu_ns, emergency_cleanup, make_impls,  # noqa: E402
                      new_lab, split_counts, teardown, vrrplab, vrs_for)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--impl", default="ours")
    ap.add_argument("--vrs", type=int, default=1000)
    ap.add_argument("--interval", type=int, default=1000)
    ap.add_argument("--after", type=float, default=25)
    ap.add_argument("--seconds", type=float, default=4)
    ap.add_argument("--backup", action="store_true", help="profile a Backup of a second router")
    ap.add_argument("--ours", default=str(REPO / "vrrpd" / "vrrpd"))
    args = ap.parse_args()
    impl = make_impls(Path(args.ours))[args.impl]
    counts = split_counts(args.vrs)
    lab = new_lab()
    topo = None
    perf_data = Path(tempfile.mkdtemp(prefix="bench-perf-")) / "perf.data"
    try:
        labels = ("dev1", "dev2") if args.backup else ("dev1",)
        topo = Topo(lab, impl, labels=labels, parents=len(counts))
        if args.backup:
            # The Master runs before the profiled router starts.
            master, mvrs = topo.routers["dev1"], vrs_for("dev1", counts, args.interval)
            impl.prepare(master, mvrs)
            impl.start(master, mvrs)
        r = topo.routers[labels[-1]]
        vrs = vrs_for(labels[-1], counts, args.interval)
        impl.prepare(r, vrs)
        t0 = time.monotonic()
        th = threading.Thread(target=impl.start, args=(r, vrs), daemon=True)
        th.start()
        pid = None
        while pid is None and time.monotonic() - t0 < 60:
            if isinstance(impl, FrrImpl):
                d = r.daemons.get("vrrpd")
                pid = vrrplab.read_pid(d.pidfile) if d else None
            else:
                pids = impl.daemon_pids(r)
                pid = pids[-1] if len(pids) > 1 else None
            time.sleep(0.1)
        if pid is None:
            sys.exit("daemon did not start")
        time.sleep(max(0.0, args.after - (time.monotonic() - t0)))
        c0 = cpu_ns([pid])
        subprocess.run(["perf", "record", "-g", "-o", str(perf_data), "-p", str(pid), "--",
                        "sleep", str(args.seconds)], capture_output=True, check=True)
        print(f"{args.impl}, {args.vrs} VRs at {args.interval} ms: {(cpu_ns([pid]) - c0) / 1e9 / args.seconds:.2f} "
              f"CPU s/s from {args.after:g} s to {args.after + args.seconds:g} s after launch")
        th.join(120)
        st = impl.states(r) or {}
        role = "Backup" if args.backup else "Master"
        print(f"{role}s {time.monotonic() - t0:.0f} s after launch: "
              f"{sum(1 for v in st.values() if v == role)}/{len(vrs)}")
        rep = subprocess.run(["perf", "report", "-i", str(perf_data), "--no-children", "--stdio",
                              "-g", "none", "--sort", "dso,symbol"], capture_output=True,
                             text=True).stdout
        print("\n".join([ln for ln in rep.splitlines() if ln.strip() and not
                         ln.startswith("#")][:25]))
    finally:
        teardown(topo, lab)
        emergency_cleanup()
        perf_data.unlink(missing_ok=True)
        perf_data.parent.rmdir()


if __name__ == "__main__":
    main()
