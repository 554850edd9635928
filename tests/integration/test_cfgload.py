# SPDX-License-Identifier: GPL-2.0-or-later
"""Loading a configuration in one northbound transaction (vrrpd/vrrp_cfgload.c): vrrpd.conf at
start and `vtysh -b` with an integrated frr.conf apply 1,000 routers on four interfaces, or one
router on each of hundreds of interfaces, in one commit, each router reloaded once; a line that
fails validation is still rejected alone, with its line number and message, and every other
line is applied as a line-by-line load would.

Counts, not wall time: the daemon logs `configuration load: C commits, R router reloads,
N routers, T us` at the end of each load (vrrpd.conf, or XFRR_end_configuration)."""

import json
import re
import time

import pytest

from vrrptest import vrrplab

LOAD_RE = re.compile(r"configuration load: (\d+) commits, (\d+) router reloads, (\d+) routers")


def net(k):
    """The first two octets of ethK's addresses (10.K while K < 256)."""
    return f"{10 + k // 256}.{k % 256}"


def routers_conf(counts, bad=None):
    """counts[k-1] routers on ethK, each `vrrp V`, priority, one address; bad maps
    (k, after_vrid) to extra lines placed after that router. Returns (text, {bad line: number})."""
    out = ["no vrrp default macvlan-autocreate", "!"]
    bad_lines = {}
    for k, n in enumerate(counts, 1):
        out.append(f"interface eth{k}")
        for v in range(1, n + 1):
            out += [f" vrrp {v}", f" vrrp {v} priority 200", f" vrrp {v} ip {net(k)}.{v}.1"]
            for ln in (bad or {}).get((k, v), []):
                out.append(ln)
                bad_lines[ln] = len(out)
        out += ["exit", "!"]
    return "\n".join(out) + "\n", bad_lines


def make_router(lab, parents):
    r = lab.router()
    r.add_stubs({f"eth{k}": [f"{net(k)}.0.15/16"] for k in range(1, parents + 1)})
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


def load(r, how, text):
    """Start vrrpd with text as vrrpd.conf (file-end: followed by `end`), or empty and then
    `vtysh -b` with text as frr.conf; returns vtysh's output (empty for a file)."""
    if how in ("file", "file-end"):
        # FRR writes a daemon's file with `end` as its last line: the group must not stay
        # behind at it.
        start_with(r, text + ("end\n" if how == "file-end" else ""))
        return ""
    start_with(r, "")
    cp = vtysh_boot(r, text)
    return cp.stdout + (cp.stderr or "")


def vrrp_lines_by_interface(text):
    """{interface: its vrrp lines in order}: running-config need not list interfaces in the
    file's order."""
    out, cur = {}, None
    for ln in text.splitlines():
        if ln.startswith("interface "):
            cur = out.setdefault(ln.split()[1], [])
        elif ln.startswith(" vrrp ") and cur is not None:
            cur.append(ln.strip())
    return {k: v for k, v in out.items() if v}


FOUR = [250, 250, 250, 250]
# One router on each of 300 interfaces: libfrr alone commits at least once per interface.
PER_INTERFACE = [1] * 300


@pytest.mark.parametrize("how", ["file", "file-end", "vtysh-b"])
@pytest.mark.parametrize("counts", [FOUR, PER_INTERFACE], ids=["4-interfaces", "300-interfaces"])
def test_load_is_one_commit(lab, how, counts):
    text = routers_conf(counts)[0]
    r = make_router(lab, len(counts))
    out = load(r, how, text)
    assert "line " not in out, out[-3000:]
    commits, reloads, routers = load_counts(r)
    # Line by line it was one commit per line (3,005 for 1,000 routers); libfrr's own grouping
    # commits at every interface, exit and (vtysh's) end.
    assert (routers, reloads, commits) == (sum(counts), sum(counts), 1)
    assert vrrp_lines_by_interface(r.running_config()) == vrrp_lines_by_interface(text)
    # The interfaces exist and were configured: the routers run on them.
    rc, js = r.vtysh(f"show vrrp interface eth{len(counts)} 1 json")
    assert rc == 0 and json.loads(js)[0]["interface"] == f"eth{len(counts)}", js


# Lines that fail: in the northbound (an address another router of the interface has, a
# multicast address) and in the command (an interval that is not a multiple of 10 ms).
BAD = {
    (1, 20): [" vrrp 21 ip 10.1.3.1"],
    (1, 40): [" vrrp 40 ip 224.0.0.5"],
    (2, 10): [" vrrp 10 advertisement-interval 15"],
}
# The same on many interfaces of two routers each, the bad lines in the middle.
BAD_MANY = {
    (9, 2): [" vrrp 2 ip 10.9.1.1"],
    (20, 1): [" vrrp 1 ip 224.0.0.5"],
    (31, 2): [" vrrp 2 advertisement-interval 15"],
}
MESSAGES = {
    (1, 20): "10.1.3.1 is already a virtual address of VRID 3 on this interface",
    (1, 40): "224.0.0.5 cannot be a virtual address: it is a multicast address",
    (2, 10): "Advertisement interval 15 ms is not a multiple of 10 ms",
    (9, 2): "10.9.1.1 is already a virtual address of VRID 1 on this interface",
    (20, 1): "224.0.0.5 cannot be a virtual address: it is a multicast address",
    (31, 2): "Advertisement interval 15 ms is not a multiple of 10 ms",
}
# Each line that fails in the northbound is committed alone, so it splits the group.
NB_FAILURES = 2


def without(text, bad_lines):
    return "".join(ln + "\n" for ln in text.splitlines() if ln not in bad_lines)


@pytest.mark.parametrize("how", ["file", "vtysh-b"])
@pytest.mark.parametrize("counts,bad", [([60, 60], BAD), ([2] * 40, BAD_MANY)],
                         ids=["2-interfaces", "40-interfaces"])
def test_load_rejects_exactly_the_bad_lines(lab, how, counts, bad):
    text, bad_lines = routers_conf(counts, bad)
    r = make_router(lab, len(counts))
    out = load(r, how, text)
    commits, reloads, routers = load_counts(r)
    log = r.vrrpd.log()
    if how == "file":
        failed = re.findall(r"on config line (\d+):", log)
        out = r.vrrpd.outfile.read_text(errors="replace") if r.vrrpd.outfile.exists() else ""
        text_out = log + out
        messages = [m for k, m in MESSAGES.items() if k in bad and "interval" not in m]
    else:
        failed = re.findall(r"line (\d+): ", out)
        text_out = out
        messages = [m for k, m in MESSAGES.items() if k in bad]
    assert sorted(map(int, failed)) == sorted(bad_lines.values()), text_out[-3000:]
    for msg in messages:
        assert msg in text_out, (msg, text_out[-3000:])
    assert "dynamically grouped" not in text_out, text_out[-3000:]
    assert commits == 1 + NB_FAILURES, commits
    assert (routers, reloads) == (sum(counts), sum(counts))
    assert (vrrp_lines_by_interface(r.running_config())
            == vrrp_lines_by_interface(without(text, bad_lines)))
