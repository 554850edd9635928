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
