# SPDX-License-Identifier: GPL-2.0-or-later
"""Daemon basics: startup in a pathspace, vtysh reachability, config, show vrrp, SIGTERM."""

import json
import os
import re

import pytest

from vrrptest import vrrplab

SEED_LINES = ["interface eth1", "vrrp 5", "vrrp 5 priority 210", "vrrp 5 ip 10.10.10.16"]
SEED_BLOCK = "interface eth1\n vrrp 5\n vrrp 5 priority 210\n vrrp 5 ip 10.10.10.16\nexit\n"
SEED_CONF = "interface eth1\n vrrp 5\n vrrp 5 priority 210\n vrrp 5 ip 10.10.10.16\nexit\n!\n"


def make_router(lab, vrrpd_bin, config=""):
    """Namespace with veth eth1 (10.10.10.15/24), zebra and vrrpd."""
    r = lab.router(vrrpd_bin=vrrpd_bin)
    r.add_stub("eth1", ["10.10.10.15/24"])
    return r.start(vrrpd_config=config)


def test_process_identity(lab, vrrpd_bin):
    r = make_router(lab, vrrpd_bin)
    d = r.vrrpd
    assert d.alive()
    assert int(d.pidfile.read_text()) == d.pid
    assert os.path.realpath(f"/proc/{d.pid}/exe") == os.path.realpath(vrrpd_bin)
    # it runs in the router's namespace and dropped privileges to frr
    assert os.stat(f"/proc/{d.pid}/ns/net").st_ino == os.stat(f"/run/netns/{r.name}").st_ino
    status = dict(ln.split(":", 1) for ln in open(f"/proc/{d.pid}/status") if ":" in ln)
    assert status["Uid"].split()[1] == str(vrrplab._frr_ids()[0]), status["Uid"]
    assert d.vty_socket.is_socket()


def test_show_logging(lab, vrrpd_bin):
    r = make_router(lab, vrrpd_bin)
    rc, out = r.vtysh("show logging", daemon="vrrpd")
    assert rc == 0, out
    assert "Logging configuration for vrrpd" in out


def test_seed_config_via_vtysh(lab, vrrpd_bin):
    r = make_router(lab, vrrpd_bin)
    rc, out = r.vtysh_config(SEED_LINES)
    assert (rc, out) == (0, "")
    own = r.running_config()                 # vtysh -d vrrpd
    merged = r.running_config(daemon=None)   # vtysh's merged one (zebra + vrrpd)
    assert SEED_BLOCK in own, own
    assert SEED_BLOCK in merged, merged


def test_seed_config_from_file(lab, vrrpd_bin):
    r = make_router(lab, vrrpd_bin, config=SEED_CONF)
    own = r.running_config()
    assert own == "!\n" + SEED_CONF, vrrplab.config_diff("!\n" + SEED_CONF, own)
    assert SEED_BLOCK in r.running_config(daemon=None)


def test_show_vrrp(lab, vrrpd_bin):
    r = make_router(lab, vrrpd_bin, config=SEED_CONF)
    rc, out = r.vtysh("show vrrp")
    assert rc == 0, out
    assert re.search(r"^ *Virtual Router ID +5 *$", out, re.M), out
    rc, out = r.vtysh("show vrrp json")
    assert rc == 0, out
    data = json.loads(out)
    assert isinstance(data, list) and len(data) == 1, data
    assert data[0]["vrid"] == 5
    assert data[0]["interface"] == "eth1"


def test_show_vrrp_json_empty(lab, vrrpd_bin):
    r = make_router(lab, vrrpd_bin)
    rc, out = r.vtysh("show vrrp json")
    assert rc == 0, out
    assert json.loads(out) == []


@pytest.mark.parametrize("configured", [False, True], ids=["empty", "seeded"])
def test_sigterm_exit_fast(lab, vrrpd_bin, configured):
    r = make_router(lab, vrrpd_bin, config=SEED_CONF if configured else "")
    d = r.vrrpd
    elapsed = d.stop(timeout=5)
    assert not d.alive()
    # A sanitized build also scans its heap for leaks on the way out.
    assert elapsed < vrrplab.slow(1.0), f"vrrpd took {elapsed:.3f}s to exit after SIGTERM"
    assert os.WIFEXITED(d.status) and os.WEXITSTATUS(d.status) == 0, d.exit_description()
    # zebra is unaffected
    assert r.zebra.alive()


def test_standard_options(lab, vrrpd_bin):
    """libfrr's standard options work: -A/-P open the TCP vty (FRR's vrrpd port is 2619) and
    --command-log-always logs every command received over vtysh."""
    r = lab.router(vrrpd_bin=vrrpd_bin)
    r.add_stub("eth1", ["10.10.10.15/24"])
    r.start_zebra()
    d = r.start_vrrpd(extra_args=["-A", "127.0.0.1", "-P", "2619", "--command-log-always"])
    listen = r.ns.run("ss", "-Hltn").stdout
    assert "127.0.0.1:2619" in listen, listen
    rc, out = r.vtysh("show vrrp summary")
    assert rc == 0, out
    assert re.search(r"vty\[\d+\]@# show vrrp summary", d.log()), d.log()


def test_capabilities(lab):
    """Our vrrpd keeps exactly CAP_NET_RAW (sockets) and CAP_NET_ADMIN (macvlans) after
    dropping to user frr; stock vrrpd keeps only CAP_NET_RAW."""
    r = make_router(lab, vrrplab.default_vrrpd_bin())
    status = dict(ln.split(":", 1) for ln in open(f"/proc/{r.vrrpd.pid}/status") if ":" in ln)
    permitted = int(status["CapPrm"].strip(), 16)
    CAP_NET_ADMIN, CAP_NET_RAW = 12, 13
    assert permitted == (1 << CAP_NET_ADMIN) | (1 << CAP_NET_RAW), hex(permitted)


@pytest.mark.parametrize("cmds,expected", [
    ([], "VRRP debugging status:\n"),
    (["debug vrrp protocol", "debug vrrp arp"],
     "VRRP debugging status:\ndebug vrrp arp\ndebug vrrp protocol\n"),
    (["debug vrrp", "no debug vrrp zebra"],
     "VRRP debugging status:\n" + "".join(f"debug vrrp {k}\n" for k in (
         "arp", "autoconfigure", "ndisc", "packets", "protocol", "sockets"))),
], ids=["none", "two", "all-but-zebra"])
def test_show_debugging(lab, vrrpd_bin, cmds, expected):
    """`show debugging` (vtysh has no `show debugging vrrp`: FRR defines it DEFUN_NOSH) after
    enable-mode debug commands prints what stock vrrpd prints."""
    r = make_router(lab, vrrpd_bin)
    rc, out = r.vtysh(*cmds, "show debugging", daemon="vrrpd")
    assert rc == 0, out
    assert out == expected + "\n", out  # vtysh ends each daemon's answer with a blank line
