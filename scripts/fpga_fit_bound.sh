#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# How far the UP5K fit can go with today's architecture (docs/fpga.md, "What would make it
# fit"): the board top through scripts/synth.sh (Yosys, then nextpnr-ice40 --pack-only), once as
# it is and once per lever with that lever taken out of a temporary copy of the sources. A
# lever "taken out" is its upper bound: the logic is removed, not rebuilt smaller, so these
# variants compute nothing useful; what they measure is the most that lever could save, in
# packed logic cells (ICESTORM_LC), the unit the part's 5 280 cells are counted in.
#   today        the flow's default (the cycle and sample counters: PerfCounters = 2)
#   no-counters  no performance counters (PerfCounters = 0, a real build: --counters none)
#   addresses    every controller address of the memories 0: the base + index sums of each
#                memory class, the shared address terms and what is left in the states (bound
#                of address counters in place of the sums; the host's addresses stay)
#   addr-CLASS   the addresses of one class of memories only (not run by default; --only):
#                addr-weights (w_a), addr-records (rc), addr-neuron (b, n, d, eb: the
#                N_WORDS-deep ones), addr-raster (r), addr-corr (c and fb), addr-erow (er),
#                addr-small (kr, h, e, q, pix)
#   min-link     the serial bridge replaced by tests/fpga/min_host_link.sv (no framing, CRC,
#                checks or buffer: the protocol's cost)
#   all-core     no-counters + addresses, with the real bridge
#   all          all-core + min-link
# (Levers measured here before they were taken, and so no longer variants: the per-output
# counts o_k and c_k as block-RAM words, and the random streams' states parked in a block RAM,
# "one-stream", 2026-12-06: docs/fpga.md.)
# The edits are checked to apply (each pattern exactly once), so a change in the RTL that they
# no longer match stops the script instead of measuring nothing. Two variants run at a time
# (about 20 minutes for mnist-fpga on two cores).
#
# Usage: scripts/fpga_fit_bound.sh [--net NET] [--out DIR] [--only "V1 V2 ..."]
#   --net   network description (default nets/mnist-fpga.json)
#   --out   work and report directory (default build/synth/bound)
#   --only  the variants to run (default: the seven above without addr-CLASS)
# Writes DIR/bound.json and prints the table. Exit status 0, or 1 on a usage or tool error.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
die() { echo "fpga_fit_bound: error: $*" >&2; exit 1; }
usage() { sed -n '/^# Usage:/,/^# Writes/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 1; }

all_variants="today no-counters addresses min-link all-core all"
net=nets/mnist-fpga.json out="" only="$all_variants"
while [ $# -gt 0 ]; do
  case "$1" in
    --net) net="${2:-}"; shift 2 ;;
    --out) out="${2:-}"; shift 2 ;;
    --only) only="${2:-}"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "fpga_fit_bound: unknown argument '$1'" >&2; usage ;;
  esac
done
[ -f "$net" ] || die "no such network description: $net"
addr_classes="addr-weights addr-records addr-neuron addr-raster addr-corr addr-erow addr-small"
for v in $only; do
  [[ " $all_variants $addr_classes " == *" $v "* ]] ||
    die "unknown variant '$v' (known: $all_variants $addr_classes)"
done
[ -n "$only" ] || die "--only is empty"
out="${out:-build/synth/bound}"
net="$(cd "$(dirname "$net")" && pwd)/$(basename "$net")"
bgnet="${BG_BUILD:-build}/bin/bgnet"
[ -x "$bgnet" ] || make -s --no-print-directory all > /dev/null || die "building $bgnet failed"
for tool in yosys nextpnr-ice40 python3; do
  command -v $tool > /dev/null || die "$tool not found (make setup)"
done
rm -rf "$out"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

# tree VARIANT: a copy of what scripts/synth.sh reads, with the variant's edits
tree() {
  local v=$1 d="$out/$1/tree"
  mkdir -p "$d/build/bin"
  cp -r rtl scripts boards "$d/"
  cp "$bgnet" "$d/build/bin/bgnet"
  python3 - "$d" "$v" "$root/scripts" <<'PY'
import re, sys
d, v = sys.argv[1], sys.argv[2]
sys.path.insert(0, sys.argv[3])
from rtl_edit import edit
core = f"{d}/rtl/bg_core.sv"
levers = {"addresses"} if v in ("all-core", "all") else {v}
# the controller's address wires of each class: the port names, and the class's base + index
# wires (the host's addresses, after "if (host)", stay)
classes = {"addr-weights": r"w_a|w_ctl_a", "addr-records": r"rc_ra|rc_wa|rec_a",
           "addr-neuron": r"(?:b|n|d|eb)_(?:ra|wa)|nw_a", "addr-raster": r"r_ra|r_wa|r_rda|r_wra",
           "addr-corr": r"(?:c|fb)_(?:ra|wa)|ik|fb_ik", "addr-erow": r"er_ra|er_wa|er_rda|er_wra|kn",
           "addr-small": r"(?:kr|h|e|q|pix)_(?:ra|wa)"}
if "addresses" in levers or v in classes:
    # the neuron class's sum first, through the checked edit: an RTL that no longer has it
    # stops here, naming the line
    if "addresses" in levers or v == "addr-neuron":
        edit(core, [("    nw_a = AW'(nw_base) + AW'(nw_ix);\n", "    nw_a = '0;\n")],
             "fpga_fit_bound")
    s = open(core).read()
    a = s.index("  // Shared address terms")
    b = s.index("    if (host) begin", a)
    names = classes.get(v, "|".join(classes.values()))
    pat = r"\b(" + names + r")(\[[^\]]+\])? = [^;]+;"
    n = len(re.findall(pat, s[a:b]))
    if n < (1 if v in classes else 20):
        sys.exit(f"fpga_fit_bound: error: {core}: only {n} controller addresses found for {v}")
    s = s[:a] + re.sub(pat, lambda m: f"{m.group(1)}{m.group(2) or ''} = '0;", s[a:b]) + s[b:]
    open(core, "w").write(s)
PY
  if [ "$v" = min-link ] || [ "$v" = all ]; then
    cp tests/fpga/min_host_link.sv "$d/rtl/fpga/bg_serial_bridge.sv"
  fi
}

# run VARIANT: scripts/synth.sh in the variant's tree; the report is all that is kept
run() {
  local v=$1 counters=min
  case "$v" in no-counters|all-core|all) counters=none ;; esac
  tree "$v"
  # exit 4 (does not fit) is a result here; nextpnr places what fits (one seed)
  (cd "$out/$v/tree" && bash scripts/synth.sh --net "$net" --target up5k --seeds 1 \
     --counters $counters --out "$out/$v/synth" > "$out/$v/synth.log" 2>&1) || true
  [ -f "$out/$v/synth/report.json" ] || die "$v: no report (see $out/$v/synth.log)"
}

set -- $only
while [ $# -gt 0 ]; do
  run "$1" &
  p1=$!
  p2=""
  if [ $# -gt 1 ]; then run "$2" & p2=$!; fi
  wait $p1 || die "variant $1 failed"
  [ -z "$p2" ] || wait $p2 || die "variant $2 failed"
  shift; [ $# -gt 0 ] && shift
done

python3 - "$out" "$net" $only <<'PY'
import json, sys
out, net, variants = sys.argv[1], sys.argv[2], sys.argv[3:]
rows = {}
for v in variants:
    r = json.load(open(f"{out}/{v}/synth/report.json"))
    if r.get("lc_packed") is None:
        sys.exit(f"fpga_fit_bound: error: {v}: the report has no packed logic cells")
    rows[v] = {"lut": r["lut"], "ff": r["ff"], "ebr": r["ebr"], "lc_packed": r["lc_packed"],
               "fits": r["lc_packed"] <= 5280 and not [o for o in r["over"] if o["resource"] != "lc"],
               "label": r["label"],
               # ABC9 refuses some netlists (docs/fpga.md) and synth.sh then maps with abc,
               # about 470 LUT4 more: such a row is not comparable with the others
               "mapper": "abc" if "ABC9 failed" in r["label"] else "abc9"}
base = rows.get("today")
print(f"board top, {net}: packed logic cells of 5 280 (upper bounds: the logic removed, not rebuilt)")
print(f"{'variant':12} {'LUT4':>6} {'FF':>6} {'EBR':>4} {'cells':>6} {'saves':>6}  fits")
for v, r in rows.items():
    saves = "" if base is None or v == "today" else str(base["lc_packed"] - r["lc_packed"])
    print(f"{v:12} {r['lut']:>6} {r['ff']:>6} {r['ebr']:>4} {r['lc_packed']:>6} {saves:>6}  "
          f"{'yes' if r['fits'] else 'no'}"
          + ("   (mapped with abc: ABC9 failed on it, not comparable)" if r["mapper"] == "abc" else ""))
json.dump({"net": net, "capacity_lc": 5280,
           "note": "upper bounds: each lever's logic removed from a copy of the sources; "
                   "these variants do not compute the model", "variants": rows},
          open(f"{out}/bound.json", "w"), indent=1)
print(f"written {out}/bound.json")
PY
