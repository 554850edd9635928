# SPDX-License-Identifier: GPL-2.0-or-later
"""Restart, timing and sync-group commands through our vtysh (preempt delay, start-up delay,
graceful restart, sync groups): each round-trips through running-config exactly, `show vrrp` reports it, and bad
values are refused with a '%' message, changing nothing."""

import json

import pytest

from vrrptest import clicheck, vrrplab

BASE = clicheck.SEED

# (commands after "configure terminal", the lines running-config must then show for them)
ROUND_TRIPS = [
    (["interface eth1", "vrrp 5 preempt delay 5"], [" vrrp 5 preempt delay 5"]),
    (["interface eth1", "vrrp 5 preempt delay 3600"], [" vrrp 5 preempt delay 3600"]),
    (["interface eth1", "vrrp 5 preempt delay 5", "vrrp 5 preempt delay 9"],
     [" vrrp 5 preempt delay 9"]),
    (["interface eth1", "vrrp 5 preempt delay 5", "no vrrp 5 preempt delay"], []),
    (["interface eth1", "vrrp 5 preempt delay 5", "no vrrp 5 preempt delay 5"], []),
    # Independent of Preempt_Mode, which keeps its own stock line.
    (["interface eth1", "no vrrp 5 preempt", "vrrp 5 preempt delay 5"],
     [" no vrrp 5 preempt", " vrrp 5 preempt delay 5"]),
    (["vrrp startup-delay 1"], ["vrrp startup-delay 1"]),
    (["vrrp startup-delay 30", "vrrp startup-delay 3600"], ["vrrp startup-delay 3600"]),
    (["vrrp startup-delay 30", "no vrrp startup-delay"], []),
    (["vrrp startup-delay 30", "no vrrp startup-delay 30"], []),
    (["vrrp graceful-restart"], ["vrrp graceful-restart"]),
    (["vrrp graceful-restart", "no vrrp graceful-restart"], []),
    (["vrrp graceful-restart", "vrrp startup-delay 10"],
     ["vrrp startup-delay 10", "vrrp graceful-restart"]),
    (["interface eth1", "vrrp 5 sync-group fw"], [" vrrp 5 sync-group fw"]),
    (["interface eth1", "vrrp 5 checksum-with-ipv4-pseudoheader auto"],
     [" vrrp 5 checksum-with-ipv4-pseudoheader auto"]),
    (["interface eth1", "no vrrp 5 checksum-with-ipv4-pseudoheader",
      "vrrp 5 checksum-with-ipv4-pseudoheader auto"],
     [" no vrrp 5 checksum-with-ipv4-pseudoheader", " vrrp 5 checksum-with-ipv4-pseudoheader auto"]),
    # A fixed mode ends the auto mode, as FRR 8.5's command sets a fixed mode.
    (["interface eth1", "vrrp 5 checksum-with-ipv4-pseudoheader auto",
      "vrrp 5 checksum-with-ipv4-pseudoheader"], []),
    (["interface eth1", "vrrp 5 checksum-with-ipv4-pseudoheader auto",
      "no vrrp 5 checksum-with-ipv4-pseudoheader auto"], []),
    (["interface eth1", "vrrp 5 sync-group fw", "vrrp 5 sync-group lan-wan.1"],
     [" vrrp 5 sync-group lan-wan.1"]),
    (["interface eth1", "vrrp 5 sync-group fw", "no vrrp 5 sync-group"], []),
    (["interface eth1", "vrrp 5 sync-group fw", "no vrrp 5 sync-group fw"], []),
]

REJECTED = [
    ("delay-0", ["interface eth1", "vrrp 5 preempt delay 0"], "% Unknown command"),
    ("delay-3601", ["interface eth1", "vrrp 5 preempt delay 3601"], "% Unknown command"),
    ("delay-word", ["interface eth1", "vrrp 5 preempt delay soon"], "% Unknown command"),
    ("startup-0", ["vrrp startup-delay 0"], "% Unknown command"),
    ("startup-3601", ["vrrp startup-delay 3601"], "% Unknown command"),
    ("graceful-arg", ["vrrp graceful-restart 5"], "% Unknown command"),
    ("sync-bad-name", ["interface eth1", "vrrp 5 sync-group a/b"],
     '% Sync group name "a/b" is not valid: use at most 63 letters, digits and _ . : -'),
    ("sync-long-name", ["interface eth1", "vrrp 5 sync-group " + "x" * 64],
     "is not valid: use at most 63 letters"),
]

OURS = ("vrrp 5 preempt", "no vrrp 5 preempt", "vrrp startup-delay", "vrrp graceful-restart",
        "vrrp 5 sync-group", "vrrp 5 checksum", "no vrrp 5 checksum")



@pytest.fixture
def seeded(lab, vtysh_bin):
    return vrrplab.configured_router(lab, BASE, vtysh_bin)


def our_lines(r):
    return [line for line in r.running_config().splitlines()
            if line.strip().startswith(OURS)]


@pytest.mark.parametrize("cmds,want", ROUND_TRIPS, ids=[str(i) for i in range(len(ROUND_TRIPS))])
def test_round_trip(seeded, vtysh_bin, cmds, want):
    clicheck.check_round_trip(seeded, vtysh_bin, cmds, want, our_lines, restart=True)


def test_show_preempt_delay(seeded, vtysh_bin):
    rc, out = seeded.vtysh("show vrrp json", binary=vtysh_bin)
    assert json.loads(out)[0]["preemptDelay"] == 0
    rc, out = seeded.vtysh_config(["interface eth1", "vrrp 5 preempt delay 7"], binary=vtysh_bin)
    assert (rc, out) == (0, ""), out
    rc, out = seeded.vtysh("show vrrp json", binary=vtysh_bin)
    data = json.loads(out)[0]
    assert data["preemptDelay"] == 7
    # Nobody else on the LAN: no delay runs.
    assert data["v4"]["preemptDelayRemaining"] == 0
    assert data["v4"]["lastTransitionReason"] in ("startup", "master-timeout")
    rc, out = seeded.vtysh("show vrrp", binary=vtysh_bin)
    rows = [" ".join(line.split()) for line in out.splitlines()
            if line.strip().startswith(("Preempt Delay", "Preempt delay left (v4)"))]
    assert rows == ["Preempt Delay 7 s", "Preempt delay left (v4) 0 ms"], out


@pytest.mark.parametrize("cmds,message", [c[1:] for c in REJECTED],
                         ids=[c[0] for c in REJECTED])
def test_rejected_and_unchanged(seeded, vtysh_bin, cmds, message):
    rc, out = seeded.vtysh_config(["vrrp startup-delay 20", "interface eth1",
                                   "vrrp 5 preempt delay 4"], binary=vtysh_bin)
    assert (rc, out) == (0, ""), out
    clicheck.check_rejected(seeded, vtysh_bin, cmds, message)
