#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The host's half of tools/selftests/snp_certs_chain.sh: take the chain the
# guest printed in RESULTS_LOG and check it with OpenSSL's own command line:
# `openssl verify` of ARK -> ASK -> VCEK, RSA-PSS signatures, and the VCEK
# certificate's key being the simulated chip's. One "@@CHECK" line each.
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
