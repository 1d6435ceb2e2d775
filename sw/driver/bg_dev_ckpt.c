/* SPDX-License-Identifier: Apache-2.0 */
/* Device checkpoints (bg_dev_save / bg_dev_restore): everything the core needs to continue
 * training, read and written through the registers, in a bg_ckpt container (atomic write,
 * CRCs, bound to the description's hash). Sections, every integer little-endian:
 *   "devmeta"  u32 format version (1), u32 words of w, b, fb
 *   "w", "b", "fb"  the weight, bias and feedback memories, one i64 per word
 *   "regs"     u32 ETA_M, ETA_SH, SLEEP_FILL, SEED_INPUT … SEED_EVAL (the stream states) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bg_ckpt.h"
#include "bg_dev.h"
#include "bg_regs.h"

#define DEV_CKPT_VERSION 1u

static const uint32_t kRegs[] = {BG_REG_ETA_M,      BG_REG_ETA_SH,          BG_REG_SLEEP_FILL,
                                 BG_REG_SEED_INPUT, BG_REG_SEED_SLEEP_RATE, BG_REG_SEED_SLEEP_NOISE,
                                 BG_REG_SEED_ROUND, BG_REG_SEED_EVAL};
#define N_REGS (sizeof kRegs / sizeof kRegs[0])
static const bg_mem_e kMems[] = {BG_MEM_WEIGHTS, BG_MEM_BIASES, BG_MEM_FEEDBACK};
static const char *const kTags[] = {"w", "b", "fb"};

static void put32(uint8_t *p, uint32_t v) {
  for (int k = 0; k < 4; k++) p[k] = (uint8_t)(v >> (8 * k));
}
static uint32_t get32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

int bg_dev_save(bg_dev_t *dev, const char *path, bg_err_t *err) {
  uint8_t meta[16], regs[4 * N_REGS];
  uint8_t *mem[3] = {NULL, NULL, NULL};
  int64_t *tmp = NULL;
  int rc = BG_OK;
  put32(meta, DEV_CKPT_VERSION);
  for (int k = 0; k < 3 && rc == BG_OK; k++) {
    uint32_t n = bg_dev_mem_words(dev, kMems[k]);
    put32(meta + 4 + 4 * k, n);
    mem[k] = malloc(8 * (size_t)n + 1);
    free(tmp);
    tmp = malloc(sizeof *tmp * ((size_t)n + 1));
    if (mem[k] == NULL || tmp == NULL) {
      rc = bg_err_set(err, BG_E_NOMEM, "%s: out of memory", path);
      break;
    }
    if (n > 0) rc = bg_dev_mem_read(dev, kMems[k], 0, n, tmp, err);
    for (uint32_t i = 0; rc == BG_OK && i < n; i++) {
      put32(mem[k] + 8 * i, (uint32_t)tmp[i]);
      put32(mem[k] + 8 * i + 4, (uint32_t)((uint64_t)tmp[i] >> 32));
    }
  }
  for (size_t k = 0; rc == BG_OK && k < N_REGS; k++) {
    uint32_t v = 0;
    rc = bg_dev_reg_read(dev, kRegs[k], &v, err);
    put32(regs + 4 * k, v);
  }
  if (rc == BG_OK) {
    bg_ckpt_section_t s[5] = {{"devmeta", meta, sizeof meta}, {"regs", regs, sizeof regs}};
    for (int k = 0; k < 3; k++) {
      snprintf(s[2 + k].tag, sizeof s[2 + k].tag, "%s", kTags[k]);
      s[2 + k].data = mem[k];
      s[2 + k].len = 8 * (uint64_t)bg_dev_mem_words(dev, kMems[k]);
    }
    /* the description's hash binds the file (the device's NET_HASH was checked at open) */
    uint32_t hash = 0;
    rc = bg_dev_reg_read(dev, BG_REG_NET_HASH, &hash, err);
    if (rc == BG_OK) rc = bg_ckpt_write(path, hash, s, 5, err);
  }
  for (int k = 0; k < 3; k++) free(mem[k]);
  free(tmp);
  return rc;
}

int bg_dev_restore(bg_dev_t *dev, const char *path, bg_err_t *err) {
  uint32_t hash = 0;
  int rc = bg_dev_reg_read(dev, BG_REG_NET_HASH, &hash, err);
  if (rc != BG_OK) return rc;
  bg_ckpt_t *c = NULL;
  rc = bg_ckpt_read(path, hash, &c, err);
  if (rc != BG_OK) return rc;
  const void *meta = NULL, *regs = NULL, *mem[3] = {NULL, NULL, NULL};
  rc = bg_ckpt_get(c, "devmeta", 16, &meta, NULL, err);
  if (rc == BG_OK && get32(meta) != DEV_CKPT_VERSION) {
    rc = bg_err_set(err, BG_E_FORMAT, "%s: section 'devmeta': expected device checkpoint "
                    "version %u, found %u", path, DEV_CKPT_VERSION, get32(meta));
  }
  for (int k = 0; k < 3 && rc == BG_OK; k++) {
    uint32_t n = bg_dev_mem_words(dev, kMems[k]);
    if (get32((const uint8_t *)meta + 4 + 4 * k) != n) {
      rc = bg_err_set(err, BG_E_FORMAT, "%s: section 'devmeta': expected %u words of '%s', "
                      "found %u", path, n, kTags[k], get32((const uint8_t *)meta + 4 + 4 * k));
      break;
    }
    rc = bg_ckpt_get(c, kTags[k], 8 * (uint64_t)n, &mem[k], NULL, err);
  }
  if (rc == BG_OK) rc = bg_ckpt_get(c, "regs", 4 * N_REGS, &regs, NULL, err);
  /* everything is verified: only now does the device change */
  for (int k = 0; k < 3 && rc == BG_OK; k++) {
    uint32_t n = bg_dev_mem_words(dev, kMems[k]);
    if (n == 0) continue;
    int64_t *w = malloc(n * sizeof *w);
    if (w == NULL) {
      rc = bg_err_set(err, BG_E_NOMEM, "%s: out of memory", path);
      break;
    }
    const uint8_t *p = mem[k];
    for (uint32_t i = 0; i < n; i++) w[i] = (int64_t)((uint64_t)get32(p + 8 * i + 4) << 32 | get32(p + 8 * i));
    rc = bg_dev_mem_write(dev, kMems[k], 0, n, w, err);
    free(w);
  }
  for (size_t k = 0; rc == BG_OK && k < N_REGS; k++) {
    rc = bg_dev_reg_write(dev, kRegs[k], get32((const uint8_t *)regs + 4 * k), err);
  }
  bg_ckpt_free(c);
  return rc;
}
