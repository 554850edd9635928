# SPDX-License-Identifier: GPL-2.0-or-later
"""Notify commands through our vtysh: `vrrp notify script PATH [timeout N] [user U]`, its
per-router form under the interface, `vrrp notify fifo PATH`, and their `no` forms. Every form
round-trips through running-config exactly (only what is set is printed) and through a restart
with it as the configuration file; `show vrrp` reports the script in effect; a relative path, a
directory, a user that does not exist and out-of-range values are refused with a '%' message,
and nothing changes."""

import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from vrrptest import clicheck, vrrplab
from vrrptest.vrrpnet import wait_until

BASE = clicheck.SEED

# The notifier makes a configured FIFO at once: it goes in a directory of the test's.
FIFO_DIR = Path(tempfile.gettempdir()) / "vrrpd-notify-cli"
FIFO = f"{FIFO_DIR}/events.fifo"
S = "/etc/frr/notify.sh"

# (commands after "configure terminal", the lines running-config must then show for them)
ROUND_TRIPS = [
    ([f"vrrp notify script {S}"], [f"vrrp notify script {S}"]),
    ([f"vrrp notify script {S} timeout 30"], [f"vrrp notify script {S} timeout 30"]),
    ([f"vrrp notify script {S} timeout 1"], [f"vrrp notify script {S} timeout 1"]),
    ([f"vrrp notify script {S} timeout 3600"], [f"vrrp notify script {S} timeout 3600"]),
    ([f"vrrp notify script {S} user nobody"], [f"vrrp notify script {S} user nobody"]),
    # root, but only when named.
    ([f"vrrp notify script {S} user root"], [f"vrrp notify script {S} user root"]),
    # Options in either order, printed in one.
    ([f"vrrp notify script {S} user nobody timeout 30"],
     [f"vrrp notify script {S} timeout 30 user nobody"]),
    # The command sets the whole script: what it leaves out goes back to the default.
    ([f"vrrp notify script {S} timeout 30 user nobody", "vrrp notify script /usr/local/bin/n"],
     ["vrrp notify script /usr/local/bin/n"]),
    ([f"vrrp notify script {S} timeout 30", "no vrrp notify script"], []),
    ([f"vrrp notify script {S} timeout 30", f"no vrrp notify script {S} timeout 30"], []),
    ([f"vrrp notify fifo {FIFO}"], [f"vrrp notify fifo {FIFO}"]),
    ([f"vrrp notify fifo {FIFO}", "no vrrp notify fifo"], []),
    ([f"vrrp notify fifo {FIFO}", f"no vrrp notify fifo {FIFO}"], []),
    ([f"vrrp notify script {S}", f"vrrp notify fifo {FIFO}"],
     [f"vrrp notify script {S}", f"vrrp notify fifo {FIFO}"]),
    (["interface eth1", f"vrrp 5 notify script {S}"], [f" vrrp 5 notify script {S}"]),
    (["interface eth1", f"vrrp 5 notify script {S} timeout 7 user nobody"],
     [f" vrrp 5 notify script {S} timeout 7 user nobody"]),
    (["interface eth1", f"vrrp 5 notify script {S} user nobody", f"vrrp 5 notify script {S}"],
     [f" vrrp 5 notify script {S}"]),
    (["interface eth1", f"vrrp 5 notify script {S}", "no vrrp 5 notify script"], []),
    (["interface eth1", f"vrrp 5 notify script {S}", f"no vrrp 5 notify script {S}"], []),
    # A router's own and the global one side by side (vtysh prints global lines first).
    ([f"vrrp notify script {S}", "interface eth1", "vrrp 5 notify script /usr/local/bin/n"],
     [f"vrrp notify script {S}", " vrrp 5 notify script /usr/local/bin/n"]),
]

REJECTED = [
    ("relative", ["vrrp notify script notify.sh"],
     "notify script notify.sh: the path must be absolute (start with /)"),
    ("directory", ["vrrp notify script /etc/frr/"],
     "notify script /etc/frr/: the path names a directory, not a file"),
    ("no-such-user", [f"vrrp notify script {S} user nosuchuser0"],
     "notify script user nosuchuser0 does not exist on this system"),
    ("timeout-0", [f"vrrp notify script {S} timeout 0"], "% Unknown command"),
    ("timeout-3601", [f"vrrp notify script {S} timeout 3601"], "% Unknown command"),
    ("no-path", ["vrrp notify script"], "% Command incomplete"),
    ("fifo-relative", ["vrrp notify fifo events.fifo"],
     "notify FIFO events.fifo: the path must be absolute (start with /)"),
    ("router-relative", ["interface eth1", "vrrp 5 notify script ./n.sh"],
     "notify script ./n.sh: the path must be absolute (start with /)"),
    ("router-no-such-user", ["interface eth1", f"vrrp 5 notify script {S} user nosuchuser0"],
     "notify script user nosuchuser0 does not exist on this system"),
    ("router-vrid-0", ["interface eth1", f"vrrp 0 notify script {S}"], "% Unknown command"),
]

OURS = ("vrrp notify", " vrrp 5 notify")


@pytest.fixture(scope="module")
def vtysh_bin():
    return vrrplab.our_vtysh()


@pytest.fixture
def seeded(lab, vtysh_bin):
    FIFO_DIR.mkdir(mode=0o700, exist_ok=True)
    r = vrrplab.standard_router(lab)
    rc, out = r.vtysh_config(BASE, binary=vtysh_bin)
    assert (rc, out) == (0, ""), out
    yield r
    shutil.rmtree(FIFO_DIR, ignore_errors=True)


def our_lines(r):
    return [line for line in r.running_config().splitlines() if line.startswith(OURS)]


@pytest.mark.parametrize("cmds,want", ROUND_TRIPS, ids=[str(i) for i in range(len(ROUND_TRIPS))])
def test_round_trip(seeded, vtysh_bin, cmds, want):
    clicheck.check_round_trip(seeded, vtysh_bin, cmds, want, our_lines, restart=True)


def vr_json(r, vtysh_bin):
    rc, out = r.vtysh("show vrrp json", binary=vtysh_bin)
    assert rc == 0, out
    return json.loads(out)[0]


def notify_rows(r, vtysh_bin):
    """The Notify script rows of `show vrrp`, single-spaced; they come before the
    announcement policy's three, which stay last."""
    rc, out = r.vtysh("show vrrp", binary=vtysh_bin)
    rows = [" ".join(ln.split()) for ln in out.splitlines() if ln.strip()]
    assert rows[-3].startswith("Gratuitous ARP repeat"), out
    return [row for row in rows if row.startswith("Notify script ")]


def test_show_script_in_effect(seeded, vtysh_bin):
    assert vr_json(seeded, vtysh_bin)["notifyScript"] == ""
    rc, out = seeded.vtysh_config([f"vrrp notify script {S} timeout 4"], binary=vtysh_bin)
    assert (rc, out) == (0, ""), out
    assert vr_json(seeded, vtysh_bin)["notifyScript"] == S
    assert notify_rows(seeded, vtysh_bin) == [f"Notify script {S} (global)",
                                              "Notify script options timeout 4 s, user frr"]
    rc, out = seeded.vtysh_config(["interface eth1", "vrrp 5 notify script /usr/local/bin/n "
                                   "user nobody"], binary=vtysh_bin)
    assert (rc, out) == (0, ""), out
    data = vr_json(seeded, vtysh_bin)
    assert data["notifyScript"] == "/usr/local/bin/n"
    for key in ("notifySent", "notifyDropped", "notifyFifoDropped", "notifyScriptsSucceeded",
                "notifyScriptsFailed"):
        assert isinstance(data[key], int), key
    assert notify_rows(seeded, vtysh_bin) == ["Notify script /usr/local/bin/n (own)",
                                              "Notify script options timeout 10 s, user nobody"]
    rc, out = seeded.vtysh_config(["interface eth1", "no vrrp 5 notify script"],
                                  binary=vtysh_bin)
    assert vr_json(seeded, vtysh_bin)["notifyScript"] == S


def test_fifo_made_when_configured(seeded, vtysh_bin):
    rc, out = seeded.vtysh_config([f"vrrp notify fifo {FIFO}"], binary=vtysh_bin)
    assert (rc, out) == (0, ""), out
    p = Path(FIFO)
    wait_until(lambda: p.is_fifo(), 5, "the notifier made the FIFO")
    st = p.stat()
    assert (st.st_mode & 0o7777, st.st_uid) == (0o600, vrrplab._frr_ids()[0])


@pytest.mark.parametrize("cmds,message", [c[1:] for c in REJECTED],
                         ids=[c[0] for c in REJECTED])
def test_rejected_and_unchanged(seeded, vtysh_bin, cmds, message):
    rc, out = seeded.vtysh_config([f"vrrp notify script {S} timeout 9", "interface eth1",
                                   "vrrp 5 notify script /usr/local/bin/n user nobody"],
                                  binary=vtysh_bin)
    assert (rc, out) == (0, ""), out
    clicheck.check_rejected(seeded, vtysh_bin, cmds, message)


# A grouped load (vrrpd.conf at start, `vtysh -b`) rejects exactly the notify lines that fail
# validation, each with its message, and applies the others (vrrp_cfgload.c).
LOAD = """vrrp notify script /etc/frr/notify.sh timeout 5
vrrp notify fifo relative.fifo
!
interface eth1
 vrrp 5
 vrrp 5 ip 10.10.10.16
 vrrp 5 notify script rel.sh
 vrrp 6
 vrrp 6 ip 10.10.10.17
 vrrp 6 notify script /usr/local/bin/n user nosuchuser0
 vrrp 7
 vrrp 7 ip 10.10.10.18
 vrrp 7 notify script /usr/local/bin/n user nobody
exit
!
"""
LOAD_BAD = {2: "notify FIFO relative.fifo: the path must be absolute",
            7: "notify script rel.sh: the path must be absolute",
            10: "notify script user nosuchuser0 does not exist on this system"}
LOAD_KEPT = ["vrrp notify script /etc/frr/notify.sh timeout 5", "interface eth1", " vrrp 5",
             " vrrp 5 ip 10.10.10.16", " vrrp 6", " vrrp 6 ip 10.10.10.17", " vrrp 7",
             " vrrp 7 ip 10.10.10.18", " vrrp 7 notify script /usr/local/bin/n user nobody",
             "exit"]


def loaded_router(lab, config):
    r = lab.router()
    r.add_stub("eth1", ["10.10.10.15/24"])
    r.start_zebra()
    return r.start_vrrpd(config).router


def config_lines(r):
    """vrrpd's lines of running-config (vtysh's own `service ...` line left out)."""
    return [ln for ln in r.running_config().splitlines()
            if ln.strip() and ln != "!" and not ln.startswith("service ")]


def test_file_load_rejects_only_the_bad_notify_lines(lab):
    r = loaded_router(lab, LOAD)
    wait_until(lambda: "configuration load:" in r.vrrpd.log(), 30, "the load's summary")
    log = r.vrrpd.log()
    failed = sorted(int(n) for n in re.findall(r"on config line (\d+):", log))
    assert failed == sorted(LOAD_BAD), log[-3000:]
    for msg in LOAD_BAD.values():
        assert msg in log, (msg, log[-3000:])
    assert config_lines(r) == LOAD_KEPT


def test_vtysh_boot_rejects_only_the_bad_notify_lines(lab, vtysh_bin):
    r = loaded_router(lab, "")
    vrrplab._write_frr_file(r.etcdir / "vtysh.conf", "service integrated-vtysh-config\n", 0o640)
    vrrplab._write_frr_file(r.etcdir / "frr.conf", LOAD, 0o640)
    cp = vrrplab.run([str(vtysh_bin), "-N", r.name, "-b"], check=False, timeout=120)
    assert cp.returncode != 0
    for msg in LOAD_BAD.values():
        assert msg in cp.stdout, cp.stdout[-3000:]
    assert config_lines(r) == LOAD_KEPT
