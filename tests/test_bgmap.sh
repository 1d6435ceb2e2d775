#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bgmap (docs/mapping.md): the shipped nets onto loihi1, loihi2 and fpga; the per-core table and
# the JSON mapping agree with the description (every neuron placed once, compartments, synaptic
# bits, no core over a limit, routes from every hidden core to every core of the next layer); a
# net that does not fit names the limit and the smallest change and exits 3; a target that
# forces several cores and chips; malformed targets and bad arguments are refused.
set -uo pipefail
cd "$(dirname "$0")/.."
B=${BG_BUILD:-build}/bin
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $(tr "\n" " " <<< "$2")"; }

check_report() {  # report.json net.json: the placement is complete and within the limits
  python3 - "$1" "$2" "$3" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); net = json.load(open(sys.argv[2])); t = json.load(open(sys.argv[3]))
sizes = [ly["size"] for ly in net["layers"]]
L = len(sizes) - 1
assert r["fits"] and r["cores"] == len(r["core_table"]), r["reason"]
placed = {l: [] for l in range(1, L + 1)}
for c in r["core_table"]:
    for k in ("compartments", "synaptic_bits", "input_axons", "output_axons"):
        lim = {"compartments": t["core"]["compartments"], "synaptic_bits": t["core"]["synaptic_memory_bits"],
               "input_axons": t["core"]["input_axons"], "output_axons": t["core"]["output_axons"]}[k]
        assert c[k] <= lim, (c["core"], k, c[k], lim)
    comp = 0
    for n in c["neurons"]:
        placed[n["layer"]] += range(n["first"], n["first"] + n["count"])
        comp += n["count"] * (4 if n["layer"] == L else 2)
    assert comp == c["compartments"], (c["core"], comp, c["compartments"])
    assert c["chip"] == c["core"] // t["chip"]["cores"]
for l in range(1, L + 1):
    assert sorted(placed[l]) == list(range(sizes[l])), ("layer", l)
# every core holding layer l routes to every core holding layer l+1
holds = {l: {c["core"] for c in r["core_table"] for n in c["neurons"] if n["layer"] == l} for l in placed}
for c in r["core_table"]:
    to = {x["to_core"] for x in c["routes"]}
    for n in c["neurons"]:
        if n["layer"] < L:
            assert holds[n["layer"] + 1] <= to, (c["core"], n["layer"])
PY
}

for net in nets/mnist-fpga.json nets/small.json; do
  for tgt in loihi1 loihi2 fpga; do
    name="bgmap_$(basename "$net" .json)_$tgt"
    if "$B/bgmap" --target "$tgt" "$net" --report "$T/r.json" > "$T/out.txt" 2>&1 &&
       grep -q "onto $tgt: fits" "$T/out.txt" && check_report "$T/r.json" "$net" "sw/mapping/targets/$tgt.json"; then
      pass "$name"
    else fail "$name" "$(head -3 "$T/out.txt")"; fi
  done
done

# mnist-full: 32-bit weights do not fit Loihi's 9; the FPGA core takes it on several chips
"$B/bgmap" --target loihi1 nets/mnist-full.json --report "$T/full.json" > "$T/full.txt" 2>&1
rc=$?
if [ $rc -eq 3 ] && grep -q "32-bit weights, the loihi1 holds at most 9 bits (23 over)" "$T/full.txt" &&
   grep -q "smallest change: weights of at most 9 bits" "$T/full.txt" &&
   python3 -c "import json; r=json.load(open('$T/full.json')); assert not r['fits'] and 'smallest_change' in r"; then
  pass bgmap_full_on_loihi1_refused
else fail bgmap_full_on_loihi1_refused "rc $rc: $(head -3 "$T/full.txt")"; fi
if "$B/bgmap" --target fpga nets/mnist-full.json --report "$T/ff.json" > "$T/ff.txt" 2>&1 &&
   check_report "$T/ff.json" nets/mnist-full.json sw/mapping/targets/fpga.json &&
   python3 -c "import json; r=json.load(open('$T/ff.json')); assert r['cores'] > 1 and r['chips'] > 1"; then
  pass bgmap_full_on_fpga_multichip
else fail bgmap_full_on_fpga_multichip "$(head -3 "$T/ff.txt")"; fi

# a small target: many cores, several per chip, and a fan-in too large for one core
python3 - <<'PY' > "$T/tiny.json"
import json
t = json.load(open("sw/mapping/targets/loihi1.json"))
t["name"] = "tinycore"; t["chip"]["cores"] = 4; t["core"]["compartments"] = 16
print(json.dumps(t))
PY
if "$B/bgmap" --target "$T/tiny.json" nets/mnist-fpga.json --report "$T/t.json" > "$T/t.txt" 2>&1 &&
   check_report "$T/t.json" nets/mnist-fpga.json "$T/tiny.json" &&
   python3 -c "import json; r=json.load(open('$T/t.json')); assert r['cores'] == 15 and r['chips'] == 4, (r['cores'], r['chips'])"; then
  pass bgmap_small_cores
else fail bgmap_small_cores "$(head -4 "$T/t.txt")"; fi
python3 - <<'PY' > "$T/axons.json"
import json
t = json.load(open("sw/mapping/targets/loihi1.json"))
t["name"] = "fewaxons"; t["core"]["input_axons"] = 500
print(json.dumps(t))
PY
"$B/bgmap" --target "$T/axons.json" nets/mnist-fpga.json > "$T/a.txt" 2>&1
if [ $? -eq 3 ] && grep -q "needs 804 input axons, a fewaxons core has 500 (304 over)" "$T/a.txt" &&
   grep -q "a fan-in of at most 480 into layer 1 (now 784)" "$T/a.txt"; then
  pass bgmap_axon_limit
else fail bgmap_axon_limit "$(cat "$T/a.txt")"; fi

# malformed targets and usage
printf '{"format": "biograd-target/1", "name": "x", "chip": {"cores": 0}, "core": {"compartments": 4}}' > "$T/bad.json"
"$B/bgmap" --target "$T/bad.json" nets/small.json > "$T/b.txt" 2>&1
if [ $? -eq 1 ] && grep -q "chip.cores" "$T/b.txt" && grep -q "core.synaptic_memory_bits: required" "$T/b.txt" &&
   grep -q "weights: required" "$T/b.txt"; then pass bgmap_bad_target
else fail bgmap_bad_target "$(cat "$T/b.txt")"; fi
"$B/bgmap" --target nosuch nets/small.json > "$T/n.txt" 2>&1
if [ $? -eq 1 ] && grep -q "sw/mapping/targets/nosuch.json: cannot open" "$T/n.txt"; then pass bgmap_unknown_target
else fail bgmap_unknown_target "$(cat "$T/n.txt")"; fi
"$B/bgmap" nets/small.json > /dev/null 2>&1
[ $? -eq 2 ] && pass bgmap_usage || fail bgmap_usage "missing --target not a usage error"

# the partitioned simulator (golden semantics) agrees with the golden model, value for value
python3 - <<'PY' > "$T/fpga6.json"
import json
t = json.load(open("sw/mapping/targets/fpga.json"))
t["name"] = "fpga6"; t["chip"]["cores"] = 4; t["core"]["compartments"] = 6
print(json.dumps(t))
PY
python3 - <<'PY' > "$T/l1small.json"
import json
t = json.load(open("sw/mapping/targets/loihi1.json"))
t["name"] = "loihi1-small"; t["core"]["compartments"] = 64
print(json.dumps(t))
PY
sim_ok() {  # name, then bgmap arguments
  local name=$1; shift
  if "$B/bgmap" "$@" --simulate > "$T/sim.txt" 2>&1 &&
     grep -q "identical to the golden model" "$T/sim.txt" && ! grep -q DIVERGENCE "$T/sim.txt"; then
    pass "$name ($(grep -o 'on [0-9]* cores:' "$T/sim.txt"))"
  else fail "$name" "$(grep -m2 'DIVERGENCE\|error' "$T/sim.txt")"; fi
}
# tiny-replay sleeps every 4 samples, mnist-fpga every 128: both phases are compared
sim_ok bgmap_sim_tiny_7_cores --target "$T/fpga6.json" tests/cosim/nets/tiny-replay.json --samples 20
sim_ok bgmap_sim_mnist_4_cores --target "$T/l1small.json" nets/mnist-fpga.json --samples 130 --data mnist
sim_ok bgmap_sim_mnist_no_sleep --target "$T/l1small.json" nets/mnist-fpga.json --samples 20 --data mnist --no-sleep
for s in 3 4 5 12 20; do
  python3 tests/cosim/random_net.py $s "$T/random-$s.json"
  sim_ok "bgmap_sim_random_$s" --target "$T/fpga6.json" "$T/random-$s.json" --samples 12 --seed $s
done

# the estimate: printed with its label and its parts on a target with per-operation figures
if "$B/bgmap" --target loihi1 nets/mnist-fpga.json --simulate --samples 4 --data mnist > "$T/e.txt" 2>&1 &&
   grep -q "^ESTIMATE, energy per training sample on loihi1 (counts x the per-operation figures of Davies" "$T/e.txt" &&
   grep -q "^ESTIMATE, time per training sample on loihi1: " "$T/e.txt" &&
   ! "$B/bgmap" --target loihi2 nets/mnist-fpga.json --simulate --samples 2 --data mnist | grep -q ESTIMATE; then
  pass bgmap_estimate
else fail bgmap_estimate "$(grep -m2 ESTIMATE "$T/e.txt")"; fi

# the report's learning engine (sum-of-products terms, Loihi 1 expressibility) and schedule
"$B/bgmap" --target loihi1 nets/mnist-fpga.json --report "$T/le.json" > /dev/null 2>&1
if python3 - "$T/le.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
terms = r["learning_engine"]
assert [t["target"] for t in terms] == ["record", "K_i(t)", "e_ij", "W_ij", "B_ik (sleep)"], terms
assert all("loihi1_expressible" in t and (t["loihi1_expressible"] or t["why"]) for t in terms)
assert [p["phase"] for p in r["schedule"]] == ["encode", "forward", "error", "learn", "update", "sleep"]
assert "every 128 samples" in r["schedule"][-1]["when"]
PY
then pass bgmap_learning_engine; else fail bgmap_learning_engine "report: $(head -c 300 "$T/le.json")"; fi

# --semantics loihi1 (docs/mapping.md, "Loihi 1 semantics"): the report ties every golden term
# to the loihi1 terms that replace it
if python3 - "$T/le.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
l1 = {t["target"] for t in r["loihi1_terms"]}
assert {"x1_j", "y0_i", "tag_ij", "y2_i, y3_i", "W_ij", "b_i", "B_ik (sleep)"} <= l1, l1
for t in r["learning_engine"]:
    rep = t["loihi1_replacement"]
    assert any(name.split(",")[0] in rep for name in l1), (t["target"], rep)
assert all(t["replaces"] for t in r["loihi1_terms"])
assert r["loihi1_t_epoch"] == 2
PY
then pass bgmap_loihi1_report_terms; else fail bgmap_loihi1_report_terms "$(head -c 300 "$T/le.json")"; fi

l1run() {  # output file, then bgmap arguments (loihi1 semantics on mnist-fpga)
  local out=$1; shift
  "$B/bgmap" nets/mnist-fpga.json --simulate --semantics loihi1 --data mnist "$@" > "$out" 2>&1
}
hash_of() { grep -o 'weights hash [0-9a-f]*' "$1"; }
# learns MNIST well above chance in 3000 samples (about 75 % on 500 test images)
if l1run "$T/l1.txt" --target loihi1 --samples 3000 --test-samples 500 &&
   python3 -c "import re,sys; a=float(re.search(r'test accuracy: ([0-9.]+)', open(sys.argv[1]).read()).group(1)); sys.exit(0 if a > 50 else 1)" "$T/l1.txt"; then
  pass "bgmap_loihi1_learns ($(grep -o 'test accuracy: [0-9.]* %' "$T/l1.txt"))"
else fail bgmap_loihi1_learns "$(grep -m3 'accuracy:\|^error' "$T/l1.txt")"; fi
grep -q "^ESTIMATE, energy per training sample on loihi1, loihi1 semantics" "$T/l1.txt" &&
  grep -q "learning ops" "$T/l1.txt" && pass bgmap_loihi1_counts ||
  fail bgmap_loihi1_counts "$(tail -4 "$T/l1.txt")"
# the same seed gives the same weights, another seed other weights; the 4-core mapping the
# same values as the 1-core one (every term is neuron- or synapse-local), with routed spikes
l1run "$T/s1.txt" --target loihi1 --samples 200 --test-samples 20 --seed 5
l1run "$T/s2.txt" --target loihi1 --samples 200 --test-samples 20 --seed 5
l1run "$T/s3.txt" --target loihi1 --samples 200 --test-samples 20 --seed 6
l1run "$T/s4.txt" --target "$T/l1small.json" --samples 200 --test-samples 20 --seed 5
if [ -n "$(hash_of "$T/s1.txt")" ] && [ "$(hash_of "$T/s1.txt")" = "$(hash_of "$T/s2.txt")" ] &&
   [ "$(hash_of "$T/s1.txt")" != "$(hash_of "$T/s3.txt")" ]; then
  pass "bgmap_loihi1_seed ($(hash_of "$T/s1.txt"))"
else fail bgmap_loihi1_seed "$(hash_of "$T/s1.txt") / $(hash_of "$T/s2.txt") / $(hash_of "$T/s3.txt")"; fi
if [ "$(hash_of "$T/s1.txt")" = "$(hash_of "$T/s4.txt")" ] && grep -q "on 4 cores" "$T/s4.txt" &&
   grep -q " 0 spikes routed between cores" "$T/s1.txt" &&
   ! grep -q " 0 spikes routed between cores" "$T/s4.txt"; then
  pass bgmap_loihi1_cores
else fail bgmap_loihi1_cores "$(grep -m1 'routed' "$T/s4.txt")"; fi
# the golden semantics' counts include learning ops and memory accesses
grep -q "learning ops (synapses the update and sleep steps read-modify-write)" "$T/e.txt" &&
  pass bgmap_golden_counts || fail bgmap_golden_counts "$(grep -m1 'per training' "$T/e.txt")"

# bad options: exit status and a message naming the option and what was expected
bad() {  # name, expected status, expected message, then bgmap arguments
  local name=$1 want=$2 msg=$3; shift 3
  "$B/bgmap" "$@" > "$T/bad.txt" 2>&1
  local rc=$?
  if [ $rc -eq "$want" ] && grep -qF -- "$msg" "$T/bad.txt"; then pass "$name"
  else fail "$name" "status $rc: $(head -c 200 "$T/bad.txt")"; fi
}
NET=nets/mnist-fpga.json
bad bgmap_bad_semantics 2 '--semantics: expected golden or loihi1, found "loihi3"' --target loihi1 $NET --simulate --semantics loihi3
bad bgmap_bad_surrogate 2 '--surrogate: expected spike or window, found "x"' --target loihi1 $NET --simulate --semantics loihi1 --surrogate x
bad bgmap_bad_t_epoch 1 '--t-epoch: expected 1 … 63 steps dividing time.steps = 20' --target loihi1 $NET --simulate --semantics loihi1 --t-epoch 3 --data mnist
bad bgmap_bad_t_epoch_64 1 '--t-epoch: expected 1 … 63' --target loihi1 $NET --simulate --semantics loihi1 --t-epoch 80
bad bgmap_bad_t_epoch_text 2 '--t-epoch: expected a non-negative integer, found "two"' --target loihi1 $NET --simulate --semantics loihi1 --t-epoch two
bad bgmap_bad_err_exp 2 '--err-exp: expected an integer in -12 … 0, found "3"' --target loihi1 $NET --simulate --semantics loihi1 --err-exp 3
bad bgmap_l1_option_golden 2 'need --semantics loihi1' --target loihi1 $NET --simulate --t-epoch 4
bad bgmap_l1_no_simulate 2 '--semantics loihi1 needs --simulate' --target loihi1 $NET --semantics loihi1
python3 - <<'PY' > "$T/ssnn.json"
import json
n = json.load(open("nets/mnist-fpga.json")); n["rule"] = "ssnn-bp"
print(json.dumps(n))
PY
bad bgmap_l1_rule 1 'rule: --semantics loihi1 expects "biograd", found "ssnn-bp"' --target loihi1 "$T/ssnn.json" --simulate --semantics loihi1
