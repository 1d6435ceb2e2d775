// SPDX-License-Identifier: Apache-2.0
// Yosys techmap file (scripts/ice40_synth.sh applies it before synth_ice40): a comparison
// (<, <=, >, >=) of a signal with a constant becomes plain gates instead of an $alu.
//
// Why: synth_ice40 turns every comparison wider than 4 bits into a carry chain (alumacc, then
// SB_CARRY cells). A comparison uses only the chain's carry out, so each bit is an SB_CARRY
// with no LUT to share its logic cell: a 12-bit `idx < NW` costs 12 logic cells. Against a
// constant the same test is a chain of 2-input gates, which ABC packs three or four bits to a
// LUT4. On nets/mnist-fpga.json's board top this took 406 logic cells out (docs/fpga.md).
// Comparisons of two signals, and those of 4 bits or fewer (cmp2lut's job), are left alone.
//
// The gates: with x the signal and c the constant, both extended to W bits as Verilog extends
// them (sign-extended only when both operands are signed, and then the top bits inverted so
// that the signed order is the unsigned one), r = (x < c) is built from the lowest bit up:
// where c has a 1, x < c if x has a 0 there or the bits below decide x < c; where c has a 0,
// only if x has a 0 there and the bits below decide. Starting from 0 gives x < c, from 1
// x <= c. tests/test_synth.sh (`cmp_const_map_equiv`) proves the mapping equivalent with
// Yosys's SAT solver for signed, unsigned, mixed-width and constant-on-the-left cases.
(* techmap_celltype = "$lt $le $gt $ge" *)
module _90_bg_cmp_const (A, B, Y);
  parameter A_SIGNED = 0;
  parameter B_SIGNED = 0;
  parameter A_WIDTH = 1;
  parameter B_WIDTH = 1;
  parameter Y_WIDTH = 1;
  parameter _TECHMAP_CELLTYPE_ = "";
  parameter [A_WIDTH-1:0] _TECHMAP_CONSTMSK_A_ = 0;
  parameter [A_WIDTH-1:0] _TECHMAP_CONSTVAL_A_ = 0;
  parameter [B_WIDTH-1:0] _TECHMAP_CONSTMSK_B_ = 0;
  parameter [B_WIDTH-1:0] _TECHMAP_CONSTVAL_B_ = 0;
  input [A_WIDTH-1:0] A;
  input [B_WIDTH-1:0] B;
  output [Y_WIDTH-1:0] Y;

  localparam A_CONST = &_TECHMAP_CONSTMSK_A_;
  localparam B_CONST = &_TECHMAP_CONSTMSK_B_;
  localparam W = (A_WIDTH > B_WIDTH) ? A_WIDTH : B_WIDTH;
  localparam SIGNED = A_SIGNED && B_SIGNED;
  // exactly one constant operand, wider than cmp2lut's 4 bits: otherwise keep the cell
  wire _TECHMAP_FAIL_ = (A_CONST == B_CONST) || (W <= 4);

  localparam XW = B_CONST ? A_WIDTH : B_WIDTH;
  localparam CW = B_CONST ? B_WIDTH : A_WIDTH;
  wire [XW-1:0] x_in = B_CONST ? A : B;
  localparam [CW-1:0] C_IN = B_CONST ? _TECHMAP_CONSTVAL_B_ : _TECHMAP_CONSTVAL_A_;
  wire [W:0] x_ext = SIGNED ? {{(W - XW + 1){x_in[XW-1]}}, x_in} : {{(W - XW + 1){1'b0}}, x_in};
  localparam [W:0] C_EXT = SIGNED ? {{(W - CW + 1){C_IN[CW-1]}}, C_IN} : {{(W - CW + 1){1'b0}}, C_IN};
  wire [W-1:0] x = {x_ext[W-1] ^ SIGNED[0], x_ext[W-2:0]};
  localparam [W-1:0] C = {C_EXT[W-1] ^ SIGNED[0], C_EXT[W-2:0]};

  // the relation of x to c: with the constant on the left, a < b is x > c, a <= b is x >= c
  localparam CT = _TECHMAP_CELLTYPE_;
  localparam X_LT = B_CONST ? (CT == "$lt") : (CT == "$gt");
  localparam X_LE = B_CONST ? (CT == "$le") : (CT == "$ge");
  localparam X_GT = B_CONST ? (CT == "$gt") : (CT == "$lt");
  // x > c is !(x <= c) and x >= c is !(x < c)
  localparam WITH_EQ = X_LE || X_GT;
  wire [W:0] r;
  assign r[0] = WITH_EQ ? 1'b1 : 1'b0;
  genvar b;
  generate
    for (b = 0; b < W; b = b + 1) begin : g_bit
      if (C[b]) begin : g_one
        assign r[b + 1] = ~x[b] | r[b];
      end else begin : g_zero
        assign r[b + 1] = ~x[b] & r[b];
      end
    end
  endgenerate
  assign Y = {{(Y_WIDTH - 1){1'b0}}, (X_LT || X_LE) ? r[W] : ~r[W]};
endmodule
