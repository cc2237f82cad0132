#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write the gcov data a guest printed (tests/guest/init, sevtest.gcov=1)
back where gcov looks for it: each .gcda beside its .gcno, at the path the
module was built under.

usage: gcov-extract.py RESULTS_LOG BUILD_DIR

Only .gcda paths under BUILD_DIR are written (the guest names them by the
build's absolute path); anything else is refused. Prints how many files
were written; exits 1 when there were none.
"""
import base64
import os
import sys


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    log, root = sys.argv[1], os.path.realpath(sys.argv[2])
    written = 0
    path, chunks = None, []
    with open(log, errors='replace') as f:
        for line in f:
            line = line.rstrip('\r\n')
            if line.startswith('@@GCOV-FILE '):
                path, chunks = line.split(' ', 1)[1], []
            elif line == '@@GCOV-END' and path is not None:
                dst = os.path.realpath(path)
                if (not dst.startswith(root + os.sep) or
                        not dst.endswith('.gcda')):
                    print(f'gcov-extract: refused {path}: not a .gcda under {root}',
                          file=sys.stderr)
                else:
                    with open(dst, 'wb') as out:
                        out.write(base64.b64decode(''.join(chunks)))
                    written += 1
                path = None
            elif path is not None:
                chunks.append(line)
    print(f'gcov-extract: {written} .gcda files under {root}')
    return 0 if written else 1


if __name__ == '__main__':
    sys.exit(main())
