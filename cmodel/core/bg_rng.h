/* SPDX-License-Identifier: Apache-2.0 */
/* The random streams: one xorshift32 generator (shifts 13, 17, 5) per stream, seeded from the
 * network description (bg_net_t.q.stream_seed). The RTL has one generator (bg_lfsr) and a state
 * word per stream and must produce the same words in the same order (docs/cmodel.md, "Random
 * streams"). */
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

/* Jump-ahead: a model-only accelerator, not an RTL block. The xorshift step is linear over
 * GF(2), so advancing a state by `words` draws is one fixed 32x32 bit matrix; it is stored as four
 * tables indexed by the state's bytes (column images XORed together). The words themselves are
 * unchanged: jumping to where a later draw starts lets the model compute several stretches of
 * one stream side by side (docs/cmodel.md, "Speed"). */
typedef struct {
  uint32_t words;
  uint32_t t[4][256];
} bg_rng_jump_t;

static inline void bg_rng_jump_init(bg_rng_jump_t *j, uint32_t words) {
  uint32_t col[32];
  for (int b = 0; b < 32; b++) {
    bg_rng_t r = {UINT32_C(1) << b};
    for (uint32_t k = 0; k < words; k++) bg_rng_next(&r);
    col[b] = r.state;
  }
  j->words = words;
  for (int q = 0; q < 4; q++) {
    for (uint32_t v = 0; v < 256; v++) {
      uint32_t x = 0;
      for (int b = 0; b < 8; b++) x ^= (v >> b & 1u) ? col[8 * q + b] : 0u;
      j->t[q][v] = x;
    }
  }
}

/* The state `j->words` draws after `state`. */
static inline uint32_t bg_rng_jump(const bg_rng_jump_t *j, uint32_t state) {
  return j->t[0][state & 255u] ^ j->t[1][state >> 8 & 255u] ^ j->t[2][state >> 16 & 255u] ^
         j->t[3][state >> 24];
}

#endif /* BG_RNG_H */
