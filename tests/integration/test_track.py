# SPDX-License-Identifier: GPL-2.0-or-later
"""Interface tracking between two routers on the wire: the seed (dev1 priority 210, dev2 200,
VIP 10.10.10.16 at 1000 ms) plus a tracked uplink wan0 on dev1. With a decrement, dev1
advertises the lowered priority at once and dev2 preempts; without one, dev1 releases with
priority 0 and stays in Initialize. Restored, dev1 takes back over."""

import pytest

from vrrptest import vrrplab
from vrrptest.capture import adverts, first_after, last_before
from vrrptest.timing import master_down_ms, skew_ms
from vrrptest.vrrpnet import (VRID, net, seed_lines, seed_pair, wait_adver_tx, wait_roles,
                              wait_until)

assert net  # imported for pytest: the `net` fixture, used by name

P1, P2, DEC = 210, 200, 20
# Capture timestamps against the protocol's own figures: 5 % of the 1000 ms interval, as in
# test_protocol.py; the checks tell apart "at once" from an interval, and Skew_Time (210 ms)
# or Master_Down_Interval (3210 ms) from anything else.
TOL_MS = 50



def scene(net, vtysh_bin, track_line, dev1_master=True):
    d1, d2 = seed_pair(net, configure=False)
    d1.router.add_stub("wan0", ["192.0.2.1/30"])
    d1.configure(seed_lines(prio=P1) + [track_line], binary=vtysh_bin)
    d2.configure(seed_lines(prio=P2))
    master, backup = (d1, d2) if dev1_master else (d2, d1)
    wait_roles(master, backup, timeout=master_down_ms(P2) / 1000 + 4)
    return d1, d2


def capture_one_advert(net, master):
    """A capture that holds at least one of the Master's advertisements before the event."""
    cap = net.capture()
    wait_adver_tx(master, master.vr()["v4"]["stats"]["adverTx"] + 1, timeout=3)
    return cap


def tracked(node) -> list[dict]:
    return node.vr()["tracked"]


def set_wan(node, up: bool) -> float:
    import time

    t = time.time()
    node.router.ip("link", "set", "wan0", "up" if up else "down")
    return t


def test_decrement_hands_over_and_back(net, vtysh_bin):
    d1, d2 = scene(net, vtysh_bin, f"vrrp {VRID} track interface wan0 decrement {DEC}")
    assert tracked(d1) == [{"object": "interface wan0", "state": "up", "decrement": DEC}]
    cap = capture_one_advert(net, d1)
    try:
        t_down = set_wan(d1, False)
        wait_until(lambda: d2.status() == "Master", master_down_ms(P2) / 1000 + 3,
                   "dev2 Master after dev1's uplink went down")
        v = d1.vr()
        assert v["v4"]["effectivePriority"] == P1 - DEC, v
        assert tracked(d1) == [{"object": "interface wan0", "state": "down",
                                "decrement": DEC}]
        wait_until(lambda: d1.status() == "Backup", 3, "dev1 Backup")
        t_up = set_wan(d1, True)
        # One interval of hold-down, then dev1 (210 again) preempts after its MDI.
        wait_until(lambda: d1.status() == "Master", master_down_ms(P1) / 1000 + 4,
                   "dev1 Master again after its uplink came back")
    finally:
        recs = cap.stop()
    lowered = adverts(recs, src=d1.addr4, prio=P1 - DEC)
    assert lowered, "dev1 never advertised the lowered priority"
    first_low = first_after(lowered, t_down)
    # "At once": the first lowered advertisement follows the link event, not the next interval.
    assert (first_low.t - t_down) * 1000 < TOL_MS * 4, (first_low.t - t_down)
    last_high = last_before(adverts(recs, src=d1.addr4, prio=P1), t_down)
    first2 = first_after(adverts(recs, src=d2.addr4, prio=P2), t_down)
    gap = (first2.t - last_high.t) * 1000
    # dev2 discards the lowered advertisements (preempt) and takes over Master_Down_Interval
    # after the last one at 210, which its timer was last restarted by.
    print(f"lowered advert {(first_low.t - t_down) * 1000:.1f} ms after link down; dev2 Master "
          f"{gap:.1f} ms after dev1's last 210 (MDI {master_down_ms(P2)} ms)")
    assert abs(gap - master_down_ms(P2)) <= TOL_MS, (gap, master_down_ms(P2))
    back = first_after(adverts(recs, src=d1.addr4, prio=P1), t_up)
    assert back is not None, "dev1 did not advertise 210 again"
    assert (back.t - t_up) * 1000 >= 1000 - TOL_MS, "restored before the hold-down"


def test_no_decrement_releases_and_waits(net, vtysh_bin):
    d1, d2 = scene(net, vtysh_bin, f"vrrp {VRID} track interface wan0")
    cap = capture_one_advert(net, d1)
    try:
        t_down = set_wan(d1, False)
        wait_until(lambda: d2.status() == "Master", 3, "dev2 Master after dev1 released")
        v = d1.vr()
        assert v["v4"]["status"] == "Initialize", v
        assert v["v4"]["notRunningReason"] == "tracked interface wan0 is down", v
        t_up = set_wan(d1, True)
        wait_until(lambda: d1.status() == "Master", master_down_ms(P1) / 1000 + 5,
                   "dev1 Master again after its uplink came back")
    finally:
        recs = cap.stop()
    rel = first_after(adverts(recs, src=d1.addr4, prio=0), t_down)
    assert rel is not None, "dev1 did not release with priority 0"
    assert (rel.t - t_down) * 1000 < TOL_MS * 4, (rel.t - t_down)
    first2 = first_after(adverts(recs, src=d2.addr4, prio=P2), rel.t)
    gap = (first2.t - rel.t) * 1000
    # A release is answered after Skew_Time (RFC 9568 6.4.2).
    print(f"release {(rel.t - t_down) * 1000:.1f} ms after link down; dev2 Master {gap:.1f} ms "
          f"after it (Skew_Time {skew_ms(P2)} ms)")
    assert abs(gap - skew_ms(P2)) <= TOL_MS, (gap, skew_ms(P2))
    assert first_after(adverts(recs, src=d1.addr4, prio=P1), t_up) is not None


def test_missing_interface_counts_as_down_until_created(net, vtysh_bin):
    # dev1 starts at 190 < 200, so dev2 is Master; with wan9 there, dev1 preempts at 210.
    d1, d2 = scene(net, vtysh_bin, f"vrrp {VRID} track interface wan9 decrement {DEC}",
                   dev1_master=False)
    assert tracked(d1) == [{"object": "interface wan9", "state": "down", "decrement": DEC}]
    assert d1.vr()["v4"]["effectivePriority"] == P1 - DEC
    d1.router.add_stub("wan9", ["192.0.2.9/30"])
    wait_until(lambda: tracked(d1)[0]["state"] == "up", 5, "wan9 tracked up once created")
    assert d1.vr()["v4"]["effectivePriority"] == P1
    wait_roles(d1, d2, timeout=master_down_ms(P1) / 1000 + 4)


def route_tracking_router(lab):
    """One router, eth1 on the LAN and the uplink wan0, VRID 5 tracking the default route with
    decrement 20, configured at start (before zebra has reported anything)."""
    r = lab.router()
    r.add_stub("eth1", ["10.10.10.15/24"])
    r.add_stub("wan0", ["192.0.2.1/30"])
    return r.start(vrrpd_config=f"interface eth1\n vrrp {VRID}\n vrrp {VRID} priority {P1}\n"
                   f" vrrp {VRID} ip 10.10.10.16\n"
                   f" vrrp {VRID} track route 0.0.0.0/0 decrement {DEC}\n")


def test_route_tracker_follows_zebra(lab, vtysh_bin):
    """A tracked default route, configured at start (before zebra has reported anything), is
    registered with zebra and follows it: absent (down, priority 190), a kernel default route
    added (up, 210), removed again (down)."""
    r = route_tracking_router(lab)

    def state():
        import json

        vr = json.loads(r.vtysh("show vrrp json")[1])[0]
        return vr["tracked"][0]["state"], vr["v4"]["effectivePriority"]

    wait_until(lambda: state() == ("down", P1 - DEC), 5, "route tracked down, priority 190")
    r.ip("route", "add", "default", "via", "192.0.2.2")
    wait_until(lambda: state() == ("up", P1), 5, "route tracked up with the default route")
    # YANG operational state says the same, with the time of the change.
    rc, out = r.vtysh("show yang operational-data /frr-interface:lib vrrpd")
    assert rc == 0, out
    import json

    grp = [i for i in json.loads(out)["frr-interface:lib"]["interface"]
           if i["name"] == "eth1"][0]["frr-vrrpd:vrrp"]["vrrp-group"][0]
    net0 = grp["vrrpd-ext:track"]["networks"]["network"][0]
    assert net0["prefix"] == "0.0.0.0/0" and net0["state"] == "up", net0
    # libfrr's date-and-time: RFC 3339 in UTC, close to now (the daemon's clock is monotonic).
    import datetime

    when = datetime.datetime.fromisoformat(net0["last-change"].replace("Z", "+00:00"))
    age = datetime.datetime.now(datetime.timezone.utc) - when
    assert datetime.timedelta(0) <= age < datetime.timedelta(seconds=30), net0
    r.ip("route", "del", "default")
    wait_until(lambda: state() == ("down", P1 - DEC), 5, "route tracked down again")
    rc, out = r.vtysh("show ip nht", binary=vtysh_bin)
    assert "0.0.0.0" in out, out


def test_route_tracker_survives_a_zebra_restart(lab):
    """zebra restarts: it forgot every nexthop registration, vrrpd reconnects and registers
    the tracked route again, so the tracker follows the routing table as before."""
    import json

    r = route_tracking_router(lab)

    def state():
        return json.loads(r.vtysh("show vrrp json")[1])[0]["tracked"][0]["state"]

    r.ip("route", "add", "default", "via", "192.0.2.2")
    wait_until(lambda: state() == "up", 5, "route tracked up")
    r.zebra.stop()
    r.start_zebra()
    # The new zebra knows the kernel's default route; vrrpd must ask again to hear of it.
    # libfrr's zclient retries its connection every 10 s.
    wait_until(lambda: "Client list: vrrp" in r.vtysh("show ip nht", daemon="zebra")[1], 30,
               "vrrpd registered the route with the new zebra")
    r.ip("route", "del", "default")
    wait_until(lambda: state() == "down", 5, "the new zebra's answer reached the tracker")
