/* SPDX-License-Identifier: Apache-2.0 */
/* Bringing a dataset file's bytes into memory: whole-file reads with a size limit, and gzip
 * decompression of a memory buffer. Shared by the IDX and N-MNIST readers. */
#ifndef BG_FILE_H
#define BG_FILE_H

#include <stddef.h>
#include <stdint.h>

#include "bg_err.h"

/* Read a whole regular file into a new malloc'd buffer (*out, *out_len; free with free()).
 * Files over max_len bytes are refused, and so are non-regular files (FIFOs, devices,
 * directories), which could block or never end. */
int bg_read_file(const char *path, size_t max_len, uint8_t **out, size_t *out_len,
                 bg_err_t *err);

/* True when buf starts with the gzip magic bytes 1f 8b. */
int bg_is_gzip(const uint8_t *buf, size_t len);

/* Decompress a complete gzip stream (one or more members) held in memory into a new malloc'd
 * buffer of at most max_out bytes. A truncated or corrupt stream, output over max_out, or bytes
 * after the last member that do not start another member are errors naming name_for_errors
 * and the compressed offset: short data is never returned. */
int bg_gunzip(const uint8_t *buf, size_t len, const char *name_for_errors, size_t max_out,
              uint8_t **out, size_t *out_len, bg_err_t *err);

#endif /* BG_FILE_H */
