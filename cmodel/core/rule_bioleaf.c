/* SPDX-License-Identifier: Apache-2.0 */
/* BioLeaF (Yang & Li; ALGORITHM.md §4, our reconstruction; docs/rules.md): principal
 * cells (the shared LIF soma) and a pair of error cells per principal cell, updating the
 * feedforward weights online at every step by error-gated STDP. One step, in this order:
 *
 *   1. forward    every layer's soma, l = 1 … L (neuron_core_step; records s and the window g)
 *   2. traces     x̄_j ← λ·x̄_j + x_j(t), every neuron of layers 0 … L−1
 *   3. error      from t0 on. Output, per k:  ε_k = ŷ_k(t) − s_k(t)   (ŷ: the target train)
 *                 hidden, l = L−1 … 1:  c_i = g_i(t) · Σ_k G_l[i][k]·(ρ⁺_k − ρ⁻_k)
 *                   (k over layer l+1's cells of this step, G = W_(l+1)ᵀ; or, fixed feedback,
 *                   k over the output cells, G = B^l)
 *                 every pair, soft reset:  u⁺ ← u⁺ − ρ⁺·θe + ε,  ρ⁺ = u⁺ > θe
 *                                          u⁻ ← u⁻ − ρ⁻·θe − ε,  ρ⁻ = u⁻ > θe   (ε: c, hidden)
 *   4. update     W_l[j][i] += η·x̄_(l−1),j·(ρ⁺_i − ρ⁻_i),  b_i += η·(ρ⁺_i − ρ⁻_i)
 *                 layers ascending, then j ascending (x̄_j != 0), then i ascending (ρ⁺ != ρ⁻),
 *                 then the layer's biases, i ascending: the order of the rounding draws.
 *
 * The target train ŷ_k(t) = 1 only for the label k, at the steps where ⌊(t+1)·r16/2^16⌋ >
 * ⌊t·r16/2^16⌋, r16 = round(target_rate·2^16): an integer schedule, the same on both paths.
 * Synapse types: 1 = W (step 4), 2 = G (step 3, hidden), 3 = the gate g (step 3), 4 = ρ± into
 * the learning site (the factor ρ⁺ − ρ⁻ of step 4). Integer path: x̄ in the trace format, u
 * and c in the error format, ΔW = ROUND(x̄·η_m, η_sh + Tfrac − Wfrac) (nearest, or stochastic
 * from stream 4), every store saturated and counted. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bg_core.h"

typedef BG(bioleaf_state_t) state_t;

////////////////////////////////////////////////////////////////////////////////////////////////
// State
////////////////////////////////////////////////////////////////////////////////////////////////

static void bioleaf_free(BG(model_t) *m) {
  state_t *st = m->rule_state;
  if (st == NULL) return;
  for (int l = 0; l < BG_NET_MAX_LAYERS; l++) {
    free(st->xbar[l]);
    free(st->up[l]);
    free(st->um[l]);
    free(st->rp[l]);
    free(st->rm[l]);
  }
  free(st->cols);
  free(st->sign);
  free(st);
  m->rule_state = NULL;
}

static int bioleaf_init(BG(model_t) *m, bg_err_t *err) {
  const bg_net_t *net = m->net;
  if (net->learning.batch != 1) {
    return bg_err_set(err, BG_E_ARG, "%s: learning.batch: expected 1 (bioleaf learns online: "
                      "the weights change at every step of every sample), found %u", net->file,
                      net->learning.batch);
  }
  /* a spike at every step drives x̄ to 1/(1−λ), plus at most half an LSB of rounding per step */
  const double lam = net->ropt.pre_decay;
  const double tmax = ldexp((double)((INT64_C(1) << (m->tfmt.bits - 1)) - 1), -m->tfmt.frac);
  const double bound = (1.0 + ldexp(0.5, -m->tfmt.frac)) / (1.0 - lam);
  if (bound > tmax) {
    return bg_err_set(err, BG_E_ARG, "%s: rule_options.pre_decay: expected a λ whose trace "
                      "bound 1/(1−λ) fits fixed_point.trace (at most %g), found λ = %g (bound %g)",
                      net->file, tmax, lam, bound);
  }
  uint32_t em, esh;
  if (!bg_net_rate_q(net->learning.rate, &em, &esh)) {
    return bg_err_set(err, BG_E_ARG, "%s: learning.rate: expected a rate representable as a "
                      "15-bit mantissa and a shift, found %g", net->file, net->learning.rate);
  }
  state_t *st = calloc(1, sizeof *st);
  m->rule_state = st;
  bool ok = st != NULL;
  uint32_t widest = 0;
  for (int l = 0; ok && l < m->n_layers; l++) {
    const uint32_t n = m->layer[l].n;
    widest = n > widest ? n : widest;
    if (l < m->n_layers - 1) ok = (st->xbar[l] = calloc(n, sizeof *st->xbar[l])) != NULL;
    if (!ok || l == 0) continue;
    st->up[l] = calloc(n, sizeof *st->up[l]);
    st->um[l] = calloc(n, sizeof *st->um[l]);
    st->rp[l] = calloc(n, 1);
    st->rm[l] = calloc(n, 1);
    ok = st->up[l] && st->um[l] && st->rp[l] && st->rm[l];
  }
  if (ok) {
    st->cols = calloc(widest, sizeof *st->cols);
    st->sign = calloc(widest, sizeof *st->sign);
    ok = st->cols && st->sign;
  }
  if (!ok) {
    bioleaf_free(m);
    return bg_err_set(err, BG_E_NOMEM, "%s: out of memory for the bioleaf state", net->file);
  }
  st->lambda = BG_PARAM(llround(ldexp(lam, m->tfmt.frac)), lam);
  st->r16 = (uint32_t)lround(net->ropt.target_rate * 65536.0);
  return BG_OK;
}

/* η itself (not η/(F·batch)): the rule applies it at every step of every sample. */
static void bioleaf_set_rate(BG(model_t) *m, double rate) {
  state_t *st = m->rule_state;
  uint32_t em, esh;
  if (bg_net_rate_q(rate, &em, &esh)) {   /* init checked the description's; model_set_rate
                                            * refuses rates below η/(F·batch)'s range first */
    st->eta_m = em;
    st->eta_sh = esh;
  }
  st->eta = rate;
}

static void state_clear(BG(model_t) *m, state_t *st) {
  for (int l = 0; l < m->n_layers; l++) {
    const uint32_t n = m->layer[l].n;
    if (st->xbar[l] != NULL) memset(st->xbar[l], 0, n * sizeof *st->xbar[l]);
    if (l == 0) continue;
    memset(st->up[l], 0, n * sizeof *st->up[l]);
    memset(st->um[l], 0, n * sizeof *st->um[l]);
    memset(st->rp[l], 0, n);
    memset(st->rm[l], 0, n);
  }
}

////////////////////////////////////////////////////////////////////////////////////////////////
// One step: traces, error cells, update
////////////////////////////////////////////////////////////////////////////////////////////////

/* x̄ ← SAT(RND(λ·x̄, Tfrac) + x·ONE_T) for every neuron of layers 0 … L−1. */
static void trace_step(BG(model_t) *m, state_t *st, uint32_t t) {
  const int tf = m->tfmt.frac, tb = m->tfmt.bits;
  for (int l = 0; l < m->n_layers - 1; l++) {
    const uint32_t n = m->layer[l].n;
    const uint8_t *x = m->layer[l].raster + (size_t)t * n;
    BG_VAL *xb = st->xbar[l];
    for (uint32_t j = 0; j < n; j++) {
      BG_WIDE v = BG_MULR(st->lambda, xb[j], tf) + (x[j] ? m->one_t : 0);
      xb[j] = (BG_VAL)BG_SAT(v, tb, &m->sat.z);
    }
  }
}

/* One pair of soft-reset IF error cells driven by ±cur (error format). */
static inline void cell_pair(BG(model_t) *m, state_t *st, int l, uint32_t i, BG_WIDE cur) {
  const BG_WIDE thr = m->err_threshold;
  const int eb = m->efmt.bits;
  BG_WIDE up = BG_SAT(st->up[l][i] - (st->rp[l][i] ? thr : 0) + cur, eb, &m->sat.u);
  BG_WIDE um = BG_SAT(st->um[l][i] - (st->rm[l][i] ? thr : 0) - cur, eb, &m->sat.u);
  st->up[l][i] = (BG_VAL)up;
  st->um[l][i] = (BG_VAL)um;
  st->rp[l][i] = up > thr;
  st->rm[l][i] = um > thr;
}

/* The cells of layer l with ρ⁺ != ρ⁻ this step, ascending, into st->cols / st->sign. */
static uint32_t signed_cells(const BG(model_t) *m, state_t *st, int l) {
  uint32_t ns = 0;
  for (uint32_t i = 0; i < m->layer[l].n; i++) {
    const int sg = (int)st->rp[l][i] - (int)st->rm[l][i];
    st->cols[ns] = i;             /* kept only when sg != 0: the list grows by that */
    st->sign[ns] = (int8_t)sg;
    ns += sg != 0;
  }
  return ns;
}

/* Output cells from the target train, then the hidden cells top-down (synapses 2 and 3). */
static void error_step(BG(model_t) *m, state_t *st, uint32_t t, int label) {
  const int L = m->n_layers - 1;
  const BG(model_layer_t) *out = &m->layer[L];
  const uint64_t r16 = st->r16;
  const bool target_step = ((t + 1) * r16 >> 16) > (t * r16 >> 16);
  const uint8_t *s = out->raster + (size_t)t * out->n;
  for (uint32_t k = 0; k < out->n; k++) {
    const bool y = target_step && (int)k == label;
    cell_pair(m, st, L, k, (y ? m->one_e : 0) - (s[k] ? m->one_e : 0));
  }
  const bool tied = m->net->ropt.error_feedback == BG_ERRFB_TIED;
  for (int l = L - 1; l >= 1; l--) {
    const BG(model_layer_t) *ly = &m->layer[l];
    const uint32_t n = ly->n;
    /* tied: G_l[i][k] = W_(l+1)[i][k], from layer l+1's cells; fixed: B^l[i][k], from the
     * output cells (direct feedback for every hidden layer) */
    const int src = tied ? l + 1 : L;
    const uint32_t stride = tied ? m->layer[l + 1].n : out->n;
    const BG_VAL *g = tied ? m->layer[l + 1].w : ly->fb;
    const int gf = tied ? m->layer[l + 1].wfmt.frac : ly->bfmt.frac;
    const uint32_t ns = signed_cells(m, st, src);
    const uint8_t *gate = ly->g_rec + (size_t)t * n;
    for (uint32_t i = 0; i < n; i++) {
      BG_WIDE acc = 0;
      if (gate[i]) {
        const BG_VAL *row = g + (size_t)i * stride;
        for (uint32_t a = 0; a < ns; a++) {
          if (st->sign[a] > 0) {
            acc += row[st->cols[a]];
          } else {
            acc -= row[st->cols[a]];
          }
        }
      }
      cell_pair(m, st, l, i, BG_RESCALE(acc, gf, m->efmt.frac));
    }
  }
}

/* η·x rounded into the weight format of layer l (x in the trace format). */
static inline BG_WIDE step_size(BG(model_t) *m, const state_t *st, const BG(model_layer_t) *ly,
                                BG_WIDE x) {
#if BG_FLOAT
  (void)m;
  (void)ly;
  return st->eta * x;
#else
  const int sh = (int)st->eta_sh + m->tfmt.frac - ly->wfmt.frac;
  return bg_scale_round(x, st->eta_m, sh, m->net->learning.rounding == BG_ROUND_STOCHASTIC,
                        &m->rng[BG_STREAM_ROUND], &m->ctr.rounding_draws, &m->sat.acc);
#endif
}

/* Synapse type 1: W_l[j][i] += η·x̄_j·(ρ⁺_i − ρ⁻_i), then b_i += η·(ρ⁺_i − ρ⁻_i). */
static void update_step(BG(model_t) *m, state_t *st) {
  const bool stochastic = m->net->learning.rounding == BG_ROUND_STOCHASTIC;
  bool any = false;
  for (int l = 1; l < m->n_layers; l++) {
    BG(model_layer_t) *ly = &m->layer[l];
    const uint32_t ns = signed_cells(m, st, l);
    if (ns == 0) continue;
    any = true;
    const uint32_t n = ly->n;
    const int wb = ly->wfmt.bits;
    const BG_VAL *xb = st->xbar[l - 1];
    for (uint32_t j = 0; j < ly->fan_in; j++) {
      if (xb[j] == 0) continue;
      BG_VAL *w = ly->w + (size_t)j * n;
      /* nearest rounding: one step for the whole row (no draws); stochastic: one per synapse */
      BG_WIDE d = stochastic ? 0 : step_size(m, st, ly, xb[j]);
      for (uint32_t a = 0; a < ns; a++) {
        const uint32_t i = st->cols[a];
        if (stochastic) d = step_size(m, st, ly, xb[j]);
        w[i] = (BG_VAL)BG_SAT(w[i] + (st->sign[a] > 0 ? d : -d), wb, &m->sat.w);
      }
      m->ctr.weight_writes += ns;
    }
    if (!m->net->learning.bias) continue;
    BG_WIDE d = stochastic ? 0 : step_size(m, st, ly, m->one_t);
    for (uint32_t a = 0; a < ns; a++) {
      const uint32_t i = st->cols[a];
      if (stochastic) d = step_size(m, st, ly, m->one_t);
      ly->b[i] = (BG_VAL)BG_SAT(ly->b[i] + (st->sign[a] > 0 ? d : -d), wb, &m->sat.b);
    }
  }
  if (any) m->ctr.updates++;
}

void BG(bioleaf_step)(BG(model_t) *m, uint32_t t, int label) {
  state_t *st = m->rule_state;
  trace_step(m, st, t);
  if (t < m->t0) return;          /* no error cell runs yet, so no cell spikes: no update */
  error_step(m, st, t, label);
  update_step(m, st);
}

////////////////////////////////////////////////////////////////////////////////////////////////
// One training sample
////////////////////////////////////////////////////////////////////////////////////////////////

static int bioleaf_train_sample(BG(model_t) *m, const uint8_t *input, int label) {
  m->record = true;
  BG(state_reset)(m);
  BG(input_encoder_frames)(m, input, &m->rng[BG_STREAM_INPUT]);
  state_clear(m, m->rule_state);
  for (uint32_t t = 0; t < m->T; t++) {
    for (int l = 1; l < m->n_layers; l++) BG(neuron_core_step)(m, l, t);
    BG(bioleaf_step)(m, t, label);
  }
  m->record = false;
  return BG_OK;
}

const BG(rule_t) BG(rule_bioleaf) = {
    .name = "bioleaf",
    .init = bioleaf_init,
    .free = bioleaf_free,
    .train_sample = bioleaf_train_sample,
    .set_rate = bioleaf_set_rate,
};
