#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# bgctl on the cmodel: backend (docs/driver.md): info, load, train and infer on MNIST with a
# --json summary, a checkpoint saved by one run and restored by the next (bit-identical to one
# long run), dump-weights, counters; a damaged checkpoint, an unknown backend and bad arguments
# are refused with a clear message and the right exit status.
set -uo pipefail
cd "$(dirname "$0")/.."
B=${BG_BUILD:-build}/bin
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
NET=nets/mnist-fpga.json
CTL=("$B/bgctl" --backend cmodel: --net "$NET")
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $(tr "\n" " " <<< "$2")"; }

if "${CTL[@]}" info > "$T/info.out" 2>&1 && grep -q "memory 1 weights    79400 words" "$T/info.out"; then
  pass bgctl_info
else fail bgctl_info "$(head -3 "$T/info.out")"; fi

# train with a --json summary
if "${CTL[@]}" --json train --data mnist --samples 200 > "$T/t200.json" 2> "$T/t200.err" &&
   python3 - "$T/t200.json" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).read())
for k in ("command", "backend", "net", "samples", "accuracy", "samples_per_second", "weight_hash"):
    assert k in r, k
assert r["samples"] == 200 and r["backend"] == "cmodel" and 10 <= r["accuracy"] <= 100, r
PY
then pass bgctl_train_json; else fail bgctl_train_json "$(cat "$T/t200.err" "$T/t200.json" | head -3)"; fi

# save after training, restore into a new process: the weights (and so the hash) come back
"${CTL[@]}" --save "$T/dev.ckpt" train --data mnist --samples 100 > "$T/a.out" 2>&1
h1=$(awk '/^weight_hash/ { print $2 }' "$T/a.out")
"${CTL[@]}" --restore "$T/dev.ckpt" dump-weights -o "$T/w.csv" > /dev/null 2>&1
"${CTL[@]}" --restore "$T/dev.ckpt" infer --data mnist --samples 50 > "$T/b.out" 2>&1
h2=$(awk '/^weight_hash/ { print $2 }' "$T/b.out")
if [ -n "$h1" ] && [ "$h1" = "$h2" ] && [ "$(wc -l < "$T/w.csv")" -eq $((79400 + 110 + 1000 + 1)) ]; then
  pass bgctl_save_restore
else fail bgctl_save_restore "hash '$h1' vs '$h2', $(wc -l < "$T/w.csv") CSV lines"; fi

if "${CTL[@]}" --json counters > "$T/c.json" 2>&1 && python3 -c "import json,sys; d=json.load(open('$T/c.json')); assert d['samples'] == 0" ; then
  pass bgctl_counters; else fail bgctl_counters "$(cat "$T/c.json")"; fi

printf 'garbage' | dd of="$T/dev.ckpt" bs=1 seek=40 conv=notrunc 2> /dev/null
if "${CTL[@]}" --restore "$T/dev.ckpt" info > "$T/bad.out" 2>&1; then fail bgctl_damaged_ckpt "accepted"
elif [ $? -eq 1 ] && grep -q "$T/dev.ckpt" "$T/bad.out"; then pass bgctl_damaged_ckpt
else fail bgctl_damaged_ckpt "$(cat "$T/bad.out")"; fi

if "$B/bgctl" --backend tcp:1 --net "$NET" info > "$T/u.out" 2>&1; then fail bgctl_backend "accepted"
elif [ $? -eq 1 ] && grep -q 'expected a backend URI "cmodel:", "verilator:", "systemc:" or "uart:DEVICE\[@BAUD\]"' "$T/u.out"; then pass bgctl_backend
else fail bgctl_backend "$(cat "$T/u.out")"; fi
# uart: on something that is not a serial port: refused at once, naming it
if "$B/bgctl" --backend uart:/dev/null --net "$NET" info > "$T/u.out" 2>&1; then fail bgctl_backend_uart "accepted"
elif [ $? -eq 1 ] && grep -q 'uart:/dev/null: tcgetattr (not a serial port?)' "$T/u.out"; then pass bgctl_backend_uart
else fail bgctl_backend_uart "$(cat "$T/u.out")"; fi

ok=1
"$B/bgctl" --backend cmodel: info > /dev/null 2>&1; [ $? -eq 2 ] || ok=0
"${CTL[@]}" frobnicate > /dev/null 2>&1; [ $? -eq 2 ] || ok=0
"${CTL[@]}" save > /dev/null 2>&1; [ $? -eq 2 ] || ok=0
"${CTL[@]}" train --data mnist > "$T/n.out" 2>&1; [ $? -eq 1 ] && grep -q "samples N" "$T/n.out" || ok=0
[ $ok = 1 ] && pass bgctl_usage || fail bgctl_usage "wrong exit status or message"
