#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Install what is missing, build, and run every test: unit tests (make check), the packet fuzzer
# for a bounded time and the decision fuzzer for a bounded count, then in network namespaces
# the adapter tests (tests/adapters: one kernel adapter at a time), the daemon tests
# (tests/integration), the interop tests against stock vrrpd and keepalived (tests/interop) and
# the FRR topotests (tests/topotests), with TEST_SANITIZE=1 again under ASan. Ends with one
# line "N passed, N failed" counting every test case, and exits non-zero if anything failed.
#   FUZZ_SECONDS   fuzzing time of the packet codec (default 30)
#   FUZZ_DECIDE_RUNS  executions of the receive-decision + state-machine fuzzer (10000000)
#   PYTEST_ARGS    extra pytest arguments for the adapter, integration and interop tests
#                  (e.g. -k golden)
#   TOPOTEST_ARGS  extra pytest arguments for the topotests (e.g. -n 2 --dist=loadfile)
#   TEST_SANITIZE=1  also build vrrpd with ASan + UBSan (scripts/build.sh --sanitize) and run
#                  the topotests again against it; a sanitizer report fails (VRRPD_ASAN_LOGDIR)
#   TEST_SANITIZE=2  the same, and the integration tests against it too (about 25 more minutes;
#                  the harness scales its waits for daemon work: VRRPLAB_SLOWDOWN)
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
out=${TEST_OUT:-$top/build/test-results}
rm -rf "$out"
mkdir -p "$out"

step() { printf '\n=== %s\n' "$*"; }

step "dependencies"
scripts/deps.sh || exit 1
step "build"
scripts/build.sh || exit 1
step "our vtysh (FRR's, with our vrrpd commands)"
scripts/vtysh.sh >/dev/null || exit 1

unit_pass=0
unit_fail=0
step "unit tests (make check)"
make -j"$(nproc)" check >"$out/make-check.log" 2>&1
check_rc=$?
for log in tests/unit/test_*.log; do
	[ -f "$log" ] || continue
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\./\1/p' "$log" | tail -n 1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:/\1/p' "$log" | tail -n 1)
	printf '%-32s %s passed, %s failed\n' "$(basename "$log" .log)" "${p:-0}" "${f:-0}"
	unit_pass=$((unit_pass + ${p:-0}))
	unit_fail=$((unit_fail + ${f:-0}))
done
if [ $check_rc -ne 0 ] && [ $unit_fail -eq 0 ]; then
	# A test program that crashed reports no cmocka summary; count it as one failure.
	tail -n 30 "$out/make-check.log"
	unit_fail=$((unit_fail + 1))
fi

fuzz_fail=0
step "fuzzing the packet codec for ${FUZZ_SECONDS:-30} s, the decision code for" \
	"${FUZZ_DECIDE_RUNS:-10000000} runs"
if make fuzz FUZZ_SECONDS="${FUZZ_SECONDS:-30}" FUZZ_DECIDE_RUNS="${FUZZ_DECIDE_RUNS:-10000000}" \
	>"$out/fuzz.log" 2>&1; then
	grep -E '^Done' "$out/fuzz.log"
	fuzz_pass=1
else
	tail -n 40 "$out/fuzz.log"
	fuzz_pass=0
	fuzz_fail=1
fi

# The pytest suites; each writes its junit file, counted below. All but doc run on vrrplab labs.
suites=(doc adapters integration interop package)
junit=()
declare -A title=(
	[doc]="documentation (Sphinx -W -n, vrrpd(8) rendered, every command documented)"
	[adapters]="adapter tests (vrrpd's kernel adapters alone, in network namespaces)"
	[integration]="integration tests (network namespaces, Debian's zebra and vtysh)"
	[interop]="interop tests (stock vrrpd and keepalived on one LAN with ours)"
	[package]="the Debian package (scripts/package.sh) in a throw-away root"
)
for suite in "${suites[@]}"; do
	step "${title[$suite]}"
	/usr/bin/python3 -m pytest -c "tests/$suite/pytest.ini" "tests/$suite" \
		--junitxml="$out/$suite.xml" ${PYTEST_ARGS:-}
	junit+=("$out/$suite.xml")
done

step "topotests (FRR's topotest framework from the SDK)"
/usr/bin/python3 -m pytest -c tests/topotests/pytest.ini tests/topotests \
	--rundir "$out/topotests" ${TOPOTEST_ARGS:-}

topo_junit=("$out/topotests/topotests.xml")
topo_names=topotests
if [ "${TEST_SANITIZE:-0}" -ge 1 ]; then
	step "topotests against vrrpd built with ASan + UBSan (reports: $out/asan)"
	asan_bin=$(scripts/build.sh --sanitize 2>"$out/asan-build.log" | tail -n 1)
	if [ -x "$asan_bin" ]; then
		VRRPD_BIN="$asan_bin" VRRPD_ASAN_LOGDIR="$out/asan" /usr/bin/python3 -m pytest \
			-c tests/topotests/pytest.ini tests/topotests --rundir "$out/topotests-asan" \
			${TOPOTEST_ARGS:-}
	else
		tail -n 30 "$out/asan-build.log"
	fi
	# No report file (the build failed) counts as one failure below.
	topo_junit+=("$out/topotests-asan/topotests.xml")
	topo_names+=" topotests-asan"
	if [ "${TEST_SANITIZE:-0}" -ge 2 ]; then
		step "integration tests against vrrpd built with ASan + UBSan (reports: $out/asan)"
		if [ -x "$asan_bin" ]; then
			VRRPD_BIN="$asan_bin" VRRPD_ASAN_LOGDIR="$out/asan" /usr/bin/python3 -m pytest \
				-c tests/integration/pytest.ini tests/integration \
				--junitxml="$out/integration-asan.xml" ${PYTEST_ARGS:-}
		fi
		junit+=("$out/integration-asan.xml")
		topo_names+=" integration-asan"
	fi
fi

# Count test cases from the junit files; pytest reports expected failures as skips of type
# pytest.xfail, which are counted apart.
read -r it_pass it_fail it_skip it_xfail < <(/usr/bin/python3 - "${junit[@]}" \
	"${topo_junit[@]}" <<'PY'
import sys, xml.etree.ElementTree as ET
t = f = s = x = 0
for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except Exception:
        f += 1  # a suite that left no report failed to run
        continue
    for case in root.iter("testcase"):
        t += 1
        if case.find("failure") is not None or case.find("error") is not None:
            f += 1
        sk = case.find("skipped")
        if sk is not None:
            if sk.get("type") == "pytest.xfail":
                x += 1
            else:
                s += 1
print(t - f - s - x, f, s, x)
PY
)

passed=$((unit_pass + fuzz_pass + it_pass))
failed=$((unit_fail + fuzz_fail + it_fail))
echo
echo "unit: $unit_pass passed, $unit_fail failed; fuzz: $fuzz_pass passed, $fuzz_fail failed;" \
	"pytest suites (${suites[*]} $topo_names): $it_pass passed, $it_fail failed, $it_skip skipped," \
	"$it_xfail expected failures (stock vrrpd's known gaps)"
if [ "$it_skip" -gt 0 ]; then
	echo "$passed passed, $failed failed, $it_skip skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
