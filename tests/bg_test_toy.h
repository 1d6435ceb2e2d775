/* SPDX-License-Identifier: Apache-2.0 */
/* The synthetic toy task the golden-model tests learn (no dataset needed): 16 inputs, 4 classes;
 * class c lights pixels 4c..4c+3 and the rest is faint noise. Header-only, like bg_test.h. */
#ifndef BG_TEST_TOY_H
#define BG_TEST_TOY_H

#include <stdint.h>

static inline void toy_sample(uint32_t idx, uint8_t px[16], int *label) {
  uint32_t h = idx * 2654435761u + 12345u;
  *label = (int)(idx % 4);
  for (int j = 0; j < 16; j++) {
    h ^= h << 13;
    h ^= h >> 17;
    h ^= h << 5;
    px[j] = j / 4 == *label ? (uint8_t)(200 + (h & 31)) : (uint8_t)(h & 31);
  }
}

/* Train samples [from, from + n) on path P (bg or bgf), flush the batch, then set acc to the
 * accuracy (percent) on 200 fresh samples with evaluation stream seed 99. */
#define TOY_TRAIN_AND_TEST(P, m, from, n, acc)                              \
  do {                                                                      \
    uint8_t px_[16];                                                        \
    int lab_, ok_ = 0;                                                      \
    for (uint32_t s_ = (from), e_ = (from) + (n); s_ < e_; s_++) {          \
      toy_sample(s_, px_, &lab_);                                           \
      P##_model_train(m, px_, lab_);                                        \
    }                                                                       \
    P##_model_flush(m);                                                     \
    bg_rng_t er_;                                                           \
    bg_rng_seed(&er_, 99);                                                  \
    for (uint32_t s_ = 0; s_ < 200; s_++) {                                 \
      toy_sample(100000 + s_, px_, &lab_);                                  \
      ok_ += P##_model_infer(m, px_, &er_) == lab_;                         \
    }                                                                       \
    acc = ok_ / 2.0;                                                        \
  } while (0)

#endif /* BG_TEST_TOY_H */
