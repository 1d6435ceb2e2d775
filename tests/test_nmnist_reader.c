/* SPDX-License-Identifier: Apache-2.0 */
/* N-MNIST: exact decoding of hand-written 5-byte events, framing with rounding at the bin
 * boundary, rejection of truncated files and bad addresses, and the directory listing order. */
#include <stdlib.h>
#include <string.h>

#include "bg_nmnist.h"
#include "bg_test.h"
#include "bg_test_files.h"

static char tmp[4096];

/* Events spelled out byte by byte (not produced by an encoder that mirrors the decoder). */
static const uint8_t k_events[] = {
    0x05, 0x07, 0x92, 0x34, 0x56, /* x 5, y 7, p 1, t 0x123456 = 1193046 us */
    0x21, 0x21, 0xFF, 0xFF, 0xFF, /* x 33, y 33, p 1, t 0x7FFFFF = 8388607 (23-bit maximum) */
    0x00, 0x01, 0x00, 0x00, 0x01, /* x 0, y 1, p 0, t 1 */
    0x02, 0x03, 0x7F, 0x00, 0x00, /* x 2, y 3, p 0, t 0x7F0000 = 8323072 (bit 7 is not time) */
    0x10, 0x00, 0x80, 0x01, 0x00, /* x 16, y 0, p 1, t 256 */
};

static int decode_fields(void) {
  bg_nmnist_events_t ev;
  bg_err_t err = {""};
  BG_CHECK(bg_nmnist_parse(k_events, sizeof k_events, "mem", &ev, &err) == 0, "%s", err.msg);
  BG_CHECK(ev.n == 5, "n %zu", ev.n);
  const struct { uint8_t x, y, p; uint32_t t; } want[5] = {
      {5, 7, 1, 1193046}, {33, 33, 1, 8388607}, {0, 1, 0, 1}, {2, 3, 0, 8323072}, {16, 0, 1, 256}};
  for (int i = 0; i < 5; i++) {
    BG_CHECK(ev.ev[i].x == want[i].x && ev.ev[i].y == want[i].y && ev.ev[i].p == want[i].p &&
                 ev.ev[i].t_us == want[i].t,
             "event %d: got x%u y%u p%u t%u, want x%u y%u p%u t%u", i, ev.ev[i].x, ev.ev[i].y,
             ev.ev[i].p, ev.ev[i].t_us, want[i].x, want[i].y, want[i].p, want[i].t);
  }
  bg_nmnist_events_free(&ev);
  BG_CHECK(ev.ev == NULL && ev.n == 0, "free did not zero");
  /* The same bytes from a file. */
  char path[4096];
  BG_CHECK(bg_tf_write(bg_tf_join(path, tmp, "s.bin"), k_events, sizeof k_events) == 0, "write");
  BG_CHECK(bg_nmnist_load(path, &ev, &err) == 0, "%s", err.msg);
  BG_CHECK(ev.n == 5 && ev.ev[1].t_us == 8388607 && ev.ev[4].x == 16, "file decode");
  bg_nmnist_events_free(&ev);
  /* An empty file is a sample with no events. */
  BG_CHECK(bg_nmnist_parse(NULL, 0, "empty", &ev, &err) == 0 && ev.n == 0, "%s", err.msg);
  bg_nmnist_events_free(&ev);
  return 0;
}

static int truncated_file(void) {
  bg_nmnist_events_t ev;
  bg_err_t err = {""};
  BG_CHECK(bg_nmnist_parse(k_events, 12, "t.bin", &ev, &err) == BG_E_FORMAT, "accepted");
  BG_CHECK(ev.ev == NULL, "output not zeroed");
  BG_CHECK(strstr(err.msg, "t.bin") && strstr(err.msg, "truncated event at offset 10") &&
               strstr(err.msg, "found 2"), "%s", err.msg);
  char path[4096];
  BG_CHECK(bg_tf_write(bg_tf_join(path, tmp, "cut.bin"), k_events, 4) == 0, "write");
  BG_CHECK(bg_nmnist_load(path, &ev, &err) == BG_E_FORMAT, "accepted");
  BG_CHECK(strstr(err.msg, path) && strstr(err.msg, "offset 0"), "%s", err.msg);
  return 0;
}

static int bad_address(void) {
  uint8_t buf[sizeof k_events];
  memcpy(buf, k_events, sizeof buf);
  buf[10] = 34; /* event 2, x */
  bg_nmnist_events_t ev;
  bg_err_t err = {""};
  BG_CHECK(bg_nmnist_parse(buf, sizeof buf, "x.bin", &ev, &err) == BG_E_RANGE, "x=34 accepted");
  BG_CHECK(strstr(err.msg, "x.bin") && strstr(err.msg, "event 2 at offset 10") &&
               strstr(err.msg, "x address < 34") && strstr(err.msg, "found 34"), "%s", err.msg);
  memcpy(buf, k_events, sizeof buf);
  buf[6] = 200; /* event 1, y */
  BG_CHECK(bg_nmnist_parse(buf, sizeof buf, "y.bin", &ev, &err) == BG_E_RANGE, "y=200 accepted");
  BG_CHECK(strstr(err.msg, "event 1 at offset 6") && strstr(err.msg, "y address"), "%s",
           err.msg);
  return 0;
}

static size_t bit(uint8_t p, uint8_t y, uint8_t x) {
  return (size_t)p * 1156 + (size_t)y * 34 + x;
}

static int framing(void) {
  /* steps 3 x 10 ms: window [0, 30) ms. Rounding is half to even, so 9499 us is 9 ms (frame 0)
   * but 9500 us is 10 ms (frame 1), and 29500 us is 30 ms (outside the window). */
  bg_nmnist_event_t e[] = {
      {1, 2, 0, 9499},   /* frame 0 */
      {3, 4, 1, 9500},   /* frame 1: 9.5 rounds to the even 10, across the boundary */
      {3, 4, 1, 10400},  /* frame 1 again, same bit: max-pool, still 1 */
      {33, 33, 1, 0},    /* frame 0, last bit of the frame */
      {0, 0, 0, 29499},  /* frame 2 */
      {5, 5, 0, 29500},  /* 30 ms: dropped */
      {6, 6, 1, 8388607} /* far out: dropped */
  };
  bg_nmnist_events_t ev = {sizeof e / sizeof e[0], e};
  /* One frame more than asked for: the 3 frames must be fully overwritten, and the guard
   * frame after them (where a 30 ms event would land) must stay untouched. */
  uint8_t frames[4 * 2312];
  memset(frames, 0xAA, sizeof frames);
  bg_err_t err = {""};
  BG_CHECK(bg_nmnist_frames(&ev, 3, 10, frames, &err) == 0, "%s", err.msg);
  size_t ones = 0;
  for (size_t i = 0; i < 3 * 2312; i++) {
    BG_CHECK(frames[i] <= 1, "byte %zu is %u", i, frames[i]);
    ones += frames[i];
  }
  for (size_t i = 3 * 2312; i < sizeof frames; i++)
    BG_CHECK(frames[i] == 0xAA, "wrote past the last frame at byte %zu", i);
  BG_CHECK(ones == 4, "%zu bits set, expected 4", ones);
  BG_CHECK(frames[0 * 2312 + bit(0, 2, 1)] == 1, "9499 us not in frame 0");
  BG_CHECK(frames[1 * 2312 + bit(1, 4, 3)] == 1, "9500 us not in frame 1");
  BG_CHECK(frames[0 * 2312 + 2311] == 1, "p1 y33 x33 not at bit 2311");
  BG_CHECK(frames[2 * 2312 + bit(0, 0, 0)] == 1, "29499 us not in frame 2");
  /* 1 ms bins: 9499 us -> frame 9, 9500 us -> frame 10. */
  uint8_t f2[12 * 2312];
  BG_CHECK(bg_nmnist_frames(&ev, 12, 1, f2, &err) == 0, "%s", err.msg);
  BG_CHECK(f2[9 * 2312 + bit(0, 2, 1)] == 1 && f2[10 * 2312 + bit(1, 4, 3)] == 1, "1 ms bins");
  BG_CHECK(f2[10 * 2312 + bit(1, 4, 3)] == 1 && f2[0 * 2312 + 2311] == 1, "1 ms bins");
  /* Bad arguments and bad events. */
  BG_CHECK(bg_nmnist_frames(&ev, 0, 10, frames, &err) == BG_E_ARG, "steps 0 accepted");
  BG_CHECK(bg_nmnist_frames(&ev, 3, 0, frames, &err) == BG_E_ARG, "bin 0 accepted");
  e[2].p = 2;
  BG_CHECK(bg_nmnist_frames(&ev, 3, 10, frames, &err) == BG_E_RANGE, "p=2 accepted");
  BG_CHECK(strstr(err.msg, "event 2"), "%s", err.msg);
  return 0;
}

/* Half-millisecond ties round to even, as the authors' numpy loader does: with 3-ms bins,
 * 2500 us is 2 ms (frame 0; half up would say 3 ms, frame 1) and 3500 us is 4 ms (frame 1). */
static int framing_rounds_half_to_even(void) {
  bg_nmnist_event_t e[] = {{1, 1, 0, 2500}, {2, 2, 0, 3500}, {3, 3, 0, 1500}};
  bg_nmnist_events_t ev = {3, e};
  uint8_t frames[2 * 2312];
  bg_err_t err = {""};
  BG_CHECK(bg_nmnist_frames(&ev, 2, 3, frames, &err) == 0, "%s", err.msg);
  BG_CHECK(frames[bit(0, 1, 1)] == 1 && frames[2312 + bit(0, 1, 1)] == 0,
           "2500 us must round to 2 ms (frame 0)");
  BG_CHECK(frames[2312 + bit(0, 2, 2)] == 1 && frames[bit(0, 2, 2)] == 0,
           "3500 us must round to 4 ms (frame 1)");
  BG_CHECK(frames[bit(0, 3, 3)] == 1, "1500 us must round to 2 ms (frame 0)");
  return 0;
}

static int make_dir(const char *a, const char *b) {
  char p[4096];
  return mkdir(bg_tf_join(p, a, b), 0755);
}

static int directory_listing(void) {
  char root[4096], split[4096], d[4096], p[4096];
  bg_tf_join(root, tmp, "nmnist");
  BG_CHECK(mkdir(root, 0755) == 0 && make_dir(root, "Train") == 0, "mkdir");
  bg_tf_join(split, root, "Train");
  for (int i = 0; i < 10; i++) {
    char name[4];
    snprintf(name, sizeof name, "%d", i);
    BG_CHECK(make_dir(split, name) == 0, "mkdir");
  }
  /* Created out of order; only regular *.bin files that are not hidden count. */
  const char *files3[] = {"b.bin", "a.bin", "10.bin", "2.bin", "notes.txt", ".hidden.bin"};
  bg_tf_join(d, split, "3");
  for (size_t i = 0; i < 6; i++)
    BG_CHECK(bg_tf_write(bg_tf_join(p, d, files3[i]), k_events, 5) == 0, "write");
  BG_CHECK(make_dir(d, "sub.bin") == 0, "mkdir");
  bg_tf_join(d, split, "0");
  BG_CHECK(bg_tf_write(bg_tf_join(p, d, "z.bin"), k_events, 5) == 0, "write");
  bg_tf_join(d, split, "9");
  BG_CHECK(bg_tf_write(bg_tf_join(p, d, "00000.bin"), k_events, 5) == 0, "write");

  bg_nmnist_list_t list;
  bg_err_t err = {""};
  BG_CHECK(bg_nmnist_list(root, "train", &list, &err) == 0, "%s", err.msg);
  const char *want[] = {"0/z.bin", "3/10.bin", "3/2.bin", "3/a.bin", "3/b.bin", "9/00000.bin"};
  const uint8_t labels[] = {0, 3, 3, 3, 3, 9};
  BG_CHECK(list.n == 6, "%zu items", list.n);
  for (size_t i = 0; i < 6; i++) {
    char full[4096];
    bg_tf_join(full, split, want[i]);
    BG_CHECK(strcmp(list.items[i].path, full) == 0 && list.items[i].label == labels[i],
             "item %zu: %.200s label %u, want %.200s label %u", i, list.items[i].path,
             list.items[i].label, full, labels[i]);
  }
  bg_nmnist_list_free(&list);
  BG_CHECK(list.items == NULL && list.n == 0, "free did not zero");

  /* No Test split: the error names the missing directory. */
  BG_CHECK(bg_nmnist_list(root, "test", &list, &err) == BG_E_IO, "missing split accepted");
  BG_CHECK(strstr(err.msg, "Test/0") && strstr(err.msg, root), "%s", err.msg);
  /* A split whose digit directories are all empty. */
  BG_CHECK(make_dir(root, "Test") == 0, "mkdir");
  bg_tf_join(split, root, "Test");
  for (int i = 0; i < 10; i++) {
    char name[4];
    snprintf(name, sizeof name, "%d", i);
    BG_CHECK(make_dir(split, name) == 0, "mkdir");
  }
  BG_CHECK(bg_nmnist_list(root, "test", &list, &err) == BG_E_IO, "empty split accepted");
  BG_CHECK(strstr(err.msg, "found none"), "%s", err.msg);
  /* A missing digit directory is an error, not a silently absent class. */
  bg_tf_join(d, split, "7");
  BG_CHECK(rmdir(d) == 0, "rmdir");
  BG_CHECK(bg_nmnist_list(root, "test", &list, &err) == BG_E_IO, "missing digit accepted");
  BG_CHECK(strstr(err.msg, "Test/7"), "%s", err.msg);
  BG_CHECK(bg_nmnist_list(root, "Train", &list, &err) == BG_E_ARG, "bad split accepted");
  return 0;
}

int main(void) {
  if (bg_tf_mkdtemp("nmnist", tmp, sizeof tmp) != 0) {
    printf("FAIL nmnist_reader: cannot create a temporary directory\n");
    return 1;
  }
  BG_RUN(decode_fields);
  BG_RUN(truncated_file);
  BG_RUN(bad_address);
  BG_RUN(framing);
  BG_RUN(framing_rounds_half_to_even);
  BG_RUN(directory_listing);
  bg_tf_rm_rf(tmp);
  return bg_test_exit();
}
