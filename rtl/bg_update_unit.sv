// SPDX-License-Identifier: Apache-2.0
// Learning engine, weight update (BG(weight_update_accumulate) + BG(weight_update_apply) in
// cmodel/core/bg_weight_update.c, batch 1): t1 = SAT48(RND(δ·SAT(e, Tr), D + Tr − U)), then
// w' = SAT(w − ROUND(t1·η_m, η_sh + U − W_frac)) with nearest or stochastic rounding; `draw`
// says the word u of the rounding stream was consumed. Combinational. δ·e is D_bits × Tr_bits,
// on the core's shared multiplier (δ and SAT(e) out, the product back); t1·η_m is AccBits × 16
// (η_m < 2^15, bg_net_eta_q).
module bg_update_unit #(
  parameter int EbBits = 25,     // eligibility sum width
  parameter int AccBits = 48,    // update accumulator (BG_ACC_BITS)
  parameter int WBits = 8        // weight memory word
) (
  input  logic [EbBits-1:0]                 e_word,    // eligibility (un-saturated sum)
  input  logic [bg_cfg_pkg::DendBits-1:0]   d_word,    // δ: the neuron's dendrite
  output logic signed [AccBits-1:0]         t1_new,
  // δ·SAT(e) on the shared multiplier
  output logic signed [bg_cfg_pkg::DendBits-1:0]  d_o,
  output logic signed [bg_cfg_pkg::TraceBits-1:0] e_o,
  input  logic signed [bg_cfg_pkg::DendBits+bg_cfg_pkg::TraceBits-1:0] de_i,
  input  logic [WBits-1:0]                  w_word,    // stored weight or bias
  input  logic signed [AccBits-1:0]         t1,        // registered t1 of this synapse
  input  logic [15:0]                       eta_m,
  input  logic [7:0]                        eta_sh,
  input  logic [2:0]                        lyr,       // layer 1 .. NLayers-1
  input  logic [31:0]                       u,         // the next word of the rounding stream
  output logic [WBits-1:0]                  w_new,
  output logic                              draw
);
  `include "bg_widths.svh"
  localparam int NL = bg_cfg_pkg::NLayers;
  localparam int TB = bg_cfg_pkg::TraceBits, TF = bg_cfg_pkg::TraceFrac;
  localparam int DB = bg_cfg_pkg::DendBits, DF = bg_cfg_pkg::DendFrac;
  localparam int UF = bg_cfg_pkg::UpdateFrac;
  localparam int FXW = imax(imax(DB + TB, AccBits + 17), imax(EbBits, 32)) + 3;
  `include "bg_fixed.svh"

  function automatic logic signed [AccBits-1:0] step1(input logic signed [DB+TB-1:0] p);
    step1 = AccBits'(sat(rnd(FXW'(p), DF + TF - UF), AccBits));
  endfunction

  // the stored word sign-extended from the layer's width; SAT to the layer's width
  function automatic logic signed [FXW-1:0] w_ext(input logic [WBits-1:0] ww, input logic [2:0] ly);
    logic signed [FXW-1:0] r;
    integer q;
    r = '0;
    for (q = 1; q < NL; q = q + 1) if (ly == 3'(q)) r = sext(64'(ww), tab(bg_cfg_pkg::WBitsTab, q));
    w_ext = r;
  endfunction
  function automatic logic signed [FXW-1:0] w_sat(input logic signed [FXW-1:0] x,
                                                   input logic [2:0] ly);
    logic signed [FXW-1:0] r;
    integer q;
    r = '0;
    for (q = 1; q < NL; q = q + 1) if (ly == 3'(q)) r = sat(x, tab(bg_cfg_pkg::WBitsTab, q));
    w_sat = r;
  endfunction

  function automatic logic [WBits:0] step2(input logic [WBits-1:0] ww,
                                           input logic signed [AccBits-1:0] t,
                                           input logic [15:0] em, input logic [7:0] esh,
                                           input logic [2:0] ly, input logic [31:0] word);
    logic signed [AccBits+16:0] p;
    logic [FXW:0] sr;
    p = t * $signed({1'b0, em});
    sr = round_shift(FXW'(p), 32'(esh) + UF - lsel(bg_cfg_pkg::WFracTab, ly, NL),
                     bg_cfg_pkg::LearnRounding != 0, word);
    step2 = {sr[FXW], WBits'(w_sat(w_ext(ww, ly) - $signed(sr[FXW-1:0]), ly))};
  endfunction

  assign d_o = d_word;
  assign e_o = TB'(sat(FXW'($signed(e_word)), TB));
  assign t1_new = step1(de_i);
  assign {draw, w_new} = step2(w_word, t1, eta_m, eta_sh, lyr, u);
endmodule
