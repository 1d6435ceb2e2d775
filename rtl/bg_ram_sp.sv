// SPDX-License-Identifier: Apache-2.0
// Single-port RAM with no-change read-during-write: the shape Yosys 0.23 maps to iCE40 SPRAM
// (ECOSYSTEM.md §9). One access per cycle: a write, or a read returned the next cycle.
module bg_ram_sp #(
  parameter int Width = 8,
  parameter int Depth = 16,
  parameter int AddrBits = (Depth > 1) ? $clog2(Depth) : 1
) (
  input  logic                clk,
  input  logic                en,
  input  logic                we,
  input  logic [AddrBits-1:0] addr,
  input  logic [Width-1:0]    wdata,
  output logic [Width-1:0]    rdata
);
  logic [Width-1:0] mem [0:Depth-1];

  always_ff @(posedge clk) begin
    if (en) begin
      if (we) mem[addr] <= wdata;
      else rdata <= mem[addr];
    end
  end
endmodule
