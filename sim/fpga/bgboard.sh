#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The Verilated iCE40 board top behind a pseudo-terminal (sim/fpga/bg_up5k_pty.cpp), for the
# uart: backend with no board (docs/driver.md, "The pty simulator").
#
# Usage: sim/fpga/bgboard.sh --net NET --link FILE [--build-only] [bg_up5k_pty faults...]
#   Builds the board top for NET once (cached under build/fpga/pty-<hash>/, rebuilt when an RTL
#   source, the generated package or the simulator changes; Verilator -j 1 under nice), then
#   runs it in the foreground: FILE receives the pty's path (/dev/pts/N) when the board is up.
#   SIGTERM stops it cleanly. The faults (--garble-after N, --garble-one N, --bad-crc-after N,
#   --stall-after N, --die-after N, --delay-one N) are bg_up5k_pty's.
# ClkDiv 4 (the smallest the UART takes) and TimeoutCycles 20000 (the bridge's inter-byte
# timeout, at least 25 ms of simulated-board time at the simulator's speed here).
set -u
cd "$(dirname "$0")/../.."
net="" link="" build_only=0 args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --net) net=${2:?--net needs a file}; shift 2 ;;
    --link) link=${2:?--link needs a file}; shift 2 ;;
    --build-only) build_only=1; shift ;;
    *) args+=("$1"); shift ;;
  esac
done
[ -n "$net" ] || { echo "bgboard.sh: --net NET is required" >&2; exit 2; }
[ -n "$link" ] || [ $build_only = 1 ] || { echo "bgboard.sh: --link FILE is required" >&2; exit 2; }
div=4
timeout=20000
make -s --no-print-directory build/bin/bgnet > /dev/null || { echo "bgboard.sh: make build/bin/bgnet failed" >&2; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
build/bin/bgnet gen verilog "$net" -o "$T/gen" > /dev/null || { echo "bgboard.sh: bgnet gen verilog $net failed" >&2; exit 1; }
pkg="$T/gen/bg_cfg_pkg.sv"
hash=$(build/bin/bgnet consts "$net" | awk '$1 == "NET_HASH" { printf "%08x", $2 }')
RTL="$(ls rtl/*.sv rtl/fpga/*.sv | tr '\n' ' ')"
dir=build/fpga/pty-$hash
stamp="$(cat "$pkg" rtl/*.sv rtl/*.svh rtl/fpga/*.sv sim/fpga/bg_up5k_pty.cpp | md5sum | cut -c1-16)-$div-$timeout"
if [ ! -x "$dir/obj/bg_up5k_pty" ] || [ "$(cat "$dir/stamp" 2> /dev/null)" != "$stamp" ]; then
  rm -rf "$dir"
  mkdir -p "$dir"
  cp "$pkg" "$dir/bg_cfg_pkg.sv"
  if ! nice verilator --cc --exe --build -j 1 -O1 -Wno-fatal -Wno-lint -Wno-style -DBG_EXT_CLK \
       -GClkDiv=$div -GTimeoutCycles=$timeout --top-module bg_up5k_top -Irtl \
       --Mdir "$dir/obj" -o bg_up5k_pty -CFLAGS "-std=c++17 -O2" \
       "$dir/bg_cfg_pkg.sv" $RTL "$PWD/sim/fpga/bg_up5k_pty.cpp" > "$dir/build.log" 2>&1; then
    echo "bgboard.sh: Verilator build failed: $(grep -m3 -i error "$dir/build.log" | tr '\n' ' ') (log: $dir/build.log)" >&2
    exit 1
  fi
  echo "$stamp" > "$dir/stamp"
fi
[ $build_only = 1 ] && exit 0
rm -rf "$T"
trap - EXIT
exec "$dir/obj/bg_up5k_pty" --link "$link" --div $div "${args[@]}"
