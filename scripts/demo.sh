#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make demo`: the product end to end, as far as it exists today.
#   1. validate every example network description and show its summary;
#   2. generate the C, HLS and SystemVerilog headers for each (build/gen/<net>/);
#   3. load and check the datasets (MNIST, Fashion-MNIST);
#   4. train the FPGA network (nets/mnist-fpga.json) on an MNIST subset with the golden model's
#      integer path (what the hardware computes), then the same run on the float path, and
#      evaluate the saved checkpoint; reports and plots go to build/demo/.
# The RTL issue adds an RTL replay of the same run.
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
echo "== 4. on-chip learning, golden model (nets/mnist-fpga.json, 784-100-10, 8-bit weights) =="
D=$B/demo
mkdir -p "$D"
SUB=(--data mnist --epochs 1 --train-samples ${BG_DEMO_SAMPLES:-20000} --val-samples 2000 --test-samples 10000)
"$B/bin/bgtrain" --net nets/mnist-fpga.json "${SUB[@]}" --save "$D/fpga.ckpt" \
  --report "$D/fpga-integer.json" --plot "$D/plots-integer" | tee "$D/integer.txt"
"$B/bin/bgtrain" --net nets/mnist-fpga.json "${SUB[@]}" --float --report "$D/fpga-float.json" \
  --plot "$D/plots-float" | tee "$D/float.txt"
"$B/bin/bgeval" --net nets/mnist-fpga.json --ckpt "$D/fpga.ckpt" --data mnist | tail -13
echo
echo "== 5. the RTL core under Verilator beside the golden model (first MNIST training samples) =="
"$B/bin/bgcosim" --net nets/mnist-fpga.json --data mnist --samples ${BG_DEMO_RTL_SAMPLES:-3} --quiet | tee "$D/rtl.txt"
echo
ai=$(grep '^test_accuracy' "$D/integer.txt" | cut -d' ' -f2)
af=$(grep '^test_accuracy' "$D/float.txt" | cut -d' ' -f2)
echo "demo: $(ls nets/*.json | wc -l) network descriptions valid, headers generated, datasets loaded"
echo "demo: MNIST test accuracy after one pass over ${BG_DEMO_SAMPLES:-20000} samples: integer path $ai %, float path $af %"
echo "demo: RTL vs golden model: $(tail -n 1 "$D/rtl.txt" | cut -d' ' -f2-); $(grep -o 'core cycles per sample [0-9]*' "$D/rtl.txt")"
echo "demo: reports, checkpoint and plots (PNG) in $D/"
