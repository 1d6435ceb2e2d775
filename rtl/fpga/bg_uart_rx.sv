// SPDX-License-Identifier: Apache-2.0
// UART receiver, 8 data bits, no parity, one stop bit (8N1), least significant bit first.
// The line is synchronised with two flip-flops, the start bit is confirmed at its middle and every
// bit is sampled at its middle. A stop bit read as 0 (noise or a break) still delivers the byte,
// with ferr_o set, and the receiver then waits for the line to return high before it looks for
// the next start bit, so a held-low line never produces a stream of bytes.
module bg_uart_rx #(
  parameter int ClkDiv = 208               // clock cycles per bit (24 MHz / 115200 baud)
) (
  input  logic       clk,
  input  logic       rst_n,
  input  logic       rx_i,                 // the serial line, idle high
  output logic       valid_o,              // one-cycle pulse: data_o holds a received byte
  output logic [7:0] data_o,               // (the shift register: the byte stays until the next
                                           // byte's first data bit, more than a bit time later)
  output logic       ferr_o,               // with valid_o: the stop bit was 0
  output logic       active_o              // a byte is being received (for inter-byte timeouts)
);
  localparam int CntBits = $clog2(ClkDiv + 1);
  localparam logic [CntBits-1:0] FullBit = CntBits'(ClkDiv - 1);
  localparam logic [CntBits-1:0] HalfBit = CntBits'(ClkDiv / 2 - 1);

  typedef enum logic [2:0] {RxIdle, RxStart, RxData, RxStop, RxBreak} rx_state_e;

  rx_state_e st_q;
  logic rx_q1, rx_q2;                      // synchroniser
  logic [CntBits-1:0] cnt_q;
  logic [2:0] bit_q;
  logic [7:0] shift_q;

  assign active_o = (st_q != RxIdle);
  assign data_o = shift_q;

  always_ff @(posedge clk) begin
    valid_o <= 1'b0;
    ferr_o <= 1'b0;
    if (!rst_n) begin
      st_q <= RxIdle;
      rx_q1 <= 1'b1;
      rx_q2 <= 1'b1;
      cnt_q <= '0;
      bit_q <= '0;
      shift_q <= '0;
    end else begin
      rx_q1 <= rx_i;
      rx_q2 <= rx_q1;
      case (st_q)
        RxIdle: begin
          cnt_q <= HalfBit;
          if (!rx_q2) st_q <= RxStart;
        end
        RxStart: begin                     // middle of the start bit: still low?
          if (cnt_q != '0) cnt_q <= cnt_q - 1'b1;
          else if (rx_q2) st_q <= RxIdle;  // a glitch, not a start bit
          else begin
            cnt_q <= FullBit;
            bit_q <= '0;
            st_q <= RxData;
          end
        end
        RxData: begin
          if (cnt_q != '0) cnt_q <= cnt_q - 1'b1;
          else begin
            shift_q <= {rx_q2, shift_q[7:1]};
            cnt_q <= FullBit;
            bit_q <= bit_q + 1'b1;
            if (bit_q == 3'd7) st_q <= RxStop;
          end
        end
        RxStop: begin
          if (cnt_q != '0) cnt_q <= cnt_q - 1'b1;
          else begin
            valid_o <= 1'b1;
            ferr_o <= !rx_q2;
            st_q <= rx_q2 ? RxIdle : RxBreak;
          end
        end
        RxBreak: if (rx_q2) st_q <= RxIdle;
        default: st_q <= RxIdle;
      endcase
    end
  end
endmodule
