/* SPDX-License-Identifier: Apache-2.0 */
/* What the HLS C-simulation testbenches share: arguments, the description (checked against the
 * generated header), the golden model and its initial weights in the kernels' layout, samples,
 * and the spike-raster comparison. Test code, included by tb_hls_*.c only. */
#ifndef TB_COMMON_H
#define TB_COMMON_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "bg_cli_net.h"
#include "bg_hls_cfg.h"
#include "bg_model.h"
#include "bg_samples.h"

#define TB_FB_DEPTH (BG_HLS_FB_WORDS > 0 ? BG_HLS_FB_WORDS : 1)

typedef struct {
  bg_net_t net;
  bg_model_t m;
  uint32_t samples;
  int mnist;
  bg_samples_t ds;
  bg_rng_t data_rng;
  uint8_t px[BG_HLS_INPUT_SIZE];
} tb_t;

static const int32_t kTbWBase[BG_HLS_MAX_LAYERS] = BG_HLS_W_BASE_TAB;
static const int32_t kTbNBase[BG_HLS_MAX_LAYERS] = BG_HLS_N_BASE_TAB;
static const int32_t kTbRBase[BG_HLS_MAX_LAYERS] = BG_HLS_R_BASE_TAB;
static const int32_t kTbFbBase[BG_HLS_MAX_LAYERS] = BG_HLS_FB_BASE_TAB;

/* argv: NET SAMPLES [random|mnist] [DATA_DIR]. 0 on success, else the exit status. */
static int tb_setup(int argc, char **argv, const char *name, tb_t *tb) {
  if (argc < 3) {
    fprintf(stderr, "usage: %s NET SAMPLES [random|mnist] [DATA_DIR]\n", name);
    return 2;
  }
  const char *data = argc > 3 ? argv[3] : "random", *data_dir = argc > 4 ? argv[4] : "data";
  bg_err_t err;
  tb->samples = bg_cli_u32("SAMPLES", argv[2]);
  if (bg_cli_load_net(argv[1], NULL, &tb->net, &err) != BG_OK) {
    fprintf(stderr, "error: %s\n", err.msg);
    return 2;
  }
  if (tb->net.q.hash != BG_HLS_NET_HASH) {
    fprintf(stderr, "error: %s has hash 0x%08x; this testbench was built for 0x%08x\n", argv[1],
            tb->net.q.hash, BG_HLS_NET_HASH);
    return 2;
  }
  if (bg_model_init(&tb->m, &tb->net, &err) != BG_OK) {
    fprintf(stderr, "error: %s\n", err.msg);
    return 2;
  }
  tb->mnist = strcmp(data, "random") != 0;
  if (tb->mnist && bg_samples_open(data, data_dir, BG_HLS_INPUT_SIZE, BG_HLS_STEPS, 0, &tb->ds,
                                   &err) != BG_OK) {
    fprintf(stderr, "error: %s\n", err.msg);
    return 2;
  }
  bg_rng_seed(&tb->data_rng, 1);
  return 0;
}

/* The golden model's weights, biases and (if fb) feedback in the kernels' memory layout. */
static void tb_export_weights(const bg_model_t *m, int32_t *w, int32_t *b, int32_t *fb) {
  const int L = m->n_layers - 1;
  for (int l = 1; l <= L; l++) {
    const bg_model_layer_t *ly = &m->layer[l];
    for (uint32_t q = 0; q < ly->fan_in * ly->n; q++) w[kTbWBase[l] + (int32_t)q] = ly->w[q];
    for (uint32_t i = 0; i < ly->n; i++) b[kTbNBase[l] + (int32_t)i] = ly->b[i];
    if (fb != NULL && l < L) {
      for (uint32_t q = 0; q < ly->n * m->layer[L].n; q++) fb[kTbFbBase[l] + (int32_t)q] = ly->fb[q];
    }
  }
}

/* Sample s: an image of the split (MNIST) or random pixels and label. NULL on a read error. */
static const uint8_t *tb_sample(tb_t *tb, uint32_t s, int split, int *label) {
  if (tb->mnist) {
    const uint8_t *in;
    bg_err_t err;
    if (bg_samples_get(&tb->ds, split, s % bg_samples_count(&tb->ds, split), &in, label, &err) != BG_OK) {
      fprintf(stderr, "error: %s\n", err.msg);
      return NULL;
    }
    *label %= BG_HLS_OUTPUT_SIZE;
    return in;
  }
  for (uint32_t j = 0; j < BG_HLS_INPUT_SIZE; j++) tb->px[j] = (uint8_t)(bg_rng_next(&tb->data_rng) >> 24);
  *label = (int)(bg_rng_next(&tb->data_rng) % BG_HLS_OUTPUT_SIZE);
  return tb->px;
}

/* Every spike of every neuron at every step against the golden records; 1 on a mismatch. */
static int tb_compare_raster(const bg_model_t *m, const uint64_t *raster, uint32_t s,
                             uint64_t *values) {
  for (int l = 0; l < m->n_layers; l++) {
    const bg_model_layer_t *ly = &m->layer[l];
    for (uint32_t t = 0; t < m->T; t++) {
      for (uint32_t i = 0; i < ly->n; i++, (*values)++) {
        uint32_t g = (uint32_t)((raster[kTbRBase[l] + (int32_t)i] >> t) & 1u);
        if (g != ly->raster[(size_t)t * ly->n + i]) {
          printf("hls: FIRST DIVERGENCE at sample %u, step %u, layer %d, neuron %u, field spike: "
                 "expected %u, got %u\n", s, t, l, i, ly->raster[(size_t)t * ly->n + i], g);
          return 1;
        }
      }
    }
  }
  return 0;
}

static void tb_finish(tb_t *tb, uint32_t samples, uint64_t values, uint64_t mismatches) {
  if (tb->mnist) bg_samples_close(&tb->ds);
  bg_model_free(&tb->m);
  printf("hls: %u samples, %" PRIu64 " values compared, %" PRIu64 " mismatches\n", samples, values,
         mismatches);
}

#endif /* TB_COMMON_H */
