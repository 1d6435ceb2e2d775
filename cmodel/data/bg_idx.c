/* SPDX-License-Identifier: Apache-2.0 */
/* IDX reader: header checks, exact-length data, gzip detection. */
#include "bg_idx.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bg_file.h"

/* What an IDX file may be at most, before or after decompression. */
#define BG_IDX_MAX_FILE (BG_IDX_MAX_DATA + BG_IDX_MAX_HEADER)

static const char *bg_idx_type_name(uint8_t t) {
  switch (t) {
    case 0x08: return "unsigned byte";
    case 0x09: return "signed byte";
    case 0x0B: return "int16";
    case 0x0C: return "int32";
    case 0x0D: return "float32";
    case 0x0E: return "float64";
    default: return "not an IDX type";
  }
}

static uint32_t bg_be32(const uint8_t *p) {
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* Validate the header against len and fill hdr (everything but data) and *hdr_len. */
static int bg_idx_check(const uint8_t *buf, size_t len, const char *name, bg_idx_t *hdr,
                        size_t *hdr_len, bg_err_t *err) {
  memset(hdr, 0, sizeof *hdr);
  if (len < 4)
    return bg_err_set(err, BG_E_FORMAT,
                      "%s: header truncated: expected at least 4 bytes (magic 00 00, type, "
                      "dimension count), found %zu", name, len);
  if (buf[0] != 0 || buf[1] != 0)
    return bg_err_set(err, BG_E_FORMAT,
                      "%s: offset 0: expected IDX magic bytes 00 00, found %02x %02x", name,
                      buf[0], buf[1]);
  if (buf[2] != BG_IDX_TYPE_UBYTE)
    return bg_err_set(err, BG_E_FORMAT,
                      "%s: offset 2: expected data type 0x08 (unsigned byte), found 0x%02x (%s), "
                      "which is not supported", name, buf[2], bg_idx_type_name(buf[2]));
  uint32_t nd = buf[3];
  if (nd < 1 || nd > BG_IDX_MAX_DIMS)
    return bg_err_set(err, BG_E_FORMAT, "%s: offset 3: expected 1..%d dimensions, found %u",
                      name, BG_IDX_MAX_DIMS, nd);
  size_t h = 4 + 4 * (size_t)nd;
  if (len < h)
    return bg_err_set(err, BG_E_FORMAT,
                      "%s: header truncated: expected %zu header bytes for %u dimensions, found "
                      "%zu", name, h, nd, len);
  /* Multiply with a division check at each step: four uint32 dimensions can overflow even 64
   * bits, and the limit keeps allocation sizes sane on any platform. */
  size_t count = 1;
  for (uint32_t i = 0; i < nd; i++) {
    size_t off = 4 + 4 * (size_t)i;
    uint32_t d = bg_be32(buf + off);
    if (d == 0)
      return bg_err_set(err, BG_E_FORMAT, "%s: offset %zu: expected dimension %u >= 1, found 0",
                        name, off, i);
    if (count > BG_IDX_MAX_DATA / d)
      return bg_err_set(err, BG_E_RANGE,
                        "%s: offset %zu: dimension %u is %u, which makes the data larger than "
                        "the limit of %zu bytes", name, off, i, d, BG_IDX_MAX_DATA);
    count *= d;
    hdr->dims[i] = d;
  }
  size_t have = len - h;
  if (have < count)
    return bg_err_set(err, BG_E_FORMAT,
                      "%s: truncated data: expected %zu bytes after the header at offset %zu, "
                      "found %zu", name, count, h, have);
  if (have > count)
    return bg_err_set(err, BG_E_FORMAT,
                      "%s: %zu trailing bytes at offset %zu: expected the file to end after %zu "
                      "data bytes (%zu bytes in all), found %zu bytes", name, have - count,
                      h + count, count, h + count, len);
  hdr->type = buf[2];
  hdr->ndims = nd;
  hdr->count = count;
  *hdr_len = h;
  return BG_OK;
}

int bg_idx_parse(const uint8_t *buf, size_t len, const char *name_for_errors, bg_idx_t *out,
                 bg_err_t *err) {
  const char *name = name_for_errors != NULL ? name_for_errors : "<memory>";
  if (out == NULL || (buf == NULL && len > 0))
    return bg_err_set(err, BG_E_ARG, "%s: bg_idx_parse: invalid argument", name);
  memset(out, 0, sizeof *out);
  bg_idx_t hdr;
  size_t h = 0;
  int rc = bg_idx_check(buf, len, name, &hdr, &h, err);
  if (rc != BG_OK) return rc;
  hdr.data = malloc(hdr.count);
  if (hdr.data == NULL)
    return bg_err_set(err, BG_E_NOMEM, "%s: cannot allocate %zu bytes", name, hdr.count);
  memcpy(hdr.data, buf + h, hdr.count);
  *out = hdr;
  return BG_OK;
}

/* Parse a malloc'd buffer and keep it as the data (moving the payload over the header) rather
 * than copying: the 47 MB training images then cost one allocation, not two. Always takes
 * ownership of buf. */
static int bg_idx_adopt(uint8_t *buf, size_t len, const char *name, bg_idx_t *out,
                        bg_err_t *err) {
  bg_idx_t hdr;
  size_t h = 0;
  int rc = bg_idx_check(buf, len, name, &hdr, &h, err);
  if (rc != BG_OK) {
    free(buf);
    return rc;
  }
  memmove(buf, buf + h, hdr.count);
  uint8_t *shrunk = realloc(buf, hdr.count);
  hdr.data = shrunk != NULL ? shrunk : buf;
  *out = hdr;
  return BG_OK;
}

/* Decompress and adopt; the name in offset messages says the offsets are past decompression. */
static int bg_idx_from_gzip(const uint8_t *buf, size_t len, const char *name, bg_idx_t *out,
                            bg_err_t *err) {
  uint8_t *raw = NULL;
  size_t raw_len = 0;
  int rc = bg_gunzip(buf, len, name, BG_IDX_MAX_FILE, &raw, &raw_len, err);
  if (rc != BG_OK) return rc;
  char dname[1200];
  snprintf(dname, sizeof dname, "%s (decompressed)", name);
  return bg_idx_adopt(raw, raw_len, dname, out, err);
}

int bg_idx_decode(const uint8_t *buf, size_t len, const char *name_for_errors, bg_idx_t *out,
                  bg_err_t *err) {
  const char *name = name_for_errors != NULL ? name_for_errors : "<memory>";
  if (out == NULL || (buf == NULL && len > 0))
    return bg_err_set(err, BG_E_ARG, "%s: bg_idx_decode: invalid argument", name);
  memset(out, 0, sizeof *out);
  if (bg_is_gzip(buf, len)) return bg_idx_from_gzip(buf, len, name, out, err);
  return bg_idx_parse(buf, len, name, out, err);
}

int bg_idx_load(const char *path, bg_idx_t *out, bg_err_t *err) {
  if (out == NULL || path == NULL) return bg_err_set(err, BG_E_ARG, "bg_idx_load: NULL argument");
  memset(out, 0, sizeof *out);
  uint8_t *buf = NULL;
  size_t len = 0;
  int rc = bg_read_file(path, BG_IDX_MAX_FILE, &buf, &len, err);
  if (rc != BG_OK) return rc;
  if (bg_is_gzip(buf, len)) {
    rc = bg_idx_from_gzip(buf, len, path, out, err);
    free(buf);
    return rc;
  }
  return bg_idx_adopt(buf, len, path, out, err);
}

void bg_idx_free(bg_idx_t *idx) {
  if (idx == NULL) return;
  free(idx->data);
  memset(idx, 0, sizeof *idx);
}
