/* SPDX-License-Identifier: Apache-2.0 */
/* The training loop (docs/cmodel.md, "Training"): per epoch a Fisher-Yates shuffle of the
 * training indices from stream 6, one training pass, then validation and test passes whose
 * Bernoulli draws come from stream 5, reseeded per pass. Compiled for both paths. */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bg_core.h"
#include "bg_trainer.h"

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void progress(const bg_train_opts_t *o, uint32_t epoch, uint32_t done, uint32_t total,
                     double t0, double *last, bool final) {
  if (o->quiet) return;
  double t = now_s();
  if (!final && t - *last < (o->progress_tty ? 0.25 : 10.0)) return;
  *last = t;
  double rate = (double)done / (t - t0 > 1e-9 ? t - t0 : 1e-9);
  double eta = rate > 0 ? (double)(total - done) / rate : 0;
  int width = 30, fill = total ? (int)((double)width * done / total) : width;
  if (o->progress_tty) {
    fprintf(stderr, "\repoch %u [%.*s%*s] %u/%u %.0f samples/s ETA %.0fs   ", epoch, fill,
            "##############################", width - fill, "", done, total, rate, eta);
    if (final) fputc('\n', stderr);
  } else {
    fprintf(stderr, "epoch %u: %u/%u samples, %.0f samples/s, ETA %.0fs\n", epoch, done, total,
            rate, eta);
  }
}

/* Accuracy over samples [first, first+count) of a split, with fresh evaluation draws. */
int BG(evaluate)(BG(model_t) *m, bg_samples_t *d, int split, uint32_t first, uint32_t count,
                 uint32_t confusion[10][10], double *acc, bg_err_t *err) {
  bg_rng_t rng;
  bg_rng_seed(&rng, m->net->q.stream_seed[BG_STREAM_EVAL]);
  uint32_t correct = 0;
  for (uint32_t s = 0; s < count; s++) {
    const uint8_t *in;
    int label;
    int rc = bg_samples_get(d, split, first + s, &in, &label, err);
    if (rc != BG_OK) return rc;
    int pred = BG(model_infer)(m, in, &rng);
    correct += pred == label;
    if (confusion && label >= 0 && label < 10 && pred < 10) confusion[label][pred]++;
  }
  *acc = count ? 100.0 * correct / count : -1.0;
  return BG_OK;
}

static uint64_t weight_hash(const BG(model_t) *m) {
  uint64_t h = 1469598103934665603ull;
  for (int l = 1; l < m->n_layers; l++) {
    const BG(model_layer_t) *ly = &m->layer[l];
    const void *arrs[3] = {ly->w, ly->b, ly->fb};
    size_t lens[3] = {(size_t)ly->fan_in * ly->n * sizeof *ly->w, ly->n * sizeof *ly->b,
                      ly->fb ? (size_t)ly->n * m->layer[m->n_layers - 1].n * sizeof *ly->fb : 0};
    for (int a = 0; a < 3; a++) {
      const uint8_t *p = arrs[a];
      for (size_t k = 0; k < lens[a]; k++) h = (h ^ p[k]) * 1099511628211ull;
    }
  }
  return h;
}

static uint64_t sat_total(const bg_sat_t *s) {
  return s->v + s->z + s->e + s->k + s->u + s->d + s->w + s->b + s->fb + s->acc;
}

static void log_angles(BG(model_t) *m, const bg_train_opts_t *o, bg_epoch_stats_t *st) {
  for (int l = 1; l < m->n_layers - 1; l++) {
    BG(feedback_alignment)(m, l, &st->fb_angle[l], &st->fb_norm_ratio[l]);
    if (o->angle_csv) {
      fprintf(o->angle_csv, "%llu,%d,%.6f,%.6f\n", (unsigned long long)m->train_samples, l,
              st->fb_angle[l], st->fb_norm_ratio[l]);
    }
  }
}

/* Weight histograms (weights_l<l>.csv: bin centre, count) and the spike raster of test sample
 * 0 (raster.csv: step, global neuron index, layer) for the plots. */
static int write_plot_data(BG(model_t) *m, bg_samples_t *d, const char *dir, bg_err_t *err) {
  char path[4096];
  for (int l = 1; l < m->n_layers; l++) {
    const BG(model_layer_t) *ly = &m->layer[l];
    enum { BINS = 64 };
    uint64_t hist[BINS] = {0};
    double lim = 0;
    size_t syn = (size_t)ly->fan_in * ly->n;
    for (size_t s = 0; s < syn; s++) lim = fmax(lim, fabs(BG(weight_real)(m, l, ly->w[s])));
    if (lim == 0) lim = 1;
    for (size_t s = 0; s < syn; s++) {
      int b = (int)((BG(weight_real)(m, l, ly->w[s]) + lim) / (2 * lim) * BINS);
      hist[b < 0 ? 0 : (b >= BINS ? BINS - 1 : b)]++;
    }
    snprintf(path, sizeof path, "%s/weights_l%d.csv", dir, l);
    FILE *f = fopen(path, "w");
    if (f == NULL) return bg_err_set(err, BG_E_IO, "%s: cannot write", path);
    fprintf(f, "weight,count\n");
    for (int b = 0; b < BINS; b++) fprintf(f, "%.6g,%llu\n", -lim + (b + 0.5) * 2 * lim / BINS, (unsigned long long)hist[b]);
    if (fclose(f) != 0) return bg_err_set(err, BG_E_IO, "%s: write failed", path);
  }
  const uint8_t *in;
  int label;
  if (bg_samples_count(d, BG_SPLIT_TEST) == 0) return BG_OK;
  int rc = bg_samples_get(d, BG_SPLIT_TEST, 0, &in, &label, err);
  if (rc != BG_OK) return rc;
  bg_rng_t rng;
  bg_rng_seed(&rng, m->net->q.stream_seed[BG_STREAM_EVAL]);
  BG(model_infer)(m, in, &rng);
  snprintf(path, sizeof path, "%s/raster.csv", dir);
  FILE *f = fopen(path, "w");
  if (f == NULL) return bg_err_set(err, BG_E_IO, "%s: cannot write", path);
  fprintf(f, "step,neuron,layer\n");
  uint32_t base = 0;
  for (int l = 0; l < m->n_layers; l++) {
    const BG(model_layer_t) *ly = &m->layer[l];
    for (uint32_t t = 0; t < m->T; t++) {
      for (uint32_t a = 0; a < ly->act_n[t]; a++) fprintf(f, "%u,%u,%d\n", t, base + ly->act[(size_t)t * ly->n + a], l);
    }
    base += ly->n;
  }
  if (fclose(f) != 0) return bg_err_set(err, BG_E_IO, "%s: write failed", path);
  return BG_OK;
}

int BG(train_run)(const bg_net_t *net, bg_samples_t *data, const bg_train_opts_t *o,
                  bg_train_result_t *res, bg_err_t *err) {
  BG(model_t) m;
  int rc = BG(model_init)(&m, net, err);
  if (rc != BG_OK) return rc;
  uint32_t *order = NULL;
  memset(res, 0, sizeof *res);
  uint32_t n_train_split = bg_samples_count(data, BG_SPLIT_TRAIN);
  uint32_t n_val = o->val_samples < n_train_split / 2 ? o->val_samples : n_train_split / 2;
  uint32_t n_train = n_train_split - n_val;
  if (o->train_samples && o->train_samples < n_train) n_train = o->train_samples;
  uint32_t n_test = bg_samples_count(data, BG_SPLIT_TEST);
  if (o->test_samples && o->test_samples < n_test) n_test = o->test_samples;
  uint32_t done_epochs = 0;
  if (o->resume) {
    rc = BG(model_load)(&m, o->resume, &done_epochs, err);
    if (rc != BG_OK) goto out;
  }
  if (o->epochs > BG_TRAIN_MAX_EPOCHS || done_epochs > o->epochs) {
    rc = bg_err_set(err, BG_E_ARG, "--epochs: expected %u..%u (the checkpoint has %u epochs "
                    "done), found %u", done_epochs, BG_TRAIN_MAX_EPOCHS, done_epochs, o->epochs);
    goto out;
  }
  res->first_epoch = done_epochs + 1;
  res->epochs_done = done_epochs;
  order = malloc((n_train ? n_train : 1) * sizeof *order);
  if (order == NULL) {
    rc = bg_err_set(err, BG_E_NOMEM, "out of memory for the sample order");
    goto out;
  }
  if (done_epochs == 0) log_angles(&m, o, &res->epoch[0]);
  for (uint32_t ep = done_epochs + 1; ep <= o->epochs; ep++) {
    bg_epoch_stats_t *st = &res->epoch[ep - 1];
    double rate = net->learning.rate * pow(net->learning.rate_decay, (double)(ep - 1));
    if (!BG(model_set_rate)(&m, rate)) {
      rc = bg_err_set(err, BG_E_RANGE, "%s: learning.rate_decay: the rate of epoch %u (%g) is "
                      "not representable as a 15-bit mantissa and a shift", net->file, ep, rate);
      goto out;
    }
    for (uint32_t k = 0; k < n_train; k++) order[k] = k;
    for (uint32_t k = n_train; k > 1; k--) {
      uint32_t j = bg_rng_below(&m.rng[BG_STREAM_SHUFFLE], k);
      uint32_t t = order[k - 1];
      order[k - 1] = order[j];
      order[j] = t;
    }
    BG(counters_t) c0 = m.ctr;
    uint32_t correct = 0, n_cos[BG_NET_MAX_LAYERS] = {0};
    double t0 = now_s(), last = 0, cos_sum[BG_NET_MAX_LAYERS] = {0};
    for (uint32_t k = 0; k < n_train; k++) {
      const uint8_t *in;
      int label;
      rc = bg_samples_get(data, BG_SPLIT_TRAIN, order[k], &in, &label, err);
      if (rc != BG_OK) goto out;
      rc = m.rule->train_sample(&m, in, label);
      if (rc != BG_OK) goto out;
      correct += BG(model_prediction)(&m) == label;
#if BG_FLOAT
      if (o->instrument_every && k % o->instrument_every == 0 && m.batch_fill == 0 &&
          net->rule == BG_RULE_BIOGRAD) {
        double cs[BG_NET_MAX_LAYERS];
        if (bgf_bptt_cosine(&m, label, cs) == BG_OK) {
          for (int l = 1; l < m.n_layers; l++) {
            if (isnan(cs[l])) continue;   /* no update this sample (δ = 0) */
            cos_sum[l] += cs[l];
            n_cos[l]++;
            if (o->instruments_csv) {
              fprintf(o->instruments_csv, "%llu,%d,%.6f\n",
                      (unsigned long long)m.train_samples, l, cs[l]);
            }
          }
        }
      }
#endif
      uint64_t sleeps = m.ctr.sleeps;
      BG(model_after_sample)(&m);
      if (m.ctr.sleeps != sleeps) log_angles(&m, o, st);
      progress(o, ep, k + 1, n_train, t0, &last, false);
    }
    double secs = now_s() - t0;
    progress(o, ep, n_train, n_train, t0, &last, true);
    st->seconds = secs;
    st->samples_per_second = secs > 0 ? n_train / secs : 0;
    st->train_acc = n_train ? 100.0 * correct / n_train : -1;
    for (int l = 0; l < m.n_layers; l++) {
      st->spikes_per_sample[l] = n_train ? (double)(m.ctr.spikes[l] - c0.spikes[l]) / n_train : 0;
      st->cosine[l] = n_cos[l] ? cos_sum[l] / n_cos[l] : NAN;
    }
    st->synops_per_sample = n_train ? (double)(m.ctr.syn_events - c0.syn_events) / n_train : 0;
    log_angles(&m, o, st);
    if (ep == o->epochs) memset(res->confusion, 0, sizeof res->confusion);
    rc = BG(evaluate)(&m, data, BG_SPLIT_TRAIN, n_train_split - n_val, n_val, NULL, &st->val_acc, err);
    if (rc == BG_OK) {
      rc = BG(evaluate)(&m, data, BG_SPLIT_TEST, 0, n_test, ep == o->epochs ? res->confusion : NULL,
                    &st->test_acc, err);
    }
    if (rc != BG_OK) goto out;
    st->saturations = sat_total(&m.sat);
    st->sat = m.sat;
    res->epochs_done = ep;
    if (o->save) {
      rc = BG(model_save)(&m, o->save, ep, err);
      if (rc != BG_OK) goto out;
    }
    if (!o->quiet) {
      fprintf(stderr, "epoch %u/%u: train %.2f %%  val %.2f %%  test %.2f %%  | %.0f samples/s"
              "  synops/sample %.0f  saturations %llu", ep, o->epochs, st->train_acc,
              st->val_acc, st->test_acc, st->samples_per_second, st->synops_per_sample,
              (unsigned long long)st->saturations);
      for (int l = 1; l < m.n_layers - 1; l++) fprintf(stderr, "  B%d angle %.1f deg", l, st->fb_angle[l]);
      fputc('\n', stderr);
    }
  }
  res->weight_hash = weight_hash(&m);
  if (o->plot_dir) rc = write_plot_data(&m, data, o->plot_dir, err);
out:
  free(order);
  BG(model_free)(&m);
  return rc;
}
