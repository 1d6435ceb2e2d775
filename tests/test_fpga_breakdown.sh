#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/fpga_breakdown.sh on the 16-8-4 toy net (about 5 minutes): the report
# exists, and each removal variant maps to fewer LUT4 than the unmodified core by more than
# ABC's noise, so the edits applied and took the part out; the board top's per-module
# table has readable module names that add up to the design total; a usage error names the argument.
set -u
cd "$(dirname "$0")/.."
B="${BG_BUILD:-build}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. tests/fpga/tally.sh

if BG_BUILD="$B" bash scripts/fpga_breakdown.sh --net nets/tiny.json --out "$T/bd" \
     > "$T/out" 2>&1; then
  if python3 - "$T/bd/breakdown.json" > "$T/check" 2>&1 <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
core = r["bg_core_lut"]
assert core > 1000, f"bg_core_lut {core}"
for name in ("counters", "host"):
    v = r["removed"][name]
    assert v["lut_cost"] == core - v["lut_without"], name
    assert v["lut_cost"] > 50, f"{name}: removing it saved only {v['lut_cost']} LUT4"
    print(f"{name} {v['lut_cost']}", end="; ")
# the board top, module by module: readable names that add up to the design's total
blk = r["blocks_noflatten"]
for want in ("bg_up5k_top", "bg_core", "bg_serial_bridge", "bg_soma_unit"):
    assert blk.get(want, 0) > 0, f"no LUT4 for module {want}: {sorted(blk)}"
odd = [k for k in blk if not k.startswith("bg_")]
assert not odd, f"module names not cleaned: {odd}"
assert sum(blk.values()) == r["blocks_noflatten_total"], "modules do not add up"
print(f"core {core}; board top {r['blocks_noflatten_total']} in {len(blk)} modules")
PY
  then ok "breakdown_removals ($(cat "$T/check"))"
  else bad "breakdown_removals: $(tail -n 2 "$T/check" | tr '\n' ' ')"; fi
else
  bad "breakdown_run: $(tail -n 3 "$T/out" | tr '\n' ' ')"
fi

if BG_BUILD="$B" bash scripts/fpga_breakdown.sh --bogus > "$T/u" 2>&1; then
  bad "breakdown_usage: accepted --bogus"
elif grep -q "unknown argument '--bogus'" "$T/u"; then ok "breakdown_usage"
else bad "breakdown_usage: $(head -n 1 "$T/u")"; fi

tally_end
