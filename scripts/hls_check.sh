#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The HLS subset checker (docs/hls.md): every kernel source must build warning-free with gcc and
# clang against a generated bg_hls_cfg.h and stay inside the Vitis HLS C subset:
#   no VLAs (-Werror=vla), no recursion (cycles in gcc's -fcallgraph-info call graph), no
#   undefined symbols but memcpy/memset (`nm -u`: no malloc/free, no I/O, no libm), no floating
#   point or function pointers (token scan of the comment-stripped source), and only allow-listed
#   `#pragma HLS` directives.
# Usage: scripts/hls_check.sh [--net NET] [FILE.c ...]   (default: hls/*.c, nets/mnist-fpga.json)
set -u
cd "$(dirname "$0")/.."
net=nets/mnist-fpga.json
files=()
while [ $# -gt 0 ]; do
  case "$1" in
    --net) net=$2; shift 2 ;;
    *) files+=("$1"); shift ;;
  esac
done
[ ${#files[@]} -gt 0 ] || files=(hls/*.c)
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
"${BG_BUILD:-build}/bin/bgnet" gen hls "$net" -o "$T/gen" > /dev/null || { echo "hls_check: cannot generate the header for $net"; exit 2; }
ALLOWED_PRAGMAS="PIPELINE UNROLL ARRAY_PARTITION INTERFACE LOOP_TRIPCOUNT INLINE DATAFLOW BIND_STORAGE"
bad=0
fail() { echo "hls_check: $1: $2"; bad=1; }
for f in "${files[@]}"; do
  base=$(basename "$f" .c)
  for cc in gcc clang; do
    # HLS loop labels and #pragma HLS are expected; everything else is an error
    if ! $cc -std=c11 -O2 -Wall -Wextra -Werror -Werror=vla -Wno-unknown-pragmas -Wno-unused-label \
         -I"$T/gen" -Ihls -c "$f" -o "$T/$base.$cc.o" 2> "$T/$base.$cc.err"; then
      fail "$f" "$cc: $(grep -m2 -E 'error|warning' "$T/$base.$cc.err" | tr '\n' ' ')"
    fi
  done
  [ -f "$T/$base.gcc.o" ] || continue
  # undefined symbols: only what a compiler may emit for array copies
  und=$(nm -u "$T/$base.gcc.o" | awk '{print $2}' | grep -v -E '^(memcpy|memset)$' | tr '\n' ' ')
  [ -z "$und" ] || fail "$f" "calls outside the kernel subset (allocation, I/O or libraries): $und"
  # recursion: a cycle in the call graph
  abs=$(realpath "$f")
  (cd "$T" && gcc -std=c11 -O0 -Wno-unknown-pragmas -I"$T/gen" -I"$OLDPWD/hls" -fcallgraph-info \
     -c "$abs" -o "$T/$base.cg.o" 2> /dev/null)
  ci=$(ls "$T"/*.ci 2> /dev/null | head -n 1)
  if [ -n "$ci" ]; then
    cyc=$(python3 - "$ci" <<'PY'
import re, sys
edges = {}
for m in re.finditer(r'edge:\s*\{\s*sourcename:\s*"([^"]+)"\s*targetname:\s*"([^"]+)"', open(sys.argv[1]).read()):
    edges.setdefault(m.group(1), set()).add(m.group(2))
state = {}
def dfs(u, path):
    state[u] = 1
    for v in edges.get(u, ()):
        if state.get(v) == 1:
            return path + [v]
        if v not in state:
            c = dfs(v, path + [v])
            if c:
                return c
    state[u] = 2
    return None
for u in list(edges):
    if u not in state:
        c = dfs(u, [u])
        if c:
            print(" -> ".join(c)); break
PY
)
    [ -z "$cyc" ] || fail "$f" "recursion: $cyc"
    rm -f "$T"/*.ci
  fi
  # tokens: floating point and function pointers (comments and strings stripped)
  src=$(sed -e 's://.*$::' "$f" | perl -0pe 's:/\*.*?\*/::gs; s/"(\\.|[^"\\])*"/""/g')
  echo "$src" | grep -n -E '\b(float|double)\b' > "$T/fp" && fail "$f" "floating point: $(head -n 1 "$T/fp")"
  echo "$src" | grep -n -E '\(\s*\*\s*[A-Za-z_][A-Za-z0-9_]*\s*\)\s*\(' > "$T/fptr" && fail "$f" "function pointer: $(head -n 1 "$T/fptr")"
  # pragmas: only #pragma HLS with an allowed directive
  while IFS= read -r line; do
    d=$(echo "$line" | awk '{print $3}')
    if [ "$(echo "$line" | awk '{print $2}')" != "HLS" ] || ! echo " $ALLOWED_PRAGMAS " | grep -q " $d "; then
      fail "$f" "pragma not in the allow-list ($ALLOWED_PRAGMAS): $line"
    fi
  done < <(echo "$src" | grep -E '^\s*#\s*pragma' | sed 's/^\s*#\s*pragma/#pragma/')
done
if [ $bad -eq 0 ]; then
  echo "hls_check: ${#files[@]} file(s) inside the HLS subset (gcc and clang warning-free, no VLA, recursion, allocation, I/O, floating point or function pointers; pragmas allow-listed)"
fi
exit $bad
