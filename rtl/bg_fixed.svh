// SPDX-License-Identifier: Apache-2.0
// The golden model's integer helpers (cmodel/core/bg_fixed.h) as SystemVerilog functions, on
// 128-bit signed values so no intermediate of the model can overflow. Included inside a module
// (packages may hold only constants in the subset all three tools accept).


// RND(x, n): divide by 2^n rounding half up; n <= 0 multiplies by 2^-n.
function automatic logic signed [127:0] rnd(input logic signed [127:0] x, input int n);
  if (n > 0) rnd = (x + ($signed(128'(1)) <<< (n - 1))) >>> n;
  else if (n < 0) rnd = x <<< (-n);
  else rnd = x;
endfunction

// floor(x / 2^n), n >= 0.
function automatic logic signed [127:0] floor_shift(input logic signed [127:0] x, input int n);
  floor_shift = x >>> n;
endfunction

// Clamp to a signed `bits`-wide range.
function automatic logic signed [127:0] sat(input logic signed [127:0] x, input int bits);
  logic signed [127:0] hi, lo;
  hi = ($signed(128'(1)) <<< (bits - 1)) - $signed(128'(1));
  lo = -hi - $signed(128'(1));
  if (x > hi) sat = hi;
  else if (x < lo) sat = lo;
  else sat = x;
endfunction

// Sign-extend the low `bits` bits of a word.
function automatic logic signed [127:0] sext(input logic [63:0] w, input int bits);
  sext = $signed(128'($signed(w << (64 - bits)))) >>> (64 - bits);
endfunction

// The stochastic-rounding threshold of a remainder r of `sh` bits: its top 32 fraction bits
// (r << (32 - sh) for sh <= 32, r >> (sh - 32) otherwise); round up iff the drawn word is below.
function automatic logic [32:0] sr_threshold(input logic signed [127:0] r, input int sh);
  if (sh <= 32) sr_threshold = 33'(r <<< (32 - sh));
  else sr_threshold = 33'(r >>> (sh - 32));
endfunction

// ROUND(x·mul, sh), nearest or stochastic (bg_scale_round). Returns {draw, q}: draw says the
// word u was consumed (a non-zero remainder in stochastic mode).
function automatic logic [128:0] scale_round(input logic signed [127:0] sr_x,
                                             input logic signed [127:0] sr_mul, input int sr_sh,
                                             input logic sr_stoch, input logic [31:0] sr_u);
  logic signed [127:0] sr_p, sr_q, sr_r;
  logic sr_draw;
  sr_p = sr_x * sr_mul;
  sr_draw = 1'b0;
  if (sr_stoch) begin
    sr_q = floor_shift(sr_p, sr_sh);
    sr_r = sr_p - (sr_q <<< sr_sh);
    if (sr_r != 0) begin
      sr_draw = 1'b1;
      if ({1'b0, sr_u} < sr_threshold(sr_r, sr_sh)) sr_q = sr_q + $signed(128'(1));
    end
  end else begin
    sr_q = floor_shift(sr_p + ($signed(128'(1)) <<< (sr_sh - 1)), sr_sh);
  end
  scale_round = {sr_draw, sr_q};
endfunction
