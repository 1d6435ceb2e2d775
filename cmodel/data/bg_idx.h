/* SPDX-License-Identifier: Apache-2.0 */
/* IDX file reader (the MNIST / Fashion-MNIST container format), raw or gzip-compressed.
 *
 * An IDX file is: two zero bytes, a type byte, a dimension count, one big-endian uint32 per
 * dimension, then the data in row-major order. Only type 0x08 (unsigned byte) is supported: it
 * is the only type the datasets use, and accepting others would need per-type conversion that
 * nothing here would test. Every check is strict (exact data length, no trailing bytes), so a
 * damaged file fails loudly instead of training on shifted pixels. docs/datasets.md describes
 * the format and the error messages. */
#ifndef BG_IDX_H
#define BG_IDX_H

#include <stddef.h>
#include <stdint.h>

#include "bg_err.h"

#define BG_IDX_MAX_DIMS 4
#define BG_IDX_TYPE_UBYTE 0x08
/* Largest accepted data payload (1 GiB): MNIST's largest file is 47 MB, so anything near this
 * is a corrupt header, and bounding it keeps every size computation far from overflow. */
#define BG_IDX_MAX_DATA ((size_t)1 << 30)
/* Largest header: 4 magic/type/ndims bytes + 4 bytes per dimension. */
#define BG_IDX_MAX_HEADER ((size_t)(4 + 4 * BG_IDX_MAX_DIMS))

typedef struct {
  uint8_t type;                     /* always BG_IDX_TYPE_UBYTE after a successful parse */
  uint32_t ndims;                   /* 1..BG_IDX_MAX_DIMS */
  uint32_t dims[BG_IDX_MAX_DIMS];   /* each >= 1; unused entries are 0 */
  size_t count;                     /* product of dims = number of data bytes */
  uint8_t *data;                    /* count bytes, row-major; owned (bg_idx_free) */
} bg_idx_t;

/* Parse an uncompressed IDX image held in memory. name_for_errors (may be NULL) is the file
 * name used in messages. On success *out owns a copy of the data; on failure *out is zeroed. */
int bg_idx_parse(const uint8_t *buf, size_t len, const char *name_for_errors, bg_idx_t *out,
                 bg_err_t *err);

/* Like bg_idx_parse, but a buffer starting with the gzip magic (1f 8b) is decompressed first.
 * This is what bg_idx_load does after reading the file. */
int bg_idx_decode(const uint8_t *buf, size_t len, const char *name_for_errors, bg_idx_t *out,
                  bg_err_t *err);

/* Read a file (raw or gzip, detected by content, not by name) and parse it. */
int bg_idx_load(const char *path, bg_idx_t *out, bg_err_t *err);

/* Release the data and zero *idx. Safe on a zeroed or already-freed struct and on NULL. */
void bg_idx_free(bg_idx_t *idx);

#endif /* BG_IDX_H */
