#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The learning core itself through the whole UP5K flow (make test-long): the board top of NET
# (default nets/toy-fpga.json; make test-long also runs nets/mnist-fpga.json) without the
# performance counters (`make synth NET=NET COUNTERS=0`) fits after packing, is placed and
# routed by nextpnr, timed by icetime and packed into a bitstream. Its Fmax (with the SB_MAC16
# multipliers timed, scripts/sdf_endpoints.py) is checked against the oscillator's 12 MHz setting
# (--clock 12; the Makefile's default is the 24 MHz goal, docs/fpga.md), and every seed must
# meet that.
# Usage: tests/test_synth_placed.sh [NET]   (seeds: BG_PLACED_SEEDS, default "1 2")
set -u
cd "$(dirname "$0")/.."
net=${1:-nets/toy-fpga.json}
name=$(basename "$net" .json)_placed
name=${name//-/_}
. tests/fpga/flow_prereqs.sh
fpga_flow_prereqs "$name"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
out=$T/placed
seeds=${BG_PLACED_SEEDS:-1 2}
if ! bash scripts/synth.sh --net "$net" --target up5k --no-counters --clock 12 --seeds "$seeds" \
     --out "$out" > "$T/placed.log" 2>&1; then
  echo "FAIL $name: scripts/synth.sh exit $?: $(grep -m2 'error' "$T/placed.log" | tr '\n' ' ')"
  exit 0
fi
why=$(python3 - "$out/report.json" "$seeds" << 'PY'
import json, sys
try:
    r = json.load(open(sys.argv[1])); seeds = [int(s) for s in sys.argv[2].split()]
    checks = [
        ("placed", r["placed"] is True), ("fits", r["fits"] is True), ("over empty", r["over"] == []),
        ("learning core label", "learning core" in r["label"] and "flow check" not in r["label"]),
        ("without counters", r["perf_counters"] is False),
        ("seeds", r["seeds"] == seeds),
        ("clock 12 MHz", r["clock_mhz"] == 12 and r["freq_target_mhz"] == 12),
        ("meets the clock on every seed", r["meets_freq"] is True),
        ("Fmax with the SB_MAC16 multipliers timed", r.get("fmax_dsp_timed") is True and
         all(e.get("dsp_timed") for e in r["per_seed"])),
        ("lc within the device", r["lut"] <= r["lc"] <= 5280),
        ("lc_packed = lc", r["lc_packed"] == r["lc"]),
        ("fmax order", 0 < r["fmax_mhz_min"] <= r["fmax_mhz_median"] <= r["fmax_mhz_max"]),
        ("icetime", (r.get("icetime_mhz") or 0) > 0),
        ("bitstream", bool(r.get("bitstream"))),
    ]
    bad = [name for name, ok in checks if not ok]
    print("failed: " + ", ".join(bad) if bad else "")
except Exception as e:
    print("cannot check the report: %s: %s" % (type(e).__name__, e))
PY
)
bin=$(python3 scripts/synth_report.py get --report "$out/report.json" bitstream 2> /dev/null)
if [ -n "$why" ]; then
  echo "FAIL $name: $why"
elif [ ! -s "$bin" ]; then
  echo "FAIL $name: no bitstream at '$bin'"
else
  echo "PASS $name ($(grep -m1 'logic cells' "$T/placed.log" | sed 's/^synth: //'); $(grep -m1 'Fmax over seeds' "$T/placed.log" | sed 's/^ *//'); bitstream $(stat -c %s "$bin") bytes)"
fi
