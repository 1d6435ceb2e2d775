/* SPDX-License-Identifier: Apache-2.0 */
/* The partitioned simulator, golden semantics (bg_psim.h, docs/mapping.md). */
#include "bg_psim.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One core's share of one layer: neurons [first, first + count) of layer `layer`, as a golden
 * model of two layers: layer 0 is the full presynaptic layer (filled by routing), layer 1 the
 * slice. B, the feedback weights of a hidden slice, live here: the two-layer model has none. */
typedef struct {
  int layer;
  uint32_t core, first, count;
  bg_net_t net;
  bg_model_t m;
  int32_t *fb;                  /* count × n_out */
  int32_t *h;                   /* count: noise sums of one sleep sample (hidden slices) */
  int64_t *c;                   /* count × n_out: the sleep correlation C */
} slice_t;

struct bg_psim {
  const bg_map_t *map;
  const bg_net_t *net;
  int n_slices;
  slice_t *s;
  int first_slice[BG_NET_MAX_LAYERS], n_layer_slices[BG_NET_MAX_LAYERS];
  uint32_t T, t0, n_out;
  /* the management core: the input encoder's and rounding streams, the error unit */
  bg_rng_t rng_input, rng_round;
  int64_t *eps;
  int32_t *up, *um;
  uint8_t *sp, *sm;
  uint32_t *counts, *fb_k;
  int8_t *fb_sg;
  uint32_t *act;                /* one step of a layer's spikes, ascending (routing buffer) */
  bg_rng_t rng_sleep_rate, rng_sleep_noise;
  uint32_t *noise_p, *noise_m;  /* one sleep step's ξ⁺ / ξ⁻ lists of a hidden layer */
  int32_t *sleep_o;             /* n_out: output spikes of one noise sample */
  int64_t *sleep_q;             /* n_out */
  uint32_t batch_fill;
  uint64_t train_samples;
  bg_psim_counters_t ctr;
};

static int sub_net(const bg_net_t *net, int l, uint32_t count, bg_net_t *out, bg_err_t *err) {
  char *dump = bg_net_dump(net);
  if (dump == NULL) return bg_err_set(err, BG_E_NOMEM, "out of memory");
  cJSON *j = cJSON_Parse(dump);
  free(dump);
  if (j == NULL) return bg_err_set(err, BG_E_NOMEM, "out of memory");
  cJSON *layers = cJSON_GetObjectItem(j, "layers");
  cJSON *pre = cJSON_Duplicate(cJSON_GetArrayItem(layers, l - 1), 1);
  cJSON *sl = cJSON_Duplicate(cJSON_GetArrayItem(layers, l), 1);
  cJSON_DeleteItemFromObject(pre, "neuron");
  cJSON_DeleteItemFromObject(pre, "weight");
  cJSON_DeleteItemFromObject(pre, "feedback");
  cJSON_DeleteItemFromObject(sl, "feedback");
  cJSON_ReplaceItemInObject(sl, "size", cJSON_CreateNumber(count));
  cJSON *nl = cJSON_CreateArray();
  cJSON_AddItemToArray(nl, pre);
  cJSON_AddItemToArray(nl, sl);
  cJSON_ReplaceItemInObject(j, "layers", nl);
  cJSON *in = cJSON_GetObjectItem(j, "input");
  int shape[3] = {1, 1, (int)net->layers[l - 1].size};
  cJSON_ReplaceItemInObject(in, "shape", cJSON_CreateIntArray(shape, 3));
  cJSON *sleep = cJSON_CreateObject();
  cJSON_AddBoolToObject(sleep, "enabled", false);
  cJSON_ReplaceItemInObject(j, "sleep", sleep);
  char *text = cJSON_PrintUnformatted(j);
  cJSON_Delete(j);
  if (text == NULL) return bg_err_set(err, BG_E_NOMEM, "out of memory");
  int rc = bg_net_parse(text, strlen(text), net->file, out, err);
  free(text);
  return rc;
}

void bg_psim_free(bg_psim_t *ps) {
  if (ps == NULL) return;
  for (int k = 0; k < ps->n_slices; k++) {
    bg_model_free(&ps->s[k].m);
    free(ps->s[k].fb);
    free(ps->s[k].h);
    free(ps->s[k].c);
  }
  free(ps->s);
  void *p[] = {ps->eps, ps->up, ps->um, ps->sp, ps->sm, ps->counts, ps->fb_k, ps->fb_sg, ps->act,
               ps->noise_p, ps->noise_m, ps->sleep_o, ps->sleep_q};
  for (size_t k = 0; k < sizeof p / sizeof p[0]; k++) free(p[k]);
  free(ps);
}

int bg_psim_new(bg_psim_t **out, const bg_map_t *map, const bg_model_t *init, bg_err_t *err) {
  const bg_net_t *net = map->net;
  *out = NULL;
  if (!map->fits) return bg_err_set(err, BG_E_ARG, "%s: the mapping does not fit: %s", net->file, map->reason);
  if (net->input.encoding != BG_ENC_RATE) {
    return bg_err_set(err, BG_E_ARG, "%s: input.encoding: the simulator takes rate input", net->file);
  }
  bg_psim_t *ps = calloc(1, sizeof *ps);
  if (ps == NULL) return bg_err_set(err, BG_E_NOMEM, "out of memory");
  ps->map = map;
  ps->net = net;
  ps->T = net->time.steps;
  ps->t0 = net->time.error_start;
  const int L = net->n_layers - 1;
  ps->n_out = net->layers[L].size;
  uint32_t widest = 0;
  for (int l = 0; l <= L; l++) widest = net->layers[l].size > widest ? net->layers[l].size : widest;
  for (uint32_t c = 0; c < map->n_cores; c++) {
    for (int l = 1; l <= L; l++) ps->n_slices += map->core[c].count[l] > 0;
  }
  ps->s = calloc((size_t)ps->n_slices, sizeof *ps->s);
  ps->eps = calloc(ps->n_out, sizeof *ps->eps);
  ps->up = calloc(ps->n_out, sizeof *ps->up);
  ps->um = calloc(ps->n_out, sizeof *ps->um);
  ps->sp = calloc(ps->n_out, 1);
  ps->sm = calloc(ps->n_out, 1);
  ps->counts = calloc(ps->n_out, sizeof *ps->counts);
  ps->fb_k = calloc(ps->n_out, sizeof *ps->fb_k);
  ps->fb_sg = calloc(ps->n_out, 1);
  ps->act = calloc(widest, sizeof *ps->act);
  ps->noise_p = calloc(widest, sizeof *ps->noise_p);
  ps->noise_m = calloc(widest, sizeof *ps->noise_m);
  ps->sleep_o = calloc(ps->n_out, sizeof *ps->sleep_o);
  ps->sleep_q = calloc(ps->n_out, sizeof *ps->sleep_q);
  if (!ps->noise_p || !ps->noise_m || !ps->sleep_o || !ps->sleep_q) {
    bg_psim_free(ps);
    return bg_err_set(err, BG_E_NOMEM, "out of memory for the partitioned simulator");
  }
  if (!ps->s || !ps->eps || !ps->up || !ps->um || !ps->sp || !ps->sm || !ps->counts || !ps->fb_k ||
      !ps->fb_sg || !ps->act) {
    bg_psim_free(ps);
    return bg_err_set(err, BG_E_NOMEM, "out of memory for the partitioned simulator");
  }
  /* slices in layer order, then core order: a layer's neurons ascend across its slices */
  int k = 0;
  for (int l = 1; l <= L; l++) {
    ps->first_slice[l] = k;
    for (uint32_t c = 0; c < map->n_cores; c++) {
      if (map->core[c].count[l] == 0) continue;
      slice_t *s = &ps->s[k++];
      s->layer = l;
      s->core = c;
      s->first = map->core[c].first[l];
      s->count = map->core[c].count[l];
      int rc = sub_net(net, l, s->count, &s->net, err);
      if (rc == BG_OK) rc = bg_model_init(&s->m, &s->net, err);
      if (rc != BG_OK) {
        ps->n_slices = k - 1;
        bg_psim_free(ps);
        return rc;
      }
      /* this core's synapses: the slice's columns of W, its biases and rows of B */
      const bg_model_layer_t *g = &init->layer[l];
      bg_model_layer_t *d = &s->m.layer[1];
      for (uint32_t j = 0; j < g->fan_in; j++) {
        for (uint32_t i = 0; i < s->count; i++) d->w[(size_t)j * s->count + i] = g->w[(size_t)j * g->n + s->first + i];
      }
      for (uint32_t i = 0; i < s->count; i++) d->b[i] = g->b[s->first + i];
      if (g->fb != NULL) {
        s->fb = calloc((size_t)s->count * ps->n_out, sizeof *s->fb);
        if (s->fb == NULL) {
          ps->n_slices = k;
          bg_psim_free(ps);
          return bg_err_set(err, BG_E_NOMEM, "out of memory");
        }
        memcpy(s->fb, g->fb + (size_t)s->first * ps->n_out, (size_t)s->count * ps->n_out * sizeof *s->fb);
        s->h = calloc(s->count, sizeof *s->h);
        s->c = calloc((size_t)s->count * ps->n_out, sizeof *s->c);
        if (s->h == NULL || s->c == NULL) {
          ps->n_slices = k;
          bg_psim_free(ps);
          return bg_err_set(err, BG_E_NOMEM, "out of memory");
        }
      }
    }
    ps->n_layer_slices[l] = k - ps->first_slice[l];
  }
  ps->n_slices = k;
  bg_rng_seed(&ps->rng_input, net->q.stream_seed[BG_STREAM_INPUT]);
  bg_rng_seed(&ps->rng_round, net->q.stream_seed[BG_STREAM_ROUND]);
  bg_rng_seed(&ps->rng_sleep_rate, net->q.stream_seed[BG_STREAM_SLEEP_RATE]);
  bg_rng_seed(&ps->rng_sleep_noise, net->q.stream_seed[BG_STREAM_SLEEP_NOISE]);
  *out = ps;
  return BG_OK;
}

/* Layer l's spikes of step t, gathered from its slices (ascending), into ps->act. */
static uint32_t gather(bg_psim_t *ps, int l, uint32_t t) {
  uint32_t n = 0;
  if (l == 0) {
    const bg_model_layer_t *in = &ps->s[ps->first_slice[1]].m.layer[0];
    memcpy(ps->act, in->act + (size_t)t * in->n, in->act_n[t] * sizeof *ps->act);
    return in->act_n[t];
  }
  for (int k = ps->first_slice[l]; k < ps->first_slice[l] + ps->n_layer_slices[l]; k++) {
    const slice_t *s = &ps->s[k];
    const bg_model_layer_t *ly = &s->m.layer[1];
    for (uint32_t a = 0; a < ly->act_n[t]; a++) ps->act[n++] = s->first + ly->act[(size_t)t * ly->n + a];
  }
  return n;
}

/* Deliver the gathered spikes of layer l−1 (step t) to every slice of layer l: its presynaptic
 * layer's records, as the golden model would have them. */
static void deliver(bg_psim_t *ps, int l, uint32_t t, uint32_t na) {
  for (int k = ps->first_slice[l]; k < ps->first_slice[l] + ps->n_layer_slices[l]; k++) {
    slice_t *s = &ps->s[k];
    bg_model_layer_t *pre = &s->m.layer[0];
    if (!(l == 1 && k == ps->first_slice[1])) {   /* the encoder wrote the first one itself */
      memcpy(pre->act + (size_t)t * pre->n, ps->act, na * sizeof *ps->act);
      pre->act_n[t] = na;
      uint8_t *row = pre->raster + (size_t)t * pre->n;
      memset(row, 0, pre->n);
      for (uint32_t a = 0; a < na; a++) {
        row[ps->act[a]] = 1;
        pre->count[ps->act[a]]++;
      }
    }
    /* routing counters: one delivery per spike and destination core */
    for (uint32_t a = 0; a < na; a++) {
      uint32_t from = UINT32_MAX;
      if (l > 1) {
        for (int q = ps->first_slice[l - 1]; q < ps->first_slice[l - 1] + ps->n_layer_slices[l - 1]; q++) {
          if (ps->act[a] >= ps->s[q].first && ps->act[a] < ps->s[q].first + ps->s[q].count) from = ps->s[q].core;
        }
      }
      if (l == 1) {
        ps->ctr.input_spikes++;           /* from the spike generator, through input axons */
      } else if (from == s->core) {
        ps->ctr.local_spikes++;
      } else {
        ps->ctr.routed_spikes++;
      }
    }
  }
}

/* The error unit (management core) on the gathered output counts, the interneurons of each
 * output slice, its dendrites, and the error spikes routed to every hidden slice's dendrites:
 * the arithmetic of error_unit_step, step for step. */
static void error_step(bg_psim_t *ps, int label) {
  const int L = ps->net->n_layers - 1;
  const bg_model_t *m0 = &ps->s[0].m;   /* formats and constants are the description's */
  const int eb = ps->net->fx.error.bits, db = ps->net->fx.dendrite.bits, df = ps->net->fx.dendrite.frac;
  const int64_t one_e = INT64_C(1) << ps->net->fx.error.frac, one_d = INT64_C(1) << df;
  const int64_t thr = ps->net->q.error_threshold;
  uint64_t sat = 0;
  for (int k = ps->first_slice[L]; k < ps->first_slice[L] + ps->n_layer_slices[L]; k++) {
    const slice_t *s = &ps->s[k];
    for (uint32_t i = 0; i < s->count; i++) ps->counts[s->first + i] = s->m.layer[1].count[i];
  }
  uint32_t cmax = 0;
  for (uint32_t k = 0; k < ps->n_out; k++) cmax = ps->counts[k] > cmax ? ps->counts[k] : cmax;
  int64_t sum = 0;
  for (uint32_t k = 0; k < ps->n_out; k++) {
    uint32_t gap = cmax - ps->counts[k];
    ps->eps[k] = m0->lut[gap < m0->lut_len ? gap : m0->lut_len - 1];
    sum += ps->eps[k];
  }
  for (uint32_t k = 0; k < ps->n_out; k++) ps->eps[k] = ps->eps[k] * one_e / sum - ((int)k == label ? one_e : 0);
  uint32_t ns = 0;
  for (int q = ps->first_slice[L]; q < ps->first_slice[L] + ps->n_layer_slices[L]; q++) {
    slice_t *s = &ps->s[q];
    for (uint32_t i = 0; i < s->count; i++) {
      const uint32_t k = s->first + i;
      int64_t up = bg_sat(ps->up[k] - (ps->sp[k] ? thr : 0) + ps->eps[k], eb, &sat);
      int64_t um = bg_sat(ps->um[k] - (ps->sm[k] ? thr : 0) - ps->eps[k], eb, &sat);
      ps->up[k] = (int32_t)up;
      ps->um[k] = (int32_t)um;
      ps->sp[k] = up > thr;
      ps->sm[k] = um > thr;
      int sg = (int)ps->sp[k] - (int)ps->sm[k];
      if (sg != 0) s->m.layer[1].d[i] = bg_sat(s->m.layer[1].d[i] + (sg > 0 ? one_d : -one_d), db, &sat);
    }
  }
  for (uint32_t k = 0; k < ps->n_out; k++) {
    int sg = (int)ps->sp[k] - (int)ps->sm[k];
    ps->fb_k[ns] = k;
    ps->fb_sg[ns] = (int8_t)sg;
    ns += sg != 0;
  }
  if (ns == 0) return;
  for (int l = 1; l < L; l++) {
    const int bf = ps->net->layers[l].feedback.frac;
    for (int q = ps->first_slice[l]; q < ps->first_slice[l] + ps->n_layer_slices[l]; q++) {
      slice_t *s = &ps->s[q];
      /* an error spike (σ⁺ or σ⁻ of output k) leaves the core that holds output k */
      for (uint32_t a = 0; a < ns; a++) {
        bool local = false;
        for (int o = ps->first_slice[L]; o < ps->first_slice[L] + ps->n_layer_slices[L]; o++) {
          const slice_t *so = &ps->s[o];
          if (ps->fb_k[a] >= so->first && ps->fb_k[a] < so->first + so->count) local = so->core == s->core;
        }
        if (local) {
          ps->ctr.local_spikes++;
        } else {
          ps->ctr.routed_spikes++;
        }
      }
      for (uint32_t i = 0; i < s->count; i++) {
        const int32_t *b = s->fb + (size_t)i * ps->n_out;
        int64_t acc = 0;
        for (uint32_t a = 0; a < ns; a++) acc += ps->fb_sg[a] > 0 ? b[ps->fb_k[a]] : -b[ps->fb_k[a]];
        s->m.layer[1].d[i] = bg_sat(s->m.layer[1].d[i] + bg_rescale(acc, bf, df), db, &sat);
      }
    }
  }
}

static void forward(bg_psim_t *ps, const uint8_t *input, bg_rng_t *rng, bool record, int label) {
  const int L = ps->net->n_layers - 1;
  for (int k = 0; k < ps->n_slices; k++) {
    ps->s[k].m.record = record;
    bg_state_reset(&ps->s[k].m);
  }
  memset(ps->up, 0, ps->n_out * sizeof *ps->up);
  memset(ps->um, 0, ps->n_out * sizeof *ps->um);
  memset(ps->sp, 0, ps->n_out);
  memset(ps->sm, 0, ps->n_out);
  /* the input layer's spike generator: the encoder writes the first hidden slice's inputs */
  bg_input_encoder_frames(&ps->s[ps->first_slice[1]].m, input, rng);
  const bool trace = ps->net->learning.mode == BG_LEARN_TRACE;
  for (uint32_t t = 0; t < ps->T; t++) {
    for (int l = 1; l <= L; l++) {
      uint32_t na = gather(ps, l - 1, t);
      deliver(ps, l, t, na);
      for (int k = ps->first_slice[l]; k < ps->first_slice[l] + ps->n_layer_slices[l]; k++) {
        bg_neuron_core_step(&ps->s[k].m, 1, t);
        if (record && trace) bg_trace_unit_step(&ps->s[k].m, 1, t);
        ps->ctr.neuron_updates += ps->s[k].count;
      }
    }
    if (record && t >= ps->t0) error_step(ps, label);
    ps->ctr.steps++;
  }
}

static int prediction(const bg_psim_t *ps) {
  const int L = ps->net->n_layers - 1;
  int best = -1;
  uint32_t bc = 0;
  for (int k = ps->first_slice[L]; k < ps->first_slice[L] + ps->n_layer_slices[L]; k++) {
    const slice_t *s = &ps->s[k];
    for (uint32_t i = 0; i < s->count; i++) {
      if (best < 0 || s->m.layer[1].count[i] > bc) {
        best = (int)(s->first + i);
        bc = s->m.layer[1].count[i];
      }
    }
  }
  return best;
}

/* The update step across the slices of each layer in the golden model's order: rows j, then
 * every slice's columns ascending, with one rounding stream; then the biases. */
static void apply_update(bg_psim_t *ps) {
  const int L = ps->net->n_layers - 1;
  const bool stochastic = ps->net->learning.rounding == BG_ROUND_STOCHASTIC;
  uint64_t draws = 0, sat = 0;
  for (int l = 1; l <= L; l++) {
    const uint32_t fan_in = ps->net->layers[l - 1].size;
    const bg_model_t *m0 = &ps->s[ps->first_slice[l]].m;
    const int wbits = ps->net->layers[l].weight.bits;
    const int sh = (int)m0->eta_sh + m0->ufrac - ps->net->layers[l].weight.frac;
    for (uint32_t j = 0; j < fan_in; j++) {
      for (int k = ps->first_slice[l]; k < ps->first_slice[l] + ps->n_layer_slices[l]; k++) {
        bg_model_layer_t *ly = &ps->s[k].m.layer[1];
        int64_t *acc = ly->acc + (size_t)j * ly->n;
        int32_t *w = ly->w + (size_t)j * ly->n;
        for (uint32_t i = 0; i < ly->n; i++) {
          if (acc[i] == 0) continue;
          int64_t dlt = bg_scale_round(acc[i], m0->eta_m, sh, stochastic, &ps->rng_round, &draws, &sat);
          w[i] = (int32_t)bg_sat((int64_t)w[i] - dlt, wbits, &sat);
          acc[i] = 0;
          ps->ctr.weight_writes++;
          ps->ctr.learning_ops++;
        }
      }
    }
    if (ps->net->learning.bias) {
      for (int k = ps->first_slice[l]; k < ps->first_slice[l] + ps->n_layer_slices[l]; k++) {
        bg_model_layer_t *ly = &ps->s[k].m.layer[1];
        for (uint32_t i = 0; i < ly->n; i++) {
          if (ly->accb[i] == 0) continue;
          int64_t dlt = bg_scale_round(ly->accb[i], m0->eta_m, sh, stochastic, &ps->rng_round, &draws, &sat);
          ly->b[i] = (int32_t)bg_sat((int64_t)ly->b[i] - dlt, wbits, &sat);
          ly->accb[i] = 0;
          ps->ctr.learning_ops++;
        }
      }
    }
    for (int k = ps->first_slice[l]; k < ps->first_slice[l] + ps->n_layer_slices[l]; k++) {
      bg_model_layer_t *ly = &ps->s[k].m.layer[1];
      memset(ly->row_dirty, 0, ly->fan_in);
      memset(ly->col_dirty, 0, ly->n);
    }
  }
}


/* The sleep phase across the slices, in sleep_unit_run's order: ρ from stream 2; per hidden
 * layer l, top down, K noise samples of Ts steps. The management core draws each step's noise
 * for all of layer l's neurons (stream 3, two words per neuron, ascending) and sends ξ⁺/ξ⁻ to
 * the slices of l (they sum h) and, as signed spikes, to the slices of l + 1, which integrate
 * Σ_{ξ⁺} W − Σ_{ξ⁻} W without bias; the layers above run their normal step. The output slices
 * count their spikes; the management core keeps Q = Σ o²; each slice of l keeps C = Σ h·o for
 * its neurons and, at the end, steps its rows of B in neuron order with the shared rounding
 * stream (feedback_step). */
static void sleep_phase(bg_psim_t *ps) {
  const bg_net_t *net = ps->net;
  const int L = net->n_layers - 1;
  const uint32_t n_out = ps->n_out, K = net->sleep.samples, Ts = net->sleep.steps;
  const uint32_t rho = net->q.sleep_rate16 ? net->q.sleep_rate16 : bg_rng_r16(&ps->rng_sleep_rate);
  uint64_t draws = 0, sat = 0;
  for (int k = 0; k < ps->n_slices; k++) ps->s[k].m.record = false;
  for (int l = L - 1; l >= 1; l--) {
    const uint32_t n = net->layers[l].size;
    memset(ps->sleep_q, 0, n_out * sizeof *ps->sleep_q);
    for (int q = ps->first_slice[l]; q < ps->first_slice[l] + ps->n_layer_slices[l]; q++) {
      memset(ps->s[q].c, 0, (size_t)ps->s[q].count * n_out * sizeof *ps->s[q].c);
    }
    for (uint32_t smp = 0; smp < K; smp++) {
      for (int q = 0; q < ps->n_slices; q++) {
        slice_t *s = &ps->s[q];
        if (s->layer < l + 1) continue;
        bg_model_layer_t *ly = &s->m.layer[1];
        memset(ly->v, 0, ly->n * sizeof *ly->v);
        memset(ly->s, 0, ly->n);
        memset(ly->refr, 0, ly->n);
      }
      for (int q = ps->first_slice[l]; q < ps->first_slice[l] + ps->n_layer_slices[l]; q++) {
        memset(ps->s[q].h, 0, ps->s[q].count * sizeof *ps->s[q].h);
      }
      memset(ps->sleep_o, 0, n_out * sizeof *ps->sleep_o);
      for (uint32_t u = 0; u < Ts; u++) {
        uint32_t np = 0, nm = 0;
        int q = ps->first_slice[l];
        for (uint32_t i = 0; i < n; i++) {
          const uint32_t xp = bg_rng_r16(&ps->rng_sleep_noise) < rho;
          const uint32_t xm = bg_rng_r16(&ps->rng_sleep_noise) < rho;
          while (i >= ps->s[q].first + ps->s[q].count) q++;
          ps->s[q].h[i - ps->s[q].first] += (int32_t)xp - (int32_t)xm;
          ps->noise_p[np] = i;
          np += xp;
          ps->noise_m[nm] = i;
          nm += xm;
        }
        for (int d = ps->first_slice[l + 1]; d < ps->first_slice[l + 1] + ps->n_layer_slices[l + 1]; d++) {
          slice_t *s = &ps->s[d];
          bg_model_layer_t *ly = &s->m.layer[1];
          int64_t *I = ly->scratch;
          for (uint32_t i = 0; i < ly->n; i++) I[i] = 0;
          bg_rows_add(I, ly->w, ps->noise_p, np, ly->n);
          bg_rows_sub(I, ly->w, ps->noise_m, nm, ly->n);
          bg_soma_update(&s->m, 1, I, 0);
          ps->ctr.input_spikes += np + nm;
          ps->ctr.sleep_syn_events += (uint64_t)(np + nm) * ly->n;
          ps->ctr.neuron_updates += ly->n;
        }
        for (int q2 = l + 2; q2 <= L; q2++) {
          uint32_t na = gather(ps, q2 - 1, 0);
          deliver(ps, q2, 0, na);
          for (int d = ps->first_slice[q2]; d < ps->first_slice[q2] + ps->n_layer_slices[q2]; d++) {
            bg_neuron_core_step(&ps->s[d].m, 1, 0);
            ps->ctr.neuron_updates += ps->s[d].count;
            ps->ctr.sleep_syn_events += (uint64_t)na * ps->s[d].count;
          }
        }
        ps->ctr.steps++;
        for (int d = ps->first_slice[L]; d < ps->first_slice[L] + ps->n_layer_slices[L]; d++) {
          const slice_t *s = &ps->s[d];
          for (uint32_t i = 0; i < s->count; i++) ps->sleep_o[s->first + i] += s->m.layer[1].raster[i];
        }
      }
      for (int q = ps->first_slice[l]; q < ps->first_slice[l] + ps->n_layer_slices[l]; q++) {
        slice_t *s = &ps->s[q];
        for (uint32_t i = 0; i < s->count; i++) {
          if (s->h[i] == 0) continue;
          for (uint32_t o = 0; o < n_out; o++) s->c[(size_t)i * n_out + o] += (int64_t)s->h[i] * ps->sleep_o[o];
        }
      }
      for (uint32_t o = 0; o < n_out; o++) ps->sleep_q[o] += (int64_t)ps->sleep_o[o] * ps->sleep_o[o];
    }
    /* B += ROUND((C·ONE_B − RND(B·Q, log2 K))·η_s), neurons ascending, outputs ascending */
    const bool oja = net->sleep.decay == BG_SLEEP_DECAY_OJA;
    const int bf = net->layers[l].feedback.frac, bb = net->layers[l].feedback.bits;
    for (int q = ps->first_slice[l]; q < ps->first_slice[l] + ps->n_layer_slices[l]; q++) {
      slice_t *s = &ps->s[q];
      for (uint32_t i = 0; i < s->count; i++) {
        for (uint32_t o = 0; o < n_out; o++) {
          int32_t *b = &s->fb[(size_t)i * n_out + o];
          int64_t corr = bg_sat(s->c[(size_t)i * n_out + o], 63 - bf, &sat) * (INT64_C(1) << bf);
          int64_t dec = oja ? bg_rnd((int64_t)*b * ps->sleep_q[o], (int)net->q.sleep_k_shift) : 0;
          int64_t delta = bg_scale_round(corr - dec, net->q.sleep_eta_m, (int)net->q.sleep_eta_sh,
                                         net->learning.rounding == BG_ROUND_STOCHASTIC,
                                         &ps->rng_round, &draws, &sat);
          *b = (int32_t)bg_sat((int64_t)*b + delta, bb, &sat);
          ps->ctr.learning_ops++;
        }
      }
    }
  }
}

int bg_psim_train(bg_psim_t *ps, const uint8_t *input, int label, int *pred, bg_err_t *err) {
  (void)err;
  forward(ps, input, &ps->rng_input, true, label);
  for (int k = 0; k < ps->n_slices; k++) {
    bg_model_t *m = &ps->s[k].m;
    if (ps->net->learning.mode == BG_LEARN_REPLAY) bg_replay_unit_kernel(m, 1);
    bg_weight_update_accumulate(m, 1);
    m->record = false;
    ps->ctr.syn_events += m->ctr.syn_events;
    m->ctr.syn_events = 0;
  }
  *pred = prediction(ps);
  ps->train_samples++;
  if (++ps->batch_fill >= ps->net->learning.batch) {
    apply_update(ps);
    ps->batch_fill = 0;
  }
  if (ps->net->sleep.enabled && ps->train_samples % ps->net->sleep.period == 0) sleep_phase(ps);
  return BG_OK;
}

int bg_psim_infer(bg_psim_t *ps, const uint8_t *input, bg_rng_t *rng, int *pred, bg_err_t *err) {
  (void)err;
  forward(ps, input, rng, false, 0);
  *pred = prediction(ps);
  return BG_OK;
}

int bg_psim_compare(const bg_psim_t *ps, const bg_model_t *g, char *what, size_t cap) {
  for (int k = 0; k < ps->n_slices; k++) {
    const slice_t *s = &ps->s[k];
    const bg_model_layer_t *gl = &g->layer[s->layer], *sl = &s->m.layer[1];
    for (uint32_t i = 0; i < s->count; i++) {
      const uint32_t n = s->first + i;
      if (gl->b[n] != sl->b[i]) {
        snprintf(what, cap, "layer %d neuron %u (core %u) field b: expected %d, got %d", s->layer, n, s->core, gl->b[n], sl->b[i]);
        return 1;
      }
      if (gl->count[n] != sl->count[i]) {
        snprintf(what, cap, "layer %d neuron %u (core %u) field spike count: expected %u, got %u", s->layer, n, s->core, gl->count[n], sl->count[i]);
        return 1;
      }
      if (gl->d[n] != sl->d[i]) {
        snprintf(what, cap, "layer %d neuron %u (core %u) field dendrite: expected %lld, got %lld", s->layer, n, s->core, (long long)gl->d[n], (long long)sl->d[i]);
        return 1;
      }
      for (uint32_t o = 0; s->fb != NULL && o < ps->n_out; o++) {
        int32_t a = gl->fb[(size_t)n * ps->n_out + o], b = s->fb[(size_t)i * ps->n_out + o];
        if (a != b) {
          snprintf(what, cap, "layer %d feedback %u <- output %u (core %u) field B: expected %d, got %d", s->layer, n, o, s->core, a, b);
          return 1;
        }
      }
      for (uint32_t j = 0; j < gl->fan_in; j++) {
        int32_t a = gl->w[(size_t)j * gl->n + n], b = sl->w[(size_t)j * sl->n + i];
        if (a != b) {
          snprintf(what, cap, "layer %d synapse %u -> %u (core %u) field W: expected %d, got %d", s->layer, j, n, s->core, a, b);
          return 1;
        }
      }
    }
  }
  return 0;
}

const bg_psim_counters_t *bg_psim_counters(const bg_psim_t *ps) { return &ps->ctr; }
