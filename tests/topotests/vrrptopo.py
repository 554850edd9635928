# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared helpers of the VRRP topotests: LAN topologies, module setup/teardown through Topogen,
polling `show vrrp json` with topotest.run_and_expect, macvlan inspection, daemon stop/start.
What is not topotest-specific (virtual MACs, macvlan names and seed commands, the ARP probe,
timer formulas) comes from the harness library, tests/lib/vrrptest."""

import functools
import json
import os
import time

from lib import topotest
from lib.topogen import Topogen, TopoRouter, get_topogen
from vrrptest.macvlan import macvlan_name, seed_commands, vmac
from vrrptest.packets import RAWSOCK

POLL = 0.1                  # seconds between polls

# TOPOTEST_VRRP_DEBUG=1: the routers' vrrpd.conf / zebra.conf get debug logging (sub-second
# timestamps, every `debug vrrp` category, zebra's events and kernel messages), and a failed
# expect_vrrp() writes the kernel and daemon state of every node to <module logdir>/state.txt.
DEBUG = os.environ.get("TOPOTEST_VRRP_DEBUG") == "1"
DEBUG_CONF = {
    "vrrpd": ["log timestamp precision 6", "debug vrrp"],
    "zebra": ["log timestamp precision 6", "debug zebra events", "debug zebra kernel"],
}


# ---------------------------------------------------------------------------------------------
# topology
# ---------------------------------------------------------------------------------------------

def lan_topo(routers, hosts=()):
    """A build function: routers (and hosts: (name, ip/len)) on one switch s1; router rN gets
    rN-eth0."""
    def build(tgen):
        sw = tgen.add_switch("s1")
        for name in routers:
            sw.add_link(tgen.add_router(name))
        for name, ip in hosts:
            sw.add_link(tgen.add_host(name, ip, "dev {}-eth0".format(name)))
    return build


def setup_lan(mod, routers, hosts=(), before_start=None, topo=None):
    """setup_module body: build (lan_topo, or the build function topo), start the namespaces,
    run before_start(tgen) (e.g. to make macvlans by hand), load <test dir>/<router>/
    {zebra,vrrpd,bgpd}.conf (each that exists), start the daemons.
    TOPOTEST_HANDMADE_MACVLANS=1: then make every macvlan the configurations need by hand, as
    FRR's documentation tells users of the stock vrrpd (which creates none)."""
    tgen = Topogen(topo or lan_topo(routers, hosts), mod.__name__)
    tgen.start_topology()
    if before_start:
        before_start(tgen)
    cwd = os.path.dirname(os.path.abspath(mod.__file__))
    for name, router in tgen.routers().items():
        for daemon, conf in ((TopoRouter.RD_ZEBRA, "zebra.conf"),
                             (TopoRouter.RD_VRRP, "vrrpd.conf"),
                             (TopoRouter.RD_BGP, "bgpd.conf")):
            path = os.path.join(cwd, name, conf)
            if daemon == TopoRouter.RD_ZEBRA or os.path.exists(path):
                router.load_config(daemon, path)
        if DEBUG:
            for daemon, lines in DEBUG_CONF.items():
                router.cmd_raises("printf '%s\\n' {} >> /etc/frr/{}.conf".format(
                    " ".join("'{}'".format(ln) for ln in lines), daemon))
    tgen.start_router()
    if os.environ.get("TOPOTEST_HANDMADE_MACVLANS") == "1":
        for name, router in tgen.routers().items():
            make_configured_macvlans(router, os.path.join(cwd, name, "vrrpd.conf"))
    return tgen


def make_configured_macvlans(router, conf):
    """Hand-made macvlans (named like vrrpd's own) for each VRID and family of a vrrpd.conf,
    except where one with the virtual MAC exists or autocreation is off (the test's job)."""
    wanted, skip, iface = {}, set(), None
    with open(conf) as f:
        for words in (ln.split() for ln in f):
            if words[:1] == ["interface"]:
                iface = words[1]
            elif len(words) == 4 and words[0] == "vrrp" and words[2] in ("ip", "ipv6"):
                fam = "v4" if words[2] == "ip" else "v6"
                plen = "/24" if fam == "v4" else "/64"
                wanted.setdefault((iface, int(words[1]), fam), []).append(words[3] + plen)
            elif words[:1] == ["no"] and words[-1:] == ["macvlan-autocreate"]:
                skip.add(int(words[2]))
    for (parent, vrid, fam), cidrs in sorted(wanted.items()):
        have = [ln["address"] for ln in macvlans(router, parent).values()]
        if vrid not in skip and vmac(fam, vrid) not in have:
            make_macvlan(router, autoname(router, fam, vrid, parent), fam, vrid, cidrs, parent)


def teardown_lan():
    get_topogen().stop_topology()


def routers_running(tgen):
    """Fail (never skip) if a router's daemons are not running."""
    errors = [e for e in (r.check_router_running() for r in tgen.routers().values()) if e]
    assert not errors, "\n".join(errors)


# ---------------------------------------------------------------------------------------------
# show vrrp json
# ---------------------------------------------------------------------------------------------

def show_vrrp(router):
    """`show vrrp json` as a list ([] or {} when vrrpd does not answer)."""
    return router.vtysh_cmd("show vrrp json", isjson=True)


def vr_json(router, vrid, iface=None):
    """The JSON object of one virtual router, or None."""
    iface = iface or "{}-eth0".format(router.name)
    data = show_vrrp(router)
    for vr in data if isinstance(data, list) else []:
        if vr.get("vrid") == vrid and vr.get("interface") == iface:
            return vr
    return None


def expect_vrrp(router, expected, timeout=10.0, what="show vrrp json", wait=POLL):
    """Poll `show vrrp json` until `expected` (a list of partial virtual-router objects,
    json_cmp semantics) is contained; assert with json_cmp's report otherwise. Returns the
    seconds it took."""
    start = time.monotonic()
    test_func = functools.partial(topotest.router_json_cmp, router, "show vrrp json", expected)
    count = max(1, int(timeout / wait))
    _, result = topotest.run_and_expect(test_func, None, count=count, wait=wait)
    took = time.monotonic() - start
    if result is not None:
        mvls = ", ".join("{}{}".format(n, " (protodown)" if ln.get("proto_down") else "")
                         for n, ln in sorted(macvlans(router).items()))
        if DEBUG:
            dump_state("{}: {} not reached".format(router.name, what))
        assert False, "{}: {} not reached after {:.1f}s (macvlans: {}):\n{}".format(
            router.name, what, took, mvls or "none", result)
    return took


_DUMP_ROUTER = ["ip -d -s link", "ip addr", "ip maddr", "ip route show table all",
                "cat /proc/net/raw", "nstat -as", "sysctl net.ipv4.conf"]
_DUMP_VTYSH = [("vrrpd", "show vrrp json"), ("zebra", "show interface"),
               ("zebra", "show zebra client summary")]
_DUMP_SWITCH = ["ip -d -s link", "bridge -s fdb show", "bridge mdb show"]


def dump_state(why):
    """Kernel and daemon state of every node, appended to <module logdir>/state.txt, with
    `show vrrp json` again one second later (counters that do not move show). Never raises."""
    try:
        tgen = get_topogen()
        routers = sorted(tgen.routers().items())
        out = ["=" * 78, "{} {}".format(time.strftime("%H:%M:%S"), why)]

        def vtysh(name, router, daemon, cmd):
            out.extend(["--- {} {} {} # {}".format(time.strftime("%H:%M:%S"), name, daemon,
                                                   cmd), router.vtysh_cmd(cmd, daemon=daemon)])
        for name, router in routers:
            for cmd in _DUMP_ROUTER:
                out.extend(["--- {} $ {}".format(name, cmd), router.cmd(cmd + " 2>&1")])
            for daemon, cmd in _DUMP_VTYSH:
                vtysh(name, router, daemon, cmd)
        for name, gear in sorted(tgen.gears.items()):
            if gear.__class__.__name__ == "TopoSwitch":
                for cmd in _DUMP_SWITCH:
                    out.extend(["--- {} $ {}".format(name, cmd), gear.cmd(cmd + " 2>&1")])
        time.sleep(1)
        for name, router in routers:
            vtysh(name, router, "vrrpd", "show vrrp json")
        with open(os.path.join(tgen.logdir, "state.txt"), "a") as f:
            f.write("\n".join(str(x) for x in out) + "\n")
    except Exception as error:  # diagnostics only: the caller's assertion is what counts
        topotest.logger.warning("dump_state failed: %s", error)


def expect_states(tgen, vrids, roles, fam="v4", timeout=10.0):
    """Every router reaches its role for every vrid: roles = {router name: "Master"|...}."""
    for name, role in roles.items():
        router = tgen.gears[name]
        want = [{"vrid": v, "interface": "{}-eth0".format(name), fam: {"status": role}}
                for v in vrids]
        expect_vrrp(router, want, timeout, "{} {} for VRIDs {}".format(fam, role, list(vrids)))


def deviation(router, expected, duration, wait=POLL):
    """None if `expected` stays contained in `show vrrp json` for `duration` seconds, else
    json_cmp's report of the first deviation (polled with run_and_expect until the window ends
    or a deviation shows up)."""
    end = time.monotonic() + duration
    seen = {}

    def window_over_or_deviation():
        diff = topotest.router_json_cmp(router, "show vrrp json", expected)
        if diff is not None:
            seen["deviation"] = diff
        return "done" if diff is not None or time.monotonic() >= end else "holding"
    topotest.run_and_expect(window_over_or_deviation, "done",
                            count=int(duration / wait) + 10, wait=wait)
    return seen.get("deviation")


def configure(router, lines):
    """Configuration lines through Debian's vtysh (configure terminal, ...); fails on errors."""
    out = router.vtysh_cmd("\n".join(["configure terminal"] + list(lines)))
    bad = [ln for ln in out.splitlines() if ln.lstrip().startswith("%")]
    assert not bad, "{}: vtysh rejected configuration:\n{}".format(router.name, out)
    return out


# ---------------------------------------------------------------------------------------------
# kernel state in a router
# ---------------------------------------------------------------------------------------------

def links(router, kind=None):
    out = router.cmd("ip -d -j link show" + (" type " + kind if kind else ""))
    return json.loads(out) if out.strip() else []


def macvlans(router, parent=None):
    """{name: ip -d -j link object} of the router's macvlans (on parent, if given)."""
    parent = parent or "{}-eth0".format(router.name)
    return {ln["ifname"]: ln for ln in links(router, "macvlan") if ln.get("link") == parent}


def ifindex(router, ifname):
    return json.loads(router.cmd("ip -j link show dev " + ifname))[0]["ifindex"]


def autoname(router, family, vrid, parent=None):
    """Name our vrrpd gives the macvlans it creates: vrrp4-<parent ifindex>-<vrid>."""
    parent = parent or "{}-eth0".format(router.name)
    return macvlan_name(family, ifindex(router, parent), vrid)


def addrs(router, ifname, family="inet"):
    out = router.cmd("ip -j addr show dev " + ifname)
    data = json.loads(out) if out.strip().startswith("[") else []
    return sorted(a["local"] for d in data for a in d.get("addr_info", [])
                  if a["family"] == family)


def make_macvlan(router, name, family, vrid, cidrs, parent=None):
    """A macvlan made by hand, as FRR's documentation tells users of the stock vrrpd
    (macvlan.seed_commands, in the router's shell)."""
    parent = parent or "{}-eth0".format(router.name)
    for argv in seed_commands(name, parent, family, vrid, cidrs):
        router.cmd_raises(" ".join(argv))


def arp_replies(host, ifname, src, target, window=0.5):
    """Sender MACs of the ARP replies `host` gets for `target` within `window` seconds."""
    out = host.cmd_raises("/usr/bin/python3 {} arp-probe {} {} {} {}".format(
        RAWSOCK, ifname, src, target, window))
    return sorted(out.split())


# ---------------------------------------------------------------------------------------------
# vrrpd process
# ---------------------------------------------------------------------------------------------

def daemon_pid(router, daemon):
    """PID of a running daemon of the router (from its pidfile), or None."""
    out = router.cmd("cat /var/run/frr/{}.pid 2>/dev/null".format(daemon)).strip()
    return int(out) if out.isdigit() and alive(int(out)) else None


def vrrpd_pid(router):
    return daemon_pid(router, "vrrpd")


def alive(pid):
    """The process exists and is not a zombie (a killed daemon is reaped by init later)."""
    try:
        with open("/proc/{}/stat".format(pid)) as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def signal_daemon(router, daemon, sig, timeout=15.0):
    """Send sig to one daemon and wait until it is gone; remove its pidfile.

    Not TopoRouter.killDaemons: in FRR 8.4.4 its retry loop rebinds the loop variable, so it
    can delete the pidfile of another daemon (the last one listed: zebra.pid), which then
    escapes stop_topology() and keeps the namespace alive."""
    pid = daemon_pid(router, daemon)
    assert pid, "{}: {} is not running".format(router.name, daemon)
    router.cmd("kill -{} {}".format(sig, pid))
    ok, _ = topotest.run_and_expect(lambda: alive(pid), False, count=int(timeout / POLL),
                                    wait=POLL)
    assert ok, "{}: {} (pid {}) still runs {:g}s after SIG{}".format(router.name, daemon, pid,
                                                                     timeout, sig)
    router.cmd("rm -f /var/run/frr/{}.pid".format(daemon))


def stop_vrrpd(router):
    """SIGTERM: a graceful stop (priority-0 advertisement, own macvlans removed)."""
    signal_daemon(router, "vrrpd", "TERM")


def kill_vrrpd(router):
    """SIGKILL: no goodbye, the macvlans stay."""
    signal_daemon(router, "vrrpd", "KILL")


def start_vrrpd(router):
    """(Re)start vrrpd with the router's vrrpd.conf, through the framework."""
    assert vrrpd_pid(router) is None, "{}: vrrpd already running".format(router.name)
    router.startDaemons(["vrrpd"])
    ok, _ = topotest.run_and_expect(lambda: isinstance(show_vrrp(router), list), True,
                                    count=50, wait=POLL)
    assert ok, "{}: restarted vrrpd does not answer `show vrrp json`".format(router.name)


def ensure_vrrpd(tgen):
    """Start vrrpd where an earlier (failed) test left it stopped."""
    for router in tgen.routers().values():
        if vrrpd_pid(router) is None:
            start_vrrpd(router)
