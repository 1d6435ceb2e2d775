// SPDX-License-Identifier: Apache-2.0
// Sleep unit, feedback step (feedback_step in cmodel/core/bg_sleep_unit.c):
// B' = SAT(B + ROUND((SAT(C)·2^Bf − RND(B·Q, log2 K))·ηs)), the Oja term left out when the
// description says "none"; `draw` says the word u of the rounding stream was consumed.
// Combinational. B·Q is B_bits × QBits; the ηs product is by a generated constant.
module bg_feedback_unit #(
  parameter int FbBits = 8,      // feedback memory word
  parameter int CBits = 40,      // correlation C
  parameter int QBits = 24       // Q_k = Σ o_k², unsigned
) (
  input  logic [FbBits-1:0]      b_word,
  input  logic [CBits-1:0]       c_word,
  input  logic [QBits-1:0]       q,
  input  logic [2:0]             lyr,        // the hidden layer whose B is updated
  input  logic [31:0]            u,
  output logic [FbBits-1:0]      b_new,
  output logic                   draw
);
  `include "bg_widths.svh"
  localparam int NL = bg_cfg_pkg::NLayers;
  localparam int DW = imax(63, FbBits + QBits + 1) + 2;   // C·2^Bf − RND(B·Q): |C·2^Bf| < 2^63
  localparam int FXW = DW + 18 + 2;                        // times ηs_m < 2^17
  `include "bg_fixed.svh"

  function automatic logic [FbBits:0] step(input logic [FbBits-1:0] bw, input logic [CBits-1:0] cw,
                                           input logic [QBits-1:0] qq, input logic [2:0] ly,
                                           input logic [31:0] word);
    logic signed [FXW-1:0] corr, dec, bo, bn;
    logic signed [FbBits-1:0] bon;
    logic signed [FbBits+QBits:0] bq;
    logic signed [DW-1:0] diff;
    logic signed [DW+17:0] dp;
    logic [FXW:0] sr;
    integer l, bf, bb;
    bo = '0;
    corr = '0;
    bq = '0;
    bn = '0;
    sr = '0;
    for (l = 1; l < NL; l = l + 1) begin
      if (ly == 3'(l)) begin
        bf = tab(bg_cfg_pkg::FbFracTab, l);
        bb = imax(tab(bg_cfg_pkg::FbBitsTab, l), 1);   // 0 for the output layer: never selected
        bo = sext(64'(bw), bb);
        corr = sat(FXW'($signed(cw)), 63 - bf) <<< bf;
      end
    end
    bon = FbBits'(bo);
    bq = bon * $signed({1'b0, qq});
    dec = (bg_cfg_pkg::SleepDecay == 0) ? rnd(FXW'(bq), bg_cfg_pkg::SleepKShift) : '0;
    diff = DW'(corr - dec);
    dp = diff * $signed(18'(bg_cfg_pkg::SleepEtaM));
    sr = round_shift(FXW'(dp), bg_cfg_pkg::SleepEtaSh, bg_cfg_pkg::LearnRounding != 0, word);
    for (l = 1; l < NL; l = l + 1)
      if (ly == 3'(l)) bn = sat(bo + $signed(sr[FXW-1:0]), imax(tab(bg_cfg_pkg::FbBitsTab, l), 1));
    step = {sr[FXW], FbBits'(bn)};
  endfunction

  assign {draw, b_new} = step(b_word, c_word, q, lyr, u);
endmodule
