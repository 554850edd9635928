# SPDX-License-Identifier: GPL-2.0-or-later
"""VRRP timer formulas, the only copy: Skew_Time and Master_Down_Interval of RFC 9568 6.1
(VRRPv3) and RFC 3768 6.1 (VRRPv2), in milliseconds. FRR (stock and ours) computes them in
integer centiseconds; keepalived in microseconds (skew_exact_ms)."""

from __future__ import annotations


def skew_ms(prio: int, interval_ms: int = 1000, version: int = 3) -> int:
    """Skew_Time in ms: ((256 - prio) * X) / 256 centiseconds, X = Master_Adver_Interval (v3)
    or 100 cs (v2: Skew_Time is (256 - Priority) / 256 seconds), integer division as in FRR."""
    x = interval_ms // 10 if version == 3 else 100
    return ((256 - prio) * x // 256) * 10


def master_down_ms(prio: int, interval_ms: int = 1000, version: int = 3) -> int:
    """Master_Down_Interval in ms: 3 * interval + Skew_Time."""
    return 3 * interval_ms + skew_ms(prio, interval_ms, version)


def skew_exact_ms(prio: int, interval_ms: int) -> float:
    """VRRPv3 Skew_Time without rounding (keepalived computes it in microseconds)."""
    return (256 - prio) * interval_ms / 256


def guard_ms(interval_ms: int = 1000) -> int:
    """When the guardian a dead vrrpd leaves behind puts its Master's macvlan into protodown,
    in ms after the last advertisement: 3 * interval - 1 ms, so the macvlan stops answering
    before any Backup's Master_Down_Interval (at least 3 * interval) can run out."""
    return 3 * interval_ms - 1


def startup_master_ms(delay_s: int, prio: int, interval_ms: int = 1000, version: int = 3) -> int:
    """When a lone router becomes Master after its daemon starts with `vrrp startup-delay
    delay_s`: no Master by timeout within the delay, so max(delay, Master_Down_Interval)."""
    return max(delay_s * 1000, master_down_ms(prio, interval_ms, version))


def preempt_delay_master_ms(delay_s: int, prio: int, interval_ms: int = 1000,
                            version: int = 3) -> int:
    """When a Backup with `vrrp N preempt delay delay_s` takes over from a lower-priority
    Master, in ms after it first hears that Master: it accepts the Master for the delay, then
    lets Master_Down_Interval run out. The Master_Down timer restarts with the last
    advertisement accepted, so the takeover comes up to one Master_Adver_Interval earlier."""
    return delay_s * 1000 + master_down_ms(prio, interval_ms, version)


def schedule_fit(ts: list[float], interval_ms: float, by_count: bool = False) -> dict:
    """How a Master's advertisements (arrival times in s) keep their schedule. Each one is
    given its slot on the schedule: the previous one's plus the gap in whole intervals,
    rounded, so that a stall which skips slots (a Master late by more than an interval sends
    once and goes on from its schedule, not a burst) shows as skipped slots, not as drift;
    a per-gap error below half an interval, however it accumulates, stays drift. A gap that
    is not within a quarter of an interval of a whole number (one advertisement late by
    about half an interval, and the gap after it) is measured instead from the last
    advertisement whose own gap was clean, so that one late advertisement does not put the
    next one into its slot. by_count: the k-th advertisement is slot k, as the benchmark
    counted before 2026-12-03. Returns the slots skipped, the drift end to end (last - first
    - slots x interval) and from a least-squares fit of time against slot, in ms, over the
    whole series."""
    slots = [0]
    anchor_t, anchor_slot = ts[0], 0
    for a, b in zip(ts, ts[1:]):
        gap = (b - a) * 1000 / interval_ms
        if by_count:
            slots.append(slots[-1] + 1)
        elif abs(gap - round(gap)) < 0.25:
            slots.append(slots[-1] + round(gap))
            anchor_t, anchor_slot = b, slots[-1]
        else:
            slots.append(anchor_slot + round((b - anchor_t) * 1000 / interval_ms))
    n, span = len(ts), slots[-1]
    xm, tm = sum(slots) / n, sum(ts) / n
    sxx = sum((x - xm) ** 2 for x in slots)
    slope = sum((x - xm) * (t - tm) for x, t in zip(slots, ts)) / sxx if sxx else 0.0
    return {"slots_skipped": span - (n - 1),
            "drift_ms": (ts[-1] - ts[0]) * 1000 - span * interval_ms,
            "drift_fit_ms": (slope * 1000 - interval_ms) * span}
