# SPDX-License-Identifier: GPL-2.0-or-later
"""YANG operational state (frr-vrrpd counters and vrrpd-ext rx-drops) agrees with show vrrp json."""

import json
import time

from vrrptest import vrrplab


def vrrp_state(r):
    rc, out = r.vtysh("show yang operational-data /frr-interface:lib vrrpd")
    assert rc == 0, out
    for ifc in json.loads(out)["frr-interface:lib"]["interface"]:
        if ifc["name"] == "eth1":
            return ifc["frr-vrrpd:vrrp"]["vrrp-group"][0]
    raise AssertionError(out)


def test_counters_and_drops_in_yang(lab):
    r1 = lab.router()
    r2 = lab.router()
    lab.veth(r1, "eth1", r2, "eth1", ["10.10.10.15/24"], ["10.10.10.10/24"])
    r1.start(vrrpd_config="interface eth1\n vrrp 5\n vrrp 5 priority 210\n"
             " vrrp 5 advertisement-interval 100\n vrrp 5 ip 10.10.10.16\n")
    # r2 runs VRRPv2 for the same VRID: every advertisement of r1 is a version mismatch.
    r2.start(vrrpd_config="interface eth1\n vrrp 5 version 2\n vrrp 5 ip 10.10.10.16\n")
    t0 = time.monotonic()
    while time.monotonic() - t0 < 10:
        d = json.loads(r2.vtysh("show vrrp json")[1])[0]["v4"]
        if d["rxDrops"]["versionMismatch"] >= 3:
            break
        time.sleep(0.1)
    r1.vrrpd.stop()  # freeze the counters
    time.sleep(0.3)
    js = json.loads(r2.vtysh("show vrrp json")[1])[0]["v4"]
    y = vrrp_state(r2)["v4"]
    assert js["rxDrops"]["versionMismatch"] >= 3, js
    assert y["vrrpd-ext:rx-drops"]["version-mismatch"] == js["rxDrops"]["versionMismatch"]
    for key, val in js["rxDrops"].items():
        leaf = "".join("-" + c.lower() if c.isupper() else c for c in key)
        assert y["vrrpd-ext:rx-drops"][leaf] == val, (key, y)
    assert y["counter"]["rx"]["advertisement"] == js["stats"]["adverRx"]
    assert y["counter"]["tx"]["advertisement"] == js["stats"]["adverTx"]
    assert y["counter"]["state-transition"] == js["stats"]["transitions"]
    assert y["state"] == js["status"]
    assert y["skew-time"] * 10 == js["skewTime"]
    assert y["vrrp-interface"] == js["interface"]
    assert y["source-address"] == "10.10.10.10"


def test_priority_zero_counters(lab):
    """A Master's release (vrrp 5 shutdown) counts one priority-0 advertisement sent on the
    Master and one received on the Backup, in show vrrp json and in YANG state alike."""
    r1 = lab.router()
    r2 = lab.router()
    lab.veth(r1, "eth1", r2, "eth1", ["10.10.10.15/24"], ["10.10.10.10/24"])
    r1.start(vrrpd_config="interface eth1\n vrrp 5\n vrrp 5 priority 210\n"
             " vrrp 5 advertisement-interval 100\n vrrp 5 ip 10.10.10.16\n")
    r2.start(vrrpd_config="interface eth1\n vrrp 5\n vrrp 5 advertisement-interval 100\n"
             " vrrp 5 ip 10.10.10.16\n")
    t0 = time.monotonic()
    while time.monotonic() - t0 < 10:
        s1 = json.loads(r1.vtysh("show vrrp json")[1])[0]["v4"]["status"]
        s2 = json.loads(r2.vtysh("show vrrp json")[1])[0]["v4"]["status"]
        if (s1, s2) == ("Master", "Backup"):
            break
        time.sleep(0.1)
    assert (s1, s2) == ("Master", "Backup")
    rc, out = r1.vtysh("configure terminal", "interface eth1", "vrrp 5 shutdown")
    assert rc == 0, out
    t0 = time.monotonic()
    while time.monotonic() - t0 < 10:
        j2 = json.loads(r2.vtysh("show vrrp json")[1])[0]["v4"]
        if j2["status"] == "Master":
            break
        time.sleep(0.1)
    j1 = json.loads(r1.vtysh("show vrrp json")[1])[0]["v4"]
    j2 = json.loads(r2.vtysh("show vrrp json")[1])[0]["v4"]
    assert j1["priorityZeroTx"] == 1 and j1["priorityZeroRx"] == 0, j1
    assert j2["priorityZeroRx"] == 1 and j2["priorityZeroTx"] == 0, j2
    assert j2["actions"]["rx-prio0"] == 1, j2["actions"]
    # A new Master's first send may meet its macvlan still in protodown (counted as linkDown,
    # then retried); nothing else may fail on a veth.
    assert set(j1["txErrors"]) == {"linkDown", "noBuffer", "other"}, j1
    assert j1["txErrors"]["noBuffer"] == j1["txErrors"]["other"] == 0, j1
    for r, j in ((r1, j1), (r2, j2)):
        y = vrrp_state(r)["v4"]
        assert y["vrrpd-ext:priority-zero-pkts-rcvd"] == j["priorityZeroRx"], y
        assert y["vrrpd-ext:priority-zero-pkts-sent"] == j["priorityZeroTx"], y


# Paths that start inside the lists, at each level down to a family's state and one leaf.
INNER = "/frr-interface:lib/interface[name='eth1']/frr-vrrpd:vrrp"
INNER_PATHS = [
    INNER,
    f"{INNER}/vrrp-group[virtual-router-id='5']",
    f"{INNER}/vrrp-group[virtual-router-id='5']/v4",
    f"{INNER}/vrrp-group[virtual-router-id='5']/v4/current-priority",
    f"{INNER}/vrrp-group[virtual-router-id='5']/v6/state",
]


def test_operational_data_from_inside_the_lists(lab):
    """`show yang operational-data` with a path into the list (a router, its family, one
    leaf) never kills the daemon (it did: libfrr 8.4 hands the getters no list entry for such
    a path), a family's container answers with its state, and a VRID or interface that does
    not exist answers nothing."""
    r = lab.router()
    r.add_stub("eth1", ["10.10.10.15/24"])
    r.start(vrrpd_config="interface eth1\n vrrp 5\n vrrp 5 priority 210\n"
            " vrrp 5 ip 10.10.10.16\n")
    for path in INNER_PATHS:
        rc, out = r.vtysh(f"show yang operational-data {path} vrrpd")
        assert rc == 0 and r.vrrpd.alive(), f"{path}: rc={rc}\n{out}"
        # What answers is checked below: libfrr 8.4 answers a container or list entry above
        # the family empty, and refuses a leaf with a message.
    rc, out = r.vtysh(f"show yang operational-data {INNER_PATHS[2]} vrrpd")
    v4 = json.loads(out)["frr-interface:lib"]["interface"][0]["frr-vrrpd:vrrp"][
        "vrrp-group"][0]["v4"]
    assert v4["current-priority"] == 210, out
    for path in (f"{INNER}/vrrp-group[virtual-router-id='9']/v4",
                 "/frr-interface:lib/interface[name='eth9']/frr-vrrpd:vrrp/"
                 "vrrp-group[virtual-router-id='5']/v4"):
        rc, out = r.vtysh(f"show yang operational-data {path} vrrpd")
        assert r.vrrpd.alive(), f"{path}: vrrpd died\n{out}"


def test_notify_counters_in_yang(lab):
    """A lone router with a notify script that always fails and a FIFO nobody reads: its two
    state changes (Initialize -> Backup -> Master) are sent to the notifier, both script runs
    fail and both FIFO lines are dropped; YANG state says what show vrrp json says."""
    r = lab.router()
    r.add_stub("eth1", ["10.10.10.15/24"])
    fifo = r.workdir / "notify.fifo"
    r.start(vrrpd_config=f"vrrp notify script /bin/false\nvrrp notify fifo {fifo}\n"
            "interface eth1\n vrrp 5\n vrrp 5 advertisement-interval 100\n"
            " vrrp 5 ip 10.10.10.16\n")
    t0 = time.monotonic()
    while time.monotonic() - t0 < vrrplab.slow(10):
        js = json.loads(r.vtysh("show vrrp json")[1])[0]
        if js["notifyScriptsFailed"] >= 2 and js["notifyFifoDropped"] >= 2:
            break
        time.sleep(0.1)
    assert js["v4"]["status"] == "Master", js
    assert (js["notifySent"], js["notifyDropped"], js["notifyFifoDropped"],
            js["notifyScriptsSucceeded"], js["notifyScriptsFailed"]) == (2, 0, 2, 0, 2), js
    y = vrrp_state(r)["vrrpd-ext:notify"]["counters"]
    assert y == {"sent": 2, "dropped": 0, "fifo-lines-dropped": 2, "scripts-succeeded": 0,
                 "scripts-failed": 2}, y
