/* SPDX-License-Identifier: Apache-2.0 */
/* Private to sw/driver: what a backend provides. Register reads and writes: commands and
 * checkpoints are built on them in bg_dev.c, so every backend runs the same driver code
 * (docs/driver.md). A backend whose every register access is a slow transaction (uart:) may
 * also provide bursts; the driver then uses them instead of the memory window. */
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
  /* Optional (NULL: the driver uses the MEM_SEL/MEM_ADDR/MEM_DATA window). count words of
   * memory sel from addr, as the memory stores them (zero-extended raw bits; the driver
   * sign-extends), already checked by the driver against the memory's size. Same contract as
   * read/write: a refusal by the device sets ERROR flags (and stops the burst), a failed
   * transport is an error. Afterwards MEM_SEL = sel and MEM_ADDR is past the last word moved,
   * as after the same burst through the window. */
  int (*mem_read)(void *state, uint32_t sel, uint32_t addr, uint32_t count, uint64_t *out,
                  bg_err_t *err);
  int (*mem_write)(void *state, uint32_t sel, uint32_t addr, uint32_t count,
                   const uint64_t *in, bg_err_t *err);
} bg_dev_backend_t;

extern const bg_dev_backend_t bg_dev_backend_cmodel;
extern const bg_dev_backend_t bg_dev_backend_verilator;
extern const bg_dev_backend_t bg_dev_backend_systemc;
extern const bg_dev_backend_t bg_dev_backend_uart;

#endif /* BG_DEV_BACKEND_H */
