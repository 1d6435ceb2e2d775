/* SPDX-License-Identifier: Apache-2.0 */
/* The host driver's one API (bg_dev.h), built on a backend's register reads and writes. */
#include "bg_dev.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bg_dev_backend.h"
#include "bg_dev_layout.h"
#include "bg_regs.h"

struct bg_dev {
  const bg_dev_backend_t *be;
  void *state;
  const bg_net_t *net;
  bg_dev_layout_t lay;
  char uri[256];
};

static const bg_dev_backend_t *const kBackends[] = {&bg_dev_backend_cmodel, &bg_dev_backend_verilator,
                                                   &bg_dev_backend_systemc, &bg_dev_backend_uart};

static const char *const kFlagNames[] = {"BAD_ADDR", "READ_ONLY", "BUSY", "BAD_VALUE",
                                         "MEM_RANGE", "NOT_HELD"};

const char *bg_dev_backend_name(const bg_dev_t *dev) { return dev->be->scheme; }

/* Read ERROR after an access; a set flag becomes an error naming the access, then is cleared. */
static int check_error(bg_dev_t *dev, const char *what, uint32_t off, bg_err_t *err) {
  uint32_t e = 0;
  int rc = dev->be->read(dev->state, BG_REG_ERROR, &e, err);
  if (rc != BG_OK) return rc;
  if (e == 0) return BG_OK;
  char names[128] = "";
  size_t n = 0;
  for (int b = 0; b < 6; b++) {
    if (e >> b & 1u) n += (size_t)snprintf(names + n, sizeof names - n, "%s%s", n ? "," : "", kFlagNames[b]);
  }
  rc = dev->be->write(dev->state, BG_REG_ERROR, e, err);
  if (rc != BG_OK) return rc;
  const bg_regs_desc_t *t = bg_regs_table();
  const char *reg = "?";
  for (int k = 0; k < BG_REGS_COUNT; k++) {
    if (off >= t[k].offset && off < t[k].offset + 4 * t[k].words) reg = t[k].name;
  }
  return bg_err_set(err, BG_E_RANGE, "%s: %s of register 0x%03x (%s) refused: ERROR = %s",
                    dev->uri, what, off, reg, names);
}

int bg_dev_reg_read(bg_dev_t *dev, uint32_t off, uint32_t *val, bg_err_t *err) {
  int rc = dev->be->read(dev->state, off, val, err);
  return rc != BG_OK ? rc : check_error(dev, "read", off, err);
}

int bg_dev_reg_write(bg_dev_t *dev, uint32_t off, uint32_t val, bg_err_t *err) {
  int rc = dev->be->write(dev->state, off, val, err);
  return rc != BG_OK ? rc : check_error(dev, "write", off, err);
}

int bg_dev_reg_read64(bg_dev_t *dev, uint32_t off, uint64_t *val, bg_err_t *err) {
  uint32_t lo = 0, hi = 0;
  int rc = bg_dev_reg_read(dev, off, &lo, err);
  if (rc == BG_OK) rc = bg_dev_reg_read(dev, off + 4, &hi, err);
  if (rc == BG_OK) *val = (uint64_t)hi << 32 | lo;
  return rc;
}

int bg_dev_open(bg_dev_t **out, const char *uri, const bg_net_t *net, bg_err_t *err) {
  *out = NULL;
  const char *colon = strchr(uri, ':');
  const bg_dev_backend_t *be = NULL;
  for (size_t k = 0; colon && k < sizeof kBackends / sizeof kBackends[0]; k++) {
    size_t n = strlen(kBackends[k]->scheme);
    if ((size_t)(colon - uri) == n && strncmp(uri, kBackends[k]->scheme, n) == 0) be = kBackends[k];
  }
  if (be == NULL) {
    return bg_err_set(err, BG_E_ARG, "%s: expected a backend URI \"cmodel:\", \"verilator:\", "
                      "\"systemc:\" or \"uart:DEVICE[@BAUD]\" (docs/driver.md)", uri);
  }
  bg_dev_t *dev = calloc(1, sizeof *dev);
  if (dev == NULL) return bg_err_set(err, BG_E_NOMEM, "%s: out of memory", uri);
  dev->be = be;
  dev->net = net;
  snprintf(dev->uri, sizeof dev->uri, "%s", uri);
  bg_dev_layout(net, &dev->lay);
  int rc = be->open(&dev->state, colon + 1, net, err);
  if (rc != BG_OK) {
    free(dev);
    return rc;
  }
  uint32_t id = 0, ver = 0, hash = 0;
  rc = bg_dev_reg_read(dev, BG_REG_ID, &id, err);
  if (rc == BG_OK) rc = bg_dev_reg_read(dev, BG_REG_VERSION, &ver, err);
  if (rc == BG_OK) rc = bg_dev_reg_read(dev, BG_REG_NET_HASH, &hash, err);
  if (rc == BG_OK && id != BG_REG_ID_RESET) {
    rc = bg_err_set(err, BG_E_FORMAT, "%s: register ID: expected 0x%08x (\"BGHW\"), found "
                    "0x%08x: not a biograd-hw core", uri, BG_REG_ID_RESET, id);
  } else if (rc == BG_OK && bg_reg_version_major_get(ver) != BG_REGS_MAJOR) {
    rc = bg_err_set(err, BG_E_FORMAT, "%s: register VERSION: expected major %d, found %u",
                    uri, BG_REGS_MAJOR, bg_reg_version_major_get(ver));
  } else if (rc == BG_OK && hash != net->q.hash) {
    rc = bg_err_set(err, BG_E_RANGE, "%s: register NET_HASH: the core was built for "
                    "description 0x%08x, expected 0x%08x (%s)", uri, hash, net->q.hash, net->file);
  }
  if (rc != BG_OK) {
    bg_dev_close(dev);
    return rc;
  }
  *out = dev;
  return BG_OK;
}

void bg_dev_close(bg_dev_t *dev) {
  if (dev == NULL) return;
  dev->be->close(dev->state);
  free(dev);
}

uint32_t bg_dev_mem_words(const bg_dev_t *dev, bg_mem_e sel) {
  return (unsigned)sel < BG_DEV_N_MEMS ? dev->lay.words[sel] : 0;
}

/* The driver's own checks of a burst's arguments (before any device access). */
static int mem_args(bg_dev_t *dev, bg_mem_e sel, uint32_t addr, uint32_t count, bg_err_t *err) {
  if ((unsigned)sel >= BG_DEV_N_MEMS || dev->lay.words[sel] == 0) {
    return bg_err_set(err, BG_E_ARG, "%s: memory %d: no such memory for %s", dev->uri, (int)sel,
                      dev->net->file);
  }
  if (addr > dev->lay.words[sel] || count > dev->lay.words[sel] - addr) {
    return bg_err_set(err, BG_E_ARG, "%s: memory %d: words %u..%u past its %u words", dev->uri,
                      (int)sel, addr, addr + count - 1, dev->lay.words[sel]);
  }
  return BG_OK;
}

static int window(bg_dev_t *dev, bg_mem_e sel, uint32_t addr, uint32_t count, bg_err_t *err) {
  int rc = mem_args(dev, sel, addr, count, err);
  if (rc == BG_OK) rc = bg_dev_reg_write(dev, BG_REG_MEM_SEL, (uint32_t)sel, err);
  return rc != BG_OK ? rc : bg_dev_reg_write(dev, BG_REG_MEM_ADDR, addr, err);
}

/* A burst through the backend's own hook: then the flags it set, named with the burst. */
static int burst_error(bg_dev_t *dev, const char *what, bg_mem_e sel, uint32_t addr,
                       uint32_t count, bg_err_t *err) {
  char desc[96];
  snprintf(desc, sizeof desc, "burst %s (memory %d, words %u..%u) through", what, (int)sel, addr,
           addr + count - 1);
  return check_error(dev, desc, BG_REG_MEM_DATA_LO, err);
}

int bg_dev_mem_read(bg_dev_t *dev, bg_mem_e sel, uint32_t addr, uint32_t count, int64_t *out,
                    bg_err_t *err) {
  int rc;
  const int bits = dev->lay.width[sel < BG_DEV_N_MEMS ? sel : 0];
  if (dev->be->mem_read != NULL) {
    rc = mem_args(dev, sel, addr, count, err);
    if (rc == BG_OK && count > 0) {
      rc = dev->be->mem_read(dev->state, (uint32_t)sel, addr, count, (uint64_t *)out, err);
      if (rc == BG_OK) rc = burst_error(dev, "read", sel, addr, count, err);
    }
  } else {
    rc = window(dev, sel, addr, count, err);
    for (uint32_t k = 0; rc == BG_OK && k < count; k++) {
      uint32_t lo = 0, hi = 0;
      rc = bg_dev_reg_read(dev, BG_REG_MEM_DATA_LO, &lo, err);
      if (rc == BG_OK) rc = bg_dev_reg_read(dev, BG_REG_MEM_DATA_HI, &hi, err);
      out[k] = (int64_t)((uint64_t)hi << 32 | lo);
    }
  }
  for (uint32_t k = 0; rc == BG_OK && k < count; k++) {
    uint64_t w = (uint64_t)out[k];
    if (dev->lay.is_signed[sel] && bits < 64) {
      uint64_t s = UINT64_C(1) << (bits - 1), m = (UINT64_C(1) << bits) - 1;
      w = ((w & m) ^ s) - s;
    }
    out[k] = (int64_t)w;
  }
  return rc;
}

int bg_dev_mem_write(bg_dev_t *dev, bg_mem_e sel, uint32_t addr, uint32_t count,
                     const int64_t *in, bg_err_t *err) {
  int rc;
  const int bits = dev->lay.width[sel < BG_DEV_N_MEMS ? sel : 0];
  const uint64_t m = bits >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << bits) - 1;
  if (dev->be->mem_write != NULL) {
    rc = mem_args(dev, sel, addr, count, err);
    if (rc != BG_OK || count == 0) return rc;
    uint64_t *w = malloc(count * sizeof *w);
    if (w == NULL) return bg_err_set(err, BG_E_NOMEM, "%s: out of memory", dev->uri);
    for (uint32_t k = 0; k < count; k++) w[k] = (uint64_t)in[k] & m;
    rc = dev->be->mem_write(dev->state, (uint32_t)sel, addr, count, w, err);
    free(w);
    return rc != BG_OK ? rc : burst_error(dev, "write", sel, addr, count, err);
  }
  rc = window(dev, sel, addr, count, err);
  for (uint32_t k = 0; rc == BG_OK && k < count; k++) {
    uint64_t w = (uint64_t)in[k] & m;
    rc = bg_dev_reg_write(dev, BG_REG_MEM_DATA_LO, (uint32_t)w, err);
    if (rc == BG_OK) rc = bg_dev_reg_write(dev, BG_REG_MEM_DATA_HI, (uint32_t)(w >> 32), err);
  }
  return rc;
}

int bg_dev_reset(bg_dev_t *dev, bg_err_t *err) {
  return bg_dev_reg_write(dev, BG_REG_CTRL, BG_REG_CTRL_SOFT_RESET_MASK, err);
}

int bg_dev_set_rate(bg_dev_t *dev, double rate, bg_err_t *err) {
  uint32_t em, esh;
  if (!bg_net_eta_q(dev->net, rate, &em, &esh)) {
    return bg_err_set(err, BG_E_RANGE, "%s: learning rate %g is not representable as a 15-bit "
                      "mantissa and a shift", dev->uri, rate);
  }
  int rc = bg_dev_reg_write(dev, BG_REG_ETA_M, em, err);
  return rc != BG_OK ? rc : bg_dev_reg_write(dev, BG_REG_ETA_SH, esh, err);
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int bg_dev_run(bg_dev_t *dev, bg_cmd_e cmd, const uint8_t *pixels, int label, int *prediction,
               uint32_t timeout_ms, bg_err_t *err) {
  int rc = BG_OK;
  const uint32_t n_in = dev->net->layers[0].size;
  if (cmd != BG_CMD_SLEEP) {
    int64_t *w = malloc(n_in * sizeof *w);
    if (w == NULL) return bg_err_set(err, BG_E_NOMEM, "%s: out of memory", dev->uri);
    for (uint32_t j = 0; j < n_in; j++) w[j] = pixels[j];
    rc = bg_dev_mem_write(dev, BG_MEM_PIXELS, 0, n_in, w, err);
    free(w);
  }
  if (rc == BG_OK && cmd == BG_CMD_TRAIN) rc = bg_dev_reg_write(dev, BG_REG_LABEL, (uint32_t)label, err);
  uint32_t ctrl = bg_reg_ctrl_cmd_set(0, (uint32_t)cmd);
  if (rc == BG_OK) rc = bg_dev_reg_write(dev, BG_REG_CTRL, ctrl, err);
  if (rc == BG_OK) rc = bg_dev_reg_write(dev, BG_REG_CTRL, ctrl | BG_REG_CTRL_START_MASK, err);
  double t0 = now_ms();
  uint32_t st = 0;
  while (rc == BG_OK) {
    rc = bg_dev_reg_read(dev, BG_REG_STATUS, &st, err);
    if (rc != BG_OK || bg_reg_status_done_get(st)) break;
    if (now_ms() - t0 > timeout_ms) {
      return bg_err_set(err, BG_E_IO, "%s: command %d did not finish within %u ms (STATUS "
                        "0x%08x)", dev->uri, (int)cmd, timeout_ms, st);
    }
  }
  if (rc == BG_OK && prediction != NULL && cmd != BG_CMD_SLEEP) {
    uint32_t p = 0;
    rc = bg_dev_reg_read(dev, BG_REG_PREDICTION, &p, err);
    *prediction = (int)p;
  }
  return rc;
}

int bg_dev_counters(bg_dev_t *dev, bg_dev_counters_t *c, bg_err_t *err) {
  const uint32_t offs[] = {BG_REG_CNT_CYCLES, BG_REG_CNT_SYN_EVENTS, BG_REG_CNT_WEIGHT_WRITES,
                           BG_REG_CNT_SAMPLES, BG_REG_CNT_SLEEPS, BG_REG_CNT_FWD_CYCLES,
                           BG_REG_CNT_LEARN_CYCLES, BG_REG_CNT_SLEEP_CYCLES,
                           BG_REG_CNT_ROUND_DRAWS, BG_REG_CNT_TIMESTEPS};
  uint64_t *dst[] = {&c->cycles, &c->syn_events, &c->weight_writes, &c->samples, &c->sleeps,
                     &c->fwd_cycles, &c->learn_cycles, &c->sleep_cycles, &c->round_draws,
                     &c->timesteps};
  int rc = BG_OK;
  for (size_t k = 0; rc == BG_OK && k < sizeof offs / sizeof offs[0]; k++) {
    rc = bg_dev_reg_read64(dev, offs[k], dst[k], err);
  }
  if (rc == BG_OK) rc = bg_dev_reg_read(dev, BG_REG_PREDICTION, &c->prediction, err);
  if (rc == BG_OK) rc = bg_dev_reg_read(dev, BG_REG_LAST_STEP_CYCLES, &c->last_step_cycles, err);
  return rc;
}

int bg_dev_weight_hash(bg_dev_t *dev, uint64_t *hash, bg_err_t *err) {
  const bg_mem_e mems[] = {BG_MEM_WEIGHTS, BG_MEM_BIASES, BG_MEM_FEEDBACK};
  uint64_t h = 1469598103934665603ull;
  for (size_t k = 0; k < 3; k++) {
    uint32_t n = dev->lay.words[mems[k]];
    if (n == 0) continue;
    int64_t *w = malloc(n * sizeof *w);
    if (w == NULL) return bg_err_set(err, BG_E_NOMEM, "%s: out of memory", dev->uri);
    int rc = bg_dev_mem_read(dev, mems[k], 0, n, w, err);
    for (uint32_t i = 0; rc == BG_OK && i < n; i++) h = (h ^ (uint64_t)w[i]) * 1099511628211ull;
    free(w);
    if (rc != BG_OK) return rc;
  }
  *hash = h;
  return BG_OK;
}
