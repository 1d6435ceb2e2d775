/* SPDX-License-Identifier: Apache-2.0 */
/* SSNN-BP (Biswas, Saraswat, Ganguly; reconstruction of ALGORITHM.md §3.2, docs/rules.md):
 * stochastic composite neurons that carry the activation forward and the gradient backward as
 * spikes, a winner-take-all output sampled from the softmax, and spike-coincidence updates of
 * one fixed step ±ε. At every step t >= t0, in this order:
 *   forward   a_i = b_i + Σ_j W_ij x_j(t);  s_i ~ Bernoulli(clip(a_i, 0, 1));  f'_i = [0 < a_i < 1]
 *             (hidden layers, bottom up; layer 0's x is the Bernoulli-encoded input)
 *   output    z_k = b_k + Σ_i V_ki s_i;  one winner o(t) ~ softmax(z)  (lateral inhibition)
 *   error     e_k = o_k − y_k  (e⁺ − e⁻: two signed spike streams)
 *   backward  γ_i = f'_i Σ_k W^(l+1)_ik δ_k with δ = e (top) or the gradient spikes g of the
 *             layer above;  g_i = sign(γ_i)·Bernoulli(clip(κ|γ_i|, 0, 1))  (top down)
 *   update    W^l_ij −= ε·x_j(t)·g_i (δ for the output layer), b_i −= ε·g_i: only where a
 *             presynaptic spike and a gradient spike coincide (layers ascending, j, then i)
 * Steps before t0 run the forward pass and the winner only. Every draw is a 16-bit compare or
 * a multiply-shift of one xorshift32 word of stream 3 (the sleep-noise stream: SSNN-BP has no
 * sleep phase), in a fixed order: per layer, the neurons ascending; then the winner; then the
 * gradient spikes of each layer, top down, only for neurons with f' = 1 while the layer above
 * has a non-zero δ. The integer path rounds ε to the weight's LSB (stochastic rounding draws from
 * stream 4). The float path draws the same words, so both paths make the same spikes for as long
 * as their values fall on the same side of each threshold. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bg_core.h"

#define BG_STREAM_NEURON BG_STREAM_SLEEP_NOISE
#define WTA_STEPS_PER_UNIT 8      /* the winner LUT: e^(-n/8), n = the gap in eighths */
#define WTA_LUT_MAX 128
#define KAPPA_FRAC 12             /* κ as an integer with 12 fraction bits */

typedef struct {
  BG_WIDE *a[BG_NET_MAX_LAYERS];        /* n: this step's input sum (weight format) */
  uint8_t *fp[BG_NET_MAX_LAYERS];       /* n: f' = [0 < a < 1] */
  int8_t *g[BG_NET_MAX_LAYERS];         /* n: signed gradient spike (δ for the output layer) */
  uint32_t *g_idx[BG_NET_MAX_LAYERS];   /* n: the neurons with g != 0, ascending */
  uint32_t *cum[BG_NET_MAX_LAYERS];     /* n (layers 0 … L−1): spikes so far this sample (rate drive) */
  uint32_t g_n[BG_NET_MAX_LAYERS];
  BG_WIDE *wta_e;                       /* n_out: the winner's softmax numerators */
  BG_WIDE *rate_sum;                    /* widest layer: the rate drive's sums */
  uint32_t wta_lut[WTA_LUT_MAX];        /* round(2^16·e^(-n/8)) up to its first 0 */
  uint32_t wta_len;
  int64_t kappa_q;
  uint64_t eps16[BG_NET_MAX_LAYERS];    /* ε·2^(W frac + 16), per layer (integer path) */
  double eps;                           /* ε (float path) */
} ssnn_state_t;

/* 16-bit firing probability of clip(x, 0, 1) for x with `frac` fraction bits: 0 … 65536. */
static inline uint32_t prob16(BG_WIDE x, int frac) {
#if BG_FLOAT
  (void)frac;
  double p = x * 65536.0;
  return p <= 0 ? 0u : (p >= 65536.0 ? 65536u : (uint32_t)ceil(p));
#else
  int64_t p = bg_rescale(x, frac, 16);
  return p <= 0 ? 0u : (p >= 65536 ? 65536u : (uint32_t)p);
#endif
}

/* The running-rate drive (rule_options.drive = "rate"): a_i += Σ_j W_ij·r_j with r_j = c_j/(t+1),
 * c_j the spikes of presynaptic neuron j at steps 0 … t. Integer path: r_j = floor(c_j·2^16/(t+1))
 * (16 fraction bits), the sum rounded back to the weight format (RND by 16). */
static void rate_drive(BG(model_t) *m, ssnn_state_t *st, int l, uint32_t t, BG_WIDE *a) {
  const BG(model_layer_t) *ly = &m->layer[l], *pre = &m->layer[l - 1];
  const uint32_t n = ly->n, np = pre->n;
  uint32_t *cum = st->cum[l - 1];
  const uint32_t *act = pre->act + (size_t)t * np;
  for (uint32_t k = 0; k < pre->act_n[t]; k++) cum[act[k]]++;
  BG_WIDE *sum = st->rate_sum;
  for (uint32_t i = 0; i < n; i++) sum[i] = 0;
  for (uint32_t j = 0; j < np; j++) {
    if (cum[j] == 0) continue;
#if BG_FLOAT
    const double r = (double)cum[j] / (double)(t + 1);
#else
    const int64_t r = (int64_t)(((uint64_t)cum[j] << 16) / (t + 1));
#endif
    const BG_VAL *w = ly->w + (size_t)j * n;
    for (uint32_t i = 0; i < n; i++) sum[i] += w[i] * r;
  }
  for (uint32_t i = 0; i < n; i++) a[i] += BG_RND(sum[i], 16);
}

/* The forward pass of one step: hidden layers sample, the output layer picks one winner. */
static void forward_step(BG(model_t) *m, ssnn_state_t *st, uint32_t t, bg_rng_t *rng) {
  const int L = m->n_layers - 1;
  const bool bias = m->net->learning.bias;
  for (int l = 1; l <= L; l++) {
    BG(model_layer_t) *ly = &m->layer[l];
    const BG(model_layer_t) *pre = &m->layer[l - 1];
    const uint32_t n = ly->n, na = pre->act_n[t];
    BG_WIDE *a = st->a[l];
    for (uint32_t i = 0; i < n; i++) a[i] = bias ? ly->b[i] : 0;
    if (m->net->ropt.drive == BG_DRIVE_RATE) {
      rate_drive(m, st, l, t, a);
    } else {
      BG(rows_add)(a, ly->w, pre->act + (size_t)t * pre->n, na, n);
    }
    if (m->record) m->ctr.syn_events += (uint64_t)na * n;
    uint8_t *row = ly->raster + (size_t)t * n;
    uint32_t *act = ly->act + (size_t)t * n, cnt = 0;
    memset(row, 0, n);
    if (l < L) {
      const BG_WIDE one = BG_ONE(ly->wfmt.frac);
      for (uint32_t i = 0; i < n; i++) {
        st->fp[l][i] = a[i] > 0 && a[i] < one;
        uint8_t s = bg_rng_r16(rng) < prob16(a[i], ly->wfmt.frac);
        row[i] = s;
        act[cnt] = i;
        cnt += s;
        ly->count[i] = (uint16_t)(ly->count[i] + s);
      }
    } else {
      /* softmax winner: E_k = e^(z_k − max z), then the first k whose running sum passes
       * u ∈ [0, ΣE) from one word */
      BG_WIDE zmax = a[0];
      for (uint32_t k = 1; k < n; k++) zmax = a[k] > zmax ? a[k] : zmax;
      BG_WIDE *e = st->wta_e, sum = 0;
      for (uint32_t k = 0; k < n; k++) {
#if BG_FLOAT
        e[k] = exp(a[k] - zmax);
#else
        int sh = ly->wfmt.frac - 3;       /* the gap in eighths */
        int64_t gap = zmax - a[k];
        int64_t idx = sh >= 0 ? gap >> sh : gap << -sh;
        e[k] = st->wta_lut[idx < (int64_t)st->wta_len ? idx : st->wta_len - 1];
#endif
        sum += e[k];
      }
      uint32_t word = bg_rng_next(rng);
#if BG_FLOAT
      double u = ldexp((double)word, -32) * sum;
#else
      int64_t u = (int64_t)(((uint64_t)word * (uint64_t)sum) >> 32);
#endif
      uint32_t win = n - 1;
      BG_WIDE run = 0;
      for (uint32_t k = 0; k < n; k++) {
        run += e[k];
        if (run > u) {
          win = k;
          break;
        }
      }
      row[win] = 1;
      act[0] = win;
      cnt = 1;
      ly->count[win]++;
    }
    ly->act_n[t] = cnt;
    if (m->record) m->ctr.spikes[l] += cnt;
  }
}

/* Gradient spikes, top down: δ of the output layer from the winner and the label, then each
 * hidden layer's g from the δ above it through Wᵀ. */
static void backward_step(BG(model_t) *m, ssnn_state_t *st, uint32_t t, int label) {
  const int L = m->n_layers - 1;
  bg_rng_t *rng = &m->rng[BG_STREAM_NEURON];
  {
    const BG(model_layer_t) *out = &m->layer[L];
    const uint8_t *o = out->raster + (size_t)t * out->n;
    uint32_t c = 0;
    for (uint32_t k = 0; k < out->n; k++) {
      int8_t e = (int8_t)((int)o[k] - ((int)k == label));
      st->g[L][k] = e;
      st->g_idx[L][c] = k;
      c += e != 0;
    }
    st->g_n[L] = c;
  }
  for (int l = L - 1; l >= 1; l--) {
    const BG(model_layer_t) *ly = &m->layer[l], *up = &m->layer[l + 1];
    const uint32_t n = ly->n, nu = up->n, nd = st->g_n[l + 1];
    const uint32_t *di = st->g_idx[l + 1];
    const int8_t *dv = st->g[l + 1];
    uint32_t c = 0;
    for (uint32_t i = 0; i < n; i++) {
      int8_t g = 0;
      if (nd > 0 && st->fp[l][i]) {
        const BG_VAL *w = up->w + (size_t)i * nu;
        BG_WIDE gam = 0;
        for (uint32_t a = 0; a < nd; a++) gam += dv[di[a]] > 0 ? w[di[a]] : -w[di[a]];
#if BG_FLOAT
        const double mag = fabs(gam) * m->net->ropt.kappa;
#else
        const int64_t mag = bg_rnd((gam < 0 ? -gam : gam) * st->kappa_q, KAPPA_FRAC);
#endif
        const uint32_t p = prob16(mag, up->wfmt.frac);
        if (bg_rng_r16(rng) < p) g = gam > 0 ? 1 : -1;
      }
      st->g[l][i] = g;
      st->g_idx[l][c] = i;
      c += g != 0;
    }
    st->g_n[l] = c;
  }
}

/* One coincidence step ∓ε on w (sign > 0: decrease). */
static inline BG_VAL step_weight(BG(model_t) *m, const ssnn_state_t *st, int l, BG_VAL w,
                                 int sign, uint64_t *sat) {
#if BG_FLOAT
  (void)m;
  (void)l;
  (void)sat;
  return w - sign * st->eps;
#else
  const uint64_t e16 = st->eps16[l];
  int64_t d;
  if (m->net->learning.rounding == BG_ROUND_STOCHASTIC) {
    d = (int64_t)(e16 >> 16);
    if ((e16 & 0xffffu) != 0) {
      d += bg_rng_r16(&m->rng[BG_STREAM_ROUND]) < (e16 & 0xffffu);
      m->ctr.rounding_draws++;
    }
  } else {
    d = (int64_t)((e16 + 0x8000u) >> 16);
  }
  return (BG_VAL)bg_sat((int64_t)w - sign * d, m->layer[l].wfmt.bits, sat);
#endif
}

static void update_step(BG(model_t) *m, ssnn_state_t *st, uint32_t t) {
  for (int l = 1; l < m->n_layers; l++) {
    BG(model_layer_t) *ly = &m->layer[l];
    const BG(model_layer_t) *pre = &m->layer[l - 1];
    const uint32_t ng = st->g_n[l], n = ly->n;
    if (ng == 0) continue;
    const uint32_t *gi = st->g_idx[l];
    const int8_t *g = st->g[l];
    const uint32_t *act = pre->act + (size_t)t * pre->n, na = pre->act_n[t];
    for (uint32_t a = 0; a < na; a++) {
      BG_VAL *w = ly->w + (size_t)act[a] * n;
      for (uint32_t c = 0; c < ng; c++) w[gi[c]] = step_weight(m, st, l, w[gi[c]], g[gi[c]], &m->sat.w);
    }
    m->ctr.weight_writes += (uint64_t)na * ng;
    if (m->net->learning.bias) {
      for (uint32_t c = 0; c < ng; c++) ly->b[gi[c]] = step_weight(m, st, l, ly->b[gi[c]], g[gi[c]], &m->sat.b);
    }
  }
}

static int ssnn_train_sample(BG(model_t) *m, const uint8_t *input, int label) {
  ssnn_state_t *st = m->rule_state;
  m->record = true;
  BG(state_reset)(m);
  for (int l = 0; l < m->n_layers - 1; l++) memset(st->cum[l], 0, m->layer[l].n * sizeof *st->cum[l]);
  BG(input_encoder_frames)(m, input, &m->rng[BG_STREAM_INPUT]);
  for (uint32_t t = 0; t < m->T; t++) {
    forward_step(m, st, t, &m->rng[BG_STREAM_NEURON]);
    if (t < m->t0) continue;
    backward_step(m, st, t, label);
    update_step(m, st, t);
  }
  m->record = false;
  return BG_OK;
}

static int ssnn_infer(BG(model_t) *m, const uint8_t *input, bg_rng_t *rng) {
  ssnn_state_t *st = m->rule_state;
  BG(state_reset)(m);
  for (int l = 0; l < m->n_layers - 1; l++) memset(st->cum[l], 0, m->layer[l].n * sizeof *st->cum[l]);
  BG(input_encoder_frames)(m, input, rng);
  for (uint32_t t = 0; t < m->T; t++) forward_step(m, st, t, rng);
  return BG(model_prediction)(m);
}

static void ssnn_set_rate(BG(model_t) *m, double rate) {
  ssnn_state_t *st = m->rule_state;
  st->eps = rate;
  for (int l = 1; l < m->n_layers; l++) {
    double q = ldexp(rate, m->layer[l].wfmt.frac + 16);
    st->eps16[l] = (uint64_t)llround(q);   /* < 2^47: ssnn_init bounds ε·2^frac by 2^31 */
  }
}

static void ssnn_free(BG(model_t) *m) {
  ssnn_state_t *st = m->rule_state;
  if (st == NULL) return;
  for (int l = 0; l < BG_NET_MAX_LAYERS; l++) {
    free(st->a[l]);
    free(st->fp[l]);
    free(st->g[l]);
    free(st->g_idx[l]);
    free(st->cum[l]);
  }
  free(st->rate_sum);
  free(st->wta_e);
  free(st);
  m->rule_state = NULL;
}

static int ssnn_init(BG(model_t) *m, bg_err_t *err) {
  const bg_net_t *net = m->net;
  if (net->learning.batch != 1) {
    return bg_err_set(err, BG_E_RANGE, "%s: learning.batch: expected 1 for rule \"ssnn-bp\" "
                      "(it updates at every step), found %u", net->file, net->learning.batch);
  }
  for (int l = 1; l < m->n_layers; l++) {
    double lsb = ldexp(net->learning.rate, m->layer[l].wfmt.frac);
    if (!BG_FLOAT && net->learning.rounding == BG_ROUND_NEAREST && lsb < 0.5) {
      return bg_err_set(err, BG_E_RANGE, "%s: learning.rate: with nearest rounding the ssnn-bp "
                        "step ε·2^frac must be at least half an LSB of layer %d's weights; "
                        "found %g LSB (use stochastic rounding or a larger rate)", net->file,
                        l, lsb);
    }
    if (lsb >= 2147483648.0) {
      return bg_err_set(err, BG_E_RANGE, "%s: learning.rate: the ssnn-bp step ε·2^frac of "
                        "layer %d is %g LSB; expected less than 2^31", net->file, l, lsb);
    }
  }
  ssnn_state_t *st = calloc(1, sizeof *st);
  m->rule_state = st;
  bool ok = st != NULL;
  for (int l = 1; ok && l < m->n_layers; l++) {
    uint32_t n = m->layer[l].n;
    st->a[l] = calloc(n, sizeof *st->a[l]);
    st->fp[l] = calloc(n, 1);
    st->g[l] = calloc(n, 1);
    st->g_idx[l] = calloc(n, sizeof *st->g_idx[l]);
    ok = st->a[l] && st->fp[l] && st->g[l] && st->g_idx[l];
  }
  uint32_t widest = 0;
  for (int l = 0; ok && l < m->n_layers; l++) {
    widest = m->layer[l].n > widest ? m->layer[l].n : widest;
    if (l < m->n_layers - 1) ok = (st->cum[l] = calloc(m->layer[l].n, sizeof *st->cum[l])) != NULL;
  }
  if (ok) {
    st->wta_e = calloc(m->layer[m->n_layers - 1].n, sizeof *st->wta_e);
    st->rate_sum = calloc(widest, sizeof *st->rate_sum);
    ok = st->wta_e != NULL && st->rate_sum != NULL;
  }
  if (!ok) {
    ssnn_free(m);
    return bg_err_set(err, BG_E_NOMEM, "%s: out of memory for the ssnn-bp state", net->file);
  }
  for (st->wta_len = 0; st->wta_len < WTA_LUT_MAX; st->wta_len++) {
    uint32_t v = (uint32_t)llround(ldexp(exp(-(double)st->wta_len / WTA_STEPS_PER_UNIT), 16));
    if (v == 0) break;
    st->wta_lut[st->wta_len] = v;
  }
  st->kappa_q = llround(ldexp(net->ropt.kappa, KAPPA_FRAC));
  return BG_OK;
}

const BG(rule_t) BG(rule_ssnn_bp) = {
    .name = "ssnn-bp",
    .init = ssnn_init,
    .free = ssnn_free,
    .train_sample = ssnn_train_sample,
    .infer = ssnn_infer,
    .set_rate = ssnn_set_rate,
};
