#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The checked-in golden vectors (tests/vectors/, written by bgvec) must be reproduced exactly by
# the golden model as built now (gcc under `make test`, clang under `make test-asan`). A change to
# the integer semantics shows here first; if it is intended, regenerate with `make vectors` and
# say why in the commit. On a mismatch the first divergent line is printed.
set -u
B=${BG_BUILD:-build}/bin
T=$(mktemp -d "${TMPDIR:-/tmp}/bg-vectors-XXXXXX")
trap 'rm -rf "$T"' EXIT
fails=0
while read -r name samples; do
  "$B/bgvec" --net "nets/$name.json" --samples "$samples" -o "$T/$name.txt" 2>"$T/err"
  if cmp -s "$T/$name.txt" "tests/vectors/$name.txt"; then
    echo "PASS vectors_$name ($samples samples)"
  else
    line=$(cmp "$T/$name.txt" "tests/vectors/$name.txt" 2>&1 | grep -o 'line [0-9]*' | cut -d' ' -f2)
    echo "FAIL vectors_$name: first divergence at line ${line:-?}: expected '$(sed -n "${line:-1}p" "tests/vectors/$name.txt" | cut -c1-120)', got '$(sed -n "${line:-1}p" "$T/$name.txt" | cut -c1-120)' $(cat "$T/err")"
    fails=$((fails + 1))
  fi
done <<'LIST'
tiny 6
small 20
LIST
exit $((fails > 0))
