/* SPDX-License-Identifier: Apache-2.0 */
/* HLS kernel: one training sample of the learning core, with its weight update and, when due,
 * the sleep phase (docs/hls.md). Same envelope as the RTL core: replay mode, batch 1, rate input.
 * Memory layouts are the RTL's (docs/rtl.md, "Memories"). */
#ifndef BG_HLS_TRAIN_H
#define BG_HLS_TRAIN_H

#include <stdint.h>

#include "bg_hls_cfg.h"

#define BG_HLS_FB_DEPTH (BG_HLS_FB_WORDS > 0 ? BG_HLS_FB_WORDS : 1)

/* Streams the kernel consumes, in this order in rng[]. */
enum { BG_HLS_RNG_INPUT = 0, BG_HLS_RNG_SLEEP_RATE = 1, BG_HLS_RNG_SLEEP_NOISE = 2,
       BG_HLS_RNG_ROUND = 3, BG_HLS_RNG_COUNT = 4 };

/* Train on one sample (label), update the weights, run a sleep call when *since_sleep reaches
 * sleep.period (it counts training samples since the last one). Returns the prediction.
 * raster: the sample's spikes, one word per neuron (bit t = step t), at R_BASE + i. */
uint32_t bg_hls_train(const uint8_t pixels[BG_HLS_INPUT_SIZE], uint32_t label,
                      int32_t weights[BG_HLS_W_WORDS], int32_t biases[BG_HLS_N_WORDS],
                      int32_t feedback[BG_HLS_FB_DEPTH], uint32_t rng[BG_HLS_RNG_COUNT],
                      uint32_t eta_m, uint32_t eta_sh, uint32_t *since_sleep,
                      uint64_t raster[BG_HLS_R_WORDS]);

#endif /* BG_HLS_TRAIN_H */
