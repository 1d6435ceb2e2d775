# SPDX-License-Identifier: Apache-2.0
"""Reading a Yosys JSON netlist (`write_json`), shared by lc_report.py and lut_sinks.py."""
import json
import re
import sys


def die_as(prog):
    """A function that prints `prog: error: MESSAGE` and exits with status 1."""
    def die(msg):
        print(f"{prog}: error: {msg}", file=sys.stderr)
        sys.exit(1)
    return die


def load_top(path, top, die):
    """The module `top` of the netlist at path (default: the one marked top) and its name;
    die(message) on a file that cannot be read or a module that is not there."""
    try:
        with open(path) as f:
            j = json.load(f)
    except (OSError, ValueError) as e:
        die(f"cannot read {path}: {e}")
    mods = j.get("modules", {})
    top = top or next((m for m, v in mods.items()
                       if str(v.get("attributes", {}).get("top", "0")).strip("0") != ""), None)
    if top not in mods:
        die(f"{path}: no module {top or '(none marked top)'}")
    return mods[top], top


def bit_names(module):
    """Net bit -> the shortest public net name that holds it (a register is named by its Q)."""
    name = {}
    for net, v in module.get("netnames", {}).items():
        if net.startswith("$"):
            continue
        for b in v.get("bits", []):
            if isinstance(b, int) and (b not in name or len(net) < len(name[b])):
                name[b] = net
    return name


def strip_index(n):
    """A bus name without its bit index: `x[3]` -> `x`."""
    return re.sub(r"\[\d+\]$", "", n)
