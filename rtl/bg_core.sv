// SPDX-License-Identifier: Apache-2.0
// The BioGrad learning core: the whole training loop of the golden model (cmodel/core) on one
// time-multiplexed datapath. Every width and constant comes from bg_cfg_pkg, generated from the
// network description by `bgnet gen verilog`. docs/rtl.md describes the phases, the memories
// and the host interface; each phase names the golden-model function it reproduces bit for bit.
module bg_core #(
  // 1: the twelve performance counters (docs/rtl.md, "Host interface"). 2: only the cycle and
  // sample counters (words 16 and 19; the others read 0): enough for the time per sample on a
  // board, at a fraction of the cost (`scripts/synth.sh --counters min`). 0: none are built and
  // their configuration words read 0; only for fitting a small FPGA (`scripts/synth.sh
  // --no-counters`), since the host then cannot measure cycles or events
  parameter int PerfCounters = 1,
  // 1: the host memory port reaches every memory (docs/rtl.md, "Host interface"). 0: only the
  // model's parameters and the input, the selects pixels, weights, biases and feedback weights
  // (what training, inference and checkpoints need); the others read 0 and ignore writes. For
  // fitting a small FPGA (`scripts/synth.sh --host model`): the host can then no longer look
  // at the neuron state, dendrites, rasters, records, kernels or the error unit
  parameter int HostState = 1
) (
  input  logic        clk,
  input  logic        rst_n,
  // command: a pulse on start with cmd 0 train one sample (label), 1 infer one sample, 2 sleep
  input  logic        start,
  input  logic [1:0]  cmd,
  output logic        busy,
  output logic        done,
  // configuration and counters (docs/rtl.md, "Configuration words")
  input  logic        cfg_we,
  input  logic [7:0]  cfg_addr,
  input  logic [31:0] cfg_wdata,
  output logic [63:0] cfg_rdata,
  // host memory port: owns the memories while the core is idle or held at a checkpoint
  input  logic        hm_re,
  input  logic        hm_we,
  input  logic [3:0]  hm_sel,
  input  logic [31:0] hm_addr,
  input  logic [63:0] hm_wdata,
  output logic [63:0] hm_rdata,
  // checkpoints: with chk_en the core stops after every step, update and sleep until chk_go
  input  logic        chk_en,
  input  logic        chk_go,
  output logic        chk_valid,
  output logic [3:0]  chk_kind,
  output logic [15:0] chk_t
);
  `include "bg_widths.svh"

  // ------------------------------------------------------------------------------------------
  // Constants from the description
  // ------------------------------------------------------------------------------------------
  localparam int NL = bg_cfg_pkg::NLayers;            // layers including the input
  localparam int LL = NL - 1;                         // index of the output layer
  localparam int T = bg_cfg_pkg::Steps;
  localparam int T0 = bg_cfg_pkg::ErrorStart;
  localparam int NIn = bg_cfg_pkg::InputSize;
  localparam int NOut = bg_cfg_pkg::OutputSize;
  localparam int MaxN = bg_cfg_pkg::MaxLayerSize;
  localparam int PB = bg_cfg_pkg::PotBits;
  localparam int TB = bg_cfg_pkg::TraceBits;
  localparam int EB = bg_cfg_pkg::ErrBits, EF = bg_cfg_pkg::ErrFrac;
  localparam int DB = bg_cfg_pkg::DendBits, DF = bg_cfg_pkg::DendFrac;
  localparam int WW = bg_cfg_pkg::WWords, NW = bg_cfg_pkg::NWords, RW = bg_cfg_pkg::RWords;
  localparam int RECW = bg_cfg_pkg::RecWords;
  localparam int FBW = (bg_cfg_pkg::FbWords > 0) ? bg_cfg_pkg::FbWords : 1;
  localparam int WBITS = bg_cfg_pkg::MaxWBits;
  localparam int FBBITS = (bg_cfg_pkg::MaxFbBits > 0) ? bg_cfg_pkg::MaxFbBits : 1;
  localparam int MaxH = (bg_cfg_pkg::MaxHiddenSize > 0) ? bg_cfg_pkg::MaxHiddenSize : 1;
  localparam int AccBits = 48;                        // update accumulator (BG_ACC_BITS)
  localparam int EbBits = TB + 9;                     // un-saturated sum of T <= 256 kernels
  // sleep: an output's spike count o in a noise sample (<= Ts), the noise sum h (|h| <= Ts)
  localparam int OBits = imax($clog2(bg_cfg_pkg::SleepSteps + 1), 1);
  localparam int HBits = OBits + 1;
  // spike lists: {sign, row base}; a row base is below the weight words, and a list holds at
  // most the input layer's spikes, a hidden layer's, or two noise entries per hidden neuron
  localparam int RowW = $clog2(WW + 1);
  localparam int ListBits = RowW + 1;
  localparam int ListDepth = imax(imax(NIn, 2 * MaxH), 2);
  // the eligibility row holds one entry per neuron of a non-input layer
  localparam int MaxPost = tab_max(bg_cfg_pkg::SizeTab, NL);
  // {refr, s, v}: the refractory count as wide as the description's longest refractory period
  // (one bit when there is none; the host word keeps refr at bits P_bits + 1 up)
  localparam int RefrBits = imax($clog2(tab_max(bg_cfg_pkg::RefractoryTab, NL) + 1), 1);
  localparam int NstBits = PB + 1 + RefrBits;
  localparam int RecBits = imax(PB + 1, TB);          // {g, m}, later K in place

  localparam int CntW = $clog2(T + 1);                // a spike count of one sample
  // the largest count any controller loop reaches: list entries (two per noise neuron), neuron
  // and raster words, correlation words, sleep samples and steps, timesteps
  localparam int IxMax = imax(imax(imax(imax(2 * MaxH + 2, MaxN), bg_cfg_pkg::NWords),
                                   imax(bg_cfg_pkg::RWords, MaxH * NOut)),
                              imax(imax(bg_cfg_pkg::SleepSamples, bg_cfg_pkg::SleepSteps),
                                   imax(T, NIn))) + 2;
  localparam int IW = $clog2(IxMax) + 2;              // signed
  localparam int CtrW = 48;                           // performance counters of cycles and events
  localparam int CtrSW = 32;                          // counters of samples, sleeps, timesteps
  localparam int AW = 32;                             // address registers (trimmed by synthesis)
  localparam int AccW = bg_cfg_pkg::AccBits;          // synaptic input sum (checked to hold it)
  localparam int FBMaxBits = imax(tab_max(bg_cfg_pkg::FbBitsTab, NL), 1);
  localparam int FbAccW = FBMaxBits + $clog2(NOut + 1) + 1;   // Σ_k ±B over the outputs
  // Q_k = Σ o_k² over K noise samples of Ts steps: below K·Ts² (one spike per step at most)
  localparam int QBits = $clog2(bg_cfg_pkg::SleepSamples + 1) +
                         2 * $clog2(bg_cfg_pkg::SleepSteps + 1) + 1;
  // C_ik = Σ h_i·o_k over the K noise samples, |h_i| <= Ts and o_k <= Ts: |C| < K·Ts², signed
  localparam int CBits = QBits + 1;
  // the widest intermediate of the dendrite, error and eligibility arithmetic below
  localparam int FXW = imax(imax(DB, FbAccW + imax(0, DF - tab_min(bg_cfg_pkg::FbFracTab, NL))),
                            imax(imax(EB + 1, EbBits), AccW)) + 3;
  `include "bg_fixed.svh"

  // Entry lv + off of a per-layer table for a layer index lv known only at run time (l, sl_l:
  // always 0 .. NL-1, so its low three bits select), dflt where lv + off is not a layer: a
  // multiplexer of NL constants, where tab() with a run-time index would shift the whole table.
  function automatic integer ltab(input logic [255:0] tb, input logic [2:0] lv,
                                  input integer off, input integer dflt);
    integer r, q;
    r = dflt;
    for (q = 0; q < NL; q = q + 1)
      if (lv == 3'(q) && q + off >= 0 && q + off < NL) r = tab(tb, q + off);
    ltab = r;
  endfunction

  // memory selectors of the host port
  localparam logic [3:0] SelPix = 4'd0, SelW = 4'd1, SelB = 4'd2, SelFb = 4'd3, SelNst = 4'd4,
                         SelD = 4'd5, SelRast = 4'd6, SelRec = 4'd7, SelK = 4'd8, SelErr = 4'd9;

  // ------------------------------------------------------------------------------------------
  // Controller state
  // ------------------------------------------------------------------------------------------
  typedef enum logic [6:0] {
    S_IDLE, S_CLR, S_ENC_RD, S_FWD_I, S_FWD_SUM, S_FWD_V, S_FWD_SOMA, S_LAYER_END,
    S_ERR_SOFT, S_ERR_DIV, S_ERR_DIVW, S_ERR_DO_RD, S_ERR_DO_WR, S_ERR_FB_I,
    S_ERR_FB_SUM, S_ERR_FB_WR, S_STEP_END, S_STEP_NEXT, S_HOLD,
    S_K_T, S_K_RD, S_K_MUL, S_K_MW, S_K_MK, S_K_TK, S_K_KV, S_K_WR,
    S_U_RAST_RD, S_U_RAST, S_U_E_SEL, S_U_E_TN, S_U_E_RD, S_U_W_RD, S_U_W_LD, S_U_W_SH, S_U_W_WR,
    S_U_B_RD, S_U_B_MUL, S_U_B_MW, S_U_B_T1, S_U_B_LD, S_U_B_SH, S_U_B_WR, S_UPD_END, S_AFTER_UPD,
    S_SL_START, S_SL_LOAD, S_SL_CLR, S_SL_RST, S_SL_N_RD, S_SL_N_P, S_SL_N_M, S_SL_FWD_END, S_SL_C_RD,
    S_SL_C_H, S_SL_C_RMW, S_SL_C_MW, S_SL_C_WR, S_SL_K_END, S_SL_FB_RD, S_SL_FB_MUL0,
    S_SL_FB_MW0, S_SL_FB_MUL, S_SL_FB_MW, S_SL_FB_ST, S_SL_FB_WR, S_SL_END, S_DONE
  } state_e;

  typedef logic signed [IW-1:0] ix_t;
  // the loops with small bounds get their own widths (signed, with the same headroom of a
  // sign bit and one bit above the bound): timesteps, layers, outputs, sleep samples and steps
  localparam int TIW = $clog2(T + 1) + 2;
  localparam int LIW = $clog2(NL + 1) + 2;
  localparam int KIW = $clog2(NOut + 1) + 2;
  localparam int SIW = $clog2(imax(bg_cfg_pkg::SleepSamples, bg_cfg_pkg::SleepSteps) + 1) + 2;
  // i: a neuron of a non-input layer (the input layer is walked by ie)
  localparam int NIW = $clog2(tab_max(bg_cfg_pkg::SizeTab, NL) + 1) + 2;

  typedef enum logic [1:0] {M_TRAIN = 2'd0, M_INFER = 2'd1, M_SLEEP = 2'd2} mode_e;

  state_e st, st_after_hold;
  mode_e mode;
  logic sleep_fwd;                 // forward pass inside the sleep phase
  logic noise_layer;               // the sleep layer driven by the signed noise list (no bias)
  // Loop counters and indices: signed (the int arithmetic of the controller) and IW bits, enough
  // for every count below; synthesis builds IW-bit counters and comparators, not 32-bit ones.
  ix_t j, a, idx;
  logic signed [NIW-1:0] i;
  logic signed [TIW-1:0] t;
  logic signed [LIW-1:0] l;
  logic signed [KIW-1:0] k;
  logic signed [SIW-1:0] kk, ts;   // sleep: noise sample and step
  logic signed [LIW-1:0] sl_l;     // sleep: hidden layer being aligned
  logic par;                       // lists: consumers read list[par], producers write list[!par]
  ix_t na_in, na_out;
  // the producer's row base: the weight index of its row in the next layer's weights, that is
  // the next layer's weight offset plus index * that layer's size (<= WW); in the update, the
  // row of presynaptic j among layer l's weights. Lists carry it, so a weight's index is the
  // row base plus the postsynaptic neuron, one adder
  logic [RowW-1:0] prod_row;
  logic signed [AccW-1:0] acc;     // synaptic input sum
  logic v1, v2, first;             // FWD_SUM pipeline
  // The last cycle of S_FWD_SUM (no weight read in it, α·keep in mul_q): the cycle after one
  // that is neither the first nor reads a weight (a >= na_in) nor has a weight in flight (v1),
  // registered (sum_end_q) so the memories' controls start at a flip-flop; the third cycle at
  // the earliest, the first whose mul_q holds the product of the operands of the first.
  logic sum_end_q;
  logic fwd_sum_end;
  assign fwd_sum_end = (st == S_FWD_SUM) && sum_end_q;
  always_ff @(posedge clk)
    sum_end_q <= (st == S_FWD_SUM) && !sum_end_q && !first && a >= na_in && !v1;
  // st == S_FWD_SUM as a flip-flop, for the shared memory's multiplexers: S_FWD_I always goes
  // on to S_FWD_SUM, which ends with its last cycle
  logic in_sum_q;
  always_ff @(posedge clk) in_sum_q <= (st == S_FWD_I) || (st == S_FWD_SUM && !sum_end_q);
  ix_t ie, iw;                     // streams: index read this cycle, index written
  logic pv;                        // streams: the data of element iw is in the RAM outputs
  ix_t iwa;                        // second stage: the weight stream's element whose operands are
                                   // registered; the encoder's pixel whose spike bit is in enc_q
  logic pva;                       // iwa holds an element
  ix_t iw2;                        // weight stream: the element whose product is in mul_q
  logic pv2;                       // weight stream: mul_q holds the product of element iw2
  logic sgn2;
  logic [T-1:0] spikes;            // update: spike times of presynaptic neuron j
  logic spk_last_q;                // update: the pass for t_sel is j's last (S_U_E_TN on)
  logic uer_q;                     // st == S_U_E_RD, kept with the transitions (checked below)
  logic [3:0] label;
  logic signed [AccBits-1:0] t1;
  logic [15:0] rho;
  logic [15:0] eta_m;              // η/(F·batch) = η_m·2^-η_sh, η_m < 2^15 (bg_net_eta_q)
  logic [7:0] eta_sh;
  logic [31:0] since_sleep;
  logic [3:0] pred;

  // error unit registers (output layer)
  logic sp [0:NOut-1], sm [0:NOut-1];   // (u± are words of the single-port memory, e_*)
  // The output layer's spike counts c_k of the sample and o_k of the sleep unit's noise sample
  // are words of the eligibility row's block RAM above its MaxPost entries (u_erow: the update
  // phase uses only those, and no other phase uses it): c_k at ErCnt + k, o_k at ErO + k. Each
  // is read one state before it is used (er_rd), so they cost no flip-flops and no read
  // multiplexers of NOut registers.
  localparam int ErCnt = MaxPost;
  localparam int ErO = MaxPost + NOut;
  // Above them, from ErS (a multiple of 8), the five random streams' states (bg_lfsr), in eight
  // words so that any 3-bit stream index addresses a word of the memory; the memory is at least
  // 32 bits wide for them (mnist-fpga: 25 bits would take the same two block RAMs).
  localparam int ErS = ((MaxPost + 2 * NOut + 7) / 8) * 8;
  localparam int ErDepth = ErS + 8;
  localparam int ErW = imax(EbBits, 32);

  // The interneurons' spikes σ± are read by three indices, each its own multiplexer on a
  // register, so no state decode comes before them: k (the error unit's step, which also
  // writes them), the streamed k of the feedback sum (fb_k_rd), and the output the host's
  // address names (eu). The output dendrites' step takes σ±_k registered (sg_p_q, sg_m_q).
  localparam int EUW = imax($clog2(NOut), 1);
  logic [EUW-1:0] eu;
  // k and fb_k_rd as unsigned indices (a size cast keeps k's sign: Icarus reads sp[-1] for a
  // 1-bit index of 1, where Verilator reads sp[1])
  logic [EUW-1:0] k_eu, fbk_eu;
  assign k_eu = EUW'(k);
  logic sg_p_q, sg_m_q;            // σ±_k: registered in S_ERR_DIV for the interneurons' step
                                   // (S_ERR_DIVW), in S_ERR_DO_RD for S_ERR_DO_WR
  // the error unit's host addresses: 3·NOut <= 48, compared on the low 6 address bits
  logic [5:0] ea;
  logic ea_hi;                     // an address bit above those is set: no register
  assign ea = hm_addr[5:0];
  assign ea_hi = hm_addr[31:6] != '0;
  logic ea_u, ea_sg, ea_cnt;       // the address names u± (a memory word), σ± or a count c_k
  assign ea_u = !ea_hi && ea < 6'(NOut);
  assign ea_sg = !ea_hi && ea >= 6'(NOut) && ea < 6'(2 * NOut);
  assign ea_cnt = !ea_hi && ea >= 6'(2 * NOut) && ea < 6'(3 * NOut);

  // sleep registers (o_k: words of u_erow, above)
  logic [QBits-1:0] q_val;         // Q_k of the feedback step (Q_k = Σ o_k² are memory words)
  logic signed [HBits-1:0] h_val;

  // counters
  // counters: 48 bits wrap after 136 days of cycles at 24 MHz; read as 64-bit words
  // (samples, sleeps and timesteps in 32 bits: 2^32 samples; a timestep's cycles in 32 bits)
  logic [CtrW-1:0] c_cycles, c_syn, c_wwrites, c_fwd, c_learn, c_sleepcyc, c_draws;
  logic [CtrSW-1:0] c_samples, c_sleeps, c_steps, c_step_cur, c_step_last;

  // ------------------------------------------------------------------------------------------
  // Random streams: their states are words ErS + q of u_erow, one generator and the state of the
  // stream in use in bg_lfsr. At most one stream draws in any state, so rng_sel names it: the
  // input or evaluation stream while encoding, the sleep rate at the start of a sleep call, the
  // noise stream for the noise words, else the rounding stream (weight, bias and feedback
  // writes). Each draw writes the new state back to the stream's word. A phase that draws gets
  // its stream's state from the memory: the state before it reads the word (rng_pre, the
  // stream rng_pre_s) and the next cycle loads it (rng_ld), a cycle without a draw: the first
  // of S_ENC_RD (from S_CLR or S_STEP_NEXT), S_K_RD (the update, from S_STEP_NEXT), S_SL_LOAD
  // (the rate, from S_IDLE or S_AFTER_UPD), S_SL_RST (the noise, from S_SL_CLR or S_SL_K_END),
  // S_SL_FB_RD (the feedback step's rounding, from S_SL_K_END). Nothing else draws in between.
  // The host reads a stream's word through the same port (cfg_rdata one cycle after cfg_addr)
  // and a seed write writes it.
  // ------------------------------------------------------------------------------------------
  localparam int RInput = 0, RSleepRate = 1, RNoise = 2, RRound = 3, REval = 4;
  logic host;                      // the host owns the memories
  assign host = (st == S_IDLE) || (st == S_HOLD);
  logic [31:0] rng_w;              // the stream's next draw (and its state after it)
  logic [2:0] rng_sel;
  logic rng_step;
  logic rng_pre, rng_ld;
  logic [2:0] rng_pre_s;
  logic rng_seed_we;               // a seed write: taken only while idle, like the others
  logic [31:0] rng_seed;
  assign rng_seed_we = cfg_we && !busy && cfg_addr >= 8'd8 && cfg_addr <= 8'd12;
  assign rng_seed = (cfg_wdata == 32'd0) ? 32'd1 : cfg_wdata;   // a zero seed loads 1
  bg_lfsr u_lfsr (
    .clk(clk), .load(rng_ld), .load_val(er_rd[31:0]), .step(rng_step), .word(rng_w));
  always_ff @(posedge clk) rng_ld <= rng_pre;

  // ------------------------------------------------------------------------------------------
  // Memories
  // ------------------------------------------------------------------------------------------
  logic pix_re, pix_we; logic [7:0] pix_rd;   // (their address and data: mh_a, mc_a)
  logic w_en, w_we; logic [WBITS-1:0] w_rd;   // (their address and data: mh_a, mc_a)
  logic [WBITS-1:0] wnew;          // new weight (or bias) from t1 and the stored word
  logic b_re, b_we; logic [AW-1:0] b_ra, b_wa; logic [WBITS-1:0] b_wd, b_rd;
  logic fb_re, fb_we; logic [AW-1:0] fb_ra, fb_wa; logic [FBBITS-1:0] fb_wd, fb_rd;
  logic n_re, n_we; logic [AW-1:0] n_ra, n_wa; logic [NstBits-1:0] n_wd, n_rd;
  logic d_re, d_we; logic [AW-1:0] d_ra, d_wa; logic [DB-1:0] d_wd, d_rd;
  logic r_re, r_we; logic [AW-1:0] r_ra, r_wa; logic [T-1:0] r_wd, r_rd;
  // (the records and C: one address for the read and the write, in the single-port memory)
  logic rc_re, rc_we; logic [AW-1:0] rc_a; logic [RecBits-1:0] rc_wd, rc_rd;
  logic kr_re, kr_we; logic [AW-1:0] kr_ra, kr_wa; logic [TB-1:0] kr_wd, kr_rd;
  logic eb_re, eb_we; logic [AW-1:0] eb_ra, eb_wa; logic [EbBits-1:0] eb_wd, eb_rd;
  logic er_re, er_we; logic [AW-1:0] er_ra, er_wa; logic [ErW-1:0] er_wd, er_rd;
  logic l_re [0:1], l_we [0:1]; logic [AW-1:0] l_ra [0:1], l_wa [0:1];
  logic [ListBits-1:0] l_wd [0:1], l_rd [0:1];
  logic c_re, c_we; logic [AW-1:0] c_a; logic [CBits-1:0] c_wd, c_rd;
  logic h_re, h_we; logic [AW-1:0] h_ra, h_wa; logic [HBits-1:0] h_wd, h_rd;
  // the error interneurons' potentials {u-, u+} of one output, a word of the single-port memory
  logic e_re, e_we; logic [AW-1:0] e_ra, e_wa; logic [2*EB-1:0] e_wd, e_rd;
  // the sleep unit's Q_k = Σ o_k² of one output, a word of the single-port memory
  logic q_re, q_we; logic [AW-1:0] q_ra, q_wa; logic [QBits-1:0] q_wd, q_rd;

`define BG_RAM(name, width, depth, pre) \
  bg_ram_1r1w #(.Width(width), .Depth(depth)) name ( \
    .clk(clk), .re(pre``_re), .raddr(pre``_ra[$clog2((depth) > 1 ? (depth) : 2)-1:0]), \
    .rdata(pre``_rd), .we(pre``_we), .waddr(pre``_wa[$clog2((depth) > 1 ? (depth) : 2)-1:0]), \
    .wdata(pre``_wd));

  `BG_RAM(u_bias, WBITS, NW, b)
  `BG_RAM(u_fb, FBBITS, FBW, fb)
  `BG_RAM(u_nst, NstBits, NW, n)
  `BG_RAM(u_dend, DB, NW, d)
  `BG_RAM(u_rast, T, RW, r)
  // krow holds K(t+1) of the layer's neurons, so the kernel reads it and the record of step t
  // in one cycle
  `BG_RAM(u_krow, TB, MaxPost, kr)
  `BG_RAM(u_eb, EbBits, NW, eb)
  `BG_RAM(u_erow, ErW, ErDepth, er)
  `BG_RAM(u_h, HBits, MaxH, h)
  bg_ram_1r1w #(.Width(ListBits), .Depth(ListDepth)) u_list0 (
    .clk(clk), .re(l_re[0]), .raddr(l_ra[0][$clog2(ListDepth)-1:0]), .rdata(l_rd[0]),
    .we(l_we[0]), .waddr(l_wa[0][$clog2(ListDepth)-1:0]), .wdata(l_wd[0]));
  bg_ram_1r1w #(.Width(ListBits), .Depth(ListDepth)) u_list1 (
    .clk(clk), .re(l_re[1]), .raddr(l_ra[1][$clog2(ListDepth)-1:0]), .rdata(l_rd[1]),
    .we(l_we[1]), .waddr(l_wa[1][$clog2(ListDepth)-1:0]), .wdata(l_wd[1]));
  // One single-port memory (the UP5K's four SPRAMs, as 16K words of 32 bits) holds the four
  // tables no state accesses together: the weights and the pixels, LaneW-bit lanes, WPW to a
  // word (lane addresses: weight q at q, pixel p at lane p of the pixels' region, below),
  // then one whole word per replay
  // record {g, m} (K(t) overwrites the record of step t in place: the kernel reads a record
  // once, then never again), per sleep correlation C, per output's error interneurons
  // {u-, u+} (read while the divider starts, written when it is done) and per output's sleep
  // sum Q_k (read in the last cycle of the output soma's synaptic sum, written by the soma;
  // read for the feedback step one state ahead, kept in q_val). The controller's ports
  // below are merged onto it; at most one of them is active in any cycle.
  localparam int LaneW = (WBITS <= 8) ? 8 : (WBITS <= 16) ? 16 : 32;
  localparam int WPW = 32 / LaneW;                    // weights (or pixels) per word
  localparam int LgWPW = $clog2(WPW);
  localparam int LG = (WPW > 1) ? LgWPW : 1;          // lane index bits
  localparam int MemW = (imax(imax(RecBits, CBits), imax(2 * EB, QBits)) > 32) ? 64 : 32;
  // The regions after the weights: the pixels (lanes, like the weights), the records, C, the
  // error unit's words and the sleep sums. Each starts at a multiple of the power of two at
  // least its size when that costs no address bit (the memory's depth keeps its power of two):
  // then a region's word address is the start's high bits beside the index's low bits, with
  // no adder. Otherwise they follow one another, and the start is added.
  function automatic integer al_up(input integer x, input integer size);
    integer al;
    al = 1 << $clog2((size > 1) ? size : 1);
    al_up = ((x + al - 1) / al) * al;
  endfunction
  localparam int WWd = (WW + WPW - 1) / WPW;          // words of the weights
  localparam int NPixW = (NIn + WPW - 1) / WPW;       // words of the pixels
  localparam int CWords = MaxH * NOut;
  localparam int PackDepth = WWd + NPixW + RECW + CWords + 2 * NOut;
  localparam int APix = al_up(WWd, NPixW), ARec = al_up(APix + NPixW, RECW),
                 AC = al_up(ARec + RECW, CWords), AE = al_up(AC + CWords, NOut),
                 AQ = al_up(AE + NOut, NOut);
  localparam bit Aligned = $clog2(AQ + NOut) <= $clog2(PackDepth);
  localparam int PixOff = Aligned ? APix : WWd;       // first pixel word
  localparam int RecOff = Aligned ? ARec : WWd + NPixW; // first record word
  localparam int COff = Aligned ? AC : RecOff + RECW; // first correlation word
  localparam int EOff = Aligned ? AE : COff + CWords; // the error unit's words {u-, u+}
  localparam int QOff = Aligned ? AQ : EOff + NOut;   // the sleep unit's words Q_k
  localparam int MemDepth = QOff + NOut;
  localparam int MA = $clog2(MemDepth);
  // word address of index ix of the region at off whose indices fit the mask m
  function automatic logic [MA-1:0] region(input logic [MA-1:0] off, input logic [MA-1:0] ix,
                                           input logic [MA-1:0] m);
    region = Aligned ? (off | (ix & m)) : off + ix;
  endfunction
  function automatic logic [MA-1:0] mask_of(input integer n);
    mask_of = MA'((1 << $clog2((n > 1) ? n : 1)) - 1);
  endfunction
  logic m_en, m_we;
  logic [MA-1:0] m_a;
  logic [MemW/LaneW-1:0] m_lane_we;
  logic [MemW-1:0] m_wd, m_rd;
  logic [LG-1:0] m_lane_q;         // the lane of the last lane-addressed read
  bg_ram_sp #(.Width(MemW), .LaneW(LaneW), .Depth(MemDepth)) u_mem (
    .clk(clk), .en(m_en), .we(m_we), .lane_we(m_lane_we), .addr(m_a), .wdata(m_wd),
    .rdata(m_rd));
  logic [LaneW-1:0] m_lane_rd;
  assign m_lane_rd = m_rd[LaneW * m_lane_q +: LaneW];
  assign w_rd = WBITS'(m_lane_rd);
  assign pix_rd = m_lane_rd[7:0];
  assign rc_rd = m_rd[RecBits-1:0];
  assign c_rd = m_rd[CBits-1:0];
  assign e_rd = m_rd[2*EB-1:0];
  assign q_rd = m_rd[QBits-1:0];
  // The merged port: a lane address (weights, pixels) or a word address (records, C). The
  // region it serves in a cycle follows from registers alone (the host's select while the host
  // owns the memories, below; else rs_*, from the state): every state accesses at most one
  // region, but
  // S_FWD_SUM, whose last cycle may read Q_k, and S_FWD_SOMA, which writes a record or Q_k
  // as sleep_fwd says. So the address and data multiplexers wait for no enable (within a region
  // the read and write addresses differ only in states that do one of the two); the enables
  // only gate the access (m_en, m_we).
  logic [LG-1:0] m_la;             // the lane of a weight or pixel access
  logic m_lane_acc;
  logic rs_w, rs_pix, rs_rec, rs_e, rs_q, rs_c, sum_q_rd;   // the core's region, at most one
  logic m_host_we, mwe_q, soq_q, divw_q;             // the write enable's terms (below)
  // the core's weight accesses from registers: uw_q is st ∈ {S_U_W_RD, S_U_W_WR}, a flip-flop
  // the controller sets and clears with the transitions into and out of them, and uww_q is
  // st == S_U_W_WR (both checked in simulation, below)
  logic uw_q, uww_q;
  logic [AW-1:0] w_ctl_a;          // the controller's weight address (below)
  // The host's address and lane mask and the core's are put together last, by `host` alone:
  // the host's come from its own registers (hm_sel, hm_addr), the core's from the state, so
  // neither waits for the other's select (docs/fpga.md, "Fmax"). (The data: one multiplexer
  // below, whose lane branch the host takes.)
  logic [MA-1:0] mh_a, mc_a;
  logic [MemW/LaneW-1:0] mh_lane_we, mc_lane_we;
  always_comb begin
    // (the records and u± only with HostState; a select that reaches none of these memories
    // makes no access, whatever the address)
    if (hm_sel == SelPix)
      mh_a = region(MA'(PixOff), MA'(hm_addr[AW-1:0] >> LgWPW), mask_of(NPixW));
    else if (HostState != 0 && (hm_sel == SelRec || hm_sel == SelK))
      mh_a = region(MA'(RecOff), MA'(hm_addr[AW-1:0]), mask_of(RECW));
    else if (HostState != 0 && hm_sel == SelErr)
      mh_a = region(MA'(EOff), MA'(eu), mask_of(NOut));
    else
      mh_a = MA'(hm_addr[AW-1:0] >> LgWPW);                        // SelW
    // a record is a whole word; a weight or a pixel is the lane its address names
    for (int q = 0; q < MemW / LaneW; q++)
      mh_lane_we[q] = (HostState != 0 && (hm_sel == SelRec || hm_sel == SelK)) ||
                      ((q < WPW) && (WPW == 1 || LG'(q) == LG'(hm_addr)));
  end
  always_comb begin
    sum_q_rd = sum_end_q && sleep_fwd && l == LL;
    rs_w = (in_sum_q && !sum_q_rd) || uw_q;
    rs_pix = st == S_ENC_RD;
    rs_rec = (st == S_FWD_SOMA && !sleep_fwd) || st == S_K_RD || st == S_K_WR || uer_q;
    rs_e = st == S_CLR || st == S_ERR_DIV || st == S_ERR_DIVW;
    rs_q = (in_sum_q && sum_q_rd) || (st == S_FWD_SOMA && sleep_fwd) || st == S_SL_RST ||
           st == S_SL_K_END || st == S_SL_FB_WR;
    rs_c = st == S_SL_CLR || st == S_SL_C_RMW || st == S_SL_C_WR || st == S_SL_FB_RD;
    // the core writes lanes only in S_U_W_WR (uww_q); its other writes are whole words
    for (int q = 0; q < MemW / LaneW; q++)
      mc_lane_we[q] = !uww_q || ((q < WPW) && (WPW == 1 || LG'(q) == LG'(wa_q)));
    // the data: the host's (a weight's or pixel's in every lane, or with HostState a record),
    // else the core's write of the region it accesses
    m_wd = '0;
    if (host && HostState != 0 && (hm_sel == SelRec || hm_sel == SelK))
      m_wd = MemW'(rc_wd);
    else if (host || rs_w)
      for (int q = 0; q < MemW / LaneW; q++)
        m_wd[LaneW * q +: LaneW] = host ? ((hm_sel == SelW) ? LaneW'(WBITS'(hm_wdata))
                                                             : LaneW'(hm_wdata[7:0]))
                                        : LaneW'(wnew);
    else if (rs_rec) m_wd = MemW'(rc_wd);
    else if (rs_e) m_wd = MemW'(e_wd);
    else if (rs_q) m_wd = MemW'(q_wd);
    else m_wd = MemW'(c_wd);
    // the address: an OR of the regions' addresses, each gated by its select (no priority
    // chain: the selects exclude each other, checked in simulation below; 0 when the core
    // accesses none of them)
    mc_a = ({MA{rs_w}} & MA'(w_ctl_a >> LgWPW)) |
           ({MA{rs_pix}} & region(MA'(PixOff), MA'(AW'(ie) >> LgWPW), mask_of(NPixW))) |
           ({MA{rs_rec}} & region(MA'(RecOff), MA'(rc_a), mask_of(RECW))) |
           ({MA{rs_e}} & region(MA'(EOff), MA'((st == S_CLR) ? e_wa : e_ra), mask_of(NOut))) |
           ({MA{rs_q}} & region(MA'(QOff), MA'((st == S_FWD_SOMA || st == S_SL_RST) ? q_wa : q_ra),
                               mask_of(NOut))) |
           ({MA{rs_c}} & region(MA'(COff), MA'(c_a), mask_of(CWords)));
  end
  always_comb begin
    m_lane_acc = w_en || pix_re || pix_we;
    m_la = host ? LG'(hm_addr) : rs_w ? LG'(w_ctl_a) : LG'(ie);
    m_en = m_lane_acc || rc_re || c_re || e_re || q_re;   // a read (a write needs no en)
    m_we = m_host_we || mwe_q || uww_q || (soq_q && so_s) || (divw_q && div_done);
    m_a = host ? mh_a : mc_a;
    m_lane_we = host ? mh_lane_we : mc_lane_we;
  end
  always_ff @(posedge clk) if (m_lane_acc && !m_we) m_lane_q <= (WPW > 1) ? m_la : '0;
  // The write enable from registers (docs/fpga.md, "Fmax"): of the states that write this
  // memory, mwe_q says the state the controller enters writes in its first cycle, or the state
  // it stays in writes again; the soma's Q_k (when the output spikes) and the error unit's u±
  // (when the divider is done) wait for a registered bit besides. The host's writes come from
  // its own registers.
  assign m_host_we = host && hm_we &&
                     (hm_sel == SelPix || hm_sel == SelW ||
                      (HostState != 0 && (hm_sel == SelRec || hm_sel == SelK)));
  always_ff @(posedge clk) begin
    if (!rst_n) begin
      mwe_q <= 1'b0; soq_q <= 1'b0; divw_q <= 1'b0; uww_q <= 1'b0;
    end else begin
      mwe_q <= (st == S_IDLE && start && cmd != 2'd2) ||            // S_CLR: u± = 0
               (st == S_CLR && idx < NOut - 1) ||
               (st == S_FWD_V && !sleep_fwd && mode == M_TRAIN) ||   // S_FWD_SOMA: {g, m}
               st == S_K_KV ||                                       // S_K_WR: K(t)
               (st == S_SL_START && LL - 1 >= 1) ||                  // S_SL_CLR: C = 0
               (st == S_SL_FB_WR && k + 1 == NOut && i + 1 == n_sl && sl_l - 1 >= 1) ||
               st == S_SL_CLR ||                  // C = 0 again, or S_SL_RST's Q_0 = 0
               (st == S_SL_RST && kk == 0 && idx < NOut - 1) ||   // (NOut <= sl_rst_len)
               st == S_SL_C_MW;                                      // S_SL_C_WR: C += h·o
      uww_q <= st == S_U_W_SH && upd_done;                           // S_U_W_WR: the weight
      soq_q <= st == S_FWD_V && sleep_fwd && l == LL;                // S_FWD_SOMA: Q_k
      divw_q <= st == S_ERR_DIV || (st == S_ERR_DIVW && !div_done);  // S_ERR_DIVW: u±
    end
  end
`ifndef SYNTHESIS
  // the registers agree with the states' own write enables, every cycle
  always_ff @(posedge clk)
    if (rst_n && m_we != (w_we || pix_we || rc_we || c_we || e_we || q_we)) begin
      $display("bg_core: memory write enable %0d in state %0d, the states' own say %0d", m_we,
               st, w_we || pix_we || rc_we || c_we || e_we || q_we);
      $fatal(1);
    end else if (rst_n && (uw_q != (st == S_U_W_RD || st == S_U_W_WR) ||
                           uww_q != (st == S_U_W_WR) || uer_q != (st == S_U_E_RD))) begin
      $display("bg_core: weight-stream flags %0d %0d %0d in state %0d", uw_q, uww_q, uer_q, st);
      $fatal(1);
    end else if (rst_n && (!$onehot0({rs_w, rs_pix, rs_rec, rs_e, rs_q, rs_c}) ||
                           (!host && (m_en || m_we) &&
                            !$onehot({rs_w, rs_pix, rs_rec, rs_e, rs_q, rs_c})))) begin
      $display("bg_core: memory region selects %b in state %0d (access %0d)",
               {rs_w, rs_pix, rs_rec, rs_e, rs_q, rs_c}, st, m_en || m_we);
      $fatal(1);
    end else if (rst_n && st == S_ERR_FB_I && k != 0) begin   // ik's k is 0 there
      $display("bg_core: k %0d in S_ERR_FB_I", k);
      $fatal(1);
    end
`endif
`undef BG_RAM

  // ------------------------------------------------------------------------------------------
  // Per-layer constants of layer l (the layer the controller works on)
  // ------------------------------------------------------------------------------------------
  int n_cur, n_next, n_prev, nbase, rbase, rbase_prev, recbase, fbbase;
  // the weight offsets a row base starts from: of layer l (the update), l + 2 (the layer after
  // the one starting at a layer's end), layer 1 (the encoder's), sl_l + 1 (the sleep noise's)
  logic [RowW-1:0] wbase, wbase_l2, wbase_sl;
  localparam int WBase1 = (NL > 1) ? tab(bg_cfg_pkg::WBaseTab, 1) : 0;
  logic [2:0] lyr;                 // l as the units' layer select
  always_comb begin
    n_cur = ltab(bg_cfg_pkg::SizeTab, 3'(l), 0, 0);
    n_next = ltab(bg_cfg_pkg::SizeTab, 3'(l), 1, 0);
    n_prev = ltab(bg_cfg_pkg::SizeTab, 3'(l), -1, 0);
    wbase = RowW'(ltab(bg_cfg_pkg::WBaseTab, 3'(l), 0, 0));
    wbase_l2 = RowW'(ltab(bg_cfg_pkg::WBaseTab, 3'(l), 2, 0));
    wbase_sl = RowW'(ltab(bg_cfg_pkg::WBaseTab, 3'(sl_l), 1, 0));
    nbase = ltab(bg_cfg_pkg::NBaseTab, 3'(l), 0, 0);
    rbase = ltab(bg_cfg_pkg::RBaseTab, 3'(l), 0, 0);
    rbase_prev = ltab(bg_cfg_pkg::RBaseTab, 3'(l), -1, 0);
    recbase = ltab(bg_cfg_pkg::RecBaseTab, 3'(l), 0, 0);
    fbbase = ltab(bg_cfg_pkg::FbBaseTab, 3'(l), 0, 0);
    lyr = 3'(l);
  end

  // Small address products. The record address's t·n (a timestep, TW bits, times a layer's
  // size) is a `*`: Yosys puts it on an SB_MAC16 of its own (the UP5K has eight; the shared
  // multiplier and the units use seven), where shift-and-add cost about 50 LUT4 and their
  // carries. i·NOut by shift-and-add over NOut's set bits (one adder for mnist-fpga's 10).
  localparam int TW = (T > 1) ? $clog2(T) : 1;
  localparam int NCW = $clog2(MaxN + 1);               // a layer's size
  function automatic logic [AW-1:0] times_nout(input ix_t ia);
    logic [AW-1:0] r;
    r = '0;
    for (int q = 0; q < 8; q++) if (((NOut >> q) & 1) != 0) r = r + (AW'(ia) << q);
    times_nout = r;
  endfunction

  // a stored weight or bias of layer ly, sign-extended from the layer's width
  function automatic logic signed [AccW-1:0] w_of(input logic [WBITS-1:0] w, input logic [2:0] ly);
    logic signed [AccW-1:0] r;
    integer q;
    r = '0;
    for (q = 1; q < NL; q = q + 1)
      if (lhit(ly, q)) r = AccW'(sext(64'(w), tab(bg_cfg_pkg::WBitsTab, q)));
    w_of = r;
  endfunction
  // a feedback weight of hidden layer ly, sign-extended
  function automatic logic signed [FbAccW-1:0] fb_of(input logic [FBBITS-1:0] w,
                                                    input logic [2:0] ly);
    logic signed [FbAccW-1:0] r;
    integer q;
    r = '0;
    for (q = 1; q < NL; q = q + 1)
      if (lhit(ly, q)) r = FbAccW'(sext(64'(w), imax(tab(bg_cfg_pkg::FbBitsTab, q), 1)));
    fb_of = r;
  endfunction
  // Σ B·sg from the feedback format into the dendrite format: RND(x, B_frac − D_frac)
  function automatic logic signed [FXW-1:0] fb_to_dend(input logic signed [FbAccW-1:0] x,
                                                       input logic [2:0] ly);
    logic signed [FXW-1:0] r;
    integer q;
    r = '0;
    for (q = 1; q < NL; q = q + 1)
      if (lhit(ly, q)) r = rnd(FXW'(x), tab(bg_cfg_pkg::FbFracTab, q) - DF);
    fb_to_dend = r;
  endfunction

  // ------------------------------------------------------------------------------------------
  // One shared signed multiplier (two SB_MAC16 for mnist-fpga) for the products of the units,
  // which are never needed in the same state. Its operands are registered (mul_aq, mul_bq) and
  // so is its product (mul_q), so a clock path never holds both the operand selection and the
  // multiplier: the operands chosen in one state are a product in mul_q two states later. The
  // soma's α·keep (operands throughout S_FWD_SUM, which lasts at least three cycles, used in its
  // last); the kernel's m·K(t+1) (S_K_MUL, in mul_q in S_K_MK); the feedback step's B·Q
  // (S_SL_FB_MUL0, in S_SL_FB_MUL) and diff·ηs_m (S_SL_FB_MUL, in S_SL_FB_ST); the sleep
  // unit's h·o (S_SL_C_RMW, in S_SL_C_WR); else the update's δ·SAT(e): the weight stream
  // S_U_W_RD, two stages deeper (pva/iwa, pv2/iw2), and the bias pass (S_U_B_MUL, in
  // S_U_B_T1). The states S_*_MW between are the product's cycle. Both registers hold while a
  // weight is updated (S_U_W_LD … S_U_W_WR), since the stream's next operands and product are
  // in them then. Each operand is sign-extended to the array's width and each unit takes the
  // low bits of the product it needs, so every product is exact.
  // ------------------------------------------------------------------------------------------
  localparam int PF = bg_cfg_pkg::PotFrac;
  // the sleep unit's diff·ηs_m: diff of FbDW bits, ηs_m an unsigned constant of FbEtaBits
  localparam int FbDW = fb_diff_bits(bg_cfg_pkg::FbFracTab, NL, CBits, FBBITS, QBits);
  localparam int FbEtaBits = imax($clog2(bg_cfg_pkg::SleepEtaM + 1), 1);
  localparam int MulAW = imax(imax(imax(PB + 1, DB), imax(QBits + 1, 17)), FbDW);
  localparam int MulBW = imax(imax(PF + 2, TB), imax(imax(FBBITS, HBits), FbEtaBits + 1));
  logic signed [PB:0] so_keep;
  logic signed [PF+1:0] so_dec;
  logic signed [PB+PF+2:0] so_dk;
  logic signed [PB-1:0] kn_m;
  logic signed [TB-1:0] kn_k;
  logic signed [PB+TB-1:0] kn_mk;
  logic signed [DB-1:0] up_d;
  logic signed [TB-1:0] up_e;
  logic signed [DB+TB-1:0] up_de;
  logic signed [FBBITS-1:0] fu_b;
  logic signed [FBBITS+QBits:0] fu_bq;
  logic signed [FbDW-1:0] fu_diff;
  logic signed [FbDW+FbEtaBits:0] fu_p;
  logic signed [MulAW-1:0] mul_a;
  logic signed [MulBW-1:0] mul_b;
  logic signed [MulAW-1:0] mul_aq;  // the operands, registered
  logic signed [MulBW-1:0] mul_bq;
  logic signed [MulAW+MulBW-1:0] mul_p;
  // keep: without it Yosys packs mul_q into the SB_MAC16 output registers in a way ABC9's
  // box ordering rejects for mnist-fpga ("Boxes are not in a topological order"), and
  // scripts/synth.sh falls back to plain abc (about 470 LUT4 more); kept, it maps with
  // ABC9 for both nets, and the toy core is 9 LUT4 smaller.
  (* keep *) logic signed [MulAW+MulBW-1:0] mul_q;
  logic signed [CBits-1:0] ho_p;   // h·o of the correlation update (|h·o| <= Ts², exact)
  always_comb begin
    case (st)
      S_FWD_SUM: begin mul_a = MulAW'(so_keep); mul_b = MulBW'(so_dec); end
      S_K_MUL: begin mul_a = MulAW'(kn_m); mul_b = MulBW'(kn_k); end
      S_SL_FB_MUL0: begin mul_a = MulAW'($signed({1'b0, q_val})); mul_b = MulBW'(fu_b); end
      S_SL_FB_MUL: begin              // diff from B·Q in mul_q, times the constant ηs_m
        mul_a = MulAW'(fu_diff);
        mul_b = MulBW'($signed({1'b0, FbEtaBits'(bg_cfg_pkg::SleepEtaM)}));
      end
      S_SL_C_RMW: begin                 // o_k from u_erow, read in the state before
        mul_a = MulAW'($signed({1'b0, er_rd[OBits-1:0]})); mul_b = MulBW'(h_val);
      end
      default: begin mul_a = MulAW'(up_d); mul_b = MulBW'(up_e); end
    endcase
  end
  logic mul_hold;
  assign mul_hold = (st == S_U_W_LD || st == S_U_W_SH || st == S_U_W_WR);
  assign mul_p = mul_aq * mul_bq;
  always_ff @(posedge clk)
    if (!mul_hold) begin
      mul_aq <= mul_a;
      mul_bq <= mul_b;
      mul_q <= mul_p;
    end
  assign so_dk = mul_q[PB+PF+2:0];
  assign kn_mk = mul_q[PB+TB-1:0];
  assign up_de = mul_q[DB+TB-1:0];
  assign fu_bq = mul_q[FBBITS+QBits:0];
  assign fu_p = mul_q[FbDW+FbEtaBits:0];
  assign ho_p = mul_q[CBits-1:0];

  // ------------------------------------------------------------------------------------------
  // Neuron core: soma LIF, window bit and reset factor (BG(soma_update))
  // ------------------------------------------------------------------------------------------
  logic signed [PB-1:0] so_v, so_v_c;
  logic so_rf, so_rf_c;
  logic so_s, so_g, so_s_c, so_g_c;
  logic signed [PB-1:0] so_m, so_m_c;
  logic [RefrBits-1:0] so_refr1, so_refr1_c, so_refr, so_refr_c;
  // The arithmetic units are combinational modules (bg_*_unit.sv) built from automatic functions,
  // so no always-block reads what it writes (Icarus would re-trigger such a block forever).
  bg_soma_unit #(.AccW(AccW), .RefrBits(RefrBits)) u_soma (
    .word(n_rd), .sum(acc), .lyr(lyr), .keep_o(so_keep), .dec_o(so_dec), .dk_i(so_dk),
    .v1(so_v_c), .rf1(so_rf_c), .refr1(so_refr1_c), .v_i(so_v), .rf_i(so_rf), .refr_i(so_refr1),
    .s(so_s_c), .g(so_g_c), .m(so_m_c), .refr(so_refr_c));
  // Three clock paths (docs/fpga.md, "Fmax"): the potential, registered in the sum's last cycle
  // (its inputs, the sum and α·keep in mul_q, are final there); the spike, window and reset
  // factor from it, registered in S_FWD_V; the memories' writes from those in S_FWD_SOMA.
  always_ff @(posedge clk) begin
    if (fwd_sum_end) {so_rf, so_refr1, so_v} <= {so_rf_c, so_refr1_c, so_v_c};
    if (st == S_FWD_V) {so_refr, so_s, so_g, so_m} <= {so_refr_c, so_s_c, so_g_c, so_m_c};
  end

  // ------------------------------------------------------------------------------------------
  // Learning engine, replay kernel: K(t) = SAT(RND(αt·(m == 1 ? K(t+1) : RND(m·K(t+1))), Tr)
  //                                        + (g ? A in trace format : 0))  (BG(replay_unit_kernel))
  // ------------------------------------------------------------------------------------------
  logic signed [TB-1:0] kern_new;
  logic signed [EbBits-1:0] eb_new;
  logic kn_ld_mk, kn_ld_tk, kn_ld_kv;  // the kernel's registers (bg_kernel_unit)
  assign kn_ld_mk = (st == S_K_MK);
  assign kn_ld_tk = (st == S_K_TK);
  assign kn_ld_kv = (st == S_K_KV);
  bg_kernel_unit #(.EbBits(EbBits)) u_kernel (
    .clk(clk), .ld_mk(kn_ld_mk), .ld_tk(kn_ld_tk), .ld_kv(kn_ld_kv), .rec(rc_rd[PB:0]),
    .k_next(kr_rd),
    .eb_old(eb_rd), .last(t >= T - 1), .lyr(lyr),
    .m_o(kn_m), .k_o(kn_k), .mk_i(kn_mk), .kern_new(kern_new), .eb_new(eb_new));

  // ------------------------------------------------------------------------------------------
  // Learning engine, weight update (BG(weight_update_accumulate) + BG(weight_update_apply),
  // batch 1): t1 = SAT48(RND(δ·SAT(e, Tr), D + Tr − U)); w −= ROUND(t1·η_m, η_sh + U − W)
  // ------------------------------------------------------------------------------------------
  logic [EbBits-1:0] e_sum_rd;     // the eligibility being used (EROW or EB)
  logic signed [AccBits-1:0] t1_new;
  assign e_sum_rd = (st == S_U_B_MUL) ? eb_rd : er_rd[EbBits-1:0];

  logic wdraw;
  logic [WBITS-1:0] w_word;        // the stored weight, or the bias in the bias pass
  assign w_word = (st == S_U_B_SH) ? b_rd : w_rd;   // read in the cycle of upd_done
  logic upd_load, upd_done;        // the update's shift: start, result valid
  assign upd_load = (st == S_U_W_LD) || (st == S_U_B_LD);
  bg_update_unit #(.EbBits(EbBits), .AccBits(AccBits), .WBits(WBITS)) u_update (
    .clk(clk), .load(upd_load), .done(upd_done),
    .e_word(e_sum_rd), .d_word(d_rd), .t1_new(t1_new), .d_o(up_d), .e_o(up_e), .de_i(up_de),
    .w_word(w_word), .t1(t1), .eta_m(eta_m), .eta_sh(eta_sh),
    .lyr(lyr), .u(rng_w), .w_new(wnew), .draw(wdraw));
  // t1 != 0 (t1_nz) without the product's zero test: the product δ·SAT(e) is exact, so it is
  // zero exactly when δ or e is. Those are tested as they go into the multiplier's operand
  // registers and the flag follows the operands and the product (up_nz_a, up_nz_q); where t1 is
  // the product shifted left (UpdateFrac >= D + Tr fraction bits, as in the shipped
  // descriptions) t1_nz is then a flip-flop, else it is t1_new's own zero test. (A test on
  // mul_aq and mul_bq would keep them out of the SB_MAC16's input registers: 48 flip-flops.)
  localparam int T1Shift = DF + bg_cfg_pkg::TraceFrac - bg_cfg_pkg::UpdateFrac;
  logic up_nz_a, up_nz_q, t1_nz;
  always_ff @(posedge clk)
    if (!mul_hold) begin
      up_nz_a <= (d_rd != '0) && (e_sum_rd != '0);
      up_nz_q <= up_nz_a;
    end
  assign t1_nz = (T1Shift <= 0) ? up_nz_q : (t1_new != '0);
`ifndef SYNTHESIS
  // the operands' zero test stands for the product's wherever t1_nz is read
  always_ff @(posedge clk)
    if (rst_n && ((st == S_U_W_RD && pv2) || st == S_U_B_T1) && t1_nz != (t1_new != '0)) begin
      $display("bg_core: t1_nz %0d but t1_new %0d in state %0d", t1_nz, t1_new, st);
      $fatal(1);
    end
`endif

  // ------------------------------------------------------------------------------------------
  // Sleep unit, feedback step (feedback_step in bg_sleep_unit.c):
  // B += ROUND((SAT(C)·2^Bf − RND(B·Q, log2 K))·ηs)
  // ------------------------------------------------------------------------------------------
  logic [FBBITS-1:0] fbnew, fbnew_q;
  logic fbdraw, fbdraw_q;          // registered in S_SL_FB_ST, written in S_SL_FB_WR
  bg_feedback_unit #(.FbBits(FBBITS), .CBits(CBits), .QBits(QBits), .DW(FbDW),
                     .EtaBits(FbEtaBits)) u_feedback (
    .b_word(fb_rd), .c_word(c_rd), .lyr(lyr), .b_o(fu_b), .bq_i(fu_bq), .diff_o(fu_diff),
    .p_i(fu_p),
    .u(rng_w), .b_new(fbnew), .draw(fbdraw));
  always_ff @(posedge clk) if (st == S_SL_FB_ST) {fbdraw_q, fbnew_q} <= {fbdraw, fbnew};

  // ------------------------------------------------------------------------------------------
  // Error unit: softmax of the running counts through the LUT (BG(error_unit_step))
  // ------------------------------------------------------------------------------------------
  function automatic logic [31:0] lut(input int n);
    int e;
    e = (n < bg_cfg_pkg::SoftmaxLutLen) ? n : bg_cfg_pkg::SoftmaxLutLen - 1;
    lut = bg_cfg_pkg::SoftmaxLutTab[32 * e +: 32];
  endfunction

  // E_k = LUT[min(max_c − c_k, len − 1)] for the output k the error unit is on; max_c is the
  // count of the predicted output, which the soma keeps up to date (one output at a time: the
  // sum S = Σ E_k and the interneurons are loops over k, not NOut parallel copies)
  // E_k <= the largest LUT entry (2^E_frac), S = Σ_k E_k below NOut times that
  function automatic integer soft_tab_max(input logic [2047:0] tb, input integer len);
    integer r, n;
    r = 1;
    for (n = 0; n < len; n = n + 1)
      if ($signed(tb[32 * n +: 32]) > r) r = $signed(tb[32 * n +: 32]);
    soft_tab_max = r;
  endfunction
  localparam int SoftW = $clog2(soft_tab_max(bg_cfg_pkg::SoftmaxLutTab,
                                             bg_cfg_pkg::SoftmaxLutLen) + 1);
  localparam int SumW = SoftW + $clog2(NOut + 1);
  logic [SoftW-1:0] soft_k;
  logic [SumW-1:0] e_sum;          // S = Σ_k E_k
  logic [CntW-1:0] cnt_max;        // max_c = c_pred, kept beside the counts
  // the interneuron arithmetic: u± (E_bits), the threshold and ε (|ε| <= 2^E_frac), three terms
  localparam int ErrW = imax(imax(EB, $clog2(((bg_cfg_pkg::ErrorThreshold < 0) ?
                                             -bg_cfg_pkg::ErrorThreshold :
                                             bg_cfg_pkg::ErrorThreshold) + 1) + 1),
                             EF + 2) + 3;
  // c_k is in er_rd in S_ERR_SOFT and S_ERR_DIV (read in the state before each)
  logic [CntW-1:0] cnt_k;
  assign cnt_k = er_rd[CntW-1:0];
  assign soft_k = SoftW'(lut($signed(32'(cnt_max)) - $signed(32'(cnt_k))));
  // an output's count + 1, written back when it spikes (the counts cannot overflow: c_k <= T,
  // o_k <= the sleep steps)
  // an output's count + 1, c_k or o_k (neither reaches its width's limit: c_k <= T, o_k <= Ts)
  localparam int IncW = imax(CntW, OBits);
  logic [IncW-1:0] cnt_inc;
  logic [CntW-1:0] c_inc;
  assign cnt_inc = er_rd[IncW-1:0] + 1'b1;
  assign c_inc = cnt_inc[CntW-1:0];
  // the error interneurons' spikes as signs: any σ+ ≠ σ−
  logic any_c [0:NOut] /* verilator split_var */;
  assign any_c[0] = 1'b0;
  genvar gq;
  generate
    for (gq = 0; gq < NOut; gq++) begin : g_out
      assign any_c[gq + 1] = any_c[gq] | (sp[gq] != sm[gq]);
    end
  endgenerate

  logic div_start, div_done;
  logic [EF:0] div_q;
  bg_divider #(.NumBits(2 * EF + 1), .DenBits(SumW), .QBits(EF + 1)) u_div (
    .clk(clk), .rst_n(rst_n), .start(div_start), .num((2 * EF + 1)'(soft_k) << EF),
    .den(e_sum), .done(div_done), .quot(div_q));
  // the interneurons of output k once p_k is known (S_ERR_DIVW): u± from the word read in
  // S_ERR_DIV, the new u± (written back) and σ± (registered). u± + ε with
  // ε = p_k − [k is the label]: everything but p_k is summed while the divider works
  // (err_pre, registered in every cycle: the divider is done in the second cycle of
  // S_ERR_DIVW at the earliest, the word and σ± are there from its first), so the cycle of
  // `done` adds only p_k.
  // u± > the threshold, tested on the unsaturated sum (the same answer while the threshold is
  // within u±'s range short of its largest value; one carry chain off the flags' path)
  localparam bit ThrBelowMax = bg_cfg_pkg::ErrorThreshold < (1 << (EB - 1)) - 1 &&
                               bg_cfg_pkg::ErrorThreshold >= -(1 << (EB - 1));
  function automatic logic [2*ErrW-1:0] err_pre(input logic [2*EB-1:0] w, input logic s_p,
                                                input logic s_m, input logic is_label);
    logic signed [ErrW-1:0] lab, thr, xp, xm;
    lab = is_label ? $signed(ErrW'(1)) <<< EF : $signed(ErrW'(0));
    thr = $signed(ErrW'(bg_cfg_pkg::ErrorThreshold));
    xp = ErrW'($signed(w[EB-1:0])) - (s_p ? thr : $signed(ErrW'(0))) - lab;
    xm = ErrW'($signed(w[2*EB-1:EB])) - (s_m ? thr : $signed(ErrW'(0))) + lab;
    err_pre = {xm, xp};
  endfunction
  function automatic logic [2*EB+1:0] err_step(input logic [2*ErrW-1:0] pre,
                                                 input logic [EF:0] q);
    logic signed [ErrW-1:0] thr, xp, xm, nup, num;
    thr = $signed(ErrW'(bg_cfg_pkg::ErrorThreshold));
    xp = $signed(pre[ErrW-1:0]) + ErrW'($signed({1'b0, q}));
    xm = $signed(pre[2*ErrW-1:ErrW]) - ErrW'($signed({1'b0, q}));
    nup = ErrW'(sat(FXW'(xp), EB));
    num = ErrW'(sat(FXW'(xm), EB));
    err_step = {ThrBelowMax ? xm > thr : num > thr, ThrBelowMax ? xp > thr : nup > thr, EB'(num),
                EB'(nup)};
  endfunction
  logic signed [EB-1:0] e_nup, e_num;  // the new u± (saturated to E_bits)
  logic e_sp, e_sm;                // the interneurons' new spikes σ±
  logic [2*ErrW-1:0] e_pre_q;
  always_ff @(posedge clk) e_pre_q <= err_pre(e_rd, sg_p_q, sg_m_q, k == $signed(32'(label)));
  assign {e_sm, e_sp, e_num, e_nup} = err_step(e_pre_q, div_q);

  logic any_sg;
  assign any_sg = any_c[NOut];

  // sum of B·sg over the outputs for one hidden neuron (streamed, one k per cycle)
  logic signed [FbAccW-1:0] fb_acc;
  logic signed [KIW-1:0] fb_k_rd;  // the k whose B word is in fb_rd
  assign fbk_eu = EUW'(fb_k_rd);
  logic fb_v;

  // sleep layer constants
  // Loop bounds of the sleep phase that are constants of the layer sl_l, as multiplexers of
  // elaboration-time values (no run-time products or differences): the correlation words of
  // the layer (size·NOut), the neuron words above it (NW − its next layer's base) and the
  // reset loop's length (the largest of the counts it clears: h, the neurons above, Q_k).
  function automatic integer sl_bound(input logic [2:0] lv, input integer which);
    integer r, q, above;
    r = 0;
    for (q = 0; q < NL; q = q + 1) begin
      above = NW - ((q + 1 < NL) ? tab(bg_cfg_pkg::NBaseTab, q + 1) : NW);
      if (lv == 3'(q))
        r = (which == 0) ? tab(bg_cfg_pkg::SizeTab, q) * NOut :
            (which == 1) ? above : imax(imax(tab(bg_cfg_pkg::SizeTab, q), above), NOut);
    end
    sl_bound = r;
  endfunction
  int n_sl, fbbase_sl, nbase_above, sl_c_words, sl_above, sl_rst_len;
  always_comb begin
    sl_c_words = sl_bound(3'(sl_l), 0);
    sl_above = sl_bound(3'(sl_l), 1);
    sl_rst_len = sl_bound(3'(sl_l), 2);
    n_sl = ltab(bg_cfg_pkg::SizeTab, 3'(sl_l), 0, 0);
    fbbase_sl = ltab(bg_cfg_pkg::FbBaseTab, 3'(sl_l), 0, 0);
    nbase_above = ltab(bg_cfg_pkg::NBaseTab, 3'(sl_l), 1, NW);
  end

  // lowest set bit of the spike word (update phase), as a chain from the top bit down
  int tsel_c [0:T] /* verilator split_var */;
  assign tsel_c[T] = 0;
  generate
    for (gq = T - 1; gq >= 0; gq--) begin : g_tsel
      assign tsel_c[gq] = spikes[gq] ? gq : tsel_c[gq + 1];
    end
  endgenerate
  logic [TW-1:0] t_sel;
  assign t_sel = TW'(tsel_c[0]);

  // input encoder: x = r16 < pixel·257 (BG(input_encoder_step)); the eval stream when inferring
  logic [31:0] enc_word;
  logic enc_x, enc_q;              // the spike bit of pixel iw, and of iwa (registered)
  assign enc_word = rng_w;
  // while the host owns the core nothing draws, and the selected stream is the one whose seed
  // word cfg_addr names, so its state is read through the generator's own multiplexer
  assign rng_sel = host ? 3'(cfg_addr - 8'd8) :
                   (st == S_ENC_RD) ? ((mode == M_INFER) ? 3'(REval) : 3'(RInput)) :
                   (st == S_SL_START) ? 3'(RSleepRate) :
                   (st == S_SL_N_RD || st == S_SL_N_P) ? 3'(RNoise) : 3'(RRound);
  assign enc_x = enc_word[31:16] < {pix_rd, pix_rd};        // pixel·257
  // the stream state read for the next phase (see "Random streams")
  always_comb begin
    rng_pre = 1'b1;
    rng_pre_s = (mode == M_INFER) ? 3'(REval) : 3'(RInput);
    case (st)
      S_CLR: ;
      S_STEP_NEXT: if (t + 1 == T) rng_pre_s = 3'(RRound);
      S_IDLE: begin rng_pre = start; rng_pre_s = 3'(RSleepRate); end
      S_AFTER_UPD: rng_pre_s = 3'(RSleepRate);
      S_SL_CLR: rng_pre_s = 3'(RNoise);
      S_SL_K_END: rng_pre_s = (kk + 1 == bg_cfg_pkg::SleepSamples) ? 3'(RRound) : 3'(RNoise);
      default: rng_pre = 1'b0;
    endcase
  end

  // sleep noise: two words per neuron, ξ+ first: ξ+ drawn while h is read (S_SL_N_RD, kept in
  // xi_p), ξ− while h is written (S_SL_N_P); one draw per cycle, so one generator stage
  logic xi, xi_p;
  assign xi = rng_w[31:16] < rho;

  assign busy = !(st == S_IDLE);
  assign chk_valid = (st == S_HOLD);

  logic signed [AccW-1:0] w_syn;   // the weight word on the FWD pipeline, sign-extended
  assign w_syn = w_of(w_rd, lyr);

  // ------------------------------------------------------------------------------------------
  // Memory port drive: the state says which words are read (data next cycle) and written
  // ------------------------------------------------------------------------------------------
  // Shared address terms (one adder chain each instead of one per state): the replay record of
  // (t, i) of layer l, at the spike time t_sel while the update sums eligibilities; the
  // correlation or feedback word (i, k), k = 0 while the error unit opens neuron i's row.
  // The record's row t·n is registered (tn_q, in its SB_MAC16): a state that changes t, t_sel
  // or the layer is followed by one that does not use it (S_K_T, S_U_E_TN).
  logic [AW-1:0] rec_a, ik, fb_ik;
  logic [TW-1:0] tsel_q;           // update: t_sel of the pass, registered in S_U_E_SEL
  logic [TW-1:0] rec_t;            // the record's timestep (unsigned: t is a signed counter)
  logic [NCW-1:0] rec_n;
  logic [AW-1:0] tn_q;
  always_ff @(posedge clk) tn_q <= AW'(rec_t) * AW'(rec_n);
  always_comb begin
    rec_t = TW'((st == S_U_E_TN || st == S_U_E_RD) ? 32'(tsel_q) : 32'(t));
    rec_n = NCW'(n_cur);
    rec_a = AW'(recbase) + tn_q + AW'(uer_q ? ie : i);
    ik = times_nout(IW'(i)) + AW'(k);   // k = 0 in S_ERR_FB_I (set on the way in)
    fb_ik = AW'((st == S_SL_FB_RD || st == S_SL_FB_WR) ? fbbase_sl : fbbase) + ik;
  end
  // The neuron words' address (biases, neuron state, dendrites, eligibility sums: the NW-deep
  // memories). No state touches two neuron words of one memory, and every state that touches
  // several of these memories touches the same word in each, so one base plus one index, each
  // selected by the state, gives every port its address (one adder, not one per state).
  logic [AW-1:0] nw_a;
  int nw_base;
  ix_t nw_ix;
  always_comb begin
    nw_base = (st == S_SL_RST) ? nbase_above : (st == S_CLR) ? 0 : nbase;
    nw_ix = (st == S_CLR || st == S_SL_RST) ? idx :
            (st == S_ERR_DO_RD || st == S_ERR_DO_WR) ? IW'(k) :
            (st == S_U_W_RD) ? ie : IW'(i);
    nw_a = AW'(nw_base) + AW'(nw_ix);
  end
  // The other controller addresses, each port's as one selection by the state (the states that
  // do not use a port leave it at its most common address): the raster's read and write words,
  // the eligibility row's (its first MaxPost words; c_k at ErCnt + k, o_k at ErO + k), the
  // sleep unit's h, C and Q_k, the error unit's u±. kn is the output after k, wrapping to 0
  // (the next state's word, read one state ahead).
  logic [AW-1:0] r_rda, r_wra, er_rda, er_wra, kn;
  int r_rbase, r_wbase, er_rbase, er_wbase;
  ix_t r_rix, r_wix, er_rix, er_wix;
  always_comb begin
    kn = (k + 1 == NOut) ? AW'(0) : AW'(k + 1);
    r_rbase = (st == S_ENC_RD) ? 0 : (st == S_U_RAST_RD) ? rbase_prev : rbase;
    r_rix = (st == S_ENC_RD) ? iw : (st == S_U_RAST_RD) ? j : IW'(i);
    r_rda = AW'(r_rbase) + AW'(r_rix);
    r_wbase = (st == S_CLR || st == S_ENC_RD) ? 0 : rbase;
    r_wix = (st == S_CLR) ? idx : (st == S_ENC_RD) ? iwa : IW'(i);
    r_wra = AW'(r_wbase) + AW'(r_wix);
    er_rbase = (st == S_U_E_RD || st == S_U_W_RD) ? 0 :
               (st == S_SL_C_H || st == S_SL_C_WR || (st == S_FWD_I && sleep_fwd)) ? ErO : ErCnt;
    er_rix = (st == S_FWD_I) ? IW'(i) : (st == S_U_E_RD || st == S_U_W_RD) ? ie :
             (st == S_LAYER_END || st == S_SL_C_H) ? '0 : IW'(kn);
    er_rda = AW'(er_rbase) + AW'(er_rix);
    er_wbase = (st == S_U_E_RD) ? 0 : (st == S_SL_RST || (st == S_FWD_SOMA && sleep_fwd)) ? ErO : ErCnt;
    er_wix = (st == S_CLR || st == S_SL_RST) ? idx : (st == S_U_E_RD) ? iw : IW'(i);
    er_wra = AW'(er_wbase) + AW'(er_wix);
  end
  // A weight's index: a row base (from the spike list in the forward sum, else the update's
  // prod_row) plus the postsynaptic neuron (i; the update stream's iw2 as it reads), one adder
  // for both; the weight an update writes is the last one the stream read (wa_q, registered
  // in every cycle of S_U_W_RD), so the write's address and lane come from a register
  logic [AW-1:0] w_rd_a, wa_q;     // (w_ctl_a: above, with the shared memory's port)
  always_comb begin
    w_rd_a = AW'(in_sum_q ? l_rd[par][RowW-1:0] : prod_row) + AW'(in_sum_q ? IW'(i) : iw2);
    w_ctl_a = uww_q ? wa_q : w_rd_a;
  end
  always_ff @(posedge clk) if (st == S_U_W_RD) wa_q <= w_rd_a;
  // the next row base: one row further (a row of the next layer's weights while producing,
  // of layer l's in the update), one adder for both
  logic [RowW-1:0] row_next;
  assign row_next = RowW'(32'(prod_row) + ((st >= S_K_RD && st <= S_UPD_END) ? n_cur : n_next));
  // the dendrite's new value, SAT(D + x): x = ±1 in the dendrite format for the output layer's
  // error spikes (S_ERR_DO_WR), else Σ B·sg of a hidden neuron (S_ERR_FB_WR); one adder
  logic signed [FXW-1:0] d_add;
  logic [DB-1:0] d_sum;
  assign d_add = (st == S_ERR_DO_WR) ? (sg_p_q ? ($signed(FXW'(1)) <<< DF) : -($signed(FXW'(1)) <<< DF))
                                     : fb_to_dend(fb_acc, lyr);
  assign d_sum = DB'(sat(sext(64'(d_rd), DB) + d_add, DB));
  // a raster word with bit t set when the spike bit is (the encoder's, else a soma's): one
  // decoder of t for both writers
  logic [T-1:0] r_set;
  logic r_bit;
  assign r_bit = (st == S_ENC_RD) ? enc_q : so_s;
  assign r_set = r_rd | (T'(r_bit) << t);
  // the spike-list producer: the encoder, a soma with a next layer, or the sleep noise
  logic [ListBits-1:0] list_push;
  logic list_we;
  assign list_we = (st == S_ENC_RD && pva && enc_q) || (st == S_FWD_SOMA && so_s && l < LL) ||
                   (st == S_SL_N_RD && xi) || (st == S_SL_N_M);
  assign list_push = {st == S_SL_N_M, prod_row};
  always_comb begin
    pix_re = 0; pix_we = 0;
    w_en = 0; w_we = 0;
    b_re = 0; b_we = 0; b_ra = nw_a; b_wa = nw_a; b_wd = '0;
    fb_re = 0; fb_we = 0; fb_ra = fb_ik; fb_wa = fb_ik; fb_wd = '0;
    n_re = 0; n_we = 0; n_ra = nw_a; n_wa = nw_a; n_wd = '0;
    d_re = 0; d_we = 0; d_ra = nw_a; d_wa = nw_a; d_wd = '0;
    r_re = 0; r_we = 0; r_ra = r_rda; r_wa = r_wra; r_wd = r_set;
    rc_re = 0; rc_we = 0; rc_a = rec_a; rc_wd = '0;
    kr_re = 0; kr_we = 0; kr_ra = AW'(i); kr_wa = AW'(i); kr_wd = '0;
    eb_re = 0; eb_we = 0; eb_ra = nw_a; eb_wa = nw_a; eb_wd = '0;
    er_re = 0; er_we = 0; er_ra = er_rda; er_wa = er_wra; er_wd = '0;
    c_re = 0; c_we = 0; c_a = (st == S_SL_CLR) ? AW'(idx) : ik; c_wd = '0;
    h_re = 0; h_we = 0; h_ra = AW'(i); h_wa = (st == S_SL_RST) ? AW'(idx) : AW'(i); h_wd = '0;
    e_re = 0; e_we = 0; e_ra = AW'(k); e_wa = (st == S_CLR) ? AW'(idx) : AW'(k); e_wd = '0;
    q_re = 0; q_we = 0; q_wd = '0;
    q_ra = (st == S_SL_K_END) ? AW'(0) : (st == S_SL_FB_WR) ? kn : AW'(i);
    q_wa = (st == S_SL_RST) ? AW'(idx) : AW'(i);
    for (int q = 0; q < 2; q++) begin
      l_re[q] = 0; l_we[q] = 0; l_ra[q] = '0; l_wa[q] = '0; l_wd[q] = '0;
    end
    rng_step = 0;
    div_start = 0;
    case (st)
      S_CLR: begin
        if (idx < NW) begin
          n_we = 1; d_we = 1;
        end
        if (idx < RW) begin
          r_we = 1; r_wd = '0;
        end
        if (idx < NOut) begin        // u± = 0, c_k = 0 (NOut <= NW: the loop is long enough)
          e_we = 1;
          er_we = 1;
        end
      end
      S_ENC_RD: begin                // one pixel per cycle: read ie; draw for iw and read its
        if (ie < NIn) pix_re = 1;    // raster word; write iwa's
        if (pv) begin rng_step = 1; r_re = 1; end
        if (pva) r_we = 1;
      end
      S_FWD_I: begin
        b_re = 1; n_re = 1;
        r_re = 1;
        // an output's count for its soma: o_k in a noise sample, else c_k
        if (l == LL) begin er_re = 1; end
      end
      S_FWD_SUM: begin
        if (a < na_in) begin l_re[par] = 1; l_ra[par] = AW'(a); end
        if (v1) w_en = 1;
        if (fwd_sum_end && sleep_fwd && l == LL) begin q_re = 1; end
      end
      S_FWD_SOMA: begin
        n_we = 1; n_wd = {so_refr, so_s, so_v};
        // Q_k += o_k² at the end of the noise sample, grown here as (o + 1)² − o² = 2·o + 1
        if (sleep_fwd && l == LL && so_s) begin
          q_we = 1; q_wd = q_rd + QBits'({er_rd[OBits-1:0], 1'b1});
        end
        // the output's count + 1 when it spikes (o_k while sleeping, else c_k)
        if (l == LL && so_s) begin
          er_we = 1;
          er_wd = ErW'(cnt_inc);
        end
        if (!sleep_fwd) begin
          r_we = 1;
          if (mode == M_TRAIN) begin
            rc_we = 1;
            rc_wd = RecBits'({so_g, so_m});
          end
        end
      end
      // c_k one state ahead of S_ERR_SOFT and S_ERR_DIV: c_0 as the output layer ends, then
      // c_(k+1) in the state that moves on to k + 1
      S_LAYER_END: if (l == LL) begin er_re = 1; end
      S_ERR_SOFT: begin
        er_re = 1;
      end
      S_ERR_DIV: begin div_start = 1; e_re = 1; end
      S_ERR_DIVW: if (div_done) begin
        e_we = 1; e_wd = {EB'(e_num), EB'(e_nup)};
        if (k + 1 < NOut) begin er_re = 1; end
      end
      S_ERR_DO_RD: begin d_re = 1; end
      S_ERR_DO_WR: begin
        if (sg_p_q != sg_m_q) begin
          d_we = 1;
          d_wd = d_sum;
        end
      end
      S_ERR_FB_I: begin
        d_re = 1; fb_re = 1;
      end
      S_ERR_FB_SUM: begin
        if (k < NOut) begin fb_re = 1; end
      end
      S_ERR_FB_WR: begin
        d_we = 1;
        d_wd = d_sum;
      end
      S_K_RD: begin
        rc_re = 1;
        if (t < T - 1) begin kr_re = 1; end
        eb_re = 1;
      end
      S_K_WR: begin
        rc_we = 1;
        rc_wd = RecBits'(kern_new);
        kr_we = 1; kr_wd = kern_new;
        eb_we = 1; eb_wd = eb_new;
      end
      S_U_RAST_RD: begin r_re = 1; end
      S_U_E_RD: begin                // one (spike, neuron) per cycle: read ie, add into iw
        rc_re = 1;                   // (a record past the row's end is read and not used)
        if (ie < n_cur) er_re = 1;
        if (pv) begin
          er_we = 1;
          er_wd = ErW'(EbBits'((first ? $signed(FXW'(0)) : sext(64'(er_rd), EbBits)) +
                               sext(64'(rc_rd[TB-1:0]), TB)));
        end
      end
      S_U_W_RD: begin                // one synapse per cycle; a non-zero update reads its weight
        if (ie < n_cur) begin er_re = 1; d_re = 1; end
        // every streamed weight is read, whatever its update: the read enable then waits for
        // no product (only a non-zero t1 goes on to S_U_W_LD and uses the word)
        if (pv2) w_en = 1;
      end
      S_U_W_WR: begin
        w_en = 1; w_we = 1;
        rng_step = wdraw;
      end
      S_U_B_RD: begin
        eb_re = 1; d_re = 1;
      end
      S_U_B_T1: b_re = 1;            // the bias, updated (and its word used) only when t1 != 0
      S_U_B_WR: begin
        b_we = 1; b_wd = wnew; rng_step = wdraw;
      end
      S_SL_START: if (bg_cfg_pkg::SleepRate16 == 0) rng_step = 1;
      S_SL_CLR: begin c_we = 1; end
      S_SL_RST: begin
        if (idx < n_sl) begin h_we = 1; end
        if (kk == 0 && idx < NOut) begin q_we = 1; end   // Q = 0
        if (idx < NOut) begin er_we = 1; end  // o_k = 0
        if (idx < sl_above) begin n_we = 1; end
      end
      S_SL_N_RD: begin h_re = 1; rng_step = 1; end
      S_SL_N_P: begin
        rng_step = 1;
        h_we = 1;
        h_wd = h_rd + HBits'(xi_p) - HBits'(xi);
      end
      S_SL_C_RD: begin h_re = 1; end
      S_SL_C_H: begin er_re = 1; end        // o_0 for S_SL_C_RMW
      S_SL_C_RMW: begin c_re = 1; end
      S_SL_C_WR: begin
        c_we = 1;
        c_wd = c_rd + CBits'(ho_p);
        if (k + 1 < NOut) begin er_re = 1; end
      end
      S_SL_K_END: if (kk + 1 == bg_cfg_pkg::SleepSamples) begin q_re = 1; end
      S_SL_FB_RD: begin
        c_re = 1;
        fb_re = 1;
      end
      S_SL_FB_WR: begin
        fb_we = 1; fb_wd = fbnew_q;
        rng_step = fbdraw_q;
        q_re = 1;   // Q of the next step
      end
      default: ;
    endcase
    // the random streams' words: a draw writes the new state back, rng_pre reads the next
    // phase's, the host reads the one cfg_addr names and writes seeds (the host's own accesses
    // of u_erow, below, come first)
    if (rng_step) begin er_we = 1; er_wa = AW'(ErS) + AW'(rng_sel); er_wd = ErW'(rng_w); end
    // (the hosts never start the core in the cycle of a seed write)
    if (rng_seed_we) begin
      er_we = 1; er_wa = AW'(ErS) + AW'(rng_sel);
      er_wd = ErW'(rng_seed);
    end else if (rng_pre || host) begin
      er_re = 1; er_ra = AW'(ErS) + AW'(rng_pre ? rng_pre_s : rng_sel);
    end
    if (list_we) begin
      l_we[!par] = 1; l_wa[!par] = AW'(na_out); l_wd[!par] = list_push;
    end
    if (host) begin
      case (hm_sel)
        SelPix: begin pix_re = hm_re; pix_we = hm_we; end
        SelW: begin w_en = hm_re | hm_we; w_we = hm_we; end
        SelB: begin b_re = hm_re; b_ra = hm_addr; b_we = hm_we; b_wa = hm_addr;
                    b_wd = WBITS'(hm_wdata); end
        SelFb: begin fb_re = hm_re; fb_ra = hm_addr; fb_we = hm_we; fb_wa = hm_addr;
                     fb_wd = FBBITS'(hm_wdata); end
        // the core's state: only with HostState (the default case for a select not built)
        SelNst: if (HostState != 0) begin n_re = hm_re; n_ra = hm_addr; n_we = hm_we; n_wa = hm_addr;
                      n_wd = NstBits'(hm_wdata); end
        SelD: if (HostState != 0) begin d_re = hm_re; d_ra = hm_addr; d_we = hm_we; d_wa = hm_addr;
                    d_wd = DB'(hm_wdata); end
        SelRast: if (HostState != 0) begin r_re = hm_re; r_ra = hm_addr; r_we = hm_we; r_wa = hm_addr;
                       r_wd = T'(hm_wdata); end
        SelRec: if (HostState != 0) begin rc_re = hm_re; rc_a = hm_addr; rc_we = hm_we;
                      rc_wd = RecBits'(hm_wdata); end
        SelK: if (HostState != 0) begin rc_re = hm_re; rc_a = hm_addr; rc_we = hm_we;
                    rc_wd = RecBits'(TB'(hm_wdata)); end
        SelErr: if (HostState != 0) begin  // u± in the single-port memory, c_k in u_erow
          e_re = hm_re && ea_u; e_ra = AW'(eu);
          if (hm_re && ea_cnt) begin er_re = 1; er_ra = AW'(ErCnt) + AW'(eu); end
        end
        default: ;
      endcase
    end
  end

  // host read data: the selected memory's output register, or the error unit's registers
  logic [3:0] hm_sel_q;
  logic [63:0] err_rd;
  logic err_mem_q;                 // the error-unit read was a {u-, u+} word of the memory
  logic err_cnt_q;                 // ... or a count c_k of u_erow
  always_comb begin
    if (HostState != 0)            // the output an error-unit address names
      eu = EUW'((ea < 6'(NOut)) ? ea : (ea < 6'(2 * NOut)) ? ea - 6'(NOut) : ea - 6'(2 * NOut));
    else eu = k_eu;
  end
  always_ff @(posedge clk) begin
    if (hm_re) begin
      hm_sel_q <= hm_sel;
      err_mem_q <= ea_u;
      err_cnt_q <= ea_cnt;
      if (ea_sg) err_rd <= {62'd0, sp[eu], sm[eu]};
      else err_rd <= '0;
    end
  end
  always_comb begin
    case (hm_sel_q)
      SelPix: hm_rdata = 64'(pix_rd);
      SelW: hm_rdata = 64'(w_rd);
      SelB: hm_rdata = 64'(b_rd);
      SelFb: hm_rdata = 64'(fb_rd);
      default: hm_rdata = '0;
    endcase
    if (HostState != 0) case (hm_sel_q)
      SelNst: hm_rdata = 64'(n_rd);
      SelD: hm_rdata = 64'(d_rd);
      SelRast: hm_rdata = 64'(r_rd);
      SelRec: hm_rdata = 64'(rc_rd[PB:0]);
      SelK: hm_rdata = 64'(rc_rd[TB-1:0]);
      SelErr: hm_rdata = err_mem_q ? {32'($signed(e_rd[EB-1:0])), 32'($signed(e_rd[2*EB-1:EB]))}
                       : err_cnt_q ? 64'(er_rd[CntW-1:0]) : err_rd;
      default: ;
    endcase
  end

  // configuration words and counters
  always_comb begin
    case (cfg_addr)
      8'd0: cfg_rdata = 64'(eta_m);                      // 16 bits kept
      8'd1: cfg_rdata = 64'(eta_sh);
      8'd2: cfg_rdata = 64'(since_sleep);
      8'd3: cfg_rdata = 64'(label);
      8'd8, 8'd9, 8'd10, 8'd11, 8'd12: cfg_rdata = 64'(er_rd[31:0]);   // read the cycle before
      8'd16: cfg_rdata = 64'(c_cycles);
      8'd17: cfg_rdata = 64'(c_syn);
      8'd18: cfg_rdata = 64'(c_wwrites);
      8'd19: cfg_rdata = 64'(c_samples);
      8'd20: cfg_rdata = 64'(c_sleeps);
      8'd21: cfg_rdata = 64'(c_fwd);
      8'd22: cfg_rdata = 64'(c_learn);
      8'd23: cfg_rdata = 64'(c_sleepcyc);
      8'd24: cfg_rdata = 64'(c_draws);
      8'd25: cfg_rdata = 64'(pred);
      8'd26: cfg_rdata = 64'(bg_cfg_pkg::NetHash);
      8'd27: cfg_rdata = 64'(c_step_last);
      8'd28: cfg_rdata = 64'(c_steps);
      default: cfg_rdata = '0;
    endcase
  end

  // ------------------------------------------------------------------------------------------
  // Controller (rule_biograd.c's schedule, then model_after_sample: update, sleep)
  // ------------------------------------------------------------------------------------------
  logic sleep_due;
  // (since_sleep + 1 >= period, as a comparison with a constant: no adder)
  assign sleep_due = (bg_cfg_pkg::SleepEnabled != 0) &&
                     (since_sleep >= 32'(bg_cfg_pkg::SleepPeriod) - 32'd1);

  always_ff @(posedge clk) begin
    done <= 1'b0;
    if (!rst_n) begin
      st <= S_IDLE;
      uw_q <= 1'b0;
      uer_q <= 1'b0;
      eta_m <= 16'(bg_cfg_pkg::EtaM);
      eta_sh <= 8'(bg_cfg_pkg::EtaSh);
      since_sleep <= '0;
      label <= '0;
      par <= 1'b0;
      chk_kind <= '0;
      chk_t <= '0;
      c_cycles <= '0; c_syn <= '0; c_wwrites <= '0; c_samples <= '0; c_sleeps <= '0;
      c_fwd <= '0; c_learn <= '0; c_sleepcyc <= '0; c_draws <= '0;
      c_steps <= '0; c_step_cur <= '0; c_step_last <= '0;
    end else begin
      if (cfg_we && !busy) begin
        case (cfg_addr)
          8'd0: eta_m <= cfg_wdata[15:0];
          8'd1: eta_sh <= cfg_wdata[7:0];
          8'd2: since_sleep <= cfg_wdata;
          8'd3: label <= cfg_wdata[3:0];
          default: ;
        endcase
      end
      if (busy) c_cycles <= c_cycles + 1;
      if (st == S_FWD_SUM && v2) c_syn <= c_syn + 1;
      if (sleep_fwd || (st >= S_SL_START && st <= S_SL_END)) c_sleepcyc <= c_sleepcyc + 1;
      else if (st >= S_CLR && st <= S_STEP_NEXT) begin
        c_fwd <= c_fwd + 1;
        // one timestep: from its encoding to the end of its error phase
        if (st == S_STEP_END) begin
          c_step_last <= c_step_cur + 1;
          c_step_cur <= '0;
          c_steps <= c_steps + 1;
        end else if (st != S_CLR) c_step_cur <= c_step_cur + 1;
      end
      else if (st >= S_K_RD && st <= S_AFTER_UPD) c_learn <= c_learn + 1;

      case (st)
        S_IDLE: begin
          if (start) begin
            mode <= (cmd == 2'd1) ? M_INFER : (cmd == 2'd2) ? M_SLEEP : M_TRAIN;
            sleep_fwd <= 1'b0;
            noise_layer <= 1'b0;
            idx <= 0;
            if (cmd == 2'd2) st <= S_SL_LOAD;
            else begin
              st <= S_CLR;
              for (int q = 0; q < NOut; q++) begin
                sp[q] <= 1'b0; sm[q] <= 1'b0;   // u± and c_k in S_CLR
              end
              pred <= '0;
              cnt_max <= '0;
            end
          end
        end
        S_CLR: begin
          idx <= idx + 1;
          if (idx + 1 >= ((NW > RW) ? NW : RW)) begin
            t <= 0; l <= 0; i <= 0; na_out <= 0; prod_row <= RowW'(WBase1);
            ie <= 0; pv <= 1'b0; pva <= 1'b0; st <= S_ENC_RD;
          end
        end
        S_ENC_RD: begin
          pv <= (ie < NIn);
          iw <= ie;
          if (ie < NIn) ie <= ie + 1;
          pva <= pv;
          iwa <= iw;
          enc_q <= enc_x;
          if (pva) begin
            if (enc_q) na_out <= na_out + 1;
            prod_row <= row_next;
            if (ie >= NIn && !pv) st <= S_LAYER_END;   // the last pixel is written this cycle
          end
        end
        S_LAYER_END: begin
          par <= !par;
          na_in <= na_out;
          na_out <= 0;
          prod_row <= wbase_l2;        // layer l + 1 produces for l + 2
          i <= 0;
          noise_layer <= sleep_fwd && (l == sl_l);
          if (l < LL) begin
            l <= l + 1;
            st <= S_FWD_I;
          end else if (sleep_fwd) st <= S_SL_FWD_END;
          else if (mode == M_TRAIN && t >= T0) begin e_sum <= '0; k <= 0; st <= S_ERR_SOFT; end
          else st <= S_STEP_END;
        end
        S_FWD_I: begin
          a <= 0; v1 <= 1'b0; v2 <= 1'b0; first <= 1'b1;
          st <= S_FWD_SUM;
        end
        S_FWD_SUM: begin
          if (first) begin
            acc <= (bg_cfg_pkg::LearnBias != 0 && !noise_layer) ? w_of(b_rd, lyr) : '0;
            first <= 1'b0;
          end else if (v2) begin
            acc <= acc + (sgn2 ? ~w_syn : w_syn) + AccW'(sgn2);   // ± as one adder
          end
          v1 <= (a < na_in);
          if (a < na_in) a <= a + 1;
          v2 <= v1;
          sgn2 <= l_rd[par][RowW];
          if (fwd_sum_end) st <= S_FWD_V;
        end
        S_FWD_V: st <= S_FWD_SOMA;     // the soma's second stage (so_s, so_g, so_m, so_refr)
        S_FWD_SOMA: begin
          if (so_s && l < LL) na_out <= na_out + 1;
          prod_row <= row_next;
          if (l == LL) begin
            // (o_k, c_k and Q_k are written through the memory ports)
            if (!sleep_fwd && so_s) begin
              // prediction: the most spikes, lowest index on ties (BG(model_prediction)); counts
              // only grow, so the spiking neuron takes over on a new maximum or a tie below, and
              // max_c follows the predicted output's count
              if (4'(i) == pred) cnt_max <= c_inc;
              else if ((c_inc > cnt_max) || (c_inc == cnt_max && 4'(i) < pred)) begin
                pred <= 4'(i);
                cnt_max <= c_inc;
              end
            end
          end
          if (i + 1 == n_cur) st <= S_LAYER_END;
          else begin i <= i + 1; st <= S_FWD_I; end
        end
        // error unit
        S_ERR_SOFT: begin                        // S = Σ_k E_k
          e_sum <= e_sum + SumW'(soft_k);
          if (k + 1 == NOut) begin k <= 0; st <= S_ERR_DIV; end
          else k <= k + 1;
        end
        S_ERR_DIV: begin                         // σ± of k for S_ERR_DIVW
          sg_p_q <= sp[k_eu]; sg_m_q <= sm[k_eu];
          st <= S_ERR_DIVW;
        end
        S_ERR_DIVW: begin                        // p_k, ε_k, then the interneurons of k
          if (div_done) begin                    // u± written through the memory port
            sp[k_eu] <= e_sp;
            sm[k_eu] <= e_sm;
            if (k + 1 == NOut) begin k <= 0; st <= S_ERR_DO_RD; end
            else begin k <= k + 1; st <= S_ERR_DIV; end
          end
        end
        S_ERR_DO_RD: begin
          sg_p_q <= sp[k_eu]; sg_m_q <= sm[k_eu];
          st <= S_ERR_DO_WR;
        end
        S_ERR_DO_WR: begin
          if (k + 1 == NOut) begin
            if (any_sg && LL > 1) begin l <= 1; i <= 0; k <= 0; st <= S_ERR_FB_I; end
            else st <= S_STEP_END;
          end else begin
            k <= k + 1; st <= S_ERR_DO_RD;
          end
        end
        S_ERR_FB_I: begin
          k <= 1; fb_k_rd <= 0; fb_v <= 1'b1; fb_acc <= '0;
          st <= S_ERR_FB_SUM;
        end
        S_ERR_FB_SUM: begin
          if (fb_v) begin
            // ± B as one adder: B, or its complement plus one when σ− alone spiked
            if (sp[fbk_eu] != sm[fbk_eu])
              fb_acc <= fb_acc + (sm[fbk_eu] ? ~fb_of(fb_rd, lyr) : fb_of(fb_rd, lyr)) +
                        FbAccW'(sm[fbk_eu]);
            fb_k_rd <= fb_k_rd + 1;
          end
          fb_v <= (k < NOut);
          if (k < NOut) k <= k + 1;
          if (!fb_v) st <= S_ERR_FB_WR;
        end
        S_ERR_FB_WR: begin
          if (i + 1 == n_cur) begin
            i <= 0;
            if (l + 1 == LL) st <= S_STEP_END;
            else begin l <= l + 1; k <= 0; st <= S_ERR_FB_I; end
          end else begin
            i <= i + 1; k <= 0; st <= S_ERR_FB_I;
          end
        end
        S_STEP_END: begin
          if (chk_en) begin
            chk_kind <= 4'd1; chk_t <= 16'(t); st_after_hold <= S_STEP_NEXT; st <= S_HOLD;
          end else st <= S_STEP_NEXT;
        end
        S_STEP_NEXT: begin
          l <= 0; i <= 0; na_out <= 0; prod_row <= RowW'(WBase1);
          if (t + 1 == T) begin
            if (mode == M_TRAIN) begin l <= 1; t <= TIW'(T - 1); st <= S_K_T; end
            else st <= S_DONE;
          end else begin
            t <= t + 1; ie <= 0; pv <= 1'b0; pva <= 1'b0; st <= S_ENC_RD;
          end
        end
        S_HOLD: if (chk_go) st <= st_after_hold;
        // learning engine: backward kernel of layer l, t = T-1 ... 0
        S_K_T: st <= S_K_RD;           // a new t or layer: t·n into tn_q
        S_K_RD: st <= S_K_MUL;
        S_K_MUL: st <= S_K_MW;
        S_K_MW: st <= S_K_MK;          // m·K(t+1) from the registered operands into mul_q
        S_K_MK: st <= S_K_TK;          // RND(m·K) registered (bg_kernel_unit)
        S_K_TK: st <= S_K_KV;          // αt · RND(m·K) registered
        S_K_KV: st <= S_K_WR;          // K(t) registered
        S_K_WR: begin
          if (i + 1 == n_cur) begin
            i <= 0;
            if (t == 0) begin j <= 0; prod_row <= wbase; st <= S_U_RAST_RD; end
            else begin t <= TIW'(t - 1); st <= S_K_T; end
          end else begin
            i <= i + 1; st <= S_K_RD;
          end
        end
        // learning engine: eligibility rows and weight update, presynaptic j ascending
        S_U_RAST_RD: st <= S_U_RAST;
        S_U_RAST: begin
          if (r_rd == '0) begin
            prod_row <= row_next;
            if (j + 1 == n_prev) begin
              i <= 0;
              st <= (bg_cfg_pkg::LearnBias != 0) ? S_U_B_RD : S_UPD_END;
            end else begin
              j <= j + 1; st <= S_U_RAST_RD;
            end
          end else begin
            spikes <= r_rd; first <= 1'b1; ie <= 0; pv <= 1'b0; st <= S_U_E_SEL;
          end
        end
        // the pass's spike time, registered: the record address's product then starts at a
        // register (the lowest set bit of the spike word is a chain of T LUT levels)
        S_U_E_SEL: begin tsel_q <= t_sel; st <= S_U_E_TN; end
        S_U_E_TN: begin                // t_sel·n into tn_q; no spike time after t_sel
          spk_last_q <= (spikes & ~(T'(1) << tsel_q)) == '0;
          st <= S_U_E_RD;
          uer_q <= 1'b1;
        end
        S_U_E_RD: begin
          pv <= (ie < n_cur);
          iw <= ie;
          if (ie < n_cur) ie <= ie + 1;
          if (pv && ie >= n_cur) begin            // the pass for spike time t_sel ends
            first <= 1'b0;
            spikes <= spikes & ~(T'(1) << tsel_q);
            ie <= 0;
            pv <= 1'b0;
            pva <= 1'b0;
            pv2 <= 1'b0;
            st <= spk_last_q ? S_U_W_RD : S_U_E_SEL;
            uw_q <= spk_last_q;
            uer_q <= 1'b0;
          end
        end
        S_U_W_RD: begin                // read ie; multiply iw; test iw2's product
          pv <= (ie < n_cur);
          iw <= ie;
          pva <= pv;
          iwa <= iw;
          pv2 <= pva;
          iw2 <= iwa;
          if (ie < n_cur) ie <= ie + 1;
          if (pv2 && t1_nz) begin
            t1 <= t1_new; st <= S_U_W_LD; uw_q <= 1'b0;
          end else if (ie >= n_cur && !pv && !pva) begin   // row j done
            i <= 0; uw_q <= 1'b0;
            prod_row <= row_next;
            if (j + 1 == n_prev) st <= (bg_cfg_pkg::LearnBias != 0) ? S_U_B_RD : S_UPD_END;
            else begin j <= j + 1; st <= S_U_RAST_RD; end
          end
        end
        // the rounding shift of t1·η_m: floor(sh/8) cycles (bg_update_unit)
        S_U_W_LD: st <= S_U_W_SH;
        S_U_W_SH: if (upd_done) begin st <= S_U_W_WR; uw_q <= 1'b1; end
        S_U_B_LD: st <= S_U_B_SH;
        S_U_B_SH: if (upd_done) st <= S_U_B_WR;
        S_U_W_WR: begin
          c_wwrites <= c_wwrites + 1;
          if (wdraw) c_draws <= c_draws + 1;
          st <= S_U_W_RD;
        end
        S_U_B_RD: st <= S_U_B_MUL;
        S_U_B_MUL: st <= S_U_B_MW;
        S_U_B_MW: st <= S_U_B_T1;
        S_U_B_T1, S_U_B_WR: begin
          if (st == S_U_B_T1) t1 <= t1_new;
          if (st == S_U_B_T1 && t1_nz) st <= S_U_B_LD;
          else begin
            if (st == S_U_B_WR && wdraw) c_draws <= c_draws + 1;
            if (i + 1 == n_cur) st <= S_UPD_END;
            else begin i <= i + 1; st <= S_U_B_RD; end
          end
        end
        S_UPD_END: begin
          i <= 0;
          if (l == LL) begin
            c_samples <= c_samples + 1;
            since_sleep <= sleep_due ? 32'd0 : since_sleep + 32'd1;
            if (chk_en) begin
              chk_kind <= 4'd2; chk_t <= 16'(T); st_after_hold <= S_AFTER_UPD; st <= S_HOLD;
            end else st <= S_AFTER_UPD;
          end else begin
            l <= l + 1; t <= TIW'(T - 1); st <= S_K_T;
          end
        end
        S_AFTER_UPD: st <= (since_sleep == 32'd0 && bg_cfg_pkg::SleepEnabled != 0) ? S_SL_LOAD
                                                                                     : S_DONE;
        // sleep unit (BG(sleep_unit_run)); S_SL_LOAD: the sleep-rate stream's state is loaded
        S_SL_LOAD: st <= S_SL_START;
        S_SL_START: begin
          rho <= (bg_cfg_pkg::SleepRate16 != 0) ? 16'(bg_cfg_pkg::SleepRate16)
                                                 : rng_w[31:16];
          sleep_fwd <= 1'b0;
          if (LL - 1 >= 1) begin
            sl_l <= LIW'(LL - 1); l <= LIW'(LL - 1); idx <= 0; st <= S_SL_CLR;
          end else st <= S_SL_END;
        end
        S_SL_CLR: begin
          idx <= idx + 1;
          if (idx + 1 >= sl_c_words) begin idx <= 0; kk <= 0; st <= S_SL_RST; end
        end
        S_SL_RST: begin
          idx <= idx + 1;              // (o_k = 0 through the memory port)
          if (idx + 1 >= sl_rst_len) begin
            ts <= 0; i <= 0; l <= sl_l; na_out <= 0; prod_row <= wbase_sl;
            sleep_fwd <= 1'b1;
            st <= S_SL_N_RD;
          end
        end
        S_SL_N_RD: begin
          xi_p <= xi;
          if (xi) na_out <= na_out + 1;
          st <= S_SL_N_P;
        end
        S_SL_N_P, S_SL_N_M: begin
          if (st == S_SL_N_M) na_out <= na_out + 1;
          if (st == S_SL_N_P && xi) st <= S_SL_N_M;
          else begin
            prod_row <= row_next;
            if (i + 1 == n_sl) st <= S_LAYER_END;
            else begin i <= i + 1; st <= S_SL_N_RD; end
          end
        end
        S_SL_FWD_END: begin
          if (ts + 1 == bg_cfg_pkg::SleepSteps) begin
            sleep_fwd <= 1'b0; i <= 0; l <= sl_l; st <= S_SL_C_RD;
          end else begin
            ts <= ts + 1; i <= 0; l <= sl_l; na_out <= 0; prod_row <= wbase_sl;
            st <= S_SL_N_RD;
          end
        end
        S_SL_C_RD: st <= S_SL_C_H;
        S_SL_C_H: begin
          h_val <= h_rd;
          k <= 0;
          if (h_rd != '0) st <= S_SL_C_RMW;
          else if (i + 1 == n_sl) st <= S_SL_K_END;
          else begin i <= i + 1; st <= S_SL_C_RD; end
        end
        S_SL_C_RMW: st <= S_SL_C_MW;
        S_SL_C_MW: st <= S_SL_C_WR;
        S_SL_C_WR: begin
          if (k + 1 == NOut) begin
            if (i + 1 == n_sl) st <= S_SL_K_END;
            else begin i <= i + 1; st <= S_SL_C_RD; end
          end else begin
            k <= k + 1; st <= S_SL_C_RMW;
          end
        end
        S_SL_K_END: begin
          idx <= 0;
          if (kk + 1 == bg_cfg_pkg::SleepSamples) begin
            i <= 0; k <= 0; st <= S_SL_FB_RD;
          end else begin
            kk <= kk + 1; st <= S_SL_RST;
          end
        end
        S_SL_FB_RD: begin q_val <= q_rd; st <= S_SL_FB_MUL0; end  // read one state ahead
        S_SL_FB_MUL0: st <= S_SL_FB_MW0;
        S_SL_FB_MW0: st <= S_SL_FB_MUL;                           // B·Q into mul_q
        S_SL_FB_MUL: st <= S_SL_FB_MW;
        S_SL_FB_MW: st <= S_SL_FB_ST;                             // diff·ηs_m into mul_q
        S_SL_FB_ST: st <= S_SL_FB_WR;                             // the new B registered
        S_SL_FB_WR: begin
          if (fbdraw_q) c_draws <= c_draws + 1;
          if (k + 1 == NOut) begin
            k <= 0;
            if (i + 1 == n_sl) begin
              if (sl_l - 1 >= 1) begin
                sl_l <= LIW'(sl_l - 1); l <= LIW'(sl_l - 1); idx <= 0; st <= S_SL_CLR;
              end else st <= S_SL_END;
            end else begin
              i <= i + 1; st <= S_SL_FB_RD;
            end
          end else begin
            k <= k + 1; st <= S_SL_FB_RD;
          end
        end
        S_SL_END: begin
          c_sleeps <= c_sleeps + 1;
          if (chk_en) begin
            chk_kind <= 4'd3; chk_t <= '0; st_after_hold <= S_DONE; st <= S_HOLD;
          end else st <= S_DONE;
        end
        S_DONE: begin
          done <= 1'b1;
          st <= S_IDLE;
        end
        default: st <= S_IDLE;
      endcase
      // counters not built are held at 0: synthesis removes their registers and adders
      if (PerfCounters != 1) begin
        c_syn <= '0; c_wwrites <= '0; c_sleeps <= '0;
        c_fwd <= '0; c_learn <= '0; c_sleepcyc <= '0; c_draws <= '0;
        c_steps <= '0; c_step_cur <= '0; c_step_last <= '0;
      end
      if (PerfCounters == 0) begin c_cycles <= '0; c_samples <= '0; end
    end
  end
endmodule
