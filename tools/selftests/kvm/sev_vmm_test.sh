#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# sev-vmm against /dev/kvm-sev (TAP): Debian's OVMF launched as each guest
# type, the firmware's launch digest equal to the one the tool computes
# in userspace, the refusals that need a device; and the VMSA the tool
# models, field by field, equal to what QEMU and KVM give an AMD host
# (the values sev-snp-measure uses for VMM type qemu). Together: kvm-sev
# measures the VMSA an AMD host with KVM would.
#
# Needs kvm-sev.ko loaded, sev-vmm in PATH and the firmware image in
# /extra/OVMF.fd (or $1). By hand, in the test guest:
#
#   flock /tmp/qemu.lock make try FILES="/usr/share/ovmf/OVMF.fd \
#       tools/selftests/kvm/sev_vmm_test.sh" \
#       CMD="insmod /modules/kvm-sev.ko && sh sev_vmm_test.sh OVMF.fd"
ovmf=${1:-/extra/OVMF.fd}
n=0
ok() { n=$((n + 1)); echo "ok $n $1"; }
fail() { n=$((n + 1)); echo "not ok $n $1"; }

# expect RC WHAT ARGS...: sev-vmm exits RC and prints WHAT
expect() {
	rc=$1 what=$2
	shift 2
	out=$(sev-vmm --ovmf "$ovmf" "$@" 2>&1)
	got=$?
	if [ "$got" = "$rc" ] && echo "$out" | grep -q -- "$what"; then
		ok "sev-vmm $*"
	else
		echo "$out" | sed 's/^/# /'
		fail "sev-vmm $* (exit $got, want $rc and '$what')"
	fi
}

# vmsa_field FILE OFFSET BYTES WANT: one little-endian field of a VMSA page
vmsa_field() {
	got=$(od -An -tx1 -j "$2" -N "$3" "$1" |
	      awk '{ for (i = NF; i > 0; i--) s = s $i } END { print s }')
	want=$(printf "%0$(($3 * 2))x" "$4")
	if [ "$got" = "$want" ]; then
		ok "$(basename "$1") at $2: $want"
	else
		fail "$(basename "$1") at $2: $got, want $want"
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

echo "TAP version 13"
if [ ! -f "$ovmf" ] || ! command -v sev-vmm >/dev/null; then
	echo "1..0 # SKIP no $ovmf or no sev-vmm"
	exit 0
fi
echo "1..31"
sim=/sys/bus/sev-psp-sim
echo 0 >$sim/del_device 2>/dev/null
if echo 0 >$sim/new_device; then ok "create sevsim0"; else fail "create sevsim0"; fi
cpuid_page >/tmp/cpuid.bin
rm -rf /tmp/vmsa && mkdir -p /tmp/vmsa

expect 0 'firmware digest = userspace digest' --type snp --id-dir /tmp/id
expect 0 'firmware digest = userspace digest' --type snp --vcpus 2 \
	--dump-vmsa /tmp/vmsa
expect 0 'firmware digest = userspace digest' --type sev-es --vcpus 2
expect 0 'firmware digest = userspace digest' --type sev
expect 0 'retrying once' --type snp --cpuid-page /tmp/cpuid.bin
expect 1 'BAD_MEASUREMENT' --type snp --vcpus 2 \
	--id-block /tmp/id/id_block.bin --id-auth /tmp/id/id_auth.bin
expect 2 "'migrate-ma' is not among" --type snp --policy smt,migrate-ma
expect 1 'POLICY_FAILURE' --type sev --policy nodbg,api=99.0

# The BSP's VMSA (SEV-ES save area, APM vol. 2 table B-4): CS 0xf000
# based at 0xffff0000, RIP 0xfff0, EFER.SVME, CR4.MCE, CR0.ET only,
# TR a busy 16-bit TSS, PAT and DR6/DR7 at reset, SNP active, XCR0 1,
# and the FPU of KVM_SEV_INIT2 VMs (FCW 0x37f, MXCSR 0x1f80).
v=/tmp/vmsa/vmsa0.bin
vmsa_field $v $((0x10)) 2 0xf000		# CS selector
vmsa_field $v $((0x12)) 2 0x9b			# CS attributes
vmsa_field $v $((0x18)) 8 0xffff0000		# CS base
vmsa_field $v $((0x92)) 2 0x8b			# TR attributes
vmsa_field $v $((0xd0)) 8 0x1000		# EFER
vmsa_field $v $((0x148)) 8 0x40			# CR4
vmsa_field $v $((0x158)) 8 0x10			# CR0
vmsa_field $v $((0x160)) 8 0x400		# DR7
vmsa_field $v $((0x168)) 8 0xffff0ff0		# DR6
vmsa_field $v $((0x178)) 8 0xfff0		# RIP
vmsa_field $v $((0x268)) 8 0x0007040600070406	# PAT
vmsa_field $v $((0x3b0)) 8 1			# SEV_FEATURES
vmsa_field $v $((0x3e8)) 8 1			# XCR0
vmsa_field $v $((0x408)) 4 0x1f80		# MXCSR
vmsa_field $v $((0x410)) 2 0x37f		# x87 FCW

# Attestation end to end (--attest): the tool plays the guest (VMPCK0
# from its secrets page, an extended report request asked with no
# certificate pages and resent with the pages needed) and the guest owner
# (the report's signature by the VCEK of the returned table, the VCEK's
# chain to the ARK, the measurement against the launch digest). Two
# chains for sevsim0 (another ARK and ASK each): the host's certificates
# are the first; the VMM gives the second (--vmm-certs).
dbg=/sys/kernel/debug/sev-psp-sim/sevsim0
tcb=$(sed -n 's/^tcb: //p' $dbg/vcek_pub)
if snp-certs from-sim 0 --out /tmp/chain --rsa-bits 2048 >/dev/null &&
   snp-certs from-sim 0 --out /tmp/chain2 --rsa-bits 2048 >/dev/null &&
   snp-certs load /tmp/chain/certs.bin --tcb "$tcb" >/dev/null; then
	ok "two chains for sevsim0, the first the host's"
else
	fail "two chains for sevsim0, the first the host's"
fi
expect 0 'report verified' --type snp --vcpus 2 --attest \
	--ark /tmp/chain/ark.pem --attest-dir /tmp/attest
expect 0 'MEASUREMENT (the launch digest computed here) as expected' \
	--type snp --no-id-block --attest --ark /tmp/chain/ark.pem \
	--host-data 00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff
expect 1 "the table's ARK is not the trusted one" --type snp --attest \
	--ark /tmp/chain2/ark.pem
expect 0 'report verified' --type snp --attest --ark /tmp/chain2/ark.pem \
	--vmm-certs /tmp/chain2/certs.bin
expect 2 'only for --type snp' --type sev --attest
# no guest message of all those reused an IV or a sequence number
stats=$(cat $dbg/snp_msg_stats)
if echo "$stats" | grep -q '^iv_reuse 0$' &&
   echo "$stats" | grep -q '^replayed 0$' &&
   echo "$stats" | grep -q '^skipped 0$'; then
	ok "snp_msg_stats: no IV reuse, replay or skip"
else
	echo "$stats" | sed 's/^/# /'
	fail "snp_msg_stats: no IV reuse, replay or skip"
fi

echo 0 >$sim/del_device
