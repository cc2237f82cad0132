#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# An SNP attestation report the simulated firmware signed, checked with
# OpenSSL's command line on the host: the sim_fw_guest KUnit suite prints
# the report and the VCEK's public point ("@@SNP-REPORT" lines on the
# console); the signature (ECDSA P-384, SHA-384 over the first 0x2A0 bytes,
# r and s little-endian) must verify, and must not once a byte changes.
# One "@@CHECK" line each.
#
# usage: verify-report.sh CONSOLE_LOG
set -u
log=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

if ! python3 - "$log" "$dir" <<'EOF'
import base64
import sys

log, out = sys.argv[1:]
report, seen, vcek = bytearray(0x4a0), set(), None
for line in open(log, errors="replace"):
    at = line.find("@@SNP-REPORT")
    if at < 0:
        continue
    f = line[at:].split()
    if f[0] == "@@SNP-REPORT-VCEK":
        vcek = bytes.fromhex(f[1])
    elif f[0] == "@@SNP-REPORT" and len(f) >= 3:
        off, data = int(f[1], 16), bytes.fromhex(f[2])
        report[off:off + len(data)] = data
        seen.add(off)
if vcek is None or len(vcek) != 96 or len(seen) != 0x4a0 // 32:
    sys.exit(1)


def der_int(v):
    v = v.lstrip(b"\0") or b"\0"
    if v[0] & 0x80:
        v = b"\0" + v
    return b"\x02" + bytes([len(v)]) + v


r = bytes(report[0x2a0:0x2a0 + 48])[::-1]
s = bytes(report[0x2a0 + 72:0x2a0 + 72 + 48])[::-1]
sig = der_int(r) + der_int(s)
spki = bytes.fromhex("3076301006072a8648ce3d020106052b81040022036200") + b"\x04" + vcek
body = bytes(report[:0x2a0])
open(f"{out}/sig.der", "wb").write(b"\x30" + bytes([len(sig)]) + sig)
open(f"{out}/body.bin", "wb").write(body)
open(f"{out}/changed.bin", "wb").write(body[:0x50] + bytes([body[0x50] ^ 1]) + body[0x51:])
open(f"{out}/vcek.pem", "w").write("-----BEGIN PUBLIC KEY-----\n" +
                                   base64.encodebytes(spki).decode() +
                                   "-----END PUBLIC KEY-----\n")
EOF
then
	echo "@@CHECK fail report-openssl-verify: the KUnit suite printed no report"
	exit 0
fi
check report-openssl-verify openssl dgst -sha384 -verify "$dir/vcek.pem" \
	-signature "$dir/sig.der" "$dir/body.bin"
check report-openssl-refuses-a-change sh -c "! openssl dgst -sha384 \
	-verify '$dir/vcek.pem' -signature '$dir/sig.der' '$dir/changed.bin'"
