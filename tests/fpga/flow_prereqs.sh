# SPDX-License-Identifier: Apache-2.0
# Sourced by the FPGA flow tests (tests/test_synth.sh, tests/test_synth_placed.sh) from the
# project root: fpga_flow_prereqs NAME checks that the open FPGA tools are installed and that
# bgnet is built, printing "FAIL NAME_tools" or "FAIL NAME_build" and exiting 1 if not.
fpga_flow_prereqs() {
  local tool
  for tool in yosys nextpnr-ice40 icetime icepack; do
    command -v $tool > /dev/null || { echo "FAIL $1_tools: $tool not installed (make setup)"; exit 1; }
  done
  make -s --no-print-directory build/bin/bgnet > /dev/null ||
    { echo "FAIL $1_build: make build/bin/bgnet"; exit 1; }
}
