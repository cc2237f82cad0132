#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Run every test of the project and end with one line "N passed, N failed".
#
#   1. install what is missing (Debian 12 packages, as root)
#   2. build (or reuse) the debug test kernel
#   3. build the modules (W=1), KUnit suites, selftests and tools
#   4. debug kernel in QEMU: KUnit suites, selftests, splat and leak checks;
#      beside it, at nice 19 on the CPU time the guest leaves (about a
#      third of two cores under TCG), what needs no guest: the static
#      checks (checkpatch --strict, sparse, W=1 for 6.12, ...), the result
#      parser's own tests, the DKMS build and install for Debian's stock
#      kernel, the make install check, and the stock kernels fetched
#   5. Debian's stock kernel (the modules DKMS built for linux-headers-amd64
#      load, work and unload in QEMU, and its own kvm-amd.ko loads against
#      sev-psp) and Debian 13's kernel 6.12 (bookworm-backports: the same,
#      with the selftests that need no debug kernel), the two guests side
#      by side
#
# ONLY=612 (make test ONLY=612) runs steps 1, 2 (the cached debug kernel's
# source holds the selftest harness), the tools of 3, and 6.12's part of
# 5: a quick loop while working on 6.12. Its total counts those steps only.
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
	ensure_dev_null "before $1"
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
	# within step 4: the work beside the guest, and the guest's (this
	# run's) slowest parts
	if [ -f "$results/beside.times" ]; then
		echo "  beside the debug guest, at nice 19:"
		while read -r secs what; do
			printf '  %5ss  %s\n' "$secs" "$what"
		done <"$results/beside.times"
	fi
	if [ "$build/debug/stage-times.txt" -nt "$build/run-start" ]; then
		cat "$build/debug/stage-times.txt"
	fi
	python3 "$parse" --total "$summary"
	exit $?
}

# The results of work that runs beside other work (steps 4 and 5): into a
# file each, tallied in order when the step ends.
results=$build/results
mkdir -p "$results" && rm -f "$results"/*

# Debian 13's kernel 6.12: its image (fetched into the cache once) and
# its modules (the static checks' W=1 build for 6.12 if there is one, as
# is), into $build/stock612. Checks to stdout; the image's directory in
# $build/stock612/image-dir when the guest can run.
prepare_612() {
	local abi=$k612_abi out=$build/stock612 k612 t
	local src=$build/w1-6.12/src hdrs=/usr/src/linux-headers-$k612_abi
	if ! k612=$(stock_kernel "$abi" "$k612_suite"); then
		echo "@@CHECK fail stock-kernel-$abi: cannot fetch linux-image-$abi"
		return 1
	fi
	: >"$build/stock612-build.log"
	if ! use_built w1-6.12; then
		src=$out/src
		build_modules stock612 "$hdrs" >"$build/stock612-build.log" 2>&1
	fi
	if ! collect_modules "$src" "$out/modules" "" >>"$build/stock612-build.log" 2>&1; then
		echo "@@CHECK fail build-stock-$abi: $(grep -m1 -E 'error|Error' "$build/stock612-build.log") (log: $build/stock612-build.log)"
		return 1
	fi
	echo "@@CHECK ok build-stock-$abi"
	# the selftests that need no debug kernel (sev_alloc_fail_test and
	# kvm_sev_alloc_fail_test need its fault injection)
	rm -rf "$out/selftests" && mkdir -p "$out/selftests"
	for t in "$build"/selftests/*; do
		case "$t" in */sev_alloc_fail_test) continue ;; esac
		cp -r "$t" "$out/selftests/"
	done
	rm -f "$out/selftests/kvm/kvm_sev_alloc_fail_test"
	echo "$k612" >"$out/image-dir"
}

# 6.12 in QEMU, once prepare_612 succeeded; checks to stdout.
run_612() {
	local abi=$k612_abi out=$build/stock612 k612
	k612=$(cat "$out/image-dir")
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
		--out "$out/run" --timeout 900 --mode stock612 >&2
	python3 "$parse" "$out/run" "$kunit_py" stock612 --mode stock612
	# The chain the guest issued, checked on the host, as for the debug run
	"$top/scripts/verify-chain.sh" "$out/run/results.log" |
		sed 's/^@@CHECK \(ok\|fail\) /&612-/'
}

# The compiler's error of the DKMS build if there is one, else dkms's
dkms_error() {
	grep -m1 -E 'error:' "$build/stock-build.log" ||
		grep -m1 -E 'Error|dkms.sh' "$build/stock-build.log"
}

# One more try if the build fails: a failed DKMS build was seen once in CI
# and never here. The failure is reported either way, with make.log's
# error, and fails the check only if the second try fails too.
dkms_install() {
	"$top/scripts/dkms.sh" install "$abi" 2>>"$build/stock-build.log" && return
	echo "  dkms build failed: $(dkms_error) (log: $build/stock-build.log); once more" >&2
	echo "--- second try" >>"$build/stock-build.log"
	"$top/scripts/dkms.sh" install "$abi" 2>>"$build/stock-build.log"
}

# Debian's stock kernel: its image, and the modules as an operator
# installs them: dkms add, build and install for the stock kernel (the
# guest loads the files DKMS installed; DKMS is left as it was found,
# dkms.sh remove, once they are copied); then make install for 6.12 into
# a staging root: the three modules under updates/, and depmod's view of
# them (each needs sev-psp). Checks to stdout; the image's directory in
# $build/stock/image-dir when the guest can run.
prepare_stock() {
	local ok=1
	if ! stock=$(stock_kernel); then
		echo "@@CHECK fail stock-kernel: cannot fetch linux-image-$abi"
		ok=0
	fi
	: >"$build/stock-build.log"
	if dkms_dir=$(dkms_install) &&
	   collect_installed "$dkms_dir" "$build/stock/modules" 2>>"$build/stock-build.log"; then
		echo "@@CHECK ok dkms-install-stock-$abi"
		grep -q '^--- second try' "$build/stock-build.log" &&
			echo "note: the first DKMS build failed: $(dkms_error); the second passed (log: $build/stock-build.log)"
		"$top/scripts/dkms.sh" remove
	else
		echo "@@CHECK fail dkms-install-stock-$abi: $(dkms_error) (log: $build/stock-build.log)"
		"$top/scripts/dkms.sh" remove || true
		ok=0
	fi
	# make install where the static checks built for 6.12 (W=1 as there:
	# the same flags, nothing compiled again)
	rm -rf "$build/stock-install"
	if use_built w1-6.12 &&
	   make -s -j"$(nproc)" -C "$build/w1-6.12/src" install W=1 \
		KDIR="/usr/src/linux-headers-$k612_abi" \
		INSTALL_MOD_PATH="$build/stock-install/root" >"$build/stock-install.log" 2>&1 &&
	   check_installed_deps "$build/stock-install/root/lib/modules/$k612_abi" >>"$build/stock-install.log" 2>&1; then
		echo "@@CHECK ok make-install-$k612_abi"
	else
		echo "@@CHECK fail make-install-$k612_abi: see $build/stock-install.log"
	fi
	[ "$ok" = 1 ] && echo "$stock" >"$build/stock/image-dir"
}

# The stock kernel in QEMU, once prepare_stock succeeded; checks to stdout.
run_stock() {
	local stock
	stock=$(cat "$build/stock/image-dir")
	# shellcheck disable=SC2046
	"$top/scripts/qemu-run.sh" --kernel "$stock/root/boot/vmlinuz-$abi" \
		--modules "$build/stock/modules" --bin "$build/tools/sevtool" \
		$(stock_kvm_kmods "$stock" "$abi") \
		$(stock_preloads "$stock" "$abi") \
		--out "$build/stock/run" --timeout 300 --mode stock >&2
	python3 "$parse" "$build/stock/run" "$kunit_py" stock --mode stock
}

# The debug guest (step 4): its verdict in $build/debug/verdict. A splat
# while the kernel boots, before any module is loaded, is not the
# project's (it has been seen under TCG): boot once more, and say so.
run_debug() {
	local try rc
	for try in 1 2; do
		debug_guest "$kb" "$build/debug" "$build/debug/run" 1200
		python3 "$parse" "$build/debug/run" "$kunit_py" debug --mode test \
			>"$build/debug/verdict" && rc=0 || rc=$?
		if [ "$rc" -ne 3 ] || [ "$try" -ne 1 ]; then
			break
		fi
		say "  the kernel splatted while booting, before the modules; booting again:"
		sed 's/^/    /' "$build/debug/verdict"
		cp "$build/debug/run/console.log" "$build/debug/boot-splat-console.log"
	done
	python3 "$top/scripts/stage-times.py" "$build/debug/run/console.log" \
		>"$build/debug/stage-times.txt" 2>&1
}

# A part's results file, tallied; a part that left no check in it (it
# died) is a failure, not a part with nothing to say.
#   tally_part NAME FILE
tally_part() {
	if grep -q '^@@CHECK ' "$2" 2>/dev/null; then
		tally <"$2"
	else
		tally <<<"@@CHECK fail $1: no results (log: $build/beside-guest.log)"
	fi
}

# What needs no guest, beside the debug guest: at nice 19, so the guest
# has the CPU whenever it wants it. Each part's checks into a file of its
# own under $results, its seconds into $results/beside.times.
beside_guest() {
	local t
	t=$(date +%s)
	SEV_W1_PREBUILT=1 "$top/scripts/static-checks.sh" "$kdir" "$ksrc" \
		>"$results/static" 2>&1
	"$top/tests/runner/test-parse-results.sh" "$kunit_py" >"$results/parser" 2>&1
	echo "$(( $(date +%s) - t )) static checks and the result parser's own tests" \
		>"$results/beside.times"
	t=$(date +%s)
	ensure_dev_null "after the static checks"
	prepare_stock >"$results/stock-prepare" 2>>"$build/stock-build.log"
	prepare_612 >"$results/612-prepare" 2>>"$build/stock612-build.log"
	echo "$(( $(date +%s) - t )) stock kernels: DKMS build and install, make install, 6.12's modules" \
		>>"$results/beside.times"
}

stage "[1/5] packages"
ensure_deps || { tally <<<"@@CHECK fail install-deps: see above"; finish; }

stage "[2/5] debug test kernel"
kb=$(debug_kernel) || { tally <<<"@@CHECK fail debug-kernel: build failed, see above"; finish; }
kdir=$kb/build ksrc=$kb/src
kunit_py=$ksrc/tools/testing/kunit/kunit.py
abi=$(stock_abi)
rm -f "$build/stock/image-dir" "$build/stock612/image-dir"

if [ "$only" = 612 ]; then
	stage "[3/5] ONLY=612: building the selftests and tools"
	if make -s -j"$(nproc)" -C "$top" tools KSRC="$ksrc" BUILD="$build" >"$build/tools-build.log" 2>&1; then
		tally <<<"@@CHECK ok build-tools"
	else
		tally <<<"@@CHECK fail build-tools: $(grep -m1 -E 'error|Error' "$build/tools-build.log") (log: $build/tools-build.log)"
		finish
	fi
	stage "[5/5] ONLY=612: Debian 13's kernel $k612_abi: build, load, selftests, kvm-amd, unload"
	tally < <(prepare_612)
	[ -f "$build/stock612/image-dir" ] && tally < <(run_612)
	finish
fi

stage "[3/5] building modules (W=1), KUnit suites, selftests, tools"
# The static checks' W=1 build (step 4 adds sparse to it without building
# again), whose modules the debug guest loads
mkdir -p "$build/checks"
build_modules_once w1 "$kdir" W=1 >"$build/checks/w1.log" 2>&1
: >"$build/debug-build.log"
if use_built w1 &&
   collect_modules "$build/w1/src" "$build/debug/modules" "$build/debug/kunit" \
	>>"$build/debug-build.log" 2>&1 &&
   make -s -j"$(nproc)" -C "$top" tools KSRC="$ksrc" BUILD="$build" >>"$build/debug-build.log" 2>&1; then
	tally <<<"@@CHECK ok build-debug"
else
	tally <<<"@@CHECK fail build-debug: $(grep -h -m1 -E 'error|Error' "$build/checks/w1.log" "$build/debug-build.log" | head -1) (logs: $build/checks/w1.log, $build/debug-build.log)"
	finish
fi

stage "[4/5] debug kernel in QEMU (TCG): KUnit, selftests, KASAN/lockdep/kmemleak; beside it: static checks, stock kernels' builds"
beside_guest_log=$build/beside-guest.log
(renice -n 19 -p "$BASHPID" >/dev/null && beside_guest) >"$beside_guest_log" 2>&1 &
beside=$!
run_debug
say "  the debug guest is done; waiting for the work beside it"
wait "$beside"
ensure_dev_null "after the debug guest and the work beside it"
tally_part static "$results/static"
tally_part parser-tests "$results/parser"
tally <"$build/debug/verdict"
tally < <("$top/scripts/verify-chain.sh" "$build/debug/run/results.log")
tally < <("$top/scripts/verify-report.sh" "$build/debug/run/console.log")
tally_part stock-prepare "$results/stock-prepare"
tally_part 612-prepare "$results/612-prepare"

stage "[5/5] Debian's stock kernel ($abi) and Debian 13's $k612_abi in QEMU, side by side"
[ -f "$build/stock/image-dir" ] && run_stock >"$results/stock" &
stock_pid=$!
[ -f "$build/stock612/image-dir" ] && run_612 >"$results/612" &
k612_pid=$!
wait "$stock_pid" "$k612_pid"
[ -f "$results/stock" ] && tally <"$results/stock"
[ -f "$results/612" ] && tally <"$results/612"

finish
