#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The host's half of tools/selftests/snp_certs_chain.sh: take the chain the
# guest printed in RESULTS_LOG and check it with OpenSSL's own command line:
# `openssl verify` of ARK -> ASK -> VCEK, RSA-PSS signatures, the VCEK
# certificate's key being the simulated chip's, and its AMD extensions
# encoded as AMD's key distribution service encodes them. One "@@CHECK"
# line each.
#
# usage: verify-chain.sh RESULTS_LOG
set -u
log=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

awk -v dir="$dir" '
	{ sub(/\r$/, "") }
	/^@@FILE-END/ { out = ""; next }
	/^@@FILE / { out = dir "/" $2; next }
	out != "" { print > out }
' "$log"

# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

if [ ! -s "$dir/vcek.pem" ]; then
	echo "@@CHECK fail chain-openssl-verify: the guest printed no chain"
	exit 0
fi
check chain-openssl-verify openssl verify -CAfile "$dir/ark.pem" \
	-untrusted "$dir/ask.pem" "$dir/vcek.pem"
check chain-rsa-pss sh -c "openssl x509 -in '$dir/ask.pem' -noout -text | grep -q 'Signature Algorithm: rsassaPss'"
check chain-vcek-is-the-chips-key sh -c "
	openssl x509 -in '$dir/vcek.pem' -noout -pubkey |
	openssl ec -pubin -conv_form uncompressed -outform DER 2>/dev/null |
	tail -c 97 | od -An -tx1 -v | tr -d ' \n' >'$dir/cert.point' &&
	test \"\$(cat '$dir/cert.point')\" = \"\$(tr -d ' \n' <'$dir/vcek.point')\""

# The VCEK's AMD extensions (1.3.6.1.4.1.3704.1.*) as the KDS writes them
# and verifiers parse them (go-sev-guest's kds/kds.go): structVersion and
# the SPLs an INTEGER, productName1 an IA5String, each DER inside the
# extnValue; hwID the raw 64-byte chip id as the extnValue itself, with no
# OCTET STRING of its own inside (that would be 66 bytes, 04 40 ...).
kds_extensions() {
	openssl asn1parse -in "$1" | awk '
	function want(oid, tag, what) {
		if (!(oid in seen))
			bad = bad " " oid " missing;"
		else if (substr(seen[oid], 1, 2) != tag)
			bad = bad " " oid " is not " what ";"
	}
	/prim: OBJECT/ { n = split($0, f, ":"); oid = f[n]; next }
	oid ~ /^1\.3\.6\.1\.4\.1\.3704\.1\./ && /prim: OCTET STRING/ {
		match($0, / l= *[0-9]+/)
		len[oid] = substr($0, RSTART + 3, RLENGTH - 3) + 0
		n = split($0, f, ":")
		seen[oid] = f[n]
	}
	{ oid = "" }
	END {
		p = "1.3.6.1.4.1.3704.1."
		want(p "1", "02", "an INTEGER (structVersion)")
		want(p "2", "16", "an IA5String (productName1)")
		for (i = 1; i <= 8; i++)
			want(p "3." i, "02", "an INTEGER (SPL)")
		if (!((p "4") in seen))
			bad = bad " hwID missing;"
		else if (len[p "4"] != 64)
			bad = bad " hwID is " len[p "4"] " bytes, not the raw 64-byte chip id;"
		if (bad != "") {
			print "VCEK extensions:" bad
			exit 1
		}
	}'
}
check chain-vcek-kds-extensions kds_extensions "$dir/vcek.pem"
