#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The RTL core's envelope (docs/rtl.md): prints why the core cannot run the description, or
# nothing when it can. Shared by sim/bgcosim.sh and sim/vdev/bgvdev.sh.
# Usage: sim/rtl_envelope.sh BGNET NET
bgnet=$1 net=$2
"$bgnet" consts "$net" | awk '
  { c[$1] = $2 }
  END {
    if (c["RULE"] != 0) print "rule must be \"biograd\" (the core implements BioGrad only; the other rules live in the golden model, docs/rules.md)";
    else if (c["LEARN_MODE"] != 1) print "learning.mode must be \"replay\" (per-synapse traces do not fit on chip)";
    else if (c["BATCH"] != 1) print "learning.batch must be 1 (the core updates after every sample)";
    else if (c["INPUT_ENCODING"] != 0) print "input.encoding must be \"rate\" (event frames are not in the core yet)";
    else if (c["OUTPUT_SIZE"] > 16) print "the output layer has " c["OUTPUT_SIZE"] " neurons; the core supports at most 16";
    else if (c["STEPS"] > 64) print "time.steps is " c["STEPS"] "; the core supports at most 64";
    else if (c["POT_BITS"] > 32 || c["TRACE_BITS"] > 32 || c["ERR_BITS"] > 32) print "potential, trace and error formats must be at most 32 bits";
    else {
      wf = 0; for (k in c) if (k ~ /^L[0-9]+_W_FRAC$/ && c[k] > wf) wf = c[k];
      if (c["ETA_SH"] + c["UPDATE_FRAC"] - wf < 16) print "the update shift eta_sh + update_frac - weight frac is " c["ETA_SH"] + c["UPDATE_FRAC"] - wf "; the core needs at least 16";
    }
  }'
