#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make coverage: line and branch coverage of each module from the whole
# debug-kernel test run (the KUnit suites and every selftest, as make
# test's stage 5). The modules are built with gcov (COVERAGE=1, for
# the gcov variant of the debug kernel, scripts/kconfig/gcov.config); the
# guest prints their data at the end (kept across the many unloads:
# gcov_persist); gcovr reads it with the build's .gcno files.
#
# Output: a summary per module on stdout and in build/coverage/summary.txt,
# each source file's figures in build/coverage/files.txt, an HTML report
# in build/coverage/html/index.html, and the error paths no test reached
# (scripts/coverage-gaps.py) in build/coverage/unreached-errors.txt.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

out=$build/coverage
mkdir -p "$build"
say "[1/4] packages, debug kernel"
ensure_deps
kb=$(debug_kernel gcov)
kdir=$kb/build ksrc=$kb/src

say "[2/4] modules with gcov, KUnit suites, selftests, tools"
build_modules coverage "$kdir" COVERAGE=1 >"$out-build.log" 2>&1 ||
	die "module build failed: $out-build.log"
collect_modules "$out/src" "$out/modules" "$out/kunit" >>"$out-build.log" 2>&1
make -s -j"$(nproc)" -C "$top" tools KSRC="$ksrc" BUILD="$build" >>"$out-build.log" 2>&1 ||
	die "tools build failed: $out-build.log"
find "$out/src" -name '*.gcda' -delete

say "[3/4] the test run in QEMU (TCG)"
debug_guest "$kb" "$out" "$out/run" 1800 --gcov
# the run's own verdict: coverage of a failing run is said to be so
python3 "$top/scripts/parse-results.py" "$out/run" \
	"$ksrc/tools/testing/kunit/kunit.py" coverage --mode test \
	>"$out/verdict" || true
tail -n 1 "$out/verdict"

say "[4/4] gcovr"
python3 "$top/scripts/gcov-extract.py" "$out/run/results.log" "$out/src"
cd "$out/src"
summary() {	# summary NAME FILTER: one module's line and branch figures
	local name=$1 filter=$2 txt
	txt=$(gcovr --root . --filter "$filter" --exclude '.*\.mod\.c' \
		--print-summary --txt /dev/null 2>/dev/null)
	printf '%-12s %s; %s\n' "$name" \
		"$(echo "$txt" | sed -n 's/^lines: //p')" \
		"branches $(echo "$txt" | sed -n 's/^branches: //p')"
}
{
	echo "coverage of the debug-kernel test run ($(tail -n 1 "$out/verdict"))"
	summary sev-psp 'drivers/psp/[^/]*\.c$'
	summary sev-psp-sim 'drivers/psp/sim/'
	summary kvm-sev 'kvm-svm-sev/'
} | sed 's/^/  /' | tee "$out/summary.txt"
mkdir -p "$out/html"
gcovr --root . --filter 'drivers/' --filter 'kvm-svm-sev/' \
	--exclude '.*\.mod\.c' --txt "$out/files.txt" \
	--html-details "$out/html/index.html" --html-title "sev-host-stack coverage" \
	>/dev/null 2>&1
gcovr --root . --filter 'drivers/' --filter 'kvm-svm-sev/' \
	--exclude '.*\.mod\.c' --json "$out/coverage.json" >/dev/null 2>&1
python3 "$top/scripts/coverage-gaps.py" "$out/coverage.json" . \
	>"$out/unreached-errors.txt"
say "$(tail -n 1 "$out/unreached-errors.txt"): $out/unreached-errors.txt"
say "per file: $out/files.txt; HTML: $out/html/index.html"
