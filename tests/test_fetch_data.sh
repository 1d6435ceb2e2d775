#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/fetch-data.sh against local package tarballs (BG_MNIST_TGZ) in a temporary data
# directory (BG_DATA_DIR): a corrupt package must fail naming the file and the MD5 mismatch and
# install nothing; a corrupt file already in place must be reported and removed or replaced;
# --verify must fetch nothing. Cases that need the real MNIST files (data/mnist, fetched by
# `make test` first) print SKIP without them. Prints one PASS/FAIL/SKIP line per case.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root" || exit 2
fetch=scripts/fetch-data.sh
real=${BG_REAL_DATA_DIR:-data}/mnist
files=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte
       t10k-labels-idx1-ubyte)

work=$(mktemp -d "${TMPDIR:-/tmp}/bg-fetch-test.XXXXXX") || {
  echo "FAIL fetch_setup: mktemp"; exit 1; }
trap 'rm -rf -- "$work"' EXIT
failures=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $(tr "\n" " " <<< "$2")"; failures=$((failures + 1)); }

have_real=0
# (Output captured first: with pipefail, grep -q closing the pipe early would fail the writer.)
if grep -q '^mnist: ok' <<<"$(BG_DATA_DIR=${real%/mnist} bash "$fetch" --verify 2>/dev/null)"; then
  have_real=1
fi

# Change the byte at offset $2 of file $1 to a different value.
flip_byte() {
  local v
  v=$(od -An -tu1 -j "$2" -N 1 -- "$1" | tr -d ' ')
  printf '%b' "\\x$(printf %02x $(((v + 1) % 256)))" |
    dd of="$1" bs=1 seek="$2" conv=notrunc status=none
}

# A package tarball in npm's layout (package/data/<file>), from the files in directory $1.
make_tgz() {
  local src=$1 out=$2 f
  rm -rf -- "$work/pkg" && mkdir -p "$work/pkg/package/data"
  for f in "${files[@]}"; do cp -- "$src/$f" "$work/pkg/package/data/$f" || return 1; done
  tar -czf "$out" -C "$work/pkg" package
}

# Files (not directories) left under the data dir's mnist/ and any temporary directory.
leftovers() {
  local d=$1
  { find "$d/mnist" -mindepth 1 2>/dev/null
    find "$d" -maxdepth 1 -name '.fetch-*' 2>/dev/null; } | sort
}

# 1. A corrupt package: one file with one flipped byte (or all four fake, without real data).
case_corrupt_tarball() {
  local name=fetch_corrupt_tarball src=$work/src1 d=$work/d1 out rc bad=t10k-labels-idx1-ubyte
  mkdir -p "$src" "$d"
  if [[ $have_real -eq 1 ]]; then
    cp -- "${files[@]/#/$real/}" "$src/"
    flip_byte "$src/$bad" 100
  else
    for f in "${files[@]}"; do printf 'not an idx file\n' >"$src/$f"; done
    bad=train-images-idx3-ubyte
  fi
  make_tgz "$src" "$work/corrupt.tgz" || { fail $name "cannot build the tarball"; return; }
  out=$(BG_DATA_DIR=$d BG_MNIST_TGZ=$work/corrupt.tgz bash "$fetch" 2>&1); rc=$?
  if [[ $rc -eq 0 ]]; then fail $name "exit 0 with a corrupt package"; return; fi
  if ! grep -q "$bad.*MD5 mismatch: expected [0-9a-f]\{32\}, found [0-9a-f]\{32\}" <<<"$out"; then
    fail $name "no MD5 mismatch message naming $bad in: $(tr '\n' '|' <<<"$out")"; return
  fi
  if [[ $have_real -eq 1 ]] && grep -q "train-images-idx3-ubyte.*MD5 mismatch" <<<"$out"; then
    fail $name "a good file was reported as corrupt: $(tr '\n' '|' <<<"$out")"; return
  fi
  if ! grep -q "^mnist: FAILED" <<<"$out"; then fail $name "no FAILED line"; return; fi
  local left; left=$(leftovers "$d")
  if [[ -n $left ]]; then fail $name "files left in place: $(tr '\n' ' ' <<<"$left")"; return; fi
  pass $name
}

# 2. Not a tarball at all.
case_not_a_tarball() {
  local name=fetch_not_a_tarball d=$work/d2 out rc
  mkdir -p "$d"
  head -c 1000 /dev/urandom >"$work/junk.tgz"
  out=$(BG_DATA_DIR=$d BG_MNIST_TGZ=$work/junk.tgz bash "$fetch" 2>&1); rc=$?
  if [[ $rc -eq 0 ]]; then fail $name "exit 0"; return; fi
  if ! grep -q "cannot extract.*junk.tgz" <<<"$out"; then
    fail $name "no extraction error naming the tarball: $(tr '\n' '|' <<<"$out")"; return
  fi
  [[ -z $(leftovers "$d") ]] || { fail $name "files left in place"; return; }
  pass $name
}

# 3. --verify on an empty data dir: fails, names what is missing, creates nothing.
case_verify_empty() {
  local name=fetch_verify_empty d=$work/d3 out rc
  mkdir -p "$d"
  out=$(BG_DATA_DIR=$d BG_MNIST_TGZ=/nonexistent bash "$fetch" --verify 2>&1); rc=$?
  if [[ $rc -eq 0 ]]; then fail $name "exit 0"; return; fi
  if ! grep -q "missing.*train-images-idx3-ubyte" <<<"$out"; then
    fail $name "no 'missing' line: $out"; return
  fi
  [[ -z $(ls -A "$d") ]] || { fail $name "created $(ls -A "$d")"; return; }
  pass $name
}

# 4. A good package after a corrupt file in place: the corrupt file is reported, replaced, and
#    a second run is a verified no-op that fetches nothing.
case_repair_corrupt_file() {
  local name=fetch_repair_corrupt_file d=$work/d4 out rc f
  if [[ $have_real -eq 0 ]]; then echo "SKIP $name: no data"; return; fi
  mkdir -p "$d/mnist"
  make_tgz "$real" "$work/good.tgz" || { fail $name "cannot build the tarball"; return; }
  cp -- "$real/train-labels-idx1-ubyte" "$d/mnist/"
  flip_byte "$d/mnist/train-labels-idx1-ubyte" 8
  out=$(BG_DATA_DIR=$d BG_MNIST_TGZ=$work/good.tgz bash "$fetch" 2>&1); rc=$?
  if [[ $rc -ne 0 ]]; then fail $name "exit $rc: $(tr '\n' '|' <<<"$out")"; return; fi
  if ! grep -q "train-labels-idx1-ubyte: MD5 mismatch" <<<"$out"; then
    fail $name "corrupt file not reported: $out"; return
  fi
  for f in "${files[@]}"; do
    cmp -s "$real/$f" "$d/mnist/$f" || { fail $name "$f not installed correctly"; return; }
  done
  if [[ -n $(find "$d" -maxdepth 1 -name '.fetch-*') ]]; then
    fail $name "temporary directory left"; return
  fi
  out=$(BG_DATA_DIR=$d BG_MNIST_TGZ=/nonexistent bash "$fetch" 2>&1); rc=$?
  if [[ $rc -ne 0 ]] || ! grep -q "^mnist: ok, 4 files MD5-verified" <<<"$out" ||
     grep -q fetched <<<"$out"; then
    fail $name "second run was not a verified no-op: $(tr '\n' '|' <<<"$out")"; return
  fi
  pass $name
}

# 5. A corrupt file in place and a corrupt package: the known-bad file does not survive.
case_corrupt_both() {
  local name=fetch_corrupt_file_and_package d=$work/d5 out rc
  mkdir -p "$d/mnist" "$work/src5"
  for f in "${files[@]}"; do printf 'junk\n' >"$work/src5/$f"; done
  make_tgz "$work/src5" "$work/junk5.tgz" || { fail $name "cannot build the tarball"; return; }
  printf 'corrupt\n' >"$d/mnist/t10k-images-idx3-ubyte"
  out=$(BG_DATA_DIR=$d BG_MNIST_TGZ=$work/junk5.tgz bash "$fetch" 2>&1); rc=$?
  if [[ $rc -eq 0 ]]; then fail $name "exit 0"; return; fi
  if ! grep -q "$d/mnist/t10k-images-idx3-ubyte: MD5 mismatch" <<<"$out"; then
    fail $name "not reported: $out"; return
  fi
  [[ -z $(leftovers "$d") ]] || { fail $name "left: $(leftovers "$d" | tr '\n' ' ')"; return; }
  pass $name
}

# 6. Fashion-MNIST: without the Debian files the script says to run setup.sh.
case_fashion_missing() {
  local name=fetch_fashion_missing d=$work/d6 out rc
  mkdir -p "$d"
  out=$(BG_DATA_DIR=$d BG_MNIST_TGZ=/nonexistent BG_FASHION_SRC=$work/no-such-dir \
        bash "$fetch" 2>&1); rc=$?
  if [[ $rc -eq 0 ]]; then fail $name "exit 0"; return; fi
  if ! grep -q "^fashion: FAILED.*no-such-dir.*run scripts/setup.sh" <<<"$out"; then
    fail $name "message: $out"; return
  fi
  pass $name
}

case_corrupt_tarball
case_not_a_tarball
case_verify_empty
case_repair_corrupt_file
case_corrupt_both
case_fashion_missing
[[ $failures -eq 0 ]]
