/* SPDX-License-Identifier: Apache-2.0 */
/* bgctl: drive a learning core through the host driver (docs/driver.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bg_cli_net.h"
#include "bg_dev.h"
#include "bg_model.h"
#include "bg_samples.h"

static const char usage[] =
    "usage: bgctl --backend URI --net NET [--load | --restore CKPT] [--save CKPT] [--json] CMD\n"
    "             [ARGS]\n"
    "  info                          the device's identity, sizes and memories\n"
    "  reset                         soft reset: registers and random streams to the\n"
    "                                description's values (a board after power-up), memories kept\n"
    "  load                          write the description's initial weights (stream 0); on a\n"
    "                                board, reset then load starts a run as a cmodel: device does\n"
    "  train --data D --samples N    train N samples of the training split, in file order\n"
    "  infer --data D --samples N    infer N samples of the test split; accuracy\n"
    "  sleep                         one sleep call\n"
    "  dump-weights [-o FILE]        weights, biases, feedback as CSV (memory,address,value)\n"
    "  counters                      the performance counters\n"
    "  save CKPT | restore CKPT      device checkpoint (atomic; refused when damaged)\n"
    "Backends: cmodel: (the golden model behind the register map), verilator:[trace=F.fst] (the\n"
    "RTL register block and core, Verilated, in this process), systemc: (the same RTL in a\n"
    "SystemC TLM-2.0 virtual platform), uart:DEVICE[@BAUD][,slack=MS] (the board's serial\n"
    "bridge, default 115200 baud, 100 ms adapter latency allowed per response). verilator: and\n"
    "systemc: build their simulator for NET on first use (sim/vdev/bgvdev.sh) and live as long\n"
    "as the process: --load (the load command, before CMD) starts them from the description's\n"
    "weights. D: mnist or fashion;\n"
    "--data-dir DIR (default data). --load or --restore runs before CMD, --save after it. Progress with\n"
    "samples/s and ETA when stderr is a terminal, plain lines otherwise. Exit status: 0 success,\n"
    "1 device or data error, 2 usage error.\n";

static void die_usage(const char *what, const char *arg) {
  fprintf(stderr, "error: %s%s%s\n%s", what, arg ? " " : "", arg ? arg : "", usage);
  exit(2);
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

typedef struct {
  bg_dev_t *dev;
  const bg_net_t *net;
  const char *data, *data_dir, *out;
  uint32_t samples;
  bool json;
} ctl_t;

static int fail(bg_err_t *err) {
  fprintf(stderr, "error: %s\n", err->msg);
  return 1;
}

static int cmd_info(ctl_t *c, bg_err_t *err) {
  static const char *const names[] = {"pixels", "weights", "biases", "feedback", "neuron",
                                      "dendrite", "raster", "records", "kernels", "error_unit"};
  uint32_t layers = (uint32_t)c->net->n_layers;
  printf("%sbackend %s, net %s (hash 0x%08x), %u layers, T = %u%s\n", c->json ? "# " : "",
         bg_dev_backend_name(c->dev), c->net->name, c->net->q.hash, layers, c->net->time.steps,
         "");
  for (int s = 0; s < 10; s++) {
    printf("  memory %d %-10s %u words\n", s, names[s], bg_dev_mem_words(c->dev, (bg_mem_e)s));
  }
  (void)err;
  return BG_OK;
}

static int cmd_load(ctl_t *c, bool quiet, bg_err_t *err) {
  bg_model_t m;
  int rc = bg_model_init(&m, c->net, err);
  if (rc != BG_OK) return rc;
  const bg_mem_e mems[] = {BG_MEM_WEIGHTS, BG_MEM_BIASES, BG_MEM_FEEDBACK};
  /* the initial weights in the core's layout: layer after layer, as model_init made them */
  for (int k = 0; k < 3 && rc == BG_OK; k++) {
    uint32_t n = bg_dev_mem_words(c->dev, mems[k]), at = 0;
    int64_t *w = calloc(n + 1, sizeof *w);
    if (w == NULL) rc = bg_err_set(err, BG_E_NOMEM, "out of memory");
    for (int l = 1; rc == BG_OK && l < m.n_layers; l++) {
      const bg_model_layer_t *ly = &m.layer[l];
      size_t cnt = mems[k] == BG_MEM_WEIGHTS ? (size_t)ly->fan_in * ly->n
                   : mems[k] == BG_MEM_BIASES ? ly->n
                   : (ly->fb ? (size_t)ly->n * m.layer[m.n_layers - 1].n : 0);
      const int32_t *src = mems[k] == BG_MEM_WEIGHTS ? ly->w : mems[k] == BG_MEM_BIASES ? ly->b : ly->fb;
      for (size_t i = 0; i < cnt && at < n; i++) w[at++] = src[i];
    }
    if (rc == BG_OK && n > 0) rc = bg_dev_mem_write(c->dev, mems[k], 0, n, w, err);
    free(w);
  }
  bg_model_free(&m);
  if (rc == BG_OK) fprintf(quiet ? stderr : stdout, "loaded the initial weights of %s\n", c->net->name);
  return rc;
}

static void progress(const char *what, uint32_t k, uint32_t n, double t0, double *last) {
  double t = now_s();
  if (k < n && t - *last < 0.25) return;
  *last = t;
  double rate = k / (t - t0 + 1e-9);
  if (isatty(2)) {
    fprintf(stderr, "\r%s %u/%u  %.0f samples/s  ETA %.0f s   ", what, k, n, rate,
            rate > 0 ? (n - k) / rate : 0.0);
    if (k == n) fputc('\n', stderr);
  } else if (k == n || k % 1000 == 0) {
    fprintf(stderr, "%s %u/%u %.0f samples/s\n", what, k, n, rate);
  }
}

static int cmd_run(ctl_t *c, bool train, bg_err_t *err) {
  if (c->data == NULL || c->samples == 0) {
    return bg_err_set(err, BG_E_ARG, "%s: --data and --samples N (N >= 1) are required",
                      train ? "train" : "infer");
  }
  bg_samples_t ds;
  int rc = bg_samples_open(c->data, c->data_dir, c->net->layers[0].size, c->net->time.steps,
                           c->net->input.bin_ms, &ds, err);
  if (rc != BG_OK) return rc;
  int split = train ? BG_SPLIT_TRAIN : BG_SPLIT_TEST;
  uint32_t n = c->samples, avail = bg_samples_count(&ds, split), correct = 0;
  if (n > avail) n = avail;
  double t0 = now_s(), last = 0;
  for (uint32_t k = 0; rc == BG_OK && k < n; k++) {
    const uint8_t *in;
    int label, pred = -1;
    rc = bg_samples_get(&ds, split, k, &in, &label, err);
    if (rc == BG_OK) {
      rc = bg_dev_run(c->dev, train ? BG_CMD_TRAIN : BG_CMD_INFER, in, label, &pred, 60000, err);
    }
    correct += pred == label;
    progress(train ? "train" : "infer", k + 1, n, t0, &last);
  }
  bg_samples_close(&ds);
  if (rc != BG_OK) return rc;
  double secs = now_s() - t0;
  uint64_t h = 0;
  rc = bg_dev_weight_hash(c->dev, &h, err);
  if (rc != BG_OK) return rc;
  if (c->json) {
    printf("{\"command\": \"%s\", \"backend\": \"%s\", \"net\": \"%s\", \"samples\": %u, "
           "\"accuracy\": %.2f, \"samples_per_second\": %.1f, \"weight_hash\": \"%016llx\"}\n",
           train ? "train" : "infer", bg_dev_backend_name(c->dev), c->net->name, n,
           n ? 100.0 * correct / n : 0.0, secs > 0 ? n / secs : 0.0, (unsigned long long)h);
  } else {
    printf("%s: %u samples, accuracy %.2f %%, %.0f samples/s\nweight_hash %016llx\n",
           train ? "train" : "infer", n, n ? 100.0 * correct / n : 0.0, secs > 0 ? n / secs : 0.0,
           (unsigned long long)h);
  }
  return BG_OK;
}

static int cmd_dump(ctl_t *c, bg_err_t *err) {
  FILE *f = c->out ? fopen(c->out, "w") : stdout;
  if (f == NULL) return bg_err_set(err, BG_E_IO, "%s: cannot write", c->out);
  const bg_mem_e mems[] = {BG_MEM_WEIGHTS, BG_MEM_BIASES, BG_MEM_FEEDBACK};
  static const char *const names[] = {"weights", "biases", "feedback"};
  int rc = BG_OK;
  fprintf(f, "memory,address,value\n");
  for (int k = 0; k < 3 && rc == BG_OK; k++) {
    uint32_t n = bg_dev_mem_words(c->dev, mems[k]);
    int64_t *w = malloc((n + 1) * sizeof *w);
    if (w == NULL) rc = bg_err_set(err, BG_E_NOMEM, "out of memory");
    if (rc == BG_OK && n > 0) rc = bg_dev_mem_read(c->dev, mems[k], 0, n, w, err);
    for (uint32_t i = 0; rc == BG_OK && i < n; i++) fprintf(f, "%s,%u,%lld\n", names[k], i, (long long)w[i]);
    free(w);
  }
  if (c->out && fclose(f) != 0 && rc == BG_OK) rc = bg_err_set(err, BG_E_IO, "%s: write failed", c->out);
  return rc;
}

static int cmd_counters(ctl_t *c, bg_err_t *err) {
  bg_dev_counters_t k;
  int rc = bg_dev_counters(c->dev, &k, err);
  if (rc != BG_OK) return rc;
  const char *names[] = {"cycles", "syn_events", "weight_writes", "samples", "sleeps",
                         "fwd_cycles", "learn_cycles", "sleep_cycles", "round_draws", "timesteps"};
  const uint64_t v[] = {k.cycles, k.syn_events, k.weight_writes, k.samples, k.sleeps,
                        k.fwd_cycles, k.learn_cycles, k.sleep_cycles, k.round_draws, k.timesteps};
  if (c->json) printf("{");
  for (int i = 0; i < 10; i++) {
    printf(c->json ? "%s\"%s\": %llu" : "%s%s %llu\n", c->json && i ? ", " : "", names[i],
           (unsigned long long)v[i]);
  }
  printf(c->json ? ", \"prediction\": %u}\n" : "prediction %u\n", k.prediction);
  return BG_OK;
}

int main(int argc, char **argv) {
  const char *uri = NULL, *netpath = NULL, *save = NULL, *restore = NULL, *cmd = NULL;
  const char *arg = NULL;
  bool load_first = false;
  ctl_t c = {.data_dir = "data"};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
#define TAKE() (v ? (i++, v) : (die_usage("missing value for", a), ""))
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      fputs(usage, stdout);
      return 0;
    } else if (!strcmp(a, "--backend")) uri = TAKE();
    else if (!strcmp(a, "--net")) netpath = TAKE();
    else if (!strcmp(a, "--save")) save = TAKE();
    else if (!strcmp(a, "--restore")) restore = TAKE();
    else if (!strcmp(a, "--load")) load_first = true;
    else if (!strcmp(a, "--json")) c.json = true;
    else if (!strcmp(a, "--data")) c.data = TAKE();
    else if (!strcmp(a, "--data-dir")) c.data_dir = TAKE();
    else if (!strcmp(a, "--samples")) c.samples = bg_cli_u32(a, TAKE());
    else if (!strcmp(a, "-o")) c.out = TAKE();
    else if (a[0] == '-') die_usage("unknown option", a);
    else if (cmd == NULL) cmd = a;
    else if (arg == NULL) arg = a;
    else die_usage("unexpected argument", a);
#undef TAKE
  }
  if (uri == NULL || netpath == NULL || cmd == NULL) die_usage("--backend, --net and a command are required", NULL);
  static const char *const cmds[] = {"info", "reset", "load", "train", "infer", "sleep", "dump-weights",
                                     "counters", "save", "restore", NULL};
  int known = 0;
  for (int k = 0; cmds[k]; k++) known |= strcmp(cmd, cmds[k]) == 0;
  if (!known) die_usage("unknown command", cmd);
  if ((!strcmp(cmd, "save") || !strcmp(cmd, "restore")) != (arg != NULL)) {
    die_usage(arg ? "unexpected argument" : "missing checkpoint file for", arg ? arg : cmd);
  }
  if (load_first && restore != NULL) die_usage("--load and --restore exclude each other", NULL);
  static bg_net_t net;
  bg_err_t err;
  if (bg_cli_load_net(netpath, NULL, &net, &err) != BG_OK) return fail(&err);
  c.net = &net;
  if (bg_dev_open(&c.dev, uri, &net, &err) != BG_OK) return fail(&err);
  int rc = restore ? bg_dev_restore(c.dev, restore, &err) : load_first ? cmd_load(&c, true, &err) : BG_OK;
  if (rc == BG_OK) {
    if (!strcmp(cmd, "info")) rc = cmd_info(&c, &err);
    else if (!strcmp(cmd, "reset")) {
      rc = bg_dev_reset(c.dev, &err);
      if (rc == BG_OK) printf("reset %s\n", bg_dev_backend_name(c.dev));
    } else if (!strcmp(cmd, "load")) rc = cmd_load(&c, false, &err);
    else if (!strcmp(cmd, "train")) rc = cmd_run(&c, true, &err);
    else if (!strcmp(cmd, "infer")) rc = cmd_run(&c, false, &err);
    else if (!strcmp(cmd, "sleep")) rc = bg_dev_run(c.dev, BG_CMD_SLEEP, NULL, 0, NULL, 60000, &err);
    else if (!strcmp(cmd, "dump-weights")) rc = cmd_dump(&c, &err);
    else if (!strcmp(cmd, "counters")) rc = cmd_counters(&c, &err);
    else if (!strcmp(cmd, "save")) rc = bg_dev_save(c.dev, arg, &err);
    else if (!strcmp(cmd, "restore")) rc = bg_dev_restore(c.dev, arg, &err);
  }
  if (rc == BG_OK && save) rc = bg_dev_save(c.dev, save, &err);
  bg_dev_close(c.dev);
  return rc == BG_OK ? 0 : fail(&err);
}
