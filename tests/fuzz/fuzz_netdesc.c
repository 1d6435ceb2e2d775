/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the network-description parser. Any input must give either a clean error
 * with a message, or a net whose canonical dump parses back to the same dump and constants. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bg_net.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static bg_net_t a, b;
  static bg_net_const_t ca[1024], cb[1024];
  static bg_net_mem_t rows[64];
  bg_err_t err;
  err.msg[0] = '\0';
  int rc = bg_net_parse((const char *)data, size, "fuzz.json", &a, &err);
  if (rc != BG_OK) {
    if (rc >= 0 || err.msg[0] == '\0') abort(); /* a failure must say why */
    return 0;
  }
  char *d1 = bg_net_dump(&a);
  if (d1 == NULL) abort();
  if (bg_net_parse(d1, strlen(d1), "dump.json", &b, &err) != BG_OK) {
    fprintf(stderr, "canonical dump does not parse: %s\n%s\n", err.msg, d1);
    abort();
  }
  char *d2 = bg_net_dump(&b);
  if (d2 == NULL || strcmp(d1, d2) != 0) abort();
  int na = bg_net_constants(&a, ca, 1024), nb = bg_net_constants(&b, cb, 1024);
  if (na != nb || na > 1024) abort();
  for (int i = 0; i < na; i++) {
    if (strcmp(ca[i].name, cb[i].name) != 0 || ca[i].value != cb[i].value) abort();
  }
  (void)bg_net_memory(&a, rows, 64);
  free(d1);
  free(d2);
  return 0;
}
