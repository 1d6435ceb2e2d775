# SPDX-License-Identifier: Apache-2.0
# The Yosys synthesis command of the iCE40 targets, in one place: scripts/synth.sh maps with it
# and tests/test_gate_sim.sh simulates the netlist it makes. Sourced; sets ICE40_SYNTH_UP5K and
# ICE40_SYNTH_HX8K (ice40_synth_cmd adds the top and the steps before) and the functions below.
# -abc9: ABC's newer mapping flow with the device's timing (Yosys 0.23 calls it experimental);
# on mnist-fpga's board top it needs about 8 % fewer LUT4 than the default abc flow (docs/fpga.md),
# and the gate-level simulation checks the netlist it makes against the golden model.
# -dff (UP5K): ABC also sees the flip-flops (with their enables and resets) and optimises the
# logic around them; on mnist-fpga's board top 77 logic cells fewer at 9bff3cb (5 381 → 5 304),
# and the gate-level simulation checks that netlist too.
ICE40_SYNTH_UP5K="synth_ice40 -device u -dsp -spram -abc9 -dff"
ICE40_SYNTH_HX8K="synth_ice40 -device hx -abc9"
# ice40_synth_cmd "SYNTH" TOP: the Yosys commands (one line) that map TOP with SYNTH. Before
# synth_ice40, comparisons with a constant become gates (scripts/ice40_cmp_const_map.v: a carry
# chain would take a logic cell per bit), after flattening and width reduction so that the
# constants of parameters and ports are known (not flattened when SYNTH has -noflatten). A top
# whose parameters chparam set is named $paramod\TOP\... after hierarchy: a caller that sets
# them runs `hierarchy -top TOP; rename -top TOP` first (scripts/synth.sh for bg_core alone,
# scripts/fpga_breakdown.sh). Not here for every design: ABC9's mapping depends on the order of
# the design's cells, and the renamed board top without counters no longer maps (it falls back
# to abc, about 440 logic cells more).
ICE40_CMP_MAP="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/ice40_cmp_const_map.v"
ice40_synth_cmd() {
  local flat="flatten; "
  [[ "$1" == *-noflatten* ]] && flat=""
  echo "hierarchy -top $2; proc; ${flat}opt_expr; opt_clean; wreduce; opt_clean;" \
       "techmap -map $ICE40_CMP_MAP; opt_clean; $1 -top $2"
}
# ice40_abc9_failed LOG CMD: true when CMD used -abc9 and LOG shows ABC stopping with an error
# (then both callers map again with ice40_no_abc9, the same command without -abc9).
ice40_abc9_failed() { [[ "$2" == *-abc9* ]] && grep -q '^ABC: .*Error' "$1"; }
ice40_no_abc9() { echo "${1/ -abc9/}"; }
