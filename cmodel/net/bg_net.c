/* SPDX-License-Identifier: Apache-2.0 */
/* Network description: JSON text -> bg_net_t, with every default explicit (docs/netdesc.md). */
#include "bg_net.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bg_net_read.h"

int bg_net_derive(bg_net_t *net, bg_rd_t *rd); /* bg_net_derive.c */

////////////////////////////////////////////////////////////////////////////////////////////////
// Spellings and defaults
////////////////////////////////////////////////////////////////////////////////////////////////

const char *const bg_net_rule_names[] = {"biograd", "bptt", "ssnn-bp", "bioleaf", NULL};
const char *const bg_net_errfb_names[] = {"tied", "fixed", NULL};
const char *const bg_net_drive_names[] = {"spikes", "rate", NULL};
const char *const bg_net_reset_names[] = {"hard", "soft", NULL};
const char *const bg_net_encoding_names[] = {"rate", "event", NULL};
const char *const bg_net_mode_names[] = {"trace", "replay", NULL};
const char *const bg_net_rounding_names[] = {"nearest", "stochastic", NULL};
const char *const bg_net_sleep_decay_names[] = {"oja", "none", NULL};
const char *const bg_net_fb_init_names[] = {"aligned", "random", "zero", NULL};
const char *const bg_net_wmem_names[] = {"auto", "ebr", "spram", NULL};

const char *bg_net_rule_name(bg_rule_e v) { return bg_net_rule_names[v]; }

static const bg_neuron_t kNeuronDefault = {
    .threshold = 0.3, .decay = 0.3, .decay_shift = 0, .reset = BG_RESET_HARD,
    .refractory = 0, .window = 0.3, .amplitude = 1.0,
};

static void set_defaults(bg_net_t *net) {
  memset(net, 0, sizeof *net);
  net->rule = BG_RULE_BIOGRAD;
  net->ropt.spatial = false;
  net->ropt.temporal = 0.0;
  net->ropt.kappa = 1.0;
  net->ropt.pre_decay = 0.5;
  net->ropt.target_rate = 0.5;
  net->ropt.error_feedback = BG_ERRFB_TIED;
  net->seed = 1;
  net->input.encoding = BG_ENC_RATE;
  net->input.bin_ms = 5;
  net->time.steps = 20;
  net->time.error_start = 5;
  net->fx.potential = (bg_fx_t){32, 16};
  net->fx.trace = (bg_fx_t){32, 16};
  net->fx.error = (bg_fx_t){32, 16};
  net->fx.dendrite = (bg_fx_t){64, 24};
  net->fx.accumulator_bits = 64;
  net->fx.count_bits = 16;
  net->learning.rate = 1e-3;
  net->learning.batch = 1;
  net->learning.mode = BG_LEARN_TRACE;
  net->learning.rounding = BG_ROUND_NEAREST;
  net->learning.bias = true;
  net->learning.error_threshold = 1.0;
  net->learning.rate_decay = 1.0;
  net->learning.trace_decay = -1.0;
  net->sleep.enabled = true;
  net->sleep.period = 128;
  net->sleep.steps = 50;
  net->sleep.samples = 128;
  net->sleep.noise_rate = -1.0;
  net->sleep.rate = 1e-4 / 3.0;
  net->sleep.decay = BG_SLEEP_DECAY_OJA;
  net->init.weight_scale = 1.0;
  net->init.bias_scale = 1.0;
  net->init.feedback = BG_FB_ALIGNED;
  net->hw.neurons_per_core = 256;
  net->hw.lanes = 1;
  net->hw.memory_banks = 1;
  net->hw.neuron_index_bits = 16;
  net->hw.weight_memory = BG_WMEM_AUTO;
}

////////////////////////////////////////////////////////////////////////////////////////////////
// Sections
////////////////////////////////////////////////////////////////////////////////////////////////

/* {"bits": b, "frac": f}. Storage is at most max_bits wide. */
static void read_fx(bg_rd_t *rd, const cJSON *obj, const char *path, const char *key,
                    int max_bits, bg_fx_t *fx) {
  static const char *const keys[] = {"bits", "frac", NULL};
  const cJSON *o = bg_rd_object(rd, obj, path, key, keys);
  if (o == NULL) return;
  char where[BG_PATH_LEN];
  bg_rd_join(where, path, key);
  bg_rd_i32(rd, o, where, "bits", fx->bits, 2, max_bits, &fx->bits);
  bg_rd_i32(rd, o, where, "frac", fx->frac, 0, 48, &fx->frac);
}

static void read_neuron(bg_rd_t *rd, const cJSON *obj, const char *path, bg_neuron_t *n) {
  static const char *const keys[] = {"threshold", "decay", "decay_shift", "reset", "refractory",
                                     "window", "amplitude", NULL};
  const cJSON *o = bg_rd_object(rd, obj, path, "neuron", keys);
  if (o == NULL) return;
  char where[BG_PATH_LEN];
  bg_rd_join(where, path, "neuron");
  int reset = (int)n->reset;
  bg_rd_real(rd, o, where, "threshold", n->threshold, 0.0, true, 1e6, &n->threshold);
  bool has_decay = bg_rd_member(o, "decay") != NULL;
  bool has_shift = bg_rd_member(o, "decay_shift") != NULL;
  if (has_decay && has_shift) {
    bg_rd_fail(rd, where,
               "expected either \"decay\" (a factor) or \"decay_shift\" (α = 1 - 2^-n), "
               "found both");
  } else if (has_decay) {
    bg_rd_real(rd, o, where, "decay", n->decay, 0.0, false, 1.0, &n->decay);
    if (n->decay >= 1.0) {
      char at[BG_PATH_LEN];
      bg_rd_join(at, where, "decay");
      bg_rd_fail(rd, at, "expected a factor in [0, 1) (1 would never leak), found %g", n->decay);
    }
    n->decay_shift = 0;
  } else if (has_shift) {
    if (bg_rd_i32(rd, o, where, "decay_shift", n->decay_shift, 1, 16, &n->decay_shift)) {
      n->decay = 1.0 - ldexp(1.0, -n->decay_shift);
    }
  }
  bg_rd_enum(rd, o, where, "reset", bg_net_reset_names, reset, &reset);
  n->reset = (bg_reset_e)reset;
  bg_rd_i32(rd, o, where, "refractory", n->refractory, 0, 255, &n->refractory);
  bg_rd_real(rd, o, where, "window", n->window, 0.0, false, 1e6, &n->window);
  bg_rd_real(rd, o, where, "amplitude", n->amplitude, 0.0, true, 1e6, &n->amplitude);
}

static void read_layers(bg_rd_t *rd, const cJSON *root, const bg_neuron_t *neuron_default,
                        bg_fx_t weight_default, bg_fx_t feedback_default, bg_net_t *net) {
  static const char *const in_keys[] = {"name", "size", NULL};
  static const char *const hid_keys[] = {"name", "size", "neuron", "weight", "feedback", NULL};
  static const char *const out_keys[] = {"name", "size", "neuron", "weight", NULL};
  const cJSON *layers = bg_rd_member(root, "layers");
  char found[96];
  if (layers == NULL) {
    bg_rd_fail(rd, "layers", "required: an array of layers, input first, output last");
    return;
  }
  int n = cJSON_IsArray(layers) ? cJSON_GetArraySize(layers) : -1;
  if (n < 2 || n > BG_NET_MAX_LAYERS) {
    bg_rd_describe(layers, found, sizeof found);
    bg_rd_fail(rd, "layers", "expected an array of 2 to %d layers (input, hidden..., output), "
               "found %s", BG_NET_MAX_LAYERS, found);
    return;
  }
  net->n_layers = n;
  uint32_t max_size = 1u << 24;
  int l = 0;
  for (const cJSON *lj = layers->child; lj != NULL; lj = lj->next, l++) {
    bg_layer_t *layer = &net->layers[l];
    char where[BG_PATH_LEN];
    bg_rd_index(where, "layers", l);
    if (!cJSON_IsObject(lj)) {
      bg_rd_describe(lj, found, sizeof found);
      bg_rd_fail(rd, where, "expected a layer object such as {\"size\": 100}, found %s", found);
      continue;
    }
    bool is_in = l == 0, is_out = l == n - 1;
    bg_rd_check_keys(rd, lj, where, is_in ? in_keys : is_out ? out_keys : hid_keys);
    char def_name[BG_NET_NAME_LEN];
    if (is_in) {
      snprintf(def_name, sizeof def_name, "input");
    } else if (is_out) {
      snprintf(def_name, sizeof def_name, "output");
    } else {
      snprintf(def_name, sizeof def_name, "hidden%d", l);
    }
    bg_rd_string(rd, lj, where, "name", def_name, true, layer->name, sizeof layer->name);
    for (int k = 0; k < l; k++) {
      if (strcmp(net->layers[k].name, layer->name) == 0) {
        char at[BG_PATH_LEN];
        bg_rd_join(at, where, "name");
        bg_rd_fail(rd, at, "expected a unique layer name, found \"%s\" again (layers[%d])",
                   layer->name, k);
      }
    }
    if (bg_rd_member(lj, "size") == NULL) {
      char at[BG_PATH_LEN];
      bg_rd_join(at, where, "size");
      bg_rd_fail(rd, at, "required: the number of neurons in this layer");
    }
    bg_rd_u32(rd, lj, where, "size", 1, 1, max_size, &layer->size);
    layer->neuron = *neuron_default;
    layer->weight = weight_default;
    layer->feedback = feedback_default;
    if (!is_in) {
      read_neuron(rd, lj, where, &layer->neuron);
      read_fx(rd, lj, where, "weight", 32, &layer->weight);
      if (!is_out) read_fx(rd, lj, where, "feedback", 32, &layer->feedback);
    }
  }
}

static void read_input(bg_rd_t *rd, const cJSON *root, bg_net_t *net) {
  static const char *const keys[] = {"encoding", "shape", "bin_ms", NULL};
  const cJSON *o = bg_rd_object(rd, root, "", "input", keys);
  int enc = (int)net->input.encoding;
  bg_rd_enum(rd, o, "input", "encoding", bg_net_encoding_names, enc, &enc);
  net->input.encoding = (bg_encoding_e)enc;
  uint32_t n0 = net->layers[0].size;
  net->input.shape[0] = enc == BG_ENC_EVENT ? 2 : 1;
  net->input.shape[1] = 1;
  net->input.shape[2] = enc == BG_ENC_EVENT ? n0 / 2 : n0;
  const cJSON *shape = bg_rd_member(o, "shape");
  if (shape != NULL) {
    int dims = cJSON_IsArray(shape) ? cJSON_GetArraySize(shape) : 0;
    if (dims < 1 || dims > 3) {
      char found[96];
      bg_rd_describe(shape, found, sizeof found);
      bg_rd_fail(rd, "input.shape",
                 "expected an array of 1 to 3 positive integers ([channels,] [height,] width), "
                 "found %s", found);
    } else {
      uint32_t s[3] = {1, 1, 1};
      int i = 3 - dims;
      for (const cJSON *d = shape->child; d != NULL; d = d->next, i++) {
        char where[BG_PATH_LEN];
        bg_rd_index(where, "input.shape", i - (3 - dims));
        double v = cJSON_IsNumber(d) ? d->valuedouble : -1.0;
        if (!cJSON_IsNumber(d) || v != floor(v) || v < 1.0 || v > 65536.0) {
          char found[96];
          bg_rd_describe(d, found, sizeof found);
          bg_rd_fail(rd, where, "expected an integer in [1, 65536], found %s", found);
        } else {
          s[i] = (uint32_t)v;
        }
      }
      memcpy(net->input.shape, s, sizeof s);
    }
  }
  if (enc == BG_ENC_EVENT) {
    bg_rd_u32(rd, o, "input", "bin_ms", net->input.bin_ms, 1, 1000, &net->input.bin_ms);
  } else if (bg_rd_member(o, "bin_ms") != NULL) {
    bg_rd_fail(rd, "input.bin_ms", "applies only to \"encoding\": \"event\"; found it with "
               "\"rate\" encoding");
  }
}

static void read_fixed_point(bg_rd_t *rd, const cJSON *root, bg_net_t *net, bg_fx_t *weight,
                             bg_fx_t *feedback) {
  static const char *const keys[] = {"weight", "feedback", "potential", "trace", "error",
                                     "dendrite", "accumulator_bits", "count_bits", NULL};
  const cJSON *o = bg_rd_object(rd, root, "", "fixed_point", keys);
  *weight = (bg_fx_t){32, 24};
  *feedback = (bg_fx_t){32, 24};
  read_fx(rd, o, "fixed_point", "weight", 32, weight);
  read_fx(rd, o, "fixed_point", "feedback", 32, feedback);
  read_fx(rd, o, "fixed_point", "potential", 32, &net->fx.potential);
  read_fx(rd, o, "fixed_point", "trace", 32, &net->fx.trace);
  read_fx(rd, o, "fixed_point", "error", 32, &net->fx.error);
  read_fx(rd, o, "fixed_point", "dendrite", 64, &net->fx.dendrite);
  bg_rd_i32(rd, o, "fixed_point", "accumulator_bits", net->fx.accumulator_bits, 2, 64,
            &net->fx.accumulator_bits);
  bg_rd_i32(rd, o, "fixed_point", "count_bits", net->fx.count_bits, 1, 16, &net->fx.count_bits);
}

static void read_learning(bg_rd_t *rd, const cJSON *root, bg_net_t *net) {
  static const char *const keys[] = {"rate", "rate_decay", "batch", "mode", "rounding", "bias",
                                     "error_threshold", "trace_decay", NULL};
  const cJSON *o = bg_rd_object(rd, root, "", "learning", keys);
  int mode = (int)net->learning.mode, rounding = (int)net->learning.rounding;
  bg_rd_real(rd, o, "learning", "rate", net->learning.rate, 0.0, true, 1.0, &net->learning.rate);
  bg_rd_real(rd, o, "learning", "rate_decay", net->learning.rate_decay, 0.0, true, 1.0,
             &net->learning.rate_decay);
  bg_rd_u32(rd, o, "learning", "batch", net->learning.batch, 1, 65536, &net->learning.batch);
  bg_rd_enum(rd, o, "learning", "mode", bg_net_mode_names, mode, &mode);
  bg_rd_enum(rd, o, "learning", "rounding", bg_net_rounding_names, rounding, &rounding);
  net->learning.mode = (bg_learn_mode_e)mode;
  net->learning.rounding = (bg_rounding_e)rounding;
  bg_rd_bool(rd, o, "learning", "bias", net->learning.bias, &net->learning.bias);
  bg_rd_real(rd, o, "learning", "error_threshold", net->learning.error_threshold, 0.0, true,
             1e6, &net->learning.error_threshold);
  const cJSON *td = bg_rd_member(o, "trace_decay");
  if (td != NULL && !(cJSON_IsString(td) && strcmp(td->valuestring, "neuron") == 0)) {
    double v = cJSON_IsNumber(td) ? td->valuedouble : -1.0;
    if (!cJSON_IsNumber(td) || !(v >= 0.0 && v < 1.0)) {
      char found[96];
      bg_rd_describe(td, found, sizeof found);
      bg_rd_fail(rd, "learning.trace_decay",
                 "expected \"neuron\" (tied to each layer's decay) or a factor in [0, 1), "
                 "found %s", found);
    } else {
      net->learning.trace_decay = v;
    }
  }
}

static void read_sleep(bg_rd_t *rd, const cJSON *root, bg_net_t *net) {
  static const char *const keys[] = {"enabled", "period", "steps", "samples", "noise_rate",
                                     "rate", "decay", NULL};
  const cJSON *o = bg_rd_object(rd, root, "", "sleep", keys);
  int decay = (int)net->sleep.decay;
  bg_rd_bool(rd, o, "sleep", "enabled", net->sleep.enabled, &net->sleep.enabled);
  bg_rd_u32(rd, o, "sleep", "period", net->sleep.period, 1, 1u << 24, &net->sleep.period);
  bg_rd_u32(rd, o, "sleep", "steps", net->sleep.steps, 1, 65535, &net->sleep.steps);
  if (bg_rd_u32(rd, o, "sleep", "samples", net->sleep.samples, 1, 65536, &net->sleep.samples)) {
    uint32_t k = net->sleep.samples;
    if ((k & (k - 1)) != 0) {
      bg_rd_fail(rd, "sleep.samples",
                 "expected a power of two (the Oja decay divides by it with a shift), found %u",
                 k);
    }
  }
  const cJSON *nr = bg_rd_member(o, "noise_rate");
  if (nr != NULL && !(cJSON_IsString(nr) && strcmp(nr->valuestring, "uniform") == 0)) {
    double v = cJSON_IsNumber(nr) ? nr->valuedouble : -1.0;
    if (!cJSON_IsNumber(nr) || !(v > 0.0 && v <= 1.0)) {
      char found[96];
      bg_rd_describe(nr, found, sizeof found);
      bg_rd_fail(rd, "sleep.noise_rate",
                 "expected \"uniform\" (ρ ~ U[0,1) per sleep call) or a rate in (0, 1], "
                 "found %s", found);
    } else {
      net->sleep.noise_rate = v;
    }
  }
  bg_rd_real(rd, o, "sleep", "rate", net->sleep.rate, 0.0, true, 1.0, &net->sleep.rate);
  bg_rd_enum(rd, o, "sleep", "decay", bg_net_sleep_decay_names, decay, &decay);
  net->sleep.decay = (bg_sleep_decay_e)decay;
}

/* "rule_options": only the options of the chosen rule are accepted (a stray key names the rule
 * it belongs to in the unknown-key message's list of what is expected). */
static void read_rule_options(bg_rd_t *rd, const cJSON *root, bg_net_t *net) {
  static const char *const none[] = {NULL};
  static const char *const bptt[] = {"spatial", "temporal", NULL};
  static const char *const ssnn[] = {"kappa", "drive", NULL};
  static const char *const bioleaf[] = {"pre_decay", "target_rate", "error_feedback", NULL};
  const char *const *keys = none;
  switch (net->rule) {
  case BG_RULE_BIOGRAD: keys = none; break;
  case BG_RULE_BPTT: keys = bptt; break;
  case BG_RULE_SSNN_BP: keys = ssnn; break;
  case BG_RULE_BIOLEAF: keys = bioleaf; break;
  }
  const cJSON *o = bg_rd_object(rd, root, "", "rule_options", keys);
  bg_rd_bool(rd, o, "rule_options", "spatial", net->ropt.spatial, &net->ropt.spatial);
  bg_rd_real(rd, o, "rule_options", "temporal", net->ropt.temporal, 0.0, false, 1.0,
             &net->ropt.temporal);
  bg_rd_real(rd, o, "rule_options", "kappa", net->ropt.kappa, 0.0, true, 1e3, &net->ropt.kappa);
  int drive = (int)net->ropt.drive;
  bg_rd_enum(rd, o, "rule_options", "drive", bg_net_drive_names, drive, &drive);
  net->ropt.drive = (bg_drive_e)drive;
  bg_rd_real(rd, o, "rule_options", "pre_decay", net->ropt.pre_decay, 0.0, false, 0.999,
             &net->ropt.pre_decay);
  bg_rd_real(rd, o, "rule_options", "target_rate", net->ropt.target_rate, 0.0, true, 1.0,
             &net->ropt.target_rate);
  int efb = (int)net->ropt.error_feedback;
  bg_rd_enum(rd, o, "rule_options", "error_feedback", bg_net_errfb_names, efb, &efb);
  net->ropt.error_feedback = (bg_error_feedback_e)efb;
}

static void read_init(bg_rd_t *rd, const cJSON *root, bg_net_t *net) {
  static const char *const keys[] = {"weight_scale", "bias_scale", "feedback", NULL};
  const cJSON *o = bg_rd_object(rd, root, "", "init", keys);
  int fb = (int)net->init.feedback;
  bg_rd_real(rd, o, "init", "weight_scale", net->init.weight_scale, 0.0, true, 1e3,
             &net->init.weight_scale);
  bg_rd_real(rd, o, "init", "bias_scale", net->init.bias_scale, 0.0, false, 1e3,
             &net->init.bias_scale);
  bg_rd_enum(rd, o, "init", "feedback", bg_net_fb_init_names, fb, &fb);
  net->init.feedback = (bg_fb_init_e)fb;
}

static void read_hardware(bg_rd_t *rd, const cJSON *root, bg_net_t *net) {
  static const char *const keys[] = {"neurons_per_core", "lanes", "memory_banks",
                                     "neuron_index_bits", "weight_memory", NULL};
  const cJSON *o = bg_rd_object(rd, root, "", "hardware", keys);
  int wm = (int)net->hw.weight_memory;
  bg_rd_u32(rd, o, "hardware", "neurons_per_core", net->hw.neurons_per_core, 1, 65536,
            &net->hw.neurons_per_core);
  static const char *const pow2[] = {"lanes", "memory_banks"};
  uint32_t *dst[] = {&net->hw.lanes, &net->hw.memory_banks};
  for (int i = 0; i < 2; i++) {
    if (bg_rd_u32(rd, o, "hardware", pow2[i], *dst[i], 1, 64, dst[i]) &&
        (*dst[i] & (*dst[i] - 1)) != 0) {
      char at[BG_PATH_LEN];
      bg_rd_join(at, "hardware", pow2[i]);
      bg_rd_fail(rd, at, "expected a power of two in [1, 64], found %u", *dst[i]);
    }
  }
  bg_rd_u32(rd, o, "hardware", "neuron_index_bits", net->hw.neuron_index_bits, 1, 24,
            &net->hw.neuron_index_bits);
  bg_rd_enum(rd, o, "hardware", "weight_memory", bg_net_wmem_names, wm, &wm);
  net->hw.weight_memory = (bg_wmem_e)wm;
}

////////////////////////////////////////////////////////////////////////////////////////////////
// Entry points
////////////////////////////////////////////////////////////////////////////////////////////////

/* Line and column (1-based) of byte offset `off` in text. */
static void line_col(const char *text, size_t off, size_t *line, size_t *col) {
  *line = 1;
  *col = 1;
  for (size_t i = 0; i < off; i++) {
    if (text[i] == '\n') {
      (*line)++;
      *col = 1;
    } else {
      (*col)++;
    }
  }
}

int bg_net_parse(const char *text, size_t len, const char *name, bg_net_t *net, bg_err_t *err) {
  if (text == NULL || net == NULL) return bg_err_set(err, BG_E_ARG, "bg_net_parse: NULL argument");
  if (name == NULL) name = "<memory>";
  set_defaults(net);
  snprintf(net->file, sizeof net->file, "%s", name);
  if (len > BG_NET_MAX_FILE) {
    return bg_err_set(err, BG_E_FORMAT, "%s: expected a network description of at most %u "
                      "bytes, found %zu bytes", name, BG_NET_MAX_FILE, len);
  }
  const char *nul = memchr(text, '\0', len);
  if (nul != NULL) {
    return bg_err_set(err, BG_E_FORMAT, "%s: byte offset %zu: expected JSON text, found a NUL "
                      "byte", name, (size_t)(nul - text));
  }
  char *buf = malloc(len + 1);
  if (buf == NULL) return bg_err_set(err, BG_E_NOMEM, "%s: out of memory", name);
  memcpy(buf, text, len);
  buf[len] = '\0';
  const char *end = NULL;
  cJSON *root = cJSON_ParseWithOpts(buf, &end, 1);
  if (root == NULL) {
    size_t off = end != NULL && end >= buf && end <= buf + len ? (size_t)(end - buf) : 0;
    size_t line, col;
    line_col(buf, off, &line, &col);
    char near[24] = "";
    size_t k = 0;
    for (size_t i = off; i < len && k + 1 < sizeof near && buf[i] != '\n'; i++) {
      near[k++] = (unsigned char)buf[i] >= 0x20 && (unsigned char)buf[i] < 0x7f ? buf[i] : '?';
    }
    near[k] = '\0';
    free(buf);
    return bg_err_set(err, BG_E_FORMAT, "%s:%zu:%zu: (byte offset %zu) expected valid JSON, "
                      "found a syntax error %s%s%s", name, line, col, off,
                      k ? "near \"" : "at the end of the file", near, k ? "\"" : "");
  }
  free(buf);

  bg_rd_t rd = {.file = name, .err = err};
  if (err != NULL) err->msg[0] = '\0';
  if (!cJSON_IsObject(root)) {
    char found[96];
    bg_rd_describe(root, found, sizeof found);
    bg_rd_fail(&rd, "", "expected a JSON object at the top level, found %s", found);
    cJSON_Delete(root);
    return bg_rd_finish(&rd, BG_E_FORMAT);
  }
  static const char *const top_keys[] = {"format", "name", "description", "rule", "rule_options", "seed",
                                         "layers", "neuron", "input", "time", "fixed_point",
                                         "learning", "sleep", "init", "hardware", NULL};
  bg_rd_check_keys(&rd, root, "", top_keys);

  char format[32];
  if (bg_rd_member(root, "format") == NULL) {
    bg_rd_fail(&rd, "format", "required: \"%s\"", BG_NET_FORMAT);
  } else if (bg_rd_string(&rd, root, "", "format", "", false, format, sizeof format) &&
             strcmp(format, BG_NET_FORMAT) != 0) {
    bg_rd_fail(&rd, "format", "expected \"%s\", found \"%s\"", BG_NET_FORMAT, format);
  }
  if (bg_rd_member(root, "name") == NULL) {
    bg_rd_fail(&rd, "name", "required: a short name such as \"mnist-fpga\"");
  }
  bg_rd_string(&rd, root, "", "name", "unnamed", true, net->name, sizeof net->name);
  bg_rd_string(&rd, root, "", "description", "", false, net->description,
               sizeof net->description);
  int rule = (int)net->rule;
  bg_rd_enum(&rd, root, "", "rule", bg_net_rule_names, rule, &rule);
  net->rule = (bg_rule_e)rule;
  read_rule_options(&rd, root, net);
  bg_rd_u32(&rd, root, "", "seed", net->seed, 0, UINT32_MAX, &net->seed);

  bg_fx_t weight_default, feedback_default;
  read_fixed_point(&rd, root, net, &weight_default, &feedback_default);
  bg_neuron_t neuron_default = kNeuronDefault;
  read_neuron(&rd, root, "", &neuron_default);
  read_layers(&rd, root, &neuron_default, weight_default, feedback_default, net);
  static const char *const time_keys[] = {"steps", "error_start", NULL};
  const cJSON *time = bg_rd_object(&rd, root, "", "time", time_keys);
  bg_rd_u32(&rd, time, "time", "steps", net->time.steps, 1, 65535, &net->time.steps);
  bg_rd_u32(&rd, time, "time", "error_start", net->time.error_start, 0, 65535,
            &net->time.error_start);
  read_learning(&rd, root, net);
  read_sleep(&rd, root, net);
  read_init(&rd, root, net);
  read_hardware(&rd, root, net);
  if (net->n_layers >= 2) read_input(&rd, root, net);
  cJSON_Delete(root);

  /* Cross-field checks and quantisation only make sense on a structurally valid file. */
  if (rd.count == 0) bg_net_derive(net, &rd);
  return bg_rd_finish(&rd, BG_E_RANGE);
}

int bg_net_load(const char *path, bg_net_t *net, bg_err_t *err) {
  if (path == NULL || net == NULL) return bg_err_set(err, BG_E_ARG, "bg_net_load: NULL argument");
  FILE *f = fopen(path, "rb");
  if (f == NULL) {
    return bg_err_set(err, BG_E_IO, "%s: cannot open: %s", path, strerror(errno));
  }
  char *buf = malloc(BG_NET_MAX_FILE + 1);
  if (buf == NULL) {
    fclose(f);
    return bg_err_set(err, BG_E_NOMEM, "%s: out of memory", path);
  }
  size_t len = fread(buf, 1, BG_NET_MAX_FILE + 1, f);
  int read_error = ferror(f);
  fclose(f);
  int rc;
  if (read_error) {
    rc = bg_err_set(err, BG_E_IO, "%s: read error", path);
  } else {
    rc = bg_net_parse(buf, len, path, net, err);
  }
  free(buf);
  return rc;
}
