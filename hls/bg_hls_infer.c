/* SPDX-License-Identifier: Apache-2.0 */
/* HLS kernel: one inference sample (input encoder, synaptic accumulation, soma), bit-exact with
 * the golden model's BG(model_infer) (cmodel/core/bg_model.c) on the same weights and stream.
 * Vitis-HLS C subset: <stdint.h> types, static loop bounds, no allocation, recursion, VLAs,
 * function pointers, floating point or I/O (checked by scripts/hls_check.sh). docs/hls.md. */
#include "bg_hls_infer.h"

#include "bg_hls_fixed.h"

#define NL BG_HLS_N_LAYERS
#define MAXN BG_HLS_MAX_LAYER_SIZE

static const int32_t kSize[BG_HLS_MAX_LAYERS] = BG_HLS_SIZE_TAB;
static const int32_t kWBase[BG_HLS_MAX_LAYERS] = BG_HLS_W_BASE_TAB;
static const int32_t kNBase[BG_HLS_MAX_LAYERS] = BG_HLS_N_BASE_TAB;
static const int32_t kRBase[BG_HLS_MAX_LAYERS] = BG_HLS_R_BASE_TAB;
static const int32_t kWFrac[BG_HLS_MAX_LAYERS] = BG_HLS_W_FRAC_TAB;
static const int32_t kTheta[BG_HLS_MAX_LAYERS] = BG_HLS_THETA_TAB;
static const int32_t kDecay[BG_HLS_MAX_LAYERS] = BG_HLS_DECAY_TAB;
static const int32_t kReset[BG_HLS_MAX_LAYERS] = BG_HLS_RESET_TAB;
static const int32_t kRefractory[BG_HLS_MAX_LAYERS] = BG_HLS_REFRACTORY_TAB;

/* Synaptic accumulation for neuron i of a layer: bias plus one weight row entry per presynaptic
 * spike in the active list (event-driven, like neuron_core_step). */
static int64_t synaptic_sum(const int32_t weights[BG_HLS_W_WORDS], int32_t wbase, int32_t n,
                            int32_t i, int64_t bias, const int32_t act[MAXN], int32_t na) {
  int64_t sum = bias;
accumulate:
  for (int32_t a = 0; a < MAXN; a++) {
#pragma HLS PIPELINE II=1
#pragma HLS LOOP_TRIPCOUNT min=0 max=BG_HLS_MAX_LAYER_SIZE
    if (a >= na) break;
    sum += weights[wbase + act[a] * n + i];
  }
  return sum;
}

/* Soma of one neuron (soma_update): returns the spike; updates v, s, refr. */
static uint8_t soma(int32_t l, int64_t in_sum, int32_t *v, uint8_t *s, uint8_t *refr) {
  const int pf = BG_HLS_POT_FRAC;
  const int64_t theta = kTheta[l];
  if (*refr > 0) {
    *refr = (uint8_t)(*refr - 1);
    *v = 0;
    *s = 0;
    return 0;
  }
  int64_t keep = kReset[l] == 0 ? (*s ? 0 : (int64_t)*v) : (int64_t)*v - (*s ? theta : 0);
  int64_t nv = bg_hls_sat(bg_hls_rnd((int64_t)kDecay[l] * keep, pf) +
                              bg_hls_rnd(in_sum, kWFrac[l] - pf), BG_HLS_POT_BITS);
  uint8_t spike = nv > theta;
  if (spike && kRefractory[l] > 0) *refr = (uint8_t)kRefractory[l];
  *v = (int32_t)nv;
  *s = spike;
  return spike;
}

uint32_t bg_hls_infer(const uint8_t pixels[BG_HLS_INPUT_SIZE],
                      const int32_t weights[BG_HLS_W_WORDS], const int32_t biases[BG_HLS_N_WORDS],
                      uint32_t *rng, uint64_t raster[BG_HLS_R_WORDS],
                      uint16_t counts[BG_HLS_OUTPUT_SIZE]) {
#pragma HLS INTERFACE m_axi port=weights offset=slave bundle=gmem
#pragma HLS INTERFACE m_axi port=biases offset=slave bundle=gmem
#pragma HLS INTERFACE m_axi port=pixels offset=slave bundle=gmem
#pragma HLS INTERFACE m_axi port=raster offset=slave bundle=gmem
#pragma HLS INTERFACE s_axilite port=rng
#pragma HLS INTERFACE s_axilite port=counts
#pragma HLS INTERFACE s_axilite port=return
  int32_t v[BG_HLS_N_WORDS];
  uint8_t s[BG_HLS_N_WORDS], refr[BG_HLS_N_WORDS];
  int32_t act_in[MAXN], act_out[MAXN];
  int32_t na_in = 0;
  uint32_t r = *rng;
reset:
  for (int32_t q = 0; q < BG_HLS_N_WORDS; q++) {
    v[q] = 0;
    s[q] = 0;
    refr[q] = 0;
  }
clear_raster:
  for (int32_t q = 0; q < BG_HLS_R_WORDS; q++) raster[q] = 0;
clear_counts:
  for (int32_t k = 0; k < BG_HLS_OUTPUT_SIZE; k++) counts[k] = 0;
steps:
  for (int32_t t = 0; t < BG_HLS_STEPS; t++) {
    /* input encoder: x = r16 < pixel·257, one draw per pixel in ascending order */
    na_in = 0;
  encode:
    for (int32_t j = 0; j < BG_HLS_INPUT_SIZE; j++) {
#pragma HLS PIPELINE II=1
      r = bg_hls_xorshift(r);
      uint8_t x = (r >> 16) < (uint32_t)pixels[j] * 257u;
      raster[j] |= (uint64_t)x << t;
      act_in[na_in] = j;
      na_in += x;
    }
  layers:
    for (int32_t l = 1; l < NL; l++) {
      const int32_t n = kSize[l], nb = kNBase[l];
      int32_t na_out = 0;
    neurons:
      for (int32_t i = 0; i < MAXN; i++) {
#pragma HLS LOOP_TRIPCOUNT min=1 max=BG_HLS_MAX_LAYER_SIZE
        if (i >= n) break;
        int64_t bias = BG_HLS_LEARN_BIAS ? biases[nb + i] : 0;
        int64_t sum = synaptic_sum(weights, kWBase[l], n, i, bias, act_in, na_in);
        uint8_t spike = soma(l, sum, &v[nb + i], &s[nb + i], &refr[nb + i]);
        raster[kRBase[l] + i] |= (uint64_t)spike << t;
        if (l == NL - 1) counts[i] = (uint16_t)(counts[i] + spike);
        act_out[na_out] = i;
        na_out += spike;
      }
    copy_list:
      for (int32_t a = 0; a < MAXN; a++) {
#pragma HLS LOOP_TRIPCOUNT min=0 max=BG_HLS_MAX_LAYER_SIZE
        if (a >= na_out) break;
        act_in[a] = act_out[a];
      }
      na_in = na_out;
    }
  }
  *rng = r;
  uint32_t best = 0;
predict:
  for (int32_t k = 1; k < BG_HLS_OUTPUT_SIZE; k++) {
    if (counts[k] > counts[best]) best = (uint32_t)k;
  }
  return best;
}
