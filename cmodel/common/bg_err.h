/* SPDX-License-Identifier: Apache-2.0 */
/* Error reporting shared by every biograd-hw library: return codes plus one message buffer. */
#ifndef BG_ERR_H
#define BG_ERR_H

#include <stddef.h>

/* Return codes: 0 is success, every failure is negative. */
enum {
  BG_OK = 0,
  BG_E_IO = -1,      /* a file could not be opened, read or written */
  BG_E_FORMAT = -2,  /* the bytes or the JSON are malformed or truncated */
  BG_E_RANGE = -3,   /* a value is out of range or inconsistent with another */
  BG_E_NOMEM = -4,   /* an allocation failed or a size is too large to allocate */
  BG_E_ARG = -5,     /* the caller passed an invalid argument */
};

/* A message that names the file, the place in it (JSON path or byte offset), what was expected
 * and what was found. Library code fills it; only CLI main() prints it. */
typedef struct {
  char msg[2048];
} bg_err_t;

/* Format a message into err (which may be NULL) and return code, so callers can write
 * `return bg_err_set(err, BG_E_FORMAT, "%s: ...", path);`. */
int bg_err_set(bg_err_t *err, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A short name for a return code ("I/O error", "format error", ...). */
const char *bg_err_name(int code);

#endif /* BG_ERR_H */
