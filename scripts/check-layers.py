#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Calls only go down: no cycle in the file-to-file call graph of a module.

usage: check-layers.py DIR...

For each DIR, the objects built from its C files (DIR/*.o, without the
linked module objects, NAME.o with a NAME.mod beside it, and *.mod.o) are
read with nm: file A calls file B when A has an undefined symbol that B
defines. A cycle in that graph (A -> B -> ... -> A) is a layer calling up,
and is printed; the exit status is 1 if any DIR has one, 2 on an error.
Only edges between files of the same DIR count: each DIR is one module.
"""
import glob
import os
import subprocess
import sys


def objects(d):
    objs = []
    for o in sorted(glob.glob(os.path.join(d, "*.o"))):
        if o.endswith(".mod.o") or os.path.exists(o[:-2] + ".mod"):
            continue
        objs.append(o)
    return objs


def symbols(obj):
    """(defined global symbols, undefined symbols) of one object."""
    out = subprocess.run(["nm", obj], check=True, capture_output=True,
                         text=True).stdout
    defined, undefined = set(), set()
    for line in out.splitlines():
        f = line.split()
        if len(f) == 2 and f[0] == "U":
            undefined.add(f[1])
        elif len(f) == 3 and f[1].isupper() and f[1] not in "UVW":
            defined.add(f[2])
    return defined, undefined


def graph(d):
    objs = objects(d)
    syms = {os.path.basename(o)[:-2]: symbols(o) for o in objs}
    owner = {}
    for name, (defined, _) in syms.items():
        for s in defined:
            owner[s] = name
    edges = {name: {} for name in syms}
    for name, (_, undefined) in syms.items():
        for s in sorted(undefined):
            callee = owner.get(s)
            if callee and callee != name:
                edges[name].setdefault(callee, s)
    return edges


def sccs(edges):
    """Tarjan's strongly connected components, each a sorted list."""
    index, low, stack, on, out = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def cycle_in(edges, comp):
    """One cycle through comp's first file, as a list of files."""
    start, members = comp[0], set(comp)
    path, seen = [start], {start}

    def walk(v):
        for w in sorted(edges[v]):
            if w == start:
                return True
            if w in members and w not in seen:
                seen.add(w)
                path.append(w)
                if walk(w):
                    return True
                path.pop()
        return False

    walk(start)
    return path + [start]


def main(dirs):
    if not dirs:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    status = 0
    for d in dirs:
        if not objects(d):
            print("%s: no objects: build it first" % d)
            return 2
        edges = graph(d)
        comps = sccs(edges)
        if not comps:
            print("%s: %d files, no cycle" % (d, len(edges)))
            continue
        status = 1
        for comp in comps:
            cyc = cycle_in(edges, comp)
            calls = ", ".join("%s -> %s (%s)" % (a, b, edges[a][b])
                              for a, b in zip(cyc, cyc[1:]))
            print("%s: cycle of %d files: %s; e.g. %s" %
                  (d, len(comp), " ".join(comp), calls))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
