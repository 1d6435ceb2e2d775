/* SPDX-License-Identifier: Apache-2.0 */
/* HLS kernel: one training sample, bit-exact with the golden model's BG(model_train)
 * (rule_biograd.c, then model_after_sample: weight update and sleep) for the RTL core's envelope.
 * Each function is one golden-model operation; docs/cmodel.md gives the equations. */
#include "bg_hls_train.h"

#include "bg_hls_fixed.h"
#include "bg_hls_wide.h"

#if BG_HLS_BATCH != 1 || BG_HLS_LEARN_MODE != 1 || BG_HLS_INPUT_ENCODING != 0
#error "the training kernel implements batch 1, replay mode and rate input (docs/hls.md)"
#endif
#if BG_HLS_RULE != 0
#error "the training kernel implements the biograd rule only (docs/rules.md)"
#endif

#define NL BG_HLS_N_LAYERS
#define LL (BG_HLS_N_LAYERS - 1)
#define T BG_HLS_STEPS
#define MAXN BG_HLS_MAX_LAYER_SIZE
#define NOUT BG_HLS_OUTPUT_SIZE
#define PB BG_HLS_POT_BITS
#define PF BG_HLS_POT_FRAC
#define ONE_P ((int64_t)1 << PF)
#define MAXH (BG_HLS_MAX_HIDDEN_SIZE > 0 ? BG_HLS_MAX_HIDDEN_SIZE : 1)

static const int32_t kSize[BG_HLS_MAX_LAYERS] = BG_HLS_SIZE_TAB;
static const int32_t kWBase[BG_HLS_MAX_LAYERS] = BG_HLS_W_BASE_TAB;
static const int32_t kNBase[BG_HLS_MAX_LAYERS] = BG_HLS_N_BASE_TAB;
static const int32_t kRBase[BG_HLS_MAX_LAYERS] = BG_HLS_R_BASE_TAB;
static const int32_t kRecBase[BG_HLS_MAX_LAYERS] = BG_HLS_REC_BASE_TAB;
static const int32_t kFbBase[BG_HLS_MAX_LAYERS] = BG_HLS_FB_BASE_TAB;
static const int32_t kWFrac[BG_HLS_MAX_LAYERS] = BG_HLS_W_FRAC_TAB;
static const int32_t kWBits[BG_HLS_MAX_LAYERS] = BG_HLS_W_BITS_TAB;
static const int32_t kFbFrac[BG_HLS_MAX_LAYERS] = BG_HLS_FB_FRAC_TAB;
static const int32_t kFbBits[BG_HLS_MAX_LAYERS] = BG_HLS_FB_BITS_TAB;
static const int32_t kTheta[BG_HLS_MAX_LAYERS] = BG_HLS_THETA_TAB;
static const int32_t kWindow[BG_HLS_MAX_LAYERS] = BG_HLS_WINDOW_TAB;
static const int32_t kAmp[BG_HLS_MAX_LAYERS] = BG_HLS_AMPLITUDE_TAB;
static const int32_t kDecay[BG_HLS_MAX_LAYERS] = BG_HLS_DECAY_TAB;
static const int32_t kTraceDecay[BG_HLS_MAX_LAYERS] = BG_HLS_TRACE_DECAY_TAB;
static const int32_t kReset[BG_HLS_MAX_LAYERS] = BG_HLS_RESET_TAB;
static const int32_t kRefractory[BG_HLS_MAX_LAYERS] = BG_HLS_REFRACTORY_TAB;
static const int64_t kLut[] = BG_HLS_SOFTMAX_LUT_TAB;

/* On-chip state of one sample (the RTL core's memories). */
typedef struct {
  int32_t v[BG_HLS_N_WORDS];
  uint8_t s[BG_HLS_N_WORDS], refr[BG_HLS_N_WORDS];
  int64_t d[BG_HLS_N_WORDS];
  uint64_t raster[BG_HLS_R_WORDS];
  uint8_t g_rec[BG_HLS_REC_WORDS];
  int32_t m_rec[BG_HLS_REC_WORDS], kern[BG_HLS_REC_WORDS];
  int32_t act[2][2 * MAXN];           /* spike lists: row index; sleep adds signed entries */
  int8_t sign[2][2 * MAXN];
  int32_t na[2];
  uint16_t count[NOUT];
  int32_t up[NOUT], um[NOUT];
  uint8_t sp[NOUT], sm[NOUT];
} state_t;

static uint32_t r16(uint32_t *rng) {
  *rng = bg_hls_xorshift(*rng);
  return *rng >> 16;
}

/* Soma of neuron i of layer l (soma_update): returns the spike; g and m for the records. */
static uint8_t soma(state_t *st, int32_t l, int32_t q, int64_t in_sum, uint8_t *g_out,
                    int32_t *m_out) {
  const int64_t theta = kTheta[l];
  int64_t v, mf;
  uint8_t s = 0, g = 0;
  if (st->refr[q] > 0) {
    st->refr[q] = (uint8_t)(st->refr[q] - 1);
    v = 0;
    mf = 0;
  } else {
    int64_t keep = kReset[l] == 0 ? (st->s[q] ? 0 : (int64_t)st->v[q])
                                  : (int64_t)st->v[q] - (st->s[q] ? theta : 0);
    v = bg_hls_sat(bg_hls_rnd((int64_t)kDecay[l] * keep, PF) + bg_hls_rnd(in_sum, kWFrac[l] - PF),
                   PB);
    s = v > theta;
    g = (v - theta < 0 ? theta - v : v - theta) < kWindow[l];
    if (kReset[l] == 0) {
      mf = ONE_P - (s ? ONE_P : 0) - (g ? bg_hls_rnd((int64_t)kAmp[l] * v, PF) : 0);
    } else {
      mf = ONE_P - (g ? bg_hls_rnd((int64_t)kAmp[l] * theta, PF) : 0);
    }
    mf = bg_hls_sat(mf, PB);
    if (s && kRefractory[l] > 0) st->refr[q] = (uint8_t)kRefractory[l];
  }
  st->v[q] = (int32_t)v;
  st->s[q] = s;
  *g_out = g;
  *m_out = (int32_t)mf;
  return s;
}

/* Layer l at step t from the list in act[cur] (neuron_core_step); its spikes into act[!cur].
 * bias: add the biases (not for the sleep layer driven by noise). record: keep g, m, raster. */
static void layer_step(state_t *st, const int32_t weights[BG_HLS_W_WORDS],
                       const int32_t biases[BG_HLS_N_WORDS], int32_t l, int32_t t, int32_t cur,
                       int bias, int record, uint16_t out_count[NOUT]) {
  const int32_t n = kSize[l], nb = kNBase[l], wb = kWBase[l];
  int32_t na_out = 0;
neurons:
  for (int32_t i = 0; i < MAXN; i++) {
#pragma HLS LOOP_TRIPCOUNT min=1 max=BG_HLS_MAX_LAYER_SIZE
    if (i >= n) break;
    int64_t sum = (bias && BG_HLS_LEARN_BIAS) ? biases[nb + i] : 0;
  synapses:
    for (int32_t a = 0; a < 2 * MAXN; a++) {
#pragma HLS PIPELINE II=1
#pragma HLS LOOP_TRIPCOUNT min=0 max=BG_HLS_MAX_LAYER_SIZE
      if (a >= st->na[cur]) break;
      int32_t w = weights[wb + st->act[cur][a] * n + i];
      sum += st->sign[cur][a] < 0 ? -(int64_t)w : (int64_t)w;
    }
    uint8_t g;
    int32_t mf;
    uint8_t s = soma(st, l, nb + i, sum, &g, &mf);
    if (record) {
      st->raster[kRBase[l] + i] |= (uint64_t)s << t;
      st->g_rec[kRecBase[l] + t * n + i] = g;
      st->m_rec[kRecBase[l] + t * n + i] = mf;
    }
    if (l == LL) out_count[i] = (uint16_t)(out_count[i] + s);
    st->act[!cur][na_out] = i;
    st->sign[!cur][na_out] = 1;
    na_out += s;
  }
  st->na[!cur] = na_out;
}

/* Error unit at one step t >= t0 (error_unit_step). */
static void error_unit(state_t *st, const int32_t feedback[BG_HLS_FB_DEPTH], uint32_t label) {
  const int64_t one_e = (int64_t)1 << BG_HLS_ERR_FRAC, thr = BG_HLS_ERROR_THRESHOLD;
  int64_t e[NOUT], sum = 0;
  int32_t sg[NOUT];
  uint16_t cmax = 0;
  for (int32_t k = 0; k < NOUT; k++) cmax = st->count[k] > cmax ? st->count[k] : cmax;
  for (int32_t k = 0; k < NOUT; k++) {
    int32_t gap = cmax - st->count[k];
    e[k] = kLut[gap < BG_HLS_SOFTMAX_LUT_LEN ? gap : BG_HLS_SOFTMAX_LUT_LEN - 1];
    sum += e[k];
  }
  int any = 0;
  for (int32_t k = 0; k < NOUT; k++) {
    int64_t eps = e[k] * one_e / sum - ((uint32_t)k == label ? one_e : 0);
    int64_t up = bg_hls_sat((int64_t)st->up[k] - (st->sp[k] ? thr : 0) + eps, BG_HLS_ERR_BITS);
    int64_t um = bg_hls_sat((int64_t)st->um[k] - (st->sm[k] ? thr : 0) - eps, BG_HLS_ERR_BITS);
    st->up[k] = (int32_t)up;
    st->um[k] = (int32_t)um;
    st->sp[k] = up > thr;
    st->sm[k] = um > thr;
    sg[k] = (int32_t)st->sp[k] - (int32_t)st->sm[k];
    any |= sg[k] != 0;
    if (sg[k] != 0) {
      int32_t q = kNBase[LL] + k;
      st->d[q] = bg_hls_sat(st->d[q] + (sg[k] > 0 ? 1 : -1) * ((int64_t)1 << BG_HLS_DEND_FRAC),
                            BG_HLS_DEND_BITS);
    }
  }
  if (!any) return;
hidden:
  for (int32_t l = 1; l < LL; l++) {
    for (int32_t i = 0; i < MAXN; i++) {
#pragma HLS LOOP_TRIPCOUNT min=1 max=BG_HLS_MAX_LAYER_SIZE
      if (i >= kSize[l]) break;
      int64_t acc = 0;
      for (int32_t k = 0; k < NOUT; k++) {
        int64_t b = feedback[kFbBase[l] + i * NOUT + k];
        acc += sg[k] > 0 ? b : (sg[k] < 0 ? -b : 0);
      }
      int32_t q = kNBase[l] + i;
      st->d[q] = bg_hls_sat(st->d[q] + bg_hls_rnd(acc, kFbFrac[l] - BG_HLS_DEND_FRAC),
                            BG_HLS_DEND_BITS);
    }
  }
}

/* Backward kernel of layer l (replay_unit_kernel). */
static void replay_kernel(state_t *st, int32_t l) {
  const int32_t n = kSize[l], rb = kRecBase[l];
  const int64_t amp_t = bg_hls_rnd(kAmp[l], PF - BG_HLS_TRACE_FRAC);
steps:
  for (int32_t t = T - 1; t >= 0; t--) {
    for (int32_t i = 0; i < MAXN; i++) {
#pragma HLS PIPELINE II=1
#pragma HLS LOOP_TRIPCOUNT min=1 max=BG_HLS_MAX_LAYER_SIZE
      if (i >= n) break;
      int64_t kn = t + 1 < T ? st->kern[rb + (t + 1) * n + i] : 0;
      int64_t mf = st->m_rec[rb + t * n + i];
      int64_t mk = mf == ONE_P ? kn : bg_hls_rnd(mf * kn, PF);
      st->kern[rb + t * n + i] = (int32_t)bg_hls_sat(
          bg_hls_rnd((int64_t)kTraceDecay[l] * mk, BG_HLS_TRACE_FRAC) +
              (st->g_rec[rb + t * n + i] ? amp_t : 0), BG_HLS_TRACE_BITS);
    }
  }
}

/* w − ROUND(t1·η), saturated; t1 = SAT48(RND(δ·e)) (weight_update_accumulate + apply, batch 1). */
static int32_t update_weight(int32_t w, int64_t delta, int64_t e, int32_t l, uint32_t eta_m,
                             uint32_t eta_sh, uint32_t *rng_round) {
  const int sh1 = BG_HLS_DEND_FRAC + BG_HLS_TRACE_FRAC - BG_HLS_UPDATE_FRAC;
  int64_t t1 = bg_hls_sat(bg_hls_scale_round(delta, e, sh1, 0, rng_round), 48);
  if (t1 == 0) return w;
  int64_t dw = bg_hls_scale_round(t1, (int64_t)eta_m, (int)eta_sh + BG_HLS_UPDATE_FRAC - kWFrac[l],
                                  BG_HLS_LEARN_ROUNDING, rng_round);
  return (int32_t)bg_hls_sat((int64_t)w - dw, kWBits[l]);
}

/* Eligibility rows and weight update of layer l, presynaptic j ascending, then the biases. */
static void learn_layer(state_t *st, int32_t weights[BG_HLS_W_WORDS],
                        int32_t biases[BG_HLS_N_WORDS], int32_t l, uint32_t eta_m,
                        uint32_t eta_sh, uint32_t *rng_round) {
  const int32_t n = kSize[l], fan_in = kSize[l - 1], rb = kRecBase[l], nb = kNBase[l];
  int64_t erow[MAXN];
rows:
  for (int32_t j = 0; j < MAXN; j++) {
#pragma HLS LOOP_TRIPCOUNT min=1 max=BG_HLS_MAX_LAYER_SIZE
    if (j >= fan_in) break;
    uint64_t spikes = st->raster[kRBase[l - 1] + j];
    if (spikes == 0) continue;
    for (int32_t i = 0; i < MAXN; i++) {
      if (i >= n) break;
      erow[i] = 0;
    }
    for (int32_t t = 0; t < T; t++) {
      if (!((spikes >> t) & 1u)) continue;
      for (int32_t i = 0; i < MAXN; i++) {
#pragma HLS PIPELINE II=1
        if (i >= n) break;
        erow[i] += st->kern[rb + t * n + i];
      }
    }
    for (int32_t i = 0; i < MAXN; i++) {
      if (i >= n) break;
      int64_t e = bg_hls_sat(erow[i], BG_HLS_TRACE_BITS), delta = st->d[nb + i];
      if (delta == 0 || e == 0) continue;
      int32_t q = kWBase[l] + j * n + i;
      weights[q] = update_weight(weights[q], delta, e, l, eta_m, eta_sh, rng_round);
    }
  }
  if (!BG_HLS_LEARN_BIAS) return;
biases:
  for (int32_t i = 0; i < MAXN; i++) {
    if (i >= n) break;
    int64_t eb = 0;
    for (int32_t t = 0; t < T; t++) eb += st->kern[rb + t * n + i];
    eb = bg_hls_sat(eb, BG_HLS_TRACE_BITS);
    int64_t delta = st->d[nb + i];
    if (delta == 0 || eb == 0) continue;
    biases[nb + i] = update_weight(biases[nb + i], delta, eb, l, eta_m, eta_sh, rng_round);
  }
}

/* One sleep call (sleep_unit_run). */
static void sleep_phase(state_t *st, const int32_t weights[BG_HLS_W_WORDS],
                        const int32_t biases[BG_HLS_N_WORDS], int32_t feedback[BG_HLS_FB_DEPTH],
                        uint32_t rng[BG_HLS_RNG_COUNT]) {
  uint32_t rho = BG_HLS_SLEEP_RATE16 ? BG_HLS_SLEEP_RATE16 : r16(&rng[BG_HLS_RNG_SLEEP_RATE]);
  int64_t c[MAXH * NOUT], q[NOUT];
  int32_t h[MAXH];
  uint16_t o[NOUT];
hidden_layers:
  for (int32_t l = LL - 1; l >= 1; l--) {
    const int32_t n = kSize[l];
    for (int32_t x = 0; x < MAXH * NOUT; x++) c[x] = 0;
    for (int32_t k = 0; k < NOUT; k++) q[k] = 0;
  noise_samples:
    for (int32_t kk = 0; kk < BG_HLS_SLEEP_SAMPLES; kk++) {
      for (int32_t x = kNBase[l + 1]; x < BG_HLS_N_WORDS; x++) {
        st->v[x] = 0;
        st->s[x] = 0;
        st->refr[x] = 0;
      }
      for (int32_t i = 0; i < MAXH; i++) h[i] = 0;
      for (int32_t k = 0; k < NOUT; k++) o[k] = 0;
    sleep_steps:
      for (int32_t ts = 0; ts < BG_HLS_SLEEP_STEPS; ts++) {
        int32_t na = 0;
        for (int32_t i = 0; i < MAXN; i++) {
          if (i >= n) break;
          uint32_t xp = r16(&rng[BG_HLS_RNG_SLEEP_NOISE]) < rho;
          uint32_t xm = r16(&rng[BG_HLS_RNG_SLEEP_NOISE]) < rho;
          h[i] += (int32_t)xp - (int32_t)xm;
          st->act[0][na] = i;
          st->sign[0][na] = 1;
          na += (int32_t)xp;
          st->act[0][na] = i;
          st->sign[0][na] = -1;
          na += (int32_t)xm;
        }
        st->na[0] = na;
        int32_t cur = 0;
        for (int32_t m = l + 1; m <= LL; m++) {
          layer_step(st, weights, biases, m, 0, cur, m > l + 1, 0, o);
          cur = !cur;
        }
      }
      for (int32_t i = 0; i < MAXN; i++) {
        if (i >= n) break;
        if (h[i] == 0) continue;
        for (int32_t k = 0; k < NOUT; k++) c[i * NOUT + k] += (int64_t)h[i] * o[k];
      }
      for (int32_t k = 0; k < NOUT; k++) q[k] += (int64_t)o[k] * o[k];
    }
    const int32_t bf = kFbFrac[l], bb = kFbBits[l];
  feedback_update:
    for (int32_t i = 0; i < MAXN; i++) {
      if (i >= n) break;
      for (int32_t k = 0; k < NOUT; k++) {
        int32_t a = kFbBase[l] + i * NOUT + k;
        int64_t b = feedback[a];
        int64_t corr = bg_hls_sat(c[i * NOUT + k], 63 - bf) * ((int64_t)1 << bf);
        int64_t dec = BG_HLS_SLEEP_DECAY == 0 ? bg_hls_rnd(b * q[k], BG_HLS_SLEEP_K_SHIFT) : 0;
        int64_t db = bg_hls_scale_round(corr - dec, BG_HLS_SLEEP_ETA_M, BG_HLS_SLEEP_ETA_SH,
                                        BG_HLS_LEARN_ROUNDING, &rng[BG_HLS_RNG_ROUND]);
        feedback[a] = (int32_t)bg_hls_sat(b + db, bb);
      }
    }
  }
}

uint32_t bg_hls_train(const uint8_t pixels[BG_HLS_INPUT_SIZE], uint32_t label,
                      int32_t weights[BG_HLS_W_WORDS], int32_t biases[BG_HLS_N_WORDS],
                      int32_t feedback[BG_HLS_FB_DEPTH], uint32_t rng[BG_HLS_RNG_COUNT],
                      uint32_t eta_m, uint32_t eta_sh, uint32_t *since_sleep,
                      uint64_t raster[BG_HLS_R_WORDS]) {
#pragma HLS INTERFACE m_axi port=weights offset=slave bundle=gmem
#pragma HLS INTERFACE m_axi port=raster offset=slave bundle=gmem
#pragma HLS INTERFACE m_axi port=biases offset=slave bundle=gmem
#pragma HLS INTERFACE m_axi port=feedback offset=slave bundle=gmem
#pragma HLS INTERFACE m_axi port=pixels offset=slave bundle=gmem
#pragma HLS INTERFACE s_axilite port=label
#pragma HLS INTERFACE s_axilite port=rng
#pragma HLS INTERFACE s_axilite port=eta_m
#pragma HLS INTERFACE s_axilite port=eta_sh
#pragma HLS INTERFACE s_axilite port=since_sleep
#pragma HLS INTERFACE s_axilite port=return
  static state_t st;
  for (int32_t x = 0; x < BG_HLS_N_WORDS; x++) {
    st.v[x] = 0;
    st.s[x] = 0;
    st.refr[x] = 0;
    st.d[x] = 0;
  }
  for (int32_t x = 0; x < BG_HLS_R_WORDS; x++) st.raster[x] = 0;
  for (int32_t k = 0; k < NOUT; k++) {
    st.count[k] = 0;
    st.up[k] = 0;
    st.um[k] = 0;
    st.sp[k] = 0;
    st.sm[k] = 0;
  }
steps:
  for (int32_t t = 0; t < T; t++) {
    int32_t na = 0;
  encode:
    for (int32_t j = 0; j < BG_HLS_INPUT_SIZE; j++) {
#pragma HLS PIPELINE II=1
      uint8_t x = r16(&rng[BG_HLS_RNG_INPUT]) < (uint32_t)pixels[j] * 257u;
      st.raster[j] |= (uint64_t)x << t;
      st.act[0][na] = j;
      st.sign[0][na] = 1;
      na += x;
    }
    st.na[0] = na;
    int32_t cur = 0;
    for (int32_t l = 1; l <= LL; l++) {
      layer_step(&st, weights, biases, l, t, cur, 1, 1, st.count);
      cur = !cur;
    }
    if (t >= BG_HLS_ERROR_START) error_unit(&st, feedback, label);
  }
copy_raster:
  for (int32_t x = 0; x < BG_HLS_R_WORDS; x++) raster[x] = st.raster[x];
  uint32_t pred = 0;
  for (int32_t k = 1; k < NOUT; k++) {
    if (st.count[k] > st.count[pred]) pred = (uint32_t)k;
  }
learn:
  for (int32_t l = 1; l <= LL; l++) {
    replay_kernel(&st, l);
    learn_layer(&st, weights, biases, l, eta_m, eta_sh, &rng[BG_HLS_RNG_ROUND]);
  }
  /* the sleep schedule: every sleep.period-th training sample (train_samples % period == 0) */
  *since_sleep += 1;
  if (*since_sleep >= BG_HLS_SLEEP_PERIOD) {
    *since_sleep = 0;
    if (BG_HLS_SLEEP_ENABLED) sleep_phase(&st, weights, biases, feedback, rng);
  }
  return pred;
}
