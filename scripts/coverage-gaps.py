#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The error paths no test reached, from a gcovr JSON report.

An error path here is a line the run never executed that returns or sets
an errno, jumps to a label (the kernel's unwinding), reports an error or
warns: what fault injection and hostile input are meant to reach. Lines
are grouped by function, in source order, with the function's own line
figures, so a reader sees which handlers' failures went untested.

usage: coverage-gaps.py GCOVR_JSON SRC_ROOT
"""
import json
import os
import re
import sys

ERROR_LINE = re.compile(
    r'return\s+-E[A-Z]+|=\s*-E[A-Z]+|\bgoto\s+\w+|\b(pr_err|dev_err|'
    r'pr_warn|dev_warn|WARN(_ON)?(_ONCE)?)\b|return\s+(ret|rc|err|r)\s*;|'
    r'SEV_RET_[A-Z_]+\s*;')


FUNC_START = re.compile(r'^[A-Za-z_][\w \*]*?\b(\w+)\(')


def enclosing(src, line):
    """The function whose definition starts last before @line: kernel
    style puts a definition's name at column 0 and its brace on a line
    of its own."""
    for no in range(line - 1, 0, -1):
        text = src[no - 1]
        if text.startswith('}') and no < line - 1:
            break
        m = FUNC_START.match(text)
        if m and not text.rstrip().endswith(';'):
            return m.group(1)
    return '?'


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1]) as f:
        report = json.load(f)
    root = sys.argv[2]
    total = 0
    for entry in sorted(report['files'], key=lambda e: e['file']):
        path = entry['file']
        try:
            with open(os.path.join(root, path), errors='replace') as f:
                src = f.read().split('\n')
        except OSError:
            continue
        gaps = {}
        for ln in entry['lines']:
            if ln.get('gcovr/noncode') or ln['count'] != 0:
                continue
            no = ln['line_number']
            text = src[no - 1].strip() if no <= len(src) else ''
            if ERROR_LINE.search(text):
                gaps.setdefault(enclosing(src, no), []).append((no, text))
        if not gaps:
            continue
        n = sum(len(v) for v in gaps.values())
        total += n
        print('%s: %d unreached error lines' % (path, n))
        for fn, lines in sorted(gaps.items(), key=lambda kv: kv[1][0][0]):
            print('  %s():' % fn)
            for no, text in lines:
                print('    %5d  %s' % (no, text[:90]))
    print('%d unreached error lines in all' % total)


if __name__ == '__main__':
    main()
