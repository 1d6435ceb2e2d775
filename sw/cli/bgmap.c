/* SPDX-License-Identifier: Apache-2.0 */
/* bgmap: compile a network description onto a Loihi-style target (docs/mapping.md). */
#include <stdio.h>
#include <string.h>

#include "bg_cli_net.h"
#include "bg_map.h"
#include "bg_psim.h"
#include "bg_samples.h"

static const char usage[] =
    "usage: bgmap --target T NET [--report FILE.json] [--targets DIR]\n"
    "       bgmap --target T NET --simulate [--samples N] [--data mnist|random] [--seed S]\n"
    "             [--no-sleep] [--data-dir D]\n"
    "Places NET's compartments and synapses onto the cores of target T (a name from DIR, default\n"
    "sw/mapping/targets: loihi1, loihi2, fpga; or a path to a target JSON file), prints the\n"
    "per-core utilisation table, and writes the mapping as JSON with --report. A network that\n"
    "does not fit gets the limit, by how much, and the smallest change that would fit.\n"
    "--simulate runs the partitioned simulator (golden semantics, core by core, spikes through\n"
    "the routes) beside the golden model on N training samples (default 20) and N inferences,\n"
    "comparing every weight, bias, feedback weight, dendrite and spike count after each sample\n"
    "(sleep calls included, on the description's schedule); --no-sleep disables sleep in both.\n"
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

int main(int argc, char **argv) {
  const char *target = NULL, *netpath = NULL, *report = NULL, *dir = "sw/mapping/targets";
  const char *data = "random", *data_dir = "data";
  bool sim = false, no_sleep = false;
  uint32_t samples = 20, seed = 1;
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
  if (rc == 0 && sim) rc = simulate(&m, &net, samples ? samples : 1, data, data_dir, seed);
  if (report && bg_map_write_json(&m, report, &err) != BG_OK) {
    fprintf(stderr, "error: %s\n", err.msg);
    rc = 1;
  }
  bg_map_free(&m);
  return rc;
}
