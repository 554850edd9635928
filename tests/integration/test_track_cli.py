# SPDX-License-Identifier: GPL-2.0-or-later
"""Tracking commands through our vtysh: each one round-trips through running-config exactly,
`show vrrp` lists the trackers, and invalid input is refused with a clear '%' message without
changing anything (running-config and `show vrrp json`)."""

import json

import pytest

from vrrptest import clicheck, vrrplab

BASE = clicheck.SEED

# (commands after BASE, the vrrp lines of eth1 that running-config must then show)
ROUND_TRIPS = [
    (["vrrp 5 track interface wan0 decrement 20"],
     ["vrrp 5 track interface wan0 decrement 20"]),
    (["vrrp 5 track interface wan0"], ["vrrp 5 track interface wan0"]),
    (["vrrp 5 track interface wan0 decrement 20", "vrrp 5 track interface wan0"],
     ["vrrp 5 track interface wan0"]),
    (["vrrp 5 track interface wan0", "vrrp 5 track interface wan0 decrement 7"],
     ["vrrp 5 track interface wan0 decrement 7"]),
    (["vrrp 5 track interface wan0 decrement 20", "no vrrp 5 track interface wan0"], []),
    (["vrrp 5 track interface wan0 decrement 20",
      "no vrrp 5 track interface wan0 decrement 20"], []),
    (["vrrp 5 track route 0.0.0.0/0 decrement 50"],
     ["vrrp 5 track route 0.0.0.0/0 decrement 50"]),
    (["vrrp 5 track route 198.51.100.0/24"], ["vrrp 5 track route 198.51.100.0/24"]),
    (["vrrp 5 track route 2001:db8::/32 decrement 254"],
     ["vrrp 5 track route 2001:db8::/32 decrement 254"]),
    (["vrrp 5 track route ::/0", "no vrrp 5 track route ::/0"], []),
    (["vrrp 5 track interface wan0 decrement 1", "vrrp 5 track interface wan1",
      "vrrp 5 track route 0.0.0.0/0 decrement 10"],
     ["vrrp 5 track interface wan0 decrement 1", "vrrp 5 track interface wan1",
      "vrrp 5 track route 0.0.0.0/0 decrement 10"]),
]

# (id, commands after "configure terminal", text that must appear in the output)
REJECTED = [
    ("decrement-0", ["interface eth1", "vrrp 5 track interface wan0 decrement 0"],
     "% Unknown command"),
    ("decrement-255", ["interface eth1", "vrrp 5 track interface wan0 decrement 255"],
     "% Unknown command"),
    ("route-decrement-0", ["interface eth1", "vrrp 5 track route 0.0.0.0/0 decrement 0"],
     "% Unknown command"),
    ("host-bits", ["interface eth1", "vrrp 5 track route 10.1.2.3/24"],
     "10.1.2.3/24 has host bits set; did you mean 10.1.2.0/24?"),
    ("host-bits-v6", ["interface eth1", "vrrp 5 track route 2001:db8::1/64 decrement 5"],
     "2001:db8::1/64 has host bits set; did you mean 2001:db8::/64?"),
    ("own-parent", ["interface eth1", "vrrp 5 track interface eth1 decrement 10"],
     "eth1 is the interface of VRID 5 itself"),
    ("own-macvlan", ["interface eth1", "vrrp 5 track interface MVL4"],
     "is a macvlan of VRID 5 on eth1; a router cannot track its own macvlan"),
    ("own-macvlan-v6", ["interface eth1", "vrrp 5 track interface MVL6"],
     "is a macvlan of VRID 5 on eth1; a router cannot track its own macvlan"),
]



@pytest.fixture
def seeded(lab, vtysh_bin):
    return vrrplab.configured_router(lab, BASE, vtysh_bin)


def vrrp_lines(r):
    return [line.strip() for line in r.running_config().splitlines()
            if line.strip().startswith("vrrp 5 track")]


@pytest.mark.parametrize("cmds,want", ROUND_TRIPS, ids=[str(i) for i in range(len(ROUND_TRIPS))])
def test_round_trip(seeded, vtysh_bin, cmds, want):
    clicheck.check_round_trip(seeded, vtysh_bin, ["interface eth1"] + cmds, want, vrrp_lines)


def test_show_lists_trackers(seeded, vtysh_bin):
    rc, out = seeded.vtysh_config(["interface eth1", "vrrp 5 track interface nosuch0 decrement 20",
                                   "vrrp 5 track interface lo", "vrrp 5 track route 0.0.0.0/0"],
                                  binary=vtysh_bin)
    assert (rc, out) == (0, ""), out
    rc, out = seeded.vtysh("show vrrp json", binary=vtysh_bin)
    data = json.loads(out)[0]
    # After every key of FRR 8.4 (the last is v6); later extensions may follow it.
    assert list(data).index("tracked") > list(data).index("v6"), list(data)
    assert data["tracked"] == [
        {"object": "interface nosuch0", "state": "down", "decrement": 20},
        {"object": "interface lo", "state": "up", "decrement": 0},
        {"object": "route 0.0.0.0/0", "state": "down", "decrement": 0},
    ]
    # No default route in the namespace: stopped by the route tracker; nosuch0 costs 20.
    assert data["v4"]["notRunningReason"] == "tracked route 0.0.0.0/0 is down"
    rc, out = seeded.vtysh("show vrrp", binary=vtysh_bin)
    rows = [" ".join(line.split()) for line in out.splitlines()
            if line.strip().startswith("Tracked")]
    assert rows == ["Tracked interface nosuch0 down, decrement 20",
                    "Tracked interface lo up, stops the router",
                    "Tracked route 0.0.0.0/0 down, stops the router"], out
    # Effective priority without the route tracker: 210 - 20.
    rc, out = seeded.vtysh_config(["interface eth1", "no vrrp 5 track route 0.0.0.0/0"],
                                  binary=vtysh_bin)
    rc, out = seeded.vtysh("show vrrp json", binary=vtysh_bin)
    assert json.loads(out)[0]["v4"]["effectivePriority"] == 190


@pytest.mark.parametrize("cmds,message", [c[1:] for c in REJECTED],
                         ids=[c[0] for c in REJECTED])
def test_rejected_and_unchanged(seeded, vtysh_bin, cmds, message):
    mvl = {}
    rc, out = seeded.vtysh("show vrrp json", binary=vtysh_bin)
    for fam in ("v4", "v6"):
        mvl[fam] = json.loads(out)[0][fam]["interface"]
    # The macvlan names: ours as created (vrrp4-<ifindex>-5), or the name it will get.
    ifindex = seeded.ifindex("eth1")
    names = {"MVL4": mvl["v4"] or f"vrrp4-{ifindex}-5", "MVL6": f"vrrp6-{ifindex}-5"}
    cmds = [" ".join(names.get(w, w) for w in c.split()) for c in cmds]
    clicheck.check_rejected(seeded, vtysh_bin, cmds, message)
