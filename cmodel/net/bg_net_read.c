/* SPDX-License-Identifier: Apache-2.0 */
/* Typed, path-aware readers over a cJSON tree (private to cmodel/net). */
#include "bg_net_read.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void bg_rd_fail(bg_rd_t *rd, const char *path, const char *fmt, ...) {
  rd->count++;
  if (rd->err == NULL) return;
  char line[512];
  int n = snprintf(line, sizeof line, "%s: %s%s", rd->file, path, path[0] ? ": " : "");
  if (n < 0) n = 0;
  if ((size_t)n < sizeof line) {
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line + n, sizeof line - (size_t)n, fmt, ap);
    va_end(ap);
  }
  size_t len = strlen(line);
  /* Keep room for the "... and N more" line that bg_rd_finish may add. */
  if (rd->used + len + 2 > sizeof rd->err->msg - 64) {
    rd->dropped++;
    return;
  }
  if (rd->used > 0) rd->err->msg[rd->used++] = '\n';
  memcpy(rd->err->msg + rd->used, line, len + 1);
  rd->used += len;
}

int bg_rd_finish(bg_rd_t *rd, int code) {
  if (rd->count == 0) return BG_OK;
  if (rd->dropped > 0 && rd->err != NULL) {
    snprintf(rd->err->msg + rd->used, sizeof rd->err->msg - rd->used,
             "\n%s: ... and %d more problem%s", rd->file, rd->dropped, rd->dropped > 1 ? "s" : "");
  }
  return code;
}

void bg_rd_join(char *out, const char *path, const char *key) {
  if (path[0] == '\0') {
    snprintf(out, BG_PATH_LEN, "%s", key);
  } else {
    snprintf(out, BG_PATH_LEN, "%s.%s", path, key);
  }
}

void bg_rd_index(char *out, const char *path, int index) {
  snprintf(out, BG_PATH_LEN, "%s[%d]", path, index);
}

void bg_rd_describe(const cJSON *v, char *buf, size_t len) {
  if (v == NULL) {
    snprintf(buf, len, "nothing");
  } else if (cJSON_IsNumber(v)) {
    snprintf(buf, len, "%.17g", v->valuedouble);
    /* Integers as integers; otherwise the shortest form that reads back to the same double. */
    if (fabs(v->valuedouble) < 1e15 && v->valuedouble == floor(v->valuedouble)) {
      snprintf(buf, len, "%.0f", v->valuedouble);
      return;
    }
    for (int prec = 1; prec <= 17; prec++) {
      char tmp[40];
      snprintf(tmp, sizeof tmp, "%.*g", prec, v->valuedouble);
      if (strtod(tmp, NULL) == v->valuedouble) {
        snprintf(buf, len, "%s", tmp);
        break;
      }
    }
  } else if (cJSON_IsString(v)) {
    snprintf(buf, len, "the string \"%.40s%s\"", v->valuestring,
             strlen(v->valuestring) > 40 ? "..." : "");
  } else if (cJSON_IsBool(v)) {
    snprintf(buf, len, "%s", cJSON_IsTrue(v) ? "true" : "false");
  } else if (cJSON_IsNull(v)) {
    snprintf(buf, len, "null");
  } else if (cJSON_IsArray(v)) {
    snprintf(buf, len, "an array of %d element%s", cJSON_GetArraySize(v),
             cJSON_GetArraySize(v) == 1 ? "" : "s");
  } else if (cJSON_IsObject(v)) {
    snprintf(buf, len, "an object");
  } else {
    snprintf(buf, len, "an unreadable value");
  }
}

/* Edit distance, capped: good enough to suggest "threshold" for "treshold". */
static size_t edit_distance(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);
  if (la > 63 || lb > 63) return 99;
  size_t prev[64], cur[64];
  for (size_t j = 0; j <= lb; j++) prev[j] = j;
  for (size_t i = 1; i <= la; i++) {
    cur[0] = i;
    for (size_t j = 1; j <= lb; j++) {
      size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
      size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
      cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
    }
    memcpy(prev, cur, (lb + 1) * sizeof prev[0]);
  }
  return prev[lb];
}

void bg_rd_check_keys(bg_rd_t *rd, const cJSON *obj, const char *path,
                      const char *const *allowed) {
  for (const cJSON *c = obj->child; c != NULL; c = c->next) {
    const char *key = c->string ? c->string : "";
    char where[BG_PATH_LEN];
    bg_rd_join(where, path, key);
    for (const cJSON *p = obj->child; p != c; p = p->next) {
      if (p->string != NULL && strcmp(p->string, key) == 0) {
        bg_rd_fail(rd, where, "duplicate key \"%s\" (each key may appear once)", key);
        break;
      }
    }
    int known = 0;
    const char *best = NULL;
    size_t best_d = 3;
    for (const char *const *a = allowed; *a != NULL; a++) {
      if (strcmp(*a, key) == 0) {
        known = 1;
        break;
      }
      size_t d = edit_distance(*a, key);
      if (d < best_d) {
        best_d = d;
        best = *a;
      }
    }
    if (known) continue;
    char list[400] = "";
    size_t n = 0;
    for (const char *const *a = allowed; *a != NULL && n + 40 < sizeof list; a++) {
      n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", a == allowed ? "" : ", ", *a);
    }
    if (best != NULL) {
      bg_rd_fail(rd, where, "unknown key \"%.60s\" (did you mean \"%s\"? allowed here: %s)", key,
                 best, list);
    } else {
      bg_rd_fail(rd, where, "unknown key \"%.60s\" (allowed here: %s)", key, list);
    }
  }
}

const cJSON *bg_rd_member(const cJSON *obj, const char *key) {
  if (obj == NULL || !cJSON_IsObject(obj)) return NULL;
  return cJSON_GetObjectItemCaseSensitive(obj, key);
}

const cJSON *bg_rd_object(bg_rd_t *rd, const cJSON *obj, const char *path, const char *key,
                          const char *const *allowed) {
  const cJSON *v = bg_rd_member(obj, key);
  if (v == NULL) return NULL;
  char where[BG_PATH_LEN], found[96];
  bg_rd_join(where, path, key);
  if (!cJSON_IsObject(v)) {
    bg_rd_describe(v, found, sizeof found);
    bg_rd_fail(rd, where, "expected an object, found %s", found);
    return NULL;
  }
  bg_rd_check_keys(rd, v, where, allowed);
  return v;
}

bool bg_rd_int(bg_rd_t *rd, const cJSON *obj, const char *path, const char *key, int64_t def,
               int64_t lo, int64_t hi, int64_t *out) {
  *out = def;
  const cJSON *v = bg_rd_member(obj, key);
  if (v == NULL) return false;
  char where[BG_PATH_LEN], found[96];
  bg_rd_join(where, path, key);
  double d = cJSON_IsNumber(v) ? v->valuedouble : 0.0;
  if (!cJSON_IsNumber(v) || !isfinite(d) || d != floor(d) || d < (double)lo || d > (double)hi) {
    bg_rd_describe(v, found, sizeof found);
    bg_rd_fail(rd, where, "expected an integer in [%lld, %lld], found %s", (long long)lo,
               (long long)hi, found);
    return false;
  }
  *out = (int64_t)d;
  return true;
}

bool bg_rd_u32(bg_rd_t *rd, const cJSON *obj, const char *path, const char *key, uint32_t def,
               uint32_t lo, uint32_t hi, uint32_t *out) {
  int64_t v;
  bool ok = bg_rd_int(rd, obj, path, key, def, lo, hi, &v);
  *out = (uint32_t)v;
  return ok;
}

bool bg_rd_i32(bg_rd_t *rd, const cJSON *obj, const char *path, const char *key, int def, int lo,
               int hi, int *out) {
  int64_t v;
  bool ok = bg_rd_int(rd, obj, path, key, def, lo, hi, &v);
  *out = (int)v;
  return ok;
}

bool bg_rd_real(bg_rd_t *rd, const cJSON *obj, const char *path, const char *key, double def,
                double lo, bool lo_open, double hi, double *out) {
  *out = def;
  const cJSON *v = bg_rd_member(obj, key);
  if (v == NULL) return false;
  char where[BG_PATH_LEN], found[96];
  bg_rd_join(where, path, key);
  double d = cJSON_IsNumber(v) ? v->valuedouble : 0.0;
  if (!cJSON_IsNumber(v) || !isfinite(d) || d > hi || (lo_open ? d <= lo : d < lo)) {
    bg_rd_describe(v, found, sizeof found);
    bg_rd_fail(rd, where, "expected a number in %s%g, %g], found %s", lo_open ? "(" : "[", lo,
               hi, found);
    return false;
  }
  *out = d;
  return true;
}

bool bg_rd_bool(bg_rd_t *rd, const cJSON *obj, const char *path, const char *key, bool def,
                bool *out) {
  *out = def;
  const cJSON *v = bg_rd_member(obj, key);
  if (v == NULL) return false;
  if (!cJSON_IsBool(v)) {
    char where[BG_PATH_LEN], found[96];
    bg_rd_join(where, path, key);
    bg_rd_describe(v, found, sizeof found);
    bg_rd_fail(rd, where, "expected true or false, found %s", found);
    return false;
  }
  *out = cJSON_IsTrue(v);
  return true;
}

bool bg_rd_enum(bg_rd_t *rd, const cJSON *obj, const char *path, const char *key,
                const char *const *names, int def, int *out) {
  *out = def;
  const cJSON *v = bg_rd_member(obj, key);
  if (v == NULL) return false;
  if (cJSON_IsString(v)) {
    for (int i = 0; names[i] != NULL; i++) {
      if (strcmp(names[i], v->valuestring) == 0) {
        *out = i;
        return true;
      }
    }
  }
  char where[BG_PATH_LEN], found[96], list[200] = "";
  size_t n = 0;
  for (int i = 0; names[i] != NULL && n + 40 < sizeof list; i++) {
    n += (size_t)snprintf(list + n, sizeof list - n, "%s\"%s\"", i ? ", " : "", names[i]);
  }
  bg_rd_join(where, path, key);
  bg_rd_describe(v, found, sizeof found);
  bg_rd_fail(rd, where, "expected one of %s, found %s", list, found);
  return false;
}

bool bg_rd_string(bg_rd_t *rd, const cJSON *obj, const char *path, const char *key,
                  const char *def, bool ident, char *out, size_t cap) {
  snprintf(out, cap, "%s", def ? def : "");
  const cJSON *v = bg_rd_member(obj, key);
  if (v == NULL) return false;
  char where[BG_PATH_LEN], found[96];
  bg_rd_join(where, path, key);
  bg_rd_describe(v, found, sizeof found);
  if (!cJSON_IsString(v)) {
    bg_rd_fail(rd, where, "expected a string, found %s", found);
    return false;
  }
  size_t len = strlen(v->valuestring);
  if (len >= cap) {
    bg_rd_fail(rd, where, "expected at most %zu characters, found %zu", cap - 1, len);
    return false;
  }
  if (ident) {
    bool ok = len > 0;
    for (size_t i = 0; i < len; i++) {
      char ch = v->valuestring[i];
      if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_' || ch == '-')) {
        ok = false;
      }
    }
    if (!ok) {
      bg_rd_fail(rd, where, "expected a name of 1 to %zu characters from [a-z0-9_-], found %s",
                 cap - 1, found);
      return false;
    }
  } else {
    for (size_t i = 0; i < len; i++) {
      if ((unsigned char)v->valuestring[i] < 0x20) {
        bg_rd_fail(rd, where, "expected printable text, found a control character at index %zu",
                   i);
        return false;
      }
    }
  }
  memcpy(out, v->valuestring, len + 1);
  return true;
}
