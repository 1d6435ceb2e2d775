/* SPDX-License-Identifier: Apache-2.0 */
/* Image classification datasets (MNIST, Fashion-MNIST): an IDX image file and an IDX label file
 * found by name, checked against each other and loaded into one struct. docs/datasets.md says
 * where the files come from and how they are verified. */
#ifndef BG_DATASET_H
#define BG_DATASET_H

#include <stddef.h>
#include <stdint.h>

#include "bg_err.h"
#include "bg_idx.h"

#define BG_DATASET_CLASSES 10
/* Where Debian's dataset-fashion-mnist package puts its files; used when
 * <data_dir>/fashion/ does not hold them. */
#define BG_FASHION_SYSTEM_DIR "/usr/share/datasets/fashion-mnist"
#define BG_DATASET_PATH_MAX 4096

typedef struct {
  uint32_t n, rows, cols;
  uint8_t *images; /* (n, rows*cols), row-major, 0..255; owned */
  uint8_t *labels; /* (n), each 0..BG_DATASET_CLASSES-1; owned */
} bg_dataset_t;

/* Find the two files of one split without reading them. kind is "mnist" or "fashion", split
 * "train" or "test". MNIST is looked for in <data_dir>/mnist/; Fashion-MNIST in
 * <data_dir>/fashion/, then BG_FASHION_SYSTEM_DIR. In each directory the raw name
 * (e.g. train-images-idx3-ubyte) is preferred to the .gz one; both files come from the first
 * directory that has the image file. The paths are written to images_path and labels_path
 * (BG_DATASET_PATH_MAX bytes each). A missing file is an error naming every path tried. */
int bg_dataset_find(const char *kind, const char *data_dir, const char *split,
                    char *images_path, char *labels_path, bg_err_t *err);

/* Find, load and pair one split (see bg_dataset_find and bg_dataset_pair). */
int bg_dataset_load(const char *kind, const char *data_dir, const char *split,
                    bg_dataset_t *out, bg_err_t *err);

/* Pair parsed image and label files: images must be 3-D (n x rows x cols), labels 1-D (n) with
 * the same n, every label 0..9. The names are used in messages. On success the data moves into
 * *out and both idx structs are left empty; on failure they are left untouched (the caller
 * still frees them) and *out is zeroed. */
int bg_dataset_pair(bg_idx_t *images, const char *images_name, bg_idx_t *labels,
                    const char *labels_name, bg_dataset_t *out, bg_err_t *err);

/* Release the arrays and zero *ds. Safe on a zeroed struct and on NULL. */
void bg_dataset_free(bg_dataset_t *ds);

#endif /* BG_DATASET_H */
