/* SPDX-License-Identifier: Apache-2.0 */
/* Whole-file reads and in-memory gzip decompression for the dataset readers. */
#define ZLIB_CONST /* next_in becomes a const pointer: the input buffer is never written */
#include "bg_file.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

/* The most output one deflate input byte can produce (the format's maximum ratio is ~1032:1);
 * bounds the first allocation when the gzip trailer's size field is implausible. */
#define BG_DEFLATE_MAX_RATIO 1032u

static const char *bg_name(const char *name) { return name != NULL ? name : "<memory>"; }

int bg_read_file(const char *path, size_t max_len, uint8_t **out, size_t *out_len,
                 bg_err_t *err) {
  if (out == NULL || out_len == NULL || path == NULL || max_len >= SIZE_MAX / 2)
    return bg_err_set(err, BG_E_ARG, "bg_read_file: invalid argument");
  *out = NULL;
  *out_len = 0;
  struct stat st;
  if (stat(path, &st) != 0)
    return bg_err_set(err, BG_E_IO, "%s: cannot open: %s", path, strerror(errno));
  if (!S_ISREG(st.st_mode))
    return bg_err_set(err, BG_E_IO, "%s: expected a regular file, found %s", path,
                      S_ISDIR(st.st_mode) ? "a directory" : "a special file");
  if (st.st_size < 0 || (uint64_t)st.st_size > (uint64_t)max_len)
    return bg_err_set(err, BG_E_RANGE, "%s: file is %lld bytes; expected at most %zu", path,
                      (long long)st.st_size, max_len);
  FILE *f = fopen(path, "rb");
  if (f == NULL) return bg_err_set(err, BG_E_IO, "%s: cannot open: %s", path, strerror(errno));

  /* The size from stat is only a first guess: the file may change between stat and read, so
   * read until EOF and re-check the limit as data arrives. One spare byte detects growth. */
  size_t cap = (size_t)st.st_size + 1;
  uint8_t *buf = malloc(cap);
  if (buf == NULL) {
    fclose(f);
    return bg_err_set(err, BG_E_NOMEM, "%s: cannot allocate %zu bytes", path, cap);
  }
  size_t len = 0;
  for (;;) {
    if (len == cap) {
      if (cap > max_len) {
        free(buf);
        fclose(f);
        return bg_err_set(err, BG_E_RANGE, "%s: file grew past the limit of %zu bytes", path,
                          max_len);
      }
      size_t ncap = cap <= max_len / 2 ? cap * 2 : max_len + 1;
      uint8_t *nbuf = realloc(buf, ncap);
      if (nbuf == NULL) {
        free(buf);
        fclose(f);
        return bg_err_set(err, BG_E_NOMEM, "%s: cannot allocate %zu bytes", path, ncap);
      }
      buf = nbuf;
      cap = ncap;
    }
    size_t got = fread(buf + len, 1, cap - len, f);
    len += got;
    if (got == 0) break;
  }
  if (ferror(f)) {
    int e = errno;
    free(buf);
    fclose(f);
    return bg_err_set(err, BG_E_IO, "%s: read error at offset %zu: %s", path, len, strerror(e));
  }
  fclose(f);
  if (len > max_len) {
    free(buf);
    return bg_err_set(err, BG_E_RANGE, "%s: file grew past the limit of %zu bytes", path,
                      max_len);
  }
  *out = buf;
  *out_len = len;
  return BG_OK;
}

int bg_is_gzip(const uint8_t *buf, size_t len) {
  return buf != NULL && len >= 2 && buf[0] == 0x1f && buf[1] == 0x8b;
}

/* First output allocation: the trailer's ISIZE field (uncompressed size mod 2^32 of the last
 * member) is right for ordinary files, but it is untrusted, so clamp it by what the input could
 * possibly expand to and by the caller's limit. */
static size_t bg_gunzip_first_cap(const uint8_t *buf, size_t len, size_t max_out) {
  size_t hint = 0;
  if (len >= 4) {
    hint = (size_t)buf[len - 4] | (size_t)buf[len - 3] << 8 | (size_t)buf[len - 2] << 16 |
           (size_t)buf[len - 1] << 24;
  }
  size_t bound = len <= (SIZE_MAX - 64) / BG_DEFLATE_MAX_RATIO ? len * BG_DEFLATE_MAX_RATIO + 64
                                                               : SIZE_MAX;
  size_t cap = hint < bound ? hint : bound;
  if (cap > max_out) cap = max_out;
  /* +1 so that a stream of exactly the hinted size ends without a needless realloc. */
  return cap + 1 < 64 ? 64 : cap + 1;
}

int bg_gunzip(const uint8_t *buf, size_t len, const char *name_for_errors, size_t max_out,
              uint8_t **out, size_t *out_len, bg_err_t *err) {
  const char *name = bg_name(name_for_errors);
  if (out == NULL || out_len == NULL || (buf == NULL && len > 0) || max_out >= SIZE_MAX)
    return bg_err_set(err, BG_E_ARG, "%s: bg_gunzip: invalid argument", name);
  *out = NULL;
  *out_len = 0;

  z_stream zs;
  memset(&zs, 0, sizeof zs);
  /* 16 + MAX_WBITS: expect a gzip wrapper (header + CRC-32 + size trailer), not zlib or raw. */
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
    return bg_err_set(err, BG_E_NOMEM, "%s: cannot initialise zlib", name);

  size_t cap = bg_gunzip_first_cap(buf, len, max_out);
  uint8_t *dst = malloc(cap);
  if (dst == NULL) {
    inflateEnd(&zs);
    return bg_err_set(err, BG_E_NOMEM, "%s: cannot allocate %zu bytes", name, cap);
  }
  size_t in_pos = 0;  /* bytes of buf handed to zlib so far */
  size_t pos = 0;     /* bytes of output produced so far */
  int rc = BG_OK;
  for (;;) {
    /* zlib counts in uInt, so feed and drain in chunks of at most UINT_MAX bytes. */
    if (zs.avail_in == 0 && in_pos < len) {
      size_t chunk = len - in_pos < UINT_MAX ? len - in_pos : UINT_MAX;
      zs.next_in = buf + in_pos;
      zs.avail_in = (uInt)chunk;
      in_pos += chunk;
    }
    if (pos == cap) {
      if (cap > max_out) {
        rc = bg_err_set(err, BG_E_RANGE,
                        "%s: decompressed data exceeds the limit of %zu bytes (at compressed "
                        "offset %zu)", name, max_out, in_pos - zs.avail_in);
        break;
      }
      size_t ncap = cap <= max_out / 2 ? cap * 2 : max_out + 1;
      uint8_t *ndst = realloc(dst, ncap);
      if (ndst == NULL) {
        rc = bg_err_set(err, BG_E_NOMEM, "%s: cannot allocate %zu bytes", name, ncap);
        break;
      }
      dst = ndst;
      cap = ncap;
    }
    size_t room = cap - pos < UINT_MAX ? cap - pos : UINT_MAX;
    zs.next_out = dst + pos;
    zs.avail_out = (uInt)room;
    int zr = inflate(&zs, Z_NO_FLUSH);
    pos += room - zs.avail_out;
    size_t consumed = in_pos - zs.avail_in;
    if (pos > max_out) {
      rc = bg_err_set(err, BG_E_RANGE,
                      "%s: decompressed data exceeds the limit of %zu bytes (at compressed "
                      "offset %zu)", name, max_out, consumed);
      break;
    }
    if (zr == Z_STREAM_END) {
      if (consumed == len) break; /* the whole input was one or more complete members */
      /* gzip allows several members back to back; anything else after a member means the
       * file is not what it claims, so refuse it rather than ignore the tail. */
      if (bg_is_gzip(buf + consumed, len - consumed)) {
        if (inflateReset(&zs) != Z_OK) {
          rc = bg_err_set(err, BG_E_FORMAT, "%s: zlib reset failed at offset %zu", name,
                          consumed);
          break;
        }
        continue;
      }
      rc = bg_err_set(err, BG_E_FORMAT,
                      "%s: %zu trailing bytes at offset %zu: expected the gzip stream to end "
                      "there or another gzip member (1f 8b) to start, found byte 0x%02x",
                      name, len - consumed, consumed, buf[consumed]);
      break;
    }
    if (zr == Z_OK) continue;
    if (zr == Z_BUF_ERROR && zs.avail_in == 0 && in_pos == len) {
      rc = bg_err_set(err, BG_E_FORMAT,
                      "%s: truncated gzip stream: the compressed data ends at offset %zu before "
                      "the end of the stream (%zu bytes decompressed so far)", name, len, pos);
      break;
    }
    if (zr == Z_MEM_ERROR) {
      rc = bg_err_set(err, BG_E_NOMEM, "%s: zlib out of memory", name);
      break;
    }
    rc = bg_err_set(err, BG_E_FORMAT, "%s: corrupt gzip stream near compressed offset %zu: %s",
                    name, consumed, zs.msg != NULL ? zs.msg : "invalid data");
    break;
  }
  inflateEnd(&zs);
  if (rc != BG_OK) {
    free(dst);
    return rc;
  }
  /* Give back the slack of a generous first guess; keep at least one byte so the buffer is a
   * real allocation even for an empty stream. */
  uint8_t *shrunk = realloc(dst, pos > 0 ? pos : 1);
  *out = shrunk != NULL ? shrunk : dst;
  *out_len = pos;
  return BG_OK;
}
