#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Where a guest run's time went: each stage's seconds, slowest first.

The test initramfs (tests/guest/init) logs "sevtest: STAGE" to the kernel
log as each stage begins, so the console log's printk times mark them; a
stage lasts until the next one, the last until the log's last line.

usage: stage-times.py CONSOLE_LOG [TOP]
Prints the boot (up to the first stage), the TOP (default 12) slowest
stages and the rest summed; nothing if the log has no stage.
"""
import re
import sys

LINE = re.compile(r'^\[\s*(\d+\.\d+)\]\s(.*)$')
STAGE = re.compile(r'sevtest: (.*)$')


def stages(lines):
    """[(name, start seconds)], and the last time seen."""
    marks, last = [], None
    for line in lines:
        m = LINE.match(line.rstrip('\n'))
        if not m:
            continue
        last = float(m.group(1))
        s = STAGE.search(m.group(2))
        if s:
            marks.append((s.group(1).strip(), last))
    return marks, last


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    top = int(sys.argv[2]) if len(sys.argv) == 3 else 12
    with open(sys.argv[1], errors='replace') as f:
        marks, last = stages(f)
    if not marks:
        return
    spans = []
    for i, (name, start) in enumerate(marks):
        end = marks[i + 1][1] if i + 1 < len(marks) else last
        spans.append((end - start, name))
    total = last
    print('  guest: %.0f s in all; boot %.0f s; slowest stages:'
          % (total, marks[0][1]))
    spans.sort(reverse=True)
    for secs, name in spans[:top]:
        print('  %7.1f s  %s' % (secs, name))
    rest = spans[top:]
    if rest:
        print('  %7.1f s  the other %d stages'
              % (sum(s for s, _ in rest), len(rest)))


if __name__ == '__main__':
    main()
