/* SPDX-License-Identifier: Apache-2.0 */
/* The real datasets through bg_dataset_load: sizes, shapes, and facts about the published
 * files (first labels, class counts) that a wrong file, a wrong split or a shifted read would
 * break. Data comes from scripts/fetch-data.sh (data/, or $BG_DATA_DIR); a dataset that is not
 * there prints `SKIP <case>: no data`. */
#include <stdlib.h>
#include <string.h>

#include "bg_dataset.h"
#include "bg_test.h"

static const char *data_dir(void) {
  const char *d = getenv("BG_DATA_DIR");
  return d != NULL && d[0] != '\0' ? d : "data";
}

static int present(const char *kind) {
  char ip[BG_DATASET_PATH_MAX], lp[BG_DATASET_PATH_MAX];
  return bg_dataset_find(kind, data_dir(), "train", ip, lp, NULL) == 0 &&
         bg_dataset_find(kind, data_dir(), "test", ip, lp, NULL) == 0;
}

/* Load one split and check n, 28x28, first label and the count of one class. */
static int check_split(const char *kind, const char *split, uint32_t n, uint8_t first_label,
                       uint8_t cls, uint32_t cls_count) {
  bg_dataset_t ds;
  bg_err_t err = {""};
  BG_CHECK(bg_dataset_load(kind, data_dir(), split, &ds, &err) == 0, "%s", err.msg);
  int bad = ds.n != n || ds.rows != 28 || ds.cols != 28;
  uint32_t got_n = ds.n, rows = ds.rows, cols = ds.cols;
  uint8_t first = ds.n ? ds.labels[0] : 255;
  uint32_t count = 0, out_of_range = 0;
  for (uint32_t i = 0; i < ds.n; i++) {
    count += ds.labels[i] == cls;
    out_of_range += ds.labels[i] > 9;
  }
  bg_dataset_free(&ds);
  BG_CHECK(!bad, "%s %s: %u samples of %ux%u, expected %u of 28x28", kind, split, got_n, rows,
           cols, n);
  BG_CHECK(out_of_range == 0, "%u labels out of range", out_of_range);
  BG_CHECK(first == first_label, "%s %s: label[0] = %u, expected %u", kind, split, first,
           first_label);
  BG_CHECK(count == cls_count, "%s %s: %u samples of class %u, expected %u", kind, split, count,
           cls, cls_count);
  return 0;
}

/* MNIST: 60000/10000; train starts with a 5, test with a 7; 5923 zeros in train, 1135 ones in
 * test (the published class counts). */
static int mnist_train(void) { return check_split("mnist", "train", 60000, 5, 0, 5923); }
static int mnist_test(void) { return check_split("mnist", "test", 10000, 7, 1, 1135); }
/* Fashion-MNIST: both splits start with an ankle boot (9); classes are exactly balanced. */
static int fashion_train(void) { return check_split("fashion", "train", 60000, 9, 3, 6000); }
static int fashion_test(void) { return check_split("fashion", "test", 10000, 9, 3, 1000); }

int main(void) {
  if (present("mnist")) {
    BG_RUN(mnist_train);
    BG_RUN(mnist_test);
  } else {
    printf("SKIP mnist_train: no data\nSKIP mnist_test: no data\n");
  }
  if (present("fashion")) {
    BG_RUN(fashion_train);
    BG_RUN(fashion_test);
  } else {
    printf("SKIP fashion_train: no data\nSKIP fashion_test: no data\n");
  }
  return bg_test_exit();
}
