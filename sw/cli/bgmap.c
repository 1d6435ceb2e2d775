/* SPDX-License-Identifier: Apache-2.0 */
/* bgmap: compile a network description onto a Loihi-style target (docs/mapping.md). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "bg_cli_net.h"
#include "bg_loihi1.h"
#include "bg_map.h"
#include "bg_psim.h"
#include "bg_samples.h"

static const char usage[] =
    "usage: bgmap --target T NET [--report FILE.json] [--targets DIR]\n"
    "       bgmap --target T NET --simulate [--semantics golden|loihi1] [--samples N]\n"
    "             [--data mnist|random] [--seed S] [--no-sleep] [--data-dir D]\n"
    "             loihi1 only: [--test-samples N] [--t-epoch N] [--surrogate spike|window]\n"
    "             [--err-exp E]\n"
    "Places NET's compartments and synapses onto the cores of target T (a name from DIR, default\n"
    "sw/mapping/targets: loihi1, loihi2, fpga; or a path to a target JSON file), prints the\n"
    "per-core utilisation table, and writes the mapping as JSON with --report. A network that\n"
    "does not fit gets the limit, by how much, and the smallest change that would fit.\n"
    "--simulate runs the partitioned simulator (golden semantics, core by core, spikes through\n"
    "the routes) beside the golden model on N training samples (default 20) and N inferences,\n"
    "comparing every weight, bias, feedback weight, dendrite and spike count after each sample\n"
    "(sleep calls included, on the description's schedule); --no-sleep disables sleep in both.\n"
    "--semantics loihi1 trains N samples (MNIST: the training split in order, epoch by epoch,\n"
    "the rate decayed per epoch) with every update through Loihi 1's learning engine, then\n"
    "tests --test-samples samples (default N, at most the test split), and prints the accuracy\n"
    "and the counts; --seed seeds its learning-engine streams; --t-epoch (default 2) is the\n"
    "learning epoch, --surrogate the stand-in for the pseudo-derivative (default window),\n"
    "--err-exp (default -4) the hidden error encoders' threshold 2^E (docs/mapping.md).\n"
    "Exit status: 0 it fits (and with --simulate every value agreed), 3 it does not fit, 4 the\n"
    "simulation diverged (the first difference is printed), 1 a bad description, target or\n"
    "data, 2 usage error.\n";

static int simulate(const bg_map_t *map, const bg_net_t *net, uint32_t n, const char *data,
                    const char *data_dir, uint32_t seed) {
  bg_err_t err;
  static bg_model_t g;
  if (bg_model_init(&g, net, &err) != BG_OK) {
    fprintf(stderr, "error: %s\n", err.msg);
    return 1;
  }
  bg_psim_t *ps = NULL;
  int rc = bg_psim_new(&ps, map, &g, &err);
  bg_samples_t ds;
  bool mnist = strcmp(data, "random") != 0;
  if (rc == BG_OK && mnist) {
    rc = bg_samples_open(data, data_dir, net->layers[0].size, net->time.steps, net->input.bin_ms, &ds, &err);
  }
  if (rc != BG_OK) {
    fprintf(stderr, "error: %s\n", err.msg);
    bg_psim_free(ps);
    bg_model_free(&g);
    return 1;
  }
  const uint32_t n_in = net->layers[0].size, n_out = net->layers[net->n_layers - 1].size;
  uint8_t *px = calloc(n_in, 1);
  bg_rng_t r;
  bg_rng_seed(&r, seed);
  int status = 0;
  char what[256];
  for (uint32_t k = 0; k < 2 * n && status == 0; k++) {
    const bool train = k < n;
    const uint8_t *in = px;
    int label = 0;
    if (mnist) {
      rc = bg_samples_get(&ds, train ? BG_SPLIT_TRAIN : BG_SPLIT_TEST, train ? k : k - n, &in, &label, &err);
      if (rc != BG_OK) {
        fprintf(stderr, "error: %s\n", err.msg);
        status = 1;
        break;
      }
    } else {
      for (uint32_t j = 0; j < n_in; j++) px[j] = (uint8_t)(bg_rng_next(&r) >> 24);
      label = (int)bg_rng_below(&r, n_out);
    }
    int pg, pp;
    if (train) {
      pg = bg_model_train(&g, in, label);
      bg_psim_train(ps, in, label, &pp, &err);
    } else {
      bg_rng_t e1, e2;
      bg_rng_seed(&e1, net->q.stream_seed[BG_STREAM_EVAL] + k);
      e2 = e1;
      pg = bg_model_infer(&g, in, &e1);
      bg_psim_infer(ps, in, &e2, &pp, &err);
    }
    if (pg != pp) {
      printf("FIRST DIVERGENCE at %s sample %u: prediction: expected %d, got %d\n",
             train ? "training" : "inference", train ? k : k - n, pg, pp);
      status = 4;
    } else if (bg_psim_compare(ps, &g, what, sizeof what)) {
      printf("FIRST DIVERGENCE at %s sample %u: %s\n", train ? "training" : "inference",
             train ? k : k - n, what);
      status = 4;
    }
  }
  if (status == 0) {
    const bg_psim_counters_t *c = bg_psim_counters(ps);
    printf("partitioned simulation (golden semantics) on %u cores: %u training samples and %u "
           "inferences, every weight, bias, feedback weight, dendrite, spike count and prediction identical to "
           "the golden model\n", map->n_cores, n, n);
    printf("per sample (training and inference): %.0f input spikes delivered, %.0f spikes routed "
           "between cores, %.0f delivered on their own core; per training sample: %.0f synaptic "
           "events, %.0f weight writes; %.0f neuron updates per sample\n",
           (double)c->input_spikes / (2 * n), (double)c->routed_spikes / (2 * n),
           (double)c->local_spikes / (2 * n),
           (double)c->syn_events / n, (double)c->weight_writes / n, (double)c->neuron_updates / (2 * n));
    printf("per training sample: %.0f learning ops (synapses the update and sleep steps "
           "read-modify-write), %.0f synaptic-memory accesses (synaptic events, forward and "
           "sleep, + 2 per learning op; inference samples' reads included)\n",
           (double)c->learning_ops / n,
           ((double)c->syn_events + (double)c->sleep_syn_events + 2.0 * (double)c->learning_ops) / n);
  }
  if (status == 0 && map->t->has_energy) {
    /* per training sample, from the counts above and the target's per-operation figures: the
     * inference samples' share is taken out by halving the per-sample forward counts */
    const bg_target_t *t = map->t;
    const bg_psim_counters_t *c = bg_psim_counters(ps);
    const double syn = (double)c->syn_events / n + (double)c->sleep_syn_events / n;
    const double upd = (double)c->weight_writes / n, neu = (double)c->neuron_updates / (2 * n);
    const double routed = (double)c->routed_spikes / (2 * n);
    const double local = (double)(c->local_spikes + c->input_spikes) / (2 * n);
    const double e_syn = syn * t->e_synop, e_upd = upd * t->e_synupd, e_neu = neu * t->e_neuron_active;
    const double e_spk = routed * (t->e_spike_tile + t->e_hop) + local * t->e_spike_tile;
    const double total = e_syn + e_upd + e_neu + e_spk;
    printf("ESTIMATE, energy per training sample on %s (counts x the per-operation figures of "
           "%s; every neuron update at the active cost; one tile hop per spike between cores; the "
           "sleep phase amortised): %.2f uJ = synaptic ops %.2f + synaptic updates %.2f + neuron "
           "updates %.2f + spikes %.2f\n", t->name, t->sources[0] ? t->sources : t->file,
           total * 1e-6, e_syn * 1e-6, e_upd * 1e-6, e_neu * 1e-6, e_spk * 1e-6);
    if (t->has_time) {
      /* the cores work in parallel: the busiest core is taken as the average one */
      const double cores = map->n_cores, steps = (double)c->steps / (2 * n);
      const double ns = (syn * t->t_synop + neu * t->t_neuron_active + upd * t->t_synupd) / cores +
                        steps * t->t_barrier;
      printf("ESTIMATE, time per training sample on %s: %.1f us (%.0f timesteps with a %.0f ns "
             "barrier each, the work spread evenly over %u cores)\n", t->name, ns * 1e-3, steps,
             t->t_barrier, map->n_cores);
    }
  }
  free(px);
  if (mnist) bg_samples_close(&ds);
  bg_psim_free(ps);
  bg_model_free(&g);
  return status;
}

/* --semantics loihi1: train n samples through the learning engine, then test n_test. */
static int simulate_loihi1(const bg_map_t *map, const bg_net_t *net, uint32_t n, uint32_t n_test,
                           const char *data, const char *data_dir, const bg_l1_opts_t *o) {
  bg_err_t err;
  bg_l1_t *p = NULL;
  if (bg_l1_new(&p, map, o, &err) != BG_OK) {
    fprintf(stderr, "error: %s\n", err.msg);
    return 1;
  }
  bg_samples_t ds;
  const bool mnist = strcmp(data, "random") != 0;
  if (mnist && bg_samples_open(data, data_dir, net->layers[0].size, net->time.steps,
                               net->input.bin_ms, &ds, &err) != BG_OK) {
    fprintf(stderr, "error: %s\n", err.msg);
    bg_l1_free(p);
    return 1;
  }
  const uint32_t n_in = net->layers[0].size, n_out = net->layers[net->n_layers - 1].size;
  const uint32_t n_train_split = mnist ? bg_samples_count(&ds, BG_SPLIT_TRAIN) : n;
  if (mnist && n_test > bg_samples_count(&ds, BG_SPLIT_TEST)) n_test = bg_samples_count(&ds, BG_SPLIT_TEST);
  uint8_t *px = calloc(n_in, 1);
  bg_rng_t r;
  bg_rng_seed(&r, o->seed);
  int status = px ? 0 : 1;
  uint32_t correct_train = 0, seen_train = 0, correct = 0, epoch = 0;
  for (uint32_t k = 0; k < n + n_test && status == 0; k++) {
    const bool train = k < n;
    const uint8_t *in = px;
    int label = 0, pred = 0;
    if (train && k / n_train_split != epoch) {
      epoch = k / n_train_split;
      bg_l1_set_rate(p, net->learning.rate * pow(net->learning.rate_decay, (double)epoch));
      correct_train = seen_train = 0;
    }
    if (mnist) {
      const uint32_t idx = train ? k % n_train_split : k - n;
      if (bg_samples_get(&ds, train ? BG_SPLIT_TRAIN : BG_SPLIT_TEST, idx, &in, &label, &err) != BG_OK) {
        fprintf(stderr, "error: %s\n", err.msg);
        status = 1;
        break;
      }
    } else {
      for (uint32_t j = 0; j < n_in; j++) px[j] = (uint8_t)(bg_rng_next(&r) >> 24);
      label = (int)bg_rng_below(&r, n_out);
    }
    if (train) {
      bg_l1_train(p, in, label, &pred);
      correct_train += pred == label;
      seen_train++;
    } else {
      bg_rng_t e;
      bg_rng_seed(&e, net->q.stream_seed[BG_STREAM_EVAL] + (k - n));
      bg_l1_infer(p, in, &e, &pred);
      correct += pred == label;
    }
  }
  if (status == 0) {
    const bg_l1_counters_t *c = bg_l1_counters(p);
    const double nt = n ? n : 1, ns = (double)(n + n_test);
    printf("simulation (loihi1 semantics) of the mapping on %u cores: %u training samples "
           "(%u epochs over %u), %u test samples; t_epoch %u, surrogate %s, err_exp %d, seed %u\n",
           map->n_cores, n, (n + n_train_split - 1) / n_train_split, n_train_split, n_test,
           o->t_epoch, o->surrogate == BG_L1_SURR_SPIKE ? "spike" : "window", o->err_exp, o->seed);
    for (int l = 1; l < net->n_layers; l++) {
      const bg_l1_layer_t *k = bg_l1_layer(p, l);
      printf("learning engine, layer %d: x1 keep %u/4096 impulse %u; y2/y3 impulse %u; tag "
             "+= x1*2^-%d; W += (y3-y2)*tag*2^%d (final rate), %d-bit weights, exponent %d; "
             "error encoder threshold 2^%d\n", l, k->x_keep, k->x_impulse, k->y_impulse,
             k->tag_shift, k->w_exp, k->w_bits, k->w_exponent, k->err_exp);
    }
    printf("training accuracy (last epoch, while learning): %.2f %% of %u\n",
           seen_train ? 100.0 * correct_train / seen_train : 0.0, seen_train);
    printf("test accuracy: %.2f %% (%u of %u)\n", n_test ? 100.0 * correct / n_test : 0.0,
           correct, n_test);
    printf("per sample (training and test): %.0f input spikes delivered, %.0f spikes routed "
           "between cores, %.0f delivered on their own core, %.0f synaptic ops, %.0f compartment "
           "updates\n", (double)c->input_spikes / ns, (double)c->routed_spikes / ns,
           (double)c->local_spikes / ns, (double)c->syn_events / ns, (double)c->neuron_updates / ns);
    printf("per training sample (sleep amortised): %.0f learning ops, %.0f trace updates, %.0f "
           "weight changes, %.0f sleep synaptic ops, %.0f synaptic-memory accesses (all samples' "
           "reads over the training samples)\n", (double)c->learning_ops / nt,
           (double)c->trace_updates / nt, (double)c->weight_writes / nt,
           (double)c->sleep_syn_events / nt, (double)c->mem_accesses / nt);
    printf("saturations: traces %llu, tags %llu, 16-bit products %llu, weights %llu\n",
           (unsigned long long)c->sat_trace, (unsigned long long)c->sat_tag,
           (unsigned long long)c->sat_acc, (unsigned long long)c->sat_w);
    /* FNV-1a over every weight, bias and feedback value: determinism checks */
    const bg_model_t *g = bg_l1_model(p);
    uint64_t h = 1469598103934665603ull;
    for (int l = 1; l < net->n_layers; l++) {
      const bg_model_layer_t *ly = &g->layer[l];
      const size_t nw = (size_t)ly->fan_in * ly->n, nb = l < net->n_layers - 1 ? (size_t)ly->n * n_out : 0;
      for (size_t s = 0; s < nw + ly->n + nb; s++) {
        const int32_t v = s < nw ? ly->w[s] : s < nw + ly->n ? ly->b[s - nw] : ly->fb[s - nw - ly->n];
        h = (h ^ (uint32_t)v) * 1099511628211ull;
      }
    }
    printf("weights hash %016llx\n", (unsigned long long)h);
    if (map->t->has_energy) {
      const bg_target_t *t = map->t;
      const double syn = ((double)c->syn_events * nt / ns + (double)c->sleep_syn_events) / nt;
      const double lrn = (double)c->learning_ops / nt, neu = (double)c->neuron_updates / ns;
      const double e_spk = ((double)c->routed_spikes * (t->e_spike_tile + t->e_hop) +
                            (double)(c->local_spikes + c->input_spikes) * t->e_spike_tile) / ns;
      const double e_syn = syn * t->e_synop, e_lrn = lrn * t->e_synupd, e_neu = neu * t->e_neuron_active;
      printf("ESTIMATE, energy per training sample on %s, loihi1 semantics (counts x the "
             "per-operation figures of %s; a learning op at the synaptic-update cost; every "
             "compartment update at the active cost; the sleep phase amortised): %.2f uJ = "
             "synaptic ops %.2f + learning ops %.2f + compartment updates %.2f + spikes %.2f\n",
             t->name, t->sources[0] ? t->sources : t->file, (e_syn + e_lrn + e_neu + e_spk) * 1e-6,
             e_syn * 1e-6, e_lrn * 1e-6, e_neu * 1e-6, e_spk * 1e-6);
    }
  }
  free(px);
  if (mnist) bg_samples_close(&ds);
  bg_l1_free(p);
  return status;
}

int main(int argc, char **argv) {
  const char *target = NULL, *netpath = NULL, *report = NULL, *dir = "sw/mapping/targets";
  const char *data = "random", *data_dir = "data";
  const char *semantics = "golden", *surrogate = "window";
  bool sim = false, no_sleep = false, l1_opt = false, have_test = false;
  uint32_t samples = 20, seed = 1, test_samples = 0, t_epoch = 2;
  int err_exp = -4;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      fputs(usage, stdout);
      return 0;
    } else if (!strcmp(a, "--target") && v) {
      target = argv[++i];
    } else if (!strcmp(a, "--report") && v) {
      report = argv[++i];
    } else if (!strcmp(a, "--targets") && v) {
      dir = argv[++i];
    } else if (!strcmp(a, "--simulate")) {
      sim = true;
    } else if (!strcmp(a, "--no-sleep")) {
      no_sleep = true;
    } else if (!strcmp(a, "--samples") && v) {
      samples = bg_cli_u32(a, argv[++i]);
    } else if (!strcmp(a, "--seed") && v) {
      seed = bg_cli_u32(a, argv[++i]);
    } else if (!strcmp(a, "--semantics") && v) {
      semantics = argv[++i];
    } else if (!strcmp(a, "--test-samples") && v) {
      test_samples = bg_cli_u32(a, argv[++i]);
      have_test = l1_opt = true;
    } else if (!strcmp(a, "--t-epoch") && v) {
      t_epoch = bg_cli_u32(a, argv[++i]);
      l1_opt = true;
    } else if (!strcmp(a, "--surrogate") && v) {
      surrogate = argv[++i];
      l1_opt = true;
    } else if (!strcmp(a, "--err-exp") && v) {
      char *end;
      long e = strtol(argv[++i], &end, 10);
      if (*argv[i] == '\0' || *end != '\0' || e < -12 || e > 0) {
        fprintf(stderr, "error: --err-exp: expected an integer in -12 … 0, found \"%s\"\n", argv[i]);
        return 2;
      }
      err_exp = (int)e;
      l1_opt = true;
    } else if (!strcmp(a, "--data") && v) {
      data = argv[++i];
    } else if (!strcmp(a, "--data-dir") && v) {
      data_dir = argv[++i];
    } else if (a[0] != '-' && netpath == NULL) {
      netpath = a;
    } else {
      fprintf(stderr, "error: unexpected argument \"%s\"\n%s", a, usage);
      return 2;
    }
  }
  if (target == NULL || netpath == NULL) {
    fprintf(stderr, "error: --target and NET are required\n%s", usage);
    return 2;
  }
  const bool loihi1 = !strcmp(semantics, "loihi1");
  if (!loihi1 && strcmp(semantics, "golden") != 0) {
    fprintf(stderr, "error: --semantics: expected golden or loihi1, found \"%s\"\n", semantics);
    return 2;
  }
  if (strcmp(surrogate, "spike") != 0 && strcmp(surrogate, "window") != 0) {
    fprintf(stderr, "error: --surrogate: expected spike or window, found \"%s\"\n", surrogate);
    return 2;
  }
  if (l1_opt && !loihi1) {
    fprintf(stderr, "error: --test-samples, --t-epoch, --surrogate and --err-exp need "
            "--semantics loihi1\n");
    return 2;
  }
  if (loihi1 && !sim) {
    fprintf(stderr, "error: --semantics loihi1 needs --simulate\n");
    return 2;
  }
  char tpath[512];
  if (strchr(target, '/') || strstr(target, ".json")) {
    snprintf(tpath, sizeof tpath, "%s", target);
  } else {
    snprintf(tpath, sizeof tpath, "%s/%s.json", dir, target);
  }
  static bg_net_t net;
  static bg_target_t t;
  bg_err_t err;
  if (bg_cli_load_net(netpath, NULL, &net, &err) != BG_OK || bg_target_load(tpath, &t, &err) != BG_OK) {
    fprintf(stderr, "error: %s\n", err.msg);
    return 1;
  }
  if (no_sleep && net.sleep.enabled) {
    net.sleep.enabled = false;
    char *dump = bg_net_dump(&net);
    int prc = dump ? bg_net_parse(dump, strlen(dump), netpath, &net, &err) : BG_E_NOMEM;
    free(dump);
    if (prc != BG_OK) {
      fprintf(stderr, "error: %s\n", err.msg);
      return 1;
    }
  }
  bg_map_t m;
  if (bg_map_compile(&net, &t, &m, &err) != BG_OK) {
    fprintf(stderr, "error: %s\n", err.msg);
    return 1;
  }
  bg_map_print(&m, stdout);
  int rc = m.fits ? 0 : 3;
  if (rc == 0 && sim && loihi1) {
    const bg_l1_opts_t o = {.t_epoch = t_epoch,
                            .surrogate = strcmp(surrogate, "window") ? BG_L1_SURR_SPIKE : BG_L1_SURR_WINDOW,
                            .err_exp = err_exp,
                            .seed = seed};
    rc = simulate_loihi1(&m, &net, samples ? samples : 1, have_test ? test_samples : samples, data,
                         data_dir, &o);
  } else if (rc == 0 && sim) {
    rc = simulate(&m, &net, samples ? samples : 1, data, data_dir, seed);
  }
  if (report && bg_map_write_json(&m, report, &err) != BG_OK) {
    fprintf(stderr, "error: %s\n", err.msg);
    rc = 1;
  }
  bg_map_free(&m);
  return rc;
}
