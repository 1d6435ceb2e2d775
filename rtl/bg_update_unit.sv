// SPDX-License-Identifier: Apache-2.0
// Learning engine, weight update (BG(weight_update_accumulate) + BG(weight_update_apply) in
// cmodel/core/bg_weight_update.c, batch 1): t1 = SAT48(RND(δ·SAT(e, Tr), D + Tr − U)), then
// w' = SAT(w − ROUND(t1·η_m, η_sh + U − W_frac)) with nearest or stochastic rounding; `draw`
// says the word u of the rounding stream was consumed. Combinational. δ·e is D_bits × Tr_bits,
// on the core's shared multiplier (δ and SAT(e) out, the product back); t1·η_m is AccBits × 16
// (η_m < 2^15, bg_net_eta_q). The shift by sh = η_sh + U − W_frac (η_sh a register) is not a
// barrel shifter: `load` takes p = t1·η_m into a register with 32 fraction bits, which shifts
// right by 8 bits per cycle (the bits shifted out kept as a sticky bit) for floor(sh/8) cycles;
// the last sh mod 8 bits are a 3-level shifter. w_new and draw are valid with `done`, while the
// stored word and the rounding word stay on the inputs. The result is the golden model's
// bg_scale_round for every sh >= 1: floor(p/2^sh), plus one when u is below the remainder's top
// 32 bits (stochastic, a draw only on a non-zero remainder) or when the remainder is at least
// a half (nearest); for sh > 100 the model returns the sign (0 or −1) and draws nothing.
module bg_update_unit #(
  parameter int EbBits = 25,     // eligibility sum width
  parameter int AccBits = 48,    // update accumulator (BG_ACC_BITS)
  parameter int WBits = 8        // weight memory word
) (
  input  logic                              clk,
  input  logic                              load,      // t1 (and the layer) are valid: start
  output logic                              done,      // w_new and draw are valid
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

  // p = t1·η_m, then the shift register X = p·2^32 (PW integer bits, 32 fraction bits)
  localparam int PW = AccBits + 17;
  localparam int XW = PW + 32;
  localparam int SW = 10;                                   // sh < 2^8 + U: 10 bits
  logic signed [PW-1:0] p;
  logic [SW-1:0] sh;
  logic signed [XW-1:0] x_q;
  logic sticky_q;                                           // a bit of p shifted below X
  logic [SW-4:0] cnt_q;                                     // byte shifts still to go
  assign p = t1 * $signed({1'b0, eta_m});
  assign sh = SW'(32'(eta_sh) + UF - lsel(bg_cfg_pkg::WFracTab, lyr, NL));
  always_ff @(posedge clk) begin
    if (load) begin
      x_q <= $signed({p, 32'd0});
      sticky_q <= 1'b0;
      cnt_q <= sh[SW-1:3];
    end else if (cnt_q != '0) begin
      x_q <= x_q >>> 8;
      sticky_q <= sticky_q | (x_q[7:0] != 8'd0);
      cnt_q <= cnt_q - 1'b1;
    end
  end
  assign done = !load && (cnt_q == '0);

  // the last sh mod 8 bits, the quotient, the remainder's top 32 bits, the new word
  function automatic logic [WBits:0] step2(input logic [WBits-1:0] ww,
                                           input logic signed [XW-1:0] xq, input logic stk,
                                           input logic [SW-1:0] shv, input logic [2:0] ly,
                                           input logic [31:0] word);
    logic signed [XW-1:0] y;
    logic signed [FXW-1:0] q;
    logic [31:0] frac;
    logic rem, dr, big;
    y = xq >>> shv[2:0];
    rem = stk || ((xq & ~({XW{1'b1}} << shv[2:0])) != '0) || (y[31:0] != 32'd0);
    frac = y[31:0];
    q = FXW'($signed(y[XW-1:32]));
    big = shv > SW'(100);
    dr = 1'b0;
    if (big) q = xq[XW-1] ? -$signed(FXW'(1)) : '0;
    else if (bg_cfg_pkg::LearnRounding != 0) begin
      dr = rem;
      if (rem && word < frac) q = q + $signed(FXW'(1));
    end else if (frac[31]) q = q + $signed(FXW'(1));
    step2 = {dr, WBits'(w_sat(w_ext(ww, ly) - q, ly))};
  endfunction

  assign d_o = d_word;
  assign e_o = TB'(sat(FXW'($signed(e_word)), TB));
  assign t1_new = step1(de_i);
  assign {draw, w_new} = step2(w_word, x_q, sticky_q, sh, lyr, u);
endmodule
