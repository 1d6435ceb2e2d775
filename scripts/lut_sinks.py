#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Where the LUT4s of an iCE40 netlist go, by what they feed (docs/fpga.md).

ABC's LUTs carry no source line, so this script charges each LUT4 (and each SB_CARRY) to the
sinks its output reaches through other LUTs and carries: a register (named by the shortest
public name of its Q net, bit index dropped), a port of a block RAM, SPRAM or SB_MAC16 (named
by the instance and port), or a top-level output. A LUT that reaches several sinks is split
between them equally, so the column sums to the LUT count; the column "own" counts only the
LUTs that feed that sink (group) and nothing else, what would go with it. It reads the Yosys JSON netlist
`scripts/synth.sh` writes (DIR/<top>.json, after synth_ice40).

Usage: scripts/lut_sinks.py NETLIST.json [--top MODULE] [--rows N] [--depth D] [--json OUT]
  --depth D  group sink names by their first D dotted parts (0: whole names)
Exit status 0, or 1 when the netlist cannot be read or has no such module.
"""
import argparse
import collections
import json
import sys

from yosys_netlist import bit_names, die_as, load_top, strip_index

COMB = {"SB_LUT4", "SB_CARRY"}
OUT_PORTS = {"O", "CO", "Q", "RDATA", "DATAOUT"}


die = die_as("lut_sinks")


def attribute(module):
    cells = module.get("cells", {})
    name = bit_names(module)
    # bit -> list of (sink cell, port) reading it
    readers = collections.defaultdict(list)
    outputs = {}
    for cname, c in cells.items():
        dirs = c.get("port_directions", {})
        for port, bits in c.get("connections", {}).items():
            d = dirs.get(port, "output" if port in OUT_PORTS else "input")
            for b in bits:
                if not isinstance(b, int):
                    continue
                if d == "input":
                    readers[b].append((cname, port))
                else:
                    outputs.setdefault(cname, []).append(b)
    top_out = collections.defaultdict(list)
    for pname, p in module.get("ports", {}).items():
        if p.get("direction") == "output":
            for b in p.get("bits", []):
                if isinstance(b, int):
                    top_out[b].append(pname)

    def sink_name(cname, port):
        c = cells[cname]
        t = c["type"]
        if t.startswith("SB_DFF"):
            q = c["connections"].get("Q", [None])[0]
            reg = strip_index(name.get(q, cname))
            return f"reg {reg}" if port == "D" else f"reg {reg} ({port})"
        return f"{t} {strip_index(cname)}.{port}"

    # sinks reached by each combinational cell, memoised by depth-first search
    memo = {}

    def sinks(cname):
        if cname in memo:
            return memo[cname]
        memo[cname] = frozenset()           # a combinational loop would end here
        acc = set()
        for b in outputs.get(cname, []):
            for rc, rp in readers.get(b, []):
                if cells[rc]["type"] in COMB:
                    acc |= sinks(rc)
                else:
                    acc.add(sink_name(rc, rp))
            for pname in top_out.get(b, []):
                acc.add(f"output {pname}")
        memo[cname] = frozenset(acc)
        return memo[cname]

    sys.setrecursionlimit(1000000)
    share = collections.Counter()
    carry = collections.Counter()
    sink_sets = collections.Counter()
    n_lut = 0
    for cname, c in cells.items():
        if c["type"] not in COMB:
            continue
        s = sinks(cname) or frozenset({"(nothing)"})
        for x in s:
            if c["type"] == "SB_LUT4":
                share[x] += 1.0 / len(s)
            else:
                carry[x] += 1.0 / len(s)
        if c["type"] == "SB_LUT4":
            n_lut += 1
            sink_sets[s] += 1
    return share, carry, sink_sets, n_lut


def group_name(k, depth):
    if depth <= 0:
        return k
    kind, _, rest = k.partition(" ")
    return f"{kind} {'.'.join(rest.split('.')[:depth])}"


def group(counter, depth):
    g = collections.Counter()
    for k, v in counter.items():
        g[group_name(k, depth)] += v
    return g


def own(sink_sets, depth):
    """LUTs whose sinks all fall in one group: that group's own."""
    g = collections.Counter()
    for s, n in sink_sets.items():
        names = {group_name(k, depth) for k in s}
        if len(names) == 1:
            g[next(iter(names))] += n
    return g


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("netlist")
    ap.add_argument("--top")
    ap.add_argument("--rows", type=int, default=40)
    ap.add_argument("--depth", type=int, default=0)
    ap.add_argument("--json")
    a = ap.parse_args()
    module, top = load_top(a.netlist, a.top, die)
    share, carry, sink_sets, n_lut = attribute(module)
    mine = own(sink_sets, a.depth)
    share, carry = group(share, a.depth), group(carry, a.depth)
    print(f"{n_lut} LUT4 in {top}, charged to what they feed (split equally between sinks)")
    print(f"{'LUT4':>8} {'own':>6} {'carry':>7}  sink")
    for k, v in share.most_common(a.rows):
        print(f"{v:8.1f} {mine.get(k, 0):6d} {carry.get(k, 0):7.1f}  {k}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"lut4": share, "own": mine, "carry": carry, "total_lut4": n_lut}, f,
                      indent=1,
                      sort_keys=True)


if __name__ == "__main__":
    main()
