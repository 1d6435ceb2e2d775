// SPDX-License-Identifier: Apache-2.0
// Learning engine, weight update (BG(weight_update_accumulate) + BG(weight_update_apply) in
// cmodel/core/bg_weight_update.c, batch 1): t1 = SAT48(RND(δ·SAT(e, Tr), D + Tr − U)), then
// w' = SAT(w − ROUND(t1·η_m, η_sh + U − W_frac)) with nearest or stochastic rounding; `draw`
// says the word u of the rounding stream was consumed. Combinational.
module bg_update_unit #(
  parameter int EbBits = 25,     // eligibility sum width
  parameter int AccBits = 48,    // update accumulator (BG_ACC_BITS)
  parameter int WBits = 8        // weight memory word
) (
  input  logic [EbBits-1:0]                 e_word,    // eligibility (un-saturated sum)
  input  logic [bg_cfg_pkg::DendBits-1:0]   d_word,    // δ: the neuron's dendrite
  output logic signed [AccBits-1:0]         t1_new,
  input  logic [63:0]                       w_word,    // stored weight or bias
  input  logic signed [AccBits-1:0]         t1,        // registered t1 of this synapse
  input  logic [31:0]                       eta_m,
  input  logic [31:0]                       eta_sh,
  input  logic signed [31:0]                wfrac,
  input  logic signed [31:0]                wbits,
  input  logic [31:0]                       u,         // the next word of the rounding stream
  output logic [WBits-1:0]                  w_new,
  output logic                              draw
);
  `include "bg_fixed.svh"
  localparam int TB = bg_cfg_pkg::TraceBits, TF = bg_cfg_pkg::TraceFrac;
  localparam int DB = bg_cfg_pkg::DendBits, DF = bg_cfg_pkg::DendFrac;
  localparam int UF = bg_cfg_pkg::UpdateFrac;

  function automatic logic signed [AccBits-1:0] step1(input logic [EbBits-1:0] ew,
                                                      input logic [DB-1:0] dw);
    logic signed [127:0] e, dl;
    e = sat(sext(64'(ew), EbBits), TB);
    dl = sext(64'(dw), DB);
    step1 = AccBits'(sat(rnd(dl * e, DF + TF - UF), AccBits));
  endfunction

  function automatic logic [WBits:0] step2(input logic [63:0] ww, input logic signed [AccBits-1:0] t,
                                           input logic [31:0] em, input logic [31:0] esh,
                                           input int wf, input int wb, input logic [31:0] word);
    logic signed [127:0] wold;
    logic [128:0] sr;
    wold = sext(ww, wb);
    sr = scale_round($signed(128'(t)), $signed(128'(em)), $signed(32'(esh)) + UF - wf,
                     bg_cfg_pkg::LearnRounding != 0, word);
    step2 = {sr[128], WBits'(sat(wold - $signed(sr[127:0]), wb))};
  endfunction

  assign t1_new = step1(e_word, d_word);
  assign {draw, w_new} = step2(w_word, t1, eta_m, eta_sh, wfrac, wbits, u);
endmodule
