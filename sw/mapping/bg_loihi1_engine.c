/* SPDX-License-Identifier: Apache-2.0 */
/* The learning engine's arithmetic in the loihi1 semantics (docs/mapping.md, "Loihi 1
 * semantics"): stochastic rounding, one trace step, and the tag, weight and feedback terms. */
#include <math.h>

#include "bg_fixed.h"
#include "bg_loihi1.h"

int64_t bg_l1_sround(int64_t v, int sh, bg_rng_t *r) {
  if (sh <= 0) return v * (INT64_C(1) << -sh);
  if (sh > 62) sh = 62;
  const int64_t q = bg_asr(v, sh);
  const uint64_t rem = (uint64_t)(v - q * (INT64_C(1) << sh));   /* 0 … 2^sh − 1 */
  if (rem == 0) return q;
  /* the draw's top sh bits (all 32 and the rest of rem's bits when sh > 32) */
  const uint32_t w = bg_rng_next(r);
  const uint64_t d = sh <= 32 ? (uint64_t)(w >> (32 - sh)) : (uint64_t)w;
  const uint64_t rr = sh <= 32 ? rem : rem >> (sh - 32);
  return q + (d < rr ? 1 : 0);
}

uint8_t bg_l1_trace_step(uint8_t x, uint32_t keep, uint32_t impulse, bool spike, bg_rng_t *r,
                         uint64_t *sat) {
  int64_t y = x ? bg_l1_sround((int64_t)x * keep, 12, r) : 0;
  if (spike) y += impulse;
  if (y > BG_L1_TRACE_MAX) {
    (*sat)++;
    y = BG_L1_TRACE_MAX;
  }
  return (uint8_t)y;
}

int16_t bg_l1_tag_step(int16_t tag, uint8_t x1, int sh, bg_rng_t *r, uint64_t *sat) {
  if (x1 == 0) return tag;
  int64_t t = tag + bg_l1_sround(x1, sh, r);
  if (t > BG_L1_TAG_MAX || t < BG_L1_TAG_MIN) {
    (*sat)++;
    t = t > BG_L1_TAG_MAX ? BG_L1_TAG_MAX : BG_L1_TAG_MIN;
  }
  return (int16_t)t;
}

/* A product in the engine's 16-bit signed register. */
static int64_t clamp16(int64_t p, uint64_t *sat) {
  const int64_t hi = (INT64_C(1) << (BG_L1_ACC_BITS - 1)) - 1, lo = -hi - 1;
  if (p > hi || p < lo) {
    (*sat)++;
    return p > hi ? hi : lo;
  }
  return p;
}

int32_t bg_l1_weight_step(int32_t w, uint8_t y2, uint8_t y3, int16_t tag, int w_exp, int bits,
                          bg_rng_t *r, uint64_t *sat_acc, uint64_t *sat_w) {
  const int64_t p = clamp16(((int64_t)y3 - (int64_t)y2) * tag, sat_acc);
  if (p == 0) return w;
  return (int32_t)bg_sat((int64_t)w + bg_l1_sround(p, -w_exp, r), bits, sat_w);
}

int32_t bg_l1_feedback_step(int32_t b, uint8_t o, uint8_t hp, uint8_t hm, int h_exp, int d_exp,
                            int bits, bg_rng_t *r, uint64_t *sat_acc, uint64_t *sat_w) {
  const int64_t ph = clamp16((int64_t)o * ((int64_t)hp - (int64_t)hm), sat_acc);
  const int64_t pd = clamp16((int64_t)o * o * b, sat_acc);
  /* both terms at the finer scale 2^lo, then one rounding (the engine sums, then rounds) */
  const int lo = h_exp < d_exp ? h_exp : d_exp;
  const int64_t v = ph * (INT64_C(1) << (h_exp - lo)) - pd * (INT64_C(1) << (d_exp - lo));
  if (v == 0) return b;
  return (int32_t)bg_sat((int64_t)b + bg_l1_sround(v, -lo, r), bits, sat_w);
}

int bg_l1_pow2_exp(double v) { return (int)lround(log2(v)); }
