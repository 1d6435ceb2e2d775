/* SPDX-License-Identifier: Apache-2.0 */
/* Network description: shipped nets load, defaults, derived constants, canonical dump. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bg_net.h"
#include "bg_test.h"

static const char *const kNets[] = {"nets/tiny.json", "nets/small.json", "nets/mnist-fpga.json",
                                    "nets/mnist-full.json"};

static int parse(const char *json, bg_net_t *net, bg_err_t *err) {
  return bg_net_parse(json, strlen(json), "test.json", net, err);
}

static int t_shipped_nets_load(void) {
  static bg_net_t net;
  bg_err_t err;
  for (size_t i = 0; i < sizeof kNets / sizeof kNets[0]; i++) {
    BG_CHECK(bg_net_load(kNets[i], &net, &err) == BG_OK, "%s: %s", kNets[i], err.msg);
  }
  BG_CHECK(bg_net_load("nets/mnist-fpga.json", &net, &err) == BG_OK, "%s", err.msg);
  BG_CHECK(net.n_layers == 3 && net.layers[0].size == 784 && net.layers[1].size == 100 &&
               net.layers[2].size == 10, "mnist-fpga is not 784-100-10");
  BG_CHECK(net.layers[1].weight.bits == 8 && net.layers[2].weight.bits == 8,
           "mnist-fpga weights are not 8-bit");
  BG_CHECK(bg_net_load("nets/mnist-full.json", &net, &err) == BG_OK, "%s", err.msg);
  BG_CHECK(net.n_layers == 4 && net.layers[1].size == 500 && net.layers[2].size == 100 &&
               net.time.steps == 20, "mnist-full is not 784-500-100-10 with T = 20");
  return 0;
}

static const char *kMinimal =
    "{\"format\": \"biograd-net/1\", \"name\": \"m\", \"layers\": [{\"size\": 6}, {\"size\": 4}, "
    "{\"size\": 3}]}";

static int t_defaults_are_explicit(void) {
  static bg_net_t net;
  bg_err_t err;
  BG_CHECK(parse(kMinimal, &net, &err) == BG_OK, "%s", err.msg);
  BG_CHECK(strcmp(net.layers[0].name, "input") == 0 && strcmp(net.layers[1].name, "hidden1") == 0 &&
               strcmp(net.layers[2].name, "output") == 0, "default layer names");
  const bg_neuron_t *n = &net.layers[1].neuron;
  BG_CHECK(n->threshold == 0.3 && n->decay == 0.3 && n->window == 0.3 && n->amplitude == 1.0 &&
               n->reset == BG_RESET_HARD && n->refractory == 0, "neuron defaults");
  BG_CHECK(net.time.steps == 20 && net.time.error_start == 5, "time defaults");
  BG_CHECK(net.layers[1].weight.bits == 32 && net.layers[1].weight.frac == 24, "weight default");
  BG_CHECK(net.fx.potential.bits == 32 && net.fx.potential.frac == 16, "potential default");
  BG_CHECK(net.fx.dendrite.bits == 64 && net.fx.dendrite.frac == 24, "dendrite default");
  BG_CHECK(net.learning.rate == 1e-3 && net.learning.batch == 1 && net.learning.bias &&
               net.learning.mode == BG_LEARN_TRACE && net.learning.rounding == BG_ROUND_NEAREST,
           "learning defaults");
  BG_CHECK(net.sleep.enabled && net.sleep.period == 128 && net.sleep.steps == 50 &&
               net.sleep.samples == 128 && net.sleep.noise_rate < 0.0, "sleep defaults");
  BG_CHECK(net.seed == 1 && net.input.encoding == BG_ENC_RATE && net.input.shape[2] == 6,
           "seed/input defaults");
  return 0;
}

static int t_layer_overrides_global_neuron(void) {
  static bg_net_t net;
  bg_err_t err;
  const char *j =
      "{\"format\": \"biograd-net/1\", \"name\": \"o\", \"neuron\": {\"threshold\": 0.5, "
      "\"decay_shift\": 2}, \"layers\": [{\"size\": 4}, {\"size\": 4, \"neuron\": {\"decay\": "
      "0.25}}, {\"size\": 2}]}";
  BG_CHECK(parse(j, &net, &err) == BG_OK, "%s", err.msg);
  BG_CHECK(net.layers[1].neuron.threshold == 0.5 && net.layers[2].neuron.threshold == 0.5,
           "global threshold not inherited");
  BG_CHECK(net.layers[1].neuron.decay_shift == 0 && net.layers[1].q.decay == 16384,
           "layer decay 0.25 should give 16384, got %lld", (long long)net.layers[1].q.decay);
  /* decay_shift 2: alpha = 1 - 2^-2, exactly 65536 - 16384. */
  BG_CHECK(net.layers[2].neuron.decay_shift == 2 && net.layers[2].q.decay == 49152,
           "decay_shift 2 should give 49152, got %lld", (long long)net.layers[2].q.decay);
  return 0;
}

/* Reference values from ALGORITHM.md §2.13: the paper's MNIST configuration (784-500-100-10,
 * eta 1e-3, batch 128, seed 0), written out here because nets/mnist-full.json trains online. */
static const char *kPaperMnist =
    "{\"format\": \"biograd-net/1\", \"name\": \"paper\", \"seed\": 0, \"layers\": [{\"size\": "
    "784}, {\"size\": 500}, {\"size\": 100}, {\"size\": 10}], \"learning\": {\"rate\": 0.001, "
    "\"batch\": 128}}";

static int t_derived_constants_match_spec(void) {
  static bg_net_t net;
  bg_err_t err;
  BG_CHECK(parse(kPaperMnist, &net, &err) == BG_OK, "%s", err.msg);
  BG_CHECK(net.layers[1].q.decay == 19661 && net.layers[1].q.theta == 19661 &&
               net.layers[1].q.window == 19661, "alpha/theta/omega for 0.3 in Q16 must be 19661");
  BG_CHECK(net.layers[1].q.init_bound == 599186, "bnd(784) = %lld, spec 599186",
           (long long)net.layers[1].q.init_bound);
  BG_CHECK(net.layers[2].q.init_bound == 750300, "bnd(500) = %lld, spec 750300",
           (long long)net.layers[2].q.init_bound);
  BG_CHECK(net.layers[3].q.init_bound == 1677722, "bnd(100) = %lld, spec 1677722",
           (long long)net.layers[3].q.init_bound);
  BG_CHECK(net.q.eta_m == 17896 && net.q.eta_sh == 35, "MNIST eta' = %u*2^-%u, spec 17896*2^-35",
           net.q.eta_m, net.q.eta_sh);
  BG_CHECK(net.q.sleep_eta_m == 17896 && net.q.sleep_eta_sh == 29, "sleep eta %u*2^-%u",
           net.q.sleep_eta_m, net.q.sleep_eta_sh);
  static const int64_t lut[] = {65536, 24109, 8869, 3263, 1200, 442, 162, 60, 22, 8, 3, 1, 0};
  BG_CHECK(net.q.lut_len == 13, "LUT length %u, spec 13", net.q.lut_len);
  for (int i = 0; i < 13; i++) {
    BG_CHECK(net.q.lut[i] == lut[i], "LUT[%d] = %lld, spec %lld", i, (long long)net.q.lut[i],
             (long long)lut[i]);
  }
  BG_CHECK(net.q.sleep_k_shift == 7 && net.q.error_steps == 15, "K shift / F");
  /* seed 0: stream s starts at s * 0x9E3779B9, stream 0 replaced by 1. */
  BG_CHECK(net.seed == 0 && net.q.stream_seed[0] == 1u && net.q.stream_seed[1] == 0x9E3779B9u &&
               net.q.stream_seed[2] == 0x3C6EF372u, "stream seeds");
  BG_CHECK(net.q.error_threshold == 65536, "error threshold 1.0 in Q16");
  return 0;
}

static int t_dump_round_trips(void) {
  static bg_net_t a, b;
  bg_err_t err;
  for (size_t i = 0; i < sizeof kNets / sizeof kNets[0]; i++) {
    BG_CHECK(bg_net_load(kNets[i], &a, &err) == BG_OK, "%s", err.msg);
    char *d1 = bg_net_dump(&a);
    BG_CHECK(d1 != NULL, "dump failed");
    int rc = bg_net_parse(d1, strlen(d1), "dump", &b, &err);
    char *d2 = rc == BG_OK ? bg_net_dump(&b) : NULL;
    int same = d2 != NULL && strcmp(d1, d2) == 0;
    /* Every derived constant, through the table the generators use (no memcmp: padding). */
    static bg_net_const_t ca[512], cb[512];
    int na = bg_net_constants(&a, ca, 512), nb = rc == BG_OK ? bg_net_constants(&b, cb, 512) : -1;
    int same_q = na == nb && na <= 512;
    for (int k = 0; same_q && k < na; k++) {
      same_q = strcmp(ca[k].name, cb[k].name) == 0 && ca[k].value == cb[k].value;
    }
    free(d1);
    free(d2);
    BG_CHECK(rc == BG_OK, "%s: dump does not parse: %s", kNets[i], err.msg);
    BG_CHECK(same, "%s: dump(load(dump)) differs from dump", kNets[i]);
    BG_CHECK(same_q, "%s: derived constants differ after a round trip", kNets[i]);
  }
  return 0;
}

static int t_hash_tracks_content(void) {
  static bg_net_t a, b;
  bg_err_t err;
  BG_CHECK(parse(kMinimal, &a, &err) == BG_OK, "%s", err.msg);
  const char *j2 =
      "{\"format\": \"biograd-net/1\", \"name\": \"m\", \"seed\": 2, \"layers\": [{\"size\": 6}, "
      "{\"size\": 4}, {\"size\": 3}]}";
  BG_CHECK(parse(j2, &b, &err) == BG_OK, "%s", err.msg);
  BG_CHECK(a.q.hash != b.q.hash, "changing the seed must change the hash");
  const char *j3 =
      "{ \"layers\": [{\"size\": 6}, {\"size\": 4}, {\"size\": 3}],\n\"name\": \"m\", "
      "\"format\": \"biograd-net/1\", \"seed\": 1}";
  BG_CHECK(parse(j3, &b, &err) == BG_OK, "%s", err.msg);
  BG_CHECK(a.q.hash == b.q.hash, "key order, spacing and explicit defaults must not change it");
  return 0;
}

static int t_constant_table_consistent(void) {
  static bg_net_t net;
  static bg_net_const_t c[512];
  bg_err_t err;
  BG_CHECK(bg_net_load("nets/mnist-fpga.json", &net, &err) == BG_OK, "%s", err.msg);
  int n = bg_net_constants(&net, c, 512);
  BG_CHECK(n > 50 && n <= 512, "constant count %d", n);
  int found = 0;
  for (int i = 0; i < n; i++) {
    for (int k = 0; k < i; k++) BG_CHECK(strcmp(c[i].name, c[k].name) != 0, "dup %s", c[i].name);
    if (strcmp(c[i].name, "L1_W_BITS") == 0) found += c[i].value == 8;
    if (strcmp(c[i].name, "L1_SYNAPSES") == 0) found += c[i].value == 78400;
    if (strcmp(c[i].name, "ERROR_STEPS") == 0) found += c[i].value == 15;
  }
  BG_CHECK(found == 3, "expected L1_W_BITS 8, L1_SYNAPSES 78400, ERROR_STEPS 15");
  BG_CHECK(bg_net_constants(&net, c, 3) == n, "a short table must report the size needed");
  return 0;
}

int main(void) {
  BG_RUN(t_shipped_nets_load);
  BG_RUN(t_defaults_are_explicit);
  BG_RUN(t_layer_overrides_global_neuron);
  BG_RUN(t_derived_constants_match_spec);
  BG_RUN(t_dump_round_trips);
  BG_RUN(t_hash_tracks_content);
  BG_RUN(t_constant_table_consistent);
  return bg_test_exit();
}
