/* SPDX-License-Identifier: Apache-2.0 */
/* N-MNIST: event decoding, framing into binary input frames, and the directory listing. */
#include "bg_nmnist.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "bg_file.h"

int bg_nmnist_parse(const uint8_t *buf, size_t len, const char *name_for_errors,
                    bg_nmnist_events_t *out, bg_err_t *err) {
  const char *name = name_for_errors != NULL ? name_for_errors : "<memory>";
  if (out == NULL || (buf == NULL && len > 0))
    return bg_err_set(err, BG_E_ARG, "%s: bg_nmnist_parse: invalid argument", name);
  memset(out, 0, sizeof *out);
  size_t rem = len % BG_NMNIST_EVENT_BYTES;
  if (rem != 0)
    return bg_err_set(err, BG_E_FORMAT,
                      "%s: truncated event at offset %zu: expected %d bytes, found %zu (the file "
                      "length %zu is not a multiple of %d)", name, len - rem,
                      BG_NMNIST_EVENT_BYTES, rem, len, BG_NMNIST_EVENT_BYTES);
  size_t n = len / BG_NMNIST_EVENT_BYTES;
  /* Check every address before allocating, so a bad file costs no memory. */
  for (size_t i = 0; i < n; i++) {
    const uint8_t *e = buf + i * BG_NMNIST_EVENT_BYTES;
    for (int k = 0; k < 2; k++) {
      if (e[k] >= BG_NMNIST_SIDE)
        return bg_err_set(err, BG_E_RANGE,
                          "%s: event %zu at offset %zu: expected %c address < %d, found %u",
                          name, i, i * BG_NMNIST_EVENT_BYTES + (size_t)k, k == 0 ? 'x' : 'y',
                          BG_NMNIST_SIDE, e[k]);
    }
  }
  bg_nmnist_event_t *ev = malloc(n > 0 ? n * sizeof *ev : 1);
  if (ev == NULL)
    return bg_err_set(err, BG_E_NOMEM, "%s: cannot allocate %zu events", name, n);
  for (size_t i = 0; i < n; i++) {
    const uint8_t *e = buf + i * BG_NMNIST_EVENT_BYTES;
    ev[i].x = e[0];
    ev[i].y = e[1];
    ev[i].p = (uint8_t)(e[2] >> 7);
    ev[i].t_us = (uint32_t)(e[2] & 0x7F) << 16 | (uint32_t)e[3] << 8 | (uint32_t)e[4];
  }
  out->n = n;
  out->ev = ev;
  return BG_OK;
}

int bg_nmnist_load(const char *path, bg_nmnist_events_t *out, bg_err_t *err) {
  if (path == NULL || out == NULL)
    return bg_err_set(err, BG_E_ARG, "bg_nmnist_load: NULL argument");
  memset(out, 0, sizeof *out);
  uint8_t *buf = NULL;
  size_t len = 0;
  int rc = bg_read_file(path, BG_NMNIST_MAX_FILE, &buf, &len, err);
  if (rc != BG_OK) return rc;
  rc = bg_nmnist_parse(buf, len, path, out, err);
  free(buf);
  return rc;
}

void bg_nmnist_events_free(bg_nmnist_events_t *ev) {
  if (ev == NULL) return;
  free(ev->ev);
  memset(ev, 0, sizeof *ev);
}

int bg_nmnist_frames(const bg_nmnist_events_t *ev, uint32_t steps, uint32_t bin_ms,
                     uint8_t *frames, bg_err_t *err) {
  if (ev == NULL || frames == NULL || (ev->ev == NULL && ev->n > 0))
    return bg_err_set(err, BG_E_ARG, "bg_nmnist_frames: NULL argument");
  if (steps == 0 || bin_ms == 0)
    return bg_err_set(err, BG_E_ARG,
                      "bg_nmnist_frames: expected steps >= 1 and bin_ms >= 1, found steps=%u "
                      "bin_ms=%u", steps, bin_ms);
  /* Only reachable where size_t is 32 bits. */
  if ((uint64_t)steps * BG_NMNIST_FRAME_BITS > (uint64_t)SIZE_MAX)
    return bg_err_set(err, BG_E_ARG, "bg_nmnist_frames: steps=%u is too large", steps);
  memset(frames, 0, (size_t)steps * BG_NMNIST_FRAME_BITS);
  /* 64-bit: steps * bin_ms can exceed 32 bits, and the window then covers every timestamp. */
  uint64_t window_ms = (uint64_t)steps * bin_ms;
  for (size_t i = 0; i < ev->n; i++) {
    const bg_nmnist_event_t *e = &ev->ev[i];
    if (e->x >= BG_NMNIST_SIDE || e->y >= BG_NMNIST_SIDE || e->p > 1)
      return bg_err_set(err, BG_E_RANGE,
                        "bg_nmnist_frames: event %zu: expected x, y < %d and p <= 1, found x=%u "
                        "y=%u p=%u", i, BG_NMNIST_SIDE, e->x, e->y, e->p);
    /* Milliseconds rounded half to even, as numpy's round() in the authors' N-MNIST loader
     * (ALGORITHM.md §2.1): 2500 us -> 2 ms, 3500 us -> 4 ms. */
    uint64_t t_ms = (uint64_t)e->t_us / 1000u, rem = (uint64_t)e->t_us % 1000u;
    if (rem > 500u || (rem == 500u && (t_ms & 1u))) t_ms++;
    if (t_ms >= window_ms) continue;
    size_t frame = (size_t)(t_ms / bin_ms);
    size_t bit = (size_t)e->p * BG_NMNIST_PIXELS + (size_t)e->y * BG_NMNIST_SIDE + e->x;
    frames[frame * BG_NMNIST_FRAME_BITS + bit] = 1; /* max-pool: repeats change nothing */
  }
  return BG_OK;
}

/* ---- directory listing ---- */

static int bg_cmp_str(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int bg_is_sample_name(const char *s) {
  size_t n = strlen(s);
  return s[0] != '.' && n > 4 && strcmp(s + n - 4, ".bin") == 0;
}

/* Collect the sample file names of one digit directory, sorted. */
static int bg_list_digit(const char *ddir, char ***names_out, size_t *n_out, bg_err_t *err) {
  *names_out = NULL;
  *n_out = 0;
  DIR *d = opendir(ddir);
  if (d == NULL)
    return bg_err_set(err, BG_E_IO,
                      "%s: cannot open directory: %s (expected the layout "
                      "<dir>/<Train|Test>/<digit>/<file>.bin)", ddir, strerror(errno));
  char **names = NULL;
  size_t n = 0, cap = 0;
  int rc = BG_OK;
  char path[4096];
  for (;;) {
    errno = 0;
    struct dirent *de = readdir(d);
    if (de == NULL) {
      if (errno != 0) rc = bg_err_set(err, BG_E_IO, "%s: readdir: %s", ddir, strerror(errno));
      break;
    }
    if (!bg_is_sample_name(de->d_name)) continue;
    int w = snprintf(path, sizeof path, "%s/%s", ddir, de->d_name);
    if (w < 0 || (size_t)w >= sizeof path) {
      rc = bg_err_set(err, BG_E_ARG, "%s/%s: path too long", ddir, de->d_name);
      break;
    }
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) continue;
    if (n == cap) {
      size_t ncap = cap ? cap * 2 : 64;
      char **nn = realloc(names, ncap * sizeof *nn);
      if (nn == NULL) {
        rc = bg_err_set(err, BG_E_NOMEM, "%s: cannot allocate the file list", ddir);
        break;
      }
      names = nn;
      cap = ncap;
    }
    names[n] = malloc(strlen(de->d_name) + 1);
    if (names[n] == NULL) {
      rc = bg_err_set(err, BG_E_NOMEM, "%s: cannot allocate the file list", ddir);
      break;
    }
    strcpy(names[n], de->d_name);
    n++;
  }
  closedir(d);
  if (rc != BG_OK) {
    for (size_t i = 0; i < n; i++) free(names[i]);
    free(names);
    return rc;
  }
  /* readdir order depends on the file system; sort so every run sees the same sequence. */
  if (n > 1) qsort(names, n, sizeof *names, bg_cmp_str);
  *names_out = names;
  *n_out = n;
  return BG_OK;
}

int bg_nmnist_list(const char *dir, const char *split, bg_nmnist_list_t *out, bg_err_t *err) {
  if (dir == NULL || split == NULL || out == NULL)
    return bg_err_set(err, BG_E_ARG, "bg_nmnist_list: NULL argument");
  memset(out, 0, sizeof *out);
  const char *sub;
  if (strcmp(split, "train") == 0) {
    sub = "Train";
  } else if (strcmp(split, "test") == 0) {
    sub = "Test";
  } else {
    return bg_err_set(err, BG_E_ARG, "unknown split '%s': expected train or test", split);
  }
  bg_nmnist_list_t list = {0, NULL};
  size_t cap = 0;
  int rc = BG_OK;
  char ddir[4096];
  for (uint8_t digit = 0; digit < 10 && rc == BG_OK; digit++) {
    int w = snprintf(ddir, sizeof ddir, "%s/%s/%u", dir, sub, digit);
    if (w < 0 || (size_t)w >= sizeof ddir) {
      rc = bg_err_set(err, BG_E_ARG, "%s: path too long", dir);
      break;
    }
    char **names = NULL;
    size_t n = 0;
    rc = bg_list_digit(ddir, &names, &n, err);
    if (rc != BG_OK) break;
    for (size_t i = 0; i < n; i++) {
      if (rc == BG_OK && list.n == cap) {
        size_t ncap = cap ? cap * 2 : 256;
        bg_nmnist_item_t *ni = realloc(list.items, ncap * sizeof *ni);
        if (ni == NULL) {
          rc = bg_err_set(err, BG_E_NOMEM, "%s: cannot allocate the file list", ddir);
        } else {
          list.items = ni;
          cap = ncap;
        }
      }
      if (rc == BG_OK) {
        size_t plen = strlen(ddir) + 1 + strlen(names[i]) + 1;
        char *p = malloc(plen);
        if (p == NULL) {
          rc = bg_err_set(err, BG_E_NOMEM, "%s: cannot allocate the file list", ddir);
        } else {
          snprintf(p, plen, "%s/%s", ddir, names[i]);
          list.items[list.n].path = p;
          list.items[list.n].label = digit;
          list.n++;
        }
      }
      free(names[i]);
    }
    free(names);
  }
  if (rc == BG_OK && list.n == 0)
    rc = bg_err_set(err, BG_E_IO, "%s/%s: expected .bin files in the digit directories 0..9, "
                    "found none", dir, sub);
  if (rc != BG_OK) {
    bg_nmnist_list_free(&list);
    return rc;
  }
  *out = list;
  return BG_OK;
}

void bg_nmnist_list_free(bg_nmnist_list_t *list) {
  if (list == NULL) return;
  for (size_t i = 0; i < list->n; i++) free(list->items[i].path);
  free(list->items);
  memset(list, 0, sizeof *list);
}
