/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the training CLIs: load a description and optionally override its seed (the
 * description is re-derived, so stream seeds and the hash follow). Header-only, CLI use. */
#ifndef BG_CLI_NET_H
#define BG_CLI_NET_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bg_net.h"

static inline int bg_cli_load_net(const char *path, const char *seed_arg, bg_net_t *net, bg_err_t *err) {
  int rc = bg_net_load(path, net, err);
  if (rc != BG_OK || seed_arg == NULL) return rc;
  char *end;
  unsigned long long s = strtoull(seed_arg, &end, 0);
  if (*seed_arg == '\0' || *end != '\0' || s > 0xFFFFFFFFull) {
    return bg_err_set(err, BG_E_ARG, "--seed: expected an integer 0..4294967295, found \"%s\"",
                      seed_arg);
  }
  net->seed = (uint32_t)s;
  char *dump = bg_net_dump(net);
  if (dump == NULL) return bg_err_set(err, BG_E_NOMEM, "out of memory");
  rc = bg_net_parse(dump, strlen(dump), path, net, err);
  free(dump);
  return rc;
}

/* A non-negative integer option value, or exit 2 with a message. */
static inline uint32_t bg_cli_u32(const char *opt, const char *v) {
  char *end;
  unsigned long long x = strtoull(v ? v : "", &end, 10);
  if (v == NULL || *v == '\0' || *end != '\0' || x > 0xFFFFFFFFull || v[0] == '-') {
    fprintf(stderr, "error: %s: expected a non-negative integer, found \"%s\"\n", opt, v ? v : "");
    exit(2);
  }
  return (uint32_t)x;
}

#endif /* BG_CLI_NET_H */
