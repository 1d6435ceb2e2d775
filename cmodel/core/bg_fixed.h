/* SPDX-License-Identifier: Apache-2.0 */
/* Integer helpers of the golden model: rounding, rescaling and counted saturation. Every
 * narrowing in the integer path goes through one of these, so the RTL has one place to look. */
#ifndef BG_FIXED_H
#define BG_FIXED_H

#include <stdbool.h>
#include <stdint.h>

#include "bg_rng.h"

/* floor(y / 2^n) for 0 <= n <= 63. Spelled out for negative y, where C11 leaves >> of a
 * signed value implementation-defined; GCC and Clang compile it to one arithmetic shift. */
static inline int64_t bg_asr(int64_t y, int n) {
  return y >= 0 ? y >> n : -((-(y + 1)) >> n) - 1;
}

/* RND(x, n): divide by 2^n rounding half up (floor((x + 2^(n-1)) / 2^n)); n <= 0 multiplies
 * by 2^-n. Without branches for |n| < 63 (it sits in every inner loop): a left shift by
 * max(−n, 0), then half of 2^max(n, 0) added and a floor shift by max(n, 0); for n = 0 both
 * shifts are 0 and the half is 0. */
static inline int64_t bg_rnd(int64_t x, int n) {
  if (n >= 63) return x >= 0 ? 0 : (x < -(INT64_C(1) << 62) ? -1 : 0);
  int sl = n < 0 ? -n : 0, sr = n > 0 ? n : 0;
  int64_t y = (int64_t)((uint64_t)x << sl) + ((INT64_C(1) << sr) >> 1);
  return bg_asr(y, sr);
}

/* RND and SAT with the shift and the limits worked out once, for inner loops: bg_rnd_by(x, r)
 * equals bg_rnd(x, n) for r = bg_rnd_prep(n), |n| <= 62 (every shift between formats is within
 * ±48: fractions have at most 48 bits), and bg_sat_by(x, s, c) equals bg_sat(x, bits, c) for
 * s = bg_sat_prep(bits). */
typedef struct {
  int sl, sr;
  int64_t half;
} bg_rnd_prep_t;

typedef struct {
  int64_t lo, hi;
} bg_sat_prep_t;

static inline bg_rnd_prep_t bg_rnd_prep(int n) {
  bg_rnd_prep_t r = {n < 0 ? -n : 0, n > 0 ? n : 0, n > 0 ? INT64_C(1) << (n - 1) : 0};
  return r;
}

static inline int64_t bg_rnd_by(int64_t x, bg_rnd_prep_t r) {
  return bg_asr((int64_t)((uint64_t)x << r.sl) + r.half, r.sr);
}

static inline bg_sat_prep_t bg_sat_prep(int bits) {
  bg_sat_prep_t s = {INT64_MIN, INT64_MAX};
  if (bits < 64) {
    s.hi = (INT64_C(1) << (bits - 1)) - 1;
    s.lo = -s.hi - 1;
  }
  return s;
}

static inline int64_t bg_sat_by(int64_t x, bg_sat_prep_t s, uint64_t *count) {
  if (x > s.hi) {
    (*count)++;
    return s.hi;
  }
  if (x < s.lo) {
    (*count)++;
    return s.lo;
  }
  return x;
}

/* c ? a : b computed with a mask, so the compiler keeps it free of branches. */
static inline int64_t bg_pick(bool c, int64_t a, int64_t b) {
  return b ^ ((a ^ b) & -(int64_t)c);
}

/* Move a value from `from` to `to` fraction bits. */
static inline int64_t bg_rescale(int64_t x, int from, int to) { return bg_rnd(x, from - to); }

/* Clamp to a signed `bits`-wide range and count the clamps. */
static inline int64_t bg_sat(int64_t x, int bits, uint64_t *count) {
  if (bits >= 64) return x;
  int64_t hi = (INT64_C(1) << (bits - 1)) - 1, lo = -hi - 1;
  if (x > hi) {
    (*count)++;
    return hi;
  }
  if (x < lo) {
    (*count)++;
    return lo;
  }
  return x;
}

/* x·mul rounded by `sh` bits, to nearest (half up) or stochastically, clamped to int64.
 * Stochastic: q = floor(x·mul / 2^sh), r = the remainder; when r != 0 one 32-bit word u is
 * drawn from *rng and the result is q + (u < r·2^(32-sh)) (for sh > 32: u < floor(r/2^(sh-32))).
 * No draw is made when r = 0. *draws counts the words drawn. */
static inline int64_t bg_scale_round(int64_t x, int64_t mul, int sh, bool stochastic,
                                     bg_rng_t *rng, uint64_t *draws, uint64_t *sat) {
  const int64_t lim = INT64_C(1) << 62;
  int64_t p64;
  if (sh > 0 && sh < 62 && !__builtin_mul_overflow(x, mul, &p64) && p64 > -lim && p64 < lim) {
    /* the common case, same result without 128-bit arithmetic: |x·mul| < 2^62, so adding the
     * half cannot overflow either */
    int64_t q64 = bg_asr(stochastic ? p64 : p64 + (INT64_C(1) << (sh - 1)), sh);
    if (stochastic) {
      uint64_t r = (uint64_t)(p64 - q64 * (INT64_C(1) << sh));
      if (r != 0) {
        uint32_t u = bg_rng_next(rng);
        (*draws)++;
        uint64_t thr = sh <= 32 ? r << (32 - sh) : r >> (sh - 32);
        if ((uint64_t)u < thr) q64 += 1;
      }
    }
    return q64;
  }
  __int128 p = (__int128)x * mul, q;
  if (sh <= 0) {
    q = p * ((__int128)1 << (sh < 0 ? -sh : 0));
  } else if (sh > 100) {
    q = p < 0 ? -1 : 0;
  } else {
    /* floor division by 2^sh: GCC and Clang define >> of a negative __int128 as arithmetic */
    q = (stochastic ? p : p + ((__int128)1 << (sh - 1))) >> sh;
    if (stochastic) {
      unsigned __int128 r = (unsigned __int128)(p - q * ((__int128)1 << sh));
      if (r != 0) {
        uint32_t u = bg_rng_next(rng);
        (*draws)++;
        unsigned __int128 thr = sh <= 32 ? r << (32 - sh) : r >> (sh - 32);
        if ((unsigned __int128)u < thr) q += 1;
      }
    }
  }
  if (q > INT64_MAX) {
    (*sat)++;
    return INT64_MAX;
  }
  if (q < INT64_MIN) {
    (*sat)++;
    return INT64_MIN;
  }
  return (int64_t)q;
}

/* Saturation counters, one per stored field (docs/cmodel.md). */
typedef struct {
  uint64_t v, z, e, k, u, d, w, b, fb, acc;
} bg_sat_t;

#endif /* BG_FIXED_H */
