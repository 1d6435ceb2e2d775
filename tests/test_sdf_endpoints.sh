#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/sdf_endpoints.py on a small hand-made SDF whose arrival times are known: the longest
# path wins over a shorter one, setup times are added, endpoints group by register and memory
# port, the chosen clock decides what is "over", --path walks the slowest path back, --json
# carries the same numbers; and bad input (a truncated file, a file that is not SDF, a missing
# file, a bad clock) is an error with the file named, never a traceback.
# (The agreement with nextpnr's own Fmax on a placed design is checked in tests/test_synth.sh.)
set -u
cd "$(dirname "$0")/.."
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cat > "$T/small.sdf" <<'SDF'
(DELAYFILE
  (SDFVERSION "3.0")
  (DESIGN "top")
  (TIMESCALE 1ps)
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
)
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
# bad input: one line naming the file, exit 1
head -c 400 "$T/small.sdf" > "$T/cut.sdf"
echo '(CELL (CELLTYPE "x"))' > "$T/notsdf.sdf"
bad=0
for c in "cut.sdf:unclosed" "notsdf.sdf:not an SDF file" "none.sdf:cannot read" "small.sdf --mhz 0:--mhz must be positive"; do
  args=${c%%:*} want=${c#*:}
  # shellcheck disable=SC2086
  python3 scripts/sdf_endpoints.py "$T/"$args > "$T/bad.out" 2>&1
  rc=$?
  if [ $rc -ne 1 ] || ! grep -q "sdf_endpoints: error: .*$want" "$T/bad.out" || grep -q Traceback "$T/bad.out"; then
    echo "FAIL sdf_endpoints_bad_input ($args): exit $rc: $(head -n 2 "$T/bad.out" | tr '\n' ' ')"; bad=1
  fi
done
[ $bad = 0 ] && echo "PASS sdf_endpoints_bad_input (truncated, not SDF, missing, bad clock)"
