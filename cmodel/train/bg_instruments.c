/* SPDX-License-Identifier: Apache-2.0 */
/* Backprop-equivalence instruments: how far B is from the transpose of the downstream weight
 * product, and how close the BioGrad update is to the BPTT pseudo-gradient (docs/cmodel.md). */
#include <math.h>
#include <stdlib.h>

#include "bg_core.h"

void BG(feedback_alignment)(const BG(model_t) *m, int l, double *angle_deg, double *norm_ratio) {
  const int L = m->n_layers - 1;
  const uint32_t n_out = m->layer[L].n;
  uint32_t widest = 0;
  for (int q = 1; q < L; q++) widest = m->layer[q].n > widest ? m->layer[q].n : widest;
  double *g = calloc((size_t)n_out * widest, sizeof *g), *g2 = calloc((size_t)n_out * widest, sizeof *g2);
  *angle_deg = NAN;
  *norm_ratio = NAN;
  if (g == NULL || g2 == NULL) goto done;
  uint32_t cols = m->layer[L - 1].n;
  for (uint32_t k = 0; k < n_out; k++) {
    for (uint32_t i = 0; i < cols; i++) {
      g[(size_t)k * cols + i] = BG(weight_real)(m, L, m->layer[L].w[(size_t)i * n_out + k]);
    }
  }
  for (int q = L - 1; q > l; q--) {     /* G ← G·W^q */
    const BG(model_layer_t) *ly = &m->layer[q];
    uint32_t nprev = m->layer[q - 1].n;
    for (uint32_t k = 0; k < n_out; k++) {
      for (uint32_t j = 0; j < nprev; j++) {
        double s = 0;
        for (uint32_t i = 0; i < ly->n; i++) {
          s += g[(size_t)k * cols + i] * BG(weight_real)(m, q, ly->w[(size_t)j * ly->n + i]);
        }
        g2[(size_t)k * nprev + j] = s;
      }
    }
    double *t = g;
    g = g2;
    g2 = t;
    cols = nprev;
  }
  double dot = 0, nb = 0, ng = 0;
  const BG(model_layer_t) *ly = &m->layer[l];
  for (uint32_t i = 0; i < ly->n; i++) {
    for (uint32_t k = 0; k < n_out; k++) {
      double b = BG(feedback_real)(m, l, ly->fb[(size_t)i * n_out + k]);
      double w = g[(size_t)k * cols + i];
      dot += b * w;
      nb += b * b;
      ng += w * w;
    }
  }
  if (nb > 0 && ng > 0) {
    double c = dot / sqrt(nb * ng);
    c = c > 1 ? 1 : (c < -1 ? -1 : c);
    *angle_deg = acos(c) * 180.0 / acos(-1.0);
    *norm_ratio = sqrt(nb / ng);
  }
done:
  free(g);
  free(g2);
}

#if BG_FLOAT
int bgf_bptt_cosine(const bgf_model_t *m, int label, double *cosine) {
  const int L = m->n_layers - 1;
  const uint32_t T = m->T, n_out = m->layer[L].n;
  double *lam[BG_NET_MAX_LAYERS] = {0};
  double *dlds = calloc((size_t)T * n_out, sizeof *dlds);
  double *cnt = calloc(n_out, sizeof *cnt), *eps = calloc(n_out, sizeof *eps);
  int rc = dlds && cnt && eps ? BG_OK : BG_E_NOMEM;
  for (int l = 1; l <= L && rc == BG_OK; l++) {
    lam[l] = calloc((size_t)T * m->layer[l].n, sizeof *lam[l]);
    if (lam[l] == NULL) rc = BG_E_NOMEM;
  }
  if (rc != BG_OK) goto done;
  /* loss (1/F)·Σ_{t>=t0} CE(softmax(c(t)), y): dL/ds_k(τ) = Σ_{t>=max(τ,t0)} ε_k(t)/F */
  const double F = (double)(T - m->t0);
  for (uint32_t t = 0; t < T; t++) {
    for (uint32_t k = 0; k < n_out; k++) cnt[k] += m->layer[L].raster[(size_t)t * n_out + k];
    if (t < m->t0) continue;
    double mx = cnt[0], sum = 0;
    for (uint32_t k = 1; k < n_out; k++) mx = cnt[k] > mx ? cnt[k] : mx;
    for (uint32_t k = 0; k < n_out; k++) sum += (eps[k] = exp(cnt[k] - mx));
    for (uint32_t k = 0; k < n_out; k++) {
      dlds[(size_t)t * n_out + k] = (eps[k] / sum - ((int)k == label ? 1.0 : 0.0)) / F;
    }
  }
  for (uint32_t t = T - 1; t-- > 0;) {
    for (uint32_t k = 0; k < n_out; k++) dlds[(size_t)t * n_out + k] += dlds[(size_t)(t + 1) * n_out + k];
  }
  /* adjoint of v: λ(t) = A·g(t)·dL/ds(t) + α·m(t)·λ(t+1); dL/ds of a hidden layer comes from
   * the layer above in the same step */
  for (uint32_t t = T; t-- > 0;) {
    for (int l = L; l >= 1; l--) {
      const bgf_model_layer_t *ly = &m->layer[l];
      const uint32_t n = ly->n;
      for (uint32_t i = 0; i < n; i++) {
        double ext;
        if (l == L) {
          ext = dlds[(size_t)t * n_out + i];
        } else {
          const bgf_model_layer_t *up = &m->layer[l + 1];
          const double *w = up->w + (size_t)i * up->n;
          ext = 0;
          for (uint32_t k = 0; k < up->n; k++) ext += w[k] * lam[l + 1][(size_t)t * up->n + k];
        }
        double next = t + 1 < T ? lam[l][(size_t)(t + 1) * n + i] : 0.0;
        lam[l][(size_t)t * n + i] = ly->amp * ly->g_rec[(size_t)t * n + i] * ext +
                                    ly->decay * ly->m_rec[(size_t)t * n + i] * next;
      }
    }
  }
  /* cos(BioGrad δ·e, BPTT Σ_t λ_i(t)·x_j(t)) over the weights of each layer */
  for (int l = 1; l <= L; l++) {
    const bgf_model_layer_t *ly = &m->layer[l], *pre = &m->layer[l - 1];
    double dot = 0, na = 0, ng = 0;
    for (uint32_t j = 0; j < ly->fan_in; j++) {
      const double *acc = ly->acc + (size_t)j * ly->n;
      for (uint32_t i = 0; i < ly->n; i++) {
        double gr = 0;
        if (pre->count[j]) {
          for (uint32_t t = 0; t < T; t++) {
            if (pre->raster[(size_t)t * pre->n + j]) gr += lam[l][(size_t)t * ly->n + i];
          }
        }
        dot += acc[i] * gr;
        na += acc[i] * acc[i];
        ng += gr * gr;
      }
    }
    cosine[l] = na > 0 && ng > 0 ? dot / sqrt(na * ng) : NAN;
  }
done:
  for (int l = 1; l <= L; l++) free(lam[l]);
  free(dlds);
  free(cnt);
  free(eps);
  return rc;
}
#endif
