# SPDX-License-Identifier: GPL-2.0-or-later
"""Our frr-vrrpd YANG module compiles to exactly FRR's schema, and our extension module is valid."""

import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def sdk_yang_dir() -> Path:
    prefix = subprocess.run([str(REPO / "scripts/frr-sdk.sh")], check=True, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            timeout=900).stdout.strip().splitlines()[-1]
    return Path(prefix) / "share/frr-sdk/yang"


def tree(module: Path, yang_dir: Path) -> str:
    """The compiled tree of frr-vrrpd's augment of frr-interface, as yanglint prints it."""
    out = subprocess.run(["yanglint", "-p", str(yang_dir), "-f", "tree",
                          str(yang_dir / "frr-interface.yang"), str(module)],
                         check=True, text=True, stdout=subprocess.PIPE, timeout=60).stdout
    lines = out.splitlines()
    start = next(i for i, ln in enumerate(lines) if "frr-vrrpd:vrrp" in ln)
    return "\n".join(lines[start:])


def test_frr_vrrpd_schema_matches_upstream():
    yang_dir = sdk_yang_dir()
    ours = tree(REPO / "yang/frr-vrrpd.yang", yang_dir)
    theirs = tree(yang_dir / "frr-vrrpd.yang", yang_dir)
    assert "virtual-router-id" in ours and "neighbor-advertisement" in ours
    assert ours == theirs


def test_frr_vrrpd_header_matches_upstream():
    """Module name, namespace, prefix and revision are what FRR's tools look for."""
    yang_dir = sdk_yang_dir()

    def header(path):
        text = path.read_text()
        keep = ("module ", "namespace ", "prefix frr-vrrpd", "revision ")
        return [ln.strip() for ln in text.splitlines() if ln.strip().startswith(keep)]

    assert header(REPO / "yang/frr-vrrpd.yang") == header(yang_dir / "frr-vrrpd.yang")


def test_extension_module_is_valid():
    """vrrpd-ext compiles against FRR's modules and our frr-vrrpd, and augments the group."""
    yang_dir = sdk_yang_dir()
    out = subprocess.run(["yanglint", "-p", str(yang_dir), "-p", str(REPO / "yang"), "-f", "tree",
                          str(REPO / "yang/vrrpd-ext.yang")],
                         check=True, text=True, stdout=subprocess.PIPE, timeout=60).stdout
    for leaf in ("checksum-with-ipv4-pseudoheader", "macvlan-autocreate", "autoconfigure",
                 "gratuitous-arp"):
        assert leaf in out, out
