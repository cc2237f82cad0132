#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The runner's judge must be able to fail: feed scripts/parse-results.py
# crafted guest logs, one fault each, and check that each is caught.
# Prints one "@@CHECK" line per case.
#
# usage: test-parse-results.sh KUNIT_PY
set -u
here=$(cd "$(dirname "$0")" && pwd)
parse=$here/../../scripts/parse-results.py
kunit_py=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

good_results='@@CHECK ok insmod-sev-psp
@@KUNIT-SUITE demo
KTAP version 1
1..1
    KTAP version 1
    # Subtest: demo
    1..1
    ok 1 demo_case
ok 1 demo
@@KUNIT-SUITE-END demo
@@SELFTEST t
TAP version 13
1..1
ok 1 t.case
@@SELFTEST-END t rc=0
@@KMEMLEAK-BEGIN
@@KMEMLEAK-END
@@DONE'

# case NAME WANT_RC CONSOLE RESULTS
case_() {
	local name=$1 want=$2 d="$tmp/$1"
	mkdir -p "$d"
	printf '%s\n' "$3" >"$d/console.log"
	printf '%s\n' "$4" >"$d/results.log"
	python3 "$parse" "$d" "$kunit_py" "$name" >"$d/out" 2>&1
	local rc=$?
	if [ "$rc" -eq "$want" ]; then
		echo "@@CHECK ok parse-results-$name"
	else
		echo "@@CHECK fail parse-results-$name: exit $rc, want $want: $(tail -n 1 "$d/out")"
	fi
}

case_ clean 0 "[    1.0] booted" "$good_results"
boot='[    1.5] sevtest: loading modules (test)'
case_ kasan 1 "$boot
[    2.0] BUG: KASAN: slab-out-of-bounds in psp_mbox_cmd" "$good_results"
case_ lockdep 1 "$boot
[    2.0] WARNING: possible circular locking dependency detected" "$good_results"
case_ ubsan 1 "$boot
[    2.0] UBSAN: shift-out-of-bounds in x.c:1:2" "$good_results"
case_ hung-task 1 "$boot
[  200.0] INFO: task insmod:90 blocked for more than 120 seconds." "$good_results"
# before any module: not ours, the caller may boot again
case_ boot-splat 3 "[    1.0] BUG: KASAN: wild-memory-access in do_raw_spin_lock
$boot" "$good_results"
case_ boot-splat-and-more 1 "[    1.0] BUG: KASAN: wild-memory-access
$boot" "$(echo "$good_results" | sed 's/^ok 1 t.case/not ok 1 t.case/; s/rc=0/rc=1/')"
case_ no-done 1 "" "$(echo "$good_results" | grep -v '@@DONE')"
case_ kmemleak 1 "" "$(echo "$good_results" | sed 's/@@KMEMLEAK-BEGIN/&\nunreferenced object 0xffff888 (size 64):/')"
case_ selftest-fail 1 "" "$(echo "$good_results" | sed 's/^ok 1 t.case/not ok 1 t.case/; s/rc=0/rc=1/')"
case_ selftest-crash 1 "" "$(echo "$good_results" | sed 's/^ok 1 t.case//; s/rc=0/rc=139/')"
case_ kunit-fail 1 "" "$(echo "$good_results" | sed 's/^    ok 1 demo_case/    not ok 1 demo_case/; s/^ok 1 demo/not ok 1 demo/')"
case_ check-fail 1 "" "$(echo "$good_results" | sed 's/@@CHECK ok/@@CHECK fail/')"
