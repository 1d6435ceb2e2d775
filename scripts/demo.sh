#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make demo`: the product end to end, as far as it exists today.
#   1. validate every example network description and show its summary;
#   2. generate the C, HLS and SystemVerilog headers for each (build/gen/<net>/);
#   3. load and check the datasets (MNIST, Fashion-MNIST).
# The golden-model issue extends this with training; the RTL issue with an RTL replay.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${BG_BUILD:-build}
echo "== 1. network descriptions =="
"$B/bin/bgnet" check nets/*.json
echo
echo "== 2. generated headers =="
for n in nets/*.json; do
  name=$(basename "$n" .json)
  for k in c hls verilog; do "$B/bin/bgnet" gen "$k" "$n" -o "$B/gen/$name" >/dev/null; done
  echo "$n -> $B/gen/$name/{bg_cfg.h,bg_hls_cfg.h,bg_cfg_pkg.sv}"
done
echo
echo "== 3. datasets =="
"$B/bin/bgdata" check mnist
"$B/bin/bgdata" check fashion
echo
echo "demo: $(ls nets/*.json | wc -l) network descriptions valid, headers generated, datasets loaded"
