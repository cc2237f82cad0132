#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The main job: boot Debian's own 6.1 kernel in QEMU with sev-psp and a
# simulated PSP, and show what a user of the driver looks at: /dev/sev,
# the platform status and chip ID through sevtool, the simulated
# firmware's state, and the driver's kernel messages; then kvm-sev and
# sev-vmm launching Debian's OVMF as an SNP guest, the firmware's launch
# digest beside the one the tool computes.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

say "installing what is missing"
ensure_deps
abi=$(stock_abi)
say "Debian kernel $abi"
stock=$(stock_kernel)
say "building sev-psp and sev-psp-sim against linux-headers-$abi"
build_modules stock "/usr/src/linux-headers-$abi"
collect_modules "$build/stock/src" "$build/stock/modules" ""
make -s -j"$(nproc)" -C "$top" "$build/tools/sevtool" "$build/tools/sev-vmm" BUILD="$build"
say "booting in QEMU (TCG, about 30 s)"
# shellcheck disable=SC2046
"$top/scripts/qemu-run.sh" --kernel "$stock/root/boot/vmlinuz-$abi" \
	--modules "$build/stock/modules" --bin "$build/tools/sevtool" \
	--bin "$build/tools/sev-vmm" --extra "$OVMF_FD" \
	$(stock_preloads "$stock" "$abi") \
	--out "$build/demo" --timeout 300 --mode demo
sed -n '/^@@DEMO-BEGIN/,/^@@DEMO-END/p' "$build/demo/results.log" | sed '1d;$d'
grep '^@@CHECK fail' "$build/demo/results.log" && exit 1
say "full logs: $build/demo/console.log (kernel), $build/demo/results.log"
