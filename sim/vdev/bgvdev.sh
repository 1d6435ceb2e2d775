#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Build the simulated register block (rtl/host/bg_regblock.sv with the core) for one description
# as the shared library the `verilator:` or `systemc:` backend loads (docs/driver.md, "The RTL
# backends"), and print the library's path on stdout.
#
# Usage: sim/vdev/bgvdev.sh --net NET [--kind verilator|systemc]
#   Cached under build/vdev/<hash>-<kind>/, rebuilt when an RTL source, the generated packages or
#   the shim changes. Verilator -j 1 under nice; the log is build.log there.
set -u
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
net="" kind=verilator
while [ $# -gt 0 ]; do
  case "$1" in
    --net) net=${2:?--net needs a file}; shift 2 ;;
    --kind) kind=${2:?--kind needs verilator or systemc}; shift 2 ;;
    *) echo "bgvdev.sh: unknown option $1 (expected --net NET [--kind verilator|systemc])" >&2; exit 2 ;;
  esac
done
[ -n "$net" ] || { echo "bgvdev.sh: --net NET is required" >&2; exit 2; }
case "$kind" in verilator|systemc) ;; *) echo "bgvdev.sh: --kind $kind: expected verilator or systemc" >&2; exit 2 ;; esac
bgnet="$root/build/bin/bgnet" bgregmap="$root/build/bin/bgregmap"
if [ ! -x "$bgnet" ] || [ ! -x "$bgregmap" ]; then
  make -s --no-print-directory -C "$root" build/bin/bgnet build/bin/bgregmap > /dev/null \
    || { echo "bgvdev.sh: make build/bin/bgnet build/bin/bgregmap failed" >&2; exit 1; }
fi
"$bgnet" check "$net" > /dev/null || exit 1
consts="$("$bgnet" consts "$net")"
reason="$(bash "$root/sim/rtl_envelope.sh" "$bgnet" "$net")"
if [ -n "$reason" ]; then
  echo "error: $net: outside the RTL core's envelope: $reason" >&2
  exit 3
fi
hash=$(echo "$consts" | awk '$1 == "NET_HASH" { printf "%08x", $2 }')
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"$bgnet" gen verilog "$net" -o "$T" > /dev/null || { echo "bgvdev.sh: bgnet gen verilog $net failed" >&2; exit 1; }
"$bgregmap" gen verilog "$root/sw/regmap/regmap.json" -o "$T" > /dev/null \
  || { echo "bgvdev.sh: bgregmap gen verilog failed" >&2; exit 1; }
shim="$root/sim/vdev/bg_vdev_$kind.cpp"
host="${BG_RTL_HOST:-$root/rtl/host}"   # another register block (tests plant bugs in a copy)
dir="$root/build/vdev/$hash-$kind"
[ "$host" = "$root/rtl/host" ] || dir="$dir-$(echo "$host" | md5sum | cut -c1-8)"
lib="$dir/libbgvdev.so"
stamp="$(cat "$T"/*.sv "$root"/rtl/*.sv "$root"/rtl/*.svh "$host"/*.sv "$shim" \
  "$root/sw/driver/bg_vdev_abi.h" | md5sum | cut -c1-16)"
if [ ! -f "$lib" ] || [ "$(cat "$dir/stamp" 2> /dev/null)" != "$stamp" ]; then
  rm -rf "$dir"
  mkdir -p "$dir"
  cp "$T"/bg_cfg_pkg.sv "$T"/bg_regs_pkg.sv "$dir/"
  echo "bgvdev.sh: building the $kind device for $net (hash $hash; about a minute) ..." >&2
  if [ "$kind" = verilator ]; then
    mode=(--cc --trace-fst) libs=""
  else
    mode=(--sc) libs="-lsystemc"
  fi
  cflags="-std=c++17 -O2 -fPIC -I$root/sw/driver -DBG_VDEV_NET_HASH=0x$hash"
  # --exe with -shared: the generated makefile compiles the model, the shim and Verilator's
  # runtime with -fPIC and links them into one shared library
  if ! nice verilator "${mode[@]}" --exe --build -j 1 -O2 -Wno-fatal -Wno-lint -Wno-style \
       --top-module bg_regblock -I"$root/rtl" --Mdir "$dir/obj" -o "$lib.tmp" \
       -CFLAGS "$cflags" -LDFLAGS "-shared $libs" \
       "$dir/bg_cfg_pkg.sv" "$dir/bg_regs_pkg.sv" "$root"/rtl/*.sv "$host/bg_regblock.sv" \
       "$shim" > "$dir/build.log" 2>&1; then
    echo "bgvdev.sh: Verilator build failed: $(grep -m3 -i error "$dir/build.log" | tr '\n' ' ') (log: $dir/build.log)" >&2
    exit 1
  fi
  mv "$lib.tmp" "$lib"
  echo "$stamp" > "$dir/stamp"
fi
echo "$lib"
