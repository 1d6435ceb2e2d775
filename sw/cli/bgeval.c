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
    "              [--seed S] [--float] [--data-dir D]\n"
    "\n"
    "Evaluates the weights in CKPT (written by bgtrain with the same NET, and --float if the run\n"
    "used it) on the test split: accuracy and the confusion matrix. Exit status: 0 success,\n"
    "1 run-time error (bad checkpoint, missing data), 2 usage error.\n";

int main(int argc, char **argv) {
  const char *netpath = NULL, *ckpt = NULL, *data = NULL, *seed = NULL, *data_dir = "data";
  uint32_t n_test = 0;
  bool fl = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    bool takes = !strcmp(a, "--net") || !strcmp(a, "--ckpt") || !strcmp(a, "--data") ||
                 !strcmp(a, "--test-samples") || !strcmp(a, "--seed") || !strcmp(a, "--data-dir");
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      fputs(usage, stdout);
      return 0;
    }
    if (!strcmp(a, "--float")) {
      fl = true;
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
  double acc = 0;
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
  return 0;
}
