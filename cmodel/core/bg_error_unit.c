/* SPDX-License-Identifier: Apache-2.0 */
/* Error unit (RTL: bg_error_unit): softmax of the running output counts through the LUT, the
 * signed error, the error interneurons with soft reset, and the direct spiking feedback into
 * every error dendrite (ALGORITHM.md §2.4-2.5; docs/cmodel.md). Runs on steps t >= t0. */
#include <math.h>

#include "bg_core.h"

void BG(error_unit_step)(BG(model_t) *m, int label) {
  const int L = m->n_layers - 1;
  BG(model_layer_t) *out = &m->layer[L];
  BG(error_unit_t) *eu = &m->err;
  const uint32_t n_out = out->n;
  const int eb = m->efmt.bits, db = m->dfmt.bits, df = m->dfmt.frac;

  /* softmax on counts: E_k = LUT[min(max - c_k, len - 1)], p_k = floor(E_k·ONE / ΣE) */
  uint32_t cmax = 0;
  for (uint32_t k = 0; k < n_out; k++) cmax = out->count[k] > cmax ? out->count[k] : cmax;
  BG_WIDE sum = 0;
  for (uint32_t k = 0; k < n_out; k++) {
    uint32_t gap = cmax - out->count[k];
#if BG_FLOAT
    eu->eps[k] = exp(-(double)gap);           /* the exact softmax numerator */
#else
    eu->eps[k] = m->lut[gap < m->lut_len ? gap : m->lut_len - 1];
#endif
    sum += eu->eps[k];
  }
  for (uint32_t k = 0; k < n_out; k++) {
#if BG_FLOAT
    BG_WIDE p = eu->eps[k] / sum;
#else
    BG_WIDE p = eu->eps[k] * m->one_e / sum;  /* both positive: C division is floor */
#endif
    eu->eps[k] = p - ((int)k == label ? m->one_e : 0);
  }

  /* error interneurons: integrate ±ε, soft reset by the threshold; then the dendrites */
  const BG_WIDE thr = m->err_threshold;
  for (uint32_t k = 0; k < n_out; k++) {
    BG_WIDE up = BG_SAT(eu->up[k] - (eu->sp[k] ? thr : 0) + eu->eps[k], eb, &m->sat.u);
    BG_WIDE um = BG_SAT(eu->um[k] - (eu->sm[k] ? thr : 0) - eu->eps[k], eb, &m->sat.u);
    eu->up[k] = (BG_VAL)up;
    eu->um[k] = (BG_VAL)um;
    eu->sp[k] = up > thr;
    eu->sm[k] = um > thr;
    eu->spk_p[k] += eu->sp[k];
    eu->spk_m[k] += eu->sm[k];
    int sg = (int)eu->sp[k] - (int)eu->sm[k];
    if (sg != 0) out->d[k] = BG_SAT(out->d[k] + (sg > 0 ? m->one_d : -m->one_d), db, &m->sat.d);
  }
  /* the interneuron pairs with σ⁺ − σ⁻ != 0, ascending: the same for every hidden dendrite */
  uint32_t ns = 0;
  for (uint32_t k = 0; k < n_out; k++) {
    int sg = (int)eu->sp[k] - (int)eu->sm[k];
    eu->fb_k[ns] = k;             /* kept only when sg != 0: the list grows by that */
    eu->fb_sg[ns] = (int8_t)sg;
    ns += sg != 0;
  }
  if (ns == 0) return;            /* no feedback spike: every hidden dendrite keeps its value */
  for (int l = 1; l < L; l++) {
    BG(model_layer_t) *ly = &m->layer[l];
    const int bf = ly->bfmt.frac;
    for (uint32_t i = 0; i < ly->n; i++) {
      const BG_VAL *b = ly->fb + (size_t)i * n_out;
      BG_WIDE acc = 0;
      for (uint32_t a = 0; a < ns; a++) {
        if (eu->fb_sg[a] > 0) {
          acc += b[eu->fb_k[a]];
        } else {
          acc -= b[eu->fb_k[a]];
        }
      }
      ly->d[i] = BG_SAT(ly->d[i] + BG_RESCALE(acc, bf, df), db, &m->sat.d);
    }
  }
}
