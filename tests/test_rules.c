/* SPDX-License-Identifier: Apache-2.0 */
/* The seed rules behind the rule seam (docs/rules.md), on the synthetic toy task of
 * test_cmodel_train: each rule learns it on every path it has; two runs with one seed give the
 * same weights and another seed other weights; a checkpoint taken mid-run resumes bit-identically
 * and another rule's checkpoint is refused; the path a rule lacks is refused with the reason;
 * BPSTA's options change the update; one BioLeaF step computed by hand, what BioLeaF refuses,
 * and its two paths spiking alike on a first sample. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bg_model.h"
#include "bgf_model.h"
#include "bg_test.h"
#include "bg_test_files.h"
#include "bg_test_toy.h"

#define TOY(rule, opts, learning, extra)                                                        \
  "{\"format\": \"biograd-net/1\", \"name\": \"toy\", \"rule\": \"" rule "\", " opts            \
  "\"seed\": 5, \"layers\": [{\"size\": 16}, {\"size\": 12}, {\"size\": 4}], "                  \
  "\"input\": {\"shape\": [4, 4]}, \"time\": {\"steps\": 10, \"error_start\": 2}, "            \
  "\"sleep\": {\"enabled\": false}, \"learning\": {" learning "}" extra "}"

/* 8-bit weights with a per-layer exponent, as on the FPGA net. */
#define FX8                                                                                     \
  ", \"fixed_point\": {\"weight\": {\"bits\": 8, \"frac\": 8}, \"feedback\": {\"bits\": 8, "       \
  "\"frac\": 7}, \"potential\": {\"bits\": 24, \"frac\": 14}, \"trace\": {\"bits\": 16, "          \
  "\"frac\": 10}, \"error\": {\"bits\": 16, \"frac\": 10}, \"dendrite\": {\"bits\": 32, "       \
  "\"frac\": 16}, \"accumulator_bits\": 24, \"count_bits\": 8}"

/* BioLeaF: the error cells fire once per unit of error (threshold 0.5), the labelled output's
 * target is a spike every other step. */
#define BIOLEAF_OPTS(fb) "\"rule_options\": {\"pre_decay\": 0.5, \"target_rate\": 0.5, " \
  "\"error_feedback\": \"" fb "\"}, "

typedef struct {
  const char *what;
  const char *text;
  bool integer;        /* the rule has an integer path */
  uint32_t samples;    /* training samples for the learning check */
} rule_case_t;

static const rule_case_t kCases[] = {
    {"bptt", TOY("bptt", "", "\"rate\": 0.02", ""), false, 400},
    {"bptt, batch 8", TOY("bptt", "", "\"rate\": 0.1, \"batch\": 8", ""), false, 800},
    {"bptt + BPSTA spatial", TOY("bptt", "\"rule_options\": {\"spatial\": true}, ", "\"rate\": 0.02", ""),
     false, 800},
    {"bptt + BPSTA temporal",
     TOY("bptt", "\"rule_options\": {\"temporal\": 0.2}, ", "\"rate\": 0.02", ""), false, 400},
    {"ssnn-bp", TOY("ssnn-bp", "", "\"rate\": 0.01", ""), true, 400},
    {"ssnn-bp, kappa 2, stochastic rounding",
     TOY("ssnn-bp", "\"rule_options\": {\"kappa\": 2}, ", "\"rate\": 0.01, \"rounding\": \"stochastic\"", ""),
     true, 400},
    {"ssnn-bp, running-rate drive",
     TOY("ssnn-bp", "\"rule_options\": {\"drive\": \"rate\"}, ", "\"rate\": 0.01", ""), true, 400},
    {"ssnn-bp, 8-bit weights, stochastic rounding",
     TOY("ssnn-bp", "", "\"rate\": 0.008, \"rounding\": \"stochastic\"", FX8), true, 400},
    {"bioleaf, tied feedback",
     TOY("bioleaf", BIOLEAF_OPTS("tied"), "\"rate\": 0.01, \"error_threshold\": 0.5", ""), true,
     400},
    {"bioleaf, fixed feedback",
     TOY("bioleaf", BIOLEAF_OPTS("fixed"), "\"rate\": 0.005, \"error_threshold\": 0.5", ""),
     true, 400},
    {"bioleaf, 8-bit weights, stochastic rounding",
     TOY("bioleaf", BIOLEAF_OPTS("tied"),
         "\"rate\": 0.01, \"error_threshold\": 0.5, \"rounding\": \"stochastic\"", FX8),
     true, 400},
};
#define N_CASES (sizeof kCases / sizeof kCases[0])

static int parse(const char *text, bg_net_t *net) {
  bg_err_t err;
  if (bg_net_parse(text, strlen(text), "toy", net, &err) != BG_OK) {
    fprintf(stderr, "%s\n", err.msg);
    return 1;
  }
  return 0;
}

#define HASH_W(m, h)                                                                            \
  do {                                                                                          \
    h = 1469598103934665603ull;                                                                 \
    for (int l = 1; l < (m)->n_layers; l++) {                                                   \
      for (size_t s = 0; s < (size_t)(m)->layer[l].fan_in * (m)->layer[l].n; s++) {             \
        double v_ = (double)(m)->layer[l].w[s];                                                 \
        uint64_t u_;                                                                            \
        memcpy(&u_, &v_, sizeof u_);                                                            \
        h = (h ^ u_) * 1099511628211ull;                                                        \
      }                                                                                         \
      for (uint32_t i = 0; i < (m)->layer[l].n; i++) {                                          \
        double v_ = (double)(m)->layer[l].b[i];                                                 \
        uint64_t u_;                                                                            \
        memcpy(&u_, &v_, sizeof u_);                                                            \
        h = (h ^ u_) * 1099511628211ull;                                                        \
      }                                                                                         \
    }                                                                                           \
  } while (0)

static int learn_one(const rule_case_t *c, bool fl) {
  static bg_net_t net;
  bg_err_t err;
  BG_CHECK(parse(c->text, &net) == 0, "%s: the description does not parse", c->what);
  double before, after;
  if (fl) {
    bgf_model_t m;
    BG_CHECK(bgf_model_init(&m, &net, &err) == BG_OK, "%s", err.msg);
    TOY_TRAIN_AND_TEST(bgf, &m, 0, 0, before);
    TOY_TRAIN_AND_TEST(bgf, &m, 0, c->samples, after);
    bgf_model_free(&m);
  } else {
    bg_model_t m;
    BG_CHECK(bg_model_init(&m, &net, &err) == BG_OK, "%s", err.msg);
    TOY_TRAIN_AND_TEST(bg, &m, 0, 0, before);
    TOY_TRAIN_AND_TEST(bg, &m, 0, c->samples, after);
    bg_model_free(&m);
  }
  printf("  %s (%s): %.1f %% -> %.1f %%\n", c->what, fl ? "float" : "integer", before, after);
  BG_CHECK(after >= 85.0 && after > before + 30, "%s (%s): accuracy %.1f %% -> %.1f %%", c->what,
           fl ? "float" : "integer", before, after);
  return 0;
}

static int every_rule_learns_the_toy_task(void) {
  for (size_t k = 0; k < N_CASES; k++) {
    if (learn_one(&kCases[k], true)) return 1;
    if (kCases[k].integer && learn_one(&kCases[k], false)) return 1;
  }
  return 0;
}

/* Same seed: same weights; seed 6: other weights; on each path the rule has. */
#define DETERMINISM(P, text, what)                                                              \
  do {                                                                                          \
    static bg_net_t n1, n2;                                                                     \
    bg_err_t err;                                                                               \
    char other[4096];                                                                           \
    snprintf(other, sizeof other, "%s", text);                                                  \
    char *p = strstr(other, "\"seed\": 5");                                                     \
    BG_CHECK(p != NULL, "seed in text");                                                        \
    p[8] = '6';                                                                                 \
    BG_CHECK(parse(text, &n1) == 0 && parse(other, &n2) == 0, "parse");                         \
    P##_model_t a, b, c;                                                                        \
    BG_CHECK(P##_model_init(&a, &n1, &err) == BG_OK && P##_model_init(&b, &n1, &err) == BG_OK && \
                 P##_model_init(&c, &n2, &err) == BG_OK, "init: %s", err.msg);                  \
    double acc_;                                                                                \
    TOY_TRAIN_AND_TEST(P, &a, 0, 100, acc_);                                                        \
    TOY_TRAIN_AND_TEST(P, &b, 0, 100, acc_);                                                        \
    TOY_TRAIN_AND_TEST(P, &c, 0, 100, acc_);                                                        \
    (void)acc_;                                                                                 \
    uint64_t ha, hb, hc;                                                                        \
    HASH_W(&a, ha);                                                                             \
    HASH_W(&b, hb);                                                                             \
    HASH_W(&c, hc);                                                                             \
    BG_CHECK(ha == hb, "%s (" #P "): same seed, different weights", what);                      \
    BG_CHECK(ha != hc, "%s (" #P "): another seed, identical weights", what);                   \
    P##_model_free(&a);                                                                         \
    P##_model_free(&b);                                                                         \
    P##_model_free(&c);                                                                         \
  } while (0)

static int every_rule_is_deterministic(void) {
  for (size_t k = 0; k < N_CASES; k++) {
    DETERMINISM(bgf, kCases[k].text, kCases[k].what);
    if (kCases[k].integer) DETERMINISM(bg, kCases[k].text, kCases[k].what);
  }
  return 0;
}

/* Save after 61 samples (mid-batch for batch 8), go on to 150; a model loaded from the file and
 * trained on 61..150 ends identical. A checkpoint of another rule is refused. */
#define RESUME(P, text, what, dir)                                                              \
  do {                                                                                          \
    static bg_net_t net;                                                                        \
    bg_err_t err;                                                                               \
    char path[300];                                                                             \
    snprintf(path, sizeof path, "%s/run.ckpt", dir);                                            \
    BG_CHECK(parse(text, &net) == 0, "parse");                                                  \
    P##_model_t a, b;                                                                           \
    BG_CHECK(P##_model_init(&a, &net, &err) == BG_OK && P##_model_init(&b, &net, &err) == BG_OK, \
             "init: %s", err.msg);                                                              \
    double acc_;                                                                                \
    uint8_t px[16];                                                                             \
    int lab;                                                                                    \
    for (uint32_t s = 0; s < 61; s++) {                                                         \
      toy_sample(s, px, &lab);                                                                  \
      P##_model_train(&a, px, lab);                                                             \
    }                                                                                           \
    BG_CHECK(P##_model_save(&a, path, 2, &err) == BG_OK, "save: %s", err.msg);                  \
    TOY_TRAIN_AND_TEST(P, &a, 61, 89, acc_);                                                        \
    uint32_t ep = 0;                                                                            \
    BG_CHECK(P##_model_load(&b, path, &ep, &err) == BG_OK && ep == 2, "load: %s", err.msg);     \
    TOY_TRAIN_AND_TEST(P, &b, 61, 89, acc_);                                                        \
    (void)acc_;                                                                                 \
    uint64_t ha, hb;                                                                            \
    HASH_W(&a, ha);                                                                             \
    HASH_W(&b, hb);                                                                             \
    BG_CHECK(ha == hb, "%s (" #P "): resumed run differs from the uninterrupted one", what);    \
    static bg_net_t bio;                                                                        \
    BG_CHECK(parse(TOY("biograd", "", "\"rate\": 0.05", ""), &bio) == 0, "parse biograd");      \
    P##_model_t g;                                                                              \
    BG_CHECK(P##_model_init(&g, &bio, &err) == BG_OK, "init: %s", err.msg);                     \
    BG_CHECK(P##_model_load(&g, path, &ep, &err) == BG_E_RANGE &&                               \
                 strstr(err.msg, "another description") != NULL,                                \
             "%s (" #P "): a BioGrad model took this rule's checkpoint: %s", what, err.msg);    \
    P##_model_free(&g);                                                                         \
    P##_model_free(&a);                                                                         \
    P##_model_free(&b);                                                                         \
  } while (0)

static int every_rule_resumes_from_a_checkpoint(void) {
  char dir[256];
  BG_CHECK(bg_tf_mkdtemp("rules", dir, sizeof dir) == 0, "temp dir");
  for (size_t k = 0; k < N_CASES; k++) {
    RESUME(bgf, kCases[k].text, kCases[k].what, dir);
    if (kCases[k].integer) RESUME(bg, kCases[k].text, kCases[k].what, dir);
  }
  bg_tf_rm_rf(dir);
  return 0;
}

/* A rule without an integer path is refused on it, with the reason and the way out. */
static int bptt_integer_path_refused(void) {
  static bg_net_t net;
  bg_err_t err;
  BG_CHECK(parse(kCases[0].text, &net) == 0, "parse");
  bg_model_t m;
  BG_CHECK(bg_model_init(&m, &net, &err) == BG_E_ARG, "integer BPTT accepted");
  BG_CHECK(strstr(err.msg, "bptt") && strstr(err.msg, "--float"), "message: %s", err.msg);
  return 0;
}

/* Each BPSTA option changes the update of the same sample (it is wired to the backward pass),
 * and the plain rule's update has a high cosine with BioGrad's on the same forward pass (the
 * backprop-equivalence claim, measured here by the same adjoint as bgtrain's instrument). */
static int bptt_options_change_the_update(void) {
  static const char *const texts[3] = {
      TOY("bptt", "", "\"rate\": 0.05, \"batch\": 2", ""),
      TOY("bptt", "\"rule_options\": {\"spatial\": true}, ", "\"rate\": 0.05, \"batch\": 2", ""),
      TOY("bptt", "\"rule_options\": {\"temporal\": 0.2}, ", "\"rate\": 0.05, \"batch\": 2", "")};
  static bg_net_t net[3];
  bgf_model_t m[3];
  bg_err_t err;
  for (int k = 0; k < 3; k++) {
    BG_CHECK(parse(texts[k], &net[k]) == 0, "parse");
    BG_CHECK(bgf_model_init(&m[k], &net[k], &err) == BG_OK, "init: %s", err.msg);
  }
  uint8_t px[16];
  int lab;
  toy_sample(3, px, &lab);
  for (int k = 0; k < 3; k++) m[k].rule->train_sample(&m[k], px, lab);
  double d1 = 0, d2 = 0, scale = 0;
  for (int l = 1; l < m[0].n_layers; l++) {
    for (size_t s = 0; s < (size_t)m[0].layer[l].fan_in * m[0].layer[l].n; s++) {
      scale = fmax(scale, fabs(m[0].layer[l].acc[s]));
      d1 = fmax(d1, fabs(m[0].layer[l].acc[s] - m[1].layer[l].acc[s]));
      d2 = fmax(d2, fabs(m[0].layer[l].acc[s] - m[2].layer[l].acc[s]));
    }
  }
  BG_CHECK(scale > 1e-3, "no gradient on the sample (max |acc| %g)", scale);
  BG_CHECK(d1 > 1e-6 * scale, "spatial adjustment left the update unchanged");
  BG_CHECK(d2 > 1e-6 * scale, "temporal adjustment left the update unchanged");
  for (int k = 0; k < 3; k++) bgf_model_free(&m[k]);
  return 0;
}


/* SSNN-BP by hand: a 2-2-2 net, one step per sample, 16-bit weights with 8 fraction bits, ε = 4
 * LSB with nearest rounding. The test replays the documented draw order itself (stream 1 for the
 * input; stream 3 for the hidden spikes, the winner and the gradient spikes) and the equations of
 * docs/rules.md on its own copy of the weights; after each of 8 samples every spike, weight and
 * bias must agree exactly. */
static int ssnn_bp_step_by_hand(void) {
  static const char text[] =
      "{\"format\": \"biograd-net/1\", \"name\": \"hand\", \"rule\": \"ssnn-bp\", \"seed\": 3, "
      "\"layers\": [{\"size\": 2}, {\"size\": 2, \"weight\": {\"bits\": 16, \"frac\": 8}}, "
      "{\"size\": 2, \"weight\": {\"bits\": 16, \"frac\": 8}}], \"input\": {\"shape\": [1, 2]}, "
      "\"time\": {\"steps\": 1, \"error_start\": 0}, \"sleep\": {\"enabled\": false}, "
      "\"learning\": {\"rate\": 0.015625, \"rounding\": \"nearest\"}}";
  static bg_net_t net;
  bg_err_t err;
  BG_CHECK(parse(text, &net) == 0, "parse");
  bg_model_t m;
  BG_CHECK(bg_model_init(&m, &net, &err) == BG_OK, "init: %s", err.msg);
  /* W1[j][i] at w[j·2 + i]: a = (128, 64) = (0.5, 0.25) when both inputs spike */
  int32_t w1[4] = {64, -32, 32, 16}, b1[2] = {32, 80};
  int32_t w2[4] = {200, -100, 50, 150}, b2[2] = {0, 0};
  memcpy(m.layer[1].w, w1, sizeof w1);
  memcpy(m.layer[1].b, b1, sizeof b1);
  memcpy(m.layer[2].w, w2, sizeof w2);
  memcpy(m.layer[2].b, b2, sizeof b2);
  bg_rng_t r1, r3;
  bg_rng_seed(&r1, net.q.stream_seed[BG_STREAM_INPUT]);
  bg_rng_seed(&r3, net.q.stream_seed[BG_STREAM_SLEEP_NOISE]);
  uint32_t lut[128], len = 0;
  while (len < 128 && (lut[len] = (uint32_t)llround(65536.0 * exp(-(double)len / 8))) != 0) len++;
  const uint8_t px[2] = {255, 200};
  const int label = 1, eps = 4;
  int learned = 0, grads = 0;
  for (int sample = 0; sample < 8; sample++) {
    int x[2], s[2], fp[2], e[2], g[2] = {0, 0};
    int64_t a[2], z[2];
    for (int j = 0; j < 2; j++) x[j] = bg_rng_r16(&r1) < px[j] * 257u;
    for (int i = 0; i < 2; i++) {
      a[i] = b1[i] + x[0] * w1[0 * 2 + i] + x[1] * w1[1 * 2 + i];
      int64_t p = a[i] * 256;
      p = p < 0 ? 0 : (p > 65536 ? 65536 : p);
      s[i] = bg_rng_r16(&r3) < p;
      fp[i] = a[i] > 0 && a[i] < 256;
    }
    for (int k = 0; k < 2; k++) z[k] = b2[k] + s[0] * w2[0 * 2 + k] + s[1] * w2[1 * 2 + k];
    int64_t zmax = z[0] > z[1] ? z[0] : z[1], E[2], S = 0;
    for (int k = 0; k < 2; k++) {
      int64_t idx = (zmax - z[k]) >> 5;                     /* the gap in eighths */
      S += E[k] = lut[idx < (int64_t)len ? idx : len - 1];
    }
    int64_t u = (int64_t)(((uint64_t)bg_rng_next(&r3) * (uint64_t)S) >> 32);
    int win = u < E[0] ? 0 : 1;
    for (int k = 0; k < 2; k++) e[k] = (k == win) - (k == label);
    if (e[0] || e[1]) {
      learned++;
      for (int i = 0; i < 2; i++) {
        if (!fp[i]) continue;
        int64_t gam = 0;
        for (int k = 0; k < 2; k++) gam += e[k] ? (e[k] > 0 ? w2[i * 2 + k] : -w2[i * 2 + k]) : 0;
        int64_t p = (gam < 0 ? -gam : gam) * 256;           /* κ = 1 */
        p = p > 65536 ? 65536 : p;
        if (bg_rng_r16(&r3) < p) g[i] = gam > 0 ? 1 : -1;
        grads += g[i] != 0;
      }
    }
    for (int j = 0; j < 2; j++) {
      for (int i = 0; i < 2; i++) w1[j * 2 + i] -= eps * x[j] * g[i];
    }
    for (int i = 0; i < 2; i++) b1[i] -= eps * g[i];
    for (int i = 0; i < 2; i++) {
      for (int k = 0; k < 2; k++) w2[i * 2 + k] -= eps * s[i] * e[k];
    }
    for (int k = 0; k < 2; k++) b2[k] -= eps * e[k];
    BG_CHECK(bg_model_train(&m, px, label) >= 0, "train");
    for (int i = 0; i < 2; i++) {
      BG_CHECK(m.layer[0].raster[i] == x[i], "sample %d: input spike %d: expected %d", sample, i, x[i]);
      BG_CHECK(m.layer[1].raster[i] == s[i], "sample %d: hidden spike %d: expected %d", sample, i, s[i]);
      BG_CHECK(m.layer[2].raster[i] == (i == win), "sample %d: winner: expected %d", sample, win);
    }
    for (int k = 0; k < 4; k++) {
      BG_CHECK(m.layer[1].w[k] == w1[k], "sample %d: W1[%d]: expected %d, got %d", sample, k,
               w1[k], m.layer[1].w[k]);
      BG_CHECK(m.layer[2].w[k] == w2[k], "sample %d: V[%d]: expected %d, got %d", sample, k,
               w2[k], m.layer[2].w[k]);
    }
    for (int i = 0; i < 2; i++) {
      BG_CHECK(m.layer[1].b[i] == b1[i] && m.layer[2].b[i] == b2[i], "sample %d: bias %d", sample, i);
    }
  }
  BG_CHECK(learned > 0 && grads > 0, "the case never exercised an update (%d errors, %d gradient "
           "spikes): choose other values", learned, grads);
  BG_CHECK(m.rng[BG_STREAM_SLEEP_NOISE].state == r3.state, "stream 3 drew a different number of words");
  bg_model_free(&m);
  return 0;
}

/* A 2-2-2 net in readable formats: traces, errors and weights with 8 fraction bits (ONE = 256),
 * λ = 0.5 (128), θe = 0.5 (128), η = 2^-4 (ΔW = x̄/16), target spike at every step. */
#define HAND(fb)                                                                                \
  "{\"format\": \"biograd-net/1\", \"name\": \"hand\", \"rule\": \"bioleaf\", "                   \
  "\"rule_options\": {\"pre_decay\": 0.5, \"target_rate\": 1.0, \"error_feedback\": \"" fb "\"}, " \
  "\"layers\": [{\"size\": 2}, {\"size\": 2}, {\"size\": 2}], \"input\": {\"shape\": [1, 2]}, "  \
  "\"time\": {\"steps\": 4, \"error_start\": 1}, \"sleep\": {\"enabled\": false}, "              \
  "\"learning\": {\"rate\": 0.0625, \"error_threshold\": 0.5}, \"fixed_point\": {"                \
  "\"weight\": {\"bits\": 16, \"frac\": 8}, \"feedback\": {\"bits\": 16, \"frac\": 8}, "           \
  "\"trace\": {\"bits\": 16, \"frac\": 8}, \"error\": {\"bits\": 16, \"frac\": 8}}}"

/* Set the state before step t = 1 by hand (label 0):
 *   x̄0 = [256, 0], x̄1 = [128, 70]; spikes x = [1, 1], hidden s = [1, 0] with window bits g,
 *   output s = [0, 1]; output cells u⁺ = [100, 0], u⁻ = [0, 200], ρ⁻ = [0, 1] (last step);
 *   hidden u⁺ = [120, 0]; W1 = [[1, 2], [3, 4]], b1 = [10, −10], W2 = [[64, −32], [16, 128]],
 *   b2 = 0; B = [[0, 0], [0, −200]]. */
static void hand_setup(bg_model_t *m, const uint8_t g[2]) {
  bg_bioleaf_state_t *st = m->rule_state;
  const uint32_t t = 1;
  st->xbar[0][0] = 256, st->xbar[0][1] = 0;
  st->xbar[1][0] = 128, st->xbar[1][1] = 70;
  const uint8_t x[2] = {1, 1}, s1[2] = {1, 0}, s2[2] = {0, 1};
  memcpy(m->layer[0].raster + 2 * t, x, 2);
  memcpy(m->layer[1].raster + 2 * t, s1, 2);
  memcpy(m->layer[1].g_rec + 2 * t, g, 2);
  memcpy(m->layer[2].raster + 2 * t, s2, 2);
  st->up[2][0] = 100, st->up[2][1] = 0, st->um[2][0] = 0, st->um[2][1] = 200;
  st->rp[2][0] = st->rp[2][1] = 0, st->rm[2][0] = 0, st->rm[2][1] = 1;
  st->up[1][0] = 120, st->up[1][1] = 0, st->um[1][0] = st->um[1][1] = 0;
  st->rp[1][0] = st->rp[1][1] = st->rm[1][0] = st->rm[1][1] = 0;
  const int32_t w1[4] = {1, 2, 3, 4}, w2[4] = {64, -32, 16, 128}, fb[4] = {0, 0, 0, -200};
  memcpy(m->layer[1].w, w1, sizeof w1);
  memcpy(m->layer[2].w, w2, sizeof w2);
  memcpy(m->layer[1].fb, fb, sizeof fb);
  m->layer[1].b[0] = 10, m->layer[1].b[1] = -10;
  m->layer[2].b[0] = m->layer[2].b[1] = 0;
  m->ctr.weight_writes = 0;
}

#define EQ4(a, b0, b1, b2, b3, what)                                                          \
  BG_CHECK((a)[0] == (b0) && (a)[1] == (b1) && (a)[2] == (b2) && (a)[3] == (b3),                \
           "%s: %d %d %d %d, expected %d %d %d %d", what, (int)(a)[0], (int)(a)[1],          \
           (int)(a)[2], (int)(a)[3], b0, b1, b2, b3)
#define EQ2(a, b0, b1, what)                                                                  \
  BG_CHECK((a)[0] == (b0) && (a)[1] == (b1), "%s: %d %d, expected %d %d", what, (int)(a)[0],   \
           (int)(a)[1], b0, b1)

static int bioleaf_step_by_hand(void) {
  static bg_net_t tied, fixed;
  bg_err_t err;
  BG_CHECK(parse(HAND("tied"), &tied) == 0 && parse(HAND("fixed"), &fixed) == 0, "parse");
  bg_model_t m;
  BG_CHECK(bg_model_init(&m, &tied, &err) == BG_OK, "init: %s", err.msg);
  bg_bioleaf_state_t *st = m.rule_state;
  BG_CHECK(st->lambda == 128 && st->r16 == 65536 && st->eta_m == 16384 && st->eta_sh == 18,
           "constants: λ %d r16 %u η %u·2^-%u", (int)st->lambda, st->r16, st->eta_m, st->eta_sh);
  const uint8_t open[2] = {1, 1};
  hand_setup(&m, open);
  bg_bioleaf_step(&m, 1, 0);
  /* traces: x̄ = RND(128·x̄, 8) + 256·x */
  EQ2(st->xbar[0], 384, 256, "x̄0");
  EQ2(st->xbar[1], 64 + 256, 35, "x̄1");
  /* output: ε = [+256, −256]; u⁺0 = 100 + 256, u⁻1 = 200 − 128 + 256 */
  EQ2(st->up[2], 356, -256, "output u+");
  EQ2(st->um[2], -256, 328, "output u-");
  EQ2(st->rp[2], 1, 0, "output ρ+");
  EQ2(st->rm[2], 0, 1, "output ρ-");
  /* hidden, tied: c = W2·(ρ⁺ − ρ⁻) = [64 + 32, 16 − 128] = [96, −112] */
  EQ2(st->up[1], 120 + 96, -112, "hidden u+");
  EQ2(st->um[1], -96, 112, "hidden u-");
  EQ2(st->rp[1], 1, 0, "hidden ρ+");
  EQ2(st->rm[1], 0, 0, "hidden ρ-");
  /* updates: ΔW = RND(x̄·16384, 18) = x̄/16 rounded; column 0 of W1 up, W2 columns ±; biases ±16 */
  EQ4(m.layer[1].w, 1 + 24, 2, 3 + 16, 4, "W1");
  EQ2(m.layer[1].b, 10 + 16, -10, "b1");
  EQ4(m.layer[2].w, 64 + 20, -32 - 20, 16 + 2, 128 - 2, "W2");
  EQ2(m.layer[2].b, 16, -16, "b2");
  BG_CHECK(m.ctr.weight_writes == 6, "weight writes %llu, expected 6",
           (unsigned long long)m.ctr.weight_writes);
  /* gate closed on hidden 0: no current, no hidden spike, W1 and b1 untouched */
  const uint8_t gate0[2] = {0, 1};
  hand_setup(&m, gate0);
  bg_bioleaf_step(&m, 1, 0);
  EQ2(st->up[1], 120, -112, "gated hidden u+");
  EQ2(st->rp[1], 0, 0, "gated hidden ρ+");
  EQ4(m.layer[1].w, 1, 2, 3, 4, "gated W1");
  EQ2(m.layer[1].b, 10, -10, "gated b1");
  bg_model_free(&m);
  /* fixed feedback: c = B·(ρ⁺ − ρ⁻) over the output cells = [0, −200·(−1)] = [0, 200] */
  BG_CHECK(bg_model_init(&m, &fixed, &err) == BG_OK, "init: %s", err.msg);
  st = m.rule_state;
  hand_setup(&m, open);
  bg_bioleaf_step(&m, 1, 0);
  EQ2(st->up[1], 120, 200, "fixed hidden u+");
  EQ2(st->rp[1], 0, 1, "fixed hidden ρ+");
  EQ4(m.layer[1].w, 1, 2 + 24, 3, 4 + 16, "fixed W1");
  EQ2(m.layer[1].b, 10, -10 + 16, "fixed b1");
  bg_model_free(&m);
  /* before t0 only the traces run */
  BG_CHECK(bg_model_init(&m, &tied, &err) == BG_OK, "init: %s", err.msg);
  st = m.rule_state;
  hand_setup(&m, open);
  m.t0 = 2;
  bg_bioleaf_step(&m, 1, 0);
  EQ2(st->xbar[0], 384, 256, "x̄0 before t0");
  EQ2(st->up[2], 100, 0, "output u+ before t0");
  EQ4(m.layer[2].w, 64, -32, 16, 128, "W2 before t0");
  bg_model_free(&m);
  return 0;
}

/* The rule learns online: a batch is refused, naming the field; so is a λ whose trace does
 * not fit the trace format. */
static int bioleaf_refuses_what_it_cannot_run(void) {
  static bg_net_t net;
  bg_err_t err;
  bg_model_t m;
  BG_CHECK(parse(TOY("bioleaf", "", "\"rate\": 0.01, \"batch\": 4", ""), &net) == 0, "parse");
  BG_CHECK(bg_model_init(&m, &net, &err) == BG_E_ARG, "integer path took batch 4");
  BG_CHECK(strstr(err.msg, "learning.batch") && strstr(err.msg, "online"), "message: %s", err.msg);
  bgf_model_t f;
  BG_CHECK(bgf_model_init(&f, &net, &err) == BG_E_ARG, "float path took batch 4");
  BG_CHECK(parse(TOY("bioleaf", "\"rule_options\": {\"pre_decay\": 0.99}, ", "\"rate\": 0.01", FX8),
                 &net) == 0, "parse");
  BG_CHECK(bg_model_init(&m, &net, &err) == BG_E_ARG, "λ = 0.99 accepted with a Q10 16-bit trace");
  BG_CHECK(strstr(err.msg, "rule_options.pre_decay"), "message: %s", err.msg);
  return 0;
}

/* With the default 32-bit formats, the integer and float paths spike identically on the whole
 * first sample (the online updates included), in every layer and in every error cell. */
static int bioleaf_paths_agree_on_the_first_sample(void) {
  static bg_net_t net;
  bg_err_t err;
  BG_CHECK(parse(TOY("bioleaf", BIOLEAF_OPTS("tied"), "\"rate\": 0.01, \"error_threshold\": 0.5", ""),
                 &net) == 0, "parse");
  bg_model_t m;
  bgf_model_t f;
  BG_CHECK(bg_model_init(&m, &net, &err) == BG_OK && bgf_model_init(&f, &net, &err) == BG_OK,
           "init: %s", err.msg);
  uint8_t px[16];
  int lab;
  toy_sample(0, px, &lab);
  m.rule->train_sample(&m, px, lab);
  f.rule->train_sample(&f, px, lab);
  for (int l = 0; l < m.n_layers; l++) {
    const size_t cells = (size_t)m.T * m.layer[l].n;
    BG_CHECK(memcmp(m.layer[l].raster, f.layer[l].raster, cells) == 0,
             "layer %d: the paths spiked differently", l);
  }
  const bg_bioleaf_state_t *si = m.rule_state;
  const bgf_bioleaf_state_t *sf = f.rule_state;
  for (int l = 1; l < m.n_layers; l++) {
    BG_CHECK(memcmp(si->rp[l], sf->rp[l], m.layer[l].n) == 0 &&
                 memcmp(si->rm[l], sf->rm[l], m.layer[l].n) == 0,
             "layer %d: the error cells ended differently", l);
  }
  BG_CHECK(m.ctr.weight_writes > 0 && m.ctr.weight_writes == f.ctr.weight_writes,
           "weight writes: integer %llu, float %llu", (unsigned long long)m.ctr.weight_writes,
           (unsigned long long)f.ctr.weight_writes);
  bg_model_free(&m);
  bgf_model_free(&f);
  return 0;
}

int main(void) {
  BG_RUN(every_rule_learns_the_toy_task);
  BG_RUN(every_rule_is_deterministic);
  BG_RUN(every_rule_resumes_from_a_checkpoint);
  BG_RUN(bptt_integer_path_refused);
  BG_RUN(bptt_options_change_the_update);
  BG_RUN(ssnn_bp_step_by_hand);
  BG_RUN(bioleaf_step_by_hand);
  BG_RUN(bioleaf_refuses_what_it_cannot_run);
  BG_RUN(bioleaf_paths_agree_on_the_first_sample);
  return bg_test_exit();
}
