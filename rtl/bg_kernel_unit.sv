// SPDX-License-Identifier: Apache-2.0
// Learning engine, replay kernel (BG(replay_unit_kernel) in cmodel/core/bg_replay_unit.c):
// K(t) = SAT(RND(αt·(m == 1 ? K(t+1) : RND(m·K(t+1))), Tr) + (g ? A in trace format : 0)), and
// the running bias eligibility Σ_t K(t). Combinational.
module bg_kernel_unit #(
  parameter int EbBits = 25                                // width of the eligibility sums
) (
  input  logic [bg_cfg_pkg::PotBits:0]            rec,       // {g, m} of step t
  input  logic [bg_cfg_pkg::TraceBits-1:0]        k_next,    // K(t+1)
  input  logic [EbBits-1:0]                       eb_old,    // Σ K over the later steps
  input  logic                                    last,      // t = T-1: K(t+1) = 0, sum = 0
  input  logic signed [31:0]                      tdecay,    // trace alpha, trace format
  input  logic signed [31:0]                      amp,       // amplitude, potential format
  output logic [bg_cfg_pkg::TraceBits-1:0]        kern_new,
  output logic [EbBits-1:0]                       eb_new
);
  `include "bg_fixed.svh"
  localparam int PB = bg_cfg_pkg::PotBits, PF = bg_cfg_pkg::PotFrac;
  localparam int TB = bg_cfg_pkg::TraceBits, TF = bg_cfg_pkg::TraceFrac;
  localparam logic [31:0] OneP = 32'd1 << PF;

  function automatic logic [EbBits + TB - 1:0] kernel(
      input logic [PB:0] rc, input logic [TB-1:0] kx, input logic [EbBits-1:0] eb, input logic lst,
      input int tdecay_q, input int amp_q);
    logic signed [127:0] kn, mk, mfv, kv;
    kn = lst ? $signed(128'(0)) : sext(64'(kx), TB);
    mfv = sext(64'(rc[PB-1:0]), PB);
    mk = (mfv == $signed(128'(OneP))) ? kn : rnd(mfv * kn, PF);
    kv = sat(rnd($signed(128'(tdecay_q)) * mk, TF)
             + (rc[PB] ? rnd($signed(128'(amp_q)), PF - TF) : $signed(128'(0))), TB);
    kernel = {EbBits'((lst ? $signed(128'(0)) : sext(64'(eb), EbBits)) + kv), TB'(kv)};
  endfunction

  assign {eb_new, kern_new} = kernel(rec, k_next, eb_old, last, tdecay, amp);
endmodule
