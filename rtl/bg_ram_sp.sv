// SPDX-License-Identifier: Apache-2.0
// Single-port RAM with no-change read-during-write: the shape Yosys 0.23 maps to iCE40 SPRAM
// (ECOSYSTEM.md §9). One access per cycle: a write (`we`), or a read (`en` without `we`)
// returned the next cycle. A write needs no `en`, so the write enable waits for nothing the
// read enable depends on (every write of the core's is also in its `en`: the same memory as
// with `en` around both). A write stores the lanes (LaneW bits each) whose lane_we bit is
// set, so narrow words (weights, pixels) can share a wide memory with whole-word ones (replay
// records, correlations).
module bg_ram_sp #(
  parameter int Width = 8,
  parameter int LaneW = 8,                  // Width is a multiple of LaneW
  parameter int Depth = 16,
  parameter int AddrBits = (Depth > 1) ? $clog2(Depth) : 1
) (
  input  logic                     clk,
  input  logic                     en,
  input  logic                     we,
  input  logic [Width/LaneW-1:0]   lane_we,
  input  logic [AddrBits-1:0]      addr,
  input  logic [Width-1:0]         wdata,
  output logic [Width-1:0]         rdata
);
  logic [Width-1:0] mem [0:Depth-1];

  always_ff @(posedge clk) begin
    if (we) begin
      for (int q = 0; q < Width / LaneW; q++)
        if (lane_we[q]) mem[addr][LaneW * q +: LaneW] <= wdata[LaneW * q +: LaneW];
    end else if (en) rdata <= mem[addr];
  end
endmodule
