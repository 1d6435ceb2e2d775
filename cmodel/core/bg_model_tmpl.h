/* SPDX-License-Identifier: Apache-2.0 */
/* Config, weights and state of the golden model, and its API. Included through bg_model.h
 * (integer path, bg_* names) or bgf_model.h (float path, bgf_* names); BG(), BG_VAL and BG_WIDE
 * come from bg_num.h. docs/cmodel.md gives the equations each function implements. */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bg_err.h"
#include "bg_net.h"
#include "bg_rng.h"

/* Columns per tile of the row accumulation (bg_rows.c). Arrays it reads rows from (weights w,
 * the backward kernel kern) are allocated BG_ROWS_TILE elements longer than their rows. */
#define BG_ROWS_TILE 16

/* Sleep steps whose noise is drawn side by side (bg_sleep_unit.c). */
#define BG_SLEEP_LANES 16

/* One layer of neurons (layer 0, the input, uses only n and the spike records). Arrays are
 * owned; weights are presynaptic-major: w[j*n + i] is the synapse from j (layer l-1) to i. */
typedef struct {
  uint32_t n, fan_in;
  /* constants, in the path's units (integers in their formats, or real values) */
  BG_WIDE theta, window, decay, amp, trace_decay, amp_trace;
  bg_reset_e reset;
  uint32_t refractory;
  bg_fx_t wfmt, bfmt;                 /* weight and feedback formats */
  /* weights */
  BG_VAL *w;                          /* fan_in * n */
  BG_VAL *b;                          /* n */
  BG_VAL *fb;                         /* hidden layers: fb[i*n_out + k], the feedback B^l */
  bg_rng_jump_t *noise_jump;          /* hidden layers: one sleep step of noise draws (2n) */
  /* neuron state (one sample) */
  BG_VAL *v;
  BG_WIDE *d;                         /* error dendrite */
  uint8_t *s;                         /* spike of the previous step */
  uint8_t *refr;                      /* refractory steps left */
  uint16_t *count;                    /* spikes this sample */
  /* per-step records: spike raster, active lists; window bits and reset factors (replay) */
  uint8_t *raster;                    /* T * n */
  uint32_t *act;                      /* T * n: indices of the neurons that spiked at t */
  uint32_t *act_n;                    /* T */
  uint32_t *times, *times_n;          /* n * T, n: spike steps of each neuron (replay mode) */
  uint8_t *g_rec;                     /* T * n */
  BG_VAL *m_rec;                      /* T * n */
  BG_VAL *kern;                       /* T * n: backward kernel K (replay) */
  /* trace mode: per synapse (pre-major, like w) and per neuron */
  BG_VAL *z, *e, *zb, *eb;
  /* learning engine: per-synapse accumulators over the batch */
  BG_WIDE *acc, *accb;
  uint8_t *row_dirty;                 /* fan_in: rows of acc that may hold non-zero values */
  uint8_t *col_dirty;                 /* n: columns of acc that may hold non-zero values */
  uint32_t *col_list;                 /* n: the marked columns, for the update step */
  /* replay mode, one sample: live columns (kernel not all zero), their kernel and dendrites,
   * and the eligibility sum over all steps */
  uint32_t *live;                     /* n */
  uint8_t *col_nz;                    /* n: kernel not all zero */
  BG_VAL *kern_live;                  /* T * n (T rows of n_live), + BG_ROWS_TILE */
  BG_WIDE *d_live, *full;             /* n */
  int32_t *full32;                    /* n (narrow sums) */
  int64_t *t_full;                    /* n: the all-steps row's accumulator updates (narrow) */
  BG_WIDE *scratch;                   /* n: input sums, or one row of eligibilities */
  /* narrow (int32) arithmetic where the description bounds the values (integer path only;
   * model_init decides, docs/cmodel.md "Speed") */
  bool sum32;                         /* input sums */
  int32_t *scratch32;                 /* n */
} BG(model_layer_t);

/* Output-layer error unit state. */
typedef struct {
  BG_VAL *up, *um;                    /* interneuron potentials u+, u- */
  uint8_t *sp, *sm;                   /* their spikes of the previous step */
  BG_WIDE *eps;                       /* this step's error */
  uint32_t *spk_p, *spk_m;            /* interneuron spikes this sample (statistics) */
  uint32_t *fb_k;                     /* this step's feedback spikes: pairs k with σ⁺ != σ⁻ */
  int8_t *fb_sg;                      /* and their signs σ⁺ − σ⁻ */
} BG(error_unit_t);

/* Counters every tier reports (RTL performance counters count the same events). */
typedef struct {
  uint64_t samples, updates, sleeps;
  uint64_t syn_events;                /* synaptic accumulations (one per active input per target) */
  uint64_t spikes[BG_NET_MAX_LAYERS]; /* per layer */
  uint64_t weight_writes;             /* synapses whose weight was written by an update */
  uint64_t rounding_draws;
} BG(counters_t);

typedef struct BG(model) BG(model_t);

/* The rule seam: one table per learning rule, one file per rule (rule_<name>.c; docs/rules.md).
 * Only train_sample is required. */
typedef struct {
  const char *name;
  /* Allocate the rule's own state (m->rule_state) and check what the rule needs of the
   * description; NULL when it needs neither. free releases that state. */
  int (*init)(BG(model_t) *m, bg_err_t *err);
  void (*free)(BG(model_t) *m);
  /* Run one training sample (forward, learning state, error); accumulate its update, or, for a
   * rule that learns online, apply it. */
  int (*train_sample)(BG(model_t) *m, const uint8_t *input, int label);
  /* Apply the accumulated update (after `learning.batch` samples); NULL: online rule. */
  void (*apply_update)(BG(model_t) *m);
  /* One sleep call; NULL when the rule has none. */
  void (*sleep)(BG(model_t) *m);
  /* Inference with input draws from `rng`; NULL: the shared LIF forward pass. */
  int (*infer)(BG(model_t) *m, const uint8_t *input, bg_rng_t *rng);
  /* The learning rate is now `rate` (model_init and model_set_rate); NULL: the rule reads
   * eta_m/eta_sh/eta as the update step sets them. */
  void (*set_rate)(BG(model_t) *m, double rate);
} BG(rule_t);

struct BG(model) {
  const bg_net_t *net;
  const BG(rule_t) *rule;
  void *rule_state;                   /* owned by the rule (rule->init / rule->free) */
  double rate;                        /* the learning rate η in force (learning.rate_decay) */
  int n_layers;                       /* including the input layer */
  uint32_t T, t0;
  bg_fx_t pfmt, tfmt, efmt, dfmt;
  int ufrac;                          /* update accumulator fraction bits */
  BG_WIDE one_p, one_t, one_e, one_d, err_threshold;
  BG_WIDE lut[BG_NET_LUT_MAX];
  uint32_t lut_len;
  BG(model_layer_t) layer[BG_NET_MAX_LAYERS];
  BG(error_unit_t) err;
  bg_rng_t rng[BG_STREAM_COUNT];
  bg_sat_t sat;
  BG(counters_t) ctr;
  uint32_t *all_steps;                /* 0 … T−1 */
  /* narrow (int32/int64) arithmetic where the formats bound the values (integer path only;
   * model_init decides, docs/cmodel.md "Speed"; tests clear them to run the general forms) */
  bool elig32, acc_narrow;            /* eligibility sums, accumulator updates */
  bool update_narrow;                 /* the update step's hoisted int64 rounding */
  uint32_t eta_m, eta_sh;             /* η/(F·batch) = eta_m·2^-eta_sh (integer path) */
  double eta;                         /* η/(F·batch) (float path) */
  uint32_t batch_fill;                /* samples accumulated since the last update */
  uint64_t train_samples;             /* training samples seen (the sleep schedule) */
  bool record;                        /* keep per-step records (training) */
  /* generator lanes (docs/cmodel.md, "Speed"): input_jump advances a state by one step of
   * input draws (layer 0's size); lanes holds one state per step being computed */
  bg_rng_jump_t *input_jump;
  uint32_t *lanes;                    /* max(T, BG_SLEEP_LANES) */
  /* sleep unit scratch */
  int32_t *sleep_h, *sleep_o;
  int64_t *sleep_c, *sleep_q;
  uint32_t *noise_p, *noise_m;        /* BG_SLEEP_LANES * widest: noise lists per step */
  uint32_t *noise_np, *noise_nm;      /* BG_SLEEP_LANES: their lengths */
};

/* Build a model from a validated description: allocate, then initialise weights and feedback
 * from stream 0 and seed every stream. */
int BG(model_init)(BG(model_t) *m, const bg_net_t *net, bg_err_t *err);
void BG(model_free)(BG(model_t) *m);

/* Input of one sample: rate encoding takes layers[0].size pixels (0..255); event encoding
 * takes T * size frame bits (one byte each, 0/1). */

/* Train on one sample: the rule's train_sample, then the update step after every `batch`
 * samples and a sleep call after every `sleep.period` samples. Returns the prediction. */
int BG(model_train)(BG(model_t) *m, const uint8_t *input, int label);
/* Inference: forward only, Bernoulli draws from `rng` (the evaluation stream). */
int BG(model_infer)(BG(model_t) *m, const uint8_t *input, bg_rng_t *rng);
/* Set the learning rate η (the schedule of learning.rate_decay); false if not representable. */
bool BG(model_set_rate)(BG(model_t) *m, double rate);
/* Apply a partial batch now (end of training). */
void BG(model_flush)(BG(model_t) *m);

/* --- hardware operations (one function per RTL block; docs/cmodel.md) --- */
void BG(state_reset)(BG(model_t) *m);
/* Encode step t of the input into layer 0's records; rng NULL for event input. */
void BG(input_encoder_step)(BG(model_t) *m, const uint8_t *input, uint32_t t, bg_rng_t *rng);
/* The same for all T steps of a sample at once (bit-identical records, counts and draws). */
void BG(input_encoder_frames)(BG(model_t) *m, const uint8_t *input, bg_rng_t *rng);
/* Synaptic input sum of layer l from layer l-1's active list at step t, then the soma. */
void BG(neuron_core_step)(BG(model_t) *m, int l, uint32_t t);
/* Soma update from precomputed input sums I (weight format); records spikes at step t. */
void BG(soma_update)(BG(model_t) *m, int l, const BG_WIDE *I, uint32_t t);
void BG(trace_unit_step)(BG(model_t) *m, int l, uint32_t t);
void BG(replay_unit_kernel)(BG(model_t) *m, int l);
void BG(error_unit_step)(BG(model_t) *m, int label);
void BG(weight_update_accumulate)(BG(model_t) *m, int l);
void BG(weight_update_apply)(BG(model_t) *m);
void BG(sleep_unit_run)(BG(model_t) *m);
/* Argmax of the output counts, lowest index on ties. */
int BG(model_prediction)(const BG(model_t) *m);
/* acc[i] += Σ_a rows[idx[a]·n + i] (rows_sub: −=) for i < n, the rows taken in list order
 * (bg_rows.c). The int32 forms are for sums the description bounds below 2^31. */
void BG(rows_add)(BG_WIDE *restrict acc, const BG_VAL *restrict rows, const uint32_t *restrict idx,
                  uint32_t cnt, uint32_t n);
void BG(rows_sub)(BG_WIDE *restrict acc, const BG_VAL *restrict rows, const uint32_t *restrict idx,
                  uint32_t cnt, uint32_t n);
#if !BG_FLOAT
void bg_rows_add32(int32_t *restrict acc, const BG_VAL *restrict rows,
                   const uint32_t *restrict idx, uint32_t cnt, uint32_t n);
void bg_rows_sub32(int32_t *restrict acc, const BG_VAL *restrict rows,
                   const uint32_t *restrict idx, uint32_t cnt, uint32_t n);
#endif

/* Rules */
extern const BG(rule_t) BG(rule_biograd);
extern const BG(rule_t) BG(rule_ssnn_bp);
extern const BG(rule_t) BG(rule_bioleaf);
#if BG_FLOAT
extern const BG(rule_t) bgf_rule_bptt;    /* float path only: BPTT is not a local rule */
#endif
/* The rule's table for this path, or NULL when the path has none. */
const BG(rule_t) *BG(rule_find)(bg_rule_e rule);

/* BioLeaF (rule_bioleaf.c, docs/rules.md): the rule's state, m->rule_state. Traces and
 * error cells are per sample (cleared at its start); the constants follow the description and
 * the learning rate. Arrays indexed by layer; unused entries are NULL. */
typedef struct {
  BG_VAL *xbar[BG_NET_MAX_LAYERS];    /* layers 0 … L−1: presynaptic trace x̄ (trace format) */
  BG_VAL *up[BG_NET_MAX_LAYERS];      /* layers 1 … L: error-cell potentials u⁺, u⁻ */
  BG_VAL *um[BG_NET_MAX_LAYERS];      /*   (error format) */
  uint8_t *rp[BG_NET_MAX_LAYERS];     /* layers 1 … L: their spikes ρ⁺, ρ⁻ of the last step run */
  uint8_t *rm[BG_NET_MAX_LAYERS];
  uint32_t *cols;                     /* widest layer: the cells with ρ⁺ != ρ⁻ this step */
  int8_t *sign;                       /*   and their signs ρ⁺ − ρ⁻ */
  BG_WIDE lambda;                     /* λ (trace format) */
  uint32_t r16;                       /* target rate: round(target_rate · 2^16) */
  uint32_t eta_m, eta_sh;             /* η = eta_m · 2^-eta_sh (integer path) */
  double eta;                         /* η (float path) */
} BG(bioleaf_state_t);
/* One BioLeaF step after the forward pass of step t (every layer's raster and window bits of
 * step t recorded): traces, error cells (t >= t0), online weight update. */
void BG(bioleaf_step)(BG(model_t) *m, uint32_t t, int label);

/* Initialisation (bg_init.c): weights from stream 0, then feedback. */
void BG(init_weights)(BG(model_t) *m);
void BG(init_feedback_aligned)(BG(model_t) *m);

/* Weight value as a real number (for instruments and reports). */
double BG(weight_real)(const BG(model_t) *m, int l, BG_VAL w);
double BG(feedback_real)(const BG(model_t) *m, int l, BG_VAL b);

/* Checkpoints (cmodel/train/bg_model_ckpt.c): weights, feedback, batch accumulators, random
 * stream states, counters and the epoch number, written atomically with bg_ckpt. A checkpoint
 * of the other path (integer/float) or of another description is refused. */
int BG(model_save)(const BG(model_t) *m, const char *path, uint32_t epoch, bg_err_t *err);
int BG(model_load)(BG(model_t) *m, const char *path, uint32_t *epoch, bg_err_t *err);
/* Finish a sample already run by rule->train_sample: update step and sleep schedule. */
void BG(model_after_sample)(BG(model_t) *m);

/* Instruments (cmodel/train/bg_instruments.c). Angle in degrees and norm ratio between B^l and
 * (W^L ⋯ W^(l+1))ᵀ (ALGORITHM.md §2.7), hidden layers l. */
void BG(feedback_alignment)(const BG(model_t) *m, int l, double *angle_deg, double *norm_ratio);
#if BG_FLOAT
/* The BPTT adjoint (rule_bptt.c): after a recorded forward pass, lam[l][t·n + i] = dL/dv_i(t)
 * for the loss (1/F)·Σ_{t>=t0} CE(softmax(counts(t)), label), straight through the spikes with
 * the rectangular pseudo-derivative A·g. spatial: ds/dv = 1/v on firing neurons only (needs the
 * potentials v[l] and refractory flags refr[l] of every step); temporal: the weight of BPSTA's
 * path from a spike to the next step's potential (0: none). */
typedef struct {
  bool spatial;
  double temporal;
  double *const *v;
  uint8_t *const *refr;
} bgf_bptt_opts_t;
int bgf_bptt_adjoint(const bgf_model_t *m, int label, const bgf_bptt_opts_t *o,
                     double *const *lam);
/* After rule->train_sample and before the update is applied (with the batch accumulators
 * holding this sample only): the cosine, per layer, between the BioGrad update and the exact
 * pseudo-gradient of the same loss computed by BPTT on the same forward pass. */
int bgf_bptt_cosine(const bgf_model_t *m, int label, double *cosine);
#endif
