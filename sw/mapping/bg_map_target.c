/* SPDX-License-Identifier: Apache-2.0 */
/* Target descriptions (bg_map.h; the schema is in docs/mapping.md), read with the network
 * description's path-aware reader: every problem as `<file>: <json.path>: expected ..., found`. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "bg_map.h"
#include "bg_file.h"
#include "bg_net_read.h"

#define TARGET_MAX_FILE (1u << 20)

static void required(bg_rd_t *rd, const cJSON *o, const char *path, const char *key) {
  if (o != NULL && bg_rd_member(o, key) == NULL) {
    char at[BG_PATH_LEN];
    bg_rd_join(at, path, key);
    bg_rd_fail(rd, at, "required");
  }
}

int bg_target_parse(const char *text, size_t len, const char *name, bg_target_t *t,
                    bg_err_t *err) {
  if (text == NULL || t == NULL) return bg_err_set(err, BG_E_ARG, "bg_target_parse: NULL argument");
  memset(t, 0, sizeof *t);
  snprintf(t->file, sizeof t->file, "%s", name ? name : "<memory>");
  if (len > TARGET_MAX_FILE || memchr(text, '\0', len) != NULL) {
    return bg_err_set(err, BG_E_FORMAT, "%s: expected JSON text of at most %u bytes", t->file,
                      TARGET_MAX_FILE);
  }
  char *buf = malloc(len + 1);
  if (buf == NULL) return bg_err_set(err, BG_E_NOMEM, "%s: out of memory", t->file);
  memcpy(buf, text, len);
  buf[len] = '\0';
  const char *end = NULL;
  cJSON *root = cJSON_ParseWithOpts(buf, &end, 1);
  size_t off = end != NULL && end >= buf && end <= buf + len ? (size_t)(end - buf) : len;
  free(buf);
  if (root == NULL) {
    return bg_err_set(err, BG_E_FORMAT, "%s: byte offset %zu: expected valid JSON", t->file, off);
  }
  bg_rd_t rd = {.file = t->file, .err = err};
  if (err != NULL) err->msg[0] = '\0';
  static const char *const top[] = {"format", "name", "description", "chip", "core", "weights",
                                    "learning", "energy_pj", "time_ns", "sources", NULL};
  static const char *const chip[] = {"cores", "max_chips", NULL};
  static const char *const core[] = {"compartments", "synaptic_memory_bits", "input_axons",
                                     "output_axons", NULL};
  static const char *const wts[] = {"max_bits", "min_exponent", "max_exponent", NULL};
  static const char *const lrn[] = {"traces_pre", "traces_post", "trace_bits", "max_epoch", NULL};
  static const char *const en[] = {"synaptic_op", "synaptic_update", "neuron_update_active",
                                   "neuron_update_inactive", "spike_in_tile", "tile_hop", NULL};
  static const char *const tm[] = {"synaptic_op", "synaptic_update", "neuron_update_active",
                                   "neuron_update_inactive", "barrier", NULL};
  if (!cJSON_IsObject(root)) {
    bg_rd_fail(&rd, "", "expected a JSON object at the top level");
  } else {
    bg_rd_check_keys(&rd, root, "", top);
    char format[32];
    if (!bg_rd_string(&rd, root, "", "format", "", false, format, sizeof format) ||
        strcmp(format, BG_TARGET_FORMAT) != 0) {
      bg_rd_fail(&rd, "format", "required: \"%s\"", BG_TARGET_FORMAT);
    }
    required(&rd, root, "", "name");
    bg_rd_string(&rd, root, "", "name", "", true, t->name, sizeof t->name);
    bg_rd_string(&rd, root, "", "description", "", false, t->description, sizeof t->description);
    bg_rd_string(&rd, root, "", "sources", "", false, t->sources, sizeof t->sources);
    const cJSON *c = bg_rd_object(&rd, root, "", "chip", chip);
    required(&rd, root, "", "chip");
    required(&rd, c, "chip", "cores");
    bg_rd_u32(&rd, c, "chip", "cores", 1, 1, 1u << 20, &t->cores_per_chip);
    bg_rd_u32(&rd, c, "chip", "max_chips", 1, 1, 1u << 20, &t->max_chips);
    const cJSON *k = bg_rd_object(&rd, root, "", "core", core);
    required(&rd, root, "", "core");
    for (int i = 0; core[i]; i++) required(&rd, k, "core", core[i]);
    bg_rd_u32(&rd, k, "core", "compartments", 1, 1, UINT32_MAX, &t->compartments);
    int64_t bits = 1;
    bg_rd_int(&rd, k, "core", "synaptic_memory_bits", 1, 1, INT64_C(1) << 48, &bits);
    t->synaptic_bits = (uint64_t)bits;
    bg_rd_u32(&rd, k, "core", "input_axons", 1, 1, UINT32_MAX, &t->input_axons);
    bg_rd_u32(&rd, k, "core", "output_axons", 1, 1, UINT32_MAX, &t->output_axons);
    const cJSON *w = bg_rd_object(&rd, root, "", "weights", wts);
    required(&rd, root, "", "weights");
    bg_rd_i32(&rd, w, "weights", "max_bits", 8, 1, 64, &t->max_weight_bits);
    bg_rd_i32(&rd, w, "weights", "min_exponent", -64, -1024, 1024, &t->min_exponent);
    bg_rd_i32(&rd, w, "weights", "max_exponent", 64, -1024, 1024, &t->max_exponent);
    if (t->min_exponent > t->max_exponent) {
      bg_rd_fail(&rd, "weights.min_exponent", "expected at most max_exponent (%d), found %d",
                 t->max_exponent, t->min_exponent);
    }
    const cJSON *l = bg_rd_object(&rd, root, "", "learning", lrn);
    bg_rd_i32(&rd, l, "learning", "traces_pre", 0, 0, 64, &t->traces_pre);
    bg_rd_i32(&rd, l, "learning", "traces_post", 0, 0, 64, &t->traces_post);
    bg_rd_i32(&rd, l, "learning", "trace_bits", 32, 1, 64, &t->trace_bits);
    bg_rd_i32(&rd, l, "learning", "max_epoch", 1, 1, 1 << 16, &t->max_epoch);
    const cJSON *e = bg_rd_object(&rd, root, "", "energy_pj", en);
    t->has_energy = e != NULL;
    double *ed[] = {&t->e_synop, &t->e_synupd, &t->e_neuron_active, &t->e_neuron_inactive,
                    &t->e_spike_tile, &t->e_hop};
    for (int i = 0; en[i]; i++) {
      if (e) required(&rd, e, "energy_pj", en[i]);
      bg_rd_real(&rd, e, "energy_pj", en[i], 0.0, 0.0, false, 1e9, ed[i]);
    }
    const cJSON *ti = bg_rd_object(&rd, root, "", "time_ns", tm);
    t->has_time = ti != NULL;
    double *td[] = {&t->t_synop, &t->t_synupd, &t->t_neuron_active, &t->t_neuron_inactive,
                    &t->t_barrier};
    for (int i = 0; tm[i]; i++) {
      if (ti) required(&rd, ti, "time_ns", tm[i]);
      bg_rd_real(&rd, ti, "time_ns", tm[i], 0.0, 0.0, false, 1e9, td[i]);
    }
  }
  cJSON_Delete(root);
  return bg_rd_finish(&rd, BG_E_RANGE);
}

int bg_target_load(const char *path, bg_target_t *t, bg_err_t *err) {
  uint8_t *buf = NULL;
  size_t len = 0;
  int rc = bg_read_file(path, TARGET_MAX_FILE, &buf, &len, err);
  if (rc != BG_OK) return rc;
  rc = bg_target_parse((const char *)buf, len, path, t, err);
  free(buf);
  return rc;
}
