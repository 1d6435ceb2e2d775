/* SPDX-License-Identifier: Apache-2.0 */
/* N-MNIST event files (the original binary release) and their framing into binary input frames.
 *
 * Each event is 5 bytes (40 bits, most significant bit first): byte 0 = x address, byte 1 = y
 * address, byte 2 bit 7 = polarity, byte 2 bits 6..0 then bytes 3 and 4 = a 23-bit timestamp in
 * microseconds. The sensor is 34 x 34, so x and y must be < 34. docs/datasets.md has details. */
#ifndef BG_NMNIST_H
#define BG_NMNIST_H

#include <stddef.h>
#include <stdint.h>

#include "bg_err.h"

#define BG_NMNIST_SIDE 34
#define BG_NMNIST_PIXELS (BG_NMNIST_SIDE * BG_NMNIST_SIDE)   /* 1156 per polarity */
#define BG_NMNIST_FRAME_BITS (2 * BG_NMNIST_PIXELS)           /* 2312 per frame */
#define BG_NMNIST_EVENT_BYTES 5
#define BG_NMNIST_MAX_T_US 0x7FFFFFu                          /* 23-bit timestamps */
/* A sample is a few hundred ms of events, typically 20-40 KB; 64 MiB is far beyond any real
 * file and bounds memory on a corrupt one. */
#define BG_NMNIST_MAX_FILE ((size_t)64 << 20)

typedef struct {
  uint8_t x, y;    /* 0..33 */
  uint8_t p;       /* polarity 0 or 1 */
  uint32_t t_us;   /* 0..BG_NMNIST_MAX_T_US */
} bg_nmnist_event_t;

typedef struct {
  size_t n;
  bg_nmnist_event_t *ev; /* n events in file order; owned (bg_nmnist_events_free) */
} bg_nmnist_events_t;

/* Decode a whole event file held in memory. name_for_errors (may be NULL) names it in
 * messages. The length must be a multiple of 5 and every address < 34. An empty buffer is a
 * valid file with no events. On failure *out is zeroed. */
int bg_nmnist_parse(const uint8_t *buf, size_t len, const char *name_for_errors,
                    bg_nmnist_events_t *out, bg_err_t *err);

/* Read and decode one .bin file (at most BG_NMNIST_MAX_FILE bytes). */
int bg_nmnist_load(const char *path, bg_nmnist_events_t *out, bg_err_t *err);

void bg_nmnist_events_free(bg_nmnist_events_t *ev);

/* Bin events into steps frames of bin_ms milliseconds each. frames is (steps,
 * BG_NMNIST_FRAME_BITS) bytes, overwritten with 0/1. An event at t_us lands at
 * t_ms = round(t_us / 1000) with halves rounded up; events with t_ms >= steps * bin_ms are
 * dropped; the frame is t_ms / bin_ms and the bit p*1156 + y*34 + x, set to 1 when at least one
 * event lands on it. steps and bin_ms must be >= 1. */
int bg_nmnist_frames(const bg_nmnist_events_t *ev, uint32_t steps, uint32_t bin_ms,
                     uint8_t *frames, bg_err_t *err);

typedef struct {
  char *path;      /* <dir>/<Train|Test>/<digit>/<name>.bin; owned */
  uint8_t label;   /* the digit directory, 0..9 */
} bg_nmnist_item_t;

typedef struct {
  size_t n;
  bg_nmnist_item_t *items; /* sorted by label, then by file name (byte order) */
} bg_nmnist_list_t;

/* List the samples of one split ("train" -> <dir>/Train, "test" -> <dir>/Test) in the usual
 * layout <dir>/<Split>/<digit>/<file>.bin. All ten digit directories must exist; entries that
 * are not regular files ending in .bin, or whose names start with '.', are ignored. A split
 * with no samples at all is an error. The order is deterministic (label, then name). */
int bg_nmnist_list(const char *dir, const char *split, bg_nmnist_list_t *out, bg_err_t *err);

void bg_nmnist_list_free(bg_nmnist_list_t *list);

#endif /* BG_NMNIST_H */
