#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Self-test of tests/run.sh: counting, timeouts, skips, exit status and the summary line.
set -u
T=$(mktemp -d "${TMPDIR:-/tmp}/runner.XXXXXX")
trap 'rm -rf "$T"' EXIT
check() { # name, list-file, want-summary, want-exit
  out=$(bash tests/run.sh "$2" 2>&1); rc=$?
  last=$(printf '%s\n' "$out" | tail -n 1)
  if [[ "$last" == "$3" && ( ( $4 -eq 0 && $rc -eq 0 ) || ( $4 -ne 0 && $rc -ne 0 ) ) ]]; then
    echo "PASS $1"
  else
    echo "FAIL $1: summary '$last' exit $rc, want '$3' exit $4"
  fi
}
cat >"$T/mixed.list" <<'L'
# comment line
ok_plain     5  true
multi        5  printf 'PASS a\nPASS b\nSKIP c: no data\n'
bad_exit     5  exit 3
bad_line     5  printf 'PASS x\nFAIL y: wrong\n'; exit 1
skip_exit    5  echo "nothing to do"; exit 77
slow         1  sleep 5
L
check runner_counts_and_timeouts "$T/mixed.list" "4 passed, 3 failed, 2 skipped" 1
printf 'a 5 true\nb 5 printf "PASS b1\\n"\n' >"$T/good.list"
check runner_all_pass "$T/good.list" "2 passed, 0 failed, 0 skipped" 0
printf '# only comments\n' >"$T/empty.list"
check runner_nothing_ran_fails "$T/empty.list" "0 passed, 0 failed, 0 skipped" 1
printf 'broken_line_without_command\n' >"$T/malformed.list"
check runner_malformed_line "$T/malformed.list" "0 passed, 1 failed, 0 skipped" 1
