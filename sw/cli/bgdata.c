/* SPDX-License-Identifier: Apache-2.0 */
/* bgdata: load a dataset's train and test splits through the dataset layer and summarise them,
 * so a person (or a script) can see that the files are present, intact and as expected. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bg_dataset.h"
#include "bg_err.h"
#include "bg_nmnist.h"

static const char bg_usage[] =
    "usage: bgdata check mnist|fashion|nmnist:DIR [--data-dir D]\n"
    "       bgdata --help\n"
    "\n"
    "Loads the train and test split of a dataset, checks them, and prints one line per split:\n"
    "sample count, frame size, label histogram (label:count), and the mean pixel value\n"
    "(mnist, fashion) or the mean number of events per sample (nmnist).\n"
    "\n"
    "  mnist        D/mnist/{train,t10k}-{images-idx3,labels-idx1}-ubyte[.gz]\n"
    "  fashion      D/fashion/ (same names), else " BG_FASHION_SYSTEM_DIR "/\n"
    "  nmnist:DIR   DIR/{Train,Test}/<digit>/<file>.bin (N-MNIST binary event files)\n"
    "  --data-dir D data directory for mnist and fashion (default: data)\n"
    "\n"
    "Exit status: 0 when both splits load and pass every check; 1 otherwise, with the error\n"
    "(file, offset or field, expected, found) on stderr. scripts/fetch-data.sh fetches the data;\n"
    "docs/datasets.md describes the formats and checks.\n";

/* Append the label histogram " 0:n 1:n ..." to line. */
static void bg_hist_text(const uint64_t *hist, char *line, size_t size) {
  for (int c = 0; c < BG_DATASET_CLASSES; c++) {
    size_t used = strlen(line);
    if (used >= size) return;
    snprintf(line + used, size - used, " %d:%" PRIu64, c, hist[c]);
  }
}

/* One split of mnist/fashion: load, then describe it in line. */
static int bg_check_idx(const char *kind, const char *data_dir, const char *split, char *line,
                        size_t size, bg_err_t *err) {
  char ipath[BG_DATASET_PATH_MAX], lpath[BG_DATASET_PATH_MAX];
  int rc = bg_dataset_find(kind, data_dir, split, ipath, lpath, err);
  if (rc != BG_OK) return rc;
  bg_dataset_t ds;
  rc = bg_dataset_load(kind, data_dir, split, &ds, err);
  if (rc != BG_OK) return rc;
  uint64_t hist[BG_DATASET_CLASSES] = {0};
  for (uint32_t i = 0; i < ds.n; i++) hist[ds.labels[i]]++;
  size_t npix = (size_t)ds.n * ds.rows * ds.cols;
  uint64_t sum = 0;
  for (size_t i = 0; i < npix; i++) sum += ds.images[i];
  snprintf(line, size, "%s %s: %" PRIu32 " samples, %" PRIu32 "x%" PRIu32 ", labels", kind,
           split, ds.n, ds.rows, ds.cols);
  bg_hist_text(hist, line, size);
  size_t used = strlen(line);
  if (used < size)
    snprintf(line + used, size - used, ", mean pixel %.3f (%s)",
             npix ? (double)sum / (double)npix : 0.0, ipath);
  bg_dataset_free(&ds);
  return BG_OK;
}

/* One split of N-MNIST: list it, decode every file, describe it in line. */
static int bg_check_nmnist(const char *dir, const char *split, char *line, size_t size,
                           bg_err_t *err) {
  bg_nmnist_list_t list;
  int rc = bg_nmnist_list(dir, split, &list, err);
  if (rc != BG_OK) return rc;
  uint64_t hist[BG_DATASET_CLASSES] = {0};
  uint64_t events = 0;
  for (size_t i = 0; i < list.n && rc == BG_OK; i++) {
    bg_nmnist_events_t ev;
    rc = bg_nmnist_load(list.items[i].path, &ev, err);
    if (rc != BG_OK) break;
    hist[list.items[i].label]++;
    events += ev.n;
    bg_nmnist_events_free(&ev);
  }
  if (rc == BG_OK) {
    snprintf(line, size, "nmnist %s: %zu samples, %dx%dx2, labels", split, list.n,
             BG_NMNIST_SIDE, BG_NMNIST_SIDE);
    bg_hist_text(hist, line, size);
    size_t used = strlen(line);
    if (used < size)
      snprintf(line + used, size - used, ", mean events/sample %.1f (%s)",
               (double)events / (double)list.n, dir);
  }
  bg_nmnist_list_free(&list);
  return rc;
}

int main(int argc, char **argv) {
  const char *target = NULL;
  const char *data_dir = "data";
  int saw_check = 0;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
      fputs(bg_usage, stdout);
      return 0;
    } else if (strcmp(a, "--data-dir") == 0) {
      if (i + 1 >= argc) {
        fprintf(stderr, "bgdata: --data-dir: expected a directory, found the end of the "
                        "arguments\n%s", bg_usage);
        return 1;
      }
      data_dir = argv[++i];
    } else if (strncmp(a, "--data-dir=", 11) == 0) {
      data_dir = a + 11;
    } else if (!saw_check && strcmp(a, "check") == 0) {
      saw_check = 1;
    } else if (saw_check && target == NULL && a[0] != '-') {
      target = a;
    } else {
      fprintf(stderr, "bgdata: unexpected argument '%s'\n%s", a, bg_usage);
      return 1;
    }
  }
  if (!saw_check || target == NULL) {
    fprintf(stderr, "bgdata: expected `check DATASET`\n%s", bg_usage);
    return 1;
  }
  const char *nmnist_dir = NULL;
  if (strncmp(target, "nmnist:", 7) == 0) {
    nmnist_dir = target + 7;
    if (nmnist_dir[0] == '\0') {
      fprintf(stderr, "bgdata: nmnist: expected nmnist:DIR, found an empty directory\n");
      return 1;
    }
  } else if (strcmp(target, "mnist") != 0 && strcmp(target, "fashion") != 0) {
    fprintf(stderr, "bgdata: unknown dataset '%s': expected mnist, fashion or nmnist:DIR\n",
            target);
    return 1;
  }
  static const char *const splits[] = {"train", "test"};
  for (int s = 0; s < 2; s++) {
    char line[1024 + BG_DATASET_PATH_MAX];
    bg_err_t err;
    err.msg[0] = '\0';
    int rc = nmnist_dir != NULL
                 ? bg_check_nmnist(nmnist_dir, splits[s], line, sizeof line, &err)
                 : bg_check_idx(target, data_dir, splits[s], line, sizeof line, &err);
    if (rc != BG_OK) {
      fprintf(stderr, "bgdata: %s: %s\n", bg_err_name(rc), err.msg);
      return 1;
    }
    printf("%s\n", line);
  }
  return 0;
}
