#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The seed rules side by side (docs/rules.md, "Results"): every rule on MNIST with 784-100-10 and
# 784-500-100-10, and on Fashion-MNIST with 784-100-10, on every path it has, from the shipped
# descriptions nets/rules/<rule>-<arch>.json (same sizes, T, seed and input for every rule). Each
# run is one `bgtrain --report`; the table is assembled from those reports.
#
# usage: scripts/rules_table.sh [--epochs E] [--epochs-large E] [--train-samples N]
#                               [--test-samples N] [--jobs J] [--out DIR] [--rules "r1 r2"]
# Writes DIR/<rule>-<setting>-<path>.json (reports), DIR/table.md, and prints the table.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

epochs=5; epochs_large=3; train=0; test=0; jobs=2; out=build/rules
rules="biograd bptt ssnn-bp bioleaf"
usage() { sed -n '7,9p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --epochs) epochs="${2:?}"; shift 2 ;;
    --epochs-large) epochs_large="${2:?}"; shift 2 ;;
    --train-samples) train="${2:?}"; shift 2 ;;
    --test-samples) test="${2:?}"; shift 2 ;;
    --jobs) jobs="${2:?}"; shift 2 ;;
    --out) out="${2:?}"; shift 2 ;;
    --rules) rules="${2:?}"; shift 2 ;;
    -h|--help) usage ;;
    *) echo "rules_table: unknown argument '$1'" >&2; usage ;;
  esac
done
for v in "$epochs" "$epochs_large" "$train" "$test" "$jobs"; do
  [[ "$v" =~ ^[0-9]+$ ]] || { echo "rules_table: expected a non-negative integer, found '$v'" >&2; exit 2; }
done

[ -x build/bin/bgtrain ] || make --no-print-directory all > /dev/null
mkdir -p "$out"

# one line per run: rule setting path net data epochs
plan="$out/plan.txt"
: > "$plan"
for rule in $rules; do
  paths="integer float"
  [ "$rule" = bptt ] && paths="float"
  for p in $paths; do
    echo "$rule mnist-small $p nets/rules/$rule-784-100-10.json mnist $epochs" >> "$plan"
    echo "$rule mnist-large $p nets/rules/$rule-784-500-100-10.json mnist $epochs_large" >> "$plan"
    echo "$rule fashion-small $p nets/rules/$rule-784-100-10.json fashion $epochs" >> "$plan"
  done
done
while read -r rule setting path net data ep; do
  [ -f "$net" ] || { echo "rules_table: $net: missing (every rule ships one per architecture)" >&2; exit 1; }
done < "$plan"

run_one() {
  local rule=$1 setting=$2 path=$3 net=$4 data=$5 ep=$6
  local rep="$out/$rule-$setting-$path.json" log="$out/$rule-$setting-$path.log"
  local args=(--net "$net" --data "$data" --epochs "$ep" --report "$rep" --quiet)
  [ "$path" = float ] && args+=(--float)
  [ "$train" != 0 ] && args+=(--train-samples "$train")
  [ "$test" != 0 ] && args+=(--test-samples "$test" --val-samples "$test")
  if build/bin/bgtrain "${args[@]}" > "$log" 2>&1; then
    echo "rules_table: done $rule $setting $path"
  else
    echo "rules_table: FAILED $rule $setting $path (see $log)" >&2
    return 1
  fi
}
export -f run_one
export out train test
status=0
xargs -P "$jobs" -L 1 bash -c 'run_one "$@"' _ < "$plan" || status=1
[ "$status" = 0 ] || { echo "rules_table: some runs failed" >&2; exit 1; }

python3 scripts/rules_table_report.py "$plan" "$out" > "$out/table.md"
cat "$out/table.md"
