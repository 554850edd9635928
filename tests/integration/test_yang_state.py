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
