/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for the N-MNIST reader: parse any bytes as an event file, and frame what
 * parses with steps and bin width taken from the input. Any crash, sanitizer report or broken
 * invariant is a bug. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bg_nmnist.h"

static void bg_require(int cond) {
  if (!cond) abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  bg_nmnist_events_t ev;
  bg_err_t err;
  err.msg[0] = '\0';
  int rc = bg_nmnist_parse(data, size, "fuzz", &ev, &err);
  if (rc != 0) {
    bg_require(rc < 0 && ev.ev == NULL && ev.n == 0 && err.msg[0] != '\0');
    return 0;
  }
  bg_require(ev.n * BG_NMNIST_EVENT_BYTES == size);
  for (size_t i = 0; i < ev.n; i++) {
    bg_require(ev.ev[i].x < BG_NMNIST_SIDE && ev.ev[i].y < BG_NMNIST_SIDE);
    bg_require(ev.ev[i].p <= 1 && ev.ev[i].t_us <= BG_NMNIST_MAX_T_US);
  }
  /* Small windows so that the dropping of late events is exercised as well as the binning. */
  uint32_t steps = size > 0 ? 1u + data[0] % 16u : 1u;
  uint32_t bin_ms = size > 1 ? 1u + data[1] % 64u : 1u;
  size_t nbytes = (size_t)steps * BG_NMNIST_FRAME_BITS;
  uint8_t *frames = malloc(nbytes);
  bg_require(frames != NULL);
  rc = bg_nmnist_frames(&ev, steps, bin_ms, frames, &err);
  bg_require(rc == 0);
  size_t ones = 0;
  for (size_t i = 0; i < nbytes; i++) {
    bg_require(frames[i] <= 1);
    ones += frames[i];
  }
  bg_require(ones <= ev.n);
  free(frames);
  bg_nmnist_events_free(&ev);
  return 0;
}
