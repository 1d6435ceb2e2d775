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
csim() {   # $1 name, $2 net, $3 samples, $4 data
  mkdir -p "$T/$1"
  "$B/bin/bgnet" gen hls "$2" -o "$T/$1" > /dev/null
  if ! $CC $FLAGS -I"$T/$1" $INC hls/bg_hls_infer.c hls/csim/tb_hls_infer.c "$B/lib/libbg.a" \
       -lcjson -lz -lm -o "$T/$1/tb" 2> "$T/$1/cc.err"; then
    echo "FAIL hls_csim_$1: $(head -n 3 "$T/$1/cc.err" | tr '\n' ' ')"
    return
  fi
  out=$("$T/$1/tb" "$2" "$3" "$4" 2>&1 | tail -n 2)
  if echo "$out" | tail -n 1 | grep -Eq "^hls: $3 samples, [1-9][0-9]* values compared, 0 mismatches$"; then
    echo "PASS hls_csim_$1 ($(echo "$out" | tail -n 1 | cut -d' ' -f2-))"
  else
    echo "FAIL hls_csim_$1: $out"
  fi
}
csim tiny-replay tests/cosim/nets/tiny-replay.json 20 random
csim mnist-fpga nets/mnist-fpga.json 20 mnist
for s in 101 102 103 5; do
  python3 tests/cosim/random_net.py $s "$T/random-$s.json"
  csim random-$s "$T/random-$s.json" 10 random
done
