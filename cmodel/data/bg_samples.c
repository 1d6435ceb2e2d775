/* SPDX-License-Identifier: Apache-2.0 */
#include "bg_samples.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int bg_samples_open(const char *spec, const char *data_dir, uint32_t input_size, uint32_t steps,
                    uint32_t bin_ms, bg_samples_t *s, bg_err_t *err) {
  memset(s, 0, sizeof *s);
  snprintf(s->spec, sizeof s->spec, "%s", spec);
  s->steps = steps;
  s->bin_ms = bin_ms;
  s->input_size = input_size;
  static const char *const split_name[2] = {"train", "test"};
  int rc = BG_OK;
  if (strncmp(spec, "nmnist:", 7) == 0) {
    s->events = 1;
    if (input_size != BG_NMNIST_FRAME_BITS) {
      return bg_err_set(err, BG_E_RANGE, "--data %s: expected a network with %d inputs "
                        "(2x34x34 event frames), found layers[0].size = %u", spec,
                        BG_NMNIST_FRAME_BITS, input_size);
    }
    for (int k = 0; k < 2 && rc == BG_OK; k++) rc = bg_nmnist_list(spec + 7, split_name[k], &s->ev[k], err);
    if (rc == BG_OK) {
      s->frames = malloc((size_t)steps * input_size);
      if (s->frames == NULL) rc = bg_err_set(err, BG_E_NOMEM, "out of memory for event frames");
    }
  } else if (strcmp(spec, "mnist") == 0 || strcmp(spec, "fashion") == 0) {
    for (int k = 0; k < 2 && rc == BG_OK; k++) rc = bg_dataset_load(spec, data_dir, split_name[k], &s->img[k], err);
    if (rc == BG_OK && s->img[0].rows * s->img[0].cols != input_size) {
      rc = bg_err_set(err, BG_E_RANGE, "--data %s: expected images of layers[0].size = %u "
                      "pixels, found %ux%u", spec, input_size, s->img[0].rows, s->img[0].cols);
    }
  } else {
    rc = bg_err_set(err, BG_E_ARG, "--data: expected mnist, fashion or nmnist:DIR, found \"%s\"",
                    spec);
  }
  if (rc != BG_OK) bg_samples_close(s);
  return rc;
}

uint32_t bg_samples_count(const bg_samples_t *s, int split) {
  return s->events ? (uint32_t)s->ev[split].n : s->img[split].n;
}

int bg_samples_get(bg_samples_t *s, int split, uint32_t idx, const uint8_t **input, int *label,
                   bg_err_t *err) {
  if (idx >= bg_samples_count(s, split)) {
    return bg_err_set(err, BG_E_ARG, "%s: sample %u out of range (%u samples)", s->spec, idx,
                      bg_samples_count(s, split));
  }
  if (!s->events) {
    const bg_dataset_t *d = &s->img[split];
    *input = d->images + (size_t)idx * d->rows * d->cols;
    *label = d->labels[idx];
    return BG_OK;
  }
  const bg_nmnist_item_t *it = &s->ev[split].items[idx];
  bg_nmnist_events_t ev;
  int rc = bg_nmnist_load(it->path, &ev, err);
  if (rc != BG_OK) return rc;
  rc = bg_nmnist_frames(&ev, s->steps, s->bin_ms, s->frames, err);
  bg_nmnist_events_free(&ev);
  *input = s->frames;
  *label = it->label;
  return rc;
}

void bg_samples_close(bg_samples_t *s) {
  for (int k = 0; k < 2; k++) {
    bg_dataset_free(&s->img[k]);
    bg_nmnist_list_free(&s->ev[k]);
  }
  free(s->frames);
  s->frames = NULL;
}
