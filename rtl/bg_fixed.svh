// SPDX-License-Identifier: Apache-2.0
// The golden model's integer helpers (cmodel/core/bg_fixed.h) as SystemVerilog functions on
// FXW-bit signed values. The including module declares `localparam int FXW` first: the width of
// its widest intermediate, derived from the formats, so no value of the model can overflow and
// synthesis builds no wider arithmetic than the description needs. Included inside a module
// (packages may hold only constants in the subset all three tools accept).

// RND(x, n): divide by 2^n rounding half up; n <= 0 multiplies by 2^-n.
function automatic logic signed [FXW-1:0] rnd(input logic signed [FXW-1:0] x, input int n);
  if (n > 0) rnd = (x + ($signed(FXW'(1)) <<< (n - 1))) >>> n;
  else if (n < 0) rnd = x <<< (-n);
  else rnd = x;
endfunction

// Clamp to a signed `bits`-wide range. x fits when its bits FXW-1 .. bits-1 all equal its sign;
// that test is a few LUTs, where `x > hi` and `x < lo` would be two FXW-bit carry chains.
function automatic logic signed [FXW-1:0] sat(input logic signed [FXW-1:0] x, input int bits);
  logic signed [FXW-1:0] hi, top;
  hi = ($signed(FXW'(1)) <<< (bits - 1)) - $signed(FXW'(1));
  top = x >>> (bits - 1);
  if (bits >= FXW || top == '0 || top == '1) sat = x;
  else sat = x[FXW-1] ? ~hi : hi;            // lo = -hi - 1
endfunction

// Sign-extend the low `bits` bits of a word.
function automatic logic signed [FXW-1:0] sext(input logic [63:0] w, input int bits);
  logic signed [63:0] se_w;
  se_w = $signed(w << (64 - bits)) >>> (64 - bits);
  sext = FXW'(se_w);
endfunction

// ROUND(p, sh) of a product p, nearest or stochastic (the shift and rounding of
// bg_scale_round), as q + inc: q = floor(p / 2^sh), inc = 1 when the drawn word u is below the
// top 32 bits of the remainder's fraction (stochastic), or when the remainder is at least a half
// (nearest: floor((p + 2^(sh-1)) / 2^sh) = q + bit sh-1 of p). Returns {draw, inc, q}: draw
// says u was consumed (a non-zero remainder in stochastic mode); the caller adds inc as the
// carry into its own sum, so the rounding takes no adder of its own. One funnel shift gives
// both the quotient and the fraction bits. sh >= 1.
function automatic logic [FXW+1:0] round_shift(input logic signed [FXW-1:0] rs_p, input int rs_sh,
                                              input logic rs_stoch, input logic [31:0] rs_u);
  logic signed [2*FXW-1:0] rs_f;
  logic [FXW-1:0] rs_frac;
  logic rs_dr, rs_inc;
  rs_f = $signed({rs_p, FXW'(0)}) >>> rs_sh;
  rs_frac = rs_f[FXW-1:0];
  if (rs_stoch) begin
    rs_dr = (rs_frac != '0);
    rs_inc = rs_dr && rs_u < rs_frac[FXW-1 -: 32];
  end else begin
    rs_dr = 1'b0;
    rs_inc = rs_frac[FXW-1];
  end
  round_shift = {rs_dr, rs_inc, rs_f[2*FXW-1:FXW]};
endfunction
