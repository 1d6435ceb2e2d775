/* SPDX-License-Identifier: Apache-2.0 */
/* Golden model end to end on a synthetic toy task (no dataset needed): it learns, in both paths
 * and both learning modes; runs are deterministic; trace and replay mode agree in the float path;
 * batch N works; sleep moves B toward the weight product; checkpoints round-trip and a resumed
 * run is bit-identical to an uninterrupted one, while a corrupt checkpoint is refused. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "bg_model.h"
#include "bgf_model.h"
#include "bg_test.h"
#include "bg_test_files.h"
#include "bg_test_toy.h"

#define TOY_SLEEP "\"sleep\": {\"period\": 16, \"steps\": 10, \"samples\": 4}"
#define TOY_NET(hidden, sleep, extra)                                                         \
  "{\"format\": \"biograd-net/1\", \"name\": \"toy\", \"seed\": 5, \"layers\": [{\"size\": 16}," \
  hidden " {\"size\": 4}], \"input\": {\"shape\": [4, 4]}, \"time\": {\"steps\": 10, "          \
  "\"error_start\": 2}, " sleep extra "}"


static int parse(const char *text, bg_net_t *net) {
  bg_err_t err;
  if (bg_net_parse(text, strlen(text), "toy", net, &err) != BG_OK) {
    fprintf(stderr, "%s\n", err.msg);
    return 1;
  }
  return 0;
}

static int learn(const char *text, const char *what, bool fl) {
  static bg_net_t net;
  bg_err_t err;
  BG_CHECK(parse(text, &net) == 0, "%s: the description does not parse", what);
  double before, after;
  if (fl) {
    bgf_model_t m;
    BG_CHECK(bgf_model_init(&m, &net, &err) == BG_OK, "%s", err.msg);
    TOY_TRAIN_AND_TEST(bgf, &m, 0, 0, before);
    TOY_TRAIN_AND_TEST(bgf, &m, 0, 400, after);
    bgf_model_free(&m);
  } else {
    bg_model_t m;
    BG_CHECK(bg_model_init(&m, &net, &err) == BG_OK, "%s", err.msg);
    TOY_TRAIN_AND_TEST(bg, &m, 0, 0, before);
    TOY_TRAIN_AND_TEST(bg, &m, 0, 400, after);
    /* states never clip; 8-bit weights may hit their range (the update clamps, by design) */
    uint64_t sat = m.sat.v + m.sat.z + m.sat.e + m.sat.k + m.sat.u + m.sat.d + m.sat.acc;
    BG_CHECK(sat == 0, "%s: %llu state saturations (v %llu z %llu e %llu k %llu u %llu d %llu)",
             what, (unsigned long long)sat, (unsigned long long)m.sat.v,
             (unsigned long long)m.sat.z, (unsigned long long)m.sat.e,
             (unsigned long long)m.sat.k, (unsigned long long)m.sat.u,
             (unsigned long long)m.sat.d);
    bg_model_free(&m);
  }
  printf("  %s (%s): %.1f %% -> %.1f %%\n", what, fl ? "float" : "integer", before, after);
  BG_CHECK(after >= 90.0 && after > before + 30, "%s (%s): accuracy %.1f %% -> %.1f %%", what,
           fl ? "float" : "integer", before, after);
  return 0;
}

static const char *const toy_nets[][2] = {
    {TOY_NET("{\"size\": 12},", TOY_SLEEP, ", \"learning\": {\"rate\": 0.05, \"mode\": \"trace\"}"), "hidden, trace"},
    {TOY_NET("{\"size\": 12},", TOY_SLEEP, ", \"learning\": {\"rate\": 0.05, \"mode\": \"replay\", \"rounding\": \"stochastic\"}"), "hidden, replay, stochastic"},
    {TOY_NET("{\"size\": 12},", TOY_SLEEP, ", \"learning\": {\"rate\": 0.05, \"batch\": 8}"), "hidden, batch 8"},
    {TOY_NET("", "\"sleep\": {\"enabled\": false}", ", \"learning\": {\"rate\": 0.05}"), "output only"},
    {"{\"format\": \"biograd-net/1\", \"name\": \"toy8\", \"seed\": 5, \"layers\": [{\"size\": 16},"
     " {\"size\": 12, \"weight\": {\"bits\": 8, \"frac\": 8}, \"feedback\": {\"bits\": 8, \"frac\": 7}},"
     " {\"size\": 4, \"weight\": {\"bits\": 8, \"frac\": 8}}], \"input\": {\"shape\": [4, 4]},"
     " \"time\": {\"steps\": 10, \"error_start\": 2}, " TOY_SLEEP ","
     " \"learning\": {\"rate\": 0.05, \"mode\": \"replay\", \"rounding\": \"stochastic\"},"
     " \"fixed_point\": {\"potential\": {\"bits\": 24, \"frac\": 14}, \"trace\": {\"bits\": 16, \"frac\": 10},"
     " \"error\": {\"bits\": 16, \"frac\": 10}, \"dendrite\": {\"bits\": 32, \"frac\": 16},"
     " \"accumulator_bits\": 24, \"count_bits\": 8}}", "8-bit FPGA formats"},
};
/* A faster sleep for the alignment test: many noise samples and a large Hebbian rate. */
static const char sleep_net[] = TOY_NET("{\"size\": 12},",
    "\"sleep\": {\"period\": 16, \"steps\": 20, \"samples\": 32, \"rate\": 0.002}", "");

static int toy_task_learns(void) {
  for (size_t k = 0; k < sizeof toy_nets / sizeof toy_nets[0]; k++) {
    if (learn(toy_nets[k][0], toy_nets[k][1], false)) return 1;
    if (learn(toy_nets[k][0], toy_nets[k][1], true)) return 1;
  }
  return 0;
}

static uint64_t hash_w(const bg_model_t *m) {
  uint64_t h = 1469598103934665603ull;
  for (int l = 1; l < m->n_layers; l++) {
    const bg_model_layer_t *ly = &m->layer[l];
    for (size_t s = 0; s < (size_t)ly->fan_in * ly->n; s++) h = (h ^ (uint32_t)ly->w[s]) * 1099511628211ull;
    for (uint32_t i = 0; i < ly->n; i++) h = (h ^ (uint32_t)ly->b[i]) * 1099511628211ull;
    if (ly->fb) {
      for (size_t s = 0; s < (size_t)ly->n * m->layer[m->n_layers - 1].n; s++) h = (h ^ (uint32_t)ly->fb[s]) * 1099511628211ull;
    }
  }
  return h;
}

static void train_range(bg_model_t *m, uint32_t from, uint32_t to) {
  uint8_t px[16];
  int lab;
  for (uint32_t s = from; s < to; s++) {
    toy_sample(s, px, &lab);
    bg_model_train(m, px, lab);
  }
}

static int determinism(void) {
  static bg_net_t net, net2;
  bg_err_t err;
  if (parse(toy_nets[1][0], &net)) return 1;
  bg_model_t a, b;
  BG_CHECK(bg_model_init(&a, &net, &err) == BG_OK && bg_model_init(&b, &net, &err) == BG_OK, "init");
  train_range(&a, 0, 100);
  train_range(&b, 0, 100);
  BG_CHECK(hash_w(&a) == hash_w(&b), "same seed, different weights");
  BG_CHECK(a.ctr.rounding_draws > 0 && a.ctr.sleeps == 100 / 16, "stochastic draws %llu, sleeps %llu",
           (unsigned long long)a.ctr.rounding_draws, (unsigned long long)a.ctr.sleeps);
  char other[4096];
  snprintf(other, sizeof other, "%s", toy_nets[1][0]);
  char *p = strstr(other, "\"seed\": 5");
  BG_CHECK(p != NULL, "seed in text");
  p[8] = '6';
  if (parse(other, &net2)) return 1;
  bg_model_t c;
  BG_CHECK(bg_model_init(&c, &net2, &err) == BG_OK, "init");
  train_range(&c, 0, 100);
  BG_CHECK(hash_w(&a) != hash_w(&c), "a different seed gave identical weights");
  bg_model_free(&a);
  bg_model_free(&b);
  bg_model_free(&c);
  return 0;
}

/* Trace and replay are the same gradient in real arithmetic: after one sample the float
 * accumulators (δ·e per synapse) agree to rounding. */
static int trace_equals_replay_in_float(void) {
  static bg_net_t nt, nr;
  bg_err_t err;
  if (parse(toy_nets[0][0], &nt)) return 1;
  nr = nt;
  nr.learning.mode = BG_LEARN_REPLAY;
  bgf_model_t a, b;
  BG_CHECK(bgf_model_init(&a, &nt, &err) == BG_OK && bgf_model_init(&b, &nr, &err) == BG_OK, "init");
  uint8_t px[16];
  int lab;
  double maxdiff = 0, maxabs = 0;
  for (uint32_t s = 0; s < 20; s++) {
    toy_sample(s, px, &lab);
    a.rule->train_sample(&a, px, lab);
    b.rule->train_sample(&b, px, lab);
    for (int l = 1; l < a.n_layers; l++) {
      for (size_t k = 0; k < (size_t)a.layer[l].fan_in * a.layer[l].n; k++) {
        maxdiff = fmax(maxdiff, fabs(a.layer[l].acc[k] - b.layer[l].acc[k]));
        maxabs = fmax(maxabs, fabs(a.layer[l].acc[k]));
      }
    }
    bgf_model_after_sample(&a);
    bgf_model_after_sample(&b);
  }
  BG_CHECK(maxabs > 0.01, "no learning signal (max |δ·e| = %g)", maxabs);
  BG_CHECK(maxdiff <= 1e-9 * maxabs, "trace vs replay differ by %g (scale %g)", maxdiff, maxabs);
  bgf_model_free(&a);
  bgf_model_free(&b);
  return 0;
}

/* The aligned init is the exact product; sleep keeps B within a bounded angle of it. */
static int sleep_aligns_feedback(void) {
  static bg_net_t net;
  bg_err_t err;
  if (parse(sleep_net, &net)) return 1;
  bgf_model_t m;
  BG_CHECK(bgf_model_init(&m, &net, &err) == BG_OK, "init");
  double ang, ratio;
  bgf_feedback_alignment(&m, 1, &ang, &ratio);
  BG_CHECK(ang < 1e-6 && fabs(ratio - 1) < 1e-9, "aligned init: angle %g ratio %g", ang, ratio);
  /* scramble B, then sleep repeatedly: the angle must come down */
  for (size_t k = 0; k < 12 * 4; k++) m.layer[1].fb[k] = (k * 7919 % 13) / 13.0 - 0.5;
  double start;
  bgf_feedback_alignment(&m, 1, &start, &ratio);
  for (int k = 0; k < 200; k++) bgf_sleep_unit_run(&m);
  bgf_feedback_alignment(&m, 1, &ang, &ratio);
  printf("  sleep: angle %.1f -> %.1f deg\n", start, ang);
  BG_CHECK(start > 60 && ang < start - 20, "sleep did not align B: %.1f -> %.1f deg", start, ang);
  bgf_model_free(&m);
  return 0;
}

static int checkpoint_resume(void) {
  static bg_net_t net;
  bg_err_t err;
  if (parse(toy_nets[2][0], &net)) return 1;   /* batch 8: accumulators carry across */
  char dir[256], path[300];
  BG_CHECK(bg_tf_mkdtemp("cmodel", dir, sizeof dir) == 0, "temp dir");
  snprintf(path, sizeof path, "%s/run.ckpt", dir);
  bg_model_t a, b;
  BG_CHECK(bg_model_init(&a, &net, &err) == BG_OK && bg_model_init(&b, &net, &err) == BG_OK, "init");
  train_range(&a, 0, 61);                     /* mid-batch */
  BG_CHECK(bg_model_save(&a, path, 3, &err) == BG_OK, "save: %s", err.msg);
  train_range(&a, 61, 150);
  uint32_t ep = 0;
  BG_CHECK(bg_model_load(&b, path, &ep, &err) == BG_OK && ep == 3, "load: %s", err.msg);
  train_range(&b, 61, 150);
  BG_CHECK(hash_w(&a) == hash_w(&b), "resumed run differs from the uninterrupted one");
  /* a flipped bit is refused and leaves the model untouched */
  FILE *f = fopen(path, "r+b");
  BG_CHECK(f != NULL, "open");
  fseek(f, 100, SEEK_SET);
  int c = fgetc(f);
  fseek(f, 100, SEEK_SET);
  fputc(c ^ 4, f);
  fclose(f);
  uint64_t h = hash_w(&b);
  BG_CHECK(bg_model_load(&b, path, &ep, &err) == BG_E_FORMAT, "corrupt checkpoint accepted");
  BG_CHECK(strstr(err.msg, path) != NULL, "message names the file: %s", err.msg);
  BG_CHECK(hash_w(&b) == h, "a refused checkpoint changed the model");
  /* a float-path model refuses an integer checkpoint */
  BG_CHECK(bg_model_save(&a, path, 1, &err) == BG_OK, "save");
  bgf_model_t fm;
  BG_CHECK(bgf_model_init(&fm, &net, &err) == BG_OK, "init");
  BG_CHECK(bgf_model_load(&fm, path, &ep, &err) == BG_E_FORMAT && strstr(err.msg, "integer"),
           "float model took an integer checkpoint: %s", err.msg);
  bgf_model_free(&fm);
  bg_model_free(&a);
  bg_model_free(&b);
  bg_tf_rm_rf(dir);
  return 0;
}

int main(void) {
  BG_RUN(toy_task_learns);
  BG_RUN(determinism);
  BG_RUN(trace_equals_replay_in_float);
  BG_RUN(sleep_aligns_feedback);
  BG_RUN(checkpoint_resume);
  return bg_test_exit();
}
