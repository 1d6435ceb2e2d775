/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target for the checkpoint container. Each input is verified twice: as given (so
 * every rejection path is reached), and after a repair step that recomputes the section CRCs
 * and the trailer (so mutated structure still reaches the accept path instead of dying at a
 * CRC). An accepted file must refuse any other hash, give back every section through
 * bg_ckpt_get, and survive bg_ckpt_write + bg_ckpt_read byte for byte (the format has exactly
 * one encoding of a given content). Any crash, sanitizer report or broken invariant is a bug. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "bg_ckpt.h"
#include "bg_file.h"

static char dir[256], path[4096]; /* the rewrite target, in a private directory made once */

static void bg_require(int cond) {
  if (!cond) abort();
}

static uint32_t le32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* Fix magic, version, section CRCs and trailer in place, dropping bytes after the trailer.
 * Returns the new length, or 0 when the section lengths do not fit in the buffer. */
static size_t repair(uint8_t *b, size_t len) {
  if (len < 24) return 0;
  memcpy(b, "BGCKPT\r\n", 8);
  put32(b + 8, 1);
  uint32_t count = le32(b + 16) % 65;
  put32(b + 16, count);
  size_t p = 20;
  for (uint32_t i = 0; i < count; i++) {
    if (len - p < 24) return 0;
    uint64_t slen = (uint64_t)le32(b + p + 8) | (uint64_t)le32(b + p + 12) << 32;
    if (slen > len - p - 24) return 0;
    put32(b + p + 16, (uint32_t)crc32(0, b + p + 20, (uInt)slen));
    p += 20 + (size_t)slen;
  }
  put32(b + p, (uint32_t)crc32(0, b, (uInt)p));
  return p + 4;
}

/* data (size bytes) was accepted as c for hash: check everything a caller relies on. */
static void check_accepted(const uint8_t *data, size_t size, uint32_t hash, bg_ckpt_t *c) {
  bg_err_t err;
  bg_ckpt_t *other = NULL;
  bg_require(bg_ckpt_net_hash(c) == hash);
  bg_require(bg_ckpt_parse(data, size, "fuzz", hash ^ 1u, &other, &err) == BG_E_RANGE &&
             other == NULL);
  /* Walk the (now known valid) bytes for the tags, and fetch each section by tag. */
  uint32_t n = le32(data + 16);
  bg_ckpt_section_t secs[BG_CKPT_MAX_SECTIONS];
  size_t p = 20;
  for (uint32_t i = 0; i < n; i++) {
    memset(secs[i].tag, 0, sizeof secs[i].tag);
    memcpy(secs[i].tag, data + p, BG_CKPT_TAG_LEN);
    uint64_t slen = (uint64_t)le32(data + p + 8) | (uint64_t)le32(data + p + 12) << 32;
    const void *d = NULL;
    uint64_t got = 0;
    bg_require(bg_ckpt_get(c, secs[i].tag, slen, &d, &got, &err) == 0 && got == slen);
    bg_require(d != NULL && memcmp(d, data + p + 20, (size_t)slen) == 0);
    const void *none = data;
    bg_require(bg_ckpt_get(c, secs[i].tag, slen + 1, &none, NULL, &err) == BG_E_FORMAT &&
               none == NULL);
    secs[i].data = d;
    secs[i].len = slen;
    p += 20 + (size_t)slen;
  }
  bg_require(p + 4 == size);
  bg_require(bg_ckpt_get(c, "zz_absent", BG_CKPT_ANY_LEN, NULL, NULL, &err) == BG_E_FORMAT);

  if (bg_ckpt_write(path, hash, secs, (int)n, &err) != 0) {
    fprintf(stderr, "rewrite failed: %s\n", err.msg);
    abort();
  }
  uint8_t *back = NULL;
  size_t back_len = 0;
  bg_require(bg_read_file(path, 1 << 20, &back, &back_len, &err) == 0);
  bg_require(back_len == size && memcmp(back, data, size) == 0);
  free(back);
  bg_require(bg_ckpt_read(path, hash, &other, &err) == 0 && bg_ckpt_net_hash(other) == hash);
  bg_ckpt_free(other);
}

static void cleanup(void) {
  unlink(path);
  rmdir(dir);
}

static void one(const uint8_t *data, size_t size) {
  uint32_t hash = size >= 16 ? le32(data + 12) : 0;
  bg_ckpt_t *c = NULL;
  bg_err_t err;
  err.msg[0] = '\0';
  int rc = bg_ckpt_parse(data, size, "fuzz", hash, &c, &err);
  if (rc != 0) {
    bg_require(rc < 0 && c == NULL && strncmp(err.msg, "fuzz: ", 6) == 0);
    bg_require(memchr(err.msg, '\0', sizeof err.msg) != NULL);
    return;
  }
  bg_require(c != NULL);
  check_accepted(data, size, hash, c);
  bg_ckpt_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (path[0] == '\0') {
    struct stat st;
    const char *base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) &&
                               access("/dev/shm", W_OK) == 0 ? "/dev/shm" : getenv("TMPDIR");
    snprintf(dir, sizeof dir, "%s/bg-fuzz-ckpt-XXXXXX", base != NULL ? base : "/tmp");
    bg_require(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/rewrite.ckpt", dir);
    atexit(cleanup);
  }
  one(data, size);
  uint8_t *copy = malloc(size > 0 ? size : 1);
  bg_require(copy != NULL);
  if (size > 0) memcpy(copy, data, size);
  size_t len = repair(copy, size);
  if (len > 0) one(copy, len);
  free(copy);
  return 0;
}
