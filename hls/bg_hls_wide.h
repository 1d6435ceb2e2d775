/* SPDX-License-Identifier: Apache-2.0 */
/* 128-bit two's-complement arithmetic from 64-bit halves, for the products of the update and
 * sleep steps that exceed 64 bits (the golden model uses __int128, which HLS C lacks), and the
 * model's scale-and-round (bg_scale_round in cmodel/core/bg_fixed.h) on top of it. */
#ifndef BG_HLS_WIDE_H
#define BG_HLS_WIDE_H

#include <stdint.h>

typedef struct {
  uint64_t lo, hi;   /* value = hi·2^64 + lo, two's complement over 128 bits */
} bg_w128_t;

static inline bg_w128_t bg_w_from(int64_t x) {
  bg_w128_t r = {(uint64_t)x, x < 0 ? ~(uint64_t)0 : 0};
  return r;
}

static inline bg_w128_t bg_w_add(bg_w128_t a, bg_w128_t b) {
  bg_w128_t r;
  r.lo = a.lo + b.lo;
  r.hi = a.hi + b.hi + (r.lo < a.lo);
  return r;
}

static inline bg_w128_t bg_w_neg(bg_w128_t a) {
  bg_w128_t one = {1, 0}, r = {~a.lo, ~a.hi};
  return bg_w_add(r, one);
}

static inline int bg_w_is_neg(bg_w128_t a) { return (int)(a.hi >> 63); }

/* Signed 64 x 64 -> 128 product. */
static inline bg_w128_t bg_w_mul(int64_t a, int64_t b) {
  uint64_t ua = a < 0 ? (uint64_t)0 - (uint64_t)a : (uint64_t)a;
  uint64_t ub = b < 0 ? (uint64_t)0 - (uint64_t)b : (uint64_t)b;
  uint64_t a0 = ua & 0xffffffffu, a1 = ua >> 32, b0 = ub & 0xffffffffu, b1 = ub >> 32;
  uint64_t p00 = a0 * b0, p01 = a0 * b1, p10 = a1 * b0, p11 = a1 * b1;
  uint64_t mid = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);
  bg_w128_t r;
  r.lo = (p00 & 0xffffffffu) | (mid << 32);
  r.hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
  return ((a < 0) != (b < 0)) ? bg_w_neg(r) : r;
}

/* a << n and arithmetic a >> n, 0 <= n < 128. */
static inline bg_w128_t bg_w_shl(bg_w128_t a, int n) {
  bg_w128_t r;
  if (n == 0) return a;
  if (n >= 64) {
    r.hi = a.lo << (n - 64);
    r.lo = 0;
  } else {
    r.hi = (a.hi << n) | (a.lo >> (64 - n));
    r.lo = a.lo << n;
  }
  return r;
}

static inline bg_w128_t bg_w_sar(bg_w128_t a, int n) {
  bg_w128_t r;
  uint64_t fill = bg_w_is_neg(a) ? ~(uint64_t)0 : 0;
  if (n == 0) return a;
  if (n >= 64) {
    r.lo = n == 64 ? a.hi : (uint64_t)((int64_t)a.hi >> (n - 64));
    r.hi = fill;
  } else {
    r.lo = (a.lo >> n) | (a.hi << (64 - n));
    r.hi = (uint64_t)((int64_t)a.hi >> n);
  }
  return r;
}

/* Clamp to int64 (the golden model's final clamp of a rounded product). */
static inline int64_t bg_w_to_i64(bg_w128_t a) {
  uint64_t sign_ext = (a.lo >> 63) ? ~(uint64_t)0 : 0;
  if (a.hi == sign_ext) return (int64_t)a.lo;
  return bg_w_is_neg(a) ? INT64_MIN : INT64_MAX;
}

/* ROUND(x·mul, sh) to nearest (half up) or stochastically with one draw from *rng when the
 * remainder is non-zero: the same integers as bg_scale_round for 1 <= sh <= 100 and sh = 0. */
static inline int64_t bg_hls_scale_round(int64_t x, int64_t mul, int sh, int stochastic,
                                         uint32_t *rng) {
  bg_w128_t p = bg_w_mul(x, mul);
  if (sh <= 0) return bg_w_to_i64(p);
  bg_w128_t q;
  if (!stochastic) {
    q = bg_w_sar(bg_w_add(p, bg_w_shl(bg_w_from(1), sh - 1)), sh);
  } else {
    q = bg_w_sar(p, sh);
    bg_w128_t r = bg_w_add(p, bg_w_neg(bg_w_shl(q, sh)));   /* 0 <= r < 2^sh */
    if (r.lo != 0 || r.hi != 0) {
      uint32_t x32 = *rng;
      x32 ^= x32 << 13;
      x32 ^= x32 >> 17;
      x32 ^= x32 << 5;
      *rng = x32;
      uint64_t thr = sh <= 32 ? r.lo << (32 - sh) : bg_w_sar(r, sh - 32).lo;
      if ((uint64_t)x32 < thr) q = bg_w_add(q, bg_w_from(1));
    }
  }
  return bg_w_to_i64(q);
}

#endif /* BG_HLS_WIDE_H */
