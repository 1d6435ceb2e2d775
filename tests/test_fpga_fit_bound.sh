#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# scripts/fpga_fit_bound.sh on nets/tiny.json (a few minutes): the board top as it is and with
# levers taken out, in packed logic cells. Each removal must take cells out (so its edit
# applied), all of them together more than any one, and the report must hold what the table
# printed; an edit that no longer matches the RTL stops the script with the file named, and
# an unknown variant or argument is refused.
set -u
cd "$(dirname "$0")/.."
B="${BG_BUILD:-build}"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
. tests/fpga/tally.sh

if BG_BUILD="$B" bash scripts/fpga_fit_bound.sh --net nets/tiny.json --out "$T/b" \
     --only "today addresses min-link all" > "$T/out" 2>&1; then
  if python3 - "$T/b/bound.json" "$T/out" > "$T/check" 2>&1 <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
printed = open(sys.argv[2]).read()
v = r["variants"]
assert list(v) == ["today", "addresses", "min-link", "all"], list(v)
today = v["today"]["lc_packed"]
assert today > 1000, f"today {today}"
for name in ("addresses", "min-link"):
    saves = today - v[name]["lc_packed"]
    assert saves > 50, f"{name} saves only {saves} cells"
    assert f"{name:12}" in printed and f" {v[name]['lc_packed']:>6} {saves:>6}  " in printed, \
        f"{name}: the table does not show {v[name]['lc_packed']} / {saves}"
    assert "PerfCounters = 2" in v[name]["label"], v[name]["label"]
assert v["all"]["lc_packed"] < min(v["addresses"]["lc_packed"], v["min-link"]["lc_packed"]), \
    "all levers together save no more than one"
assert "PerfCounters = 0" in v["all"]["label"], v["all"]["label"]
assert r["capacity_lc"] == 5280
print(f"today {today}; " + "; ".join(f"{k} -{today - v[k]['lc_packed']}" for k in list(v)[1:]))
PY
  then ok "fit_bound_variants ($(cat "$T/check"))"
  else bad "fit_bound_variants: $(tail -n 2 "$T/check" | tr '\n' ' ')"; fi
else
  bad "fit_bound_run: $(tail -n 3 "$T/out" | tr '\n' ' ')"
fi

# an RTL the edits no longer match: a copy of the tree whose neuron-word address was rewritten
mkdir -p "$T/tree/build/bin" "$T/tree/tests"
cp -r scripts rtl boards "$T/tree/"
cp -r tests/fpga "$T/tree/tests/"
cp "$B/bin/bgnet" "$T/tree/build/bin/"
sed -i "s/    nw_a = AW'(nw_base) + AW'(nw_ix);/    nw_a = AW'(nw_ix) + AW'(nw_base);/" "$T/tree/rtl/bg_core.sv"
if bash "$T/tree/scripts/fpga_fit_bound.sh" --net "$PWD/nets/tiny.json" --out "$T/e" --only addresses \
     > "$T/e.out" 2>&1; then
  bad "fit_bound_stale_edit: measured an RTL its edit does not match"
elif grep -q "bg_core.sv: expected exactly one 'nw_a = AW'(nw_base) + AW'(nw_ix);'" "$T/e.out"; then
  ok "fit_bound_stale_edit"
else
  bad "fit_bound_stale_edit: $(tail -n 2 "$T/e.out" | tr '\n' ' ')"
fi

if bash scripts/fpga_fit_bound.sh --only "today bogus" > "$T/u" 2>&1; then
  bad "fit_bound_usage: accepted the variant bogus"
elif ! grep -q "unknown variant 'bogus'" "$T/u"; then
  bad "fit_bound_usage: $(head -n 1 "$T/u")"
elif bash scripts/fpga_fit_bound.sh --bogus > "$T/u" 2>&1; then
  bad "fit_bound_usage: accepted --bogus"
elif grep -q "unknown argument '--bogus'" "$T/u"; then ok "fit_bound_usage"
else bad "fit_bound_usage: $(head -n 1 "$T/u")"; fi

tally_end
