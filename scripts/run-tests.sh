#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run every test of the project and end with one line "N passed, N failed".
#
#   1. install what is missing (Debian 12 packages, as root)
#   2. build (or reuse) the debug test kernel
#   3. static checks: checkpatch --strict, W=1, sparse
#   4. build the modules, KUnit suites, selftests and tools
#   5. debug kernel in QEMU: KUnit suites, selftests, splat and leak checks
#   6. Debian's stock kernel: the modules build against linux-headers-amd64
#      and load, work and unload in QEMU
#
# Logs: build/ (static checks in build/checks, guest runs in
# build/debug/run and build/stock/run, every step's results in
# build/summary.log).
set -uo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

t0=$(date +%s)
parse=$top/scripts/parse-results.py
summary=$build/summary.log
mkdir -p "$build" && : >"$summary"

# Every result line ("@@CHECK ok|fail NAME", "LABEL: N passed, N failed")
# of a step, from stdin: shown as it comes and kept in the summary. The
# counting is parse-results.py's alone.
tally() {
	python3 "$parse" --add "$summary"
}

finish() {
	say "finished in $(( $(date +%s) - t0 ))s"
	python3 "$parse" --total "$summary"
	exit $?
}

say "[1/6] packages"
ensure_deps || { tally <<<"@@CHECK fail install-deps: see above"; finish; }

say "[2/6] debug test kernel"
kb=$(debug_kernel) || { tally <<<"@@CHECK fail debug-kernel: build failed, see above"; finish; }
kdir=$kb/build ksrc=$kb/src
kunit_py=$ksrc/tools/testing/kunit/kunit.py

say "[3/6] static checks, and the result parser's own tests"
tally < <("$top/scripts/static-checks.sh" "$kdir" "$ksrc" 2>&1)
tally < <("$top/tests/runner/test-parse-results.sh" "$kunit_py" 2>&1)

say "[4/6] building modules, KUnit suites, selftests, tools"
if build_modules debug "$kdir" >"$build/debug-build.log" 2>&1 &&
   collect_modules "$build/debug/src" "$build/debug/modules" "$build/debug/kunit" \
	>>"$build/debug-build.log" 2>&1 &&
   make -s -C "$top" tools KSRC="$ksrc" BUILD="$build" >>"$build/debug-build.log" 2>&1; then
	tally <<<"@@CHECK ok build-debug"
else
	tally <<<"@@CHECK fail build-debug: $(grep -m1 -E 'error|Error' "$build/debug-build.log") (log: $build/debug-build.log)"
	finish
fi

say "[5/6] debug kernel in QEMU (TCG): KUnit, selftests, KASAN/lockdep/kmemleak"
# A splat while the kernel boots, before any module is loaded, is not the
# project's (it has been seen under TCG): boot once more, and say so.
kmods=()
for m in virt/lib/irqbypass arch/x86/kvm/kvm arch/x86/kvm/kvm-amd; do
	kmods+=(--kmod "$(ls "$kb"/modroot/lib/modules/*/kernel/$m.ko)")
done
for try in 1 2; do
	"$top/scripts/qemu-run.sh" --kernel "$kdir/arch/x86/boot/bzImage" \
		--modules "$build/debug/modules" --kunit "$build/debug/kunit" \
		--selftests "$build/selftests" --bin "$build/tools/sevtool" \
		--bin "$build/tools/snp-certs" "${kmods[@]}" \
		--out "$build/debug/run" --timeout 1200 --mode test
	python3 "$parse" "$build/debug/run" "$kunit_py" debug --mode test \
		>"$build/debug/verdict" && rc=0 || rc=$?
	if [ "$rc" -ne 3 ] || [ "$try" -ne 1 ]; then
		break
	fi
	say "  the kernel splatted while booting, before the modules; booting again:"
	sed 's/^/    /' "$build/debug/verdict"
	cp "$build/debug/run/console.log" "$build/debug/boot-splat-console.log"
done
tally <"$build/debug/verdict"
tally < <("$top/scripts/verify-chain.sh" "$build/debug/run/results.log")
tally < <("$top/scripts/verify-report.sh" "$build/debug/run/console.log")

say "[6/6] Debian's stock kernel: build against linux-headers-amd64, load, unload"
abi=$(stock_abi)
stock=$(stock_kernel) || { tally <<<"@@CHECK fail stock-kernel: cannot fetch linux-image-$abi"; finish; }
if build_modules stock "/usr/src/linux-headers-$abi" >"$build/stock-build.log" 2>&1 &&
   collect_modules "$build/stock/src" "$build/stock/modules" ""; then
	tally <<<"@@CHECK ok build-stock-$abi"
	# shellcheck disable=SC2046
	"$top/scripts/qemu-run.sh" --kernel "$stock/root/boot/vmlinuz-$abi" \
		--modules "$build/stock/modules" --bin "$build/tools/sevtool" \
		$(stock_preloads "$stock" "$abi") \
		--out "$build/stock/run" --timeout 300 --mode stock
	tally < <(python3 "$parse" "$build/stock/run" "$kunit_py" stock --mode stock)
else
	tally <<<"@@CHECK fail build-stock-$abi: $(grep -m1 -E 'error|Error' "$build/stock-build.log") (log: $build/stock-build.log)"
fi

finish
