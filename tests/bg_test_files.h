/* SPDX-License-Identifier: Apache-2.0 */
/* File helpers for the dataset tests: a private temporary directory, writing files (raw or
 * gzip), recursive removal. Header-only like bg_test.h; all functions are static inline so a
 * test that uses only some of them still compiles warning-free. */
#ifndef BG_TEST_FILES_H
#define BG_TEST_FILES_H

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

/* Create a fresh directory ${TMPDIR:-/tmp}/bg-<tag>-XXXXXX into dir (size bytes). 0 = ok. */
static inline int bg_tf_mkdtemp(const char *tag, char *dir, size_t size) {
  const char *base = getenv("TMPDIR");
  if (base == NULL || base[0] == '\0') base = "/tmp";
  int n = snprintf(dir, size, "%s/bg-%s-XXXXXX", base, tag);
  if (n < 0 || (size_t)n >= size) return -1;
  return mkdtemp(dir) != NULL ? 0 : -1;
}

/* "<a>/<b>" into out (4096 bytes); returns out so calls can nest. Test paths are short, so a
 * path that does not fit is a broken test environment: stop rather than use a cut path. */
static inline const char *bg_tf_join(char *out, const char *a, const char *b) {
  int n = snprintf(out, 4096, "%s/%s", a, b);
  if (n < 0 || n >= 4096) {
    printf("FAIL test setup: path too long: %s/%s\n", a, b);
    exit(1);
  }
  return out;
}

static inline int bg_tf_write(const char *path, const void *buf, size_t len) {
  FILE *f = fopen(path, "wb");
  if (f == NULL) return -1;
  size_t w = len ? fwrite(buf, 1, len, f) : 0;
  return (fclose(f) == 0 && w == len) ? 0 : -1;
}

/* gzip-compress buf into a new malloc'd buffer (one member). 0 = ok. */
static inline int bg_tf_gzip(const uint8_t *buf, size_t len, uint8_t **out, size_t *out_len) {
  z_stream zs;
  memset(&zs, 0, sizeof zs);
  if (deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) return -1;
  size_t cap = deflateBound(&zs, (uLong)len) + 64;
  uint8_t *dst = malloc(cap);
  if (dst == NULL) {
    deflateEnd(&zs);
    return -1;
  }
  zs.next_in = (Bytef *)(uintptr_t)buf;
  zs.avail_in = (uInt)len;
  zs.next_out = dst;
  zs.avail_out = (uInt)cap;
  int rc = deflate(&zs, Z_FINISH);
  *out_len = cap - zs.avail_out;
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) {
    free(dst);
    return -1;
  }
  *out = dst;
  return 0;
}

static inline int bg_tf_write_gz(const char *path, const uint8_t *buf, size_t len) {
  uint8_t *gz = NULL;
  size_t gz_len = 0;
  if (bg_tf_gzip(buf, len, &gz, &gz_len) != 0) return -1;
  int rc = bg_tf_write(path, gz, gz_len);
  free(gz);
  return rc;
}

/* Remove a file or a directory tree (no symlink following: lstat). */
static inline void bg_tf_rm_rf(const char *path) {
  struct stat st;
  if (lstat(path, &st) != 0) return;
  if (S_ISDIR(st.st_mode)) {
    DIR *d = opendir(path);
    if (d != NULL) {
      struct dirent *de;
      char sub[4096];
      while ((de = readdir(d)) != NULL) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
        bg_tf_rm_rf(bg_tf_join(sub, path, de->d_name));
      }
      closedir(d);
    }
    rmdir(path);
  } else {
    unlink(path);
  }
}

/* Build an IDX ubyte file in memory: header for nd dims, then the data bytes. Returns the
 * total length written to out (which must be large enough). */
static inline size_t bg_tf_idx(uint8_t *out, uint8_t type, uint8_t nd, const uint32_t *dims,
                               const uint8_t *data, size_t data_len) {
  out[0] = 0;
  out[1] = 0;
  out[2] = type;
  out[3] = nd;
  for (uint8_t i = 0; i < nd; i++) {
    out[4 + 4 * i] = (uint8_t)(dims[i] >> 24);
    out[5 + 4 * i] = (uint8_t)(dims[i] >> 16);
    out[6 + 4 * i] = (uint8_t)(dims[i] >> 8);
    out[7 + 4 * i] = (uint8_t)dims[i];
  }
  size_t h = 4 + 4 * (size_t)nd;
  if (data_len) memcpy(out + h, data, data_len);
  return h + data_len;
}

#endif /* BG_TEST_FILES_H */
