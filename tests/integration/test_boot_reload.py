# SPDX-License-Identifier: GPL-2.0-or-later
"""Booting and reloading FRR's way with extension commands: an integrated frr.conf applied by
`vtysh -b`, `write memory` and a restart giving the same configuration, and frr-reload.py
computing minimal deltas, all through our vtysh (scripts/vtysh.sh)."""

import subprocess

import pytest

from vrrptest import vrrplab

FRR_RELOAD = "/usr/lib/frr/frr-reload.py"

# Stock and extension lines (the extensions: macvlan-autocreate and the checksum mode).
BOOT = """\
vrrp default priority 150
no vrrp default macvlan-autocreate
!
interface eth1
 vrrp 5
 vrrp 5 priority 210
 vrrp 5 ip 10.10.10.16
 no vrrp 5 checksum-with-ipv4-pseudoheader
 vrrp 6 version 2
 vrrp 6 ip 10.10.10.6
 no vrrp 6 macvlan-autocreate
exit
!
"""

# What vrrpd prints for BOOT: the file as it is (stock's order, each router's extension lines
# after its stock ones), so a booted configuration saves back unchanged.
RUNNING = BOOT



def integrated(r, text):
    """Make the router's pathspace use an integrated frr.conf holding text."""
    vrrplab._write_frr_file(r.etcdir / "vtysh.conf", "service integrated-vtysh-config\n", 0o640)
    vrrplab._write_frr_file(r.etcdir / "frr.conf", text, 0o640)


@pytest.fixture
def router(lab):
    r = lab.router()
    r.add_stub("eth1", ["10.10.10.15/24"])
    r.start()
    return r


def vtysh_boot(r, binary) -> subprocess.CompletedProcess:
    return vrrplab.run([str(binary), "-N", r.name, "-b"], check=False, timeout=60)


def vrrpd_config(r) -> str:
    """vrrpd's running-config without vtysh's own integrated-config line."""
    return r.running_config().replace("service integrated-vtysh-config\n", "")


def test_boot_applies_every_line(router, vtysh_bin):
    integrated(router, BOOT)
    cp = vtysh_boot(router, vtysh_bin)
    assert cp.returncode == 0, cp.stdout + (cp.stderr or "")
    assert vrrpd_config(router) == RUNNING


def test_stock_vtysh_boot_loses_extension_lines(router):
    """Why our vtysh is needed: Debian's stops at the first extension line."""
    integrated(router, BOOT)
    cp = vtysh_boot(router, vrrplab.VTYSH_BIN)
    assert cp.returncode != 0
    assert "no vrrp default macvlan-autocreate" not in vrrpd_config(router)


def test_write_memory_and_restart_keep_the_configuration(router, vtysh_bin):
    integrated(router, BOOT)
    assert vtysh_boot(router, vtysh_bin).returncode == 0
    rc, out = router.vtysh("write memory", binary=vtysh_bin)
    assert rc == 0, out
    saved = (router.etcdir / "frr.conf").read_text()
    assert "no vrrp 6 macvlan-autocreate" in saved, saved
    # The whole service restarts: both daemons start empty and the saved file is booted.
    router.vrrpd.stop()
    router.zebra.stop()
    router.start()
    assert vrrpd_config(router).strip("!\n") == ""
    cp = vtysh_boot(router, vtysh_bin)
    assert cp.returncode == 0, cp.stdout + (cp.stderr or "")
    assert vrrpd_config(router) == RUNNING


def reload(router, vtysh_bin, text, mode):
    new = router.workdir / "new-frr.conf"
    new.write_text(text)
    return vrrplab.run(["/usr/bin/python3", FRR_RELOAD, mode, "--stdout", "--pathspace",
                        router.name, "--bindir", str(vtysh_bin.parent), str(new)],
                       check=False, timeout=120)


def delta(out: str) -> tuple[list[str], list[str]]:
    """The "Lines To Delete" and "Lines To Add" of frr-reload.py --test, as the commands it
    would run: "interface eth1: vrrp 5 priority 220" for a line inside a node."""
    dels, adds, cur, node = [], [], None, ""
    for line in out.splitlines():
        if line.startswith("Lines To Delete"):
            cur = dels
        elif line.startswith("Lines To Add"):
            cur = adds
        elif cur is None or not line.strip() or line.startswith("="):
            continue
        elif line.startswith(" "):
            cur.append(f"{node}: {line.strip()}")
        else:
            node = line.strip()
            if not node.startswith(("interface ", "router ")):
                cur.append(node)
    return dels, adds


def edit(text: str) -> str:
    """One stock line changed, one extension line removed, one global default replaced."""
    return text.replace(" vrrp 5 priority 210\n", " vrrp 5 priority 220\n").replace(
        " no vrrp 6 macvlan-autocreate\n", "").replace(
        "no vrrp default macvlan-autocreate\n", "vrrp default advertisement-interval 2000\n")


def whole_running_config(r, binary) -> str:
    """vtysh's merged running-config of every daemon, as a file frr-reload.py can read."""
    rc, out = r.vtysh("show running-config", binary=binary)
    assert rc == 0, out
    lines = out.splitlines()
    assert lines[:len(vrrplab.HEADER)] == vrrplab.HEADER, out
    return "".join(ln + "\n" for ln in lines[len(vrrplab.HEADER):])


def test_reload_deltas_are_minimal(router, vtysh_bin):
    integrated(router, BOOT)
    assert vtysh_boot(router, vtysh_bin).returncode == 0
    changed = edit(whole_running_config(router, vtysh_bin))
    cp = reload(router, vtysh_bin, changed, "--test")
    assert cp.returncode == 0, cp.stdout + (cp.stderr or "")
    dels, adds = delta(cp.stdout)
    # A removed "no ..." line is undone by its positive form, a changed one by "no ...".
    assert sorted(dels) == sorted([
        "interface eth1: no vrrp 5 priority 210",
        "interface eth1: vrrp 6 macvlan-autocreate",
        "vrrp default macvlan-autocreate",
    ]), cp.stdout
    assert sorted(adds) == sorted([
        "interface eth1: vrrp 5 priority 220",
        "vrrp default advertisement-interval 2000",
    ]), cp.stdout
    cp = reload(router, vtysh_bin, changed, "--reload")
    assert cp.returncode == 0, cp.stdout + (cp.stderr or "")
    assert vrrpd_config(router) == edit(RUNNING)
    # Nothing is left to do.
    assert delta(reload(router, vtysh_bin, changed, "--test").stdout) == ([], [])


def test_reload_with_explicit_version_ends_in_the_same_configuration(router, vtysh_bin):
    """A file saying `vrrp 5 version 3` where running-config says `vrrp 5`, as FRR 8.4 prints
    it (byte-identical output is the drop-in promise; FRR 10.4 prints the version instead):
    frr-reload.py sees two different lines, deletes the router and creates it again, then its
    second pass restores every setting. The configuration ends the same; the router went
    through Initialize, which the manual warns about."""
    integrated(router, BOOT)
    assert vtysh_boot(router, vtysh_bin).returncode == 0
    text = whole_running_config(router, vtysh_bin).replace(" vrrp 5\n", " vrrp 5 version 3\n")
    cp = reload(router, vtysh_bin, text, "--test")
    assert delta(cp.stdout) == (["interface eth1: no vrrp 5"],
                                ["interface eth1: vrrp 5 version 3"]), cp.stdout
    cp = reload(router, vtysh_bin, text, "--reload")
    assert cp.returncode == 0, cp.stdout + (cp.stderr or "")
    assert sorted(vrrpd_config(router).splitlines()) == sorted(RUNNING.splitlines())
