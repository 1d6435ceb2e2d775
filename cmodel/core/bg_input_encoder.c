/* SPDX-License-Identifier: Apache-2.0 */
/* Input encoder (RTL: bg_input_encoder): turns one sample into layer 0's spikes, step by step. */
#include "bg_core.h"

void BG(input_encoder_step)(BG(model_t) *m, const uint8_t *input, uint32_t t, bg_rng_t *rng) {
  BG(model_layer_t) *in = &m->layer[0];
  uint32_t n = in->n, na = 0;
  uint8_t *row = in->raster + (size_t)t * n;
  uint32_t *act = in->act + (size_t)t * n;
  if (m->net->input.encoding == BG_ENC_RATE) {
    /* Bernoulli: x = r16 < pixel·257, one draw per pixel in ascending order */
    for (uint32_t j = 0; j < n; j++) {
      uint8_t x = bg_rng_r16(rng) < (uint32_t)input[j] * 257u;
      row[j] = x;
      if (x) act[na++] = j;
    }
  } else {
    const uint8_t *frame = input + (size_t)t * n;
    for (uint32_t j = 0; j < n; j++) {
      uint8_t x = frame[j] != 0;
      row[j] = x;
      if (x) act[na++] = j;
    }
  }
  for (uint32_t a = 0; a < na; a++) in->count[act[a]]++;
  in->act_n[t] = na;
  if (m->record) m->ctr.spikes[0] += na;
}
