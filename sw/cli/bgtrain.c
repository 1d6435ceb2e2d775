/* SPDX-License-Identifier: Apache-2.0 */
/* bgtrain: train a network description with the golden model (integer path, or --float) on
 * MNIST, Fashion-MNIST or N-MNIST; per-epoch accuracy, checkpoints, a JSON report and plots. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bg_cli_net.h"
#include "bg_samples.h"
#include "bg_trainer.h"

static const char usage[] =
    "usage: bgtrain --net NET --data mnist|fashion|nmnist:DIR --epochs E [--train-samples N]\n"
    "               [--val-samples N] [--test-samples N] [--seed S] [--float] [--save CKPT]\n"
    "               [--resume CKPT] [--report FILE.json] [--plot DIR] [--instrument-every N]\n"
    "               [--data-dir D] [--quiet]\n"
    "\n"
    "Trains NET with the golden model: the integer path (bit-exact with the hardware tiers) or,\n"
    "with --float, the same algorithm in double. Validation uses the last --val-samples images of\n"
    "the training split (default 10000), never trained on. --save writes a checkpoint after every\n"
    "epoch (atomically); --resume continues from one bit-identically. --plot writes CSV, gnuplot\n"
    "scripts and PNGs. Exit status: 0 success, 1 run-time error, 2 usage error.\n";

static void die_usage(const char *msg, const char *arg) {
  fprintf(stderr, "error: %s%s%s\n\n%s", msg, arg ? " " : "", arg ? arg : "", usage);
  exit(2);
}

static cJSON *num_or_null(double v) { return isnan(v) || v < 0 ? cJSON_CreateNull() : cJSON_CreateNumber(v); }

static int write_report(const char *path, const bg_net_t *net, const char *netpath,
                        const char *data, bool fl, const bg_train_result_t *r, bg_err_t *err) {
  cJSON *j = cJSON_CreateObject();
  const bg_epoch_stats_t *last = r->epochs_done ? &r->epoch[r->epochs_done - 1] : NULL;
  double sps = 0, secs = 0;
  uint32_t n_ep = 0;
  for (uint32_t e = r->first_epoch; e <= r->epochs_done; e++) {
    secs += r->epoch[e - 1].seconds;
    sps += r->epoch[e - 1].samples_per_second;
    n_ep++;
  }
  cJSON_AddStringToObject(j, "net", netpath);
  cJSON_AddStringToObject(j, "name", net->name);
  cJSON_AddStringToObject(j, "data", data);
  cJSON_AddStringToObject(j, "rule", bg_net_rule_name(net->rule));
  cJSON_AddStringToObject(j, "mode", fl ? "float" : "integer");
  cJSON_AddStringToObject(j, "learning_mode", net->learning.mode == BG_LEARN_REPLAY ? "replay" : "trace");
  cJSON_AddNumberToObject(j, "seed", net->seed);
  cJSON_AddNumberToObject(j, "epochs", r->epochs_done);
  cJSON_AddItemToObject(j, "test_accuracy", num_or_null(last ? last->test_acc : -1));
  cJSON_AddItemToObject(j, "val_accuracy", num_or_null(last ? last->val_acc : -1));
  cJSON_AddItemToObject(j, "train_accuracy", num_or_null(last ? last->train_acc : -1));
  cJSON_AddNumberToObject(j, "samples_per_second", n_ep ? sps / n_ep : 0);
  cJSON_AddNumberToObject(j, "train_seconds", secs);
  char hash[32];
  snprintf(hash, sizeof hash, "%016llx", (unsigned long long)r->weight_hash);
  cJSON_AddStringToObject(j, "weight_hash", hash);
  cJSON *eps = cJSON_AddArrayToObject(j, "per_epoch");
  for (uint32_t e = r->first_epoch; e <= r->epochs_done; e++) {
    const bg_epoch_stats_t *s = &r->epoch[e - 1];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "epoch", e);
    cJSON_AddItemToObject(o, "train_accuracy", num_or_null(s->train_acc));
    cJSON_AddItemToObject(o, "val_accuracy", num_or_null(s->val_acc));
    cJSON_AddItemToObject(o, "test_accuracy", num_or_null(s->test_acc));
    cJSON_AddNumberToObject(o, "samples_per_second", s->samples_per_second);
    cJSON_AddNumberToObject(o, "synops_per_sample", s->synops_per_sample);
    cJSON_AddNumberToObject(o, "saturations", (double)s->saturations);
    cJSON *sf = cJSON_AddObjectToObject(o, "saturations_by_field");
    const struct { const char *name; uint64_t n; } fields[] = {
        {"v", s->sat.v}, {"z", s->sat.z}, {"e", s->sat.e}, {"k", s->sat.k}, {"u", s->sat.u},
        {"d", s->sat.d}, {"w", s->sat.w}, {"b", s->sat.b}, {"fb", s->sat.fb}, {"acc", s->sat.acc}};
    for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
      cJSON_AddNumberToObject(sf, fields[f].name, (double)fields[f].n);
    }
    cJSON *sp = cJSON_AddArrayToObject(o, "spikes_per_sample");
    for (int l = 0; l < net->n_layers; l++) cJSON_AddItemToArray(sp, cJSON_CreateNumber(s->spikes_per_sample[l]));
    cJSON *an = cJSON_AddArrayToObject(o, "feedback_angle_deg");
    cJSON *nr = cJSON_AddArrayToObject(o, "feedback_norm_ratio");
    for (int l = 1; l < net->n_layers - 1; l++) {
      cJSON_AddItemToArray(an, num_or_null(s->fb_angle[l]));
      cJSON_AddItemToArray(nr, num_or_null(s->fb_norm_ratio[l]));
    }
    cJSON *co = cJSON_AddArrayToObject(o, "bptt_cosine");
    for (int l = 1; l < net->n_layers; l++) cJSON_AddItemToArray(co, num_or_null(s->cosine[l]));
    cJSON_AddItemToArray(eps, o);
  }
  cJSON *cm = cJSON_AddArrayToObject(j, "confusion");
  for (int a = 0; a < 10; a++) {
    cJSON *row = cJSON_CreateArray();
    for (int b = 0; b < 10; b++) cJSON_AddItemToArray(row, cJSON_CreateNumber(r->confusion[a][b]));
    cJSON_AddItemToArray(cm, row);
  }
  char *text = cJSON_Print(j);
  cJSON_Delete(j);
  if (text == NULL) return bg_err_set(err, BG_E_NOMEM, "out of memory writing the report");
  char tmp[4096];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  int rc = BG_OK;
  if (f == NULL || fprintf(f, "%s\n", text) < 0 || fclose(f) != 0 || rename(tmp, path) != 0) {
    rc = bg_err_set(err, BG_E_IO, "%s: cannot write the report: %s", path, strerror(errno));
  }
  free(text);
  return rc;
}

static FILE *open_csv(const char *dir, const char *name, const char *header) {
  char p[4096];
  snprintf(p, sizeof p, "%s/%s", dir, name);
  FILE *f = fopen(p, "w");
  if (f) fprintf(f, "%s\n", header);
  return f;
}

/* accuracy.csv and the gnuplot scripts; then gnuplot renders the PNGs. */
static int write_plots(const char *dir, const bg_net_t *net, const bg_train_result_t *r,
                       bool cosine, bg_err_t *err) {
  FILE *f = open_csv(dir, "accuracy.csv", "epoch,train,val,test");
  if (f == NULL) return bg_err_set(err, BG_E_IO, "%s/accuracy.csv: cannot write", dir);
  for (uint32_t e = r->first_epoch; e <= r->epochs_done; e++) {
    const bg_epoch_stats_t *s = &r->epoch[e - 1];
    fprintf(f, "%u,%.4f,%.4f,%.4f\n", e, s->train_acc, s->val_acc, s->test_acc);
  }
  fclose(f);
  char p[4096];
  snprintf(p, sizeof p, "%s/plots.gp", dir);
  f = fopen(p, "w");
  if (f == NULL) return bg_err_set(err, BG_E_IO, "%s: cannot write", p);
  fprintf(f, "# gnuplot script written by bgtrain for %s; run: cd %s && gnuplot plots.gp\n"
          "set datafile separator ','\nset terminal png size 800,500\nset key autotitle columnhead\n"
          "set output 'accuracy.png'\nset title 'Accuracy (%s)'\nset xlabel 'epoch'\nset ylabel '%%'\n"
          "plot 'accuracy.csv' using 1:2 with linespoints, '' using 1:3 with linespoints, '' using 1:4 with linespoints\n"
          "set output 'raster.png'\nset title 'Spike raster, test sample 0'\nset xlabel 'step'\nset ylabel 'neuron'\n"
          "plot 'raster.csv' using 1:2:3 with points pt 7 ps 0.4 lc variable notitle\n"
          "set output 'angle.png'\nset title 'Angle between B and the downstream weight product'\n"
          "set xlabel 'training samples'\nset ylabel 'degrees'\n"
          "plot 'angle.csv' using 1:3 with lines title 'B^l vs (W^L..W^{l+1})^T'\n",
          net->name, dir, net->name);
  for (int l = 1; l < net->n_layers; l++) {
    fprintf(f, "set output 'weights_l%d.png'\nset title 'Weights into layer %d'\nset xlabel 'weight'\n"
            "set ylabel 'count'\nset style fill solid\nplot 'weights_l%d.csv' using 1:2 with boxes notitle\n",
            l, l, l);
  }
  if (cosine) fprintf(f, "set output 'cosine.png'\nset title 'cos(BioGrad update, BPTT gradient)'\n"
          "set xlabel 'training samples'\nset ylabel 'cosine'\nset yrange [-1:1]\n"
          "plot 'cosine.csv' using 1:3 with points pt 7 ps 0.3 title 'all layers'\n");
  fclose(f);
  char cmd[8300];
  snprintf(cmd, sizeof cmd, "cd '%s' && gnuplot plots.gp 2>gnuplot.log", dir);
  if (system(cmd) != 0) {
    return bg_err_set(err, BG_E_IO, "%s: gnuplot failed (see %s/gnuplot.log; scripts/setup.sh "
                      "installs gnuplot-nox)", dir, dir);
  }
  return BG_OK;
}

int main(int argc, char **argv) {
  const char *netpath = NULL, *data = NULL, *seed = NULL, *report = NULL, *plot = NULL;
  const char *data_dir = "data";
  bool fl = false;
  bg_train_opts_t o;
  memset(&o, 0, sizeof o);
  o.val_samples = 10000;
  o.instrument_every = 0;
  bool have_epochs = false, instr_set = false;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
#define TAKE() (v ? (i++, v) : (die_usage("missing value for", a), ""))
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      fputs(usage, stdout);
      return 0;
    } else if (!strcmp(a, "--net")) netpath = TAKE();
    else if (!strcmp(a, "--data")) data = TAKE();
    else if (!strcmp(a, "--data-dir")) data_dir = TAKE();
    else if (!strcmp(a, "--epochs")) { o.epochs = bg_cli_u32(a, TAKE()); have_epochs = true; }
    else if (!strcmp(a, "--train-samples")) o.train_samples = bg_cli_u32(a, TAKE());
    else if (!strcmp(a, "--val-samples")) o.val_samples = bg_cli_u32(a, TAKE());
    else if (!strcmp(a, "--test-samples")) o.test_samples = bg_cli_u32(a, TAKE());
    else if (!strcmp(a, "--instrument-every")) { o.instrument_every = bg_cli_u32(a, TAKE()); instr_set = true; }
    else if (!strcmp(a, "--seed")) seed = TAKE();
    else if (!strcmp(a, "--save")) o.save = TAKE();
    else if (!strcmp(a, "--resume")) o.resume = TAKE();
    else if (!strcmp(a, "--report")) report = TAKE();
    else if (!strcmp(a, "--plot")) plot = TAKE();
    else if (!strcmp(a, "--float")) fl = true;
    else if (!strcmp(a, "--quiet")) o.quiet = true;
    else die_usage("unknown option", a);
#undef TAKE
  }
  if (!netpath || !data || !have_epochs) die_usage("--net, --data and --epochs are required", NULL);
  if (o.epochs < 1 || o.epochs > BG_TRAIN_MAX_EPOCHS) die_usage("--epochs: expected 1..1000", NULL);
  bg_err_t err;
  static bg_net_t net;
  if (bg_cli_load_net(netpath, seed, &net, &err) != BG_OK) {
    fprintf(stderr, "error: %s\n", err.msg);
    return 1;
  }
  bg_samples_t ds;
  if (bg_samples_open(data, data_dir, net.layers[0].size, net.time.steps, net.input.bin_ms, &ds, &err) != BG_OK) {
    fprintf(stderr, "error: %s\n", err.msg);
    return 1;
  }
  o.progress_tty = isatty(2);
  if (plot) {
    if (mkdir(plot, 0777) != 0 && errno != EEXIST) {
      fprintf(stderr, "error: --plot %s: cannot create the directory: %s\n", plot, strerror(errno));
      return 1;
    }
    o.plot_dir = plot;
    if (fl && !instr_set) o.instrument_every = 100;
    o.angle_csv = open_csv(plot, "angle.csv", "samples,layer,angle_deg,norm_ratio");
    o.instruments_csv = open_csv(plot, "cosine.csv", "samples,layer,cosine");
    if (!o.angle_csv || !o.instruments_csv) {
      fprintf(stderr, "error: --plot %s: cannot write CSV files there\n", plot);
      return 1;
    }
  }
  fprintf(stderr, "bgtrain: %s (%s), rule %s, %s path, %s mode, seed %u, data %s\n", net.name,
          netpath, bg_net_rule_name(net.rule), fl ? "float" : "integer",
          net.learning.mode == BG_LEARN_REPLAY ? "replay" : "trace", net.seed, data);
  bg_train_result_t *r = calloc(1, sizeof *r);
  if (r == NULL) return 1;
  int rc = fl ? bgf_train_run(&net, &ds, &o, r, &err) : bg_train_run(&net, &ds, &o, r, &err);
  if (o.angle_csv) fclose(o.angle_csv);
  if (o.instruments_csv) fclose(o.instruments_csv);
  if (rc == BG_OK && report) rc = write_report(report, &net, netpath, data, fl, r, &err);
  if (rc == BG_OK && plot) rc = write_plots(plot, &net, r, fl && o.instrument_every > 0, &err);
  if (rc != BG_OK) {
    fprintf(stderr, "error: %s\n", err.msg);
    free(r);
    bg_samples_close(&ds);
    return 1;
  }
  const bg_epoch_stats_t *last = r->epochs_done ? &r->epoch[r->epochs_done - 1] : NULL;
  printf("test_accuracy %.2f\nval_accuracy %.2f\ntrain_accuracy %.2f\nweight_hash %016llx\n",
         last ? last->test_acc : -1, last ? last->val_acc : -1, last ? last->train_acc : -1,
         (unsigned long long)r->weight_hash);
  free(r);
  bg_samples_close(&ds);
  return 0;
}
