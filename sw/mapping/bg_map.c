/* SPDX-License-Identifier: Apache-2.0 */
/* The mapping compiler (bg_map.h, docs/mapping.md): golden-semantics compartments placed in
 * layer order, first fit, onto the target's cores; routing edges; the fit verdict. */
#include "bg_map.h"
#include "bg_loihi1_report.h"

#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* What a neuron of layer l needs. Hidden: soma + error dendrite; the dendrite takes the feedback
 * B·(σ⁺ − σ⁻) as two synapses per output (±B from the two interneurons). Output: soma, dendrite
 * and the pair of error interneurons u⁺/u⁻ (driven each step by the error unit, which runs on
 * the chip's management core), the dendrite fed by its own pair (two 2-bit synapses). */
static bg_map_need_t need_of(const bg_net_t *net, int l) {
  const int L = net->n_layers - 1;
  const uint32_t n_out = net->layers[L].size, fan_in = net->layers[l - 1].size;
  const uint64_t wb = (uint32_t)net->layers[l].weight.bits;
  bg_map_need_t nd;
  if (l < L) {
    const uint64_t fb = (uint32_t)net->layers[l].feedback.bits;
    nd.compartments = 2;
    nd.synapses = fan_in + 2 * n_out;
    nd.synaptic_bits = fan_in * wb + 2 * (uint64_t)n_out * fb;
    nd.sources = fan_in + 2 * n_out;
  } else {
    nd.compartments = 4;
    nd.synapses = fan_in + 2;
    nd.synaptic_bits = (uint64_t)fan_in * (uint64_t)wb + 2 * 2;
    nd.sources = fan_in + 2 * n_out;
  }
  return nd;
}

void bg_map_free(bg_map_t *m) {
  free(m->core);
  m->core = NULL;
  m->n_cores = 0;
}

/* A core fits another neuron of layer l? */
static bool room(const bg_map_t *m, const bg_map_core_t *c, int l) {
  const bg_target_t *t = m->t;
  const bg_map_need_t *nd = &m->need[l];
  uint32_t axons = c->input_axons + (c->count[l] == 0 ? nd->sources : 0);
  return c->compartments + nd->compartments <= t->compartments &&
         c->synaptic_bits + nd->synaptic_bits <= t->synaptic_bits && axons <= t->input_axons;
}

uint32_t bg_map_layer_cores(const bg_map_t *m, int l) {
  uint32_t n = 0;
  for (uint32_t c = 0; c < m->n_cores; c++) n += m->core[c].count[l] > 0;
  return n;
}

uint32_t bg_map_edges(const bg_map_t *m, uint32_t a, uint32_t b) {
  const int L = m->net->n_layers - 1;
  const bg_map_core_t *ca = &m->core[a], *cb = &m->core[b];
  uint32_t e = 0;
  for (int l = 0; l <= L; l++) {
    if (ca->count[l] == 0) continue;
    if (l < L && cb->count[l + 1] > 0) e += ca->count[l];            /* forward spikes */
    if (l == L) {                                                    /* error spikes */
      bool hidden = false;
      for (int h = 1; h < L; h++) hidden |= cb->count[h] > 0;
      if (hidden) e += 2 * ca->count[l];
    }
  }
  return e;
}

static void say(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(char *buf, size_t cap, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, cap, fmt, ap);
  va_end(ap);
}

int bg_map_compile(const bg_net_t *net, const bg_target_t *t, bg_map_t *m, bg_err_t *err) {
  memset(m, 0, sizeof *m);
  m->net = net;
  m->t = t;
  m->fits = true;
  const int L = net->n_layers - 1;
  for (int l = 1; l <= L; l++) {
    m->need[l] = need_of(net, l);
    m->weight_exponent[l] = net->layers[l].weight.bits - 1 - net->layers[l].weight.frac;
  }
  /* weight formats first: they decide whether the description can run as it is */
  for (int l = 1; l <= L && m->fits; l++) {
    const bg_fx_t *w = &net->layers[l].weight;
    if (w->bits > t->max_weight_bits) {
      m->fits = false;
      say(m->reason, sizeof m->reason, "layer %d (%s): %d-bit weights, the %s holds at most %d "
          "bits (%d over)", l, net->layers[l].name, w->bits, t->name, t->max_weight_bits,
          w->bits - t->max_weight_bits);
      say(m->change, sizeof m->change, "weights of at most %d bits in layer %d, e.g. "
          "\"weight\": {\"bits\": 8, \"frac\": 9} as in nets/mnist-fpga.json (a quantised copy of "
          "the description)", t->max_weight_bits, l);
    } else if (m->weight_exponent[l] < t->min_exponent || m->weight_exponent[l] > t->max_exponent) {
      m->fits = false;
      say(m->reason, sizeof m->reason, "layer %d (%s): weight exponent %d outside the %s's "
          "%d..%d", l, net->layers[l].name, m->weight_exponent[l], t->name, t->min_exponent,
          t->max_exponent);
      say(m->change, sizeof m->change, "a weight fraction that puts the top bit at an exponent "
          "in %d..%d", t->min_exponent, t->max_exponent);
    }
  }
  /* one neuron must fit an empty core */
  for (int l = 1; l <= L && m->fits; l++) {
    const bg_map_need_t *nd = &m->need[l];
    const uint32_t fan_in = net->layers[l - 1].size;
    const uint64_t other_bits = nd->synaptic_bits - (uint64_t)fan_in * (uint64_t)net->layers[l].weight.bits;
    if (nd->compartments > t->compartments) {
      m->fits = false;
      say(m->reason, sizeof m->reason, "layer %d (%s): one neuron needs %u compartments, a %s "
          "core has %u", l, net->layers[l].name, nd->compartments, t->name, t->compartments);
      say(m->change, sizeof m->change, "a target with at least %u compartments per core",
          nd->compartments);
    } else if (nd->synaptic_bits > t->synaptic_bits) {
      m->fits = false;
      say(m->reason, sizeof m->reason, "layer %d (%s): one neuron needs %llu synaptic memory "
          "bits, a %s core has %llu (%llu over)", l, net->layers[l].name,
          (unsigned long long)nd->synaptic_bits, t->name, (unsigned long long)t->synaptic_bits,
          (unsigned long long)(nd->synaptic_bits - t->synaptic_bits));
      say(m->change, sizeof m->change, "a fan-in of at most %llu into layer %d (now %u), or "
          "narrower weights", (unsigned long long)((t->synaptic_bits - (other_bits < t->synaptic_bits
          ? other_bits : t->synaptic_bits)) / (uint64_t)net->layers[l].weight.bits), l, fan_in);
    } else if (nd->sources > t->input_axons) {
      m->fits = false;
      say(m->reason, sizeof m->reason, "layer %d (%s): a core holding it needs %u input axons, "
          "a %s core has %u (%u over)", l, net->layers[l].name, nd->sources, t->name,
          t->input_axons, nd->sources - t->input_axons);
      say(m->change, sizeof m->change, "a fan-in of at most %u into layer %d (now %u)",
          t->input_axons - (nd->sources - fan_in), l, fan_in);
    }
  }
  /* first fit in layer order */
  uint32_t cap = 16;
  m->core = calloc(cap, sizeof *m->core);
  if (m->core == NULL) return bg_err_set(err, BG_E_NOMEM, "out of memory for the mapping");
  m->n_cores = 1;
  for (int l = 1; l <= L && m->fits; l++) {
    for (uint32_t i = 0; i < net->layers[l].size; i++) {
      bg_map_core_t *c = &m->core[m->n_cores - 1];
      if (!room(m, c, l)) {
        if (m->n_cores == cap) {
          bg_map_core_t *p = realloc(m->core, 2 * cap * sizeof *p);
          if (p == NULL) return bg_err_set(err, BG_E_NOMEM, "out of memory for the mapping");
          memset(p + cap, 0, cap * sizeof *p);
          m->core = p;
          cap *= 2;
        }
        c = &m->core[m->n_cores++];
      }
      const bg_map_need_t *nd = &m->need[l];
      if (c->count[l] == 0) {
        c->first[l] = i;
        c->input_axons += nd->sources;
      }
      c->count[l]++;
      c->compartments += nd->compartments;
      c->synapses += nd->synapses;
      c->synaptic_bits += nd->synaptic_bits;
    }
  }
  for (uint32_t c = 0; c < m->n_cores; c++) {
    m->core[c].chip = c / t->cores_per_chip;
    m->core[c].index = c % t->cores_per_chip;
    uint32_t out = 0;
    for (uint32_t d = 0; d < m->n_cores; d++) out += bg_map_edges(m, c, d);
    m->core[c].output_axons = out;
  }
  m->chips = (m->n_cores + t->cores_per_chip - 1) / t->cores_per_chip;
  for (uint32_t c = 0; c < m->n_cores && m->fits; c++) {
    if (m->core[c].output_axons > t->output_axons) {
      m->fits = false;
      say(m->reason, sizeof m->reason, "core %u: %u output axons, a %s core has %u (%u over)", c,
          m->core[c].output_axons, t->name, t->output_axons, m->core[c].output_axons - t->output_axons);
      say(m->change, sizeof m->change, "fewer neurons per core in the layer feeding core %u's "
          "targets, or a smaller layer above it", c);
    }
  }
  if (m->fits && m->chips > t->max_chips) {
    m->fits = false;
    say(m->reason, sizeof m->reason, "%u chips needed, the %s system has at most %u", m->chips,
        t->name, t->max_chips);
    say(m->change, sizeof m->change, "a network of at most %u cores",
        t->max_chips * t->cores_per_chip);
  }
  return BG_OK;
}

static double pct(uint64_t a, uint64_t b) { return b ? 100.0 * (double)a / (double)b : 0.0; }

void bg_map_print(const bg_map_t *m, FILE *o) {
  const bg_net_t *net = m->net;
  const bg_target_t *t = m->t;
  fprintf(o, "%s onto %s: %s", net->name, t->name, m->fits ? "fits" : "does NOT fit");
  if (m->fits) {
    fprintf(o, ", %u core%s on %u chip%s\n", m->n_cores, m->n_cores == 1 ? "" : "s", m->chips,
            m->chips == 1 ? "" : "s");
  } else {
    fprintf(o, "\n  why:      %s\n  smallest change: %s\n", m->reason, m->change);
    if (m->n_cores == 0 || m->core == NULL || m->core[0].compartments == 0) return;
  }
  fprintf(o, "%5s %4s %-22s %20s %24s %18s %18s\n", "core", "chip", "neurons (layer: range)",
          "compartments", "synaptic memory bits", "input axons", "output axons");
  for (uint32_t c = 0; c < m->n_cores; c++) {
    const bg_map_core_t *k = &m->core[c];
    char nr[128] = "";
    size_t n = 0;
    for (int l = 1; l < net->n_layers; l++) {
      if (k->count[l] == 0) continue;
      n += (size_t)snprintf(nr + n, sizeof nr - n, "%s%d:%u-%u", n ? " " : "", l, k->first[l],
                            k->first[l] + k->count[l] - 1);
    }
    fprintf(o, "%5u %4u %-22s %6u/%-6u %5.1f%% %9llu/%-8llu %5.1f%% %5u/%-5u %4.1f%% %5u/%-5u %4.1f%%\n",
            c, k->chip, nr, k->compartments, t->compartments, pct(k->compartments, t->compartments),
            (unsigned long long)k->synaptic_bits, (unsigned long long)t->synaptic_bits,
            pct(k->synaptic_bits, t->synaptic_bits), k->input_axons, t->input_axons,
            pct(k->input_axons, t->input_axons), k->output_axons, t->output_axons,
            pct(k->output_axons, t->output_axons));
  }
  fprintf(o, "layers: ");
  for (int l = 1; l < net->n_layers; l++) {
    fprintf(o, "%s%s %u neurons x %u compartments on %u core%s, %d-bit weights (exponent %d)",
            l > 1 ? "; " : "", net->layers[l].name, net->layers[l].size, m->need[l].compartments,
            bg_map_layer_cores(m, l), bg_map_layer_cores(m, l) == 1 ? "" : "s",
            net->layers[l].weight.bits, m->weight_exponent[l]);
  }
  fprintf(o, "\nthe input layer (%u neurons) enters through input axons; the error unit (softmax "
          "of the output counts) runs on the management core\n", net->layers[0].size);
}


/* One term of a learning rule in sum-of-products form: when it fires, its scale and factors,
 * and whether Loihi 1's learning engine can express it (and why not). */
static void term(cJSON *arr, const char *target, const char *dependency, const char *scale,
                 const char *factors, bool loihi1, const char *why, const char *repl) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "target", target);
  cJSON_AddStringToObject(o, "dependency", dependency);
  cJSON_AddStringToObject(o, "scale", scale);
  cJSON_AddStringToObject(o, "factors", factors);
  cJSON_AddBoolToObject(o, "loihi1_expressible", loihi1);
  if (why[0]) cJSON_AddStringToObject(o, "why", why);
  /* the loihi1 semantics' terms (loihi1_terms) that replace or carry it */
  cJSON_AddStringToObject(o, "loihi1_replacement", repl);
  cJSON_AddItemToArray(arr, o);
}

static void phase(cJSON *arr, const char *name, const char *when, const char *where,
                  const char *what) {
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "phase", name);
  cJSON_AddStringToObject(o, "when", when);
  cJSON_AddStringToObject(o, "where", where);
  cJSON_AddStringToObject(o, "what", what);
  cJSON_AddItemToArray(arr, o);
}

/* The per-core learning engine of the golden semantics (BioGrad, docs/mapping.md) and the
 * schedule of one training sample and of a sleep call. */
static void learning_program(const bg_map_t *m, cJSON *j) {
  const bg_net_t *net = m->net;
  char buf[160];
  cJSON *le = cJSON_AddArrayToObject(j, "learning_engine");
  const bool replay = net->learning.mode == BG_LEARN_REPLAY;
  term(le, "record", "every step", "1", "g_i(t) = [|v_i - theta| < omega], m_i(t) = 1 - s - A g v",
       false, "g and m depend on the potential v, not on a spike trace (Loihi 1 post traces are "
       "spike-driven)", "g: y0 of a window compartment (or the soma's spike), see tag_ij; m: dropped "
       "(the pre trace x1_j is shared by the fan-out and never reset by the post spike)");
  if (replay) {
    term(le, "K_i(t)", "end of sample, t = T-1 .. 0", "A, alpha_t", "A g_i(t) + alpha_t m_i(t) K_i(t+1)",
         false, "a backward pass over the recorded sample (replay): Loihi 1 learns forward in time only",
         "tag_ij: a forward eligibility accumulated at each surrogate event");
    term(le, "e_ij", "x0_j at each presynaptic spike", "1", "K_i(t)", false,
         "the postsynaptic factor K_i(t) is the backward kernel, not a trace", "tag_ij");
  } else {
    term(le, "e_ij (tag)", "every step", "alpha_t, A", "alpha_t m_i e_ij + A g_i z_j", false,
         "the factors m_i and g_i depend on the potential v", "x1_j, tag_ij");
  }
  snprintf(buf, sizeof buf, "-eta/(F batch) = -%u * 2^-%u", net->q.eta_m, net->q.eta_sh);
  term(le, "W_ij", "after every batch (end of sample at batch 1)", buf, "delta_i e_ij", false,
       "delta_i is the error dendrite's value, a compartment state, and the scale has a 15-bit "
       "mantissa (Loihi's scales are a few mantissa bits times a power of two); an approximation "
       "would carry delta as a 7-bit reward trace and round eta",
       "y2_i, y3_i (delta as error-spike traces), W_ij (the rate rounded to a power of two), b_i");
  if (net->n_layers > 2) {
    snprintf(buf, sizeof buf, "eta_s = %u * 2^-%u", net->q.sleep_eta_m, net->q.sleep_eta_sh);
    term(le, "B_ik (sleep)", "after K noise samples of Ts steps", buf,
         "sum_k h_i o_k - B_ik Q_k / K (Oja)", true,
         "with one learning epoch per noise sample (Ts <= 63) h and o are spike counts that fit 7 "
         "bits when Ts <= 127; the batch sum over K becomes K per-epoch increments",
         "B_ik (sleep): one epoch per noise sample, both scales rounded to powers of two");
  }
  bg_l1_report_terms(m, j);
  cJSON *sc = cJSON_AddArrayToObject(j, "schedule");
  phase(sc, "encode", "every step", "management core (spike generator)",
        "Bernoulli input spikes from stream 1 to the first layer's cores");
  phase(sc, "forward", "every step, layers in order", "every core",
        "soma of each compartment; spikes through the routes to the next layer's cores");
  snprintf(buf, sizeof buf, "every step from t0 = %u", net->time.error_start);
  phase(sc, "error", buf, "management core, then every core",
        "softmax of the output counts; interneurons u+/u-; error spikes into every dendrite");
  phase(sc, "learn", "end of sample", "every core",
        replay ? "replay kernel, eligibilities, accumulators" : "accumulators from the traces");
  snprintf(buf, sizeof buf, "every %u samples (batch)", net->learning.batch);
  phase(sc, "update", buf, "every core, rows then cores in order",
        "W and b stepped with rounding draws from one stream (stream 4) in the golden order");
  if (net->sleep.enabled && net->n_layers > 2) {
    snprintf(buf, sizeof buf, "every %u samples: %u noise samples x %u steps per hidden layer",
             net->sleep.period, net->sleep.samples, net->sleep.steps);
    phase(sc, "sleep", buf, "management core (noise, Q), every core",
          "noise from stream 3 as signed spikes; the layers above; C per core; B stepped per core");
  }
}

int bg_map_write_json(const bg_map_t *m, const char *path, bg_err_t *err) {
  const bg_net_t *net = m->net;
  cJSON *j = cJSON_CreateObject();
  if (j == NULL) return bg_err_set(err, BG_E_NOMEM, "out of memory");
  cJSON_AddStringToObject(j, "format", "biograd-mapping/1");
  cJSON_AddStringToObject(j, "net", net->file);
  char hash[16];
  snprintf(hash, sizeof hash, "%08x", net->q.hash);
  cJSON_AddStringToObject(j, "net_hash", hash);
  cJSON_AddStringToObject(j, "target", m->t->name);
  cJSON_AddStringToObject(j, "semantics", "golden");
  cJSON_AddBoolToObject(j, "fits", m->fits);
  cJSON_AddStringToObject(j, "reason", m->reason);
  cJSON_AddStringToObject(j, "smallest_change", m->change);
  cJSON_AddNumberToObject(j, "cores", m->n_cores);
  cJSON_AddNumberToObject(j, "chips", m->chips);
  cJSON *layers = cJSON_AddArrayToObject(j, "layers");
  for (int l = 1; l < net->n_layers; l++) {
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "name", net->layers[l].name);
    cJSON_AddNumberToObject(o, "neurons", net->layers[l].size);
    cJSON_AddNumberToObject(o, "compartments_per_neuron", m->need[l].compartments);
    cJSON_AddStringToObject(o, "join", l < net->n_layers - 1 ? "soma + dendrite (ADD; the dendrite only feeds the learning engine)"
                                                         : "soma + dendrite + error interneurons u+, u-");
    cJSON_AddNumberToObject(o, "synapses_per_neuron", m->need[l].synapses);
    cJSON_AddNumberToObject(o, "weight_bits", net->layers[l].weight.bits);
    cJSON_AddNumberToObject(o, "weight_exponent", m->weight_exponent[l]);
    cJSON_AddNumberToObject(o, "cores", bg_map_layer_cores(m, l));
    cJSON_AddItemToArray(layers, o);
  }
  learning_program(m, j);
  cJSON *cores = cJSON_AddArrayToObject(j, "core_table");
  for (uint32_t c = 0; c < m->n_cores && m->fits; c++) {
    const bg_map_core_t *k = &m->core[c];
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "core", c);
    cJSON_AddNumberToObject(o, "chip", k->chip);
    cJSON *nr = cJSON_AddArrayToObject(o, "neurons");
    for (int l = 1; l < net->n_layers; l++) {
      if (k->count[l] == 0) continue;
      cJSON *r = cJSON_CreateObject();
      cJSON_AddNumberToObject(r, "layer", l);
      cJSON_AddNumberToObject(r, "first", k->first[l]);
      cJSON_AddNumberToObject(r, "count", k->count[l]);
      cJSON_AddItemToArray(nr, r);
    }
    cJSON_AddNumberToObject(o, "compartments", k->compartments);
    cJSON_AddNumberToObject(o, "synapses", k->synapses);
    cJSON_AddNumberToObject(o, "synaptic_bits", (double)k->synaptic_bits);
    cJSON_AddNumberToObject(o, "input_axons", k->input_axons);
    cJSON_AddNumberToObject(o, "output_axons", k->output_axons);
    cJSON *routes = cJSON_AddArrayToObject(o, "routes");
    for (uint32_t d = 0; d < m->n_cores; d++) {
      uint32_t e = bg_map_edges(m, c, d);
      if (e == 0) continue;
      cJSON *r = cJSON_CreateObject();
      cJSON_AddNumberToObject(r, "to_core", d);
      cJSON_AddNumberToObject(r, "edges", e);
      cJSON_AddItemToArray(routes, r);
    }
    cJSON_AddItemToArray(cores, o);
  }
  char *text = cJSON_Print(j);
  cJSON_Delete(j);
  if (text == NULL) return bg_err_set(err, BG_E_NOMEM, "out of memory");
  char tmp[600];
  snprintf(tmp, sizeof tmp, "%s.tmp", path);
  FILE *f = fopen(tmp, "w");
  int rc = BG_OK;
  if (f == NULL) {
    rc = bg_err_set(err, BG_E_IO, "%s: cannot write", tmp);
  } else {
    fputs(text, f);
    fputc('\n', f);
    if (fclose(f) != 0 || rename(tmp, path) != 0) {
      remove(tmp);
      rc = bg_err_set(err, BG_E_IO, "%s: write failed", path);
    }
  }
  free(text);
  return rc;
}
