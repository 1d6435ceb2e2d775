// SPDX-License-Identifier: Apache-2.0
// UART transmitter, 8N1, least significant bit first. A byte is taken when valid_i and ready_o
// are both high; ready_o is low while the start, data and stop bits are on the line.
module bg_uart_tx #(
  parameter int ClkDiv = 208               // clock cycles per bit (24 MHz / 115200 baud)
) (
  input  logic       clk,
  input  logic       rst_n,
  input  logic       valid_i,
  input  logic [7:0] data_i,
  output logic       ready_o,
  output logic       tx_o                  // the serial line, idle high
);
  localparam int CntBits = $clog2(ClkDiv + 1);
  localparam logic [CntBits-1:0] FullBit = CntBits'(ClkDiv - 1);

  logic [8:0] shift_q;                     // {stop, data}; the start bit is driven from tx_o
  logic [3:0] left_q;                      // bits still to send after the current one
  logic [CntBits-1:0] cnt_q;
  logic busy_q;

  assign ready_o = !busy_q;

  always_ff @(posedge clk) begin
    if (!rst_n) begin
      busy_q <= 1'b0;
      shift_q <= '1;
      left_q <= '0;
      cnt_q <= '0;
      tx_o <= 1'b1;
    end else if (!busy_q) begin
      tx_o <= 1'b1;
      if (valid_i) begin
        busy_q <= 1'b1;
        tx_o <= 1'b0;                      // start bit
        shift_q <= {1'b1, data_i};
        left_q <= 4'd9;
        cnt_q <= FullBit;
      end
    end else if (cnt_q != '0) begin
      cnt_q <= cnt_q - 1'b1;
    end else if (left_q != '0) begin
      tx_o <= shift_q[0];
      shift_q <= {1'b1, shift_q[8:1]};
      left_q <= left_q - 1'b1;
      cnt_q <= FullBit;
    end else begin
      busy_q <= 1'b0;                      // the stop bit has been on the line for a full bit
      tx_o <= 1'b1;
    end
  end
endmodule
