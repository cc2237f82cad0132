#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run every test of the project and end with one line "N passed, N failed".
#
#   1. install what is missing (Debian 12 packages, as root)
#   2. build (or reuse) the debug test kernel
#   3. static checks: checkpatch --strict, W=1, sparse
#   4. build the modules, KUnit suites, selftests and tools (the modules:
#      step 3's W=1 builds, for the debug kernel and for 6.12, when they
#      succeeded)
#   5. debug kernel in QEMU: KUnit suites, selftests, splat and leak checks
#   6. Debian's stock kernel: the modules build against linux-headers-amd64
#      and load, work and unload in QEMU, and its own kvm-amd.ko loads
#      against sev-psp
#   7. Debian 13's kernel 6.12 (bookworm-backports): the same, with the
#      selftests that need no debug kernel
#
# ONLY=612 (make test ONLY=612) runs steps 1, 2 (the cached debug kernel's
# source holds the selftest harness), the tools of 4, and 7: a quick loop
# while working on 6.12. Its total counts those steps only.
#
# Logs: build/ (static checks in build/checks, guest runs in
# build/debug/run, build/stock/run and build/stock612/run, every step's
# results in build/summary.log).
set -uo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

only=${ONLY:-}
case "$only" in
'' | 612) ;;
*) die "ONLY=$only: the one partial run is ONLY=612" ;;
esac

t0=$(date +%s)
parse=$top/scripts/parse-results.py
summary=$build/summary.log
mkdir -p "$build" && : >"$summary"
# the builds made since are this run's (use_built)
touch "$build/run-start" && sleep 1

# Every result line ("@@CHECK ok|fail NAME", "LABEL: N passed, N failed")
# of a step, from stdin: shown as it comes and kept in the summary. The
# counting is parse-results.py's alone.
tally() {
	python3 "$parse" --add "$summary"
}

# stage "[N/7] what": say it, and close the previous stage's clock; the
# seconds of each are printed at the end, to show where the time goes.
stage_names=() stage_secs=() stage_t=
stage() {
	stage_end
	stage_names+=("$1") stage_t=$(date +%s)
	say "$1"
}
stage_end() {
	[ -n "$stage_t" ] || return 0
	stage_secs+=("$(( $(date +%s) - stage_t ))") stage_t=
}

finish() {
	local i
	stage_end
	say "finished in $(( $(date +%s) - t0 ))s; by stage:"
	for i in "${!stage_names[@]}"; do
		printf '  %5ss  %s\n' "${stage_secs[$i]}" "${stage_names[$i]}"
	done
	# and within step 5, the debug guest's (this run's) slowest parts
	if [ "$build/debug/stage-times.txt" -nt "$build/run-start" ]; then
		cat "$build/debug/stage-times.txt"
	fi
	python3 "$parse" --total "$summary"
	exit $?
}

# Step 7: Debian 13's kernel 6.12, as step 6 does Debian 12's, and more:
# the selftests that need no debug kernel (sev_alloc_fail_test and
# kvm_sev_alloc_fail_test need its fault injection), and the kernel's own
# kvm-amd.ko against sev-psp.
stage_612() {
	local abi=$k612_abi k612 t
	local out=$build/stock612 hdrs=/usr/src/linux-headers-$k612_abi
	stage "[7/7] Debian 13's kernel $abi: build, load, selftests, kvm-amd, unload"
	if ! k612=$(stock_kernel "$abi" "$k612_suite"); then
		tally <<<"@@CHECK fail stock-kernel-$abi: cannot fetch linux-image-$abi"
		return
	fi
	# the static checks' W=1 build for 6.12 if there is one, as is
	local src=$build/w1-6.12/src
	: >"$build/stock612-build.log"
	if ! use_built w1-6.12; then
		src=$out/src
		build_modules stock612 "$hdrs" >"$build/stock612-build.log" 2>&1
	fi
	if ! collect_modules "$src" "$out/modules" "" >>"$build/stock612-build.log" 2>&1; then
		tally <<<"@@CHECK fail build-stock-$abi: $(grep -m1 -E 'error|Error' "$build/stock612-build.log") (log: $build/stock612-build.log)"
		return
	fi
	tally <<<"@@CHECK ok build-stock-$abi"
	rm -rf "$out/selftests" && mkdir -p "$out/selftests"
	for t in "$build"/selftests/*; do
		case "$t" in */sev_alloc_fail_test) continue ;; esac
		cp -r "$t" "$out/selftests/"
	done
	rm -f "$out/selftests/kvm/kvm_sev_alloc_fail_test"
	# One vCPU: Debian's 6.12 under QEMU's multi-threaded TCG has oopsed
	# ("Oops: int3") when it patched a static branch another vCPU was
	# running, at boot (sched_clock_cpu) and later, with no module of
	# ours loaded; with one vCPU nothing runs the text being patched.
	# shellcheck disable=SC2046
	"$top/scripts/qemu-run.sh" --kernel "$k612/root/boot/vmlinuz-$abi" \
		--smp 1 \
		--modules "$out/modules" --selftests "$out/selftests" \
		--bin "$build/tools/sevtool" --bin "$build/tools/snp-certs" \
		--bin "$build/tools/sev-vmm" --extra "$OVMF_FD" \
		$(stock_kvm_kmods "$k612" "$abi") \
		$(stock_preloads "$k612" "$abi") \
		--out "$out/run" --timeout 900 --mode stock612
	tally < <(python3 "$parse" "$out/run" "$kunit_py" stock612 --mode stock612)
	# The chain the guest issued, checked on the host, as for the debug run
	tally < <("$top/scripts/verify-chain.sh" "$out/run/results.log" |
		sed 's/^@@CHECK \(ok\|fail\) /&612-/')
}

stage "[1/7] packages"
ensure_deps || { tally <<<"@@CHECK fail install-deps: see above"; finish; }

stage "[2/7] debug test kernel"
kb=$(debug_kernel) || { tally <<<"@@CHECK fail debug-kernel: build failed, see above"; finish; }
kdir=$kb/build ksrc=$kb/src
kunit_py=$ksrc/tools/testing/kunit/kunit.py

if [ "$only" = 612 ]; then
	stage "[4/7] ONLY=612: building the selftests and tools"
	if make -s -C "$top" tools KSRC="$ksrc" BUILD="$build" >"$build/tools-build.log" 2>&1; then
		tally <<<"@@CHECK ok build-tools"
	else
		tally <<<"@@CHECK fail build-tools: $(grep -m1 -E 'error|Error' "$build/tools-build.log") (log: $build/tools-build.log)"
		finish
	fi
	stage_612
	finish
fi

stage "[3/7] static checks, and the result parser's own tests"
tally < <("$top/scripts/static-checks.sh" "$kdir" "$ksrc" 2>&1)
tally < <("$top/tests/runner/test-parse-results.sh" "$kunit_py" 2>&1)

stage "[4/7] building modules, KUnit suites, selftests, tools"
# the modules of the static checks' W=1 build (with sparse), as they are
src=$build/w1/src
: >"$build/debug-build.log"
if ! use_built w1; then
	src=$build/debug/src
	build_modules debug "$kdir" >"$build/debug-build.log" 2>&1
fi
if collect_modules "$src" "$build/debug/modules" "$build/debug/kunit" \
	>>"$build/debug-build.log" 2>&1 &&
   make -s -C "$top" tools KSRC="$ksrc" BUILD="$build" >>"$build/debug-build.log" 2>&1; then
	tally <<<"@@CHECK ok build-debug"
else
	tally <<<"@@CHECK fail build-debug: $(grep -m1 -E 'error|Error' "$build/debug-build.log") (log: $build/debug-build.log)"
	finish
fi

stage "[5/7] debug kernel in QEMU (TCG): KUnit, selftests, KASAN/lockdep/kmemleak"
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
		--bin "$build/tools/snp-certs" --bin "$build/tools/sev-vmm" \
		--bin "$build/tools/sev_fuzz" \
		--extra "$OVMF_FD" "${kmods[@]}" \
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
python3 "$top/scripts/stage-times.py" "$build/debug/run/console.log" \
	>"$build/debug/stage-times.txt" 2>&1
tally < <("$top/scripts/verify-chain.sh" "$build/debug/run/results.log")
tally < <("$top/scripts/verify-report.sh" "$build/debug/run/console.log")

stage "[6/7] Debian's stock kernel: DKMS build and install for linux-headers-amd64, load, kvm-amd, unload"
abi=$(stock_abi)
stock=$(stock_kernel) || { tally <<<"@@CHECK fail stock-kernel: cannot fetch linux-image-$abi"; stage_612; finish; }
# The compiler's error if there is one, else dkms's
dkms_error() {
	grep -m1 -E 'error:' "$build/stock-build.log" ||
		grep -m1 -E 'Error|dkms.sh' "$build/stock-build.log"
}
# One more try if the build fails: a failed DKMS build was seen once in CI
# and never here. The failure is reported either way, with make.log's
# error, and fails the check only if the second try fails too.
dkms_install() {
	"$top/scripts/dkms.sh" install "$abi" 2>>"$build/stock-build.log" && return
	say "  dkms build failed: $(dkms_error) (log: $build/stock-build.log); once more:" >&2
	echo "--- second try" >>"$build/stock-build.log"
	"$top/scripts/dkms.sh" install "$abi" 2>>"$build/stock-build.log"
}
# The modules as an operator installs them: dkms add, build and install
# for the stock kernel; the guest loads the files DKMS installed. DKMS
# is left as it was found (dkms.sh remove) once they are copied.
: >"$build/stock-build.log"
if dkms_dir=$(dkms_install) &&
   collect_installed "$dkms_dir" "$build/stock/modules" 2>>"$build/stock-build.log"; then
	tally <<<"@@CHECK ok dkms-install-stock-$abi"
	"$top/scripts/dkms.sh" remove
	# shellcheck disable=SC2046
	"$top/scripts/qemu-run.sh" --kernel "$stock/root/boot/vmlinuz-$abi" \
		--modules "$build/stock/modules" --bin "$build/tools/sevtool" \
		$(stock_kvm_kmods "$stock" "$abi") \
		$(stock_preloads "$stock" "$abi") \
		--out "$build/stock/run" --timeout 300 --mode stock
	tally < <(python3 "$parse" "$build/stock/run" "$kunit_py" stock --mode stock)
else
	tally <<<"@@CHECK fail dkms-install-stock-$abi: $(dkms_error) (log: $build/stock-build.log)"
	"$top/scripts/dkms.sh" remove || true
fi
# make install, into a staging root: the three modules under updates/,
# and depmod's view of them (each needs sev-psp)
if build_modules stock-install "/usr/src/linux-headers-$abi" >"$build/stock-install.log" 2>&1 &&
   make -s -C "$build/stock-install/src" install KDIR="/usr/src/linux-headers-$abi" \
	INSTALL_MOD_PATH="$build/stock-install/root" >>"$build/stock-install.log" 2>&1 &&
   check_installed_deps "$build/stock-install/root/lib/modules/$abi" >>"$build/stock-install.log" 2>&1; then
	tally <<<"@@CHECK ok make-install-stock-$abi"
else
	tally <<<"@@CHECK fail make-install-stock-$abi: see $build/stock-install.log"
fi

stage_612
finish
