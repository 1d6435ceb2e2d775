/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the register-map reader and generators. Any input must give either a clean
 * error with a message, or a map whose every register and field passed the checks and whose
 * three generated files are written without error, the same bytes twice. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bg_regmap.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *emit(const bg_regmap_t *rm, const char *kind, size_t *len) {
  char *buf = NULL;
  FILE *f = open_memstream(&buf, len);
  if (f == NULL) abort();
  bg_err_t err;
  if (bg_regmap_emit(rm, kind, f, &err) != BG_OK) abort();
  fclose(f);
  return buf;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static bg_regmap_t rm;
  bg_err_t err;
  err.msg[0] = '\0';
  int rc = bg_regmap_parse((const char *)data, size, "fuzz.json", &rm, &err);
  if (rc != BG_OK) {
    if (rc >= 0 || err.msg[0] == '\0') abort(); /* a failure must say why */
    return 0;
  }
  for (int k = 0; k < rm.n_regs; k++) {
    const bg_reg_t *r = &rm.r[k];
    if (r->offset % 4 != 0 || r->offset >= BG_REGMAP_SPAN || r->n_fields < 1) abort();
    uint32_t seen = 0;
    for (int i = 0; i < r->n_fields; i++) {
      const bg_reg_field_t *f = &r->f[i];
      if (f->lsb < 0 || f->width < 1 || f->lsb + f->width > 32) abort();
      uint32_t m = (f->width >= 32 ? 0xffffffffu : ((1u << f->width) - 1u)) << f->lsb;
      if (seen & m) abort();
      seen |= m;
    }
  }
  static const char *const kinds[] = {"c", "verilog", "md"};
  for (int k = 0; k < 3; k++) {
    size_t la, lb;
    char *a = emit(&rm, kinds[k], &la), *b = emit(&rm, kinds[k], &lb);
    if (la != lb || memcmp(a, b, la) != 0) abort();
    free(a);
    free(b);
  }
  return 0;
}
