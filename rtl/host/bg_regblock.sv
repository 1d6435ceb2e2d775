// SPDX-License-Identifier: Apache-2.0
// The host register block of the learning core: the register map of sw/regmap/regmap.json
// (offsets, reset values and masks from the generated bg_regs_pkg) on a simple synchronous bus,
// in front of bg_core's configuration words, host memory port and checkpoint signals. This is
// the device the `verilator:` and `systemc:` backends drive (docs/driver.md, "The RTL register
// block"); it keeps the register semantics of the cmodel: device model, flag for flag.
//
// Bus: the host holds req with we, addr (byte offset) and wdata until ack, a one-cycle pulse at
// least one clock edge later (with rdata for a read), and drops req before the next edge.
// After a reset (rst_n low, or CTRL.SOFT_RESET) the block writes the description's seeds into
// the core's random streams before it acknowledges anything: the streams have no reset.
module bg_regblock (
  input  logic        clk,
  input  logic        rst_n,
  input  logic        req,
  input  logic        we,
  input  logic [31:0] addr,
  input  logic [31:0] wdata,
  output logic        ack,
  output logic [31:0] rdata,
  output logic        busy_o,          // the core runs a command (for a host's polling)
  output logic        done_o           // STATUS.DONE
);
  // (no `import bg_regs_pkg::*`: Yosys 0.23 does not parse an import inside a module)

  ////////////////////////////////////////////////////////////////////////////////////////////
  // Memory depths (the selects of MEM_SEL; docs/rtl.md, "Memories")
  ////////////////////////////////////////////////////////////////////////////////////////////
  function automatic logic [24:0] depth_of(input logic [3:0] sel);
    int d;
    case (sel)
      4'd0: d = bg_cfg_pkg::InputSize;
      4'd1: d = bg_cfg_pkg::WWords;
      4'd2: d = bg_cfg_pkg::NWords;
      4'd3: d = bg_cfg_pkg::FbWords;
      4'd4: d = bg_cfg_pkg::NWords;
      4'd5: d = bg_cfg_pkg::NWords;
      4'd6: d = bg_cfg_pkg::RWords;
      4'd7: d = bg_cfg_pkg::RecWords;
      4'd8: d = bg_cfg_pkg::RecWords;
      4'd9: d = 3 * bg_cfg_pkg::OutputSize;
      default: d = 0;
    endcase
    depth_of = 25'(d);
  endfunction

  // the core's configuration word behind a register (docs/rtl.md, "Host interface"); 31: none
  function automatic logic [7:0] cfg_word(input logic [31:0] a);
    case (32'(a))
      bg_regs_pkg::RegEtaM: cfg_word = 8'd0;
      bg_regs_pkg::RegEtaSh: cfg_word = 8'd1;
      bg_regs_pkg::RegSleepFill: cfg_word = 8'd2;
      bg_regs_pkg::RegLabel: cfg_word = 8'd3;
      bg_regs_pkg::RegSeedInput: cfg_word = 8'd8;
      bg_regs_pkg::RegSeedSleepRate: cfg_word = 8'd9;
      bg_regs_pkg::RegSeedSleepNoise: cfg_word = 8'd10;
      bg_regs_pkg::RegSeedRound: cfg_word = 8'd11;
      bg_regs_pkg::RegSeedEval: cfg_word = 8'd12;
      bg_regs_pkg::RegCntCycles: cfg_word = 8'd16;
      bg_regs_pkg::RegCntSynEvents: cfg_word = 8'd17;
      bg_regs_pkg::RegCntWeightWrites: cfg_word = 8'd18;
      bg_regs_pkg::RegCntSamples: cfg_word = 8'd19;
      bg_regs_pkg::RegCntSleeps: cfg_word = 8'd20;
      bg_regs_pkg::RegCntFwdCycles: cfg_word = 8'd21;
      bg_regs_pkg::RegCntLearnCycles: cfg_word = 8'd22;
      bg_regs_pkg::RegCntSleepCycles: cfg_word = 8'd23;
      bg_regs_pkg::RegCntRoundDraws: cfg_word = 8'd24;
      bg_regs_pkg::RegCntTimesteps: cfg_word = 8'd28;
      bg_regs_pkg::RegPrediction: cfg_word = 8'd25;
      bg_regs_pkg::RegLastStepCycles: cfg_word = 8'd27;
      default: cfg_word = 8'd31;
    endcase
  endfunction

  // the low word of a 64-bit counter (reading it latches the high word)
  function automatic logic is_counter(input logic [31:0] a);
    logic [7:0] c;
    c = cfg_word(a);
    is_counter = (c >= 8'd16 && c <= 8'd24) || c == 8'd28;
  endfunction
  // the high word of a 64-bit counter
  function automatic logic is_counter_hi(input logic [31:0] a);
    is_counter_hi = a[2:0] == 3'b100 && is_counter({a[31:3], 3'b000});
  endfunction
  // registers that are read only as a whole
  function automatic logic is_ro(input logic [31:0] a);
    case (32'(a))
      bg_regs_pkg::RegId, bg_regs_pkg::RegVersion, bg_regs_pkg::RegNetHash, bg_regs_pkg::RegStatus,
      bg_regs_pkg::RegPrediction, bg_regs_pkg::RegLastStepCycles, bg_regs_pkg::RegNetLayers,
      bg_regs_pkg::RegNetSteps, bg_regs_pkg::RegNetInputSize, bg_regs_pkg::RegNetOutputSize: is_ro =
      1'b1;
      default: is_ro = is_counter(a) || is_counter_hi(a);
    endcase
  endfunction
  function automatic logic is_reg(input logic [31:0] a);
    case (32'(a))
      bg_regs_pkg::RegCtrl, bg_regs_pkg::RegError, bg_regs_pkg::RegEtaM, bg_regs_pkg::RegEtaSh,
      bg_regs_pkg::RegSleepFill, bg_regs_pkg::RegLabel, bg_regs_pkg::RegSeedInput,
      bg_regs_pkg::RegSeedSleepRate, bg_regs_pkg::RegSeedSleepNoise, bg_regs_pkg::RegSeedRound,
      bg_regs_pkg::RegSeedEval, bg_regs_pkg::RegMemSel, bg_regs_pkg::RegMemAddr,
      bg_regs_pkg::RegMemDataLo, bg_regs_pkg::RegMemDataHi: is_reg = 1'b1;
      default: is_reg = is_ro(a);
    endcase
  endfunction

  localparam logic [5:0] EBadAddr = 6'd1, EReadOnly = 6'd2, EBusy = 6'd4, EBadValue = 6'd8,
                         EMemRange = 6'd16, ENotHeld = 6'd32;

  ////////////////////////////////////////////////////////////////////////////////////////////
  // The core
  ////////////////////////////////////////////////////////////////////////////////////////////
  logic core_rst_n, start, busy, done, cfg_we, hm_re, hm_we, chk_go, chk_valid;
  logic [1:0] cmd_q;
  logic [7:0] cfg_addr;
  logic [31:0] cfg_wdata;
  logic [63:0] cfg_rdata, hm_rdata;
  logic [3:0] chk_kind;
  logic [15:0] chk_t;
  logic chk_en_q;
  logic [3:0] mem_sel_q;
  logic [23:0] mem_addr_q;
  logic [31:0] lo_buf_q, hi_latch_q, cnt_hi_q;

  typedef enum logic [2:0] { SIdle, SMemRd, SMemCap, SMemWr, SRst, SSeed, SCfgCap } st_e;
  st_e st_q;
  logic [2:0] n_q;                     // SRst and SSeed: cycles and seeds done
  logic [31:0] wdata_q;                // the memory word's high half, for SMemWr

  bg_core u_core (
    .clk(clk), .rst_n(core_rst_n),
    .start(start), .cmd(cmd_q), .busy(busy), .done(done),
    .cfg_we(cfg_we), .cfg_addr(cfg_addr), .cfg_wdata(cfg_wdata), .cfg_rdata(cfg_rdata),
    .hm_re(hm_re), .hm_we(hm_we), .hm_sel(mem_sel_q), .hm_addr(32'(mem_addr_q)),
    .hm_wdata({wdata_q, lo_buf_q}), .hm_rdata(hm_rdata),
    .chk_en(chk_en_q), .chk_go(chk_go), .chk_valid(chk_valid), .chk_kind(chk_kind),
    .chk_t(chk_t));

  ////////////////////////////////////////////////////////////////////////////////////////////
  // Decode of the request in SIdle
  ////////////////////////////////////////////////////////////////////////////////////////////
  logic [5:0] error_q;
  logic done_q, since_reset_q, ack_q, rst_ack_q;
  logic [31:0] rdata_q;
  logic held, host_ok, take;
  logic [7:0] cw;
  assign held = chk_valid;
  assign host_ok = !busy || held;      // the core gives the host its memories
  assign take = (st_q == SIdle) && req;
  assign cw = cfg_word(addr);

  // CTRL's two pulses are refused independently, as on cmodel:
  logic [5:0] go_flag, start_flag;
  always_comb begin
    go_flag = '0;
    start_flag = '0;
    if (!wdata[bg_regs_pkg::RegCtrlSoftResetLsb]) begin
      if (wdata[bg_regs_pkg::RegCtrlChkGoLsb] && !held) go_flag = ENotHeld;
      if (wdata[bg_regs_pkg::RegCtrlStartLsb] && busy) start_flag = EBusy;
      else if (wdata[bg_regs_pkg::RegCtrlStartLsb] && wdata[2:1] == 2'd3) start_flag = EBadValue;
    end
  end
  // a write the block refuses, as the flag it sets (0: accepted)
  logic [5:0] wr_flag;
  always_comb begin
    wr_flag = '0;
    if (!is_reg(addr)) wr_flag = EBadAddr;
    else if (is_ro(addr)) wr_flag = EReadOnly;
    else begin
      case (32'(addr))
        bg_regs_pkg::RegCtrl: wr_flag = go_flag | start_flag;
        bg_regs_pkg::RegLabel: if (wdata >= 32'(bg_cfg_pkg::OutputSize)) wr_flag = EBadValue;
                  else if (busy) wr_flag = EBusy;
        bg_regs_pkg::RegEtaM: if (wdata >= 32'h8000) wr_flag = EBadValue;
                 else if (busy) wr_flag = EBusy;
        bg_regs_pkg::RegEtaSh, bg_regs_pkg::RegSleepFill, bg_regs_pkg::RegSeedInput,
        bg_regs_pkg::RegSeedSleepRate, bg_regs_pkg::RegSeedSleepNoise, bg_regs_pkg::RegSeedRound,
        bg_regs_pkg::RegSeedEval: if (busy) wr_flag = EBusy;
        bg_regs_pkg::RegMemSel:
          if (wdata >= 32'd10 || depth_of(wdata[3:0]) == '0) wr_flag = EBadValue;
        bg_regs_pkg::RegMemDataHi: begin
          if (mem_sel_q == 4'd9) wr_flag = EReadOnly;
          else if (25'(mem_addr_q) >= depth_of(mem_sel_q)) wr_flag = EMemRange;
          else if (!host_ok) wr_flag = EBusy;
        end
        default: ;
      endcase
    end
  end
  // a read the block refuses (MEM_DATA_LO out of range or while the core owns the memories)
  logic [5:0] rd_flag;
  always_comb begin
    rd_flag = '0;
    if (!is_reg(addr)) rd_flag = EBadAddr;
    else if (32'(addr) == bg_regs_pkg::RegMemDataLo) begin
      if (25'(mem_addr_q) >= depth_of(mem_sel_q)) rd_flag = EMemRange;
      else if (!host_ok) rd_flag = EBusy;
    end
  end
  // the value of a register without side effects
  logic [31:0] rd_value;
  always_comb begin
    rd_value = '0;
    case (32'(addr))
      bg_regs_pkg::RegId: rd_value = bg_regs_pkg::RegIdReset;
      bg_regs_pkg::RegVersion: rd_value = bg_regs_pkg::RegVersionReset;
      bg_regs_pkg::RegNetHash: rd_value = bg_cfg_pkg::NetHash;
      bg_regs_pkg::RegCtrl: rd_value = 32'({chk_en_q, cmd_q, 1'b0});
      bg_regs_pkg::RegStatus:
        rd_value = {held ? chk_t : 16'd0, 8'd0, held ? chk_kind : 4'd0, 1'b0, held, done_q, busy};
      bg_regs_pkg::RegError: rd_value = 32'(error_q);
      bg_regs_pkg::RegMemSel: rd_value = 32'(mem_sel_q);
      bg_regs_pkg::RegMemAddr: rd_value = 32'(mem_addr_q);
      bg_regs_pkg::RegMemDataHi: rd_value = hi_latch_q;
      bg_regs_pkg::RegNetLayers: rd_value = 32'(bg_cfg_pkg::NLayers);
      bg_regs_pkg::RegNetSteps: rd_value = 32'(bg_cfg_pkg::Steps);
      bg_regs_pkg::RegNetInputSize: rd_value = 32'(bg_cfg_pkg::InputSize);
      bg_regs_pkg::RegNetOutputSize: rd_value = 32'(bg_cfg_pkg::OutputSize);
      default: begin
        if (is_counter_hi(addr)) rd_value = cnt_hi_q;
        else if ((cw == 8'd25 || cw == 8'd27) && since_reset_q) rd_value = '0;
        else if (cw != 8'd31) rd_value = cfg_rdata[31:0];
      end
    endcase
  end

  ////////////////////////////////////////////////////////////////////////////////////////////
  // Core controls
  ////////////////////////////////////////////////////////////////////////////////////////////
  logic [31:0] seed_of;
  always_comb begin
    case (n_q)
      3'd0: seed_of = bg_cfg_pkg::SeedInput;
      3'd1: seed_of = bg_cfg_pkg::SeedSleepRate;
      3'd2: seed_of = bg_cfg_pkg::SeedSleepNoise;
      3'd3: seed_of = bg_cfg_pkg::SeedRound;
      default: seed_of = bg_cfg_pkg::SeedEval;
    endcase
  end
  logic soft_reset;
  assign soft_reset = take && we && 32'(addr) == bg_regs_pkg::RegCtrl &&
                      wdata[bg_regs_pkg::RegCtrlSoftResetLsb];
  assign core_rst_n = rst_n && st_q != SRst;
  assign cfg_we = (st_q == SSeed) ||
                  (take && we && wr_flag == '0 && cw <= 8'd12 && 32'(addr) != bg_regs_pkg::RegCtrl);
  assign cfg_addr = (st_q == SSeed) ? 8'(8 + 32'(n_q)) : cw;
  assign cfg_wdata = (st_q == SSeed) ? seed_of :
                     (32'(addr) == bg_regs_pkg::RegEtaSh) ? (wdata & bg_regs_pkg::RegEtaShRwMask) :
                                                             wdata;
  assign start = take && we && 32'(addr) == bg_regs_pkg::RegCtrl && start_flag == '0 &&
                 !soft_reset &&
                 wdata[bg_regs_pkg::RegCtrlStartLsb];
  assign chk_go = take && we && 32'(addr) == bg_regs_pkg::RegCtrl && go_flag == '0 && !soft_reset &&
                  wdata[bg_regs_pkg::RegCtrlChkGoLsb];
  assign hm_re = (st_q == SMemRd);
  assign hm_we = (st_q == SMemWr);

  always_ff @(posedge clk) begin
    ack_q <= 1'b0;
    if (!rst_n) begin
      st_q <= SSeed;                   // seed the streams after power-on
      n_q <= '0;
      cmd_q <= '0; chk_en_q <= 1'b0; mem_sel_q <= '0; mem_addr_q <= '0; lo_buf_q <= '0;
      hi_latch_q <= '0; cnt_hi_q <= '0; error_q <= '0; done_q <= 1'b0; since_reset_q <= 1'b1;
      rdata_q <= '0; wdata_q <= '0; rst_ack_q <= 1'b0;
    end else begin
      if (done) done_q <= 1'b1;
      case (st_q)
        SIdle: if (req) begin
          rdata_q <= '0;
          if (!we) begin
            // ---- read ----
            error_q <= error_q | rd_flag;
            if (rd_flag == '0) begin
              if (32'(addr) == bg_regs_pkg::RegMemDataLo) st_q <= SMemRd;
              // a stream's state is a word of a block RAM in the core: cfg_rdata holds it one
              // clock after cfg_addr (the host holds addr until ack)
              else if (cw >= 8'd8 && cw <= 8'd12) st_q <= SCfgCap;
              else begin
                rdata_q <= rd_value;
                if (is_counter(addr)) cnt_hi_q <= cfg_rdata[63:32];
                if (32'(addr) == bg_regs_pkg::RegMemDataHi) mem_addr_q <= mem_addr_q + 1'b1;
                ack_q <= 1'b1;
              end
            end else ack_q <= 1'b1;
          end else begin
            // ---- write ----
            error_q <= error_q | wr_flag;
            ack_q <= 1'b1;
            if (32'(addr) == bg_regs_pkg::RegCtrl) begin
              if (soft_reset) begin
                ack_q <= 1'b0;
                rst_ack_q <= 1'b1;
                n_q <= '0;
                st_q <= SRst;
                cmd_q <= '0; chk_en_q <= 1'b0; mem_sel_q <= '0; mem_addr_q <= '0;
                lo_buf_q <= '0; hi_latch_q <= '0; cnt_hi_q <= '0; error_q <= '0;
                done_q <= 1'b0; since_reset_q <= 1'b1;
              end else begin
                cmd_q <= wdata[2:1];
                chk_en_q <= wdata[bg_regs_pkg::RegCtrlChkEnLsb];
                if (start) begin
                  done_q <= 1'b0;
                  since_reset_q <= 1'b0;
                end
              end
            end else if (32'(addr) == bg_regs_pkg::RegMemDataHi) begin
              // the address steps also when the write is refused, as on cmodel:
              if (wr_flag == '0) begin
                ack_q <= 1'b0;
                wdata_q <= wdata;
                st_q <= SMemWr;
              end else mem_addr_q <= mem_addr_q + 1'b1;
            end else if (wr_flag == '0) begin
              case (32'(addr))
                bg_regs_pkg::RegError: error_q <= error_q & ~wdata[5:0];
                bg_regs_pkg::RegMemSel: mem_sel_q <= wdata[3:0];
                bg_regs_pkg::RegMemAddr: mem_addr_q <= wdata[23:0];
                bg_regs_pkg::RegMemDataLo: lo_buf_q <= wdata;
                default: ;
              endcase
            end
          end
        end
        SMemRd: st_q <= SMemCap;       // hm_re this cycle; the word is there next cycle
        SCfgCap: begin
          rdata_q <= cfg_rdata[31:0];
          ack_q <= 1'b1;
          st_q <= SIdle;
        end
        SMemCap: begin
          rdata_q <= hm_rdata[31:0];
          hi_latch_q <= hm_rdata[63:32];
          ack_q <= 1'b1;
          st_q <= SIdle;
        end
        SMemWr: begin                  // hm_we this cycle
          mem_addr_q <= mem_addr_q + 1'b1;
          ack_q <= 1'b1;
          st_q <= SIdle;
        end
        SRst: begin                    // the core held in reset for four cycles
          n_q <= n_q + 1'b1;
          if (n_q == 3'd3) begin
            n_q <= '0;
            st_q <= SSeed;
          end
        end
        default: begin                 // SSeed: one stream per cycle
          n_q <= n_q + 1'b1;
          if (n_q == 3'd4) begin
            st_q <= SIdle;
            ack_q <= rst_ack_q;        // the SOFT_RESET write is done
            rst_ack_q <= 1'b0;
          end
        end
      endcase
    end
  end

  assign ack = ack_q;
  assign rdata = rdata_q;
  assign busy_o = busy;
  assign done_o = done_q;
endmodule
