#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The bgdata CLI: --help, argument errors, a synthetic N-MNIST tree (good and corrupt), a data
# dir without MNIST, and (when data/ has it) the real MNIST summary. One PASS/FAIL/SKIP line
# per case; the binary is $BG_BUILD/bin/bgdata.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root" || exit 2
bin=${BG_BUILD:-build}/bin/bgdata
[[ -x $bin ]] || { echo "FAIL bgdata_cli: $bin not built"; exit 1; }
work=$(mktemp -d "${TMPDIR:-/tmp}/bg-bgdata-test.XXXXXX") || {
  echo "FAIL bgdata_cli: mktemp"; exit 1; }
trap 'rm -rf -- "$work"' EXIT
failures=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $(tr "\n" " " <<< "$2")"; failures=$((failures + 1)); }

# run CMD...: sets $out (stdout), $errout (stderr), $rc.
run() { out=$("$@" 2>"$work/stderr"); rc=$?; errout=$(cat "$work/stderr"); }

run "$bin" --help
if [[ $rc -eq 0 ]] && grep -q "usage: bgdata check mnist|fashion|nmnist:DIR" <<<"$out"; then
  pass bgdata_help
else fail bgdata_help "rc $rc, output: $out"; fi

run "$bin" check cifar
if [[ $rc -eq 1 && -z $out ]] && grep -q "unknown dataset 'cifar'" <<<"$errout"; then
  pass bgdata_bad_dataset
else fail bgdata_bad_dataset "rc $rc, stderr: $errout"; fi

run "$bin" frobnicate
if [[ $rc -eq 1 ]] && grep -q "usage:" <<<"$errout"; then pass bgdata_bad_command
else fail bgdata_bad_command "rc $rc, stderr: $errout"; fi

run "$bin" check mnist --data-dir "$work/empty"
if [[ $rc -eq 1 ]] && grep -q "$work/empty/mnist/train-images-idx3-ubyte" <<<"$errout"; then
  pass bgdata_missing_data
else fail bgdata_missing_data "rc $rc, stderr: $errout"; fi

# Synthetic N-MNIST: Train has 1 sample per digit (digit d has d+1 events), Test 2 of digit 4.
nm=$work/nmnist
for s in Train Test; do for d in 0 1 2 3 4 5 6 7 8 9; do mkdir -p "$nm/$s/$d"; done; done
for d in 0 1 2 3 4 5 6 7 8 9; do
  : >"$nm/Train/$d/00001.bin"
  for ((k = 0; k <= d; k++)); do printf '\x01\x02\x80\x00\x10' >>"$nm/Train/$d/00001.bin"; done
done
printf '\x01\x02\x80\x00\x10\x21\x21\x00\x00\x00' >"$nm/Test/4/a.bin"
printf '\x00\x00\x00\x00\x00' >"$nm/Test/4/b.bin"
run "$bin" check "nmnist:$nm"
if [[ $rc -eq 0 ]] &&
   grep -q "^nmnist train: 10 samples, 34x34x2, labels 0:1 1:1 .* 9:1, mean events/sample 5.5" \
     <<<"$out" &&
   grep -q "^nmnist test: 2 samples, .* 4:2 .*mean events/sample 1.5" <<<"$out"; then
  pass bgdata_nmnist
else fail bgdata_nmnist "rc $rc, stdout: $out, stderr: $errout"; fi

printf '\x01\x02\x80\x00' >>"$nm/Test/4/b.bin" # 9 bytes: truncated second event
run "$bin" check "nmnist:$nm"
if [[ $rc -eq 1 ]] && grep -q "Test/4/b.bin: truncated event at offset 5" <<<"$errout"; then
  pass bgdata_nmnist_corrupt
else fail bgdata_nmnist_corrupt "rc $rc, stderr: $errout"; fi

if grep -q '^mnist: ok' <<<"$(bash scripts/fetch-data.sh --verify 2>/dev/null)"; then
  run "$bin" check mnist
  if [[ $rc -eq 0 ]] &&
     grep -q "^mnist train: 60000 samples, 28x28, labels 0:5923 .*mean pixel 33.318" <<<"$out" &&
     grep -q "^mnist test: 10000 samples, 28x28, labels 0:980 " <<<"$out"; then
    pass bgdata_mnist
  else fail bgdata_mnist "rc $rc, stdout: $out, stderr: $errout"; fi
else
  echo "SKIP bgdata_mnist: no data"
fi
[[ $failures -eq 0 ]]
