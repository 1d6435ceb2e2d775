/* SPDX-License-Identifier: Apache-2.0 */
/* Neuron core and synaptic core (RTL: bg_neuron_core, bg_synaptic_core): the event-driven
 * synaptic input sum and the soma LIF with its pseudo-derivative window and reset factor
 * (docs/cmodel.md, "One timestep"). */
#include <string.h>

#include "bg_core.h"

void BG(state_reset)(BG(model_t) *m) {
  for (int l = 0; l < m->n_layers; l++) {
    BG(model_layer_t) *ly = &m->layer[l];
    memset(ly->s, 0, ly->n);
    memset(ly->count, 0, ly->n * sizeof *ly->count);
    memset(ly->act_n, 0, m->T * sizeof *ly->act_n);
    if (l == 0) continue;
    memset(ly->v, 0, ly->n * sizeof *ly->v);
    memset(ly->d, 0, ly->n * sizeof *ly->d);
    memset(ly->refr, 0, ly->n);
    if (ly->z != NULL) {
      size_t syn = (size_t)ly->fan_in * ly->n;
      memset(ly->z, 0, syn * sizeof *ly->z);
      memset(ly->e, 0, syn * sizeof *ly->e);
      memset(ly->zb, 0, ly->n * sizeof *ly->zb);
      memset(ly->eb, 0, ly->n * sizeof *ly->eb);
    }
  }
  BG(error_unit_t) *eu = &m->err;
  uint32_t n_out = m->layer[m->n_layers - 1].n;
  memset(eu->up, 0, n_out * sizeof *eu->up);
  memset(eu->um, 0, n_out * sizeof *eu->um);
  memset(eu->sp, 0, n_out);
  memset(eu->sm, 0, n_out);
  memset(eu->spk_p, 0, n_out * sizeof *eu->spk_p);
  memset(eu->spk_m, 0, n_out * sizeof *eu->spk_m);
}

/* The soma loop, specialised below for the reset kind, for recording and for a layer without
 * a refractory period (constant arguments after inlining), which keeps the loop's live values
 * in registers. */
static inline __attribute__((always_inline)) void soma_loop(BG(model_t) *m, int l,
                                                            const BG_WIDE *I, uint32_t t,
                                                            bool hard, bool record,
                                                            bool refractory_on) {
  BG(model_layer_t) *ly = &m->layer[l];
  const uint32_t n = ly->n, refractory = ly->refractory;
  const bg_rnd_prep_t pf = bg_rnd_prep(m->pfmt.frac);                  /* RND(·, P) */
  const bg_rnd_prep_t wp = bg_rnd_prep(ly->wfmt.frac - m->pfmt.frac);  /* RESCALE(·, Wl, P) */
  const bg_sat_prep_t pb = bg_sat_prep(m->pfmt.bits);
  const BG_WIDE one = m->one_p, theta = ly->theta, window = ly->window;
  const BG_WIDE decay = ly->decay, amp = ly->amp;
  BG_VAL *restrict v_q = ly->v;
  uint8_t *restrict s_q = ly->s, *restrict refr = ly->refr;
  uint16_t *restrict count = ly->count;
  uint8_t *restrict row = ly->raster + (size_t)t * n;
  uint8_t *restrict g_rec = ly->g_rec + (size_t)t * n;
  BG_VAL *restrict m_rec = ly->m_rec + (size_t)t * n;
  uint32_t *restrict act = ly->act + (size_t)t * n, na = 0;
  uint64_t sat = 0;
  for (uint32_t i = 0; i < n; i++) {
    BG_WIDE v, mf;
    uint8_t s = 0, g = 0;
    if (refractory_on && refr[i] > 0) {
      /* refractory: input ignored, no spike, and the trace is cleared (m = 0) */
      refr[i]--;
      v = 0;
      mf = 0;
    } else {
      BG_WIDE keep = hard ? BG_PICK(s_q[i], 0, v_q[i]) : v_q[i] - BG_PICK(s_q[i], theta, 0);
      v = BG_SAT_P(BG_MULR_P(decay, keep, pf) + BG_RESCALE_P(I[i], wp), pb, &sat);
      s = v > theta;
      g = BG_ABS(v - theta) < window;
      /* A·v (hard reset) or A·θ (soft) is formed for every neuron and kept where g = 1 */
      BG_WIDE av = BG_MULR_P(amp, hard ? v : theta, pf);
      mf = one - BG_PICK(hard && s, one, 0) - BG_PICK(g, av, 0);   /* 1 − s − A·g·v, 1 − A·g·θ */
      mf = BG_SAT_P(mf, pb, &sat);
      if (refractory_on && s) refr[i] = (uint8_t)refractory;
    }
    v_q[i] = (BG_VAL)v;
    s_q[i] = s;
    row[i] = s;
    act[na] = i;            /* kept only when s = 1: the list grows by s */
    na += s;
    count[i] = (uint16_t)(count[i] + s);
    if (record) {
      g_rec[i] = g;
      m_rec[i] = (BG_VAL)mf;
    }
  }
  m->sat.v += sat;
  ly->act_n[t] = na;
  if (record) m->ctr.spikes[l] += na;
}

void BG(soma_update)(BG(model_t) *m, int l, const BG_WIDE *I, uint32_t t) {
  const bool hard = m->layer[l].reset == BG_RESET_HARD;
  if (m->layer[l].refractory != 0) {
    soma_loop(m, l, I, t, hard, m->record, true);
  } else if (hard && m->record) {
    soma_loop(m, l, I, t, true, true, false);
  } else if (hard) {
    soma_loop(m, l, I, t, true, false, false);
  } else if (m->record) {
    soma_loop(m, l, I, t, false, true, false);
  } else {
    soma_loop(m, l, I, t, false, false, false);
  }
}

/* I = b + Σ W over the active inputs: one contiguous fan-out row per active input. */
static void synaptic_sum(BG(model_t) *m, BG(model_layer_t) *ly, const uint32_t *act, uint32_t na) {
  const uint32_t n = ly->n;
  const bool bias = m->net->learning.bias;
  BG_WIDE *I = ly->scratch;
#if !BG_FLOAT
  if (ly->sum32) {
    /* |I| <= (fan_in + 1)·2^(W bits − 1) < 2^31, checked by model_init */
    int32_t *I32 = ly->scratch32;
    if (bias) {
      memcpy(I32, ly->b, n * sizeof *I32);
    } else {
      memset(I32, 0, n * sizeof *I32);
    }
    bg_rows_add32(I32, ly->w, act, na, n);
    for (uint32_t i = 0; i < n; i++) I[i] = I32[i];
    return;
  }
#endif
  for (uint32_t i = 0; i < n; i++) I[i] = bias ? ly->b[i] : 0;
  BG(rows_add)(I, ly->w, act, na, n);
}

void BG(neuron_core_step)(BG(model_t) *m, int l, uint32_t t) {
  BG(model_layer_t) *ly = &m->layer[l];
  const BG(model_layer_t) *pre = &m->layer[l - 1];
  const uint32_t na = pre->act_n[t];
  synaptic_sum(m, ly, pre->act + (size_t)t * pre->n, na);
  if (m->record) m->ctr.syn_events += (uint64_t)na * ly->n;
  BG(soma_update)(m, l, ly->scratch, t);
}
