#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bgtrain / bgeval end to end on an MNIST subset (data/ is fetched by `make test`): the report's
# keys and values, resume bit-identical to an uninterrupted run, bgeval agreeing with bgtrain,
# plots rendered, corrupt checkpoints and bad arguments refused with clear messages.
set -u
B=${BG_BUILD:-build}/bin
T=$(mktemp -d "${TMPDIR:-/tmp}/bg-bgtrain-XXXXXX")
trap 'rm -rf "$T"' EXIT
fails=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $(tr "\n" " " <<< "$2")"; fails=$((fails + 1)); }
NET=nets/mnist-fpga.json
SUB=(--data mnist --train-samples 600 --val-samples 200 --test-samples 300 --quiet)

# 1. two epochs in one go, with report and plots
if "$B/bgtrain" --net $NET "${SUB[@]}" --epochs 2 --report "$T/full.json" --save "$T/full.ckpt" \
     --plot "$T/plots" >"$T/full.out" 2>"$T/full.err"; then
  if python3 - "$T/full.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
for k in ("test_accuracy", "train_accuracy", "val_accuracy", "samples_per_second", "epochs", "seed", "net", "mode"):
    assert k in r, k
assert r["epochs"] == 2 and r["mode"] == "integer" and r["seed"] == 1, r
assert 40 <= r["test_accuracy"] <= 100, r["test_accuracy"]   # 600 samples of MNIST: well above chance
assert len(r["per_epoch"]) == 2 and r["per_epoch"][1]["saturations"] == 0
for e in r["per_epoch"]:
    f = e["saturations_by_field"]
    assert set(f) == {"v", "z", "e", "k", "u", "d", "w", "b", "fb", "acc"} and sum(f.values()) == e["saturations"], f
assert r["per_epoch"][0]["feedback_angle_deg"][0] >= 0
assert sum(map(sum, r["confusion"])) == 300
PY
  then pass report; else fail report "report keys or values wrong: $(cat "$T/full.json" | head -c 400)"; fi
  missing=""
  for f in accuracy.png raster.png angle.png weights_l1.png weights_l2.png accuracy.csv raster.csv; do
    [ -s "$T/plots/$f" ] || missing="$missing $f"
  done
  [ -z "$missing" ] && pass plots || fail plots "missing:$missing"
else
  fail report "bgtrain failed: $(tail -3 "$T/full.err")"
fi

# 2. one epoch, then resume to two: the same weights as the uninterrupted run
"$B/bgtrain" --net $NET "${SUB[@]}" --epochs 1 --save "$T/half.ckpt" >/dev/null 2>"$T/half.err"
"$B/bgtrain" --net $NET "${SUB[@]}" --epochs 2 --resume "$T/half.ckpt" >"$T/resumed.out" 2>>"$T/half.err"
h1=$(grep weight_hash "$T/full.out" | cut -d' ' -f2)
h2=$(grep weight_hash "$T/resumed.out" | cut -d' ' -f2)
a1=$(grep test_accuracy "$T/full.out"); a2=$(grep test_accuracy "$T/resumed.out")
if [ -n "$h1" ] && [ "$h1" = "$h2" ] && [ "$a1" = "$a2" ]; then pass resume_bit_identical
else fail resume_bit_identical "uninterrupted $h1 ($a1), resumed $h2 ($a2): $(tail -2 "$T/half.err")"; fi

# 2b. every seed rule (nets/rules/*-784-100-10.json) through the same CLI: report names the
# rule, a resumed run is bit-identical to an uninterrupted one, bgeval reproduces the accuracy
for rnet in nets/rules/*-784-100-10.json; do
  rule=$(basename "$rnet" -784-100-10.json)
  fl=""; [ "$rule" = bptt ] && fl=--float
  RSUB=(--data mnist --train-samples 300 --val-samples 100 --test-samples 200 --quiet $fl)
  if "$B/bgtrain" --net "$rnet" "${RSUB[@]}" --epochs 2 --report "$T/r-$rule.json" --save "$T/r-$rule.ckpt" \
       > "$T/r-$rule.out" 2> "$T/r-$rule.err" &&
     "$B/bgtrain" --net "$rnet" "${RSUB[@]}" --epochs 1 --save "$T/r-$rule-1.ckpt" > /dev/null 2>&1 &&
     "$B/bgtrain" --net "$rnet" "${RSUB[@]}" --epochs 2 --resume "$T/r-$rule-1.ckpt" > "$T/r-$rule-res.out" 2>&1; then
    h1=$(grep weight_hash "$T/r-$rule.out"); h2=$(grep weight_hash "$T/r-$rule-res.out")
    acc=$("$B/bgeval" --net "$rnet" --ckpt "$T/r-$rule.ckpt" --data mnist --test-samples 200 $fl 2>&1 | grep '^test_accuracy' | cut -d' ' -f2)
    want=$(grep '^test_accuracy' "$T/r-$rule.out" | cut -d' ' -f2)
    if ! grep -Eq "\"rule\":[[:space:]]*\"$rule\"" "$T/r-$rule.json"; then fail "rule_cli_$rule" "report does not name the rule"
    elif [ -z "$h1" ] || [ "$h1" != "$h2" ]; then fail "rule_cli_$rule" "resumed run differs: '$h1' vs '$h2'"
    elif [ "$acc" != "$want" ]; then fail "rule_cli_$rule" "bgeval '$acc', bgtrain '$want'"
    else pass "rule_cli_$rule"; fi
  else
    fail "rule_cli_$rule" "bgtrain failed: $(tail -2 "$T/r-$rule.err")"
  fi
done

# 3. bgeval on the final checkpoint reproduces bgtrain's test accuracy
acc=$("$B/bgeval" --net $NET --ckpt "$T/full.ckpt" --data mnist --test-samples 300 2>&1 | grep '^test_accuracy' | cut -d' ' -f2)
want=$(grep '^test_accuracy' "$T/full.out" | cut -d' ' -f2)
[ -n "$acc" ] && [ "$acc" = "$want" ] && pass bgeval_agrees || fail bgeval_agrees "bgeval $acc, bgtrain $want"

# 3b. the float path on the same weights predicts (almost always) the same class
ag=$("$B/bgeval" --net $NET --ckpt "$T/full.ckpt" --data mnist --test-samples 300 --agreement 2>&1 | grep '^float_agreement' | cut -d' ' -f2)
[ -n "$ag" ] && awk -v a="$ag" 'BEGIN { exit !(a >= 95) }' && pass float_agreement || fail float_agreement "agreement '$ag'"

# 4. a damaged checkpoint is refused with the file named; a float run refuses an integer one
cp "$T/full.ckpt" "$T/bad.ckpt"
printf '\x55' | dd of="$T/bad.ckpt" bs=1 seek=200 conv=notrunc 2>/dev/null
out=$("$B/bgeval" --net $NET --ckpt "$T/bad.ckpt" --data mnist 2>&1); rc=$?
[ $rc -eq 1 ] && grep -q "bad.ckpt" <<<"$out" && pass corrupt_refused || fail corrupt_refused "rc $rc: $out"
head -c 100 "$T/full.ckpt" >"$T/short.ckpt"
out=$("$B/bgtrain" --net $NET "${SUB[@]}" --epochs 2 --resume "$T/short.ckpt" 2>&1); rc=$?
[ $rc -eq 1 ] && grep -q "short.ckpt" <<<"$out" && pass truncated_refused || fail truncated_refused "rc $rc: $out"
out=$("$B/bgeval" --net $NET --ckpt "$T/full.ckpt" --data mnist --float 2>&1); rc=$?
[ $rc -eq 1 ] && grep -q "integer" <<<"$out" && pass path_mismatch_refused || fail path_mismatch_refused "rc $rc: $out"
out=$("$B/bgeval" --net nets/small.json --ckpt "$T/full.ckpt" --data mnist 2>&1); rc=$?
[ $rc -eq 1 ] && pass other_net_refused || fail other_net_refused "rc $rc: $out"

# 5. usage errors exit 2; --seed changes the run
"$B/bgtrain" --net $NET --data mnist >/dev/null 2>&1; rc1=$?
"$B/bgtrain" --net $NET --data mnist --epochs x >/dev/null 2>&1; rc2=$?
"$B/bgtrain" --net $NET --data nope --epochs 1 >/dev/null 2>&1; rc3=$?
[ $rc1 -eq 2 ] && [ $rc2 -eq 2 ] && [ $rc3 -eq 1 ] && pass usage_errors || fail usage_errors "rc $rc1 $rc2 $rc3"
h3=$("$B/bgtrain" --net $NET "${SUB[@]}" --epochs 1 --seed 9 2>/dev/null | grep weight_hash)
h4=$("$B/bgtrain" --net $NET "${SUB[@]}" --epochs 1 2>/dev/null | grep weight_hash)
[ -n "$h3" ] && [ "$h3" != "$h4" ] && pass seed_option || fail seed_option "same weights for seeds 9 and 1"

# 6. the float path runs and measures the BPTT cosine
if "$B/bgtrain" --net $NET "${SUB[@]}" --epochs 1 --float --instrument-every 50 --report "$T/f.json" >/dev/null 2>&1 &&
   python3 -c "
import json; r = json.load(open('$T/f.json')); c = r['per_epoch'][0]['bptt_cosine']
assert r['mode'] == 'float' and all(0.5 < x <= 1 for x in c), c"; then pass float_and_cosine
else fail float_and_cosine "$(cat "$T/f.json" 2>/dev/null | head -c 300)"; fi
exit $((fails > 0))
