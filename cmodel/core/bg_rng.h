/* SPDX-License-Identifier: Apache-2.0 */
/* The random streams: one xorshift32 generator (shifts 13, 17, 5) per stream, seeded from the
 * network description (bg_net_t.q.stream_seed). The RTL has one bg_lfsr instance per stream and
 * must produce the same words in the same order (docs/cmodel.md, "Random streams"). */
#ifndef BG_RNG_H
#define BG_RNG_H

#include <stdint.h>

typedef struct {
  uint32_t state;
} bg_rng_t;

static inline void bg_rng_seed(bg_rng_t *r, uint32_t seed) { r->state = seed ? seed : 1u; }

/* Advance and return the new 32-bit state. */
static inline uint32_t bg_rng_next(bg_rng_t *r) {
  uint32_t x = r->state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  r->state = x;
  return x;
}

/* The top 16 bits of the next word: the value compared against 16-bit probabilities. */
static inline uint32_t bg_rng_r16(bg_rng_t *r) { return bg_rng_next(r) >> 16; }

/* A draw in [0, n): (word * n) >> 32, no division, no rejection. */
static inline uint32_t bg_rng_below(bg_rng_t *r, uint32_t n) {
  return (uint32_t)(((uint64_t)bg_rng_next(r) * n) >> 32);
}

#endif /* BG_RNG_H */
