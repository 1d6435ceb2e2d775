/* SPDX-License-Identifier: Apache-2.0 */
/* Private to cmodel/net: typed, path-aware readers over a cJSON tree that collect every
 * problem as `<file>: <json.path>: expected ..., found ...` lines. */
#ifndef BG_NET_READ_H
#define BG_NET_READ_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdint.h>

#include "bg_err.h"

#define BG_PATH_LEN 160

typedef struct {
  const char *file;  /* name used in messages */
  bg_err_t *err;     /* may be NULL */
  size_t used;       /* bytes of err->msg in use */
  int count;         /* problems found */
  int dropped;       /* problems that did not fit in err->msg */
} bg_rd_t;

/* Record one problem at `path` (empty path: the whole file). */
void bg_rd_fail(bg_rd_t *rd, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Finish: returns 0 when no problem was recorded, else BG_E_RANGE/BG_E_FORMAT with the
 * summary line appended. */
int bg_rd_finish(bg_rd_t *rd, int code);

/* out = path + "." + key (or key when path is empty). */
void bg_rd_join(char *out, const char *path, const char *key);
/* out = path + "[index]". */
void bg_rd_index(char *out, const char *path, int index);

/* Describe a JSON value for a "found ..." clause. */
void bg_rd_describe(const cJSON *v, char *buf, size_t len);

/* Reject keys not in `allowed` (NULL-terminated) and duplicate keys; suggests the nearest
 * allowed key for a likely typo. */
void bg_rd_check_keys(bg_rd_t *rd, const cJSON *obj, const char *path,
                      const char *const *allowed);

/* Member `key` of obj (obj may be NULL). */
const cJSON *bg_rd_member(const cJSON *obj, const char *key);

/* Optional sub-object: NULL when absent; a non-object is reported. Keys are checked. */
const cJSON *bg_rd_object(bg_rd_t *rd, const cJSON *obj, const char *path, const char *key,
                          const char *const *allowed);

/* Each reader leaves *out = def when the key is absent, reports wrong types and ranges, and
 * returns true when the key was present and valid. */
bool bg_rd_int(bg_rd_t *rd, const cJSON *obj, const char *path, const char *key, int64_t def,
               int64_t lo, int64_t hi, int64_t *out);
bool bg_rd_u32(bg_rd_t *rd, const cJSON *obj, const char *path, const char *key, uint32_t def,
               uint32_t lo, uint32_t hi, uint32_t *out);
bool bg_rd_i32(bg_rd_t *rd, const cJSON *obj, const char *path, const char *key, int def, int lo,
               int hi, int *out);
/* Real in [lo, hi]; lo_open makes the lower bound exclusive. */
bool bg_rd_real(bg_rd_t *rd, const cJSON *obj, const char *path, const char *key, double def,
                double lo, bool lo_open, double hi, double *out);
bool bg_rd_bool(bg_rd_t *rd, const cJSON *obj, const char *path, const char *key, bool def,
                bool *out);
/* One of names[] (NULL-terminated); *out is the index. */
bool bg_rd_enum(bg_rd_t *rd, const cJSON *obj, const char *path, const char *key,
                const char *const *names, int def, int *out);
/* A string of at most cap-1 bytes. ident: only [a-z0-9_-], 1 or more characters. */
bool bg_rd_string(bg_rd_t *rd, const cJSON *obj, const char *path, const char *key,
                  const char *def, bool ident, char *out, size_t cap);

#endif /* BG_NET_READ_H */
