# SPDX-License-Identifier: GPL-2.0-or-later
"""A Backup held up for longer than its Master_Down_Interval while the Master goes on advertising
(a busy host; here SIGSTOP) must not take over when it runs again: the advertisements that
waited in its socket are read before its Master_Down timer runs out (vrrp_timer.c, after_rx).
Without that, the timerfd and the socket are readable in the same wake-up, and whichever the
event loop serves first decides; with 1,000 routers at 10 ms on a saturated host that was
thousands of false takeovers (bench/README.md, Finding 15)."""

import signal
import time

from vrrptest.capture import adverts
from vrrptest.timing import master_down_ms
from vrrptest.vrrpnet import net, seed_pair, wait_roles

assert net  # imported for pytest: the `net` fixture, used by name

INTERVAL = 100
STALLS = 5


def test_stalled_backup_does_not_take_over(net):
    d1, d2 = seed_pair(net, interval=INTERVAL)
    wait_roles(d1, d2, timeout=master_down_ms(200, INTERVAL) / 1000 + 5)
    before = d2.vr()["v4"]["stats"]["transitions"]
    stall_s = 3 * master_down_ms(200, INTERVAL) / 1000
    cap = net.capture()
    try:
        for _ in range(STALLS):
            d2.vrrpd.signal(signal.SIGSTOP)
            try:
                time.sleep(stall_s)
            finally:
                d2.vrrpd.signal(signal.SIGCONT)
            # More than a Master_Down_Interval awake: a takeover would be on the wire by then.
            time.sleep(2 * master_down_ms(200, INTERVAL) / 1000)
    finally:
        recs = cap.stop()
    from_dev2 = adverts(recs, src=d2.addr4)
    assert not from_dev2, f"dev2 advertised after a stall: {[str(r) for r in from_dev2[:5]]}"
    assert len(adverts(recs, src=d1.addr4)) > 0
    wait_roles(d1, d2, timeout=1)
    assert d2.vr()["v4"]["stats"]["transitions"] == before
