/* SPDX-License-Identifier: Apache-2.0 */
/* Input encoder (RTL: bg_input_encoder): turns one sample into layer 0's spikes, step by step. */
#include <string.h>

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

/* All T steps of a sample at once: the same records, counts and draws as input_encoder_step for
 * t = 0 … T−1. Rate coding draws word t·n + j of the stream for pixel j at step t; here one
 * generator lane per step (started by jumping n words per step) advances through the pixels, so
 * the T chains of dependent xorshift steps run side by side instead of one after another. A
 * pixel of 0 never spikes (r16 < 0 is false): its words are stepped over, not compared. */
void BG(input_encoder_frames)(BG(model_t) *m, const uint8_t *input, bg_rng_t *rng) {
  BG(model_layer_t) *in = &m->layer[0];
  const uint32_t n = in->n, T = m->T;
  if (m->net->input.encoding != BG_ENC_RATE) {
    for (uint32_t t = 0; t < T; t++) BG(input_encoder_step)(m, input, t, rng);
    return;
  }
  uint32_t *restrict x = m->lanes;   /* x[t]: the stream state before pixel j's draw of step t */
  uint32_t *restrict na = in->act_n;
  uint32_t *restrict act = in->act;
  uint8_t *restrict raster = in->raster;
  uint16_t *restrict count = in->count;
  x[0] = rng->state;
  for (uint32_t t = 1; t < T; t++) x[t] = bg_rng_jump(m->input_jump, x[t - 1]);
  memset(raster, 0, (size_t)T * n);
  memset(na, 0, T * sizeof *na);
  for (uint32_t j = 0; j < n; j++) {
    for (uint32_t t = 0; t < T; t++) {
      uint32_t s = x[t];
      s ^= s << 13;
      s ^= s >> 17;
      s ^= s << 5;
      x[t] = s;
    }
    const uint32_t thr = (uint32_t)input[j] * 257u;
    if (thr == 0) continue;
    uint32_t c = 0;
    for (uint32_t t = 0; t < T; t++) {
      uint32_t s = (x[t] >> 16) < thr;
      raster[(size_t)t * n + j] = (uint8_t)s;
      act[(size_t)t * n + na[t]] = j;     /* kept only when s = 1: the list grows by s */
      na[t] += s;
      c += s;
    }
    count[j] = (uint16_t)(count[j] + c);
  }
  rng->state = x[T - 1];                /* T·n words after the start */
  if (m->record) {
    for (uint32_t t = 0; t < T; t++) m->ctr.spikes[0] += na[t];
  }
}
