/* SPDX-License-Identifier: Apache-2.0 */
/* Model checkpoints: every array and counter that the next sample depends on, so a resumed run
 * is bit-identical to an uninterrupted one. Container format: docs/checkpoints.md. */
#include <stdio.h>
#include <string.h>

#include "bg_ckpt.h"
#include "bg_core.h"

#define BG_MODEL_CKPT_VERSION 1u

typedef struct {
  uint32_t version, is_float, epoch, batch_fill;
  uint64_t train_samples;
  uint32_t rng[BG_STREAM_COUNT];
  uint32_t pad;
  bg_sat_t sat;
  BG(counters_t) ctr;
} BG(ckpt_meta_t);

#define MAX_SECS (1 + 5 * BG_NET_MAX_LAYERS)

/* The arrays of a model, as checkpoint sections (tags: w1, b1, fb1, acc1, accb1, ...). */
static int sections(const BG(model_t) *m, bg_ckpt_section_t *s, char tags[][BG_CKPT_TAG_LEN + 1]) {
  int n = 0;
  for (int l = 1; l < m->n_layers; l++) {
    const BG(model_layer_t) *ly = &m->layer[l];
    size_t syn = (size_t)ly->fan_in * ly->n;
    struct { const char *p; const void *d; uint64_t len; } a[] = {
        {"w", ly->w, syn * sizeof *ly->w},
        {"b", ly->b, ly->n * sizeof *ly->b},
        {"fb", ly->fb, ly->fb ? (uint64_t)ly->n * m->layer[m->n_layers - 1].n * sizeof *ly->fb : 0},
        {"acc", ly->acc, syn * sizeof *ly->acc},
        {"accb", ly->accb, ly->n * sizeof *ly->accb}};
    for (size_t k = 0; k < sizeof a / sizeof a[0]; k++) {
      if (a[k].d == NULL) continue;
      snprintf(tags[n], BG_CKPT_TAG_LEN + 1, "%s%d", a[k].p, l);
      snprintf(s[n].tag, sizeof s[n].tag, "%s", tags[n]);
      s[n].data = a[k].d;
      s[n].len = a[k].len;
      n++;
    }
  }
  return n;
}

int BG(model_save)(const BG(model_t) *m, const char *path, uint32_t epoch, bg_err_t *err) {
  BG(ckpt_meta_t) meta;
  memset(&meta, 0, sizeof meta);
  meta.version = BG_MODEL_CKPT_VERSION;
  meta.is_float = BG_FLOAT;
  meta.epoch = epoch;
  meta.batch_fill = m->batch_fill;
  meta.train_samples = m->train_samples;
  for (int s = 0; s < BG_STREAM_COUNT; s++) meta.rng[s] = m->rng[s].state;
  meta.sat = m->sat;
  meta.ctr = m->ctr;
  bg_ckpt_section_t secs[MAX_SECS];
  char tags[MAX_SECS][BG_CKPT_TAG_LEN + 1];
  snprintf(secs[0].tag, sizeof secs[0].tag, "meta");
  secs[0].data = &meta;
  secs[0].len = sizeof meta;
  int n = 1 + sections(m, secs + 1, tags + 1);
  return bg_ckpt_write(path, m->net->q.hash, secs, n, err);
}

int BG(model_load)(BG(model_t) *m, const char *path, uint32_t *epoch, bg_err_t *err) {
  bg_ckpt_t *c = NULL;
  int rc = bg_ckpt_read(path, m->net->q.hash, &c, err);
  if (rc != BG_OK) return rc;
  const void *d;
  uint64_t len;
  BG(ckpt_meta_t) meta;
  rc = bg_ckpt_get(c, "meta", sizeof meta, &d, &len, err);
  if (rc == BG_OK) {
    memcpy(&meta, d, sizeof meta);
    if (meta.version != BG_MODEL_CKPT_VERSION || meta.is_float != BG_FLOAT) {
      rc = bg_err_set(err, BG_E_FORMAT, "%s: section 'meta': expected model state version %u "
                      "of the %s path, found version %u of the %s path", path,
                      BG_MODEL_CKPT_VERSION, BG_FLOAT ? "float" : "integer", meta.version,
                      meta.is_float ? "float" : "integer");
    }
  }
  bg_ckpt_section_t secs[MAX_SECS];
  char tags[MAX_SECS][BG_CKPT_TAG_LEN + 1];
  int n = rc == BG_OK ? sections(m, secs, tags) : 0;
  /* verify every section before touching the model: a bad file leaves it unchanged */
  for (int k = 0; k < n && rc == BG_OK; k++) rc = bg_ckpt_get(c, secs[k].tag, secs[k].len, &d, &len, err);
  for (int k = 0; k < n && rc == BG_OK; k++) {
    rc = bg_ckpt_get(c, secs[k].tag, secs[k].len, &d, &len, err);
    if (rc == BG_OK && len > 0) memcpy((void *)secs[k].data, d, len);
  }
  if (rc == BG_OK) {
    *epoch = meta.epoch;
    m->batch_fill = meta.batch_fill;
    m->train_samples = meta.train_samples;
    for (int s = 0; s < BG_STREAM_COUNT; s++) m->rng[s].state = meta.rng[s];
    m->sat = meta.sat;
    m->ctr = meta.ctr;
    for (int l = 1; l < m->n_layers; l++) {
      memset(m->layer[l].row_dirty, 1, m->layer[l].fan_in);
      memset(m->layer[l].col_dirty, 1, m->layer[l].n);
    }
  }
  bg_ckpt_free(c);
  return rc;
}
