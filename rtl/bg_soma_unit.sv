// SPDX-License-Identifier: Apache-2.0
// Neuron core, soma (BG(soma_update) in cmodel/core/bg_neuron_core.c): from a neuron's stored
// state {refractory, s, v} and its synaptic input sum, the new potential, spike, window bit g,
// reset factor m and refractory count. Combinational; the controller supplies the layer's
// constants. Written as an automatic function so no always-block reads what it writes.
module bg_soma_unit (
  input  logic [bg_cfg_pkg::PotBits+8:0]        word,      // {refractory[8], s, v}
  input  logic signed [63:0]                    sum,       // weight format of the layer
  input  logic signed [31:0]                    theta,     // threshold, potential format
  input  logic signed [31:0]                    window,    // pseudo-derivative half window
  input  logic signed [31:0]                    amp,       // pseudo-derivative amplitude
  input  logic signed [31:0]                    decay,     // alpha
  input  logic signed [31:0]                    reset_soft,
  input  logic signed [31:0]                    refractory,
  input  logic signed [31:0]                    wfrac,     // the layer's weight fraction bits
  output logic signed [bg_cfg_pkg::PotBits-1:0] v,
  output logic                                  s,
  output logic                                  g,
  output logic signed [bg_cfg_pkg::PotBits-1:0] m,
  output logic [7:0]                            refr
);
  `include "bg_fixed.svh"
  localparam int PB = bg_cfg_pkg::PotBits, PF = bg_cfg_pkg::PotFrac;
  localparam logic [31:0] OneP = 32'd1 << PF;

  function automatic logic [PB + PB + 9:0] soma(
      input logic [PB+8:0] st_word, input logic signed [63:0] in_sum, input int theta_q,
      input int window_q, input int amp_q, input int decay_q, input int soft_q, input int refr_q,
      input int wf);
    logic signed [127:0] v_old, keep, vv, mf, th;
    logic s_old, sp, gw;
    logic [7:0] refr_old, refr_new;
    v_old = sext(64'(st_word[PB-1:0]), PB);
    s_old = st_word[PB];
    refr_old = st_word[PB+8:PB+1];
    th = $signed(128'(theta_q));
    keep = '0;
    sp = 1'b0;
    gw = 1'b0;
    refr_new = refr_old;
    if (refr_old != 8'd0) begin
      // refractory: input ignored, no spike, trace cleared (m = 0)
      refr_new = refr_old - 8'd1;
      vv = '0;
      mf = '0;
    end else begin
      if (soft_q != 0) keep = v_old - (s_old ? th : $signed(128'(0)));
      else keep = s_old ? $signed(128'(0)) : v_old;
      vv = sat(rnd($signed(128'(decay_q)) * keep, PF) + rnd($signed(128'(in_sum)), wf - PF), PB);
      sp = vv > th;
      gw = ((vv - th) < 0 ? th - vv : vv - th) < $signed(128'(window_q));
      if (soft_q != 0) begin
        mf = $signed(128'(OneP)) - (gw ? rnd($signed(128'(amp_q)) * th, PF) : $signed(128'(0)));
      end else begin
        mf = $signed(128'(OneP)) - (sp ? $signed(128'(OneP)) : $signed(128'(0)))
             - (gw ? rnd($signed(128'(amp_q)) * vv, PF) : $signed(128'(0)));
      end
      mf = sat(mf, PB);
      if (sp && refr_q != 0) refr_new = 8'(refr_q);
    end
    soma = {refr_new, sp, gw, PB'(vv), PB'(mf)};
  endfunction

  assign {refr, s, g, v, m} = soma(word, sum, theta, window, amp, decay, reset_soft, refractory,
                                   wfrac);
endmodule
