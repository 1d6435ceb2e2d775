// SPDX-License-Identifier: Apache-2.0
// The core's random-stream generator: xorshift32 with shifts 13, 17, 5 (docs/cmodel.md,
// "Random streams") and the state of the ONE stream the controller works on. The five streams'
// states are words of a block RAM in the core (u_erow, above its other words): the controller
// reads a stream's word the cycle before `load` takes it here, and writes `word` back to it
// with every `step`, so the RAM always holds each stream's current state. `word` is the value
// the next draw returns and the state after it. The controller never loads and steps in the
// same cycle. The register holds `word` itself, the state's successor, so the draw comes from a
// flip-flop with no logic in front of the units that use it; a load or a step computes the
// successor of the state it takes. (Five state registers and a 5:1 multiplexer in front of
// the generator cost 182 logic cells of the UP5K more, measured: docs/fpga.md.)
module bg_lfsr (
  input  logic        clk,
  input  logic        load,       // take load_val as the state
  input  logic [31:0] load_val,
  input  logic        step,       // consume the draw: the state becomes word
  output logic [31:0] word
);
  function automatic logic [31:0] xorshift(input logic [31:0] x);
    logic [31:0] y;
    y = x ^ (x << 13);
    y = y ^ (y >> 17);
    y = y ^ (y << 5);
    xorshift = y;
  endfunction

  logic [31:0] word_q;             // xorshift(state)
  assign word = word_q;
  always_ff @(posedge clk) begin
    if (load) word_q <= xorshift(load_val);
    else if (step) word_q <= xorshift(word_q);
  end
endmodule
