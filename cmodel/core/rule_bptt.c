/* SPDX-License-Identifier: Apache-2.0 */
/* The backprop baseline (ALGORITHM.md §5, docs/rules.md): straight-through BPTT on BioGrad's own
 * LIF network and loss. The forward pass is the golden model's (same neurons, same input draws);
 * the backward pass is the exact adjoint of the membrane potentials through time with the
 * rectangular pseudo-derivative A·[|v − θ| < ω], the weights Wᵀ (not the feedback B) and the
 * softmax cross-entropy of the running output counts. Options (rule_options): BPSTA's spatial
 * adjustment (ds/dv = 1/v on firing neurons only) and temporal adjustment (a path of weight
 * `temporal`·α from a spike to the next step's potential). Float path only. */
#include <stdlib.h>
#include <string.h>

#include "bg_core.h"

#if BG_FLOAT
#include <math.h>

/* Per-step records the adjoint needs beyond the model's own (spatial adjustment only). */
typedef struct {
  double *v[BG_NET_MAX_LAYERS];       /* T * n: the potential after the soma update */
  uint8_t *refr[BG_NET_MAX_LAYERS];   /* T * n: the neuron was refractory at that step */
  double *lam[BG_NET_MAX_LAYERS];     /* T * n: the adjoint λ = dL/dv */
} bptt_state_t;

int bgf_bptt_adjoint(const bgf_model_t *m, int label, const bgf_bptt_opts_t *o,
                     double *const *lam) {
  const int L = m->n_layers - 1;
  const uint32_t T = m->T, n_out = m->layer[L].n;
  double *dlds = calloc((size_t)T * n_out, sizeof *dlds);
  double *cnt = calloc(n_out, sizeof *cnt), *eps = calloc(n_out, sizeof *eps);
  int rc = dlds && cnt && eps ? BG_OK : BG_E_NOMEM;
  if (rc != BG_OK) goto done;
  /* loss (1/F)·Σ_{t>=t0} CE(softmax(c(t)), y): dL/ds_k(τ) = Σ_{t>=max(τ,t0)} ε_k(t)/F */
  const double F = (double)(T - m->t0);
  for (uint32_t t = 0; t < T; t++) {
    for (uint32_t k = 0; k < n_out; k++) cnt[k] += m->layer[L].raster[(size_t)t * n_out + k];
    if (t < m->t0) continue;
    double mx = cnt[0], sum = 0;
    for (uint32_t k = 1; k < n_out; k++) mx = cnt[k] > mx ? cnt[k] : mx;
    for (uint32_t k = 0; k < n_out; k++) sum += (eps[k] = exp(cnt[k] - mx));
    for (uint32_t k = 0; k < n_out; k++) {
      dlds[(size_t)t * n_out + k] = (eps[k] / sum - ((int)k == label ? 1.0 : 0.0)) / F;
    }
  }
  for (uint32_t t = T - 1; t-- > 0;) {
    for (uint32_t k = 0; k < n_out; k++) dlds[(size_t)t * n_out + k] += dlds[(size_t)(t + 1) * n_out + k];
  }
  /* λ(t) = σ'(t)·(ext(t) + τ·α·λ(t+1)) + α·m(t)·λ(t+1), with ext = dL/ds(t) from the loss
   * (output layer) or Wᵀλ of the layer above in the same step. Without adjustments σ' = A·g
   * and m is the recorded reset factor 1 − s − A·g·v (hard) / 1 − A·g·θ (soft). */
  for (uint32_t t = T; t-- > 0;) {
    for (int l = L; l >= 1; l--) {
      const bgf_model_layer_t *ly = &m->layer[l];
      const uint32_t n = ly->n;
      const bool hard = ly->reset == BG_RESET_HARD;
      for (uint32_t i = 0; i < n; i++) {
        const size_t at = (size_t)t * n + i;
        double ext;
        if (l == L) {
          ext = dlds[(size_t)t * n_out + i];
        } else {
          const bgf_model_layer_t *up = &m->layer[l + 1];
          const double *w = up->w + (size_t)i * up->n;
          const double *lu = lam[l + 1] + (size_t)t * up->n;
          ext = 0;
          for (uint32_t k = 0; k < up->n; k++) ext += w[k] * lu[k];
        }
        double next = t + 1 < T ? lam[l][(size_t)(t + 1) * n + i] : 0.0;
        double sd, mf;
        if (o->spatial) {
          const uint8_t s = ly->raster[at];
          const double v = o->v[l][at];
          sd = s ? 1.0 / v : 0.0;                  /* v > θ > 0 where s = 1 */
          if (o->refr[l][at]) {
            mf = 0.0;
          } else {
            mf = hard ? 1.0 - s - sd * v : 1.0 - sd * ly->theta;
          }
        } else {
          sd = ly->amp * ly->g_rec[at];
          mf = ly->m_rec[at];
        }
        lam[l][at] = sd * (ext + o->temporal * ly->decay * next) + ly->decay * mf * next;
      }
    }
  }
done:
  free(dlds);
  free(cnt);
  free(eps);
  return rc;
}

static void bptt_free(bgf_model_t *m) {
  bptt_state_t *st = m->rule_state;
  if (st == NULL) return;
  for (int l = 0; l < BG_NET_MAX_LAYERS; l++) {
    free(st->v[l]);
    free(st->refr[l]);
    free(st->lam[l]);
  }
  free(st);
  m->rule_state = NULL;
}

static int bptt_init(bgf_model_t *m, bg_err_t *err) {
  bptt_state_t *st = calloc(1, sizeof *st);
  m->rule_state = st;
  bool ok = st != NULL;
  for (int l = 1; ok && l < m->n_layers; l++) {
    size_t cells = (size_t)m->T * m->layer[l].n;
    st->lam[l] = calloc(cells, sizeof *st->lam[l]);
    st->v[l] = calloc(cells, sizeof *st->v[l]);
    st->refr[l] = calloc(cells, 1);
    ok = st->lam[l] && st->v[l] && st->refr[l];
  }
  if (!ok) {
    bptt_free(m);
    return bg_err_set(err, BG_E_NOMEM, "%s: out of memory for the BPTT records", m->net->file);
  }
  return BG_OK;
}

/* Forward as the golden model, keeping v(t) and the refractory flags; then the adjoint, and
 * the gradient into the batch accumulators scaled by F, so the update step's η/(F·batch)
 * applies η·(mean gradient of the batch). */
static int bptt_train_sample(bgf_model_t *m, const uint8_t *input, int label) {
  bptt_state_t *st = m->rule_state;
  const bgf_bptt_opts_t o = {.spatial = m->net->ropt.spatial,
                             .temporal = m->net->ropt.temporal,
                             .v = st->v,
                             .refr = st->refr};
  m->record = true;
  bgf_state_reset(m);
  bgf_input_encoder_frames(m, input, &m->rng[BG_STREAM_INPUT]);
  for (uint32_t t = 0; t < m->T; t++) {
    for (int l = 1; l < m->n_layers; l++) {
      bgf_model_layer_t *ly = &m->layer[l];
      uint8_t *rf = st->refr[l] + (size_t)t * ly->n;
      for (uint32_t i = 0; i < ly->n; i++) rf[i] = ly->refr[i] > 0;
      bgf_neuron_core_step(m, l, t);
      memcpy(st->v[l] + (size_t)t * ly->n, ly->v, ly->n * sizeof *ly->v);
    }
  }
  m->record = false;
  int rc = bgf_bptt_adjoint(m, label, &o, st->lam);
  if (rc != BG_OK) return rc;
  const double F = (double)(m->T - m->t0);
  for (int l = 1; l < m->n_layers; l++) {
    bgf_model_layer_t *ly = &m->layer[l];
    const bgf_model_layer_t *pre = &m->layer[l - 1];
    const uint32_t n = ly->n;
    const double *lam = st->lam[l];
    bool any = false;
    for (uint32_t t = 0; t < m->T; t++) {
      const double *lt = lam + (size_t)t * n;
      const uint32_t *act = pre->act + (size_t)t * pre->n;
      for (uint32_t a = 0; a < pre->act_n[t]; a++) {
        const uint32_t j = act[a];
        double *acc = ly->acc + (size_t)j * n;
        for (uint32_t i = 0; i < n; i++) acc[i] += F * lt[i];
        ly->row_dirty[j] = 1;
        any = true;
      }
      if (m->net->learning.bias) {
        for (uint32_t i = 0; i < n; i++) ly->accb[i] += F * lt[i];
      }
    }
    if (any) memset(ly->col_dirty, 1, n);
  }
  return BG_OK;
}

const bgf_rule_t bgf_rule_bptt = {
    .name = "bptt",
    .init = bptt_init,
    .free = bptt_free,
    .train_sample = bptt_train_sample,
    .apply_update = bgf_weight_update_apply,
};
#endif
