// SPDX-License-Identifier: Apache-2.0
// Simple dual-port RAM: one synchronous read port, one write port, whole-word writes (no
// per-bit masks, so Yosys maps it to block RAM). No user reads the address it writes in the
// same cycle (docs/rtl.md, "Memories"): the memory is marked no_rw_check, so synthesis builds
// no bypass around the block RAM, and simulation stops at such a collision instead of
// returning a value the FPGA would not. ram_style = "block": a block RAM even when the memory
// is small enough for Yosys to build it from flip-flops, since logic cells, not block RAMs, are
// what the UP5K runs out of (docs/fpga.md).
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
  (* no_rw_check, ram_style = "block" *) logic [Width-1:0] mem [0:Depth-1];

  always_ff @(posedge clk) begin
    if (we) mem[waddr] <= wdata;
    if (re) rdata <= mem[raddr];
  end
`ifndef SYNTHESIS
  always_ff @(posedge clk)
    if (re && we && raddr == waddr) begin
      $display("bg_ram_1r1w %m: read and write of address %0d in the same cycle", raddr);
      $fatal(1);
    end
`endif
endmodule
