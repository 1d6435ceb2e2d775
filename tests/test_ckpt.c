/* SPDX-License-Identifier: Apache-2.0 */
/* Checkpoint container: the byte layout, round trips, section lookup, every rejection (each
 * truncation and each single-bit flip of a small file), and the atomic writer's promises (no
 * temporary file left behind, the previous file untouched on failure). Files go to a private
 * temp dir. */
#include <dirent.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <zlib.h>

#include "bg_ckpt.h"
#include "bg_file.h"
#include "bg_test.h"
#include "bg_test_files.h"

#define HASH 0x12345678u

static char tmp[4096];
static uint8_t weights[40], rng[16], counters[8];

static int sample_secs(bg_ckpt_section_t *s) {
  for (int i = 0; i < 40; i++) weights[i] = (uint8_t)(i * 13 + 1);
  for (int i = 0; i < 16; i++) rng[i] = (uint8_t)(0xA0 + i);
  for (int i = 0; i < 8; i++) counters[i] = (uint8_t)(i == 0 ? 7 : 0);
  bg_ckpt_section_t v[4] = {{"weights", weights, 40}, {"rng_0", rng, 16}, {"empty", NULL, 0},
                            {"counters", counters, 8}};
  memcpy(s, v, sizeof v);
  return 4;
}

/* A small checkpoint's bytes (two sections, one empty), written by the library. */
static size_t small_file(uint8_t *out, size_t cap) {
  static const uint8_t w[5] = {1, 2, 3, 4, 5};
  bg_ckpt_section_t s[2] = {{"w", w, 5}, {"z", NULL, 0}};
  char path[4096];
  bg_err_t err = {""};
  uint8_t *buf = NULL;
  size_t len = 0;
  if (bg_ckpt_write(bg_tf_join(path, tmp, "small.ckpt"), HASH, s, 2, &err) != 0 ||
      bg_read_file(path, cap, &buf, &len, &err) != 0 || len > cap) {
    printf("FAIL test setup: small checkpoint: %s\n", err.msg);
    exit(1);
  }
  memcpy(out, buf, len);
  free(buf);
  return len;
}

/* Entries of dir other than . and .. (the names of up to 8 are kept in names, '|'-joined). */
static int dir_entries(const char *dir, char *names, size_t size) {
  DIR *d = opendir(dir);
  int n = 0;
  names[0] = '\0';
  if (d == NULL) return -1;
  struct dirent *de;
  while ((de = readdir(d)) != NULL) {
    if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0) continue;
    if (n++ < 8) {
      strncat(names, de->d_name, size - strlen(names) - 1);
      strncat(names, "|", size - strlen(names) - 1);
    }
  }
  closedir(d);
  return n;
}

static int same_file(const char *path, const uint8_t *want, size_t want_len) {
  uint8_t *buf = NULL;
  size_t len = 0;
  bg_err_t err = {""};
  BG_CHECK(bg_read_file(path, 1 << 20, &buf, &len, &err) == 0, "%s", err.msg);
  int same = len == want_len && memcmp(buf, want, len) == 0;
  free(buf);
  BG_CHECK(same, "%s changed: %zu bytes, expected %zu", path, len, want_len);
  return 0;
}

/* Parse buf from memory; expect code and every non-NULL needle in the message. */
static int expect_error(const uint8_t *buf, size_t len, uint32_t hash, int code, const char *n1,
                        const char *n2, const char *n3) {
  bg_ckpt_t *c = (bg_ckpt_t *)&c; /* not NULL: the call must clear it */
  bg_err_t err = {""};
  int rc = bg_ckpt_parse(buf, len, "case.ckpt", hash, &c, &err);
  BG_CHECK(rc == code, "rc %d, expected %d (%s)", rc, code, err.msg);
  BG_CHECK(c == NULL, "output not NULL on error");
  BG_CHECK(strncmp(err.msg, "case.ckpt: ", 11) == 0, "message lacks the name: %s", err.msg);
  const char *needles[3] = {n1, n2, n3};
  for (int i = 0; i < 3; i++)
    BG_CHECK(needles[i] == NULL || strstr(err.msg, needles[i]) != NULL,
             "message lacks '%s': %s", needles[i], err.msg);
  return 0;
}

static void put32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

/* Recompute the trailer of a hand-edited file so that only the intended defect remains. */
static void fix_trailer(uint8_t *buf, size_t len) {
  put32(buf + len - 4, (uint32_t)crc32(0, buf, (uInt)(len - 4)));
}

static int layout_bytes(void) {
  /* Built by hand from docs/checkpoints.md: the writer must produce exactly this. */
  uint8_t want[55] = {'B', 'G', 'C', 'K', 'P', 'T', '\r', '\n', 1, 0, 0, 0, 0x04, 0x03, 0x02,
                      0x01, 1, 0, 0, 0, 'a', 'b', 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0};
  put32(want + 36, (uint32_t)crc32(0, (const Bytef *)"xyz", 3));
  memcpy(want + 40, "xyz", 3);
  fix_trailer(want, 47);
  bg_ckpt_section_t s = {"ab", "xyz", 3};
  char path[4096];
  bg_err_t err = {""};
  BG_CHECK(bg_ckpt_write(bg_tf_join(path, tmp, "layout.ckpt"), 0x01020304u, &s, 1, &err) == 0,
           "%s", err.msg);
  if (same_file(path, want, 47)) return 1;
  BG_CHECK(want[36] != 0 || want[37] != 0, "CRC of \"xyz\" is not stored");
  return 0;
}

static int roundtrip(void) {
  bg_ckpt_section_t s[4];
  int n = sample_secs(s);
  char path[4096];
  bg_err_t err = {""};
  BG_CHECK(bg_ckpt_write(bg_tf_join(path, tmp, "rt.ckpt"), HASH, s, n, &err) == 0, "%s",
           err.msg);
  bg_ckpt_t *c = NULL;
  BG_CHECK(bg_ckpt_read(path, HASH, &c, &err) == 0 && c != NULL, "%s", err.msg);
  BG_CHECK(bg_ckpt_net_hash(c) == HASH, "hash 0x%08x", bg_ckpt_net_hash(c));
  for (int i = 0; i < n; i++) {
    const void *d = NULL;
    uint64_t len = 99;
    int rc = bg_ckpt_get(c, s[i].tag, s[i].len, &d, &len, &err);
    if (rc != 0 || len != s[i].len || d == NULL ||
        (len > 0 && memcmp(d, s[i].data, (size_t)len) != 0)) {
      bg_ckpt_free(c);
      BG_CHECK(0, "section '%s': rc %d len %llu (%s)", s[i].tag, rc, (unsigned long long)len,
               err.msg);
    }
  }
  bg_ckpt_free(c);
  /* Zero sections is a valid checkpoint too; rewriting over an existing file replaces it. */
  BG_CHECK(bg_ckpt_write(path, 7, NULL, 0, &err) == 0, "%s", err.msg);
  BG_CHECK(bg_ckpt_read(path, 7, &c, &err) == 0, "%s", err.msg);
  int rc = bg_ckpt_get(c, "weights", BG_CKPT_ANY_LEN, NULL, NULL, &err);
  bg_ckpt_free(c);
  BG_CHECK(rc == BG_E_FORMAT, "old section still present after rewrite");
  bg_ckpt_free(NULL);
  return 0;
}

static int get_checks(void) {
  bg_ckpt_section_t s[4];
  int n = sample_secs(s);
  char path[4096];
  bg_err_t err = {""};
  bg_ckpt_t *c = NULL;
  BG_CHECK(bg_ckpt_write(bg_tf_join(path, tmp, "get.ckpt"), HASH, s, n, &err) == 0 &&
               bg_ckpt_read(path, HASH, &c, &err) == 0, "%s", err.msg);
  const void *d = &d;
  uint64_t len = 99;
  int r1 = bg_ckpt_get(c, "weights", 41, &d, &len, &err);
  int f1 = r1 == BG_E_FORMAT && d == NULL && len == 0 && strstr(err.msg, path) == err.msg &&
           strstr(err.msg, "section 'weights': expected 41 bytes, found 40") != NULL;
  char msg1[2048];
  snprintf(msg1, sizeof msg1, "%s", err.msg);
  int r2 = bg_ckpt_get(c, "nope", BG_CKPT_ANY_LEN, &d, &len, &err);
  char want[4200];
  snprintf(want, sizeof want, "%s: section 'nope' missing", path);
  int f2 = r2 == BG_E_FORMAT && d == NULL && strcmp(err.msg, want) == 0;
  int r3 = bg_ckpt_get(c, "weight", BG_CKPT_ANY_LEN, &d, &len, &err); /* no prefix matching */
  int r4 = bg_ckpt_get(c, "empty", 0, &d, &len, &err);
  int f4 = r4 == 0 && d != NULL && len == 0;
  int r5 = bg_ckpt_get(c, "counters", BG_CKPT_ANY_LEN, &d, &len, &err);
  int f5 = r5 == 0 && len == 8 && ((const uint8_t *)d)[0] == 7;
  int r6 = bg_ckpt_get(c, NULL, 0, &d, &len, &err);
  bg_ckpt_free(c);
  BG_CHECK(f1, "length mismatch: rc %d: %s", r1, msg1);
  BG_CHECK(f2, "missing tag: rc %d: %s", r2, err.msg);
  BG_CHECK(r3 == BG_E_FORMAT, "'weight' found as a prefix of 'weights'");
  BG_CHECK(f4, "empty section: rc %d len %llu", r4, (unsigned long long)len);
  BG_CHECK(f5, "counters: rc %d len %llu", r5, (unsigned long long)len);
  BG_CHECK(r6 == BG_E_ARG, "NULL tag: rc %d", r6);
  return 0;
}

static int truncation_every_offset(void) {
  uint8_t full[256];
  size_t len = small_file(full, sizeof full);
  BG_CHECK(len == 24 + 20 + 5 + 20, "small file is %zu bytes", len);
  char path[4096], found[64];
  bg_tf_join(path, tmp, "trunc.ckpt");
  for (size_t cut = 0; cut < len; cut++) {
    BG_CHECK(bg_tf_write(path, full, cut) == 0, "write");
    bg_ckpt_t *c = NULL;
    bg_err_t err = {""};
    int rc = bg_ckpt_read(path, HASH, &c, &err);
    BG_CHECK(rc == BG_E_FORMAT && c == NULL, "cut at %zu: rc %d (%s)", cut, rc, err.msg);
    snprintf(found, sizeof found, "found %zu", cut);
    BG_CHECK(strstr(err.msg, path) == err.msg && strstr(err.msg, "offset ") != NULL &&
                 strstr(err.msg, "expected") != NULL && strstr(err.msg, found) != NULL,
             "cut at %zu: message: %s", cut, err.msg);
  }
  /* Inside the header the message says how long the file must be at least. */
  if (expect_error(full, 12, HASH, BG_E_FORMAT, "offset 12: truncated", "at least 24 bytes",
                   "found 12"))
    return 1;
  /* Cut inside the data: the length runs past the end. */
  return expect_error(full, 46, HASH, BG_E_FORMAT, "offset 28: section 'w' of 5 bytes runs past "
                      "the end", "expected a file of at least 49 bytes", "found 46");
}

static int bitflip_every_bit(void) {
  uint8_t full[256];
  size_t len = small_file(full, sizeof full);
  bg_ckpt_t *c = NULL;
  bg_err_t err = {""};
  BG_CHECK(bg_ckpt_parse(full, len, "ok", HASH, &c, &err) == 0, "unflipped: %s", err.msg);
  bg_ckpt_free(c);
  for (size_t bit = 0; bit < len * 8; bit++) {
    full[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    c = NULL;
    err.msg[0] = '\0';
    int rc = bg_ckpt_parse(full, len, "flip", HASH, &c, &err);
    full[bit / 8] ^= (uint8_t)(1u << (bit % 8));
    /* Integrity is checked before the hash, so a flip in the hash field is corruption too. */
    BG_CHECK(rc == BG_E_FORMAT && c == NULL, "bit %zu (byte %zu): rc %d (%s)", bit, bit / 8, rc,
             err.msg);
    BG_CHECK(strncmp(err.msg, "flip: offset ", 13) == 0 && strstr(err.msg, "expected") != NULL,
             "bit %zu: message: %s", bit, err.msg);
  }
  return 0;
}

static int wrong_hash(void) {
  uint8_t full[256];
  size_t len = small_file(full, sizeof full);
  if (expect_error(full, len, HASH + 1, BG_E_RANGE, "expected network description hash "
                   "0x12345679", "found 0x12345678", "offset 12")) return 1;
  char path[4096];
  bg_ckpt_t *c = NULL;
  bg_err_t err = {""};
  int rc = bg_ckpt_read(bg_tf_join(path, tmp, "small.ckpt"), 0xdeadbeefu, &c, &err);
  BG_CHECK(rc == BG_E_RANGE && c == NULL && strstr(err.msg, "0xdeadbeef") != NULL &&
               strstr(err.msg, path) == err.msg, "rc %d: %s", rc, err.msg);
  return 0;
}

static int header_errors(void) {
  uint8_t full[256], b[256];
  size_t len = small_file(full, sizeof full);
  memcpy(b, full, len);
  b[0] = 'X';
  if (expect_error(b, len, HASH, BG_E_FORMAT, "offset 0: expected the checkpoint magic",
                   "found \"XGCKPT\\x0d\\x0a\"", NULL)) return 1;
  if (expect_error((const uint8_t *)"{\"a\":1}", 7, HASH, BG_E_FORMAT, "magic",
                   "found \"{\"a\":1}\\x00\"", NULL)) return 1;
  if (expect_error(NULL, 0, HASH, BG_E_FORMAT, "offset 0: truncated", "found 0", NULL)) return 1;
  memcpy(b, full, len);
  put32(b + 8, 2);
  if (expect_error(b, len, HASH, BG_E_FORMAT, "offset 8: expected version 1, found 2", NULL,
                   NULL)) return 1;
  memcpy(b, full, len);
  put32(b + 16, 65);
  if (expect_error(b, len, HASH, BG_E_FORMAT, "offset 16: expected at most 64 sections",
                   "found 65", NULL)) return 1;
  memcpy(b, full, len);
  memset(b + len, 0xEE, 3);
  return expect_error(b, len + 3, HASH, BG_E_FORMAT, "offset 69: 3 trailing bytes",
                      "after the trailer (69 bytes in all)", "found 72 bytes");
}

static int section_errors(void) {
  uint8_t full[256], b[256];
  size_t len = small_file(full, sizeof full);
  /* Section 'w' header at 20 (data at 40..44), section 'z' header at 45, trailer at 65. */
  memcpy(b, full, len);
  b[21] = 'Q';
  if (expect_error(b, len, HASH, BG_E_FORMAT, "offset 20: expected a tag", "found \"wQ\\x00",
                   NULL)) return 1;
  memcpy(b, full, len);
  b[22] = 'x'; /* "w\0x": a character after the padding */
  if (expect_error(b, len, HASH, BG_E_FORMAT, "offset 20", "found \"w\\x00x", NULL)) return 1;
  memcpy(b, full, len);
  b[20] = 0; /* empty tag */
  if (expect_error(b, len, HASH, BG_E_FORMAT, "offset 20: expected a tag", NULL, NULL)) return 1;
  memcpy(b, full, len);
  b[45] = 'w';
  fix_trailer(b, len);
  if (expect_error(b, len, HASH, BG_E_FORMAT, "offset 45", "duplicate tag 'w'",
                   "first at offset 20")) return 1;
  memcpy(b, full, len);
  b[42] ^= 0x10;
  if (expect_error(b, len, HASH, BG_E_FORMAT, "offset 36: section 'w' CRC-32 mismatch",
                   "(computed from its 5 data bytes), found 0x470b99f4", NULL)) return 1;
  memcpy(b, full, len);
  b[35] = 0x80; /* length 2^63 + 5 */
  if (expect_error(b, len, HASH, BG_E_FORMAT, "offset 28: section 'w' of 9223372036854775813",
                   "runs past the end", "found 69")) return 1;
  memcpy(b, full, len);
  memset(b + 28, 0xFF, 8); /* 2^64 - 1: the "expected" size saturates instead of wrapping */
  if (expect_error(b, len, HASH, BG_E_FORMAT, "runs past the end",
                   "of at least 18446744073709551615 bytes", NULL)) return 1;
  memcpy(b, full, len);
  b[len - 1] ^= 1;
  return expect_error(b, len, HASH, BG_E_FORMAT, "offset 65: trailer CRC-32 mismatch: "
                      "expected 0xf8116385 (computed from the 65 bytes before it)",
                      "found 0xf9116385", NULL);
}

static int read_errors(void) {
  char path[4096];
  bg_ckpt_t *c = (bg_ckpt_t *)&c;
  bg_err_t err = {""};
  int rc = bg_ckpt_read(bg_tf_join(path, tmp, "absent.ckpt"), HASH, &c, &err);
  BG_CHECK(rc == BG_E_IO && c == NULL && strstr(err.msg, path) == err.msg &&
               strstr(err.msg, "No such file or directory") != NULL, "rc %d: %s", rc, err.msg);
  rc = bg_ckpt_read(tmp, HASH, &c, &err);
  BG_CHECK(rc == BG_E_IO && strstr(err.msg, "directory") != NULL, "rc %d: %s", rc, err.msg);
  return 0;
}

static int write_no_dir(void) {
  char path[4096], names[512];
  bg_err_t err = {""};
  bg_ckpt_section_t s[4];
  int n = sample_secs(s);
  int before = dir_entries(tmp, names, sizeof names);
  int rc = bg_ckpt_write(bg_tf_join(path, tmp, "no/such/dir.ckpt"), HASH, s, n, &err);
  BG_CHECK(rc == BG_E_IO && strstr(err.msg, path) == err.msg &&
               strstr(err.msg, "No such file or directory") != NULL, "rc %d: %s", rc, err.msg);
  BG_CHECK(dir_entries(tmp, names, sizeof names) == before, "entries changed: %s", names);
  return 0;
}

/* A failed write must leave the previous file byte-identical and no temporary file. */
static int write_failures_keep_old(void) {
  char sub[4096], path[4096], names[512];
  bg_tf_join(sub, tmp, "keep");
  BG_CHECK(mkdir(sub, 0700) == 0, "mkdir");
  uint8_t old[256];
  size_t old_len = small_file(old, sizeof old);
  BG_CHECK(bg_tf_write(bg_tf_join(path, sub, "model.ckpt"), old, old_len) == 0, "write old");
  bg_ckpt_section_t s[4];
  int n = sample_secs(s);
  bg_err_t err = {""};
  const char *bad_tags[5] = {"Weights", "", "a-b", "w w", "\x01"};
  for (int i = 0; i < 5; i++) {
    bg_ckpt_section_t t = s[1];
    snprintf(t.tag, sizeof t.tag, "%s", bad_tags[i]);
    int rc = bg_ckpt_write(path, HASH, &t, 1, &err);
    BG_CHECK(rc == BG_E_ARG && strstr(err.msg, "expected a tag") != NULL, "tag '%s': rc %d: %s",
             bad_tags[i], rc, err.msg);
  }
  bg_ckpt_section_t t = s[1];
  memset(t.tag, 'a', sizeof t.tag); /* 9 characters, no NUL */
  BG_CHECK(bg_ckpt_write(path, HASH, &t, 1, &err) == BG_E_ARG, "unterminated tag accepted");
  bg_ckpt_section_t dup[2] = {s[0], s[0]};
  BG_CHECK(bg_ckpt_write(path, HASH, dup, 2, &err) == BG_E_ARG &&
               strstr(err.msg, "duplicate tag 'weights'") != NULL, "duplicate: %s", err.msg);
  bg_ckpt_section_t nul = {"x", NULL, 3};
  BG_CHECK(bg_ckpt_write(path, HASH, &nul, 1, &err) == BG_E_ARG, "NULL data accepted");
  BG_CHECK(bg_ckpt_write(path, HASH, s, 65, &err) == BG_E_ARG, "65 sections accepted");
  BG_CHECK(bg_ckpt_write(path, HASH, s, -1, &err) == BG_E_ARG, "-1 sections accepted");
  bg_ckpt_section_t big = {"big", weights, ((uint64_t)1 << 30) - 40};
  BG_CHECK(bg_ckpt_write(path, HASH, &big, 1, &err) == BG_E_RANGE, "1 GiB file accepted: %s",
           err.msg);
  if (same_file(path, old, old_len)) return 1;

  /* An I/O failure in the middle of the data: a 300-byte file size limit (EFBIG). */
  static uint8_t blob[4096];
  bg_ckpt_section_t large = {"blob", blob, sizeof blob};
  struct rlimit saved, lim;
  BG_CHECK(getrlimit(RLIMIT_FSIZE, &saved) == 0, "getrlimit");
  lim = saved;
  lim.rlim_cur = 300;
  void (*prev)(int) = signal(SIGXFSZ, SIG_IGN);
  BG_CHECK(setrlimit(RLIMIT_FSIZE, &lim) == 0, "setrlimit");
  int rc = bg_ckpt_write(path, HASH, &large, 1, &err);
  setrlimit(RLIMIT_FSIZE, &saved);
  signal(SIGXFSZ, prev);
  BG_CHECK(rc == BG_E_IO && strstr(err.msg, "File too large") != NULL &&
               strstr(err.msg, "unchanged") != NULL, "rc %d: %s", rc, err.msg);
  if (same_file(path, old, old_len)) return 1;
  BG_CHECK(dir_entries(sub, names, sizeof names) == 1 && strcmp(names, "model.ckpt|") == 0,
           "entries after failures: %s", names);

  /* The path is a directory: the rename fails, the directory and its content stay. */
  char dpath[4096], inner[4096];
  BG_CHECK(mkdir(bg_tf_join(dpath, sub, "isdir"), 0700) == 0, "mkdir");
  BG_CHECK(bg_tf_write(bg_tf_join(inner, dpath, "f"), "abc", 3) == 0, "write inner");
  rc = bg_ckpt_write(dpath, HASH, s, n, &err);
  BG_CHECK(rc == BG_E_IO && strstr(err.msg, "rename") != NULL, "rc %d: %s", rc, err.msg);
  if (same_file(inner, (const uint8_t *)"abc", 3)) return 1;
  BG_CHECK(dir_entries(sub, names, sizeof names) == 2, "entries after rename failure: %s",
           names);
  return 0;
}

static int write_leaves_no_temp(void) {
  char sub[4096], path[4096], names[512];
  bg_tf_join(sub, tmp, "clean");
  BG_CHECK(mkdir(sub, 0700) == 0, "mkdir");
  bg_ckpt_section_t s[4];
  int n = sample_secs(s);
  bg_err_t err = {""};
  for (int i = 0; i < 3; i++)
    BG_CHECK(bg_ckpt_write(bg_tf_join(path, sub, "a.ckpt"), HASH + (uint32_t)i, s, n, &err) == 0,
             "%s", err.msg);
  BG_CHECK(bg_ckpt_write(bg_tf_join(path, sub, "b.ckpt"), HASH, s, 2, &err) == 0, "%s", err.msg);
  int count = dir_entries(sub, names, sizeof names);
  BG_CHECK(count == 2 && (strcmp(names, "a.ckpt|b.ckpt|") == 0 ||
                          strcmp(names, "b.ckpt|a.ckpt|") == 0), "entries: %s", names);
  bg_ckpt_t *c = NULL;
  BG_CHECK(bg_ckpt_read(bg_tf_join(path, sub, "a.ckpt"), HASH + 2, &c, &err) == 0, "%s",
           err.msg);
  bg_ckpt_free(c);
  /* A relative path (no directory part) works too: the directory fsync'ed is ".". */
  char cwd[4096];
  BG_CHECK(getcwd(cwd, sizeof cwd) != NULL && chdir(sub) == 0, "chdir");
  int rc = bg_ckpt_write("rel.ckpt", HASH, s, n, &err);
  BG_CHECK(chdir(cwd) == 0, "chdir back");
  BG_CHECK(rc == 0 && dir_entries(sub, names, sizeof names) == 3, "relative: %s", err.msg);
  return 0;
}

int main(void) {
  if (bg_tf_mkdtemp("ckpt", tmp, sizeof tmp) != 0) {
    printf("FAIL test setup: cannot create a temporary directory\n");
    return 1;
  }
  BG_RUN(layout_bytes);
  BG_RUN(roundtrip);
  BG_RUN(get_checks);
  BG_RUN(truncation_every_offset);
  BG_RUN(bitflip_every_bit);
  BG_RUN(wrong_hash);
  BG_RUN(header_errors);
  BG_RUN(section_errors);
  BG_RUN(read_errors);
  BG_RUN(write_no_dir);
  BG_RUN(write_failures_keep_old);
  BG_RUN(write_leaves_no_temp);
  bg_tf_rm_rf(tmp);
  return bg_test_exit();
}
