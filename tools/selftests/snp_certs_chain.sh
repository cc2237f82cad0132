#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# An ARK/ASK/VCEK chain for a simulated chip, end to end (TAP):
# snp-certs reads sevsim0's VCEK public key, chip id and reported TCB from
# debugfs, issues the chain and the GUID-table blob, and loads it with the
# TCB through SNP_SET_EXT_CONFIG. The PEM files and the VCEK point are
# printed between "@@FILE" markers so the host can check the chain with
# `openssl verify` (scripts/verify-chain.sh).
n=0
ok() { n=$((n + 1)); echo "ok $n $1"; }
fail() { n=$((n + 1)); echo "not ok $n $1"; }
t() { name=$1; shift; if "$@"; then ok "$name"; else fail "$name"; fi; }

echo "TAP version 13"
echo "1..5"
sim=/sys/bus/sev-psp-sim
echo 0 >$sim/del_device 2>/dev/null
t "create sevsim0" sh -c "echo 0 >$sim/new_device"
t "issue the chain" snp-certs from-sim 0 --out /tmp/chain --rsa-bits 2048
tcb=$(sed -n 's/^tcb: //p' /sys/kernel/debug/sev-psp-sim/sevsim0/vcek_pub)
t "load blob and TCB together" snp-certs load /tmp/chain/certs.bin --tcb "$tcb"
# A blob that is not page-aligned is refused (the kernel checks it, too).
head -c 100 /tmp/chain/certs.bin >/tmp/chain/short.bin
t "an unaligned blob is refused" sh -c '! snp-certs load /tmp/chain/short.bin 2>/dev/null'
for f in ark.pem ask.pem vcek.pem; do
	echo "@@FILE $f"
	cat /tmp/chain/$f
	echo "@@FILE-END"
done
echo "@@FILE vcek.point"
sed -n 's/^point: //p' /sys/kernel/debug/sev-psp-sim/sevsim0/vcek_pub
echo "@@FILE-END"
t "delete sevsim0" sh -c "echo 0 >$sim/del_device"
