#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The RTL in the HDL subset all three tools accept (ECOSYSTEM.md §9): Verilator --lint-only
# -Wall clean (waivers only in rtl/bg_lint.vlt), Yosys read_verilog -sv / hierarchy -check /
# proc / check -assert clean, Icarus -g2012 compiles; for several descriptions.
set -u
cd "$(dirname "$0")/.."
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
bgnet=${BG_BUILD:-build}/bin/bgnet
RTL="$(ls rtl/*.sv | tr '\n' ' ')"
python3 tests/cosim/random_net.py 2 "$T/random-2.json"     # no hidden layer
for net in tests/cosim/nets/tiny-replay.json nets/mnist-fpga.json nets/mnist-full.json "$T/random-2.json"; do
  name=$(basename "$net" .json)
  mkdir -p "$T/$name"
  "$bgnet" gen verilog "$net" -o "$T/$name" > /dev/null
  if verilator --lint-only -Wall -Irtl rtl/bg_lint.vlt "$T/$name/bg_cfg_pkg.sv" $RTL \
       --top-module bg_core > "$T/$name.vl" 2>&1; then
    echo "PASS verilator_lint_$name"
  else
    echo "FAIL verilator_lint_$name: $(grep -m3 '^%' "$T/$name.vl" | tr '\n' ' ')"
  fi
  # -Wimplicit: Icarus turns an unknown name (even an enum constant in a port expression) into
  # an implicit wire, which silently breaks the design
  if iverilog -g2012 -Wimplicit -Irtl -o "$T/$name.vvp" "$T/$name/bg_cfg_pkg.sv" $RTL > "$T/$name.iv" 2>&1 &&
     ! grep -q 'implicit definition' "$T/$name.iv"; then
    echo "PASS icarus_compile_$name"
  else
    echo "FAIL icarus_compile_$name: $(grep -v sorry "$T/$name.iv" | head -3 | tr '\n' ' ')"
  fi
done
# bg_core without its performance counters (PerfCounters = 0, scripts/synth.sh --counters none),
# with the cycle and sample counters only (PerfCounters = 2, --counters min), and as the board
# builds it (those counters, the host port on the model's memories: HostState = 0, --host model)
for pc in "-GPerfCounters=0:no_counters" "-GPerfCounters=2:min_counters" \
          "-GPerfCounters=2 -GHostState=0:board"; do
  # shellcheck disable=SC2086 # the -G options, split on purpose
  if verilator --lint-only -Wall -Irtl rtl/bg_lint.vlt "$T/mnist-fpga/bg_cfg_pkg.sv" $RTL \
       --top-module bg_core ${pc%%:*} > "$T/pc.vl" 2>&1; then
    echo "PASS verilator_lint_${pc#*:}"
  else
    echo "FAIL verilator_lint_${pc#*:}: $(grep -m3 '^%' "$T/pc.vl" | tr '\n' ' ')"
  fi
done
net=nets/mnist-fpga.json
printf 'read_verilog -sv -Irtl %s %s\nhierarchy -check -top bg_core\nproc\ncheck -assert\n' \
  "$T/mnist-fpga/bg_cfg_pkg.sv" "$RTL" > "$T/check.ys"
if yosys -q -s "$T/check.ys" > "$T/yosys.log" 2>&1; then
  echo "PASS yosys_check_mnist-fpga"
else
  echo "FAIL yosys_check_mnist-fpga: $(grep -m3 -i error "$T/yosys.log" | tr '\n' ' ')"
fi

# the host register block (rtl/host/bg_regblock.sv, the verilator:/systemc: backends' device)
# with the core, for mnist-fpga: the same three tools
bgregmap=${BG_BUILD:-build}/bin/bgregmap
"$bgregmap" gen verilog sw/regmap/regmap.json -o "$T/mnist-fpga" > /dev/null
RB="$T/mnist-fpga/bg_cfg_pkg.sv $T/mnist-fpga/bg_regs_pkg.sv $RTL rtl/host/bg_regblock.sv"
if verilator --lint-only -Wall -Irtl rtl/bg_lint.vlt $RB --top-module bg_regblock > "$T/rb.vl" 2>&1; then
  echo "PASS verilator_lint_regblock"
else
  echo "FAIL verilator_lint_regblock: $(grep -m3 '^%' "$T/rb.vl" | tr '\n' ' ')"
fi
if iverilog -g2012 -Wimplicit -Irtl -s bg_regblock -o "$T/rb.vvp" $RB > "$T/rb.iv" 2>&1 &&
   ! grep -q 'implicit definition' "$T/rb.iv"; then
  echo "PASS icarus_compile_regblock"
else
  echo "FAIL icarus_compile_regblock: $(grep -v sorry "$T/rb.iv" | head -3 | tr '\n' ' ')"
fi
printf 'read_verilog -sv -Irtl %s\nhierarchy -check -top bg_regblock\nproc\ncheck -assert\n' "$RB" \
  > "$T/rb.ys"
if yosys -q -s "$T/rb.ys" > "$T/rb.log" 2>&1; then
  echo "PASS yosys_check_regblock"
else
  echo "FAIL yosys_check_regblock: $(grep -m3 -i error "$T/rb.log" | tr '\n' ' ')"
fi
