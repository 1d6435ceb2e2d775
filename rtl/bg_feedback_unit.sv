// SPDX-License-Identifier: Apache-2.0
// Sleep unit, feedback step (feedback_step in cmodel/core/bg_sleep_unit.c):
// B' = SAT(B + ROUND((SAT(C)·2^Bf − RND(B·Q, log2 K))·ηs)), the Oja term left out when the
// description says "none"; `draw` says the word u of the rounding stream was consumed.
module bg_feedback_unit #(
  parameter int FbBits = 8,      // feedback memory word
  parameter int CBits = 40       // correlation C
) (
  input  logic [FbBits-1:0]      b_word,
  input  logic [CBits-1:0]       c_word,
  input  logic [63:0]            q,          // Q_k = Σ o_k²
  input  logic signed [31:0]     fbfrac,
  input  logic signed [31:0]     fbbits,
  input  logic [31:0]            u,
  output logic [FbBits-1:0]      b_new,
  output logic                   draw
);
  `include "bg_fixed.svh"

  function automatic logic [FbBits:0] step(input logic [FbBits-1:0] bw, input logic [CBits-1:0] cw,
                                           input logic [63:0] qq, input int bf, input int bb,
                                           input logic [31:0] word);
    logic signed [127:0] corr, dec, bo;
    logic [128:0] sr;
    bo = sext(64'(bw), bb);
    corr = sat(sext(64'(cw), CBits), 63 - bf) <<< bf;
    dec = (bg_cfg_pkg::SleepDecay == 0)
          ? rnd(bo * $signed(128'(qq)), bg_cfg_pkg::SleepKShift) : $signed(128'(0));
    sr = scale_round(corr - dec, $signed(128'(bg_cfg_pkg::SleepEtaM)), bg_cfg_pkg::SleepEtaSh,
                     bg_cfg_pkg::LearnRounding != 0, word);
    step = {sr[128], FbBits'(sat(bo + $signed(sr[127:0]), bb))};
  endfunction

  assign {draw, b_new} = step(b_word, c_word, q, fbfrac, fbbits, u);
endmodule
