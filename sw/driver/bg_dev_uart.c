/* SPDX-License-Identifier: Apache-2.0 */
/* The `uart:DEVICE[@BAUD]` backend: the board's serial bridge (docs/serial.md) behind the same
 * register semantics as cmodel: (docs/driver.md, "The uart: backend" has every mapping).
 * Stop-and-wait request/response frames with a new sequence number per request and a CRC;
 * every read waits in poll() with the time left of the transaction's timeout (bytes on the line
 * × bit time + 100 ms + 20 ms); late responses with a stale sequence number are dropped;
 * idempotent operations are retried (3 attempts), the others fail with a message that says the
 * request may have taken effect. Registers the bridge has no operation for (CTRL's CMD and
 * CHK_EN, ERROR, MEM_SEL, MEM_ADDR, the MEM_DATA halves, the counters' high-word latch) are kept
 * here, on the host. */
#define _DEFAULT_SOURCE 1 /* termios speeds above 38400, flock */

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "bg_dev.h"
#include "bg_dev_backend.h"
#include "bg_dev_layout.h"
#include "bg_regs.h"

enum { SOF_REQ = 0xA5, SOF_RESP = 0x5A, MAX_DATA = 256, MAX_LEN = 264, ATTEMPTS = 3 };
enum { OP_PING = 1, OP_STATUS, OP_CFG_READ, OP_CFG_WRITE, OP_MEM_READ, OP_MEM_WRITE, OP_START,
       OP_CHK_CTRL, OP_RESET };
enum { ST_OK = 0, ST_BAD_CRC, ST_BAD_OP, ST_BAD_LEN, ST_BAD_ADDR, ST_BAD_ARG, ST_BUSY,
       ST_NOT_HELD };
static const char *const kOps[] = {"?", "PING", "STATUS", "CFG_READ", "CFG_WRITE", "MEM_READ",
                                   "MEM_WRITE", "START", "CHK_CTRL", "RESET"};
static const char *const kStatus[] = {"OK", "BAD_CRC", "BAD_OP", "BAD_LEN", "BAD_ADDR",
                                      "BAD_ARG", "BUSY", "NOT_HELD"};

typedef struct {
  char dev[200];
  int fd;
  uint32_t baud;
  double bit_ms;       /* one bit on the line */
  double slack_ms;     /* the adapter's latency allowance: 100 ms, or ,slack=MS */
  uint8_t seq;
  bool debug;          /* BG_UART_DEBUG set: retries and dropped responses on stderr */
  const bg_net_t *net;
  bg_dev_layout_t lay;
  /* the host-side part of the register block */
  uint32_t cmd, chk_en, mem_sel, mem_addr, lo_buf, hi_latch, cnt_hi, error;
  /* RESET leaves the core's prediction and last-step cycle words (25, 27) as they were; the
   * registers read 0 from a soft reset until the next START, as their reset value says */
  bool since_reset;
} ua_t;

/* ---- the link ------------------------------------------------------------------------------ */

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static uint16_t crc16(const uint8_t *p, size_t n) {
  uint16_t crc = 0xFFFF;
  for (size_t i = 0; i < n; i++) {
    crc ^= (uint16_t)(p[i] << 8);
    for (int b = 0; b < 8; b++) {
      crc = (crc & 0x8000) ? (uint16_t)((crc << 1) ^ 0x1021) : (uint16_t)(crc << 1);
    }
  }
  return crc;
}

static void put_le(uint8_t *p, uint64_t v, int n) {
  for (int k = 0; k < n; k++) p[k] = (uint8_t)(v >> (8 * k));
}
static uint64_t get_le(const uint8_t *p, int n) {
  uint64_t v = 0;
  for (int k = 0; k < n; k++) v |= (uint64_t)p[k] << (8 * k);
  return v;
}

/* Wait until fd is ready for `ev` or the deadline passes: 1 ready, 0 timeout, -1 hang-up/error
 * (errno kept for the message; EPIPE for a hang-up without an errno). */
static int wait_fd(int fd, short ev, double deadline) {
  for (;;) {
    double left = deadline - now_ms();
    if (left <= 0) return 0;
    struct pollfd p = {fd, ev, 0};
    int r = poll(&p, 1, (int)(left + 0.999));
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) return -1;
    if (r == 0) continue;   /* re-check the time left */
    if (p.revents & ev) return 1;
    if (p.revents & (POLLHUP | POLLERR | POLLNVAL)) {
      errno = p.revents & POLLNVAL ? EBADF : EPIPE;
      return -1;
    }
  }
}

typedef enum { RX_OK, RX_TIMEOUT, RX_BAD_CRC, RX_GARBLED, RX_DEAD } rx_e;

typedef struct {
  rx_e what;
  char why[160];
  uint8_t status;
  uint16_t len;
  uint8_t pay[MAX_LEN];
  unsigned stale, bytes;
} rx_t;

/* Read one response frame for (seq, op) before the deadline; frames of other sequence numbers
 * are late answers to earlier requests and are dropped. */
static void receive(ua_t *u, uint8_t seq, uint8_t op, uint16_t want_len, double deadline, rx_t *r) {
  uint8_t f[8 + MAX_LEN];
  size_t have = 0;
  r->stale = r->bytes = 0;
  for (;;) {
    size_t need = have < 6 ? 6 : 8 + (size_t)get_le(f + 4, 2);
    if (have >= 6 && need > 8 + MAX_LEN) {
      r->what = RX_GARBLED;
      snprintf(r->why, sizeof r->why, "a garbled response (payload length %u, at most %d)",
               (unsigned)get_le(f + 4, 2), MAX_LEN);
      return;
    }
    if (have == need && have >= 8) {
      uint16_t len = (uint16_t)get_le(f + 4, 2);
      uint16_t crc = crc16(f + 1, 5 + (size_t)len), got = (uint16_t)get_le(f + 6 + len, 2);
      if (crc != got) {
        r->what = RX_BAD_CRC;
        snprintf(r->why, sizeof r->why, "a response with a bad CRC (computed 0x%04x, the frame "
                 "says 0x%04x)", crc, got);
        return;
      }
      if (f[1] != seq) {   /* a late answer to an earlier request: drop it, keep waiting */
        if (u->debug) {
          fprintf(stderr, "uart:%s: %s (seq %u): dropped a stale response (seq %u)\n", u->dev,
                  kOps[op], seq, f[1]);
        }
        r->stale++;
        have = 0;
        continue;
      }
      if (f[2] != op || f[3] > ST_NOT_HELD || (f[3] == ST_OK ? len != want_len : len != 0)) {
        r->what = RX_GARBLED;
        snprintf(r->why, sizeof r->why, "a garbled response (opcode 0x%02x, status %u, %u "
                 "payload bytes; expected opcode 0x%02x with %u bytes)", f[2], f[3], len, op,
                 want_len);
        return;
      }
      r->what = RX_OK;
      r->status = f[3];
      r->len = len;
      memcpy(r->pay, f + 6, len);
      return;
    }
    int w = wait_fd(u->fd, POLLIN, deadline);
    if (w == 0) {
      r->what = RX_TIMEOUT;
      snprintf(r->why, sizeof r->why, "no response in time (%u bytes received%s)", r->bytes,
               r->bytes ? ", none of them a complete frame: a garbled line?" : "");
      return;
    }
    if (w < 0) {
      r->what = RX_DEAD;
      snprintf(r->why, sizeof r->why, "the line hung up (%s) after %u response bytes: the other "
               "end closed or died", errno == EPIPE ? "POLLHUP" : strerror(errno), r->bytes);
      return;
    }
    ssize_t n = read(u->fd, f + have, need - have);
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) continue;
    if (n <= 0) {
      r->what = RX_DEAD;
      snprintf(r->why, sizeof r->why, "%s after %u response bytes: the other end closed or died",
               n == 0 ? "end of file" : strerror(errno), r->bytes);
      return;
    }
    r->bytes += (unsigned)n;
    if (have == 0) {   /* hunt for the start of a frame */
      uint8_t *sof = memchr(f, SOF_RESP, (size_t)n);
      if (sof == NULL) continue;
      memmove(f, sof, (size_t)(n - (sof - f)));
      n -= sof - f;
    }
    have += (size_t)n;
  }
}

/* After a failed attempt: drop whatever still arrives until the line has been quiet for 25 ms
 * (the bridge drops a truncated frame after 20 ms), at most 500 ms. */
static void resync(ua_t *u) {
  uint8_t junk[256];
  double end = now_ms() + 500;
  while (now_ms() < end) {
    if (wait_fd(u->fd, POLLIN, now_ms() + 25) != 1) break;
    if (read(u->fd, junk, sizeof junk) <= 0 && errno != EAGAIN && errno != EINTR) break;
  }
}

static bool idempotent(uint8_t op, const uint8_t *pay) {
  if (op == OP_START || op == OP_RESET) return false;
  return !(op == OP_CHK_CTRL && (pay[0] & 2u));
}

/* One transaction: BG_OK with *status the bridge's status code, or a transport error naming
 * the device, the operation and what happened. */
static int xact(ua_t *u, uint8_t op, const uint8_t *pay, uint16_t len, uint16_t want_len,
                uint8_t *status, uint8_t *resp, bg_err_t *err) {
  uint8_t f[7 + MAX_LEN];
  const int attempts = idempotent(op, pay) ? ATTEMPTS : 1;
  /* request and response on the line, 10 bits a byte, + 100 ms USB latency + 20 ms bridge */
  const double tmo = (double)(7 + len + 8 + want_len) * 10.0 * u->bit_ms + u->slack_ms + 20.0;
  rx_t r;
  for (int at = 1;; at++) {
    const uint8_t seq = ++u->seq;
    f[0] = SOF_REQ;
    f[1] = seq;
    f[2] = op;
    put_le(f + 3, len, 2);
    if (len) memcpy(f + 5, pay, len);
    put_le(f + 5 + len, crc16(f + 1, 4 + (size_t)len), 2);
    const double deadline = now_ms() + tmo;
    size_t sent = 0, total = 7 + (size_t)len;
    r.what = RX_OK;
    while (sent < total) {
      int w = wait_fd(u->fd, POLLOUT, deadline);
      ssize_t n = w <= 0 ? -1 : write(u->fd, f + sent, total - sent);
      if (n < 0 && w > 0 && (errno == EAGAIN || errno == EINTR)) continue;
      if (n < 0) {
        r.what = w == 0 ? RX_TIMEOUT : RX_DEAD;
        snprintf(r.why, sizeof r.why, w == 0 ? "the request could not be sent in time"
                 : "write failed: %s (the other end closed or died)", strerror(errno));
        break;
      }
      sent += (size_t)n;
    }
    if (r.what == RX_OK) receive(u, seq, op, want_len, deadline, &r);
    if (u->debug && (r.what != RX_OK || r.status == ST_BAD_CRC)) {
      fprintf(stderr, "uart:%s: %s (seq %u): attempt %d of %d: %s\n", u->dev, kOps[op], seq, at,
              r.what == RX_OK ? ATTEMPTS : r.what == RX_DEAD ? at : attempts,
              r.what == RX_OK ? "the board received the request with a bad CRC" : r.why);
    }
    if (r.what == RX_OK && r.status == ST_BAD_CRC && at < ATTEMPTS) {
      resync(u);   /* the request was damaged on the way: it had no effect, send it again */
      continue;
    }
    if (r.what == RX_OK && r.status == ST_BAD_CRC) {
      return bg_err_set(err, BG_E_IO, "uart:%s: %s: the board received every one of %d "
                        "attempts with a bad CRC (a noisy line or a wrong baud rate?)", u->dev,
                        kOps[op], ATTEMPTS);
    }
    if (r.what == RX_OK && (r.status == ST_BAD_OP || r.status == ST_BAD_LEN)) {
      return bg_err_set(err, BG_E_FORMAT, "uart:%s: %s: the board refused the request with %s "
                        "(a bridge of another protocol version?)", u->dev, kOps[op],
                        kStatus[r.status]);
    }
    if (r.what == RX_OK) {
      *status = r.status;
      if (resp && r.len) memcpy(resp, r.pay, r.len);
      return BG_OK;
    }
    if (r.what == RX_DEAD) {
      return bg_err_set(err, BG_E_IO, "uart:%s: %s (seq %u): %s", u->dev, kOps[op], seq, r.why);
    }
    if (at < attempts) {
      resync(u);
      continue;
    }
    if (attempts == 1) {
      char when[32] = "";
      if (r.what == RX_TIMEOUT) snprintf(when, sizeof when, " within %.0f ms", tmo);
      return bg_err_set(err, BG_E_IO, "uart:%s: %s (seq %u): %s%s; %s is not idempotent, so it "
                        "was not retried and may have taken effect (read STATUS)", u->dev,
                        kOps[op], seq, r.why, when, kOps[op]);
    }
    if (r.what == RX_TIMEOUT) {
      return bg_err_set(err, BG_E_IO, "uart:%s: %s (seq %u): %s within %.0f ms, %d attempts",
                        u->dev, kOps[op], seq, r.why, tmo, attempts);
    }
    return bg_err_set(err, BG_E_IO, "uart:%s: %s (seq %u): %s, %d attempts", u->dev, kOps[op],
                      seq, r.why, attempts);
  }
}

/* ---- register semantics (docs/driver.md) --------------------------------------------------- */

/* A bridge status that the core's register block reports as an ERROR flag. */
static void flag(ua_t *u, uint8_t op, uint8_t st) {
  switch (st) {
  case ST_OK: break;
  case ST_BAD_ADDR:
    u->error |= op == OP_MEM_READ || op == OP_MEM_WRITE ? BG_REG_ERROR_MEM_RANGE_MASK
                                                        : BG_REG_ERROR_BAD_ADDR_MASK;
    break;
  case ST_BAD_ARG: u->error |= BG_REG_ERROR_BAD_VALUE_MASK; break;
  case ST_BUSY: u->error |= BG_REG_ERROR_BUSY_MASK; break;
  case ST_NOT_HELD: u->error |= BG_REG_ERROR_NOT_HELD_MASK; break;
  default: u->error |= BG_REG_ERROR_BAD_VALUE_MASK; break;
  }
}

static int ping(ua_t *u, uint8_t out[12], bg_err_t *err) {
  uint8_t st = 0;
  int rc = xact(u, OP_PING, NULL, 0, 12, &st, out, err);
  if (rc == BG_OK && (memcmp(out, "BGSB", 4) != 0 || out[4] != 1)) {
    return bg_err_set(err, BG_E_FORMAT, "uart:%s: PING: expected magic \"BGSB\" and protocol "
                      "version 1, found %02x %02x %02x %02x version %u: not a biograd-hw board",
                      u->dev, out[0], out[1], out[2], out[3], out[4]);
  }
  return rc;
}

static int cfg_read(ua_t *u, uint8_t addr, uint64_t *v, bg_err_t *err) {
  uint8_t st = 0, out[8] = {0};
  int rc = xact(u, OP_CFG_READ, &addr, 1, 8, &st, out, err);
  *v = 0;
  if (rc == BG_OK && st == ST_OK) *v = get_le(out, 8);
  if (rc == BG_OK) flag(u, OP_CFG_READ, st);
  return rc;
}

static int cfg_write(ua_t *u, uint8_t addr, uint32_t v, bg_err_t *err) {
  uint8_t p[5] = {addr}, st = 0;
  put_le(p + 1, v, 4);
  int rc = xact(u, OP_CFG_WRITE, p, 5, 0, &st, NULL, err);
  if (rc == BG_OK) flag(u, OP_CFG_WRITE, st);
  return rc;
}

/* Bytes a word of memory sel travels as: the smallest of 1, 2, 4, 8 that holds it. */
static int word_bytes(const ua_t *u, uint32_t sel) {
  int b = (u->lay.width[sel] + 7) / 8;
  return b <= 1 ? 1 : b <= 2 ? 2 : b <= 4 ? 4 : 8;
}

static int ua_mem_read(void *state, uint32_t sel, uint32_t addr, uint32_t count, uint64_t *out,
                       bg_err_t *err) {
  ua_t *u = state;
  const int wb = sel < BG_DEV_N_MEMS ? word_bytes(u, sel) : 8;
  uint32_t done = 0;
  int rc = BG_OK;
  u->mem_sel = sel;
  while (rc == BG_OK && done < count) {
    const uint32_t per = (uint32_t)(MAX_DATA / wb), n = count - done < per ? count - done : per;
    uint8_t p[8], st = 0, resp[MAX_DATA];
    p[0] = (uint8_t)sel;
    put_le(p + 1, addr + done, 4);
    put_le(p + 5, n, 2);
    p[7] = (uint8_t)wb;
    rc = xact(u, OP_MEM_READ, p, 8, (uint16_t)(n * (uint32_t)wb), &st, resp, err);
    if (rc != BG_OK) break;
    if (st != ST_OK) {
      flag(u, OP_MEM_READ, st);
      break;
    }
    for (uint32_t k = 0; k < n; k++) out[done + k] = get_le(resp + (size_t)k * (size_t)wb, wb);
    done += n;
  }
  u->mem_addr = (addr + done) & BG_REG_MEM_ADDR_VALUE_MASK;
  return rc;
}

static int ua_mem_write(void *state, uint32_t sel, uint32_t addr, uint32_t count,
                        const uint64_t *in, bg_err_t *err) {
  ua_t *u = state;
  u->mem_sel = sel;
  if (sel == BG_MEM_ERROR_UNIT) {
    u->error |= BG_REG_ERROR_READ_ONLY_MASK;
    return BG_OK;
  }
  const int wb = sel < BG_DEV_N_MEMS ? word_bytes(u, sel) : 8;
  uint32_t done = 0;
  int rc = BG_OK;
  while (rc == BG_OK && done < count) {
    const uint32_t per = (uint32_t)(MAX_DATA / wb), n = count - done < per ? count - done : per;
    uint8_t p[8 + MAX_DATA], st = 0;
    p[0] = (uint8_t)sel;
    put_le(p + 1, addr + done, 4);
    put_le(p + 5, n, 2);
    p[7] = (uint8_t)wb;
    for (uint32_t k = 0; k < n; k++) put_le(p + 8 + (size_t)k * (size_t)wb, in[done + k], wb);
    rc = xact(u, OP_MEM_WRITE, p, (uint16_t)(8 + n * (uint32_t)wb), 0, &st, NULL, err);
    if (rc != BG_OK) break;
    if (st != ST_OK) {
      flag(u, OP_MEM_WRITE, st);
      break;
    }
    done += n;
  }
  u->mem_addr = (addr + done) & BG_REG_MEM_ADDR_VALUE_MASK;
  return rc;
}

/* Configuration word of a register (docs/rtl.md "Host interface"), -1 when none. */
static int cfg_word(uint32_t off) {
  switch (off) {
  case BG_REG_ETA_M: return 0;
  case BG_REG_ETA_SH: return 1;
  case BG_REG_SLEEP_FILL: return 2;
  case BG_REG_LABEL: return 3;
  case BG_REG_SEED_INPUT: return 8;
  case BG_REG_SEED_SLEEP_RATE: return 9;
  case BG_REG_SEED_SLEEP_NOISE: return 10;
  case BG_REG_SEED_ROUND: return 11;
  case BG_REG_SEED_EVAL: return 12;
  case BG_REG_CNT_CYCLES: return 16;
  case BG_REG_CNT_SYN_EVENTS: return 17;
  case BG_REG_CNT_WEIGHT_WRITES: return 18;
  case BG_REG_CNT_SAMPLES: return 19;
  case BG_REG_CNT_SLEEPS: return 20;
  case BG_REG_CNT_FWD_CYCLES: return 21;
  case BG_REG_CNT_LEARN_CYCLES: return 22;
  case BG_REG_CNT_SLEEP_CYCLES: return 23;
  case BG_REG_CNT_ROUND_DRAWS: return 24;
  case BG_REG_PREDICTION: return 25;
  case BG_REG_LAST_STEP_CYCLES: return 27;
  case BG_REG_CNT_TIMESTEPS: return 28;
  default: return -1;
  }
}

static void reset_host_regs(ua_t *u) {
  u->cmd = u->chk_en = u->mem_sel = u->mem_addr = u->lo_buf = u->hi_latch = u->cnt_hi = 0;
  u->error = 0;
}

static int ua_read(void *state, uint32_t off, uint32_t *val, bg_err_t *err) {
  ua_t *u = state;
  uint8_t pong[12], st = 0, s[8];
  uint64_t w = 0;
  int rc = BG_OK;
  *val = 0;
  switch (off) {
  case BG_REG_ID:
    rc = ping(u, pong, err);
    if (rc == BG_OK) *val = BG_REG_ID_RESET;
    return rc;
  case BG_REG_VERSION:
    rc = ping(u, pong, err);
    if (rc == BG_OK) *val = BG_REG_VERSION_RESET;
    return rc;
  case BG_REG_NET_HASH:
    rc = ping(u, pong, err);
    if (rc == BG_OK) *val = (uint32_t)get_le(pong + 8, 4);
    return rc;
  case BG_REG_CTRL:
    *val = bg_reg_ctrl_cmd_set(0, u->cmd) | bg_reg_ctrl_chk_en_set(0, u->chk_en);
    return BG_OK;
  case BG_REG_STATUS:
    rc = xact(u, OP_STATUS, NULL, 0, 8, &st, s, err);
    if (rc == BG_OK) {
      *val = bg_reg_status_busy_set(0, s[0] & 1u) | bg_reg_status_done_set(0, s[0] >> 1 & 1u) |
             bg_reg_status_held_set(0, s[0] >> 2 & 1u) |
             bg_reg_status_chk_kind_set(0, (uint32_t)(s[0] >> 2 & 1u ? s[1] : 0)) |
             bg_reg_status_chk_step_set(0, (uint32_t)(s[0] >> 2 & 1u ? get_le(s + 2, 2) : 0));
    }
    return rc;
  case BG_REG_ERROR: *val = u->error; return BG_OK;
  case BG_REG_MEM_SEL: *val = u->mem_sel; return BG_OK;
  case BG_REG_MEM_ADDR: *val = u->mem_addr; return BG_OK;
  case BG_REG_MEM_DATA_LO: {   /* one word, latching its upper half; MEM_ADDR stays */
    uint64_t word = 0;
    const uint32_t at = u->mem_addr, e0 = u->error;
    rc = ua_mem_read(u, u->mem_sel, at, 1, &word, err);
    u->mem_addr = at;
    if (rc == BG_OK && u->error == e0) {
      u->hi_latch = (uint32_t)(word >> 32);
      *val = (uint32_t)word;
    }
    return rc;
  }
  case BG_REG_MEM_DATA_HI:
    *val = u->hi_latch;
    u->mem_addr = (u->mem_addr + 1) & BG_REG_MEM_ADDR_VALUE_MASK;
    return BG_OK;
  case BG_REG_NET_LAYERS: *val = (uint32_t)u->net->n_layers; return BG_OK;
  case BG_REG_NET_STEPS: *val = u->net->time.steps; return BG_OK;
  case BG_REG_NET_INPUT_SIZE: *val = u->net->layers[0].size; return BG_OK;
  case BG_REG_NET_OUTPUT_SIZE: *val = u->net->layers[u->net->n_layers - 1].size; return BG_OK;
  default: break;
  }
  int a = cfg_word(off);
  if ((a == 25 || a == 27) && u->since_reset) return BG_OK;
  if (a >= 0) {
    rc = cfg_read(u, (uint8_t)a, &w, err);
    if (rc == BG_OK) {
      if (a >= 16 && a != 25 && a != 27) u->cnt_hi = (uint32_t)(w >> 32);   /* 64-bit counter */
      *val = (uint32_t)w;
    }
    return rc;
  }
  const bg_regs_desc_t *t = bg_regs_table();
  for (int k = 0; k < BG_REGS_COUNT; k++) {
    if (t[k].words == 2 && off == t[k].offset + 4) {   /* the latched high word */
      *val = u->cnt_hi;
      return BG_OK;
    }
  }
  u->error |= BG_REG_ERROR_BAD_ADDR_MASK;
  return BG_OK;
}

static int ua_write(void *state, uint32_t off, uint32_t v, bg_err_t *err) {
  ua_t *u = state;
  const uint32_t n_out = u->net->layers[u->net->n_layers - 1].size;
  const bg_regs_desc_t *t = bg_regs_table();
  uint8_t st = 0, b = 0;
  int rc = BG_OK;
  int k = 0;
  while (k < BG_REGS_COUNT && off != t[k].offset && !(t[k].words == 2 && off == t[k].offset + 4)) {
    k++;
  }
  if (k == BG_REGS_COUNT) {
    u->error |= BG_REG_ERROR_BAD_ADDR_MASK;
    return BG_OK;
  }
  if ((t[k].ro_mask != 0 && (v & t[k].ro_mask) != 0) || t[k].words == 2 ||
      (t[k].rw_mask | t[k].w1c_mask | t[k].w1p_mask) == 0) {
    u->error |= BG_REG_ERROR_READ_ONLY_MASK;
    return BG_OK;
  }
  switch (off) {
  case BG_REG_CTRL: {
    if (v & BG_REG_CTRL_SOFT_RESET_MASK) {
      /* RESET keeps the stream states (RTL registers without a reset): reseed them, so every
       * register is at its reset value as on cmodel: */
      rc = xact(u, OP_RESET, NULL, 0, 0, &st, NULL, err);
      for (int s = BG_STREAM_INPUT; rc == BG_OK && s <= BG_STREAM_EVAL; s++) {
        rc = cfg_write(u, (uint8_t)(8 + s - BG_STREAM_INPUT), u->net->q.stream_seed[s], err);
      }
      if (rc == BG_OK) reset_host_regs(u);
      if (rc == BG_OK) u->since_reset = true;
      return rc;
    }
    const uint32_t chk_en = bg_reg_ctrl_chk_en_get(v), go = (v & BG_REG_CTRL_CHK_GO_MASK) != 0;
    u->cmd = bg_reg_ctrl_cmd_get(v);
    if (go || chk_en != u->chk_en) {
      b = (uint8_t)(chk_en | go << 1);
      rc = xact(u, OP_CHK_CTRL, &b, 1, 0, &st, NULL, err);
      if (rc != BG_OK) return rc;
      if (st == ST_OK) u->chk_en = chk_en;
      flag(u, OP_CHK_CTRL, st);
    }
    if (v & BG_REG_CTRL_START_MASK) {
      b = (uint8_t)u->cmd;
      rc = xact(u, OP_START, &b, 1, 0, &st, NULL, err);
      if (rc == BG_OK) flag(u, OP_START, st);
      if (rc == BG_OK && st == ST_OK) u->since_reset = false;
    }
    return rc;
  }
  case BG_REG_ERROR: u->error &= ~(v & BG_REG_ERROR_MASK_W1C); return BG_OK;
  case BG_REG_LABEL:
    if (v >= n_out) {
      u->error |= BG_REG_ERROR_BAD_VALUE_MASK;
      return BG_OK;
    }
    break;
  case BG_REG_ETA_M:
    if (v >= (1u << 15)) {
      u->error |= BG_REG_ERROR_BAD_VALUE_MASK;
      return BG_OK;
    }
    break;
  case BG_REG_ETA_SH: v &= BG_REG_ETA_SH_VALUE_MASK; break;
  case BG_REG_MEM_SEL:
    if (v >= BG_DEV_N_MEMS || u->lay.words[v] == 0) {
      u->error |= BG_REG_ERROR_BAD_VALUE_MASK;
    } else {
      u->mem_sel = v;
    }
    return BG_OK;
  case BG_REG_MEM_ADDR: u->mem_addr = v & BG_REG_MEM_ADDR_VALUE_MASK; return BG_OK;
  case BG_REG_MEM_DATA_LO: u->lo_buf = v; return BG_OK;
  case BG_REG_MEM_DATA_HI: {
    const uint64_t word = (uint64_t)v << 32 | u->lo_buf;
    const uint32_t at = u->mem_addr;
    rc = ua_mem_write(u, u->mem_sel, at, 1, &word, err);
    u->mem_addr = (at + 1) & BG_REG_MEM_ADDR_VALUE_MASK;   /* steps also when refused */
    return rc;
  }
  default: break;
  }
  int a = cfg_word(off);
  if (a < 0 || a >= 16) {
    u->error |= BG_REG_ERROR_READ_ONLY_MASK;
    return BG_OK;
  }
  return cfg_write(u, (uint8_t)a, v, err);
}

/* ---- open / close -------------------------------------------------------------------------- */

static speed_t speed_of(uint32_t baud) {
  switch (baud) {
  case 9600: return B9600;
  case 19200: return B19200;
  case 38400: return B38400;
  case 57600: return B57600;
  case 115200: return B115200;
  case 230400: return B230400;
  case 460800: return B460800;
  case 921600: return B921600;
  case 1000000: return B1000000;
  case 2000000: return B2000000;
  case 3000000: return B3000000;
  default: return B0;
  }
}

static int ua_open(void **state, const char *arg, const bg_net_t *net, bg_err_t *err) {
  ua_t *u = calloc(1, sizeof *u);
  if (u == NULL) return bg_err_set(err, BG_E_NOMEM, "uart:%s: out of memory", arg);
  u->fd = -1;
  u->baud = 115200;
  u->slack_ms = 100.0;
  /* DEVICE[@BAUD][,slack=MS] */
  const char *opt = strchr(arg, ',');
  size_t n = opt ? (size_t)(opt - arg) : strlen(arg);
  const char *at = memchr(arg, '@', n);
  char baud[16] = "";
  if (at != NULL && (size_t)(arg + n - at) < sizeof baud) {
    memcpy(baud, at + 1, (size_t)(arg + n - at - 1));
  }
  if (at != NULL) n = (size_t)(at - arg);
  if (n == 0 || n >= sizeof u->dev) {
    free(u);
    return bg_err_set(err, BG_E_ARG, "uart:%s: expected uart:DEVICE[@BAUD][,slack=MS], e.g. "
                      "uart:/dev/ttyUSB1@115200", arg);
  }
  memcpy(u->dev, arg, n);
  if (at) {
    char *end = NULL;
    unsigned long b = strtoul(baud, &end, 10);
    if (end == baud || *end != '\0' || b > 3000000 || speed_of((uint32_t)b) == B0) {
      free(u);
      return bg_err_set(err, BG_E_ARG, "uart:%s: baud rate '%s': expected one of 9600, 19200, "
                        "38400, 57600, 115200, 230400, 460800, 921600, 1000000, 2000000, "
                        "3000000", arg, baud);
    }
    u->baud = (uint32_t)b;
  }
  if (opt) {
    char *end = NULL;
    unsigned long ms = strncmp(opt, ",slack=", 7) == 0 ? strtoul(opt + 7, &end, 10) : 0;
    if (end == NULL || end == opt + 7 || *end != '\0' || ms > 60000) {
      free(u);
      return bg_err_set(err, BG_E_ARG, "uart:%s: option '%s': expected ',slack=MS' (the "
                        "allowance for adapter latency in each response timeout, 0 to 60000; "
                        "default 100)", arg, opt);
    }
    u->slack_ms = (double)ms;
  }
  u->bit_ms = 1000.0 / u->baud;
  u->debug = getenv("BG_UART_DEBUG") != NULL;
  u->net = net;
  bg_dev_layout(net, &u->lay);
  u->fd = open(u->dev, O_RDWR | O_NOCTTY | O_NONBLOCK);
  struct termios tio;
  const char *what = NULL;
  if (u->fd < 0) what = "open";
  else if (flock(u->fd, LOCK_EX | LOCK_NB) != 0) what = "lock (in use by another program?)";
  else if (tcgetattr(u->fd, &tio) != 0) what = "tcgetattr (not a serial port?)";
  if (what == NULL) {
    /* raw 8N1, no flow control, reads return what is there (poll() does the waiting) */
    tio.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON |
                               IXOFF | IXANY | INPCK);
    tio.c_oflag &= ~(tcflag_t)OPOST;
    tio.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    tio.c_cflag &= ~(tcflag_t)(CSIZE | PARENB | CSTOPB | CRTSCTS);
    tio.c_cflag |= CS8 | CREAD | CLOCAL;
    tio.c_cc[VMIN] = 0;
    tio.c_cc[VTIME] = 0;
    if (cfsetispeed(&tio, speed_of(u->baud)) != 0 || cfsetospeed(&tio, speed_of(u->baud)) != 0 ||
        tcsetattr(u->fd, TCSANOW, &tio) != 0) {
      what = "tcsetattr";
    }
  }
  if (what != NULL) {
    int rc = bg_err_set(err, BG_E_IO, "uart:%s: %s: %s", u->dev, what, strerror(errno));
    if (u->fd >= 0) close(u->fd);
    free(u);
    return rc;
  }
  tcflush(u->fd, TCIOFLUSH);
  /* a fresh sequence number per run, so a late answer to the last program is not taken for
   * ours */
  u->seq = (uint8_t)(getpid() ^ (pid_t)time(NULL));
  uint8_t pong[12];
  int rc = ping(u, pong, err);
  if (rc != BG_OK) {
    close(u->fd);
    free(u);
    return rc;
  }
  *state = u;
  return BG_OK;
}

static void ua_close(void *state) {
  ua_t *u = state;
  if (u == NULL) return;
  if (u->fd >= 0) close(u->fd);
  free(u);
}

const bg_dev_backend_t bg_dev_backend_uart = {
    .scheme = "uart",
    .open = ua_open,
    .close = ua_close,
    .read = ua_read,
    .write = ua_write,
    .mem_read = ua_mem_read,
    .mem_write = ua_mem_write,
};
