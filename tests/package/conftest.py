# SPDX-License-Identifier: GPL-2.0-or-later
"""pytest glue of the package test: the shared fixtures and hooks of
tests/lib/vrrptest/fixtures.py (environment check, leftovers check, per-test time limit)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))

from vrrptest.fixtures import *  # noqa: E402,F401,F403  (hooks and fixtures, by name)
