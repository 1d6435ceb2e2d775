#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The HLS subset checker passes on the kernels and fails on each planted violation.
set -u
cd "$(dirname "$0")/.."
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
if out=$(bash scripts/hls_check.sh 2>&1); then echo "PASS hls_check_kernels"; else echo "FAIL hls_check_kernels: $out"; fi
plant() {   # $1 name, $2 expected message, $3 C code appended to a copy of the kernel
  cp hls/bg_hls_infer.c "$T/$1.c"
  printf '%s\n' "$3" >> "$T/$1.c"
  if out=$(bash scripts/hls_check.sh "$T/$1.c" 2>&1); then
    echo "FAIL hls_check_catches_$1: accepted"
  elif echo "$out" | grep -q "$2"; then
    echo "PASS hls_check_catches_$1"
  else
    echo "FAIL hls_check_catches_$1: $out"
  fi
}
plant malloc "allocation, I/O or libraries" '#include <stdlib.h>
int32_t *planted(int32_t n) { return (int32_t *)malloc((size_t)n * sizeof(int32_t)); }'
plant recursion "recursion" 'int32_t planted(int32_t n) { return n <= 0 ? 0 : 1 + planted(n - 1); }'
plant vla "vla" 'int32_t planted(int32_t n) { int32_t a[n]; a[0] = n; return a[0]; }'
plant float "floating point" 'int32_t planted(int32_t n) { double x = n; return (int32_t)(x * 2); }'
plant fptr "function pointer" 'int32_t planted(int32_t (*f)(int32_t), int32_t n) { return f(n); }'
plant pragma "allow-list" 'int32_t planted(int32_t n) {
#pragma omp parallel
  return n;
}'
plant printf "allocation, I/O or libraries" '#include <stdio.h>
int32_t planted(int32_t n) { printf("%d", n); return n; }'
