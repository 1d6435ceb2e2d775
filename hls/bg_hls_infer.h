/* SPDX-License-Identifier: Apache-2.0 */
/* HLS kernel: one inference sample of the learning core (docs/hls.md). Sizes come only from the
 * generated bg_hls_cfg.h (`bgnet gen hls NET`); memory layouts are those of the RTL core
 * (docs/rtl.md, "Memories"). */
#ifndef BG_HLS_INFER_H
#define BG_HLS_INFER_H

#include <stdint.h>

#include "bg_hls_cfg.h"

/* Forward pass of one sample: Bernoulli encoding from the evaluation stream (*rng, advanced),
 * every layer's soma, the whole sample's spikes per neuron (raster[R_BASE + i], bit t) and the
 * output counts; returns the prediction (most spikes, lowest index on ties).
 * weights: W_WORDS words, W_BASE + j·n + i; biases: N_WORDS words, N_BASE + i. */
uint32_t bg_hls_infer(const uint8_t pixels[BG_HLS_INPUT_SIZE],
                      const int32_t weights[BG_HLS_W_WORDS], const int32_t biases[BG_HLS_N_WORDS],
                      uint32_t *rng, uint64_t raster[BG_HLS_R_WORDS],
                      uint16_t counts[BG_HLS_OUTPUT_SIZE]);

#endif /* BG_HLS_INFER_H */
