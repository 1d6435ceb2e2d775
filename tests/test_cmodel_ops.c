/* SPDX-License-Identifier: Apache-2.0 */
/* Golden-model operations against hand-computed values: rounding and saturation helpers, the
 * xorshift32 stream, one neuron over three steps (soma, window, reset factor), its traces in
 * trace and replay mode, the error unit and one weight update. The numbers in the comments are
 * worked out in docs/cmodel.md's equations by hand. */
#include <stdio.h>
#include <string.h>

#include "bg_model.h"
#include "bg_test.h"

static int helpers(void) {
  BG_CHECK(bg_rnd(5, 1) == 3 && bg_rnd(-5, 1) == -2 && bg_rnd(-6, 2) == -1, "RND half up");
  BG_CHECK(bg_rnd(7, 0) == 7 && bg_rnd(3, -2) == 12, "RND with n <= 0");
  BG_CHECK(bg_rnd(-1, 1) == 0 && bg_rnd(-3, 1) == -1, "RND of -0.5 and -1.5 rounds up");
  uint64_t c = 0;
  BG_CHECK(bg_sat(200, 8, &c) == 127 && bg_sat(-200, 8, &c) == -128 && c == 2, "SAT clamps");
  BG_CHECK(bg_sat(-128, 8, &c) == -128 && c == 2, "SAT keeps in-range values uncounted");
  bg_rng_t r;
  bg_rng_seed(&r, 1);
  BG_CHECK(bg_rng_next(&r) == 270369u, "xorshift32(1) = 270369, got %u", r.state);
  bg_rng_seed(&r, 0);
  BG_CHECK(r.state == 1, "seed 0 becomes 1");
  /* nearest: 3·5 = 15, /4 = 3.75 -> 4; -15/4 = -3.75 -> -4 */
  uint64_t draws = 0, sat = 0;
  BG_CHECK(bg_scale_round(3, 5, 2, false, &r, &draws, &sat) == 4, "scale_round nearest");
  BG_CHECK(bg_scale_round(-3, 5, 2, false, &r, &draws, &sat) == -4, "scale_round nearest <0");
  /* stochastic: exact values draw nothing; 15/4 is 3 or 4 with mean 3.75 */
  BG_CHECK(bg_scale_round(4, 4, 2, true, &r, &draws, &sat) == 4 && draws == 0, "no draw if exact");
  double sum = 0;
  for (int k = 0; k < 40000; k++) {
    int64_t q = bg_scale_round(-3, 5, 2, true, &r, &draws, &sat);
    BG_CHECK(q == -4 || q == -3, "stochastic result %lld", (long long)q);
    sum += (double)q;
  }
  BG_CHECK(draws == 40000, "one draw per inexact rounding, got %llu", (unsigned long long)draws);
  BG_CHECK(sum / 40000 > -3.76 && sum / 40000 < -3.74, "unbiased: mean %.4f", sum / 40000);
  /* the first draw of a known state decides: u < r·2^(32-sh) */
  bg_rng_seed(&r, 1);      /* next word 270369 < 3·2^30: rounds up */
  BG_CHECK(bg_scale_round(3, 1, 2, true, &r, &draws, &sat) == 1, "u < r·2^30 rounds up");
  BG_CHECK(sat == 0, "no saturation");
  return 0;
}

/* 2 event inputs -> 1 output, α = 0.5, θ = ω = 0.3, A = 1, W = (0.25, 0.5), no bias. */
static const char one_neuron[] =
    "{\"format\": \"biograd-net/1\", \"name\": \"one\", \"seed\": 3,"
    " \"layers\": [{\"size\": 2}, {\"size\": 1}],"
    " \"neuron\": {\"decay\": 0.5},"
    " \"input\": {\"encoding\": \"event\", \"shape\": [2, 1, 1]},"
    " \"time\": {\"steps\": 3, \"error_start\": 0},"
    " \"fixed_point\": {\"weight\": {\"bits\": 32, \"frac\": 16}},"
    " \"learning\": {\"bias\": false, \"mode\": \"%s\"}, \"sleep\": {\"enabled\": false}}";

static int setup_one(bg_net_t *net, bg_model_t *m, const char *mode) {
  char text[1024];
  bg_err_t err;
  snprintf(text, sizeof text, one_neuron, mode);
  if (bg_net_parse(text, strlen(text), "one", net, &err) != BG_OK) {
    fprintf(stderr, "%s\n", err.msg);
    return 1;
  }
  if (bg_model_init(m, net, &err) != BG_OK) return 1;
  m->layer[1].w[0] = 16384;   /* 0.25 in Q16 */
  m->layer[1].w[1] = 32768;   /* 0.5 */
  return 0;
}

static const uint8_t frames[6] = {1, 0, 1, 1, 0, 0};   /* x0 = 1,1,0; x1 = 0,1,0 */

static int neuron_three_steps(void) {
  static bg_net_t net;
  bg_model_t m;
  BG_CHECK(setup_one(&net, &m, "trace") == 0, "setup");
  m.record = true;
  bg_state_reset(&m);
  const bg_model_layer_t *o = &m.layer[1];
  /* t0: I = 0.25 -> v = 16384, no spike, in window, m = 1 - v = 49152 */
  /* t1: v = RND(0.5·16384) + 0.75 = 8192 + 49152 = 57344 > θ: spike, out of window, m = 0 */
  /* t2: hard reset: v = 0; |0 - θ| = θ is not < ω: g = 0, m = 1 */
  const int64_t v[3] = {16384, 57344, 0}, mm[3] = {49152, 0, 65536};
  const uint8_t s[3] = {0, 1, 0}, g[3] = {1, 0, 0};
  for (uint32_t t = 0; t < 3; t++) {
    bg_input_encoder_step(&m, frames, t, NULL);
    bg_neuron_core_step(&m, 1, t);
    bg_trace_unit_step(&m, 1, t);
    BG_CHECK(o->v[0] == v[t], "t%u: v expected %lld, got %d", t, (long long)v[t], o->v[0]);
    BG_CHECK(o->raster[t] == s[t] && o->g_rec[t] == g[t] && o->m_rec[t] == mm[t],
             "t%u: s/g/m expected %u/%u/%lld, got %u/%u/%d", t, s[t], g[t], (long long)mm[t],
             o->raster[t], o->g_rec[t], o->m_rec[t]);
  }
  /* synapse 0: z = 1 -> e = 1 -> z = 0.75; z = 0.375 + 1, out of window, m = 0 -> 0. e = 1.0 */
  BG_CHECK(o->e[0] == 65536 && o->e[1] == 0, "trace e expected 65536/0, got %d/%d", o->e[0], o->e[1]);
  BG_CHECK(o->z[0] == 0 && o->z[1] == 0, "z cleared by the spike");
  /* replay gives the same eligibilities: K = (1, 0, 0) */
  bg_replay_unit_kernel(&m, 1);
  BG_CHECK(o->kern[0] == 65536 && o->kern[1] == 0 && o->kern[2] == 0, "kernel K = %d %d %d",
           o->kern[0], o->kern[1], o->kern[2]);
  bg_model_free(&m);
  return 0;
}

static int error_unit_and_update(void) {
  static bg_net_t net;
  bg_err_t err;
  const char *text =
      "{\"format\": \"biograd-net/1\", \"name\": \"two\", \"layers\": [{\"size\": 2}, {\"size\": 2}],"
      " \"input\": {\"encoding\": \"event\", \"shape\": [2, 1, 1]},"
      " \"time\": {\"steps\": 4, \"error_start\": 0},"
      " \"fixed_point\": {\"weight\": {\"bits\": 32, \"frac\": 16}},"
      " \"learning\": {\"rate\": 0.25, \"bias\": false}, \"sleep\": {\"enabled\": false}}";
  BG_CHECK(bg_net_parse(text, strlen(text), "two", &net, &err) == BG_OK, "%s", err.msg);
  bg_model_t m;
  BG_CHECK(bg_model_init(&m, &net, &err) == BG_OK, "%s", err.msg);
  bg_state_reset(&m);
  bg_model_layer_t *o = &m.layer[1];
  o->count[0] = 2;
  o->count[1] = 0;
  /* E = (65536, LUT[2] = 8869), p0 = floor(65536·65536 / 74405) = 57724, p1 = 7811;
   * label 1: ε = (57724, -57725). u+0: 57724, 115448 (spike), 107636 (spike);
   * u-1: 57725, 115450 (spike), 107639 (spike). D = (+2, -2) in Q24. */
  for (int k = 0; k < 3; k++) bg_error_unit_step(&m, 1);
  BG_CHECK(m.err.eps[0] == 57724 && m.err.eps[1] == -57725, "ε = %lld %lld",
           (long long)m.err.eps[0], (long long)m.err.eps[1]);
  BG_CHECK(m.err.up[0] == 107636 && m.err.um[1] == 107639, "u = %d %d", m.err.up[0], m.err.um[1]);
  BG_CHECK(o->d[0] == 2 * (INT64_C(1) << 24) && o->d[1] == -2 * (INT64_C(1) << 24),
           "D = %lld %lld", (long long)o->d[0], (long long)o->d[1]);
  /* update: δ0 = 2, e(j=0, i=0) = 1: acc = RND(2^41, 24 + 16 - 32) = 2^33;
   * η' = 0.25 / F(4) = 2^-4 = 16384·2^-18; Δ = RND(2^33·2^14, 18 + 32 - 16) = 8192 = 0.125 */
  BG_CHECK(net.q.eta_m == 16384 && net.q.eta_sh == 18 && net.q.update_frac == 32, "η' constants");
  int32_t w0 = o->w[0], w2 = o->w[2];
  o->e[0] = 65536;          /* synapse 0 -> 0 */
  o->e[2] = -32768;         /* synapse 1 -> 0: e = -0.5 */
  m.layer[0].count[0] = 1;
  m.layer[0].count[1] = 1;
  o->d[1] = 0;
  bg_weight_update_accumulate(&m, 1);
  BG_CHECK(o->acc[0] == (INT64_C(1) << 33), "acc = %lld", (long long)o->acc[0]);
  bg_weight_update_apply(&m);
  BG_CHECK(o->w[0] == w0 - 8192 && o->w[2] == w2 + 4096, "W: %d -> %d, %d -> %d", w0, o->w[0],
           w2, o->w[2]);
  BG_CHECK(o->acc[0] == 0 && m.ctr.weight_writes == 2, "accumulators cleared");
  bg_model_free(&m);
  return 0;
}

int main(void) {
  BG_RUN(helpers);
  BG_RUN(neuron_three_steps);
  BG_RUN(error_unit_and_update);
  return bg_test_exit();
}
