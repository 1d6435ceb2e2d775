#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The FPGA flow (scripts/synth.sh, scripts/synth_report.py) on small designs: the board top
# (oscillator, reset, pins, serial bridge) with a stand-in for bg_core, so Yosys, nextpnr-ice40,
# icetime and icepack all run in seconds. These are flow checks, not claims about the learning
# core: the report must say so. Then the two ways the flow must fail, each with report.json
# written first: an inferred latch, and a design that does not fit (nextpnr must not run).
# The learning core itself: `make synth` (docs/fpga.md).
set -u
cd "$(dirname "$0")/.."
if [ "${BG_BUILD:-build}" != "build" ]; then
  echo "SKIP synth_flow: runs in the plain suite (nothing here is built with sanitizers)"
  exit 0
fi
. tests/fpga/flow_prereqs.sh
fpga_flow_prereqs synth
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
net=tests/cosim/nets/tiny-replay.json
standin=tests/fpga/flow_check_core.sv

# jq-free JSON checks: python3 -c with the report path; prints the first failed check
check_json() {
  python3 - "$@" << 'EOF'
import json, sys
path, expr = sys.argv[1], sys.argv[2]
try:
    r = json.load(open(path))
    ok = eval("(" + expr + ")", {"r": r})
except Exception as e:                  # a broken check must fail, not pass
    ok = "cannot check %s: %s: %s" % (path, type(e).__name__, e)
if ok is not True:
    print(ok if isinstance(ok, str) else "check failed: " + expr)
    sys.exit(1)
EOF
}

# ---- a design that fits: the whole UP5K flow ---------------------------------------------------
out=$T/up5k
if bash scripts/synth.sh --net "$net" --target up5k --core "$standin" --seeds "1 2" --out "$out" \
     > "$T/up5k.log" 2>&1; then
  why=$(check_json "$out/report.json" '
(lambda keys: "missing keys: %s" % sorted(keys - set(r)) if keys - set(r) else
 "device %s" % r["device"] if r["device"] != "iCE40UP5K-SG48" else
 "not placed" if r["placed"] is not True else
 "clock_mhz %s, freq_target_mhz %s" % (r["clock_mhz"], r["freq_target_mhz"]) if (r["clock_mhz"], r["freq_target_mhz"]) != (24, 24) else
 "fits is not true" if r["fits"] is not True else
 "over is not empty" if r["over"] != [] else
 "seeds %s" % r["seeds"] if r["seeds"] != [1, 2] else
 "label does not say flow check: %s" % r["label"] if "flow check" not in r["label"] or "not the learning core" not in r["label"] else
 "top %s" % r["top"] if r["top"] != "bg_up5k_top" else
 "net %s" % r["net"] if r["net"] != "tests/cosim/nets/tiny-replay.json" else
 "lut %s" % r["lut"] if not (0 < r["lut"] <= 5280) else
 "ff %s" % r["ff"] if not (0 < r["ff"] <= 5280) else
 "ebr %s" % r["ebr"] if not (1 <= r["ebr"] <= 30) else
 "memories %s" % r["memories"] if r["memories"].get("u_bridge.u_buf.mem") != {"SB_RAM40_4K": 1} else
 "fmax order" if not (0 < r["fmax_mhz_min"] <= r["fmax_mhz_median"] <= r["fmax_mhz_max"]) else
 "per-seed Fmax does not give min/max" if sorted(s["fmax_mhz"] for s in r["per_seed"]) != [r["fmax_mhz_min"], r["fmax_mhz_max"]] else
 "fmax_dsp_timed %s" % r.get("fmax_dsp_timed") if r.get("fmax_dsp_timed") is not True else
 "Fmax above nextpnr'"'"'s own" if any(s["fmax_mhz"] > s["nextpnr_fmax_mhz"] for s in r["per_seed"]) or r["fmax_mhz_max"] > r["nextpnr_fmax_mhz_max"] else
 "lc %s" % r["lc"] if not (r["lut"] <= r["lc"] <= 5280) else
 "lc_packed %s" % r["lc_packed"] if not (r["lut"] <= r["lc_packed"] <= 5280) else
 "perf_counters %s" % r["perf_counters"] if r["perf_counters"] is not True else
 "counters %s" % r.get("counters") if r.get("counters") != "min" or "PerfCounters = 2" not in r["label"] else
 "bitstream %s" % r["bitstream"] if not str(r["bitstream"]).endswith("/bg_up5k.bin") else
 True)({"device", "lut", "ff", "ebr", "spram", "dsp", "fmax_mhz_min", "fmax_mhz_median",
        "fmax_mhz_max", "fits", "seeds", "net", "top", "target", "placed", "label", "over"})')
  # the LUT count is Yosys's SB_LUT4 count, and the bitstream is a real iCE40 image
  lut_stat=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['design']['num_cells_by_type']['SB_LUT4'])" "$out/stat.json" 2> /dev/null)
  lut_rep=$(python3 scripts/synth_report.py get --report "$out/report.json" lut)
  if [ -z "$why" ] && [ "$lut_stat" != "$lut_rep" ]; then why="report lut $lut_rep, stat SB_LUT4 $lut_stat"; fi
  if [ -z "$why" ] && ! [ -s "$out/bg_up5k.bin" ]; then why="no bitstream"; fi
  if [ -z "$why" ] && [ "$(head -c 8 "$out/bg_up5k.bin" | od -An -tx1 | tr -d ' \n')" != "ff0000ff7eaa997e" ]; then
    why="bg_up5k.bin does not start with the iCE40 synchronisation word 7EAA997E"
  fi
  # every endpoint from the bitstream's seed's SDF (scripts/sdf_endpoints.py, the SB_MAC16s
  # timed): its slowest is that seed's Fmax; the seed is the one that meets the clock and whose
  # slower timer (the flow's Fmax, icetime on every seed) is fastest, and the report's icetime
  # figure is that seed's
  if [ -z "$why" ]; then
    why=$(python3 - "$out/report.json" "$out/endpoints.json" <<'PY'
import json, sys
try:
    r = json.load(open(sys.argv[1])); e = json.load(open(sys.argv[2]))
    f = 1000.0 / e["worst_ns"]
    seeds = {s["seed"]: s for s in r["per_seed"]}
    key = lambda s: (s["fmax_mhz"] >= r["freq_target_mhz"], min(s["fmax_mhz"], s["icetime_mhz"]), s["fmax_mhz"])
    if not (abs(f - r["best_fmax_mhz"]) <= 0.1 and e["period_ns"] == round(1000 / 24, 3)):
        print("endpoints.json: slowest %.2f ns (%.2f MHz), the bitstream seed's Fmax %s" % (e["worst_ns"], f, r["best_fmax_mhz"]))
    elif any(not s.get("icetime_mhz") for s in r["per_seed"]):
        print("a seed without icetime's figure: %s" % r["per_seed"])
    elif key(seeds[r["best_seed"]]) != max(key(s) for s in r["per_seed"]):
        print("seed %s chosen, %s" % (r["best_seed"], [(s["seed"], s["fmax_mhz"], s["icetime_mhz"]) for s in r["per_seed"]]))
    elif r["icetime_mhz"] != seeds[r["best_seed"]]["icetime_mhz"] or not r["icetime_mhz_min"] <= r["icetime_mhz"] <= r["icetime_mhz_max"]:
        print("icetime %s, the seeds' %s" % (r["icetime_mhz"], [s["icetime_mhz"] for s in r["per_seed"]]))
    else:
        print("")
except Exception as x:
    print("endpoints.json: %s: %s" % (type(x).__name__, x))
PY
)
  fi
  for f in synth.ys yosys.log bg_up5k_top.json stat.json seed1.json seed2.json seed1.sdf gen/bg_cfg_pkg.sv endpoints.txt \
           seed1.endpoints.json seed2.endpoints.json seed1.icetime.rpt seed2.icetime.rpt icetime.rpt; do
    [ -z "$why" ] && ! [ -s "$out/$f" ] && why="missing $f"
  done
  if [ -z "$why" ] && ! grep -q 'flow check' "$T/up5k.log"; then why="the printed table does not carry the label"; fi
  if [ -z "$why" ]; then
    echo "PASS synth_flow_up5k ($(grep -m1 'Fmax over seeds' "$T/up5k.log" | sed 's/^ *//'), stand-in core; $(sed -n 1p "$out/endpoints.txt" | sed 's/^.*: //'))"
  else
    echo "FAIL synth_flow_up5k: $why"
  fi
  # icetime needs Debian's chip database, which scripts/setup.sh does not install yet
  if [ ! -e /usr/share/fpga-icestorm/chipdb/chipdb-5k.txt ]; then
    echo "SKIP synth_icetime: fpga-icestorm-chipdb is not installed (apt-get install fpga-icestorm-chipdb)"
  elif why=$(check_json "$out/report.json" '
"icetime %s" % r["icetime_mhz"] if not (r["icetime_mhz"] or 0) > 0 else True'); then
    echo "PASS synth_icetime ($(python3 scripts/synth_report.py get --report "$out/report.json" icetime_mhz) MHz, best seed)"
  else
    echo "FAIL synth_icetime: $why"
  fi
else
  echo "FAIL synth_flow_up5k: exit $?: $(tail -n 3 "$T/up5k.log" | tr '\n' ' ')"
fi

# ---- ABC9 cannot map every design: the flow falls back to abc and says so -----------------
# Yosys 0.23's ABC9 failed on the toy core until 9ebe171 and maps it since, so the failure is
# played by a stand-in on PATH: a `yosys` that, for a script using -abc9, writes ABC's message
# to the log and exits 1, and otherwise runs the real Yosys (resources only, exit 0 or 4).
mkdir -p "$T/shim"
cat > "$T/shim/yosys" <<'SHIM'
#!/usr/bin/env bash
log=""; ys=""; args=("$@")
while [ $# -gt 0 ]; do
  case "$1" in -l) log=$2; shift ;; -s) ys=$2; shift ;; esac
  shift
done
if [ -n "$ys" ] && grep -q -- "-abc9" "$ys"; then
  echo "ABC: Error: Abc_CommandAbc9If(): Mapping of GIA has failed." > "$log"
  exit 1
fi
exec "$BG_REAL_YOSYS" "${args[@]}"
SHIM
chmod +x "$T/shim/yosys"
out=$T/abc9
BG_REAL_YOSYS=$(command -v yosys) PATH="$T/shim:$PATH" bash scripts/synth.sh \
  --net tests/cosim/nets/tiny-replay.json --target up5k --top core --out "$out" > "$T/abc9.log" 2>&1
rc=$?
if [ $rc -ne 0 ] && [ $rc -ne 4 ]; then
  echo "FAIL synth_abc9_fallback: exit $rc: $(tail -n 3 "$T/abc9.log" | tr '\n' ' ')"
elif [ ! -s "$out/yosys-abc9.log" ]; then
  echo "FAIL synth_abc9_fallback: no ABC9 log kept: $(tail -n 2 "$T/abc9.log" | tr '\n' ' ')"
else
  why=$(check_json "$out/report.json" '
"label %s" % r["label"] if "mapped with abc: ABC9 failed" not in r["label"] else
"lut %s" % r["lut"] if not r["lut"] > 0 else True')
  if [ -z "$why" ] && ! grep -q '^synth: ABC9 failed' "$T/abc9.log"; then why="no message"; fi
  if [ -z "$why" ]; then echo "PASS synth_abc9_fallback"; else echo "FAIL synth_abc9_fallback: $why"; fi
fi

# ---- a synthesis-only target is labelled as such -------------------------------------------
out=$T/ecp5
if bash scripts/synth.sh --net "$net" --target ecp5 --core "$standin" --out "$out" > "$T/ecp5.log" 2>&1; then
  why=$(check_json "$out/report.json" '
"label %s" % r["label"] if "synthesis estimate, not placed" not in r["label"] else
"placed" if r["placed"] is not False else
"fmax %s" % r["fmax_mhz_min"] if r["fmax_mhz_min"] is not None else
"lut %s" % r["lut"] if not r["lut"] > 0 else
"device %s" % r["device"] if "LFE5U" not in r["device"] else True')
  if [ -z "$why" ] && ! grep -q 'synthesis estimate, not placed' "$T/ecp5.log"; then why="table lacks the label"; fi
  if [ -z "$why" ]; then echo "PASS synth_estimate_ecp5"; else echo "FAIL synth_estimate_ecp5: $why"; fi
else
  echo "FAIL synth_estimate_ecp5: exit $?: $(tail -n 3 "$T/ecp5.log" | tr '\n' ' ')"
fi

# ---- an inferred latch fails the flow, with the message --------------------------------------
# always_comb: Yosys itself stops with an error; always @*: Yosys goes on (proc_dlatch's log line)
for kind in comb star; do
  if [ $kind = comb ]; then blk='always_comb'; else blk='always @*'; fi
  sed -e 's/^  assign chk_kind = {2.b00, cmd};/  logic lat;\n  '"$blk"' if (start) lat = cmd[0];\n  assign chk_kind = {lat, 1'"'"'b0, cmd};/' \
    "$standin" > "$T/latch_$kind.sv"
  if cmp -s "$standin" "$T/latch_$kind.sv"; then
    echo "FAIL synth_latch_$kind: could not plant the latch"
    continue
  fi
  bash scripts/synth.sh --net "$net" --target up5k --core "$T/latch_$kind.sv" --out "$T/latch_$kind" \
    > "$T/latch_$kind.log" 2>&1
  rc=$?
  why=""
  [ $rc -eq 3 ] || why="exit $rc, expected 3"
  [ -z "$why" ] && ! grep -q 'synth: error: 1 latch(es) inferred' "$T/latch_$kind.log" && why="no latch error message"
  [ -z "$why" ] && ! grep -q 'Latch inferred for signal .*lat' "$T/latch_$kind.log" && why="the signal is not named"
  [ -z "$why" ] && why=$(check_json "$T/latch_$kind/report.json" 'len(r["latches"]) == 1 and r["placed"] is False')
  [ -z "$why" ] && ls "$T/latch_$kind"/seed*.json > /dev/null 2>&1 && why="nextpnr ran"
  if [ -z "$why" ]; then
    echo "PASS synth_latch_$kind (exit 3: $(grep -m1 'Latch inferred' "$T/latch_$kind.log" | sed 's/^ *//' | cut -c1-70))"
  else
    echo "FAIL synth_latch_$kind: $why: $(grep -m2 'synth' "$T/latch_$kind.log" | tr '\n' ' ')"
  fi
done

# ---- a design that does not fit: report first, then a non-zero exit; nextpnr not run ---------
# the stand-in's memory grown to 16K x 32 bits with separate read and write addresses (so not
# the single-port SPRAM shape): 128 EBR or more, against 30. Both addresses come from the write
# data, not hm_addr: the bridge drives only as many address bits as the description's deepest
# memory needs, which for the toy net would shrink the memory back to a few EBR.
sed -e 's/mem \[0:255\]/mem [0:16383]/' -e 's/if (hm_we) mem\[hm_addr\[7:0\]\]/if (hm_we) mem[hm_wdata[45:32]]/' \
    -e 's/if (hm_re) mem_q <= mem\[hm_addr\[7:0\]\]/if (hm_re) mem_q <= mem[hm_wdata[59:46]]/' \
    "$standin" > "$T/big_core.sv"
[ "$(grep -c 'hm_wdata\[45:32\]\|hm_wdata\[59:46\]\|0:16383' "$T/big_core.sv")" = 3 ] ||
  echo "FAIL synth_does_not_fit: the edits of $standin did not apply"
bash scripts/synth.sh --net "$net" --target up5k --core "$T/big_core.sv" --out "$T/big" \
  > "$T/big.log" 2>&1
rc=$?
why=""
if [ $rc -ne 4 ]; then why="exit $rc, expected 4: $(grep -m2 'error' "$T/big.log" | tr '\n' ' ')"; fi
if [ -z "$why" ]; then
  why=$(check_json "$T/big/report.json" '
"fits is not false" if r["fits"] is not False else
"placed is not false" if r["placed"] is not False else
"over %s" % r["over"] if not any(o["resource"] == "ebr" and o["used"] > 30 and o["available"] == 30 for o in r["over"]) else
"ebr %s" % r["ebr"] if r["ebr"] <= 30 else
"memories %s" % r["memories"] if r["memories"].get("u_core.mem", {}).get("SB_RAM40_4K", 0) < 128 else True')
fi
if [ -z "$why" ] && ! grep -Eq 'synth: error: does not fit the iCE40UP5K-SG48: EBR \(SB_RAM40_4K\) [0-9]+ used, 30 available' "$T/big.log"; then
  why="no message naming the resource: $(grep -m2 error "$T/big.log" | tr '\n' ' ')"
fi
if [ -z "$why" ] && ls "$T"/big/seed*.log > /dev/null 2>&1; then why="nextpnr ran on a design that cannot fit"; fi
if [ -z "$why" ]; then
  echo "PASS synth_does_not_fit ($(grep -m1 'synth: error: does not fit' "$T/big.log" | sed 's/^synth: error: //'))"
else
  echo "FAIL synth_does_not_fit: $why"
fi

# ---- a clock the oscillator cannot make: the PLL on the 12 MHz crystal, icepll's divisors ------
bash scripts/synth.sh --net "$net" --target up5k --core "$standin" --seeds 1 --clock 18 \
  --out "$T/pll" > "$T/pll.log" 2>&1
rc=$?
why=""
[ $rc -ne 0 ] && why="exit $rc: $(grep -m2 'error' "$T/pll.log" | tr '\n' ' ')"
[ -z "$why" ] && why=$(check_json "$T/pll/report.json" '
"clock %s freq %s" % (r["clock_mhz"], r["freq_target_mhz"]) if (r["clock_mhz"], r["freq_target_mhz"]) != (18, 18) else
"not placed or not met" if not (r["placed"] and r["meets_freq"]) else
"no bitstream" if not r["bitstream"] else
"label %s" % r["label"] if "by the PLL on the 12 MHz crystal (DIVR 0, DIVF 47, DIVQ 5)" not in r["label"] else True')
[ -z "$why" ] && ! grep -q 'chparam -set PllDivr 0 -set PllDivf 47 -set PllDivq 5 -set PllFilter 1' "$T/pll/synth.ys" &&
  why="synth.ys does not set icepll's divisors"
[ -z "$why" ] && ! grep -q -- '-DBG_PLL_CLK' "$T/pll/synth.ys" && why="synth.ys does not define BG_PLL_CLK"
[ -z "$why" ] && [ "$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['design']['num_cells_by_type'].get('SB_PLL40_PAD', 0))" "$T/pll/stat.json")" != 1 ] &&
  why="the netlist has no SB_PLL40_PAD"
if [ -z "$why" ]; then
  echo "PASS synth_pll_clock ($(grep -m1 'Fmax over seeds' "$T/pll.log" | sed 's/^ *//'))"
else
  echo "FAIL synth_pll_clock: $why"
fi
# outside the PLL's 16 to 275 MHz, and a frequency it only approximates
bash scripts/synth.sh --net "$net" --target up5k --core "$standin" --clock 7 --out "$T/pll7" > "$T/pll7.log" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q 'synth: error: --clock 7: the PLL cannot make it from the 12 MHz crystal: .*outside range 16 MHz - 275 MHz' "$T/pll7.log" &&
   ! [ -e "$T/pll7/synth.ys" ]; then
  echo "PASS synth_pll_out_of_range"
else
  echo "FAIL synth_pll_out_of_range: exit $rc: $(head -n 2 "$T/pll7.log" | tr '\n' ' ')"
fi

# ---- placed, but no seed meets the clock: report, exit 6, no bitstream (an old one removed) ----
# the stand-in core is fast, so the target is raised with --freq far beyond any iCE40 design
mkdir -p "$T/slow" && echo stale > "$T/slow/bg_up5k.bin"
bash scripts/synth.sh --net "$net" --target up5k --core "$standin" --seeds 1 --clock 6 --freq 900 \
  --out "$T/slow" > "$T/slow.log" 2>&1
rc=$?
why=""
[ $rc -ne 6 ] && why="exit $rc, expected 6: $(grep -m2 'error' "$T/slow.log" | tr '\n' ' ')"
[ -z "$why" ] && why=$(check_json "$T/slow/report.json" '
"placed %s" % r["placed"] if r["placed"] is not True else
"meets_freq %s" % r["meets_freq"] if r["meets_freq"] is not False else
"bitstream %s" % r["bitstream"] if r["bitstream"] is not None else
"fmax %s" % r["fmax_mhz_max"] if not 0 < r["fmax_mhz_max"] < 900 else True')
[ -z "$why" ] && [ -e "$T/slow/bg_up5k.bin" ] && why="a bitstream is left in the output directory"
[ -z "$why" ] && ! grep -q 'synth: error: no seed meets 900 MHz (the best, seed 1, reaches [0-9.]* MHz)' "$T/slow.log" &&
  why="no message naming the clock and the best Fmax: $(grep -m2 error "$T/slow.log" | tr '\n' ' ')"
[ -z "$why" ] && ! grep -q 'bitstream: none (no seed meets 900 MHz)' "$T/slow.log" && why="the table does not say why there is no bitstream"
if [ -z "$why" ]; then
  echo "PASS synth_clock_not_met ($(grep -m1 'synth: error: no seed' "$T/slow.log" | sed 's/^synth: error: //; s/,$//'))"
else
  echo "FAIL synth_clock_not_met: $why"
fi

# ---- within the LUT and FF counts, over in logic cells: nextpnr's packer says so, nothing placed
# 4 200 flip-flops without logic between them (a shift register) take one logic cell each beside
# the design's LUTs: FF and LUT4 counts under 5 280, packed logic cells over
sed -e "s/  assign chk_t = {hm_sel, 10'd0, chk_en, chk_go};/  logic [4199:0] sr_q;\n  always_ff @(posedge clk) sr_q <= {sr_q[4198:0], cfg_wdata[0]};\n  assign chk_t = {hm_sel[3] ^ sr_q[4199], hm_sel[2:0], 10'd0, chk_en, chk_go};/" \
  "$standin" > "$T/lc_core.sv"
bash scripts/synth.sh --net "$net" --target up5k --core "$T/lc_core.sv" --out "$T/lc" --no-counters \
  > "$T/lc.log" 2>&1
rc=$?
why=""
grep -q 'sr_q\[4199\]' "$T/lc_core.sv" || why="the edit of $standin did not apply"
[ -z "$why" ] && [ $rc -ne 4 ] && why="exit $rc, expected 4: $(grep -m2 'error' "$T/lc.log" | tr '\n' ' ')"
[ -z "$why" ] && why=$(check_json "$T/lc/report.json" '
"lut %s ff %s" % (r["lut"], r["ff"]) if not (r["lut"] <= 5280 and r["ff"] <= 5280) else
"lc_packed %s" % r["lc_packed"] if not (r["lc_packed"] > 5280 and r["lc_packed"] >= r["ff"]) else
"over %s" % r["over"] if r["over"] != [{"resource": "lc", "used": r["lc_packed"], "available": 5280}] else
"fits %s placed %s" % (r["fits"], r["placed"]) if r["fits"] is not False or r["placed"] is not False else
"perf_counters %s" % r["perf_counters"] if r["perf_counters"] is not False else
"label %s" % r["label"] if "PerfCounters = 0" not in r["label"] else True')
[ -z "$why" ] && ls "$T"/lc/seed*.log > /dev/null 2>&1 && why="nextpnr placed a design its packer found too big"
[ -z "$why" ] && ! grep -q 'does not fit the iCE40UP5K-SG48 (nextpnr --pack-only): logic cells (ICESTORM_LC) [0-9]* used, 5280 available' "$T/lc.log" &&
  why="no message naming the logic cells: $(grep -m2 error "$T/lc.log" | tr '\n' ' ')"
# scripts/lc_report.py on that netlist: the shift register is what packs alone
if [ -z "$why" ]; then
  python3 scripts/lc_report.py "$T/lc/bg_up5k_top.json" --rows 1 --json "$T/lc_rep.json" > "$T/lc_rep.out" 2>&1 ||
    why="lc_report failed: $(tail -n 2 "$T/lc_rep.out" | tr '\n' ' ')"
  [ -z "$why" ] && why=$(check_json "$T/lc_rep.json" '
"kinds %s" % r["kinds"] if r["kinds"].get("alone: D from SB_DFF", 0) < 4199 else
"top register %s" % list(r["alone_by_register"])[:1] if list(r["alone_by_register"])[:1] != ["u_core.sr_q"] else True')
fi
# scripts/lut_sinks.py on it: every LUT4 charged once (the shares add up to the count), a
# sink's own LUTs never more than its share, and the registers of the core among the sinks
if [ -z "$why" ]; then
  python3 scripts/lut_sinks.py "$T/lc/bg_up5k_top.json" --json "$T/sinks.json" > "$T/sinks.out" 2>&1 ||
    why="lut_sinks failed: $(tail -n 2 "$T/sinks.out" | tr '\n' ' ')"
  [ -z "$why" ] && why=$(check_json "$T/sinks.json" '
"shares add up to %.1f of %d" % (sum(r["lut4"].values()), r["total_lut4"]) if abs(sum(r["lut4"].values()) - r["total_lut4"]) > 0.01 else
"own over share: %s" % [k for k in r["own"] if r["own"][k] > r["lut4"].get(k, 0) + 0.01] if any(r["own"][k] > r["lut4"].get(k, 0) + 0.01 for k in r["own"]) else
"no core register among %s" % list(r["lut4"])[:5] if not any(k.startswith("reg u_core.") for k in r["lut4"]) else True')
fi
if [ -z "$why" ]; then
  echo "PASS synth_lc_over ($(grep -m1 'logic cells after packing' "$T/lc.log" | sed 's/^synth: //'))"
else
  echo "FAIL synth_lc_over: $why"
fi

# ---- constant comparisons as gates (scripts/ice40_cmp_const_map.v) -----------------------------
# Every case of tests/fpga/cmp_const_cases.v mapped by the techmap file is proved equivalent to
# the original with Yosys's SAT solver (miter of the two); the two-signal and narrow comparisons
# must be left alone. The same proof on a copy of the map with one bit of its logic inverted
# must fail, so the check can tell a wrong mapping.
cmp_ys() {   # MAP: the proof script
  printf '%s\n' "read_verilog tests/fpga/cmp_const_cases.v" "rename cmp_const_cases gold" \
    "read_verilog tests/fpga/cmp_const_cases.v" "rename cmp_const_cases gate" \
    "techmap -map $1 gate" "opt_clean" \
    'select -assert-count 3 gate/t:$lt gate/t:$le gate/t:$gt gate/t:$ge' \
    "miter -equiv -flatten -make_assert gold gate miter" "sat -verify -prove-asserts miter"
}
sed 's/assign r\[b + 1\] = ~x\[b\] | r\[b\];/assign r[b + 1] = x[b] | r[b];/' \
  scripts/ice40_cmp_const_map.v > "$T/cmp_bad_map.v"
cmp_ys scripts/ice40_cmp_const_map.v > "$T/cmp.ys"
cmp_ys "$T/cmp_bad_map.v" > "$T/cmp_bad.ys"
if cmp "$T/cmp_bad_map.v" scripts/ice40_cmp_const_map.v > /dev/null 2>&1; then
  echo "FAIL cmp_const_map_equiv: the broken copy of the map could not be made"
elif ! yosys -q -l "$T/cmp.log" -s "$T/cmp.ys" > /dev/null 2>&1; then
  echo "FAIL cmp_const_map_equiv: $(grep -m2 -E 'ERROR|failed' "$T/cmp.log" | tr '\n' ' ')"
elif yosys -q -s "$T/cmp_bad.ys" > /dev/null 2>&1; then
  echo "FAIL cmp_const_map_equiv: a broken map was not caught by the proof"
elif ! grep -q 'SUCCESS' "$T/cmp.log"; then
  echo "FAIL cmp_const_map_equiv: the SAT proof did not report success"
else
  echo "PASS cmp_const_map_equiv ($(grep -c 'Using template' "$T/cmp.log") comparisons mapped and proved; a broken map is caught)"
fi

# ---- usage errors and the make target's defaults ----------------------------------------------
if bash scripts/synth.sh --net "$net" --target up6k > "$T/usage.log" 2>&1; then
  echo "FAIL synth_usage: an unknown target was accepted"
elif ! grep -q 'target must be up5k, hx8k, ecp5 or xilinx' "$T/usage.log"; then
  echo "FAIL synth_usage: $(head -n 2 "$T/usage.log" | tr '\n' ' ')"
elif bash scripts/synth.sh --net "$net" --target up5k --clock fast > "$T/usage.log" 2>&1; then
  echo "FAIL synth_usage: a clock that is not a number was accepted"
elif ! grep -q 'clock must be a number (MHz): 48, 24, 12 or 6 (the oscillator), else 16 to 275 (the PLL)' "$T/usage.log"; then
  echo "FAIL synth_usage: $(head -n 2 "$T/usage.log" | tr '\n' ' ')"
elif bash scripts/synth.sh --net "$net" --target ecp5 --clock 18 > "$T/usage.log" 2>&1; then
  echo "FAIL synth_usage: a PLL clock was accepted for a target without the board's PLL"
elif ! grep -q -- '--clock 18: only 48, 24, 12 or 6 MHz here' "$T/usage.log"; then
  echo "FAIL synth_usage: $(head -n 2 "$T/usage.log" | tr '\n' ' ')"
elif bash scripts/synth.sh --net "$net" --target up5k --counters some > "$T/usage.log" 2>&1; then
  echo "FAIL synth_usage: an unknown counter set was accepted"
elif grep -q 'counters must be all, min or none' "$T/usage.log"; then
  echo "PASS synth_usage (unknown target, a clock that is no number, a PLL clock off the UP5K board, an unknown counter set refused)"
else
  echo "FAIL synth_usage: $(head -n 2 "$T/usage.log" | tr '\n' ' ')"
fi
# (the recipe's continuation lines joined)
cmd=$(make -n --no-print-directory synth 2> /dev/null | sed -e ':a' -e '/\\$/N; s/\\\n//; ta' | grep 'scripts/synth.sh')
if echo "$cmd" | grep -q -- '--net nets/mnist-fpga.json --target up5k' &&
   echo "$cmd" | grep -q -- '--clock 24' &&
   make -n --no-print-directory synth CLOCK=12 2> /dev/null | grep -q -- '--clock 12 ' &&
   make -n --no-print-directory synth NET=nets/tiny.json TARGET=ecp5 2> /dev/null | grep -q -- '--net nets/tiny.json --target ecp5'; then
  echo "PASS synth_make_defaults"
else
  echo "FAIL synth_make_defaults: make -n synth runs: $cmd"
fi
