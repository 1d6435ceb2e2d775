#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The open FPGA flow (docs/fpga.md): Yosys synthesis of the learning core for one network
# description, then for the iCE40 targets nextpnr-ice40 over several seeds, icetime on each, and
# (UP5K) icepack on the seed that meets the clock and that both timers rate highest; writes
# DIR/report.json (scripts/synth_report.py) and prints a table.
#
# Usage: scripts/synth.sh --net NET --target up5k|hx8k|ecp5|xilinx [--seeds "1 2 3"]
#                         [--clock 24] [--freq MHZ] [--top core|board] [--out DIR]
#                         [--core FILE] [--counters all|min|none] [--no-counters]
#                         [--host model|all]
#   --net     network description; its SV package is generated into DIR/gen (bgnet gen verilog)
#   --target  up5k: iCEBreaker (iCE40UP5K-SG48, boards/icebreaker.pcf), full flow to a bitstream
#             hx8k: iCE40HX8K-CT256, placed and routed (pins not assigned: no board pcf here)
#             ecp5, xilinx: Yosys only, "synthesis estimate, not placed"
#   --seeds   nextpnr seeds (Fmax is reported as min/median/max over them)
#   --clock   the board top's clock in MHz (bg_up5k_top's ClkHz; the UART divisor follows):
#             48, 24 (default), 12 or 6 from the UP5K oscillator (48 MHz divided by 1, 2, 4, 8);
#             any other value from 16 to 275 from the PLL (SB_PLL40_PAD) on the iCEBreaker's
#             12 MHz crystal (pin 35), its divisors from icepll, the frequency it achieves used
#   --freq    nextpnr target frequency in MHz (default: the clock)
#   --top     board: rtl/fpga/bg_up5k_top.sv (default); core: bg_core alone (too many ports to
#             place on any iCE40 package, so resource numbers only)
#   --out     output directory (default build/synth/<target>)
#   --core    a stand-in for rtl/bg_core.sv (same ports): flow checks only; the report's label
#             then says that the numbers are not the learning core's
#   --counters  bg_core's performance counters: min (default: the cycle and sample counters
#             only, PerfCounters = 2, so the time per sample is measurable on the board), all
#             (the twelve, as in simulation) or none (PerfCounters = 0); the counters not built
#             read 0; the label and report.json ("counters") say so
#   --no-counters  the same as --counters none
#   --host    what bg_core's host memory port reaches: model (default: the pixels, weights,
#             biases and feedback weights, what training, inference and checkpoints need,
#             HostState = 0; the serial bridge refuses the other selects) or all (every memory,
#             as in simulation: the neuron state, dendrites, rasters, records, kernels and the
#             error unit too); the label and report.json ("host") say so
# Exit status: 0 success, 1 usage or tool error, 3 latch inferred, 4 does not fit (by Yosys's
# counts, or by nextpnr's utilisation when packing needs more), 5 nextpnr failed on every seed
# for another reason, 6 placed and routed but no seed meets the clock (--freq): no bitstream is
# written then (the board would clock the design faster than it runs). report.json is written
# before any of 3, 4, 5, 6.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

usage() {
  sed -n '/^# Usage:/,/^# for another reason/p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 1
}
die() { echo "synth: error: $*" >&2; exit 1; }

net="" target="" seeds="1 2 3" clock=24 freq="" top=board out="" core="" counters=min host=model
while [ $# -gt 0 ]; do
  case "$1" in
    --net) net="${2:-}"; shift 2 ;;
    --target) target="${2:-}"; shift 2 ;;
    --seeds) seeds="${2:-}"; shift 2 ;;
    --clock) clock="${2:-}"; shift 2 ;;
    --freq) freq="${2:-}"; shift 2 ;;
    --top) top="${2:-}"; shift 2 ;;
    --out) out="${2:-}"; shift 2 ;;
    --core) core="${2:-}"; shift 2 ;;
    --counters) counters="${2:-}"; shift 2 ;;
    --no-counters) counters=none; shift ;;
    --host) host="${2:-}"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "synth: unknown argument '$1'" >&2; usage ;;
  esac
done
[ -n "$net" ] || usage
[ -f "$net" ] || die "no such network description: $net"
case "$target" in up5k|hx8k|ecp5|xilinx) ;; *) die "--target must be up5k, hx8k, ecp5 or xilinx" ;; esac
case "$top" in core|board) ;; *) die "--top must be core or board" ;; esac
case "$counters" in
  all) perf=1 ;; min) perf=2 ;; none) perf=0 ;;
  *) die "--counters must be all, min or none" ;;
esac
case "$host" in
  model) host_state=0 ;; all) host_state=1 ;;
  *) die "--host must be model or all" ;;
esac
[[ "$clock" =~ ^[0-9]+([.][0-9]+)?$ ]] ||
  die "--clock must be a number (MHz): 48, 24, 12 or 6 (the oscillator), else 16 to 275 (the PLL)"
pll=()
case "$clock" in
  48|24|12|6) ;;
  *)
    # the PLL on the 12 MHz crystal: icepll's divisors, and the frequency they give
    [ "$target" = up5k ] && [ "$top" = board ] ||
      die "--clock $clock: only 48, 24, 12 or 6 MHz here (a PLL clock is for the UP5K board top)"
    command -v icepll > /dev/null || die "icepll not found (make setup)"
    pll_out="$(icepll -i 12 -o "$clock" 2>&1)" ||
      die "--clock $clock: the PLL cannot make it from the 12 MHz crystal: $(echo "$pll_out" | grep -m1 -i error)"
    field() { echo "$pll_out" | sed -n "s/^$1: *\([0-9.]*\).*/\1/p" | head -n 1; }
    pll=("$(field DIVR)" "$(field DIVF)" "$(field DIVQ)" "$(field FILTER_RANGE)")
    achieved="$(echo "$pll_out" | sed -n 's/^F_PLLOUT: *\([0-9.]*\) MHz (achieved).*/\1/p')"
    [ -n "$achieved" ] && [ -n "${pll[3]}" ] || die "cannot read icepll's output: $pll_out"
    achieved="$(python3 -c 'import sys; f = float(sys.argv[1]); print(int(f) if f == int(f) else f)' "$achieved")"
    [ "$achieved" = "$clock" ] ||
      echo "synth: the PLL makes $achieved MHz of the $clock asked for (icepll -i 12 -o $clock)"
    clock="$achieved"
    ;;
esac
freq="${freq:-$clock}"
[[ "$freq" =~ ^[0-9]+([.][0-9]+)?$ ]] || die "--freq must be a number (MHz)"
for s in $seeds; do [[ "$s" =~ ^[0-9]+$ ]] || die "--seeds must be integers: '$s'"; done
[ -n "$seeds" ] || die "--seeds is empty"
[ -z "$core" ] || [ -f "$core" ] || die "no such file: $core"
out="${out:-build/synth/$target}"
for tool in yosys python3; do command -v $tool > /dev/null || die "$tool not found (make setup)"; done
if [ "$target" = up5k ] || [ "$target" = hx8k ]; then
  for tool in nextpnr-ice40 icetime icepack; do
    command -v $tool > /dev/null || die "$tool not found (make setup)"
  done
fi

# ---- sources ----------------------------------------------------------------------------
bgnet=build/bin/bgnet
[ -x "$bgnet" ] || make -s --no-print-directory all > /dev/null || die "building $bgnet failed"
mkdir -p "$out"
rm -f "$out"/report.json "$out"/seed*.json "$out"/seed*.log "$out"/seed*.asc "$out"/*.bin \
      "$out"/icetime.rpt "$out"/icetime.pcf "$out"/stat.json "$out"/*.json
"$bgnet" gen verilog "$net" -o "$out/gen" > /dev/null || die "bgnet gen verilog $net failed"
net_hash="$("$bgnet" consts "$net" | awk '$1 == "NET_HASH" { printf "0x%08x", $2 }')"

srcs=("$out/gen/bg_cfg_pkg.sv")
for f in rtl/*.sv; do
  if [ -n "$core" ] && [ "$f" = rtl/bg_core.sv ]; then continue; fi
  srcs+=("$f")
done
[ -z "$core" ] || srcs+=("$core")
defines=()
if [ "$top" = board ]; then
  srcs+=(rtl/fpga/*.sv)
  module=bg_up5k_top
  # SB_HFOSC exists only on the UltraPlus parts: elsewhere the clock comes from the CLK pin
  [ "$target" = up5k ] || defines+=(-DBG_EXT_CLK)
  [ ${#pll[@]} -eq 0 ] || defines+=(-DBG_PLL_CLK)
else
  module=bg_core
fi
label="learning core ($module) for $(basename "$net")"
[ -z "$core" ] || label="flow check: bg_core replaced by the stand-in $core; not the learning core's numbers"
case "$counters" in
  all) label="$label; with all twelve performance counters" ;;
  none) label="$label; without the performance counters (PerfCounters = 0)" ;;
  min) label="$label; with the cycle and sample counters only (PerfCounters = 2)" ;;
esac
[ "$host_state" = 1 ] ||
  label="$label; the host port reaches the model's memories only (HostState = 0)"
[ ${#pll[@]} -eq 0 ] ||
  label="$label; clocked at $clock MHz by the PLL on the 12 MHz crystal (DIVR ${pll[0]}, DIVF ${pll[1]}, DIVQ ${pll[2]})"

# ---- Yosys --------------------------------------------------------------------------------
. scripts/ice40_synth.sh
case "$target" in
  up5k) synth="$(ice40_synth_cmd "$ICE40_SYNTH_UP5K" $module)" ;;   # ice40_synth.sh
  hx8k) synth="$(ice40_synth_cmd "$ICE40_SYNTH_HX8K" $module)" ;;
  ecp5) synth="synth_ecp5 -top $module" ;;
  xilinx) synth="synth_xilinx -family xc7 -flatten -top $module" ;;   # stat -json needs flat
esac
ys="$out/synth.ys"
write_ys() {
  {
    echo "# generated by scripts/synth.sh for $net, target $target"
    echo "read_verilog -sv -Irtl ${defines[*]:-} ${srcs[*]}"
    [ "$perf" = 1 ] || echo "chparam -set PerfCounters $perf $module"
    [ "$host_state" = 1 ] || echo "chparam -set HostState 0 $module"
    [ "$top" = core ] || [ "$clock" = 24 ] ||
      echo "chparam -set ClkHz $(python3 -c 'import sys; print(round(float(sys.argv[1]) * 1e6))' "$clock") $module"
    [ ${#pll[@]} -eq 0 ] || echo "chparam -set PllDivr ${pll[0]} -set PllDivf ${pll[1]} -set PllDivq ${pll[2]} -set PllFilter ${pll[3]} $module"
    # bg_core alone with its parameters set by chparam is named $paramod\bg_core\... once
    # elaborated: its name back, so that `-top bg_core` finds it (not for the board top, whose
    # name chparam keeps: ABC9's result depends on the order of the cells, ice40_synth.sh)
    [ "$top" = board ] || { [ "$perf" = 1 ] && [ "$host_state" = 1 ]; } ||
      echo "hierarchy -top $module; rename -top $module"
    echo "$synth"
    echo "write_json $out/$module.json"
    echo "tee -q -o $out/stat.json stat -json"
  } > "$ys"
}
write_ys
echo "synth: yosys ${synth##*; } ($net; log: $out/yosys.log)"
report="$out/report.json"
failed=()
yosys_ok=1
yosys -q -l "$out/yosys.log" -s "$ys" > /dev/null 2>&1 || yosys_ok=0
if [ $yosys_ok = 0 ]; then
  if ice40_abc9_failed "$out/yosys.log" "$synth"; then
    # ABC9 (experimental in Yosys 0.23) cannot map some designs: the default abc flow then
    mv "$out/yosys.log" "$out/yosys-abc9.log"
    synth="$(ice40_no_abc9 "$synth")"
    label="$label; mapped with abc: ABC9 failed on it ($(grep -m1 '^ABC: .*Error' \
      "$out/yosys-abc9.log" | sed 's/^ABC: //'))"
    write_ys
    echo "synth: ABC9 failed (log: $out/yosys-abc9.log); yosys ${synth##*; }"
    yosys_ok=1
    yosys -q -l "$out/yosys.log" -s "$ys" > /dev/null 2>&1 || yosys_ok=0
  fi
fi
if [ $yosys_ok = 0 ]; then
  # a latch in an always_comb block is an error in Yosys: still reported as a latch (exit 3)
  grep -q 'Latch inferred' "$out/yosys.log" \
    || die "Yosys failed: $(grep -m3 -E '^ERROR|error' "$out/yosys.log" | tr '\n' ' ') (log: $out/yosys.log)"
  failed=(--yosys-failed)
fi
rc=0
pnr=() dev=()
python3 scripts/synth_report.py pre --target "$target" --stat "$out/stat.json" \
  --log "$out/yosys.log" --netlist "$out/$module.json" --top "$module" --net "$net" \
  --net-hash "$net_hash" --label "$label" --report "$report" --seeds "$seeds" --freq "$freq" \
  $([ "$top" = core ] || echo --clock "$clock") \
  "${failed[@]}" --counters "$counters" --host "$host" || rc=$?
case "$target" in
  up5k) pnr=(--up5k --package sg48 --pcf boards/icebreaker.pcf); dev=(-d up5k -P sg48) ;;
  hx8k) pnr=(--hx8k --package ct256 --pcf-allow-unconstrained); dev=(-d hx8k -P ct256) ;;
esac
if { [ $rc -eq 0 ] || [ $rc -eq 4 ]; } && [ ${#pnr[@]} -gt 0 ] && [ "$top" = board ] &&
   [ -f "$out/$module.json" ]; then
  # nextpnr's packer says how many logic cells (one LUT4 and one flip-flop each, or a carry) the
  # design needs, the number the device has to hold; more than the packer fits: exit 4 unplaced
  if nextpnr-ice40 "${pnr[@]}" --json "$out/$module.json" --pack-only --report "$out/pack.json" \
       > "$out/pack.log" 2>&1; then
    prc=0
    python3 scripts/synth_report.py pack --report "$report" --pack "$out/pack.json" || prc=$?
    if [ $prc -eq 4 ] && [ $rc -eq 0 ]; then python3 scripts/synth_report.py show --report "$report"; fi
    [ $prc -eq 0 ] || rc=$prc
  else
    echo "synth: warning: nextpnr-ice40 --pack-only failed (log: $out/pack.log)" >&2
  fi
fi
[ $rc -eq 0 ] || exit $rc

# ---- nextpnr, icetime, icepack (iCE40) ----------------------------------------------------
place_seeds="$(python3 scripts/synth_report.py get --report "$report" seeds)"
if [ -n "$place_seeds" ]; then
  reports=()
  goal=$(python3 -c 'import sys; print(max(24.0, float(sys.argv[1])))' "$freq")
  # icetime's pcf reader takes plain `set_io NAME PIN` lines only
  ice_pcf=()
  if [ "$target" = up5k ]; then
    sed -n 's/^set_io\( -[a-z]*\( yes\| no\)\?\)* \([A-Za-z_][A-Za-z0-9_]*\) \+\([0-9A-Z]*\).*/set_io \3 \4/p' \
      boards/icebreaker.pcf > "$out/icetime.pcf"
    ice_pcf=(-p "$out/icetime.pcf")
  fi
  for s in $place_seeds; do
    echo "synth: nextpnr-ice40 ${pnr[*]} --freq $freq --seed $s (log: $out/seed$s.log)"
    nextpnr-ice40 "${pnr[@]}" --json "$out/$module.json" --freq "$freq" --seed "$s" \
      --timing-allow-fail --asc "$out/seed$s.asc" --report "$out/seed$s.json" --sdf "$out/seed$s.sdf" \
      > "$out/seed$s.log" 2>&1 || echo "synth: nextpnr failed for seed $s: $(grep -m1 '^ERROR' "$out/seed$s.log" || tail -n 1 "$out/seed$s.log")" >&2
    reports+=("$out/seed$s.json")
    # nextpnr's Fmax leaves out the paths through an SB_MAC16 used without its registers: the
    # same routed delays with the multipliers put back (scripts/sdf_endpoints.py --netlist) give
    # the seed's Fmax (synth_report.py best takes the lower of the two), and every register and
    # memory port slower than the 24 MHz goal (or --freq, if higher) (docs/fpga.md, "Fmax")
    rm -f "$out/seed$s.endpoints.json"
    if [ -f "$out/seed$s.sdf" ] && ! python3 scripts/sdf_endpoints.py "$out/seed$s.sdf" \
         --netlist "$out/$module.json" --mhz "$goal" --rows 40 --json "$out/seed$s.endpoints.json" \
         > "$out/seed$s.endpoints.txt" 2>&1; then
      echo "synth: warning: scripts/sdf_endpoints.py failed on seed $s: $(tail -n 1 "$out/seed$s.endpoints.txt")" >&2
      rm -f "$out/seed$s.endpoints.json"
    fi
    # icetime, Project IceStorm's own timer, on every seed: the bitstream's seed is the one
    # whose slower timer is fastest (synth_report.py best)
    rm -f "$out/seed$s.icetime.rpt"
    [ ! -f "$out/seed$s.asc" ] ||
      icetime "${dev[@]}" "${ice_pcf[@]}" -t -r "$out/seed$s.icetime.rpt" "$out/seed$s.asc" > /dev/null 2>&1 ||
      echo "synth: warning: icetime failed on seed $s (is fpga-icestorm-chipdb installed?)" >&2
  done
  rc=0
  best="$(python3 scripts/synth_report.py best --report "$report" "${reports[@]}")" || rc=$?
  if [ $rc -ne 0 ] || [ -z "$best" ]; then
    python3 scripts/synth_report.py show --report "$report"
    echo "synth: error: nextpnr failed on every seed (logs: $out/seed*.log)" >&2
    exit $(( rc == 4 ? 4 : 5 ))
  fi
  # the best seed's endpoints: what stands between the design and the goal
  rm -f "$out/endpoints.txt" "$out/endpoints.json"
  if [ -f "$out/seed$best.endpoints.json" ]; then
    cp "$out/seed$best.endpoints.txt" "$out/endpoints.txt"
    cp "$out/seed$best.endpoints.json" "$out/endpoints.json"
    echo "synth: $(sed -n 2p "$out/endpoints.txt" | sed 's/ of them over/ registers and memory ports over/; s/:$//') on seed $best ($out/endpoints.txt)"
  fi
  echo "synth: icetime ${dev[*]} on every seed; the bitstream's seed: $best"
  rm -f "$out/icetime.rpt"
  [ ! -f "$out/seed$best.icetime.rpt" ] || cp "$out/seed$best.icetime.rpt" "$out/icetime.rpt"
  # the bitstream is the best seed's, and only when that seed meets the clock
  bin=""
  best_fmax="$(python3 scripts/synth_report.py get --report "$report" best_fmax_mhz)"
  met=$(python3 -c 'import sys; print(int(float(sys.argv[1]) >= float(sys.argv[2])))' "$best_fmax" "$freq")
  rm -f "$out/bg_up5k.bin"
  if [ "$target" = up5k ] && [ "$met" = 1 ]; then
    bin="$out/bg_up5k.bin"
    icepack "$out/seed$best.asc" "$bin" || die "icepack failed"
  fi
  python3 scripts/synth_report.py post --report "$report" --icetime "$out/icetime.rpt" \
    ${bin:+--bitstream "$bin"}
  if [ "$met" != 1 ]; then
    python3 scripts/synth_report.py show --report "$report"
    echo "synth: error: no seed meets $freq MHz (the best, seed $best, reaches $best_fmax MHz)," \
      "so no bitstream is written: choose a slower --clock (48, 24, 12 or 6; 16 to 275 by the PLL) or other --seeds" >&2
    exit 6
  fi
fi
python3 scripts/synth_report.py show --report "$report"
echo "synth: report $report"
