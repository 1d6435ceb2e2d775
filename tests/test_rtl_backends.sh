#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The verilator: and systemc: backends (docs/driver.md, "The RTL backends"): the driver's
# conformance, training and checkpoint checks (tests/test_driver.c) on both; the same
# `bgctl train` on MNIST ends with the same weight hash on cmodel:, verilator: and systemc:; a
# planted bug in the register block fails the conformance suite; bad URIs are refused clearly.
set -uo pipefail
cd "$(dirname "$0")/.."
B=${BG_BUILD:-build}
case "$B" in
  *asan*) echo "SKIP rtl_backends: the Verilated and SystemC device libraries are not sanitizer-built"; exit 0 ;;
esac
T="$(mktemp -d)"
trap 'rm -rf "$T"' EXIT
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $(tr "\n" " " <<< "$2")"; }
NET=tests/cosim/nets/tiny-replay.json

for k in verilator systemc; do
  if ! bash sim/vdev/bgvdev.sh --net "$NET" --kind $k > "$T/lib.$k" 2> "$T/build.$k"; then
    fail rtl_backend_build_$k "$(tail -3 "$T/build.$k")"; continue
  fi
  timeout 300 "$B/tests/test_driver" --uri $k: --net "$NET" > "$T/drv.$k" 2>&1
  rc=$?
  if [ $rc -eq 0 ] && ! grep -q '^FAIL' "$T/drv.$k"; then
    pass "rtl_backend_test_driver_$k ($(grep -c '^PASS' "$T/drv.$k") driver checks)"
  else fail rtl_backend_test_driver_$k "exit $rc: $(grep -m2 '^FAIL' "$T/drv.$k")"; fi
done

# the same bgctl train on three backends: identical weights and accuracy
if [ ! -e data/mnist/train-images-idx3-ubyte ]; then
  echo "SKIP rtl_backend_bgctl_mnist: no MNIST under data/ (scripts/fetch-data.sh)"
else
  M=nets/mnist-fpga.json
  for b in cmodel verilator systemc; do
    timeout 600 "$B/bin/bgctl" --backend $b: --net $M --load --json train --data mnist --samples 3 \
      > "$T/m.$b.json" 2> "$T/m.$b.err"
  done
  if python3 - "$T"/m.cmodel.json "$T"/m.verilator.json "$T"/m.systemc.json > "$T/m.why" 2>&1 <<'PY'
import json, sys
r = [json.loads(open(f).read()) for f in sys.argv[1:]]
assert [x["backend"] for x in r] == ["cmodel", "verilator", "systemc"], r
assert len({x["weight_hash"] for x in r}) == 1, [x["weight_hash"] for x in r]
assert len({x["accuracy"] for x in r}) == 1, r
print("weight hash %s on all three" % r[0]["weight_hash"])
PY
  then pass "rtl_backend_bgctl_mnist ($(cat "$T/m.why"))"
  else fail rtl_backend_bgctl_mnist "$(cat "$T/m.why" "$T"/m.*.err | tail -4 | tr '\n' ' ')"; fi
fi

# a waveform on request
if "$B/bin/bgctl" --backend "verilator:trace=$T/w.fst" --net "$NET" info > "$T/tr.out" 2>&1 &&
   [ -s "$T/w.fst" ]; then pass rtl_backend_trace
else fail rtl_backend_trace "$(head -3 "$T/tr.out"), fst $(ls -l "$T/w.fst" 2>&1)"; fi

# a planted bug: a write to ID no longer sets ERROR.READ_ONLY; the conformance suite must notice
mkdir -p "$T/rtl/host"
sed "s/else if (is_ro(addr)) wr_flag = EReadOnly;/else if (is_ro(addr) \&\& 32'(addr) != bg_regs_pkg::RegId) wr_flag = EReadOnly;/" \
  rtl/host/bg_regblock.sv > "$T/rtl/host/bg_regblock.sv"
if cmp -s rtl/host/bg_regblock.sv "$T/rtl/host/bg_regblock.sv"; then
  fail rtl_backend_planted_bug "the planted edit did not apply"
elif lib=$(BG_RTL_HOST="$T/rtl/host" bash sim/vdev/bgvdev.sh --net "$NET" 2> "$T/pb.err"); then
  timeout 120 "$B/tests/test_driver" --uri "verilator:lib=$lib" --net "$NET" > "$T/pb.out" 2>&1
  if grep -q '^FAIL conformance' "$T/pb.out" && grep -q '^PASS checkpoints' "$T/pb.out"; then pass "rtl_backend_planted_bug ($(grep -m1 '^FAIL' "$T/pb.out" | cut -c1-90))"
  else fail rtl_backend_planted_bug "conformance did not fail: $(head -3 "$T/pb.out")"; fi
  rm -rf "$(dirname "$lib")"
else fail rtl_backend_planted_bug "build: $(tail -2 "$T/pb.err")"; fi

# refusals: a library of another description, a missing library, an unknown option, a net the
# core does not implement
refuse() {  # name, regex, bgctl args...
  local name=$1 re=$2
  shift 2
  "$B/bin/bgctl" "$@" info > "$T/r.out" 2>&1
  local rc=$?
  if [ $rc -ne 0 ] && grep -Eq "$re" "$T/r.out"; then pass "$name"
  else fail "$name" "exit $rc: $(head -2 "$T/r.out")"; fi
}
vlib=$(cat "$T/lib.verilator" 2> /dev/null)
refuse rtl_backend_other_net 'was built for the description with hash' --backend "verilator:lib=$vlib" --net nets/mnist-fpga.json
refuse rtl_backend_no_lib 'cannot load /nonexistent.so' --backend verilator:lib=/nonexistent.so --net "$NET"
refuse rtl_backend_bad_option 'unknown option "speed=9"' --backend verilator:speed=9 --net "$NET"
refuse rtl_backend_envelope "outside the RTL core's envelope" --backend systemc: --net nets/tiny.json
