/* SPDX-License-Identifier: Apache-2.0 */
/* Learning engine, weight update (RTL: bg_learning_engine): at the end of a sample every
 * synapse's δ·e goes into its batch accumulator; after `batch` samples the accumulators are
 * scaled by η' = η/(F·batch), rounded (nearest or stochastic, stream 4) and subtracted from the
 * weights (ALGORITHM.md §2.6, §2.13.2; docs/cmodel.md, "Weight update"). */
#include <string.h>

#include "bg_core.h"

#define BG_ACC_BITS 48  /* width of an update accumulator */

/* acc += RND(δ·e, D + Tr − U), saturated to BG_ACC_BITS. */
static inline BG_WIDE acc_add(BG(model_t) *m, BG_WIDE acc, BG_WIDE delta, BG_WIDE e) {
#if BG_FLOAT
  (void)m;
  return acc + delta * e;
#else
  int sh = m->dfmt.frac + m->tfmt.frac - m->ufrac;
  int64_t t1 = bg_sat(bg_scale_round(delta, e, sh, false, NULL, NULL, &m->sat.acc), BG_ACC_BITS,
                      &m->sat.acc);
  return bg_sat(acc + t1, BG_ACC_BITS, &m->sat.acc);   /* |acc|, |t1| < 2^47: no overflow */
#endif
}

/* The spike steps of every neuron of layer `pre` this sample, ascending: times[j·T + c] for
 * c < count[j] (the act lists turned around; replay mode). */
static void spike_times(BG(model_t) *m, BG(model_layer_t) *pre) {
  const uint32_t T = m->T;
  uint32_t *restrict times = pre->times, *restrict fill = pre->times_n;
  memset(fill, 0, pre->n * sizeof *fill);
  for (uint32_t t = 0; t < T; t++) {
    const uint32_t *act = pre->act + (size_t)t * pre->n;
    for (uint32_t a = 0; a < pre->act_n[t]; a++) {
      uint32_t j = act[a];
      times[(size_t)j * T + fill[j]++] = t;
    }
  }
}

/* The live columns of layer l (replay mode): the neurons whose kernel K_i(t) is non-zero at some
 * step, ascending, with their kernel gathered into kern_live (T rows of n_live). Every other
 * neuron has e_ij = 0 for every j, so its synapses take no update this sample. Returns n_live. */
static uint32_t live_columns(BG(model_t) *m, BG(model_layer_t) *ly) {
  const uint32_t n = ly->n, T = m->T;
  uint8_t *restrict nz = ly->col_nz;
  memset(nz, 0, n);
  for (uint32_t t = 0; t < T; t++) {
    const BG_VAL *restrict k = ly->kern + (size_t)t * n;
    for (uint32_t i = 0; i < n; i++) nz[i] |= k[i] != 0;
  }
  uint32_t nl = 0;
  for (uint32_t i = 0; i < n; i++) {
    ly->live[nl] = i;             /* kept only when nz: the list grows by nz */
    nl += nz[i];
  }
  for (uint32_t t = 0; t < T; t++) {
    const BG_VAL *k = ly->kern + (size_t)t * n;
    BG_VAL *kl = ly->kern_live + (size_t)t * nl;
    for (uint32_t c = 0; c < nl; c++) kl[c] = k[ly->live[c]];
  }
  return nl;
}

/* One presynaptic row j, replay mode: acc_ij += RND(δ_i·e_ij, D + Tr − U) over the live columns,
 * with e_ij = SAT(Σ_{t: x_j(t) = 1} K_i(t)) from its raw sum. The narrow form takes int32 sums:
 * |Σ| <= T·2^(Tr bits − 1) < 2^31 (model_init: elig32). With acc_narrow, |δ| < 2^(D bits − 1)
 * and |e| <= 2^(Tr bits − 1) give |δ·e| <= 2^46 (D bits + Tr bits <= 48): the product neither
 * overflows nor reaches the 48-bit clamp, and acc_add reduces to the line below. It runs
 * without a branch: where δ or e is 0 the product is 0 and acc (always within 48 bits) is
 * unchanged, as when acc_add is skipped. */
#if !BG_FLOAT
static void accumulate_live32(BG(model_t) *m, const BG(model_layer_t) *ly, BG_WIDE *restrict acc,
                              const int32_t *restrict raw, uint32_t nl) {
  const int tb = m->tfmt.bits;
  const uint32_t *restrict live = ly->live;
  const BG_WIDE *restrict dl = ly->d_live;
  if (m->acc_narrow) {
    const bg_sat_prep_t es = bg_sat_prep(tb), as = bg_sat_prep(BG_ACC_BITS);
    const int shift = m->dfmt.frac + m->tfmt.frac - m->ufrac;
    const bg_rnd_prep_t sh = bg_rnd_prep(shift);
    uint64_t sat_e = 0, sat_acc = 0;
    if (shift == 0) {             /* U = D + Tr: the product needs no rounding */
      for (uint32_t c = 0; c < nl; c++) {
        BG_WIDE *a = &acc[live[c]];
        *a = bg_sat_by(*a + dl[c] * bg_sat_by(raw[c], es, &sat_e), as, &sat_acc);
      }
    } else {
      for (uint32_t c = 0; c < nl; c++) {
        const int64_t e = bg_sat_by(raw[c], es, &sat_e);
        BG_WIDE *a = &acc[live[c]];
        *a = bg_sat_by(*a + bg_rnd_by(dl[c] * e, sh), as, &sat_acc);
      }
    }
    m->sat.e += sat_e;
    m->sat.acc += sat_acc;
    return;
  }
  for (uint32_t c = 0; c < nl; c++) {
    const int64_t e = bg_sat(raw[c], tb, &m->sat.e);
    if (dl[c] != 0 && e != 0) acc[live[c]] = acc_add(m, acc[live[c]], dl[c], e);
  }
}

/* The narrow updates RND(δ·SAT(raw), D + Tr − U) of one row, kept for rows that share them
 * (the all-steps row); returns the number of e values clamped, which the caller counts once
 * per row that uses them. */
static uint64_t row_updates32(const BG(model_t) *m, const BG(model_layer_t) *ly,
                              const int32_t *restrict raw, int64_t *restrict t, uint32_t nl) {
  const bg_sat_prep_t es = bg_sat_prep(m->tfmt.bits);
  const bg_rnd_prep_t sh = bg_rnd_prep(m->dfmt.frac + m->tfmt.frac - m->ufrac);
  uint64_t sat_e = 0;
  for (uint32_t c = 0; c < nl; c++) {
    t[c] = bg_rnd_by(ly->d_live[c] * bg_sat_by(raw[c], es, &sat_e), sh);
  }
  return sat_e;
}

/* acc += t over the live columns, clamped to 48 bits (acc_narrow: see accumulate_live32). */
static void row_add32(BG(model_t) *m, const BG(model_layer_t) *ly, BG_WIDE *restrict acc,
                      const int64_t *restrict t, uint32_t nl) {
  const uint32_t *restrict live = ly->live;
  const bg_sat_prep_t as = bg_sat_prep(BG_ACC_BITS);
  uint64_t sat = 0;
  for (uint32_t c = 0; c < nl; c++) acc[live[c]] = bg_sat_by(acc[live[c]] + t[c], as, &sat);
  m->sat.acc += sat;
}
#endif

static void accumulate_live(BG(model_t) *m, const BG(model_layer_t) *ly, BG_WIDE *restrict acc,
                            const BG_WIDE *restrict raw, uint32_t nl) {
  const int tb = m->tfmt.bits;
  for (uint32_t c = 0; c < nl; c++) {
    const BG_WIDE e = BG_SAT(raw[c], tb, &m->sat.e);
    const uint32_t i = ly->live[c];
    if (ly->d_live[c] != 0 && e != 0) acc[i] = acc_add(m, acc[i], ly->d_live[c], e);
  }
}

/* Replay mode: every presynaptic neuron that spiked, through its spike steps. A neuron that
 * spiked at every step (a saturated pixel, typically) has the sum over all steps, which is also
 * the bias eligibility: it is formed once, in the same order, and saturated at each use, so the
 * saturation counters count what the row-by-row loop counted. */
static void accumulate_replay(BG(model_t) *m, BG(model_layer_t) *ly, BG(model_layer_t) *pre) {
  const uint32_t n = ly->n, T = m->T;
  const uint32_t nl = live_columns(m, ly);
  if (nl == 0) return;                          /* every e_ij and eb_i is 0 */
  for (uint32_t c = 0; c < nl; c++) {
    const uint32_t i = ly->live[c];
    ly->d_live[c] = ly->d[i];
    ly->col_dirty[i] |= ly->d[i] != 0;   /* the update step visits only these columns */
  }
  spike_times(m, pre);
  uint32_t *all = m->all_steps;
  const bool bias = m->net->learning.bias;
#if !BG_FLOAT
  if (m->elig32) {
    int32_t *full = ly->full32, *raw = ly->scratch32;
    int64_t *t_full = ly->t_full;
    memset(full, 0, nl * sizeof *full);
    bg_rows_add32(full, ly->kern_live, all, T, nl);
    /* with acc_narrow, the all-steps row's updates are formed once as well */
    const uint64_t sat_full = m->acc_narrow ? row_updates32(m, ly, full, t_full, nl) : 0;
    for (uint32_t j = 0; j < ly->fan_in; j++) {
      const uint32_t cnt = pre->count[j];
      if (cnt == 0) continue;
      ly->row_dirty[j] = 1;
      BG_WIDE *acc = ly->acc + (size_t)j * n;
      if (cnt < T) {
        memset(raw, 0, nl * sizeof *raw);
        bg_rows_add32(raw, ly->kern_live, pre->times + (size_t)j * T, cnt, nl);
        accumulate_live32(m, ly, acc, raw, nl);
      } else if (m->acc_narrow) {
        m->sat.e += sat_full;
        row_add32(m, ly, acc, t_full, nl);
      } else {
        accumulate_live32(m, ly, acc, full, nl);
      }
    }
    if (bias && m->acc_narrow) {
      m->sat.e += sat_full;
      row_add32(m, ly, ly->accb, t_full, nl);
    } else if (bias) {
      accumulate_live32(m, ly, ly->accb, full, nl);
    }
    return;
  }
#endif
  BG_WIDE *full = ly->full, *raw = ly->scratch;
  for (uint32_t c = 0; c < nl; c++) full[c] = 0;
  BG(rows_add)(full, ly->kern_live, all, T, nl);
  for (uint32_t j = 0; j < ly->fan_in; j++) {
    const uint32_t cnt = pre->count[j];
    if (cnt == 0) continue;
    if (cnt < T) {
      for (uint32_t c = 0; c < nl; c++) raw[c] = 0;
      BG(rows_add)(raw, ly->kern_live, pre->times + (size_t)j * T, cnt, nl);
    }
    accumulate_live(m, ly, ly->acc + (size_t)j * n, cnt < T ? raw : full, nl);
    ly->row_dirty[j] = 1;
  }
  if (bias) accumulate_live(m, ly, ly->accb, full, nl);
}

void BG(weight_update_accumulate)(BG(model_t) *m, int l) {
  BG(model_layer_t) *ly = &m->layer[l];
  BG(model_layer_t) *pre = &m->layer[l - 1];
  const uint32_t n = ly->n;
  bool any_delta = false;
  for (uint32_t i = 0; i < n; i++) any_delta |= ly->d[i] != 0;
  if (!any_delta) return;
  if (m->net->learning.mode == BG_LEARN_REPLAY) {
    accumulate_replay(m, ly, pre);
    return;
  }
  /* the columns whose accumulators this sample can change: the update step visits only those */
  for (uint32_t i = 0; i < n; i++) ly->col_dirty[i] |= ly->d[i] != 0;
  /* trace mode: the eligibilities are stored; synapses whose presynaptic neuron never spiked
   * have e = 0: skip their rows */
  for (uint32_t j = 0; j < ly->fan_in; j++) {
    if (pre->count[j] == 0) continue;
    const BG_VAL *e = ly->e + (size_t)j * n;
    BG_WIDE *acc = ly->acc + (size_t)j * n;
    for (uint32_t i = 0; i < n; i++) {
      if (ly->d[i] != 0 && e[i] != 0) acc[i] = acc_add(m, acc[i], ly->d[i], e[i]);
    }
    ly->row_dirty[j] = 1;
  }
  if (m->net->learning.bias) {
    for (uint32_t i = 0; i < n; i++) {
      if (ly->d[i] != 0 && ly->eb[i] != 0) {
        ly->accb[i] = acc_add(m, ly->accb[i], ly->d[i], ly->eb[i]);
      }
    }
  }
}

/* One weight: w − ROUND(acc·η'), saturated to the weight format. */
static inline BG_VAL weight_step(BG(model_t) *m, const BG(model_layer_t) *ly, BG_VAL w, BG_WIDE acc,
                                 uint64_t *sat) {
#if BG_FLOAT
  (void)ly;
  (void)sat;
  return w - acc * m->eta;
#else
  int sh = (int)m->eta_sh + m->ufrac - ly->wfmt.frac;
  int64_t delta = bg_scale_round(acc, m->eta_m, sh,
                                 m->net->learning.rounding == BG_ROUND_STOCHASTIC,
                                 &m->rng[BG_STREAM_ROUND], &m->ctr.rounding_draws, &m->sat.acc);
  return (BG_VAL)bg_sat((int64_t)w - delta, ly->wfmt.bits, sat);
#endif
}

/* The columns (postsynaptic neurons) whose accumulators may be non-zero, ascending; clears the
 * marks. Skipping the others changes nothing: a zero accumulator takes no step and no draw. */
static uint32_t dirty_columns(BG(model_layer_t) *ly) {
  uint32_t nc = 0;
  for (uint32_t i = 0; i < ly->n; i++) {
    ly->col_list[nc] = i;         /* kept only when marked: the list grows by the mark */
    nc += ly->col_dirty[i];
    ly->col_dirty[i] = 0;
  }
  return nc;
}

#if !BG_FLOAT
/* weight_step for an accumulator outside 48 bits (only a hand-made checkpoint could hold one),
 * out of line so that apply_rows keeps its loop in registers. */
__attribute__((noinline)) static BG_VAL weight_step_cold(BG(model_t) *m,
                                                         const BG(model_layer_t) *ly,
                                                         bg_rng_t *rng, BG_VAL w, int64_t a) {
  m->rng[BG_STREAM_ROUND] = *rng;
  BG_VAL r = weight_step(m, ly, w, a, &m->sat.w);
  *rng = m->rng[BG_STREAM_ROUND];
  return r;
}

/* The update step of one layer's weight rows, over the marked columns, with the rounding shift,
 * the stochastic threshold and the clamp hoisted. An accumulator holds at most 48 bits (acc_add
 * clamps every store) and η_m < 2^15 (bg_net_eta_q), so |acc·η_m| < 2^62: the product, the half
 * added for nearest rounding and the remainder all fit int64, which is bg_scale_round's fast
 * path. Same draws, same order, same results as weight_step on every synapse. Specialised
 * (constant arguments after inlining) for the rounding mode and for the side of 32 the shift
 * is on: the threshold r·2^(32 − sh) is one shift either way. */
static inline __attribute__((always_inline)) void apply_rows_as(BG(model_t) *m,
                                                                BG(model_layer_t) *ly,
                                                                const uint32_t *restrict cols,
                                                                uint32_t nc, int sh,
                                                                bool stochastic, bool sh_above32) {
  const uint32_t n = ly->n;
  const uint64_t lim = UINT64_C(1) << (BG_ACC_BITS - 1);
  const int64_t eta_m = m->eta_m;
  const int64_t half = stochastic ? 0 : INT64_C(1) << (sh - 1);
  const uint64_t rmask = (UINT64_C(1) << sh) - 1;
  const int tsh = sh_above32 ? sh - 32 : 32 - sh;
  const int64_t whi = (INT64_C(1) << (ly->wfmt.bits - 1)) - 1, wlo = -whi - 1;
  bg_rng_t rng = m->rng[BG_STREAM_ROUND];   /* a local copy: its chain stays in a register */
  uint64_t writes = 0, draws = 0, sat = 0;
  for (uint32_t j = 0; j < ly->fan_in; j++) {
    if (!ly->row_dirty[j]) continue;
    ly->row_dirty[j] = 0;
    BG_VAL *restrict w = ly->w + (size_t)j * n;
    BG_WIDE *restrict acc = ly->acc + (size_t)j * n;
    for (uint32_t c = 0; c < nc; c++) {
      const uint32_t i = cols[c];
      const int64_t a = acc[i];
      if (a == 0) continue;
      writes++;
      acc[i] = 0;
      if ((uint64_t)a + lim >= 2 * lim) {      /* outside [−2^47, 2^47) */
        w[i] = weight_step_cold(m, ly, &rng, w[i], a);
        continue;
      }
      const int64_t p = a * eta_m;
      int64_t q = bg_asr(p + half, sh);
      if (stochastic) {
        const uint64_t r = (uint64_t)p & rmask;   /* p − q·2^sh */
        if (r != 0) {
          q += bg_rng_next(&rng) < (sh_above32 ? r >> tsh : r << tsh);
          draws++;
        }
      }
      int64_t v = (int64_t)w[i] - q;
      if (v > whi || v < wlo) {                 /* bg_sat, with the limits hoisted */
        sat++;
        v = v > whi ? whi : wlo;
      }
      w[i] = (BG_VAL)v;
    }
  }
  m->rng[BG_STREAM_ROUND] = rng;
  m->sat.w += sat;
  m->ctr.weight_writes += writes;
  m->ctr.rounding_draws += draws;
}

static void apply_rows(BG(model_t) *m, BG(model_layer_t) *ly, const uint32_t *cols, uint32_t nc,
                       int sh) {
  if (m->net->learning.rounding != BG_ROUND_STOCHASTIC) {
    apply_rows_as(m, ly, cols, nc, sh, false, false);
  } else if (sh > 32) {
    apply_rows_as(m, ly, cols, nc, sh, true, true);
  } else {
    apply_rows_as(m, ly, cols, nc, sh, true, false);
  }
}
#endif

void BG(weight_update_apply)(BG(model_t) *m) {
  for (int l = 1; l < m->n_layers; l++) {
    BG(model_layer_t) *ly = &m->layer[l];
    const uint32_t n = ly->n;
    const uint32_t nc = dirty_columns(ly);
    const uint32_t *cols = ly->col_list;
#if !BG_FLOAT
    const int sh = (int)m->eta_sh + m->ufrac - ly->wfmt.frac;
    if (m->update_narrow && sh > 0 && sh < 62 && m->eta_m < (1u << 15)) {
      apply_rows(m, ly, cols, nc, sh);   /* clears row_dirty: the loop below finds no row */
    }
#endif
    for (uint32_t j = 0; j < ly->fan_in; j++) {
      if (!ly->row_dirty[j]) continue;
      BG_VAL *w = ly->w + (size_t)j * n;
      BG_WIDE *acc = ly->acc + (size_t)j * n;
      ly->row_dirty[j] = 0;
      for (uint32_t c = 0; c < nc; c++) {
        const uint32_t i = cols[c];
        if (acc[i] == 0) continue;
        w[i] = weight_step(m, ly, w[i], acc[i], &m->sat.w);
        acc[i] = 0;
        m->ctr.weight_writes++;
      }
    }
    if (m->net->learning.bias) {
      for (uint32_t i = 0; i < n; i++) {
        if (ly->accb[i] == 0) continue;
        ly->b[i] = weight_step(m, ly, ly->b[i], ly->accb[i], &m->sat.b);
        ly->accb[i] = 0;
      }
    }
  }
  m->ctr.updates++;
}
