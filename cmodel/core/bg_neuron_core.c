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

void BG(soma_update)(BG(model_t) *m, int l, const BG_WIDE *I, uint32_t t) {
  BG(model_layer_t) *ly = &m->layer[l];
  const uint32_t n = ly->n;
  const int pf = m->pfmt.frac, pb = m->pfmt.bits, wf = ly->wfmt.frac;
  const BG_WIDE one = m->one_p, theta = ly->theta;
  uint8_t *row = ly->raster + (size_t)t * n;
  uint32_t *act = ly->act + (size_t)t * n, na = 0;
  for (uint32_t i = 0; i < n; i++) {
    BG_WIDE v, mf;
    uint8_t s = 0, g = 0;
    if (ly->refr[i] > 0) {
      /* refractory: input ignored, no spike, and the trace is cleared (m = 0) */
      ly->refr[i]--;
      v = 0;
      mf = 0;
    } else {
      BG_WIDE keep = ly->reset == BG_RESET_HARD ? (ly->s[i] ? 0 : ly->v[i])
                                                : ly->v[i] - (ly->s[i] ? theta : 0);
      v = BG_SAT(BG_MULR(ly->decay, keep, pf) + BG_RESCALE(I[i], wf, pf), pb, &m->sat.v);
      s = v > theta;
      g = BG_ABS(v - theta) < ly->window;
      if (ly->reset == BG_RESET_HARD) {
        mf = one - (s ? one : 0) - (g ? BG_MULR(ly->amp, v, pf) : 0);   /* 1 − s − A·g·v */
      } else {
        mf = one - (g ? BG_MULR(ly->amp, theta, pf) : 0);                /* 1 − A·g·θ */
      }
      mf = BG_SAT(mf, pb, &m->sat.v);
      if (s && ly->refractory) ly->refr[i] = (uint8_t)ly->refractory;
    }
    ly->v[i] = (BG_VAL)v;
    ly->s[i] = s;
    row[i] = s;
    if (s) {
      act[na++] = i;
      ly->count[i]++;
    }
    if (m->record) {
      ly->g_rec[(size_t)t * n + i] = g;
      ly->m_rec[(size_t)t * n + i] = (BG_VAL)mf;
    }
  }
  ly->act_n[t] = na;
  if (m->record) m->ctr.spikes[l] += na;
}

void BG(neuron_core_step)(BG(model_t) *m, int l, uint32_t t) {
  BG(model_layer_t) *ly = &m->layer[l];
  const BG(model_layer_t) *pre = &m->layer[l - 1];
  const uint32_t n = ly->n;
  BG_WIDE *I = ly->scratch;
  bool bias = m->net->learning.bias;
  for (uint32_t i = 0; i < n; i++) I[i] = bias ? ly->b[i] : 0;
  const uint32_t *act = pre->act + (size_t)t * pre->n;
  const uint32_t na = pre->act_n[t];
  for (uint32_t a = 0; a < na; a++) {
    const BG_VAL *w = ly->w + (size_t)act[a] * n;   /* one contiguous fan-out row */
    for (uint32_t i = 0; i < n; i++) I[i] += w[i];
  }
  if (m->record) m->ctr.syn_events += (uint64_t)na * n;
  BG(soma_update)(m, l, I, t);
}
