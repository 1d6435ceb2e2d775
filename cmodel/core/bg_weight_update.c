/* SPDX-License-Identifier: Apache-2.0 */
/* Learning engine, weight update (RTL: bg_learning_engine): at the end of a sample every
 * synapse's δ·e goes into its batch accumulator; after `batch` samples the accumulators are
 * scaled by η' = η/(F·batch), rounded (nearest or stochastic, stream 4) and subtracted from the
 * weights (ALGORITHM.md §2.6, §2.13.2; docs/cmodel.md, "Weight update"). */
#include <string.h>

#include "bg_core.h"

#define BG_ACC_BITS 48  /* width of an update accumulator */

/* acc += RND(δ·e, D + Tr − U), saturated to BG_ACC_BITS. */
static inline BG_WIDE acc_add(BG(model_t) *m, BG_WIDE acc, BG_WIDE delta, BG_WIDE e) {
#if BG_FLOAT
  (void)m;
  return acc + delta * e;
#else
  int sh = m->dfmt.frac + m->tfmt.frac - m->ufrac;
  int64_t t1 = bg_sat(bg_scale_round(delta, e, sh, false, NULL, NULL, &m->sat.acc), BG_ACC_BITS,
                      &m->sat.acc);
  return bg_sat(acc + t1, BG_ACC_BITS, &m->sat.acc);   /* |acc|, |t1| < 2^47: no overflow */
#endif
}

void BG(weight_update_accumulate)(BG(model_t) *m, int l) {
  BG(model_layer_t) *ly = &m->layer[l];
  const BG(model_layer_t) *pre = &m->layer[l - 1];
  const uint32_t n = ly->n, T = m->T;
  const int tb = m->tfmt.bits;
  const bool replay = m->net->learning.mode == BG_LEARN_REPLAY;
  BG_WIDE *erow = ly->scratch;
  bool any_delta = false;
  for (uint32_t i = 0; i < n; i++) any_delta |= ly->d[i] != 0;
  if (!any_delta) return;
  /* synapses whose presynaptic neuron never spiked have e = 0: skip their rows */
  for (uint32_t j = 0; j < ly->fan_in; j++) {
    if (pre->count[j] == 0) continue;
    if (replay) {
      for (uint32_t i = 0; i < n; i++) erow[i] = 0;
      for (uint32_t t = 0; t < T; t++) {
        if (!pre->raster[(size_t)t * pre->n + j]) continue;
        const BG_VAL *k = ly->kern + (size_t)t * n;
        for (uint32_t i = 0; i < n; i++) erow[i] += k[i];
      }
      for (uint32_t i = 0; i < n; i++) erow[i] = BG_SAT(erow[i], tb, &m->sat.e);
    } else {
      const BG_VAL *e = ly->e + (size_t)j * n;
      for (uint32_t i = 0; i < n; i++) erow[i] = e[i];
    }
    BG_WIDE *acc = ly->acc + (size_t)j * n;
    for (uint32_t i = 0; i < n; i++) {
      if (ly->d[i] != 0 && erow[i] != 0) acc[i] = acc_add(m, acc[i], ly->d[i], erow[i]);
    }
    ly->row_dirty[j] = 1;
  }
  if (m->net->learning.bias) {
    for (uint32_t i = 0; i < n; i++) {
      BG_WIDE eb = 0;
      if (replay) {
        for (uint32_t t = 0; t < T; t++) eb += ly->kern[(size_t)t * n + i];
        eb = BG_SAT(eb, tb, &m->sat.e);
      } else {
        eb = ly->eb[i];
      }
      if (ly->d[i] != 0 && eb != 0) ly->accb[i] = acc_add(m, ly->accb[i], ly->d[i], eb);
    }
  }
}

/* One weight: w − ROUND(acc·η'), saturated to the weight format. */
static inline BG_VAL weight_step(BG(model_t) *m, const BG(model_layer_t) *ly, BG_VAL w, BG_WIDE acc,
                                 uint64_t *sat) {
#if BG_FLOAT
  (void)ly;
  (void)sat;
  return w - acc * m->eta;
#else
  int sh = (int)m->eta_sh + m->ufrac - ly->wfmt.frac;
  int64_t delta = bg_scale_round(acc, m->eta_m, sh,
                                 m->net->learning.rounding == BG_ROUND_STOCHASTIC,
                                 &m->rng[BG_STREAM_ROUND], &m->ctr.rounding_draws, &m->sat.acc);
  return (BG_VAL)bg_sat((int64_t)w - delta, ly->wfmt.bits, sat);
#endif
}

void BG(weight_update_apply)(BG(model_t) *m) {
  for (int l = 1; l < m->n_layers; l++) {
    BG(model_layer_t) *ly = &m->layer[l];
    const uint32_t n = ly->n;
    for (uint32_t j = 0; j < ly->fan_in; j++) {
      if (!ly->row_dirty[j]) continue;
      BG_VAL *w = ly->w + (size_t)j * n;
      BG_WIDE *acc = ly->acc + (size_t)j * n;
      for (uint32_t i = 0; i < n; i++) {
        if (acc[i] == 0) continue;
        w[i] = weight_step(m, ly, w[i], acc[i], &m->sat.w);
        acc[i] = 0;
        m->ctr.weight_writes++;
      }
      ly->row_dirty[j] = 0;
    }
    if (m->net->learning.bias) {
      for (uint32_t i = 0; i < n; i++) {
        if (ly->accb[i] == 0) continue;
        ly->b[i] = weight_step(m, ly, ly->b[i], ly->accb[i], &m->sat.b);
        ly->accb[i] = 0;
      }
    }
  }
  m->ctr.updates++;
}
