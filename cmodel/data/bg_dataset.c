/* SPDX-License-Identifier: Apache-2.0 */
/* MNIST / Fashion-MNIST: locate the IDX files of a split, load them, check them as a pair. */
#include "bg_dataset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int bg_exists(const char *path) {
  struct stat st;
  return stat(path, &st) == 0;
}

/* Write "<dir>/<base><suffix>" into out; a path that does not fit is an error, never a silently
 * shortened name that might open some other file. */
static int bg_join(char *out, const char *dir, const char *base, const char *suffix,
                   bg_err_t *err) {
  int n = snprintf(out, BG_DATASET_PATH_MAX, "%s/%s%s", dir, base, suffix);
  if (n < 0 || n >= BG_DATASET_PATH_MAX)
    return bg_err_set(err, BG_E_ARG, "path too long: %s/%s%s (limit %d bytes)", dir, base,
                      suffix, BG_DATASET_PATH_MAX - 1);
  return BG_OK;
}

/* Find base or base.gz in dir; *found is 0 when neither exists. tried collects the paths. */
static int bg_find_one(const char *dir, const char *base, char *path, int *found, char *tried,
                       size_t tried_size, bg_err_t *err) {
  static const char *const suffixes[] = {"", ".gz"};
  *found = 0;
  for (size_t i = 0; i < 2; i++) {
    int rc = bg_join(path, dir, base, suffixes[i], err);
    if (rc != BG_OK) return rc;
    if (bg_exists(path)) {
      *found = 1;
      return BG_OK;
    }
    size_t used = strlen(tried);
    if (used < tried_size)
      snprintf(tried + used, tried_size - used, "%s%s", used > 0 ? ", " : "", path);
  }
  return BG_OK;
}

int bg_dataset_find(const char *kind, const char *data_dir, const char *split,
                    char *images_path, char *labels_path, bg_err_t *err) {
  if (kind == NULL || data_dir == NULL || split == NULL || images_path == NULL ||
      labels_path == NULL)
    return bg_err_set(err, BG_E_ARG, "bg_dataset_find: NULL argument");
  const char *prefix;
  if (strcmp(split, "train") == 0) {
    prefix = "train";
  } else if (strcmp(split, "test") == 0) {
    prefix = "t10k"; /* the test files keep their original names */
  } else {
    return bg_err_set(err, BG_E_ARG, "unknown split '%s': expected train or test", split);
  }
  char dirs[2][BG_DATASET_PATH_MAX];
  size_t ndirs = 0;
  int n;
  if (strcmp(kind, "mnist") == 0) {
    n = snprintf(dirs[ndirs++], BG_DATASET_PATH_MAX, "%s/mnist", data_dir);
  } else if (strcmp(kind, "fashion") == 0) {
    n = snprintf(dirs[ndirs++], BG_DATASET_PATH_MAX, "%s/fashion", data_dir);
    snprintf(dirs[ndirs++], BG_DATASET_PATH_MAX, "%s", BG_FASHION_SYSTEM_DIR);
  } else {
    return bg_err_set(err, BG_E_ARG, "unknown dataset kind '%s': expected mnist or fashion",
                      kind);
  }
  if (n < 0 || n >= BG_DATASET_PATH_MAX)
    return bg_err_set(err, BG_E_ARG, "data directory path too long: %s", data_dir);

  char images_base[32], labels_base[32];
  snprintf(images_base, sizeof images_base, "%s-images-idx3-ubyte", prefix);
  snprintf(labels_base, sizeof labels_base, "%s-labels-idx1-ubyte", prefix);
  char tried[1024] = "";
  for (size_t d = 0; d < ndirs; d++) {
    int found = 0;
    int rc = bg_find_one(dirs[d], images_base, images_path, &found, tried, sizeof tried, err);
    if (rc != BG_OK) return rc;
    if (!found) continue;
    /* Take the labels from the same directory as the images so the pair is one release. */
    tried[0] = '\0';
    rc = bg_find_one(dirs[d], labels_base, labels_path, &found, tried, sizeof tried, err);
    if (rc != BG_OK) return rc;
    if (!found)
      return bg_err_set(err, BG_E_IO,
                        "%s %s: label file not found: tried %s (the images are in %s; run "
                        "scripts/fetch-data.sh)", kind, split, tried, images_path);
    return BG_OK;
  }
  return bg_err_set(err, BG_E_IO,
                    "%s %s: image file not found: tried %s (run scripts/fetch-data.sh)", kind,
                    split, tried);
}

int bg_dataset_pair(bg_idx_t *images, const char *images_name, bg_idx_t *labels,
                    const char *labels_name, bg_dataset_t *out, bg_err_t *err) {
  if (images == NULL || labels == NULL || out == NULL)
    return bg_err_set(err, BG_E_ARG, "bg_dataset_pair: NULL argument");
  memset(out, 0, sizeof *out);
  const char *in = images_name != NULL ? images_name : "<images>";
  const char *ln = labels_name != NULL ? labels_name : "<labels>";
  if (images->ndims != 3)
    return bg_err_set(err, BG_E_FORMAT,
                      "%s: offset 3: expected a 3-dimensional image file (count x rows x cols), "
                      "found %u dimensions", in, images->ndims);
  if (labels->ndims != 1)
    return bg_err_set(err, BG_E_FORMAT,
                      "%s: offset 3: expected a 1-dimensional label file (count), found %u "
                      "dimensions", ln, labels->ndims);
  if (images->dims[0] != labels->dims[0])
    return bg_err_set(err, BG_E_RANGE,
                      "%s: offset 4: expected %u labels, one per image in %s, found %u", ln,
                      images->dims[0], in, labels->dims[0]);
  if (images->data == NULL || labels->data == NULL ||
      images->count != (size_t)images->dims[0] * images->dims[1] * images->dims[2] ||
      labels->count != labels->dims[0])
    return bg_err_set(err, BG_E_ARG, "bg_dataset_pair: inconsistent bg_idx_t for %s or %s", in,
                      ln);
  for (uint32_t i = 0; i < labels->dims[0]; i++) {
    if (labels->data[i] >= BG_DATASET_CLASSES)
      return bg_err_set(err, BG_E_RANGE,
                        "%s: offset %lu: label at index %u: expected 0..%d, found %u", ln,
                        8ul + i, i, BG_DATASET_CLASSES - 1, labels->data[i]);
  }
  out->n = images->dims[0];
  out->rows = images->dims[1];
  out->cols = images->dims[2];
  out->images = images->data;
  out->labels = labels->data;
  memset(images, 0, sizeof *images);
  memset(labels, 0, sizeof *labels);
  return BG_OK;
}

int bg_dataset_load(const char *kind, const char *data_dir, const char *split,
                    bg_dataset_t *out, bg_err_t *err) {
  if (out == NULL) return bg_err_set(err, BG_E_ARG, "bg_dataset_load: NULL argument");
  memset(out, 0, sizeof *out);
  char ipath[BG_DATASET_PATH_MAX], lpath[BG_DATASET_PATH_MAX];
  int rc = bg_dataset_find(kind, data_dir, split, ipath, lpath, err);
  if (rc != BG_OK) return rc;
  bg_idx_t images, labels;
  memset(&labels, 0, sizeof labels);
  rc = bg_idx_load(ipath, &images, err);
  if (rc == BG_OK) rc = bg_idx_load(lpath, &labels, err);
  if (rc == BG_OK) rc = bg_dataset_pair(&images, ipath, &labels, lpath, out, err);
  bg_idx_free(&images);
  bg_idx_free(&labels);
  return rc;
}

void bg_dataset_free(bg_dataset_t *ds) {
  if (ds == NULL) return;
  free(ds->images);
  free(ds->labels);
  memset(ds, 0, sizeof *ds);
}
