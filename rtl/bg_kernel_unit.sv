// SPDX-License-Identifier: Apache-2.0
// Learning engine, replay kernel (BG(replay_unit_kernel) in cmodel/core/bg_replay_unit.c):
// K(t) = SAT(RND(αt·(m == 1 ? K(t+1) : RND(m·K(t+1))), Tr) + (g ? A in trace format : 0)), and
// the running bias eligibility Σ_t K(t). m·K is P_bits × Tr_bits, on the core's shared
// multiplier (m and K(t+1) out, the product back); αt·(m·K) is (Tr_frac + 2) × (P_bits +
// Tr_bits − P_frac + 1), αt a constant of the layer, on SB_MAC16s of its own. Both ends of that
// product are registered, so no path runs through a multiplier: mk_q takes RND(m·K) (or K) in
// the cycle ld_mk says, tk_q the product in the cycle ld_tk says, kv_q the new K(t) from tk_q
// in the cycle ld_kv says; the running sum adds kv_q (two clock paths, not one).
module bg_kernel_unit #(
  parameter int EbBits = 25                                // width of the eligibility sums
) (
  input  logic                                    clk,
  input  logic                                    ld_mk,     // mk_q <= RND(m·K) or K
  input  logic                                    ld_tk,     // tk_q <= αt · mk_q
  input  logic                                    ld_kv,     // kv_q <= K(t) from tk_q
  input  logic [bg_cfg_pkg::PotBits:0]            rec,       // {g, m} of step t
  input  logic [bg_cfg_pkg::TraceBits-1:0]        k_next,    // K(t+1)
  input  logic [EbBits-1:0]                       eb_old,    // Σ K over the later steps
  input  logic                                    last,      // t = T-1: K(t+1) = 0, sum = 0
  input  logic [2:0]                              lyr,       // layer 1 .. NLayers-1
  // m·K(t+1) on the shared multiplier
  output logic signed [bg_cfg_pkg::PotBits-1:0]   m_o,
  output logic signed [bg_cfg_pkg::TraceBits-1:0] k_o,
  input  logic signed [bg_cfg_pkg::PotBits+bg_cfg_pkg::TraceBits-1:0] mk_i,
  output logic [bg_cfg_pkg::TraceBits-1:0]        kern_new,
  output logic [EbBits-1:0]                       eb_new
);
  `include "bg_widths.svh"
  localparam int NL = bg_cfg_pkg::NLayers;
  localparam int PB = bg_cfg_pkg::PotBits, PF = bg_cfg_pkg::PotFrac;
  localparam int TB = bg_cfg_pkg::TraceBits, TF = bg_cfg_pkg::TraceFrac;
  localparam int MkW = PB + TB - PF + 2;                    // RND(m·K, P_frac), or K itself
  localparam int TdW = TF + 2;                              // αt in [0, 1): TF + 1 bits, signed
  localparam int AmpW = tab_bits(bg_cfg_pkg::AmplitudeTab, NL);
  localparam int FXW = imax(imax(PB + TB, MkW + TdW),
                            imax(imax(EbBits, TB), AmpW + imax(0, TF - PF))) + 4;
  `include "bg_fixed.svh"
  localparam logic signed [PB-1:0] OneP = $signed(PB'(1)) <<< PF;

  // A in trace format: RND(A, P_frac − Tr_frac), a constant per layer
  function automatic logic signed [FXW-1:0] amp_tr(input logic [2:0] ly);
    logic signed [FXW-1:0] r;
    integer q;
    r = '0;
    for (q = 1; q < NL; q = q + 1)
      if (lhit(ly, q)) r = rnd(FXW'(tab(bg_cfg_pkg::AmplitudeTab, q)), PF - TF);
    amp_tr = r;
  endfunction

  // stage 1: RND(m·K(t+1), P_frac), or K(t+1) itself when m = 1 (from the shared product)
  function automatic logic signed [MkW-1:0] mk_of(input logic signed [PB-1:0] mfv,
                                                  input logic [TB-1:0] kx, input logic lst,
                                                  input logic signed [PB+TB-1:0] mkp);
    logic signed [TB-1:0] kn;
    kn = lst ? '0 : kx;
    mk_of = (mfv == OneP) ? MkW'(kn) : MkW'(rnd(FXW'(mkp), PF));
  endfunction
  // stage 3: K(t) from αt·mk
  function automatic logic [TB-1:0] kernel(input logic g, input logic [2:0] ly,
                                           input logic signed [MkW+TdW-1:0] tk);
    kernel = TB'(sat(rnd(FXW'(tk), TF) + (g ? amp_tr(ly) : '0), TB));
  endfunction
  // stage 4: the bias eligibility sum
  function automatic logic [EbBits-1:0] eb_sum(input logic [EbBits-1:0] eb, input logic lst,
                                               input logic signed [TB-1:0] kv);
    eb_sum = EbBits'((lst ? '0 : FXW'($signed(eb))) + FXW'(kv));
  endfunction

  logic signed [MkW-1:0] mk_q;
  logic signed [TdW-1:0] td;
  logic signed [MkW+TdW-1:0] tk_q;
  logic signed [TB-1:0] kv_q;
  assign td = TdW'(lsel(bg_cfg_pkg::TraceDecayTab, lyr, NL));
  always_ff @(posedge clk) begin
    if (ld_mk) mk_q <= mk_of(rec[PB-1:0], k_next, last, mk_i);
    if (ld_tk) tk_q <= td * mk_q;      // stage 2
    if (ld_kv) kv_q <= kernel(rec[PB], lyr, tk_q);
  end
  assign m_o = rec[bg_cfg_pkg::PotBits-1:0];
  assign k_o = last ? '0 : k_next;
  assign kern_new = kv_q;
  assign eb_new = eb_sum(eb_old, last, kv_q);
endmodule
