/* SPDX-License-Identifier: Apache-2.0 */
/* Replay formulation (RTL: bg_learning_engine when learning.mode = replay): the backward
 * kernel K_i(t) = A·g_i(t) + αt·m_i(t)·K_i(t+1), run once per sample from the per-step records;
 * the eligibility of synapse (i <- j) is then the sum of K_i(t) over j's spikes
 * (ALGORITHM.md §2.13.4; docs/cmodel.md, "Replay mode"). */
#include "bg_core.h"

void BG(replay_unit_kernel)(BG(model_t) *m, int l) {
  BG(model_layer_t) *ly = &m->layer[l];
  const uint32_t n = ly->n;
  const bg_rnd_prep_t tf = bg_rnd_prep(m->tfmt.frac), pf = bg_rnd_prep(m->pfmt.frac);
  const bg_sat_prep_t tb = bg_sat_prep(m->tfmt.bits);
  const BG_WIDE one = m->one_p, decay = ly->trace_decay, amp = ly->amp_trace;
  for (uint32_t tt = m->T; tt-- > 0;) {
    const uint8_t *restrict g = ly->g_rec + (size_t)tt * n;
    const BG_VAL *restrict mf = ly->m_rec + (size_t)tt * n;
    const BG_VAL *restrict knext = tt + 1 < m->T ? ly->kern + (size_t)(tt + 1) * n : NULL;
    BG_VAL *restrict k = ly->kern + (size_t)tt * n;
    for (uint32_t i = 0; i < n; i++) {
      BG_WIDE kn = knext ? knext[i] : 0;
      /* m·K is formed for every neuron and kept where m != 1 */
      BG_WIDE mk = BG_PICK(mf[i] != one, BG_MULR_P(mf[i], kn, pf), kn);
      k[i] = (BG_VAL)BG_SAT_P(BG_MULR_P(decay, mk, tf) + BG_PICK(g[i], amp, 0), tb, &m->sat.k);
    }
  }
}
