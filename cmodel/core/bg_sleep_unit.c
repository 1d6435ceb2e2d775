/* SPDX-License-Identifier: Apache-2.0 */
/* Sleep unit (RTL: bg_sleep_unit): the noise-driven, spike-based weight mirror with Oja decay
 * that pulls each B^l toward the transpose of the downstream weight product (ALGORITHM.md §2.8,
 * §2.13.2; docs/cmodel.md, "Sleep phase"). */
#include <string.h>

#include "bg_core.h"

/* Zero the soma state of layers from..L for one noise sample. */
static void sleep_state_reset(BG(model_t) *m, int from) {
  for (int l = from; l < m->n_layers; l++) {
    BG(model_layer_t) *ly = &m->layer[l];
    memset(ly->v, 0, ly->n * sizeof *ly->v);
    memset(ly->s, 0, ly->n);
    memset(ly->refr, 0, ly->n);
  }
}

/* B += ROUND((C·ONE_B − RND(B·Q, log2 K))·η_s), per feedback synapse. */
static BG_VAL feedback_step(BG(model_t) *m, const BG(model_layer_t) *ly, BG_VAL b, int64_t c,
                            int64_t q) {
  const bg_net_t *net = m->net;
  bool oja = net->sleep.decay == BG_SLEEP_DECAY_OJA;
#if BG_FLOAT
  (void)ly;
  double dec = oja ? b * (double)q / (double)net->sleep.samples : 0.0;
  return b + net->sleep.rate * ((double)c - dec);
#else
  int bf = ly->bfmt.frac;
  int64_t corr = bg_sat(c, 63 - bf, &m->sat.fb) * (INT64_C(1) << bf);
  int64_t dec = oja ? bg_rnd((int64_t)b * q, (int)net->q.sleep_k_shift) : 0;
  int64_t delta = bg_scale_round(corr - dec, net->q.sleep_eta_m, (int)net->q.sleep_eta_sh,
                                 net->learning.rounding == BG_ROUND_STOCHASTIC,
                                 &m->rng[BG_STREAM_ROUND], &m->ctr.rounding_draws, &m->sat.fb);
  return (BG_VAL)bg_sat((int64_t)b + delta, ly->bfmt.bits, &m->sat.fb);
#endif
}

void BG(sleep_unit_run)(BG(model_t) *m) {
  const bg_net_t *net = m->net;
  const int L = m->n_layers - 1;
  const uint32_t n_out = m->layer[L].n, K = net->sleep.samples, Ts = net->sleep.steps;
  uint32_t rho = net->q.sleep_rate16 ? net->q.sleep_rate16
                                     : bg_rng_r16(&m->rng[BG_STREAM_SLEEP_RATE]);
  bg_rng_t *noise = &m->rng[BG_STREAM_SLEEP_NOISE];
  bool was_recording = m->record;
  m->record = false;
  for (int l = L - 1; l >= 1; l--) {
    BG(model_layer_t) *src = &m->layer[l], *dst = &m->layer[l + 1];
    const uint32_t n = src->n, nd = dst->n;
    int64_t *C = m->sleep_c, *Q = m->sleep_q;
    memset(C, 0, (size_t)n * n_out * sizeof *C);
    memset(Q, 0, n_out * sizeof *Q);
    for (uint32_t k = 0; k < K; k++) {
      sleep_state_reset(m, l + 1);
      memset(m->sleep_h, 0, n * sizeof *m->sleep_h);
      memset(m->sleep_o, 0, n_out * sizeof *m->sleep_o);
      for (uint32_t t = 0; t < Ts; t++) {
        uint32_t np = 0, nm = 0;
        for (uint32_t i = 0; i < n; i++) {
          uint32_t xp = bg_rng_r16(noise) < rho, xm = bg_rng_r16(noise) < rho;
          m->sleep_h[i] += (int32_t)xp - (int32_t)xm;
          if (xp) m->noise_p[np++] = i;
          if (xm) m->noise_m[nm++] = i;
        }
        /* layer l+1 driven by the signed noise, without bias */
        BG_WIDE *I = dst->scratch;
        for (uint32_t i = 0; i < nd; i++) I[i] = 0;
        for (uint32_t a = 0; a < np; a++) {
          const BG_VAL *w = dst->w + (size_t)m->noise_p[a] * nd;
          for (uint32_t i = 0; i < nd; i++) I[i] += w[i];
        }
        for (uint32_t a = 0; a < nm; a++) {
          const BG_VAL *w = dst->w + (size_t)m->noise_m[a] * nd;
          for (uint32_t i = 0; i < nd; i++) I[i] -= w[i];
        }
        BG(soma_update)(m, l + 1, I, 0);
        for (int q = l + 2; q <= L; q++) BG(neuron_core_step)(m, q, 0);
        const uint8_t *s = m->layer[L].raster;
        for (uint32_t o = 0; o < n_out; o++) m->sleep_o[o] += s[o];
      }
      for (uint32_t i = 0; i < n; i++) {
        if (m->sleep_h[i] == 0) continue;
        for (uint32_t o = 0; o < n_out; o++) {
          C[(size_t)i * n_out + o] += (int64_t)m->sleep_h[i] * m->sleep_o[o];
        }
      }
      for (uint32_t o = 0; o < n_out; o++) Q[o] += (int64_t)m->sleep_o[o] * m->sleep_o[o];
    }
    for (uint32_t i = 0; i < n; i++) {
      for (uint32_t o = 0; o < n_out; o++) {
        BG_VAL *b = &src->fb[(size_t)i * n_out + o];
        *b = feedback_step(m, src, *b, C[(size_t)i * n_out + o], Q[o]);
      }
    }
  }
  m->record = was_recording;
  m->ctr.sleeps++;
}
