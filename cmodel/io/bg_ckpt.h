/* SPDX-License-Identifier: Apache-2.0 */
/* Checkpoint container: named binary sections in one file, written atomically and verified as a
 * whole on read. The trainer keeps its weights, RNG states, optimizer accumulators and counters
 * in it. docs/checkpoints.md gives the byte layout, the write procedure and every error.
 *
 * Layout (every integer little-endian, so files move between hosts):
 *   "BGCKPT\r\n"  u32 version (1)  u32 net_hash  u32 section count (0..64)
 *   per section: tag[8] (NUL padded)  u64 length  u32 CRC-32 of the data  data[length]
 *   u32 CRC-32 of every byte before it (the trailer), and nothing after it. */
#ifndef BG_CKPT_H
#define BG_CKPT_H

#include <stddef.h>
#include <stdint.h>

#include "bg_err.h"

#define BG_CKPT_TAG_LEN 8                    /* a tag is 1..8 characters of [a-z0-9_] */
#define BG_CKPT_VERSION 1u
#define BG_CKPT_MAX_SECTIONS 64
#define BG_CKPT_MAX_FILE ((uint64_t)1 << 30) /* 1 GiB, header and trailer included */
#define BG_CKPT_ANY_LEN ((uint64_t)-1)       /* bg_ckpt_get: accept any length */

typedef struct {
  char tag[BG_CKPT_TAG_LEN + 1]; /* NUL-terminated */
  const void *data;              /* len bytes; may be NULL only when len is 0 */
  uint64_t len;
} bg_ckpt_section_t;

/* Write n sections (0..64, distinct valid tags, at most 1 GiB in all) to path atomically: a
 * temporary file PATH.tmp-XXXXXX is created in the same directory (mkstemp, so mode 0600),
 * written, flushed and fsync'ed, renamed over path, and then the directory is fsync'ed. On any
 * failure before the rename the temporary file is removed and a file already at path is left
 * untouched. net_hash identifies the network description; bg_ckpt_read refuses the file for
 * any other. Errors: BG_E_ARG (bad tag, duplicate tag, NULL data, n out of range), BG_E_RANGE
 * (over 1 GiB), BG_E_NOMEM, BG_E_IO (naming the path, the step and strerror). */
int bg_ckpt_write(const char *path, uint32_t net_hash, const bg_ckpt_section_t *secs, int n,
                  bg_err_t *err);

typedef struct bg_ckpt bg_ckpt_t; /* opaque: a verified checkpoint held in memory */

/* Read the whole file at path and verify it (structure, every section CRC, the trailer CRC,
 * no trailing bytes), then check that it was written for expect_hash. On success *out owns the
 * file (bg_ckpt_free); on failure *out is NULL. Errors: BG_E_IO (missing or unreadable file,
 * with strerror), BG_E_FORMAT (anything malformed: "PATH: offset N: expected ..., found ..."),
 * BG_E_RANGE (over 1 GiB, or written for another description: both hashes in hex),
 * BG_E_NOMEM. */
int bg_ckpt_read(const char *path, uint32_t expect_hash, bg_ckpt_t **out, bg_err_t *err);

/* Internal, used by bg_ckpt_read and the fuzzer: verify len bytes in memory exactly as
 * bg_ckpt_read does, naming the file name_for_errors (may be NULL) in messages. On success *out
 * owns a copy of buf. */
int bg_ckpt_parse(const uint8_t *buf, size_t len, const char *name_for_errors,
                  uint32_t expect_hash, bg_ckpt_t **out, bg_err_t *err);

/* Find the section called tag. *data points into c (valid until bg_ckpt_free; not NULL, even
 * for an empty section) and *len is its length; either output pointer may be NULL. Errors:
 * BG_E_FORMAT "PATH: section 'TAG' missing", BG_E_FORMAT "PATH: section 'TAG': expected N
 * bytes, found M" when want_len is not BG_CKPT_ANY_LEN and differs, BG_E_ARG for a NULL c or
 * tag. On error the outputs are NULL / 0. */
int bg_ckpt_get(const bg_ckpt_t *c, const char *tag, uint64_t want_len, const void **data,
                uint64_t *len, bg_err_t *err);

/* The network-description hash stored in the file (equal to the expect_hash it was read with).
 * 0 for NULL. */
uint32_t bg_ckpt_net_hash(const bg_ckpt_t *c);

/* Release a checkpoint read by bg_ckpt_read or bg_ckpt_parse. NULL-safe. */
void bg_ckpt_free(bg_ckpt_t *c);

#endif /* BG_CKPT_H */
