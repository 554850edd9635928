# SPDX-License-Identifier: GPL-2.0-or-later
"""Shared helpers of the VRRP topotests: LAN topologies, module setup/teardown through Topogen,
polling `show vrrp json` with topotest.run_and_expect, macvlan inspection, daemon stop/start
and restart, configuration files and our vtysh, features detected at run time (verdict),
captures and ARP probes on the LAN (LanCapture, ArpWatch), and a module's baseline state with
the way back to it (Baseline). What is not topotest-specific (virtual MACs, macvlan names and
seed commands, the ARP probe, timer formulas, tcpdump and pcap analysis) comes from the
harness library, tests/lib/vrrptest."""

import datetime
import functools
import itertools
import json
import os
import signal
import subprocess
import threading
import time

import pytest

from lib import topotest
from lib.topogen import Topogen, TopoRouter, get_topogen
from vrrptest import capture, vrrplab
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


def restart_vrrpd(router, sig="KILL", downtime=1.0, while_down=None):
    """Signal vrrpd (by PID; KILL or TERM), wait until it is gone, run while_down(router) if
    given, and start it again (with the router's /etc/frr/vrrpd.conf) `downtime` seconds after
    the signal was sent, or as soon as it is gone and while_down has returned if that is later.
    Returns the times (time.time(), the clock of capture timestamps): "signal", "gone",
    "start" (startDaemons called), "up" (it answers `show vrrp json`)."""
    t = {"signal": time.time()}
    signal_daemon(router, "vrrpd", sig)
    t["gone"] = time.time()
    if while_down:
        while_down(router)
    pause = t["signal"] + downtime - time.time()
    if pause > 0:
        time.sleep(pause)   # the outage the test asks for, not a wait for a state
    t["start"] = time.time()
    start_vrrpd(router)
    t["up"] = time.time()
    return t


def pause_vrrpd(router, seconds):
    """SIGSTOP vrrpd (by PID) for `seconds`, then SIGCONT: an outage as long as a restart's,
    of the same process. Returns restart_vrrpd's times: "signal" and "gone" (stopped), "start"
    and "up" (continued)."""
    pid = vrrpd_pid(router)
    assert pid, "{}: vrrpd is not running".format(router.name)
    t = {"signal": time.time()}
    os.kill(pid, signal.SIGSTOP)
    try:
        time.sleep(seconds)     # the outage the test asks for
    finally:
        os.kill(pid, signal.SIGCONT)
    t["gone"], t["start"] = t["signal"], time.time()
    t["up"] = t["start"]
    return t


def processes_named(router, name):
    """PIDs of the processes called `name` (comm, as `ps` shows it, or argv[0]'s basename) in
    the router's network namespace."""
    netns = os.readlink("/proc/{}/ns/net".format(router.net.pid))
    pids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/{}/comm".format(entry)) as f:
                comm = f.read().strip()
            with open("/proc/{}/cmdline".format(entry), "rb") as f:
                argv0 = os.path.basename(f.read().split(b"\0")[0].decode(errors="replace"))
            if name in (comm, argv0) and os.readlink("/proc/{}/ns/net".format(entry)) == netns:
                pids.append(int(entry))
        except OSError:
            pass
    return pids


# ---------------------------------------------------------------------------------------------
# configuration files and our vtysh
# ---------------------------------------------------------------------------------------------

def read_conf(router, daemon="vrrpd"):
    """The router's private /etc/frr/<daemon>.conf."""
    return router.cmd_raises("cat /etc/frr/{}.conf".format(daemon))


def write_conf(router, text, daemon="vrrpd"):
    """Replace the router's /etc/frr/<daemon>.conf (read at the daemon's next start)."""
    router.cmd_raises("cat > /etc/frr/{}.conf".format(daemon), stdin=text)


def conf_with(text, global_lines=(), interface=None, interface_lines=()):
    """A daemon configuration `text` with global_lines put first and interface_lines added at
    the end of the `interface <interface>` block (which must exist)."""
    lines = text.splitlines()
    if interface_lines:
        head = "interface " + interface
        assert head in lines, "no `{}` in:\n{}".format(head, text)
        end = lines.index(head) + 1
        while end < len(lines) and lines[end].startswith(" "):
            end += 1
        lines[end:end] = [" " + ln for ln in interface_lines]
    return "\n".join(list(global_lines) + lines) + "\n"


@functools.lru_cache(maxsize=None)
def our_vtysh():
    """FRR's vtysh with our vrrpd commands (scripts/vtysh.sh; built once, then cached). Debian's
    vtysh, which the framework's vtysh_cmd runs, refuses every command vrrpd adds."""
    return str(vrrplab.our_vtysh())


def vtysh_ours(router, lines, configure=True):
    """Run lines through our vtysh in the router (after `configure terminal`, with configure).
    Returns (accepted, output): not accepted when vtysh fails or prints a `%` line."""
    argv = [our_vtysh()]
    for ln in (["configure terminal"] if configure else []) + list(lines):
        argv += ["-c", ln]
    rc, out, err = router.net.cmd_status(argv, warn=False)
    out = (out or "") + (err or "")
    refused = [ln for ln in out.splitlines() if ln.lstrip().startswith("%")]
    return rc == 0 and not refused, out


def configure_ours(router, lines):
    """Configuration lines through our vtysh; fails on errors."""
    ok, out = vtysh_ours(router, lines)
    assert ok, "{}: our vtysh rejected configuration {}:\n{}".format(router.name, lines, out)
    return out


# ---------------------------------------------------------------------------------------------
# features detected at run time: tests written before the daemon has them
# ---------------------------------------------------------------------------------------------

def missing_command(router, lines, undo=()):
    """None if the running vrrpd accepts the configuration `lines` (through our vtysh; they are
    then undone with `undo`), else why not: a reason to skip a test of the feature. Only an
    unknown command counts as a missing feature; any other refusal, or a vrrpd that does not
    answer, fails the test instead."""
    assert isinstance(show_vrrp(router), list), "{}: vrrpd does not answer".format(router.name)
    ok, out = vtysh_ours(router, lines)
    if ok:
        if undo:
            configure_ours(router, undo)
        return None
    assert "Unknown command" in out, "{}: `{}` refused for another reason than an unknown " \
        "command:\n{}".format(router.name, "; ".join(lines), out)
    return "{}: vrrpd refuses `{}` ({})".format(router.name, "; ".join(lines),
                                                out.strip().splitlines()[-1])


def missing_key(router, vrid, *path):
    """None if `show vrrp json` of the VRID has the key `path` (e.g. "v4", "stats",
    "resumes"), else why not: a reason to skip a test of the feature that adds it."""
    obj = vr_json(router, vrid)
    assert obj is not None, "{}: VRID {} missing from show vrrp json".format(router.name, vrid)
    for key in path:
        if not isinstance(obj, dict) or key not in obj:
            return "{}: `show vrrp json` has no {}".format(router.name, ".".join(path))
        obj = obj[key]
    return None


def verdict(missing, problems, contract):
    """End of a test of a feature: `problems` are the ways the measured behaviour breaks the
    `contract` (a sentence). With the feature (missing is None) there must be none. Without it
    (missing says why), today's daemon must break the contract, which shows the measurement
    can fail, and the test is skipped with what it measured."""
    __tracebackhide__ = True    # pytest reports the skip or failure at the test's line
    if missing is None:
        assert not problems, "{}:\n  {}".format(contract, "\n  ".join(problems))
        return
    assert problems, ("{} although the feature is missing ({}): the measurement cannot tell "
                      "the feature from its absence".format(contract, missing))
    pytest.skip("feature missing: {}; today's daemon breaks `{}` as measured: {}".format(
        missing, contract, "; ".join(problems)))


def iso_time(text):
    """An ISO 8601 time (`show vrrp json` lastTransitionTime) as epoch seconds; a time without
    an offset is local time. ValueError if it is not one."""
    if not isinstance(text, str):
        raise ValueError("not a string: {!r}".format(text))
    dt = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    return dt.timestamp()


# ---------------------------------------------------------------------------------------------
# watching a router: `show vrrp json` with timestamps, protodown
# ---------------------------------------------------------------------------------------------

def stat(router, vrid, key, family="v4"):
    """One counter of <family>.stats (e.g. "transitions", "adverRx")."""
    vr = vr_json(router, vrid)
    assert vr is not None, "{}: VRID {} missing from show vrrp json".format(router.name, vrid)
    return vr[family]["stats"][key]


def watch_vr(router, vrid, until, timeout, wait=POLL):
    """Poll the VRID's `show vrrp json` object every `wait` s until until(obj) is true or
    `timeout` s have passed. Returns the samples, each {"t0": before the query, "t1": after
    it, "vr": the object or None} (time.time()); the last one satisfies `until` unless the
    timeout came first."""
    samples, deadline = [], time.monotonic() + timeout
    while True:
        t0 = time.time()
        vr = vr_json(router, vrid)
        samples.append({"t0": t0, "t1": time.time(), "vr": vr})
        if (vr is not None and until(vr)) or time.monotonic() >= deadline:
            return samples
        time.sleep(wait)


def expect_more(router, vrid, key="adverRx", count=1, timeout=5.0, family="v4"):
    """Wait until the counter <family>.stats.<key> has grown by `count`: with adverRx, one of
    the Master's advertisements has passed since a capture started; with adverTx, the
    router's own (the one it sent on becoming Master is then in a capture stopped after)."""
    want = stat(router, vrid, key, family) + count
    ok, _ = topotest.run_and_expect(lambda: stat(router, vrid, key, family) >= want,
                                    True, count=int(timeout / POLL), wait=POLL)
    assert ok, "{}: {} did not grow by {} in {:g}s".format(router.name, key, count, timeout)


def first_rx_after(samples, records, family="v4"):
    """When the router whose `show vrrp json` samples these are (watch_vr, from its daemon's
    start) first received an advertisement, from the `records` of a capture of the sender's
    advertisements: the first sample with stats.adverRx n >= 1 and no advertisement captured
    within 20 ms of its query says the router had counted exactly the n captured before it,
    so the first one it heard is the n-th last of those. None if no sample tells."""
    for s in samples:
        n = ((s["vr"] or {}).get(family) or {}).get("stats", {}).get("adverRx", 0)
        if n < 1:
            continue
        if any(s["t0"] - 0.02 <= r.t <= s["t1"] + 0.02 for r in records):
            continue
        before = [r for r in records if r.t < s["t0"]]
        return before[-n].t if len(before) >= n else None
    return None


def protodown_shown(router, ifname):
    """`protodown on` in `ip -d link show dev IFNAME` (False if there is no such link)."""
    return "protodown on" in router.cmd("ip -d link show dev {} 2>/dev/null".format(ifname))


def expect_protodown(router, ifname, want, timeout=5.0):
    ok, _ = topotest.run_and_expect(lambda: protodown_shown(router, ifname), want,
                                    count=int(timeout / POLL), wait=POLL)
    assert ok, "{}: {} protodown is not {} after {:g}s".format(router.name, ifname,
                                                                "on" if want else "off",
                                                                timeout)


# ---------------------------------------------------------------------------------------------
# captures and ARP probes on the LAN
# ---------------------------------------------------------------------------------------------

class NodeNs:
    """A topotest node (router, host or switch) as the namespace capture.Tcpdump runs in:
    commands are entered into all its namespaces with nsenter, without a fork (so the
    process is tcpdump itself, ended by its PID)."""

    def __init__(self, gear):
        self.name = gear.name
        self.pid = gear.net.pid

    def exec_argv(self, *argv):
        return ["/usr/bin/nsenter", "-a", "-F", "-t", str(self.pid)] + [str(a) for a in argv]


def switch_port(gear, ifname=None):
    """(switch, port) at the other end of the node's link ifname (default <name>-eth0)."""
    return gear.links[ifname or "{}-eth0".format(gear.name)]


_pcap_seq = itertools.count(1)


class LanCapture:
    """tcpdump (capture.Tcpdump) on a node's interface while the `with` block runs, then the
    capture decoded: .records (capture.parse_pcap). The pcap stays in the module's log
    directory. A capture that lost packets in the kernel fails: a missing packet would pass
    for one never sent."""

    def __init__(self, gear, ifname, bpf="", direction=None):
        pcap = os.path.join(get_topogen().logdir, "capture-{:02d}-{}-{}.pcap".format(
            next(_pcap_seq), gear.name, ifname))
        self.tcpdump = capture.Tcpdump(NodeNs(gear), ifname, pcap, bpf, direction=direction)
        self.records = None

    def __enter__(self):
        self.tcpdump.start()
        return self

    def __exit__(self, *exc):
        err = self.tcpdump.stop()
        self.records = capture.parse_pcap(self.tcpdump.pcap)
        drops = capture.kernel_drops(err)
        if exc[0] is None:
            assert not drops, "capture {} lost {} packets: {}".format(self.tcpdump.pcap,
                                                                      drops, err)
        return False


class ArpWatch:
    """While the `with` block runs, `host` asks for `target` every `interval` s
    (rawsock.py arp-watch); then .probes is the list of {"t": epoch of the request, "replies":
    [[sender MAC, ms], ...]}. The prober ends when its stdin closes; by PID if it does not."""

    def __init__(self, host, ifname, src, target, interval=0.1, timeout=1.0):
        self.argv = ["/usr/bin/python3", str(RAWSOCK), "arp-watch", ifname, src, target,
                     str(interval), str(timeout)]
        self.host, self.proc, self.probes, self.thread = host, None, [], None

    def __enter__(self):
        self.proc = self.host.popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, text=True)
        ready = self.proc.stdout.readline()
        if '"ready"' not in ready:
            self._end()
            assert False, "arp-watch did not start: {} {}".format(ready, self.proc.stderr.read())
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()
        return self

    def _read(self):
        for ln in self.proc.stdout:
            self.probes.append(json.loads(ln))

    def _end(self):
        try:
            self.proc.stdin.close()
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(5)

    def __exit__(self, *exc):
        self._end()
        self.thread.join(5)
        return False

    def wait_answered(self, timeout=5.0):
        """Wait until a probe has been answered (the target answers before the test acts)."""
        ok, _ = topotest.run_and_expect(lambda: any(p["replies"] for p in self.probes), True,
                                        count=int(timeout / POLL), wait=POLL)
        assert ok, "no ARP probe answered within {:g}s: {}".format(timeout, self.probes[-3:])


def arp_problems(probes, mac, since=0.0):
    """What breaks "every probe answered, only by `mac`" in ArpWatch probes: a list of
    sentences, times in seconds after `since` (epoch); unanswered probes are summarised as
    runs, up to the next answered probe."""
    problems, run = [], []
    for p in probes + [None]:
        if p is not None and not p["replies"]:
            run.append(p["t"])
            continue
        if run:
            problems.append("{} ARP probe(s) unanswered from {:+.3f}s{}".format(
                len(run), run[0] - since, "" if p is None else
                " until {:+.3f}s".format(p["t"] - since)))
            run = []
        if p is not None:
            others = sorted({m for m, _ in p["replies"] if m != mac})
            if others:
                problems.append("ARP probe at {:+.3f}s answered by {}".format(p["t"] - since,
                                                                             others))
    return problems


# ---------------------------------------------------------------------------------------------
# a module's starting state and the way back to it
# ---------------------------------------------------------------------------------------------

class Baseline:
    """The state a module's tests start from: each router's vrrpd.conf as it was at setup,
    vrrpd running with it, every router in its role (`roles`: {router name: "Master"|"Backup"})
    for `vrids`, the Master's macvlans up and the Backup's in protodown. Tests that change a
    router register how to undo it; restore() gets back there from wherever a test (passed or
    failed) left the topology."""

    def __init__(self, tgen, roles, vrids, family="v4", timeout=15.0):
        self.tgen, self.roles, self.vrids, self.family = tgen, roles, list(vrids), family
        self.timeout = timeout
        self.conf = {n: read_conf(r) for n, r in tgen.routers().items()}
        self.undo = {n: [] for n in self.conf}    # lines for our vtysh, applied in order
        self.restart = set()                      # routers whose vrrpd must start afresh

    def configure(self, router, lines, undo=None):
        """Configuration lines through our vtysh (fails if refused). restore() undoes them
        with the `undo` lines, or without undo by restarting vrrpd with its setup config."""
        out = configure_ours(router, lines)
        self._register(router, undo)
        return out

    def configure_feature(self, router, lines, undo=None):
        """configure() for the commands of a feature the daemon may not have yet: None if our
        vtysh and vrrpd accept them (restore() will undo them), else why not
        (missing_command's rules)."""
        missing = missing_command(router, lines)
        if missing is None:
            self._register(router, undo)
        return missing

    def fresh_conf(self, router, text, undo=None):
        """Write the vrrpd.conf the router's vrrpd reads at its next start. restore() writes
        the setup one back and undoes what a vrrpd started with this one runs with: with the
        `undo` lines (our vtysh), or without undo by restarting it."""
        write_conf(router, text)
        self._register(router, undo)

    def _register(self, router, undo):
        if undo is None:
            self.restart.add(router.name)
        else:
            self.undo[router.name].append(list(undo))

    def restore(self):
        for name, router in sorted(self.tgen.routers().items()):
            if read_conf(router) != self.conf[name]:
                write_conf(router, self.conf[name])
            undo, self.undo[name] = self.undo[name], []
            if vrrpd_pid(router) is None:
                start_vrrpd(router)
                self.restart.discard(name)
                continue
            for lines in undo:
                if not vtysh_ours(router, lines)[0]:
                    self.restart.add(name)
            if name in self.restart:
                stop_vrrpd(router)
                start_vrrpd(router)
                self.restart.discard(name)
        expect_states(self.tgen, self.vrids, self.roles, self.family, self.timeout)
        fam = "v4" if self.family == "v4" else "v6"
        for name, role in self.roles.items():
            router = self.tgen.gears[name]
            for vrid in self.vrids:
                expect_protodown(router, autoname(router, fam, vrid), role != "Master")
