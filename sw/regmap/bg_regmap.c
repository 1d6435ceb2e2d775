/* SPDX-License-Identifier: Apache-2.0 */
/* Register-map reader and checks (bg_regmap.h). The JSON schema is documented in
 * docs/driver.md, "The register map". */
#include "bg_regmap.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bg_file.h"
#include "bg_net_read.h"

#define REGMAP_MAX_FILE (1u << 20)

static const char *const kAccessNames[] = {"rw", "ro", "w1c", "w1p", NULL};

static bool upper_ident(const char *s) {
  if (s[0] == '\0' || (s[0] >= '0' && s[0] <= '9')) return false;
  for (const char *p = s; *p; p++) {
    if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_')) return false;
  }
  return true;
}

/* A name in [A-Z0-9_], starting with a letter or '_'. */
static bool read_name(bg_rd_t *rd, const cJSON *o, const char *path, char *out) {
  char where[BG_PATH_LEN];
  bg_rd_join(where, path, "name");
  if (bg_rd_member(o, "name") == NULL) {
    bg_rd_fail(rd, where, "required: a name such as \"CTRL\"");
    return false;
  }
  if (!bg_rd_string(rd, o, path, "name", "", false, out, BG_REGMAP_NAME_LEN)) return false;
  if (!upper_ident(out)) {
    bg_rd_fail(rd, where, "expected a name from [A-Z0-9_] not starting with a digit, found \"%s\"",
               out);
    return false;
  }
  return true;
}

/* A 32-bit unsigned value written as a number or a string ("0x…" or decimal). */
static bool read_u32(bg_rd_t *rd, const cJSON *o, const char *path, const char *key, uint32_t *out) {
  const cJSON *v = bg_rd_member(o, key);
  if (v == NULL) return false;
  char where[BG_PATH_LEN], found[96];
  bg_rd_join(where, path, key);
  bg_rd_describe(v, found, sizeof found);
  if (cJSON_IsNumber(v)) {
    double d = v->valuedouble;
    if (d >= 0 && d <= 4294967295.0 && d == (double)(uint32_t)d) {
      *out = (uint32_t)d;
      return true;
    }
  } else if (cJSON_IsString(v) && v->valuestring[0] != '\0') {
    char *end = NULL;
    errno = 0;
    unsigned long long x = strtoull(v->valuestring, &end, 0);
    if (errno == 0 && *end == '\0' && x <= 0xffffffffull && v->valuestring[0] != '-') {
      *out = (uint32_t)x;
      return true;
    }
  }
  bg_rd_fail(rd, where, "expected an unsigned 32-bit value (a number, or a string such as "
             "\"0x1f\"), found %s", found);
  return false;
}

static uint32_t field_mask(int lsb, int width) {
  uint32_t m = width >= 32 ? 0xffffffffu : ((1u << width) - 1u);
  return m << lsb;
}

uint32_t bg_reg_mask(const bg_reg_t *r, bg_access_e access) {
  uint32_t m = 0;
  for (int k = 0; k < r->n_fields; k++) {
    if (r->f[k].access == access) m |= field_mask(r->f[k].lsb, r->f[k].width);
  }
  return m;
}

static void read_enum(bg_rd_t *rd, const cJSON *e, const char *path, bg_reg_field_t *f) {
  if (!cJSON_IsObject(e)) {
    char found[96];
    bg_rd_describe(e, found, sizeof found);
    bg_rd_fail(rd, path, "expected an object of NAME: value, found %s", found);
    return;
  }
  for (const cJSON *c = e->child; c != NULL; c = c->next) {
    char where[BG_PATH_LEN];
    bg_rd_join(where, path, c->string ? c->string : "");
    if (f->n_enum >= BG_REGMAP_MAX_ENUM) {
      bg_rd_fail(rd, where, "expected at most %d values", BG_REGMAP_MAX_ENUM);
      return;
    }
    bg_reg_enum_t *v = &f->en[f->n_enum];
    if (c->string == NULL || strlen(c->string) >= BG_REGMAP_NAME_LEN || !upper_ident(c->string)) {
      bg_rd_fail(rd, where, "expected a value name from [A-Z0-9_]");
      continue;
    }
    snprintf(v->name, sizeof v->name, "%s", c->string);
    uint32_t x;
    if (!read_u32(rd, e, path, c->string, &x)) continue;
    if (f->width < 32 && x >> f->width != 0) {
      bg_rd_fail(rd, where, "expected a value that fits the field's %d bits, found %u", f->width, x);
      continue;
    }
    for (int k = 0; k < f->n_enum; k++) {
      if (f->en[k].value == x) {
        bg_rd_fail(rd, where, "expected a value of its own, found %u (also %s)", x, f->en[k].name);
      }
    }
    v->value = x;
    f->n_enum++;
  }
}

static void read_field(bg_rd_t *rd, const cJSON *o, const char *path, bg_reg_t *r,
                       bg_reg_field_t *f) {
  static const char *const keys[] = {"name", "lsb", "width", "access", "doc", "enum", NULL};
  if (!cJSON_IsObject(o)) {
    bg_rd_fail(rd, path, "expected a field object");
    return;
  }
  bg_rd_check_keys(rd, o, path, keys);
  read_name(rd, o, path, f->name);
  char where[BG_PATH_LEN];
  bg_rd_join(where, path, "lsb");
  if (bg_rd_member(o, "lsb") == NULL) bg_rd_fail(rd, where, "required: the field's lowest bit");
  bg_rd_i32(rd, o, path, "lsb", 0, 0, 31, &f->lsb);
  bg_rd_i32(rd, o, path, "width", 1, 1, 32, &f->width);
  if (f->lsb + f->width > 32) {
    bg_rd_join(where, path, "width");
    bg_rd_fail(rd, where, "expected the field to end inside the 32-bit register, found bits "
               "%d..%d", f->lsb + f->width - 1, f->lsb);
  }
  int acc = (int)r->access;
  bg_rd_enum(rd, o, path, "access", kAccessNames, acc, &acc);
  f->access = (bg_access_e)acc;
  if (r->access == BG_ACC_RO && f->access != BG_ACC_RO) {
    bg_rd_join(where, path, "access");
    bg_rd_fail(rd, where, "expected \"ro\" in a read-only register, found \"%s\"",
               kAccessNames[f->access]);
  }
  bg_rd_string(rd, o, path, "doc", "", false, f->doc, sizeof f->doc);
  const cJSON *e = bg_rd_member(o, "enum");
  if (e != NULL) {
    bg_rd_join(where, path, "enum");
    read_enum(rd, e, where, f);
  }
}

static void read_register(bg_rd_t *rd, const cJSON *o, const char *path, bg_reg_t *r) {
  static const char *const keys[] = {"name", "offset", "access", "reset", "reset_from", "words",
                                     "doc", "fields", NULL};
  if (!cJSON_IsObject(o)) {
    char found[96];
    bg_rd_describe(o, found, sizeof found);
    bg_rd_fail(rd, path, "expected a register object, found %s", found);
    return;
  }
  bg_rd_check_keys(rd, o, path, keys);
  read_name(rd, o, path, r->name);
  char where[BG_PATH_LEN];
  bg_rd_join(where, path, "offset");
  if (bg_rd_member(o, "offset") == NULL) {
    bg_rd_fail(rd, where, "required: the byte address, e.g. \"0x010\"");
  } else if (read_u32(rd, o, path, "offset", &r->offset)) {
    if (r->offset % 4 != 0 || r->offset >= BG_REGMAP_SPAN) {
      bg_rd_fail(rd, where, "expected a multiple of 4 below 0x%x, found 0x%x", BG_REGMAP_SPAN,
                 r->offset);
    }
  }
  int acc = BG_ACC_RW;
  bg_rd_enum(rd, o, path, "access", kAccessNames, acc, &acc);
  r->access = (bg_access_e)acc;
  if (r->access == BG_ACC_W1C || r->access == BG_ACC_W1P) {
    bg_rd_join(where, path, "access");
    bg_rd_fail(rd, where, "expected \"rw\" or \"ro\" for a register (w1c and w1p are field "
               "kinds), found \"%s\"", kAccessNames[r->access]);
  }
  bg_rd_i32(rd, o, path, "words", 1, 1, 2, &r->words);
  bg_rd_string(rd, o, path, "doc", "", false, r->doc, sizeof r->doc);
  read_u32(rd, o, path, "reset", &r->reset);
  if (bg_rd_member(o, "reset_from") != NULL &&
      bg_rd_string(rd, o, path, "reset_from", "", false, r->reset_from, sizeof r->reset_from)) {
    bg_rd_join(where, path, "reset_from");
    if (!upper_ident(r->reset_from)) {
      bg_rd_fail(rd, where, "expected a constant name of the description (bgnet consts), found "
                 "\"%s\"", r->reset_from);
    } else if (bg_rd_member(o, "reset") != NULL) {
      bg_rd_fail(rd, where, "expected either reset or reset_from, found both");
    }
  }
  const cJSON *fs = bg_rd_member(o, "fields");
  bg_rd_join(where, path, "fields");
  if (fs == NULL) {
    r->n_fields = 1;
    r->implicit_field = true;
    bg_reg_field_t *f = &r->f[0];
    snprintf(f->name, sizeof f->name, "VALUE");
    f->lsb = 0;
    f->width = 32;
    f->access = r->access;
  } else if (!cJSON_IsArray(fs) || cJSON_GetArraySize(fs) == 0) {
    bg_rd_fail(rd, where, "expected a non-empty array of fields");
  } else if (r->words != 1) {
    bg_rd_fail(rd, where, "expected no fields in a 64-bit register (words: 2)");
  } else {
    int k = 0;
    for (const cJSON *c = fs->child; c != NULL; c = c->next, k++) {
      char at[BG_PATH_LEN];
      bg_rd_index(at, where, k);
      if (k >= BG_REGMAP_MAX_FIELDS) {
        bg_rd_fail(rd, at, "expected at most %d fields", BG_REGMAP_MAX_FIELDS);
        break;
      }
      read_field(rd, c, at, r, &r->f[k]);
      r->n_fields = k + 1;
    }
  }
  /* fields must not overlap or share a name */
  for (int a = 0; a < r->n_fields; a++) {
    for (int b = 0; b < a; b++) {
      char at[BG_PATH_LEN];
      bg_rd_index(at, where, a);
      if (field_mask(r->f[a].lsb, r->f[a].width) & field_mask(r->f[b].lsb, r->f[b].width)) {
        bg_rd_fail(rd, at, "expected bits of its own, found %s overlapping %s", r->f[a].name,
                   r->f[b].name);
      }
      if (strcmp(r->f[a].name, r->f[b].name) == 0) {
        bg_rd_fail(rd, at, "expected a field name of its own, found \"%s\" twice", r->f[a].name);
      }
    }
  }
  uint32_t all = 0;
  for (int a = 0; a < r->n_fields; a++) all |= field_mask(r->f[a].lsb, r->f[a].width);
  if (r->reset & ~all) {
    bg_rd_join(where, path, "reset");
    bg_rd_fail(rd, where, "expected reset bits only inside fields, found 0x%08x outside them",
               r->reset & ~all);
  }
}

int bg_regmap_parse(const char *text, size_t len, const char *name, bg_regmap_t *rm,
                    bg_err_t *err) {
  if (text == NULL || rm == NULL) return bg_err_set(err, BG_E_ARG, "bg_regmap_parse: NULL argument");
  if (name == NULL) name = "<memory>";
  memset(rm, 0, sizeof *rm);
  snprintf(rm->file, sizeof rm->file, "%s", name);
  if (len > REGMAP_MAX_FILE) {
    return bg_err_set(err, BG_E_FORMAT, "%s: expected a register map of at most %u bytes, found "
                      "%zu", name, REGMAP_MAX_FILE, len);
  }
  if (memchr(text, '\0', len) != NULL) {
    return bg_err_set(err, BG_E_FORMAT, "%s: byte offset %zu: expected JSON text, found a NUL "
                      "byte", name, (size_t)((const char *)memchr(text, '\0', len) - text));
  }
  char *buf = malloc(len + 1);
  if (buf == NULL) return bg_err_set(err, BG_E_NOMEM, "%s: out of memory", name);
  memcpy(buf, text, len);
  buf[len] = '\0';
  const char *end = NULL;
  cJSON *root = cJSON_ParseWithOpts(buf, &end, 1);
  if (root == NULL) {
    size_t off = end != NULL && end >= buf && end <= buf + len ? (size_t)(end - buf) : len;
    free(buf);
    return bg_err_set(err, BG_E_FORMAT, "%s: byte offset %zu: expected valid JSON", name, off);
  }
  free(buf);
  bg_rd_t rd = {.file = name, .err = err};
  if (err != NULL) err->msg[0] = '\0';
  static const char *const top[] = {"format", "name", "description", "version", "registers",
                                    NULL};
  static const char *const ver[] = {"major", "minor", NULL};
  if (!cJSON_IsObject(root)) {
    bg_rd_fail(&rd, "", "expected a JSON object at the top level");
    cJSON_Delete(root);
    return bg_rd_finish(&rd, BG_E_FORMAT);
  }
  bg_rd_check_keys(&rd, root, "", top);
  char format[32];
  if (!bg_rd_string(&rd, root, "", "format", "", false, format, sizeof format) ||
      strcmp(format, BG_REGMAP_FORMAT) != 0) {
    bg_rd_fail(&rd, "format", "required: \"%s\"", BG_REGMAP_FORMAT);
  }
  bg_rd_string(&rd, root, "", "name", "regmap", true, rm->name, sizeof rm->name);
  bg_rd_string(&rd, root, "", "description", "", false, rm->description, sizeof rm->description);
  const cJSON *v = bg_rd_object(&rd, root, "", "version", ver);
  bg_rd_i32(&rd, v, "version", "major", 1, 0, 255, &rm->major);
  bg_rd_i32(&rd, v, "version", "minor", 0, 0, 255, &rm->minor);
  const cJSON *regs = bg_rd_member(root, "registers");
  if (!cJSON_IsArray(regs) || cJSON_GetArraySize(regs) == 0) {
    bg_rd_fail(&rd, "registers", "required: a non-empty array of registers");
  } else {
    int k = 0;
    for (const cJSON *c = regs->child; c != NULL; c = c->next, k++) {
      char at[BG_PATH_LEN];
      bg_rd_index(at, "registers", k);
      if (k >= BG_REGMAP_MAX_REGS) {
        bg_rd_fail(&rd, at, "expected at most %d registers", BG_REGMAP_MAX_REGS);
        break;
      }
      read_register(&rd, c, at, &rm->r[k]);
      rm->n_regs = k + 1;
    }
  }
  /* registers must not overlap or share a name */
  for (int a = 0; a < rm->n_regs; a++) {
    const bg_reg_t *ra = &rm->r[a];
    for (int b = 0; b < a; b++) {
      const bg_reg_t *rb = &rm->r[b];
      char at[BG_PATH_LEN];
      bg_rd_index(at, "registers", a);
      uint32_t a0 = ra->offset, a1 = ra->offset + 4u * (uint32_t)ra->words;
      uint32_t b0 = rb->offset, b1 = rb->offset + 4u * (uint32_t)rb->words;
      if (a0 < b1 && b0 < a1) {
        bg_rd_fail(&rd, at, "expected an address of its own, found 0x%03x overlapping %s at 0x%03x",
                   ra->offset, rb->name, rb->offset);
      }
      if (strcmp(ra->name, rb->name) == 0) {
        bg_rd_fail(&rd, at, "expected a register name of its own, found \"%s\" twice", ra->name);
      }
    }
  }
  cJSON_Delete(root);
  return bg_rd_finish(&rd, BG_E_RANGE);
}

int bg_regmap_load(const char *path, bg_regmap_t *rm, bg_err_t *err) {
  uint8_t *buf = NULL;
  size_t len = 0;
  int rc = bg_read_file(path, REGMAP_MAX_FILE, &buf, &len, err);
  if (rc != BG_OK) return rc;
  rc = bg_regmap_parse((const char *)buf, len, path, rm, err);
  free(buf);
  return rc;
}
