# SPDX-License-Identifier: GPL-2.0-or-later
"""The benchmark phases: failover, timer precision, scale, stock's parser under callgrind. Each
session builds its own LAN, measures, and tears everything down, also on failure."""

from __future__ import annotations

import math
import os
import re
import shutil
import statistics
import subprocess
import threading
import time
import traceback
from pathlib import Path

from benchlib import (CLK_TCK, PRIOS, ROLES, FrrImpl, Topo, cpu_ns, cpu_ticks, host_cpu,
                      in_role, live_capture, log, new_lab, parent_addr, rss_kib, split_counts,
                      teardown, vrrplab, vrs_for)
from vrrptest.timing import master_down_ms, schedule_fit, skew_exact_ms, skew_ms
from vrrptest.traffic import UdpFlow

# Failovers: dev2 takes over, and the time it takes is measured against theory.
SCENARIOS = ("kill", "linkdown", "prio0", "track")
# Restarts on the Master (dev1): whether dev2 takes over at all is part of the result.
RESTARTS = ("restart", "reload", "zebra")
P1, P2 = PRIOS["dev1"], PRIOS["dev2"]
# The user's traffic through the virtual router during the failover runs: a host on the LAN
# (br1) sends this many datagrams a second via the virtual address to a server on br2.
TRAFFIC_PPS = 1000
HOST_ADDR, SERVER_ADDR = "10.1.0.200", "10.2.0.200"
# dev1's uplink is its leg on br2, the server's LAN, so the traffic's path runs through it;
# losing it costs more than the 10 priority points between dev1 and dev2.
UPLINK_PARENT = 2
TRACK_DECREMENT = 20


def theory_ms(scen: str, interval_ms: int) -> float:
    """What the new Master (dev2, priority 200) should take: Master_Down_Interval after the
    old Master's last advertisement, or Skew_Time after its priority-0 one (in ms, a float as
    the measurements it is compared with)."""
    return float(skew_ms(P2, interval_ms) if scen == "prio0" else master_down_ms(P2, interval_ms))


def theory_exact_ms(scen: str, interval_ms: int) -> float:
    s = skew_exact_ms(P2, interval_ms)
    return s if scen == "prio0" else 3 * interval_ms + s


def _start_pair(impl, topo, vrs):
    d1, d2 = topo.routers["dev1"], topo.routers["dev2"]
    if isinstance(impl, FrrImpl):
        for r, v in ((d1, vrs["dev1"]), (d2, vrs["dev2"])):
            impl.use_restart_globals(r)
            impl.prepare(r, v)
    impl.start(d1, vrs["dev1"])
    impl.start(d2, vrs["dev2"])


def wait_steady(cap, a1, a2, interval_ms, after, timeout) -> bool:
    """dev1 (a1) is the only Master: it has sent two advertisements after `after` and after
    dev2's (a2) last one, and it is still sending."""
    fresh = max(2.5 * interval_ms / 1000, 0.05)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        now = time.time()
        n1 = 0
        last1 = None
        for r in reversed(cap.snapshot()):
            if r.t <= after or r.src == a2:
                break
            if r.src == a1 and r.prio > 0:
                n1 += 1
                last1 = last1 or r
        if n1 >= 2 and last1.t > now - fresh:
            return True
        time.sleep(min(interval_ms / 2000, 0.05))
    return False


def _lan_vrs(impl, interval_ms):
    """dev1 tracks its uplink where the implementation can (the tracked-uplink case needs it;
    while the uplink is up it changes nothing)."""
    vrs = {lb: vrs_for(lb, [1], interval_ms) for lb in ("dev1", "dev2")}
    if impl.supports("track"):
        for v in vrs["dev1"]:
            v.track = (f"eth{UPLINK_PARENT}", TRACK_DECREMENT)
    return vrs


def failover_session(impl, interval_ms: int, runs: int, outdir: Path, only=()) -> dict:
    """only: run just these cases (default: all the implementation supports)."""
    cases = [s for s in SCENARIOS + RESTARTS if impl.supports(s) and (not only or s in only)]
    res = {"impl": impl.name, "interval_ms": interval_ms, "runs": {s: [] for s in cases},
           "errors": []}
    if not cases:
        summarize_failover(res)
        return res  # nothing it can run was asked for: the table shows n/a
    lab = new_lab()
    topo = cap = flow = None
    try:
        # br2 is the server's LAN behind both routers; VRRP runs on br1 only.
        topo = Topo(lab, impl, parents=2)
        topo.route_between_parents()
        vrs = _lan_vrs(impl, interval_ms)
        a1, a2 = parent_addr(1, "dev1"), parent_addr(1, "dev2")
        host = topo.add_host(1, HOST_ADDR, gateway=vrs["dev1"][0].vip)
        server = topo.add_host(2, SERVER_ADDR)
        cap = live_capture(topo.sw, "br1", outdir / f"failover-{impl.name}-{interval_ms}.pcap")
        t0 = time.time()
        _start_pair(impl, topo, vrs)
        md1 = master_down_ms(P1, interval_ms) / 1000
        if not wait_steady(cap, a1, a2, interval_ms, t0, md1 + 20):
            raise RuntimeError("dev1 never became the only Master")
        flow = UdpFlow(host, server, SERVER_ADDR, outdir, TRAFFIC_PPS,
                       name=f"flow-{impl.name}-{interval_ms}")
        flow.start()
        lan = (impl, topo, vrs, cap, interval_ms)
        for scen in cases:
            for i in range(runs):
                one = _restart_run if scen in RESTARTS else _failover_run
                res["runs"][scen].append(one(lan, scen, i))
    except Exception as e:
        res["errors"].append(f"{type(e).__name__}: {e}")
        log(f"failover {impl.name} {interval_ms} ms: {traceback.format_exc()}")
    finally:
        if flow is not None:
            flow.stop()
            count_lost(res, flow)
        if cap is not None:
            res["capture"] = cap.stop()
            res["pcap"] = str(cap.pcap)
        res["teardown_problems"] = teardown(topo, lab)
    summarize_failover(res)
    return res


def _trigger(lan, scen, restore: bool):
    impl, topo, vrs, _, _ = lan
    d1 = topo.routers["dev1"]
    if scen == "kill":
        impl.restart(d1, vrs["dev1"]) if restore else impl.kill9(d1)
    elif scen == "linkdown":
        topo.link("dev1", 1, restore)
    elif scen == "track":
        topo.link("dev1", UPLINK_PARENT, restore)
    else:
        impl.unrelease(d1, vrs["dev1"]) if restore else impl.release(d1, vrs["dev1"])


def _failover_run(lan, scen, i) -> dict:
    """One failover: the trigger, dev2's first advertisement, the gap to dev1's last
    advertisement before it (for the tracked uplink: its last one at full priority, since
    dev2 ignores the lowered ones), then the restore until dev1 is the only Master again."""
    impl, topo, vrs, cap, interval_ms = lan
    a1, a2 = parent_addr(1, "dev1"), parent_addr(1, "dev2")
    idx0 = len(cap.snapshot())
    t_ev = time.time()
    _trigger(lan, scen, False)
    t_done = time.time()
    md2 = master_down_ms(P2, interval_ms) / 1000
    new = cap.wait_for(lambda r: r.src == a2 and r.prio > 0, idx0, 2 * md2 + 5)
    run = {"t_event": t_ev, "trigger_ms": (t_done - t_ev) * 1000}
    if new is None:
        run["error"] = "dev2 never advertised"
    else:
        want = (lambda r: r.prio == P1) if scen == "track" else (lambda r: True)
        prev = [r for r in cap.snapshot() if r.src == a1 and r.t < new.t]
        old = next((r for r in reversed(prev) if want(r)), None)
        if old is None:
            run["error"] = "no advertisement of dev1 before dev2's first"
        else:
            run.update(gap_ms=(new.t - old.t) * 1000, old_prio=old.prio,
                       old_minus_event_ms=(old.t - t_ev) * 1000,
                       new_minus_event_ms=(new.t - t_ev) * 1000)
            run["error"] = _failover_problem(scen, old, prev)
            if run["error"] is None:
                del run["error"]
            if isinstance(impl, FrrImpl):
                # split from dev2's log: old advert -> transition -> first advert
                tr = [t for t in impl.transitions_to_master(topo.routers["dev2"])
                      if t > old.t - 0.001]
                if tr:
                    run["transition_after_old_ms"] = (tr[0] - old.t) * 1000
                    run["advert_after_transition_ms"] = (new.t - tr[0]) * 1000
        if scen == "track":
            low = [r.prio for r in prev if r.t > t_ev and 0 < r.prio < P1]
            run["lowered_prio"] = low[0] if low else None
    t_r = time.time()
    run["t_restore"] = t_r
    _trigger(lan, scen, True)
    md1 = master_down_ms(P1, interval_ms) / 1000
    if not wait_steady(cap, a1, a2, interval_ms, t_r, md1 + 20):
        raise RuntimeError(f"{scen} run {i}: dev1 did not take Master back")
    return run


def _failover_problem(scen, old, prev) -> str | None:
    if scen == "prio0" and old.prio != 0:
        return f"last advertisement of dev1 had priority {old.prio}"
    if scen != "prio0" and any(r.prio == 0 for r in prev if r.t >= old.t):
        return "dev1 sent priority 0"
    return None


def _restart_run(lan, scen, i) -> dict:
    """One restart on dev1, the Master: the restart command, then the wire until dev1 is the
    only Master again, plus dev2's Master_Down_Interval (a takeover that comes late, after
    zebra's return say, is still seen). Recorded: whether dev2 advertised (took over), and
    dev1's longest silence around it."""
    impl, topo, vrs, cap, interval_ms = lan
    d1 = topo.routers["dev1"]
    a1, a2 = parent_addr(1, "dev1"), parent_addr(1, "dev2")
    idx0 = len(cap.snapshot())
    t_ev = time.time()
    if scen == "restart":
        impl.restart_daemon(d1, vrs["dev1"])
    elif scen == "reload":
        impl.reload(d1, vrs["dev1"])
    else:
        impl.restart_zebra(d1)
    t_done = time.time()
    md1 = master_down_ms(P1, interval_ms) / 1000
    md2 = master_down_ms(P2, interval_ms) / 1000
    if not wait_steady(cap, a1, a2, interval_ms, t_done, md1 + 20):
        raise RuntimeError(f"{scen} run {i}: dev1 is not the only Master after it")
    time.sleep(md2 + 0.5)
    if not wait_steady(cap, a1, a2, interval_ms, time.time() - md2, md1 + 20):
        raise RuntimeError(f"{scen} run {i}: dev1 lost Master after it")
    t_end = time.time()
    recs = cap.snapshot()
    mine = [r.t for r in recs[:idx0] if r.src == a1 and r.prio > 0][-1:]
    mine += [r.t for r in recs[idx0:] if r.src == a1 and r.prio > 0 and r.t < t_end]
    theirs = [r.t for r in recs[idx0:] if r.src == a2 and r.prio > 0 and r.t < t_end]
    run = {"t_event": t_ev, "trigger_ms": (t_done - t_ev) * 1000, "t_restore": t_end,
           "dev2_adverts": len(theirs), "failover": bool(theirs),
           "dev1_prio0": sum(1 for r in recs[idx0:] if r.src == a1 and r.prio == 0),
           "dev1_silence_ms": max((b - a) * 1000 for a, b in zip(mine, mine[1:]))}
    if theirs:
        run["dev2_first_after_event_ms"] = (theirs[0] - t_ev) * 1000
    return run


def count_lost(res, flow):
    """Per run, the flow's datagrams lost from the trigger to the start of the restore (a
    restart: until dev1 was the only Master again), and for a failover what the detection
    time allows: every datagram sent before the new Master's first advertisement, plus one
    in flight. Then those lost until the next run (a failover: while dev1 took Master back)."""
    runs = sorted((r for rs in res["runs"].values() for r in rs), key=lambda r: r["t_event"])
    for i, r in enumerate(runs):
        t_r = r.get("t_restore")
        if t_r is None:
            continue
        r["lost"] = flow.lost(r["t_event"], t_r)
        # what was at stake: a zero loss means something only if the flow was running
        r["sent"] = flow.sent_in(r["t_event"], t_r)
        if "new_minus_event_ms" in r:
            r["lost_bound"] = math.ceil(r["new_minus_event_ms"] * TRAFFIC_PPS / 1000) + 1
        t_next = runs[i + 1]["t_event"] if i + 1 < len(runs) else flow.last_sent()
        r["lost_handback"] = flow.lost(t_r, t_next)


def summarize_failover(res):
    I = res["interval_ms"]
    res["summary"] = {}
    for scen, runs in res["runs"].items():
        if scen in RESTARTS:
            res["summary"][scen] = _summarize_restarts(runs)
            continue
        gaps = [r["gap_ms"] for r in runs if "gap_ms" in r and "error" not in r]
        th = theory_ms(scen, I)
        s = {"theory_ms": th, "theory_exact_ms": theory_exact_ms(scen, I), "n": len(gaps),
             "errors": [r["error"] for r in runs if "error" in r]}
        if gaps:
            med = statistics.median(gaps)
            s.update(median_ms=med, min_ms=min(gaps), max_ms=max(gaps),
                     dev_ms=med - th, gaps_ms=gaps)
        tr = [r["transition_after_old_ms"] for r in runs if "transition_after_old_ms" in r]
        tx = [r["advert_after_transition_ms"] for r in runs if "advert_after_transition_ms" in r]
        if tr and tx:
            s.update(transition_late_ms=statistics.median(tr) - th,
                     first_advert_after_transition_ms=statistics.median(tx))
        lost = [r for r in runs if "lost" in r and "lost_bound" in r and "error" not in r]
        if lost:
            s.update(lost_median=statistics.median(r["lost"] for r in lost),
                     lost_max=max(r["lost"] for r in lost),
                     lost_bound_median=statistics.median(r["lost_bound"] for r in lost),
                     lost_over_bound=max(r["lost"] - r["lost_bound"] for r in lost),
                     lost_handback_max=max(r.get("lost_handback", 0) for r in lost))
        res["summary"][scen] = s


def _summarize_restarts(runs) -> dict:
    """Lost over the whole restart (there is no bound: without a failover there is no
    detection time), how many runs failed over, dev1's longest silence."""
    s = {"n": len(runs), "failovers": sum(1 for r in runs if r["failover"])}
    done = [r for r in runs if "lost" in r]
    if done:
        s.update(lost_median=statistics.median(r["lost"] for r in done),
                 sent_min=min(r["sent"] for r in done),
                 lost_max=max(r["lost"] for r in done),
                 lost_handback_max=max(r.get("lost_handback", 0) for r in done),
                 silence_median_ms=statistics.median(r["dev1_silence_ms"] for r in done),
                 silence_max_ms=max(r["dev1_silence_ms"] for r in done),
                 trigger_median_ms=statistics.median(r["trigger_ms"] for r in done))
    return s


def precision_session(impl, interval_ms: int, n: int, outdir: Path, skip=3) -> dict:
    res = {"impl": impl.name, "interval_ms": interval_ms, "n": n, "errors": []}
    lab = new_lab()
    topo = cap = None
    try:
        topo = Topo(lab, impl, labels=("dev1",), parents=1)
        vrs = vrs_for("dev1", [1], interval_ms)
        a1 = parent_addr(1, "dev1")
        cap = live_capture(topo.sw, "br1", outdir / f"precision-{impl.name}-{interval_ms}.pcap",
                          bpf=f"ip proto 112 and src host {a1}")
        r = topo.routers["dev1"]
        impl.prepare(r, vrs)
        impl.start(r, vrs)
        need = n + skip
        deadline = (time.monotonic() + master_down_ms(P1, interval_ms) / 1000 + 15
                    + need * interval_ms / 1000 * 1.5)
        while len(cap.snapshot()) < need:
            if time.monotonic() > deadline:
                raise RuntimeError(f"fewer than {need} advertisements")
            time.sleep(0.05)
        recs = cap.snapshot()[skip:skip + n]
        ts = [x.t for x in recs]
        gaps = [(b - a) * 1000 for a, b in zip(ts, ts[1:])]
        res.update(gap_mean_ms=statistics.fmean(gaps), gap_std_ms=statistics.pstdev(gaps),
                   gap_min_ms=min(gaps), gap_max_ms=max(gaps), adverts=n)
        res["gap_abs_err_median_ms"] = statistics.median(abs(g - interval_ms) for g in gaps)
        # drift against the schedule's slots; a stall that skips slots is counted apart
        res.update(schedule_fit(ts, interval_ms))
        res["drift_per_advert_us"] = res["drift_ms"] / (n - 1) * 1000
        # as before 2026-12-03: against the count of advertisements, skipped slots included
        old = schedule_fit(ts, interval_ms, by_count=True)
        res["drift_count_ms"], res["drift_fit_count_ms"] = old["drift_ms"], old["drift_fit_ms"]
    except Exception as e:
        res["errors"].append(f"{type(e).__name__}: {e}")
        log(f"precision {impl.name} {interval_ms} ms: {traceback.format_exc()}")
    finally:
        if cap is not None:
            res["capture"] = cap.stop()
            res["pcap"] = str(cap.pcap)
        res["teardown_problems"] = teardown(topo, lab)
    return res


def _episodes(recs, interval_ms) -> tuple[int, int]:
    """Advertisements from the Backup grouped per (parent, VRID) into episodes: a new episode
    starts after 3 silent intervals. Returns (episodes, VRs affected)."""
    last = {}
    eps = 0
    for r in recs:
        key = (r.iface, r.vrid)
        if key not in last or r.t - last[key] > 3 * interval_ms / 1000:
            eps += 1
        last[key] = r.t
    return eps, len(last)


def scale_session(impl, n_vrs: int, interval_ms: int, window_s: float, conv_timeout: float,
                  outdir: Path, boot: bool = False) -> dict:
    """boot: FRR implementations get their routers through `vtysh -b` and an integrated
    frr.conf, as frrinit boots, instead of vrrpd.conf (keepalived starts as always)."""
    counts = split_counts(n_vrs)
    boot = boot and isinstance(impl, FrrImpl)
    res = {"impl": impl.name, "vrs": n_vrs, "parents": len(counts), "per_parent": counts,
           "interval_ms": interval_ms, "window_s": window_s, "conv_timeout": conv_timeout,
           "start": "vtysh -b" if boot else "config file", "errors": []}
    lab = new_lab()
    topo = None
    caps = []
    try:
        topo = Topo(lab, impl, parents=len(counts))
        d1, d2 = topo.routers["dev1"], topo.routers["dev2"]
        vrs = {lb: vrs_for(lb, counts, interval_ms) for lb in ("dev1", "dev2")}
        for k in range(1, len(counts) + 1):
            caps.append(live_capture(topo.sw, f"br{k}",
                                    outdir / f"scale-{impl.name}-{n_vrs}-br{k}.pcap",
                                    bpf=f"ip proto 112 and src host {parent_addr(k, 'dev2')}"))
        if isinstance(impl, FrrImpl):
            t = time.monotonic()
            for r, lb in ((d1, "dev1"), (d2, "dev2")):
                impl.prepare(r, vrs[lb])
            if boot:
                impl.vtysh_binary()
            res["setup_s"] = time.monotonic() - t
        want = {(v.iface, v.vrid) for v in vrs["dev1"]}
        # both daemons start at once; convergence counts from here
        t0 = time.monotonic()
        errs = []

        def start(r, lb):
            try:
                impl.start(r, vrs[lb], **({"boot": True} if boot else {}))
            except Exception as e:
                errs.append(f"start {lb}: {e}")
        ths = [threading.Thread(target=start, args=(r, lb)) for lb, r in topo.routers.items()]
        for t in ths:
            t.start()
        for t in ths:
            t.join()
        res["start_s"] = time.monotonic() - t0
        if errs:
            raise RuntimeError("; ".join(errs))
        conv = None
        polls = 0
        last = (None, None)
        while time.monotonic() - t0 < conv_timeout:
            left = max(1.0, conv_timeout - (time.monotonic() - t0))
            m = in_role(impl, d1, "dev1", want, timeout=min(10, left))
            b = in_role(impl, d2, "dev2", want, timeout=min(10, left))
            polls += 1
            last = (m, b)
            if m == len(want) and b == len(want):
                conv = time.monotonic() - t0
                break
            time.sleep(0.25)
        # Where the daemons write their state changes to a FIFO, the arrival of the last
        # line that completed the picture is the convergence, not the poll that saw it.
        fifos = [impl.fifo(d1), impl.fifo(d2)]
        if conv is not None and None not in fifos:
            at = [fifos[0].settled_at(want, ROLES["dev1"]),
                  fifos[1].settled_at(want, ROLES["dev2"])]
            if None not in at:
                res["converge_polled_s"] = conv
                conv = max(at) - t0
        res["converge_by"] = "fifo" if "converge_polled_s" in res else "poll"
        res["converge_s"] = conv
        res["converge_last"] = {"dev1_master": last[0], "dev2_backup": last[1]}
        res["polls"] = polls
        if conv is None:
            res["errors"].append(f"not converged within {conv_timeout:g} s: dev1 Master "
                                 f"{last[0]}/{len(want)}, dev2 Backup {last[1]}/{len(want)}")
        time.sleep(1.0)
        # fixed window: CPU (utime+stime) and RSS; false failovers from the captures
        pids = {lb: impl.daemon_pids(r) for lb, r in topo.routers.items()}
        zpids = {lb: impl.zebra_pids(r) for lb, r in topo.routers.items()}
        c0 = {lb: cpu_ticks(p) for lb, p in pids.items()}
        z0 = {lb: cpu_ticks(p) for lb, p in zpids.items()}
        n0 = {lb: cpu_ns(p) for lb, p in pids.items()}
        nz0 = {lb: cpu_ns(p) for lb, p in zpids.items()}
        h0 = host_cpu()
        w0 = time.time()
        m0 = time.monotonic()
        time.sleep(window_s)
        el = time.monotonic() - m0
        w1 = time.time()
        h1 = host_cpu()
        ncpu = os.cpu_count()
        res["host_busy"] = (h1[0] - h0[0]) / max(1, h1[2] - h0[2])  # fraction of all CPUs
        res["host_softirq"] = (h1[1] - h0[1]) / max(1, h1[2] - h0[2])
        res["ncpu"] = ncpu
        c1 = {lb: cpu_ticks(p) for lb, p in pids.items()}
        z1 = {lb: cpu_ticks(p) for lb, p in zpids.items()}
        n1 = {lb: cpu_ns(p) for lb, p in pids.items()}
        nz1 = {lb: cpu_ns(p) for lb, p in zpids.items()}
        res["cpu_s_per_s"] = {lb: (n1[lb] - n0[lb]) / 1e9 / el for lb in pids}
        res["zebra_cpu_s_per_s"] = {lb: (nz1[lb] - nz0[lb]) / 1e9 / el for lb in zpids
                                    if zpids[lb]}
        res["cpu_ticks_s_per_s"] = {lb: (c1[lb] - c0[lb]) / CLK_TCK / el for lb in pids}
        res["zebra_cpu_ticks_s_per_s"] = {lb: (z1[lb] - z0[lb]) / CLK_TCK / el
                                          for lb in zpids if zpids[lb]}
        res["rss_kib"] = {lb: rss_kib(impl.daemon_pids(r)) for lb, r in topo.routers.items()}
        res["zebra_rss_kib"] = {lb: rss_kib(impl.zebra_pids(r))
                                for lb, r in topo.routers.items() if impl.zebra_pids(r)}
        res["alive"] = {lb: bool(impl.daemon_pids(r)) for lb, r in topo.routers.items()}
        time.sleep(0.2)
        recs = sorted((r for c in caps for r in c.snapshot() if w0 <= r.t <= w1),
                      key=lambda r: r.t)
        eps, affected = _episodes(recs, interval_ms)
        res.update(false_failovers=eps, false_failover_vrs=affected, backup_adverts=len(recs))
        res["end_state"] = {"dev1_master": in_role(impl, d1, "dev1", want, timeout=10) or 0,
                            "dev2_backup": in_role(impl, d2, "dev2", want, timeout=10) or 0}
        # no graceful stop here (ours and keepalived remove hundreds of macvlans on SIGTERM):
        # the daemons are killed and the namespaces deleted
        for r in topo.routers.values():
            impl.kill9(r)
    except Exception as e:
        res["errors"].append(f"{type(e).__name__}: {e}")
        log(f"scale {impl.name} {n_vrs}: {traceback.format_exc()}")
    finally:
        res["captures"] = [c.stop() for c in caps]
        res["teardown_problems"] = teardown(topo, lab)
    return res


def _cg_total(path: Path) -> int | None:
    out = subprocess.run(["callgrind_annotate", str(path)], capture_output=True, text=True,
                         timeout=120).stdout
    m = re.search(r"^\s*([\d,]+)\s+\(100\.0%\)\s+PROGRAM TOTALS", out, re.M)
    return int(m.group(1).replace(",", "")) if m else None


def stock_parse_session(interval_ms: int, life_s: float, outdir: Path) -> dict:
    """Stock's packet parser under callgrind, for comparison with the codec part of rx_replay.
    The stock binary is stripped: its receive function is static and nameless, but the parser
    vrrp_pkt_parse_datagram() is exported. A stock Backup runs under callgrind collecting only
    inside that function while a stock Master advertises; each parse checksums the message
    once (in_cksumv), which gives the number of parsed packets."""
    impl = FrrImpl("stock", vrrplab.STOCK_VRRPD, manual_macvlans=True)
    res = {"impl": "stock", "function": "vrrp_pkt_parse_datagram", "errors": []}
    lab = new_lab()
    topo = None
    try:
        topo = Topo(lab, impl, parents=1)
        d1, d2 = topo.routers["dev1"], topo.routers["dev2"]
        vrs = {lb: vrs_for(lb, [1], interval_ms) for lb in ("dev1", "dev2")}
        for r, lb in ((d1, "dev1"), (d2, "dev2")):
            impl.prepare(r, vrs[lb])
        impl.start(d1, vrs["dev1"])
        cgf = d2.workdir / "callgrind.out"
        wrapper = ["valgrind", "--tool=callgrind", f"--callgrind-out-file={cgf}",
                   "--toggle-collect=vrrp_pkt_parse_datagram", "--vgdb=no"]
        errs = []

        def start():
            try:
                impl.start(d2, vrs["dev2"], wrapper=wrapper)
            except Exception as e:
                errs.append(e)
        th = threading.Thread(target=start)
        th.start()
        # callgrind creates its output file as root; the daemon writes it as frr at exit
        deadline = time.monotonic() + 60
        while not cgf.exists() and time.monotonic() < deadline:
            time.sleep(0.02)
        if cgf.exists():
            os.chown(cgf, *vrrplab._frr_ids())
        th.join()
        if errs:
            raise errs[0]
        time.sleep(life_s)
        d2.vrrpd.stop(timeout=60)
        text = cgf.read_text()
        total = _cg_total(cgf)
        # calls into in_cksumv: "cfn=(ID) in_cksumv" once, later "cfn=(ID)" alone
        ids = set(re.findall(r"^c?fn=\((\d+)\) in_cksumv$", text, re.M))
        calls = 0
        lines = text.splitlines()
        for i, ln in enumerate(lines[:-1]):
            m = re.match(r"^cfn=\((\d+)\)", ln)
            if m and m.group(1) in ids and lines[i + 1].startswith("calls="):
                calls += int(lines[i + 1].split("=")[1].split()[0])
        shutil.copy2(cgf, outdir / "callgrind.stock-parse.out")
        res.update(total_ir=total, packets=calls)
        if not total or not calls:
            raise RuntimeError(f"no data (total {total}, parses {calls})")
        res["ir_per_packet"] = total / calls
    except Exception as e:
        res["errors"].append(f"{type(e).__name__}: {e}")
        log(f"stock parse: {traceback.format_exc()}")
    finally:
        res["teardown_problems"] = teardown(topo, lab)
    return res
