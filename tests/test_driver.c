/* SPDX-License-Identifier: Apache-2.0 */
/* The host driver (docs/driver.md): the register conformance checks (reset values, read-only
 * registers and bits, illegal addresses, w1c flags, w1p pulses, bad values, bursts and the end
 * of a memory), training through the registers bit-identical to the golden model called
 * directly, and device checkpoints (resume bit-identical, damaged or foreign files refused with
 * the device unchanged).
 *
 * Usage: test_driver                      on cmodel: with the built-in 16-12-4 description
 *        test_driver --uri URI --net NET  on any backend (uart:/dev/pts/N through
 *                                         sim/fpga/bgboard.sh, tests/test_uart.sh). Commands
 *                                         are then polled to the end (a board is seen busy), the
 *                                         device is reset and loaded with the description's
 *                                         initial weights first, and training is compared both
 *                                         with the golden model and with a cmodel: device; the
 *                                         checkpoint test uses the one device twice. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bg_dev.h"
#include "bg_model.h"
#include "bg_regs.h"
#include "bg_test.h"
#include "bg_test_files.h"
#include "bg_test_toy.h"

static const char kNet[] =
    "{\"format\": \"biograd-net/1\", \"name\": \"drv\", \"seed\": 5, \"layers\": [{\"size\": 16},"
    " {\"size\": 12, \"weight\": {\"bits\": 8, \"frac\": 8}, \"feedback\": {\"bits\": 8, \"frac\": 7}},"
    " {\"size\": 4, \"weight\": {\"bits\": 8, \"frac\": 8}}], \"input\": {\"shape\": [4, 4]},"
    " \"time\": {\"steps\": 10, \"error_start\": 2}, \"sleep\": {\"period\": 16, \"steps\": 10,"
    " \"samples\": 4}, \"learning\": {\"rate\": 0.05, \"mode\": \"replay\", \"rounding\": "
    "\"stochastic\"}, \"fixed_point\": {\"potential\": {\"bits\": 24, \"frac\": 14}, \"trace\": "
    "{\"bits\": 16, \"frac\": 10}, \"error\": {\"bits\": 16, \"frac\": 10}, \"dendrite\": "
    "{\"bits\": 32, \"frac\": 16}, \"accumulator_bits\": 24, \"count_bits\": 8}}";

static bg_net_t g_net;
static const char *g_uri = "cmodel:";
static bool g_cmodel = true;        /* commands finish inside START; a fresh device per open */
static uint32_t g_run_ms = 1000;    /* bg_dev_run's timeout */

/* Devices a check left open when it failed: closed before the next check, so a board's port
 * lock does not turn one failure into several. */
static bg_dev_t *g_open[4];

static int open_uri(bg_dev_t **d, const char *uri) {
  bg_err_t err;
  if (bg_dev_open(d, uri, &g_net, &err) != BG_OK) {
    fprintf(stderr, "%s\n", err.msg);
    return 1;
  }
  for (int k = 0; k < 4; k++) {
    if (g_open[k] == NULL) {
      g_open[k] = *d;
      break;
    }
  }
  return 0;
}

static void dev_close(bg_dev_t *d) {
  for (int k = 0; d != NULL && k < 4; k++) {
    if (g_open[k] == d) g_open[k] = NULL;
  }
  bg_dev_close(d);
}

static void close_left_open(void) {
  for (int k = 0; k < 4; k++) {
    bg_dev_close(g_open[k]);
    g_open[k] = NULL;
  }
}

static int open_dev(bg_dev_t **d) { return open_uri(d, g_uri); }

static uint32_t n_out(void) { return g_net.layers[g_net.n_layers - 1].size; }

/* Wait for STATUS.DONE (a board runs a command for a while; cmodel: is done at once). */
static bool wait_done(bg_dev_t *d, uint32_t *st) {
  bg_err_t err;
  for (int k = 0; k < 100000; k++) {
    if (bg_dev_reg_read(d, BG_REG_STATUS, st, &err) != BG_OK) return false;
    if (bg_reg_status_done_get(*st)) return true;
  }
  return false;
}

/* The golden model's initial weights, biases and feedback in the core's layout (what bgctl load
 * writes): a board's memories hold whatever was there before. */
static int load_model(bg_dev_t *d, const bg_model_t *m, bg_err_t *err) {
  const bg_mem_e mems[] = {BG_MEM_WEIGHTS, BG_MEM_BIASES, BG_MEM_FEEDBACK};
  int rc = BG_OK;
  for (int k = 0; k < 3 && rc == BG_OK; k++) {
    uint32_t n = bg_dev_mem_words(d, mems[k]), at = 0;
    int64_t *w = calloc(n + 1, sizeof *w);
    for (int l = 1; w && l < m->n_layers; l++) {
      const bg_model_layer_t *ly = &m->layer[l];
      size_t cnt = mems[k] == BG_MEM_WEIGHTS ? (size_t)ly->fan_in * ly->n
                   : mems[k] == BG_MEM_BIASES ? ly->n
                   : (ly->fb ? (size_t)ly->n * m->layer[m->n_layers - 1].n : 0);
      const int32_t *src = mems[k] == BG_MEM_WEIGHTS ? ly->w : mems[k] == BG_MEM_BIASES ? ly->b : ly->fb;
      for (size_t i = 0; i < cnt && at < n; i++) w[at++] = src[i];
    }
    if (w == NULL) rc = bg_err_set(err, BG_E_NOMEM, "out of memory");
    else if (n > 0) rc = bg_dev_mem_write(d, mems[k], 0, n, w, err);
    free(w);
  }
  return rc;
}

/* A device in the state of a fresh cmodel: one: reset (registers, streams) and initial weights. */
static int fresh(bg_dev_t *d, bg_err_t *err) {
  if (g_cmodel) return BG_OK;
  bg_model_t m;
  int rc = bg_model_init(&m, &g_net, err);
  if (rc != BG_OK) return rc;
  rc = bg_dev_reset(d, err);
  if (rc == BG_OK) rc = load_model(d, &m, err);
  bg_model_free(&m);
  return rc;
}

/* ERROR after an access made without the driver's check (a raw read of ERROR, then clear). */
static uint32_t take_error(bg_dev_t *d) {
  bg_err_t err;
  uint32_t e = 0;
  if (bg_dev_reg_read(d, BG_REG_ERROR, &e, &err) != BG_OK) return 0xffffffffu;
  return e;
}

static int64_t net_constant(const char *name) {
  static bg_net_const_t c[1024];
  int n = bg_net_constants(&g_net, c, 1024);
  for (int k = 0; k < n && k < 1024; k++) {
    if (strcmp(c[k].name, name) == 0) return c[k].value;
  }
  return -1;
}

static int conformance(void) {
  bg_dev_t *d;
  bg_err_t err;
  BG_CHECK(open_dev(&d) == 0, "open");
  BG_CHECK(bg_dev_reset(d, &err) == BG_OK, "soft reset: %s", err.msg);
  const bg_regs_desc_t *t = bg_regs_table();
  /* reset values, and a read-only register keeps its value when written */
  for (int k = 0; k < BG_REGS_COUNT; k++) {
    if (t[k].offset == BG_REG_MEM_DATA_LO || t[k].offset == BG_REG_MEM_DATA_HI) continue;
    uint32_t v = 0, want = t[k].reset;
    if (t[k].reset_from[0]) want = (uint32_t)net_constant(t[k].reset_from);
    BG_CHECK(bg_dev_reg_read(d, t[k].offset, &v, &err) == BG_OK, "%s: %s", t[k].name, err.msg);
    BG_CHECK(v == want, "%s: reset 0x%08x, expected 0x%08x", t[k].name, v, want);
    if (t[k].ro_mask != 0 || t[k].words == 2) {
      int rc = bg_dev_reg_write(d, t[k].offset, ~v, &err);
      BG_CHECK(rc == BG_E_RANGE && strstr(err.msg, "READ_ONLY") && strstr(err.msg, t[k].name),
               "%s: write to a read-only register: %s", t[k].name, err.msg);
      uint32_t again = 0;
      BG_CHECK(bg_dev_reg_read(d, t[k].offset, &again, &err) == BG_OK && again == v,
               "%s: changed by a refused write", t[k].name);
    }
  }
  /* an address no register occupies, for reads and writes */
  uint32_t v;
  BG_CHECK(bg_dev_reg_read(d, 0x0fc, &v, &err) == BG_E_RANGE && strstr(err.msg, "BAD_ADDR"),
           "read of 0x0fc: %s", err.msg);
  BG_CHECK(bg_dev_reg_write(d, 0x002, 1, &err) == BG_E_RANGE && strstr(err.msg, "BAD_ADDR"),
           "write of 0x002: %s", err.msg);
  BG_CHECK(take_error(d) == 0, "the driver left a flag set");
  /* w1c: a flag stays until written 1; w1p: START reads back 0 */
  bg_dev_reg_write(d, BG_REG_LABEL, n_out(), &err);   /* BAD_VALUE, cleared by the driver */
  BG_CHECK(strstr(err.msg, "BAD_VALUE") && strstr(err.msg, "LABEL"), "label 4: %s", err.msg);
  BG_CHECK(bg_dev_reg_write(d, BG_REG_CTRL, BG_REG_CTRL_START_MASK | (1u << 1), &err) == BG_OK,
           "start infer: %s", err.msg);
  BG_CHECK(bg_dev_reg_read(d, BG_REG_CTRL, &v, &err) == BG_OK && bg_reg_ctrl_start_get(v) == 0 &&
               bg_reg_ctrl_cmd_get(v) == BG_REG_CTRL_CMD_INFER,
           "CTRL after START: 0x%08x", v);
  BG_CHECK(wait_done(d, &v) && !bg_reg_status_busy_get(v), "DONE after a command: 0x%08x", v);
  BG_CHECK(bg_dev_reg_write(d, BG_REG_MEM_SEL, 12, &err) == BG_E_RANGE && strstr(err.msg, "BAD_VALUE"),
           "MEM_SEL 12: %s", err.msg);
  BG_CHECK(bg_dev_reg_write(d, BG_REG_CTRL, BG_REG_CTRL_CHK_GO_MASK, &err) == BG_E_RANGE &&
               strstr(err.msg, "NOT_HELD"), "CHK_GO while not held: %s", err.msg);
  /* bursts: every weight written and read back; a word past the end of the memory */
  const uint32_t nw = bg_dev_mem_words(d, BG_MEM_WEIGHTS);
  uint32_t want_nw = 0;
  for (int l = 1; l < g_net.n_layers; l++) want_nw += g_net.layers[l - 1].size * g_net.layers[l].size;
  BG_CHECK(nw == want_nw && nw <= 4096, "weight words %u, expected %u", nw, want_nw);
  int64_t w[4096], r[4096];
  for (uint32_t k = 0; k < nw; k++) w[k] = (int64_t)((k * 37) % 256) - 128;
  BG_CHECK(bg_dev_mem_write(d, BG_MEM_WEIGHTS, 0, nw, w, &err) == BG_OK, "burst write: %s", err.msg);
  BG_CHECK(bg_dev_mem_read(d, BG_MEM_WEIGHTS, 0, nw, r, &err) == BG_OK, "burst read: %s", err.msg);
  for (uint32_t k = 0; k < nw; k++) BG_CHECK(r[k] == w[k], "weight %u: wrote %lld, read %lld", k, (long long)w[k], (long long)r[k]);
  BG_CHECK(bg_dev_reg_write(d, BG_REG_MEM_SEL, BG_MEM_WEIGHTS, &err) == BG_OK &&
               bg_dev_reg_write(d, BG_REG_MEM_ADDR, nw, &err) == BG_OK, "window");
  BG_CHECK(bg_dev_reg_read(d, BG_REG_MEM_DATA_LO, &v, &err) == BG_E_RANGE && strstr(err.msg, "MEM_RANGE"),
           "read past the end: %s", err.msg);
  BG_CHECK(bg_dev_mem_read(d, BG_MEM_WEIGHTS, nw - 1, 2, r, &err) == BG_E_ARG, "driver burst past the end");
  BG_CHECK(bg_dev_reg_write(d, BG_REG_MEM_SEL, BG_MEM_ERROR_UNIT, &err) == BG_OK &&
               bg_dev_reg_write(d, BG_REG_MEM_DATA_HI, 0, &err) == BG_E_RANGE &&
               strstr(err.msg, "READ_ONLY"), "error unit is read only: %s", err.msg);
  /* soft reset: registers back to reset, memories kept */
  BG_CHECK(bg_dev_reg_write(d, BG_REG_LABEL, 2, &err) == BG_OK && bg_dev_reset(d, &err) == BG_OK, "reset");
  BG_CHECK(bg_dev_reg_read(d, BG_REG_LABEL, &v, &err) == BG_OK && v == 0, "LABEL after reset %u", v);
  BG_CHECK(bg_dev_mem_read(d, BG_MEM_WEIGHTS, 0, 4, r, &err) == BG_OK && r[3] == w[3], "weights kept");
  dev_close(d);
  /* URIs */
  bg_dev_t *x;
  BG_CHECK(bg_dev_open(&x, "tcp:1", &g_net, &err) == BG_E_ARG && strstr(err.msg, "cmodel:") &&
               strstr(err.msg, "uart:"), "%s", err.msg);
  BG_CHECK(bg_dev_open(&x, "cmodel:extra", &g_net, &err) == BG_E_ARG, "%s", err.msg);
  BG_CHECK(bg_dev_open(&x, "uart:/dev/null", &g_net, &err) == BG_E_IO &&
               strstr(err.msg, "uart:/dev/null") && strstr(err.msg, "not a serial port"), "%s", err.msg);
  BG_CHECK(bg_dev_open(&x, "uart:/nonexistent/tty", &g_net, &err) == BG_E_IO &&
               strstr(err.msg, "/nonexistent/tty") && strstr(err.msg, "open"), "%s", err.msg);
  BG_CHECK(bg_dev_open(&x, "uart:/dev/tty@1234", &g_net, &err) == BG_E_ARG &&
               strstr(err.msg, "baud rate '1234'"), "%s", err.msg);
  BG_CHECK(bg_dev_open(&x, "uart:/dev/tty@115200,slack=x", &g_net, &err) == BG_E_ARG &&
               strstr(err.msg, "option ',slack=x'"), "%s", err.msg);
  BG_CHECK(bg_dev_open(&x, "uart:/dev/tty,speed=9", &g_net, &err) == BG_E_ARG &&
               strstr(err.msg, "expected ',slack=MS'"), "%s", err.msg);
  BG_CHECK(bg_dev_open(&x, "uart:/dev/null,slack=500", &g_net, &err) == BG_E_IO &&
               strstr(err.msg, "uart:/dev/null: tcgetattr"), "%s", err.msg);
  return 0;
}

/* The golden model's weights in the core's layout, hashed as bg_dev_weight_hash does. */
static uint64_t model_hash(const bg_model_t *m) {
  uint64_t h = 1469598103934665603ull;
  for (int pass = 0; pass < 3; pass++) {
    for (int l = 1; l < m->n_layers; l++) {
      const bg_model_layer_t *ly = &m->layer[l];
      size_t n = pass == 0 ? (size_t)ly->fan_in * ly->n : pass == 1 ? ly->n
                 : (ly->fb ? (size_t)ly->n * m->layer[m->n_layers - 1].n : 0);
      const int32_t *a = pass == 0 ? ly->w : pass == 1 ? ly->b : ly->fb;
      for (size_t k = 0; k < n; k++) h = (h ^ (uint64_t)(int64_t)a[k]) * 1099511628211ull;
    }
  }
  return h;
}

static int train_like_the_golden_model(void) {
  bg_dev_t *d;
  bg_err_t err;
  BG_CHECK(open_dev(&d) == 0, "open");
  BG_CHECK(fresh(d, &err) == BG_OK, "reset and load: %s", err.msg);
  /* on another backend, a cmodel: device beside it: the two must agree sample by sample */
  bg_dev_t *ref = NULL;
  BG_CHECK(g_cmodel || open_uri(&ref, "cmodel:") == 0, "open cmodel:");
  bg_model_t m;
  BG_CHECK(bg_model_init(&m, &g_net, &err) == BG_OK, "init");
  uint64_t h = 0, h_ref = 0;
  BG_CHECK(bg_dev_weight_hash(d, &h, &err) == BG_OK, "weight hash: %s", err.msg);
  BG_CHECK(h == model_hash(&m), "initial weights differ");
  uint8_t px[16];
  int lab;
  const uint32_t n_train = 40;
  for (uint32_t s = 0; s < n_train; s++) {
    toy_sample(s, px, &lab);
    int p_dev = -1, p_ref = -1, p_model = bg_model_train(&m, px, lab);
    BG_CHECK(bg_dev_run(d, BG_CMD_TRAIN, px, lab, &p_dev, g_run_ms, &err) == BG_OK, "train: %s", err.msg);
    BG_CHECK(p_dev == p_model, "sample %u: prediction %d, golden model %d", s, p_dev, p_model);
    if (ref) {
      BG_CHECK(bg_dev_run(ref, BG_CMD_TRAIN, px, lab, &p_ref, 1000, &err) == BG_OK && p_ref == p_dev,
               "sample %u: prediction %d on %s, %d on cmodel:", s, p_dev, g_uri, p_ref);
    }
  }
  BG_CHECK(bg_dev_weight_hash(d, &h, &err) == BG_OK, "weight hash: %s", err.msg);
  BG_CHECK(h == model_hash(&m),
           "weights after %u samples differ from the golden model's", n_train);
  if (ref) {
    BG_CHECK(bg_dev_weight_hash(ref, &h_ref, &err) == BG_OK, "weight hash on cmodel: %s", err.msg);
    BG_CHECK(h_ref == h,
             "weight hash %016llx on %s, %016llx on cmodel:", (unsigned long long)h, g_uri,
             (unsigned long long)h_ref);
  }
  bg_dev_counters_t c;
  BG_CHECK(bg_dev_counters(d, &c, &err) == BG_OK, "counters: %s", err.msg);
  const uint64_t sleeps = g_net.sleep.enabled ? n_train / g_net.sleep.period : 0;
  /* the RTL counts synaptic events by its own definition (docs/driver.md, "The uart: backend"):
   * compared with the golden model's on cmodel: only */
  BG_CHECK(c.samples == n_train && c.sleeps == m.ctr.sleeps && c.sleeps == sleeps &&
               (!g_cmodel || c.syn_events == m.ctr.syn_events) &&
               c.round_draws == m.ctr.rounding_draws,
           "counters: samples %llu sleeps %llu (expected %llu) syn_events %llu (%llu) round_draws "
           "%llu (%llu)", (unsigned long long)c.samples, (unsigned long long)c.sleeps,
           (unsigned long long)sleeps, (unsigned long long)c.syn_events,
           (unsigned long long)m.ctr.syn_events, (unsigned long long)c.round_draws,
           (unsigned long long)m.ctr.rounding_draws);
  bg_rng_t er = m.rng[BG_STREAM_EVAL];
  toy_sample(1000, px, &lab);
  int p_dev = -1, p_model = bg_model_infer(&m, px, &er);
  err.msg[0] = '\0';
  BG_CHECK(bg_dev_run(d, BG_CMD_INFER, px, 0, &p_dev, g_run_ms, &err) == BG_OK && p_dev == p_model,
           "inference: %d vs %d %s", p_dev, p_model, err.msg);
  bg_model_free(&m);
  dev_close(ref);
  dev_close(d);
  return 0;
}

static int checkpoints(void) {
  char dir[256], path[300], other[300];
  BG_CHECK(bg_tf_mkdtemp("drv", dir, sizeof dir) == 0, "temp dir");
  snprintf(path, sizeof path, "%s/dev.ckpt", dir);
  snprintf(other, sizeof other, "%s/other.ckpt", dir);
  bg_dev_t *a, *b;
  bg_err_t err;
  /* cmodel: restores into a second, fresh device; a board (one device) into itself after it
   * trained on: both must continue exactly as the run that was saved */
  err.msg[0] = '\0';
  BG_CHECK(open_dev(&a) == 0 && fresh(a, &err) == BG_OK, "open %s", err.msg);
  b = a;
  BG_CHECK(!g_cmodel || open_dev(&b) == 0, "open");
  uint8_t px[16];
  int lab;
  for (uint32_t s = 0; s < 21; s++) {
    toy_sample(s, px, &lab);
    BG_CHECK(bg_dev_run(a, BG_CMD_TRAIN, px, lab, NULL, g_run_ms, &err) == BG_OK, "train: %s", err.msg);
  }
  BG_CHECK(bg_dev_save(a, path, &err) == BG_OK, "save: %s", err.msg);
  for (uint32_t s = 21; s < 40; s++) {
    toy_sample(s, px, &lab);
    BG_CHECK(bg_dev_run(a, BG_CMD_TRAIN, px, lab, NULL, g_run_ms, &err) == BG_OK, "train: %s", err.msg);
  }
  uint64_t ha, hb, h0;
  BG_CHECK(bg_dev_weight_hash(a, &ha, &err) == BG_OK, "hash: %s", err.msg);
  BG_CHECK(bg_dev_restore(b, path, &err) == BG_OK, "restore: %s", err.msg);
  for (uint32_t s = 21; s < 40; s++) {
    toy_sample(s, px, &lab);
    BG_CHECK(bg_dev_run(b, BG_CMD_TRAIN, px, lab, NULL, g_run_ms, &err) == BG_OK, "train: %s", err.msg);
  }
  BG_CHECK(bg_dev_weight_hash(b, &hb, &err) == BG_OK, "hash: %s", err.msg);
  BG_CHECK(ha == hb,
           "the restored device diverged (the sleep schedule and streams are part of it)");
  /* a damaged file: refused naming it, the device unchanged */
  FILE *f = fopen(path, "r+b");
  BG_CHECK(f != NULL, "open");
  fseek(f, 60, SEEK_SET);
  int ch = fgetc(f);
  fseek(f, 60, SEEK_SET);
  fputc(ch ^ 0x10, f);
  fclose(f);
  BG_CHECK(bg_dev_weight_hash(b, &h0, &err) == BG_OK, "hash: %s", err.msg);
  BG_CHECK(bg_dev_restore(b, path, &err) == BG_E_FORMAT && strstr(err.msg, path), "damaged: %s", err.msg);
  BG_CHECK(bg_dev_weight_hash(b, &hb, &err) == BG_OK, "hash: %s", err.msg);
  BG_CHECK(hb == h0, "a refused restore changed the device");
  /* a checkpoint of the golden model (another kind of file, other sections) is refused */
  bg_model_t m;
  BG_CHECK(bg_model_init(&m, &g_net, &err) == BG_OK && bg_model_save(&m, other, 1, &err) == BG_OK, "model save");
  BG_CHECK(bg_dev_restore(b, other, &err) == BG_E_FORMAT && strstr(err.msg, "devmeta"), "model ckpt: %s", err.msg);
  BG_CHECK(bg_dev_restore(b, "/nonexistent/x.ckpt", &err) == BG_E_IO, "missing file: %s", err.msg);
  bg_model_free(&m);
  if (b != a) dev_close(b);
  dev_close(a);
  bg_tf_rm_rf(dir);
  return 0;
}

int main(int argc, char **argv) {
  const char *net = NULL;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--uri")) g_uri = argv[i + 1];
    else if (!strcmp(argv[i], "--net")) net = argv[i + 1];
  }
  if (argc != 1 && (argc != 5 || net == NULL)) {
    fprintf(stderr, "usage: test_driver [--uri URI --net NET]\n");
    return 2;
  }
  bg_err_t err;
  int rc = net ? bg_net_load(net, &g_net, &err) : bg_net_parse(kNet, strlen(kNet), "drv", &g_net, &err);
  if (rc != BG_OK) {
    fprintf(stderr, "%s\n", err.msg);
    return 2;
  }
  g_cmodel = strncmp(g_uri, "cmodel:", 7) == 0;
  if (!g_cmodel) g_run_ms = 60000;
  BG_RUN(conformance);
  close_left_open();
  if (g_net.layers[0].size == 16 && n_out() == 4) {   /* the toy samples' shape */
    BG_RUN(train_like_the_golden_model);
    close_left_open();
    BG_RUN(checkpoints);
    close_left_open();
  } else {
    printf("SKIP train_like_the_golden_model: %s: the toy samples need 16 inputs and 4 outputs\n", net);
    printf("SKIP checkpoints: %s: the toy samples need 16 inputs and 4 outputs\n", net);
  }
  return bg_test_exit();
}
