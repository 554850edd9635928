# SPDX-License-Identifier: GPL-2.0-or-later
"""A router starts on the macvlan it creates as soon as the kernel has made it, not when zebra
reports it: with zebra stopped (SIGSTOP) before the macvlans exist, 50 autocreated routers
still become Master one Master_Down_Interval after their creation, with the virtual addresses
at the parent's prefix length. Once zebra runs again its late reports change nothing."""

import json
import re
import signal
import time
from datetime import datetime

from vrrptest.macvlan import macvlan_name
from vrrptest.timing import master_down_ms

N = 50
PRIO = 254
# `vrrp default macvlan-autocreate delay`: the routers wait this long before creating their
# macvlans, which leaves time to stop zebra after it has reported the parent.
DELAY_S = 5
# A timer that fires Master_Down_Interval after the router's start shows up in the log up to
# this much later on the shared 2-core host (wake-up, the other routers' work in the same
# pass, the log write); zebra's report, which the routers waited for before, never comes here.
MARGIN_MS = 1000
VRIDS = range(1, N + 1)
TS = re.compile(r"^(\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\.\d{6}) ")


def config(logfile) -> str:
    # --log file: keeps whole seconds; a file target of the configuration takes the precision.
    lines = [f"log file {logfile}", "log timestamp precision 6", "debug vrrp zebra", "debug vrrp protocol",
             f"vrrp default macvlan-autocreate delay {DELAY_S}", "interface eth1"]
    for v in VRIDS:
        lines += [f" vrrp {v}", f" vrrp {v} priority {PRIO}", f" vrrp {v} ip 10.10.10.{100 + v}"]
    return "\n".join(lines) + "\n"


def stamp(line: str) -> float:
    m = TS.match(line)
    assert m, line
    return datetime.strptime(m.group(1), "%Y/%m/%d %H:%M:%S.%f").timestamp()


def events(log: str, what: str) -> dict[int, float]:
    """VRID -> time of the first log line of that VRID containing what."""
    out = {}
    for line in log.splitlines():
        m = re.search(r"\[VRID (\d+)\] \[IPv4\] eth1: (.*)", line)
        if m and what in m.group(2) and int(m.group(1)) not in out:
            out[int(m.group(1))] = stamp(line)
    return out


def wait_for(cond, timeout: float, what: str, step=0.05):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        if cond():
            return
        time.sleep(step)
    raise AssertionError(f"timed out after {timeout} s waiting for {what}")


def proc_state(pid: int) -> str:
    with open(f"/proc/{pid}/stat") as f:
        return f.read().rsplit(")", 1)[1].split()[0]


def statuses(r) -> dict[int, str]:
    rc, out = r.vtysh("show vrrp json", daemon="vrrpd")
    assert rc == 0, out
    return {e["vrid"]: e["v4"]["status"] for e in json.loads(out)}


def test_masters_while_zebra_is_stopped(lab):
    r = lab.router()
    r.add_stub("eth1", ["10.10.10.15/24"])
    uslog = r.workdir / "vrrpd-us.log"
    r.start(vrrpd_config=config(uslog))
    vd, zd = r.vrrpd, r.zebra

    def vlog():
        return uslog.read_text(errors="replace") if uslog.exists() else ""
    # Zebra has reported eth1 and its address: every router waits only for the delay.
    wait_for(lambda: len(events(vlog(), "waiting before creating one")) == N, 10,
             "all routers waiting to create their macvlans")
    zd.signal(signal.SIGSTOP)
    try:
        wait_for(lambda: proc_state(zd.pid) == "T", 5, "zebra to stop")
        t_stop = time.time()
        assert not events(vlog(), "created macvlan"), \
            "macvlans were created before zebra stopped: the delay is too short for the host"

        wait_for(lambda: len(events(vlog(), "-> Master")) == N,
                 DELAY_S + master_down_ms(PRIO) / 1000 + 20, "every router Master")
        log = vlog()
        created, master = events(log, "created macvlan"), events(log, "-> Master")
        assert proc_state(zd.pid) == "T"
        assert min(created.values()) > t_stop
        late = {v: round((master[v] - created[v]) * 1000) for v in VRIDS
                if (master[v] - created[v]) * 1000 > master_down_ms(PRIO) + MARGIN_MS}
        assert not late, f"Master later than Master_Down_Interval + {MARGIN_MS} ms: {late}"
        spread = [round((master[v] - created[v]) * 1000) for v in VRIDS]
        print(f"created -> Master: {min(spread)}..{max(spread)} ms "
              f"(Master_Down_Interval {master_down_ms(PRIO)} ms), zebra stopped throughout")
        # What a Master does, seen in the kernel: its macvlan is live and has the address.
        links = {ln["ifname"]: ln for ln in json.loads(r.ip("-j", "-d", "link", "show"))}
        idx = r.ifindex("eth1")
        for v in VRIDS:
            ln = links[macvlan_name("v4", idx, v)]
            assert not ln.get("proto_down", False) and ln["operstate"] == "UP", ln
        addrs = r.ip("-o", "-4", "addr", "show")
        for v in VRIDS:
            assert f"{macvlan_name('v4', idx, v)}    inet 10.10.10.{100 + v}/24" in addrs, addrs
        assert set(statuses(r).values()) == {"Master"}
    finally:
        zd.signal(signal.SIGCONT)

    # Zebra works through the backlog; its reports must agree and change nothing.
    names = [macvlan_name("v4", r.ifindex("eth1"), v) for v in VRIDS]

    def zebra_knows():
        rc, out = r.vtysh("show interface brief", daemon="zebra")
        return rc == 0 and all(re.search(rf"^{n}\s+up\b", out, re.M) for n in names)
    wait_for(zebra_knows, 30, "zebra to report every macvlan up")
    t_cont = time.time()

    def caught_up():
        log = vlog()
        return all(re.search(rf"caught up with interface {n}$", log, re.M) for n in names)
    wait_for(caught_up, 30, "the daemon to see zebra agree on every macvlan")
    time.sleep(1)
    after = [ln for ln in vlog().splitlines() if TS.match(ln) and stamp(ln) >= t_cont]
    bad = [ln for ln in after if re.search(r"Master ->|not running|continuing as", ln)]
    assert not bad, "zebra's late reports disturbed the routers:\n" + "\n".join(bad[:10])
    assert set(statuses(r).values()) == {"Master"}
