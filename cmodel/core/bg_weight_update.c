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

/* The spike steps of every neuron of layer `pre` this sample, ascending: times[j·T + c] for
 * c < count[j] (the act lists turned around; replay mode). */
static void spike_times(BG(model_t) *m, BG(model_layer_t) *pre) {
  const uint32_t T = m->T;
  uint32_t *restrict times = pre->times, *restrict fill = pre->times_n;
  memset(fill, 0, pre->n * sizeof *fill);
  for (uint32_t t = 0; t < T; t++) {
    const uint32_t *act = pre->act + (size_t)t * pre->n;
    for (uint32_t a = 0; a < pre->act_n[t]; a++) {
      uint32_t j = act[a];
      times[(size_t)j * T + fill[j]++] = t;
    }
  }
}

/* e_ij = SAT(Σ_{t: x_j(t) = 1} K_i(t)) for one presynaptic j, all i (replay mode). */
static void eligibility_row(BG(model_t) *m, BG(model_layer_t) *ly, const uint32_t *times,
                            uint32_t cnt, BG_WIDE *erow) {
  const uint32_t n = ly->n;
  const int tb = m->tfmt.bits;
#if !BG_FLOAT
  if (m->elig32) {
    /* |Σ| <= T·2^(Tr bits − 1) < 2^31, checked by model_init */
    int32_t *e32 = ly->scratch32;
    memset(e32, 0, n * sizeof *e32);
    bg_rows_add32(e32, ly->kern, times, cnt, n);
    for (uint32_t i = 0; i < n; i++) erow[i] = BG_SAT(e32[i], tb, &m->sat.e);
    return;
  }
#endif
  for (uint32_t i = 0; i < n; i++) erow[i] = 0;
  BG(rows_add)(erow, ly->kern, times, cnt, n);
  for (uint32_t i = 0; i < n; i++) erow[i] = BG_SAT(erow[i], tb, &m->sat.e);
}

/* acc_i += RND(δ_i·e_i, D + Tr − U) for the synapses of one presynaptic neuron. */
static void accumulate_row(BG(model_t) *m, const BG(model_layer_t) *ly, BG_WIDE *restrict acc,
                           const BG_WIDE *restrict erow) {
  const uint32_t n = ly->n;
  const BG_WIDE *restrict d = ly->d;
#if !BG_FLOAT
  if (m->acc_narrow) {
    /* |δ| < 2^(D bits − 1) and |e| <= 2^(Tr bits − 1), so |δ·e| <= 2^46 when D bits + Tr bits
     * <= 48 (checked by model_init): the product neither overflows nor reaches the 48-bit
     * clamp, and acc_add reduces to this. It runs for every i without a branch: where δ or e
     * is 0 the product is 0 and acc (always within 48 bits) is unchanged, as when skipped. */
    const int sh = m->dfmt.frac + m->tfmt.frac - m->ufrac;
    for (uint32_t i = 0; i < n; i++) {
      acc[i] = bg_sat(acc[i] + bg_rnd(d[i] * erow[i], sh), BG_ACC_BITS, &m->sat.acc);
    }
    return;
  }
#endif
  for (uint32_t i = 0; i < n; i++) {
    if (d[i] != 0 && erow[i] != 0) acc[i] = acc_add(m, acc[i], d[i], erow[i]);
  }
}

void BG(weight_update_accumulate)(BG(model_t) *m, int l) {
  BG(model_layer_t) *ly = &m->layer[l];
  BG(model_layer_t) *pre = &m->layer[l - 1];
  const uint32_t n = ly->n, T = m->T;
  const int tb = m->tfmt.bits;
  const bool replay = m->net->learning.mode == BG_LEARN_REPLAY;
  BG_WIDE *erow = ly->scratch;
  bool any_delta = false;
  for (uint32_t i = 0; i < n; i++) any_delta |= ly->d[i] != 0;
  if (!any_delta) return;
  if (replay) spike_times(m, pre);
  /* synapses whose presynaptic neuron never spiked have e = 0: skip their rows */
  for (uint32_t j = 0; j < ly->fan_in; j++) {
    if (pre->count[j] == 0) continue;
    if (replay) {
      eligibility_row(m, ly, pre->times + (size_t)j * T, pre->count[j], erow);
    } else {
      const BG_VAL *e = ly->e + (size_t)j * n;
      for (uint32_t i = 0; i < n; i++) erow[i] = e[i];
    }
    accumulate_row(m, ly, ly->acc + (size_t)j * n, erow);
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
