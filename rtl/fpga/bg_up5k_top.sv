// SPDX-License-Identifier: Apache-2.0
// Board top for the iCE40 UP5K on the iCEBreaker (boards/icebreaker.pcf): the learning core
// (bg_core) behind the serial bridge (bg_serial_bridge, docs/serial.md) on the board's FTDI UART,
// clocked by the on-chip 48 MHz oscillator divided to ClkHz (24 MHz unless set to 48, 12 or 6
// MHz: a core whose Fmax is below 24 MHz runs at a slower setting), with a reset synchroniser fed by
// power-on and the user button. LEDs: green on while the core is busy (a short blink every
// 1.4 s when idle, so a loaded bitstream is visible); red for about 0.2 s after every error
// response or dropped frame. docs/fpga.md describes the board top and the flow.
//
// Port names follow the iCEBreaker's pin names (its pcf and schematic) rather than the _i/_o
// suffixes, so boards/icebreaker.pcf reads like the board's own documentation.
//
// Define BG_EXT_CLK to take the clock from the CLK pin instead of SB_HFOSC: simulation
// (Verilator and Icarus drive CLK), the iCEBreaker's 12 MHz crystal (set ClkHz), and the
// synthesis-only targets that have no SB_HFOSC (ECP5, Xilinx, HX8K). Define BG_PLL_CLK for a
// clock the oscillator's dividers cannot make: the PLL (SB_PLL40_PAD) multiplies the crystal on
// CLK by (PllDivf + 1) / ((PllDivr + 1) · 2^PllDivq), the divisors icepll computes
// (scripts/synth.sh --clock MHZ does), and the core stays in reset until the PLL locks.
module bg_up5k_top #(
  parameter int ClkHz = 24_000_000,                      // SB_HFOSC 48 MHz / 1, 2, 4 or 8
  parameter int Baud = 115_200,
  parameter int ClkDiv = (ClkHz + Baud / 2) / Baud,      // 208 at 24 MHz (0.16 % fast)
  parameter int TimeoutCycles = ClkHz / 50,              // 20 ms inter-byte timeout
  parameter int PorBits = 10,                            // power-on reset: 2^10 cycles
  parameter int LedBits = 22,                            // error LED and heartbeat timing
  parameter int PerfCounters = 1,                        // bg_core's: 0 builds no counters
  parameter int HostState = 1,                           // bg_core's: 0 the model's memories only
  // verilator lint_off UNUSEDPARAM
  // (used only with BG_PLL_CLK)
  parameter int PllDivr = 0,                             // BG_PLL_CLK: the PLL's divisors and
  parameter int PllDivf = 47,                            // loop filter (icepll -i 12 -o MHZ;
  parameter int PllDivq = 5,                             // these: 18 MHz)
  parameter int PllFilter = 1
  // verilator lint_on UNUSEDPARAM
) (
`ifdef BG_EXT_CLK
  input  logic CLK,
`elsif BG_PLL_CLK
  input  logic CLK,                                      // the 12 MHz crystal, into the PLL
`endif
  input  logic RX,                                       // from the host (FTDI TXD)
  output logic TX,                                       // to the host (FTDI RXD)
  input  logic BTN_N,                                    // user button, low when pressed
  output logic LEDR_N,                                   // red LED, low = on
  output logic LEDG_N                                    // green LED, low = on
);
  ////////////////////////////////////////////////////////////////////////////////////////////
  // Clock
  ////////////////////////////////////////////////////////////////////////////////////////////
  logic clk;
  logic clk_ok;                                          // the clock is stable (PLL locked)
`ifdef BG_EXT_CLK
  assign clk = CLK;
  assign clk_ok = 1'b1;
`elsif BG_PLL_CLK
  SB_PLL40_PAD #(
    .FEEDBACK_PATH("SIMPLE"), .DIVR(4'(PllDivr)), .DIVF(7'(PllDivf)), .DIVQ(3'(PllDivq)),
    .FILTER_RANGE(3'(PllFilter))
  ) u_pll (.PACKAGEPIN(CLK), .PLLOUTGLOBAL(clk), .RESETB(1'b1), .BYPASS(1'b0), .LOCK(clk_ok));
`else
  assign clk_ok = 1'b1;
  // the oscillator's divider is a string parameter: one instance per setting
  generate
    if (ClkHz == 48_000_000) begin : g_osc48
      SB_HFOSC #(.CLKHF_DIV("0b00")) u_hfosc (.CLKHFPU(1'b1), .CLKHFEN(1'b1), .CLKHF(clk));
    end else if (ClkHz == 24_000_000) begin : g_osc24
      SB_HFOSC #(.CLKHF_DIV("0b01")) u_hfosc (.CLKHFPU(1'b1), .CLKHFEN(1'b1), .CLKHF(clk));
    end else if (ClkHz == 12_000_000) begin : g_osc12
      SB_HFOSC #(.CLKHF_DIV("0b10")) u_hfosc (.CLKHFPU(1'b1), .CLKHFEN(1'b1), .CLKHF(clk));
    end else if (ClkHz == 6_000_000) begin : g_osc6
      SB_HFOSC #(.CLKHF_DIV("0b11")) u_hfosc (.CLKHFPU(1'b1), .CLKHFEN(1'b1), .CLKHF(clk));
    end else begin : g_osc_bad
      $error("bg_up5k_top: ClkHz must be 48, 24, 12 or 6 MHz with SB_HFOSC (or define BG_EXT_CLK)");
    end
  endgenerate
`endif

  ////////////////////////////////////////////////////////////////////////////////////////////
  // Reset: power-on counter and the button, synchronised; the core also by the bridge
  ////////////////////////////////////////////////////////////////////////////////////////////
  // iCE40 flip-flops are 0 after configuration, which these initial values state for
  // simulation; nothing else in the design relies on an initial value. The power-on count is
  // the low PorBits bits of the free-running heartbeat counter (LEDs, below): power-on reset
  // ends when they first reach all ones.
  logic [LedBits+2:0] beat_q = '0;                       // heartbeat: on 1/8 of 2^(LedBits+3)
  logic por_done_q = 1'b0;
  logic btn_q1 = 1'b0, btn_q2 = 1'b0;                    // button synchroniser
  logic rst_n_q = 1'b0;
  always_ff @(posedge clk) begin
    btn_q1 <= BTN_N;
    btn_q2 <= btn_q1;
    beat_q <= beat_q + 1'b1;
    if (&beat_q[PorBits-1:0]) por_done_q <= 1'b1;
    rst_n_q <= por_done_q && btn_q2 && clk_ok;
  end

  ////////////////////////////////////////////////////////////////////////////////////////////
  // Core and serial bridge
  ////////////////////////////////////////////////////////////////////////////////////////////
  logic core_rst, core_rst_n;
  logic start, busy, done, cfg_we, hm_re, hm_we, chk_en, chk_go, chk_valid, bridge_err;
  logic [1:0] cmd;
  logic [7:0] cfg_addr;
  logic [31:0] cfg_wdata, hm_addr;
  logic [63:0] cfg_rdata, hm_wdata, hm_rdata;
  logic [3:0] hm_sel, chk_kind;
  logic [15:0] chk_t;

  assign core_rst_n = rst_n_q && !core_rst;

  bg_core #(.PerfCounters(PerfCounters), .HostState(HostState)) u_core (
    .clk(clk), .rst_n(core_rst_n),
    .start(start), .cmd(cmd), .busy(busy), .done(done),
    .cfg_we(cfg_we), .cfg_addr(cfg_addr), .cfg_wdata(cfg_wdata), .cfg_rdata(cfg_rdata),
    .hm_re(hm_re), .hm_we(hm_we), .hm_sel(hm_sel), .hm_addr(hm_addr), .hm_wdata(hm_wdata),
    .hm_rdata(hm_rdata),
    .chk_en(chk_en), .chk_go(chk_go), .chk_valid(chk_valid), .chk_kind(chk_kind),
    .chk_t(chk_t));

  localparam bit HsOn = (HostState != 0);
  bg_serial_bridge #(
    .ClkDiv(ClkDiv), .TimeoutCycles(TimeoutCycles), .NetHash(32'(bg_cfg_pkg::NetHash)),
    .DepthPix(bg_cfg_pkg::InputSize), .DepthW(bg_cfg_pkg::WWords),
    .DepthB(bg_cfg_pkg::NWords), .DepthFb(bg_cfg_pkg::FbWords),
    // the core's state only when its host port reaches it (HostState): else the bridge
    // refuses those selects (BAD_ADDR, docs/serial.md)
    .DepthNst(HsOn ? bg_cfg_pkg::NWords : 0), .DepthD(HsOn ? bg_cfg_pkg::NWords : 0),
    .DepthRast(HsOn ? bg_cfg_pkg::RWords : 0), .DepthRec(HsOn ? bg_cfg_pkg::RecWords : 0),
    .DepthK(HsOn ? bg_cfg_pkg::RecWords : 0), .DepthErr(HsOn ? 3 * bg_cfg_pkg::OutputSize : 0)
  ) u_bridge (
    .clk(clk), .rst_n(rst_n_q), .rx_i(RX), .tx_o(TX),
    .core_rst_o(core_rst), .start_o(start), .cmd_o(cmd), .busy_i(busy), .done_i(done),
    .cfg_we_o(cfg_we), .cfg_addr_o(cfg_addr), .cfg_wdata_o(cfg_wdata), .cfg_rdata_i(cfg_rdata),
    .hm_re_o(hm_re), .hm_we_o(hm_we), .hm_sel_o(hm_sel), .hm_addr_o(hm_addr),
    .hm_wdata_o(hm_wdata), .hm_rdata_i(hm_rdata),
    .chk_en_o(chk_en), .chk_go_o(chk_go), .chk_valid_i(chk_valid), .chk_kind_i(chk_kind),
    .chk_t_i(chk_t), .err_o(bridge_err));

  ////////////////////////////////////////////////////////////////////////////////////////////
  // LEDs
  ////////////////////////////////////////////////////////////////////////////////////////////
  // The heartbeat counter also times the error LED: an error sets err_q to 2, and each wrap of
  // the counter's low LedBits bits (every 2^LedBits cycles, 0.17 s at 24 MHz) counts it down,
  // so the red LED stays on 1 to 2 of those periods (a second counter cost about 45 cells)
  logic [1:0] err_q;                                     // error stretch, in wraps
  always_ff @(posedge clk) begin
    if (!rst_n_q) begin
      err_q <= '0;
    end else begin
      if (bridge_err) err_q <= 2'd2;
      else if (err_q != '0 && beat_q[LedBits-1:0] == '1) err_q <= err_q - 1'b1;
    end
  end
  assign LEDG_N = !(busy || beat_q[LedBits+2:LedBits] == 3'd0);
  assign LEDR_N = (err_q == '0);
endmodule
