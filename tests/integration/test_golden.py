# SPDX-License-Identifier: GPL-2.0-or-later
"""Golden tests: tests/golden/NAME.vtysh applied via vtysh must give exactly NAME.conf."""

# File formats (tests/golden/):
#   NAME.vtysh  configure-mode commands, one per line, like a frr.conf fragment (interface
#               context lines included; indentation is cosmetic). Blank lines and '#' lines are
#               ignored. Sent as `vtysh -N NS -c 'configure terminal' -c LINE ...` to a fresh
#               router (new namespace with eth0, eth1, eth2; zebra; vrrpd with an empty config).
#               vtysh must exit 0 and print nothing.
#   NAME.conf   exactly what `vtysh -N NS -d vrrpd -c 'show running-config'` prints after that,
#               normalised by vrrplab.normalise_running_config():
#                 - drop the frame "Building configuration...", "", "Current configuration:", "!"
#                   (first four lines) and "end" (last line);
#                 - drop top-level "frr version ", "frr defaults ", "hostname ", "log " lines;
#                 - keep everything else byte for byte ("!" separators, order, indentation).
#               Generated from STOCK /usr/lib/frr/vrrpd by tests/golden/regen.py; never edit
#               by hand.
# Tests, each for ours ($VRRPD_BIN, default vrrpd/vrrpd) and stock (id "stock"):
#   test_golden_vtysh        NAME.vtysh via vtysh -> running-config == NAME.conf
#   test_golden_fixed_point  vrrpd started with `-f NAME.conf` -> running-config == NAME.conf

import pytest

from vrrptest import vrrplab

GOLDENS = vrrplab.golden_names()

pytestmark = pytest.mark.golden


def expected(name: str) -> str:
    path = vrrplab.GOLDEN_DIR / f"{name}.conf"
    assert path.exists(), f"{path} missing: run tests/golden/regen.py"
    return path.read_text()


def test_goldens_present():
    assert len(GOLDENS) >= 40, GOLDENS
    assert "everything" in GOLDENS
    stray = sorted({p.stem for p in vrrplab.GOLDEN_DIR.glob("*.conf")} - set(GOLDENS))
    assert not stray, f".conf files without a .vtysh: {stray}"


@pytest.mark.parametrize("name", GOLDENS)
def test_golden_vtysh(lab, vrrpd_bin, name):
    """(a)/(b): a fresh daemon configured through vtysh prints exactly the golden."""
    want = expected(name)
    r = vrrplab.standard_router(lab, binary=vrrpd_bin)
    got = vrrplab.apply_golden_input(r, name)
    assert got == want, f"{name}: running-config differs from golden\n" + \
        vrrplab.config_diff(want, got, f"{name}.conf", "running-config")


@pytest.mark.parametrize("name", GOLDENS)
def test_golden_fixed_point(lab, vrrpd_bin, name):
    """(c): a fresh daemon started with the golden as its -f config prints the golden again."""
    want = expected(name)
    r = vrrplab.standard_router(lab, binary=vrrpd_bin, vrrpd_config=want)
    got = r.running_config()
    assert got == want, f"{name}: running-config after -f {name}.conf differs\n" + \
        vrrplab.config_diff(want, got, f"{name}.conf", "running-config")
