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

/* The noise of nb <= BG_SLEEP_LANES consecutive sleep steps of hidden layer `src` (n neurons):
 * per step u, the neurons with ξ⁺ = 1 (noise_p[u·n …], noise_np[u] of them) and with ξ⁻ = 1
 * (noise_m, noise_nm), ascending; and h_i += Σ_u (ξ⁺ − ξ⁻). Step u's words are 2n·u + 2i (ξ⁺)
 * and 2n·u + 2i + 1 (ξ⁻) of stream 3 from its current state, the draw order of one step after
 * another; here one generator lane per step (started by jumping 2n words per step) advances
 * through the neurons, so the steps' chains of dependent xorshift steps run side by side. */
static void sleep_noise_block(BG(model_t) *m, const BG(model_layer_t) *src, uint32_t rho,
                              uint32_t nb) {
  const uint32_t n = src->n;
  bg_rng_t *noise = &m->rng[BG_STREAM_SLEEP_NOISE];
  uint32_t *restrict x = m->lanes, *restrict np = m->noise_np, *restrict nm = m->noise_nm;
  uint32_t *restrict lp = m->noise_p, *restrict lm = m->noise_m;
  int32_t *restrict h = m->sleep_h;
  x[0] = noise->state;
  for (uint32_t u = 1; u < nb; u++) x[u] = bg_rng_jump(src->noise_jump, x[u - 1]);
  memset(np, 0, nb * sizeof *np);
  memset(nm, 0, nb * sizeof *nm);
  uint32_t xp[BG_SLEEP_LANES], xm[BG_SLEEP_LANES];
  for (uint32_t i = 0; i < n; i++) {
    for (uint32_t u = 0; u < nb; u++) {        /* the draws: no stores but the states */
      uint32_t r = x[u];
      r ^= r << 13;
      r ^= r >> 17;
      r ^= r << 5;
      xp[u] = (r >> 16) < rho;
      r ^= r << 13;
      r ^= r >> 17;
      r ^= r << 5;
      xm[u] = (r >> 16) < rho;
      x[u] = r;
    }
    int32_t dh = 0;
    for (uint32_t u = 0; u < nb; u++) {
      lp[(size_t)u * n + np[u]] = i;   /* kept only when ξ = 1: the lists grow by ξ */
      np[u] += xp[u];
      lm[(size_t)u * n + nm[u]] = i;
      nm[u] += xm[u];
      dh += (int32_t)xp[u] - (int32_t)xm[u];
    }
    h[i] += dh;
  }
  noise->state = x[nb - 1];
}

/* Layer l+1 driven by step u's signed noise, without bias: I = Σ_{ξ⁺} W − Σ_{ξ⁻} W. */
static void sleep_drive(BG(model_t) *m, const BG(model_layer_t) *src, BG(model_layer_t) *dst,
                        uint32_t u) {
  const uint32_t n = src->n, nd = dst->n;
  const uint32_t *lp = m->noise_p + (size_t)u * n, *lm = m->noise_m + (size_t)u * n;
  BG_WIDE *I = dst->scratch;
#if !BG_FLOAT
  if (dst->sum32) {
    /* |I| <= n·2^(W bits − 1) < 2^31: dst's fan-in is n, and model_init checked the bound */
    int32_t *I32 = dst->scratch32;
    memset(I32, 0, nd * sizeof *I32);
    bg_rows_add32(I32, dst->w, lp, m->noise_np[u], nd);
    bg_rows_sub32(I32, dst->w, lm, m->noise_nm[u], nd);
    for (uint32_t i = 0; i < nd; i++) I[i] = I32[i];
    return;
  }
#endif
  for (uint32_t i = 0; i < nd; i++) I[i] = 0;
  BG(rows_add)(I, dst->w, lp, m->noise_np[u], nd);
  BG(rows_sub)(I, dst->w, lm, m->noise_nm[u], nd);
}

void BG(sleep_unit_run)(BG(model_t) *m) {
  const bg_net_t *net = m->net;
  const int L = m->n_layers - 1;
  const uint32_t n_out = m->layer[L].n, K = net->sleep.samples, Ts = net->sleep.steps;
  uint32_t rho = net->q.sleep_rate16 ? net->q.sleep_rate16
                                     : bg_rng_r16(&m->rng[BG_STREAM_SLEEP_RATE]);
  bool was_recording = m->record;
  m->record = false;
  for (int l = L - 1; l >= 1; l--) {
    BG(model_layer_t) *src = &m->layer[l], *dst = &m->layer[l + 1];
    const uint32_t n = src->n;
    int64_t *C = m->sleep_c, *Q = m->sleep_q;
    memset(C, 0, (size_t)n * n_out * sizeof *C);
    memset(Q, 0, n_out * sizeof *Q);
    for (uint32_t k = 0; k < K; k++) {
      sleep_state_reset(m, l + 1);
      memset(m->sleep_h, 0, n * sizeof *m->sleep_h);
      memset(m->sleep_o, 0, n_out * sizeof *m->sleep_o);
      for (uint32_t t0 = 0; t0 < Ts; t0 += BG_SLEEP_LANES) {
        const uint32_t nb = Ts - t0 < BG_SLEEP_LANES ? Ts - t0 : BG_SLEEP_LANES;
        sleep_noise_block(m, src, rho, nb);
        for (uint32_t u = 0; u < nb; u++) {
          sleep_drive(m, src, dst, u);
          BG(soma_update)(m, l + 1, dst->scratch, 0);
          for (int q = l + 2; q <= L; q++) BG(neuron_core_step)(m, q, 0);
          const uint8_t *s = m->layer[L].raster;
          for (uint32_t o = 0; o < n_out; o++) m->sleep_o[o] += s[o];
        }
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
