// SPDX-License-Identifier: Apache-2.0
// The core's random streams: xorshift32 with shifts 13, 17, 5 (docs/cmodel.md, "Random
// streams"), one 32-bit state per stream and ONE shared generator. The controller never draws
// from two streams in the same cycle, so `sel` names the stream it works on this cycle: `word`
// is the value that stream's next draw returns, `step` consumes it (one draw per cycle: the
// sleep noise draws its two words per neuron in two cycles). A seed write loads the state
// of stream q (a zero seed loads 1, as in the golden model); the controller writes seeds only
// while idle, when nothing draws. Five copies of the generator cost about 180 LUT4 each; the
// shared one costs one 5:1 state multiplexer more than a single copy, and that multiplexer
// also reads a stream's state back to the host (`cur`, with sel naming the stream).
module bg_lfsr #(
  parameter int NStreams = 5
) (
  input  logic                   clk,
  input  logic [NStreams-1:0]    seed_we,
  input  logic [31:0]            seed,
  input  logic [2:0]             sel,
  input  logic                   step,
  output logic [31:0]            cur,      // the state of stream sel
  output logic [31:0]            word
);
  function automatic logic [31:0] xorshift(input logic [31:0] x);
    logic [31:0] y;
    y = x ^ (x << 13);
    y = y ^ (y >> 17);
    y = y ^ (y << 5);
    xorshift = y;
  endfunction

  logic [31:0] state [0:NStreams-1];
  logic [31:0] nxt;
  logic any_seed;
  assign cur = state[sel];
  assign word = xorshift(cur);
  assign any_seed = seed_we != '0;
  assign nxt = any_seed ? ((seed == 32'd0) ? 32'd1 : seed) : word;

  genvar gq;
  generate
    for (gq = 0; gq < NStreams; gq++) begin : g_state
      always_ff @(posedge clk) begin
        if (seed_we[gq] || (!any_seed && 3'(gq) == sel && step)) state[gq] <= nxt;
      end
    end
  endgenerate
endmodule
