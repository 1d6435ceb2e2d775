/* SPDX-License-Identifier: Apache-2.0 */
/* Network description: the canonical JSON form (every default filled in, fixed key order). */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bg_net.h"

extern const char *const bg_net_reset_names[];
extern const char *const bg_net_encoding_names[];
extern const char *const bg_net_errfb_names[];
extern const char *const bg_net_drive_names[];
extern const char *const bg_net_mode_names[];
extern const char *const bg_net_rounding_names[];
extern const char *const bg_net_sleep_decay_names[];
extern const char *const bg_net_fb_init_names[];
extern const char *const bg_net_wmem_names[];

typedef struct {
  char *buf;
  size_t len, cap;
  bool oom;
} wr_t;

static void put(wr_t *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void put(wr_t *w, const char *fmt, ...) {
  if (w->oom) return;
  for (;;) {
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(w->buf + w->len, w->cap - w->len, fmt, ap);
    va_end(ap);
    if (n < 0) {
      w->oom = true;
      return;
    }
    if ((size_t)n < w->cap - w->len) {
      w->len += (size_t)n;
      return;
    }
    size_t cap = (w->cap + (size_t)n + 1) * 2;
    char *b = realloc(w->buf, cap);
    if (b == NULL) {
      w->oom = true;
      return;
    }
    w->buf = b;
    w->cap = cap;
  }
}

/* Shortest decimal that reads back to the same double. */
static void put_real(wr_t *w, double v) {
  char tmp[40];
  if (fabs(v) < 1e15 && v == floor(v)) {
    put(w, "%.0f", v);
    return;
  }
  for (int prec = 1; prec <= 17; prec++) {
    snprintf(tmp, sizeof tmp, "%.*g", prec, v);
    if (strtod(tmp, NULL) == v) break;
  }
  put(w, "%s", tmp);
}

static void put_string(wr_t *w, const char *s) {
  put(w, "\"");
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') {
      put(w, "\\%c", *s);
    } else {
      put(w, "%c", *s);
    }
  }
  put(w, "\"");
}

static void put_fx(wr_t *w, const char *key, bg_fx_t f) {
  put(w, "\"%s\": {\"bits\": %d, \"frac\": %d}", key, f.bits, f.frac);
}

static void put_neuron(wr_t *w, const bg_neuron_t *n) {
  put(w, "\"neuron\": {\"threshold\": ");
  put_real(w, n->threshold);
  if (n->decay_shift > 0) {
    put(w, ", \"decay_shift\": %d", n->decay_shift);
  } else {
    put(w, ", \"decay\": ");
    put_real(w, n->decay);
  }
  put(w, ", \"reset\": \"%s\", \"refractory\": %d, \"window\": ", bg_net_reset_names[n->reset],
      n->refractory);
  put_real(w, n->window);
  put(w, ", \"amplitude\": ");
  put_real(w, n->amplitude);
  put(w, "}");
}

/* The chosen rule's options; none for BioGrad (so its canonical dump, and hash, stay as they
 * were before other rules existed). */
static void put_rule_options(wr_t *w, const bg_net_t *net) {
  switch (net->rule) {
  case BG_RULE_BIOGRAD: return;
  case BG_RULE_BPTT:
    put(w, "  \"rule_options\": {\"spatial\": %s, \"temporal\": ",
        net->ropt.spatial ? "true" : "false");
    put_real(w, net->ropt.temporal);
    break;
  case BG_RULE_SSNN_BP:
    put(w, "  \"rule_options\": {\"kappa\": ");
    put_real(w, net->ropt.kappa);
    put(w, ", \"drive\": \"%s\"", bg_net_drive_names[net->ropt.drive]);
    break;
  case BG_RULE_BIOLEAF:
    put(w, "  \"rule_options\": {\"pre_decay\": ");
    put_real(w, net->ropt.pre_decay);
    put(w, ", \"target_rate\": ");
    put_real(w, net->ropt.target_rate);
    put(w, ", \"error_feedback\": \"%s\"", bg_net_errfb_names[net->ropt.error_feedback]);
    break;
  }
  put(w, "},\n");
}

char *bg_net_dump(const bg_net_t *net) {
  wr_t w = {.buf = malloc(4096), .len = 0, .cap = 4096, .oom = false};
  if (w.buf == NULL) return NULL;
  put(&w, "{\n  \"format\": \"%s\",\n  \"name\": ", BG_NET_FORMAT);
  put_string(&w, net->name);
  put(&w, ",\n  \"description\": ");
  put_string(&w, net->description);
  put(&w, ",\n  \"rule\": \"%s\",\n", bg_net_rule_name(net->rule));
  put_rule_options(&w, net);
  put(&w, "  \"seed\": %u,\n  \"layers\": [\n", net->seed);
  for (int l = 0; l < net->n_layers; l++) {
    const bg_layer_t *ly = &net->layers[l];
    put(&w, "    {\"name\": ");
    put_string(&w, ly->name);
    put(&w, ", \"size\": %u", ly->size);
    if (l > 0) {
      put(&w, ",\n     ");
      put_neuron(&w, &ly->neuron);
      put(&w, ",\n     ");
      put_fx(&w, "weight", ly->weight);
      if (l < net->n_layers - 1) {
        put(&w, ", ");
        put_fx(&w, "feedback", ly->feedback);
      }
    }
    put(&w, "}%s\n", l + 1 < net->n_layers ? "," : "");
  }
  put(&w, "  ],\n  \"input\": {\"encoding\": \"%s\", \"shape\": [%u, %u, %u]",
      bg_net_encoding_names[net->input.encoding], net->input.shape[0], net->input.shape[1],
      net->input.shape[2]);
  if (net->input.encoding == BG_ENC_EVENT) put(&w, ", \"bin_ms\": %u", net->input.bin_ms);
  put(&w, "},\n  \"time\": {\"steps\": %u, \"error_start\": %u},\n", net->time.steps,
      net->time.error_start);
  put(&w, "  \"fixed_point\": {\n    ");
  put_fx(&w, "potential", net->fx.potential);
  put(&w, ",\n    ");
  put_fx(&w, "trace", net->fx.trace);
  put(&w, ",\n    ");
  put_fx(&w, "error", net->fx.error);
  put(&w, ",\n    ");
  put_fx(&w, "dendrite", net->fx.dendrite);
  put(&w, ",\n    \"accumulator_bits\": %d,\n    \"count_bits\": %d\n  },\n",
      net->fx.accumulator_bits, net->fx.count_bits);
  put(&w, "  \"learning\": {\"rate\": ");
  put_real(&w, net->learning.rate);
  put(&w, ", \"rate_decay\": ");
  put_real(&w, net->learning.rate_decay);
  put(&w, ", \"batch\": %u, \"mode\": \"%s\", \"rounding\": \"%s\", \"bias\": %s,\n",
      net->learning.batch, bg_net_mode_names[net->learning.mode],
      bg_net_rounding_names[net->learning.rounding], net->learning.bias ? "true" : "false");
  put(&w, "               \"error_threshold\": ");
  put_real(&w, net->learning.error_threshold);
  put(&w, ", \"trace_decay\": ");
  if (net->learning.trace_decay < 0.0) {
    put(&w, "\"neuron\"");
  } else {
    put_real(&w, net->learning.trace_decay);
  }
  put(&w, "},\n  \"sleep\": {\"enabled\": %s, \"period\": %u, \"steps\": %u, \"samples\": %u,\n",
      net->sleep.enabled ? "true" : "false", net->sleep.period, net->sleep.steps,
      net->sleep.samples);
  put(&w, "            \"noise_rate\": ");
  if (net->sleep.noise_rate < 0.0) {
    put(&w, "\"uniform\"");
  } else {
    put_real(&w, net->sleep.noise_rate);
  }
  put(&w, ", \"rate\": ");
  put_real(&w, net->sleep.rate);
  put(&w, ", \"decay\": \"%s\"},\n", bg_net_sleep_decay_names[net->sleep.decay]);
  put(&w, "  \"init\": {\"weight_scale\": ");
  put_real(&w, net->init.weight_scale);
  put(&w, ", \"bias_scale\": ");
  put_real(&w, net->init.bias_scale);
  put(&w, ", \"feedback\": \"%s\"},\n", bg_net_fb_init_names[net->init.feedback]);
  put(&w, "  \"hardware\": {\"neurons_per_core\": %u, \"lanes\": %u, \"memory_banks\": %u,\n"
      "               \"neuron_index_bits\": %u, \"weight_memory\": \"%s\"}\n}\n",
      net->hw.neurons_per_core, net->hw.lanes, net->hw.memory_banks, net->hw.neuron_index_bits,
      bg_net_wmem_names[net->hw.weight_memory]);
  if (w.oom) {
    free(w.buf);
    return NULL;
  }
  return w.buf;
}
