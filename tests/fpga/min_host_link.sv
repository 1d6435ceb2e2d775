// SPDX-License-Identifier: Apache-2.0
// A MEASUREMENT STAND-IN, not a protocol: the least host link that drives every port of
// bg_core from received bytes and sends results back over the UART (no framing, CRC, checks,
// buffer or status), in place of rtl/fpga/bg_serial_bridge.sv (same module name and ports), so
// that scripts/fpga_fit_bound.sh can measure what the protocol bridge costs in the board top.
module bg_serial_bridge #(
  parameter int ClkDiv = 208, parameter int TimeoutCycles = 480000, parameter int MaxData = 256,
  parameter logic [31:0] NetHash = 32'd0,
  parameter int DepthPix = 0, parameter int DepthW = 0, parameter int DepthB = 0,
  parameter int DepthFb = 0, parameter int DepthNst = 0, parameter int DepthD = 0,
  parameter int DepthRast = 0, parameter int DepthRec = 0, parameter int DepthK = 0,
  parameter int DepthErr = 0
) (
  input  logic clk, input logic rst_n, input logic rx_i, output logic tx_o,
  output logic core_rst_o, output logic start_o, output logic [1:0] cmd_o,
  input  logic busy_i, input logic done_i,
  output logic cfg_we_o, output logic [7:0] cfg_addr_o, output logic [31:0] cfg_wdata_o,
  input  logic [63:0] cfg_rdata_i,
  output logic hm_re_o, output logic hm_we_o, output logic [3:0] hm_sel_o,
  output logic [31:0] hm_addr_o, output logic [63:0] hm_wdata_o, input logic [63:0] hm_rdata_i,
  output logic chk_en_o, output logic chk_go_o, input logic chk_valid_i,
  input  logic [3:0] chk_kind_i, input logic [15:0] chk_t_i, output logic err_o
);
  logic rx_valid, rx_ferr, rx_active, tx_valid, tx_ready;
  logic [7:0] rx_data, tx_data;
  bg_uart_rx #(.ClkDiv(ClkDiv)) u_rx (.clk(clk), .rst_n(rst_n), .rx_i(rx_i), .valid_o(rx_valid),
    .data_o(rx_data), .ferr_o(rx_ferr), .active_o(rx_active));
  bg_uart_tx #(.ClkDiv(ClkDiv)) u_tx (.clk(clk), .rst_n(rst_n), .valid_i(tx_valid),
    .data_i(tx_data), .ready_o(tx_ready), .tx_o(tx_o));
  logic [111:0] sr;          // {wdata 40, addr 24, sel 4, cfg addr 8, ...}
  logic [63:0] out_q;
  logic [3:0] nout;
  logic go, cap;
  always_ff @(posedge clk) begin
    go <= 1'b0; cap <= 1'b0;
    if (!rst_n) begin sr <= '0; nout <= '0; end
    else begin
      if (rx_valid) begin
        sr <= {rx_data, sr[111:8]};
        if (rx_data == 8'hA5) go <= 1'b1;
      end
      if (go) cap <= 1'b1;
      if (cap) begin
        out_q <= sr[0] ? cfg_rdata_i : hm_rdata_i ^ {chk_t_i, chk_kind_i, chk_valid_i, busy_i, done_i};
        nout <= 4'd8;
      end else if (tx_valid) begin out_q <= {8'd0, out_q[63:8]}; nout <= nout - 1'b1; end
    end
  end
  assign tx_valid = tx_ready && nout != 0;
  assign tx_data = out_q[7:0];
  assign core_rst_o = go && sr[1];
  assign start_o = go && sr[2];
  assign cmd_o = sr[4:3];
  assign cfg_we_o = go && sr[5];
  assign hm_re_o = go && sr[6];
  assign hm_we_o = go && sr[7];
  assign cfg_addr_o = sr[15:8];
  assign hm_sel_o = sr[19:16];
  assign chk_en_o = sr[20];
  assign chk_go_o = go && sr[21];
  assign hm_addr_o = {8'd0, sr[47:24]};
  assign cfg_wdata_o = sr[79:48];
  assign hm_wdata_o = {{32{sr[111]}}, sr[111:80]};
  assign err_o = rx_ferr;
endmodule
