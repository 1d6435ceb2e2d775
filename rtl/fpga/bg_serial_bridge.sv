// SPDX-License-Identifier: Apache-2.0
// Serial bridge: framed requests over a UART drive the core's host interface (start/cmd,
// configuration words, host memory port, checkpoints). docs/serial.md is the protocol; this
// module is its only implementation on the device side.
//
// One request at a time (stop and wait): the bridge parses a frame, checks its CRC, length,
// opcode, arguments and addresses, acts only when every check passes, and sends exactly one
// response that echoes the sequence number and carries a status byte. A frame that stops in the
// middle is dropped once the line has been idle for TimeoutCycles, so the link recovers. Memory
// burst writes are buffered and written only after the CRC has checked, so a corrupted request
// never has a partial effect. Memory words travel as 1, 2, 4 or 8 bytes (the request says which),
// so 8-bit weights cost one byte each on the line.
module bg_serial_bridge #(
  parameter int ClkDiv = 208,              // clock cycles per UART bit (>= 4)
  parameter int TimeoutCycles = 480000,    // idle cycles that end a frame in progress (20 ms)
  parameter int MaxData = 256,             // data bytes per memory burst (a power of 2, 8..4096)
  // the core's description hash (its configuration word 26, bg_cfg_pkg::NetHash): PING's answer
  // is a constant of the build, sent from a table without reading the core
  parameter logic [31:0] NetHash = 32'd0,
  // depth (words) of each host-memory select of bg_core (docs/rtl.md, "Memories"); 0: absent
  parameter int DepthPix = 0,
  parameter int DepthW = 0,
  parameter int DepthB = 0,
  parameter int DepthFb = 0,
  parameter int DepthNst = 0,
  parameter int DepthD = 0,
  parameter int DepthRast = 0,
  parameter int DepthRec = 0,
  parameter int DepthK = 0,
  parameter int DepthErr = 0
) (
  input  logic        clk,
  input  logic        rst_n,
  // serial line
  input  logic        rx_i,
  output logic        tx_o,
  // to bg_core (names as its ports)
  output logic        core_rst_o,          // held for a few cycles by the RESET request
  output logic        start_o,
  output logic [1:0]  cmd_o,
  input  logic        busy_i,
  input  logic        done_i,
  output logic        cfg_we_o,
  output logic [7:0]  cfg_addr_o,
  output logic [31:0] cfg_wdata_o,
  input  logic [63:0] cfg_rdata_i,
  output logic        hm_re_o,
  output logic        hm_we_o,
  output logic [3:0]  hm_sel_o,
  output logic [31:0] hm_addr_o,
  output logic [63:0] hm_wdata_o,
  input  logic [63:0] hm_rdata_i,
  output logic        chk_en_o,
  output logic        chk_go_o,
  input  logic        chk_valid_i,
  input  logic [3:0]  chk_kind_i,
  input  logic [15:0] chk_t_i,
  // to the board: one-cycle pulse for every error response and every dropped frame
  output logic        err_o
);
  function automatic integer imax(input integer a, input integer b);
    imax = (a > b) ? a : b;
  endfunction

  ////////////////////////////////////////////////////////////////////////////////////////////
  // Protocol constants (docs/serial.md)
  ////////////////////////////////////////////////////////////////////////////////////////////
  localparam logic [7:0] SofReq = 8'hA5, SofResp = 8'h5A;
  localparam logic [7:0] Version = 8'd1;
  localparam logic [31:0] Magic = 32'h42534742;          // bytes "BGSB" in wire order
  // PING's 12 payload bytes, byte k at bits 8k: magic, version, reserved, MaxData, the hash
  // (padded to 16 bytes, the table's index range)
  localparam logic [127:0] PingPay = {32'd0, NetHash, 16'(MaxData), 8'd0, Version, Magic};
  localparam int MaxLen = 8 + MaxData;                   // longest request payload (burst write)
  localparam int BufBits = $clog2(MaxLen);
  localparam int BufDepth = 1 << BufBits;
  localparam int ToBits = $clog2(TimeoutCycles + 1);
  // a kept payload length (request: at most MaxLen, longer sets too_long_q; response: at most
  // MaxData or PING's 12), at least a byte wide since LEN's low byte waits in it for the high
  localparam int LenB = imax($clog2(MaxLen + 1), 8);
  // the deepest select: burst addresses stay below it (the range check refuses the rest), so
  // the address register and the core's host address need no more bits
  localparam int MaxDepth = imax(imax(imax(DepthPix, DepthW), imax(DepthB, DepthFb)),
                                 imax(imax(imax(DepthNst, DepthD), imax(DepthRast, DepthRec)),
                                      imax(imax(DepthK, DepthErr), 2)));
  localparam int AB = $clog2(imax(MaxDepth, MaxData) + 1);
  localparam int CntB = $clog2(MaxData + 1);             // words of one burst

  // opcodes
  localparam logic [7:0] OpPing = 8'h01, OpStatus = 8'h02, OpCfgRead = 8'h03,
                         OpCfgWrite = 8'h04, OpMemRead = 8'h05, OpMemWrite = 8'h06,
                         OpStart = 8'h07, OpChkCtrl = 8'h08, OpReset = 8'h09;
  // status codes
  localparam logic [7:0] StOk = 8'h00, StBadCrc = 8'h01, StBadOp = 8'h02, StBadLen = 8'h03,
                         StBadAddr = 8'h04, StBadArg = 8'h05, StBusy = 8'h06,
                         StNotHeld = 8'h07;

  ////////////////////////////////////////////////////////////////////////////////////////////
  // Helpers
  ////////////////////////////////////////////////////////////////////////////////////////////
  // CRC-16/CCITT-FALSE: polynomial 0x1021, initial value 0xFFFF, most significant bit first;
  // one message bit d into the register c (the bridge feeds a byte's bits one per cycle)
  function automatic logic [15:0] crc16_bit(input logic [15:0] c, input logic d);
    crc16_bit = (c[15] ^ d) ? ({c[14:0], 1'b0} ^ 16'h1021) : {c[14:0], 1'b0};
  endfunction

  function automatic logic [32:0] depth_of(input logic [7:0] sel);
    int d;
    case (sel)
      8'd0: d = DepthPix;
      8'd1: d = DepthW;
      8'd2: d = DepthB;
      8'd3: d = DepthFb;
      8'd4: d = DepthNst;
      8'd5: d = DepthD;
      8'd6: d = DepthRast;
      8'd7: d = DepthRec;
      8'd8: d = DepthK;
      8'd9: d = DepthErr;
      default: d = 0;
    endcase
    depth_of = 33'(d);
  endfunction

  // configuration words the core implements (docs/rtl.md, "Host interface")
  function automatic logic cfg_readable(input logic [7:0] a);
    cfg_readable = (a <= 8'd3) || (a >= 8'd8 && a <= 8'd12) || (a >= 8'd16 && a <= 8'd28);
  endfunction
  function automatic logic cfg_writable(input logic [7:0] a);
    cfg_writable = (a <= 8'd3) || (a >= 8'd8 && a <= 8'd12);
  endfunction

  // the status of a complete request: the first failing check, in the order docs/serial.md gives.
  // The address, count and length checks arrive precomputed (registered flags, see below).
  function automatic logic [7:0] check(input logic crc_ok, input logic too_long,
                                       input logic [7:0] op, input logic [15:0] len,
                                       input logic [7:0] a0, input logic cfg_rd_bad,
                                       input logic cfg_wr_bad, input logic count_bad,
                                       input logic wlen_bad, input logic range_bad,
                                       input logic host_ok, input logic busy, input logic held);
    logic [7:0] s;
    s = StOk;
    if (too_long) s = StBadLen;
    else if (!crc_ok) s = StBadCrc;
    else begin
      case (op)
        OpPing, OpStatus, OpReset: if (len != 16'd0) s = StBadLen;
        OpCfgRead: begin
          if (len != 16'd1) s = StBadLen;
          else if (cfg_rd_bad) s = StBadAddr;
        end
        OpCfgWrite: begin
          if (len != 16'd5) s = StBadLen;
          else if (cfg_wr_bad) s = StBadAddr;
          else if (busy) s = StBusy;       // the core takes configuration writes only when idle
        end
        OpMemRead, OpMemWrite: begin
          if (len < 16'd8) s = StBadLen;
          else if (count_bad) s = StBadArg;
          else if (op == OpMemRead && len != 16'd8) s = StBadLen;
          else if (op == OpMemWrite && wlen_bad) s = StBadLen;
          else if (range_bad || (op == OpMemWrite && a0 == 8'd9)) s = StBadAddr;
          else if (!host_ok) s = StBusy;
        end
        OpStart: begin
          if (len != 16'd1) s = StBadLen;
          else if (a0 > 8'd2) s = StBadArg;
          else if (busy) s = StBusy;
        end
        OpChkCtrl: begin
          if (len != 16'd1) s = StBadLen;
          else if (a0[7:2] != 6'd0) s = StBadArg;
          else if (a0[1] && !held) s = StNotHeld;
        end
        default: s = StBadOp;
      endcase
    end
    check = s;
  endfunction

  ////////////////////////////////////////////////////////////////////////////////////////////
  // UART
  ////////////////////////////////////////////////////////////////////////////////////////////
  logic rx_valid, rx_ferr, rx_active;
  logic [7:0] rx_data;
  logic tx_valid, tx_ready;
  logic [7:0] tx_data;

  bg_uart_rx #(.ClkDiv(ClkDiv)) u_rx (
    .clk(clk), .rst_n(rst_n), .rx_i(rx_i), .valid_o(rx_valid), .data_o(rx_data),
    .ferr_o(rx_ferr), .active_o(rx_active));
  bg_uart_tx #(.ClkDiv(ClkDiv)) u_tx (
    .clk(clk), .rst_n(rst_n), .valid_i(tx_valid), .data_i(tx_data), .ready_o(tx_ready),
    .tx_o(tx_o));

  ////////////////////////////////////////////////////////////////////////////////////////////
  // State
  ////////////////////////////////////////////////////////////////////////////////////////////
  typedef enum logic [4:0] {
    SSof, SSeq, SOp, SLen0, SLen1, SPay, SPad, SCrc0, SCrc1, SDiscard,
    SCheck, SExec, SWrRd, SWrCap, SWrWord, SRst,
    STxHdr, STxPay, STxFetch, STxFetchW, STxCrc
  } state_e;

  state_e st_q;
  logic [7:0] seq_q, op_q, status_q;
  logic [LenB-1:0] len_q;                  // request payload length (longer: too_long_q)
  logic [BufBits:0] idx_q;                 // payload byte index (request, then response)
  // the first 8 payload bytes, little-endian: each byte enters at the top and moves down, and
  // a payload shorter than 8 bytes is padded with zero bytes (SPad), so byte k ends at bits 8k
  logic [63:0] arg_q;
  logic [15:0] crc_q;                      // running CRC of the request, then of the response
  logic [7:0] crc_byte_q;                  // the byte going into crc_q, most significant bit first
  logic [3:0] crc_left_q;                  // its bits still to go in (one per cycle)
  logic crc_ok_q;                          // the request's CRC bytes so far match crc_q
  logic ferr_q;                            // a byte of this frame had a framing error
  logic too_long_q;
  logic [ToBits-1:0] idle_q;               // cycles since the line was last active
  logic [LenB-1:0] rlen_q;                 // response payload length (<= MaxData or 12)
  logic [63:0] resp_q;                     // response payload, sent from the low byte up
  logic [AB-1:0] addr_q;                   // burst: current word address
  logic [CntB-1:0] left_q;                 // burst: words still to write
  logic [2:0] nbyte_q;                     // burst write: byte of the word being assembled
  logic [2:0] wmax_q;                      // burst: bytes per word - 1 (0, 1, 3 or 7)
  logic [BufBits-1:0] bptr_q;              // burst write: payload buffer read pointer
  logic [63:0] wword_q;                    // burst write: byte n of the word in lane n
  logic [1:0] rst_cnt_q;
  logic done_seen_q, chk_en_q;
  logic [15:0] n_crc_err_q, n_drop_q;      // saturating link-error counters (STATUS)
  logic start_q, cfg_we_q, chk_go_q;
  logic [1:0] cmd_q;

  // payload buffer (one EBR): byte k of the request payload at address k
  logic buf_we, buf_re;
  logic [BufBits-1:0] buf_wa;
  logic [7:0] buf_rd;
  assign buf_we = (st_q == SPay) && rx_valid && !too_long_q;
  assign buf_wa = idx_q[BufBits-1:0];
  assign buf_re = (st_q == SWrRd);
  bg_ram_1r1w #(.Width(8), .Depth(BufDepth)) u_buf (
    .clk(clk), .re(buf_re), .raddr(bptr_q), .rdata(buf_rd),
    .we(buf_we), .waddr(buf_wa), .wdata(rx_data));

  // Argument checks, registered in stages so that no long carry chain ends in the status: the
  // arguments are complete after the last payload byte and the two CRC bytes take at least
  // 20 bit times (>= 80 cycles) more, so these flags are settled when the request executes.
  // Memory requests: arg_q = {width[63:56], count[55:40], addr[39:8], sel[7:0]}.
  logic [AB:0] last_q, depth_q;            // one past the last word addressed; the select's depth
  logic addr_hi_q;                         // the address has a bit at or above AB: out of range
  // count * width: data bytes of the burst, from the count's low CntB bits (a larger count is
  // refused as count_bad whatever this holds), so at most 8 * (2^CntB - 1)
  logic [CntB+2:0] dbytes_q;
  logic [CntB-1:0] cnt_lo;
  assign cnt_lo = arg_q[40 +: CntB];
  logic width_bad_q;
  logic range_bad_q, count_bad_q, wlen_bad_q, cfg_rd_bad_q, cfg_wr_bad_q;
  always_ff @(posedge clk) begin
    // address + count > depth, in AB + 1 bits, from the count's low CntB bits: a count above
    // MaxData is refused as count_bad, a check made before this one, so range_bad only matters
    // for a count below 2^CntB <= 2^AB; any depth is below 2^AB too, so the sum cannot wrap
    addr_hi_q <= (arg_q[39:8] >> AB) != 32'd0;
    last_q <= (AB + 1)'(arg_q[8 +: AB]) + (AB + 1)'(cnt_lo);
    depth_q <= (AB + 1)'(depth_of(arg_q[7:0]));
    range_bad_q <= addr_hi_q || (last_q > depth_q);
    width_bad_q <= 1'b0;
    case (arg_q[63:56])
      8'd1: begin wmax_q <= 3'd0; dbytes_q <= (CntB + 3)'(cnt_lo); end
      8'd2: begin wmax_q <= 3'd1; dbytes_q <= (CntB + 3)'(cnt_lo) << 1; end
      8'd4: begin wmax_q <= 3'd3; dbytes_q <= (CntB + 3)'(cnt_lo) << 2; end
      8'd8: begin wmax_q <= 3'd7; dbytes_q <= (CntB + 3)'(cnt_lo) << 3; end
      default: begin wmax_q <= 3'd7; dbytes_q <= '0; width_bad_q <= 1'b1; end
    endcase
    // count >= 1, count <= MaxData and count * width <= MaxData
    count_bad_q <= width_bad_q || (arg_q[55:40] == 16'd0) ||
                   (arg_q[55:40] > 16'(MaxData)) || (16'(dbytes_q) > 16'(MaxData));
    wlen_bad_q <= (16'(len_q) != 16'd8 + 16'(dbytes_q));
    cfg_rd_bad_q <= !cfg_readable(arg_q[7:0]);
    cfg_wr_bad_q <= !cfg_writable(arg_q[7:0]);
  end

  logic host_ok, timeout;
  logic [7:0] status_d;
  assign host_ok = !busy_i || chk_valid_i;
  assign timeout = (idle_q >= ToBits'(TimeoutCycles));
  assign status_d = check(crc_ok_q && !ferr_q, too_long_q, op_q, 16'(len_q), arg_q[7:0],
                          cfg_rd_bad_q, cfg_wr_bad_q, count_bad_q, wlen_bad_q, range_bad_q,
                          host_ok, busy_i, chk_valid_i);

  // response byte on the wire: header, payload, CRC
  logic [7:0] hdr_byte;
  always_comb begin
    case (idx_q[2:0])
      3'd0: hdr_byte = SofResp;
      3'd1: hdr_byte = seq_q;
      3'd2: hdr_byte = op_q;
      3'd3: hdr_byte = status_q;
      3'd4: hdr_byte = 8'(rlen_q);
      default: hdr_byte = 8'(16'(rlen_q) >> 8);
    endcase
  end
  assign tx_valid = tx_ready && (st_q == STxHdr || st_q == STxPay || st_q == STxCrc);
  logic [7:0] ping_byte;
  assign ping_byte = PingPay[8 * idx_q[3:0] +: 8];
  assign tx_data = (st_q == STxHdr) ? hdr_byte :
                   (st_q == STxPay) ? ((op_q == OpPing) ? ping_byte :
                                       resp_q[7:0]) :
                   (idx_q[0] ? crc_q[15:8] : crc_q[7:0]);

  // outputs to the core
  assign core_rst_o = (st_q == SRst);
  assign start_o = start_q;
  assign cmd_o = cmd_q;
  assign cfg_we_o = cfg_we_q;
  // the configuration address straight from the first argument byte: it holds from the end of
  // the payload until the next frame starts, the core takes a write only with the cfg_we pulse,
  // and its read data follow the address combinationally
  assign cfg_addr_o = arg_q[7:0];
  // CONFIG_WRITE's word straight from the arguments: they hold until the next frame starts, and
  // the core takes cfg_wdata only with the cfg_we pulse
  assign cfg_wdata_o = arg_q[39:8];
  assign hm_re_o = (st_q == STxFetch);
  assign hm_we_o = (st_q == SWrWord);
  assign hm_sel_o = arg_q[3:0];
  assign hm_addr_o = 32'(addr_q);
  // a written word: its width's bytes, sign-extended (docs/serial.md, MEM_WRITE)
  always_comb begin
    case (wmax_q)
      3'd0: hm_wdata_o = {{56{wword_q[7]}}, wword_q[7:0]};
      3'd1: hm_wdata_o = {{48{wword_q[15]}}, wword_q[15:0]};
      3'd3: hm_wdata_o = {{32{wword_q[31]}}, wword_q[31:0]};
      default: hm_wdata_o = wword_q;
    endcase
  end
  assign chk_en_o = chk_en_q;
  assign chk_go_o = chk_go_q;

  ////////////////////////////////////////////////////////////////////////////////////////////
  // Controller
  ////////////////////////////////////////////////////////////////////////////////////////////
  // the received byte enters a frame's CRC from the sequence number to the last payload byte
  logic rx_in_crc;
  assign rx_in_crc = rx_valid && (st_q == SSeq || st_q == SOp || st_q == SLen0 ||
                                  st_q == SLen1 || st_q == SPay);
  // The CRC takes a byte's bits one per cycle, the byte received or the byte being sent: a
  // byte on the line takes 10 bit times of ClkDiv >= 4 cycles, so the 8 bits are in before the
  // next byte arrives or is sent, and before the CRC is compared or sent (docs/serial.md, CRC)
  logic crc_feed;                          // a byte enters the CRC this cycle
  assign crc_feed = rx_in_crc || (tx_valid && (st_q == STxHdr || st_q == STxPay) &&
                                  !(st_q == STxHdr && idx_q == '0));

  always_ff @(posedge clk) begin
    start_q <= 1'b0;
    cfg_we_q <= 1'b0;
    chk_go_q <= 1'b0;
    err_o <= 1'b0;
    if (!rst_n) begin
      st_q <= SSof;
      seq_q <= '0; op_q <= '0; status_q <= '0; len_q <= '0; idx_q <= '0; arg_q <= '0;
      crc_q <= '1; crc_byte_q <= '0; crc_left_q <= '0; crc_ok_q <= 1'b0; ferr_q <= 1'b0;
      too_long_q <= 1'b0; idle_q <= '0;
      rlen_q <= '0; resp_q <= '0; addr_q <= '0; left_q <= '0; nbyte_q <= '0; bptr_q <= '0;
      wword_q <= '0; rst_cnt_q <= '0; done_seen_q <= 1'b0; chk_en_q <= 1'b0;
      n_crc_err_q <= '0; n_drop_q <= '0; cmd_q <= '0;
    end else begin
      if (done_i) done_seen_q <= 1'b1;
      // inter-byte timer: restarts whenever the receiver is busy or delivers a byte
      if (rx_active || rx_valid) idle_q <= '0;
      else if (!timeout) idle_q <= idle_q + 1'b1;
      if (crc_feed) begin
        crc_byte_q <= (st_q == STxHdr || st_q == STxPay) ? tx_data : rx_data;
        crc_left_q <= 4'd8;
      end else if (crc_left_q != '0) begin
        crc_q <= crc16_bit(crc_q, crc_byte_q[7]);
        crc_byte_q <= {crc_byte_q[6:0], 1'b0};
        crc_left_q <= crc_left_q - 1'b1;
      end
      if (rx_valid && rx_ferr) ferr_q <= 1'b1;

      case (st_q)
        // ---- request ------------------------------------------------------------------
        SSof: if (rx_valid && rx_data == SofReq) begin
          crc_q <= '1; ferr_q <= rx_ferr; too_long_q <= 1'b0; arg_q <= '0; idx_q <= '0;
          st_q <= SSeq;
        end
        SSeq, SOp, SLen0, SLen1, SPay, SPad, SCrc0, SCrc1: begin
          if (timeout) begin               // the frame stopped: drop it, answer nothing
            st_q <= SSof;
            err_o <= 1'b1;
            if (n_drop_q != '1) n_drop_q <= n_drop_q + 1'b1;
          end else if (st_q == SPad) begin
            // the zero bytes after a short payload (at most 8 cycles: far less than a byte
            // time, so the CRC byte is not missed)
            arg_q <= {8'd0, arg_q[63:8]};
            idx_q <= idx_q + 1'b1;
            if (idx_q == (BufBits + 1)'(7)) st_q <= SCrc0;
          end else if (rx_valid) begin
            case (st_q)
              SSeq: begin seq_q <= rx_data; st_q <= SOp; end
              SOp: begin op_q <= rx_data; st_q <= SLen0; end
              SLen0: begin len_q <= LenB'(rx_data); st_q <= SLen1; end
              SLen1: begin
                len_q <= LenB'({rx_data, 8'(len_q)});
                if ({rx_data, 8'(len_q)} > 16'(MaxLen)) begin
                  too_long_q <= 1'b1;      // cannot be buffered: skip to the end of the frame
                  st_q <= SDiscard;
                end else st_q <= ({rx_data, 8'(len_q)} == 16'd0) ? SPad : SPay;
              end
              SPay: begin
                if (idx_q < (BufBits + 1)'(8)) arg_q <= {rx_data, arg_q[63:8]};
                idx_q <= idx_q + 1'b1;
                if (16'(idx_q) + 16'd1 == 16'(len_q)) st_q <= (idx_q < (BufBits + 1)'(7)) ? SPad : SCrc0;
              end
              // the CRC bytes are compared as they arrive (crc_q holds still from here)
              SCrc0: begin crc_ok_q <= (rx_data == crc_q[7:0]); st_q <= SCrc1; end
              default: begin
                crc_ok_q <= crc_ok_q && (rx_data == crc_q[15:8]);
                st_q <= SCheck;
              end
            endcase
          end
        end
        SDiscard: if (timeout) st_q <= SCheck; // a frame too long: answered once the line is idle

        // ---- execute ------------------------------------------------------------------
        // The status is registered first; the core cannot leave idle or a checkpoint by
        // itself in between, and a busy core that finishes meanwhile is refused (safe side).
        SCheck: begin
          status_q <= status_d;
          st_q <= SExec;
        end
        SExec: begin
          rlen_q <= '0;
          idx_q <= '0;
          addr_q <= arg_q[8 +: AB];
          left_q <= arg_q[40 +: CntB];
          st_q <= STxHdr;
          if (status_q != StOk) begin
            err_o <= 1'b1;
            if (status_q == StBadCrc && n_crc_err_q != '1) n_crc_err_q <= n_crc_err_q + 1'b1;
          end else begin
            case (op_q)
              OpPing: rlen_q <= LenB'(12);   // the bytes come from PingPay
              OpCfgRead: begin             // the word arg_q[7:0] names, taken as a whole
                rlen_q <= LenB'(8);
                resp_q <= cfg_rdata_i;
              end
              OpStatus: begin
                rlen_q <= LenB'(8);
                resp_q <= {n_drop_q, n_crc_err_q, chk_t_i, 4'd0, chk_kind_i, 4'd0,
                           chk_en_q, chk_valid_i, done_seen_q, busy_i};
              end
              OpCfgWrite: cfg_we_q <= 1'b1;
              OpMemRead: rlen_q <= LenB'(dbytes_q);
              OpMemWrite: begin
                bptr_q <= BufBits'(8);
                nbyte_q <= '0;
                st_q <= SWrRd;
              end
              OpStart: begin
                cmd_q <= arg_q[1:0];
                start_q <= 1'b1;
                done_seen_q <= 1'b0;
              end
              OpChkCtrl: begin
                chk_en_q <= arg_q[0];
                chk_go_q <= arg_q[1];
              end
              OpReset: begin
                rst_cnt_q <= '0;
                chk_en_q <= 1'b0;
                done_seen_q <= 1'b0;
                st_q <= SRst;
              end
              default: ;
            endcase
          end
        end
        SWrRd: begin                       // buffer read; the byte is there next cycle
          bptr_q <= bptr_q + 1'b1;
          st_q <= SWrCap;
        end
        SWrCap: begin
          wword_q[8 * nbyte_q +: 8] <= buf_rd;   // (a narrower word ignores the lanes above)
          nbyte_q <= nbyte_q + 1'b1;
          st_q <= (nbyte_q == wmax_q) ? SWrWord : SWrRd;
        end
        SWrWord: begin                     // hm_we this cycle
          nbyte_q <= '0;
          addr_q <= addr_q + 1'b1;
          left_q <= left_q - 1'b1;
          st_q <= (left_q == CntB'(1)) ? STxHdr : SWrRd;
        end
        SRst: begin                        // core_rst_o for four cycles
          rst_cnt_q <= rst_cnt_q + 1'b1;
          if (rst_cnt_q == 2'd3) st_q <= STxHdr;
        end

        // ---- response -----------------------------------------------------------------
        STxHdr: if (tx_ready) begin
          if (idx_q == '0) crc_q <= '1;     // SOF is not in the CRC; the rest through crc_feed
          idx_q <= idx_q + 1'b1;
          if (idx_q == (BufBits + 1)'(5)) begin
            idx_q <= '0;
            st_q <= (rlen_q == '0) ? STxCrc : (op_q == OpMemRead) ? STxFetch : STxPay;
          end
        end
        STxPay: if (tx_ready) begin
          resp_q <= {8'd0, resp_q[63:8]};
          idx_q <= idx_q + 1'b1;
          if (16'(idx_q) + 16'd1 == 16'(rlen_q)) begin
            idx_q <= '0;
            st_q <= STxCrc;
          end else if (op_q == OpMemRead && (idx_q[2:0] & wmax_q) == wmax_q) st_q <= STxFetch;
        end
        STxFetch: st_q <= STxFetchW;       // hm_re this cycle
        STxFetchW: begin
          resp_q <= hm_rdata_i;
          addr_q <= addr_q + 1'b1;
          st_q <= STxPay;
        end
        STxCrc: if (tx_ready) begin
          idx_q <= idx_q + 1'b1;
          if (idx_q == (BufBits + 1)'(1)) st_q <= SSof;
        end
        default: st_q <= SSof;
      endcase
    end
  end
endmodule
