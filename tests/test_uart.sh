#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The uart: backend with no board (docs/driver.md, "The uart: backend"): the Verilated board
# top for tests/cosim/nets/tiny-replay.json behind a pseudo-terminal (sim/fpga/bgboard.sh).
#   - tests/test_driver's conformance, training (identical predictions and weight hash to the
#     golden model and to a cmodel: device) and checkpoints over uart:
#   - bgctl info, load, dump-weights, sleep, counters, save and restore on uart:, a checkpoint
#     of the board restored on cmodel:
#   - faults injected by the simulator, each ending with a clear error within a few seconds
#     (never a hang) and never a partial checkpoint: the simulator dying mid-response, garbled
#     response bytes, a wrong CRC, a stalled link, a lost START response (not retried); and
#     the recoverable ones: one garbled byte (retried) and a late response (stale, dropped).
set -u
cd "$(dirname "$0")/.."
if [ "${BG_BUILD:-build}" != "build" ]; then
  echo "SKIP uart: runs in the plain suite (the Verilated board is not built with sanitizers)"
  exit 0
fi
B=build/bin
NET=tests/cosim/nets/tiny-replay.json
T=$(mktemp -d)
SIMPID=""
cleanup() {
  [ -n "$SIMPID" ] && kill "$SIMPID" 2> /dev/null && wait "$SIMPID" 2> /dev/null
  rm -rf "$T"
}
trap cleanup EXIT
pass() { echo "PASS $*"; }
fail() { echo "FAIL $1: $(tr "\n" " " <<< "$2")"; }  # one line: a child's FAIL lines are not counted as ours

make -s --no-print-directory all build/tests/test_driver > /dev/null ||
  { echo "FAIL uart_build: make all build/tests/test_driver"; exit 1; }
t0=$(date +%s)
if ! bash sim/fpga/bgboard.sh --net "$NET" --build-only 2> "$T/build.err"; then
  echo "FAIL uart_sim_build: $(cat "$T/build.err")"
  exit 1
fi
echo "uart: board simulator ready in $(( $(date +%s) - t0 )) s"

# start_board [faults...]: a fresh board (power-on state) on a new pty; sets SIMPID and PTY
start_board() {
  rm -f "$T/link"
  bash sim/fpga/bgboard.sh --net "$NET" --link "$T/link" "$@" > "$T/sim.log" 2>&1 &
  SIMPID=$!
  for _ in $(seq 100); do
    [ -s "$T/link" ] && break
    kill -0 "$SIMPID" 2> /dev/null || break
    sleep 0.1
  done
  PTY=$(cat "$T/link" 2> /dev/null)
  [ -n "$PTY" ] || { echo "FAIL uart_sim_start: no pty after 10 s: $(cat "$T/sim.log")"; exit 1; }
}
stop_board() {
  kill "$SIMPID" 2> /dev/null
  wait "$SIMPID" 2> /dev/null
  SIMPID=""
}
now() { date +%s.%N; }
# The functional checks allow the simulator 1 s per response instead of the protocol's 100 ms of
# adapter latency (on a machine shared with other jobs it can be descheduled for longer than
# that); the fault tests keep the protocol's timeouts.
SLACK=1000
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

# ---- the driver's checks over the link --------------------------------------------------------
start_board
s=$(now)
timeout 300 build/tests/test_driver --uri "uart:$PTY,slack=$SLACK" --net "$NET" > "$T/drv.out" 2>&1
rc=$?
sed -n 's/^\(PASS\|FAIL\|SKIP\) /\1 uart_/p' "$T/drv.out"
[ $rc -eq 0 ] || grep -q '^FAIL' "$T/drv.out" || fail uart_test_driver "exit status $rc: $(tail -n 3 "$T/drv.out")"
echo "uart: test_driver over the link in $(secs "$s" "$(now)") s"

# ---- bgctl end to end -------------------------------------------------------------------------
CTL=("$B/bgctl" --backend "uart:$PTY,slack=$SLACK" --net "$NET")
CM=("$B/bgctl" --backend cmodel: --net "$NET")
if "${CTL[@]}" info > "$T/info.out" 2>&1 && grep -q "backend uart, net tiny-replay (hash 0xa9fd0312)" "$T/info.out" &&
   grep -q "memory 1 weights    160 words" "$T/info.out"; then
  pass uart_bgctl_info
else fail uart_bgctl_info "$(head -3 "$T/info.out")"; fi

ok=1 why=""
"${CTL[@]}" load > "$T/load.out" 2>&1 || { ok=0; why="load: $(cat "$T/load.out")"; }
"${CTL[@]}" dump-weights -o "$T/w_uart.csv" > /dev/null 2>&1 || { ok=0; why="dump-weights"; }
"${CM[@]}" dump-weights -o "$T/w_cm.csv" > /dev/null 2>&1
cmp -s "$T/w_uart.csv" "$T/w_cm.csv" || { ok=0; why="${why:-the loaded weights differ from those of cmodel:}"; }
[ $ok = 1 ] && pass uart_bgctl_load_dump || fail uart_bgctl_load_dump "$why"

s=$(now)
if "${CTL[@]}" --json counters > "$T/c0.json" 2>&1 && "${CTL[@]}" sleep > "$T/sleep.out" 2>&1 &&
   "${CTL[@]}" --json counters > "$T/c.json" 2>&1 &&
   python3 -c "import json; a=json.load(open('$T/c0.json')); d=json.load(open('$T/c.json')); assert d['sleeps'] == a['sleeps'] + 1 and d['sleep_cycles'] > a['sleep_cycles'] and d['samples'] == a['samples'], (a, d)"; then
  pass uart_bgctl_sleep_counters "($(secs "$s" "$(now)") s)"
else fail uart_bgctl_sleep_counters "$(cat "$T/sleep.out" "$T/c.json" | head -3)"; fi

# save on the board, scramble it, restore: the weights come back; the file also restores on cmodel:
ok=1 why=""
"${CTL[@]}" dump-weights -o "$T/w_before.csv" > /dev/null 2>&1
"${CTL[@]}" save "$T/board.ckpt" > "$T/save.out" 2>&1 || { ok=0; why="save: $(cat "$T/save.out")"; }
"${CTL[@]}" sleep > /dev/null 2>&1
"${CTL[@]}" dump-weights -o "$T/w_scrambled.csv" > /dev/null 2>&1
cmp -s "$T/w_before.csv" "$T/w_scrambled.csv" && { ok=0; why="${why:-a sleep call changed no feedback weight}"; }
"${CTL[@]}" restore "$T/board.ckpt" > "$T/restore.out" 2>&1 || { ok=0; why="${why:-restore: $(cat "$T/restore.out")}"; }
"${CTL[@]}" dump-weights -o "$T/w_after.csv" > /dev/null 2>&1
cmp -s "$T/w_before.csv" "$T/w_after.csv" || { ok=0; why="${why:-the restored weights differ}"; }
"${CM[@]}" --restore "$T/board.ckpt" dump-weights -o "$T/w_cm2.csv" > /dev/null 2>&1
cmp -s "$T/w_before.csv" "$T/w_cm2.csv" || { ok=0; why="${why:-the checkpoint of the board restores differently on cmodel:}"; }
[ $ok = 1 ] && pass uart_bgctl_save_restore || fail uart_bgctl_save_restore "$why"

# two programs on one port: the second is refused while the first holds it (flock)
exec 4<> "$PTY"
if flock -n 4; then
  if "${CTL[@]}" info > "$T/lock.out" 2>&1; then fail uart_port_lock "a second program was let in"
  elif grep -q "uart:$PTY: lock (in use by another program?)" "$T/lock.out"; then pass uart_port_lock
  else fail uart_port_lock "$(cat "$T/lock.out")"; fi
else fail uart_port_lock "could not take the port's lock"; fi
exec 4>&-

kill "$SIMPID"
wait "$SIMPID"
rc=$?
SIMPID=""
if [ $rc -eq 0 ] && [ ! -e "$T/link" ]; then pass uart_sim_sigterm
else fail uart_sim_sigterm "exit status $rc on SIGTERM, link file $(ls "$T/link" 2>&1)"; fi

# ---- bgctl train on MNIST: nets/mnist-fpga.json's board against cmodel: ----------------------
# reset + load gives the board a fresh cmodel: device's state; the same samples must end with the
# same weight hash and accuracy, and the board's checkpoint must infer on cmodel: as on the board
if [ ! -e data/mnist/train-images-idx3-ubyte ]; then
  echo "SKIP uart_bgctl_train_mnist: no MNIST under data/ (scripts/fetch_data.sh)"
else
  NET_SAVED=$NET
  NET=nets/mnist-fpga.json
  t0=$(date +%s)
  if bash sim/fpga/bgboard.sh --net "$NET" --build-only 2> "$T/build.err"; then
    echo "uart: mnist-fpga board simulator ready in $(( $(date +%s) - t0 )) s"
    start_board
    MC=("$B/bgctl" --backend "uart:$PTY,slack=$SLACK" --net "$NET")
    MM=("$B/bgctl" --backend cmodel: --net "$NET")
    n=5
    "${MC[@]}" reset > "$T/m.out" 2>&1 && "${MC[@]}" load >> "$T/m.out" 2>&1
    s=$(now)
    "${MC[@]}" --json --save "$T/m.ckpt" train --data mnist --samples $n > "$T/mu.json" 2>> "$T/m.out"
    el=$(secs "$s" "$(now)")
    "${MM[@]}" --json train --data mnist --samples $n > "$T/mc.json" 2>> "$T/m.out"
    "${MC[@]}" --json infer --data mnist --samples $n > "$T/miu.json" 2>> "$T/m.out"
    "${MM[@]}" --json --restore "$T/m.ckpt" infer --data mnist --samples $n > "$T/mic.json" 2>> "$T/m.out"
    stop_board
    if python3 - "$T/mu.json" "$T/mc.json" "$T/miu.json" "$T/mic.json" <<'PY' > "$T/m.why" 2>&1
import json, sys
u, c, iu, ic = (json.loads(open(f).read()) for f in sys.argv[1:])
assert u["backend"] == "uart" and c["backend"] == "cmodel", (u, c)
assert u["weight_hash"] == c["weight_hash"], ("train", u["weight_hash"], c["weight_hash"])
assert u["accuracy"] == c["accuracy"], ("train accuracy", u["accuracy"], c["accuracy"])
assert iu["accuracy"] == ic["accuracy"] and iu["weight_hash"] == ic["weight_hash"], ("infer", iu, ic)
print("weight hash %s, train accuracy %.0f %%, infer accuracy %.0f %%" % (u["weight_hash"], u["accuracy"], iu["accuracy"]))
PY
    then pass uart_bgctl_train_mnist "($n samples in $el s with save, $(cat "$T/m.why"))"
    else fail uart_bgctl_train_mnist "$(cat "$T/m.why" "$T/m.out" | tail -n 4 | tr '\n' ' ')"; fi
  else fail uart_bgctl_train_mnist "board build: $(cat "$T/build.err")"; fi
  NET=$NET_SAVED
fi

# ---- faults -----------------------------------------------------------------------------------
# Responses of `bgctl save` on a fresh board: 1 PING at open, 3 for ID/VERSION/NET_HASH, then the
# save: weights (3 bursts), biases, feedback, 8 configuration words, NET_HASH: N=8 lands in the
# middle of the memory reads.
cp "$T/board.ckpt" "$T/old.ckpt" || { echo "FAIL uart_faults: no checkpoint from uart_bgctl_save_restore to protect"; exit 1; }
md5_old=$(md5sum < "$T/old.ckpt")
# fault NAME 'MESSAGE REGEX' MAX_SECONDS TARGET(new|old) [sim faults...]
fault() {
  local name=$1 re=$2 max=$3 target=$4
  shift 4
  start_board "$@"
  local out="$T/$name.ckpt"
  [ "$target" = old ] && cp "$T/old.ckpt" "$out"
  local s rc el
  s=$(now)
  timeout 30 "$B/bgctl" --backend "uart:$PTY" --net "$NET" save "$out" > "$T/$name.out" 2>&1
  rc=$?
  el=$(secs "$s" "$(now)")
  stop_board
  local msg
  msg=$(grep -m1 '^error:' "$T/$name.out")
  if [ $rc -eq 124 ]; then fail "$name" "bgctl hung (killed after 30 s)"
  elif [ $rc -ne 1 ]; then fail "$name" "exit status $rc, expected 1: $(cat "$T/$name.out")"
  elif ! grep -Eq "$re" <<< "$msg"; then fail "$name" "message '$msg' does not match /$re/"
  elif ! grep -q "uart:$PTY" <<< "$msg"; then fail "$name" "message '$msg' does not name the device"
  elif awk -v e="$el" -v m="$max" 'BEGIN { exit !(e > m) }'; then fail "$name" "took $el s (at most $max)"
  elif [ "$target" = new ] && [ -e "$out" ]; then fail "$name" "a checkpoint was written"
  elif [ "$target" = old ] && [ "$(md5sum < "$out")" != "$md5_old" ]; then fail "$name" "the old checkpoint changed"
  elif [ "$(ls "$T" | grep -c "^$name.ckpt.")" != 0 ]; then fail "$name" "temporary files left: $(ls "$T" | grep "^$name.ckpt.")"
  else pass "$name" "($el s: ${msg#error: })"; fi
}
fault uart_fault_sim_killed 'MEM_READ .*(end of file|hung up|Input/output error).*closed or died' 5 new --die-after 8
fault uart_fault_garbled 'MEM_READ .*no response in time \([0-9]+ bytes received, none of them a complete frame: a garbled line\?\) within [0-9]+ ms, 3 attempts' 5 old --garble-after 8
fault uart_fault_bad_crc 'MEM_READ .*bad CRC \(computed 0x[0-9a-f]{4}, the frame says 0x[0-9a-f]{4}\), 3 attempts' 5 new --bad-crc-after 8
fault uart_fault_stall 'MEM_READ .*no response in time \(0 bytes received\) within [0-9]+ ms, 3 attempts' 5 old --stall-after 8

# the simulator killed (SIGKILL) while test_driver trains through it: test_driver ends at once
# with the link named, not at its 60 s command timeout
start_board
timeout 60 build/tests/test_driver --uri "uart:$PTY,slack=$SLACK" --net "$NET" > "$T/kill.out" 2>&1 &
drv=$!
# kill as soon as the conformance check has passed: the next check trains through the link
for _ in $(seq 300); do
  grep -q "PASS conformance" "$T/kill.out" 2> /dev/null && break
  sleep 0.1
done
s=$(now)
kill -KILL "$SIMPID"
wait "$SIMPID" 2> /dev/null
SIMPID=""
wait "$drv"
rc=$?
el=$(secs "$s" "$(now)")
if [ $rc -ne 0 ] && [ $rc -ne 124 ] && grep -q "uart:$PTY: .*closed or died" "$T/kill.out" &&
   awk -v e="$el" 'BEGIN { exit !(e < 5) }'; then
  pass uart_fault_sim_sigkill "(test_driver ended $el s after the kill: $(grep -m1 'closed or died' "$T/kill.out"))"
else fail uart_fault_sim_sigkill "exit status $rc after $el s: $(head -c 600 "$T/kill.out")"; fi

# a lost START response: START is not idempotent, so it is not retried; the message says so
start_board --stall-after 4
s=$(now)
timeout 30 "$B/bgctl" --backend "uart:$PTY" --net "$NET" sleep > "$T/start.out" 2>&1
rc=$?
el=$(secs "$s" "$(now)")
stop_board
if [ $rc -eq 1 ] && grep -q "START (seq [0-9]*): no response in time (0 bytes received) within [0-9]* ms; START is not idempotent, so it was not retried and may have taken effect (read STATUS)" "$T/start.out"; then
  pass uart_fault_start_lost "($el s)"
else fail uart_fault_start_lost "exit status $rc: $(cat "$T/start.out")"; fi

# recoverable: one garbled byte (bad CRC, retried) and a late response (dropped as stale); the
# checkpoint equals one saved by a fault-free fresh board
start_board
"$B/bgctl" --backend "uart:$PTY,slack=$SLACK" --net "$NET" save "$T/clean.ckpt" > /dev/null 2>&1
stop_board
recover() {
  local name=$1 re=$2
  shift 2
  start_board "$@"
  BG_UART_DEBUG=1 timeout 30 "$B/bgctl" --backend "uart:$PTY" --net "$NET" save "$T/$name.ckpt" > "$T/$name.out" 2>&1
  local rc=$?
  stop_board
  if [ $rc -ne 0 ]; then fail "$name" "exit status $rc: $(cat "$T/$name.out")"
  elif ! grep -Eq "$re" "$T/$name.out"; then fail "$name" "no /$re/ in: $(cat "$T/$name.out")"
  elif ! cmp -s "$T/$name.ckpt" "$T/clean.ckpt"; then fail "$name" "the checkpoint differs from a fault-free one"
  else pass "$name" "($(grep -Em1 "$re" "$T/$name.out"))"; fi
}
recover uart_retry_one_garbled 'MEM_READ \(seq [0-9]+\): attempt 1 of 3: a response with a bad CRC' --garble-one 8
recover uart_stale_response_dropped 'dropped a stale response' --delay-one 8
