/* SPDX-License-Identifier: Apache-2.0 */
/* One interface over the training data sets: MNIST and Fashion-MNIST images (rate-coded by the
 * model) and N-MNIST event files (binned into frames here). A spec string names the source:
 * "mnist", "fashion" or "nmnist:DIR". */
#ifndef BG_SAMPLES_H
#define BG_SAMPLES_H

#include <stdint.h>

#include "bg_dataset.h"
#include "bg_err.h"
#include "bg_nmnist.h"

enum { BG_SPLIT_TRAIN = 0, BG_SPLIT_TEST = 1 };

typedef struct {
  char spec[256];
  int events;                     /* 0 images, 1 N-MNIST */
  bg_dataset_t img[2];
  bg_nmnist_list_t ev[2];
  uint32_t steps, bin_ms, input_size;
  uint8_t *frames;                /* steps * input_size, the last event sample read */
} bg_samples_t;

/* Open a source. data_dir holds mnist/ and fashion/ (scripts/fetch-data.sh). input_size is the
 * network's input layer size, checked against the data; steps and bin_ms bin event files. */
int bg_samples_open(const char *spec, const char *data_dir, uint32_t input_size, uint32_t steps,
                    uint32_t bin_ms, bg_samples_t *s, bg_err_t *err);
uint32_t bg_samples_count(const bg_samples_t *s, int split);
/* The input of sample idx (pixels, or T frames of 0/1 bytes for events) and its label. The
 * pointer stays valid until the next call. */
int bg_samples_get(bg_samples_t *s, int split, uint32_t idx, const uint8_t **input, int *label,
                   bg_err_t *err);
void bg_samples_close(bg_samples_t *s);

#endif /* BG_SAMPLES_H */
