// SPDX-License-Identifier: Apache-2.0
// Learning engine, weight update (BG(weight_update_accumulate) + BG(weight_update_apply) in
// cmodel/core/bg_weight_update.c, batch 1): t1 = SAT48(RND(δ·SAT(e, Tr), D + Tr − U)), then
// w' = SAT(w − ROUND(t1·η_m, η_sh + U − W_frac)) with nearest or stochastic rounding; `draw`
// says the word u of the rounding stream was consumed. Combinational. δ·e is D_bits × Tr_bits,
// on the core's shared multiplier (δ and SAT(e) out, the product back); t1·η_m is AccBits × 16
// (η_m < 2^15, bg_net_eta_q): one SB_MAC16 per 16 bits of t1, each product registered in its
// SB_MAC16 every cycle (pp_q), so the cycle after `load` adds them (t1 is valid from `load`
// on). The shift by sh = η_sh + U − W_frac (η_sh a register) is not a
// barrel shifter: the cycle after `load` takes p = t1·η_m into a register with 32 fraction bits,
// which shifts right by 8 bits per cycle (the bits shifted out kept as a sticky bit) for floor(sh/8) cycles;
// the last sh mod 8 bits are a 3-level shifter on the window of it that matters. The quotient
// q and the rounding's decision are registered the cycle before `done` (q_q, rnd_q; the
// rounding word is the stream's next draw, unchanged until the word is written). The new word
// is computed in the cycle of `done` (the stored word on the input then) and registered:
// w_new and draw are valid the cycle after `done`, so the shift and the window test are one
// clock path, the addition and the saturation another, and the memory's write multiplexer a
// third (docs/fpga.md, "Fmax"; shifting by sh mod 8 at `load` instead measured 63 logic cells
// more on mnist-fpga for the same Fmax). The result is the golden model's
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
  output logic [WBits-1:0]                  w_new,     // the cycle after done
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

  // the stored word sign-extended from the layer's width
  function automatic logic signed [FXW-1:0] w_ext(input logic [WBits-1:0] ww, input logic [2:0] ly);
    logic signed [FXW-1:0] r;
    integer q;
    r = '0;
    for (q = 1; q < NL; q = q + 1) if (lhit(ly, q)) r = sext(64'(ww), tab(bg_cfg_pkg::WBitsTab, q));
    w_ext = r;
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
  logic big_q;                                              // sh > 100: the result is the sign
  logic [2:0] r_q;                                          // sh mod 8, shifted in step2
  // p = Σ_c pp_c·2^(16c): the chunks of t1 below its top one unsigned, the top one signed
  localparam int NCh = (AccBits + 15) / 16;
  logic signed [PW-1:0] p_sum [0:NCh] /* verilator split_var */;
  assign p_sum[0] = '0;
  genvar gc;
  generate
    for (gc = 0; gc < NCh; gc++) begin : g_pp
      localparam int Lo = 16 * gc;
      localparam int Hi = (gc == NCh - 1) ? AccBits : 16 * gc + 16;
      logic signed [Hi-Lo+17:0] pp_q;
      if (gc == NCh - 1) begin : g_top
        always_ff @(posedge clk) pp_q <= $signed(t1[Hi-1:Lo]) * $signed({1'b0, eta_m});
      end else begin : g_low
        always_ff @(posedge clk) pp_q <= $signed({1'b0, t1[Hi-1:Lo]}) * $signed({1'b0, eta_m});
      end
      assign p_sum[gc + 1] = p_sum[gc] + (PW'(pp_q) <<< Lo);
    end
  endgenerate
  assign p = p_sum[NCh];
  logic load_d;                                             // the cycle after load: p is valid
  always_ff @(posedge clk) load_d <= load;
  assign sh = SW'(32'(eta_sh) + UF - lsel(bg_cfg_pkg::WFracTab, lyr, NL));
  always_ff @(posedge clk) begin
    if (load_d) begin
      x_q <= $signed({p, 32'd0});
      sticky_q <= 1'b0;
      cnt_q <= sh[SW-1:3];
      big_q <= sh > SW'(100);
      r_q <= sh[2:0];
    end else if (cnt_q != '0) begin
      x_q <= x_q >>> 8;
      sticky_q <= sticky_q | (x_q[7:0] != 8'd0);
      cnt_q <= cnt_q - 1'b1;
    end
  end
  // x_q is final (fin) from the cycle after the last byte shift; the rounding's decision is
  // registered from it (rnd_q: the remainder's test against the rounding word, one carry chain),
  // and the cycle after that `done` says so
  logic fin, fin_q;
  assign fin = !load && !load_d && (cnt_q == '0);
  always_ff @(posedge clk) fin_q <= fin;
  assign done = fin && fin_q;

  // The last sh mod 8 bits, the quotient, the remainder's top 32 bits, the new word. w_new is
  // SAT(w − q) to the layer's width (<= WBits), so q only matters up to ±2^(WBits+1): beyond,
  // the result saturates either way. So only the low XL bits of X go through the 3-level
  // shifter; the bits above them decide whether q is that large (hi_ok, fits).
  localparam int QL = WBits + 2;                            // q window: QL signed bits
  localparam int XL = 32 + QL + 7;                          // X bits through the shifter
  localparam int NW2 = QL + 3;                              // w − q
  function automatic logic signed [NW2-1:0] sat_n(input logic signed [NW2-1:0] x, input int bits);
    logic signed [NW2-1:0] hi, lo;
    hi = ($signed(NW2'(1)) <<< (bits - 1)) - $signed(NW2'(1));
    lo = -hi - $signed(NW2'(1));
    if (x > hi) sat_n = hi;
    else if (x < lo) sat_n = lo;
    else sat_n = x;
  endfunction
  function automatic logic signed [NW2-1:0] w_sat_n(input logic signed [NW2-1:0] x,
                                                    input logic [2:0] ly);
    logic signed [NW2-1:0] r;
    integer q;
    r = '0;
    for (q = 1; q < NL; q = q + 1) if (lhit(ly, q)) r = sat_n(x, tab(bg_cfg_pkg::WBitsTab, q));
    w_sat_n = r;
  endfunction
  // the rounding: {draw, + 1 to q}, from the shifted window's low 32 bits (the remainder's top
  // 32 bits) and the bits the last sh mod 8 shift drops
  function automatic logic [1:0] step_rnd(input logic [31:0] frac, input logic [7:0] xb,
                                          input logic stk, input logic big,
                                          input logic [2:0] rr, input logic [31:0] word);
    logic rem, dr, inc;
    rem = stk || ((xb & ~(8'hff << rr)) != 8'd0) || (frac != 32'd0);
    dr = 1'b0;
    inc = 1'b0;
    if (!big) begin
      if (bg_cfg_pkg::LearnRounding != 0) begin
        dr = rem;
        inc = rem && word < frac;
      end else inc = frac[31];
    end
    step_rnd = {dr, inc};
  endfunction
  // q = floor(p/2^sh), or ±2^QL when it is beyond the window (then w − q saturates either way)
  function automatic logic signed [NW2-1:0] step_q(input logic signed [XW-1:0] xq,
                                                   input logic signed [XL-1:0] ys,
                                                   input logic big);
    logic signed [NW2-1:0] q;
    logic fits, hi_ok;
    // X's bits above the shifted slice all copy its sign bit: X = sext(slice)
    hi_ok = (xq[XW-1:XL-1] == '0) || (xq[XW-1:XL-1] == '1);
    fits = hi_ok && ((ys[XL-1:32+QL-1] == '0) || (ys[XL-1:32+QL-1] == '1));
    q = fits ? NW2'($signed(ys[32+QL-1:32])) :
        (xq[XW-1] ? -($signed(NW2'(1)) <<< QL) : ($signed(NW2'(1)) <<< QL));
    if (big) q = xq[XW-1] ? -$signed(NW2'(1)) : '0;
    step_q = q;
  endfunction
  function automatic logic [WBits:0] step2(input logic [WBits-1:0] ww,
                                           input logic signed [NW2-1:0] q,
                                           input logic [2:0] ly, input logic [1:0] rd_inc);
    logic signed [NW2-1:0] wv;
    logic dr, inc;
    {dr, inc} = rd_inc;           // the rounding's draw and + 1 to q (step_rnd, registered)
    wv = NW2'(w_ext(ww, ly));
    // w − (q + inc) = w + ~q + (1 − inc): one adder, the rounding in its carry
    step2 = {dr, WBits'(w_sat_n(wv + ~q + $signed(NW2'(!inc)), ly))};
  endfunction

  assign d_o = d_word;
  assign e_o = TB'(sat(FXW'($signed(e_word)), TB));
  assign t1_new = step1(de_i);
  // the last sh mod 8 bits: one shifter for both cycles (x_q holds from fin on)
  logic signed [XL-1:0] ys;
  assign ys = $signed(x_q[XL-1:0]) >>> r_q;
  logic [1:0] rnd_q;
  always_ff @(posedge clk) rnd_q <= step_rnd(ys[31:0], x_q[7:0], sticky_q, big_q, r_q, u);
  // q and the rounding registered (q_q, rnd_q): x_q, r_q and big_q hold from fin on, so both
  // are final in the cycle of done, and w_new's clock path is the sum and its saturation only
  logic signed [NW2-1:0] q_q;
  always_ff @(posedge clk) q_q <= step_q(x_q, ys, big_q);
  always_ff @(posedge clk) {draw, w_new} <= step2(w_word, q_q, lyr, rnd_q);
endmodule
