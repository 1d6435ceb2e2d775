/* SPDX-License-Identifier: Apache-2.0 */
/* The core's memory layout from the description's generated constants (bg_dev_layout.h). */
#include "bg_dev_layout.h"

#include <stdio.h>
#include <string.h>

#include "bg_dev.h"

static int64_t constant(const bg_net_const_t *c, int n, const char *name, int64_t def) {
  for (int k = 0; k < n; k++) {
    if (strcmp(c[k].name, name) == 0) return c[k].value;
  }
  return def;
}

void bg_dev_layout(const bg_net_t *net, bg_dev_layout_t *lay) {
  static bg_net_const_t c[2048];
  int n = bg_net_constants(net, c, 2048);
  if (n > 2048) n = 2048;
  memset(lay, 0, sizeof *lay);
  char name[40];
  for (int l = 0; l < net->n_layers; l++) {
    snprintf(name, sizeof name, "L%d_W_BASE", l);
    lay->w_base[l] = (uint32_t)constant(c, n, name, 0);
    snprintf(name, sizeof name, "L%d_N_BASE", l);
    lay->n_base[l] = (uint32_t)constant(c, n, name, 0);
    snprintf(name, sizeof name, "L%d_R_BASE", l);
    lay->r_base[l] = (uint32_t)constant(c, n, name, 0);
    snprintf(name, sizeof name, "L%d_FB_BASE", l);
    lay->fb_base[l] = (uint32_t)constant(c, n, name, 0);
  }
  const uint32_t n_out = net->layers[net->n_layers - 1].size;
  lay->pot_bits = (int)constant(c, n, "POT_BITS", 32);
  lay->err_bits = (int)constant(c, n, "ERR_BITS", 32);
  lay->words[BG_MEM_PIXELS] = net->layers[0].size;
  lay->words[BG_MEM_WEIGHTS] = (uint32_t)constant(c, n, "W_WORDS", 0);
  lay->words[BG_MEM_BIASES] = (uint32_t)constant(c, n, "N_WORDS", 0);
  lay->words[BG_MEM_FEEDBACK] = (uint32_t)constant(c, n, "FB_WORDS", 0);
  lay->words[BG_MEM_NEURON] = lay->words[BG_MEM_BIASES];
  lay->words[BG_MEM_DENDRITE] = lay->words[BG_MEM_BIASES];
  lay->words[BG_MEM_RASTER] = (uint32_t)constant(c, n, "R_WORDS", 0);
  lay->words[BG_MEM_RECORDS] = (uint32_t)constant(c, n, "REC_WORDS", 0);
  lay->words[BG_MEM_KERNELS] = lay->words[BG_MEM_RECORDS];
  lay->words[BG_MEM_ERROR_UNIT] = 3 * n_out;
  lay->width[BG_MEM_PIXELS] = 8;
  lay->width[BG_MEM_WEIGHTS] = (int)constant(c, n, "MAX_W_BITS", 32);
  lay->width[BG_MEM_BIASES] = lay->width[BG_MEM_WEIGHTS];
  lay->width[BG_MEM_FEEDBACK] = (int)constant(c, n, "MAX_FB_BITS", 32);
  lay->width[BG_MEM_NEURON] = lay->pot_bits + 9;
  lay->width[BG_MEM_DENDRITE] = (int)constant(c, n, "DEND_BITS", 32);
  lay->width[BG_MEM_RASTER] = (int)net->time.steps;
  lay->width[BG_MEM_RECORDS] = lay->pot_bits + 1;
  lay->width[BG_MEM_KERNELS] = (int)constant(c, n, "TRACE_BITS", 32);
  lay->width[BG_MEM_ERROR_UNIT] = 64;
  lay->is_signed[BG_MEM_WEIGHTS] = lay->is_signed[BG_MEM_BIASES] = true;
  lay->is_signed[BG_MEM_FEEDBACK] = lay->is_signed[BG_MEM_DENDRITE] = true;
  lay->is_signed[BG_MEM_KERNELS] = true;
}

int bg_dev_layout_find(const bg_net_t *net, const bg_dev_layout_t *lay, int sel, uint32_t addr,
                       uint32_t *index) {
  const int L = net->n_layers - 1;
  const uint32_t n_out = net->layers[L].size;
  for (int l = 0; l <= L; l++) {
    uint32_t n = net->layers[l].size, base, len;
    switch (sel) {
    case BG_MEM_WEIGHTS:
      if (l == 0) continue;
      base = lay->w_base[l];
      len = net->layers[l - 1].size * n;
      break;
    case BG_MEM_BIASES:
    case BG_MEM_NEURON:
    case BG_MEM_DENDRITE:
      if (l == 0) continue;
      base = lay->n_base[l];
      len = n;
      break;
    case BG_MEM_FEEDBACK:
      if (l == 0 || l == L) continue;
      base = lay->fb_base[l];
      len = n * n_out;
      break;
    case BG_MEM_RASTER:
      base = lay->r_base[l];
      len = n;
      break;
    default:
      return -1;
    }
    if (addr >= base && addr - base < len) {
      *index = addr - base;
      return l;
    }
  }
  return -1;
}
