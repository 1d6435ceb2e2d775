// SPDX-License-Identifier: Apache-2.0
// Comparisons with a constant for tests/test_synth.sh (cmp_const_map_equiv): the original and
// its mapping by scripts/ice40_cmp_const_map.v are proved equivalent by Yosys's SAT solver.
// Unsigned, signed, mixed signedness and widths, the constant on either side, the extremes,
// and the narrow cases the map leaves to cmp2lut.
module cmp_const_cases (
  input  wire [11:0] a,
  input  wire signed [9:0] s,
  input  wire [5:0] n,
  input  wire [2:0] m,
  input  wire signed [4:0] t,
  output wire [23:0] y
);
  assign y[0] = a < 12'd110;
  assign y[1] = a <= 12'd783;
  assign y[2] = a > 12'd5;
  assign y[3] = a >= 12'd2048;
  assign y[4] = 12'd300 < a;
  assign y[5] = 12'd300 >= a;
  assign y[6] = s < -10'sd7;
  assign y[7] = s >= 10'sd100;
  assign y[8] = -10'sd300 > s;
  assign y[9] = s <= -10'sd1;
  assign y[10] = n < 6'd30;
  assign y[11] = {26'd0, n} > 32'd17;
  assign y[12] = a < 32'd5000;           // constant wider than the signal
  assign y[13] = $signed({1'b0, a}) > -13'sd3;
  assign y[14] = s > 32'sd1000;          // signed, constant wider
  assign y[15] = a >= 12'd0;             // always true
  assign y[16] = a < 12'd0;              // always false
  assign y[17] = a <= 12'hfff;           // always true
  assign y[18] = s < 10'd7;              // mixed signedness: compared unsigned
  assign y[19] = m < 3'd5;               // narrow: left to cmp2lut
  assign y[20] = t >= -5'sd3;
  assign y[21] = 3'd2 <= m;
  assign y[22] = a > n;                  // two signals: left alone
  assign y[23] = 12'd4095 > a;
endmodule
