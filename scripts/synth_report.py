#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Resource and timing report of the FPGA flow (scripts/synth.sh; docs/fpga.md).

Subcommands (each reads or updates DIR/report.json):
  pre   --target T --stat STAT.json --log YOSYS.log --netlist NET.json --top MOD --net NET
        --label TEXT --report OUT.json [--seeds "1 2 3"] [--freq MHZ]
        Cell counts from Yosys `stat -json`, latch detection (the "Latch inferred" lines of
        proc_dlatch and latch cells in the netlist), the fit check against the device's capacity.
        Writes the report first, then exits 3 on latches, 4 when the design does not fit.
  best  --report OUT.json SEED_REPORT...
        Reads nextpnr's --report JSON of every seed (fmax.<clock>.achieved, utilization) and,
        beside each seedN.json, seedN.endpoints.json (scripts/sdf_endpoints.py with --netlist:
        the same routed paths with the SB_MAC16 multipliers timed, which nextpnr's Fmax leaves
        out when a DSP is used without its registers). A seed's Fmax is the lower of the two;
        nextpnr's own is kept as
        nextpnr_fmax_mhz; icetime's, from seedN.icetime.rpt where it exists, as icetime_mhz
        (and icetime_mhz_min/median/max over the seeds). Prints the bitstream's seed: among
        the seeds whose Fmax meets the target, the one whose lower figure of the two timers
        is highest (best_fmax_mhz: its Fmax). When no seed routed: exit 4 if
        nextpnr's utilisation table shows a resource over capacity, else exit 5.
  post  --report OUT.json [--icetime RPT] [--bitstream BIN]
        Adds the icetime estimate and the bitstream path.
  show  --report OUT.json
        Prints the human table.
  get   --report OUT.json KEY
        Prints one value (synth.sh asks for `seeds`: empty when nothing is to be placed).
Standard library only (PyPI is not reachable here).
"""
import argparse
import json
import os
import re
import statistics
import sys

# Capacities. iCE40 numbers from the Lattice data sheets (ECOSYSTEM.md §3.3); the ECP5 and
# Xilinx devices are reference parts for synthesis-only estimates (no open P&R packaged here).
DEVICES = {
    "up5k": {
        "device": "iCE40UP5K-SG48", "placed_flow": True, "io": 39,
        "capacity": {"lut": 5280, "ff": 5280, "ebr": 30, "spram": 4, "dsp": 8},
    },
    "hx8k": {
        "device": "iCE40HX8K-CT256", "placed_flow": True, "io": 206,
        "capacity": {"lut": 7680, "ff": 7680, "ebr": 32, "spram": 0, "dsp": 0},
    },
    "ecp5": {
        "device": "LFE5U-25F (reference part)", "placed_flow": False, "io": None,
        "capacity": {"lut": 24288, "ff": 24288, "ebr": 56, "spram": 0, "dsp": 28},
    },
    "xilinx": {
        "device": "xc7a35t (reference part)", "placed_flow": False, "io": None,
        "capacity": {"lut": 20800, "ff": 41600, "ebr": 50, "spram": 0, "dsp": 90},
    },
}
RESOURCE_NAMES = {
    "up5k": {"lut": "LUT4 (SB_LUT4)", "ff": "FF (SB_DFF*)", "ebr": "EBR (SB_RAM40_4K)",
             "spram": "SPRAM (SB_SPRAM256KA)", "dsp": "DSP (SB_MAC16)"},
    "hx8k": {"lut": "LUT4 (SB_LUT4)", "ff": "FF (SB_DFF*)", "ebr": "EBR (SB_RAM40_4K)",
             "spram": "SPRAM", "dsp": "DSP"},
    "ecp5": {"lut": "LUT4 (+2 per CCU2C)", "ff": "FF (TRELLIS_FF)", "ebr": "EBR (DP16KD)",
             "spram": "SPRAM", "dsp": "DSP (MULT18X18D)"},
    "xilinx": {"lut": "LUT (LUT1..LUT6)", "ff": "FF (FD*)",
               "ebr": "BRAM36 (RAMB36E1 + RAMB18E1/2)", "spram": "SPRAM", "dsp": "DSP48E1"},
}
NOT_PLACED = "synthesis estimate, not placed"
NEXTPNR_BELS = {"ICESTORM_LC": "lc", "ICESTORM_RAM": "ebr", "ICESTORM_DSP": "dsp",
                "ICESTORM_SPRAM": "spram", "SB_IO": "io"}
LATCH_CELL = re.compile(r"(?i)latch|^LD[CP]E?$|^\$_?DLATCH")


def mhz(text):
    """A clock in MHz: an int when it is whole (12), else a float (15.938)."""
    f = float(text)
    return int(f) if f == int(f) else f


def met_text(r):
    """Whether the seeds meet the target: all, some (the bitstream is the best seed's), none."""
    f = [e["fmax_mhz"] for e in r.get("per_seed", []) if e.get("routed") and e.get("fmax_mhz")]
    n = sum(1 for x in f if x >= r["freq_target_mhz"])
    if f and n == len(f):
        return "met"
    if n:
        return f"met by {n} of {len(f)} seeds, the best one's bitstream"
    return "NOT met"


def die(msg, code=1):
    print(f"synth: error: {msg}", file=sys.stderr)
    sys.exit(code)


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        die(f"cannot read {path}: {e}")


def save(path, report):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(report, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(tmp, path)


def count_resources(target, cells):
    """The report's resource numbers from Yosys cell counts."""
    def total(pred):
        return sum(n for t, n in cells.items() if pred(t))

    if target in ("up5k", "hx8k"):
        return {
            "lut": cells.get("SB_LUT4", 0),
            "ff": total(lambda t: t.startswith("SB_DFF")),
            "ebr": total(lambda t: t.startswith("SB_RAM40_4K")),
            "spram": cells.get("SB_SPRAM256KA", 0),
            "dsp": cells.get("SB_MAC16", 0),
            "carry": cells.get("SB_CARRY", 0),
        }
    if target == "ecp5":
        return {
            "lut": cells.get("LUT4", 0) + 2 * cells.get("CCU2C", 0),
            "ff": cells.get("TRELLIS_FF", 0),
            "ebr": cells.get("DP16KD", 0) + cells.get("PDPW16KD", 0),
            "spram": 0,
            "dsp": cells.get("MULT18X18D", 0),
            "lutram": cells.get("TRELLIS_DPR16X4", 0),
        }
    # xilinx
    return {
        "lut": total(lambda t: re.fullmatch(r"LUT[1-6]", t) is not None),
        "ff": total(lambda t: t in ("FDRE", "FDSE", "FDCE", "FDPE")),
        "ebr": cells.get("RAMB36E1", 0) + 0.5 * cells.get("RAMB18E1", 0),
        "spram": 0,
        "dsp": cells.get("DSP48E1", 0),
        "lutram": total(lambda t: t.startswith("RAM") and not t.startswith("RAMB")
                        or t.startswith("SRL")),
    }


RAM_CELLS = ("SB_RAM40_4K", "SB_SPRAM256KA", "DP16KD", "PDPW16KD", "RAMB36E1", "RAMB18E1")


def netlist_facts(netlist_path, top):
    """Top-level port bits (pins the board must have) and block RAMs per source memory, from the
    Yosys JSON netlist (flattened: a RAM cell is named after its memory, `u_core.u_rec.mem.0.1`
    is a block of `u_core.u_rec.mem`)."""
    nl = load(netlist_path)
    mods = nl.get("modules", {})
    mod = mods.get(top)
    if mod is None:
        for m in mods.values():
            if m.get("attributes", {}).get("top"):
                mod = m
                break
    if mod is None:
        return None, {}
    io = sum(len(p.get("bits", [])) for p in mod.get("ports", {}).values())
    mems = {}
    for name, cell in mod.get("cells", {}).items():
        if cell.get("type") in RAM_CELLS:
            key = re.sub(r"(\.\d+)+$", "", name.split("$")[0]) or name
            mems.setdefault(key, {}).setdefault(cell["type"], 0)
            mems[key][cell["type"]] += 1
    return io, dict(sorted(mems.items(), key=lambda kv: -sum(kv[1].values())))


def cmd_pre(a):
    dev = DEVICES[a.target]
    if a.yosys_failed:
        # Yosys stopped (it makes a latch in an always_comb block an error): no netlist
        cells = {}
        res = {k: None for k in ("lut", "ff", "ebr", "spram", "dsp")}
    else:
        stat = load(a.stat)
        design = stat.get("design") or next(iter(stat.get("modules", {}).values()), {})
        cells = design.get("num_cells_by_type", {})
        res = count_resources(a.target, cells)

    latches = []
    try:
        with open(a.log, errors="replace") as f:
            for line in f:
                if re.match(r"(ERROR: )?Latch inferred for signal", line):
                    latches.append(line.strip())
    except OSError as e:
        die(f"cannot read the Yosys log {a.log}: {e}")
    latch_cells = {t: n for t, n in cells.items() if LATCH_CELL.search(t)}
    latches += [f"{n} latch cell(s) of type {t} in the netlist" for t, n in latch_cells.items()]

    cap = dev["capacity"]
    over = [{"resource": r, "used": res[r], "available": cap[r]}
            for r in ("lut", "ff", "ebr", "spram", "dsp")
            if res[r] is not None and res[r] > cap[r]]
    io, memories = (None, {}) if a.yosys_failed else netlist_facts(a.netlist, a.top)
    seeds = [int(s) for s in a.seeds.split()] if a.seeds else []
    placeable = dev["placed_flow"] and not over and not latches
    note = ""
    if dev["placed_flow"] and io is not None and io > dev["io"]:
        placeable = False
        note = (f"{a.top} has {io} port bits, more than the {dev['io']} user I/O pins of the "
                f"{dev['device']}; placement needs a board top (--top board)")

    label = a.label
    if not dev["placed_flow"]:
        label = f"{label}; {NOT_PLACED}"
    report = {
        "target": a.target,
        "device": dev["device"],
        "net": a.net,
        "net_hash": a.net_hash,
        "top": a.top,
        "perf_counters": a.counters != "none",
        "counters": a.counters,
        "host": a.host,
        "clock_mhz": a.clock,
        "label": label,
        "placed": False,
        "fits": not over,
        "over": over,
        "latches": latches,
        "capacity": cap,
        "lut": res["lut"], "ff": res["ff"], "ebr": res["ebr"], "spram": res["spram"],
        "dsp": res["dsp"],
        "carry": res.get("carry"),
        "lutram": res.get("lutram"),
        "io": io,
        "io_available": dev["io"],
        "cells": dict(sorted(cells.items())),
        "memories": memories,
        "seeds": seeds if placeable else [],
        "freq_target_mhz": a.freq,
        "fmax_mhz_min": None, "fmax_mhz_median": None, "fmax_mhz_max": None,
        "per_seed": [],
        "best_seed": None,
        "lc": None,
        "lc_packed": None,
        "icetime_mhz": None,
        "bitstream": None,
        "note": note,
        "numbers": "resources from Yosys stat" + ("" if dev["placed_flow"] else f" ({NOT_PLACED})"),
    }
    if placeable:
        report["note"] = "placement pending"
    elif latches:
        report["note"] = "latch inferred"
    elif over:
        report["note"] = "does not fit" + ("; nextpnr not run" if dev["placed_flow"] else "")
    elif a.yosys_failed:
        report["note"] = "Yosys failed"
    save(a.report, report)
    if a.yosys_failed and not latches:
        die(f"Yosys failed; see {a.log}")

    if latches:
        print(f"synth: error: {len(latches)} latch(es) inferred (a combinational block that does "
              f"not assign every output on every path):", file=sys.stderr)
        for l in latches[:20]:
            print(f"  {l}", file=sys.stderr)
        print(f"synth: report written to {a.report}", file=sys.stderr)
        sys.exit(3)
    if over:
        show(report, sys.stderr)
        for o in over:
            print(f"synth: error: does not fit the {dev['device']}: "
                  f"{RESOURCE_NAMES[a.target][o['resource']]} {o['used']} used, "
                  f"{o['available']} available", file=sys.stderr)
        print(f"synth: report written to {a.report} (fits=false)" +
              ("; nextpnr not run" if dev["placed_flow"] else ""), file=sys.stderr)
        sys.exit(4)


def cmd_best(a):
    report = load(a.report)
    per_seed = []
    for path in a.seed_reports:
        m = re.search(r"seed(\d+)\.json$", path)
        seed = int(m.group(1)) if m else None
        entry = {"seed": seed, "routed": False, "fmax_mhz": None, "lc": None, "error": None}
        log = re.sub(r"\.json$", ".log", path)
        if os.path.exists(path):
            rep = load(path)
            fmax = rep.get("fmax", {})
            achieved = [c.get("achieved") for c in fmax.values() if c.get("achieved") is not None]
            util = rep.get("utilization", {})
            entry["routed"] = True
            entry["fmax_mhz"] = round(min(achieved), 2) if achieved else None
            entry["nextpnr_fmax_mhz"] = entry["fmax_mhz"]
            entry["dsp_timed"] = False
            sta_path = re.sub(r"\.json$", ".endpoints.json", path)
            if os.path.exists(sta_path) and entry["fmax_mhz"] is not None:
                sta = load(sta_path)
                if sta.get("fmax_mhz") and sta.get("dsp_timed"):
                    entry["dsp_timed"] = True
                    entry["fmax_mhz"] = round(min(entry["fmax_mhz"], sta["fmax_mhz"]), 2)
            entry["clocks"] = {k: round(v.get("achieved", 0.0), 2) for k, v in fmax.items()}
            entry["lc"] = util.get("ICESTORM_LC", {}).get("used")
            entry["utilization"] = {k: v for k, v in util.items() if v.get("used")}
            # icetime's estimate of the same placement (seedN.icetime.rpt, when the flow ran it)
            t = icetime_of(re.sub(r"\.json$", ".icetime.rpt", path))
            entry["icetime_mhz"] = t[1] if t else None
        if os.path.exists(log):
            with open(log, errors="replace") as f:
                errs = [l.strip() for l in f if l.startswith("ERROR:")]
            if errs:
                entry["routed"] = False
                entry["error"] = errs[0]
        elif not os.path.exists(path):
            entry["error"] = "no nextpnr report"
        per_seed.append(entry)
    report["per_seed"] = per_seed
    routed = [e for e in per_seed if e["routed"] and e["fmax_mhz"] is not None]
    if routed:
        f = sorted(e["fmax_mhz"] for e in routed)
        g = sorted(e["nextpnr_fmax_mhz"] for e in routed)
        # among the seeds that meet the target (the flow's Fmax), the one whose slower timer is
        # fastest (the flow's Fmax and icetime's, where icetime ran on every seed): the
        # bitstream is the placement both timers rate highest
        def both(e):
            t = e.get("icetime_mhz")
            return (e["fmax_mhz"] >= report["freq_target_mhz"],
                    min(e["fmax_mhz"], t) if t else e["fmax_mhz"], e["fmax_mhz"])
        best = max(routed, key=both)
        ice = sorted(e["icetime_mhz"] for e in routed if e.get("icetime_mhz"))
        if ice:
            report.update({"icetime_mhz_min": ice[0],
                           "icetime_mhz_median": round(statistics.median(ice), 2),
                           "icetime_mhz_max": ice[-1]})
        report.update({
            "placed": True,
            "fmax_mhz_min": f[0], "fmax_mhz_median": round(statistics.median(f), 2),
            "fmax_mhz_max": f[-1], "best_seed": best["seed"], "lc": best["lc"],
            "best_fmax_mhz": best["fmax_mhz"],
            "nextpnr_fmax_mhz_min": g[0], "nextpnr_fmax_mhz_median": round(statistics.median(g), 2),
            "nextpnr_fmax_mhz_max": g[-1],
            "fmax_dsp_timed": all(e["dsp_timed"] for e in routed),
            "meets_freq": f[0] >= report["freq_target_mhz"],
            "note": "" if len(routed) == len(per_seed) else
                    f"{len(per_seed) - len(routed)} seed(s) failed; see per_seed",
            "numbers": "resources from Yosys stat; lc placed and routed by nextpnr-ice40; Fmax "
                       "from its routed delays, with the SB_MAC16 multipliers timed by "
                       "scripts/sdf_endpoints.py (nextpnr_fmax_mhz_*: nextpnr's own, which leaves "
                       "out the paths through a multiplier without its registers)",
        })
        cap_lc = DEVICES[report["target"]]["capacity"]["lut"]
        if best["lc"] is not None and best["lc"] > cap_lc:
            report["fits"] = False
            report["over"].append({"resource": "lc", "used": best["lc"], "available": cap_lc})
        print(best["seed"])
    else:
        report["placed"] = False
        errs = [e["error"] for e in per_seed if e["error"]]
        report["note"] = "nextpnr failed on every seed: " + (errs[0] if errs else "no report")
        # packing can need more than the pre-placement counts show (an LC holds one LUT and one
        # flip-flop): nextpnr's utilisation table before placement names the resource
        over = []
        for path in a.seed_reports:
            log = re.sub(r"\.json$", ".log", path)
            if not os.path.exists(log):
                continue
            with open(log, errors="replace") as f:
                for m in re.finditer(r"^Info:\s+(\w+):\s+(\d+)/\s*(\d+)", f.read(), re.M):
                    res = NEXTPNR_BELS.get(m.group(1), m.group(1))
                    used, avail = int(m.group(2)), int(m.group(3))
                    if used > avail and all(o["resource"] != res for o in over):
                        over.append({"resource": res, "used": used, "available": avail})
        report["over"] += [o for o in over if o not in report["over"]]
        if over:
            report["fits"] = False
        save(a.report, report)
        names = dict(RESOURCE_NAMES[report["target"]], lc="logic cells (ICESTORM_LC)",
                     io="I/O (SB_IO)")
        for o in over:
            print(f"synth: error: does not fit the {report['device']} (nextpnr): "
                  f"{names.get(o['resource'], o['resource'])} {o['used']} used, "
                  f"{o['available']} available", file=sys.stderr)
        sys.exit(4 if over else 5)
    save(a.report, report)


def cmd_pack(a):
    # the logic cells nextpnr's packer needs (one LUT4 and one flip-flop each, or a carry): more
    # than the LUT4 count, and the number the device has to hold. Over: exit 4, nothing placed.
    report = load(a.report)
    util = load(a.pack).get("utilization", {}).get("ICESTORM_LC", {})
    used, avail = util.get("used"), util.get("available")
    if used is None:
        die(f"{a.pack}: no ICESTORM_LC utilisation in the nextpnr report")
    report["lc_packed"] = used
    print(f"synth: logic cells after packing (nextpnr-ice40 --pack-only): {used} of {avail} "
          f"({100.0 * used / avail:.0f} %)", file=sys.stderr)
    if used > avail:
        if all(o["resource"] != "lc" for o in report["over"]):
            report["over"].append({"resource": "lc", "used": used, "available": avail})
        report["fits"] = False
        report["seeds"] = []
        report["note"] = "does not fit after packing; nextpnr placement not run"
        save(a.report, report)
        print(f"synth: error: does not fit the {report['device']} (nextpnr --pack-only): logic "
              f"cells (ICESTORM_LC) {used} used, {avail} available", file=sys.stderr)
        sys.exit(4)
    save(a.report, report)


def icetime_of(path):
    """(path ns, MHz) from an icetime report, or None"""
    try:
        with open(path, errors="replace") as f:
            text = f.read()
    except OSError:
        return None
    m = re.search(r"Total path delay:\s*([0-9.]+)\s*ns\s*\(([0-9.]+)\s*MHz\)", text)
    return (float(m.group(1)), float(m.group(2))) if m else None


def cmd_post(a):
    report = load(a.report)
    if a.icetime:
        t = icetime_of(a.icetime)
        if t:
            report["icetime_path_ns"], report["icetime_mhz"] = t
    if a.bitstream and os.path.exists(a.bitstream):
        report["bitstream"] = a.bitstream
    save(a.report, report)


def fmt(x):
    if x is None:
        return "-"
    if isinstance(x, float):
        return f"{x:g}"
    return str(x)


def show(r, out=sys.stdout):
    def print_(*args):
        print(*args, file=out)

    names = dict(RESOURCE_NAMES[r["target"]], lc="logic cells (ICESTORM_LC)")
    print_(f"synth: {r['net']} (hash {r.get('net_hash') or '?'}), top {r['top']}, "
           f"target {r['target']} ({r['device']})")
    print_(f"  {r['label']}")
    print_(f"  {'resource':<34} {'used':>9} {'available':>10} {'use':>7}")
    for k in ("lut", "ff", "ebr", "spram", "dsp"):
        used, cap = r[k], r["capacity"][k]
        if used is None:
            pct = "-"
        else:
            pct = f"{100.0 * used / cap:.1f}%" if cap else ("-" if not used else "over")
        print_(f"  {names[k]:<34} {fmt(used):>9} {fmt(cap):>10} {pct:>7}")
    if r.get("lc") is not None:
        cap = r["capacity"]["lut"]
        print_(f"  {'logic cells (ICESTORM_LC, placed)':<34} {r['lc']:>9} {cap:>10} "
               f"{100.0 * r['lc'] / cap:>6.1f}%")
    if r.get("lc_packed") is not None:
        cap = r["capacity"]["lut"]
        print_(f"  {'logic cells (ICESTORM_LC, packed)':<34} {r['lc_packed']:>9} {cap:>10} "
               f"{100.0 * r['lc_packed'] / cap:>6.1f}%")
    if r.get("io") is not None:
        print_(f"  {'top-level port bits':<34} {r['io']:>9} {fmt(r.get('io_available')):>10}")
    if r.get("memories"):
        mems = sorted(r["memories"].items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
        # EBR-type blocks as bare counts, others (SPRAM, 18 kbit halves) with their cell type
        ebr = ("SB_RAM40_4K", "DP16KD", "RAMB36E1")
        parts = [f"{m} " + "+".join(str(n) if t in ebr else f"{n} {t}" for t, n in c.items())
                 for m, c in mems]
        more = ", ..." if len(parts) > 8 else ""
        print_("  block RAMs by memory: " + ", ".join(parts[:8]) + more)
    if r["placed"]:
        print_(f"  Fmax over seeds {' '.join(str(s) for s in r['seeds'])}: min "
               f"{fmt(r['fmax_mhz_min'])} / median {fmt(r['fmax_mhz_median'])} / max "
               f"{fmt(r['fmax_mhz_max'])} MHz (target {fmt(r['freq_target_mhz'])} MHz, "
               f"{met_text(r)})")
        if r.get("nextpnr_fmax_mhz_max") is not None:
            how = ("the SB_MAC16 multipliers timed by scripts/sdf_endpoints.py; "
                   if r.get("fmax_dsp_timed") else "SB_MAC16 NOT timed (no endpoints file); ")
            print_(f"    ({how}nextpnr's own, which leaves out the paths through a multiplier "
                   f"without its registers: "
                   f"{fmt(r['nextpnr_fmax_mhz_min'])} / {fmt(r['nextpnr_fmax_mhz_median'])} / "
                   f"{fmt(r['nextpnr_fmax_mhz_max'])} MHz)")
        if r.get("icetime_mhz") is not None:
            dsp = r.get("dsp") or 0
            print_(f"  icetime (seed {r['best_seed']}, the bitstream's): {fmt(r['icetime_mhz'])} MHz" +
                   (" (like nextpnr, without the paths through a multiplier without its "
                    "registers)" if dsp else ""))
            if r.get("icetime_mhz_max") is not None and len(r.get("per_seed", [])) > 1:
                print_(f"    icetime over the seeds: {fmt(r['icetime_mhz_min'])} / "
                       f"{fmt(r['icetime_mhz_median'])} / {fmt(r['icetime_mhz_max'])} MHz "
                       f"(min / median / max; seed {r['best_seed']} is the one whose slower "
                       f"timer is fastest)")
        if r.get("bitstream"):
            print_(f"  bitstream: {r['bitstream']}")
        elif r["fmax_mhz_max"] < r["freq_target_mhz"]:
            print_(f"  bitstream: none (no seed meets {fmt(r['freq_target_mhz'])} MHz)")
    elif DEVICES[r["target"]]["placed_flow"]:
        print_("  not placed" + (f": {r['note']}" if r.get("note") else ""))
    elif r.get("note"):
        print_(f"  {r['note']}")
    print_(f"  fits: {'yes' if r['fits'] else 'NO'}" +
           "".join(f"; {names.get(o['resource'], o['resource'])} {o['used']} > {o['available']}"
                   for o in r["over"]))


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    q = sub.add_parser("pre")
    q.add_argument("--target", required=True, choices=sorted(DEVICES))
    q.add_argument("--stat", required=True)
    q.add_argument("--log", required=True)
    q.add_argument("--netlist", required=True)
    q.add_argument("--top", required=True)
    q.add_argument("--net", required=True)
    q.add_argument("--net-hash", default=None)
    q.add_argument("--label", required=True)
    q.add_argument("--report", required=True)
    q.add_argument("--seeds", default="")
    q.add_argument("--freq", type=float, default=24.0)
    q.add_argument("--clock", type=mhz, default=None)   # the board top's clock; None: bg_core alone
    q.add_argument("--counters", choices=("all", "min", "none"), default="all",
                   help="bg_core's performance counters: all twelve (PerfCounters = 1), the cycle "
                        "and sample counters (2) or none (0)")
    q.add_argument("--host", choices=("model", "all"), default="all",
                   help="what bg_core's host memory port reaches: the model's memories only "
                        "(HostState = 0) or every memory (1)")
    q.add_argument("--yosys-failed", action="store_true",
                   help="Yosys stopped: report the latches its log names, no resources")
    q = sub.add_parser("best")
    q.add_argument("--report", required=True)
    q.add_argument("seed_reports", nargs="+")
    q = sub.add_parser("pack")
    q.add_argument("--report", required=True)
    q.add_argument("--pack", required=True)
    q = sub.add_parser("post")
    q.add_argument("--report", required=True)
    q.add_argument("--icetime")
    q.add_argument("--bitstream")
    q = sub.add_parser("show")
    q.add_argument("--report", required=True)
    q = sub.add_parser("get")
    q.add_argument("--report", required=True)
    q.add_argument("key")
    a = p.parse_args()
    if a.cmd == "pre":
        cmd_pre(a)
    elif a.cmd == "best":
        cmd_best(a)
    elif a.cmd == "pack":
        cmd_pack(a)
    elif a.cmd == "post":
        cmd_post(a)
    elif a.cmd == "get":
        v = load(a.report).get(a.key)
        print(" ".join(str(x) for x in v) if isinstance(v, list) else fmt(v))
    else:
        show(load(a.report))


if __name__ == "__main__":
    main()
