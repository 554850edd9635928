# SPDX-License-Identifier: GPL-2.0-or-later
"""Who is Master, and what happened when: on the seed's LAN (dev1 210, dev2 200, 100 ms
advertisements), dev2 shows dev1's address and priority while Backup; after kill -9 of dev1's
vrrpd, `show vrrp events json` on dev2 lists the takeover with reason master-timeout and the
old Master's address, and dev1's return as the preemption of dev2."""

import json

import pytest

from vrrptest import vrrplab
from vrrptest.timing import master_down_ms
from vrrptest.vrrpnet import VRID, net, seed_lines, seed_pair, wait_roles, wait_until

assert net  # imported for pytest: the `net` fixture, used by name

INTERVAL = 100



def events(node, binary):
    rc, out = node.router.vtysh(f"show vrrp interface eth1 {VRID} events json", binary=binary)
    assert rc == 0, out
    data = json.loads(out)
    assert [(d["interface"], d["vrid"]) for d in data] == [("eth1", VRID)]
    return data[0]["v4"]


def test_master_seen_and_events(net, vtysh_bin):
    d1, d2 = seed_pair(net, interval=INTERVAL)
    wait_roles(d1, d2, timeout=master_down_ms(200, INTERVAL) / 1000 + 5)
    b = d2.vr()["v4"]
    assert (b["masterAddress"], b["masterPriority"]) == (d1.addr4, 210)
    m = d1.vr()["v4"]
    assert (m["masterAddress"], m["masterPriority"]) == (d1.addr4, 210)
    rows = {" ".join(ln.split()[:2]): " ".join(ln.split()[2:])
            for ln in d2.show_text().splitlines() if ln.strip().startswith("Master (v4)")}
    assert rows == {"Master (v4)": f"{d1.addr4}, priority 210"}, d2.show_text()

    d1.kill9()
    d2.wait_status("Master", timeout=master_down_ms(200, INTERVAL) / 1000 + 3)
    evs = events(d2, vtysh_bin)
    take = evs[-1]
    assert (take["from"], take["to"], take["reason"]) == ("Backup", "Master", "master-timeout")
    assert (take["previousMaster"], take["previousMasterPriority"]) == (d1.addr4, 210)
    assert (take["master"], take["masterPriority"]) == (d2.addr4, 200)
    assert evs[0]["reason"] == "startup"
    assert take["timestamp"] >= evs[0]["timestamp"]

    # dev1 comes back (after its guardian or not: it preempts either way) and wins again.
    d1.start_vrrpd(vrrplab_conf())
    wait_roles(d1, d2, timeout=master_down_ms(210, INTERVAL) / 1000 + 5)
    back = events(d2, vtysh_bin)[-1]
    assert (back["from"], back["to"], back["reason"]) == ("Master", "Backup", "higher-priority")
    assert (back["master"], back["masterPriority"]) == (d1.addr4, 210)
    assert (back["previousMaster"], back["previousMasterPriority"]) == (d2.addr4, 200)
    rc, out = d2.router.vtysh("show vrrp events", binary=vtysh_bin)
    assert "higher-priority" in out and "master-timeout" in out, out


def vrrplab_conf():
    from vrrptest.vrrpnet import lines_to_conf
    return lines_to_conf(seed_lines(prio=210, interval=INTERVAL))
