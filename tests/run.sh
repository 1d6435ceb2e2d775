#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The one test runner for every tier.
#
# Usage: tests/run.sh LIST [FILTER]
#   LIST   a manifest: one test per line, `name timeout_seconds command...`; `#` starts a comment.
#   FILTER optional substring: only tests whose name contains it run.
#
# Each command runs from the repository root under `timeout`, with its output kept in
# build/test-logs/<name>.log. A command may print its own result lines (`PASS x`, `FAIL x: why`,
# `SKIP x: why`); each counts as one result. A command that prints none counts as one result
# from its exit code (0 pass, 77 skip, anything else fail). A non-zero exit without a FAIL line,
# or a timeout, adds a FAIL for the command itself. The last line is exactly
# `N passed, N failed, N skipped`; the exit status is non-zero when anything failed or nothing ran.
set -u

list=${1:?usage: tests/run.sh LIST [FILTER]}
filter=${2:-}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root" || exit 2
logdir=build/test-logs
mkdir -p "$logdir"

[[ -r "$list" ]] || { echo "run.sh: cannot read test list '$list'" >&2; exit 2; }

passed=0 failed=0 skipped=0
while IFS= read -r line || [[ -n "$line" ]]; do
  line=${line%%#*}
  [[ -z "${line//[[:space:]]/}" ]] && continue
  read -r name tmo cmd <<<"$line"
  if [[ -z "${cmd:-}" || ! "$tmo" =~ ^[0-9]+$ ]]; then
    echo "FAIL $list: malformed line '$line' (expected: name timeout_seconds command)"
    failed=$((failed + 1))
    continue
  fi
  [[ -n "$filter" && "$name" != *"$filter"* ]] && continue
  log="$logdir/$name.log"
  start=$(date +%s)
  timeout -k 5 "$tmo" bash -c "$cmd" </dev/null >"$log" 2>&1
  rc=$?
  secs=$(( $(date +%s) - start ))
  np=$(grep -c '^PASS ' "$log")
  nf=$(grep -c '^FAIL ' "$log")
  ns=$(grep -c '^SKIP ' "$log")
  grep -E '^(PASS|FAIL|SKIP) ' "$log"
  passed=$((passed + np)) failed=$((failed + nf)) skipped=$((skipped + ns))
  if [[ $rc -eq 124 || $rc -eq 137 ]]; then
    echo "FAIL $name: timed out after ${tmo}s (log: $log)"
    failed=$((failed + 1))
  elif [[ $rc -ne 0 && $rc -ne 77 && $nf -eq 0 ]]; then
    echo "FAIL $name: exit status $rc (log: $log)"
    failed=$((failed + 1))
  elif [[ $((np + nf + ns)) -eq 0 ]]; then
    if [[ $rc -eq 0 ]]; then
      echo "PASS $name (${secs}s)"; passed=$((passed + 1))
    else
      echo "SKIP $name: $(tail -n 1 "$log")"; skipped=$((skipped + 1))
    fi
  fi
  if [[ $rc -ne 0 && $rc -ne 77 ]]; then
    echo "---- last lines of $log ----"
    tail -n 15 "$log" | sed 's/^\(PASS\|FAIL\|SKIP\) /  \1 /'
    echo "----"
  fi
done <"$list"

echo "$passed passed, $failed failed, $skipped skipped"
[[ $failed -eq 0 && $((passed + failed)) -gt 0 ]]
