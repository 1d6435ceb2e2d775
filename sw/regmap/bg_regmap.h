/* SPDX-License-Identifier: Apache-2.0 */
/* The register map: one JSON file (sw/regmap/regmap.json) parsed and checked into one struct,
 * from which bgregmap generates the C header, the SystemVerilog package and docs/regmap.md
 * (docs/driver.md). Same reader as the network description: every problem is reported as
 * `<file>: <json.path>: expected ..., found ...`. */
#ifndef BG_REGMAP_H
#define BG_REGMAP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bg_err.h"

#define BG_REGMAP_FORMAT "biograd-regmap/1"
#define BG_REGMAP_MAX_REGS 64
#define BG_REGMAP_MAX_FIELDS 16
#define BG_REGMAP_MAX_ENUM 16
#define BG_REGMAP_NAME_LEN 24
#define BG_REGMAP_DOC_LEN 320
#define BG_REGMAP_SPAN 0x1000u      /* byte addresses 0 … 0xfff */

/* How a field answers reads and writes. */
typedef enum {
  BG_ACC_RW = 0,   /* read and write */
  BG_ACC_RO = 1,   /* read only: a write sets ERROR.READ_ONLY and changes nothing */
  BG_ACC_W1C = 2,  /* sticky flag: writing 1 clears it */
  BG_ACC_W1P = 3   /* pulse: writing 1 acts once; reads as 0 */
} bg_access_e;

typedef struct {
  char name[BG_REGMAP_NAME_LEN];
  uint32_t value;
} bg_reg_enum_t;

typedef struct {
  char name[BG_REGMAP_NAME_LEN];
  int lsb, width;
  bg_access_e access;
  char doc[BG_REGMAP_DOC_LEN];
  int n_enum;
  bg_reg_enum_t en[BG_REGMAP_MAX_ENUM];
} bg_reg_field_t;

typedef struct {
  char name[BG_REGMAP_NAME_LEN];
  uint32_t offset;             /* byte address, a multiple of 4 */
  int words;                   /* 1, or 2 for a 64-bit counter (low word first) */
  bg_access_e access;          /* default of its fields */
  uint32_t reset;              /* when reset_from is empty */
  char reset_from[BG_REGMAP_NAME_LEN];  /* else: the description constant (bgnet consts) */
  char doc[BG_REGMAP_DOC_LEN];
  int n_fields;                /* >= 1: a register without fields has one, VALUE[31:0] */
  bool implicit_field;         /* the VALUE field was not written in the JSON */
  bg_reg_field_t f[BG_REGMAP_MAX_FIELDS];
} bg_reg_t;

typedef struct {
  char file[256];
  char name[BG_REGMAP_NAME_LEN];
  char description[BG_REGMAP_DOC_LEN];
  int major, minor;
  int n_regs;
  bg_reg_t r[BG_REGMAP_MAX_REGS];
} bg_regmap_t;

/* Parse and check (offsets aligned, in range and not overlapping; fields inside 32 bits and not
 * overlapping; resets and enum values fitting their fields; names unique and in [A-Z0-9_]). */
int bg_regmap_parse(const char *text, size_t len, const char *name, bg_regmap_t *rm,
                    bg_err_t *err);
int bg_regmap_load(const char *path, bg_regmap_t *rm, bg_err_t *err);

/* Bits of register r that a field of the given access occupies. */
uint32_t bg_reg_mask(const bg_reg_t *r, bg_access_e access);

/* The generated files (deterministic: no dates, no paths beyond the map's own name). kind:
 * "c" (bg_regmap.h), "verilog" (bg_regmap_pkg.sv), "md" (regmap.md). */
int bg_regmap_emit(const bg_regmap_t *rm, const char *kind, FILE *out, bg_err_t *err);
/* File name of a kind's output, NULL for an unknown kind. */
const char *bg_regmap_file_name(const char *kind);

#endif /* BG_REGMAP_H */
