/* SPDX-License-Identifier: Apache-2.0 */
/* The loihi1 semantics (docs/mapping.md, "Loihi 1 semantics"): one training sample, one
 * inference and the sleep phase, with the golden model's compartments for the forward pass and
 * the error unit and the learning engine (bg_loihi1_engine.c) for every weight change. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bg_core.h"
#include "bg_loihi1.h"

struct bg_l1 {
  const bg_map_t *map;
  const bg_net_t *net;
  bg_l1_opts_t o;
  bg_model_t m;                                 /* forward compartments and error unit */
  bg_l1_layer_t k[BG_NET_MAX_LAYERS];
  double rate;
  /* learning-engine state of synapse group l (layer l's incoming synapses, l >= 1) */
  uint8_t *x1[BG_NET_MAX_LAYERS];               /* layer l−1's pre traces, + the bias axon */
  int16_t *tag[BG_NET_MAX_LAYERS];              /* (fan_in + 1, n): pre-major like w */
  uint8_t *y0[BG_NET_MAX_LAYERS];               /* n: a surrogate event in this epoch */
  uint8_t *y2[BG_NET_MAX_LAYERS], *y3[BG_NET_MAX_LAYERS];  /* n: error traces (+, −) */
  int64_t *ep[BG_NET_MAX_LAYERS], *em[BG_NET_MAX_LAYERS];  /* n: hidden error encoders */
  uint8_t *es_p[BG_NET_MAX_LAYERS], *es_m[BG_NET_MAX_LAYERS]; /* n: their last spikes */
  int64_t *d_prev[BG_NET_MAX_LAYERS];           /* n: the dendrite at the previous step */
  /* routing: the core of every neuron, and which cores hold each layer */
  uint32_t *core_of[BG_NET_MAX_LAYERS];         /* n, layers >= 1 */
  uint8_t *holds[BG_NET_MAX_LAYERS];            /* n_cores */
  uint32_t n_holds[BG_NET_MAX_LAYERS];
  uint32_t hidden_cores;                        /* cores holding any hidden layer */
  uint8_t *holds_hidden;                        /* n_cores */
  bg_rng_t r_trace, r_update, r_noise;
  bg_l1_counters_t ctr;
  uint64_t train_samples;
  /* sleep scratch */
  uint8_t *hp, *hm, *o_cnt;
  uint32_t *noise_p, *noise_m;
};

static uint32_t stream_seed(uint32_t seed, uint32_t k) {
  uint32_t s = seed ^ (k * 0x9E3779B9u);
  return s ? s : 1u;
}

static double trace_alpha(const bg_net_t *net, int l) {
  return net->learning.trace_decay >= 0 ? net->learning.trace_decay : net->layers[l].neuron.decay;
}

int bg_l1_check(const bg_map_t *map, const bg_l1_opts_t *o, bg_err_t *err) {
  const bg_net_t *net = map->net;
  const bg_target_t *t = map->t;
  const uint32_t T = net->time.steps;
  const uint32_t max_epoch = t->max_epoch > 0 ? (uint32_t)t->max_epoch : 63u;
  if (net->rule != BG_RULE_BIOGRAD) {
    return bg_err_set(err, BG_E_RANGE, "%s: rule: --semantics loihi1 expects \"biograd\", found \"%s\"",
                      net->file, bg_net_rule_name(net->rule));
  }
  if (net->input.encoding != BG_ENC_RATE) {
    return bg_err_set(err, BG_E_RANGE, "%s: input.encoding: --semantics loihi1 expects \"rate\"",
                      net->file);
  }
  if (o->t_epoch < 1 || o->t_epoch > max_epoch || T % o->t_epoch != 0) {
    return bg_err_set(err, BG_E_RANGE, "--t-epoch: expected 1 … %u steps dividing time.steps = %u "
                      "(a learning epoch of %s; the weight update falls on the sample's last "
                      "epoch), found %u", max_epoch, T, t->name, o->t_epoch);
  }
  if (o->err_exp > 0 || o->err_exp < -12) {
    return bg_err_set(err, BG_E_RANGE, "--err-exp: expected -12 … 0 (the hidden error encoders' "
                      "threshold 2^e of dendrite), found %d", o->err_exp);
  }
  if (net->sleep.enabled && net->n_layers > 2 && net->sleep.steps > max_epoch) {
    return bg_err_set(err, BG_E_RANGE, "%s: sleep.steps: --semantics loihi1 runs one learning "
                      "epoch per noise sample, expected at most %u steps on %s, found %u",
                      net->file, max_epoch, t->name, net->sleep.steps);
  }
  for (int l = 1; l < net->n_layers; l++) {
    const double a = trace_alpha(net, l);
    if (!(a >= 0 && a < 1)) {
      return bg_err_set(err, BG_E_RANGE, "%s: layers[%d]: the trace decay %g must lie in [0, 1) "
                        "for a 7-bit pre trace", net->file, l, a);
    }
  }
  return BG_OK;
}

void bg_l1_layer_consts(const bg_map_t *map, const bg_l1_opts_t *o, double rate, int l,
                        bg_l1_layer_t *k) {
  const bg_net_t *net = map->net;
  const double a = trace_alpha(net, l);
  const uint32_t T = net->time.steps, epochs = T / o->t_epoch;
  k->x_keep = (uint32_t)lround(4096.0 * a);
  /* the impulse is 64 (1.0 in Q6) unless the steady state 64/(1−α) would pass 127 */
  uint32_t imp = 64;
  while (imp > 1 && imp / (1.0 - a) > BG_L1_TRACE_MAX) imp--;
  k->x_impulse = imp;
  /* F error steps, at most one error spike per step and sign: F·y_imp <= 127 */
  const uint32_t F = net->q.error_steps ? net->q.error_steps : 1;
  k->y_impulse = BG_L1_TRACE_MAX / F > 8 ? 8 : (BG_L1_TRACE_MAX / F ? BG_L1_TRACE_MAX / F : 1);
  /* the tag holds up to `epochs` events of the largest pre trace in 9 bits */
  const double xmax = fmin(BG_L1_TRACE_MAX, imp / (1.0 - a));
  k->tag_shift = 0;
  while (epochs * xmax / (double)(1 << k->tag_shift) > BG_L1_TAG_MAX) k->tag_shift++;
  k->err_exp = l == net->n_layers - 1 ? 0 : o->err_exp;
  k->w_bits = net->layers[l].weight.bits < map->t->max_weight_bits
                  ? net->layers[l].weight.bits : map->t->max_weight_bits;
  k->w_exponent = map->weight_exponent[l];
  /* Δw_real = −η/F · δ · e with δ ≈ (y2 − y3)/y_imp · 2^err_exp and e ≈ tag · 2^tag_shift/x_imp;
   * in weight LSBs (×2^frac) the product (y3 − y2)·tag is scaled by the nearest power of two */
  const double scale = rate / F * ldexp(1.0, k->err_exp + k->tag_shift) /
                       ((double)k->y_impulse * k->x_impulse) * ldexp(1.0, net->layers[l].weight.frac);
  k->w_exp = bg_l1_pow2_exp(scale);
}

void bg_l1_set_rate(bg_l1_t *p, double rate) {
  p->rate = rate;
  for (int l = 1; l < p->net->n_layers; l++) bg_l1_layer_consts(p->map, &p->o, rate, l, &p->k[l]);
}

void bg_l1_sleep_exps(const bg_net_t *net, int l, int *h_exp, int *d_exp) {
  /* ΔB_real = η_s (h·o − B·o²/K) per noise sample; in feedback LSBs */
  *h_exp = bg_l1_pow2_exp(net->sleep.rate * ldexp(1.0, net->layers[l].feedback.frac));
  *d_exp = bg_l1_pow2_exp(net->sleep.rate / net->sleep.samples);
}

void bg_l1_free(bg_l1_t *p) {
  if (p == NULL) return;
  for (int l = 0; l < BG_NET_MAX_LAYERS; l++) {
    free(p->x1[l]);
    free(p->tag[l]);
    free(p->y0[l]);
    free(p->y2[l]);
    free(p->y3[l]);
    free(p->ep[l]);
    free(p->em[l]);
    free(p->es_p[l]);
    free(p->es_m[l]);
    free(p->d_prev[l]);
    free(p->core_of[l]);
    free(p->holds[l]);
  }
  free(p->holds_hidden);
  free(p->hp);
  free(p->hm);
  free(p->o_cnt);
  free(p->noise_p);
  free(p->noise_m);
  bg_model_free(&p->m);
  free(p);
}

int bg_l1_new(bg_l1_t **out, const bg_map_t *map, const bg_l1_opts_t *o, bg_err_t *err) {
  *out = NULL;
  int rc = bg_l1_check(map, o, err);
  if (rc != BG_OK) return rc;
  if (!map->fits) return bg_err_set(err, BG_E_RANGE, "the network does not fit the target");
  bg_l1_t *p = calloc(1, sizeof *p);
  if (p == NULL) return bg_err_set(err, BG_E_NOMEM, "out of memory");
  p->map = map;
  p->net = map->net;
  p->o = *o;
  rc = bg_model_init(&p->m, p->net, err);
  if (rc != BG_OK) {
    free(p);
    return rc;
  }
  const bg_net_t *net = p->net;
  const uint32_t nc = map->n_cores;
  uint32_t widest = 0;
  bool ok = true;
  for (int l = 1; l < net->n_layers; l++) {
    const uint32_t n = net->layers[l].size, fan = net->layers[l - 1].size;
    widest = n > widest ? n : widest;
    p->x1[l] = calloc(fan + 1, 1);
    p->tag[l] = calloc((size_t)(fan + 1) * n, sizeof *p->tag[l]);
    p->y0[l] = calloc(n, 1);
    p->y2[l] = calloc(n, 1);
    p->y3[l] = calloc(n, 1);
    p->ep[l] = calloc(n, sizeof *p->ep[l]);
    p->em[l] = calloc(n, sizeof *p->em[l]);
    p->es_p[l] = calloc(n, 1);
    p->es_m[l] = calloc(n, 1);
    p->d_prev[l] = calloc(n, sizeof *p->d_prev[l]);
    p->core_of[l] = calloc(n, sizeof *p->core_of[l]);
    p->holds[l] = calloc(nc, 1);
    ok = ok && p->x1[l] && p->tag[l] && p->y0[l] && p->y2[l] && p->y3[l] && p->ep[l] &&
         p->em[l] && p->es_p[l] && p->es_m[l] && p->d_prev[l] && p->core_of[l] && p->holds[l];
  }
  p->holds_hidden = calloc(nc, 1);
  p->hp = calloc(widest, 1);
  p->hm = calloc(widest, 1);
  p->o_cnt = calloc(widest, 1);
  p->noise_p = calloc(widest, sizeof *p->noise_p);
  p->noise_m = calloc(widest, sizeof *p->noise_m);
  if (!ok || !p->holds_hidden || !p->hp || !p->hm || !p->o_cnt || !p->noise_p || !p->noise_m) {
    bg_l1_free(p);
    return bg_err_set(err, BG_E_NOMEM, "out of memory");
  }
  for (uint32_t c = 0; c < nc; c++) {
    const bg_map_core_t *k = &map->core[c];
    for (int l = 1; l < net->n_layers; l++) {
      if (k->count[l] == 0) continue;
      for (uint32_t i = 0; i < k->count[l]; i++) p->core_of[l][k->first[l] + i] = c;
      p->holds[l][c] = 1;
      p->n_holds[l]++;
      if (l < net->n_layers - 1 && !p->holds_hidden[c]) {
        p->holds_hidden[c] = 1;
        p->hidden_cores++;
      }
    }
  }
  bg_rng_seed(&p->r_trace, stream_seed(o->seed, BG_L1_STREAM_TRACE));
  bg_rng_seed(&p->r_update, stream_seed(o->seed, BG_L1_STREAM_UPDATE));
  bg_rng_seed(&p->r_noise, stream_seed(o->seed, BG_L1_STREAM_NOISE));
  bg_l1_set_rate(p, net->learning.rate);
  /* weights in the stored bits (a no-op when the layer's bits fit the target) */
  for (int l = 1; l < net->n_layers; l++) {
    bg_model_layer_t *ly = &p->m.layer[l];
    uint64_t sat = 0;
    for (size_t s = 0; s < (size_t)ly->fan_in * ly->n; s++) {
      ly->w[s] = (int32_t)bg_sat(ly->w[s], p->k[l].w_bits, &sat);
    }
    for (uint32_t i = 0; i < ly->n; i++) ly->b[i] = (int32_t)bg_sat(ly->b[i], p->k[l].w_bits, &sat);
  }
  *out = p;
  return BG_OK;
}

/* Spikes of layer l−1 at step t (na of them) delivered to the cores of layer l: input axons
 * for the input layer, otherwise local or routed by the sender's core. */
static void count_delivery(bg_l1_t *p, int l, uint32_t t, uint32_t na) {
  const bg_model_layer_t *pre = &p->m.layer[l - 1];
  p->ctr.syn_events += (uint64_t)na * p->m.layer[l].n;
  p->ctr.mem_accesses += (uint64_t)na * p->m.layer[l].n;   /* one weight read per synaptic op */
  if (l == 1) {
    p->ctr.input_spikes += (uint64_t)na * p->n_holds[1];
    return;
  }
  const uint32_t *act = pre->act + (size_t)t * pre->n;
  for (uint32_t a = 0; a < na; a++) {
    const uint32_t c = p->core_of[l - 1][act[a]];
    p->ctr.local_spikes += p->holds[l][c];
    p->ctr.routed_spikes += p->n_holds[l] - p->holds[l][c];
  }
}

/* The pre traces of group l after layer l−1's spikes of step t (and the always-on bias axon). */
static void pre_traces(bg_l1_t *p, int l, uint32_t t) {
  const bg_model_layer_t *pre = &p->m.layer[l - 1];
  const bg_l1_layer_t *k = &p->k[l];
  const uint8_t *row = pre->raster + (size_t)t * pre->n;
  uint8_t *x1 = p->x1[l];
  for (uint32_t j = 0; j <= pre->n; j++) {
    const bool spike = j == pre->n ? p->net->learning.bias : row[j] != 0;
    if (x1[j] == 0 && !spike) continue;
    x1[j] = bg_l1_trace_step(x1[j], k->x_keep, k->x_impulse, spike, &p->r_trace, &p->ctr.sat_trace);
    p->ctr.trace_updates++;
  }
}

/* Surrogate events of layer l at step t: the first one of an epoch adds the pre traces to the
 * neuron's column of tags (the y0·x1 term; Loihi samples x1 at the post event). */
static void tag_terms(bg_l1_t *p, int l) {
  bg_model_layer_t *ly = &p->m.layer[l];
  const bg_l1_layer_t *k = &p->k[l];
  const uint32_t n = ly->n, fan = ly->fan_in;
  const int64_t theta = ly->theta, window = ly->window;
  const uint8_t *x1 = p->x1[l];
  for (uint32_t i = 0; i < n; i++) {
    const bool ev = p->o.surrogate == BG_L1_SURR_SPIKE ? ly->s[i] != 0
                                                       : llabs((int64_t)ly->v[i] - theta) < window;
    if (p->o.surrogate == BG_L1_SURR_WINDOW) p->ctr.neuron_updates++;  /* the window compartment */
    if (!ev || p->y0[l][i]) continue;
    p->y0[l][i] = 1;
    p->ctr.trace_updates++;
    int16_t *tg = p->tag[l] + i;
    for (uint32_t j = 0; j <= fan; j++) {
      if (j == fan && !p->net->learning.bias) break;
      tg[(size_t)j * n] = bg_l1_tag_step(tg[(size_t)j * n], x1[j], k->tag_shift, &p->r_update,
                                         &p->ctr.sat_tag);
    }
    p->ctr.learning_ops += fan + (p->net->learning.bias ? 1 : 0);
    p->ctr.mem_accesses += 2 * (uint64_t)(fan + (p->net->learning.bias ? 1 : 0));
  }
}

/* After the error unit's step: the output's interneuron spikes and the hidden encoders' spikes
 * become impulses of the error traces y2 (+) and y3 (−); the interneuron spikes are routed to
 * every core that holds a hidden layer. */
static void error_traces(bg_l1_t *p) {
  const int L = p->net->n_layers - 1;
  const bg_error_unit_t *eu = &p->m.err;
  uint64_t sat = 0;
  const uint32_t n_out = p->m.layer[L].n;
  for (uint32_t k = 0; k < n_out; k++) {
    const uint32_t imp = p->k[L].y_impulse;
    if (eu->sp[k]) p->y2[L][k] = bg_l1_trace_step(p->y2[L][k], 4096, imp, true, NULL, &sat);
    if (eu->sm[k]) p->y3[L][k] = bg_l1_trace_step(p->y3[L][k], 4096, imp, true, NULL, &sat);
    if (eu->sp[k] || eu->sm[k]) {
      p->ctr.trace_updates++;
      const uint32_t c = p->core_of[L][k];
      p->ctr.local_spikes += p->holds_hidden[c];
      p->ctr.routed_spikes += p->hidden_cores - p->holds_hidden[c];
    }
    p->ctr.neuron_updates += 2;                        /* u+, u- */
  }
  for (int l = 1; l < L; l++) {
    bg_model_layer_t *ly = &p->m.layer[l];
    const bg_l1_layer_t *kl = &p->k[l];
    /* the encoders integrate the dendrite's input of this step (soft reset by the threshold,
     * like the error interneurons) */
    const int64_t thr = INT64_C(1) << (p->m.dfmt.frac + kl->err_exp);
    for (uint32_t i = 0; i < ly->n; i++) {
      const int64_t in = ly->d[i] - p->d_prev[l][i];
      p->d_prev[l][i] = ly->d[i];
      p->ep[l][i] += in - (p->es_p[l][i] ? thr : 0);
      p->em[l][i] += -in - (p->es_m[l][i] ? thr : 0);
      p->es_p[l][i] = p->ep[l][i] > thr;
      p->es_m[l][i] = p->em[l][i] > thr;
      if (p->es_p[l][i]) p->y2[l][i] = bg_l1_trace_step(p->y2[l][i], 4096, kl->y_impulse, true, NULL, &sat);
      if (p->es_m[l][i]) p->y3[l][i] = bg_l1_trace_step(p->y3[l][i], 4096, kl->y_impulse, true, NULL, &sat);
      p->ctr.trace_updates += p->es_p[l][i] + p->es_m[l][i];
    }
    p->ctr.neuron_updates += 2 * (uint64_t)ly->n;
  }
  p->ctr.sat_trace += sat;
}

/* The sample's last epoch: the weight terms −S·y2·T + S·y3·T for every synapse of every group
 * (and the bias axon's), then the tags are cleared (the −u·T term). */
static void weight_terms(bg_l1_t *p) {
  for (int l = 1; l < p->net->n_layers; l++) {
    bg_model_layer_t *ly = &p->m.layer[l];
    const bg_l1_layer_t *k = &p->k[l];
    const uint32_t n = ly->n, fan = ly->fan_in;
    const bool bias = p->net->learning.bias;
    for (uint32_t j = 0; j <= fan; j++) {
      if (j == fan && !bias) break;
      int16_t *tg = p->tag[l] + (size_t)j * n;
      int32_t *w = j == fan ? ly->b : ly->w + (size_t)j * n;
      for (uint32_t i = 0; i < n; i++) {
        if (tg[i] == 0) continue;
        const int32_t w1 = bg_l1_weight_step(w[i], p->y2[l][i], p->y3[l][i], tg[i], k->w_exp,
                                             k->w_bits, &p->r_update, &p->ctr.sat_acc, &p->ctr.sat_w);
        p->ctr.weight_writes += w1 != w[i];
        w[i] = w1;
        tg[i] = 0;
      }
    }
    /* the engine visits every synapse of the group at the u epoch: read W and T, write both */
    p->ctr.learning_ops += (uint64_t)(fan + (bias ? 1 : 0)) * n;
    p->ctr.mem_accesses += 2 * (uint64_t)(fan + (bias ? 1 : 0)) * n;
  }
}

static void sample_reset(bg_l1_t *p) {
  for (int l = 1; l < p->net->n_layers; l++) {
    const uint32_t n = p->m.layer[l].n, fan = p->m.layer[l].fan_in;
    memset(p->x1[l], 0, fan + 1);
    memset(p->y0[l], 0, n);
    memset(p->y2[l], 0, n);
    memset(p->y3[l], 0, n);
    memset(p->ep[l], 0, n * sizeof *p->ep[l]);
    memset(p->em[l], 0, n * sizeof *p->em[l]);
    memset(p->es_p[l], 0, n);
    memset(p->es_m[l], 0, n);
    memset(p->d_prev[l], 0, n * sizeof *p->d_prev[l]);
  }
}

/* The sleep phase: per hidden layer, top down, K noise samples of Ts steps, each one learning
 * epoch. Noise (rate ρ per call, ξ⁺/ξ⁻ per neuron and step) from the noise stream; the traces
 * are spike counts: h⁺, h⁻ of the noise at the feedback synapse's post side, o of the output
 * spikes at its pre side; at the epoch's end the two terms of bg_l1_feedback_step. */
static void sleep_phase(bg_l1_t *p) {
  const bg_net_t *net = p->net;
  bg_model_t *m = &p->m;
  const int L = net->n_layers - 1;
  const uint32_t n_out = m->layer[L].n, K = net->sleep.samples, Ts = net->sleep.steps;
  const uint32_t rho = net->q.sleep_rate16 ? net->q.sleep_rate16 : bg_rng_r16(&p->r_noise);
  m->record = false;
  for (int l = L - 1; l >= 1; l--) {
    bg_model_layer_t *src = &m->layer[l];
    const uint32_t n = src->n;
    int h_exp, d_exp;
    bg_l1_sleep_exps(p->net, l, &h_exp, &d_exp);
    for (uint32_t smp = 0; smp < K; smp++) {
      for (int q = l + 1; q <= L; q++) {
        bg_model_layer_t *ly = &m->layer[q];
        memset(ly->v, 0, ly->n * sizeof *ly->v);
        memset(ly->s, 0, ly->n);
        memset(ly->refr, 0, ly->n);
      }
      memset(p->hp, 0, n);
      memset(p->hm, 0, n);
      memset(p->o_cnt, 0, n_out);
      uint64_t sat = 0;
      for (uint32_t u = 0; u < Ts; u++) {
        uint32_t np = 0, nm = 0;
        for (uint32_t i = 0; i < n; i++) {
          const uint32_t xp = bg_rng_r16(&p->r_noise) < rho;
          const uint32_t xm = bg_rng_r16(&p->r_noise) < rho;
          if (xp) p->hp[i] = bg_l1_trace_step(p->hp[i], 4096, 1, true, NULL, &sat);
          if (xm) p->hm[i] = bg_l1_trace_step(p->hm[i], 4096, 1, true, NULL, &sat);
          p->noise_p[np] = i;
          np += xp;
          p->noise_m[nm] = i;
          nm += xm;
        }
        bg_model_layer_t *dst = &m->layer[l + 1];
        int64_t *I = dst->scratch;
        for (uint32_t i = 0; i < dst->n; i++) I[i] = 0;
        bg_rows_add(I, dst->w, p->noise_p, np, dst->n);
        bg_rows_sub(I, dst->w, p->noise_m, nm, dst->n);
        bg_soma_update(m, l + 1, I, 0);
        p->ctr.input_spikes += (uint64_t)(np + nm) * p->n_holds[l + 1];
        p->ctr.sleep_syn_events += (uint64_t)(np + nm) * dst->n;
        p->ctr.mem_accesses += (uint64_t)(np + nm) * dst->n;
        p->ctr.neuron_updates += dst->n;
        for (int q = l + 2; q <= L; q++) {
          const uint32_t na = m->layer[q - 1].act_n[0];
          bg_neuron_core_step(m, q, 0);
          p->ctr.sleep_syn_events += (uint64_t)na * m->layer[q].n;
          p->ctr.mem_accesses += (uint64_t)na * m->layer[q].n;
          p->ctr.neuron_updates += m->layer[q].n;
        }
        const bg_model_layer_t *out = &m->layer[L];
        for (uint32_t k = 0; k < n_out; k++) {
          if (out->s[k]) p->o_cnt[k] = bg_l1_trace_step(p->o_cnt[k], 4096, 1, true, NULL, &sat);
        }
        p->ctr.steps++;
      }
      p->ctr.sat_trace += sat;
      /* the epoch's end: every feedback synapse of layer l */
      for (uint32_t i = 0; i < n; i++) {
        int32_t *b = src->fb + (size_t)i * n_out;
        for (uint32_t k = 0; k < n_out; k++) {
          const int32_t b1 = bg_l1_feedback_step(b[k], p->o_cnt[k], p->hp[i], p->hm[i], h_exp,
                                                 d_exp, src->bfmt.bits, &p->r_update,
                                                 &p->ctr.sat_acc, &p->ctr.sat_w);
          p->ctr.weight_writes += b1 != b[k];
          b[k] = b1;
        }
      }
      p->ctr.learning_ops += (uint64_t)n * n_out;
      p->ctr.mem_accesses += 2 * (uint64_t)n * n_out;
    }
  }
}

int bg_l1_train(bg_l1_t *p, const uint8_t *input, int label, int *prediction) {
  bg_model_t *m = &p->m;
  const int L = p->net->n_layers - 1;
  m->record = false;
  bg_state_reset(m);
  sample_reset(p);
  bg_input_encoder_frames(m, input, &m->rng[BG_STREAM_INPUT]);
  for (uint32_t t = 0; t < m->T; t++) {
    for (int l = 1; l <= L; l++) {
      count_delivery(p, l, t, m->layer[l - 1].act_n[t]);
      bg_neuron_core_step(m, l, t);
      p->ctr.neuron_updates += m->layer[l].n;
      pre_traces(p, l, t);
      tag_terms(p, l);
    }
    if (t >= m->t0) {
      bg_error_unit_step(m, label);
      error_traces(p);
    }
    p->ctr.steps++;
    if ((t + 1) % p->o.t_epoch == 0) {
      for (int l = 1; l <= L; l++) memset(p->y0[l], 0, m->layer[l].n);
    }
  }
  weight_terms(p);
  *prediction = bg_model_prediction(m);
  p->ctr.train_samples++;
  p->train_samples++;
  if (p->net->sleep.enabled && L > 1 && p->train_samples % p->net->sleep.period == 0) {
    sleep_phase(p);
  }
  return BG_OK;
}

int bg_l1_infer(bg_l1_t *p, const uint8_t *input, bg_rng_t *rng, int *prediction) {
  bg_model_t *m = &p->m;
  m->record = false;
  bg_state_reset(m);
  bg_input_encoder_frames(m, input, rng);
  for (uint32_t t = 0; t < m->T; t++) {
    for (int l = 1; l < p->net->n_layers; l++) {
      count_delivery(p, l, t, m->layer[l - 1].act_n[t]);
      bg_neuron_core_step(m, l, t);
      p->ctr.neuron_updates += m->layer[l].n;
    }
    p->ctr.steps++;
  }
  *prediction = bg_model_prediction(m);
  p->ctr.infer_samples++;
  return BG_OK;
}

const bg_l1_counters_t *bg_l1_counters(const bg_l1_t *p) { return &p->ctr; }
const bg_l1_layer_t *bg_l1_layer(const bg_l1_t *p, int l) { return &p->k[l]; }
const bg_model_t *bg_l1_model(const bg_l1_t *p) { return &p->m; }
