#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# bgcosim: build (once per description) and run the lockstep cosimulation of the RTL core and
# the golden model. The core's constants are generated from the description, so every
# description gets its own Verilated model under build/cosim/<hash>/; later runs reuse it.
# Usage: bgcosim --net NET [options of sim/bg_cosim_main.cpp]; docs/rtl.md.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
[ -f "$root/rtl/bg_core.sv" ] || root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
net=""
args=("$@")
for ((n = 0; n < ${#args[@]}; n++)); do
  if [ "${args[$n]}" = "--net" ] && [ $((n + 1)) -lt ${#args[@]} ]; then net="${args[$((n + 1))]}"; fi
done
if [ -z "$net" ]; then
  echo "usage: bgcosim --net NET [--data random|mnist|fashion] [--samples N] [--seed S] [--train|--infer] [--trace FILE.fst]" >&2
  exit 2
fi
bgnet="$root/build/bin/bgnet"
"$bgnet" check "$net" > /dev/null || exit 1
# the RTL's envelope (docs/rtl.md): refuse what the core does not implement, with the reason
reason="$(bash "$root/sim/rtl_envelope.sh" "$bgnet" "$net")"
if [ -n "$reason" ]; then
  echo "error: $net: outside the RTL core's envelope: $reason" >&2
  exit 3
fi
hash="$("$bgnet" consts "$net" | awk '$1 == "NET_HASH" { printf "%08x", $2 }')"
rtl="${BG_RTL:-$root/rtl}"      # another RTL directory (tests inject bugs into a copy)
# bg_core parameters, e.g. BG_VPARAMS=-GPerfCounters=0 (the core without performance counters)
vparams="${BG_VPARAMS:-}"
for p in $vparams; do
  [[ "$p" =~ ^-G[A-Za-z]+=[0-9]+$ ]] || { echo "error: BG_VPARAMS: '$p' is not -GName=number" >&2; exit 2; }
done
dir="$root/build/cosim/$hash"
[ "$rtl" = "$root/rtl" ] && [ -z "$vparams" ] ||
  dir="$root/build/cosim/$hash-$(echo "$rtl $vparams" | md5sum | cut -c1-8)"
sim="$dir/obj/bgcosim-sim"
# (a gate-level netlist directory has no .svh files)
stamp="$(cat "$rtl"/*.sv $(ls "$rtl"/*.svh 2> /dev/null) "$root"/sim/bg_cosim_main.cpp "$root/build/lib/libbg.a" | md5sum | cut -c1-16)"
if [ ! -x "$sim" ] || [ "$(cat "$dir/stamp" 2> /dev/null)" != "$stamp" ]; then
  mkdir -p "$dir"
  "$bgnet" gen verilog "$net" -o "$dir" > /dev/null
  echo "bgcosim: building the Verilated core for $net (hash $hash) ..." >&2
  inc="-I$root/cmodel/common -I$root/cmodel/net -I$root/cmodel/data -I$root/cmodel/io -I$root/cmodel/core -I$root/cmodel/train -I$root/sw/cli"
  verilator --cc --exe --build -j 2 --trace-fst -O2 -Wno-fatal -Wno-lint -Wno-style \
    --top-module bg_core $vparams -I"$rtl" --Mdir "$dir/obj" -o bgcosim-sim \
    -CFLAGS "-std=c++17 -O2 $inc" -LDFLAGS "$root/build/lib/libbg.a -lcjson -lz -lm" \
    "$dir/bg_cfg_pkg.sv" "$rtl"/*.sv "$root/sim/bg_cosim_main.cpp" > "$dir/build.log" 2>&1 \
    || { echo "error: Verilator build failed; see $dir/build.log" >&2; tail -20 "$dir/build.log" >&2; exit 2; }
  echo "$stamp" > "$dir/stamp"
fi
exec "$sim" "$@"
