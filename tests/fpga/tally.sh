# SPDX-License-Identifier: Apache-2.0
# Sourced by the FPGA measurement tests (tests/test_fpga_breakdown.sh, test_fpga_fit_bound.sh):
# ok NAME / bad NAME print a PASS or FAIL line and count it; tally_end prints the summary line
# and returns non-zero when anything failed.
pass=0 fail=0
ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1"; fail=$((fail + 1)); }
tally_end() { echo "$pass passed, $fail failed"; [ "$fail" = 0 ]; }
