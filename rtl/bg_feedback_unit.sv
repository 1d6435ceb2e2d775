// SPDX-License-Identifier: Apache-2.0
// Sleep unit, feedback step (feedback_step in cmodel/core/bg_sleep_unit.c):
// B' = SAT(B + ROUND((SAT(C)·2^Bf − RND(B·Q, log2 K))·ηs)), the Oja term left out when the
// description says "none"; `draw` says the word u of the rounding stream was consumed.
// Both products are on the core's shared multiplier, one after the other: B·Q (B_bits ×
// QBits; B out on b_o, the product back on bq_i), then diff·ηs_m (diff out on diff_o, ηs_m
// the generated constant, the product back on p_i; the core makes its multiplier wide enough,
// DW × (EtaBits + 1) signed, so both are exact). b_new and draw follow p_i combinationally.
module bg_feedback_unit #(
  parameter int FbBits = 8,      // feedback memory word
  parameter int CBits = 40,      // correlation C
  parameter int QBits = 24,      // Q_k = Σ o_k², unsigned (B·Q is FbBits + QBits + 1 bits)
  parameter int DW = 66,         // C·2^Bf − RND(B·Q): fb_diff_bits() of bg_widths.svh
  parameter int EtaBits = 15     // ηs_m < 2^EtaBits
) (
  input  logic [FbBits-1:0]      b_word,
  input  logic [CBits-1:0]       c_word,
  input  logic [2:0]             lyr,        // the hidden layer whose B is updated
  output logic signed [FbBits-1:0] b_o,      // B·Q on the shared multiplier
  input  logic signed [FbBits+QBits:0] bq_i,
  output logic signed [DW-1:0]   diff_o,     // diff·ηs_m on the shared multiplier
  input  logic signed [DW+EtaBits:0] p_i,
  input  logic [31:0]            u,
  output logic [FbBits-1:0]      b_new,
  output logic                   draw
);
  `include "bg_widths.svh"
  localparam int NL = bg_cfg_pkg::NLayers;
  // C·2^Bf − RND(B·Q), |C| < 2^(CBits−1): the golden model's SAT(C, 63 − Bf) binds only when
  // CBits + Bf > 63, and is kept for such a layer
  localparam int PW = DW + EtaBits + 1;                    // the product
  localparam int FXW = imax(PW + 2, 34);                   // round_shift takes 32 fraction bits
  `include "bg_fixed.svh"

  // B sign-extended from the layer's width
  function automatic logic signed [FXW-1:0] b_of(input logic [FbBits-1:0] bw, input logic [2:0] ly);
    logic signed [FXW-1:0] r;
    integer l;
    r = '0;
    for (l = 1; l < NL; l = l + 1)
      if (lhit(ly, l)) r = sext(64'(bw), imax(tab(bg_cfg_pkg::FbBitsTab, l), 1));
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
      if (lhit(ly, l))
        corr = ((CBits + tab(bg_cfg_pkg::FbFracTab, l) > 63)
                ? sat(FXW'($signed(cw)), 63 - tab(bg_cfg_pkg::FbFracTab, l))
                : FXW'($signed(cw))) <<< tab(bg_cfg_pkg::FbFracTab, l);
    dec = (bg_cfg_pkg::SleepDecay == 0) ? rnd(FXW'(bq), bg_cfg_pkg::SleepKShift) : '0;
    diff_of = DW'(corr - dec);
  endfunction

  // B + ROUND(p, ηs_sh), saturated to the layer's width (<= FbBits). |B| < 2^(FbBits−1), so
  // a rounded quotient beyond ±2^(QW−1) saturates the sum either way: the quotient is clamped
  // to QW = FbBits + 2 bits (its bits above them all copies of its sign, or the clamp), and
  // the sum is NW bits wide, not FXW
  localparam int QW = FbBits + 2;
  localparam int NW = QW + 1;
  function automatic logic signed [NW-1:0] sat_nw(input logic signed [NW-1:0] x, input int bits);
    logic signed [NW-1:0] hi, lo;
    hi = ($signed(NW'(1)) <<< (bits - 1)) - $signed(NW'(1));
    lo = -hi - $signed(NW'(1));
    if (x > hi) sat_nw = hi;
    else if (x < lo) sat_nw = lo;
    else sat_nw = x;
  endfunction
  function automatic logic [FbBits:0] step(input logic [FbBits-1:0] bw,
                                           input logic signed [PW-1:0] p, input logic [2:0] ly,
                                           input logic [31:0] word);
    logic signed [FXW-1:0] qf;
    logic signed [NW-1:0] bo, qw, bn;
    logic [FXW+1:0] sr;
    logic hi_ok;
    integer l;
    bo = NW'(b_of(bw, ly));
    sr = round_shift(FXW'(p), bg_cfg_pkg::SleepEtaSh, bg_cfg_pkg::LearnRounding != 0, word);
    qf = $signed(sr[FXW-1:0]);
    hi_ok = (qf[FXW-1:QW-1] == '0) || (qf[FXW-1:QW-1] == '1);
    qw = hi_ok ? NW'($signed(qf[QW-1:0])) :
         qf[FXW-1] ? -($signed(NW'(1)) <<< (QW - 1)) : ($signed(NW'(1)) <<< (QW - 1)) - $signed(NW'(1));
    bn = '0;
    for (l = 1; l < NL; l = l + 1)
      if (lhit(ly, l))
        bn = sat_nw(bo + qw + $signed(NW'(sr[FXW])), imax(tab(bg_cfg_pkg::FbBitsTab, l), 1));
    step = {sr[FXW+1], FbBits'(bn)};
  endfunction

  assign b_o = FbBits'(b_of(b_word, lyr));
  assign diff_o = diff_of(c_word, bq_i, lyr);
  assign {draw, b_new} = step(b_word, p_i, lyr, u);
endmodule
