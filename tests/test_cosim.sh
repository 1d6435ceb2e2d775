#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The fast RTL cosimulation checks: the Verilated core beside the golden model on a toy net
# (training with sleep, and inference), random descriptions, a few MNIST samples on
# nets/mnist-fpga.json, the envelope refusal, X/reset randomisation, and a planted RTL bug that
# must be caught with a first-divergence message and a waveform.
set -u
cd "$(dirname "$0")/.."
if [ "${BG_BUILD:-build}" != "build" ]; then
  echo "SKIP cosim: runs in the plain suite (the Verilated model is not built with sanitizers)"
  exit 0
fi
make -s --no-print-directory build/bin/bgcosim > /dev/null || { echo "FAIL cosim_build: make build/bin/bgcosim"; exit 1; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cosim=build/bin/bgcosim

# $1 name, rest: bgcosim arguments; passes when exit 0 and the summary reports 0 mismatches
agree() {
  local name=$1; shift
  if "$cosim" "$@" --quiet > "$T/$name.out" 2>&1 &&
     tail -n 1 "$T/$name.out" | grep -Eq '^cosim: [1-9][0-9]* samples, [0-9]+ timesteps, [1-9][0-9]* values compared, 0 mismatches$'; then
    echo "PASS $name ($(tail -n 1 "$T/$name.out" | cut -d' ' -f2-))"
  else
    echo "FAIL $name: $(tail -n 3 "$T/$name.out" | tr '\n' ' ')"
  fi
}

agree cosim_tiny_train --net tests/cosim/nets/tiny-replay.json --samples 12 --train
agree cosim_tiny_infer --net tests/cosim/nets/tiny-replay.json --samples 4 --infer
for s in 101 102; do
  python3 tests/cosim/random_net.py $s "$T/random-$s.json"
  agree cosim_random_$s --net "$T/random-$s.json" --samples 4 --seed $s
done
agree cosim_mnist_fpga --net nets/mnist-fpga.json --data mnist --samples 2

# nets/toy-fpga.json (narrower state) with all, the minimal and no performance counters: the
# same values every way; all twelve count in the first build, only the cycle and sample counters
# in the second (the same cycles as the first, the others 0), none in the third
"$cosim" --net nets/toy-fpga.json --samples 8 --train > "$T/toy.out" 2>&1
BG_VPARAMS=-GPerfCounters=0 "$cosim" --net nets/toy-fpga.json --samples 8 --train > "$T/toync.out" 2>&1
BG_VPARAMS=-GPerfCounters=2 "$cosim" --net nets/toy-fpga.json --samples 8 --train > "$T/toymin.out" 2>&1
sum_ok='^cosim: 8 samples, [0-9]+ timesteps, [1-9][0-9]* values compared, 0 mismatches$'
cyc() { grep -m1 -o 'core cycles per sample [0-9]*' "$1" | awk '{ print $5 }'; }
if ! tail -n 1 "$T/toy.out" | grep -Eq "$sum_ok"; then
  echo "FAIL cosim_toy_fpga: $(tail -n 3 "$T/toy.out" | tr '\n' ' ')"
elif ! grep -Eq '^cosim: core cycles per sample [1-9]' "$T/toy.out"; then
  echo "FAIL cosim_toy_fpga: no cycle count: $(grep -m1 'cycles per sample' "$T/toy.out")"
elif ! grep -q '^cosim: core counted 8 samples, [1-9][0-9]* sleep calls$' "$T/toy.out"; then
  echo "FAIL cosim_toy_fpga: sample or sleep counter: $(grep -m1 'core counted' "$T/toy.out")"
else
  echo "PASS cosim_toy_fpga ($(tail -n 1 "$T/toy.out" | cut -d' ' -f2-); $(grep -m1 -o 'core cycles per sample [0-9]*' "$T/toy.out"))"
fi
if ! tail -n 1 "$T/toync.out" | grep -Eq "$sum_ok"; then
  echo "FAIL cosim_no_counters: $(tail -n 3 "$T/toync.out" | tr '\n' ' ')"
elif ! grep -q '^cosim: core cycles per sample 0 (forward 0, learning 0, sleep 0); per timestep 0; synaptic events per sample 0; weight writes per sample 0$' "$T/toync.out" ||
     ! grep -q '^cosim: core counted 0 samples, 0 sleep calls$' "$T/toync.out"; then
  echo "FAIL cosim_no_counters: the counters of PerfCounters = 0 count: $(grep -m1 'cycles per sample' "$T/toync.out")"
else
  echo "PASS cosim_no_counters (PerfCounters = 0: the same values, the counters read 0)"
fi
if ! tail -n 1 "$T/toymin.out" | grep -Eq "$sum_ok"; then
  echo "FAIL cosim_min_counters: $(tail -n 3 "$T/toymin.out" | tr '\n' ' ')"
elif [ -z "$(cyc "$T/toy.out")" ] || [ "$(cyc "$T/toymin.out")" != "$(cyc "$T/toy.out")" ]; then
  echo "FAIL cosim_min_counters: cycles per sample $(cyc "$T/toymin.out"), all counters: $(cyc "$T/toy.out")"
elif ! grep -q '(forward 0, learning 0, sleep 0); per timestep 0; synaptic events per sample 0; weight writes per sample 0$' "$T/toymin.out" ||
     ! grep -q '^cosim: core counted 8 samples, 0 sleep calls$' "$T/toymin.out"; then
  echo "FAIL cosim_min_counters: a counter other than cycles and samples counts: $(grep -m1 'cycles per sample' "$T/toymin.out") $(grep -m1 'core counted' "$T/toymin.out")"
else
  echo "PASS cosim_min_counters (PerfCounters = 2: the same values and cycles, the other counters read 0)"
fi

# X and reset randomisation must not change a single compared value
"$cosim" --net tests/cosim/nets/tiny-replay.json --samples 5 --quiet +verilator+rand+reset+2 +verilator+seed+11 > "$T/rr.out" 2>&1
"$cosim" --net tests/cosim/nets/tiny-replay.json --samples 5 --quiet > "$T/r0.out" 2>&1
if [ "$(tail -n 2 "$T/rr.out")" = "$(tail -n 2 "$T/r0.out")" ] && tail -n 1 "$T/rr.out" | grep -q ', 0 mismatches$'; then
  echo "PASS cosim_rand_reset"
else
  echo "FAIL cosim_rand_reset: results differ under +verilator+rand+reset+2"
fi

# outside the envelope: refused with the reason
if "$cosim" --net nets/tiny.json --samples 1 > "$T/env.out" 2>&1; then
  echo "FAIL cosim_envelope: trace-mode description accepted"
elif grep -q 'outside the RTL core.s envelope: learning.mode must be "replay"' "$T/env.out"; then
  echo "PASS cosim_envelope"
else
  echo "FAIL cosim_envelope: $(cat "$T/env.out")"
fi

# a rule the core does not implement: refused with the reason
if "$cosim" --net nets/rules/ssnn-bp-784-100-10.json --samples 1 > "$T/rule.out" 2>&1; then
  echo "FAIL cosim_envelope_rule: an ssnn-bp description was accepted"
elif grep -q 'outside the RTL core.s envelope: rule must be "biograd"' "$T/rule.out"; then
  echo "PASS cosim_envelope_rule"
else
  echo "FAIL cosim_envelope_rule: $(cat "$T/rule.out")"
fi

# a planted bug must be caught and localised
mkdir -p "$T/rtl"
cp rtl/*.sv rtl/*.svh "$T/rtl/"
# flip the top bit of the weight update's stochastic-rounding threshold (bg_update_unit.sv)
sed -i 's/inc = rem \&\& word < frac;/inc = rem \&\& word < (frac ^ 32'"'"'h80000000);/' "$T/rtl/bg_update_unit.sv"
if cmp -s rtl/bg_update_unit.sv "$T/rtl/bg_update_unit.sv"; then
  echo "FAIL cosim_catches_bug: the bug could not be planted"
else
  rm -f build/cosim/fail-tiny-replay.json.fst
  BG_RTL="$T/rtl" "$cosim" --net tests/cosim/nets/tiny-replay.json --samples 12 --quiet > "$T/bug.out" 2>&1
  rc=$?
  if [ $rc -eq 1 ] && grep -Eq '^cosim: FIRST DIVERGENCE at sample [0-9]+, step end, phase update, layer [0-9]+, neuron [0-9]+, field (W \(synapse [0-9]+ -> [0-9]+\)|b): expected -?[0-9]+, got -?[0-9]+$' "$T/bug.out" &&
     grep -q 'waveform of the failing run: build/cosim/fail-tiny-replay.json.fst' "$T/bug.out" &&
     [ -s build/cosim/fail-tiny-replay.json.fst ]; then
    echo "PASS cosim_catches_bug ($(grep 'FIRST DIVERGENCE' "$T/bug.out" | cut -c8-))"
  else
    echo "FAIL cosim_catches_bug: rc $rc: $(head -c 600 "$T/bug.out")"
  fi
fi
