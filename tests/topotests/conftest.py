# SPDX-License-Identifier: GPL-2.0-or-later
"""pytest glue for the VRRP topotests: loads FRR's topotest framework (lib/, conftest.py) from the
FRR SDK at test time, adapts it to this host, points its daemon directory at our vrrpd, and puts
the project's harness library (tests/lib) on the path.

Nothing of FRR is copied here. Environment:
  FRR_TOPOTESTS     FRR's tests/topotests directory (default: <scripts/frr-sdk.sh prefix>/
                    share/frr-sdk/topotests)
  VRRPD_BIN         vrrpd under test (default: vrrpd/vrrpd of this repository); e.g.
                    /usr/lib/frr/vrrpd runs the same suite against Debian's vrrpd
  TOPOTEST_TIMEOUT  per-test wall-clock limit in seconds (default 120)
  TOPOTEST_HOST_LIMITS=1  let the framework raise host sysctls (off: it never restores them)
  VRRPD_ASAN_LOGDIR DIR: VRRPD_BIN is a sanitized vrrpd (scripts/build.sh --sanitize); a module
                    whose vrrpd left an ASan/UBSan/LSan report fails, and the report is
                    copied to DIR
"""

import atexit
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import tempfile

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))


def _frr_topotests():
    path = os.environ.get("FRR_TOPOTESTS")
    if not path:
        out = subprocess.run([os.path.join(REPO, "scripts", "frr-sdk.sh")], check=True,
                             stdout=subprocess.PIPE, text=True).stdout
        path = os.path.join(out.strip().splitlines()[-1], "share", "frr-sdk", "topotests")
    if not os.path.isfile(os.path.join(path, "lib", "topogen.py")):
        raise pytest.UsageError(f"no FRR topotest framework in {path} (set FRR_TOPOTESTS)")
    return path


FRR_TOPOTESTS = _frr_topotests()
sys.path.insert(0, FRR_TOPOTESTS)
# The project's harness library (vrrptest: timer formulas, macvlans, raw-socket helpers). Its
# package name cannot shadow FRR's `lib`.
sys.path.insert(0, os.path.join(REPO, "tests", "lib"))

from lib import topogen as _tg  # noqa: E402  (FRR's, from FRR_TOPOTESTS)
from lib import topotest as _tt  # noqa: E402
from vrrptest.fixtures import time_limit  # noqa: E402  (the project's harness library)

VRRPD_BIN = os.path.abspath(os.environ.get("VRRPD_BIN") or os.path.join(REPO, "vrrpd", "vrrpd"))
if not os.access(VRRPD_BIN, os.X_OK):
    raise pytest.UsageError(f"vrrpd under test {VRRPD_BIN} is missing; run scripts/build.sh")

# Shadow daemon directory: Debian's daemons, our vrrpd, and a stand-in for pim6d, which Debian
# does not ship but the framework's environment check requires.
FRRDIR = tempfile.mkdtemp(prefix="topotest-frrbin-")
atexit.register(shutil.rmtree, FRRDIR, True)
for _name in os.listdir("/usr/lib/frr"):
    os.symlink(os.path.join("/usr/lib/frr", _name), os.path.join(FRRDIR, _name))
for _name, _target in (("pim6d", "/bin/false"), ("vrrpd", VRRPD_BIN)):
    if os.path.lexists(os.path.join(FRRDIR, _name)):
        os.unlink(os.path.join(FRRDIR, _name))
    os.symlink(_target, os.path.join(FRRDIR, _name))

# Patch 1: this kernel has no module support, so /proc/modules does not exist.
_module_present_linux = _tt.module_present_linux
_tt.module_present_linux = (lambda module, load: os.path.exists("/proc/modules")
                            and _module_present_linux(module, load))

# Patch 2: Topogen() would rewrite host sysctls (core_pattern, rmem_max, ...) and never restore them.
if os.environ.get("TOPOTEST_HOST_LIMITS") != "1":
    _tt.fix_host_limits = lambda: None

# Patch 3: the daemon directory. tgen_defaults serves the environment check and add_router; each
# Router also re-reads frrdir from FRR's own pytest.ini when configured (8.4.4 calls config()
# without parameters), so set it there too.
_tg.tgen_defaults["frrdir"] = FRRDIR

# Patch 4: 8.4.4's framework predates vrrpd support (upstream added it later).
_router_init = _tt.Router.__init__


def _router_init_patched(self, name, **params):
    _router_init(self, name, **params)
    if not self.config_defaults.has_section("topogen"):
        self.config_defaults.add_section("topogen")
    self.config_defaults.set("topogen", "frrdir", FRRDIR)
    self.daemons.setdefault("vrrpd", 0)


_tt.Router.__init__ = _router_init_patched
if not hasattr(_tg.TopoRouter, "RD_VRRP"):
    _tg.TopoRouter.RD_VRRP = 100
    _tg.TopoRouter.RD[100] = "vrrpd"

# FRR's conftest: its hooks (options, rundir, environment check, logging, error handling) and
# fixtures become ours.
_spec = importlib.util.spec_from_file_location("frr_topotests_conftest",
                                               os.path.join(FRR_TOPOTESTS, "conftest.py"))
_frr_conftest = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_frr_conftest)
globals().update({k: v for k, v in vars(_frr_conftest).items()
                  if k.startswith("pytest_") or k in ("tgen", "topo", "setup_session_auto",
                                                      "module_check_memtest")})
# Patch 5: at session start FRR's fixture reaps every process carrying MICRONET_PID whose
# session it cannot see in /proc/*/environ, which includes the routers of any other topotest
# session running on the host at the same time. Reap only our own (cleanup_current, at the end).
_frr_conftest.cleanup_previous = lambda: None


def pytest_report_header(config):
    return [f"FRR topotests: {FRR_TOPOTESTS}", f"vrrpd under test: {VRRPD_BIN}"]


def _own_daemons():
    """PIDs of processes started from this session's daemon directory."""
    pids = []
    for entry in os.listdir("/proc"):
        try:
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                if f.read().startswith(FRRDIR.encode() + b"/"):
                    pids.append(int(entry))
        except (OSError, ValueError):
            pass
    return pids


@pytest.fixture(autouse=True, scope="session")
def _no_leftovers():
    """After the last module: no daemon of ours may survive its topology (it would keep the
    router's namespace alive). Survivors are killed and reported as an error."""
    yield
    left = _own_daemons()
    for pid in left:
        os.kill(pid, signal.SIGKILL)
    if left:
        pytest.fail(f"daemons left running after the topologies stopped: {left}", pytrace=False)


# The framework sets each daemon's ASAN_OPTIONS to log_path=<module logdir>/<router>.<daemon>
# .asan (a report file per pid; UBSan's go there too); these add what it does not say.
ASAN_LOGDIR = os.environ.get("VRRPD_ASAN_LOGDIR")
if ASAN_LOGDIR:
    os.environ["LSAN_OPTIONS"] = ("suppressions=" + os.path.join(REPO, "tests", "sanitizers",
                                                                 "lsan.supp")
                                  + ":print_suppressions=0")
    os.environ["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1"
_sanitizer_seen = set()


@pytest.fixture(autouse=True, scope="module")
def _sanitizer_reports(request):
    """Under VRRPD_ASAN_LOGDIR: after a module's topology stopped, its vrrpd reports fail it."""
    yield
    if not ASAN_LOGDIR:
        return
    import glob
    rundir = _tt.g_extra_config.get("rundir") or "/tmp/topotests-vrrpd"
    # The module's logdir (lib/topolog.py names it after the module), else the whole rundir.
    logdir = os.path.join(rundir, request.module.__name__)
    top = logdir if os.path.isdir(logdir) else rundir
    found = []
    for path in sorted(glob.glob(os.path.join(top, "**", "*.vrrpd.asan.*"), recursive=True)):
        if path in _sanitizer_seen:
            continue
        _sanitizer_seen.add(path)
        os.makedirs(ASAN_LOGDIR, exist_ok=True)
        shutil.copy(path, ASAN_LOGDIR)
        with open(path, errors="replace") as f:
            found.append(f"{path}:\n{f.read()[-8000:]}")
    if found:
        pytest.fail("sanitizer report(s) of vrrpd:\n" + "\n".join(found), pytrace=False)


@pytest.fixture(autouse=True)
def _test_timeout():
    """Every test stops by itself: SIGALRM fails a test that runs longer than TOPOTEST_TIMEOUT."""
    with time_limit(float(os.environ.get("TOPOTEST_TIMEOUT", "120")), "TOPOTEST_TIMEOUT"):
        yield
