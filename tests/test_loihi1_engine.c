/* SPDX-License-Identifier: Apache-2.0 */
/* The loihi1 semantics' learning engine (sw/mapping/bg_loihi1*.c, docs/mapping.md): stochastic
 * rounding, trace steps, the tag, weight and feedback terms with their 16-bit products and
 * saturations, computed by hand; the power-of-two scales; determinism per seed on mnist-fpga (30 random samples);
 * refused options. Run from the repository root. */
#include <stdlib.h>

#include "bg_loihi1.h"
#include "bg_test.h"

/* xorshift32 from state 1 gives 270369 (top bits all 0: every remainder rounds up); from
 * 0x80000000 it gives 0x80084000 (top 2 bits 2, top 12 bits 2048, top 22 bits 2097680). */
static bg_rng_t rng(uint32_t s) {
  bg_rng_t r;
  bg_rng_seed(&r, s);
  return r;
}

static int sround_by_hand(void) {
  bg_rng_t a = rng(1), b = rng(0x80000000u);
  BG_CHECK(bg_l1_sround(5, 2, &a) == 2, "5/4 with draw 0 rounds up to 2");
  BG_CHECK(bg_l1_sround(5, 2, &b) == 1, "5/4 with draw 2 (of 4), remainder 1: stays 1");
  b = rng(0x80000000u);
  BG_CHECK(bg_l1_sround(-5, 2, &b) == -1, "-5/4 = -2 + 3/4, draw 2 < 3: -1");
  a = rng(1);
  BG_CHECK(bg_l1_sround(8, 2, &a) == 2 && a.state == 1, "an exact quotient draws nothing");
  BG_CHECK(bg_l1_sround(3, -2, &a) == 12 && a.state == 1, "a negative shift multiplies");
  /* unbiased: the mean of SR(1/8) over many draws is 1/8 */
  bg_rng_t c = rng(12345);
  int64_t sum = 0;
  for (int k = 0; k < 80000; k++) sum += bg_l1_sround(1, 3, &c);
  BG_CHECK(sum > 9000 && sum < 11000, "SR(1/8) summed over 80000 draws: %lld, expected ~10000",
           (long long)sum);
  return 0;
}

static int trace_by_hand(void) {
  uint64_t sat = 0;
  bg_rng_t a = rng(1), b = rng(0x80000000u), c = rng(1);
  /* 100·1229 = 122900 = 30·4096 + 20: 31 with draw 0, 30 with draw 2048 (>= 20); + 64 */
  BG_CHECK(bg_l1_trace_step(100, 1229, 64, true, &a, &sat) == 95, "decay rounds up, + impulse");
  BG_CHECK(bg_l1_trace_step(100, 1229, 64, true, &b, &sat) == 94, "decay rounds down, + impulse");
  BG_CHECK(bg_l1_trace_step(100, 1229, 64, false, &c, &sat) == 31 && sat == 0, "no spike");
  BG_CHECK(bg_l1_trace_step(100, 4096, 64, true, NULL, &sat) == 127 && sat == 1,
           "164 saturates at 127 (7 bits) and is counted");
  BG_CHECK(bg_l1_trace_step(0, 1229, 64, false, NULL, &sat) == 0, "a zero trace draws nothing");
  return 0;
}

static int tag_by_hand(void) {
  uint64_t sat = 0;
  bg_rng_t a = rng(1), b = rng(0x80000000u);
  /* 91/4 = 22 + 3/4 */
  BG_CHECK(bg_l1_tag_step(250, 91, 2, &a, &sat) == 255 && sat == 1, "250 + 23 saturates at 255");
  BG_CHECK(bg_l1_tag_step(-10, 91, 2, &b, &sat) == 13 && sat == 1, "-10 + 23 (draw 2 < 3)");
  BG_CHECK(bg_l1_tag_step(7, 0, 2, &b, &sat) == 7, "x1 = 0 leaves the tag");
  return 0;
}

static int weight_by_hand(void) {
  uint64_t sa = 0, sw = 0;
  bg_rng_t a = rng(1);
  /* (0 − 16)·40 = −640, ·2^-4 = −40 exactly */
  BG_CHECK(bg_l1_weight_step(100, 16, 0, 40, -4, 8, &a, &sa, &sw) == 60 && a.state == 1,
           "100 - 40, no draw");
  /* (120 − 0)·255 = 30600, ·2^-6 = 478 + 8/64: 479 with draw 0; 10 + 479 saturates at 127 */
  BG_CHECK(bg_l1_weight_step(10, 0, 120, 255, -6, 8, &a, &sa, &sw) == 127 && sw == 1 && sa == 0,
           "the 8-bit weight saturates and is counted");
  BG_CHECK(bg_l1_weight_step(-5, 9, 9, 200, -6, 8, &a, &sa, &sw) == -5, "y2 = y3: no change");
  /* the same product at 2^-10 in a 4-bit weight: 29 + 1 (draw 0) = 30 → +7 */
  a = rng(1);
  BG_CHECK(bg_l1_weight_step(0, 0, 120, 255, -10, 4, &a, &sa, &sw) == 7 && sw == 2,
           "the weight's bits bound it (4 bits: 7)");
  return 0;
}

static int feedback_by_hand(void) {
  uint64_t sa = 0, sw = 0;
  bg_rng_t a = rng(1), b = rng(0x80000000u);
  /* o(h+ − h−) = 4·8 = 32 at 2^-10, o²B = 16·64 = 1024 at 2^-22: (32·4096 − 1024)·2^-22 =
   * 130048/4194304: up with draw 264 (top 22 bits of 270369), down with 2097680 */
  BG_CHECK(bg_l1_feedback_step(64, 4, 10, 2, -10, -22, 8, &a, &sa, &sw) == 65, "rounds up");
  BG_CHECK(bg_l1_feedback_step(64, 4, 10, 2, -10, -22, 8, &b, &sa, &sw) == 64, "rounds down");
  /* o²B = 2500·100 = 250000 does not fit the 16-bit product: 32767 */
  a = rng(1);
  BG_CHECK(bg_l1_feedback_step(100, 50, 0, 0, -10, -22, 8, &a, &sa, &sw) == 100 && sa == 1,
           "the 16-bit product clamps (counted), -32767·2^-22 rounds to 0 with draw 264");
  return 0;
}

static int pow2_scales(void) {
  BG_CHECK(bg_l1_pow2_exp(5.33e-5) == -14, "5.33e-5 -> 2^-14");
  BG_CHECK(bg_l1_pow2_exp(0.75) == 0 && bg_l1_pow2_exp(0.7) == -1, "log2 rounded to nearest");
  BG_CHECK(bg_l1_pow2_exp(1024) == 10, "1024 -> 2^10");
  return 0;
}

typedef struct {
  bg_net_t net;
  bg_target_t t;
  bg_map_t m;
} setup_t;

static int setup(setup_t *s, bg_err_t *err) {
  if (bg_net_load("nets/mnist-fpga.json", &s->net, err) != BG_OK) return 1;
  if (bg_target_load("sw/mapping/targets/loihi1.json", &s->t, err) != BG_OK) return 1;
  return bg_map_compile(&s->net, &s->t, &s->m, err) != BG_OK || !s->m.fits;
}

/* 30 training samples of random pixels; a hash of every weight, bias and feedback value. */
static int run_hash(setup_t *s, uint32_t seed, uint64_t *hash, bg_err_t *err) {
  bg_l1_opts_t o = BG_L1_OPTS_DEFAULT;
  o.seed = seed;
  o.t_epoch = 4;
  bg_l1_t *p;
  if (bg_l1_new(&p, &s->m, &o, err) != BG_OK) return 1;
  const uint32_t n_in = s->net.layers[0].size, n_out = s->net.layers[s->net.n_layers - 1].size;
  uint8_t px[1024];
  bg_rng_t r = rng(99);
  for (int k = 0; k < 30; k++) {
    for (uint32_t j = 0; j < n_in && j < sizeof px; j++) px[j] = (uint8_t)(bg_rng_next(&r) >> 24);
    int pred;
    bg_l1_train(p, px, (int)bg_rng_below(&r, n_out), &pred);
  }
  const bg_model_t *g = bg_l1_model(p);
  uint64_t h = 1469598103934665603ull;
  for (int l = 1; l < s->net.n_layers; l++) {
    const bg_model_layer_t *ly = &g->layer[l];
    for (size_t q = 0; q < (size_t)ly->fan_in * ly->n; q++) h = (h ^ (uint32_t)ly->w[q]) * 1099511628211ull;
    for (uint32_t q = 0; q < ly->n; q++) h = (h ^ (uint32_t)ly->b[q]) * 1099511628211ull;
  }
  *hash = h;
  const bool learned = bg_l1_counters(p)->weight_writes > 0;
  bg_l1_free(p);
  return learned ? 0 : 2;
}

static int determinism(void) {
  static setup_t s;
  bg_err_t err;
  BG_CHECK(setup(&s, &err) == 0, "setup: %s", err.msg);
  uint64_t h1, h2, h3;
  int rc = run_hash(&s, 7, &h1, &err);
  BG_CHECK(rc == 0, "run (seed 7): %s", rc == 2 ? "no weight changed" : err.msg);
  BG_CHECK(run_hash(&s, 7, &h2, &err) == 0 && h1 == h2, "seed 7 twice: %016llx vs %016llx",
           (unsigned long long)h1, (unsigned long long)h2);
  BG_CHECK(run_hash(&s, 8, &h3, &err) == 0 && h1 != h3, "seed 8 gives the same weights as 7");
  bg_map_free(&s.m);
  return 0;
}

static int refused_options(void) {
  static setup_t s;
  bg_err_t err;
  BG_CHECK(setup(&s, &err) == 0, "setup: %s", err.msg);
  bg_l1_opts_t o = BG_L1_OPTS_DEFAULT;
  o.t_epoch = 3;   /* mnist-fpga has T = 20 */
  BG_CHECK(bg_l1_check(&s.m, &o, &err) != BG_OK && strstr(err.msg, "--t-epoch") &&
           strstr(err.msg, "dividing time.steps = 20"), "t_epoch 3: %s", err.msg);
  o.t_epoch = 64;
  BG_CHECK(bg_l1_check(&s.m, &o, &err) != BG_OK && strstr(err.msg, "1 … 63"), "t_epoch 64: %s",
           err.msg);
  o.t_epoch = 2;
  o.err_exp = 1;
  BG_CHECK(bg_l1_check(&s.m, &o, &err) != BG_OK && strstr(err.msg, "--err-exp"), "err_exp 1");
  o.err_exp = -4;
  BG_CHECK(bg_l1_check(&s.m, &o, &err) == BG_OK, "the defaults: %s", err.msg);
  bg_map_free(&s.m);
  return 0;
}

int main(void) {
  BG_RUN(sround_by_hand);
  BG_RUN(trace_by_hand);
  BG_RUN(tag_by_hand);
  BG_RUN(weight_by_hand);
  BG_RUN(feedback_by_hand);
  BG_RUN(pow2_scales);
  BG_RUN(determinism);
  BG_RUN(refused_options);
  return bg_test_exit();
}
