/* SPDX-License-Identifier: Apache-2.0 */
/* Checkpoint container: atomic writer, whole-file verifier, section lookup. */
#include "bg_ckpt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "bg_file.h"

#define BG_CKPT_HDR 20u  /* magic, version, net_hash, count */
#define BG_CKPT_SEC 20u  /* tag, length, CRC-32 */
#define BG_CKPT_TRL 4u   /* trailer CRC-32 */

static const uint8_t bg_ckpt_magic[8] = {'B', 'G', 'C', 'K', 'P', 'T', '\r', '\n'};

struct bg_ckpt {
  uint8_t *buf; /* the whole verified file */
  uint32_t net_hash;
  int n;
  struct {
    char tag[BG_CKPT_TAG_LEN + 1];
    size_t off; /* of the data in buf */
    uint64_t len;
  } sec[BG_CKPT_MAX_SECTIONS];
  char name[]; /* for messages */
};

static uint32_t bg_le32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t bg_le64(const uint8_t *p) { return bg_le32(p) | (uint64_t)bg_le32(p + 4) << 32; }

/* zlib counts in uInt; every length here is at most 1 GiB, so the cast cannot cut it. */
static uint32_t bg_crc(uint32_t crc, const void *p, uint64_t len) {
  return (uint32_t)crc32(crc, len ? (const Bytef *)p : Z_NULL, (uInt)len);
}

/* Length of the tag in t[0..max) if it is 1..8 characters of [a-z0-9_] followed by nothing but
 * NUL bytes (t need not be a C string: it may come from the file), else 0. */
static size_t bg_tag_len(const char *t, size_t max) {
  size_t n = 0;
  while (n < max && t[n] != '\0') {
    char ch = t[n++];
    if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) return 0;
  }
  for (size_t i = n; i < max; i++)
    if (t[i] != '\0') return 0;
  return n <= BG_CKPT_TAG_LEN ? n : 0;
}

/* A tag's 8 bytes quoted for a message, non-printable bytes as \xNN. out: 40 bytes. */
static const char *bg_tag_show(const uint8_t *t, char *out) {
  char *o = out;
  for (int i = 0; i < BG_CKPT_TAG_LEN; i++)
    o += sprintf(o, t[i] >= 0x20 && t[i] < 0x7f ? "%c" : "\\x%02x", t[i]);
  return out;
}

/* Verify buf; fill c's table (offsets into buf). Every read is preceded by a bounds check
 * against len, so no input can make it read outside the buffer. */
static int bg_ckpt_check(const uint8_t *b, size_t len, const char *nm, uint32_t expect_hash,
                         bg_ckpt_t *c, bg_err_t *err) {
  char show[40];
  if ((uint64_t)len > BG_CKPT_MAX_FILE)
    return bg_err_set(err, BG_E_RANGE, "%s: offset 0: expected at most %llu bytes, found %zu",
                      nm, (unsigned long long)BG_CKPT_MAX_FILE, len);
  size_t m = len < 8 ? len : 8;
  if (memcmp(b, bg_ckpt_magic, m) != 0) {
    uint8_t got[8] = {0};
    memcpy(got, b, m);
    return bg_err_set(err, BG_E_FORMAT,
                      "%s: offset 0: expected the checkpoint magic \"BGCKPT\\r\\n\", found \"%s\"",
                      nm, bg_tag_show(got, show));
  }
  if (len < BG_CKPT_HDR + BG_CKPT_TRL)
    return bg_err_set(err, BG_E_FORMAT,
                      "%s: offset %zu: truncated: expected at least %u bytes (header and "
                      "trailer), found %zu", nm, len, BG_CKPT_HDR + BG_CKPT_TRL, len);
  uint32_t ver = bg_le32(b + 8), count = bg_le32(b + 16);
  if (ver != BG_CKPT_VERSION)
    return bg_err_set(err, BG_E_FORMAT, "%s: offset 8: expected version %u, found %u", nm,
                      BG_CKPT_VERSION, ver);
  if (count > BG_CKPT_MAX_SECTIONS)
    return bg_err_set(err, BG_E_FORMAT, "%s: offset 16: expected at most %d sections, found %u",
                      nm, BG_CKPT_MAX_SECTIONS, count);
  size_t p = BG_CKPT_HDR;
  for (uint32_t i = 0; i < count; i++) {
    /* Invariant: p + BG_CKPT_TRL <= len. */
    if (len - p < BG_CKPT_SEC + BG_CKPT_TRL)
      return bg_err_set(err, BG_E_FORMAT,
                        "%s: offset %zu: truncated: expected at least %zu bytes (header of "
                        "section %u of %u, trailer), found %zu", nm, len,
                        p + BG_CKPT_SEC + BG_CKPT_TRL, i + 1, count, len);
    if (bg_tag_len((const char *)b + p, BG_CKPT_TAG_LEN) == 0)
      return bg_err_set(err, BG_E_FORMAT,
                        "%s: offset %zu: expected a tag of 1..8 characters [a-z0-9_] padded "
                        "with NUL bytes, found \"%s\"", nm, p, bg_tag_show(b + p, show));
    memcpy(c->sec[i].tag, b + p, BG_CKPT_TAG_LEN);
    c->sec[i].tag[BG_CKPT_TAG_LEN] = '\0';
    for (uint32_t j = 0; j < i; j++)
      if (strcmp(c->sec[j].tag, c->sec[i].tag) == 0)
        return bg_err_set(err, BG_E_FORMAT,
                          "%s: offset %zu: expected a new tag, found duplicate tag '%s' (first "
                          "at offset %zu)", nm, p, c->sec[i].tag,
                          c->sec[j].off - BG_CKPT_SEC);
    uint64_t slen = bg_le64(b + p + 8);
    size_t room = len - p - BG_CKPT_SEC - BG_CKPT_TRL;
    if (slen > room) {
      uint64_t need = (uint64_t)len - room; /* = p + header + trailer; saturate below */
      need = slen <= UINT64_MAX - need ? need + slen : UINT64_MAX;
      return bg_err_set(err, BG_E_FORMAT,
                        "%s: offset %zu: section '%s' of %llu bytes runs past the end of the "
                        "file: expected a file of at least %llu bytes, found %zu", nm, p + 8,
                        c->sec[i].tag, (unsigned long long)slen, (unsigned long long)need, len);
    }
    uint32_t want = bg_le32(b + p + 16), got = bg_crc(0, b + p + BG_CKPT_SEC, slen);
    if (want != got)
      return bg_err_set(err, BG_E_FORMAT,
                        "%s: offset %zu: section '%s' CRC-32 mismatch: expected 0x%08x (computed "
                        "from its %llu data bytes), found 0x%08x", nm, p + 16, c->sec[i].tag, got,
                        (unsigned long long)slen, want);
    c->sec[i].off = p + BG_CKPT_SEC;
    c->sec[i].len = slen;
    p += BG_CKPT_SEC + (size_t)slen;
  }
  uint32_t want = bg_le32(b + p), got = bg_crc(0, b, p);
  if (want != got)
    return bg_err_set(err, BG_E_FORMAT,
                      "%s: offset %zu: trailer CRC-32 mismatch: expected 0x%08x (computed from "
                      "the %zu bytes before it), found 0x%08x", nm, p, got, p, want);
  if (len - p > BG_CKPT_TRL)
    return bg_err_set(err, BG_E_FORMAT,
                      "%s: offset %zu: %zu trailing bytes: expected the file to end after the "
                      "trailer (%zu bytes in all), found %zu bytes", nm, p + BG_CKPT_TRL,
                      len - p - BG_CKPT_TRL, p + BG_CKPT_TRL, len);
  c->net_hash = bg_le32(b + 12);
  if (c->net_hash != expect_hash)
    return bg_err_set(err, BG_E_RANGE,
                      "%s: offset 12: expected network description hash 0x%08x, found 0x%08x "
                      "(the checkpoint belongs to another description)", nm, expect_hash,
                      c->net_hash);
  c->n = (int)count;
  return BG_OK;
}

/* Verify buf and, on success, keep it in a new bg_ckpt_t: owned (== buf, malloc'd) is taken
 * over and freed on failure; when owned is NULL, buf is copied. */
static int bg_ckpt_build(const uint8_t *buf, uint8_t *owned, size_t len, const char *name,
                         uint32_t expect_hash, bg_ckpt_t **out, bg_err_t *err) {
  const char *nm = name != NULL ? name : "<memory>";
  bg_ckpt_t *c = calloc(1, sizeof *c + strlen(nm) + 1);
  int rc = c != NULL ? bg_ckpt_check(buf, len, nm, expect_hash, c, err)
                     : bg_err_set(err, BG_E_NOMEM, "%s: cannot allocate the checkpoint", nm);
  if (rc == BG_OK) {
    strcpy(c->name, nm);
    c->buf = owned != NULL ? owned : malloc(len > 0 ? len : 1);
    if (c->buf == NULL)
      rc = bg_err_set(err, BG_E_NOMEM, "%s: cannot allocate %zu bytes", nm, len);
    else if (owned == NULL && len > 0)
      memcpy(c->buf, buf, len);
  }
  if (rc != BG_OK) {
    free(owned);
    free(c);
    c = NULL;
  }
  *out = c;
  return rc;
}

int bg_ckpt_parse(const uint8_t *buf, size_t len, const char *name_for_errors,
                  uint32_t expect_hash, bg_ckpt_t **out, bg_err_t *err) {
  if (out == NULL) return bg_err_set(err, BG_E_ARG, "bg_ckpt_parse: invalid argument");
  *out = NULL;
  if (buf == NULL && len > 0) return bg_err_set(err, BG_E_ARG, "bg_ckpt_parse: NULL buffer");
  static const uint8_t empty[1] = {0};
  return bg_ckpt_build(buf != NULL ? buf : empty, NULL, len, name_for_errors, expect_hash, out,
                       err);
}

int bg_ckpt_read(const char *path, uint32_t expect_hash, bg_ckpt_t **out, bg_err_t *err) {
  if (out == NULL || path == NULL) return bg_err_set(err, BG_E_ARG, "bg_ckpt_read: NULL argument");
  *out = NULL;
  uint8_t *buf = NULL;
  size_t len = 0;
  int rc = bg_read_file(path, (size_t)BG_CKPT_MAX_FILE, &buf, &len, err);
  if (rc != BG_OK) return rc;
  return bg_ckpt_build(buf, buf, len, path, expect_hash, out, err);
}

int bg_ckpt_get(const bg_ckpt_t *c, const char *tag, uint64_t want_len, const void **data,
                uint64_t *len, bg_err_t *err) {
  if (data != NULL) *data = NULL;
  if (len != NULL) *len = 0;
  if (c == NULL || tag == NULL) return bg_err_set(err, BG_E_ARG, "bg_ckpt_get: NULL argument");
  for (int i = 0; i < c->n; i++) {
    if (strcmp(c->sec[i].tag, tag) != 0) continue;
    if (want_len != BG_CKPT_ANY_LEN && want_len != c->sec[i].len)
      return bg_err_set(err, BG_E_FORMAT, "%s: section '%s': expected %llu bytes, found %llu",
                        c->name, tag, (unsigned long long)want_len,
                        (unsigned long long)c->sec[i].len);
    if (data != NULL) *data = c->buf + c->sec[i].off;
    if (len != NULL) *len = c->sec[i].len;
    return BG_OK;
  }
  return bg_err_set(err, BG_E_FORMAT, "%s: section '%.40s' missing", c->name, tag);
}

uint32_t bg_ckpt_net_hash(const bg_ckpt_t *c) { return c != NULL ? c->net_hash : 0; }

void bg_ckpt_free(bg_ckpt_t *c) {
  if (c == NULL) return;
  free(c->buf);
  free(c);
}

/* ---- Writer ---- */

typedef struct {
  FILE *f;
  uint32_t crc; /* of everything written so far: becomes the trailer */
  int errnum;   /* first write error, 0 if none */
} bg_ckpt_out_t;

static void bg_out(bg_ckpt_out_t *o, const void *p, uint64_t n) {
  if (o->errnum != 0 || n == 0) return;
  o->crc = bg_crc(o->crc, p, n);
  errno = 0;
  if (fwrite(p, 1, (size_t)n, o->f) != (size_t)n) o->errnum = errno != 0 ? errno : EIO;
}

static void bg_out_le(bg_ckpt_out_t *o, uint64_t v, int bytes) {
  uint8_t b[8];
  for (int i = 0; i < bytes; i++) b[i] = (uint8_t)(v >> (8 * i));
  bg_out(o, b, (uint64_t)bytes);
}

/* fsync the directory holding path (tmp: a buffer as long as path), so that the rename itself
 * survives a crash. Returns 0 or an errno value. */
static int bg_fsync_dir(const char *path, char *tmp) {
  const char *slash = strrchr(path, '/');
  size_t n = slash == NULL ? 1 : slash == path ? 1 : (size_t)(slash - path);
  memcpy(tmp, slash == NULL ? "." : path, n);
  tmp[n] = '\0';
  int fd = open(tmp, O_RDONLY | O_DIRECTORY);
  int e = fd < 0 || fsync(fd) != 0 ? errno : 0;
  if (fd >= 0) close(fd);
  return e;
}

int bg_ckpt_write(const char *path, uint32_t net_hash, const bg_ckpt_section_t *secs, int n,
                  bg_err_t *err) {
  if (path == NULL || n < 0 || n > BG_CKPT_MAX_SECTIONS || (n > 0 && secs == NULL))
    return bg_err_set(err, BG_E_ARG, "%s: bg_ckpt_write: expected a path and 0..%d sections, "
                      "found %d", path != NULL ? path : "(no path)", BG_CKPT_MAX_SECTIONS, n);
  uint64_t total = BG_CKPT_HDR + BG_CKPT_TRL;
  for (int i = 0; i < n; i++) {
    const bg_ckpt_section_t *s = &secs[i];
    if (bg_tag_len(s->tag, strnlen(s->tag, sizeof s->tag)) == 0)
      return bg_err_set(err, BG_E_ARG,
                        "%s: section %d: expected a tag of 1..8 characters [a-z0-9_], found "
                        "\"%.*s\"", path, i, (int)sizeof s->tag, s->tag);
    for (int j = 0; j < i; j++)
      if (strcmp(secs[j].tag, s->tag) == 0)
        return bg_err_set(err, BG_E_ARG, "%s: section %d: duplicate tag '%s'", path, i, s->tag);
    if (s->data == NULL && s->len > 0)
      return bg_err_set(err, BG_E_ARG, "%s: section '%s': NULL data for %llu bytes", path,
                        s->tag, (unsigned long long)s->len);
    if (s->len > BG_CKPT_MAX_FILE || (total += BG_CKPT_SEC + s->len) > BG_CKPT_MAX_FILE)
      return bg_err_set(err, BG_E_RANGE, "%s: section '%s': the checkpoint would exceed %llu "
                        "bytes", path, s->tag, (unsigned long long)BG_CKPT_MAX_FILE);
  }
  size_t plen = strlen(path);
  char *tmp = malloc(plen + sizeof ".tmp-XXXXXX");
  if (tmp == NULL) return bg_err_set(err, BG_E_NOMEM, "%s: cannot allocate a path", path);
  memcpy(tmp, path, plen);
  memcpy(tmp + plen, ".tmp-XXXXXX", sizeof ".tmp-XXXXXX");
  int fd = mkstemp(tmp);
  if (fd < 0) {
    int e = errno;
    free(tmp);
    return bg_err_set(err, BG_E_IO, "%s: cannot create a temporary file beside it: %s", path,
                      strerror(e));
  }
  bg_ckpt_out_t o = {fdopen(fd, "wb"), 0, 0};
  const char *step = "write";
  if (o.f == NULL) {
    o.errnum = errno;
    close(fd);
    step = "open";
  } else {
    bg_out(&o, bg_ckpt_magic, sizeof bg_ckpt_magic);
    bg_out_le(&o, BG_CKPT_VERSION, 4);
    bg_out_le(&o, net_hash, 4);
    bg_out_le(&o, (uint64_t)n, 4);
    for (int i = 0; i < n; i++) {
      uint8_t tag[BG_CKPT_TAG_LEN] = {0};
      memcpy(tag, secs[i].tag, strlen(secs[i].tag));
      bg_out(&o, tag, sizeof tag);
      bg_out_le(&o, secs[i].len, 8);
      bg_out_le(&o, bg_crc(0, secs[i].data, secs[i].len), 4);
      bg_out(&o, secs[i].data, secs[i].len);
    }
    bg_out_le(&o, o.crc, 4);
    if (o.errnum == 0 && fflush(o.f) != 0) o.errnum = errno;
    if (o.errnum == 0 && fsync(fileno(o.f)) != 0) {
      o.errnum = errno;
      step = "fsync";
    }
    if (fclose(o.f) != 0 && o.errnum == 0) o.errnum = errno; /* a delayed write error */
  }
  if (o.errnum == 0 && rename(tmp, path) != 0) {
    o.errnum = errno;
    step = "rename";
  }
  int rc = BG_OK, e;
  if (o.errnum != 0) {
    unlink(tmp);
    rc = bg_err_set(err, BG_E_IO, "%s: cannot %s the temporary file %s: %s; the previous file, "
                    "if any, is unchanged", path, step, tmp, strerror(o.errnum));
  } else if ((e = bg_fsync_dir(path, tmp)) != 0) {
    rc = bg_err_set(err, BG_E_IO, "%s: written and renamed, but fsync of its directory failed: "
                    "%s", path, strerror(e));
  }
  free(tmp);
  return rc;
}
