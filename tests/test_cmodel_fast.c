/* SPDX-License-Identifier: Apache-2.0 */
/* The golden model's fast paths against the plain formulation they replace: the jump-ahead of
 * the random streams, the input encoder run for a whole sample against T single steps, and the
 * narrow (int32) arithmetic against the wide fallback on the same description. Each pair must
 * agree bit for bit (docs/cmodel.md, "Speed"). */
#include <stdio.h>
#include <string.h>

#include "bg_model.h"
#include "bgf_model.h"
#include "bg_test.h"

static int rng_jump(void) {
  static bg_rng_jump_t j;
  const uint32_t words[] = {1, 2, 31, 200, 784};
  for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
    bg_rng_jump_init(&j, words[w]);
    bg_rng_t r;
    bg_rng_seed(&r, 0x9E3779B9u * (uint32_t)(w + 1));
    for (int k = 0; k < 50; k++) {
      uint32_t jumped = bg_rng_jump(&j, r.state);
      for (uint32_t s = 0; s < words[w]; s++) bg_rng_next(&r);
      BG_CHECK(jumped == r.state, "jump of %u words from state %d differs", words[w], k);
    }
  }
  return 0;
}

/* 7x7 rate-coded input, T = 9: pixels 0, 255 and everything between. */
static const char enc_net[] =
    "{\"format\": \"biograd-net/1\", \"name\": \"enc\", \"seed\": 9,"
    " \"layers\": [{\"size\": 49}, {\"size\": 5}, {\"size\": 3}],"
    " \"input\": {\"shape\": [7, 7]}, \"time\": {\"steps\": 9, \"error_start\": 2}}";

#define ENCODER_CASE(P)                                                                        \
  do {                                                                                         \
    static P##_model_t a, b;                                                                   \
    BG_CHECK(P##_model_init(&a, &net, &err) == BG_OK && P##_model_init(&b, &net, &err) == BG_OK, \
             "%s", err.msg);                                                                   \
    const P##_model_layer_t *la = &a.layer[0], *lb = &b.layer[0];                              \
    for (int s = 0; s < 20; s++) {                                                             \
      for (uint32_t j = 0; j < 49; j++) px[j] = (uint8_t)(j % 3 == 0 ? 0 : (j * 37u + (uint32_t)s * 11u) & 255u); \
      px[1] = 255;                                                                             \
      a.record = b.record = true;                                                              \
      P##_state_reset(&a);                                                                     \
      P##_state_reset(&b);                                                                     \
      for (uint32_t t = 0; t < a.T; t++) P##_input_encoder_step(&a, px, t, &a.rng[BG_STREAM_INPUT]); \
      P##_input_encoder_frames(&b, px, &b.rng[BG_STREAM_INPUT]);                               \
      BG_CHECK(a.rng[BG_STREAM_INPUT].state == b.rng[BG_STREAM_INPUT].state, "sample %d: stream", s); \
      BG_CHECK(!memcmp(la->raster, lb->raster, (size_t)a.T * 49), "sample %d: raster", s);    \
      BG_CHECK(!memcmp(la->act_n, lb->act_n, a.T * sizeof *la->act_n), "sample %d: act_n", s);  \
      BG_CHECK(!memcmp(la->count, lb->count, 49 * sizeof *la->count), "sample %d: counts", s);  \
      for (uint32_t t = 0; t < a.T; t++) {                                                     \
        BG_CHECK(!memcmp(la->act + t * 49, lb->act + t * 49, la->act_n[t] * sizeof *la->act),  \
                 "sample %d step %u: active list", s, t);                                      \
      }                                                                                        \
      BG_CHECK(a.ctr.spikes[0] == b.ctr.spikes[0] && a.ctr.spikes[0] > 0, "spike counter");   \
    }                                                                                          \
    P##_model_free(&a);                                                                        \
    P##_model_free(&b);                                                                        \
  } while (0)

static int encoder_frames_equal_steps(void) {
  static bg_net_t net;
  bg_err_t err;
  uint8_t px[49];
  BG_CHECK(bg_net_parse(enc_net, strlen(enc_net), "enc", &net, &err) == BG_OK, "%s", err.msg);
  ENCODER_CASE(bg);
  ENCODER_CASE(bgf);
  return 0;
}

int main(void) {
  BG_RUN(rng_jump);
  BG_RUN(encoder_frames_equal_steps);
  return bg_test_exit();
}
