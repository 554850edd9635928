# SPDX-License-Identifier: GPL-2.0-or-later
"""The checks every command test makes through vtysh: the seed router, a round trip through
running-config (what is printed, applied again or loaded by a restarted daemon, changes
nothing), and a refusal that prints a '%' message and leaves configuration and state as they
were. Written once here so that the tests of each command family only list their cases."""

import json
import re

from . import vrrplab

# The README's router: eth1, VRID 5, priority 210, 10.10.10.16.
SEED = [
    "interface eth1",
    "vrrp 5",
    "vrrp 5 priority 210",
    "vrrp 5 ip 10.10.10.16",
]

_ROUTER_LINE = re.compile(r"(no )?vrrp \d+ ")


def applied(r, binary, lines):
    """Apply configure-mode `lines` through vtysh `binary`; it must take them silently."""
    rc, out = r.vtysh_config(lines, binary=binary)
    assert (rc, out) == (0, ""), out


def as_input(printed):
    """Configure-mode input for running-config lines (indented or not): the global lines
    first, then `interface eth1` with the lines of its routers, in their order."""
    lines = [p.strip() for p in printed]
    globals_ = [p for p in lines if not _ROUTER_LINE.match(p)]
    routers = [p for p in lines if _ROUTER_LINE.match(p)]
    return globals_ + (["interface eth1"] + routers if routers else [])


def check_round_trip(r, binary, cmds, want, lines_of, restart=False):
    """`cmds` make lines_of(r) equal `want`; `want` applied again changes no running-config
    line, and, with `restart`, neither does a daemon started with that running-config."""
    applied(r, binary, cmds)
    assert lines_of(r) == want
    before = r.running_config()
    again = as_input(want)
    if again:
        applied(r, binary, again)
    assert r.running_config() == before
    if restart:
        r.restart_vrrpd(config=before)
        assert r.running_config() == before


def snapshot(r, binary):
    """running-config and what `show vrrp json` says of configuration (counters and timers
    move while a router runs; its macvlans, MAC and addresses do not)."""
    rc, show = r.vtysh("show vrrp json", binary=binary)
    assert rc == 0, show
    data = json.loads(show)
    for vr in data:
        for fam in ("v4", "v6"):
            vr[fam] = {k: v for k, v in vr[fam].items()
                       if k in ("interface", "vmac", "addresses")}
    return r.running_config(), data


def check_rejected(r, binary, cmds, message):
    """`cmds` are refused with `message` in a '%' error; nothing changes and the daemon
    lives."""
    before = snapshot(r, binary)
    rc, out = r.vtysh_config(cmds, binary=binary)
    assert rc != 0, f"accepted: {cmds}\n{out}"
    assert message in out, out
    assert "%" in out, out
    after = snapshot(r, binary)
    assert after[0] == before[0], vrrplab.config_diff(before[0], after[0])
    assert after[1] == before[1]
    assert r.vrrpd.alive()
