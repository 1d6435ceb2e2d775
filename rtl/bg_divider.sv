// SPDX-License-Identifier: Apache-2.0
// Unsigned restoring divider, one quotient bit per cycle: q = floor(num / den). `start` loads
// the numerator; `den` must hold from `start` until `done` (the error unit's S does: no copy
// of it here), which rises after QBits cycles. The quotient must fit QBits bits (the error
// unit's p = E·ONE / S <= ONE).
module bg_divider #(
  parameter int NumBits = 32,
  parameter int DenBits = 32,
  parameter int QBits = 16
) (
  input  logic               clk,
  input  logic               rst_n,
  input  logic               start,
  input  logic [NumBits-1:0] num,
  input  logic [DenBits-1:0] den,
  output logic               done,
  output logic [QBits-1:0]   quot
);
  localparam int RBits = NumBits + 1;
  localparam int CBits = $clog2(QBits + 1);
  logic [RBits-1:0] rem;
  logic [NumBits-1:0] n_shift;
  logic [CBits-1:0] left;
  logic busy;
  logic [RBits-1:0] trial;
  logic [RBits:0] diff;            // trial − den, one bit wider: its top bit says trial < den

  // remainder after bringing down the next numerator bit, and the trial subtraction (one
  // subtractor: its borrow is the comparison)
  assign trial = {rem[RBits-2:0], n_shift[NumBits-1]};
  assign diff = {1'b0, trial} - (RBits + 1)'(den);

  always_ff @(posedge clk) begin
    done <= 1'b0;
    if (!rst_n) begin
      busy <= 1'b0;
    end else if (start) begin
      // bits above QBits of the numerator are consumed first, without producing quotient bits
      rem <= {1'b0, num >> QBits};
      n_shift <= num << (NumBits - QBits);
      quot <= '0;
      left <= CBits'(QBits);
      busy <= 1'b1;
    end else if (busy) begin
      if (!diff[RBits]) begin
        rem <= diff[RBits-1:0];
        quot <= {quot[QBits-2:0], 1'b1};
      end else begin
        rem <= trial;
        quot <= {quot[QBits-2:0], 1'b0};
      end
      n_shift <= n_shift << 1;
      left <= left - 1'b1;
      if (left == 1) begin
        busy <= 1'b0;
        done <= 1'b1;
      end
    end
  end
endmodule
