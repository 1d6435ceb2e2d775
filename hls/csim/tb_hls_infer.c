/* SPDX-License-Identifier: Apache-2.0 */
/* C-simulation testbench: the HLS inference kernel (hls/bg_hls_infer.c) beside the golden model
 * on the same description, weights, samples and evaluation stream; every spike of every neuron
 * at every step, the output counts, the prediction and the stream state must agree.
 * Built per description (the kernel's sizes are compile-time): tests/test_hls.sh. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bg_cli_net.h"
#include "bg_hls_infer.h"
#include "bg_model.h"
#include "bg_samples.h"

static int32_t g_weights[BG_HLS_W_WORDS], g_biases[BG_HLS_N_WORDS];
static uint64_t g_raster[BG_HLS_R_WORDS];

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: tb_hls_infer NET SAMPLES [random|mnist] [DATA_DIR]\n");
    return 2;
  }
  const char *data = argc > 3 ? argv[3] : "random", *data_dir = argc > 4 ? argv[4] : "data";
  uint32_t samples = bg_cli_u32("SAMPLES", argv[2]);
  static bg_net_t net;
  bg_err_t err;
  if (bg_cli_load_net(argv[1], NULL, &net, &err) != BG_OK) {
    fprintf(stderr, "error: %s\n", err.msg);
    return 2;
  }
  if (net.q.hash != BG_HLS_NET_HASH) {
    fprintf(stderr, "error: %s has hash 0x%08x; this testbench was built for 0x%08x\n", argv[1],
            net.q.hash, BG_HLS_NET_HASH);
    return 2;
  }
  static bg_model_t m;
  if (bg_model_init(&m, &net, &err) != BG_OK) {
    fprintf(stderr, "error: %s\n", err.msg);
    return 2;
  }
  static const int32_t wbase[BG_HLS_MAX_LAYERS] = BG_HLS_W_BASE_TAB;
  static const int32_t nbase[BG_HLS_MAX_LAYERS] = BG_HLS_N_BASE_TAB;
  static const int32_t rbase[BG_HLS_MAX_LAYERS] = BG_HLS_R_BASE_TAB;
  for (int l = 1; l < m.n_layers; l++) {
    const bg_model_layer_t *ly = &m.layer[l];
    for (uint32_t q = 0; q < ly->fan_in * ly->n; q++) g_weights[wbase[l] + (int32_t)q] = ly->w[q];
    for (uint32_t i = 0; i < ly->n; i++) g_biases[nbase[l] + (int32_t)i] = ly->b[i];
  }
  bg_samples_t ds;
  int mnist = strcmp(data, "random") != 0;
  if (mnist && bg_samples_open(data, data_dir, BG_HLS_INPUT_SIZE, BG_HLS_STEPS, 0, &ds, &err) != BG_OK) {
    fprintf(stderr, "error: %s\n", err.msg);
    return 2;
  }
  bg_rng_t golden_rng, data_rng;
  bg_rng_seed(&golden_rng, net.q.stream_seed[BG_STREAM_EVAL]);
  bg_rng_seed(&data_rng, 1);
  uint32_t kernel_rng = golden_rng.state;
  static uint8_t px[BG_HLS_INPUT_SIZE];
  static uint16_t counts[BG_HLS_OUTPUT_SIZE];
  uint64_t values = 0, mismatches = 0;
  uint32_t s;
  for (s = 0; s < samples && mismatches == 0; s++) {
    const uint8_t *in = px;
    if (mnist) {
      int label;
      if (bg_samples_get(&ds, BG_SPLIT_TEST, s % bg_samples_count(&ds, BG_SPLIT_TEST), &in, &label,
                         &err) != BG_OK) {
        fprintf(stderr, "error: %s\n", err.msg);
        return 2;
      }
    } else {
      for (uint32_t j = 0; j < BG_HLS_INPUT_SIZE; j++) px[j] = (uint8_t)(bg_rng_next(&data_rng) >> 24);
    }
    int want = bg_model_infer(&m, in, &golden_rng);
    uint32_t got = bg_hls_infer(in, g_weights, g_biases, &kernel_rng, g_raster, counts);
    for (int l = 0; l < m.n_layers && mismatches == 0; l++) {
      const bg_model_layer_t *ly = &m.layer[l];
      for (uint32_t t = 0; t < m.T && mismatches == 0; t++) {
        for (uint32_t i = 0; i < ly->n; i++) {
          values++;
          uint32_t g = (uint32_t)((g_raster[rbase[l] + (int32_t)i] >> t) & 1u);
          if (g != ly->raster[(size_t)t * ly->n + i]) {
            mismatches++;
            printf("hls: FIRST DIVERGENCE at sample %u, step %u, layer %d, neuron %u, field spike: "
                   "expected %u, got %u\n", s, t, l, i, ly->raster[(size_t)t * ly->n + i], g);
            break;
          }
        }
      }
    }
    const bg_model_layer_t *out = &m.layer[m.n_layers - 1];
    for (uint32_t k = 0; k < out->n && mismatches == 0; k++) {
      values++;
      if (counts[k] != out->count[k]) {
        mismatches++;
        printf("hls: FIRST DIVERGENCE at sample %u, output %u, field count: expected %u, got %u\n",
               s, k, out->count[k], counts[k]);
      }
    }
    values += 2;
    if (mismatches == 0 && (got != (uint32_t)want || kernel_rng != golden_rng.state)) {
      mismatches++;
      printf("hls: FIRST DIVERGENCE at sample %u: prediction %d/%u, stream 0x%08x/0x%08x "
             "(expected/got)\n", s, want, got, golden_rng.state, kernel_rng);
    }
  }
  if (mnist) bg_samples_close(&ds);
  bg_model_free(&m);
  printf("hls: %u samples, %" PRIu64 " values compared, %" PRIu64 " mismatches\n", s, values,
         mismatches);
  return mismatches ? 1 : 0;
}
