#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Try any program against the modules: boot the debug test kernel with
# sev-psp and sev-psp-sim loaded, copy FILES into the guest's /extra (a
# statically linked binary, a script), run COMMAND there, and print what it
# wrote. The kernel log is checked for splats as in the tests.
#
# usage: try.sh "COMMAND" [FILES...]
# TRY_TIMEOUT=S: the guest's time limit, boot included (default 1200 s)
#   e.g. try.sh 'echo 0 > /sys/bus/sev-psp-sim/new_device; ./mytool' ./mytool
set -euo pipefail
source "$(dirname "$0")/lib.sh"

[ $# -ge 1 ] && [ -n "$1" ] || die 'usage: try.sh "COMMAND" [FILES...]  (make try CMD="..." FILES="...")'
cmd=$1
shift
extra=()
for f in "$@"; do
	[ -e "$f" ] || die "no such file: $f"
	extra+=(--extra "$f")
done

ensure_deps
kb=$(debug_kernel)
build_modules debug "$kb/build"
collect_modules "$build/debug/src" "$build/debug/modules" ""
make -s -j"$(nproc)" -C "$top" tools KSRC="$kb/src" BUILD="$build"
say "booting the debug kernel with the modules loaded"
rc=0
"$top/scripts/qemu-run.sh" --kernel "$kb/build/arch/x86/boot/bzImage" \
	--modules "$build/debug/modules" --bin "$build/tools/sevtool" \
	--bin "$build/tools/sev_bench" --bin "$build/tools/kvm_sev_bench" \
	--bin "$build/tools/sev-vmm" --extra "$OVMF_FD" \
	"${extra[@]}" --cmd "$cmd" \
	--out "$build/try" --timeout "${TRY_TIMEOUT:-1200}" --mode try || rc=$?
sed -n '/^@@CMD-BEGIN/,/^@@CMD-END/p' "$build/try/results.log" | sed '1d'
python3 "$top/scripts/parse-results.py" "$build/try" \
	"$kb/src/tools/testing/kunit/kunit.py" try || rc=1
exit $rc
