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
  const uint32_t T = m->T;
  double *lam[BG_NET_MAX_LAYERS] = {0};
  int rc = BG_OK;
  for (int l = 1; l <= L && rc == BG_OK; l++) {
    lam[l] = calloc((size_t)T * m->layer[l].n, sizeof *lam[l]);
    if (lam[l] == NULL) rc = BG_E_NOMEM;
  }
  const bgf_bptt_opts_t plain = {.spatial = false, .temporal = 0.0};
  if (rc == BG_OK) rc = bgf_bptt_adjoint(m, label, &plain, lam);
  if (rc != BG_OK) goto done;
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
  return rc;
}
#endif
