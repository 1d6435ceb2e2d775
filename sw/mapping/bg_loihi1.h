/* SPDX-License-Identifier: Apache-2.0 */
/* The loihi1 semantics of the mapping tier (docs/mapping.md, "Loihi 1 semantics"): BioGrad as
 * Loihi 1's learning engine can express it. The forward pass and the error unit are the golden
 * model's integer compartments; every weight and feedback change goes through the learning
 * engine evaluated here: 7-bit stochastically rounded traces, sum-of-products terms with
 * power-of-two scales, learning epochs of t_epoch steps, a 9-bit tag as the forward
 * eligibility, the error as two 7-bit third-factor post traces, weights in the layer's bits.
 * Every random draw comes from one of three seeded xorshift32 streams (BG_L1_STREAM_*). */
#ifndef BG_LOIHI1_H
#define BG_LOIHI1_H

#include <stdbool.h>
#include <stdint.h>

#include "bg_map.h"
#include "bg_model.h"

#define BG_L1_TRACE_MAX 127   /* traces are 7-bit unsigned */
#define BG_L1_TAG_MIN (-256)  /* the tag is 9-bit signed */
#define BG_L1_TAG_MAX 255
#define BG_L1_ACC_BITS 16     /* each product is formed in a 16-bit signed register */

/* The learning-engine streams: seeded `seed XOR (k · 0x9E3779B9)` (1 if zero), k below, seed
 * from `bgmap --seed`. The golden streams 0 (init), 1 (input) and 5 (evaluation) are the
 * golden model's own (the description's seed). */
enum {
  BG_L1_STREAM_TRACE = 16,    /* stochastic rounding of trace decays */
  BG_L1_STREAM_UPDATE = 17,   /* stochastic rounding of tag, weight and feedback updates */
  BG_L1_STREAM_NOISE = 18,    /* sleep: the noise rate and the noise spikes */
};

typedef enum {
  BG_L1_SURR_SPIKE = 0,       /* g ≈ the soma's own spike (y0 of the soma) */
  BG_L1_SURR_WINDOW = 1,      /* g ≈ the spike of a window compartment: θ − ω < v < θ + ω */
} bg_l1_surrogate_e;

typedef struct {
  uint32_t t_epoch;           /* learning epoch in steps (divides T; at most the target's) */
  bg_l1_surrogate_e surrogate;
  int err_exp;                /* hidden error encoders fire every 2^err_exp of dendrite (< 0) */
  uint32_t seed;              /* the learning-engine streams */
} bg_l1_opts_t;

/* The constants of one synapse group (layer l's incoming synapses), derived from the
 * description, the rate and the options (bg_l1_layer_consts). */
typedef struct {
  uint32_t x_keep;            /* pre-trace decay: x ← x·x_keep/4096, 4096 − δ in Loihi's form */
  uint32_t x_impulse;         /* pre-trace increment per presynaptic spike */
  uint32_t y_impulse;         /* error-trace increment per error spike */
  int tag_shift;              /* Δtag = x1 · 2^-tag_shift at a surrogate event */
  int w_exp;                  /* Δw = (y3 − y2)·tag · 2^w_exp, in weight LSBs */
  int err_exp;                /* error-encoder threshold 2^err_exp (1 at the output layer) */
  int w_bits;                 /* stored weight bits (the layer's, at most the target's) */
  int w_exponent;             /* the weight's exponent on the target (map's per-layer value) */
} bg_l1_layer_t;

typedef struct {
  uint64_t input_spikes;      /* input and sleep-noise spikes delivered into cores */
  uint64_t routed_spikes;     /* deliveries from one core to another (forward + error) */
  uint64_t local_spikes;      /* deliveries that stayed on their core */
  uint64_t syn_events;        /* synaptic accumulations, forward (training and inference) */
  uint64_t sleep_syn_events;  /* synaptic accumulations of the sleep phase */
  uint64_t neuron_updates;    /* compartment updates: somas, window and error compartments */
  uint64_t trace_updates;     /* pre/post trace updates (decays of non-zero traces, impulses) */
  uint64_t learning_ops;      /* synapse visits by the learning engine (tag, W, b, B terms) */
  uint64_t weight_writes;     /* synapses whose weight or feedback value changed */
  uint64_t mem_accesses;      /* synaptic-memory words read or written (see docs/mapping.md) */
  uint64_t steps;             /* timesteps run, sleep included */
  uint64_t train_samples, infer_samples;
  uint64_t sat_trace, sat_tag, sat_acc, sat_w;
} bg_l1_counters_t;

typedef struct bg_l1 bg_l1_t;

/* Check the options against the description and the target; 0 or BG_E_* with a message that
 * names the option or field and what was expected. */
int bg_l1_check(const bg_map_t *map, const bg_l1_opts_t *o, bg_err_t *err);
/* Build from a mapping that fits (check first); the golden model is initialised from net. */
int bg_l1_new(bg_l1_t **out, const bg_map_t *map, const bg_l1_opts_t *o, bg_err_t *err);
void bg_l1_free(bg_l1_t *p);
/* The learning rate in force is `rate` (η of the description, decayed per epoch by the
 * caller): every layer's w_exp is rounded again. */
void bg_l1_set_rate(bg_l1_t *p, double rate);
int bg_l1_train(bg_l1_t *p, const uint8_t *input, int label, int *prediction);
int bg_l1_infer(bg_l1_t *p, const uint8_t *input, bg_rng_t *rng, int *prediction);
const bg_l1_counters_t *bg_l1_counters(const bg_l1_t *p);
const bg_l1_layer_t *bg_l1_layer(const bg_l1_t *p, int l);
const bg_model_t *bg_l1_model(const bg_l1_t *p);
/* The constants of synapse group l (layer l's incoming synapses) at learning rate `rate`. */
void bg_l1_layer_consts(const bg_map_t *map, const bg_l1_opts_t *o, double rate, int l,
                        bg_l1_layer_t *k);
/* The sleep phase's scales: ΔB = h·o·2^h_exp − o²·B·2^d_exp (feedback LSBs). */
void bg_l1_sleep_exps(const bg_net_t *net, int l, int *h_exp, int *d_exp);
/* The options bgmap uses when none are given. */
#define BG_L1_OPTS_DEFAULT {.t_epoch = 2, .surrogate = BG_L1_SURR_WINDOW, .err_exp = -4, .seed = 1}

/* --- the learning engine's arithmetic, one function per operation (tests call them) --- */
/* v·2^-sh rounded stochastically (floor, +1 with probability remainder/2^sh; one draw when the
 * remainder is not zero); sh <= 0 is an exact left shift. */
int64_t bg_l1_sround(int64_t v, int sh, bg_rng_t *r);
/* One pre/post trace step: decay (stochastic rounding, one draw for a non-zero trace), then
 * the impulse when `spike`, saturating at 127. */
uint8_t bg_l1_trace_step(uint8_t x, uint32_t keep, uint32_t impulse, bool spike, bg_rng_t *r,
                         uint64_t *sat);
/* The tag term at a surrogate event: tag + SR(x1·2^-sh), saturated to 9 bits signed. */
int16_t bg_l1_tag_step(int16_t tag, uint8_t x1, int sh, bg_rng_t *r, uint64_t *sat);
/* The weight terms at the sample's last epoch: w + SR(clamp16((y3 − y2)·tag)·2^w_exp),
 * saturated to `bits` signed. */
int32_t bg_l1_weight_step(int32_t w, uint8_t y2, uint8_t y3, int16_t tag, int w_exp, int bits,
                          bg_rng_t *r, uint64_t *sat_acc, uint64_t *sat_w);
/* The sleep terms at the end of a noise sample (one epoch of Ts steps):
 * B + SR(clamp16(o·(h⁺ − h⁻))·2^h_exp − clamp16(o·o·B)·2^d_exp), saturated to `bits`. */
int32_t bg_l1_feedback_step(int32_t b, uint8_t o, uint8_t hp, uint8_t hm, int h_exp, int d_exp,
                            int bits, bg_rng_t *r, uint64_t *sat_acc, uint64_t *sat_w);
/* Nearest power of two (in log2) of a positive value. */
int bg_l1_pow2_exp(double v);

#endif /* BG_LOIHI1_H */
