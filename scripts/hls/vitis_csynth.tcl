# SPDX-License-Identifier: Apache-2.0
# Vitis HLS project for one HLS top: bg_hls_infer (hls/bg_hls_infer.c, the default) or
# bg_hls_train (BG_HLS_TOP=train, hls/bg_hls_train.c). UNTESTED HERE: no HLS tool is
# available on this machine (docs/hls.md says what is and is not proven). Run from the repo root
# after generating the header:
#   build/bin/bgnet gen hls nets/mnist-fpga.json -o build/gen/mnist-fpga
#   vitis_hls -f scripts/hls/vitis_csynth.tcl
# Environment: BG_HLS_GEN (default build/gen/mnist-fpga), BG_HLS_PART (default xc7z020clg400-1),
# BG_HLS_PERIOD_NS (default 10).
set gen [expr {[info exists ::env(BG_HLS_GEN)] ? $::env(BG_HLS_GEN) : "build/gen/mnist-fpga"}]
set part [expr {[info exists ::env(BG_HLS_PART)] ? $::env(BG_HLS_PART) : "xc7z020clg400-1"}]
set period [expr {[info exists ::env(BG_HLS_PERIOD_NS)] ? $::env(BG_HLS_PERIOD_NS) : 10}]
set top [expr {[info exists ::env(BG_HLS_TOP)] ? $::env(BG_HLS_TOP) : "infer"}]
open_project -reset build/hls_vitis/bg_hls_$top
set_top bg_hls_$top
add_files hls/bg_hls_$top.c -cflags "-I$gen -Ihls -std=c11"
open_solution -reset solution1 -flow_target vivado
set_part $part
create_clock -period $period
csynth_design
exit
