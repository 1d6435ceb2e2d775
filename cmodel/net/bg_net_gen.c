/* SPDX-License-Identifier: Apache-2.0 */
/* Network description: the constant table every tier is built from, the memory table, and the
 * three header generators (C, HLS, SystemVerilog package). */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "bg_net.h"

////////////////////////////////////////////////////////////////////////////////////////////////
// The constant table
////////////////////////////////////////////////////////////////////////////////////////////////

typedef struct {
  bg_net_const_t *out;
  int max, n;
} tab_t;

static void add(tab_t *t, const char *name, int64_t value, const char *comment) {
  if (t->n < t->max) {
    bg_net_const_t *c = &t->out[t->n];
    snprintf(c->name, sizeof c->name, "%s", name);
    c->value = value;
    c->hex32 = false;
    snprintf(c->comment, sizeof c->comment, "%s", comment);
  }
  t->n++;
}

static void add_hex(tab_t *t, const char *name, uint32_t value, const char *comment) {
  add(t, name, value, comment);
  if (t->n <= t->max) t->out[t->n - 1].hex32 = true;
}

/* Per-layer entry: L<l>_<what>. */
static void add_l(tab_t *t, int l, const char *what, int64_t value, const char *comment) {
  char name[40];
  snprintf(name, sizeof name, "L%d_%s", l, what);
  add(t, name, value, comment);
}

int bg_net_constants(const bg_net_t *net, bg_net_const_t *out, int max) {
  tab_t t = {out, max, 0};
  const bg_net_q_t *q = &net->q;
  uint32_t max_size = 0, max_fan_in = 0;
  for (int l = 0; l < net->n_layers; l++) {
    if (net->layers[l].size > max_size) max_size = net->layers[l].size;
    if (l > 0 && net->layers[l].q.fan_in > max_fan_in) max_fan_in = net->layers[l].q.fan_in;
  }
  add_hex(&t, "NET_HASH", q->hash, "FNV-1a of the canonical description");
  add(&t, "RULE", net->rule, "learning rule (0 biograd, 1 bptt, 2 ssnn-bp, 3 bioleaf)");
  add(&t, "N_LAYERS", net->n_layers, "layers including the input layer");
  add(&t, "N_HIDDEN", net->n_layers - 2, "hidden layers");
  add(&t, "INPUT_SIZE", net->layers[0].size, "input neurons");
  add(&t, "OUTPUT_SIZE", net->layers[net->n_layers - 1].size, "output neurons (classes)");
  add(&t, "MAX_LAYER_SIZE", max_size, "largest layer");
  add(&t, "MAX_FAN_IN", max_fan_in, "largest fan-in");
  add(&t, "INPUT_ENCODING", net->input.encoding, "0 rate (Bernoulli), 1 event frames");
  add(&t, "INPUT_CHANNELS", net->input.shape[0], "input shape");
  add(&t, "INPUT_HEIGHT", net->input.shape[1], "input shape");
  add(&t, "INPUT_WIDTH", net->input.shape[2], "input shape");
  add(&t, "INPUT_BIN_MS", net->input.encoding == BG_ENC_EVENT ? net->input.bin_ms : 0,
      "event encoding: ms per step (0 for rate)");
  add(&t, "STEPS", net->time.steps, "T: timesteps per sample");
  add(&t, "ERROR_START", net->time.error_start, "t0: first step of the error phase");
  add(&t, "ERROR_STEPS", q->error_steps, "F = T - t0");
  add(&t, "POT_BITS", net->fx.potential.bits, "membrane potential format");
  add(&t, "POT_FRAC", net->fx.potential.frac, "");
  add(&t, "TRACE_BITS", net->fx.trace.bits, "eligibility trace format");
  add(&t, "TRACE_FRAC", net->fx.trace.frac, "");
  add(&t, "ERR_BITS", net->fx.error.bits, "softmax / error format");
  add(&t, "ERR_FRAC", net->fx.error.frac, "");
  add(&t, "DEND_BITS", net->fx.dendrite.bits, "error dendrite format");
  add(&t, "DEND_FRAC", net->fx.dendrite.frac, "");
  add(&t, "ACC_BITS", net->fx.accumulator_bits, "synaptic input sum width");
  add(&t, "COUNT_BITS", net->fx.count_bits, "spike counter width");
  for (int l = 0; l < net->n_layers; l++) add_l(&t, l, "SIZE", net->layers[l].size, "neurons");
  for (int l = 1; l < net->n_layers; l++) {
    const bg_layer_t *ly = &net->layers[l];
    add_l(&t, l, "FAN_IN", ly->q.fan_in, "presynaptic neurons");
    add_l(&t, l, "SYNAPSES", (int64_t)ly->q.synapses, "forward synapses into the layer");
    add_l(&t, l, "W_BITS", ly->weight.bits, "W and b format");
    add_l(&t, l, "W_FRAC", ly->weight.frac, "");
    if (l < net->n_layers - 1) {
      add_l(&t, l, "FB_BITS", ly->feedback.bits, "B format");
      add_l(&t, l, "FB_FRAC", ly->feedback.frac, "");
    }
    add_l(&t, l, "THETA", ly->q.theta, "threshold, potential format");
    add_l(&t, l, "WINDOW", ly->q.window, "pseudo-derivative half window, potential format");
    add_l(&t, l, "AMPLITUDE", ly->q.amplitude, "pseudo-derivative amplitude, potential format");
    add_l(&t, l, "DECAY", ly->q.decay, "alpha, potential format");
    add_l(&t, l, "DECAY_SHIFT", ly->neuron.decay_shift, "alpha = 1 - 2^-n when n > 0");
    add_l(&t, l, "TRACE_DECAY", ly->q.trace_decay, "trace alpha, trace format");
    add_l(&t, l, "RESET", ly->neuron.reset, "0 hard, 1 soft");
    add_l(&t, l, "REFRACTORY", ly->neuron.refractory, "steps");
    add_l(&t, l, "INIT_BOUND", ly->q.init_bound, "|W| init bound, weight LSBs");
    add_l(&t, l, "BIAS_BOUND", ly->q.bias_bound, "|b| init bound, weight LSBs");
  }
  /* Memory layout of the RTL core (docs/rtl.md): every per-neuron and per-synapse table of all
   * layers in one memory, layer after layer; the bases are word addresses. */
  uint64_t wb = 0, nb = 0, rb = 0, recb = 0, fbb = 0;
  uint32_t max_wbits = 0, max_fbbits = 0, max_hidden = 0;
  const uint32_t n_out = net->layers[net->n_layers - 1].size;
  for (int l = 0; l < net->n_layers; l++) {
    const bg_layer_t *ly = &net->layers[l];
    add_l(&t, l, "R_BASE", (int64_t)rb, "spike-raster words before this layer");
    rb += ly->size;
    if (l == 0) continue;
    add_l(&t, l, "W_BASE", (int64_t)wb, "weight words before this layer");
    add_l(&t, l, "N_BASE", (int64_t)nb, "neuron-state words before this layer");
    add_l(&t, l, "REC_BASE", (int64_t)recb, "replay-record words before this layer");
    wb += ly->q.synapses;
    nb += ly->size;
    recb += (uint64_t)ly->size * net->time.steps;
    if ((uint32_t)ly->weight.bits > max_wbits) max_wbits = (uint32_t)ly->weight.bits;
    if (l < net->n_layers - 1) {
      add_l(&t, l, "FB_BASE", (int64_t)fbb, "feedback words before this layer");
      fbb += (uint64_t)ly->size * n_out;
      if ((uint32_t)ly->feedback.bits > max_fbbits) max_fbbits = (uint32_t)ly->feedback.bits;
      if (ly->size > max_hidden) max_hidden = ly->size;
    }
  }
  add(&t, "W_WORDS", (int64_t)wb, "forward weights, all layers");
  add(&t, "N_WORDS", (int64_t)nb, "neurons of layers 1..L");
  add(&t, "R_WORDS", (int64_t)rb, "neurons of layers 0..L (spike rasters)");
  add(&t, "REC_WORDS", (int64_t)recb, "replay records: neurons x steps, layers 1..L");
  add(&t, "FB_WORDS", (int64_t)fbb, "feedback weights, all hidden layers");
  add(&t, "MAX_W_BITS", max_wbits, "widest W format");
  add(&t, "MAX_FB_BITS", max_fbbits, "widest B format (0 without hidden layers)");
  add(&t, "MAX_HIDDEN_SIZE", max_hidden, "largest hidden layer (0 without hidden layers)");
  add(&t, "LEARN_MODE", net->learning.mode, "0 trace, 1 replay");
  add(&t, "LEARN_ROUNDING", net->learning.rounding, "0 nearest, 1 stochastic");
  add(&t, "LEARN_BIAS", net->learning.bias, "biases present and learned");
  add(&t, "BATCH", net->learning.batch, "samples per weight update");
  add(&t, "ETA_M", q->eta_m, "eta/(F*batch) = ETA_M * 2^-ETA_SH");
  add(&t, "ETA_SH", q->eta_sh, "");
  add(&t, "ERROR_THRESHOLD", q->error_threshold, "error interneuron threshold, error format");
  add(&t, "SLEEP_ENABLED", net->sleep.enabled, "");
  add(&t, "SLEEP_PERIOD", net->sleep.period, "training samples between sleep calls");
  add(&t, "SLEEP_STEPS", net->sleep.steps, "Ts: steps per noise sample");
  add(&t, "SLEEP_SAMPLES", net->sleep.samples, "K: noise samples per hidden layer");
  add(&t, "SLEEP_K_SHIFT", q->sleep_k_shift, "log2(K)");
  add(&t, "UPDATE_FRAC", q->update_frac, "fraction bits of the update accumulators");
  add(&t, "SLEEP_RATE16", q->sleep_rate16, "fixed noise rate (r16 < it); 0 = uniform per call");
  add(&t, "SLEEP_ETA_M", q->sleep_eta_m, "eta_s = SLEEP_ETA_M * 2^-SLEEP_ETA_SH");
  add(&t, "SLEEP_ETA_SH", q->sleep_eta_sh, "");
  add(&t, "SLEEP_DECAY", net->sleep.decay, "0 oja, 1 none");
  add(&t, "INIT_FEEDBACK", net->init.feedback, "0 aligned, 1 random, 2 zero");
  add_hex(&t, "SEED", net->seed, "master seed");
  static const char *const stream[BG_STREAM_COUNT] = {"SEED_INIT", "SEED_INPUT", "SEED_SLEEP_RATE",
                                                      "SEED_SLEEP_NOISE", "SEED_ROUND",
                                                      "SEED_EVAL", "SEED_SHUFFLE"};
  for (int s = 0; s < BG_STREAM_COUNT; s++) {
    add_hex(&t, stream[s], q->stream_seed[s], "xorshift32 initial state");
  }
  add(&t, "SOFTMAX_LUT_LEN", q->lut_len, "entries; index min(max_count - count, LEN-1)");
  for (uint32_t i = 0; i < q->lut_len; i++) {
    char name[40];
    snprintf(name, sizeof name, "SOFTMAX_LUT_%u", i);
    add(&t, name, q->lut[i], i == 0 ? "round(2^ERR_FRAC * e^-n)" : "");
  }
  add(&t, "HW_NEURONS_PER_CORE", net->hw.neurons_per_core, "");
  add(&t, "HW_LANES", net->hw.lanes, "parallel synapse lanes");
  add(&t, "HW_MEMORY_BANKS", net->hw.memory_banks, "");
  add(&t, "HW_NEURON_INDEX_BITS", net->hw.neuron_index_bits, "");
  add(&t, "HW_WEIGHT_MEMORY", net->hw.weight_memory, "0 auto, 1 ebr, 2 spram");
  return t.n;
}

////////////////////////////////////////////////////////////////////////////////////////////////
// Memory per table
////////////////////////////////////////////////////////////////////////////////////////////////

static void row(bg_net_mem_t *rows, int max, int *n, const char *table, const char *what,
                uint64_t entries, int width) {
  if (*n < max) {
    snprintf(rows[*n].table, sizeof rows[*n].table, "%s", table);
    snprintf(rows[*n].what, sizeof rows[*n].what, "%s", what);
    rows[*n].entries = entries;
    rows[*n].width = width;
  }
  (*n)++;
}

int bg_net_memory(const bg_net_t *net, bg_net_mem_t *rows, int max) {
  int n = 0;
  int L = net->n_layers - 1;
  uint32_t n_out = net->layers[L].size;
  char name[32];
  for (int l = 1; l <= L; l++) {
    const bg_layer_t *ly = &net->layers[l];
    snprintf(name, sizeof name, "W%d", l);
    row(rows, max, &n, name, "forward weights", ly->q.synapses, ly->weight.bits);
    if (net->learning.bias) {
      snprintf(name, sizeof name, "b%d", l);
      row(rows, max, &n, name, "biases", ly->size, ly->weight.bits);
    }
    if (l < L) {
      snprintf(name, sizeof name, "B%d", l);
      row(rows, max, &n, name, "feedback weights", (uint64_t)ly->size * n_out, ly->feedback.bits);
    }
    if (net->learning.mode == BG_LEARN_TRACE) {
      snprintf(name, sizeof name, "z%d,e%d", l, l);
      row(rows, max, &n, name, "per-synapse traces (trace mode)", 2 * ly->q.synapses,
          net->fx.trace.bits);
    } else {
      snprintf(name, sizeof name, "replay%d", l);
      row(rows, max, &n, name, "per neuron and step: s, g, m (replay mode)",
          (uint64_t)ly->size * net->time.steps, 2 + net->fx.trace.bits);
    }
    snprintf(name, sizeof name, "v%d", l);
    row(rows, max, &n, name, "membrane potentials", ly->size, net->fx.potential.bits);
    snprintf(name, sizeof name, "D%d", l);
    row(rows, max, &n, name, "error dendrites", ly->size, net->fx.dendrite.bits);
    if (net->learning.bias) {
      snprintf(name, sizeof name, "zb%d,eb%d", l, l);
      row(rows, max, &n, name, "bias traces", 2ull * ly->size, net->fx.trace.bits);
    }
  }
  if (net->learning.mode == BG_LEARN_REPLAY) {
    row(rows, max, &n, "x", "input spikes per step (replay mode)",
        (uint64_t)net->layers[0].size * net->time.steps, 1);
  }
  row(rows, max, &n, "c", "output spike counts", n_out, net->fx.count_bits);
  row(rows, max, &n, "u+,u-", "error interneurons", 2ull * n_out, net->fx.error.bits);
  return n;
}

////////////////////////////////////////////////////////////////////////////////////////////////
// Generators
////////////////////////////////////////////////////////////////////////////////////////////////

#define BG_GEN_MAX_CONSTS 512

/* UPPER_SNAKE -> UpperCamel for SystemVerilog parameters (L1_THETA -> L1Theta). */
static void camel(const char *in, char *out, size_t len) {
  size_t k = 0;
  bool up = true;
  for (; *in && k + 1 < len; in++) {
    if (*in == '_') {
      up = true;
      continue;
    }
    char ch = *in;
    if (!up && ch >= 'A' && ch <= 'Z') ch = (char)(ch - 'A' + 'a');
    out[k++] = ch;
    up = ch >= '0' && ch <= '9';
  }
  out[k] = '\0';
}

static const char *base_name(const char *path) {
  const char *s = strrchr(path, '/');
  return s ? s + 1 : path;
}

static void banner(FILE *f, const bg_net_t *net, const char *kind, const char *open,
                   const char *close) {
  fprintf(f, "%s Generated from %s (net \"%s\", hash 0x%08x) by `bgnet gen %s`.%s\n", open,
          base_name(net->file), net->name, net->q.hash, kind, close);
  fprintf(f, "%s Do not edit: change the network description and regenerate.%s\n", open, close);
  fprintf(f, "%s Schema and meaning of every value: docs/netdesc.md.%s\n", open, close);
}

static void emit_c_defines(FILE *f, const bg_net_const_t *c, int n, const char *prefix) {
  for (int i = 0; i < n; i++) {
    char value[40];
    if (c[i].hex32) {
      snprintf(value, sizeof value, "0x%08xu", (uint32_t)c[i].value);
    } else if (c[i].value > INT32_MAX || c[i].value < INT32_MIN) {
      snprintf(value, sizeof value, "%lldll", (long long)c[i].value);
    } else {
      snprintf(value, sizeof value, "%lld", (long long)c[i].value);
    }
    if (c[i].comment[0]) {
      fprintf(f, "#define %s%-24s %-12s /* %s */\n", prefix, c[i].name, value, c[i].comment);
    } else {
      fprintf(f, "#define %s%-24s %s\n", prefix, c[i].name, value);
    }
  }
}

static void emit_c(FILE *f, const bg_net_t *net, const bg_net_const_t *c, int n) {
  banner(f, net, "c", "/*", " */");
  fprintf(f, "#ifndef BG_CFG_H\n#define BG_CFG_H\n\n");
  fprintf(f, "#define BG_CFG_NET_NAME \"%s\"\n", net->name);
  emit_c_defines(f, c, n, "BG_CFG_");
  fprintf(f, "\n/* Array initialisers, e.g. `static const uint32_t sizes[] = BG_CFG_LAYER_SIZES;`. */\n");
  fprintf(f, "#define BG_CFG_LAYER_SIZES {");
  for (int l = 0; l < net->n_layers; l++) fprintf(f, "%s%u", l ? ", " : "", net->layers[l].size);
  fprintf(f, "}\n#define BG_CFG_SOFTMAX_LUT {");
  for (uint32_t i = 0; i < net->q.lut_len; i++) {
    fprintf(f, "%s%lld", i ? ", " : "", (long long)net->q.lut[i]);
  }
  fprintf(f, "}\n\n#endif /* BG_CFG_H */\n");
}

/* Smallest <stdint.h> type that holds a signed `bits`-wide value. */
static const char *storage(int bits) {
  return bits <= 8 ? "int8_t" : bits <= 16 ? "int16_t" : bits <= 32 ? "int32_t" : "int64_t";
}

/* The per-layer constants (L<l>_<NAME>) as tables indexed by layer, for tiers that pick a layer's
 * constant at run time: names[] gets each distinct <NAME> once, in first-seen order. */
static int layer_table_names(const bg_net_const_t *c, int n, char names[][48], int max) {
  int k = 0;
  for (int i = 0; i < n; i++) {
    int l;
    char rest[48];
    if (sscanf(c[i].name, "L%d_%47s", &l, rest) != 2) continue;
    bool seen = false;
    for (int q = 0; q < k && !seen; q++) seen = strcmp(names[q], rest) == 0;
    if (!seen && k < max) snprintf(names[k++], 48, "%s", rest);
  }
  return k;
}

/* v[l] = L<l>_<name>, 0 for layers without it. */
static void layer_table_values(const bg_net_const_t *c, int n, const char *name,
                               int64_t v[BG_NET_MAX_LAYERS]) {
  for (int l = 0; l < BG_NET_MAX_LAYERS; l++) v[l] = 0;
  for (int i = 0; i < n; i++) {
    int l;
    char rest[48];
    if (sscanf(c[i].name, "L%d_%47s", &l, rest) == 2 && strcmp(rest, name) == 0 && l >= 0 &&
        l < BG_NET_MAX_LAYERS) {
      v[l] = c[i].value;
    }
  }
}

/* the feedback tables exist for every description, all zero without hidden layers */
static const char *const kAlwaysTables[] = {"FB_BITS", "FB_FRAC", "FB_BASE"};

static int all_layer_tables(const bg_net_const_t *c, int n, char names[][48], int max) {
  int k = layer_table_names(c, n, names, max);
  for (size_t a = 0; a < sizeof kAlwaysTables / sizeof kAlwaysTables[0]; a++) {
    bool seen = false;
    for (int q = 0; q < k && !seen; q++) seen = strcmp(names[q], kAlwaysTables[a]) == 0;
    if (!seen && k < max) snprintf(names[k++], 48, "%s", kAlwaysTables[a]);
  }
  return k;
}

static void emit_hls(FILE *f, const bg_net_t *net, const bg_net_const_t *c, int n) {
  banner(f, net, "hls", "/*", " */");
  fprintf(f, "/* For HLS kernels: constants only, no code; storage types sized from the formats. */\n");
  fprintf(f, "#ifndef BG_HLS_CFG_H\n#define BG_HLS_CFG_H\n\n#include <stdint.h>\n\n");
  emit_c_defines(f, c, n, "BG_HLS_");
  fprintf(f, "\n/* Storage types (bits in the comment; values are kept sign-extended). */\n");
  fprintf(f, "typedef %s bg_hls_pot_t;   /* %d */\n", storage(net->fx.potential.bits),
          net->fx.potential.bits);
  fprintf(f, "typedef %s bg_hls_trace_t; /* %d */\n", storage(net->fx.trace.bits),
          net->fx.trace.bits);
  fprintf(f, "typedef %s bg_hls_err_t;   /* %d */\n", storage(net->fx.error.bits),
          net->fx.error.bits);
  fprintf(f, "typedef %s bg_hls_dend_t;  /* %d */\n", storage(net->fx.dendrite.bits),
          net->fx.dendrite.bits);
  fprintf(f, "typedef %s bg_hls_acc_t;   /* %d */\n", storage(net->fx.accumulator_bits),
          net->fx.accumulator_bits);
  for (int l = 1; l < net->n_layers; l++) {
    fprintf(f, "typedef %s bg_hls_w%d_t;    /* %d */\n", storage(net->layers[l].weight.bits), l,
            net->layers[l].weight.bits);
    if (l < net->n_layers - 1) {
      fprintf(f, "typedef %s bg_hls_fb%d_t;   /* %d */\n", storage(net->layers[l].feedback.bits),
              l, net->layers[l].feedback.bits);
    }
  }
  fprintf(f, "\n/* Per-layer tables, layer l at index l (0 for absent layers): initialisers for\n"
             " * const arrays, so a kernel can pick a layer's constant at run time. */\n");
  fprintf(f, "#define BG_HLS_MAX_LAYERS %d\n", BG_NET_MAX_LAYERS);
  static char names[64][48];
  int k = all_layer_tables(c, n, names, 64);
  for (int q = 0; q < k; q++) {
    int64_t v[BG_NET_MAX_LAYERS];
    layer_table_values(c, n, names[q], v);
    fprintf(f, "#define BG_HLS_%s_TAB {", names[q]);
    for (int l = 0; l < BG_NET_MAX_LAYERS; l++) fprintf(f, "%lld%s", (long long)v[l], l + 1 < BG_NET_MAX_LAYERS ? ", " : "}\n");
  }
  fprintf(f, "#define BG_HLS_SOFTMAX_LUT_TAB {");
  for (uint32_t e = 0; e < net->q.lut_len; e++) {
    fprintf(f, "%lld%s", (long long)net->q.lut[e], e + 1 < net->q.lut_len ? ", " : "}\n");
  }
  fprintf(f, "\n#endif /* BG_HLS_CFG_H */\n");
}

static void emit_verilog(FILE *f, const bg_net_t *net, const bg_net_const_t *c, int n) {
  banner(f, net, "verilog", "//", "");
  fprintf(f, "// A package of constants only (the subset Icarus 11, Yosys 0.23 and Verilator 5.006\n"
             "// all accept); refer to them as bg_cfg_pkg::Name.\n");
  fprintf(f, "package bg_cfg_pkg;\n");
  for (int i = 0; i < n; i++) {
    char name[48], decl[96];
    camel(c[i].name, name, sizeof name);
    if (c[i].hex32) {
      snprintf(decl, sizeof decl, "localparam logic [31:0] %s = 32'h%08x;", name,
               (uint32_t)c[i].value);
    } else if (c[i].value > INT32_MAX || c[i].value < INT32_MIN) {
      snprintf(decl, sizeof decl, "localparam longint %s = %s64'sd%lld;", name,
               c[i].value < 0 ? "-" : "", (long long)(c[i].value < 0 ? -c[i].value : c[i].value));
    } else {
      snprintf(decl, sizeof decl, "localparam int %s = %s32'sd%lld;", name,
               c[i].value < 0 ? "-" : "", (long long)(c[i].value < 0 ? -c[i].value : c[i].value));
    }
    if (c[i].comment[0]) {
      fprintf(f, "  %-56s // %s\n", decl, c[i].comment);
    } else {
      fprintf(f, "  %s\n", decl);
    }
  }
  /* Per-layer constants again as packed tables, 32 bits per layer, layer l at [32*l +: 32], so
   * RTL can index them with a run-time layer number; absent layers read 0. */
  fprintf(f, "  // per-layer tables: <Name>Tab[32*l +: 32] = L<l><Name>\n");
  static char names[64][48];
  int k = all_layer_tables(c, n, names, 64);
  for (int q = 0; q < k; q++) {
    int64_t v[BG_NET_MAX_LAYERS];
    layer_table_values(c, n, names[q], v);
    char name[48];
    camel(names[q], name, sizeof name);
    fprintf(f, "  localparam logic [%d:0] %sTab = {", 32 * BG_NET_MAX_LAYERS - 1, name);
    for (int l = BG_NET_MAX_LAYERS - 1; l >= 0; l--) {
      fprintf(f, "32'h%08x%s", (uint32_t)v[l], l ? ", " : "};\n");
    }
  }
  fprintf(f, "  // softmax LUT as a table: SoftmaxLutTab[32*n +: 32] = SoftmaxLut<n>, 0 past the end\n");
  fprintf(f, "  localparam logic [%d:0] SoftmaxLutTab = {", 32 * BG_NET_LUT_MAX - 1);
  for (int e = BG_NET_LUT_MAX - 1; e >= 0; e--) {
    uint32_t v = (uint32_t)e < net->q.lut_len ? (uint32_t)net->q.lut[e] : 0u;
    fprintf(f, "32'h%08x%s", v, e ? ", " : "};\n");
  }
  fprintf(f, "endpackage\n");
}

int bg_net_gen(const bg_net_t *net, const char *kind, const char *dir, char *written,
               size_t written_len, bg_err_t *err) {
  static bg_net_const_t consts[BG_GEN_MAX_CONSTS];
  int n = bg_net_constants(net, consts, BG_GEN_MAX_CONSTS);
  if (n > BG_GEN_MAX_CONSTS) {
    return bg_err_set(err, BG_E_RANGE, "%s: %d constants exceed the generator's table of %d",
                      net->file, n, BG_GEN_MAX_CONSTS);
  }
  static const struct {
    const char *kind, *file;
    void (*emit)(FILE *, const bg_net_t *, const bg_net_const_t *, int);
  } gens[] = {{"c", "bg_cfg.h", emit_c},
              {"hls", "bg_hls_cfg.h", emit_hls},
              {"verilog", "bg_cfg_pkg.sv", emit_verilog}};
  int g = -1;
  for (int i = 0; i < 3; i++) {
    if (strcmp(kind, gens[i].kind) == 0) g = i;
  }
  if (g < 0) {
    return bg_err_set(err, BG_E_ARG, "unknown generator \"%s\" (expected c, verilog or hls)",
                      kind);
  }
  /* mkdir -p */
  char part[512];
  size_t dlen = strlen(dir);
  if (dlen == 0 || dlen >= sizeof part) {
    return bg_err_set(err, BG_E_ARG, "output directory \"%s\": expected 1 to %zu characters", dir,
                      sizeof part - 1);
  }
  for (size_t i = 1; i <= dlen; i++) {
    if (dir[i] == '/' || dir[i] == '\0') {
      memcpy(part, dir, i);
      part[i] = '\0';
      if (mkdir(part, 0777) != 0 && errno != EEXIST) {
        return bg_err_set(err, BG_E_IO, "%s: cannot create directory: %s", part, strerror(errno));
      }
    }
  }
  char path[512], tmp[520];
  snprintf(path, sizeof path, "%s/%s", dir, gens[g].file);
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  if (f == NULL) return bg_err_set(err, BG_E_IO, "%s: cannot create: %s", tmp, strerror(errno));
  gens[g].emit(f, net, consts, n);
  /* Write to a temporary name and rename, so a reader never sees half a header. */
  int bad = ferror(f);
  if (fclose(f) != 0 || bad) {
    remove(tmp);
    return bg_err_set(err, BG_E_IO, "%s: write failed", tmp);
  }
  if (rename(tmp, path) != 0) {
    remove(tmp);
    return bg_err_set(err, BG_E_IO, "%s: cannot rename to %s: %s", tmp, path, strerror(errno));
  }
  if (written != NULL) snprintf(written, written_len, "%s", path);
  return BG_OK;
}
