/* SPDX-License-Identifier: Apache-2.0 */
/* Private to sw/driver: the core's memory layout for a description (docs/rtl.md, "Memories"),
 * from the same generated constants as the RTL (bg_net_constants: L<l>_W_BASE, W_WORDS, ...),
 * shared by the driver and the cmodel device model. */
#ifndef BG_DEV_LAYOUT_H
#define BG_DEV_LAYOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "bg_net.h"

#define BG_DEV_N_MEMS 10

typedef struct {
  uint32_t words[BG_DEV_N_MEMS];     /* per select; 0: no such memory */
  int width[BG_DEV_N_MEMS];          /* bits of one word */
  bool is_signed[BG_DEV_N_MEMS];     /* two's complement (sign-extended by the driver) */
  uint32_t w_base[BG_NET_MAX_LAYERS], n_base[BG_NET_MAX_LAYERS], r_base[BG_NET_MAX_LAYERS];
  uint32_t fb_base[BG_NET_MAX_LAYERS];
  int pot_bits, err_bits;
} bg_dev_layout_t;

void bg_dev_layout(const bg_net_t *net, bg_dev_layout_t *lay);
/* The layer whose block of memory `sel` holds word addr (-1 when none), and the index in it. */
int bg_dev_layout_find(const bg_net_t *net, const bg_dev_layout_t *lay, int sel, uint32_t addr,
                       uint32_t *index);

#endif /* BG_DEV_LAYOUT_H */
