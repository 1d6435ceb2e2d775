/* SPDX-License-Identifier: Apache-2.0 */
/* Network description: cross-field checks and the quantised constants every tier shares. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bg_net.h"
#include "bg_net_read.h"

int bg_net_derive(bg_net_t *net, bg_rd_t *rd);

/* Largest value a signed `bits`-wide integer holds. */
static int64_t fx_max(int bits) { return bits >= 64 ? INT64_MAX : (int64_t)((1ull << (bits - 1)) - 1); }

/* Round half away from zero of x·2^frac; *ok is cleared when it does not fit `bits`. */
static int64_t quantize(double x, int frac, int bits, bool *ok) {
  double scaled = ldexp(x, frac);
  double lim = (double)fx_max(bits);
  if (!(fabs(scaled) <= lim)) {
    *ok = false;
    return 0;
  }
  return (int64_t)llround(scaled);
}

/* x = m · 2^-sh with m in [2^14, 2^15): a 15-bit mantissa and a right shift. */
static bool mantissa_shift(double x, uint32_t *m, uint32_t *sh) {
  if (!(x > 0.0)) return false;
  int e;
  (void)frexp(x, &e);       /* x = f·2^e, f in [0.5, 1) */
  int s = 15 - e;           /* x·2^s in [2^14, 2^15) */
  if (s < 0 || s > 63) return false;
  long long r = llround(ldexp(x, s));
  if (r == (1ll << 15)) {   /* rounding carried out of the mantissa */
    r = 1ll << 14;
    s--;
  }
  if (s < 0) return false;
  *m = (uint32_t)r;
  *sh = (uint32_t)s;
  return true;
}

static int ceil_log2(uint64_t v) {
  int b = 0;
  while ((1ull << b) < v && b < 63) b++;
  return b;
}

static const char *fmt_desc(bg_fx_t f, char *buf, size_t len) {
  snprintf(buf, len, "%d-bit with %d fractional bits (±%.6g)", f.bits, f.frac,
           ldexp((double)fx_max(f.bits), -f.frac));
  return buf;
}

static void derive_layer(bg_net_t *net, int l, bg_rd_t *rd) {
  bg_layer_t *ly = &net->layers[l];
  bg_layer_q_t *q = &ly->q;
  const bg_neuron_t *n = &ly->neuron;
  bg_fx_t pot = net->fx.potential, tr = net->fx.trace;
  char at[BG_PATH_LEN], fd[96];
  q->fan_in = net->layers[l - 1].size;
  q->synapses = (uint64_t)q->fan_in * ly->size;
  if (q->synapses > UINT32_MAX) {
    snprintf(at, sizeof at, "layers[%d].size", l);
    bg_rd_fail(rd, at, "expected at most 2^32-1 synapses into one layer (32-bit weight "
               "addresses), found %u x %u = %llu", q->fan_in, ly->size,
               (unsigned long long)q->synapses);
  }

  bool ok = true;
  q->theta = quantize(n->threshold, pot.frac, pot.bits, &ok);
  if (!ok || q->theta < 1) {
    snprintf(at, sizeof at, "layers[%d].neuron.threshold", l);
    bg_rd_fail(rd, at, "expected a threshold representable in the potential format %s, "
               "found %g", fmt_desc(pot, fd, sizeof fd), n->threshold);
  }
  ok = true;
  q->window = quantize(n->window, pot.frac, pot.bits, &ok);
  if (!ok) {
    snprintf(at, sizeof at, "layers[%d].neuron.window", l);
    bg_rd_fail(rd, at, "expected a window representable in the potential format %s, found %g",
               fmt_desc(pot, fd, sizeof fd), n->window);
  }
  ok = true;
  q->amplitude = quantize(n->amplitude, pot.frac, pot.bits, &ok);
  if (!ok || q->amplitude < 1) {
    snprintf(at, sizeof at, "layers[%d].neuron.amplitude", l);
    bg_rd_fail(rd, at, "expected an amplitude representable in the potential format %s, "
               "found %g", fmt_desc(pot, fd, sizeof fd), n->amplitude);
  }
  if (n->decay_shift > 0) {
    if (n->decay_shift > pot.frac) {
      snprintf(at, sizeof at, "layers[%d].neuron.decay_shift", l);
      bg_rd_fail(rd, at, "expected a shift of at most the potential's %d fractional bits, "
                 "found %d", pot.frac, n->decay_shift);
    } else {
      q->decay = (int64_t)((INT64_C(1) << pot.frac) - (INT64_C(1) << (pot.frac - n->decay_shift)));
    }
  } else {
    ok = true;
    q->decay = quantize(n->decay, pot.frac, pot.bits, &ok);
    if (!ok || q->decay >= (1ll << pot.frac)) {
      snprintf(at, sizeof at, "layers[%d].neuron.decay", l);
      bg_rd_fail(rd, at, "expected a decay below 1 after rounding to %d fractional bits, "
                 "found %g", pot.frac, n->decay);
    }
  }
  double td = net->learning.trace_decay < 0.0 ? n->decay : net->learning.trace_decay;
  ok = true;
  q->trace_decay = quantize(td, tr.frac, tr.bits, &ok);
  if (!ok || q->trace_decay >= (1ll << tr.frac)) {
    bg_rd_fail(rd, "learning.trace_decay", "expected a decay below 1 after rounding to the "
               "trace format's %d fractional bits, found %g (layers[%d])", tr.frac, td, l);
  }

  /* Initialisation range: W, b ~ U(-scale/sqrt(fan_in), +scale/sqrt(fan_in)). */
  double bound = net->init.weight_scale / sqrt((double)q->fan_in);
  double wmax = ldexp((double)fx_max(ly->weight.bits), -ly->weight.frac);
  snprintf(at, sizeof at, "layers[%d].weight", l);
  q->init_bound = (int64_t)llround(ldexp(bound, ly->weight.frac));
  if (bound > wmax) {
    bg_rd_fail(rd, at, "expected a format that holds the init range ±%.6g (init.weight_scale "
               "%g / sqrt(fan_in %u)), found %s", bound, net->init.weight_scale, q->fan_in,
               fmt_desc(ly->weight, fd, sizeof fd));
  } else if (q->init_bound < 1) {
    bg_rd_fail(rd, at, "expected enough fractional bits to resolve the init range ±%.6g, found "
               "%s: every initial weight would round to zero (raise frac)", bound,
               fmt_desc(ly->weight, fd, sizeof fd));
  }
  double bbound = net->learning.bias ? net->init.bias_scale / sqrt((double)q->fan_in) : 0.0;
  q->bias_bound = (int64_t)llround(ldexp(bbound, ly->weight.frac));
  if (bbound > wmax) {
    bg_rd_fail(rd, "init.bias_scale", "expected the bias init range ±%.6g to fit layers[%d]'s "
               "weight format %s", bbound, l, fmt_desc(ly->weight, fd, sizeof fd));
  }

  /* The synaptic input sum must not overflow: fan_in weights plus a bias at full scale. */
  int need = ly->weight.bits + ceil_log2((uint64_t)q->fan_in + (net->learning.bias ? 1u : 0u));
  if (net->fx.accumulator_bits < need) {
    bg_rd_fail(rd, "fixed_point.accumulator_bits", "expected at least %d bits to sum %u "
               "%d-bit weights%s into layers[%d] without overflow, found %d", need, q->fan_in,
               ly->weight.bits, net->learning.bias ? " and a bias" : "", l,
               net->fx.accumulator_bits);
  }
  if (ly->size > (1u << net->hw.neuron_index_bits) ||
      (l == 1 && net->layers[0].size > (1u << net->hw.neuron_index_bits))) {
    uint32_t big = ly->size > net->layers[0].size || l != 1 ? ly->size : net->layers[0].size;
    bg_rd_fail(rd, "hardware.neuron_index_bits", "expected %u-bit neuron indices to address "
               "every layer, found a layer of %u neurons (needs %d bits)",
               net->hw.neuron_index_bits, big, ceil_log2(big));
  }
}

static void derive_lut(bg_net_t *net) {
  bg_net_q_t *q = &net->q;
  q->lut_len = 0;
  for (int n = 0; n < BG_NET_LUT_MAX; n++) {
    int64_t v = (int64_t)llround(ldexp(exp(-(double)n), net->fx.error.frac));
    q->lut[q->lut_len++] = v;
    if (v == 0) break;
  }
}

static uint32_t fnv1a(const char *s) {
  uint32_t h = 2166136261u;
  for (; *s; s++) {
    h ^= (uint8_t)*s;
    h *= 16777619u;
  }
  return h;
}

bool bg_net_eta_q(const bg_net_t *net, double rate, uint32_t *m, uint32_t *sh) {
  return mantissa_shift(rate / ((double)net->q.error_steps * net->learning.batch), m, sh);
}

bool bg_net_rate_q(double rate, uint32_t *m, uint32_t *sh) { return mantissa_shift(rate, m, sh); }

int bg_net_derive(bg_net_t *net, bg_rd_t *rd) {
  int before = rd->count;
  bg_net_q_t *q = &net->q;
  char fd[96];

  if (net->time.error_start >= net->time.steps) {
    bg_rd_fail(rd, "time.error_start", "expected a step before time.steps = %u (the error phase "
               "needs at least one step), found %u", net->time.steps, net->time.error_start);
  }
  q->error_steps = net->time.steps > net->time.error_start ? net->time.steps - net->time.error_start : 1;
  if (net->time.steps > (uint32_t)fx_max(net->fx.count_bits + 1)) {
    bg_rd_fail(rd, "fixed_point.count_bits", "expected a spike counter wide enough to count "
               "time.steps = %u spikes, found %d bits (max %lld)", net->time.steps,
               net->fx.count_bits, (long long)fx_max(net->fx.count_bits + 1));
  }

  /* Input shape and encoding. */
  uint64_t prod = (uint64_t)net->input.shape[0] * net->input.shape[1] * net->input.shape[2];
  if (prod != net->layers[0].size) {
    bg_rd_fail(rd, "input.shape", "expected dimensions whose product is layers[0].size = %u, "
               "found [%u, %u, %u] = %llu", net->layers[0].size, net->input.shape[0],
               net->input.shape[1], net->input.shape[2], (unsigned long long)prod);
  }
  if (net->input.encoding == BG_ENC_EVENT && net->input.shape[0] != 2) {
    bg_rd_fail(rd, "input.shape", "expected 2 channels (ON and OFF polarity) first for event "
               "input, found %u", net->input.shape[0]);
  }

  /* Error path: softmax probabilities and ε live in (-1, 1). */
  bg_fx_t ef = net->fx.error;
  if (ef.bits - 1 - ef.frac < 1) {
    bg_rd_fail(rd, "fixed_point.error", "expected a format that holds ±1 (softmax outputs and "
               "errors), found %s", fmt_desc(ef, fd, sizeof fd));
  }
  /* An inactive error interneuron integrates up to F·|ε| < F below zero (§2.4). */
  double emax = ldexp((double)fx_max(ef.bits), -ef.frac);
  if (emax < (double)q->error_steps + net->learning.error_threshold) {
    bg_rd_fail(rd, "fixed_point.error", "expected a format that holds ±(F + error_threshold) = "
               "±%g (error interneurons integrate up to F = %u errors of magnitude < 1), found %s",
               (double)q->error_steps + net->learning.error_threshold, q->error_steps,
               fmt_desc(ef, fd, sizeof fd));
  }
  bool ok = true;
  q->error_threshold = quantize(net->learning.error_threshold, ef.frac, ef.bits, &ok);
  if (!ok || q->error_threshold < 1) {
    bg_rd_fail(rd, "learning.error_threshold", "expected a threshold representable in the error "
               "format %s, found %g", fmt_desc(ef, fd, sizeof fd), net->learning.error_threshold);
  }
  if (net->fx.potential.bits - 1 - net->fx.potential.frac < 0) {
    bg_rd_fail(rd, "fixed_point.potential", "expected a format with at least one integer bit, "
               "found %s", fmt_desc(net->fx.potential, fd, sizeof fd));
  }

  for (int l = 1; l < net->n_layers; l++) derive_layer(net, l, rd);

  /* Learning rate with 1/F and 1/batch folded in (ALGORITHM.md §2.13.2). */
  double eta = net->learning.rate / ((double)q->error_steps * net->learning.batch);
  if (!mantissa_shift(eta, &q->eta_m, &q->eta_sh)) {
    bg_rd_fail(rd, "learning.rate", "expected η/(F·batch) = %g to be representable as a 15-bit "
               "mantissa times 2^-shift with shift <= 63, found rate %g", eta,
               net->learning.rate);
  }
  if (!mantissa_shift(net->sleep.rate, &q->sleep_eta_m, &q->sleep_eta_sh)) {
    bg_rd_fail(rd, "sleep.rate", "expected a rate representable as a 15-bit mantissa times "
               "2^-shift with shift <= 63, found %g", net->sleep.rate);
  }
  q->sleep_k_shift = (uint32_t)ceil_log2(net->sleep.samples);
  /* Update accumulators keep the full product delta·e when it fits 32 fraction bits. */
  int uf = net->fx.dendrite.frac + net->fx.trace.frac;
  q->update_frac = (uint32_t)(uf < 32 ? uf : 32);
  q->sleep_rate16 = net->sleep.noise_rate < 0.0 ? 0u
                                                : (uint32_t)llround(net->sleep.noise_rate * 65536.0);
  if (net->sleep.noise_rate >= 0.0 && q->sleep_rate16 == 0) {
    bg_rd_fail(rd, "sleep.noise_rate", "expected a rate of at least 2^-17 (it is compared "
               "with 16-bit random numbers), found %g", net->sleep.noise_rate);
  }
  if (net->sleep.enabled && net->n_layers < 3) {
    bg_rd_fail(rd, "sleep.enabled", "expected false for a network without a hidden layer (there "
               "are no feedback weights to align), found true");
  }

  for (uint32_t s = 0; s < BG_STREAM_COUNT; s++) {
    uint32_t v = net->seed ^ (s * 0x9E3779B9u);
    q->stream_seed[s] = v ? v : 1u;
  }
  derive_lut(net);

  if (rd->count != before) return BG_E_RANGE;
  char *dump = bg_net_dump(net);
  if (dump == NULL) {
    bg_rd_fail(rd, "", "out of memory while hashing the description");
    return BG_E_NOMEM;
  }
  q->hash = fnv1a(dump);
  free(dump);
  return BG_OK;
}
