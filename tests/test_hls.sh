#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# HLS C simulation (make hls-csim): the inference kernel, compiled against the header generated
# from each description, beside the golden model on the same weights, samples and evaluation
# stream: the cosim regression's toy net, MNIST on nets/mnist-fpga.json, random descriptions.
set -u
cd "$(dirname "$0")/.."
B=${BG_BUILD:-build}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
CC=${CC:-gcc}
[ "$B" = build ] || CC=clang
FLAGS="-std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Wall -Wextra -Werror -Wno-unknown-pragmas -Wno-unused-label"
[ "$B" = build ] || FLAGS="$FLAGS -fsanitize=address,undefined -fno-omit-frame-pointer"
INC="-Ihls -Icmodel/common -Icmodel/net -Icmodel/data -Icmodel/io -Icmodel/core -Icmodel/train -Isw/cli"
# the 128-bit emulation against the golden model's __int128 scale-and-round
if $CC $FLAGS -Ihls -Icmodel/core hls/csim/tb_hls_wide.c -o "$T/tb_wide" 2> "$T/wide.err" &&
   out=$("$T/tb_wide") && echo "$out" | grep -q ', 0 mismatches$'; then
  echo "PASS hls_wide_scale_round (${out#wide: })"
else
  echo "FAIL hls_wide_scale_round: $(head -n 3 "$T/wide.err") ${out:-}"
fi
csim() {   # $1 kernel (infer|train), $2 name, $3 net, $4 samples, $5 data
  local d="$T/$1-$2"
  mkdir -p "$d"
  "$B/bin/bgnet" gen hls "$3" -o "$d" > /dev/null
  if ! $CC $FLAGS -I"$d" $INC "hls/bg_hls_$1.c" "hls/csim/tb_hls_$1.c" "$B/lib/libbg.a" \
       -lcjson -lz -lm -o "$d/tb" 2> "$d/cc.err"; then
    echo "FAIL hls_csim_$1_$2: $(head -n 3 "$d/cc.err" | tr '\n' ' ')"
    return
  fi
  out=$("$d/tb" "$3" "$4" "$5" 2>&1 | tail -n 2)
  if echo "$out" | tail -n 1 | grep -Eq "^hls: $4 samples, [1-9][0-9]* values compared, 0 mismatches$"; then
    echo "PASS hls_csim_$1_$2 ($(echo "$out" | tail -n 1 | cut -d' ' -f2-))"
  else
    echo "FAIL hls_csim_$1_$2: $out"
  fi
}
csim infer tiny-replay tests/cosim/nets/tiny-replay.json 20 random
csim infer mnist-fpga nets/mnist-fpga.json 20 mnist
csim train tiny-replay tests/cosim/nets/tiny-replay.json 20 random
csim train mnist-fpga nets/mnist-fpga.json ${BG_HLS_MNIST_SAMPLES:-200} mnist
# the cosim regression's random descriptions (the first ${BG_HLS_RANDOM:-20})
for s in $(seq 1 "${BG_HLS_RANDOM:-20}"); do
  python3 tests/cosim/random_net.py $s "$T/random-$s.json"
  csim infer random-$s "$T/random-$s.json" 5 random
  csim train random-$s "$T/random-$s.json" 10 random
done
# the testbench can fail: flip the top bit of the stochastic-rounding threshold in a copy
mkdir -p "$T/bug"
cp -r hls "$T/bug/"
sed -i 's/if ((uint64_t)x32 < thr)/if ((uint64_t)x32 < (thr ^ 0x80000000u))/' "$T/bug/hls/bg_hls_wide.h"
d="$T/train-tiny-replay"
if cmp -s hls/bg_hls_wide.h "$T/bug/hls/bg_hls_wide.h"; then
  echo "FAIL hls_csim_catches_bug: the bug could not be planted"
elif $CC $FLAGS -I"$d" -I"$T/bug/hls" $INC "$T/bug/hls/bg_hls_train.c" hls/csim/tb_hls_train.c \
       "$B/lib/libbg.a" -lcjson -lz -lm -o "$T/bug/tb" 2> "$T/bug/cc.err" &&
     out=$("$T/bug/tb" tests/cosim/nets/tiny-replay.json 20 random | grep 'FIRST DIVERGENCE'); then
  echo "PASS hls_csim_catches_bug (${out#hls: })"
else
  echo "FAIL hls_csim_catches_bug: a planted rounding bug was not reported $(head -n 2 "$T/bug/cc.err")"
fi
