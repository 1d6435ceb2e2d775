/* SPDX-License-Identifier: Apache-2.0 */
/* IDX reader: round trips (raw, gzip, multi-member gzip, memory and file) and every rejection,
 * each with the message naming the file and the offset. Files go to a private temp dir. */
#include <stdlib.h>
#include <string.h>

#include "bg_file.h"
#include "bg_idx.h"
#include "bg_test.h"
#include "bg_test_files.h"

static char tmp[4096];

/* A 3 x 4 x 5 image set with a recognisable byte pattern; returns the file length. */
static size_t sample_idx(uint8_t *out) {
  uint8_t data[60];
  for (int i = 0; i < 60; i++) data[i] = (uint8_t)(i * 7 + 3);
  const uint32_t dims[3] = {3, 4, 5};
  return bg_tf_idx(out, 0x08, 3, dims, data, sizeof data);
}

static int check_sample(const bg_idx_t *idx) {
  BG_CHECK(idx->type == 0x08 && idx->ndims == 3, "type %u ndims %u", idx->type, idx->ndims);
  BG_CHECK(idx->dims[0] == 3 && idx->dims[1] == 4 && idx->dims[2] == 5 && idx->dims[3] == 0,
           "dims %u %u %u %u", idx->dims[0], idx->dims[1], idx->dims[2], idx->dims[3]);
  BG_CHECK(idx->count == 60 && idx->data != NULL, "count %zu", idx->count);
  for (int i = 0; i < 60; i++)
    BG_CHECK(idx->data[i] == (uint8_t)(i * 7 + 3), "data[%d] = %u", i, idx->data[i]);
  return 0;
}

/* Parse from memory, expect failure with code and every needle in the message. */
static int expect_parse_error(const uint8_t *buf, size_t len, int code, const char *n1,
                              const char *n2, const char *n3) {
  bg_idx_t idx;
  bg_err_t err = {""};
  int rc = bg_idx_decode(buf, len, "case.idx", &idx, &err);
  BG_CHECK(rc == code, "rc %d, expected %d (%s)", rc, code, err.msg);
  BG_CHECK(idx.data == NULL && idx.count == 0, "output not zeroed on error");
  BG_CHECK(strstr(err.msg, "case.idx") != NULL, "message lacks the name: %s", err.msg);
  const char *needles[3] = {n1, n2, n3};
  for (int i = 0; i < 3; i++)
    BG_CHECK(needles[i] == NULL || strstr(err.msg, needles[i]) != NULL,
             "message lacks '%s': %s", needles[i], err.msg);
  return 0;
}

static int roundtrip_raw(void) {
  uint8_t buf[128];
  size_t len = sample_idx(buf);
  bg_idx_t idx;
  bg_err_t err = {""};
  BG_CHECK(bg_idx_parse(buf, len, "mem", &idx, &err) == 0, "%s", err.msg);
  if (check_sample(&idx)) return 1;
  bg_idx_free(&idx);
  BG_CHECK(idx.data == NULL && idx.count == 0, "free did not zero");
  bg_idx_free(&idx); /* twice is safe */
  char path[4096];
  BG_CHECK(bg_tf_write(bg_tf_join(path, tmp, "raw.idx"), buf, len) == 0, "write");
  BG_CHECK(bg_idx_load(path, &idx, &err) == 0, "%s", err.msg);
  if (check_sample(&idx)) return 1;
  bg_idx_free(&idx);
  return 0;
}

static int roundtrip_1d_and_4d(void) {
  uint8_t buf[128], data[24];
  for (int i = 0; i < 24; i++) data[i] = (uint8_t)(255 - i);
  const uint32_t d1[1] = {24}, d4[4] = {1, 2, 3, 4};
  bg_idx_t idx;
  bg_err_t err = {""};
  size_t len = bg_tf_idx(buf, 0x08, 1, d1, data, 24);
  BG_CHECK(bg_idx_parse(buf, len, "mem", &idx, &err) == 0, "%s", err.msg);
  BG_CHECK(idx.ndims == 1 && idx.dims[0] == 24 && idx.count == 24, "1-D header");
  BG_CHECK(memcmp(idx.data, data, 24) == 0, "1-D data");
  bg_idx_free(&idx);
  len = bg_tf_idx(buf, 0x08, 4, d4, data, 24);
  BG_CHECK(bg_idx_parse(buf, len, "mem", &idx, &err) == 0, "%s", err.msg);
  BG_CHECK(idx.ndims == 4 && idx.dims[3] == 4 && idx.count == 24, "4-D header");
  BG_CHECK(idx.data[23] == 255 - 23, "4-D data");
  bg_idx_free(&idx);
  return 0;
}

static int roundtrip_gz(void) {
  uint8_t buf[128];
  size_t len = sample_idx(buf);
  char path[4096];
  BG_CHECK(bg_tf_write_gz(bg_tf_join(path, tmp, "sample.idx.gz"), buf, len) == 0, "write gz");
  bg_idx_t idx;
  bg_err_t err = {""};
  BG_CHECK(bg_idx_load(path, &idx, &err) == 0, "%s", err.msg);
  if (check_sample(&idx)) return 1;
  bg_idx_free(&idx);
  /* Detection is by content: a gzip file without a .gz name still decompresses. */
  char path2[4096];
  BG_CHECK(rename(path, bg_tf_join(path2, tmp, "gz-without-suffix")) == 0, "rename");
  BG_CHECK(bg_idx_load(path2, &idx, &err) == 0, "%s", err.msg);
  if (check_sample(&idx)) return 1;
  bg_idx_free(&idx);
  return 0;
}

static int roundtrip_gz_multimember(void) {
  /* gzip allows members back to back (what `cat a.gz b.gz` makes); the data spans both. */
  uint8_t buf[128];
  size_t len = sample_idx(buf);
  uint8_t *g1 = NULL, *g2 = NULL;
  size_t l1 = 0, l2 = 0;
  BG_CHECK(bg_tf_gzip(buf, 30, &g1, &l1) == 0 && bg_tf_gzip(buf + 30, len - 30, &g2, &l2) == 0,
           "gzip");
  uint8_t cat[512];
  BG_CHECK(l1 + l2 <= sizeof cat, "too big");
  memcpy(cat, g1, l1);
  memcpy(cat + l1, g2, l2);
  free(g1);
  free(g2);
  bg_idx_t idx;
  bg_err_t err = {""};
  BG_CHECK(bg_idx_decode(cat, l1 + l2, "cat.gz", &idx, &err) == 0, "%s", err.msg);
  if (check_sample(&idx)) return 1;
  bg_idx_free(&idx);
  return 0;
}

static int bad_magic(void) {
  uint8_t buf[128];
  size_t len = sample_idx(buf);
  buf[0] = 0x01;
  if (expect_parse_error(buf, len, BG_E_FORMAT, "offset 0", "00 00", "found 01 00")) return 1;
  buf[0] = 0;
  buf[1] = 0x08; /* shifted header, as from a one-byte-off read */
  return expect_parse_error(buf, len, BG_E_FORMAT, "offset 0", "found 00 08", NULL);
}

static int unsupported_type(void) {
  uint8_t buf[128];
  size_t len = sample_idx(buf);
  buf[2] = 0x0D;
  if (expect_parse_error(buf, len, BG_E_FORMAT, "offset 2", "0x0d (float32)", "0x08")) return 1;
  buf[2] = 0x09;
  if (expect_parse_error(buf, len, BG_E_FORMAT, "0x09 (signed byte)", NULL, NULL)) return 1;
  buf[2] = 0x42;
  return expect_parse_error(buf, len, BG_E_FORMAT, "0x42", NULL, NULL);
}

static int bad_dim_count(void) {
  uint8_t buf[128];
  size_t len = sample_idx(buf);
  buf[3] = 0;
  if (expect_parse_error(buf, len, BG_E_FORMAT, "offset 3", "1..4", "found 0")) return 1;
  buf[3] = 5;
  return expect_parse_error(buf, len, BG_E_FORMAT, "offset 3", "found 5", NULL);
}

static int zero_dim(void) {
  const uint32_t dims[3] = {3, 0, 5};
  uint8_t buf[64];
  size_t len = bg_tf_idx(buf, 0x08, 3, dims, NULL, 0);
  return expect_parse_error(buf, len, BG_E_FORMAT, "offset 8", "dimension 1", "found 0");
}

static int truncated_header(void) {
  uint8_t buf[128];
  sample_idx(buf);
  if (expect_parse_error(buf, 3, BG_E_FORMAT, "header truncated", "found 3", NULL)) return 1;
  if (expect_parse_error(buf, 0, BG_E_FORMAT, "header truncated", "found 0", NULL)) return 1;
  return expect_parse_error(buf, 9, BG_E_FORMAT, "expected 16 header bytes", "found 9", NULL);
}

static int truncated_data(void) {
  uint8_t buf[128];
  size_t len = sample_idx(buf);
  /* 60 data bytes expected after the 16-byte header; give 59. */
  if (expect_parse_error(buf, len - 1, BG_E_FORMAT, "expected 60 bytes",
                         "header at offset 16", "found 59"))
    return 1;
  /* Through a file too, so the path is in the message. */
  char path[4096];
  BG_CHECK(bg_tf_write(bg_tf_join(path, tmp, "short.idx"), buf, 20) == 0, "write");
  bg_idx_t idx;
  bg_err_t err = {""};
  BG_CHECK(bg_idx_load(path, &idx, &err) == BG_E_FORMAT, "accepted a truncated file");
  BG_CHECK(strstr(err.msg, path) && strstr(err.msg, "found 4"), "message: %s", err.msg);
  return 0;
}

static int trailing_bytes(void) {
  uint8_t buf[128];
  size_t len = sample_idx(buf);
  buf[len] = 0xEE;
  buf[len + 1] = 0xEE;
  return expect_parse_error(buf, len + 2, BG_E_FORMAT, "2 trailing bytes", "offset 76",
                            "found 78 bytes");
}

static int truncated_gzip(void) {
  uint8_t buf[128];
  size_t len = sample_idx(buf);
  uint8_t *gz = NULL;
  size_t gz_len = 0;
  BG_CHECK(bg_tf_gzip(buf, len, &gz, &gz_len) == 0, "gzip");
  char path[4096];
  bg_tf_join(path, tmp, "cut.idx.gz");
  /* Cut in the middle of the deflate data, and again just before the last trailer byte: the
   * second leaves all the data decodable, so only a strict reader notices. */
  size_t cuts[3] = {gz_len / 2, gz_len - 1, 3};
  for (int i = 0; i < 3; i++) {
    BG_CHECK(bg_tf_write(path, gz, cuts[i]) == 0, "write");
    bg_idx_t idx;
    bg_err_t err = {""};
    int rc = bg_idx_load(path, &idx, &err);
    BG_CHECK(rc == BG_E_FORMAT, "cut at %zu: rc %d (%s)", cuts[i], rc, err.msg);
    BG_CHECK(idx.data == NULL, "returned data");
    BG_CHECK(strstr(err.msg, path) && strstr(err.msg, "truncated gzip"), "cut at %zu: %s",
             cuts[i], err.msg);
  }
  free(gz);
  return 0;
}

static int garbage_gzip(void) {
  uint8_t buf[64] = {0x1f, 0x8b};
  uint32_t s = 12345;
  for (size_t i = 2; i < sizeof buf; i++) {
    s = s * 1103515245u + 12345u;
    buf[i] = (uint8_t)(s >> 16);
  }
  char path[4096];
  BG_CHECK(bg_tf_write(bg_tf_join(path, tmp, "garbage.gz"), buf, sizeof buf) == 0, "write");
  bg_idx_t idx;
  bg_err_t err = {""};
  BG_CHECK(bg_idx_load(path, &idx, &err) == BG_E_FORMAT, "accepted garbage: %s", err.msg);
  BG_CHECK(strstr(err.msg, path) && strstr(err.msg, "gzip"), "message: %s", err.msg);
  return 0;
}

static int corrupt_gzip_crc_and_tail(void) {
  uint8_t buf[128];
  size_t len = sample_idx(buf);
  uint8_t *gz = NULL;
  size_t gz_len = 0;
  BG_CHECK(bg_tf_gzip(buf, len, &gz, &gz_len) == 0, "gzip");
  uint8_t copy[512];
  BG_CHECK(gz_len + 3 <= sizeof copy, "too big");
  /* A flipped CRC byte: every data byte decodes, but the check must fail. */
  memcpy(copy, gz, gz_len);
  copy[gz_len - 8] ^= 0x01;
  bg_idx_t idx;
  bg_err_t err = {""};
  BG_CHECK(bg_idx_decode(copy, gz_len, "crc.gz", &idx, &err) == BG_E_FORMAT, "bad CRC accepted");
  BG_CHECK(strstr(err.msg, "crc.gz") && strstr(err.msg, "corrupt gzip"), "%s", err.msg);
  /* Junk after a complete member. */
  memcpy(copy, gz, gz_len);
  copy[gz_len] = 0x00;
  copy[gz_len + 1] = 0x01;
  copy[gz_len + 2] = 0x02;
  BG_CHECK(bg_idx_decode(copy, gz_len + 3, "tail.gz", &idx, &err) == BG_E_FORMAT,
           "junk after the stream accepted");
  char want[64];
  snprintf(want, sizeof want, "3 trailing bytes at offset %zu", gz_len);
  BG_CHECK(strstr(err.msg, "tail.gz") && strstr(err.msg, want), "%s", err.msg);
  free(gz);
  return 0;
}

static int gzip_of_bad_idx(void) {
  /* The IDX checks run after decompression and say so. */
  uint8_t buf[128];
  size_t len = sample_idx(buf);
  uint8_t *gz = NULL;
  size_t gz_len = 0;
  BG_CHECK(bg_tf_gzip(buf, len - 10, &gz, &gz_len) == 0, "gzip");
  bg_idx_t idx;
  bg_err_t err = {""};
  int rc = bg_idx_decode(gz, gz_len, "short.gz", &idx, &err);
  free(gz);
  BG_CHECK(rc == BG_E_FORMAT, "rc %d", rc);
  BG_CHECK(strstr(err.msg, "short.gz (decompressed)") && strstr(err.msg, "found 50"), "%s",
           err.msg);
  return 0;
}

static int huge_dims_overflow(void) {
  uint8_t buf[64];
  /* 2^32-1 to the fourth overflows 64 bits; 65536^2 overflows 32 bits; 1024^2 * 1025 is just
   * over the 1 GiB limit. None may allocate or wrap around to a small size. */
  const uint32_t d4[4] = {0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu, 0xFFFFFFFFu};
  size_t len = bg_tf_idx(buf, 0x08, 4, d4, NULL, 0);
  if (expect_parse_error(buf, len, BG_E_RANGE, "offset 4", "limit", NULL)) return 1;
  const uint32_t d2[2] = {65536, 65536};
  len = bg_tf_idx(buf, 0x08, 2, d2, NULL, 0);
  if (expect_parse_error(buf, len, BG_E_RANGE, "offset 8", "dimension 1 is 65536", NULL)) return 1;
  const uint32_t d3[3] = {1024, 1024, 1025};
  len = bg_tf_idx(buf, 0x08, 3, d3, NULL, 0);
  if (expect_parse_error(buf, len, BG_E_RANGE, "offset 12", NULL, NULL)) return 1;
  /* Exactly at the limit is a size problem no longer, only a truncation. */
  const uint32_t d3ok[3] = {1024, 1024, 1024};
  len = bg_tf_idx(buf, 0x08, 3, d3ok, NULL, 0);
  return expect_parse_error(buf, len, BG_E_FORMAT, "expected 1073741824 bytes", "found 0", NULL);
}

static int missing_and_not_regular(void) {
  char path[4096];
  bg_tf_join(path, tmp, "does-not-exist.idx");
  bg_idx_t idx;
  bg_err_t err = {""};
  BG_CHECK(bg_idx_load(path, &idx, &err) == BG_E_IO, "missing file: %s", err.msg);
  BG_CHECK(strstr(err.msg, path) != NULL, "%s", err.msg);
  BG_CHECK(bg_idx_load(tmp, &idx, &err) == BG_E_IO, "directory accepted");
  BG_CHECK(strstr(err.msg, tmp) && strstr(err.msg, "directory"), "%s", err.msg);
  BG_CHECK(bg_idx_load("/dev/zero", &idx, &err) == BG_E_IO, "device accepted");
  return 0;
}

static int gunzip_limit(void) {
  /* 100 KB of zeros compresses to ~100 bytes; a 1000-byte limit must stop it with an error. */
  size_t n = 100000;
  uint8_t *zeros = calloc(n, 1);
  BG_CHECK(zeros != NULL, "alloc");
  uint8_t *gz = NULL, *out = NULL;
  size_t gz_len = 0, out_len = 0;
  BG_CHECK(bg_tf_gzip(zeros, n, &gz, &gz_len) == 0, "gzip");
  free(zeros);
  bg_err_t err = {""};
  int rc = bg_gunzip(gz, gz_len, "bomb.gz", 1000, &out, &out_len, &err);
  BG_CHECK(rc == BG_E_RANGE && out == NULL, "rc %d", rc);
  BG_CHECK(strstr(err.msg, "bomb.gz") && strstr(err.msg, "limit of 1000"), "%s", err.msg);
  rc = bg_gunzip(gz, gz_len, "ok.gz", n, &out, &out_len, &err);
  BG_CHECK(rc == 0 && out_len == n && out[0] == 0 && out[n - 1] == 0, "rc %d len %zu", rc,
           out_len);
  free(out);
  free(gz);
  return 0;
}

int main(void) {
  if (bg_tf_mkdtemp("idx", tmp, sizeof tmp) != 0) {
    printf("FAIL idx_reader: cannot create a temporary directory\n");
    return 1;
  }
  BG_RUN(roundtrip_raw);
  BG_RUN(roundtrip_1d_and_4d);
  BG_RUN(roundtrip_gz);
  BG_RUN(roundtrip_gz_multimember);
  BG_RUN(bad_magic);
  BG_RUN(unsupported_type);
  BG_RUN(bad_dim_count);
  BG_RUN(zero_dim);
  BG_RUN(truncated_header);
  BG_RUN(truncated_data);
  BG_RUN(trailing_bytes);
  BG_RUN(truncated_gzip);
  BG_RUN(garbage_gzip);
  BG_RUN(corrupt_gzip_crc_and_tail);
  BG_RUN(gzip_of_bad_idx);
  BG_RUN(huge_dims_overflow);
  BG_RUN(missing_and_not_regular);
  BG_RUN(gunzip_limit);
  bg_tf_rm_rf(tmp);
  return bg_test_exit();
}
