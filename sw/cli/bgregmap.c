/* SPDX-License-Identifier: Apache-2.0 */
/* bgregmap: check the register map and generate its C header, SystemVerilog package and
 * reference page (docs/driver.md, docs/regmap.md). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "bg_regmap.h"

static void usage(FILE *f) {
  fprintf(f,
          "usage: bgregmap check MAP                   validate; one line per register\n"
          "       bgregmap gen c|verilog|md MAP [-o DIR] write bg_regs.h | bg_regs_pkg.sv | "
          "regmap.md\n"
          "                                            (to standard output without -o)\n"
          "Exit status: 0 on success, 1 when the map is invalid or a file cannot be written,\n"
          "2 on a usage error. The map: sw/regmap/regmap.json; its schema: docs/driver.md\n");
}

/* Write to DIR/name through a temporary file and a rename, so a reader never sees half. */
static int write_file(const bg_regmap_t *rm, const char *kind, const char *dir) {
  char path[512], tmp[600];
  snprintf(path, sizeof path, "%s/%s", dir, bg_regmap_file_name(kind));
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  if (f == NULL) {
    fprintf(stderr, "error: %s: cannot write: %s\n", tmp, strerror(errno));
    return 1;
  }
  bg_err_t err;
  int rc = bg_regmap_emit(rm, kind, f, &err);
  if (fclose(f) != 0 || rc != BG_OK) {
    fprintf(stderr, "error: %s: %s\n", tmp, rc != BG_OK ? err.msg : "write failed");
    remove(tmp);
    return 1;
  }
  if (rename(tmp, path) != 0) {
    fprintf(stderr, "error: %s: cannot rename to %s: %s\n", tmp, path, strerror(errno));
    remove(tmp);
    return 1;
  }
  printf("%s\n", path);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 3 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
    usage(argc < 2 || argv[1][0] == '-' ? stdout : stderr);
    return argc >= 2 && argv[1][0] == '-' ? 0 : 2;
  }
  static bg_regmap_t rm;
  bg_err_t err;
  if (strcmp(argv[1], "check") == 0 && argc == 3) {
    if (bg_regmap_load(argv[2], &rm, &err) != BG_OK) {
      fprintf(stderr, "%s\n", err.msg);
      return 1;
    }
    printf("%s: ok (register map \"%s\" %d.%d, %d registers)\n", argv[2], rm.name, rm.major,
           rm.minor, rm.n_regs);
    for (int k = 0; k < rm.n_regs; k++) {
      printf("  0x%03x %-18s %s, %d field%s\n", rm.r[k].offset, rm.r[k].name,
             rm.r[k].words == 2 ? "64 bits" : "32 bits", rm.r[k].n_fields,
             rm.r[k].n_fields == 1 ? "" : "s");
    }
    return 0;
  }
  if (strcmp(argv[1], "gen") == 0 && (argc == 4 || (argc == 6 && strcmp(argv[4], "-o") == 0))) {
    const char *kind = argv[2];
    if (bg_regmap_file_name(kind) == NULL) {
      fprintf(stderr, "error: gen: expected c, verilog or md, found \"%s\"\n", kind);
      return 2;
    }
    if (bg_regmap_load(argv[3], &rm, &err) != BG_OK) {
      fprintf(stderr, "%s\n", err.msg);
      return 1;
    }
    if (argc == 4) return bg_regmap_emit(&rm, kind, stdout, &err) == BG_OK ? 0 : 1;
    return write_file(&rm, kind, argv[5]);
  }
  usage(stderr);
  return 2;
}
