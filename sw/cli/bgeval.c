/* SPDX-License-Identifier: Apache-2.0 */
/* bgeval: load a checkpoint written by bgtrain and report test accuracy and the confusion
 * matrix (rows: label, columns: prediction). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bg_cli_net.h"
#include "bg_model.h"
#include "bgf_model.h"
#include "bg_samples.h"
#include "bg_trainer.h"

static const char usage[] =
    "usage: bgeval --net NET --ckpt CKPT --data mnist|fashion|nmnist:DIR [--test-samples N]\n"
    "              [--seed S] [--float] [--agreement] [--data-dir D]\n"
    "\n"
    "Evaluates the weights in CKPT (written by bgtrain with the same NET, and --float if the run\n"
    "used it) on the test split: accuracy and the confusion matrix. Exit status: 0 success,\n"
    "1 run-time error (bad checkpoint, missing data), 2 usage error.\n"
    "--agreement (integer checkpoints): also run the float path on the same weights (converted to\n"
    "real values) and the same input spikes, and report on how many test samples the two paths\n"
    "predict the same class.\n";

/* The fraction of test samples on which the integer model and a float model holding the same
 * weights (as real numbers) predict the same class, with identical input spikes. */
static int agreement(bg_model_t *m, const bg_net_t *net, bg_samples_t *ds, uint32_t n,
                     double *pct, uint32_t *counts_differ, bg_err_t *err) {
  static bgf_model_t f;
  int rc = bgf_model_init(&f, net, err);
  if (rc != BG_OK) return rc;
  uint32_t n_out = m->layer[m->n_layers - 1].n;
  for (int l = 1; l < m->n_layers; l++) {
    const bg_model_layer_t *a = &m->layer[l];
    bgf_model_layer_t *b = &f.layer[l];
    for (size_t k = 0; k < (size_t)a->fan_in * a->n; k++) b->w[k] = bg_weight_real(m, l, a->w[k]);
    for (uint32_t i = 0; i < a->n; i++) b->b[i] = bg_weight_real(m, l, a->b[i]);
    if (a->fb) {
      for (size_t k = 0; k < (size_t)a->n * n_out; k++) b->fb[k] = bg_feedback_real(m, l, a->fb[k]);
    }
  }
  bg_rng_t ri, rf;
  bg_rng_seed(&ri, net->q.stream_seed[BG_STREAM_EVAL]);
  bg_rng_seed(&rf, net->q.stream_seed[BG_STREAM_EVAL]);
  uint32_t same = 0;
  for (uint32_t s = 0; s < n && rc == BG_OK; s++) {
    const uint8_t *in;
    int label;
    rc = bg_samples_get(ds, BG_SPLIT_TEST, s, &in, &label, err);
    if (rc != BG_OK) break;
    same += bg_model_infer(m, in, &ri) == bgf_model_infer(&f, in, &rf);
    const uint16_t *ci = m->layer[m->n_layers - 1].count, *cf = f.layer[f.n_layers - 1].count;
    *counts_differ += memcmp(ci, cf, n_out * sizeof *ci) != 0;
  }
  bgf_model_free(&f);
  *pct = n ? 100.0 * same / n : 0;
  return rc;
}

int main(int argc, char **argv) {
  const char *netpath = NULL, *ckpt = NULL, *data = NULL, *seed = NULL, *data_dir = "data";
  uint32_t n_test = 0;
  bool fl = false, agree = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    bool takes = !strcmp(a, "--net") || !strcmp(a, "--ckpt") || !strcmp(a, "--data") ||
                 !strcmp(a, "--test-samples") || !strcmp(a, "--seed") || !strcmp(a, "--data-dir");
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      fputs(usage, stdout);
      return 0;
    }
    if (!strcmp(a, "--float") || !strcmp(a, "--agreement")) {
      *(!strcmp(a, "--float") ? &fl : &agree) = true;
      continue;
    }
    if (!takes || v == NULL) {
      fprintf(stderr, "error: %s: %s\n\n%s", a, takes ? "missing value" : "unknown option", usage);
      return 2;
    }
    i++;
    if (!strcmp(a, "--net")) netpath = v;
    else if (!strcmp(a, "--ckpt")) ckpt = v;
    else if (!strcmp(a, "--data")) data = v;
    else if (!strcmp(a, "--seed")) seed = v;
    else if (!strcmp(a, "--data-dir")) data_dir = v;
    else n_test = bg_cli_u32(a, v);
  }
  if (!netpath || !ckpt || !data) {
    fprintf(stderr, "error: --net, --ckpt and --data are required\n\n%s", usage);
    return 2;
  }
  bg_err_t err;
  static bg_net_t net;
  bg_samples_t ds;
  if (bg_cli_load_net(netpath, seed, &net, &err) != BG_OK ||
      bg_samples_open(data, data_dir, net.layers[0].size, net.time.steps, net.input.bin_ms, &ds, &err) != BG_OK) {
    fprintf(stderr, "error: %s\n", err.msg);
    return 1;
  }
  uint32_t total = bg_samples_count(&ds, BG_SPLIT_TEST);
  if (n_test == 0 || n_test > total) n_test = total;
  uint32_t conf[10][10] = {{0}};
  double acc = 0, agree_pct = -1;
  uint32_t differ = 0;
  uint32_t epoch = 0;
  int rc;
  if (fl) {
    static bgf_model_t m;
    rc = bgf_model_init(&m, &net, &err);
    if (rc == BG_OK) rc = bgf_model_load(&m, ckpt, &epoch, &err);
    if (rc == BG_OK) rc = bgf_evaluate(&m, &ds, BG_SPLIT_TEST, 0, n_test, conf, &acc, &err);
    bgf_model_free(&m);
  } else {
    static bg_model_t m;
    rc = bg_model_init(&m, &net, &err);
    if (rc == BG_OK) rc = bg_model_load(&m, ckpt, &epoch, &err);
    if (rc == BG_OK) rc = bg_evaluate(&m, &ds, BG_SPLIT_TEST, 0, n_test, conf, &acc, &err);
    if (rc == BG_OK && agree) rc = agreement(&m, &net, &ds, n_test, &agree_pct, &differ, &err);
    bg_model_free(&m);
  }
  bg_samples_close(&ds);
  if (rc != BG_OK) {
    fprintf(stderr, "error: %s\n", err.msg);
    return 1;
  }
  printf("checkpoint %s: %s, epoch %u, %s path\n", ckpt, net.name, epoch, fl ? "float" : "integer");
  printf("confusion matrix (rows: label, columns: prediction):\n     ");
  for (int b = 0; b < 10; b++) printf("%6d", b);
  printf("\n");
  for (int a = 0; a < 10; a++) {
    printf("%5d", a);
    for (int b = 0; b < 10; b++) printf("%6u", conf[a][b]);
    printf("\n");
  }
  printf("test_accuracy %.2f (%u samples)\n", acc, n_test);
  if (agree_pct >= 0) {
    printf("float_agreement %.2f (same prediction, integer vs float path; output spike counts "
           "differ on %u of %u samples)\n", agree_pct, differ, n_test);
  }
  return 0;
}
