# SPDX-License-Identifier: GPL-2.0-or-later
"""Loading a configuration in few northbound transactions (vrrpd/vrrp_cfgload.c): vrrpd.conf at
start and `vtysh -b` with an integrated frr.conf apply 1,000 routers in a handful of commits,
each router reloaded once, and a line that fails validation is still rejected alone, with its
message, while every other line is applied.

Counts, not wall time: the daemon logs `configuration load: C commits, R router reloads,
N routers, T us` at the end of each load (vrrpd.conf, or XFRR_end_configuration)."""

import re
import time

import pytest

from vrrptest import vrrplab

LOAD_RE = re.compile(r"configuration load: (\d+) commits, (\d+) router reloads, (\d+) routers")


def routers_conf(counts, bad=None):
    """counts[k-1] routers on ethK, each `vrrp V`, priority, one address; bad maps
    (k, after_vrid) to extra lines placed after that router. Returns (text, {bad line: number})."""
    out = ["no vrrp default macvlan-autocreate", "!"]
    bad_lines = {}
    for k, n in enumerate(counts, 1):
        out.append(f"interface eth{k}")
        for v in range(1, n + 1):
            out += [f" vrrp {v}", f" vrrp {v} priority 200", f" vrrp {v} ip 10.{k}.{v}.1"]
            for ln in (bad or {}).get((k, v), []):
                out.append(ln)
                bad_lines[ln] = len(out)
        out += ["exit", "!"]
    return "\n".join(out) + "\n", bad_lines


def make_router(lab, parents):
    r = lab.router()
    for k in range(1, parents + 1):
        r.add_stub(f"eth{k}", [f"10.{k}.0.15/16"])
    r.start_zebra()
    return r


def start_with(r, text):
    d = vrrplab.Daemon(r, "vrrpd", r.vrrpd_bin, text)
    r.daemons["vrrpd"] = d
    d.start(timeout=90)
    return d


def load_counts(r, timeout=60):
    deadline = time.monotonic() + timeout
    while True:
        m = LOAD_RE.findall(r.vrrpd.log())
        if m:
            return tuple(map(int, m[-1]))
        assert time.monotonic() < deadline, r.vrrpd.dump_log()
        time.sleep(0.1)


def vtysh_boot(r, text):
    vrrplab._write_frr_file(r.etcdir / "vtysh.conf", "service integrated-vtysh-config\n", 0o640)
    vrrplab._write_frr_file(r.etcdir / "frr.conf", text, 0o640)
    return vrrplab.run([str(vrrplab.our_vtysh()), "-N", r.name, "-b"], check=False, timeout=120)


def vrrp_lines(text):
    return [ln.strip() for ln in text.splitlines() if ln.startswith(" vrrp ")]


COUNTS = [250, 250, 250, 250]


def test_file_load_of_1000_routers_is_a_few_commits(lab):
    r = make_router(lab, len(COUNTS))
    start_with(r, routers_conf(COUNTS)[0])
    commits, reloads, routers = load_counts(r)
    assert routers == 1000
    assert reloads == 1000, "each router reloaded once"
    # libfrr commits at each `interface` line and before each `exit`: two per interface, plus
    # the global line; line by line it was one per line (3,005).
    assert commits <= 2 * len(COUNTS) + 1, commits


def test_vtysh_boot_of_1000_routers_is_a_few_commits(lab):
    r = make_router(lab, len(COUNTS))
    start_with(r, "")
    cp = vtysh_boot(r, routers_conf(COUNTS)[0])
    assert cp.returncode == 0, cp.stdout + (cp.stderr or "")
    commits, reloads, routers = load_counts(r)
    assert (routers, reloads) == (1000, 1000)
    assert commits <= 2 * len(COUNTS) + 1, commits


# Lines that fail: in the northbound (an address another router of the interface has, a
# multicast address) and in the command (an interval that is not a multiple of 10 ms).
BAD = {
    (1, 20): [" vrrp 21 ip 10.1.3.1"],
    (1, 40): [" vrrp 40 ip 224.0.0.5"],
    (2, 10): [" vrrp 10 advertisement-interval 15"],
}
MESSAGES = [
    "10.1.3.1 is already a virtual address of VRID 3 on this interface",
    "224.0.0.5 cannot be a virtual address: it is a multicast address",
    "Advertisement interval 15 ms is not a multiple of 10 ms",
]


def expected_running(text, bad_lines):
    """The routers' lines of text without the bad ones, as vrrpd prints them."""
    return [ln for ln in vrrp_lines(text) if " " + ln not in bad_lines]


def test_file_load_rejects_exactly_the_bad_lines(lab):
    text, bad_lines = routers_conf([60, 60], BAD)
    r = make_router(lab, 2)
    start_with(r, text)
    load_counts(r)
    log = r.vrrpd.log()
    failed = sorted(int(n) for n in re.findall(r"on config line (\d+):", log))
    assert failed == sorted(bad_lines.values()), log[-3000:]
    out = (r.vrrpd.outfile.read_text(errors="replace") if r.vrrpd.outfile.exists() else "")
    for msg in MESSAGES[:2]:
        assert msg in log + out, (msg, out[-2000:])
    assert "dynamically grouped" not in log + out
    assert vrrp_lines(r.running_config()) == expected_running(text, bad_lines)


def test_vtysh_boot_rejects_exactly_the_bad_lines(lab):
    text, bad_lines = routers_conf([60, 60], BAD)
    r = make_router(lab, 2)
    start_with(r, "")
    cp = vtysh_boot(r, text)
    out = cp.stdout + (cp.stderr or "")
    assert cp.returncode != 0
    for msg in MESSAGES:
        assert msg in out, out[-3000:]
    assert "dynamically grouped" not in out, out[-3000:]
    assert vrrp_lines(r.running_config()) == expected_running(text, bad_lines)
