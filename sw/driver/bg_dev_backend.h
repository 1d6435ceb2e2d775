/* SPDX-License-Identifier: Apache-2.0 */
/* Private to sw/driver: what a backend provides. Only register reads and writes: bursts,
 * commands and checkpoints are built on them in bg_dev.c, so every backend runs the same
 * driver code (docs/driver.md). */
#ifndef BG_DEV_BACKEND_H
#define BG_DEV_BACKEND_H

#include <stdint.h>

#include "bg_err.h"
#include "bg_net.h"

typedef struct {
  const char *scheme;           /* "cmodel" */
  /* Open for the description; arg is the URI after "scheme:". *state is the backend's own. */
  int (*open)(void **state, const char *arg, const bg_net_t *net, bg_err_t *err);
  void (*close)(void *state);
  /* A bus transaction: BG_OK, or an error for a failed transport (a dead link, a timeout).
   * What the device refuses is not an error here: it sets a flag in ERROR. */
  int (*read)(void *state, uint32_t off, uint32_t *val, bg_err_t *err);
  int (*write)(void *state, uint32_t off, uint32_t val, bg_err_t *err);
} bg_dev_backend_t;

extern const bg_dev_backend_t bg_dev_backend_cmodel;

#endif /* BG_DEV_BACKEND_H */
