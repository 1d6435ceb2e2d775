#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Run one libFuzzer target for a bounded time, after replaying its regression inputs.
# Usage: scripts/fuzz.sh TARGET SECONDS     (TARGET: netdesc, idx, nmnist, ...)
#   binary      build/fuzz/fuzz_TARGET (make fuzz)
#   seeds       tests/fuzz/corpus/TARGET/    (checked in, small)
#   regressions tests/fuzz/regress/TARGET/   (every input that ever crashed; replayed first)
#   dictionary  tests/fuzz/TARGET.dict       (optional)
# The growing corpus lives in build/fuzz/corpus/TARGET; a crash lands in build/fuzz/crashes/.
# Prints one PASS/FAIL line.
set -u
target=${1:?usage: scripts/fuzz.sh TARGET SECONDS}
secs=${2:?usage: scripts/fuzz.sh TARGET SECONDS}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2
bin=build/fuzz/fuzz_$target
name=fuzz_$target
[[ -x $bin ]] || { echo "FAIL $name: $bin not built (run: make fuzz)"; exit 1; }

regress=(tests/fuzz/regress/"$target"/*)
if [[ -e ${regress[0]} ]]; then
  if ! "$bin" -runs=1 "${regress[@]}" >build/fuzz/"$name".replay.log 2>&1; then
    echo "FAIL $name: a regression input crashes again (log: build/fuzz/$name.replay.log)"
    exit 1
  fi
fi

work=build/fuzz/corpus/$target
crashes=build/fuzz/crashes/$target
mkdir -p "$work" "$crashes"
cp -n tests/fuzz/corpus/"$target"/* "$work"/ 2>/dev/null
dict=()
[[ -f tests/fuzz/$target.dict ]] && dict=(-dict=tests/fuzz/$target.dict)
log=build/fuzz/$name.log
"$bin" -max_total_time="$secs" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$crashes/" "${dict[@]}" "$work" >"$log" 2>&1
rc=$?
runs=$(grep -Eo 'Done [0-9]+ runs' "$log" | grep -Eo '[0-9]+' || echo 0)
if [[ $rc -ne 0 ]]; then
  art=$(grep -Eo "$crashes/[^ ]+" "$log" | head -n 1)
  echo "FAIL $name: crash or leak after fuzzing; input saved as ${art:-$crashes}; copy it to" \
    "tests/fuzz/regress/$target/ and fix (log: $log)"
  exit 1
fi
echo "PASS $name ($runs runs in ${secs}s, regressions: $([[ -e ${regress[0]} ]] && echo ${#regress[@]} || echo 0))"
