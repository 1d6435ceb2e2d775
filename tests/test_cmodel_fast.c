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
      for (uint32_t j = 0; j < 49; j++) {                                                     \
        px[j] = (uint8_t)(j % 3 == 0 ? 0 : (j * 37u + (uint32_t)s * 11u) & 255u);             \
      }                                                                                        \
      px[1] = 255;                                                                             \
      a.record = b.record = true;                                                              \
      P##_state_reset(&a);                                                                     \
      P##_state_reset(&b);                                                                     \
      for (uint32_t t = 0; t < a.T; t++) {                                                     \
        P##_input_encoder_step(&a, px, t, &a.rng[BG_STREAM_INPUT]);                            \
      }                                                                                        \
      P##_input_encoder_frames(&b, px, &b.rng[BG_STREAM_INPUT]);                               \
      BG_CHECK(a.rng[BG_STREAM_INPUT].state == b.rng[BG_STREAM_INPUT].state,                   \
               "sample %d: stream", s);                                                        \
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

/* 8-bit weights and the FPGA formats: every narrow path applies. The %s are the hidden layers,
 * the output weight format, the trace and dendrite formats, and "learning". */
static const char narrow_net[] =
    "{\"format\": \"biograd-net/1\", \"name\": \"narrow\", \"seed\": 21,"
    " \"layers\": [{\"size\": 36}, %s {\"size\": 6, \"weight\": %s}],"
    " \"input\": {\"shape\": [6, 6]}, \"time\": {\"steps\": 10, \"error_start\": 2},"
    " \"fixed_point\": {\"potential\": {\"bits\": 24, \"frac\": 14}, %s"
    " \"error\": {\"bits\": 16, \"frac\": 10}, \"accumulator_bits\": 24, \"count_bits\": 8},"
    " \"learning\": {%s},"
    " \"sleep\": {\"period\": 8, \"steps\": 6, \"samples\": 4}}";
#define W8 "{\"bits\": 8, \"frac\": 7}"
#define W16 "{\"bits\": 16, \"frac\": 14}"
#define HIDDEN1 "{\"size\": 20, \"weight\": " W8 ", \"feedback\": {\"bits\": 8, \"frac\": 5}},"
/* with 16-bit weights and a large rate the update step's shift is below 32 */
#define HIDDEN1_W16 "{\"size\": 20, \"weight\": " W16 ", \"feedback\": {\"bits\": 8, \"frac\": 5}},"
/* U = D + Tr (no rounding of δ·e), and D + Tr > 32 (U = 32: δ·e is rounded by 4 bits) */
#define FPGA_FX \
  "\"trace\": {\"bits\": 16, \"frac\": 10}, \"dendrite\": {\"bits\": 32, \"frac\": 16},"
#define FINE_FX \
  "\"trace\": {\"bits\": 16, \"frac\": 12}, \"dendrite\": {\"bits\": 32, \"frac\": 24},"
#define HIDDEN2 \
  HIDDEN1 " {\"size\": 12, \"weight\": " W8 ", \"feedback\": {\"bits\": 8, \"frac\": 5}},"

/* Switch every narrow path off: the general (int64, per-synapse bg_scale_round) forms. */
static void wide_only(bg_model_t *m) {
  for (int l = 1; l < m->n_layers; l++) m->layer[l].sum32 = false;
  m->elig32 = m->acc_narrow = m->update_narrow = false;
}

static bool narrow_on(const bg_model_t *m) {
  bool on = m->elig32 && m->acc_narrow && m->update_narrow;
  for (int l = 1; l < m->n_layers; l++) on = on && m->layer[l].sum32;
  return on;
}

/* Everything a sample leaves behind: weights, feedback, accumulators, dendrites, streams,
 * saturation counters and event counters. */
static bool same_model(const bg_model_t *a, const bg_model_t *b) {
  for (int l = 1; l < a->n_layers; l++) {
    const bg_model_layer_t *x = &a->layer[l], *y = &b->layer[l];
    size_t syn = (size_t)x->fan_in * x->n, n_out = a->layer[a->n_layers - 1].n;
    if (memcmp(x->w, y->w, syn * sizeof *x->w) || memcmp(x->b, y->b, x->n * sizeof *x->b) ||
        memcmp(x->acc, y->acc, syn * sizeof *x->acc) ||
        memcmp(x->accb, y->accb, x->n * sizeof *x->accb) ||
        memcmp(x->d, y->d, x->n * sizeof *x->d)) {
      return false;
    }
    if (x->fb && memcmp(x->fb, y->fb, x->n * n_out * sizeof *x->fb)) return false;
  }
  return !memcmp(a->rng, b->rng, sizeof a->rng) && !memcmp(&a->sat, &b->sat, sizeof a->sat) &&
         !memcmp(&a->ctr, &b->ctr, sizeof a->ctr);
}

static int narrow_case(const char *hidden, const char *wout, const char *fx,
                       const char *learning) {
  static bg_net_t net;
  static bg_model_t a, b;
  char text[4096];
  bg_err_t err;
  snprintf(text, sizeof text, narrow_net, hidden, wout, fx, learning);
  BG_CHECK(bg_net_parse(text, strlen(text), "narrow", &net, &err) == BG_OK, "%s", err.msg);
  BG_CHECK(bg_model_init(&a, &net, &err) == BG_OK && bg_model_init(&b, &net, &err) == BG_OK,
           "%s", err.msg);
  BG_CHECK(narrow_on(&a), "%s: model_init should pick the narrow paths", learning);
  wide_only(&b);
  uint8_t px[36];
  uint32_t r = 77;
  for (int s = 0; s < 60; s++) {
    for (int j = 0; j < 36; j++) {
      r ^= r << 13;
      r ^= r >> 17;
      r ^= r << 5;
      px[j] = (r & 3) == 0 ? 0 : (uint8_t)(r >> 24);   /* a quarter black, some saturated */
      if (j % 7 == 0) px[j] = 255;
    }
    int label = (int)(r % 6);
    BG_CHECK(bg_model_train(&a, px, label) == bg_model_train(&b, px, label),
             "%s: sample %d: predictions differ", learning, s);
    BG_CHECK(same_model(&a, &b), "%s: sample %d: narrow and wide paths differ", learning, s);
  }
  BG_CHECK(a.ctr.updates > 0 && a.ctr.sleeps > 0 && a.ctr.weight_writes > 0, "%s: no learning",
           learning);
  bg_model_free(&a);
  bg_model_free(&b);
  return 0;
}

#define SR "\"rate\": 0.01, \"rounding\": \"stochastic\", "
static int narrow_equals_wide(void) {
  if (narrow_case(HIDDEN1, W8, FPGA_FX, SR "\"mode\": \"replay\"") ||
      narrow_case(HIDDEN1, W8, FINE_FX, SR "\"mode\": \"replay\"") ||
      narrow_case(HIDDEN1, W8, FPGA_FX,
                  "\"rate\": 0.01, \"mode\": \"replay\", \"rounding\": \"nearest\", "
                  "\"batch\": 3") ||
      narrow_case(HIDDEN2, W8, FPGA_FX, SR "\"mode\": \"replay\"") ||
      narrow_case(HIDDEN1, W8, FPGA_FX, SR "\"mode\": \"trace\"") ||
      narrow_case(HIDDEN1_W16, W16, FPGA_FX,
                  "\"rate\": 0.5, \"rounding\": \"stochastic\", \"mode\": \"replay\"")) {
    return 1;
  }
  return 0;
}

/* The golden formats (32-bit weights and traces, 64-bit dendrites) exceed the bounds: model_init
 * must choose the wide paths itself. */
static int wide_formats_fall_back(void) {
  static bg_net_t net;
  static bg_model_t m;
  bg_err_t err;
  BG_CHECK(bg_net_parse(enc_net, strlen(enc_net), "enc", &net, &err) == BG_OK, "%s", err.msg);
  BG_CHECK(bg_model_init(&m, &net, &err) == BG_OK, "%s", err.msg);
  BG_CHECK(!m.layer[1].sum32 && !m.layer[2].sum32, "input sums: 32-bit weights need int64");
  BG_CHECK(!m.elig32, "eligibility: 32-bit traces need int64 sums");
  BG_CHECK(!m.acc_narrow, "accumulator update: 64-bit dendrites need the general form");
  bg_model_free(&m);
  return 0;
}

int main(void) {
  BG_RUN(rng_jump);
  BG_RUN(encoder_frames_equal_steps);
  BG_RUN(narrow_equals_wide);
  BG_RUN(wide_formats_fall_back);
  return bg_test_exit();
}
