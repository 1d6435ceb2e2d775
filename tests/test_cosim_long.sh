#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The cosimulation regression (make cosim, make test-long): 20 random descriptions inside the
# RTL envelope x 5 training samples each, then nets/mnist-fpga.json trained on 200 MNIST
# samples, every step, update and sleep compared with the golden model.
set -u
cd "$(dirname "$0")/.."
if [ "${BG_BUILD:-build}" != "build" ]; then
  echo "SKIP cosim_regression: runs in the plain suite"
  exit 0
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
for s in $(seq 1 20); do
  python3 tests/cosim/random_net.py $s "$T/random-$s.json"
  if build/bin/bgcosim --net "$T/random-$s.json" --samples 5 --seed $s --quiet > "$T/$s.out" 2>&1 &&
     tail -n 1 "$T/$s.out" | grep -q ', 0 mismatches$'; then
    echo "PASS cosim_random_$s ($(build/bin/bgnet check "$T/random-$s.json" | sed -n 2p | sed 's/^ *layers *//; s/ *(.*//'): $(tail -n 1 "$T/$s.out" | cut -d' ' -f2-))"
  else
    echo "FAIL cosim_random_$s: $(tail -n 3 "$T/$s.out" | tr '\n' ' ')"
  fi
done
if build/bin/bgcosim --net nets/mnist-fpga.json --data mnist --samples 200 --quiet > "$T/mnist.out" 2>&1 &&
   tail -n 1 "$T/mnist.out" | grep -q '^cosim: 200 samples, .*, 0 mismatches$'; then
  echo "PASS cosim_mnist_fpga_200 ($(tail -n 1 "$T/mnist.out" | cut -d' ' -f2-))"
  grep 'cycles per sample' "$T/mnist.out"
else
  echo "FAIL cosim_mnist_fpga_200: $(tail -n 3 "$T/mnist.out" | tr '\n' ' ')"
fi
