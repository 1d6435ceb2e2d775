#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Where the UP5K's LUTs go (docs/fpga.md, "Where the UP5K budget goes"): the iCE40 UP5K
# synthesis of scripts/synth.sh (scripts/ice40_synth.sh) run on
#   1. the board top with -noflatten: LUT4 per module (the flat run shares logic across blocks,
#      so its total is lower than this sum);
#   2. bg_core alone, and copies of it with one part taken out, to measure that part by
#      difference: `counters` (bg_core's PerfCounters = 0, as `scripts/synth.sh --no-counters`
#      builds it: no counter registers, incrementers or their share of the configuration read
#      multiplexer) and `host port` (no host address, write data or read-back paths into the
#      memories and the error unit).
# The host-port copy is made by editing a temporary copy of rtl/ (the edits are checked to
# apply, so a change in bg_core.sv that they no longer match stops the script instead of
# measuring nothing).
# The numbers are Yosys's counts, nothing placed; ABC's results move by about ±50 LUT4 between
# small source changes, so differences below that are noise.
#
# Usage: scripts/fpga_breakdown.sh [--net NET] [--out DIR] [--skip-blocks]
#   --net          network description (default nets/mnist-fpga.json)
#   --out          work and report directory (default build/synth/breakdown)
#   --skip-blocks  only the removal measurements of bg_core
# Writes DIR/breakdown.json and prints the tables. Exit status 0, or 1 on a usage or tool error.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
die() { echo "fpga_breakdown: error: $*" >&2; exit 1; }
usage() { sed -n '15,19p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 1; }

net=nets/mnist-fpga.json out="" blocks=1
while [ $# -gt 0 ]; do
  case "$1" in
    --net) net="${2:-}"; shift 2 ;;
    --out) out="${2:-}"; shift 2 ;;
    --skip-blocks) blocks=0; shift ;;
    -h|--help) usage ;;
    *) echo "fpga_breakdown: unknown argument '$1'" >&2; usage ;;
  esac
done
[ -f "$net" ] || die "no such network description: $net"
out="${out:-build/synth/breakdown}"
for tool in yosys python3; do command -v $tool > /dev/null || die "$tool not found (make setup)"; done
bgnet="${BG_BUILD:-build}/bin/bgnet"
[ -x "$bgnet" ] || die "$bgnet not built (make sw)"
# shellcheck source=scripts/ice40_synth.sh
. scripts/ice40_synth.sh

rm -rf "$out"
mkdir -p "$out/gen"
"$bgnet" gen verilog "$net" -o "$out/gen" > /dev/null || die "bgnet gen verilog $net failed"

# the host-port variant: a copy of rtl/, edited by tests that the edit applied
cp -r rtl "$out/rtl-host"
python3 - "$out" "$root/scripts" <<'PY'
import sys
out = sys.argv[1]
sys.path.insert(0, sys.argv[2])
from rtl_edit import edit
edit(f"{out}/rtl-host/bg_core.sv", [
    ("    if (host) begin\n      case (hm_sel)", "    if (1'b0) begin\n      case (hm_sel)"),
    ("  assign m_host_we = host && hm_we &&", "  assign m_host_we = 1'b0 && hm_we &&"),
    ("    case (hm_sel_q)\n", "    case (4'hf)\n"),
    ("    if (HostState != 0) case (hm_sel_q)\n", "    if (1'b0) case (hm_sel_q)\n")],
     "fpga_breakdown")
PY

# synth NAME RTLDIR TOP [extra synth_ice40 flags] [yosys command after reading]: LUT4 count of
# one run (log in $out/NAME.log)
synth() {
  local name=$1 dir=$2 top=$3 extra=${4:-} pre=${5:-} cmd
  cmd="${pre:+$pre
}$(ice40_synth_cmd "$ICE40_SYNTH_UP5K${extra:+ $extra}" "$top")"
  local srcs="$out/gen/bg_cfg_pkg.sv $(echo "$dir"/*.sv "$dir"/fpga/*.sv)"
  printf 'read_verilog -sv -I%s %s\n%s\ntee -q -o %s stat\n' \
    "$dir" "$srcs" "$cmd" "$out/$name.stat" > "$out/$name.ys"
  if ! yosys -q -l "$out/$name.log" -s "$out/$name.ys" > /dev/null 2>&1; then
    if ice40_abc9_failed "$out/$name.log" "$cmd"; then
      cmd="$(ice40_no_abc9 "$cmd")"
      printf 'read_verilog -sv -I%s %s\n%s\ntee -q -o %s stat\n' \
        "$dir" "$srcs" "$cmd" "$out/$name.stat" > "$out/$name.ys"
      yosys -q -l "$out/$name.log" -s "$out/$name.ys" > /dev/null 2>&1 ||
        die "yosys failed on $name (see $out/$name.log)"
    else
      die "yosys failed on $name (see $out/$name.log)"
    fi
  fi
}

[ "$blocks" = 0 ] || synth blocks rtl bg_up5k_top -noflatten
synth core rtl bg_core
synth core-counters rtl bg_core "" "chparam -set PerfCounters 0 bg_core; hierarchy -top bg_core; rename -top bg_core"
synth core-host "$out/rtl-host" bg_core

python3 - "$out" "$net" "$blocks" <<'PY'
import json, re, sys
out, net, blocks = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
def lut_total(path):
    # the design total: the last "SB_LUT4" line of stat (after the per-module sections)
    counts = re.findall(r"^\s+SB_LUT4\s+(\d+)", open(path).read(), re.M)
    if not counts:
        sys.exit(f"fpga_breakdown: error: no SB_LUT4 count in {path}")
    return int(counts[-1])
def per_module(path):
    # LUT4 per module definition, times its instances in the "design hierarchy" section (whose
    # own SB_LUT4 line is the design total, not a module's)
    mods, cur, inst, in_hier = {}, None, {}, False
    for line in open(path):
        m = re.match(r"=== (.+) ===", line)
        if m:
            cur = m.group(1)
            in_hier = cur == "design hierarchy"
            continue
        if in_hier:
            if "Number of" in line:
                in_hier = False  # the hierarchy's cell totals follow
                continue
            m = re.match(r"\s+(\S+)\s+(\d+)$", line)
            if m:
                inst[m.group(1)] = inst.get(m.group(1), 0) + int(m.group(2))
            continue
        m = re.match(r"\s+SB_LUT4\s+(\d+)", line)
        if m and cur and cur != "design hierarchy":
            mods[cur] = int(m.group(1))
    return {k: v * inst.get(k, 1) for k, v in mods.items()}
def stem(name):
    # "$paramod$<sha1>\bg_ram_1r1w" and "$paramod\bg_update_unit\EbBits=..." are both their module
    m = re.match(r"\$paramod(?:\$[0-9a-f]+)?\\([^\\]+)", name)
    return m.group(1) if m else name
rep = {"net": net, "note": "Yosys counts (synth_ice40 -device u -dsp -spram -abc9), not placed"}
core = lut_total(f"{out}/core.stat")
rep["bg_core_lut"] = core
rep["removed"] = {}
for name, what in (("counters", "performance counters and their configuration read path"),
                   ("host", "host memory port (addresses, write data, read-back)")):
    n = lut_total(f"{out}/core-{name}.stat")
    rep["removed"][name] = {"what": what, "lut_without": n, "lut_cost": core - n}
print(f"bg_core ({net}): {core} LUT4")
print(f"{'part taken out':58} {'LUT4 without':>12} {'cost':>6}")
for v in rep["removed"].values():
    print(f"{v['what']:58} {v['lut_without']:>12} {v['lut_cost']:>6}")
if blocks:
    mods = per_module(f"{out}/blocks.stat")
    # module names carry Yosys's parameter hashes: keep the readable stem
    clean = {}
    for k, v in mods.items():
        clean[stem(k)] = clean.get(stem(k), 0) + v
    total = lut_total(f"{out}/blocks.stat")
    if sum(clean.values()) != total:
        sys.exit(f"fpga_breakdown: error: {out}/blocks.stat: the modules add up to "
                 f"{sum(clean.values())} LUT4, the design hierarchy says {total}")
    rep["blocks_noflatten"] = clean
    rep["blocks_noflatten_total"] = total
    print(f"\nboard top with -noflatten, LUT4 per module (sum {sum(clean.values())}):")
    for k, v in sorted(clean.items(), key=lambda kv: -kv[1]):
        print(f"  {k:28} {v:>6}")
json.dump(rep, open(f"{out}/breakdown.json", "w"), indent=1)
print(f"\nwritten {out}/breakdown.json")
PY
