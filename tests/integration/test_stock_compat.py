# SPDX-License-Identifier: GPL-2.0-or-later
"""Side by side: the same configuration applied to stock vrrpd and to ours gives identical output."""

import pytest

from vrrptest import vrrplab
from conftest import BINARIES

pytestmark = pytest.mark.compat

# Every configuration command, including the "no" forms, applied through vtysh.
CONFIG = """
vrrp autoconfigure
vrrp autoconfigure version 2
no vrrp autoconfigure
vrrp autoconfigure version 3
vrrp autoconfigure version 2
vrrp default priority 50
no vrrp default priority 50
vrrp default priority 160
vrrp default advertisement-interval 500
no vrrp default advertisement-interval 500
vrrp default advertisement-interval 3000
no vrrp default preempt
vrrp default preempt
no vrrp default preempt
vrrp default shutdown
no vrrp default shutdown
vrrp default shutdown
debug vrrp
no debug vrrp
debug vrrp protocol
debug vrrp autoconfigure
debug vrrp packets sockets
debug vrrp ndisc
debug vrrp arp
debug vrrp zebra
no debug vrrp packets
no debug vrrp arp
access-list acl1 seq 10 permit 10.0.0.0/8
interface eth2
 description backup segment
 vrrp 40 version 2
 vrrp 40 priority 254
 vrrp 40 advertisement-interval 40950
 vrrp 40 ip 10.10.20.1
 vrrp 40 ip 10.10.20.2
interface eth1
 vrrp 5
 vrrp 5 version 2
 vrrp 5 version 3
 vrrp 5 priority 210
 vrrp 5 advertisement-interval 1500
 vrrp 5 ip 10.10.10.16
 vrrp 5 ip 10.10.10.17
 vrrp 5 ip 10.10.10.18
 no vrrp 5 ip 10.10.10.17
 vrrp 5 ipv6 2001:db8::16
 vrrp 5 ipv6 fe80::16
 vrrp 5 ipv6 2001:db8::17
 no vrrp 5 ipv6 2001:db8::17
 no vrrp 5 preempt
 vrrp 5 shutdown
 vrrp 2 version 2
 vrrp 2 priority 1
 vrrp 2 advertisement-interval 10
 no vrrp 2 advertisement-interval
 vrrp 2 advertisement-interval 20
 vrrp 2 ip 10.10.10.2
 vrrp 3 priority 90
 no vrrp 3 priority
 vrrp 3 priority 80
 no vrrp 3 priority 80
 vrrp 3 advertisement-interval 700
 no vrrp 3 advertisement-interval 700
 vrrp 3 shutdown
 no vrrp 3 shutdown
 no vrrp 3 preempt
 vrrp 3 preempt
 vrrp 250 version 3
 vrrp 7
 no vrrp 7
 vrrp 8 version 2
 no vrrp 8 version 2
interface eth0
 vrrp 1 priority 100
 vrrp 1 advertisement-interval 1000
"""


def lines():
    return [ln.strip() for ln in CONFIG.strip().splitlines()]


def routers(lab, config=""):
    return {k: vrrplab.standard_router(lab, binary=b, vrrpd_config=config)
            for k, b in BINARIES.items()}


def compare(a: str, b: str, what: str):
    assert a == b, f"{what}: ours differs from stock\n" + \
        vrrplab.config_diff(b, a, "stock", "ours")


def test_same_config_via_vtysh(lab):
    rs = routers(lab)
    for k, r in rs.items():
        rc, out = r.vtysh_config(lines())
        assert (rc, out) == (0, ""), f"{k}: vtysh rc={rc}\n{out}"
    got = {k: r.running_config() for k, r in rs.items()}
    print(got["stock"])
    compare(got["ours"], got["stock"], "show running-config (vtysh -d vrrpd)")
    merged = {k: r.running_config(daemon=None) for k, r in rs.items()}
    compare(merged["ours"], merged["stock"], "show running-config (vtysh merged)")


def test_same_config_from_file(lab):
    # take stock's rendering of CONFIG, boot both daemons from it, compare again
    r = vrrplab.standard_router(lab, binary=BINARIES["stock"])
    rc, out = r.vtysh_config(lines())
    assert (rc, out) == (0, ""), out
    conf = r.running_config()
    rs = routers(lab, config=conf)
    got = {k: r.running_config() for k, r in rs.items()}
    compare(got["stock"], conf, "stock fixed point")
    compare(got["ours"], got["stock"], "show running-config after -f")
