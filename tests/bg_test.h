/* SPDX-License-Identifier: Apache-2.0 */
/* Minimal unit-test helpers: each case prints one `PASS <name>` or `FAIL <name>: <why>` line.
 * tests/run.sh counts those lines. Header-only so every test file stays a single .c. */
#ifndef BG_TEST_H
#define BG_TEST_H

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static int bg_test_failures;
static char bg_test_why[4096];

/* Record why a case failed (first failure wins within a case). */
static void bg_test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void bg_test_fail(const char *file, int line, const char *fmt, ...) {
  int n = snprintf(bg_test_why, sizeof bg_test_why, "%s:%d: ", file, line);
  if (n < 0 || (size_t)n >= sizeof bg_test_why) return;
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(bg_test_why + n, sizeof bg_test_why - (size_t)n, fmt, ap);
  va_end(ap);
}

/* Inside a case: record the failed check and return 1 from the case function. */
#define BG_CHECK(cond, ...)                           \
  do {                                                \
    if (!(cond)) {                                    \
      bg_test_fail(__FILE__, __LINE__, __VA_ARGS__);  \
      return 1;                                       \
    }                                                 \
  } while (0)

/* Run one case function `int fn(void)` (0 = pass) and print its result line. */
static inline void bg_test_run(const char *name, int (*fn)(void)) {
  bg_test_why[0] = '\0';
  if (fn() == 0) {
    printf("PASS %s\n", name);
  } else {
    printf("FAIL %s: %s\n", name, bg_test_why[0] ? bg_test_why : "failed");
    bg_test_failures++;
  }
  fflush(stdout);
}

#define BG_RUN(fn) bg_test_run(#fn, fn)

/* Return value for main(). */
static inline int bg_test_exit(void) { return bg_test_failures ? 1 : 0; }

#endif /* BG_TEST_H */
