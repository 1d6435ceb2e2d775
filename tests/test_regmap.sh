#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The register map (sw/regmap/regmap.json, docs/driver.md): it checks; docs/regmap.md is exactly
# what bgregmap generates (a hand edit fails here); generation is deterministic; the C header
# compiles with the description's bg_cfg.h and its table, masks, resets and accessors agree with
# the JSON read independently; the SystemVerilog package passes Verilator -Wall, Icarus and Yosys
# and its constants agree with the C header; malformed maps are refused naming the JSON path.
set -uo pipefail
cd "$(dirname "$0")/.."
B=${BG_BUILD:-build}/bin
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
MAP=sw/regmap/regmap.json
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $(tr "\n" " " <<< "$2")"; }

# 1. the shipped map checks
if "$B/bgregmap" check "$MAP" > "$T/check.out" 2>&1; then pass regmap_check
else fail regmap_check "$(head -5 "$T/check.out")"; fi

# 2. generated files: deterministic, and docs/regmap.md is current
mkdir -p "$T/g1" "$T/g2"
for k in c verilog md; do
  "$B/bgregmap" gen "$k" "$MAP" -o "$T/g1" > /dev/null && "$B/bgregmap" gen "$k" "$MAP" -o "$T/g2" > /dev/null
done
if diff -r "$T/g1" "$T/g2" > /dev/null; then pass regmap_deterministic
else fail regmap_deterministic "two runs differ"; fi
if diff -u docs/regmap.md "$T/g1/regmap.md" > "$T/doc.diff"; then pass regmap_doc_current
else fail regmap_doc_current "docs/regmap.md is not what bgregmap generates (run: $B/bgregmap gen md $MAP -o docs); $(head -12 "$T/doc.diff" | tr '\n' ' ')"; fi

# 3. the C header: the table against the JSON, accessors, resets from the description
"$B/bgnet" gen c nets/mnist-fpga.json -o "$T/g1" > /dev/null
cat > "$T/regs.c" <<'EOF'
#include <stdio.h>
#include "bg_cfg.h"
#include "bg_regs.h"
int main(void) {
  const bg_regs_desc_t *t = bg_regs_table();
  for (int k = 0; k < BG_REGS_COUNT; k++) {
    printf("%s %u %u %u %u %u %u %u %s\n", t[k].name, t[k].offset, t[k].words, t[k].rw_mask,
           t[k].ro_mask, t[k].w1c_mask, t[k].w1p_mask, t[k].reset,
           t[k].reset_from[0] ? t[k].reset_from : "-");
  }
  int bad = 0;
  bad |= bg_reg_ctrl_cmd_set(0, BG_REG_CTRL_CMD_SLEEP) != 4u;
  bad |= bg_reg_ctrl_cmd_get(0xffffffffu) != 3u;
  bad |= bg_reg_status_chk_step_get(0x00120000u) != 0x12u;
  bad |= BG_REG_NET_HASH_RESET != BG_CFG_NET_HASH;
  bad |= BG_REG_ETA_M_RESET != BG_CFG_ETA_M;
  bad |= BG_REG_CNT_CYCLES_HI != BG_REG_CNT_CYCLES + 4u;
  printf("accessors %s\n", bad ? "wrong" : "ok");
  return bad;
}
EOF
if gcc -std=c11 -Wall -Wextra -Werror -I"$T/g1" "$T/regs.c" -o "$T/regs" 2> "$T/cc.err" &&
   clang -std=c11 -Wall -Wextra -Werror -I"$T/g1" "$T/regs.c" -o "$T/regs-clang" 2>> "$T/cc.err" &&
   "$T/regs" > "$T/regs.out"; then
  if python3 - "$MAP" "$T/regs.out" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
rows = [l.split() for l in open(sys.argv[2]) if not l.startswith("accessors")]
assert len(rows) == len(m["registers"]), (len(rows), len(m["registers"]))
acc_col = {"rw": 3, "ro": 4, "w1c": 5, "w1p": 6}
for reg, row in zip(m["registers"], rows):
    assert row[0] == reg["name"], (row, reg["name"])
    assert int(row[1]) == int(reg["offset"], 0), reg["name"]
    assert int(row[2]) == reg.get("words", 1), reg["name"]
    masks = {k: 0 for k in acc_col}
    for f in reg.get("fields", [{"lsb": 0, "width": 32}]):
        a = f.get("access", reg.get("access", "rw"))
        masks[a] |= ((1 << f["width"]) - 1) << f["lsb"]
    for a, c in acc_col.items():
        assert int(row[c]) == masks[a], (reg["name"], a, row[c], masks[a])
    if "reset_from" in reg:
        assert row[8] == reg["reset_from"], reg["name"]
    else:
        assert int(row[7]) == int(str(reg.get("reset", 0)), 0), reg["name"]

PY
  then pass regmap_c_header; else fail regmap_c_header "the table disagrees with $MAP"; fi
else
  fail regmap_c_header "$(head -5 "$T/cc.err")"
fi

# 4. the SystemVerilog package: three tools, and the same offsets and masks as the C header
{
  echo "module regs_tb;"
  echo "  initial begin"
  python3 - "$T/regs.out" <<'PY'
import sys
def camel(s): return "".join(w[:1] + w[1:].lower() for w in s.split("_"))
for l in open(sys.argv[1]):
    p = l.split()
    if p[0] == "accessors": continue
    print(f'    $display("{p[0]} %d", bg_regs_pkg::Reg{camel(p[0])});')
PY
  echo "  end"
  echo "endmodule"
} > "$T/regs_tb.sv"
lint_ok=1
verilator --lint-only -Wall -Wno-UNUSEDPARAM "$T/g1/bg_regs_pkg.sv" "$T/regs_tb.sv" > "$T/vl.out" 2>&1 || lint_ok=0
yosys -q -p "read_verilog -sv $T/g1/bg_regs_pkg.sv $T/regs_tb.sv; hierarchy -top regs_tb" > "$T/ys.out" 2>&1 || lint_ok=0
if [ $lint_ok = 1 ] && iverilog -g2012 -o "$T/regs.vvp" "$T/g1/bg_regs_pkg.sv" "$T/regs_tb.sv" 2> "$T/iv.out" &&
   vvp -n "$T/regs.vvp" > "$T/sv.out"; then
  if diff <(awk '$1 != "accessors" { print $1, $2 }' "$T/regs.out") <(awk '{ print $1, $2 }' "$T/sv.out") > /dev/null; then
    pass regmap_sv_package
  else
    fail regmap_sv_package "offsets differ from the C header"
  fi
else
  fail regmap_sv_package "$(cat "$T/vl.out" "$T/ys.out" "$T/iv.out" | head -5)"
fi

# 5. malformed maps: refused, naming the place and what was expected
bad() {  # name, python edit of the map, expected text
  python3 - "$MAP" "$T/bad.json" "$2" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
exec(sys.argv[3])
json.dump(m, open(sys.argv[2], "w"))
PY
  if "$B/bgregmap" check "$T/bad.json" > "$T/bad.out" 2>&1; then
    fail "regmap_refuses_$1" "accepted"
  elif [ $? -eq 1 ] && grep -qF "$3" "$T/bad.out"; then
    pass "regmap_refuses_$1"
  else
    fail "regmap_refuses_$1" "$(head -3 "$T/bad.out")"
  fi
}
bad overlap 'm["registers"][1]["offset"] = "0x000"' 'registers[1]: expected an address of its own, found 0x000 overlapping ID'
bad counter_overlap 'm["registers"][-1]["offset"] = "0x104"' 'overlapping CNT_CYCLES'
bad misaligned 'm["registers"][2]["offset"] = "0x00a"' 'registers[2].offset: expected a multiple of 4'
bad field_overlap 'm["registers"][3]["fields"][1]["lsb"] = 0' 'registers[3].fields[1]: expected bits of its own, found CMD overlapping START'
bad field_past_32 'm["registers"][3]["fields"][4]["width"] = 2' 'registers[3].fields[4].width: expected the field to end inside the 32-bit register'
bad access 'm["registers"][3]["fields"][0]["access"] = "w1x"' 'registers[3].fields[0].access'
bad ro_with_w1c 'm["registers"][4]["fields"][0]["access"] = "w1c"' 'expected "ro" in a read-only register'
bad reset_outside 'm["registers"][6]["reset"] = "0x100"' 'registers[6].reset: expected reset bits only inside fields'
bad enum_too_wide 'm["registers"][3]["fields"][1]["enum"]["BIG"] = 4' 'expected a value that fits the field'
bad unknown_key 'm["registers"][0]["ofset"] = 1' 'registers[0].ofset'
bad duplicate_name 'm["registers"][5]["name"] = "CTRL"' 'found "CTRL" twice'
bad lowercase 'm["registers"][0]["name"] = "id"' 'registers[0].name: expected a name from [A-Z0-9_]'
bad format 'm["format"] = "x"' 'format: required: "biograd-regmap/1"'
printf '{"format": "biograd-regmap/1", "registers": [' > "$T/trunc.json"
if "$B/bgregmap" check "$T/trunc.json" > "$T/t.out" 2>&1; then fail regmap_refuses_truncated "accepted"
elif grep -q "byte offset .*: expected valid JSON" "$T/t.out"; then pass regmap_refuses_truncated
else fail regmap_refuses_truncated "$(cat "$T/t.out")"; fi
if "$B/bgregmap" gen x "$MAP" > /dev/null 2>&1; then fail regmap_usage "gen x accepted"
elif [ $? -eq 2 ]; then pass regmap_usage; else fail regmap_usage "exit status"; fi
