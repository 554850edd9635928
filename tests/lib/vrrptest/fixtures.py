# SPDX-License-Identifier: GPL-2.0-or-later
"""pytest fixtures and hooks shared by the suites that run vrrplab labs (tests/integration,
tests/adapters, tests/interop): environment check, per-test time limit, per-test Lab, the vrrpd
binaries. A suite's conftest.py puts tests/lib on sys.path and imports them by name."""

import contextlib
import os
import signal

import pytest

from vrrptest import vrrplab

# What a conftest.py takes with `from vrrptest.fixtures import *`: hooks, fixtures, BINARIES.
__all__ = ["BINARIES", "vtysh_bin", "pytest_report_header", "pytest_runtest_makereport", "_environment",
           "_test_timeout", "lab", "vrrpd_bin", "router", "keepalived"]

# The vrrpd binaries tests are parametrised over: ours ($VRRPD_BIN or vrrpd/vrrpd in the repo)
# and Debian's stock one (the reference behaviour).
BINARIES = {"ours": vrrplab.default_vrrpd_bin(), "stock": vrrplab.STOCK_VRRPD}

TEST_TIMEOUT = float(os.environ.get("VRRPLAB_TEST_TIMEOUT", "120"))


def pytest_report_header(config):
    return [f"vrrpd under test (ours): {BINARIES['ours']}",
            f"stock vrrpd: {BINARIES['stock']}"]


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


@pytest.fixture(scope="session", autouse=True)
def _environment():
    """Fail (never skip) every test if the machine cannot run them; check for leftovers."""
    problems = vrrplab.check_environment()
    if problems:
        pytest.fail("integration tests cannot run here:\n  " + "\n  ".join(problems),
                    pytrace=False)
    yield
    left = vrrplab.leftovers()
    if left:
        pytest.fail("lab resources left behind:\n  " + "\n  ".join(left), pytrace=False)


@contextlib.contextmanager
def time_limit(seconds: float, variable: str):
    """Fail the running test once it has taken `seconds` of wall-clock time (SIGALRM);
    `variable` names the environment variable that sets the limit, for the message. The
    topotests' conftest.py uses it too."""
    def expired(signum, frame):
        pytest.fail(f"test exceeded {seconds:g}s ({variable})")
    old = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@pytest.fixture(autouse=True)
def _test_timeout():
    """Per-test wall-clock limit ($VRRPLAB_TEST_TIMEOUT, default 120 s) via SIGALRM; on top
    of this, every subprocess call in vrrplab has its own timeout."""
    with time_limit(TEST_TIMEOUT, "VRRPLAB_TEST_TIMEOUT"):
        yield


@pytest.fixture
def lab(request):
    """A fresh Lab; everything it created is removed after the test, whatever the outcome.
    On failure the daemons' logs are printed; a daemon that died on its own is an error."""
    lb = vrrplab.Lab(tag=request.node.name)
    try:
        yield lb
    finally:
        rep = getattr(request.node, "rep_call", None)
        if rep is None or rep.failed:
            print(lb.dump_logs())
        problems = lb.cleanup()
    if problems:
        pytest.fail("lab teardown problems:\n" + "\n".join(problems), pytrace=False)


@pytest.fixture(params=list(BINARIES), ids=list(BINARIES))
def vrrpd_bin(request):
    """Path of the vrrpd binary under test; tests using it run once per entry of BINARIES."""
    return BINARIES[request.param]


@pytest.fixture
def router(lab, vrrpd_bin):
    """A started standard router (eth0, eth1 10.10.10.15/24, eth2 10.10.20.15/24; zebra, vrrpd)."""
    return vrrplab.standard_router(lab, binary=vrrpd_bin)


@pytest.fixture(scope="session")
def vtysh_bin():
    """Our vtysh (FRR 8.4.4's with this daemon's commands), for the commands Debian's lacks."""
    return vrrplab.our_vtysh()


@pytest.fixture
def keepalived(lab):
    """Factory of keepalived peers (peers.Keepalived) in namespaces of the lab; all are stopped
    (by PID) before the lab is torn down."""
    from vrrptest.peers import Keepalived

    started = []

    def make(ns):
        k = Keepalived(ns)
        started.append(k)
        return k
    yield make
    problems = []
    for k in started:
        problems += k.cleanup()
    if problems:
        pytest.fail("keepalived teardown problems:\n" + "\n".join(problems), pytrace=False)
