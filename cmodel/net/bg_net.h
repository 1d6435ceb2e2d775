/* SPDX-License-Identifier: Apache-2.0 */
/* The network description: one JSON file (nets/<name>.json) parsed into one struct that every
 * tier and every generator uses. The schema, defaults and checks are documented field by field
 * in docs/netdesc.md; this header and bg_net.c are their single implementation. */
#ifndef BG_NET_H
#define BG_NET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bg_err.h"

#define BG_NET_FORMAT "biograd-net/1"
#define BG_NET_MAX_LAYERS 8     /* input + up to 6 hidden + output */
#define BG_NET_NAME_LEN 32      /* names: [a-z0-9_-], 1..31 characters */
#define BG_NET_DESC_LEN 256
#define BG_NET_MAX_FILE (1u << 20)  /* a description larger than 1 MiB is rejected */
#define BG_NET_LUT_MAX 64

/* Random streams (xorshift32, one per stream; ALGORITHM.md §2.13.3). The stream number is part
 * of the seed derivation, so these values are fixed forever. */
enum {
  BG_STREAM_INIT = 0,        /* weight and bias initialisation */
  BG_STREAM_INPUT = 1,       /* Bernoulli input encoding */
  BG_STREAM_SLEEP_RATE = 2,  /* one noise rate per sleep call */
  BG_STREAM_SLEEP_NOISE = 3, /* sleep noise spikes */
  BG_STREAM_ROUND = 4,       /* stochastic rounding of weight and sleep updates */
  BG_STREAM_EVAL = 5,        /* input encoding of validation/test passes (reseeded per pass) */
  BG_STREAM_SHUFFLE = 6,     /* training order, one Fisher-Yates shuffle per epoch */
  BG_STREAM_COUNT = 7
};

/* Learning rules (docs/rules.md): BioGrad, the BPTT/BPSTA baseline, SSNN-BP, BioLeaF. */
typedef enum {
  BG_RULE_BIOGRAD = 0,
  BG_RULE_BPTT = 1,
  BG_RULE_SSNN_BP = 2,
  BG_RULE_BIOLEAF = 3
} bg_rule_e;
typedef enum { BG_ERRFB_TIED = 0, BG_ERRFB_FIXED = 1 } bg_error_feedback_e;
typedef enum { BG_DRIVE_SPIKES = 0, BG_DRIVE_RATE = 1 } bg_drive_e;
typedef enum { BG_RESET_HARD = 0, BG_RESET_SOFT = 1 } bg_reset_e;
typedef enum { BG_ENC_RATE = 0, BG_ENC_EVENT = 1 } bg_encoding_e;
typedef enum { BG_LEARN_TRACE = 0, BG_LEARN_REPLAY = 1 } bg_learn_mode_e;
typedef enum { BG_ROUND_NEAREST = 0, BG_ROUND_STOCHASTIC = 1 } bg_rounding_e;
typedef enum { BG_SLEEP_DECAY_OJA = 0, BG_SLEEP_DECAY_NONE = 1 } bg_sleep_decay_e;
typedef enum { BG_FB_ALIGNED = 0, BG_FB_RANDOM = 1, BG_FB_ZERO = 2 } bg_fb_init_e;
typedef enum { BG_WMEM_AUTO = 0, BG_WMEM_EBR = 1, BG_WMEM_SPRAM = 2 } bg_wmem_e;

/* A signed two's-complement fixed-point format: `bits` wide, `frac` fractional bits
 * (value = integer * 2^-frac). frac may exceed bits: that is a per-layer exponent. */
typedef struct {
  int bits;
  int frac;
} bg_fx_t;

/* Neuron parameters of one layer (soma LIF + error dendrite; ALGORITHM.md §2.2). */
typedef struct {
  double threshold;   /* θ: spike when v > θ */
  double decay;       /* α: fraction of v carried to the next step */
  int decay_shift;    /* 0: decay given as a factor; n > 0: α = 1 - 2^-n (multiplier-free) */
  bg_reset_e reset;   /* hard: a spike zeroes the carried voltage; soft: subtract θ */
  int refractory;     /* steps a neuron stays silent after a spike */
  double window;      /* ω: pseudo-derivative half window, g = A·[|v-θ| < ω] */
  double amplitude;   /* A */
} bg_neuron_t;

/* Quantised per-layer constants, derived from the description by bg_net_derive(). */
typedef struct {
  int64_t theta, window, decay, amplitude, trace_decay; /* in the potential/trace formats */
  int64_t init_bound;  /* weight init: |W| <= init_bound LSBs (weight format) */
  int64_t bias_bound;  /* bias init bound, LSBs */
  uint32_t fan_in;
  uint64_t synapses;   /* fan_in * size */
} bg_layer_q_t;

typedef struct {
  char name[BG_NET_NAME_LEN];
  uint32_t size;
  bg_neuron_t neuron;  /* unused for the input layer */
  bg_fx_t weight;      /* W and b of the synapses into this layer */
  bg_fx_t feedback;    /* B (hidden layers only) */
  bg_layer_q_t q;
} bg_layer_t;

/* Derived global constants. */
typedef struct {
  uint32_t error_steps;        /* F = steps - error_start */
  int64_t error_threshold;     /* error interneuron threshold, error format */
  uint32_t eta_m, eta_sh;      /* η' = η/(F·batch) = eta_m · 2^-eta_sh, eta_m in [2^14, 2^15) */
  uint32_t sleep_eta_m, sleep_eta_sh;
  uint32_t sleep_k_shift;      /* log2(sleep.samples) */
  uint32_t sleep_rate16;       /* fixed noise rate as r16 threshold (0..65536); 0 = uniform */
  uint32_t update_frac;        /* fraction bits of the weight-update accumulators (docs/cmodel.md) */
  uint32_t stream_seed[BG_STREAM_COUNT];
  uint32_t lut_len;            /* softmax LUT: round(2^error.frac · e^-n), up to its first 0 */
  int64_t lut[BG_NET_LUT_MAX];
  uint32_t hash;               /* FNV-1a 32 of the canonical dump: identifies the description */
} bg_net_q_t;

typedef struct {
  char file[256];              /* path it was loaded from (for messages) */
  char name[BG_NET_NAME_LEN];
  char description[BG_NET_DESC_LEN];
  bg_rule_e rule;
  /* Options of the rules other than BioGrad ("rule_options"; docs/rules.md). Each rule reads
   * only its own; the others keep their defaults and are not written by bg_net_dump. */
  struct {
    bool spatial;              /* bptt: BPSA, ds/dv = s/v on firing neurons instead of A·g */
    double temporal;           /* bptt: BPTA cross-step path ds(t) -> v(t+1), 0 = off (BPSTA 0.2) */
    double kappa;              /* ssnn-bp: gradient to gradient-spike probability */
    bg_drive_e drive;          /* ssnn-bp: a_i from this step's spikes, or their running rate */
    double pre_decay;          /* bioleaf: λ of the presynaptic trace */
    double target_rate;        /* bioleaf: target spikes per step of the labelled output */
    bg_error_feedback_e error_feedback;  /* bioleaf: error synapses G tied to Wᵀ, or fixed B */
  } ropt;
  uint32_t seed;
  int n_layers;                /* including the input layer; >= 2 */
  bg_layer_t layers[BG_NET_MAX_LAYERS];
  struct {
    bg_encoding_e encoding;
    uint32_t shape[3];         /* channels, height, width; product == layers[0].size */
    uint32_t bin_ms;           /* event encoding: one step per bin */
  } input;
  struct {
    uint32_t steps;            /* T */
    uint32_t error_start;      /* t0 */
  } time;
  struct {
    bg_fx_t potential, trace, error, dendrite;
    int accumulator_bits;      /* synaptic input sum, in the layer's weight format */
    int count_bits;            /* spike counters */
  } fx;
  struct {
    double rate;               /* η */
    double rate_decay;         /* η of epoch e is rate · rate_decay^(e-1) */
    uint32_t batch;
    bg_learn_mode_e mode;
    bg_rounding_e rounding;
    bool bias;
    double error_threshold;
    double trace_decay;        /* < 0: tied to each layer's neuron decay */
  } learning;
  struct {
    bool enabled;
    uint32_t period;           /* training samples between sleep calls */
    uint32_t steps;            /* Ts */
    uint32_t samples;          /* K, a power of two */
    double noise_rate;         /* < 0: drawn uniformly per call */
    double rate;               /* η_s */
    bg_sleep_decay_e decay;
  } sleep;
  struct {
    double weight_scale;       /* |W| <= weight_scale / sqrt(fan_in) */
    double bias_scale;
    bg_fb_init_e feedback;
  } init;
  struct {
    uint32_t neurons_per_core;
    uint32_t lanes;
    uint32_t memory_banks;
    uint32_t neuron_index_bits;
    bg_wmem_e weight_memory;
  } hw;
  bg_net_q_t q;
} bg_net_t;

/* Parse, fill defaults, validate and derive. `name` is used in messages (usually the path).
 * On failure returns a negative BG_E_* code and err holds one line per problem found, each
 * `<name>: <json.path>: expected ..., found ...`. */
int bg_net_parse(const char *text, size_t len, const char *name, bg_net_t *net, bg_err_t *err);
int bg_net_load(const char *path, bg_net_t *net, bg_err_t *err);

/* η/(F·batch) for a learning rate `rate` as a 15-bit mantissa and a shift (the ETA_M/ETA_SH of a
 * later epoch under learning.rate_decay). Returns false when it is not representable. */
bool bg_net_eta_q(const bg_net_t *net, double rate, uint32_t *m, uint32_t *sh);
/* A learning rate itself (not divided by F·batch) as the same 15-bit mantissa and shift: the
 * per-step rate of a rule that learns online (BioLeaF). False when it is not representable. */
bool bg_net_rate_q(double rate, uint32_t *m, uint32_t *sh);

/* Canonical JSON (every default filled in, fixed key order, 2-space indent) into a malloc'd
 * string the caller frees. Loading it yields the same net. Returns NULL on allocation failure. */
char *bg_net_dump(const bg_net_t *net);

/* Enum spellings, as written in the JSON. */
const char *bg_net_rule_name(bg_rule_e v);

/* Memory use per table, for `bgnet check` and the hardware tiers. */
typedef struct {
  char table[32];
  char what[64];
  uint64_t entries;
  int width;
} bg_net_mem_t;
/* Fill up to `max` rows; returns the number of rows. */
int bg_net_memory(const bg_net_t *net, bg_net_mem_t *rows, int max);

/* The derived constants as a flat list, shared by the C, HLS and Verilog generators. */
typedef struct {
  char name[40];        /* UPPER_SNAKE, without prefix */
  int64_t value;
  bool hex32;           /* an unsigned 32-bit pattern (seeds, hashes) */
  char comment[96];
} bg_net_const_t;
/* Fill up to `max` entries; returns the number of entries (or the number needed if > max). */
int bg_net_constants(const bg_net_t *net, bg_net_const_t *out, int max);

/* Generators: write one header into `dir` (created if missing). kind: "c", "verilog", "hls".
 * Output is deterministic: the same description gives the same bytes. */
int bg_net_gen(const bg_net_t *net, const char *kind, const char *dir, char *written,
               size_t written_len, bg_err_t *err);

#endif /* BG_NET_H */
