#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Regenerate the golden running-config files (NAME.conf) from NAME.vtysh using STOCK vrrpd."""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "lib"))
from vrrptest import vrrplab  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("names", nargs="*", help="golden names (default: every *.vtysh)")
    ap.add_argument("--check", action="store_true",
                    help="do not write; exit 1 if any .conf differs from stock's output")
    ap.add_argument("--binary", default=str(vrrplab.STOCK_VRRPD),
                    help="vrrpd to take the output from (default: stock %(default)s)")
    args = ap.parse_args()
    problems = vrrplab.check_environment()
    if problems:
        print("\n".join(problems), file=sys.stderr)
        return 2
    names = args.names or vrrplab.golden_names()
    changed = 0
    for name in names:
        conf = vrrplab.GOLDEN_DIR / f"{name}.conf"
        with vrrplab.Lab() as lab:
            r = vrrplab.standard_router(lab, binary=args.binary)
            out = vrrplab.apply_golden_input(r, name)
            issues = lab.cleanup()
        if issues:
            print("\n".join(issues), file=sys.stderr)
            return 2
        old = conf.read_text() if conf.exists() else ""
        if old == out:
            print(f"unchanged  {name}")
            continue
        changed += 1
        print(f"{'DIFFERS' if args.check else 'written'}    {name}")
        sys.stdout.write(vrrplab.config_diff(old, out, f"{name}.conf (old)", f"{name}.conf (new)"))
        if not args.check:
            conf.write_text(out)
    print(f"{len(names)} goldens, {changed} {'differ' if args.check else 'changed'}")
    return 1 if (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
