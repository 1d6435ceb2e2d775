#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Which flip-flops of an iCE40 netlist take a logic cell of their own (docs/fpga.md).

An iCE40 logic cell holds one LUT4 and one flip-flop, and nextpnr packs the two together only
when the LUT drives nothing but that flip-flop's D input. A flip-flop whose D comes from another
flip-flop, a RAM or DSP output, or a LUT that also drives other logic (a write bus shared by a
register array) packs alone. This script reads the Yosys JSON netlist `scripts/synth.sh` writes
(DIR/<top>.json, after synth_ice40) and sorts every flip-flop into those cases, then lists the
registers with the most unpaired bits.

Usage: scripts/lc_report.py NETLIST.json [--top MODULE] [--rows N] [--json OUT]
Exit status 0, or 1 when the netlist cannot be read or has no such module.
"""
import argparse
import collections
import json

from yosys_netlist import bit_names, die_as, load_top, strip_index


die = die_as("lc_report")


def classify(module):
    cells = module.get("cells", {})
    name = bit_names(module)
    driver, n_sinks = {}, collections.Counter()
    for cname, c in cells.items():
        dirs = c.get("port_directions", {})
        for port, bits in c.get("connections", {}).items():
            for b in bits:
                if not isinstance(b, int):
                    continue
                if dirs.get(port) == "output":
                    driver[b] = c["type"]
                else:
                    n_sinks[b] += 1
    kinds = collections.Counter()
    alone = collections.Counter()
    for c in cells.values():
        if not c["type"].startswith("SB_DFF"):
            continue
        d = c["connections"].get("D", [None])[0]
        q = c["connections"].get("Q", [None])[0]
        if not isinstance(d, int):
            kind = "D constant"
        elif driver.get(d) == "SB_LUT4":
            kind = "paired with its LUT4" if n_sinks[d] == 1 else "alone: its LUT4 drives more"
        elif driver.get(d) is None:
            kind = "alone: D from a port"
        else:
            kind = f"alone: D from {driver[d]}"
        kinds[kind] += 1
        if kind.startswith("alone"):
            reg = strip_index(name.get(q, "?"))
            alone[reg] += 1
    return kinds, alone


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("netlist")
    p.add_argument("--top", default=None, help="module (default: the one marked top)")
    p.add_argument("--rows", type=int, default=20)
    p.add_argument("--json", default=None, help="also write the tables as JSON")
    a = p.parse_args()
    module, top = load_top(a.netlist, a.top, die)
    kinds, alone = classify(module)
    total = sum(kinds.values())
    print(f"{a.netlist} ({top}): {total} flip-flops")
    for k, v in kinds.most_common():
        print(f"  {k:34} {v:>6}")
    print(f"registers with the most flip-flops in a logic cell of their own (of "
          f"{sum(alone.values())}):")
    for reg, v in alone.most_common(a.rows):
        print(f"  {reg:50} {v:>6}")
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"netlist": a.netlist, "top": top, "flip_flops": total,
                       "kinds": dict(kinds), "alone_by_register": dict(alone.most_common())},
                      f, indent=1)


if __name__ == "__main__":
    main()
