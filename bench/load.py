#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""How our vrrpd's configuration load scales: 100, 1,000 and 4,000 routers, 250 to an interface
or one on each interface, read from vrrpd.conf at start or applied by `vtysh -b` with an
integrated frr.conf. One router namespace with zebra; the interfaces exist (veths, or macvlans
of one veth for one interface per router); no peers, and `no vrrp default macvlan-autocreate`,
so what is measured is the load, not the protocol.

Per case: the daemon's own log line (commits, routers, microseconds from the first line to the
end of the load), the CPU seconds vrrpd and zebra used for it, and `vtysh -b`'s wall time.
  bench/load.py [--ours BIN] [--n 100,1000,4000] [--layouts L,L] [--hows H,H] [--out DIR]
Prints the table; JSON in DIR/load-latest.json (default build/bench)."""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import benchlib  # noqa: E402
from benchlib import REPO, VR, frr_conf, log, vrrplab  # noqa: E402

LOAD_RE = re.compile(r"configuration load: (\d+) commits, (\d+) router reloads, (\d+) routers, "
                     r"(\d+) us")
LAYOUTS = ("250 per interface", "1 per interface")
HOWS = ("vrrpd.conf", "vtysh -b")


def net(k: int) -> str:
    """The first two octets of interface k's addresses (10.k while k < 256)."""
    return f"{10 + k // 256}.{k % 256}"


def layout_vrs(n: int, layout: str) -> list[VR]:
    if layout == "1 per interface":
        return [VR(f"p{k}", 1, 200, 1000, f"{net(k)}.1.1") for k in range(1, n + 1)]
    counts = benchlib.split_counts(n, 250)
    return [VR(f"eth{k}", v, 200, 1000, f"{net(k)}.{v}.1")
            for k, c in enumerate(counts, 1) for v in range(1, c + 1)]


def make_interfaces(r, vrs: list[VR]):
    """The routers' interfaces, in one `ip -batch`: veths, or macvlans of a veth eth0 when
    there is one per router (half the interfaces for zebra to learn)."""
    names = list(dict.fromkeys(v.iface for v in vrs))
    if names[0].startswith("p"):
        r.add_stub("eth0", ["10.250.0.1/16"])
        lines = []
        for ifn in names:
            lines += [f"link add {ifn} link eth0 type macvlan mode bridge", f"link set {ifn} up"]
        r.ns.ip_batch(lines)
    else:
        r.add_stubs({ifn: [f"{net(int(ifn[3:]))}.0.15/16"] for ifn in names})


def cpu_s(pid: int) -> float:
    return benchlib.cpu_ticks([pid]) / benchlib.CLK_TCK


def load_line(d, timeout: float) -> tuple[int, ...]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        m = [x for x in LOAD_RE.findall(d.log()) if int(x[2]) > 0]
        if m:
            return tuple(map(int, m[-1]))
        time.sleep(0.1)
    raise benchlib.BenchError(f"no configuration load line within {timeout} s")


def one_case(ours: Path, vtysh: Path, n: int, layout: str, how: str) -> dict:
    res = {"n": n, "layout": layout, "how": how}
    vrs = layout_vrs(n, layout)
    text = "no vrrp default macvlan-autocreate\n!\n" + frr_conf(vrs)
    lab = benchlib.new_lab()
    try:
        r = lab.router(vrrpd_bin=ours)
        make_interfaces(r, vrs)
        r.start_zebra()
        d = vrrplab.Daemon(r, "vrrpd", ours, text if how == "vrrpd.conf" else "")
        r.daemons["vrrpd"] = d
        d.start(timeout=600)
        if how == "vtysh -b":
            vrrplab._write_frr_file(r.etcdir / "vtysh.conf",
                                    "service integrated-vtysh-config\n", 0o640)
            vrrplab._write_frr_file(r.etcdir / "frr.conf", text, 0o640)
            c0, z0 = cpu_s(d.pid), cpu_s(r.zebra.pid)
            t = time.monotonic()
            cp = vrrplab.run([str(vtysh), "-N", r.name, "-b"], check=False, timeout=1800)
            res["vtysh_s"] = time.monotonic() - t
            res["vtysh_rc"] = cp.returncode
        else:
            c0, z0 = 0.0, None     # the daemon's CPU from its start, init included
        commits, reloads, routers, us = load_line(d, 600)
        res.update(commits=commits, reloads=reloads, routers=routers, load_s=us / 1e6,
                   vrrpd_cpu_s=cpu_s(d.pid) - c0,
                   zebra_cpu_s=None if z0 is None else cpu_s(r.zebra.pid) - z0)
    except Exception as e:
        res["error"] = f"{type(e).__name__}: {e}"
    finally:
        res["teardown_problems"] = benchlib.close_lab(lab)
    return res


def _f(x, fmt="{:.2f}"):
    return "—" if x is None else fmt.format(x)


def render(rows: list[dict]) -> str:
    L = ["Configuration load of our vrrpd: load = first line to end of load, in the daemon; "
         "CPU in seconds (vrrpd.conf: the daemonized process from its fork, which reads the "
         "file; vtysh -b: during vtysh -b); zebra is Debian's",
         f"{'routers':>8}  {'layout':<18} {'via':<10} {'commits':>7} {'load s':>8} "
         f"{'vrrpd CPU':>9} {'zebra CPU':>9} {'vtysh s':>8}"]
    for x in rows:
        if "error" in x:
            L.append(f"{x['n']:>8}  {x['layout']:<18} {x['how']:<10} {x['error']}")
            continue
        L.append(f"{x['n']:>8}  {x['layout']:<18} {x['how']:<10} {x['commits']:>7} "
                 f"{_f(x['load_s']):>8} {_f(x['vrrpd_cpu_s']):>9} "
                 f"{_f(x.get('zebra_cpu_s')):>9} {_f(x.get('vtysh_s')):>8}")
    return "\n".join(L)


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ours", default=str(REPO / "vrrpd" / "vrrpd"))
    ap.add_argument("--n", default="100,1000,4000")
    ap.add_argument("--layouts", default=",".join(LAYOUTS))
    ap.add_argument("--hows", default=",".join(HOWS))
    ap.add_argument("--out", default=str(REPO / "build" / "bench"))
    args = ap.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench/load.py must run as root (network namespaces)")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    ours = out / "vrrpd-load"   # a private copy: others may rebuild vrrpd/vrrpd meanwhile
    ours.write_bytes(Path(args.ours).read_bytes())
    ours.chmod(0o755)
    vtysh = vrrplab.our_vtysh()
    rows = []
    try:
        for n in map(int, args.n.split(",")):
            for layout in args.layouts.split(","):
                if layout == "250 per interface" and math.ceil(n / 250) > 255:
                    continue
                for how in args.hows.split(","):
                    log(f"load: {n} routers, {layout}, {how}")
                    rows.append(one_case(ours, vtysh, n, layout, how))
    finally:
        benchlib.emergency_cleanup()
        (out / "load-latest.json").write_text(json.dumps(rows, indent=1))
    print(render(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
