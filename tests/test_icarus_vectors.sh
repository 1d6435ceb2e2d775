#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Icarus runs the same RTL on vector files the golden model's run wrote (`bgcosim --vectors`):
# stimulus, then every sample's expected spike rasters, weights, biases, feedback, prediction and
# random-stream states. A corrupted expectation must be reported.
set -u
cd "$(dirname "$0")/.."
if [ "${BG_BUILD:-build}" != "build" ]; then
  echo "SKIP icarus_vectors: runs in the plain suite"
  exit 0
fi
make -s --no-print-directory build/bin/bgcosim > /dev/null || { echo "FAIL icarus_build: make build/bin/bgcosim"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
RTL="$(ls rtl/*.sv | tr '\n' ' ')"
python3 tests/cosim/random_net.py 5 "$T/random-5.json"      # two hidden layers, sleep
for net in tests/cosim/nets/tiny-replay.json "$T/random-5.json"; do
  name=$(basename "$net" .json)
  mkdir -p "$T/$name"
  build/bin/bgnet gen verilog "$net" -o "$T/$name" > /dev/null
  if ! build/bin/bgcosim --net "$net" --samples 6 --quiet --vectors "$T/$name.vec" > "$T/$name.cosim" 2>&1; then
    echo "FAIL icarus_vectors_$name: bgcosim did not agree: $(tail -n 2 "$T/$name.cosim" | tr '\n' ' ')"
    continue
  fi
  if ! iverilog -g2012 -Irtl -o "$T/$name.vvp" "$T/$name/bg_cfg_pkg.sv" $RTL sim/tb_vectors.sv > "$T/$name.iv" 2>&1; then
    echo "FAIL icarus_vectors_$name: $(grep -v sorry "$T/$name.iv" | head -3 | tr '\n' ' ')"
    continue
  fi
  out=$(vvp -n "$T/$name.vvp" +vectors="$T/$name.vec" | tail -n 1)
  if echo "$out" | grep -Eq '^icarus: 6 samples, [1-9][0-9]* values compared, 0 mismatches$'; then
    echo "PASS icarus_vectors_$name (${out#icarus: })"
  else
    echo "FAIL icarus_vectors_$name: $out"
  fi
done
# the testbench can fail: corrupt the first expected weight of the tiny run
awk 'BEGIN { done = 0 } $1 == 4 && $2 == 1 && !done { $4 = "12345"; done = 1 } { print }' \
  "$T/tiny-replay.vec" > "$T/bad.vec"
out=$(vvp -n "$T/tiny-replay.vvp" +vectors="$T/bad.vec" | grep 'FIRST DIVERGENCE' | head -n 1)
if echo "$out" | grep -q 'memory 1 address .*expected 12345'; then
  echo "PASS icarus_vectors_catch ($out)"
else
  echo "FAIL icarus_vectors_catch: a corrupted expectation was not reported: $out"
fi
