#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bgnet CLI: check/dump/gen behave, generated headers are deterministic, and the C, HLS and
# SystemVerilog outputs carry exactly the constants the library derived (checked by compiling
# and running each one: gcc/clang for C and HLS, Icarus and Verilator for the package, Yosys
# for synthesis parsing).
set -u
B=${BG_BUILD:-build}
BGNET=$B/bin/bgnet
T=$(mktemp -d "${TMPDIR:-/tmp}/bgnet-cli.XXXXXX")
trap 'rm -rf "$T"' EXIT
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $(tr "\n" " " <<< "$2")"; }

# check: every shipped net validates; a bad one names file and JSON path on stderr, exit 1.
if $BGNET check nets/*.json >"$T/check.out" 2>&1 && grep -q 'tiny.json: ok' "$T/check.out"; then
  pass bgnet_check_shipped_nets
else
  fail bgnet_check_shipped_nets "$(head -n 5 "$T/check.out")"
fi
cat >"$T/bad.json" <<'JSON'
{"format": "biograd-net/1", "name": "bad",
 "layers": [{"size": 16}, {"size": 8, "neuron": {"threshold": "high"}}, {"size": 4}]}
JSON
$BGNET check "$T/bad.json" >"$T/bad.out" 2>"$T/bad.err"
rc=$?
if [[ $rc -eq 1 ]] && grep -q "$T/bad.json: layers\[1\].neuron.threshold: expected a number" \
    "$T/bad.err" && [[ ! -s "$T/bad.out" ]]; then
  pass bgnet_check_rejects_with_path
else
  fail bgnet_check_rejects_with_path "rc=$rc stderr: $(cat "$T/bad.err")"
fi
$BGNET frobnicate >/dev/null 2>&1; rc1=$?
$BGNET gen rust nets/tiny.json -o "$T/x" >/dev/null 2>&1; rc2=$?
if [[ $rc1 -eq 2 && $rc2 -eq 2 ]]; then pass bgnet_usage_errors; else
  fail bgnet_usage_errors "unknown command exit $rc1, unknown generator exit $rc2 (want 2)"; fi

# dump: canonical form is a fixed point and loads back.
ok=1
for n in nets/*.json; do
  $BGNET dump "$n" >"$T/d1.json" && $BGNET dump "$T/d1.json" >"$T/d2.json" \
    && cmp -s "$T/d1.json" "$T/d2.json" || { ok=0; fail bgnet_dump_fixed_point "$n"; break; }
done
[[ $ok -eq 1 ]] && pass bgnet_dump_fixed_point

# gen: byte-identical across runs and across output directories.
ok=1
for n in nets/*.json; do
  for k in c verilog hls; do
    $BGNET gen $k "$n" -o "$T/g1" >/dev/null && $BGNET gen $k "$n" -o "$T/g2/deeper" >/dev/null \
      || { ok=0; fail bgnet_gen_deterministic "gen $k $n failed"; break 2; }
  done
  for f in bg_cfg.h bg_hls_cfg.h bg_cfg_pkg.sv; do
    cmp -s "$T/g1/$f" "$T/g2/deeper/$f" || { ok=0; fail bgnet_gen_deterministic "$n: $f differs"; break 2; }
  done
  grep -q 'Do not edit' "$T/g1/bg_cfg.h" || { ok=0; fail bgnet_gen_deterministic "no banner"; break; }
  if grep -Eq '20[0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9]:[0-9][0-9]:[0-9][0-9]' "$T/g1"/*; then
    ok=0; fail bgnet_gen_deterministic "$n: a generated file carries a timestamp"; break
  fi
done
[[ $ok -eq 1 ]] && pass bgnet_gen_deterministic

# Cross-tier: each generated header, compiled and run, prints exactly `bgnet consts`.
for n in nets/tiny.json nets/mnist-fpga.json nets/mnist-full.json; do
  name=$(basename "$n" .json)
  G="$T/gen-$name"
  for k in c verilog hls; do $BGNET gen $k "$n" -o "$G" >/dev/null; done
  $BGNET consts "$n" >"$G/want.txt"
  # C and HLS: a program printing every constant by name.
  for flavour in c hls; do
    if [[ $flavour == c ]]; then hdr=bg_cfg.h; pre=BG_CFG_; else hdr=bg_hls_cfg.h; pre=BG_HLS_; fi
    {
      echo "#include <stdio.h>"; echo "#include \"$hdr\""; echo "int main(void) {"
      while read -r cname _; do
        echo "  printf(\"%s %lld\\n\", \"$cname\", (long long)($pre$cname));"
      done <"$G/want.txt"
      echo "  return 0;"; echo "}"
    } >"$G/print_$flavour.c"
    for cc in gcc clang; do
      if $cc -std=c11 -Wall -Wextra -Werror -pedantic -I"$G" "$G/print_$flavour.c" \
          -o "$G/print_$flavour" 2>"$G/cc.err" && "$G/print_$flavour" >"$G/got_$flavour.txt" \
          && cmp -s "$G/want.txt" "$G/got_$flavour.txt"; then
        pass "gen_${flavour}_${cc}_matches_library_$name"
      else
        fail "gen_${flavour}_${cc}_matches_library_$name" \
          "$(head -n 3 "$G/cc.err") $(diff "$G/want.txt" "$G/got_$flavour.txt" 2>&1 | head -n 4)"
      fi
    done
  done
  # SystemVerilog: a testbench that $displays every parameter, under Icarus and Verilator.
  {
    echo "module tb_cfg;"; echo "  initial begin"
    while read -r cname _; do
      camel=$(echo "$cname" | awk -F_ '{s=""; for(i=1;i<=NF;i++){w=tolower($i); s=s toupper(substr(w,1,1)) substr(w,2)} print s}')
      echo "    \$display(\"$cname %0d\", bg_cfg_pkg::$camel);"
    done <"$G/want.txt"
    # the packed per-layer tables and the LUT table hold the same values (0 past the end)
    awk '$1 ~ /^L[0-9]+_/ { i = index($1, "_"); print substr($1, i + 1) }' "$G/want.txt" | sort -u |
      while read -r rest; do
        camel=$(echo "$rest" | awk -F_ '{s=""; for(i=1;i<=NF;i++){w=tolower($i); s=s toupper(substr(w,1,1)) substr(w,2)} print s}')
        for l in 0 1 2 3 4 5 6 7; do
          echo "    \$display(\"TAB $rest $l %0d\", bg_cfg_pkg::${camel}Tab[32*$l +: 32]);"
        done
      done
    for n in $(seq 0 63); do
      echo "    \$display(\"LUT $n %0d\", bg_cfg_pkg::SoftmaxLutTab[32*$n +: 32]);"
    done
    echo "    \$finish;"; echo "  end"; echo "endmodule"
  } >"$G/tb_cfg.sv"
  cp "$G/want.txt" "$G/want_c.txt"
  {
    cat "$G/want_c.txt"
    awk '$1 ~ /^L[0-9]+_/ { i = index($1, "_"); print substr($1, i + 1) }' "$G/want_c.txt" | sort -u |
      while read -r rest; do
        for l in 0 1 2 3 4 5 6 7; do
          v=$(awk -v k="L${l}_$rest" '$1 == k { print $2 }' "$G/want_c.txt")
          echo "TAB $rest $l ${v:-0}"
        done
      done
    for n in $(seq 0 63); do
      v=$(awk -v k="SOFTMAX_LUT_$n" '$1 == k { print $2 }' "$G/want_c.txt")
      echo "LUT $n ${v:-0}"
    done
  } >"$G/want_sv.txt"
  if iverilog -g2012 -o "$G/tb.vvp" "$G/bg_cfg_pkg.sv" "$G/tb_cfg.sv" 2>"$G/iv.err" \
      && vvp -n "$G/tb.vvp" | grep -v '^\$finish\|finish called' >"$G/got_iv.txt" \
      && cmp -s "$G/want_sv.txt" "$G/got_iv.txt"; then
    pass "gen_verilog_icarus_matches_library_$name"
  else
    fail "gen_verilog_icarus_matches_library_$name" \
      "$(head -n 3 "$G/iv.err") $(diff "$G/want_sv.txt" "$G/got_iv.txt" 2>&1 | head -n 4)"
  fi
  if verilator --lint-only -Wall "$G/bg_cfg_pkg.sv" "$G/tb_cfg.sv" --top-module tb_cfg \
        >"$G/vl.err" 2>&1 \
      && verilator --binary -Wno-fatal --Mdir "$G/obj" "$G/bg_cfg_pkg.sv" "$G/tb_cfg.sv" \
           --top-module tb_cfg -o tb >>"$G/vl.err" 2>&1 \
      && "$G/obj/tb" | grep -v '^- \|finish' >"$G/got_vl.txt" && cmp -s "$G/want_sv.txt" "$G/got_vl.txt"; then
    pass "gen_verilog_verilator_matches_library_$name"
  else
    fail "gen_verilog_verilator_matches_library_$name" \
      "$(grep -m3 -E 'Error|Warning' "$G/vl.err") $(diff "$G/want_sv.txt" "$G/got_vl.txt" 2>&1 | head -n 4)"
  fi
  if yosys -q -p "read_verilog -sv $G/bg_cfg_pkg.sv" >"$G/ys.err" 2>&1; then
    pass "gen_verilog_yosys_reads_$name"
  else
    fail "gen_verilog_yosys_reads_$name" "$(head -n 3 "$G/ys.err")"
  fi
done

# The complete example in docs/netdesc.md is a valid description (the doc cannot drift).
awk '/^```json/{f=1;next} /^```/{if(f){exit}} f' docs/netdesc.md >"$T/doc-example.json"
if $BGNET check "$T/doc-example.json" >"$T/doc.out" 2>&1; then
  pass netdesc_doc_example_valid
else
  fail netdesc_doc_example_valid "$(head -n 3 "$T/doc.out")"
fi

# Every key the parser accepts is documented in docs/netdesc.md (as `key`).
missing=""
keys=$(perl -0ne 'while (/keys\[\] = \{(.*?)\};/sg) { print "$1\n" }' cmodel/net/bg_net.c \
  | grep -o '"[a-z_]*"' | tr -d '"' | sort -u)
[[ $(echo "$keys" | wc -w) -gt 40 ]] || fail netdesc_every_key_documented "found only: $keys"
for key in $keys; do
  grep -q "\`$key\`" docs/netdesc.md || missing="$missing $key"
done
if [[ -z "$missing" ]]; then pass netdesc_every_key_documented; else
  fail netdesc_every_key_documented "not in docs/netdesc.md:$missing"; fi
