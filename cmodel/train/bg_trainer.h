/* SPDX-License-Identifier: Apache-2.0 */
/* The training loop around the golden model: epochs, shuffling, held-out validation, test
 * evaluation, checkpoints, instruments and per-epoch statistics. bg_train_run drives the
 * integer path, bgf_train_run the float path (the same source compiled twice). */
#ifndef BG_TRAINER_H
#define BG_TRAINER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bg_err.h"
#include "bg_fixed.h"
#include "bg_net.h"
#include "bg_samples.h"

#define BG_TRAIN_MAX_EPOCHS 1000

typedef struct {
  uint32_t epochs;
  uint32_t train_samples;        /* 0: every training sample (the split without validation) */
  uint32_t val_samples;          /* held out from the end of the training split */
  uint32_t test_samples;         /* 0: the whole test split */
  const char *save;              /* checkpoint written after every epoch (atomically) */
  const char *resume;            /* checkpoint to continue from */
  uint32_t instrument_every;     /* samples between backprop-equivalence measurements; 0 = off */
  FILE *instruments_csv;         /* cosine rows (float path); may be NULL */
  FILE *angle_csv;               /* B/W angle rows; may be NULL */
  const char *plot_dir;          /* final weight histograms and a spike raster as CSV; may be NULL */
  bool progress_tty;             /* redraw one progress line (else plain lines) */
  bool quiet;
} bg_train_opts_t;

typedef struct {
  double train_acc, val_acc, test_acc;   /* percent; val/test < 0 when not measured */
  double seconds, samples_per_second;    /* training only */
  double spikes_per_sample[BG_NET_MAX_LAYERS];
  double synops_per_sample;
  double fb_angle[BG_NET_MAX_LAYERS], fb_norm_ratio[BG_NET_MAX_LAYERS];  /* degrees; hidden l */
  double cosine[BG_NET_MAX_LAYERS];      /* mean BioGrad/BPTT cosine this epoch (float path) */
  uint64_t saturations;                 /* all fields, cumulative */
  bg_sat_t sat;                          /* per field, cumulative */
} bg_epoch_stats_t;

typedef struct {
  uint32_t epochs_done;                  /* including epochs restored from a checkpoint */
  uint32_t first_epoch;                  /* 1, or the epoch after the resumed one */
  bg_epoch_stats_t epoch[BG_TRAIN_MAX_EPOCHS];
  uint32_t confusion[10][10];            /* test set, last epoch: [label][prediction] */
  uint64_t weight_hash;                  /* FNV-1a 64 over the final weights */
} bg_train_result_t;

int bg_train_run(const bg_net_t *net, bg_samples_t *data, const bg_train_opts_t *o,
                 bg_train_result_t *res, bg_err_t *err);
int bgf_train_run(const bg_net_t *net, bg_samples_t *data, const bg_train_opts_t *o,
                  bg_train_result_t *res, bg_err_t *err);

/* Accuracy (percent) over samples [first, first+count) of a split, forward only, with the
 * evaluation stream reseeded: the same weights always give the same answer. confusion
 * ([label][prediction]) may be NULL; it is added to. */
struct bg_model;
struct bgf_model;
int bg_evaluate(struct bg_model *m, bg_samples_t *d, int split, uint32_t first, uint32_t count,
                uint32_t confusion[10][10], double *acc, bg_err_t *err);
int bgf_evaluate(struct bgf_model *m, bg_samples_t *d, int split, uint32_t first, uint32_t count,
                 uint32_t confusion[10][10], double *acc, bg_err_t *err);

#endif /* BG_TRAINER_H */
