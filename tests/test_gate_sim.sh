#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Post-synthesis simulation: Yosys's iCE40 netlist of the learning core (the UP5K mapping `make
# synth` uses, scripts/ice40_synth.sh), with the iCE40 cell models that ship with Yosys,
# runs in lockstep with the golden model under Verilator (bgcosim with BG_RTL pointing at the
# netlist): every neuron, weight, kernel and stream state, training with sleep calls and
# inference. Several minutes: the netlist has tens of thousands of cells. Usage:
# tests/test_gate_sim.sh [NET [SAMPLES]] (default the 16-8-4 toy net, 6 samples).
set -u
cd "$(dirname "$0")/.."
net=${1:-tests/cosim/nets/tiny-replay.json}
samples=${2:-6}
name=$(basename "$net" .json)
make -s --no-print-directory build/bin/bgcosim > /dev/null || { echo "FAIL gate_build: make build/bin/bgcosim"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/gen" "$T/netlist"
build/bin/bgnet gen verilog "$net" -o "$T/gen" > /dev/null
cells="$(dirname "$(readlink -f "$(command -v yosys)")")/../share/yosys/ice40/cells_sim.v"
[ -f "$cells" ] || { echo "FAIL gate_cells: no iCE40 cell models at $cells"; exit 0; }
. scripts/ice40_synth.sh
gate_ys() {
  printf 'read_verilog -sv -Irtl %s %s\n%s\nwrite_verilog -noattr %s\n' \
    "$T/gen/bg_cfg_pkg.sv" "$(ls rtl/*.sv | tr '\n' ' ')" "$(ice40_synth_cmd "$1" bg_core)" "$T/netlist/bg_core_netlist.sv" \
    > "$T/gate.ys"
  yosys -q -l "$T/yosys.log" -s "$T/gate.ys" > /dev/null 2>&1
}
mapper=abc9
if ! gate_ys "$ICE40_SYNTH_UP5K"; then
  # as scripts/synth.sh: where ABC9 cannot map the design, the default abc flow
  if ice40_abc9_failed "$T/yosys.log" "$ICE40_SYNTH_UP5K" &&
     gate_ys "$(ice40_no_abc9 "$ICE40_SYNTH_UP5K")"; then
    mapper="abc (ABC9 failed on it)"
  else
    echo "FAIL gate_synth_$name: $(grep -m3 -i error "$T/yosys.log" | tr '\n' ' ')"
    exit 0
  fi
fi
# the cell models, with plain port declarations (no default values) for Verilator
{ echo '`define NO_ICE40_DEFAULT_ASSIGNMENTS'; cat "$cells"; } > "$T/netlist/ice40_cells_sim.sv"
cells_n=$(grep -c '^ *SB_' "$T/netlist/bg_core_netlist.sv")
echo "PASS gate_synth_$name ($cells_n iCE40 cells, mapped with $mapper)"
for mode in --train --infer; do
  BG_RTL="$T/netlist" build/bin/bgcosim --net "$net" --samples "$samples" --quiet $mode > "$T/run.out" 2>&1
  rc=$?
  last=$(tail -n 1 "$T/run.out")
  if [ $rc -eq 0 ] && echo "$last" | grep -Eq '^cosim: [0-9]+ samples, [0-9]+ timesteps, [1-9][0-9]* values compared, 0 mismatches$'; then
    echo "PASS gate_cosim_${name}${mode/--/_} (${last#cosim: })"
  else
    echo "FAIL gate_cosim_${name}${mode/--/_}: rc $rc: $(grep -m1 'FIRST DIVERGENCE' "$T/run.out" || tail -n 3 "$T/run.out" | tr '\n' ' ')"
  fi
done
# the per-netlist Verilator builds are large; do not keep them
rm -rf build/cosim/*-"$(echo "$T/netlist" | md5sum | cut -c1-8)"
