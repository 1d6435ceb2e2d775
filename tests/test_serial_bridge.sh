#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The iCE40 board top over its serial line (docs/serial.md): the FPGA sources in the HDL subset
# of all three tools, then a Verilator model of rtl/fpga/bg_up5k_top.sv (clock from the
# testbench, a small baud divisor) for tests/cosim/nets/tiny-replay.json, driven by the
# bit-level host in sim/fpga/bg_up5k_tb.cpp: identify, configuration and memory bursts,
# an inference polled to the end, counters, a corrupted CRC, an unknown opcode, a truncated
# frame, illegal addresses and arguments, access while busy and at checkpoints, RESET.
set -u
cd "$(dirname "$0")/.."
if [ "${BG_BUILD:-build}" != "build" ]; then
  echo "SKIP serial_bridge: runs in the plain suite (the Verilated model is not built with sanitizers)"
  exit 0
fi
make -s --no-print-directory build/bin/bgnet > /dev/null || { echo "FAIL serial_build: make build/bin/bgnet"; exit 1; }
net=tests/cosim/nets/tiny-replay.json
div=4                 # clock cycles per UART bit in the model (the smallest the UART takes)
timeout=2000          # the bridge's inter-byte timeout in cycles
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
build/bin/bgnet gen verilog "$net" -o "$T/gen" > /dev/null
pkg="$T/gen/bg_cfg_pkg.sv"
RTL="$(ls rtl/*.sv rtl/fpga/*.sv | tr '\n' ' ')"

# ---- the FPGA sources in the subset of Verilator -Wall, Icarus and Yosys -------------------
if verilator --lint-only -Wall -DBG_EXT_CLK -Irtl rtl/bg_lint.vlt "$pkg" $RTL \
     --top-module bg_up5k_top > "$T/lint.log" 2>&1; then
  echo "PASS serial_lint_verilator"
else
  echo "FAIL serial_lint_verilator: $(grep -m3 '^%' "$T/lint.log" | tr '\n' ' ')"
fi
if iverilog -g2012 -Wimplicit -DBG_EXT_CLK -Irtl -s bg_up5k_top -o "$T/top.vvp" "$pkg" $RTL \
     > "$T/iv.log" 2>&1 && ! grep -q 'implicit definition' "$T/iv.log"; then
  echo "PASS serial_icarus_compile"
else
  echo "FAIL serial_icarus_compile: $(grep -v sorry "$T/iv.log" | head -3 | tr '\n' ' ')"
fi
# the bridge alone through Yosys (the board top with the core is scripts/synth.sh's job)
if yosys -q -p "read_verilog -sv -Irtl rtl/bg_ram_1r1w.sv rtl/fpga/bg_uart_rx.sv rtl/fpga/bg_uart_tx.sv rtl/fpga/bg_serial_bridge.sv; hierarchy -check -top bg_serial_bridge; proc; check -assert" \
     > "$T/ys.log" 2>&1; then
  echo "PASS serial_yosys_check"
else
  echo "FAIL serial_yosys_check: $(grep -m3 -i error "$T/ys.log" | tr '\n' ' ')"
fi

# ---- the Verilated board top (kept under build/fpga/, rebuilt when a source changes) --------
hash=$(build/bin/bgnet consts "$net" | awk '$1 == "NET_HASH" { printf "%08x", $2 }')
const() { sed -n "s/.*localparam int $1 = 32'sd\([0-9]*\);.*/\1/p" "$pkg"; }
wbits=$(const MaxWBits)
wwords=$(const WWords)
# tb_build DIR TEST INCDIR PARAMS SOURCES...: the board top's testbench in DIR/obj, built again
# only when a source or a parameter changed; TEST names the failure
tb_build() {
  local dir=$1 test=$2 inc=$3 params=$4 stamp
  shift 4
  stamp="$(cat "$@" sim/fpga/bg_up5k_tb.cpp | md5sum | cut -c1-16)-$div-$timeout-$params"
  [ -x "$dir/obj/bg_up5k_tb" ] && [ "$(cat "$dir/stamp" 2> /dev/null)" = "$stamp" ] && return 0
  rm -rf "$dir"
  mkdir -p "$dir"
  # shellcheck disable=SC2086 # params: Verilator -G options, split on purpose
  if ! verilator --cc --exe --build -j 1 -O1 -Wno-fatal -Wno-lint -Wno-style -DBG_EXT_CLK \
       -GClkDiv=$div -GTimeoutCycles=$timeout $params --top-module bg_up5k_top -I"$inc" \
       --Mdir "$dir/obj" -o bg_up5k_tb -CFLAGS "-std=c++17 -O1" \
       "$@" "$PWD/sim/fpga/bg_up5k_tb.cpp" > "$dir/build.log" 2>&1; then
    echo "FAIL $test: Verilator build failed: $(grep -m3 -i error "$dir/build.log" | tr '\n' ' ') (log: $dir/build.log)"
    return 1
  fi
  echo "$stamp" > "$dir/stamp"
}
dir=build/fpga/tb-$hash
# shellcheck disable=SC2086 # RTL: the source list
tb_build "$dir" serial_tb_build rtl "" "$pkg" $RTL || exit 1
"$dir/obj/bg_up5k_tb" --hash "$hash" --wbits "$wbits" --wwords "$wwords" --div $div --timeout $timeout > "$T/tb.out" 2>&1
rc=$?
cat "$T/tb.out"
if [ $rc -ne 0 ] && ! grep -q '^FAIL ' "$T/tb.out"; then
  echo "FAIL serial_tb: exit status $rc: $(tail -n 3 "$T/tb.out" | tr '\n' ' ')"
fi
# every register that matters has a reset: the same checks with random initial values
if "$dir/obj/bg_up5k_tb" --hash "$hash" --wbits "$wbits" --wwords "$wwords" --div $div \
     --timeout $timeout +verilator+rand+reset+2 +verilator+seed+7 > "$T/rr.out" 2>&1 &&
   [ "$(grep -c '^PASS ' "$T/rr.out")" = "$(grep -c '^PASS ' "$T/tb.out")" ]; then
  echo "PASS serial_rand_reset (all $(grep -c '^PASS ' "$T/rr.out") checks under +verilator+rand+reset+2)"
else
  echo "FAIL serial_rand_reset: $(grep -m2 '^FAIL' "$T/rr.out" | tr '\n' ' ')"
fi
# the board as scripts/synth.sh builds it (--host model, HostState = 0): the same checks, the
# core's state selects refused
# shellcheck disable=SC2086 # RTL: the source list
if tb_build "$dir-model" serial_model_tb_build rtl -GHostState=0 "$pkg" $RTL; then
  "$dir-model/obj/bg_up5k_tb" --hash "$hash" --wbits "$wbits" --wwords "$wwords" --div $div \
    --timeout $timeout --host-model > "$T/model.out" 2>&1
  rc=$?
  sed -n 's/^\(PASS\|FAIL\) serial_/\1 serial_model_/p' "$T/model.out"
  if [ $rc -ne 0 ] && ! grep -q '^FAIL ' "$T/model.out"; then
    echo "FAIL serial_model_tb: exit status $rc: $(tail -n 3 "$T/model.out" | tr '\n' ' ')"
  fi
fi
# docs/serial.md's worked example is this exchange, byte for byte
req=$(sed -n 's/^tb: PING request  //p' "$T/tb.out")
resp=$(sed -n 's/^tb: PING response //p' "$T/tb.out")
if [ -n "$req" ] && [ -n "$resp" ] && grep -qF "$req" docs/serial.md && grep -qF "$resp" docs/serial.md; then
  echo "PASS serial_doc_example (docs/serial.md shows the PING exchange the board top produced)"
else
  echo "FAIL serial_doc_example: docs/serial.md lacks the PING exchange '$req' / '$resp'"
fi

# ---- the testbench can fail: a bridge that ignores the CRC must be caught ------------------
bug=build/fpga/tb-$hash-nocrc
mkdir -p "$T/bug/fpga"
cp rtl/*.sv rtl/*.svh "$T/bug/"
cp rtl/fpga/*.sv "$T/bug/fpga/"
sed -i 's/assign status_d = check(crc_ok_q \&\& !ferr_q,/assign status_d = check(1'"'"'b1,/' \
  "$T/bug/fpga/bg_serial_bridge.sv"
if cmp -s rtl/fpga/bg_serial_bridge.sv "$T/bug/fpga/bg_serial_bridge.sv"; then
  echo "FAIL serial_catches_bug: the bug could not be planted"
  exit 1
fi
tb_build "$bug" serial_catches_bug "$T/bug" "" "$pkg" "$T"/bug/*.sv "$T"/bug/fpga/*.sv || exit 1
"$bug/obj/bg_up5k_tb" --hash "$hash" --wbits "$wbits" --wwords "$wwords" --div $div --timeout $timeout > "$T/bug.out" 2>&1
if grep -q '^FAIL serial_bad_crc: ' "$T/bug.out"; then
  echo "PASS serial_catches_bug ($(grep -m1 '^FAIL serial_bad_crc' "$T/bug.out" | cut -c6-))"
else
  echo "FAIL serial_catches_bug: a bridge that ignores the CRC passed serial_bad_crc"
fi
