/* SPDX-License-Identifier: Apache-2.0 */
/* Model allocation, constants from the description, and the per-sample driver that calls the
 * rule, the update step and the sleep schedule. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bg_core.h"

static void *zalloc(size_t n, size_t size, bool *ok) {
  if (n == 0) n = 1;
  void *p = calloc(n, size);
  if (p == NULL) *ok = false;
  return p;
}

static void layer_constants(BG(model_t) *m, int l) {
  const bg_layer_t *nl = &m->net->layers[l];
  BG(model_layer_t) *ly = &m->layer[l];
  const bg_neuron_t *nr = &nl->neuron;
  ly->theta = BG_PARAM(nl->q.theta, nr->threshold);
  ly->window = BG_PARAM(nl->q.window, nr->window);
  double alpha = nr->decay_shift > 0 ? 1.0 - ldexp(1.0, -nr->decay_shift) : nr->decay;
  ly->decay = BG_PARAM(nl->q.decay, alpha);
  ly->amp = BG_PARAM(nl->q.amplitude, nr->amplitude);
  double td = m->net->learning.trace_decay < 0.0 ? alpha : m->net->learning.trace_decay;
  ly->trace_decay = BG_PARAM(nl->q.trace_decay, td);
  ly->amp_trace = BG_RESCALE(ly->amp, m->pfmt.frac, m->tfmt.frac);
  ly->reset = nr->reset;
  ly->refractory = (uint32_t)nr->refractory;
  ly->wfmt = nl->weight;
  ly->bfmt = nl->feedback;
}

/* The integer path computes a sum in int32 where the description bounds it below 2^31, and in
 * int64 otherwise (docs/cmodel.md, "Speed"); the float path always uses double. */
static void choose_widths(BG(model_t) *m) {
#if BG_FLOAT
  (void)m;
#else
  const uint64_t lim = UINT64_C(1) << 31;
  for (int l = 1; l < m->n_layers; l++) {
    BG(model_layer_t) *ly = &m->layer[l];
    /* input sum (and the sleep unit's noise drive): at most fan_in weights and a bias, each
     * |w| <= 2^(W bits − 1) */
    ly->sum32 = ((uint64_t)ly->fan_in + 1) << (ly->wfmt.bits - 1) < lim;
  }
  /* eligibility (replay mode): a sum of at most T kernel values, each |K| <= 2^(Tr bits − 1) */
  m->elig32 = (uint64_t)m->T << (m->tfmt.bits - 1) < lim;
  /* accumulator update: |δ·e| < 2^(D bits − 1)·2^(Tr bits − 1) must stay below 2^47 (the
   * 48-bit accumulator), see accumulate_live32 */
  m->acc_narrow = m->dfmt.bits + m->tfmt.bits <= 48;
  /* update step: accumulators hold 48 bits and η_m < 2^15, so acc·η_m fits int64; the shift is
   * checked per call (it follows the learning rate), see apply_rows */
  m->update_narrow = true;
#endif
}

int BG(model_init)(BG(model_t) *m, const bg_net_t *net, bg_err_t *err) {
  memset(m, 0, sizeof *m);
  m->net = net;
  m->rule = BG(rule_find)(net->rule);
  if (m->rule == NULL) {
    if (!BG_FLOAT && net->rule == BG_RULE_BPTT) {
      return bg_err_set(err, BG_E_ARG, "%s: rule: \"bptt\" has no integer path (backprop "
                        "through time is not a local rule); run it on the float path (--float)",
                        net->file);
    }
    return bg_err_set(err, BG_E_ARG, "%s: rule: expected a rule this build implements, found "
                      "\"%s\"", net->file, bg_net_rule_name(net->rule));
  }
  m->n_layers = net->n_layers;
  m->T = net->time.steps;
  m->t0 = net->time.error_start;
  m->pfmt = net->fx.potential;
  m->tfmt = net->fx.trace;
  m->efmt = net->fx.error;
  m->dfmt = net->fx.dendrite;
  m->ufrac = (int)net->q.update_frac;
  m->one_p = BG_ONE(m->pfmt.frac);
  m->one_t = BG_ONE(m->tfmt.frac);
  m->one_e = BG_ONE(m->efmt.frac);
  m->one_d = BG_ONE(m->dfmt.frac);
  m->err_threshold = BG_PARAM(net->q.error_threshold, net->learning.error_threshold);
  m->lut_len = net->q.lut_len;
  for (uint32_t n = 0; n < m->lut_len; n++) {
    m->lut[n] = BG_PARAM(net->q.lut[n], exp(-(double)n));
  }
  bool ok = true, trace = net->learning.mode == BG_LEARN_TRACE;
  uint32_t T = m->T, n_out = net->layers[m->n_layers - 1].size;
  for (int l = 0; l < m->n_layers; l++) {
    BG(model_layer_t) *ly = &m->layer[l];
    uint32_t n = net->layers[l].size;
    ly->n = n;
    ly->s = zalloc(n, 1, &ok);
    ly->count = zalloc(n, sizeof *ly->count, &ok);
    ly->raster = zalloc((size_t)T * n, 1, &ok);
    ly->act = zalloc((size_t)T * n, sizeof *ly->act, &ok);
    ly->act_n = zalloc(T, sizeof *ly->act_n, &ok);
    if (!trace && l < m->n_layers - 1) {
      ly->times = zalloc((size_t)T * n, sizeof *ly->times, &ok);
      ly->times_n = zalloc(n, sizeof *ly->times_n, &ok);
    }
    if (l == 0) continue;
    layer_constants(m, l);
    uint32_t fi = net->layers[l - 1].size;
    size_t syn = (size_t)fi * n;
    ly->fan_in = fi;
    ly->w = zalloc(syn + BG_ROWS_TILE, sizeof *ly->w, &ok);
    ly->b = zalloc(n, sizeof *ly->b, &ok);
    if (l < m->n_layers - 1) {
      ly->fb = zalloc((size_t)n * n_out, sizeof *ly->fb, &ok);
      ly->noise_jump = zalloc(1, sizeof *ly->noise_jump, &ok);
      if (ly->noise_jump != NULL) bg_rng_jump_init(ly->noise_jump, 2 * n);
    }
    ly->v = zalloc(n, sizeof *ly->v, &ok);
    ly->d = zalloc(n, sizeof *ly->d, &ok);
    ly->refr = zalloc(n, 1, &ok);
    ly->g_rec = zalloc((size_t)T * n, 1, &ok);
    ly->m_rec = zalloc((size_t)T * n, sizeof *ly->m_rec, &ok);
    ly->kern = zalloc((size_t)T * n + BG_ROWS_TILE, sizeof *ly->kern, &ok);
    if (trace) {
      ly->z = zalloc(syn, sizeof *ly->z, &ok);
      ly->e = zalloc(syn, sizeof *ly->e, &ok);
      ly->zb = zalloc(n, sizeof *ly->zb, &ok);
      ly->eb = zalloc(n, sizeof *ly->eb, &ok);
    }
    ly->acc = zalloc(syn, sizeof *ly->acc, &ok);
    ly->accb = zalloc(n, sizeof *ly->accb, &ok);
    ly->row_dirty = zalloc(fi, 1, &ok);
    ly->col_dirty = zalloc(n, 1, &ok);
    ly->col_list = zalloc(n, sizeof *ly->col_list, &ok);
    if (!trace) {
      ly->live = zalloc(n, sizeof *ly->live, &ok);
      ly->col_nz = zalloc(n, 1, &ok);
      ly->kern_live = zalloc((size_t)T * n + BG_ROWS_TILE, sizeof *ly->kern_live, &ok);
      ly->d_live = zalloc(n, sizeof *ly->d_live, &ok);
      ly->full = zalloc(n, sizeof *ly->full, &ok);
      ly->full32 = zalloc(n, sizeof *ly->full32, &ok);
      ly->t_full = zalloc(n, sizeof *ly->t_full, &ok);
    }
    ly->scratch = zalloc(n, sizeof *ly->scratch, &ok);
    ly->scratch32 = zalloc(n, sizeof *ly->scratch32, &ok);
  }
  BG(error_unit_t) *eu = &m->err;
  eu->up = zalloc(n_out, sizeof *eu->up, &ok);
  eu->um = zalloc(n_out, sizeof *eu->um, &ok);
  eu->sp = zalloc(n_out, 1, &ok);
  eu->sm = zalloc(n_out, 1, &ok);
  eu->eps = zalloc(n_out, sizeof *eu->eps, &ok);
  eu->spk_p = zalloc(n_out, sizeof *eu->spk_p, &ok);
  eu->spk_m = zalloc(n_out, sizeof *eu->spk_m, &ok);
  eu->fb_k = zalloc(n_out, sizeof *eu->fb_k, &ok);
  eu->fb_sg = zalloc(n_out, sizeof *eu->fb_sg, &ok);
  uint32_t widest = 0;
  for (int l = 1; l < m->n_layers; l++) widest = net->layers[l].size > widest ? net->layers[l].size : widest;
  m->sleep_h = zalloc(widest, sizeof *m->sleep_h, &ok);
  m->sleep_o = zalloc(n_out, sizeof *m->sleep_o, &ok);
  m->sleep_c = zalloc((size_t)widest * n_out, sizeof *m->sleep_c, &ok);
  m->sleep_q = zalloc(n_out, sizeof *m->sleep_q, &ok);
  m->noise_p = zalloc((size_t)BG_SLEEP_LANES * widest, sizeof *m->noise_p, &ok);
  m->noise_m = zalloc((size_t)BG_SLEEP_LANES * widest, sizeof *m->noise_m, &ok);
  m->noise_np = zalloc(BG_SLEEP_LANES, sizeof *m->noise_np, &ok);
  m->noise_nm = zalloc(BG_SLEEP_LANES, sizeof *m->noise_nm, &ok);
  m->all_steps = zalloc(T, sizeof *m->all_steps, &ok);
  m->lanes = zalloc(T > BG_SLEEP_LANES ? T : BG_SLEEP_LANES, sizeof *m->lanes, &ok);
  m->input_jump = zalloc(1, sizeof *m->input_jump, &ok);
  if (!ok) {
    BG(model_free)(m);
    return bg_err_set(err, BG_E_NOMEM, "%s: out of memory allocating the model", net->file);
  }
  choose_widths(m);
  for (uint32_t t = 0; t < T; t++) m->all_steps[t] = t;
  bg_rng_jump_init(m->input_jump, net->layers[0].size);
  for (int s = 0; s < BG_STREAM_COUNT; s++) bg_rng_seed(&m->rng[s], net->q.stream_seed[s]);
  m->eta_m = net->q.eta_m;
  m->eta_sh = net->q.eta_sh;
  m->eta = net->learning.rate / ((double)net->q.error_steps * net->learning.batch);
  BG(init_weights)(m);
  m->rate = net->learning.rate;
  if (m->rule->init != NULL) {
    int rc = m->rule->init(m, err);
    if (rc != BG_OK) {
      BG(model_free)(m);
      return rc;
    }
  }
  if (m->rule->set_rate != NULL) m->rule->set_rate(m, m->rate);
  return BG_OK;
}

void BG(model_free)(BG(model_t) *m) {
  if (m->rule != NULL && m->rule->free != NULL) m->rule->free(m);
  for (int l = 0; l < BG_NET_MAX_LAYERS; l++) {
    BG(model_layer_t) *ly = &m->layer[l];
    void *p[] = {ly->w, ly->b, ly->fb, ly->v, ly->d, ly->s, ly->refr, ly->count, ly->raster,
                 ly->act, ly->act_n, ly->g_rec, ly->m_rec, ly->kern, ly->z, ly->e, ly->zb,
                 ly->eb, ly->acc, ly->accb, ly->row_dirty, ly->scratch, ly->scratch32,
                 ly->times, ly->times_n, ly->noise_jump, ly->col_dirty, ly->col_list, ly->live,
                 ly->kern_live, ly->d_live, ly->full, ly->full32, ly->t_full, ly->col_nz};
    for (size_t i = 0; i < sizeof p / sizeof p[0]; i++) free(p[i]);
  }
  BG(error_unit_t) *eu = &m->err;
  void *q[] = {eu->up, eu->um, eu->sp, eu->sm, eu->eps, eu->spk_p, eu->spk_m, eu->fb_k,
               eu->fb_sg, m->sleep_h, m->sleep_o, m->sleep_c, m->sleep_q, m->noise_p, m->noise_m,
               m->noise_np, m->noise_nm, m->lanes, m->input_jump, m->all_steps};
  for (size_t i = 0; i < sizeof q / sizeof q[0]; i++) free(q[i]);
  memset(m, 0, sizeof *m);
}

int BG(model_prediction)(const BG(model_t) *m) {
  const BG(model_layer_t) *out = &m->layer[m->n_layers - 1];
  int best = 0;
  for (uint32_t k = 1; k < out->n; k++) {
    if (out->count[k] > out->count[best]) best = (int)k;
  }
  return best;
}

int BG(model_train)(BG(model_t) *m, const uint8_t *input, int label) {
  int rc = m->rule->train_sample(m, input, label);
  if (rc < 0) return rc;
  int pred = BG(model_prediction)(m);
  BG(model_after_sample)(m);
  return pred;
}

void BG(model_after_sample)(BG(model_t) *m) {
  m->ctr.samples++;
  m->train_samples++;
  if (++m->batch_fill >= m->net->learning.batch) {
    if (m->rule->apply_update != NULL) m->rule->apply_update(m);
    m->batch_fill = 0;
  }
  if (m->net->sleep.enabled && m->rule->sleep != NULL &&
      m->train_samples % m->net->sleep.period == 0) {
    m->rule->sleep(m);
  }
}

bool BG(model_set_rate)(BG(model_t) *m, double rate) {
  uint32_t em, esh;
  if (!bg_net_eta_q(m->net, rate, &em, &esh)) return false;
  m->eta_m = em;
  m->eta_sh = esh;
  m->eta = rate / ((double)m->net->q.error_steps * m->net->learning.batch);
  m->rate = rate;
  if (m->rule->set_rate != NULL) m->rule->set_rate(m, rate);
  return true;
}

void BG(model_flush)(BG(model_t) *m) {
  if (m->batch_fill > 0) {
    if (m->rule->apply_update != NULL) m->rule->apply_update(m);
    m->batch_fill = 0;
  }
}

int BG(model_infer)(BG(model_t) *m, const uint8_t *input, bg_rng_t *rng) {
  if (m->rule->infer != NULL) return m->rule->infer(m, input, rng);
  BG(state_reset)(m);
  BG(input_encoder_frames)(m, input, rng);
  for (uint32_t t = 0; t < m->T; t++) {
    for (int l = 1; l < m->n_layers; l++) BG(neuron_core_step)(m, l, t);
  }
  return BG(model_prediction)(m);
}

const BG(rule_t) *BG(rule_find)(bg_rule_e rule) {
  switch (rule) {
  case BG_RULE_BIOGRAD: return &BG(rule_biograd);
#if BG_FLOAT
  case BG_RULE_BPTT: return &bgf_rule_bptt;
#else
  case BG_RULE_BPTT: return NULL;
#endif
  case BG_RULE_SSNN_BP: return &BG(rule_ssnn_bp);
  case BG_RULE_BIOLEAF: return &BG(rule_bioleaf);
  }
  return NULL;
}

double BG(weight_real)(const BG(model_t) *m, int l, BG_VAL w) {
#if BG_FLOAT
  (void)m;
  (void)l;
  return w;
#else
  return ldexp((double)w, -m->layer[l].wfmt.frac);
#endif
}

double BG(feedback_real)(const BG(model_t) *m, int l, BG_VAL b) {
#if BG_FLOAT
  (void)m;
  (void)l;
  return b;
#else
  return ldexp((double)b, -m->layer[l].bfmt.frac);
#endif
}
