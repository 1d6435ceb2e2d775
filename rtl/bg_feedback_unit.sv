// SPDX-License-Identifier: Apache-2.0
// Sleep unit, feedback step (feedback_step in cmodel/core/bg_sleep_unit.c):
// B' = SAT(B + ROUND((SAT(C)·2^Bf − RND(B·Q, log2 K))·ηs)), the Oja term left out when the
// description says "none"; `draw` says the word u of the rounding stream was consumed.
// B·Q is B_bits × QBits, on the core's shared multiplier (B and Q out, the product back).
// The product by the generated constant ηs_m is shift and add, one bit of ηs_m per cycle
// from the top (mul_start, then EtaBits cycles until mul_done): no SB_MAC16 for a 65-bit
// operand, at 15 cycles per feedback weight in a sleep call.
// b_new and draw are valid with mul_done, while the operands stay on the inputs.
module bg_feedback_unit #(
  parameter int FbBits = 8,      // feedback memory word
  parameter int CBits = 40,      // correlation C
  parameter int QBits = 24       // Q_k = Σ o_k², unsigned (B·Q is FbBits + QBits + 1 bits)
) (
  input  logic                   clk,
  input  logic                   mul_start,  // the operands are on the inputs from the next cycle
  output logic                   mul_done,
  input  logic [FbBits-1:0]      b_word,
  input  logic [CBits-1:0]       c_word,
  input  logic [2:0]             lyr,        // the hidden layer whose B is updated
  output logic signed [FbBits-1:0] b_o,      // B·Q on the shared multiplier
  input  logic signed [FbBits+QBits:0] bq_i,
  input  logic [31:0]            u,
  output logic [FbBits-1:0]      b_new,
  output logic                   draw
);
  `include "bg_widths.svh"
  localparam int NL = bg_cfg_pkg::NLayers;
  // C·2^Bf − RND(B·Q), |C| < 2^(CBits−1): the golden model's SAT(C, 63 − Bf) binds only when
  // CBits + Bf > 63, and is kept for such a layer
  localparam int DW = imax(CBits + tab_max(bg_cfg_pkg::FbFracTab, NL), FbBits + QBits + 1) + 2;
  localparam int EtaBits = $clog2(bg_cfg_pkg::SleepEtaM + 1);   // ηs_m < 2^15
  localparam int PW = DW + EtaBits + 1;                    // the product
  localparam int FXW = imax(PW + 2, 34);                   // round_shift takes 32 fraction bits
  `include "bg_fixed.svh"
  localparam logic [EtaBits-1:0] EtaM = EtaBits'(bg_cfg_pkg::SleepEtaM);

  // B sign-extended from the layer's width
  function automatic logic signed [FXW-1:0] b_of(input logic [FbBits-1:0] bw, input logic [2:0] ly);
    logic signed [FXW-1:0] r;
    integer l;
    r = '0;
    for (l = 1; l < NL; l = l + 1)
      if (ly == 3'(l)) r = sext(64'(bw), imax(tab(bg_cfg_pkg::FbBitsTab, l), 1));
    b_of = r;
  endfunction

  // C·2^Bf − RND(B·Q, log2 K)
  function automatic logic signed [DW-1:0] diff_of(input logic [CBits-1:0] cw,
                                                   input logic signed [FbBits+QBits:0] bq,
                                                   input logic [2:0] ly);
    logic signed [FXW-1:0] corr, dec;
    integer l;
    corr = '0;
    for (l = 1; l < NL; l = l + 1)
      if (ly == 3'(l))
        corr = ((CBits + tab(bg_cfg_pkg::FbFracTab, l) > 63)
                ? sat(FXW'($signed(cw)), 63 - tab(bg_cfg_pkg::FbFracTab, l))
                : FXW'($signed(cw))) <<< tab(bg_cfg_pkg::FbFracTab, l);
    dec = (bg_cfg_pkg::SleepDecay == 0) ? rnd(FXW'(bq), bg_cfg_pkg::SleepKShift) : '0;
    diff_of = DW'(corr - dec);
  endfunction

  // B + ROUND(p, ηs_sh), saturated to the layer's width
  function automatic logic [FbBits:0] step(input logic [FbBits-1:0] bw,
                                           input logic signed [PW-1:0] p, input logic [2:0] ly,
                                           input logic [31:0] word);
    logic signed [FXW-1:0] bo, bn;
    logic [FXW:0] sr;
    integer l;
    bo = b_of(bw, ly);
    sr = round_shift(FXW'(p), bg_cfg_pkg::SleepEtaSh, bg_cfg_pkg::LearnRounding != 0, word);
    bn = '0;
    for (l = 1; l < NL; l = l + 1)
      if (ly == 3'(l)) bn = sat(bo + $signed(sr[FXW-1:0]), imax(tab(bg_cfg_pkg::FbBitsTab, l), 1));
    step = {sr[FXW], FbBits'(bn)};
  endfunction

  // diff·ηs_m, most significant bit of ηs_m first: acc = 2·acc + (bit ? diff : 0)
  logic signed [DW-1:0] diff;
  logic signed [PW-1:0] acc;
  logic [$clog2(EtaBits + 1)-1:0] left;      // bits of ηs_m still to go
  assign b_o = FbBits'(b_of(b_word, lyr));
  assign diff = diff_of(c_word, bq_i, lyr);
  always_ff @(posedge clk) begin
    if (mul_start) begin
      acc <= '0;
      left <= ($clog2(EtaBits + 1))'(EtaBits);
    end else if (left != '0) begin
      acc <= (acc <<< 1) + (EtaM[left - 1'b1] ? PW'(diff) : '0);
      left <= left - 1'b1;
    end
  end
  assign mul_done = (left == '0) && !mul_start;
  assign {draw, b_new} = step(b_word, acc, lyr, u);
endmodule
