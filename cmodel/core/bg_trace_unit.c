/* SPDX-License-Identifier: Apache-2.0 */
/* Eligibility traces, trace mode (RTL: bg_learning_engine when learning.mode = trace): per
 * synapse z and e, updated every step after the soma (ALGORITHM.md §2.3; docs/cmodel.md). */
#include "bg_core.h"

/* One trace pair: decay and add the presynaptic spike, accumulate inside the window, then apply
 * the reset factor. */
static inline void trace_pair(BG(model_t) *m, const BG(model_layer_t) *ly, BG_VAL *z, BG_VAL *e,
                              uint8_t x, uint8_t g, BG_WIDE mf) {
  const int tf = m->tfmt.frac, tb = m->tfmt.bits, pf = m->pfmt.frac;
  BG_WIDE zz = BG_SAT(BG_MULR(ly->trace_decay, *z, tf) + (x ? m->one_t : 0), tb, &m->sat.z);
  if (g) *e = (BG_VAL)BG_SAT(*e + BG_MULR(ly->amp, zz, pf), tb, &m->sat.e);
  if (mf != m->one_p) zz = BG_SAT(BG_MULR(mf, zz, pf), tb, &m->sat.z);
  *z = (BG_VAL)zz;
}

void BG(trace_unit_step)(BG(model_t) *m, int l, uint32_t t) {
  BG(model_layer_t) *ly = &m->layer[l];
  const BG(model_layer_t) *pre = &m->layer[l - 1];
  const uint32_t n = ly->n;
  const uint8_t *x = pre->raster + (size_t)t * pre->n;
  const uint8_t *g = ly->g_rec + (size_t)t * n;
  const BG_VAL *mf = ly->m_rec + (size_t)t * n;
  for (uint32_t j = 0; j < ly->fan_in; j++) {
    BG_VAL *z = ly->z + (size_t)j * n, *e = ly->e + (size_t)j * n;
    for (uint32_t i = 0; i < n; i++) trace_pair(m, ly, &z[i], &e[i], x[j], g[i], mf[i]);
  }
  if (m->net->learning.bias) {
    for (uint32_t i = 0; i < n; i++) trace_pair(m, ly, &ly->zb[i], &ly->eb[i], 1, g[i], mf[i]);
  }
}
