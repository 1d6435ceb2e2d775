/* SPDX-License-Identifier: Apache-2.0 */
/* BioGrad (ALGORITHM.md §2.10): the controller's schedule for one training sample. Forward
 * through every layer in the same step, traces (trace mode) after each soma, the error unit from
 * t0 on; at the end, the backward kernel (replay mode) and the batch accumulators. */
#include "bg_core.h"

static int biograd_train_sample(BG(model_t) *m, const uint8_t *input, int label) {
  const bool trace = m->net->learning.mode == BG_LEARN_TRACE;
  m->record = true;
  BG(state_reset)(m);
  /* the input spikes depend on nothing but the pixels and stream 1: all T frames first */
  BG(input_encoder_frames)(m, input, &m->rng[BG_STREAM_INPUT]);
  for (uint32_t t = 0; t < m->T; t++) {
    for (int l = 1; l < m->n_layers; l++) {
      BG(neuron_core_step)(m, l, t);
      if (trace) BG(trace_unit_step)(m, l, t);
    }
    if (t >= m->t0) BG(error_unit_step)(m, label);
  }
  for (int l = 1; l < m->n_layers; l++) {
    if (!trace) BG(replay_unit_kernel)(m, l);
    BG(weight_update_accumulate)(m, l);
  }
  m->record = false;
  return BG_OK;
}

const BG(rule_t) BG(rule_biograd) = {
    .name = "biograd",
    .train_sample = biograd_train_sample,
    .apply_update = BG(weight_update_apply),
    .sleep = BG(sleep_unit_run),
};
