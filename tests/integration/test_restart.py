# SPDX-License-Identifier: GPL-2.0-or-later
"""Restarts of one router's vrrpd without a failover, and the start-up delay, on a real LAN:
a Master whose daemon dies (kill -9) or stops under `vrrp graceful-restart` leaves its macvlan
live, and the next start resumes Master at once (no Master_Down wait, no gratuitous ARP);
without graceful restart SIGTERM releases and removes the macvlan, and the next start is an
ordinary one. The two-router wire view of the same (the Backup never moves) is in the
vrrp_restart topotest."""

import time

import pytest

from vrrptest import vrrplab
from vrrptest.timing import master_down_ms
from vrrptest.vrrpnet import VRID, lines_to_conf, net, vrrp_lines, wait_until

assert net  # imported for pytest: the `net` fixture, used by name

PRIO = 210
# 1 s, as on real LANs: the new daemon must be running before the guardian acts, 3 intervals
# after the last advertisement, which a loaded machine may not manage in 300 ms. A sanitized
# build starts some times slower, so its window is as many times longer (whole centiseconds).
# The start-up delay test needs a Master_Down_Interval well below its delay.
INTERVAL_MS = int(vrrplab.slow(100)) * 10
FAST_MS = 100



def conf(extra_global=(), interval=INTERVAL_MS):
    text = lines_to_conf(vrrp_lines(prio=PRIO, v4=["10.10.10.16"], interval=interval))
    return "".join(f"{g}\n" for g in extra_global) + text


def lone_master(net, config):
    d1 = net.node("dev1", start=False)
    d1.router.start(vrrpd_config=config)
    d1.wait_status("Master", timeout=master_down_ms(PRIO, INTERVAL_MS) / 1000 + 5)
    return d1


def v4(node):
    return node.vr()["v4"]


def mvl(node):
    return v4(node)["interface"]


def test_resume_after_kill9(net):
    d1 = lone_master(net, conf())
    name = mvl(d1)
    d1.kill9()
    # Dead: its macvlan still answers for the address.
    assert not d1.protodown(name)
    d1.start_vrrpd(conf())
    d = wait_until(lambda: (v := v4(d1))["status"] == "Master" and v, 5, "dev1 Master again")
    # Master at once, not after Master_Down_Interval in Backup: one transition, by resume.
    assert d["lastTransitionReason"] == "resumed"
    assert d["stats"]["resumes"] == 1
    assert d["stats"]["transitions"] == 1
    assert d["interface"] == name
    # The LAN knows the addresses with the virtual MAC already.
    assert d["stats"]["garpTx"] == 0
    assert not d1.protodown(name)
    adv = d["stats"]["adverTx"]
    wait_until(lambda: v4(d1)["stats"]["adverTx"] >= adv + 2, 2 * INTERVAL_MS / 1000 + 2,
               "advertisements go on")


def test_resume_after_kill9_at_scale(net):
    """More routers than one reconcile pass creates macvlans for: each must find its earlier
    macvlan, which zebra reports after the parent, and resume, not start as a Backup."""
    n = 40
    lines = []
    for vrid in range(1, n + 1):
        lines += vrrp_lines(vrid=vrid, prio=PRIO, v4=[f"10.10.10.{100 + vrid}"],
                            interval=INTERVAL_MS)
    config = lines_to_conf(lines)
    d1 = net.node("dev1", start=False)
    d1.router.start(vrrpd_config=config)
    wait_until(lambda: all(v["v4"]["status"] == "Master" for v in d1.show_json())
               and len(d1.show_json()) == n,
               master_down_ms(PRIO, INTERVAL_MS) / 1000 + 10, "dev1 Master of all")
    d1.kill9()
    d1.start_vrrpd(config)
    wait_until(lambda: all(v["v4"]["status"] == "Master" for v in d1.show_json())
               and len(d1.show_json()) == n, 5, "dev1 Master of all again")
    reasons = {v["vrid"]: v["v4"]["lastTransitionReason"] for v in d1.show_json()}
    assert set(reasons.values()) == {"resumed"}, reasons


def test_graceful_restart_keeps_master(net, vtysh_bin):
    d1 = lone_master(net, conf())
    d1.configure(["vrrp graceful-restart"], binary=vtysh_bin)
    name = mvl(d1)
    assert d1.vrrpd.stop() < vrrplab.slow(5)
    # No release: the macvlan stays up with the virtual address.
    link = d1.link(name)
    assert "UP" in link["flags"] and not d1.protodown(name)
    addrs = d1.router.ip("-4", "-o", "addr", "show", "dev", name)
    assert "10.10.10.16/24" in addrs, addrs
    assert "keeping macvlan" in d1.vrrpd.log()
    d1.start_vrrpd(conf(["vrrp graceful-restart"]))
    d = wait_until(lambda: (v := v4(d1))["status"] == "Master" and v, 5, "dev1 resumed")
    assert d["lastTransitionReason"] == "resumed" and d["stats"]["resumes"] == 1


def test_sigterm_without_graceful_restart_releases(net):
    d1 = lone_master(net, conf())
    name = mvl(d1)
    d1.vrrpd.stop()
    # Released and removed, as before graceful restart existed.
    assert name not in d1.router.ip("-o", "link", "show")
    d1.start_vrrpd(conf())
    d = wait_until(lambda: (v := v4(d1))["status"] == "Master" and v,
                   master_down_ms(PRIO, INTERVAL_MS) / 1000 + 5, "dev1 Master")
    assert d["lastTransitionReason"] == "master-timeout"
    assert d["stats"]["resumes"] == 0 and d["stats"]["transitions"] == 2


def test_startup_delay_holds_a_lone_router(net):
    delay = 2.0
    d1 = net.node("dev1", start=False)
    t0 = time.monotonic()
    d1.router.start(vrrpd_config=conf([f"vrrp startup-delay {int(delay)}"], FAST_MS))
    mdi = master_down_ms(PRIO, FAST_MS) / 1000
    # Backup, not Master, until the delay ends; Master_Down_Interval alone is far shorter.
    while time.monotonic() - t0 < delay - 0.2:
        st = v4(d1)["status"]
        assert st != "Master", f"Master {time.monotonic() - t0:.2f}s after start"
        time.sleep(0.05)
    assert mdi < delay - 0.5
    wait_until(lambda: v4(d1)["status"] == "Master", 2, "Master once the delay ended")
    assert v4(d1)["lastTransitionReason"] == "master-timeout"
