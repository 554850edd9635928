# SPDX-License-Identifier: GPL-2.0-or-later
"""The gratuitous ARP / unsolicited NA policy commands through our vtysh: every line form in
running-config exactly (a golden, and its fixed point with `vrrpd -f`), each command's round
trip, `no` forms back to the default, invalid values refused with '%' and nothing changed,
`show vrrp` rows and JSON, and frr-reload.py's deltas."""

import json
import re

import pytest

from vrrptest import clicheck, vrrplab
from test_boot_reload import (delta, integrated, reload, vrrpd_config, vtysh_boot,
                              whole_running_config)

BASE = clicheck.SEED

# Every line form the policy adds to running-config, from commands given in another order, a
# value overridden and one removed.
GOLDEN_INPUT = [
    "vrrp default gratuitous-arp refresh 600",
    "vrrp default gratuitous-arp delay 0",
    "vrrp default gratuitous-arp repeat 5",
    "vrrp default gratuitous-arp repeat 4",
    "vrrp default priority 150",
    "interface eth1",
    "vrrp 5",
    "vrrp 5 gratuitous-arp refresh 86400",
    "vrrp 5 gratuitous-arp delay 3600",
    "vrrp 5 gratuitous-arp repeat 20",
    "vrrp 5 ip 10.10.10.16",
    "vrrp 5 priority 210",
    "vrrp 6 version 2",
    "vrrp 6 gratuitous-arp delay 0",
    "vrrp 6 ip 10.10.10.6",
    "vrrp 7",
    "vrrp 7 ip 10.10.10.7",
    "vrrp 7 gratuitous-arp repeat 1",
    "vrrp 7 gratuitous-arp refresh 0",
    "no vrrp 7 gratuitous-arp repeat",
]

# Global lines after stock's (the order of vrrpd-ext's defaults: repeat, delay, refresh); a
# router's after its stock lines and its other extensions, in the same order.
GOLDEN = """\
vrrp default priority 150
vrrp default gratuitous-arp repeat 4
vrrp default gratuitous-arp delay 0
vrrp default gratuitous-arp refresh 600
!
interface eth1
 vrrp 5
 vrrp 5 priority 210
 vrrp 5 ip 10.10.10.16
 vrrp 5 gratuitous-arp repeat 20
 vrrp 5 gratuitous-arp delay 3600
 vrrp 5 gratuitous-arp refresh 86400
 vrrp 6 version 2
 vrrp 6 ip 10.10.10.6
 vrrp 6 gratuitous-arp delay 0
 vrrp 7
 vrrp 7 ip 10.10.10.7
 vrrp 7 gratuitous-arp refresh 0
exit
!
"""

# (commands after BASE, the gratuitous-arp lines of running-config then, global and VRID 5)
ROUND_TRIPS = [
    (["vrrp 5 gratuitous-arp repeat 3"], ["vrrp 5 gratuitous-arp repeat 3"]),
    (["vrrp 5 gratuitous-arp repeat 1"], ["vrrp 5 gratuitous-arp repeat 1"]),
    # The built-in value, set here: it stays this router's whatever the default becomes.
    (["vrrp 5 gratuitous-arp repeat 2"], ["vrrp 5 gratuitous-arp repeat 2"]),
    (["vrrp 5 gratuitous-arp delay 0"], ["vrrp 5 gratuitous-arp delay 0"]),
    (["vrrp 5 gratuitous-arp delay 3600"], ["vrrp 5 gratuitous-arp delay 3600"]),
    (["vrrp 5 gratuitous-arp refresh 0"], ["vrrp 5 gratuitous-arp refresh 0"]),
    (["vrrp 5 gratuitous-arp refresh 86400"], ["vrrp 5 gratuitous-arp refresh 86400"]),
    (["vrrp 5 gratuitous-arp repeat 3", "vrrp 5 gratuitous-arp repeat 7"],
     ["vrrp 5 gratuitous-arp repeat 7"]),
    (["vrrp 5 gratuitous-arp repeat 3", "no vrrp 5 gratuitous-arp repeat"], []),
    (["vrrp 5 gratuitous-arp delay 9", "no vrrp 5 gratuitous-arp delay 9"], []),
    (["vrrp 5 gratuitous-arp refresh 30", "no vrrp 5 gratuitous-arp refresh 31"], []),
    (["vrrp 5 gratuitous-arp repeat 3", "vrrp 5 gratuitous-arp refresh 30",
      "no vrrp 5 gratuitous-arp repeat"], ["vrrp 5 gratuitous-arp refresh 30"]),
    (["vrrp default gratuitous-arp repeat 3"], ["vrrp default gratuitous-arp repeat 3"]),
    (["vrrp default gratuitous-arp delay 0"], ["vrrp default gratuitous-arp delay 0"]),
    (["vrrp default gratuitous-arp refresh 86400"],
     ["vrrp default gratuitous-arp refresh 86400"]),
    # A default equal to the built-in value is not printed, like `vrrp default priority 100`.
    (["vrrp default gratuitous-arp repeat 2", "vrrp default gratuitous-arp delay 5",
      "vrrp default gratuitous-arp refresh 0"], []),
    (["vrrp default gratuitous-arp repeat 9", "no vrrp default gratuitous-arp repeat"], []),
    (["vrrp default gratuitous-arp delay 1", "no vrrp default gratuitous-arp delay 1"], []),
    (["vrrp default gratuitous-arp refresh 5", "no vrrp default gratuitous-arp refresh 6"], []),
]

# (id, commands after "configure terminal", text that must appear in the output)
REJECTED = [
    ("repeat-0", ["interface eth1", "vrrp 5 gratuitous-arp repeat 0"], "% Unknown command"),
    ("repeat-21", ["interface eth1", "vrrp 5 gratuitous-arp repeat 21"], "% Unknown command"),
    ("delay-3601", ["interface eth1", "vrrp 5 gratuitous-arp delay 3601"],
     "% Unknown command"),
    ("delay-negative", ["interface eth1", "vrrp 5 gratuitous-arp delay -1"],
     "% Unknown command"),
    ("refresh-86401", ["interface eth1", "vrrp 5 gratuitous-arp refresh 86401"],
     "% Unknown command"),
    ("refresh-word", ["interface eth1", "vrrp 5 gratuitous-arp refresh often"],
     "% Unknown command"),
    ("repeat-missing", ["interface eth1", "vrrp 5 gratuitous-arp repeat"],
     "% Command incomplete"),
    ("which-missing", ["interface eth1", "vrrp 5 gratuitous-arp"], "% Command incomplete"),
    ("no-out-of-range", ["interface eth1", "no vrrp 5 gratuitous-arp repeat 21"],
     "% Unknown command"),
    ("default-repeat-0", ["vrrp default gratuitous-arp repeat 0"], "% Unknown command"),
    ("default-delay-3601", ["vrrp default gratuitous-arp delay 3601"], "% Unknown command"),
    ("default-refresh-86401", ["vrrp default gratuitous-arp refresh 86401"],
     "% Unknown command"),
]



@pytest.fixture
def seeded(lab, vtysh_bin):
    return vrrplab.configured_router(lab, BASE, vtysh_bin)


def garp_lines(r):
    return [line.strip() for line in r.running_config().splitlines()
            if "gratuitous-arp" in line]


def show_json(r, binary):
    rc, out = r.vtysh("show vrrp json", binary=binary)
    assert rc == 0, out
    return json.loads(out)


def test_golden_running_config(lab, vtysh_bin):
    r = vrrplab.standard_router(lab)
    rc, out = r.vtysh_config(GOLDEN_INPUT, binary=vtysh_bin)
    assert (rc, out) == (0, ""), out
    got = r.running_config()
    assert got == GOLDEN, vrrplab.config_diff(GOLDEN, got, "golden", "running-config")


def test_golden_fixed_point(lab):
    """vrrpd started with the golden as its -f configuration prints it again."""
    r = vrrplab.standard_router(lab, vrrpd_config=GOLDEN)
    got = r.running_config()
    assert got == GOLDEN, vrrplab.config_diff(GOLDEN, got, "golden", "running-config")


@pytest.mark.parametrize("cmds,want", ROUND_TRIPS, ids=[str(i) for i in range(len(ROUND_TRIPS))])
def test_round_trip(seeded, vtysh_bin, cmds, want):
    lines = ["interface eth1"] + cmds if cmds[0].startswith(("vrrp 5", "no vrrp 5")) else cmds
    clicheck.check_round_trip(seeded, vtysh_bin, lines, want, garp_lines)


@pytest.mark.parametrize("cmds,message", [c[1:] for c in REJECTED],
                         ids=[c[0] for c in REJECTED])
def test_rejected_and_unchanged(seeded, vtysh_bin, cmds, message):
    rc, out = seeded.vtysh_config(["interface eth1", "vrrp 5 gratuitous-arp repeat 3"],
                                  binary=vtysh_bin)
    assert rc == 0, out
    clicheck.check_rejected(seeded, vtysh_bin, cmds, message)


def show_rows(text):
    """`show vrrp` rows as (label, value), and the column where values start."""
    start = re.match(r"^ Virtual Router ID\s+", next(
        ln for ln in text.splitlines() if ln.startswith(" Virtual Router ID"))).end()
    rows = [(ln[:start].strip(), ln[start:].strip()) for ln in text.splitlines()
            if ln.strip()]
    return rows, start


def test_show_policy_in_effect(seeded, vtysh_bin):
    """Text: three rows at the end; JSON: `gratuitousArp` after every other key. Without any
    setting, the built-in policy."""
    rc, text = seeded.vtysh("show vrrp", binary=vtysh_bin)
    rows, start = show_rows(text)
    assert rows[-3:] == [("Gratuitous ARP repeat", "2"), ("Gratuitous ARP delay", "5 s"),
                         ("Gratuitous ARP refresh", "off")], text
    # The rows FRR 8.4 prints are byte for byte what they were: ttable pads every row to its
    # widest cells, and ours are never the widest of either column.
    ours, theirs = rows[-3:], rows[:-3]
    assert max(len(label) for label, _ in ours) < start - 3
    assert max(len(v) for _, v in ours) <= max(len(v) for _, v in theirs)
    vr = show_json(seeded, vtysh_bin)[0]
    assert list(vr)[-2:] == ["tracked", "gratuitousArp"], list(vr)
    assert vr["gratuitousArp"] == {"repeat": 2, "delay": 5, "refresh": 0}

    # The router's own values, and a global default for the one it does not set.
    rc, out = seeded.vtysh_config(["vrrp default gratuitous-arp refresh 86400",
                                   "vrrp default gratuitous-arp repeat 9",
                                   "interface eth1", "vrrp 5 gratuitous-arp repeat 20",
                                   "vrrp 5 gratuitous-arp delay 0"], binary=vtysh_bin)
    assert (rc, out) == (0, ""), out
    rc, text = seeded.vtysh("show vrrp", binary=vtysh_bin)
    rows, start = show_rows(text)
    assert rows[-3:] == [("Gratuitous ARP repeat", "20"), ("Gratuitous ARP delay", "off"),
                         ("Gratuitous ARP refresh", "86400 s")], text
    assert show_json(seeded, vtysh_bin)[0]["gratuitousArp"] == {"repeat": 20, "delay": 0,
                                                                  "refresh": 86400}
    # Back to the defaults: the global ones, then the built-in ones.
    rc, out = seeded.vtysh_config(["interface eth1", "no vrrp 5 gratuitous-arp repeat",
                                   "no vrrp 5 gratuitous-arp delay"], binary=vtysh_bin)
    assert show_json(seeded, vtysh_bin)[0]["gratuitousArp"] == {"repeat": 9, "delay": 5,
                                                                  "refresh": 86400}
    rc, out = seeded.vtysh_config(["no vrrp default gratuitous-arp refresh",
                                   "no vrrp default gratuitous-arp repeat 9"], binary=vtysh_bin)
    assert (rc, out) == (0, ""), out
    assert show_json(seeded, vtysh_bin)[0]["gratuitousArp"] == {"repeat": 2, "delay": 5,
                                                                  "refresh": 0}


def test_boot_and_reload(lab, vtysh_bin):
    """An integrated frr.conf with the policy boots with every line, and frr-reload.py's
    deltas for a changed, a removed and a new setting are exactly those lines (a removed
    setting by its `no` form with the value, which the command accepts)."""
    r = lab.router()
    r.add_stub("eth1", ["10.10.10.15/24"])
    r.start()
    integrated(r, GOLDEN)
    cp = vtysh_boot(r, vtysh_bin)
    assert cp.returncode == 0, cp.stdout + (cp.stderr or "")
    assert vrrpd_config(r) == GOLDEN

    def edit(text):
        return text.replace(" vrrp 5 gratuitous-arp repeat 20\n",
                            " vrrp 5 gratuitous-arp repeat 3\n").replace(
            "vrrp default gratuitous-arp delay 0\n", "").replace(
            " vrrp 7 gratuitous-arp refresh 0\n", " vrrp 7 gratuitous-arp delay 1\n")
    changed = edit(whole_running_config(r, vtysh_bin))
    cp = reload(r, vtysh_bin, changed, "--test")
    assert cp.returncode == 0, cp.stdout + (cp.stderr or "")
    dels, adds = delta(cp.stdout)
    assert sorted(dels) == sorted([
        "interface eth1: no vrrp 5 gratuitous-arp repeat 20",
        "interface eth1: no vrrp 7 gratuitous-arp refresh 0",
        "no vrrp default gratuitous-arp delay 0",
    ]), cp.stdout
    assert sorted(adds) == sorted([
        "interface eth1: vrrp 5 gratuitous-arp repeat 3",
        "interface eth1: vrrp 7 gratuitous-arp delay 1",
    ]), cp.stdout
    cp = reload(r, vtysh_bin, changed, "--reload")
    assert cp.returncode == 0, cp.stdout + (cp.stderr or "")
    assert vrrpd_config(r) == edit(GOLDEN)
    assert delta(reload(r, vtysh_bin, changed, "--test").stdout) == ([], [])
