/* SPDX-License-Identifier: Apache-2.0 */
/* The `cmodel:` backend: the golden model (integer path) behind a register-level model of the
 * core's register block (docs/driver.md, "Register semantics"). Commands run to completion
 * inside the START write, so the device is never seen busy; memories are the model's arrays in
 * the RTL's layout and word format (raw two's complement bits, zero-extended, as the RTL's host
 * port returns them). Not modelled (docs/driver.md): per-step checkpoint holds (CHK_EN is kept
 * but never holds), the cycle counters (read 0), the replay records and kernels (MEM_SEL 7, 8:
 * ERROR.BAD_VALUE). */
#include <stdlib.h>
#include <string.h>

#include "bg_regs.h"
#include "bg_dev.h"
#include "bg_dev_backend.h"
#include "bg_dev_layout.h"
#include "bg_model.h"

typedef struct {
  const bg_net_t *net;
  bg_model_t m;
  bg_dev_layout_t lay;
  uint8_t *pix;
  uint32_t cmd, chk_en, label, mem_sel, mem_addr, lo_buf, hi_latch, cnt_hi, error;
  bool done;
  uint32_t prediction;
} cm_t;

static uint64_t mask(int bits) { return bits >= 64 ? ~UINT64_C(0) : (UINT64_C(1) << bits) - 1; }
static int64_t sext(uint64_t v, int bits) {
  if (bits >= 64) return (int64_t)v;
  uint64_t s = UINT64_C(1) << (bits - 1);
  return (int64_t)(((v & mask(bits)) ^ s) - s);
}

static void cm_reset_regs(cm_t *d) {
  d->cmd = d->chk_en = d->label = d->mem_sel = d->mem_addr = d->lo_buf = d->hi_latch = 0;
  d->cnt_hi = d->error = 0;
  d->done = false;
  d->prediction = 0;
  d->m.eta_m = d->net->q.eta_m;
  d->m.eta_sh = d->net->q.eta_sh;
  d->m.train_samples = 0;
  for (int s = 1; s <= BG_STREAM_EVAL; s++) bg_rng_seed(&d->m.rng[s], d->net->q.stream_seed[s]);
  memset(&d->m.ctr, 0, sizeof d->m.ctr);
}

static int cm_open(void **state, const char *arg, const bg_net_t *net, bg_err_t *err) {
  if (arg[0] != '\0') {
    return bg_err_set(err, BG_E_ARG, "cmodel:%s: expected nothing after \"cmodel:\"", arg);
  }
  cm_t *d = calloc(1, sizeof *d);
  if (d == NULL) return bg_err_set(err, BG_E_NOMEM, "cmodel: out of memory");
  d->net = net;
  int rc = bg_model_init(&d->m, net, err);
  if (rc != BG_OK) {
    free(d);
    return rc;
  }
  d->pix = calloc(net->layers[0].size, 1);
  if (d->pix == NULL) {
    bg_model_free(&d->m);
    free(d);
    return bg_err_set(err, BG_E_NOMEM, "cmodel: out of memory");
  }
  bg_dev_layout(net, &d->lay);
  cm_reset_regs(d);
  *state = d;
  return BG_OK;
}

static void cm_close(void *state) {
  cm_t *d = state;
  if (d == NULL) return;
  bg_model_free(&d->m);
  free(d->pix);
  free(d);
}

/* One word of a memory: false when the address or the memory does not exist. */
static bool mem_get(cm_t *d, uint32_t sel, uint32_t addr, uint64_t *out) {
  const bg_net_t *net = d->net;
  const int L = net->n_layers - 1;
  const uint32_t n_out = net->layers[L].size;
  const bg_dev_layout_t *lay = &d->lay;
  if (sel >= BG_DEV_N_MEMS || addr >= lay->words[sel]) return false;
  const uint64_t wm = mask(lay->width[sel]);
  uint32_t ix;
  int l = bg_dev_layout_find(net, lay, (int)sel, addr, &ix);
  switch (sel) {
  case BG_MEM_PIXELS: *out = d->pix[addr]; return true;
  case BG_MEM_WEIGHTS:
    if (l < 0) return false;
    *out = (uint64_t)(int64_t)d->m.layer[l].w[ix] & wm;
    return true;
  case BG_MEM_BIASES:
    if (l < 0) return false;
    *out = (uint64_t)(int64_t)d->m.layer[l].b[ix] & wm;
    return true;
  case BG_MEM_FEEDBACK:
    if (l < 0) return false;
    *out = (uint64_t)(int64_t)d->m.layer[l].fb[ix] & wm;
    return true;
  case BG_MEM_NEURON: {
    if (l < 0) return false;
    const bg_model_layer_t *ly = &d->m.layer[l];
    const int pb = lay->pot_bits;
    *out = ((uint64_t)ly->refr[ix] << (pb + 1)) | ((uint64_t)ly->s[ix] << pb) |
           ((uint64_t)(int64_t)ly->v[ix] & mask(pb));
    return true;
  }
  case BG_MEM_DENDRITE:
    if (l < 0) return false;
    *out = (uint64_t)d->m.layer[l].d[ix] & wm;
    return true;
  case BG_MEM_RASTER: {
    if (l < 0) return false;
    const bg_model_layer_t *ly = &d->m.layer[l];
    uint64_t v = 0;
    for (uint32_t t = 0; t < d->m.T; t++) v |= (uint64_t)(ly->raster[(size_t)t * ly->n + ix] != 0) << t;
    *out = v;
    return true;
  }
  case BG_MEM_ERROR_UNIT: {
    const bg_error_unit_t *eu = &d->m.err;
    const uint64_t em = mask(lay->err_bits);
    if (addr < n_out) {
      *out = (((uint64_t)(int64_t)eu->up[addr] & em) << 32) | ((uint64_t)(int64_t)eu->um[addr] & em);
    } else if (addr < 2 * n_out) {
      *out = ((uint64_t)eu->sp[addr - n_out] << 1) | eu->sm[addr - n_out];
    } else {
      *out = d->m.layer[L].count[addr - 2 * n_out];
    }
    return true;
  }
  default: return false;   /* records and kernels are not modelled */
  }
}

/* Store one word; false when the address does not exist or the memory is read only. */
static bool mem_put(cm_t *d, uint32_t sel, uint32_t addr, uint64_t v) {
  const bg_net_t *net = d->net;
  const bg_dev_layout_t *lay = &d->lay;
  if (sel >= BG_DEV_N_MEMS || addr >= lay->words[sel]) return false;
  uint32_t ix;
  int l = bg_dev_layout_find(net, lay, (int)sel, addr, &ix);
  const int wb = lay->width[sel];
  switch (sel) {
  case BG_MEM_PIXELS: d->pix[addr] = (uint8_t)v; return true;
  case BG_MEM_WEIGHTS:
    if (l < 0) return false;
    d->m.layer[l].w[ix] = (int32_t)sext(v, wb);
    return true;
  case BG_MEM_BIASES:
    if (l < 0) return false;
    d->m.layer[l].b[ix] = (int32_t)sext(v, wb);
    return true;
  case BG_MEM_FEEDBACK:
    if (l < 0) return false;
    d->m.layer[l].fb[ix] = (int32_t)sext(v, wb);
    return true;
  case BG_MEM_NEURON: {
    if (l < 0) return false;
    bg_model_layer_t *ly = &d->m.layer[l];
    const int pb = lay->pot_bits;
    ly->v[ix] = (int32_t)sext(v, pb);
    ly->s[ix] = (uint8_t)(v >> pb & 1u);
    ly->refr[ix] = (uint8_t)(v >> (pb + 1));
    return true;
  }
  case BG_MEM_DENDRITE:
    if (l < 0) return false;
    d->m.layer[l].d[ix] = sext(v, wb);
    return true;
  case BG_MEM_RASTER: {
    if (l < 0) return false;
    bg_model_layer_t *ly = &d->m.layer[l];
    for (uint32_t t = 0; t < d->m.T; t++) ly->raster[(size_t)t * ly->n + ix] = (uint8_t)(v >> t & 1u);
    return true;
  }
  default: return false;
  }
}

static void run(cm_t *d) {
  bg_model_t *m = &d->m;
  const uint32_t n_out = d->net->layers[d->net->n_layers - 1].size;
  switch (d->cmd) {
  case BG_CMD_TRAIN:
    if (d->label >= n_out) {
      d->error |= BG_REG_ERROR_BAD_VALUE_MASK;
      return;
    }
    d->prediction = (uint32_t)bg_model_train(m, d->pix, (int)d->label);
    break;
  case BG_CMD_INFER:
    d->prediction = (uint32_t)bg_model_infer(m, d->pix, &m->rng[BG_STREAM_EVAL]);
    break;
  case BG_CMD_SLEEP:
    if (m->rule->sleep != NULL) m->rule->sleep(m);
    break;
  default:
    d->error |= BG_REG_ERROR_BAD_VALUE_MASK;
    return;
  }
  d->done = true;
}

static uint64_t counter(const cm_t *d, uint32_t off) {
  const bg_counters_t *c = &d->m.ctr;
  uint64_t steps = 0;
  switch (off) {
  case BG_REG_CNT_SYN_EVENTS: return c->syn_events;
  case BG_REG_CNT_WEIGHT_WRITES: return c->weight_writes;
  case BG_REG_CNT_SAMPLES: return c->samples;
  case BG_REG_CNT_SLEEPS: return c->sleeps;
  case BG_REG_CNT_ROUND_DRAWS: return c->rounding_draws;
  case BG_REG_CNT_TIMESTEPS:
    steps = c->samples * d->m.T;
    return steps;
  default: return 0;   /* the cycle counters: the golden model has no clock */
  }
}

static int cm_read(void *state, uint32_t off, uint32_t *val, bg_err_t *err) {
  (void)err;
  cm_t *d = state;
  uint64_t w = 0;
  *val = 0;
  switch (off) {
  case BG_REG_ID: *val = BG_REG_ID_RESET; break;
  case BG_REG_VERSION: *val = BG_REG_VERSION_RESET; break;
  case BG_REG_NET_HASH: *val = d->net->q.hash; break;
  case BG_REG_CTRL:
    *val = bg_reg_ctrl_cmd_set(0, d->cmd) | bg_reg_ctrl_chk_en_set(0, d->chk_en);
    break;
  case BG_REG_STATUS: *val = bg_reg_status_done_set(0, d->done); break;
  case BG_REG_ERROR: *val = d->error; break;
  case BG_REG_LABEL: *val = d->label; break;
  case BG_REG_ETA_M: *val = d->m.eta_m; break;
  case BG_REG_ETA_SH: *val = d->m.eta_sh; break;
  case BG_REG_SLEEP_FILL:
    *val = d->net->sleep.enabled ? (uint32_t)(d->m.train_samples % d->net->sleep.period) : 0;
    break;
  case BG_REG_SEED_INPUT: *val = d->m.rng[BG_STREAM_INPUT].state; break;
  case BG_REG_SEED_SLEEP_RATE: *val = d->m.rng[BG_STREAM_SLEEP_RATE].state; break;
  case BG_REG_SEED_SLEEP_NOISE: *val = d->m.rng[BG_STREAM_SLEEP_NOISE].state; break;
  case BG_REG_SEED_ROUND: *val = d->m.rng[BG_STREAM_ROUND].state; break;
  case BG_REG_SEED_EVAL: *val = d->m.rng[BG_STREAM_EVAL].state; break;
  case BG_REG_MEM_SEL: *val = d->mem_sel; break;
  case BG_REG_MEM_ADDR: *val = d->mem_addr; break;
  case BG_REG_MEM_DATA_LO:
    if (!mem_get(d, d->mem_sel, d->mem_addr, &w)) {
      d->error |= BG_REG_ERROR_MEM_RANGE_MASK;
      break;
    }
    d->hi_latch = (uint32_t)(w >> 32);
    *val = (uint32_t)w;
    break;
  case BG_REG_MEM_DATA_HI:
    *val = d->hi_latch;
    d->mem_addr = (d->mem_addr + 1) & BG_REG_MEM_ADDR_VALUE_MASK;
    break;
  case BG_REG_PREDICTION: *val = d->prediction; break;
  case BG_REG_LAST_STEP_CYCLES: break;
  case BG_REG_NET_LAYERS: *val = (uint32_t)d->net->n_layers; break;
  case BG_REG_NET_STEPS: *val = d->net->time.steps; break;
  case BG_REG_NET_INPUT_SIZE: *val = d->net->layers[0].size; break;
  case BG_REG_NET_OUTPUT_SIZE: *val = d->net->layers[d->net->n_layers - 1].size; break;
  default: {
    /* the 64-bit counters: the low word latches the high one */
    const bg_regs_desc_t *t = bg_regs_table();
    for (int k = 0; k < BG_REGS_COUNT; k++) {
      if (t[k].words != 2) continue;
      if (off == t[k].offset) {
        w = counter(d, off);
        d->cnt_hi = (uint32_t)(w >> 32);
        *val = (uint32_t)w;
        return BG_OK;
      }
      if (off == t[k].offset + 4) {
        *val = d->cnt_hi;
        return BG_OK;
      }
    }
    d->error |= BG_REG_ERROR_BAD_ADDR_MASK;
  }
  }
  return BG_OK;
}

static int cm_write(void *state, uint32_t off, uint32_t v, bg_err_t *err) {
  (void)err;
  cm_t *d = state;
  const uint32_t n_out = d->net->layers[d->net->n_layers - 1].size;
  const bg_regs_desc_t *t = bg_regs_table();
  int k = 0;
  while (k < BG_REGS_COUNT && off != t[k].offset && !(t[k].words == 2 && off == t[k].offset + 4)) k++;
  if (k == BG_REGS_COUNT) {
    d->error |= BG_REG_ERROR_BAD_ADDR_MASK;
    return BG_OK;
  }
  /* writes to read-only bits: refused whole; pulses and flags act only where written 1 */
  if ((t[k].ro_mask != 0 && (v & t[k].ro_mask) != 0) || t[k].words == 2 ||
      (t[k].rw_mask | t[k].w1c_mask | t[k].w1p_mask) == 0) {
    d->error |= BG_REG_ERROR_READ_ONLY_MASK;
    return BG_OK;
  }
  switch (off) {
  case BG_REG_CTRL: {
    if (v & BG_REG_CTRL_SOFT_RESET_MASK) {
      cm_reset_regs(d);
      return BG_OK;
    }
    d->cmd = bg_reg_ctrl_cmd_get(v);
    d->chk_en = bg_reg_ctrl_chk_en_get(v);
    if (v & BG_REG_CTRL_CHK_GO_MASK) d->error |= BG_REG_ERROR_NOT_HELD_MASK;
    if (v & BG_REG_CTRL_START_MASK) {
      d->done = false;
      run(d);
    }
    break;
  }
  case BG_REG_ERROR: d->error &= ~(v & BG_REG_ERROR_MASK_W1C); break;
  case BG_REG_LABEL:
    if (v >= n_out) {
      d->error |= BG_REG_ERROR_BAD_VALUE_MASK;
    } else {
      d->label = v;
    }
    break;
  case BG_REG_ETA_M:
    if (v >= (1u << 15)) {
      d->error |= BG_REG_ERROR_BAD_VALUE_MASK;
    } else {
      d->m.eta_m = v;
    }
    break;
  case BG_REG_ETA_SH: d->m.eta_sh = v & BG_REG_ETA_SH_VALUE_MASK; break;
  case BG_REG_SLEEP_FILL: d->m.train_samples = v; break;
  case BG_REG_SEED_INPUT: bg_rng_seed(&d->m.rng[BG_STREAM_INPUT], v); break;
  case BG_REG_SEED_SLEEP_RATE: bg_rng_seed(&d->m.rng[BG_STREAM_SLEEP_RATE], v); break;
  case BG_REG_SEED_SLEEP_NOISE: bg_rng_seed(&d->m.rng[BG_STREAM_SLEEP_NOISE], v); break;
  case BG_REG_SEED_ROUND: bg_rng_seed(&d->m.rng[BG_STREAM_ROUND], v); break;
  case BG_REG_SEED_EVAL: bg_rng_seed(&d->m.rng[BG_STREAM_EVAL], v); break;
  case BG_REG_MEM_SEL:
    if (v >= BG_DEV_N_MEMS || d->lay.words[v] == 0 || v == BG_MEM_RECORDS || v == BG_MEM_KERNELS) {
      d->error |= BG_REG_ERROR_BAD_VALUE_MASK;
    } else {
      d->mem_sel = v;
    }
    break;
  case BG_REG_MEM_ADDR: d->mem_addr = v & BG_REG_MEM_ADDR_VALUE_MASK; break;
  case BG_REG_MEM_DATA_LO: d->lo_buf = v; break;
  case BG_REG_MEM_DATA_HI:
    if (d->mem_sel == BG_MEM_ERROR_UNIT) {
      d->error |= BG_REG_ERROR_READ_ONLY_MASK;
    } else if (!mem_put(d, d->mem_sel, d->mem_addr, (uint64_t)v << 32 | d->lo_buf)) {
      d->error |= BG_REG_ERROR_MEM_RANGE_MASK;
    }
    d->mem_addr = (d->mem_addr + 1) & BG_REG_MEM_ADDR_VALUE_MASK;
    break;
  default: d->error |= BG_REG_ERROR_READ_ONLY_MASK; break;
  }
  return BG_OK;
}

const bg_dev_backend_t bg_dev_backend_cmodel = {
    .scheme = "cmodel",
    .open = cm_open,
    .close = cm_close,
    .read = cm_read,
    .write = cm_write,
};
