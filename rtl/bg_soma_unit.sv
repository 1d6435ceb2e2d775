// SPDX-License-Identifier: Apache-2.0
// Neuron core, soma (BG(soma_update) in cmodel/core/bg_neuron_core.c): from a neuron's stored
// state {refractory, s, v} and its synaptic input sum, the new potential, spike, window bit g,
// reset factor m and refractory count. Combinational, in two stages that the core registers
// between (docs/rtl.md, "Cycles"): stage 1 the potential (decay, input, saturation), stage 2 the
// spike, window and reset factor from stage 1's registered result. The layer's constants come
// from the generated tables, selected by `lyr`. Every operand is as narrow as its format allows: the
// decay α·keep product is (P_frac + 2) × (P_bits + 1) bits, computed by the core's shared
// multiplier (keep and α out, dk = α·keep back); A·v is A_bits × P_bits (a shift when the
// amplitude is a power of two, as in the shipped descriptions).
module bg_soma_unit #(
  parameter int AccW = 24,                                 // synaptic sum width (ACC_BITS)
  parameter int RefrBits = 8                               // refractory count (<= 8 bits)
) (
  input  logic [bg_cfg_pkg::PotBits+RefrBits:0] word,      // {refractory, s, v}
  input  logic signed [AccW-1:0]                sum,       // weight format of the layer
  input  logic [2:0]                            lyr,       // layer 1 .. NLayers-1
  // the decay product on the shared multiplier: keep·α, P_bits + 1 by P_frac + 2 bits
  output logic signed [bg_cfg_pkg::PotBits:0]   keep_o,
  output logic signed [bg_cfg_pkg::PotFrac+1:0] dec_o,
  input  logic signed [bg_cfg_pkg::PotBits+bg_cfg_pkg::PotFrac+2:0] dk_i,
  // stage 1: the new potential v1; rf1 = refractory, refr1 its count one lower
  output logic signed [bg_cfg_pkg::PotBits-1:0] v1,
  output logic                                  rf1,
  output logic [RefrBits-1:0]                   refr1,
  // stage 2, from stage 1's results registered: spike, window bit, reset factor, count
  input  logic signed [bg_cfg_pkg::PotBits-1:0] v_i,
  input  logic                                  rf_i,
  input  logic [RefrBits-1:0]                   refr_i,
  output logic                                  s,
  output logic                                  g,
  output logic signed [bg_cfg_pkg::PotBits-1:0] m,
  output logic [RefrBits-1:0]                   refr
);
  `include "bg_widths.svh"
  localparam int NL = bg_cfg_pkg::NLayers;
  localparam int PB = bg_cfg_pkg::PotBits, PF = bg_cfg_pkg::PotFrac;
  localparam int DecW = PF + 2;                             // α in [0, 1): PF + 1 bits, signed
  localparam int AmpW = tab_bits(bg_cfg_pkg::AmplitudeTab, NL);
  localparam int ThW = imax(tab_bits(bg_cfg_pkg::ThetaTab, NL),
                           tab_bits(bg_cfg_pkg::WindowTab, NL));
  localparam int AvW = imax(PB, ThW);                       // operand of A·v / A·θ
  localparam int FXW = imax(imax(PB + DecW + 2, AccW + PF + 2), AvW + AmpW + 2) + 2;
  `include "bg_fixed.svh"
  localparam logic signed [FXW-1:0] OneP = $signed(FXW'(1)) <<< PF;

  // RESCALE(I, W_frac → P): a constant shift per layer, selected
  function automatic logic signed [FXW-1:0] rescale(input logic signed [AccW-1:0] x,
                                                    input logic [2:0] ly);
    logic signed [FXW-1:0] r;
    integer q;
    r = '0;
    for (q = 1; q < NL; q = q + 1)
      if (lhit(ly, q)) r = rnd(FXW'(x), tab(bg_cfg_pkg::WFracTab, q) - PF);
    rescale = r;
  endfunction

  // the operands of the decay product: keep (the potential kept from the last step) and α
  function automatic logic [PB + DecW:0] decay_ops(input logic [PB+RefrBits:0] st_word,
                                                   input logic [2:0] ly);
    logic signed [ThW-1:0] th;
    logic signed [PB-1:0] v_old;
    logic signed [PB:0] keep;
    logic s_old;
    th = ThW'(lsel(bg_cfg_pkg::ThetaTab, ly, NL));
    v_old = st_word[PB-1:0];
    s_old = st_word[PB];
    if (lsel(bg_cfg_pkg::ResetTab, ly, NL) != 0)
      keep = (PB + 1)'(v_old) - (s_old ? (PB + 1)'(th) : '0);
    else keep = s_old ? '0 : (PB + 1)'(v_old);
    decay_ops = {keep, DecW'(lsel(bg_cfg_pkg::DecayTab, ly, NL))};
  endfunction

  // Stage 1 (the sum's last cycle): the new potential, or the refractory count going down
  function automatic logic [PB + RefrBits:0] stage1(input logic [RefrBits-1:0] refr_old,
                                                   input logic signed [AccW-1:0] in_sum,
                                                   input logic [2:0] ly,
                                                   input logic signed [PB+DecW:0] dk);
    logic signed [PB-1:0] vs;
    if (refr_old != '0) begin
      // refractory: input ignored, no spike, trace cleared (m = 0)
      stage1 = {1'b1, refr_old - RefrBits'(1), PB'(0)};
    end else begin
      vs = PB'(sat(rnd(FXW'(dk), PF) + rescale(in_sum, ly), PB));
      stage1 = {1'b0, RefrBits'(0), vs};
    end
  endfunction

  // θ + side·win of layer ly, the window's bounds (side = −1 or 1)
  function automatic logic signed [FXW-1:0] win_bound(input logic [2:0] ly, input integer side);
    logic signed [FXW-1:0] r;
    integer q;
    r = '0;
    for (q = 1; q < NL; q = q + 1)
      if (lhit(ly, q))
        r = FXW'(tab(bg_cfg_pkg::ThetaTab, q)) + FXW'(side * tab(bg_cfg_pkg::WindowTab, q));
    win_bound = r;
  endfunction

  // Stage 2 (the next cycle, from stage 1's registers): spike, window bit, reset factor
  function automatic logic [PB + RefrBits + 1:0] stage2(input logic rf,
                                                       input logic [RefrBits-1:0] refr_in,
                                                       input logic signed [PB-1:0] v_in,
                                                       input logic [2:0] ly);
    logic signed [ThW-1:0] th;
    logic soft_rst;
    logic [RefrBits-1:0] refr_q, refr_new;
    logic signed [AvW-1:0] av_in;
    logic signed [AvW+AmpW-1:0] av_p;
    logic signed [FXW-1:0] vv, mf, av;
    logic sp, gw;
    integer q;
    th = ThW'(lsel(bg_cfg_pkg::ThetaTab, ly, NL));
    soft_rst = lsel(bg_cfg_pkg::ResetTab, ly, NL) != 0;
    refr_q = RefrBits'(lsel(bg_cfg_pkg::RefractoryTab, ly, NL));
    vv = FXW'(v_in);
    sp = 1'b0;
    gw = 1'b0;
    refr_new = refr_in;
    mf = '0;
    if (!rf) begin
      // three comparisons of v with per-layer constants, side by side (no v − θ in front):
      // the spike v > θ, the window |v − θ| < win as θ − win < v < θ + win
      sp = vv > FXW'(th);
      gw = (vv > win_bound(ly, -1)) && (vv < win_bound(ly, 1));
      // A·θ (soft_rst reset) or A·v (hard), kept where g = 1
      av_in = soft_rst ? AvW'(th) : AvW'(vv);
      // each layer's A is a constant here: a power of two is a shift, no multiplier
      av = '0;
      for (q = 1; q < NL; q = q + 1)
        if (lhit(ly, q)) begin
          av_p = (AvW + AmpW)'(AmpW'(tab(bg_cfg_pkg::AmplitudeTab, q))) * (AvW + AmpW)'(av_in);
          av = rnd(FXW'(av_p), PF);
        end
      mf = OneP - ((!soft_rst && sp) ? OneP : '0) - (gw ? av : '0);
      mf = sat(mf, PB);
      if (sp && refr_q != '0) refr_new = refr_q;
    end
    stage2 = {refr_new, sp, gw, PB'(mf)};
  endfunction

  assign {keep_o, dec_o} = decay_ops(word, lyr);
  assign {rf1, refr1, v1} = stage1(word[PB+RefrBits:PB+1], sum, lyr, dk_i);
  assign {refr, s, g, m} = stage2(rf_i, refr_i, v_i, lyr);
endmodule
