#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/rules_table.sh end to end on a few real MNIST/Fashion-MNIST images: every rule's shipped
# descriptions load and train on every path they have, each run leaves a report, and the table
# has one row per rule and path with every accuracy cell filled in. Bad arguments are usage errors.
set -uo pipefail
cd "$(dirname "$0")/.."
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT

rules="$(ls nets/rules/*-784-100-10.json | sed 's|nets/rules/||; s|-784-100-10.json||' | tr '\n' ' ')"
if bash scripts/rules_table.sh --rules "$rules" --epochs 1 --epochs-large 1 --train-samples 200 --test-samples 200 \
    --out "$T/out" > "$T/table.txt" 2> "$T/err.txt"; then
  rows=$(grep -c '^| [a-z-]* | \(integer\|float\) |' "$T/table.txt")
  want=$(( $(ls nets/rules/*-784-100-10.json | wc -l) * 2 - 1 ))   # bptt: float only
  if [ "$rows" -eq "$want" ] && ! grep -q 'nan\|None' "$T/table.txt" &&
     [ "$(ls "$T/out"/*.json | wc -l)" -eq $((want * 3)) ]; then
    echo "PASS rules_table_runs ($rows rows)"
  else
    echo "FAIL rules_table_runs: $rows rows (expected $want)"; cat "$T/table.txt"
  fi
  for r in biograd bptt ssnn-bp bioleaf; do
    if grep -q "^| $r | " "$T/table.txt"; then echo "PASS rules_table_row_$r"; else echo "FAIL rules_table_row_$r: missing"; fi
  done
else
  echo "FAIL rules_table_runs: $(tail -n 5 "$T/err.txt")"
fi

if bash scripts/rules_table.sh --epochs x > /dev/null 2> "$T/usage.txt"; then
  echo "FAIL rules_table_usage: a bad --epochs was accepted"
elif [ $? -eq 2 ] && grep -q "expected a non-negative integer, found 'x'" "$T/usage.txt"; then
  echo "PASS rules_table_usage"
else
  echo "FAIL rules_table_usage: $(cat "$T/usage.txt")"
fi
