/* SPDX-License-Identifier: Apache-2.0 */
/* Minimal unit-test helpers: each case prints one `PASS <name>` or `FAIL <name>: <why>` line.
 * tests/run.sh counts those lines. Header-only so every test file stays a single .c. */
#ifndef BG_TEST_H
#define BG_TEST_H

#include <stdio.h>
#include <string.h>

static int bg_test_failures;
static char bg_test_why[4096];

/* Inside a case: record the first failed check and return 1 from the case function. */
#define BG_CHECK(cond, ...)                                                           \
  do {                                                                                \
    if (!(cond)) {                                                                    \
      int bg_n_ = snprintf(bg_test_why, sizeof bg_test_why, "%s:%d: ", __FILE__, __LINE__); \
      if (bg_n_ > 0 && (size_t)bg_n_ < sizeof bg_test_why)                              \
        snprintf(bg_test_why + bg_n_, sizeof bg_test_why - (size_t)bg_n_, __VA_ARGS__);   \
      return 1;                                                                       \
    }                                                                                 \
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
