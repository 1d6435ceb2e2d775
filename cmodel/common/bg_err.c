/* SPDX-License-Identifier: Apache-2.0 */
/* Error reporting shared by every biograd-hw library. */
#include "bg_err.h"

#include <stdarg.h>
#include <stdio.h>

int bg_err_set(bg_err_t *err, int code, const char *fmt, ...) {
  if (err != NULL) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
  }
  return code;
}

const char *bg_err_name(int code) {
  switch (code) {
    case BG_OK: return "ok";
    case BG_E_IO: return "I/O error";
    case BG_E_FORMAT: return "format error";
    case BG_E_RANGE: return "range error";
    case BG_E_NOMEM: return "out of memory";
    case BG_E_ARG: return "invalid argument";
    default: return "unknown error";
  }
}
