/* SPDX-License-Identifier: Apache-2.0 */
/* Dataset pairing: file lookup (raw before .gz, fashion's local directory before the system
 * one), and the pair checks (dims, counts, label range, missing files), on small IDX files the
 * test writes into a private temp dir. */
#include <stdlib.h>
#include <string.h>

#include "bg_dataset.h"
#include "bg_test.h"
#include "bg_test_files.h"

static char tmp[4096];

/* Write an image file of n 2x2 images (pixel = 10*i + k) and a label file into dir. */
static int write_images(const char *dir, const char *name, uint32_t n, int gz) {
  uint8_t buf[512], data[256];
  for (uint32_t i = 0; i < n; i++)
    for (uint32_t k = 0; k < 4; k++) data[i * 4 + k] = (uint8_t)(10 * i + k + (gz ? 100 : 0));
  const uint32_t dims[3] = {n, 2, 2};
  size_t len = bg_tf_idx(buf, 0x08, 3, dims, data, (size_t)n * 4);
  char path[4096];
  bg_tf_join(path, dir, name);
  return gz ? bg_tf_write_gz(path, buf, len) : bg_tf_write(path, buf, len);
}

static int write_labels(const char *dir, const char *name, const uint8_t *labels, uint32_t n) {
  uint8_t buf[512];
  const uint32_t dims[1] = {n};
  size_t len = bg_tf_idx(buf, 0x08, 1, dims, labels, n);
  char path[4096];
  return bg_tf_write(bg_tf_join(path, dir, name), buf, len);
}

/* A fresh <tmp>/<case>/mnist directory; data_dir gets <tmp>/<case>. */
static int fresh_dir(const char *name, char *data_dir, char *mnist_dir) {
  bg_tf_join(data_dir, tmp, name);
  if (mkdir(data_dir, 0755) != 0) return -1;
  bg_tf_join(mnist_dir, data_dir, "mnist");
  return mkdir(mnist_dir, 0755);
}

static int load_ok(void) {
  char dd[4096], md[4096];
  BG_CHECK(fresh_dir("ok", dd, md) == 0, "mkdir");
  const uint8_t labels[3] = {7, 0, 9};
  BG_CHECK(write_images(md, "train-images-idx3-ubyte", 3, 0) == 0, "write");
  BG_CHECK(write_labels(md, "train-labels-idx1-ubyte", labels, 3) == 0, "write");
  bg_dataset_t ds;
  bg_err_t err = {""};
  BG_CHECK(bg_dataset_load("mnist", dd, "train", &ds, &err) == 0, "%s", err.msg);
  BG_CHECK(ds.n == 3 && ds.rows == 2 && ds.cols == 2, "shape %u %u %u", ds.n, ds.rows, ds.cols);
  BG_CHECK(memcmp(ds.labels, labels, 3) == 0, "labels");
  BG_CHECK(ds.images[0] == 0 && ds.images[5] == 11 && ds.images[11] == 23, "pixels %u %u %u",
           ds.images[0], ds.images[5], ds.images[11]);
  bg_dataset_free(&ds);
  BG_CHECK(ds.images == NULL && ds.n == 0, "free did not zero");
  bg_dataset_free(&ds);
  return 0;
}

static int gz_and_raw_preference(void) {
  char dd[4096], md[4096];
  BG_CHECK(fresh_dir("gz", dd, md) == 0, "mkdir");
  const uint8_t labels[2] = {1, 2};
  /* Test split only as .gz: found and decompressed. */
  BG_CHECK(write_images(md, "t10k-images-idx3-ubyte.gz", 2, 1) == 0, "write");
  BG_CHECK(write_labels(md, "t10k-labels-idx1-ubyte", labels, 2) == 0, "write");
  bg_dataset_t ds;
  bg_err_t err = {""};
  BG_CHECK(bg_dataset_load("mnist", dd, "test", &ds, &err) == 0, "%s", err.msg);
  BG_CHECK(ds.n == 2 && ds.images[0] == 100, "gz images: n %u first %u", ds.n, ds.images[0]);
  bg_dataset_free(&ds);
  /* With both present the raw file wins (pixel 0 is 0, not 100). */
  BG_CHECK(write_images(md, "t10k-images-idx3-ubyte", 2, 0) == 0, "write");
  BG_CHECK(bg_dataset_load("mnist", dd, "test", &ds, &err) == 0, "%s", err.msg);
  BG_CHECK(ds.images[0] == 0, "raw not preferred: first pixel %u", ds.images[0]);
  bg_dataset_free(&ds);
  return 0;
}

static int count_mismatch(void) {
  char dd[4096], md[4096];
  BG_CHECK(fresh_dir("count", dd, md) == 0, "mkdir");
  const uint8_t labels[4] = {1, 2, 3, 4};
  BG_CHECK(write_images(md, "train-images-idx3-ubyte", 3, 0) == 0, "write");
  BG_CHECK(write_labels(md, "train-labels-idx1-ubyte", labels, 4) == 0, "write");
  bg_dataset_t ds;
  bg_err_t err = {""};
  BG_CHECK(bg_dataset_load("mnist", dd, "train", &ds, &err) == BG_E_RANGE, "accepted");
  BG_CHECK(ds.images == NULL && ds.labels == NULL, "output not zeroed");
  BG_CHECK(strstr(err.msg, "train-labels-idx1-ubyte") && strstr(err.msg, "expected 3 labels") &&
               strstr(err.msg, "found 4"), "%s", err.msg);
  return 0;
}

static int label_out_of_range(void) {
  char dd[4096], md[4096];
  BG_CHECK(fresh_dir("range", dd, md) == 0, "mkdir");
  const uint8_t labels[4] = {9, 0, 10, 200};
  BG_CHECK(write_images(md, "train-images-idx3-ubyte", 4, 0) == 0, "write");
  BG_CHECK(write_labels(md, "train-labels-idx1-ubyte", labels, 4) == 0, "write");
  bg_dataset_t ds;
  bg_err_t err = {""};
  BG_CHECK(bg_dataset_load("mnist", dd, "train", &ds, &err) == BG_E_RANGE, "accepted");
  /* The first offender is index 2 (byte offset 8 + 2), not the 200 at index 3. */
  BG_CHECK(strstr(err.msg, "train-labels-idx1-ubyte") && strstr(err.msg, "index 2") &&
               strstr(err.msg, "offset 10") && strstr(err.msg, "found 10"), "%s", err.msg);
  return 0;
}

static int wrong_dims(void) {
  bg_idx_t images = {0x08, 2, {3, 4, 0, 0}, 12, NULL};
  bg_idx_t labels = {0x08, 1, {3, 0, 0, 0}, 3, NULL};
  uint8_t ibuf[48] = {0}, lbuf[3] = {0, 1, 2};
  images.data = ibuf;
  labels.data = lbuf;
  bg_dataset_t ds;
  bg_err_t err = {""};
  BG_CHECK(bg_dataset_pair(&images, "img", &labels, "lab", &ds, &err) == BG_E_FORMAT,
           "2-D images accepted");
  BG_CHECK(strstr(err.msg, "img") && strstr(err.msg, "3-dimensional") &&
               strstr(err.msg, "found 2"), "%s", err.msg);
  /* Failure leaves the inputs with the caller. */
  BG_CHECK(images.data == ibuf && labels.data == lbuf, "inputs taken on failure");
  bg_idx_t images3 = {0x08, 3, {3, 2, 2, 0}, 12, ibuf};
  bg_idx_t labels2 = {0x08, 2, {3, 1, 0, 0}, 3, lbuf};
  BG_CHECK(bg_dataset_pair(&images3, "img", &labels2, "lab", &ds, &err) == BG_E_FORMAT,
           "2-D labels accepted");
  BG_CHECK(strstr(err.msg, "lab") && strstr(err.msg, "1-dimensional"), "%s", err.msg);

  /* And through files: a label file given where the images belong. */
  char dd[4096], md[4096];
  BG_CHECK(fresh_dir("dims", dd, md) == 0, "mkdir");
  BG_CHECK(write_labels(md, "train-images-idx3-ubyte", lbuf, 3) == 0, "write");
  BG_CHECK(write_labels(md, "train-labels-idx1-ubyte", lbuf, 3) == 0, "write");
  BG_CHECK(bg_dataset_load("mnist", dd, "train", &ds, &err) == BG_E_FORMAT, "accepted");
  BG_CHECK(strstr(err.msg, "train-images-idx3-ubyte") && strstr(err.msg, "found 1 dim"), "%s",
           err.msg);
  return 0;
}

static int pair_moves_ownership(void) {
  bg_idx_t images = {0x08, 3, {2, 1, 1, 0}, 2, malloc(2)};
  bg_idx_t labels = {0x08, 1, {2, 0, 0, 0}, 2, malloc(2)};
  BG_CHECK(images.data && labels.data, "alloc");
  images.data[0] = 5;
  images.data[1] = 6;
  labels.data[0] = 3;
  labels.data[1] = 4;
  bg_dataset_t ds;
  bg_err_t err = {""};
  BG_CHECK(bg_dataset_pair(&images, "i", &labels, "l", &ds, &err) == 0, "%s", err.msg);
  BG_CHECK(images.data == NULL && labels.data == NULL, "inputs still own the data");
  BG_CHECK(ds.n == 2 && ds.rows == 1 && ds.cols == 1 && ds.images[1] == 6 && ds.labels[1] == 4,
           "content");
  bg_dataset_free(&ds);
  return 0;
}

static int missing_files(void) {
  char dd[4096], md[4096];
  BG_CHECK(fresh_dir("missing", dd, md) == 0, "mkdir");
  bg_dataset_t ds;
  bg_err_t err = {""};
  BG_CHECK(bg_dataset_load("mnist", dd, "train", &ds, &err) == BG_E_IO, "no files accepted");
  char want[4096];
  bg_tf_join(want, md, "train-images-idx3-ubyte");
  BG_CHECK(strstr(err.msg, want) && strstr(err.msg, "train-images-idx3-ubyte.gz") &&
               strstr(err.msg, "fetch-data"), "%s", err.msg);
  /* Images present, labels missing: the label path is named. */
  BG_CHECK(write_images(md, "train-images-idx3-ubyte", 1, 0) == 0, "write");
  BG_CHECK(bg_dataset_load("mnist", dd, "train", &ds, &err) == BG_E_IO, "no labels accepted");
  bg_tf_join(want, md, "train-labels-idx1-ubyte");
  BG_CHECK(strstr(err.msg, want) && strstr(err.msg, "label file not found"), "%s", err.msg);
  /* No data directory at all. */
  BG_CHECK(bg_dataset_load("mnist", "/nonexistent-bg-dir", "test", &ds, &err) == BG_E_IO, "?");
  BG_CHECK(strstr(err.msg, "/nonexistent-bg-dir/mnist/t10k-images-idx3-ubyte"), "%s", err.msg);
  return 0;
}

static int bad_arguments(void) {
  bg_dataset_t ds;
  bg_err_t err = {""};
  BG_CHECK(bg_dataset_load("cifar", tmp, "train", &ds, &err) == BG_E_ARG, "kind accepted");
  BG_CHECK(strstr(err.msg, "cifar") && strstr(err.msg, "mnist or fashion"), "%s", err.msg);
  BG_CHECK(bg_dataset_load("mnist", tmp, "val", &ds, &err) == BG_E_ARG, "split accepted");
  BG_CHECK(strstr(err.msg, "'val'") && strstr(err.msg, "train or test"), "%s", err.msg);
  return 0;
}

static int fashion_lookup_order(void) {
  /* <data_dir>/fashion/ wins over the system directory. */
  char dd[4096], fd[4096];
  bg_tf_join(dd, tmp, "fashion-case");
  BG_CHECK(mkdir(dd, 0755) == 0 && mkdir(bg_tf_join(fd, dd, "fashion"), 0755) == 0, "mkdir");
  const uint8_t labels[2] = {4, 4};
  BG_CHECK(write_images(fd, "train-images-idx3-ubyte.gz", 2, 1) == 0, "write");
  BG_CHECK(write_labels(fd, "train-labels-idx1-ubyte", labels, 2) == 0, "write");
  bg_dataset_t ds;
  bg_err_t err = {""};
  BG_CHECK(bg_dataset_load("fashion", dd, "train", &ds, &err) == 0, "%s", err.msg);
  BG_CHECK(ds.n == 2 && ds.labels[0] == 4, "local fashion not used: n=%u", ds.n);
  bg_dataset_free(&ds);
  /* Without a local copy the system directory is used, when it is installed. */
  char ip[BG_DATASET_PATH_MAX], lp[BG_DATASET_PATH_MAX];
  struct stat st;
  if (stat(BG_FASHION_SYSTEM_DIR "/t10k-images-idx3-ubyte.gz", &st) == 0) {
    BG_CHECK(bg_dataset_find("fashion", dd, "test", ip, lp, &err) == 0, "%s", err.msg);
    BG_CHECK(strcmp(ip, BG_FASHION_SYSTEM_DIR "/t10k-images-idx3-ubyte.gz") == 0, "%.300s", ip);
    BG_CHECK(strcmp(lp, BG_FASHION_SYSTEM_DIR "/t10k-labels-idx1-ubyte.gz") == 0, "%.300s", lp);
  } else {
    BG_CHECK(bg_dataset_find("fashion", dd, "test", ip, lp, &err) == BG_E_IO, "found nothing?");
    BG_CHECK(strstr(err.msg, BG_FASHION_SYSTEM_DIR), "%s", err.msg);
  }
  return 0;
}

int main(void) {
  if (bg_tf_mkdtemp("dataset", tmp, sizeof tmp) != 0) {
    printf("FAIL dataset_pairing: cannot create a temporary directory\n");
    return 1;
  }
  BG_RUN(load_ok);
  BG_RUN(gz_and_raw_preference);
  BG_RUN(count_mismatch);
  BG_RUN(label_out_of_range);
  BG_RUN(wrong_dims);
  BG_RUN(pair_moves_ownership);
  BG_RUN(missing_files);
  BG_RUN(bad_arguments);
  BG_RUN(fashion_lookup_order);
  bg_tf_rm_rf(tmp);
  return bg_test_exit();
}
