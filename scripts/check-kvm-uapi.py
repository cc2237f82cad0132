#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""include/uapi/linux/kvm-sev.h says what upstream's 6.12 headers say.

usage: check-kvm-uapi.py [--k612 DIR] [--header FILE] [--self-test]

The header gives Debian 12's 6.1 <linux/kvm.h> the KVM SEV/SNP uapi that
upstream added later. A VMM built with it must get the numbers and layouts
a kernel with upstream's headers uses, so for every macro the header
defines (value, sizeof and signedness) and every struct (sizeof, alignment,
each member's offset and size) this compares two programs' output:

  ours:     the header against the system's (6.1) /usr/include
  upstream: 6.12's <linux/kvm.h> and <linux/kvm_para.h> alone, from
            Debian's linux-headers-6.12 (DIR and its -common sibling),
            prepared by the kernel's own scripts/headers_install.sh

It also compiles the header on its own with -Wall -Wextra -Werror, against
6.1 and against 6.12 (where its #ifndef guards must turn it all off).
Names 6.12 does not have are listed in NOT_IN_612 with why; they are
reported, not checked. --self-test changes a copy of the header in ways
the check must catch, and fails if one is not caught.

Findings are lines starting "error:"; the exit status is 0 when there are
none, 1 otherwise.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADER = os.path.join(TOP, "include/uapi/linux/kvm-sev.h")
K612 = "/usr/src/linux-headers-6.12.95+deb12-amd64"   # lib.sh's k612_abi
CC = os.environ.get("CC", "gcc")

# What the header defines that 6.12's headers do not, and why. Each is
# reported as not checked; the check fails if one is missing from the
# header (a stale entry) or present in 6.12 (it should be checked).
NOT_IN_612 = {
    "KVM_SEV_DEV_PATH": "this project's device node, not upstream's",
    "KVM_X86_SNP_POLICY_BITS":
        "upstream after 6.12: the SNP policy bits attribute",
    "KVM_SEV_SNP_ENABLE_REQ_CERTS":
        "upstream after 6.12: the SNP certificate-request series",
    "KVM_X86_SEV_SNP_REQ_CERTS":
        "upstream after 6.12: the SNP certificate-request series",
    "KVM_EXIT_SNP_REQ_CERTS":
        "upstream after 6.12: the SNP certificate-request series",
    "struct kvm_exit_snp_req_certs":
        "upstream after 6.12: the SNP certificate-request series",
}

# The headers that the header includes, and so the ones 6.12 must supply.
ROOTS = ["linux/types.h", "linux/ioctl.h", "linux/kvm.h", "linux/kvm_para.h"]


class Findings(Exception):
    """The check cannot go on: its message lines are the findings."""


def parse_header(path):
    """The header's (macros, {struct: [members]}, group guards)."""
    text = open(path).read()
    # The include guard is the first #ifndef, defined right after it.
    guard = re.search(r"^#ifndef\s+(\w+)\s*\n#define\s+\1\s*$", text, re.M)
    macros = []
    for m in re.finditer(r"^#\s*define\s+(\w+)(\(?)", text, re.M):
        if m.group(2) or (guard and m.group(1) == guard.group(1)):
            continue            # function-like, or the include guard
        macros.append(m.group(1))
    structs = {}
    for m in re.finditer(r"^struct\s+(\w+)\s*\{\n(.*?)^\};", text,
                         re.M | re.S):
        members = []
        for line in m.group(2).splitlines():
            line = re.sub(r"/\*.*?\*/", "", line).strip()
            if not line:
                continue
            # "TYPE name;" or "TYPE name[N];": nothing here is nested yet,
            # and a layout this does not understand must not pass unseen.
            f = re.fullmatch(r"(?:struct\s+)?\w+\s+(\w+)(\[\w+\])?;", line)
            if not f:
                raise Findings(["error: struct %s: cannot parse member "
                                "'%s' (extend parse_header)" %
                                (m.group(1), line)])
            members.append(f.group(1))
        structs[m.group(1)] = members
    guards = [g for g in re.findall(r"^#ifndef\s+(\w+)", text, re.M)
              if not guard or g != guard.group(1)]
    return macros, structs, guards


def install_612(k612, out):
    """6.12's uapi headers that ROOTS reach, headers_install'ed into out."""
    common = re.sub(r"-amd64$", "-common", k612)
    for d in (k612, common):
        if not os.path.isdir(d):
            raise Findings(["error: no %s (scripts/install-deps.sh "
                            "installs it)" % d])
    search = [common + "/include/uapi", k612 + "/include/generated/uapi",
              common + "/arch/x86/include/uapi",
              k612 + "/arch/x86/include/generated/uapi"]
    todo, done = list(ROOTS), set()
    while todo:
        name = todo.pop()
        if name in done:
            continue
        done.add(name)
        src = next((os.path.join(d, name) for d in search
                    if os.path.exists(os.path.join(d, name))), None)
        if src is None:
            continue            # not uapi (headers_install drops those)
        dst = os.path.join(out, name)
        os.makedirs(os.path.dirname(dst), exist_ok=True)
        # It runs scripts/unifdef relative to the kernel directory.
        r = subprocess.run(["sh", "scripts/headers_install.sh", src, dst],
                           cwd=k612, capture_output=True, text=True)
        if r.returncode:
            raise Findings(["error: headers_install.sh %s failed:" % src] +
                           ["  " + line for line in r.stderr.splitlines()])
        todo += re.findall(r"^\s*#\s*include\s*<([^>]+)>", open(dst).read(),
                           re.M)
    return out


def in_612(name, inc612):
    """Does 6.12 have NAME ("struct x" or a macro or enum constant)?"""
    word = re.escape(name).replace(r"\ ", r"\s+")
    for d, _, files in os.walk(inc612):
        for f in files:
            if re.search(r"\b%s\b" % word, open(os.path.join(d, f)).read()):
                return True
    return False


def compile_c(src, incs, tmp, name, run=False, flags=()):
    """Compile (and with run, run) the C source src; its output or None."""
    c, exe = os.path.join(tmp, name + ".c"), os.path.join(tmp, name)
    with open(c, "w") as f:
        f.write(src)
    cmd = [CC, "-Werror", *flags, *("-I" + i for i in incs), c]
    cmd += ["-o", exe] if run else ["-fsyntax-only"]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode:
        raise Findings(["error: %s does not compile:" % name] +
                       ["  " + line for line in r.stderr.splitlines()])
    if not run:
        return None
    return subprocess.run([exe], check=True, capture_output=True,
                          text=True).stdout


def facts_program(macros, structs, guards=None):
    """C that prints one "KEY = VALUE" line for each fact to compare.

    With guards (the header's), the header is included after ROOTS, and
    none of them may be defined before it: a group whose guard the system
    headers define is skipped, and the system's values would be checked in
    place of ours.
    """
    out = ["#include <stdio.h>", "#include <stddef.h>"]
    out += ["#include <%s>" % i for i in ROOTS]
    for name in guards or ():
        out += ["#ifdef %s" % name,
                '#error "%s is the system\'s, not ours"' % name, "#endif"]
    if guards is not None:
        out += ["#include <linux/kvm-sev.h>"]
    out += ["#define P(k, v) printf(\"%s = %llu\\n\", k, "
            "(unsigned long long)(v))", "int main(void)", "{"]
    # A macro's type counts as well as its value: ~FLAG, or FLAG << 32,
    # differs between 4 and 4UL.
    for m in macros:
        out += ['\tP("%s", %s);' % (m, m),
                '\tP("%s sizeof", sizeof(%s));' % (m, m),
                '\tP("%s signed", (%s) - (%s) - 1 < 0);' % (m, m, m)]
    for s, members in structs.items():
        t = "struct " + s
        out += ['\tP("%s sizeof", sizeof(%s));' % (t, t),
                '\tP("%s alignof", _Alignof(%s));' % (t, t)]
        for mb in members:
            out += ['\tP("%s.%s offset", offsetof(%s, %s));' % (t, mb, t, mb),
                    '\tP("%s.%s sizeof", sizeof(((%s *)0)->%s));' %
                    (t, mb, t, mb)]
    out += ["\treturn 0;", "}", ""]
    return "\n".join(out)


def parse_facts(text):
    return dict(line.split(" = ") for line in text.splitlines())


def check(header, k612, tmp, log=print):
    """Compare header with 6.12; return the findings, [] when it matches."""
    os.makedirs(tmp, exist_ok=True)
    try:
        macros, structs, guards = parse_header(header)
        inc612 = os.path.join(tmp, "usr-6.12")
        if not os.path.isdir(inc612):
            install_612(k612, inc612)
        defined = macros + ["struct " + s for s in structs]
        errors = []
        for name in NOT_IN_612:
            if name not in defined:
                errors.append("error: %s: listed in NOT_IN_612, but the "
                              "header does not define it" % name)
            elif in_612(name, inc612):
                errors.append("error: %s: listed in NOT_IN_612, but 6.12 "
                              "has it: check it" % name)
        for name in defined:
            if name not in NOT_IN_612 and not in_612(name, inc612):
                errors.append("error: %s: not in 6.12 and not in NOT_IN_612"
                              " (list it there with why)" % name)
        if errors:
            return errors

        # A copy of the header named as our include path names it, so a
        # changed copy (--self-test) is what gets included.
        inc = os.path.join(tmp, "ours")
        os.makedirs(inc + "/linux", exist_ok=True)
        shutil.copy(header, inc + "/linux/kvm-sev.h")
        warn = ["-Wall", "-Wextra"]
        one = "#include <linux/kvm-sev.h>\n"
        compile_c(one, [inc], tmp, "header-on-6.1", flags=warn)
        compile_c(one, [inc, inc612], tmp, "header-on-6.12", flags=warn)

        cm = [m for m in macros if m not in NOT_IN_612]
        cs = {s: v for s, v in structs.items()
              if "struct " + s not in NOT_IN_612}
        ours = parse_facts(compile_c(facts_program(cm, cs, guards),
                                     [inc], tmp, "facts-ours", run=True))
        upstream = parse_facts(compile_c(facts_program(cm, cs), [inc612],
                                         tmp, "facts-6.12", run=True))
    except Findings as e:
        return e.args[0]

    errors = ["error: %s: ours %s, 6.12 %s" % (k, v, upstream[k])
              for k, v in ours.items() if upstream[k] != v]
    # No hole in our structs: with every member's offset and size equal,
    # 6.12's struct then cannot have a member ours lacks.
    for s, members in cs.items():
        t, end = "struct " + s, 0
        for mb in members:
            if int(ours["%s.%s offset" % (t, mb)]) != end:
                errors.append("error: %s: padding before %s" % (t, mb))
            end = int(ours["%s.%s offset" % (t, mb)]) + \
                int(ours["%s.%s sizeof" % (t, mb)])
        if end != int(ours[t + " sizeof"]):
            errors.append("error: %s: padding at the end" % t)
    if not errors:
        for name, why in NOT_IN_612.items():
            log("kvm-uapi: %s: not in 6.12, not checked: %s" % (name, why))
        log("kvm-uapi: %d macros, %d structs (%d members) match 6.12" %
            (len(cm), len(cs), sum(len(v) for v in cs.values())))
    return errors


def self_test(header, k612, tmp):
    """Each change to a copy of header must make check() fail."""
    text = open(header).read()
    macros = parse_header(header)[0]
    checked = [m for m in macros if m not in NOT_IN_612]
    lit = next(m for m in checked if re.search(
        r"^#define\s+%s\s+\d+$" % m, text, re.M))
    mutants = []

    def sub(what, pattern, repl, expect):
        """A change, and the finding (a regex) that must report it."""
        new = re.sub(pattern, repl, text, count=1, flags=re.M)
        mutants.append((what, new if new != text else None, expect))

    sub("%s's value + 1" % lit, r"^(#define\s+%s\s+)(\d+)$" % lit,
        lambda m: m.group(1) + str(int(m.group(2)) + 1), lit + ": ours")
    sub("%s made unsigned" % lit, r"^(#define\s+%s\s+\d+)$" % lit, r"\1U",
        lit + " signed: ours")
    # Two neighbours of one type swap places: sizeof stays, offsets do not.
    sub("two members swapped", r"^(\t(\w+) \w+;)\n(\t\2 \w+;)$",
        r"\3\n\1", r"struct \w+\.\w+ offset: ours")
    sub("a name 6.12 lacks, unlisted", r"^(#define\s+%s\s+\d+)$" % lit,
        r"\1\n#define KVM_SEV_SELF_TEST_NEW\t1",
        "KVM_SEV_SELF_TEST_NEW: not in 6.12")

    bad = 0
    errors = check(header, k612, os.path.join(tmp, "unchanged"),
                   log=lambda s: None)
    if errors:
        print("error: self-test: the unchanged copy fails:", *errors,
              sep="\n")
        return 1
    for i, (what, new, expect) in enumerate(mutants):
        if new is None:
            print("error: self-test: %s: no such line in the header" % what)
            bad = 1
            continue
        d = os.path.join(tmp, "mutant%d" % i)
        os.makedirs(d)
        # The 6.12 headers are the same for every run: install them once.
        shutil.copytree(os.path.join(tmp, "unchanged/usr-6.12"),
                        os.path.join(d, "usr-6.12"))
        with open(os.path.join(d, "kvm-sev.h"), "w") as f:
            f.write(new)
        errors = check(os.path.join(d, "kvm-sev.h"), k612, d,
                       log=lambda s: None)
        # Caught for the right reason, not by a finding that happened to be
        # there (any finding in the unchanged copy already failed above).
        hit = [e for e in errors if re.search(expect, e)]
        if hit:
            print("self-test: %s: caught (%s)" %
                  (what, hit[0].replace("error: ", "", 1)))
        else:
            print("error: self-test: %s: not caught as '%s'" % (what, expect))
            for e in errors:
                print("  " + e)
            bad = 1
    if not bad:
        print("kvm-uapi: self-test: all %d changes caught" % len(mutants))
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--k612", default=K612,
                    help="Debian's linux-headers-6.12 -amd64 directory")
    ap.add_argument("--header", default=HEADER)
    ap.add_argument("--self-test", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="kvm-uapi.") as tmp:
        if args.self_test:
            return self_test(args.header, args.k612, tmp)
        errors = check(args.header, args.k612, tmp)
        for e in errors:
            print(e)
        return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
