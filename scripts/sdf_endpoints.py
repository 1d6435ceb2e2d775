# SPDX-License-Identifier: Apache-2.0
"""Every clocked endpoint of a routed design, slowest first, from the SDF that nextpnr writes
(`nextpnr-ice40 ... --sdf FILE`; scripts/synth.sh writes DIR/seedN.sdf). nextpnr's log names
only the one critical path; this lists every register and memory port whose data arrives late,
so the paths standing between a design and a clock can be counted (docs/fpga.md, "Fmax").

The analysis is the longest path through the SDF's delays: a clock-to-output delay (an IOPATH
from a pin that setup checks name as a clock: CLK, WCLK, ...) starts a path, interconnect and
combinational IOPATH delays extend it, and a setup check ends it (arrival + setup time). One
clock, no skew, the slower of rise and fall, the maximum of each min:typ:max triple: the way
nextpnr's own report counts on the iCE40, so the slowest endpoint agrees with its Fmax.

The SB_MAC16 multipliers need the netlist. nextpnr-ice40 0.4 writes every DSP output as a
0.1 ns clock-to-output and every input as 0.1 ns of setup, whatever the cell's configuration; a
DSP used without its registers is packed with its clock on the constant-zero net, so nextpnr's
Fmax for the design clock leaves the paths into and out of it out (cross-domain paths), and
icetime starts a path at such a DSP's output 0.1 ns after the clock. The multiplier's own delay
is on no path. With --netlist (the Yosys JSON the placer read) each
SB_MAC16's registers are read from its parameters (A_REG .. D_REG, TOP/BOTOUTPUT_SELECT, the
pipeline registers), and the multiplier is put back: an unregistered data input (A, B, C, D)
reaches each combinational output after --dsp-ns (the multiplier's operands A and B) or
--dsp-add-ns (the adder's C and D), and needs as much setup before a registered output; a
combinational output fed only by input registers starts --dsp-ns after the clock. The defaults,
9 and 4 ns, are above the A/B -> O and C/D -> O delays of the SB_MAC16 cell in icestorm's
icefuzz/timings_up5k.txt (the iCEcube2 data): a 16x16 product reaches O[31] in about 8.6 ns,
the adder's inputs in about 3.9 ns.

Usage: sdf_endpoints.py SDF [--netlist JSON] [--mhz F] [--rows N] [--json OUT] [--path REGEX]
  --netlist  the Yosys netlist of the placed design: times the SB_MAC16s by their registers
  --dsp-ns   the delay through an SB_MAC16's combinational multiplier (default 9)
  --dsp-add-ns  the delay from an SB_MAC16's adder inputs C, D to its outputs (default 4)
  --mhz      the clock to compare with (default 24): endpoints slower than its period are counted
  --rows     how many endpoint groups to print (default 25)
  --json     also write {period_ns, worst_ns, fmax_mhz, over, dsp_timed, endpoints: [...]}
  --path     print the slowest path into the first group whose name matches REGEX, cell by cell
Endpoints are grouped by register (the flip-flops Yosys named after one register, `x_SB_DFF*_Q_n`)
or memory port (instance and pin name without its bit index).
"""
import argparse
import json
import re
import signal
import sys
from collections import defaultdict

PROG = "sdf_endpoints"


def die(msg):
    print(f"{PROG}: error: {msg}", file=sys.stderr)
    sys.exit(1)


def tokens(text):
    """The SDF as a stream of '(', ')' and atoms (quoted strings kept whole, `\\x` escapes kept)."""
    return re.findall(r'\(|\)|"[^"]*"|(?:\\.|[^\s()"])+', text)


def parse(text, path):
    """SDF text -> nested lists."""
    stack, cur = [], []
    for t in tokens(text):
        if t == "(":
            stack.append(cur)
            cur = []
        elif t == ")":
            if not stack:
                die(f"{path}: unbalanced ')'")
            parent = stack.pop()
            parent.append(cur)
            cur = parent
        else:
            cur.append(t)
    if stack:
        die(f"{path}: {len(stack)} unclosed '(' (a truncated file?)")
    if len(cur) != 1 or not cur[0] or cur[0][0] != "DELAYFILE":
        die(f"{path}: not an SDF file (no DELAYFILE)")
    return cur[0]


def ps(triples):
    """The largest value of the (min:typ:max) triples of one delay entry, in ps."""
    best = 0.0
    for t in triples:
        if isinstance(t, list) and t:
            for v in t[0].split(":"):
                if v:
                    best = max(best, float(v))
    return best


def unescape(name):
    return re.sub(r"\\(.)", r"\1", name)


def pin_name(inst, pin):
    return f"{inst}/{pin}"


def edge_pin(x):
    """`(posedge PIN)` or `PIN` -> PIN."""
    if isinstance(x, list):
        return x[-1]
    return x


DATA_IN = re.compile(r"([ABCD])_\d+$")      # an SB_MAC16's operand pins, A_0 .. D_15
DATA_OUT = re.compile(r"O_(\d+)$")


def param(cell, name):
    v = str(cell.get("parameters", {}).get(name, "0"))
    return int(v, 2) if v and set(v) <= {"0", "1"} else int(v) if v.isdigit() else 0


def dsp_configs(netlist):
    """{SDF instance of each SB_MAC16: its registers} from a Yosys JSON netlist."""
    try:
        with open(netlist) as f:
            design = json.load(f)
    except OSError as e:
        die(f"cannot read {netlist}: {e.strerror}")
    except ValueError as e:
        die(f"{netlist}: not a JSON netlist ({e})")
    if not isinstance(design, dict) or not isinstance(design.get("modules"), dict):
        die(f"{netlist}: not a Yosys JSON netlist (no 'modules' object)")
    cfg = {}
    for mod in design["modules"].values():
        for name, cell in (mod.get("cells") or {}).items():
            if not isinstance(cell, dict) or cell.get("type") != "SB_MAC16":
                continue
            out_reg = {}
            for half, sel_name, mult_reg in (("top", "TOPOUTPUT_SELECT", "TOP_8x8_MULT_REG"),
                                             ("bot", "BOTOUTPUT_SELECT", "BOT_8x8_MULT_REG")):
                sel = param(cell, sel_name)
                out_reg[half] = (sel == 1 or (sel == 2 and param(cell, mult_reg) == 1) or
                                 (sel == 3 and param(cell, "PIPELINE_16x16_MULT_REG2") == 1))
            cfg[f"{name}_DSP"] = {
                "in_reg": {x: param(cell, f"{x}_REG") == 1 for x in "ABCD"},
                "mid_reg": param(cell, "PIPELINE_16x16_MULT_REG1") == 1,
                "out_reg": out_reg}
    return cfg


def analyse(sdf, path, dsp=None, dsp_ps=9000.0, add_ps=4000.0):
    dsp = dsp or {}
    edges = defaultdict(list)       # pin -> [(next pin, delay ps)]
    launch = []                     # (output pin, clock-to-out ps)
    checks = []                     # (pin, setup ps, instance, cell type)
    iopaths = []                    # (instance, in, out, ps), sorted out once clocks are known
    clocks = set()                  # (instance, clock pin)
    for cell in sdf:
        if not isinstance(cell, list) or not cell or cell[0] != "CELL":
            continue
        ctype = inst = ""
        for part in cell[1:]:
            if not isinstance(part, list) or not part:
                continue
            if part[0] == "CELLTYPE":
                ctype = part[1].strip('"')
            elif part[0] == "INSTANCE":
                inst = unescape(part[1]) if len(part) > 1 else ""
            elif part[0] == "DELAY":
                for ab in part[1:]:
                    for d in ab[1:] if isinstance(ab, list) else []:
                        if not isinstance(d, list) or not d:
                            continue
                        if d[0] == "INTERCONNECT":
                            a, b = (unescape(x) for x in d[1:3])
                            edges[a].append((b, ps(d[3:])))
                        elif d[0] == "IOPATH":
                            iopaths.append((inst, edge_pin(d[1]), edge_pin(d[2]), ps(d[3:]), ctype))
            elif part[0] == "TIMINGCHECK":
                for c in part[1:]:
                    if isinstance(c, list) and c and c[0] in ("SETUP", "SETUPHOLD"):
                        pin, clk = edge_pin(c[1]), edge_pin(c[2])
                        clocks.add((inst, clk))
                        checks.append((pin_name(inst, pin), ps(c[3:4]), inst, ctype, pin))
    clock_pins = {clk for _, clk in clocks}
    dsp_outs = defaultdict(set)     # instance -> its output pins (from the clock IOPATHs)
    for inst, a, b, d, ctype in iopaths:
        if inst in dsp and DATA_OUT.match(b):
            dsp_outs[inst].add(b)
            continue
        if a in clock_pins:
            launch.append((pin_name(inst, b), d))
        else:
            edges[pin_name(inst, a)].append((pin_name(inst, b), d))
    # the SB_MAC16s by their registers: a registered output launches as nextpnr says, a
    # combinational one --dsp-ns after its unregistered operands (--dsp-add-ns after C and D;
    # or --dsp-ns after the clock, when its operands come from input registers); an operand
    # feeding a registered output needs that delay as setup, one feeding combinational outputs
    # only is no endpoint of its own
    dsp_ins = defaultdict(set)      # instance -> its operand pins (from the setup checks)
    kept = []
    for c in checks:
        pin, setup, inst, ctype, pname = c
        m = DATA_IN.match(pname) if inst in dsp else None
        if m:
            dsp_ins[inst].add(pname)
        if m and not dsp[inst]["in_reg"][m.group(1)]:
            if any(dsp[inst]["out_reg"].values()) or dsp[inst]["mid_reg"]:
                through = dsp_ps if m.group(1) in "AB" else add_ps
                kept.append((pin, max(setup, through), inst, ctype, pname))
            continue
        kept.append(c)
    checks[:] = kept
    for inst, cfg in dsp.items():
        for out in sorted(dsp_outs.get(inst, ())):
            half = "top" if int(DATA_OUT.match(out).group(1)) >= 16 else "bot"
            if cfg["out_reg"][half]:
                launch.append((pin_name(inst, out), 100.0))
                continue
            launch.append((pin_name(inst, out), dsp_ps))
            if cfg["mid_reg"]:
                continue
            for pin in dsp_ins.get(inst, ()):
                x = DATA_IN.match(pin).group(1)
                if not cfg["in_reg"][x]:
                    edges[pin_name(inst, pin)].append(
                        (pin_name(inst, out), dsp_ps if x in "AB" else add_ps))
    # longest arrival over the DAG, in topological order from the launching pins
    indeg = defaultdict(int)
    for a, outs in edges.items():
        for b, _ in outs:
            indeg[b] += 1
    arr, pred = {}, {}
    for p, d in launch:
        if d >= arr.get(p, -1.0):
            arr[p] = d
            pred[p] = None
    ready = [p for p in list(edges) + [p for p, _ in launch] if indeg[p] == 0]
    seen = set()
    while ready:
        p = ready.pop()
        if p in seen:
            continue
        seen.add(p)
        for b, d in edges.get(p, []):
            if p in arr and arr[p] + d > arr.get(b, -1.0):
                arr[b] = arr[p] + d
                pred[b] = p
            indeg[b] -= 1
            if indeg[b] == 0:
                ready.append(b)
    loops = sum(1 for p, n in indeg.items() if n > 0)
    return arr, pred, checks, loops


def group_of(inst, ctype, pin):
    """A register's name from Yosys's flip-flop naming, or memory instance + pin kind."""
    m = re.match(r"(.*?)(?:\[\d+\])?_SB_DFF[A-Z]*_Q(?:_\d+)?(?:_|$)", inst)
    if m:
        return m.group(1)
    if ctype in ("ICESTORM_RAM", "ICESTORM_SPRAM", "ICESTORM_DSP"):
        base = re.sub(r"(\.\d+)*_(RAM|DSP)$|_RAM$", "", inst)
        base = re.sub(r"(\.\d+)+$", "", base)
        kind = re.sub(r"_?\d+$", "", pin)
        return f"{base} {kind}"
    return inst


def main():
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)   # `| head` ends the listing quietly
    ap = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n")[0])
    ap.add_argument("sdf")
    ap.add_argument("--netlist")
    ap.add_argument("--dsp-ns", type=float, default=9.0)
    ap.add_argument("--dsp-add-ns", type=float, default=4.0)
    ap.add_argument("--mhz", type=float, default=24.0)
    ap.add_argument("--rows", type=int, default=25)
    ap.add_argument("--json")
    ap.add_argument("--path")
    a = ap.parse_args()
    if a.mhz <= 0:
        die("--mhz must be positive")
    try:
        with open(a.sdf, errors="replace") as f:
            text = f.read()
    except OSError as e:
        die(f"cannot read {a.sdf}: {e.strerror}")
    if a.dsp_ns < 0 or a.dsp_add_ns < 0:
        die("--dsp-ns and --dsp-add-ns must not be negative")
    sdf = parse(text, a.sdf)
    dsp = dsp_configs(a.netlist) if a.netlist else {}
    arr, pred, checks, loops = analyse(sdf, a.sdf, dsp, a.dsp_ns * 1000.0, a.dsp_add_ns * 1000.0)
    if not checks:
        die(f"{a.sdf}: no setup checks (not a placed design's SDF?)")
    period = 1000.0 / a.mhz
    # a pin's latest arrival plus its largest setup time (an SDF checks both edges of a pin)
    pin_ns = {}
    for pin, setup, inst, ctype, pname in checks:
        if pin in arr:
            t = (arr[pin] + setup) / 1000.0
            if t > pin_ns.get(pin, (-1.0,))[0]:
                pin_ns[pin] = (t, group_of(inst, ctype, pname))
    groups = {}
    for pin, (t, g) in pin_ns.items():
        e = groups.setdefault(g, {"name": g, "ns": 0.0, "bits": 0, "over": 0, "pin": pin})
        e["bits"] += 1
        e["over"] += t > period
        if t > e["ns"]:
            e["ns"], e["pin"] = round(t, 2), pin
    ends = sorted(groups.values(), key=lambda e: -e["ns"])
    if not ends:
        die(f"{a.sdf}: no path from a clocked output reaches any of its {len(checks)} setup checks")
    worst = ends[0]["ns"] if ends else 0.0
    over = [e for e in ends if e["ns"] > period]
    dsp_note = (f"; {len(dsp)} SB_MAC16 timed by their registers ({a.dsp_ns:g} ns through a "
                f"multiplier, {a.dsp_add_ns:g} through an adder)" if a.netlist else
                "; SB_MAC16 ports timed as registers (no --netlist)")
    print(f"{a.sdf}: {len(checks)} setup checks in {len(ends)} registers and memory ports; "
          f"slowest {worst:.2f} ns (Fmax {1000.0 / worst if worst else 0:.2f} MHz){dsp_note}")
    print(f"{len(over)} of them over {period:.2f} ns ({a.mhz:g} MHz):")
    for e in ends[:a.rows]:
        mark = "over" if e["ns"] > period else "    "
        print(f"  {e['ns']:7.2f} ns  {mark}  {e['name']}  ({e['over']} of {e['bits']} input pins over)")
    if loops:
        print(f"note: {loops} pins on combinational loops were left out", file=sys.stderr)
    if a.path:
        hit = next((e for e in ends if re.search(a.path, e["name"])), None)
        if not hit:
            die(f"no endpoint group matches {a.path!r}")
        chain, p = [], hit["pin"]
        while p is not None:
            chain.append(p)
            p = pred.get(p)
        print(f"slowest path into {hit['name']} ({hit['ns']:.2f} ns), at each LUT output "
              f"(carry stages between them counted):")
        chain.reverse()
        carries = 0
        for k, p in enumerate(chain):
            last = k == len(chain) - 1
            if p.endswith("/COUT"):
                carries += 1
            if k == 0 or last or p.endswith("/O") or re.search(r"/(O|RDATA|DATAOUT)_?\d*$", p):
                via = f"  (+{carries} carry)" if carries else ""
                print(f"  {arr[p] / 1000.0:7.2f}  {p[:110]}{via}")
                carries = 0
    if a.json:
        with open(a.json, "w") as f:
            json.dump({"sdf": a.sdf, "period_ns": round(period, 3), "worst_ns": worst,
                       "fmax_mhz": round(1000.0 / worst, 2) if worst else None,
                       "over": len(over), "dsp_timed": bool(a.netlist),
                       "dsp_ns": a.dsp_ns if a.netlist else None,
                       "dsp_add_ns": a.dsp_add_ns if a.netlist else None,
                       "endpoints": ends}, f, indent=1)
            f.write("\n")


if __name__ == "__main__":
    main()
