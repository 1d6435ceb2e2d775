// SPDX-License-Identifier: Apache-2.0
// One random stream: xorshift32 with shifts 13, 17, 5 (docs/cmodel.md, "Random streams").
// `word` is the value the next draw returns; `step` consumes it. `word2` is the draw after
// that, for units that consume two words in one cycle (`step2`). A zero seed loads 1, as in
// the golden model.
module bg_lfsr (
  input  logic        clk,
  input  logic        seed_we,
  input  logic [31:0] seed,
  input  logic        step,
  input  logic        step2,
  output logic [31:0] state,
  output logic [31:0] word,
  output logic [31:0] word2
);
  function automatic logic [31:0] xorshift(input logic [31:0] x);
    logic [31:0] y;
    y = x ^ (x << 13);
    y = y ^ (y >> 17);
    y = y ^ (y << 5);
    xorshift = y;
  endfunction

  assign word = xorshift(state);
  assign word2 = xorshift(word);

  always_ff @(posedge clk) begin
    if (seed_we) state <= (seed == 32'd0) ? 32'd1 : seed;
    else if (step2) state <= word2;
    else if (step) state <= word;
  end
endmodule
