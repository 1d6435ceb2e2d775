/* SPDX-License-Identifier: Apache-2.0 */
/* C-simulation testbench: the HLS training kernel (hls/bg_hls_train.c) beside the golden model
 * on the same description, initial weights, samples and streams: every spike of the sample, then
 * after the update and any sleep call every weight, bias and feedback weight, the prediction,
 * the four stream states and the sleep schedule must agree. Built per description. */
#include "bg_hls_train.h"
#include "tb_common.h"

static tb_t tb;
static int32_t g_w[BG_HLS_W_WORDS], g_b[BG_HLS_N_WORDS], g_fb[TB_FB_DEPTH];
static uint64_t g_raster[BG_HLS_R_WORDS];

/* Compare n words of a kernel array with the golden model's; 1 on a mismatch. */
static int same(const int32_t *got, const int32_t *want, uint32_t n, uint32_t s, int l,
                const char *field, uint64_t *values) {
  for (uint32_t q = 0; q < n; q++, (*values)++) {
    if (got[q] != want[q]) {
      printf("hls: FIRST DIVERGENCE at sample %u, layer %d, index %u, field %s: expected %d, got "
             "%d\n", s, l, q, field, want[q], got[q]);
      return 1;
    }
  }
  return 0;
}

int main(int argc, char **argv) {
  int rc = tb_setup(argc, argv, "tb_hls_train", &tb);
  if (rc != 0) return rc;
  bg_model_t *m = &tb.m;
  const int L = m->n_layers - 1;
  tb_export_weights(m, g_w, g_b, g_fb);
  static const int streams[BG_HLS_RNG_COUNT] = {BG_STREAM_INPUT, BG_STREAM_SLEEP_RATE,
                                                BG_STREAM_SLEEP_NOISE, BG_STREAM_ROUND};
  uint32_t rng[BG_HLS_RNG_COUNT];
  for (int r = 0; r < BG_HLS_RNG_COUNT; r++) rng[r] = m->rng[streams[r]].state;
  uint32_t since_sleep = 0;
  uint64_t values = 0, mismatches = 0;
  uint32_t s;
  for (s = 0; s < tb.samples && mismatches == 0; s++) {
    int label;
    const uint8_t *in = tb_sample(&tb, s, BG_SPLIT_TRAIN, &label);
    if (in == NULL) return 2;
    /* the golden side step by step, so its spike records are read before a sleep call reuses
     * them: the rule's sample, the prediction, then the update and the sleep schedule */
    if (m->rule->train_sample(m, in, label) < 0) return 2;
    int want = bg_model_prediction(m);
    uint32_t got = bg_hls_train(in, (uint32_t)label, g_w, g_b, g_fb, rng, m->eta_m, m->eta_sh,
                                &since_sleep, g_raster);
    mismatches += (uint64_t)tb_compare_raster(m, g_raster, s, &values);
    bg_model_after_sample(m);
    for (int l = 1; l <= L && mismatches == 0; l++) {
      const bg_model_layer_t *ly = &m->layer[l];
      mismatches += (uint64_t)same(g_w + kTbWBase[l], ly->w, ly->fan_in * ly->n, s, l, "W", &values);
      if (mismatches == 0) mismatches += (uint64_t)same(g_b + kTbNBase[l], ly->b, ly->n, s, l, "b", &values);
      if (mismatches == 0 && l < L) {
        mismatches += (uint64_t)same(g_fb + kTbFbBase[l], ly->fb, ly->n * m->layer[L].n, s, l, "B",
                                     &values);
      }
    }
    for (int r = 0; r < BG_HLS_RNG_COUNT && mismatches == 0; r++, values++) {
      if (rng[r] != m->rng[streams[r]].state) {
        mismatches++;
        printf("hls: FIRST DIVERGENCE at sample %u, stream %d: expected 0x%08x, got 0x%08x\n", s,
               streams[r], m->rng[streams[r]].state, rng[r]);
      }
    }
    values += 2;
    uint32_t want_since = (uint32_t)(m->train_samples % tb.net.sleep.period);
    if (mismatches == 0 && (got != (uint32_t)want || since_sleep != want_since)) {
      mismatches++;
      printf("hls: FIRST DIVERGENCE at sample %u: prediction %d/%u, samples since sleep %u/%u "
             "(expected/got)\n", s, want, got, want_since, since_sleep);
    }
  }
  tb_finish(&tb, s, values, mismatches);
  return mismatches ? 1 : 0;
}
