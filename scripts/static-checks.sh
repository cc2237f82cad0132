#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The project's static checks, each reported as one "@@CHECK ok|fail NAME"
# line (the format the test summary counts):
#   checkpatch  scripts/checkpatch.pl --strict on every C source and header
#   w1          the modules build with W=1 without a warning
#   w1-6.12     ... and so against Debian 13's 6.12 headers (installed from
#               bookworm-backports by scripts/install-deps.sh)
#   layers      calls only go down: no cycle among a module's files
#               (scripts/check-layers.py, on the objects of the w1 build)
#   sparse      the modules build with C=2 (sparse) without a warning
#               (the same build as w1's: gcc's warnings are the ones
#               that name a -W option)
#   docs        Documentation/*.rst is valid reStructuredText
#   includes    no module source reaches a header by a relative path
#   kvm-uapi    include/uapi/linux/kvm-sev.h's macro values and struct
#               layouts equal 6.12's (scripts/check-kvm-uapi.py), and the
#               check catches a changed one (its --self-test)
#
# usage: [SEV_W1_PREBUILT=1] static-checks.sh KDIR KSRC
# Logs go to $BUILD/checks/. The two W=1 builds are make test's too: a
# build that succeeded leaves $BUILD/NAME/built (build_modules_once).
# run-tests.sh builds the first itself, before the debug guest, and says
# so with SEV_W1_PREBUILT=1: sparse then runs on its objects; it takes the
# 6.12 build's modules for its 6.12 guest.
set -uo pipefail
# shellcheck source=scripts/lib.sh
source "$(dirname "$0")/lib.sh"

kdir=$1 ksrc=$2
logs="$build/checks"
mkdir -p "$logs"
status=0

report() {	# report NAME LOG: a check passes when LOG has no finding
	local name=$1 log=$2 first
	first=$(grep -m1 -E "$3" "$log")
	if [ -z "$first" ]; then
		echo "@@CHECK ok $name"
	else
		echo "@@CHECK fail $name: $first (full log: $log)"
		status=1
	fi
}

cd "$top" || exit 1
srcs=$(find drivers kvm-svm-sev tests/kunit tools include -name '*.[ch]' ! -name '*.mod.c' | sort)
cp=$ksrc/scripts/checkpatch.pl
[ -f "$cp" ] || die "no checkpatch.pl in $ksrc"
# Two findings are ignored, each in the one place it cannot be helped:
# the uapi header keeps upstream's "typedef enum {...} sev_ret_code" (ABI
# that userspace names): NEW_TYPEDEFS; snp-certs calls OpenSSL, whose
# names are CamelCase: CAMELCASE.
{
	# the bulk of the time: a perl a core, 16 files each
	echo "$srcs" | grep -v -e '^include/uapi/' -e '^tools/snp-certs/' |
		xargs -P "$(nproc)" -n 16 perl "$cp" --strict --no-tree --terse \
			--show-types -f
	perl "$cp" --strict --no-tree --terse --show-types --ignore NEW_TYPEDEFS \
		-f $(echo "$srcs" | grep '^include/uapi/')
	perl "$cp" --strict --no-tree --terse --show-types --ignore CAMELCASE \
		-f $(echo "$srcs" | grep '^tools/snp-certs/')
} >"$logs/checkpatch.log" 2>&1
# checkpatch -f reads each file through "diff -u /dev/null FILE", which
# has come back empty for a file or two of a run ("NOT_UNIFIED_DIFF",
# "0 lines checked"), as when /dev/null is not the null device at that
# moment (see ensure_dev_null in lib.sh). Those files are checked once
# more, alone: a C file is never not a patch in -f mode.
again=$(sed -n 's/^\([^:]*\):0: ERROR:NOT_UNIFIED_DIFF:.*/\1/p' "$logs/checkpatch.log")
if [ -n "$again" ]; then
	grep -v -e ':0: ERROR:NOT_UNIFIED_DIFF:' -e ' 0 lines checked$' \
		"$logs/checkpatch.log" >"$logs/checkpatch.first"
	for f in $again; do
		echo "checked again (the first read was empty): $f"
		perl "$cp" --strict --no-tree --terse --show-types \
			$(case "$f" in include/uapi/*) echo --ignore NEW_TYPEDEFS ;;
			  tools/snp-certs/*) echo --ignore CAMELCASE ;; esac) -f "$f"
	done >>"$logs/checkpatch.first" 2>&1
	mv "$logs/checkpatch.first" "$logs/checkpatch.log"
fi
report checkpatch "$logs/checkpatch.log" '(ERROR|WARNING|CHECK):'

if [ -n "${SEV_W1_PREBUILT:-}" ] && use_built w1; then
	# run-tests.sh built it with W=1 ($logs/w1.log): sparse now, on the
	# same objects (C=2 checks every file and compiles none again)
	make -s -j"$(nproc)" -C "$kdir" M="$build/w1/src" W=1 C=2 CHECK=sparse modules \
		>>"$logs/w1.log" 2>&1 || echo "error: sparse pass failed" >>"$logs/w1.log"
else
	build_modules_once w1 "$kdir" W=1 C=2 CHECK=sparse >"$logs/w1.log" 2>&1 ||
		echo "error: build failed" >>"$logs/w1.log"
fi
grep -E ': (warning|error): .*\[-W[^]]*\]$|: error:|^error:' "$logs/w1.log" >"$logs/w1-gcc.log"
grep -v -E '\[-W[^]]*\]$' "$logs/w1.log" >"$logs/sparse.log"
report w1 "$logs/w1-gcc.log" '(warning|error):'

k612_kdir=/usr/src/linux-headers-$k612_abi
if [ -d "$k612_kdir" ]; then
	build_modules_once w1-6.12 "$k612_kdir" W=1 >"$logs/w1-6.12.log" 2>&1 ||
		echo "error: build failed" >>"$logs/w1-6.12.log"
else
	echo "error: no $k612_kdir (scripts/install-deps.sh installs it)" >"$logs/w1-6.12.log"
fi
report w1-6.12 "$logs/w1-6.12.log" '(warning|error):'

# On the w1 builds' objects, while they exist (build_modules copies the
# tree to $build/NAME/src): the driver, the simulator and kvm-sev, each
# one module, as built for 6.1 and for 6.12 (which adds
# sev-api-upstream.c).
/usr/bin/python3 scripts/check-layers.py "$build/w1/src/drivers/psp" \
	"$build/w1/src/drivers/psp/sim" "$build/w1-6.12/src/drivers/psp" \
	"$build/w1/src/kvm-svm-sev" \
	>"$logs/layers.log" 2>&1 || echo "error: check-layers failed" >>"$logs/layers.log"
report layers "$logs/layers.log" '(: cycle of|error|no objects)'

report sparse "$logs/sparse.log" '(warning|error):'

# Debian's python3 with python3-docutils, whatever python3 is first in PATH
for f in Documentation/*.rst; do
	/usr/bin/python3 - "$f" <<'PY' || echo "$f: error: docutils failed"
import io, sys
import docutils.core
err = io.StringIO()
docutils.core.publish_doctree(open(sys.argv[1]).read(), source_path=sys.argv[1],
	settings_overrides={"warning_stream": err, "report_level": 2})
for line in err.getvalue().splitlines():
	print("%s: warning: %s" % (sys.argv[1], line))
PY
done >"$logs/docs.log" 2>&1
report docs "$logs/docs.log" '(warning|error)'

# Headers are included by name (<sev-psp/...>, the Kbuild's include path):
# a relative path ties a file to where it sits in the tree.
grep -rn '#include *"\.\./' drivers kvm-svm-sev tests/kunit include >"$logs/includes.log"
report includes "$logs/includes.log" 'include'

# The uapi header against Debian's 6.12 headers, then the same check on
# copies of it changed on purpose: each change must be reported.
{
	/usr/bin/python3 scripts/check-kvm-uapi.py --k612 "$k612_kdir" ||
		echo "error: check-kvm-uapi.py failed"
	/usr/bin/python3 scripts/check-kvm-uapi.py --k612 "$k612_kdir" --self-test ||
		echo "error: check-kvm-uapi.py --self-test failed"
} >"$logs/kvm-uapi.log" 2>&1
report kvm-uapi "$logs/kvm-uapi.log" '^error:'

exit $status
