/* SPDX-License-Identifier: Apache-2.0 */
/* The partitioned simulator, golden semantics (docs/mapping.md): the mapped network run core by
 * core. Every core's slice of a layer is its own golden-model instance holding only its neurons'
 * state and synapses; spikes reach other slices only through the mapping's routes; the error unit
 * runs on the management core with the gathered output counts, and the error spikes are routed
 * back to the dendrites; the weight update follows the golden model's schedule (rows, then the
 * columns of every slice in order, one rounding stream); the sleep phase draws its noise on the
 * management core and routes it as signed spikes. Integer path. */
#ifndef BG_PSIM_H
#define BG_PSIM_H

#include <stdint.h>

#include "bg_map.h"
#include "bg_model.h"

typedef struct bg_psim bg_psim_t;

typedef struct {
  uint64_t input_spikes;       /* input and sleep-noise spikes the management core delivers */
  uint64_t routed_spikes;      /* spike deliveries from one core to another (forward + error) */
  uint64_t local_spikes;       /* deliveries that stayed on their core */
  uint64_t syn_events;         /* synaptic accumulations, all slices */
  uint64_t weight_writes;      /* synapses written by updates */
  uint64_t learning_ops;       /* synapses the update step and the sleep step read-modify-write
                                * (W, b and B): memory accesses = syn events (forward and sleep)
                                * + 2 · learning ops */
  uint64_t neuron_updates;     /* soma updates (neurons × steps), sleep included */
  uint64_t sleep_syn_events;   /* synaptic accumulations of the sleep phase */
  uint64_t steps;              /* timesteps run (samples × T, sleep steps included) */
} bg_psim_counters_t;

/* Build the slices of a mapping that fits, with the weights of `init` (a golden model of the
 * same description, usually fresh from model_init). */
int bg_psim_new(bg_psim_t **ps, const bg_map_t *map, const bg_model_t *init, bg_err_t *err);
void bg_psim_free(bg_psim_t *ps);

/* One training sample / one inference, as BG(model_train) / BG(model_infer). */
int bg_psim_train(bg_psim_t *ps, const uint8_t *input, int label, int *prediction, bg_err_t *err);
int bg_psim_infer(bg_psim_t *ps, const uint8_t *input, bg_rng_t *rng, int *prediction,
                  bg_err_t *err);

/* The first difference between the partitioned state and a golden model's (weights, biases,
 * feedback weights, dendrites, spike counts), described in `what`; 0 when every value agrees. */
int bg_psim_compare(const bg_psim_t *ps, const bg_model_t *golden, char *what, size_t cap);

const bg_psim_counters_t *bg_psim_counters(const bg_psim_t *ps);

#endif /* BG_PSIM_H */
