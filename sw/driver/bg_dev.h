/* SPDX-License-Identifier: Apache-2.0 */
/* The host driver (docs/driver.md): one API over the learning core's registers
 * (sw/regmap/regmap.json), whatever is behind them. A backend is chosen by a URI:
 *   cmodel:    the golden model behind a register-level device model (bg_dev_cmodel.c)
 * (verilator:, systemc: and uart: are planned, docs/driver.md). Every call returns BG_OK or a
 * negative BG_E_* code with a message that names the register, memory or file involved. */
#ifndef BG_DEV_H
#define BG_DEV_H

#include <stdbool.h>
#include <stdint.h>

#include "bg_err.h"
#include "bg_net.h"

typedef struct bg_dev bg_dev_t;

/* Memory selects of the MEM_SEL window (docs/rtl.md, "Memories"). */
typedef enum {
  BG_MEM_PIXELS = 0,
  BG_MEM_WEIGHTS = 1,
  BG_MEM_BIASES = 2,
  BG_MEM_FEEDBACK = 3,
  BG_MEM_NEURON = 4,
  BG_MEM_DENDRITE = 5,
  BG_MEM_RASTER = 6,
  BG_MEM_RECORDS = 7,
  BG_MEM_KERNELS = 8,
  BG_MEM_ERROR_UNIT = 9
} bg_mem_e;

typedef enum { BG_CMD_TRAIN = 0, BG_CMD_INFER = 1, BG_CMD_SLEEP = 2 } bg_cmd_e;

/* Open the device at `uri` for the description `net` (kept by reference: it must outlive the
 * device). Checks the device's ID, register-map major version and description hash. */
int bg_dev_open(bg_dev_t **dev, const char *uri, const bg_net_t *net, bg_err_t *err);
void bg_dev_close(bg_dev_t *dev);
const char *bg_dev_backend_name(const bg_dev_t *dev);

/* Registers (byte offsets from bg_regs.h). After every access the driver reads ERROR: a flag
 * set by the access is an error naming the register and the flag (and the flag is cleared). */
int bg_dev_reg_read(bg_dev_t *dev, uint32_t off, uint32_t *val, bg_err_t *err);
int bg_dev_reg_write(bg_dev_t *dev, uint32_t off, uint32_t val, bg_err_t *err);
/* A 64-bit register: the low word, then the high word it latched. */
int bg_dev_reg_read64(bg_dev_t *dev, uint32_t off, uint64_t *val, bg_err_t *err);

/* Bursts through the memory window: count words from addr of memory sel. Values are
 * sign-extended from the memory's word width on read (pixels, rasters, packed neuron state and
 * the error-unit words are returned as stored, unsigned) and truncated to it on write. */
int bg_dev_mem_read(bg_dev_t *dev, bg_mem_e sel, uint32_t addr, uint32_t count, int64_t *out,
                    bg_err_t *err);
int bg_dev_mem_write(bg_dev_t *dev, bg_mem_e sel, uint32_t addr, uint32_t count,
                     const int64_t *in, bg_err_t *err);
/* Words of memory sel for the description (0 for an absent memory). */
uint32_t bg_dev_mem_words(const bg_dev_t *dev, bg_mem_e sel);

/* Soft reset: every register to its reset value; memories keep their contents. */
int bg_dev_reset(bg_dev_t *dev, bg_err_t *err);
/* Set the learning rate (ETA_M/ETA_SH from bg_net_eta_q). */
int bg_dev_set_rate(bg_dev_t *dev, double rate, bg_err_t *err);

/* Run one command: for TRAIN and INFER the pixels (input size bytes) are written first and, for
 * TRAIN, the label; then START, and STATUS is polled until DONE (at most timeout_ms). The
 * prediction is read back (may be NULL; not for SLEEP). */
int bg_dev_run(bg_dev_t *dev, bg_cmd_e cmd, const uint8_t *pixels, int label, int *prediction,
               uint32_t timeout_ms, bg_err_t *err);

typedef struct {
  uint64_t cycles, syn_events, weight_writes, samples, sleeps, fwd_cycles, learn_cycles,
      sleep_cycles, round_draws, timesteps;
  uint32_t prediction, last_step_cycles;
} bg_dev_counters_t;
int bg_dev_counters(bg_dev_t *dev, bg_dev_counters_t *c, bg_err_t *err);

/* FNV-1a 64 over every weight, bias and feedback weight read back through the window (the
 * value bgctl prints and the tests compare across backends). */
int bg_dev_weight_hash(bg_dev_t *dev, uint64_t *hash, bg_err_t *err);

/* Checkpoints through the registers (weights, biases, feedback, stream states, learning rate,
 * sleep schedule), written atomically with cmodel/io/bg_ckpt: magic, version, description hash,
 * per-section and whole-file CRC. restore refuses a damaged file or one of another
 * description, and then changes nothing on the device. */
int bg_dev_save(bg_dev_t *dev, const char *path, bg_err_t *err);
int bg_dev_restore(bg_dev_t *dev, const char *path, bg_err_t *err);

#endif /* BG_DEV_H */
