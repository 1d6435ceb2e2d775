/* SPDX-License-Identifier: Apache-2.0 */
/* The golden model's integer helpers for HLS kernels (cmodel/core/bg_fixed.h): 64-bit only, no
 * branches on data beyond selects. Signed right shifts are arithmetic (GCC, Clang and Vitis HLS
 * all define them so), which makes RND the same floor((x + 2^(n-1)) / 2^n) as the golden model. */
#ifndef BG_HLS_FIXED_H
#define BG_HLS_FIXED_H

#include <stdint.h>

/* RND(x, n): divide by 2^n rounding half up; n <= 0 multiplies by 2^-n. |n| < 63. */
static inline int64_t bg_hls_rnd(int64_t x, int n) {
  if (n > 0) return (x + ((int64_t)1 << (n - 1))) >> n;
  if (n < 0) return (int64_t)((uint64_t)x << -n);
  return x;
}

/* Clamp to a signed `bits`-wide range, 1 <= bits <= 64. */
static inline int64_t bg_hls_sat(int64_t x, int bits) {
  if (bits >= 64) return x;
  const int64_t hi = ((int64_t)1 << (bits - 1)) - 1, lo = -hi - 1;
  return x > hi ? hi : (x < lo ? lo : x);
}

/* One xorshift32 step (13, 17, 5): the next word of a random stream. */
static inline uint32_t bg_hls_xorshift(uint32_t x) {
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  return x;
}

#endif /* BG_HLS_FIXED_H */
