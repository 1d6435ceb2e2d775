/* SPDX-License-Identifier: Apache-2.0 */
/* The loihi1 semantics' learning-engine terms in the mapping report (bg_loihi1_report.h). */
#include "bg_loihi1_report.h"

#include <stdio.h>

#include "bg_loihi1.h"

static void l1_term(cJSON *arr, const char *target, int layer, const char *dependency,
                    const char *scale, const char *factors, const char *replaces) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "target", target);
  if (layer > 0) cJSON_AddNumberToObject(o, "layer", layer);
  cJSON_AddStringToObject(o, "dependency", dependency);
  cJSON_AddStringToObject(o, "scale", scale);
  cJSON_AddStringToObject(o, "factors", factors);
  cJSON_AddStringToObject(o, "replaces", replaces);
  cJSON_AddItemToArray(arr, o);
}

void bg_l1_report_terms(const bg_map_t *m, cJSON *j) {
  const bg_net_t *net = m->net;
  const bg_l1_opts_t o = BG_L1_OPTS_DEFAULT;
  char dep[160], sc[160], fac[200];
  cJSON *le = cJSON_AddArrayToObject(j, "loihi1_terms");
  cJSON_AddNumberToObject(j, "loihi1_t_epoch", o.t_epoch);
  const uint32_t epochs = net->time.steps / o.t_epoch;
  for (int l = 1; l < net->n_layers; l++) {
    bg_l1_layer_t k;
    bg_l1_layer_consts(m, &o, net->learning.rate, l, &k);
    const bool out = l == net->n_layers - 1;
    snprintf(sc, sizeof sc, "decay %u/4096 (stochastic rounding), impulse %u, 7 bits", k.x_keep,
             k.x_impulse);
    l1_term(le, "x1_j", l, "every step (x0_j: a presynaptic spike; the bias axon always fires)",
            sc, "x1 = SR(x1 * keep / 4096) + impulse * x0", "z_ij (shared by the fan-out: no reset factor m_i)");
    l1_term(le, "y0_i", l, "every step: at most one event per epoch",
            "1", "the spike of a window compartment [theta - omega < v < theta + omega] "
            "(--surrogate spike: the soma's spike)", "g_i(t)");
    snprintf(sc, sizeof sc, "2^-%d (stochastic rounding), 9-bit signed", k.tag_shift);
    l1_term(le, "tag_ij", l, "y0_i (first surrogate event of an epoch)", sc, "x1_j",
            "e_ij and the replay kernel K_i(t)");
    snprintf(sc, sizeof sc, "impulse %u per error spike, no decay, 7 bits", k.y_impulse);
    snprintf(fac, sizeof fac, "%s", out ? "y2: spikes of u+_k, y3: spikes of u-_k"
             : "y2/y3: spikes of the dendrite's +/- encoders (threshold 2^err_exp of dendrite, "
               "soft reset)");
    l1_term(le, "y2_i, y3_i", l, "error spikes, steps t >= t0", sc, fac, "delta_i = D_i / F");
    snprintf(dep, sizeof dep, "u%u: the sample's last epoch (every %u-th epoch of %u steps)",
             epochs, epochs, o.t_epoch);
    snprintf(sc, sizeof sc, "2^%d in weight LSBs (eta rounded to a power of two), %d-bit weights, "
             "exponent %d", k.w_exp, k.w_bits, k.w_exponent);
    l1_term(le, "W_ij", l, dep, sc, "+y3_i*tag_ij - y2_i*tag_ij (16-bit products), then tag = 0",
            "W_ij -= eta' delta_i e_ij");
    if (net->learning.bias) {
      l1_term(le, "b_i", l, dep, sc, "as W_ij, from an always-on bias axon",
              "b_i -= eta' delta_i eb_i (a compartment bias is not synaptic state)");
    }
  }
  if (net->sleep.enabled && net->n_layers > 2) {
    for (int l = 1; l < net->n_layers - 1; l++) {
      int he, de;
      bg_l1_sleep_exps(net, l, &he, &de);
      snprintf(dep, sizeof dep, "u: the end of every noise sample (one epoch of Ts = %u steps)",
               net->sleep.steps);
      snprintf(sc, sizeof sc, "2^%d and 2^%d in feedback LSBs", he, de);
      l1_term(le, "B_ik (sleep)", l, dep, sc,
              "x1_k*y+_i - x1_k*y-_i (x1: output spikes o_k, y+/y-: noise counts) and "
              "- x1_k*x1_k*B_ik (16-bit products, one stochastic rounding)",
              "B_ik += eta_s (C_ik - B_ik Q_k / K) after K samples");
    }
  }
}
