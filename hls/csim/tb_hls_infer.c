/* SPDX-License-Identifier: Apache-2.0 */
/* C-simulation testbench: the HLS inference kernel (hls/bg_hls_infer.c) beside the golden model
 * on the same description, weights, samples and evaluation stream; every spike of every neuron
 * at every step, the output counts, the prediction and the stream state must agree.
 * Built per description (the kernel's sizes are compile-time): tests/test_hls.sh. */
#include "bg_hls_infer.h"
#include "tb_common.h"

static tb_t tb;
static int32_t g_w[BG_HLS_W_WORDS], g_b[BG_HLS_N_WORDS];
static uint64_t g_raster[BG_HLS_R_WORDS];

int main(int argc, char **argv) {
  int rc = tb_setup(argc, argv, "tb_hls_infer", &tb);
  if (rc != 0) return rc;
  bg_model_t *m = &tb.m;
  tb_export_weights(m, g_w, g_b, NULL);
  bg_rng_t golden_rng;
  bg_rng_seed(&golden_rng, tb.net.q.stream_seed[BG_STREAM_EVAL]);
  uint32_t kernel_rng = golden_rng.state;
  static uint16_t counts[BG_HLS_OUTPUT_SIZE];
  uint64_t values = 0, mismatches = 0;
  uint32_t s;
  for (s = 0; s < tb.samples && mismatches == 0; s++) {
    int label;
    const uint8_t *in = tb_sample(&tb, s, BG_SPLIT_TEST, &label);
    if (in == NULL) return 2;
    int want = bg_model_infer(m, in, &golden_rng);
    uint32_t got = bg_hls_infer(in, g_w, g_b, &kernel_rng, g_raster, counts);
    mismatches += (uint64_t)tb_compare_raster(m, g_raster, s, &values);
    const bg_model_layer_t *out = &m->layer[m->n_layers - 1];
    for (uint32_t k = 0; k < out->n && mismatches == 0; k++, values++) {
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
  tb_finish(&tb, s, values, mismatches);
  return mismatches ? 1 : 0;
}
