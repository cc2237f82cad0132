#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The runner's judge must be able to fail: feed scripts/parse-results.py
# crafted guest logs, one fault each (a splat, a failed or crashed test, a
# test that did not run, no end...), and a crafted run summary, and check
# that each is caught. Prints one "@@CHECK" line per case.
#
# usage: test-parse-results.sh KUNIT_PY
set -u
here=$(cd "$(dirname "$0")" && pwd)
parse=$here/../../scripts/parse-results.py
kunit_py=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The cases' own expected list, in the format of tests/expected-tests.txt.
expected=$tmp/expected-tests.txt
cat >"$expected" <<'LIST'
# MODE	KIND		NAME
test	kunit		demo
test	selftest	t
test	check		insmod-sev-psp
stock	check		insmod-sev-psp
stock	check		sevtool-status
stock612	check		sevtool-status
stock612	selftest	t
stock612	check		kvm-amd-uses-sev-psp
LIST

# The cases' own upstream list, in the format of
# tools/selftests/kvm/upstream-cases.txt: selftest t re-expresses one
# upstream case, and another needs a guest to run.
upstream=$tmp/upstream-cases.txt
printf '%s\t%s\t%s\t%s\n' \
	t 'test_a(0)' port t.case \
	t 'test_b(1)' guest '-	# runs the guest' >"$upstream"
uplist=$upstream

good_results='@@MODE test
@@CHECK ok insmod-sev-psp
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

stock_results='@@MODE stock
@@CHECK ok preload-ecc
@@CHECK ok insmod-sev-psp
@@CHECK ok sevtool-status
@@DONE'

stock612_results='@@MODE stock612
@@CHECK ok sevtool-status
@@SELFTEST t
TAP version 13
1..1
ok 1 t.case
@@SELFTEST-END t rc=0
@@CHECK ok kvm-amd-uses-sev-psp
@@DONE'

# result NAME RC WANT_RC OUT [WANT_TEXT]: the case passes when the parser
# exited WANT_RC and, if given, said WANT_TEXT (a failure must be named).
result() {
	local name=$1 rc=$2 want=$3 out=$4 text=${5:-}
	if [ "$rc" -ne "$want" ]; then
		echo "@@CHECK fail parse-results-$name: exit $rc, want $want: $(tail -n 1 "$out")"
	elif [ -n "$text" ] && ! grep -qF -- "$text" "$out"; then
		echo "@@CHECK fail parse-results-$name: no \"$text\" in its output: $(head -n 1 "$out")"
	else
		echo "@@CHECK ok parse-results-$name"
	fi
}

# case_ NAME WANT_RC CONSOLE RESULTS [WANT_TEXT [MODE]]: judge a guest run
# (in mode test unless MODE is given).
case_() {
	local name=$1 want=$2 d="$tmp/$1" mode=${6:-test}
	mkdir -p "$d"
	printf '%s\n' "$3" >"$d/console.log"
	printf '%s\n' "$4" >"$d/results.log"
	python3 "$parse" "$d" "$kunit_py" "$name" --mode "$mode" \
		--expected "$expected" --upstream "$uplist" >"$d/out" 2>&1
	result "$name" $? "$want" "$d/out" "${5:-}"
}

# sum NAME WANT_RC WANT_LAST_LINE LINES: add LINES up as run-tests.sh does.
sum() {
	local name=$1 want=$2 last=$3 d="$tmp/$1"
	mkdir -p "$d"
	: >"$d/summary"
	printf '%s\n' "$4" | python3 "$parse" --add "$d/summary" >"$d/shown" 2>&1
	python3 "$parse" --total "$d/summary" >"$d/out" 2>&1
	local rc=$?
	if [ "$(tail -n 1 "$d/out")" != "$last" ]; then
		echo "@@CHECK fail parse-results-$name: \"$(tail -n 1 "$d/out")\", want \"$last\""
	else
		result "$name" "$rc" "$want" "$d/out"
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
case_ check-fail 1 "" "${good_results//@@CHECK ok/@@CHECK fail}"

# Tests that did not run, each named; tests that ran unlisted.
case_ missing-kunit-suite 1 "" "$(echo "$good_results" | sed '/^@@KUNIT-SUITE demo/,/^@@KUNIT-SUITE-END/d')" \
	"kunit suite demo: did not run"
case_ missing-selftest 1 "" "$(echo "$good_results" | sed '/^@@SELFTEST t/,/^@@SELFTEST-END/d')" \
	"selftest t: did not run"
case_ missing-check 1 "" "$(echo "$good_results" | grep -v '^@@CHECK')" \
	"check insmod-sev-psp: did not run"
case_ unlisted-kunit-suite 1 "" "$(echo "$good_results" | sed 's/^@@KUNIT-SUITE-END demo/&\n@@KUNIT-SUITE extra\nok 1 extra\n@@KUNIT-SUITE-END extra/')" \
	"kunit suite extra: ran, but"
case_ unlisted-selftest 1 "" "$(echo "$good_results" | sed 's/^@@SELFTEST-END t rc=0/&\n@@SELFTEST u\nok 1 u.case\n@@SELFTEST-END u rc=0/')" \
	"selftest u: ran, but"
case_ no-guest 1 "" "" "kunit suite demo: did not run"
case_ wrong-mode 1 "" "${good_results/@@MODE test/@@MODE stock}" \
	"the guest ran in mode stock, not test"
case_ unknown-mode 1 "" "$good_results" "lists no test for mode tset" tset
# Debian's kernel: no KUnit expected, its own checks are
case_ stock-clean 0 "" "$stock_results" "" stock
case_ stock-missing-check 1 "" "$(echo "$stock_results" | grep -v sevtool-status)" \
	"check sevtool-status: did not run" stock
# Debian 13's 6.12: selftests and kvm-amd too
case_ stock612-clean 0 "" "$stock612_results" "" stock612
case_ stock612-no-kvm-amd 1 "" "$(echo "$stock612_results" | grep -v kvm-amd)" \
	"check kvm-amd-uses-sev-psp: did not run" stock612
case_ stock612-selftest-fails 1 "" "${stock612_results/ok 1 t.case/not ok 1 t.case}" \
	"selftest t: not ok 1 t.case" stock612
case_ stock612-ran-as-stock 1 "" "$stock_results" \
	"the guest ran in mode stock, not stock612" stock612

# Upstream's cases: counted from the local tests; a local test the list
# names and the run does not have fails the run (the list must not rot).
case_ upstream-counted 0 "" "$good_results" \
	"upstream-counted: upstream t: 2 cases, 1 run here, 1 passed; 1 need guest execution, left to part 2: test_b(1); 0 more local tests"
case_ upstream-failed 1 "" "$(echo "$good_results" | sed 's/^ok 1 t.case/not ok 1 t.case/; s/rc=0/rc=1/')" \
	"upstream t: 2 cases, 1 run here, 0 passed; failed: test_a(0)"
case_ upstream-skipped 0 "" "${good_results/ok 1 t.case/ok 1 t.case # SKIP no SEV}" \
	"upstream t: 2 cases, 0 run here, 0 passed; not run: test_a(0)"
case_ upstream-renamed 1 "" "${good_results/ok 1 t.case/ok 1 t.renamed}" \
	"test_a(0) names t test t.case, which is not in its results"
uplist=$tmp/upstream-bad.txt
printf 't\ttest_a(0)\tported\tt.case\n' >"$uplist"
case_ upstream-bad-list 1 "" "$good_results" "want PROGRAM<TAB>UPSTREAM_CASE"
uplist=$upstream

# The run's total, from every step's lines.
sum sum-clean 0 "3 passed, 0 failed" "@@CHECK ok checkpatch
text a reader needs
debug: 2 passed, 0 failed"
sum sum-check-fail 1 "3 passed, 1 failed" "@@CHECK ok checkpatch
@@CHECK fail w1: warning
debug: 2 passed, 0 failed"
sum sum-guest-fail 1 "1 passed, 4 failed" "@@CHECK ok checkpatch
debug: FAIL: kunit suite demo: did not run
debug: 0 passed, 4 failed"
sum sum-nothing 1 "0 passed, 1 failed" "build output, and no result"
