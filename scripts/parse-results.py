#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The one place where test results become counts.

Judge one guest run from its two logs (see scripts/qemu-run.sh):

  parse-results.py LOGDIR KUNIT_PY LABEL [--mode MODE] [--expected FILE]
                   [--upstream FILE]

Counts, as passed or failed:
  - every KUnit test case, parsed by the kernel's own kunit.py from one
    KTAP document assembled from each suite's debugfs results;
  - every selftest TAP result line (a test program exiting non-zero with no
    failed line counts as one failure);
  - every @@CHECK line /init wrote;
  - with --mode, every test the expected list (FILE, by default
    tests/expected-tests.txt) names for MODE that did not run, and every
    KUnit suite or selftest that ran without being listed: a test that
    silently stops running must fail the run, by name;
  - the run itself: it must reach @@DONE, and the kernel log must have no
    splat (KASAN, UBSAN, lockdep, WARN, BUG, Oops, hung task) and kmemleak
    no report;
  - every local test the upstream list (FILE of --upstream, by default
    tools/selftests/kvm/upstream-cases.txt) names for an upstream case that
    is not in the results of its program, when that program ran: the list
    must not rot.
Prints the failures with where to look; then, for each program of the
upstream list that ran, "LABEL: upstream PROGRAM: N cases, N run here, N
passed ...": upstream's cases of that selftest, and how many of them the
local tests that re-express them ran and passed (information: each test
counts once, by its TAP line); then "LABEL: N passed, N failed".
Exit status 1 on any failure; 3 when the only failure is a splat while the
kernel booted, before /init loaded any module: that is not the project's
code, and the caller may boot again. Without --mode (make try: the user's
command is the test) nothing is expected.

Add up a whole run (scripts/run-tests.sh):

  parse-results.py --add SUMMARY     < lines
  parse-results.py --total SUMMARY

--add shows each line for a reader and appends it to SUMMARY; --total
counts every "@@CHECK ok|fail NAME" line and every "LABEL: N passed, N
failed" line of SUMMARY, prints the final "N passed, N failed" and exits 1
on any failure (or when nothing was counted at all).
"""
import argparse
import os
import re
import subprocess
import sys

SPLATS = [
    r"BUG: ", r"WARNING: ", r"KASAN", r"UBSAN", r"kernel BUG at",
    r"Oops", r"Kernel panic", r"general protection fault",
    r"INFO: task .* blocked for more than", r"INFO: trying to register",
    r"INFO: possible", r"INFO: lockdep", r"WARNING: possible",
    r"unreferenced object", r"RCU detected stall", r"soft lockup",
    r"refcount_t: ", r"list_(add|del) corruption",
]
SPLAT_RE = re.compile("|".join(SPLATS))

EXPECTED = os.path.normpath(os.path.join(os.path.dirname(
    os.path.abspath(__file__)), "..", "tests", "expected-tests.txt"))
UPSTREAM = os.path.normpath(os.path.join(os.path.dirname(
    os.path.abspath(__file__)), "..", "tools", "selftests", "kvm",
    "upstream-cases.txt"))
# How an upstream case is re-expressed (see the upstream list's header).
HOWS = ("port", "launch", "guest")
# The expected list's kinds, and how a message names one.
KINDS = {"kunit": "kunit suite", "selftest": "selftest", "check": "check"}


def kunit_counts(suites, kunit_py, logdir):
    """Return (passed, failed, messages) for the collected suites."""
    if not suites:
        return 0, 0, []
    doc = ["KTAP version 1", "1..%d" % len(suites)]
    for i, (name, lines) in enumerate(suites, 1):
        body = lines[2:] if lines[:1] == ["KTAP version 1"] else lines
        for line in body:
            # 6.1's debugfs log keeps only the last result line of a
            # parameterised case, with no plan: drop it and let the case's
            # own line (failed if any parameter failed) stand for them.
            if re.match(r"^ {8,}(not )?ok \d+ ", line):
                continue
            if re.match(r"^(not )?ok 1 ", line):
                line = re.sub(r"^(not ok|ok) 1 ", r"\g<1> %d " % i, line)
            doc.append(line)
    path = os.path.abspath(os.path.join(logdir, "kunit.ktap"))
    with open(path, "w") as f:
        f.write("\n".join(doc) + "\n")
    res = subprocess.run([sys.executable, kunit_py, "parse", path],
                         capture_output=True, text=True)
    with open(os.path.join(logdir, "kunit.txt"), "w") as f:
        f.write(res.stdout + res.stderr)
    m = re.search(r"Testing complete\. Ran (\d+) tests?: (.*)", res.stdout)
    if not m:
        return 0, 1, ["kunit.py could not parse the KUnit results (%s)" % path]
    counts = dict((k, int(v)) for k, v in
                  re.findall(r"(\w+): (\d+)", re.sub(r"\x1b\[[0-9;]*m", "", m.group(2))))
    passed = counts.get("passed", 0)
    failed = counts.get("failed", 0)
    crashed = counts.get("crashed", 0)
    errors = counts.get("errors", 0)
    msgs = []
    if failed or crashed or errors:
        for line in res.stdout.splitlines():
            if "[FAILED]" in line or "[CRASHED]" in line or "[ERROR]" in line:
                msgs.append("kunit: " + re.sub(r"\x1b\[[0-9;]*m", "", line).strip())
    return passed, failed + crashed + errors, msgs


def read_expected(path, mode):
    """What MODE's run must show, from the expected list: {kind: [name]}."""
    want = dict((kind, []) for kind in KINDS)
    modes = set()
    with open(path) as f:
        for n, line in enumerate(f, 1):
            words = line.split("#", 1)[0].split()
            if not words:
                continue
            if len(words) != 3 or words[1] not in KINDS:
                raise ValueError("%s:%d: want MODE KIND NAME, KIND one of %s"
                                 % (path, n, ", ".join(KINDS)))
            modes.add(words[0])
            if words[0] == mode:
                want[words[1]].append(words[2])
    # A mode the list does not know would expect nothing: a typo in the
    # caller must not turn the check off.
    if mode not in modes:
        raise ValueError("%s lists no test for mode %s" % (path, mode))
    return want


def not_run(want, seen, path):
    """Messages for each expected test that did not run, and each KUnit
    suite or selftest that ran without its line in the list."""
    msgs = []
    for kind, what in KINDS.items():
        for name in want[kind]:
            if name not in seen[kind]:
                msgs.append("%s %s: did not run" % (what, name))
        # Checks are only required, never listed in full: which modules a
        # kernel preloads, or which KUnit modules there are, may differ.
        if kind == "check":
            continue
        for name in seen[kind]:
            if name not in want[kind]:
                msgs.append("%s %s: ran, but %s does not list it: add its "
                            "line" % (what, name, path))
    return msgs


def read_upstream(path):
    """The upstream list: [(program, case, how, [(program, test)], n)]."""
    cases, names = [], set()
    with open(path) as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            fields = [w.strip() for w in line.split("\t") if w.strip()]
            if len(fields) == 5 and fields[4].startswith("#"):
                fields = fields[:4]
            if len(fields) != 4 or fields[2] not in HOWS:
                raise ValueError("%s:%d: want PROGRAM<TAB>UPSTREAM_CASE<TAB>"
                                 "HOW<TAB>LOCAL_TESTS [# NOTE], HOW one of %s"
                                 % (path, n, ", ".join(HOWS)))
            prog, case, how, tests = fields
            if (how == "guest") != (tests == "-"):
                raise ValueError("%s:%d: LOCAL_TESTS is \"-\" for HOW guest, "
                                 "and only then" % (path, n))
            if (prog, case) in names:
                raise ValueError("%s:%d: %s %s is listed twice"
                                 % (path, n, prog, case))
            names.add((prog, case))
            local = []
            if tests != "-":
                for t in tests.split(","):
                    other, _, name = t.strip().rpartition(":")
                    if not name:
                        raise ValueError("%s:%d: an empty local test name"
                                         % (path, n))
                    local.append((other or prog, name))
            cases.append((prog, case, how, local, n))
    return cases


def upstream_report(path, tap, label):
    """Per program of the upstream list that ran (its TAP results in tap:
    {program: {test: "ok" | "fail" | "skip"}}): (lines, failure messages).
    """
    cases = read_upstream(path)
    lines, fails = [], []
    named = set((p, t) for c in cases for p, t in c[3])
    programs = []
    for c in cases:
        if c[0] not in programs:
            programs.append(c[0])
    for prog in programs:
        if prog not in tap:
            continue
        mine = [c for c in cases if c[0] == prog]
        ran, passed, launch, failed, not_run, guest = 0, 0, 0, [], [], []
        for _, case, how, local, n in mine:
            if how == "guest":
                guest.append(case)
                continue
            states = []
            for other, name in local:
                if other not in tap:
                    states.append("skip")  # its program did not run
                elif name not in tap[other]:
                    states.append("missing")
                    fails.append("%s:%d: %s %s names %s test %s, which is "
                                 "not in its results: renamed or removed?"
                                 % (path, n, prog, case, other, name))
                else:
                    states.append(tap[other][name])
            if any(s in ("skip", "missing") for s in states):
                not_run.append(case)
                continue
            ran += 1
            if how == "launch":
                launch += 1
            if all(s == "ok" for s in states):
                passed += 1
            else:
                failed.append(case)
        own = len([t for t in tap[prog] if (prog, t) not in named])
        text = "%s: upstream %s: %d cases, %d run here, %d passed" % (
            label, prog, len(mine), ran, passed)
        if launch:
            text += " (%d of them up to the guest's KVM_RUN only)" % launch
        if failed:
            text += "; failed: " + ", ".join(failed)
        if not_run:
            text += "; not run: " + ", ".join(not_run)
        if guest:
            text += "; %d need guest execution, left to part 2: %s" % (
                len(guest), ", ".join(guest))
        text += "; %d more local tests are the project's own" % own
        lines.append(text)
    return lines, fails


def judge(logdir, kunit_py, label, mode, expected, upstream=UPSTREAM):
    want = read_expected(expected, mode) if mode else None
    results, console = [], []
    missing = [n for n in ("results.log", "console.log")
               if not os.path.exists(os.path.join(logdir, n))]
    if not missing:
        with open(os.path.join(logdir, "results.log"), errors="replace") as f:
            results = [l.rstrip("\r\n") for l in f]
        with open(os.path.join(logdir, "console.log"), errors="replace") as f:
            console = [l.rstrip("\r\n") for l in f]

    passed = failed = 0
    fails = []
    suites = []
    seen = dict((kind, []) for kind in KINDS)
    tap = {}    # each selftest's results: {program: {test: ok|fail|skip}}
    guest_mode = None
    cur_suite = cur_test = None
    test_fail_lines = test_ok = 0
    in_kmemleak = False
    kmemleak = []
    done = False

    for line in results:
        if cur_suite is not None:
            if line.startswith("@@KUNIT-SUITE-END"):
                suites.append(cur_suite)
                cur_suite = None
            else:
                cur_suite[1].append(line)
            continue
        if cur_test is not None:
            m = re.match(r"^@@SELFTEST-END (\S+) rc=(\d+)", line)
            if m:
                if int(m.group(2)) and not test_fail_lines:
                    failed += 1
                    fails.append("selftest %s exited %s with no failing "
                                 "test line (crashed?)" % (cur_test, m.group(2)))
                if not test_ok and not test_fail_lines:
                    failed += 1
                    fails.append("selftest %s ran no test" % cur_test)
                cur_test = None
                continue
            m = re.match(r"^(not )?ok \d+ (\S+)(.*)", line)
            if m:
                tap[cur_test][m.group(2)] = (
                    "fail" if m.group(1) else
                    "skip" if re.match(r"\s*# SKIP", m.group(3)) else "ok")
            if re.match(r"^ok \d+ ", line):
                passed += 1
                test_ok += 1
            elif re.match(r"^not ok \d+ ", line):
                failed += 1
                test_fail_lines += 1
                fails.append("selftest %s: %s" % (cur_test, line))
            continue
        if in_kmemleak:
            if line.startswith("@@KMEMLEAK-END"):
                in_kmemleak = False
            else:
                kmemleak.append(line)
            continue
        m = re.match(r"^@@KUNIT-SUITE (\S+)", line)
        if m:
            cur_suite = (m.group(1), [])
            seen["kunit"].append(m.group(1))
            continue
        m = re.match(r"^@@SELFTEST (\S+)", line)
        if m:
            cur_test, test_fail_lines, test_ok = m.group(1), 0, 0
            seen["selftest"].append(m.group(1))
            tap[cur_test] = {}
            continue
        m = re.match(r"^@@CHECK (ok|fail) ([^:\s]+)(.*)", line)
        if m:
            seen["check"].append(m.group(2))
            if m.group(1) == "ok":
                passed += 1
            else:
                failed += 1
                fails.append("check " + m.group(2) + m.group(3))
            continue
        m = re.match(r"^@@MODE (\S+)", line)
        if m:
            guest_mode = m.group(1)
        elif line.startswith("@@KMEMLEAK-BEGIN"):
            in_kmemleak = True
        elif line.startswith("@@DONE"):
            done = True

    kp, kf, kmsgs = kunit_counts(suites, kunit_py, logdir)
    passed += kp
    failed += kf
    fails += kmsgs

    # Each test that should have run and did not is one failure, by name.
    if want is not None:
        # (a guest that said nothing fails below, and names what is missing)
        if guest_mode is not None and guest_mode != mode:
            failed += 1
            fails.append("the guest ran in mode %s, not %s" % (guest_mode, mode))
        msgs = not_run(want, seen, expected)
        failed += len(msgs)
        fails += msgs

    # Upstream's cases, from the local tests that re-express them; a name
    # the list has and the run does not is a failure.
    up_lines, up_fails = upstream_report(upstream, tap, label)
    failed += len(up_fails)
    fails += up_fails

    # The run as a whole is one more test: it finished, cleanly.
    splats = [l for l in console if SPLAT_RE.search(l)]
    first_ours = next((i for i, l in enumerate(console) if "sevtest: " in l),
                      len(console))
    boot_splat = any(SPLAT_RE.search(l) for l in console[:first_ours])
    if missing:
        fails.insert(0, "no %s in %s: the guest did not run" %
                     (" or ".join(missing), logdir))
    elif not done:
        stages = [l for l in results if l.startswith("@@STAGE")]
        fails.insert(0, "guest did not finish (last stage: %s)" %
                     (stages[-1][8:] if stages else "boot"))
    if splats:
        fails.append("kernel splat: %s" % splats[0].strip())
    if any(l.strip() for l in kmemleak):
        first = next(l for l in kmemleak if l.strip())
        fails.append("kmemleak: %s" % first.strip())
    if done and not splats and not any(l.strip() for l in kmemleak):
        passed += 1
    else:
        failed += 1

    for msg in fails:
        print("%s: FAIL: %s" % (label, msg))
    if fails:
        print("%s: logs in %s (console.log: kernel, results.log: tests)"
              % (label, logdir))
    for line in up_lines:
        print(line)
    print("%s: %d passed, %d failed" % (label, passed, failed))
    if failed == 1 and boot_splat and done and len(fails) == 1:
        return 3
    return 1 if failed else 0


def classify(line):
    """One line of a run's summary: (passed, failed, what a reader sees)."""
    m = re.match(r"^@@CHECK (ok|fail) (.*)", line)
    if m:
        if m.group(1) == "ok":
            return 1, 0, "  ok   " + m.group(2)
        return 0, 1, "  FAIL " + m.group(2)
    m = re.search(r": (\d+) passed, (\d+) failed$", line)
    if m:
        return int(m.group(1)), int(m.group(2)), "  " + line
    return 0, 0, "  " + line


def add(summary):
    """Show a step's lines as they come, and keep them for total()."""
    with open(summary, "a") as out:
        for line in sys.stdin:
            line = line.rstrip("\r\n")
            out.write(line + "\n")
            out.flush()
            print(classify(line)[2], flush=True)
    return 0


def total(summary):
    passed = failed = 0
    if os.path.exists(summary):
        with open(summary, errors="replace") as f:
            for line in f:
                p, f_, _ = classify(line.rstrip("\r\n"))
                passed += p
                failed += f_
    # A run in which no step reported anything has not shown that it works.
    if not passed and not failed:
        print("  FAIL no step reported a result (%s is empty)" % summary)
        failed = 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


def main(argv):
    if len(argv) == 3 and argv[1] == "--add":
        return add(argv[2])
    if len(argv) == 3 and argv[1] == "--total":
        return total(argv[2])
    ap = argparse.ArgumentParser(description="Judge one guest run.")
    ap.add_argument("logdir")
    ap.add_argument("kunit_py")
    ap.add_argument("label")
    ap.add_argument("--mode", help="the guest's run mode, whose tests the "
                    "expected list names")
    ap.add_argument("--expected", default=EXPECTED,
                    help="the expected list (default: %(default)s)")
    ap.add_argument("--upstream", default=UPSTREAM,
                    help="upstream's selftest cases and the local tests "
                    "that re-express them (default: %(default)s)")
    args = ap.parse_args(argv[1:])
    try:
        return judge(args.logdir, args.kunit_py, args.label, args.mode,
                     args.expected, args.upstream)
    except Exception as e:  # pylint: disable=broad-except
        # A judge that breaks must be counted as a failure, not vanish.
        print("%s: FAIL: the result parser failed: %s: %s"
              % (args.label, type(e).__name__, e))
        print("%s: 0 passed, 1 failed" % args.label)
        return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
