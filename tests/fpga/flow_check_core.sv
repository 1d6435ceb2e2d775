// SPDX-License-Identifier: Apache-2.0
// A stand-in for bg_core with the same ports, for checking the FPGA flow quickly
// (tests/test_synth.sh: `scripts/synth.sh --core tests/fpga/flow_check_core.sv`). It answers the
// host interface like a tiny core (configuration words 0-3, the cycle counter, the hash, a
// 256-word memory, a fixed-length "sample"), so the board top, the serial bridge, the oscillator
// and the pins are synthesised, placed and routed for real. Its resource and Fmax numbers are
// the flow's, never the learning core's; synth.sh labels them so.
module bg_core #(
  parameter int PerfCounters = 1,          // bg_core's parameters; the stand-in has no counters
  parameter int HostState = 1              // and one memory whatever this says
) (
  input  logic        clk,
  input  logic        rst_n,
  input  logic        start,
  input  logic [1:0]  cmd,
  output logic        busy,
  output logic        done,
  input  logic        cfg_we,
  input  logic [7:0]  cfg_addr,
  input  logic [31:0] cfg_wdata,
  output logic [63:0] cfg_rdata,
  input  logic        hm_re,
  input  logic        hm_we,
  input  logic [3:0]  hm_sel,
  input  logic [31:0] hm_addr,
  input  logic [63:0] hm_wdata,
  output logic [63:0] hm_rdata,
  input  logic        chk_en,
  input  logic        chk_go,
  output logic        chk_valid,
  output logic [3:0]  chk_kind,
  output logic [15:0] chk_t
);
  logic [31:0] cfg_q [0:3];
  logic [31:0] cycles_q;
  logic [7:0] left_q;
  logic [31:0] mem [0:255];
  logic [31:0] mem_q;

  assign busy = (left_q != '0);
  assign chk_valid = 1'b0;
  assign chk_kind = {2'b00, cmd};
  assign chk_t = {hm_sel, 10'd0, chk_en, chk_go};
  assign hm_rdata = {32'd0, mem_q};

  always_ff @(posedge clk) begin
    if (hm_we) mem[hm_addr[7:0]] <= hm_wdata[31:0];
    if (hm_re) mem_q <= mem[hm_addr[7:0]];
  end

  always_ff @(posedge clk) begin
    done <= 1'b0;
    if (!rst_n) begin
      for (int q = 0; q < 4; q++) cfg_q[q] <= '0;
      cycles_q <= '0;
      left_q <= '0;
    end else begin
      if (cfg_we && !busy && cfg_addr < 8'd4) cfg_q[cfg_addr[1:0]] <= cfg_wdata;
      if (busy) begin
        cycles_q <= cycles_q + 1'b1;
        left_q <= left_q - 1'b1;
        if (left_q == 8'd1) done <= 1'b1;
      end else if (start) left_q <= 8'd200;
    end
  end

  always_comb begin
    case (cfg_addr)
      8'd0, 8'd1, 8'd2, 8'd3: cfg_rdata = 64'(cfg_q[cfg_addr[1:0]]);
      8'd16: cfg_rdata = 64'(cycles_q);
      8'd26: cfg_rdata = 64'(bg_cfg_pkg::NetHash);
      default: cfg_rdata = '0;
    endcase
  end
endmodule
