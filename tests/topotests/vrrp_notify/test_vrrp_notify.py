# SPDX-License-Identifier: GPL-2.0-or-later
"""Notify scripts through FRR's topotest framework: r1 (priority 210) and r2 (200) on one LAN,
VRID 5 at 200 ms, `vrrp notify script` on both. For r1's kill -9 (r2 takes over), its start
(Backup) and its preemption back, each router's script records exactly its transitions, in
order, with keepalived's arguments (INSTANCE <name> <STATE> <priority>) and the VRRP_REASON
environment variable; no notifier child is left a zombie."""

import os
import pwd
import shutil
import tempfile

import pytest

import vrrptopo as vt

pytestmark = [pytest.mark.vrrpd]

SCRIPT = """#!/bin/sh
# keepalived's notify arguments: $1 INSTANCE, $2 name, $3 state, $4 priority
echo "$1 $2 $3 $4 $VRRP_REASON" >> {log}
"""


def setup_module(mod):
    vt.setup_lan(mod, ["r1", "r2"])
    mod.tmp = tempfile.mkdtemp(prefix="vrrp-notify-")
    os.chmod(mod.tmp, 0o755)
    frr = pwd.getpwnam("frr")
    tgen = vt.get_topogen()
    for name, router in tgen.routers().items():
        log = os.path.join(mod.tmp, name + ".log")
        script = os.path.join(mod.tmp, name + ".sh")
        with open(script, "w") as f:
            f.write(SCRIPT.format(log=log))
        os.chmod(script, 0o755)
        open(log, "w").close()
        os.chown(log, frr.pw_uid, frr.pw_gid)


def configure_scripts(tgen):
    """`vrrp notify script` on both routers, through our vtysh and in the file a restarted
    vrrpd reads."""
    for name, router in tgen.routers().items():
        line = "vrrp notify script " + os.path.join(__import__(__name__).tmp, name + ".sh")
        vt.configure_ours(router, [line])
        vt.write_conf(router, vt.conf_with(vt.read_conf(router), global_lines=[line]))


def teardown_module(mod):
    vt.teardown_lan()
    shutil.rmtree(mod.tmp, ignore_errors=True)


def lines(name):
    with open(os.path.join(__import__(__name__).tmp, name + ".log")) as f:
        return [ln.split() for ln in f.read().splitlines()]


def expect_lines(name, want, timeout=10.0):
    def check():
        got = lines(name)
        return None if got == want else got
    ok, got = vt.topotest.run_and_expect(check, None, count=int(timeout / 0.1), wait=0.1)
    assert ok, "{}: notify script saw {}, want {}".format(name, got, want)


def test_notify_transitions_in_order(tgen):
    "kill -9 of r1's vrrpd, its start and its preemption back, as both scripts record them."
    vt.routers_running(tgen)
    r1, r2 = tgen.gears["r1"], tgen.gears["r2"]
    vt.expect_states(tgen, [5], {"r1": "Master", "r2": "Backup"}, timeout=15)
    n1, n2 = "r1-eth0-5-v4", "r2-eth0-5-v4"
    # Configured once the roles are settled: the election itself is not recorded.
    configure_scripts(tgen)
    assert lines("r1") == [] and lines("r2") == []

    def r2_master(router):
        vt.expect_states(tgen, [5], {"r2": "Master"}, timeout=10)

    vt.restart_vrrpd(r1, sig="KILL", downtime=0, while_down=r2_master)
    vt.expect_states(tgen, [5], {"r1": "Master", "r2": "Backup"}, timeout=15)
    expect_lines("r2", [["INSTANCE", n2, "MASTER", "200", "master-timeout"],
                        ["INSTANCE", n2, "BACKUP", "200", "higher-priority"]])
    expect_lines("r1", [["INSTANCE", n1, "BACKUP", "210", "startup"],
                        ["INSTANCE", n1, "MASTER", "210", "master-timeout"]])
    for name in ("r1", "r2"):
        for pid in vt.processes_named(tgen.gears[name], "vrrpd-notify"):
            with open("/proc/{}/task/{}/children".format(pid, pid)) as f:
                kids = f.read().split()
            for kid in kids:
                with open("/proc/{}/stat".format(kid)) as f:
                    assert f.read().split(") ")[1][0] != "Z", "zombie child of the notifier"
