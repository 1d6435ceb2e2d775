// SPDX-License-Identifier: Apache-2.0
// Simple dual-port RAM: one synchronous read port, one write port, whole-word writes (no
// per-bit masks, so Yosys maps it to block RAM). A read of the address written in the same
// cycle returns the new word (write-first), which read-modify-write pipelines rely on.
module bg_ram_1r1w #(
  parameter int Width = 8,
  parameter int Depth = 16,
  parameter int AddrBits = (Depth > 1) ? $clog2(Depth) : 1
) (
  input  logic                clk,
  input  logic                re,
  input  logic [AddrBits-1:0] raddr,
  output logic [Width-1:0]    rdata,
  input  logic                we,
  input  logic [AddrBits-1:0] waddr,
  input  logic [Width-1:0]    wdata
);
  logic [Width-1:0] mem [0:Depth-1];

  always_ff @(posedge clk) begin
    if (we) mem[waddr] <= wdata;
    if (re) rdata <= (we && waddr == raddr) ? wdata : mem[raddr];
  end
endmodule
