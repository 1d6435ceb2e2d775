#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/sdf_endpoints.py on a small hand-made SDF whose arrival times are known: the longest
# path wins over a shorter one, setup times are added, endpoints group by register and memory
# port, the chosen clock decides what is "over", --path walks the slowest path back, --json
# carries the same numbers, --netlist times the SB_MAC16 multipliers; and bad input (a truncated
# file, a file that is not SDF, a missing file, a bad clock, a bad netlist) is an error with the
# file named, never a traceback.
# (The agreement with nextpnr's own Fmax on a placed design is checked in tests/test_synth.sh.)
set -u
cd "$(dirname "$0")/.."
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# an SDF file: the header, the cells from stdin, the closing parenthesis
sdf_file() {
  { printf '(DELAYFILE\n  (SDFVERSION "3.0")\n  (DESIGN "top")\n  (TIMESCALE 1ps)\n'; cat; echo ')'; } > "$1"
}
sdf_file "$T/small.sdf" <<'SDF'
  (CELL (CELLTYPE "ICESTORM_LC") (INSTANCE a_SB_DFF_Q_DFFLC)
    (DELAY (ABSOLUTE (IOPATH CLK O (500:500:500) (450:450:450)))))
  (CELL (CELLTYPE "ICESTORM_LC") (INSTANCE l1)
    (DELAY (ABSOLUTE (IOPATH I0 O (400:400:400) (380:380:380)))))
  (CELL (CELLTYPE "ICESTORM_LC") (INSTANCE x_SB_DFFE_Q_2_D_SB_LUT4_O_LC)
    (DELAY (ABSOLUTE (IOPATH CLK O (500:500:500) (500:500:500))))
    (TIMINGCHECK (SETUPHOLD (posedge I1) (posedge CLK) (300:300:300) (0:0:0))
                 (SETUPHOLD (posedge I2) (posedge CLK) (300:300:300) (0:0:0))))
  (CELL (CELLTYPE "ICESTORM_RAM") (INSTANCE u.mem.0.0_RAM)
    (TIMINGCHECK (SETUPHOLD (posedge WDATA_3) (posedge WCLK) (100:100:100) (0:0:0))))
  (CELL (CELLTYPE "top") (INSTANCE )
    (DELAY (ABSOLUTE
      (INTERCONNECT a_SB_DFF_Q_DFFLC/O l1/I0 (1000:1000:1000) (900:900:900))
      (INTERCONNECT l1/O x_SB_DFFE_Q_2_D_SB_LUT4_O_LC/I1 (2000:2000:2000) (2000:2000:2000))
      (INTERCONNECT a_SB_DFF_Q_DFFLC/O x_SB_DFFE_Q_2_D_SB_LUT4_O_LC/I2 (100:100:100) (100:100:100))
      (INTERCONNECT l1/O u.mem.0.0_RAM/WDATA_3 (3000:4700:4700) (0:0:0)))))
SDF
# x: 500 + 1000 + 400 + 2000 + 300 = 4.2 ns (not the 0.9 ns path); the RAM: 500 + 1000 + 400
# + 4700 (the max of the triple) + 100 = 6.7 ns, the slowest, Fmax 149.25 MHz
if python3 scripts/sdf_endpoints.py "$T/small.sdf" --mhz 200 --json "$T/small.json" --path '^x$' \
     > "$T/small.out" 2>&1; then
  why=$(python3 - "$T/small.json" "$T/small.out" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); out = open(sys.argv[2]).read()
e = {x["name"]: x for x in r["endpoints"]}
checks = [
    ("groups", sorted(e) == ["u.mem WDATA", "x"]),
    ("x arrival", e.get("x", {}).get("ns") == 4.2 and e["x"]["bits"] == 2 and e["x"]["over"] == 0),
    ("ram arrival", e.get("u.mem WDATA", {}).get("ns") == 6.7),
    ("worst", r["worst_ns"] == 6.7 and r["fmax_mhz"] == 149.25),
    ("over at 200 MHz", r["over"] == 1 and r["period_ns"] == 5.0),
    ("summary", "slowest 6.70 ns (Fmax 149.25 MHz)" in out and "1 of them over 5.00 ns (200 MHz)" in out),
    ("path", "slowest path into x (4.20 ns)" in out and "a_SB_DFF_Q_DFFLC/O" in out and "l1/O" in out),
]
print(", ".join(n for n, ok in checks if not ok))
PY
)
  if [ -z "$why" ]; then echo "PASS sdf_endpoints_arrivals"; else echo "FAIL sdf_endpoints_arrivals: $why"; cat "$T/small.out"; fi
else
  echo "FAIL sdf_endpoints_arrivals: exit $?: $(tail -n 2 "$T/small.out")"
fi
# the same design at 100 MHz: nothing over
python3 scripts/sdf_endpoints.py "$T/small.sdf" --mhz 100 > "$T/slow.out" 2>&1
if grep -q '^0 of them over 10.00 ns (100 MHz)' "$T/slow.out"; then echo "PASS sdf_endpoints_clock"
else echo "FAIL sdf_endpoints_clock: $(head -n 2 "$T/slow.out" | tr '\n' ' ')"; fi
# SB_MAC16s: the SDF gives every DSP port a register's 0.1 ns; with --netlist a multiplier without
# its registers is put back on the paths through it (--dsp-ns, 9 ns by default). dsp1 is
# combinational (A -> O), dsp2's outputs are registered (A needs the multiplier as setup, C the
# adder, 4 ns by default).
sdf_file "$T/dsp.sdf" <<'SDF'
  (CELL (CELLTYPE "ICESTORM_LC") (INSTANCE a_SB_DFF_Q_DFFLC)
    (DELAY (ABSOLUTE (IOPATH CLK O (500:500:500) (500:500:500)))))
  (CELL (CELLTYPE "ICESTORM_DSP") (INSTANCE dsp1_DSP)
    (DELAY (ABSOLUTE (IOPATH CLK O_3 (100:100:100) (100:100:100))))
    (TIMINGCHECK (SETUPHOLD (posedge A_0) (posedge CLK) (100:100:100) (0:0:0))))
  (CELL (CELLTYPE "ICESTORM_DSP") (INSTANCE dsp2_DSP)
    (DELAY (ABSOLUTE (IOPATH CLK O_0 (100:100:100) (100:100:100))))
    (TIMINGCHECK (SETUPHOLD (posedge A_0) (posedge CLK) (100:100:100) (0:0:0))
                 (SETUPHOLD (posedge C_2) (posedge CLK) (100:100:100) (0:0:0))))
  (CELL (CELLTYPE "ICESTORM_LC") (INSTANCE y_SB_DFF_Q_DFFLC)
    (TIMINGCHECK (SETUPHOLD (posedge I1) (posedge CLK) (300:300:300) (0:0:0))))
  (CELL (CELLTYPE "ICESTORM_LC") (INSTANCE z_SB_DFF_Q_DFFLC)
    (TIMINGCHECK (SETUPHOLD (posedge I1) (posedge CLK) (300:300:300) (0:0:0))))
  (CELL (CELLTYPE "top") (INSTANCE )
    (DELAY (ABSOLUTE
      (INTERCONNECT a_SB_DFF_Q_DFFLC/O dsp1_DSP/A_0 (1000:1000:1000) (1000:1000:1000))
      (INTERCONNECT a_SB_DFF_Q_DFFLC/O dsp2_DSP/A_0 (700:700:700) (700:700:700))
      (INTERCONNECT a_SB_DFF_Q_DFFLC/O dsp2_DSP/C_2 (600:600:600) (600:600:600))
      (INTERCONNECT dsp1_DSP/O_3 y_SB_DFF_Q_DFFLC/I1 (2000:2000:2000) (2000:2000:2000))
      (INTERCONNECT dsp2_DSP/O_0 z_SB_DFF_Q_DFFLC/I1 (500:500:500) (500:500:500)))))
SDF
cat > "$T/dsp.json" <<'JSON'
{"modules": {"top": {"cells": {
  "dsp1": {"type": "SB_MAC16", "parameters": {"A_REG": "0", "B_REG": "0",
           "TOPOUTPUT_SELECT": "11", "BOTOUTPUT_SELECT": "11"}},
  "dsp2": {"type": "SB_MAC16", "parameters": {"A_REG": "0", "B_REG": "0",
           "TOPOUTPUT_SELECT": "01", "BOTOUTPUT_SELECT": "01"}},
  "a_SB_DFF_Q": {"type": "SB_DFF", "parameters": {}}}}}}
JSON
python3 scripts/sdf_endpoints.py "$T/dsp.sdf" --json "$T/dsp-reg.json" > "$T/dsp-reg.out" 2>&1
python3 scripts/sdf_endpoints.py "$T/dsp.sdf" --netlist "$T/dsp.json" --json "$T/dsp-mul.json" > "$T/dsp-mul.out" 2>&1
python3 scripts/sdf_endpoints.py "$T/dsp.sdf" --netlist "$T/dsp.json" --dsp-ns 5 --dsp-add-ns 2 --json "$T/dsp-5.json" > "$T/dsp-5.out" 2>&1
why=$(python3 - "$T" <<'PY'
import json, sys
d = sys.argv[1]
def ends(name):
    try:
        r = json.load(open(f"{d}/{name}"))
    except (OSError, ValueError):
        return None, {}
    return r, {x["name"]: x["ns"] for x in r["endpoints"]}
reg, e_reg = ends("dsp-reg.json")
mul, e_mul = ends("dsp-mul.json")
five, e_5 = ends("dsp-5.json")
# as registers: dsp1 A 500 + 1000 + 100, dsp2 A 500 + 700 + 100, dsp2 C 500 + 600 + 100,
# y 100 + 2000 + 300, z 100 + 500 + 300
# timed: y 500 + 1000 + 9000 + 2000 + 300 (dsp1's A no endpoint), dsp2 A 500 + 700 + 9000 of
# setup, dsp2 C 500 + 600 + 4000
checks = [
    ("as registers", e_reg == {"dsp1 A": 1.6, "dsp2 A": 1.3, "dsp2 C": 1.2, "y": 2.4, "z": 0.9}
                     and not reg["dsp_timed"]),
    ("timed", e_mul == {"dsp2 A": 10.2, "dsp2 C": 5.1, "y": 12.8, "z": 0.9} and mul["dsp_timed"]
              and mul["dsp_ns"] == 9.0 and mul["dsp_add_ns"] == 4.0),
    ("worst", mul is not None and mul["worst_ns"] == 12.8 and mul["fmax_mhz"] == 78.12),
    ("--dsp-ns 5 --dsp-add-ns 2", e_5 == {"dsp2 A": 6.2, "dsp2 C": 3.1, "y": 8.8, "z": 0.9}),
]
print(", ".join(n for n, ok in checks if not ok))
PY
)
if [ -z "$why" ] && grep -q "2 SB_MAC16 timed by their registers" "$T/dsp-mul.out"; then
  echo "PASS sdf_endpoints_dsp (a combinational and a registered SB_MAC16 timed from the netlist)"
else
  echo "FAIL sdf_endpoints_dsp: ${why:-summary line}"; cat "$T/dsp-reg.out" "$T/dsp-mul.out"
fi
# bad input: one line naming the file, exit 1
head -c 400 "$T/small.sdf" > "$T/cut.sdf"
echo '(CELL (CELLTYPE "x"))' > "$T/notsdf.sdf"
bad=0
echo '{"cells": []}' > "$T/notnet.json"
for c in "cut.sdf:unclosed" "notsdf.sdf:not an SDF file" "none.sdf:cannot read" "small.sdf --mhz 0:--mhz must be positive" \
         "dsp.sdf --netlist $T/notnet.json:notnet.json: not a Yosys JSON netlist" \
         "dsp.sdf --netlist $T/cut.sdf:cut.sdf: not a JSON netlist" \
         "dsp.sdf --netlist $T/dsp.json --dsp-ns -1:--dsp-ns and --dsp-add-ns must not be negative"; do
  args=${c%%:*} want=${c#*:}
  # shellcheck disable=SC2086
  python3 scripts/sdf_endpoints.py "$T/"$args > "$T/bad.out" 2>&1
  rc=$?
  if [ $rc -ne 1 ] || ! grep -q "sdf_endpoints: error: .*$want" "$T/bad.out" || grep -q Traceback "$T/bad.out"; then
    echo "FAIL sdf_endpoints_bad_input ($args): exit $rc: $(head -n 2 "$T/bad.out" | tr '\n' ' ')"; bad=1
  fi
done
[ $bad = 0 ] && echo "PASS sdf_endpoints_bad_input (truncated, not SDF, missing, bad clock, bad netlist, bad --dsp-ns)"
# The reason for --netlist, on the real tools: a 16x16 product from registers through one
# SB_MAC16 used without its registers into a register. nextpnr-ice40 packs that DSP with its
# clock tied to the constant net, so the paths into and out of it are cross-domain paths the
# design clock's Fmax leaves out: it reports the shift registers' 4.4 ns (228 MHz). With the
# netlist the same routed delays carry the multiplier's 9 ns.
if command -v yosys > /dev/null && command -v nextpnr-ice40 > /dev/null; then
  cat > "$T/mul.v" <<'V'
module mul(input clk, input a0, output reg y);
  reg [15:0] ra, rb, rc;
  reg y1;
  wire [31:0] p = (ra ^ rc) * (rb ^ rc);
  always @(posedge clk) begin
    ra <= {ra[14:0], a0}; rb <= {rb[14:0], ra[15]}; rc <= {rc[14:0], rb[15]};
    y1 <= ^p; y <= y1;
  end
endmodule
V
  if yosys -q -p "synth_ice40 -dsp -top mul -json $T/mul.json" "$T/mul.v" > "$T/mul.ys.log" 2>&1 &&
     nextpnr-ice40 --up5k --package sg48 --json "$T/mul.json" --sdf "$T/mul.sdf" --freq 12 \
       --pcf-allow-unconstrained --seed 1 > "$T/mul.pnr.log" 2>&1; then
    python3 scripts/sdf_endpoints.py "$T/mul.sdf" --netlist "$T/mul.json" --json "$T/mul-dsp.json" > /dev/null 2>&1
    why=$(python3 - "$T/mul-dsp.json" "$T/mul.pnr.log" <<'PY'
import json, re, sys
try:
    dsp = json.load(open(sys.argv[1]))
    f = [float(m) for m in re.findall(r"Max frequency for clock\s+'clk[^']*':\s*([0-9.]+) MHz", open(sys.argv[2]).read())]
    print("" if f and f[-1] > 150 and dsp["worst_ns"] >= 1000.0 / f[-1] + 9.0 and
          dsp["endpoints"][0]["name"] == "y1" else
          "nextpnr %s MHz, timed %.2f ns into %s" % (f[-1:] or "?", dsp["worst_ns"], dsp["endpoints"][0]["name"]))
except Exception as x:
    print("%s: %s" % (type(x).__name__, x))
PY
)
    if [ -z "$why" ]; then
      echo "PASS sdf_endpoints_real_dsp ($(python3 -c 'import json,re,sys; b=json.load(open(sys.argv[1])); f=re.findall(r"Max frequency for clock\s+.clk[^:]*:\s*([0-9.]+) MHz", open(sys.argv[2]).read()); print("nextpnr %s MHz, the multiplier out of its timing; timed %.1f MHz" % (f[-1], b["fmax_mhz"]))' "$T/mul-dsp.json" "$T/mul.pnr.log"))"
    else
      echo "FAIL sdf_endpoints_real_dsp: $why"
    fi
  else
    echo "FAIL sdf_endpoints_real_dsp: yosys or nextpnr failed: $(tail -n 1 "$T/mul.pnr.log" "$T/mul.ys.log" 2> /dev/null | tr '\n' ' ')"
  fi
else
  echo "SKIP sdf_endpoints_real_dsp: yosys or nextpnr-ice40 not installed"
fi
