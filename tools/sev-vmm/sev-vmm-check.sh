#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# sev-vmm in the test guest: each guest type launched, the firmware's
# digest equal to the userspace one, and the refusals that need a device.
# For make try (kvm-sev.ko is loaded and unloaded here):
#
#   flock /tmp/qemu.lock make try FILES="/usr/share/ovmf/OVMF.fd \
#       tools/sev-vmm/sev-vmm-check.sh" CMD="sh sev-vmm-check.sh OVMF.fd"
ovmf=${1:-/usr/share/ovmf/OVMF.fd}
pass=0
fail=0

# expect RC WHAT ARGS...: sev-vmm exits RC and prints WHAT
expect() {
	rc=$1 what=$2
	shift 2
	out=$(sev-vmm --ovmf "$ovmf" "$@" 2>&1)
	got=$?
	if [ "$got" = "$rc" ] && echo "$out" | grep -q -- "$what"; then
		pass=$((pass + 1))
		echo "ok: sev-vmm $*"
	else
		fail=$((fail + 1))
		echo "not ok: sev-vmm $* (exit $got, want $rc and '$what')"
		echo "$out" | sed 's/^/    /'
	fi
}

# A CPUID page with leaf 0x8000001F EAX 0x41a: SME_COHERENT (bit 10), as
# KVM reports it, is not among the features the simulated firmware allows.
cpuid_page() {
	printf '\001\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000'
	printf '\037\000\000\200\000\000\000\000'
	printf '\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000\000'
	printf '\032\004\000\000\163\000\000\000'
	dd if=/dev/zero bs=1 count=$((4096 - 48)) 2>/dev/null
}

insmod /modules/kvm-sev.ko || exit 1
echo 0 >/sys/bus/sev-psp-sim/new_device || exit 1
cpuid_page >/tmp/cpuid.bin

expect 0 'firmware digest = userspace digest' --type snp --id-dir /tmp/id
expect 0 'firmware digest = userspace digest' --type snp --vcpus 2
expect 0 'firmware digest = userspace digest' --type sev-es --vcpus 2
expect 0 'firmware digest = userspace digest' --type sev
expect 0 'retrying once' --type snp --cpuid-page /tmp/cpuid.bin
expect 1 'BAD_MEASUREMENT' --type snp --vcpus 2 \
	--id-block /tmp/id/id_block.bin --id-auth /tmp/id/id_auth.bin
expect 2 "'migrate-ma' is not among" --type snp --policy smt,migrate-ma
expect 1 'POLICY_FAILURE' --type sev --policy nodbg,api=99.0

rmmod kvm-sev
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
