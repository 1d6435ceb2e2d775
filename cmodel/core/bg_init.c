/* SPDX-License-Identifier: Apache-2.0 */
/* Initialisation (host/loader): W and b ~ U(−scale/√fan_in, +scale/√fan_in) from stream 0 in
 * weight-memory order, then the feedback weights: aligned with the downstream weight product
 * (ALGORITHM.md §2.7), random, or zero (docs/cmodel.md, "Initialisation"). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bg_core.h"

/* One uniform draw in (−bound, +bound): u = r >> 8, value = (2u + 1 − 2^24)·bound / 2^24. */
static BG_VAL uniform(bg_rng_t *r, int64_t bound_q, double bound_real) {
  int64_t u = (int64_t)(bg_rng_next(r) >> 8);
  int64_t c = 2 * u + 1 - (INT64_C(1) << 24);
#if BG_FLOAT
  (void)bound_q;
  return ldexp((double)c, -24) * bound_real;
#else
  (void)bound_real;
  return (BG_VAL)bg_rnd(c * bound_q, 24);
#endif
}

void BG(init_weights)(BG(model_t) *m) {
  const bg_net_t *net = m->net;
  bg_rng_t *r = &m->rng[BG_STREAM_INIT];
  for (int l = 1; l < m->n_layers; l++) {
    BG(model_layer_t) *ly = &m->layer[l];
    const bg_layer_q_t *q = &net->layers[l].q;
    double wb = net->init.weight_scale / sqrt((double)ly->fan_in);
    double bb = net->init.bias_scale / sqrt((double)ly->fan_in);
    size_t syn = (size_t)ly->fan_in * ly->n;
    for (size_t s = 0; s < syn; s++) ly->w[s] = uniform(r, q->init_bound, wb);
    if (net->learning.bias) {
      for (uint32_t i = 0; i < ly->n; i++) ly->b[i] = uniform(r, q->bias_bound, bb);
    }
  }
  const int L = m->n_layers - 1;
  if (L < 2) return;
  switch (net->init.feedback) {
  case BG_FB_ALIGNED:
    BG(init_feedback_aligned)(m);
    break;
  case BG_FB_RANDOM: {
    uint32_t n_out = m->layer[L].n;
    for (int l = 1; l < L; l++) {
      BG(model_layer_t) *ly = &m->layer[l];
      double bound = 1.0 / sqrt((double)n_out);
      int64_t bq = (int64_t)llround(ldexp(bound, ly->bfmt.frac));
      for (size_t s = 0; s < (size_t)ly->n * n_out; s++) ly->fb[s] = uniform(r, bq, bound);
    }
    break;
  }
  case BG_FB_ZERO:
    break;
  }
}

/* B^l = (W^L W^(L−1) ⋯ W^(l+1))ᵀ. G starts as W^L (N_L × N_(L−1)) and is multiplied by each
 * lower weight matrix, rounding back to W^L's fraction bits after every product. */
void BG(init_feedback_aligned)(BG(model_t) *m) {
  const int L = m->n_layers - 1;
  const uint32_t n_out = m->layer[L].n;
  uint32_t widest = 0;
  for (int l = 1; l < L; l++) widest = m->layer[l].n > widest ? m->layer[l].n : widest;
  BG_WIDE *g = calloc((size_t)n_out * widest, sizeof *g);
  BG_WIDE *g2 = calloc((size_t)n_out * widest, sizeof *g2);
  if (g == NULL || g2 == NULL) abort();  /* a few KiB at start-up */
  uint32_t cols = m->layer[L - 1].n;   /* G is n_out × cols */
  const BG(model_layer_t) *top = &m->layer[L];
  for (uint32_t k = 0; k < n_out; k++) {
    for (uint32_t i = 0; i < cols; i++) g[(size_t)k * cols + i] = top->w[(size_t)i * n_out + k];
  }
  for (int l = L - 1; l >= 1; l--) {
    BG(model_layer_t) *ly = &m->layer[l];
    for (uint32_t i = 0; i < ly->n; i++) {
      for (uint32_t k = 0; k < n_out; k++) {
        BG_WIDE x = BG_RESCALE(g[(size_t)k * cols + i], top->wfmt.frac, ly->bfmt.frac);
        ly->fb[(size_t)i * n_out + k] = (BG_VAL)BG_SAT(x, ly->bfmt.bits, &m->sat.fb);
      }
    }
    if (l == 1) break;
    /* G ← G · W^l: (n_out × N_l)·(N_l × N_(l−1)) */
    const uint32_t nprev = m->layer[l - 1].n;
    for (uint32_t k = 0; k < n_out; k++) {
      for (uint32_t j = 0; j < nprev; j++) {
        BG_WIDE s = 0;
        const BG_VAL *w = ly->w + (size_t)j * ly->n;
        for (uint32_t i = 0; i < ly->n; i++) s += BG_MULR(g[(size_t)k * cols + i], w[i], 0);
        g2[(size_t)k * nprev + j] = BG_RND(s, ly->wfmt.frac);
      }
    }
    memcpy(g, g2, (size_t)n_out * nprev * sizeof *g);
    cols = nprev;
  }
  free(g);
  free(g2);
}
