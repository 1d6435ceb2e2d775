/* SPDX-License-Identifier: Apache-2.0 */
/* C-simulation testbench: the HLS training kernel (hls/bg_hls_train.c) beside the golden model's
 * BG(model_train) on the same description, initial weights, samples and streams; after every
 * sample every weight, bias and feedback weight, the prediction, the four stream states and the
 * sleep schedule must agree. Built per description: tests/test_hls.sh. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bg_cli_net.h"
#include "bg_hls_train.h"
#include "bg_model.h"
#include "bg_samples.h"

static int32_t g_w[BG_HLS_W_WORDS], g_b[BG_HLS_N_WORDS], g_fb[BG_HLS_FB_DEPTH];
static uint64_t g_raster[BG_HLS_R_WORDS];

int main(int argc, char **argv) {
  if (argc < 3) {
    fprintf(stderr, "usage: tb_hls_train NET SAMPLES [random|mnist] [DATA_DIR]\n");
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
  static const int32_t fbbase[BG_HLS_MAX_LAYERS] = BG_HLS_FB_BASE_TAB;
  const int L = m.n_layers - 1;
  for (int l = 1; l <= L; l++) {
    const bg_model_layer_t *ly = &m.layer[l];
    for (uint32_t q = 0; q < ly->fan_in * ly->n; q++) g_w[wbase[l] + (int32_t)q] = ly->w[q];
    for (uint32_t i = 0; i < ly->n; i++) g_b[nbase[l] + (int32_t)i] = ly->b[i];
    if (l < L) {
      for (uint32_t q = 0; q < ly->n * m.layer[L].n; q++) g_fb[fbbase[l] + (int32_t)q] = ly->fb[q];
    }
  }
  uint32_t rng[BG_HLS_RNG_COUNT] = {m.rng[BG_STREAM_INPUT].state, m.rng[BG_STREAM_SLEEP_RATE].state,
                                    m.rng[BG_STREAM_SLEEP_NOISE].state, m.rng[BG_STREAM_ROUND].state};
  static const int streams[BG_HLS_RNG_COUNT] = {BG_STREAM_INPUT, BG_STREAM_SLEEP_RATE,
                                                BG_STREAM_SLEEP_NOISE, BG_STREAM_ROUND};
  uint32_t since_sleep = 0;
  bg_samples_t ds;
  int mnist = strcmp(data, "random") != 0;
  if (mnist && bg_samples_open(data, data_dir, BG_HLS_INPUT_SIZE, BG_HLS_STEPS, 0, &ds, &err) != BG_OK) {
    fprintf(stderr, "error: %s\n", err.msg);
    return 2;
  }
  bg_rng_t data_rng;
  bg_rng_seed(&data_rng, 1);
  static uint8_t px[BG_HLS_INPUT_SIZE];
  uint64_t values = 0, mismatches = 0;
  uint32_t s;
  for (s = 0; s < samples && mismatches == 0; s++) {
    const uint8_t *in = px;
    int label;
    if (mnist) {
      if (bg_samples_get(&ds, BG_SPLIT_TRAIN, s % bg_samples_count(&ds, BG_SPLIT_TRAIN), &in,
                         &label, &err) != BG_OK) {
        fprintf(stderr, "error: %s\n", err.msg);
        return 2;
      }
      label %= BG_HLS_OUTPUT_SIZE;
    } else {
      for (uint32_t j = 0; j < BG_HLS_INPUT_SIZE; j++) px[j] = (uint8_t)(bg_rng_next(&data_rng) >> 24);
      label = (int)(bg_rng_next(&data_rng) % BG_HLS_OUTPUT_SIZE);
    }
    /* the golden side step by step, so its spike records are read before a sleep call reuses
     * them: the rule's sample, the prediction, then the update and the sleep schedule */
    if (m.rule->train_sample(&m, in, label) < 0) return 2;
    int want = bg_model_prediction(&m);
    uint32_t got = bg_hls_train(in, (uint32_t)label, g_w, g_b, g_fb, rng, m.eta_m, m.eta_sh,
                                &since_sleep, g_raster);
    static const int32_t rbase[BG_HLS_MAX_LAYERS] = BG_HLS_R_BASE_TAB;
    for (int l = 0; l <= L && mismatches == 0; l++) {
      const bg_model_layer_t *ly = &m.layer[l];
      for (uint32_t t = 0; t < m.T && mismatches == 0; t++) {
        for (uint32_t i = 0; i < ly->n; i++, values++) {
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
    bg_model_after_sample(&m);
    for (int l = 1; l <= L && mismatches == 0; l++) {
      const bg_model_layer_t *ly = &m.layer[l];
      for (uint32_t q = 0; q < ly->fan_in * ly->n && mismatches == 0; q++, values++) {
        if (g_w[wbase[l] + (int32_t)q] != ly->w[q]) {
          mismatches++;
          printf("hls: FIRST DIVERGENCE at sample %u, layer %d, synapse %u -> %u, field W: expected "
                 "%d, got %d\n", s, l, q / ly->n, q % ly->n, ly->w[q], g_w[wbase[l] + (int32_t)q]);
        }
      }
      for (uint32_t i = 0; i < ly->n && mismatches == 0; i++, values++) {
        if (g_b[nbase[l] + (int32_t)i] != ly->b[i]) {
          mismatches++;
          printf("hls: FIRST DIVERGENCE at sample %u, layer %d, neuron %u, field b: expected %d, got "
                 "%d\n", s, l, i, ly->b[i], g_b[nbase[l] + (int32_t)i]);
        }
      }
      if (l == L) continue;
      for (uint32_t q = 0; q < ly->n * m.layer[L].n && mismatches == 0; q++, values++) {
        if (g_fb[fbbase[l] + (int32_t)q] != ly->fb[q]) {
          mismatches++;
          printf("hls: FIRST DIVERGENCE at sample %u, layer %d, index %u, field B: expected %d, got "
                 "%d\n", s, l, q, ly->fb[q], g_fb[fbbase[l] + (int32_t)q]);
        }
      }
    }
    for (int r = 0; r < BG_HLS_RNG_COUNT && mismatches == 0; r++, values++) {
      if (rng[r] != m.rng[streams[r]].state) {
        mismatches++;
        printf("hls: FIRST DIVERGENCE at sample %u, stream %d: expected 0x%08x, got 0x%08x\n", s,
               streams[r], m.rng[streams[r]].state, rng[r]);
      }
    }
    values += 2;
    if (mismatches == 0 && (got != (uint32_t)want ||
                            since_sleep != (uint32_t)(m.train_samples % net.sleep.period))) {
      mismatches++;
      printf("hls: FIRST DIVERGENCE at sample %u: prediction %d/%u, samples since sleep %u/%u "
             "(expected/got)\n", s, want, got, (uint32_t)(m.train_samples % net.sleep.period),
             since_sleep);
    }
  }
  if (mnist) bg_samples_close(&ds);
  bg_model_free(&m);
  printf("hls: %u samples, %" PRIu64 " values compared, %" PRIu64 " mismatches\n", s, values,
         mismatches);
  return mismatches ? 1 : 0;
}
