/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for the IDX reader: the raw parser, the gzip-detecting decoder, the gunzip
 * on its own (so inputs without the magic still reach zlib's error paths), and pairing two
 * parsed halves as a dataset. Any crash, sanitizer report or broken invariant is a bug. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bg_dataset.h"
#include "bg_file.h"
#include "bg_idx.h"

static void bg_require(int cond) {
  if (!cond) abort();
}

/* A successful parse must describe its data exactly; a failure must leave a message and no
 * data. */
static void check_result(int rc, const bg_idx_t *idx, const bg_err_t *err) {
  if (rc != 0) {
    bg_require(rc < 0 && idx->data == NULL && idx->count == 0);
    bg_require(memchr(err->msg, '\0', sizeof err->msg) != NULL && err->msg[0] != '\0');
    return;
  }
  bg_require(idx->type == 0x08 && idx->ndims >= 1 && idx->ndims <= BG_IDX_MAX_DIMS);
  size_t prod = 1;
  for (uint32_t i = 0; i < idx->ndims; i++) {
    bg_require(idx->dims[i] >= 1);
    prod *= idx->dims[i];
  }
  bg_require(prod == idx->count && idx->count <= BG_IDX_MAX_DATA && idx->data != NULL);
  volatile uint8_t last = idx->data[idx->count - 1]; /* ASan checks the whole extent */
  (void)last;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  bg_idx_t idx;
  bg_err_t err;
  err.msg[0] = '\0';
  int rc = bg_idx_parse(data, size, "fuzz", &idx, &err);
  check_result(rc, &idx, &err);
  bg_idx_free(&idx);

  err.msg[0] = '\0';
  rc = bg_idx_decode(data, size, "fuzz", &idx, &err);
  check_result(rc, &idx, &err);
  bg_idx_free(&idx);

  uint8_t *out = NULL;
  size_t out_len = 0;
  rc = bg_gunzip(data, size, "fuzz", (size_t)1 << 22, &out, &out_len, &err);
  bg_require(rc == 0 ? out != NULL && out_len <= ((size_t)1 << 22) : out == NULL);
  free(out);

  /* Split at a position chosen by the first byte: images from one part, labels from the other. */
  if (size >= 2) {
    size_t cut = 1 + data[0] % (size - 1);
    bg_idx_t images, labels;
    int ri = bg_idx_decode(data + 1, cut - 1, "img", &images, &err);
    int rl = bg_idx_decode(data + cut, size - cut, "lab", &labels, &err);
    if (ri == 0 && rl == 0) {
      bg_dataset_t ds;
      if (bg_dataset_pair(&images, "img", &labels, "lab", &ds, &err) == 0) {
        bg_require(images.data == NULL && labels.data == NULL && ds.n >= 1);
        for (uint32_t i = 0; i < ds.n; i++) bg_require(ds.labels[i] <= 9);
        bg_dataset_free(&ds);
      }
    }
    bg_idx_free(&images);
    bg_idx_free(&labels);
  }
  return 0;
}
