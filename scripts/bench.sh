#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# `make bench`: golden-model speed, measured side by side in one run (machines here are noisy:
# compare ratios, not absolute numbers).
#   1. training throughput on nets/mnist-fpga.json: the dense double baseline
#      (bench/dense_float_baseline.c, the "straightforward" implementation), the golden model's
#      integer path and its float path, on the same samples;
#   2. a full MNIST epoch (50 000 training samples) of the integer path: the <= 60 s goal.
# Results: build/bench/bench.txt. Public-tool equivalents are printed next to each number.
set -euo pipefail
cd "$(dirname "$0")/.."
B=${BG_BUILD:-build}
N=${BG_BENCH_SAMPLES:-2000}
NET=nets/mnist-fpga.json
mkdir -p "$B/bench"
gcc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -g -Wall -Wextra -Wshadow -Werror \
  -Icmodel/common -Icmodel/net -Icmodel/data bench/dense_float_baseline.c "$B/lib/libbg.a" \
  -lcjson -lz -lm -o "$B/bench/dense_float_baseline"
out=$B/bench/bench.txt
: >"$out"
sps() { grep -o '"samples_per_second":[^,]*' "$1" | head -1 | cut -d: -f2 | tr -d ' '; }
echo "== training throughput, $NET, $N samples each (training loop only) ==" | tee -a "$out"
base=$("$B/bench/dense_float_baseline" $NET data "$N" 0 2>/dev/null | awk '/^samples_per_second/{print $2}')
"$B/bin/bgtrain" --net $NET --data mnist --epochs 1 --train-samples "$N" --val-samples 0 \
  --test-samples 1 --quiet --report "$B/bench/int.json" >/dev/null 2>&1
"$B/bin/bgtrain" --net $NET --data mnist --epochs 1 --train-samples "$N" --val-samples 0 \
  --test-samples 1 --quiet --float --report "$B/bench/float.json" >/dev/null 2>&1
int=$(sps "$B/bench/int.json"); flt=$(sps "$B/bench/float.json")
awk -v b="$base" -v i="$int" -v f="$flt" 'BEGIN {
  printf "dense double baseline   %8.0f samples/s   1.0x\n", b
  printf "golden, integer path    %8.0f samples/s  %5.1fx\n", i, i / b
  printf "golden, float path      %8.0f samples/s  %5.1fx\n", f, f / b }' | tee -a "$out"
echo "(the same with public tools: /usr/bin/time -v $B/bin/bgtrain --net $NET --data mnist --epochs 1 --train-samples $N ...)" | tee -a "$out"
echo | tee -a "$out"
echo "== one full MNIST epoch, integer path (goal: <= 60 s on one core) ==" | tee -a "$out"
"$B/bin/bgtrain" --net $NET --data mnist --epochs 1 --test-samples 1 --val-samples 10000 --quiet \
  --report "$B/bench/epoch.json" >/dev/null 2>&1
secs=$(grep -o '"train_seconds":[^,]*' "$B/bench/epoch.json" | cut -d: -f2 | tr -d ' \t')
echo "50000 training samples in $secs s (training loop; $B/bench/epoch.json)" | tee -a "$out"
