/* SPDX-License-Identifier: Apache-2.0 */
/* dense_float_baseline: a straightforward dense double-precision BioGrad (ALGORITHM.md §2.10),
 * the baseline the golden model's speed is measured against and an independent accuracy check.
 *
 * Written the way one would write it first: every layer step is a dense matrix-vector product
 * over all inputs (multiplied by the 0/1 spike), every synapse keeps its own z and e traces
 * (trace mode, §2.3) updated on every step, and nothing is event-driven or fixed-point.
 * Only the random streams (xorshift32, §2.13.3) are shared with the golden model, so both see
 * the same initial weights (to rounding), the same input spikes and the same sleep noise.
 *
 * usage: dense_float_baseline NET DATA_DIR N_TRAIN N_TEST
 *   trains on the first N_TRAIN MNIST training images in order (one pass), then evaluates on
 *   the first N_TEST test images. stdout: train_samples, train_seconds, samples_per_second,
 *   test_accuracy. stderr: progress every 1000 samples and the feedback/forward alignment. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bg_dataset.h"
#include "bg_err.h"
#include "bg_net.h"

#define DFB_PROGRESS_EVERY 1000u
#define DFB_EVAL_SEED_XOR 0x5A5A5A5Au

static const char dfb_usage[] =
    "usage: dense_float_baseline NET DATA_DIR N_TRAIN N_TEST\n"
    "  NET       network description (nets/*.json)\n"
    "  DATA_DIR  data directory holding mnist/ (scripts/fetch-data.sh)\n"
    "  N_TRAIN   train on the first N_TRAIN training images, in order, one pass\n"
    "  N_TEST    then evaluate on the first N_TEST test images (0: skip)\n";

//////////////////////////////////////// Random numbers ////////////////////////////////////////

/* xorshift32 (13, 17, 5); the returned value is the new state. */
static uint32_t dfb_rng_next(uint32_t *state) {
  uint32_t x = *state;
  x ^= x << 13;
  x ^= x >> 17;
  x ^= x << 5;
  *state = x;
  return x;
}

static uint32_t dfb_rng16(uint32_t *state) { return dfb_rng_next(state) >> 16; }

/* Uniform in (-bound, +bound) from the top 24 bits of one draw. */
static double dfb_uniform(uint32_t *state, double bound) {
  double u = (double)(dfb_rng_next(state) >> 8);
  return (2.0 * u + 1.0 - 16777216.0) / 16777216.0 * bound;
}

/////////////////////////////////////////// The model ///////////////////////////////////////////

typedef struct {
  int n_in, n;                   /* fan-in (size of the layer below) and size */
  double alpha, theta, omega, amp;
  double zdecay;                 /* decay of the presynaptic trace z (normally alpha) */
  /* weights */
  double *w;                     /* (n, n_in) row-major */
  double *b;                     /* (n) */
  double *fb;                    /* (n, n_out) feedback B; hidden layers only */
  /* per-sample state */
  double *v, *s, *g, *m;         /* (n) potential, spike, pseudo-derivative, reset factor */
  double *z, *e;                 /* (n, n_in) per-synapse traces */
  double *zb, *eb;               /* (n) bias traces */
  double *d;                     /* (n) error dendrite */
  /* update accumulators over the batch */
  double *acc_w;                 /* (n, n_in) */
  double *acc_b;                 /* (n) */
} dfb_layer_t;

typedef struct {
  const bg_net_t *net;
  int n_layers;                  /* including the input layer */
  int n_out;                     /* output size */
  dfb_layer_t layers[BG_NET_MAX_LAYERS]; /* [0] unused (input) */
  double *x_in;                  /* (n_in) input spikes of the current step */
  double *noise;                 /* (largest hidden) sleep noise xi+ - xi- */
  double *h;                     /* (largest hidden) sleep noise counts */
  double *c;                     /* (n_out) output spike counts */
  double *p;                     /* (n_out) softmax */
  double *u_pos, *u_neg;         /* (n_out) error interneurons */
  double *sig_pos, *sig_neg;     /* (n_out) their spikes */
  double *sleep_o, *sleep_q;     /* (n_out) sleep output counts, sum of o^2 */
  double *sleep_c;               /* (largest hidden, n_out) sleep correlation */
  int batch_fill;                /* samples accumulated since the last update */
  uint32_t rng_init, rng_input, rng_rate, rng_noise;
} dfb_model_t;

static void *dfb_calloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size);
  if (!p) {
    fprintf(stderr, "dense_float_baseline: out of memory (%zu x %zu bytes)\n", n, size);
    exit(EXIT_FAILURE);
  }
  return p;
}

static uint32_t dfb_seed(uint32_t s) { return s ? s : 1u; }

/* Allocate, draw W and b (stream 0), set B aligned (§2.7). */
static void dfb_build(dfb_model_t *mdl, const bg_net_t *net) {
  memset(mdl, 0, sizeof *mdl);
  mdl->net = net;
  mdl->n_layers = net->n_layers;
  int top = net->n_layers - 1;
  mdl->n_out = (int)net->layers[top].size;
  mdl->rng_init = dfb_seed(net->q.stream_seed[BG_STREAM_INIT]);
  mdl->rng_input = dfb_seed(net->q.stream_seed[BG_STREAM_INPUT]);
  mdl->rng_rate = dfb_seed(net->q.stream_seed[BG_STREAM_SLEEP_RATE]);
  mdl->rng_noise = dfb_seed(net->q.stream_seed[BG_STREAM_SLEEP_NOISE]);

  size_t max_hidden = 1;
  for (int l = 1; l <= top; l++) {
    const bg_layer_t *src = &net->layers[l];
    dfb_layer_t *ly = &mdl->layers[l];
    ly->n_in = (int)net->layers[l - 1].size;
    ly->n = (int)src->size;
    ly->alpha = src->neuron.decay;
    ly->theta = src->neuron.threshold;
    ly->omega = src->neuron.window;
    ly->amp = src->neuron.amplitude;
    ly->zdecay = net->learning.trace_decay < 0.0 ? ly->alpha : net->learning.trace_decay;
    size_t nn = (size_t)ly->n, syn = nn * (size_t)ly->n_in;
    ly->w = dfb_calloc(syn, sizeof(double));
    ly->b = dfb_calloc(nn, sizeof(double));
    ly->v = dfb_calloc(nn, sizeof(double));
    ly->s = dfb_calloc(nn, sizeof(double));
    ly->g = dfb_calloc(nn, sizeof(double));
    ly->m = dfb_calloc(nn, sizeof(double));
    ly->z = dfb_calloc(syn, sizeof(double));
    ly->e = dfb_calloc(syn, sizeof(double));
    ly->zb = dfb_calloc(nn, sizeof(double));
    ly->eb = dfb_calloc(nn, sizeof(double));
    ly->d = dfb_calloc(nn, sizeof(double));
    ly->acc_w = dfb_calloc(syn, sizeof(double));
    ly->acc_b = dfb_calloc(nn, sizeof(double));
    if (l < top) {
      ly->fb = dfb_calloc(nn * (size_t)mdl->n_out, sizeof(double));
      if (nn > max_hidden) max_hidden = nn;
    }

    /* W then b, row-major, u = r >> 8 (24 bits), value = (2u + 1 - 2^24) / 2^24 * bound: the
     * midpoint form of §2.13.3, symmetric in (-bound, +bound). Biases are neither drawn nor
     * learned when learning.bias is false. */
    double wb = net->init.weight_scale / sqrt((double)ly->n_in);
    for (size_t k = 0; k < syn; k++) ly->w[k] = dfb_uniform(&mdl->rng_init, wb);
    if (net->learning.bias) {
      double bb = net->init.bias_scale / sqrt((double)ly->n_in);
      for (size_t i = 0; i < nn; i++) ly->b[i] = dfb_uniform(&mdl->rng_init, bb);
    }
  }

  size_t no = (size_t)mdl->n_out;
  mdl->x_in = dfb_calloc(net->layers[0].size, sizeof(double));
  mdl->noise = dfb_calloc(max_hidden, sizeof(double));
  mdl->h = dfb_calloc(max_hidden, sizeof(double));
  mdl->c = dfb_calloc(no, sizeof(double));
  mdl->p = dfb_calloc(no, sizeof(double));
  mdl->u_pos = dfb_calloc(no, sizeof(double));
  mdl->u_neg = dfb_calloc(no, sizeof(double));
  mdl->sig_pos = dfb_calloc(no, sizeof(double));
  mdl->sig_neg = dfb_calloc(no, sizeof(double));
  mdl->sleep_o = dfb_calloc(no, sizeof(double));
  mdl->sleep_q = dfb_calloc(no, sizeof(double));
  mdl->sleep_c = dfb_calloc(max_hidden * no, sizeof(double));

  /* Feedback: B^l = (W^L ... W^{l+1})^T, built top-down with P = W^L W^{L-1} ... (n_out, n_l).
   * "zero" leaves B at 0; "random" is rejected in main(). */
  if (net->init.feedback == BG_FB_ALIGNED && top > 1) {
    int cols = mdl->layers[top].n_in;
    double *prod = dfb_calloc(no * (size_t)cols, sizeof(double));
    memcpy(prod, mdl->layers[top].w, no * (size_t)cols * sizeof(double));
    for (int l = top - 1; l >= 1; l--) {
      dfb_layer_t *ly = &mdl->layers[l];
      for (int i = 0; i < ly->n; i++) {
        for (int k = 0; k < mdl->n_out; k++) {
          ly->fb[(size_t)i * no + (size_t)k] = prod[(size_t)k * (size_t)ly->n + (size_t)i];
        }
      }
      if (l > 1) {  /* prod <- prod * W^l, (n_out, n_{l-1}) */
        double *next = dfb_calloc(no * (size_t)ly->n_in, sizeof(double));
        for (int k = 0; k < mdl->n_out; k++) {
          for (int i = 0; i < ly->n; i++) {
            double pki = prod[(size_t)k * (size_t)ly->n + (size_t)i];
            for (int j = 0; j < ly->n_in; j++) {
              next[(size_t)k * (size_t)ly->n_in + (size_t)j] +=
                  pki * ly->w[(size_t)i * (size_t)ly->n_in + (size_t)j];
            }
          }
        }
        free(prod);
        prod = next;
      }
    }
    free(prod);
  }
}

static void dfb_free(dfb_model_t *mdl) {
  for (int l = 1; l < mdl->n_layers; l++) {
    dfb_layer_t *ly = &mdl->layers[l];
    free(ly->w); free(ly->b); free(ly->fb);
    free(ly->v); free(ly->s); free(ly->g); free(ly->m);
    free(ly->z); free(ly->e); free(ly->zb); free(ly->eb); free(ly->d);
    free(ly->acc_w); free(ly->acc_b);
  }
  free(mdl->x_in); free(mdl->noise); free(mdl->h);
  free(mdl->c); free(mdl->p);
  free(mdl->u_pos); free(mdl->u_neg); free(mdl->sig_pos); free(mdl->sig_neg);
  free(mdl->sleep_o); free(mdl->sleep_q); free(mdl->sleep_c);
  memset(mdl, 0, sizeof *mdl);
}

/////////////////////////////////////// Neuron and traces ///////////////////////////////////////

/* Soma (§2.2): I = W x (+ b), hard-reset LIF, spike, pseudo-derivative g, and the reset
 * derivative factor m = 1 - s - v g used by the traces. x is a dense vector (0/1 spikes, or the
 * signed sleep noise), and the product runs over every input. */
static void dfb_soma_step(dfb_layer_t *ly, const double *x, int use_bias) {
  for (int i = 0; i < ly->n; i++) {
    const double *wi = &ly->w[(size_t)i * (size_t)ly->n_in];
    double cur = use_bias ? ly->b[i] : 0.0;
    for (int j = 0; j < ly->n_in; j++) cur += wi[j] * x[j];
    double v = ly->alpha * ly->v[i] * (1.0 - ly->s[i]) + cur;
    double s = v > ly->theta ? 1.0 : 0.0;
    double g = fabs(v - ly->theta) < ly->omega ? ly->amp : 0.0;
    ly->v[i] = v;
    ly->s[i] = s;
    ly->g[i] = g;
    ly->m[i] = 1.0 - s - v * g;
  }
}

/* Eligibility traces (§2.3), in the specified order: decay and add, accumulate, reset factor. */
static void dfb_trace_step(dfb_layer_t *ly, const double *x, int use_bias) {
  double a = ly->zdecay;
  for (int i = 0; i < ly->n; i++) {
    double *zi = &ly->z[(size_t)i * (size_t)ly->n_in];
    double *ei = &ly->e[(size_t)i * (size_t)ly->n_in];
    double gi = ly->g[i], mi = ly->m[i];
    for (int j = 0; j < ly->n_in; j++) {
      double zij = a * zi[j] + x[j];
      ei[j] += gi * zij;
      zi[j] = zij * mi;
    }
    if (use_bias) {
      double zb = a * ly->zb[i] + 1.0;
      ly->eb[i] += gi * zb;
      ly->zb[i] = zb * mi;
    }
  }
}

static void dfb_zero(double *p, int n) { memset(p, 0, (size_t)n * sizeof(double)); }

static void dfb_reset_soma(dfb_model_t *mdl) {
  for (int l = 1; l < mdl->n_layers; l++) {
    dfb_zero(mdl->layers[l].v, mdl->layers[l].n);
    dfb_zero(mdl->layers[l].s, mdl->layers[l].n);
  }
}

/* Bernoulli input frame: one draw per pixel, ascending, x = r16 < pix * 257. */
static void dfb_encode(double *x, const uint8_t *pix, int n, uint32_t *rng) {
  for (int j = 0; j < n; j++) x[j] = dfb_rng16(rng) < (uint32_t)pix[j] * 257u ? 1.0 : 0.0;
}

static int dfb_argmax(const double *c, int n) {
  int best = 0;
  for (int k = 1; k < n; k++) {
    if (c[k] > c[best]) best = k;
  }
  return best;
}

//////////////////////////////////////////// Learning ///////////////////////////////////////////

/* Apply the accumulated batch update: W -= eta/(F batch) * sum(D e), likewise b (§2.6). */
static void dfb_apply_update(dfb_model_t *mdl) {
  const bg_net_t *net = mdl->net;
  double f = (double)(net->time.steps - net->time.error_start);
  double eta = net->learning.rate / (f * (double)net->learning.batch);
  for (int l = 1; l < mdl->n_layers; l++) {
    dfb_layer_t *ly = &mdl->layers[l];
    size_t syn = (size_t)ly->n * (size_t)ly->n_in;
    for (size_t k = 0; k < syn; k++) {
      ly->w[k] -= eta * ly->acc_w[k];
      ly->acc_w[k] = 0.0;
    }
    for (int i = 0; i < ly->n; i++) {
      if (net->learning.bias) ly->b[i] -= eta * ly->acc_b[i];
      ly->acc_b[i] = 0.0;
    }
  }
}

/* One training sample (§2.10). Returns the predicted class (argmax of output counts). */
static int dfb_train_sample(dfb_model_t *mdl, const uint8_t *pix, int label) {
  const bg_net_t *net = mdl->net;
  int top = mdl->n_layers - 1, no = mdl->n_out;
  int bias = net->learning.bias;
  double thr = net->learning.error_threshold;

  for (int l = 1; l <= top; l++) {
    dfb_layer_t *ly = &mdl->layers[l];
    size_t syn = (size_t)ly->n * (size_t)ly->n_in;
    memset(ly->z, 0, syn * sizeof(double));
    memset(ly->e, 0, syn * sizeof(double));
    dfb_zero(ly->v, ly->n); dfb_zero(ly->s, ly->n);
    dfb_zero(ly->zb, ly->n); dfb_zero(ly->eb, ly->n); dfb_zero(ly->d, ly->n);
  }
  dfb_zero(mdl->c, no);
  dfb_zero(mdl->u_pos, no); dfb_zero(mdl->u_neg, no);
  dfb_zero(mdl->sig_pos, no); dfb_zero(mdl->sig_neg, no);

  for (uint32_t t = 0; t < net->time.steps; t++) {
    dfb_encode(mdl->x_in, pix, (int)net->layers[0].size, &mdl->rng_input);
    const double *x = mdl->x_in;
    for (int l = 1; l <= top; l++) {  /* same-step propagation */
      dfb_soma_step(&mdl->layers[l], x, bias);
      dfb_trace_step(&mdl->layers[l], x, bias);
      x = mdl->layers[l].s;
    }
    dfb_layer_t *out = &mdl->layers[top];
    for (int k = 0; k < no; k++) mdl->c[k] += out->s[k];
    if (t < net->time.error_start) continue;

    /* Softmax error on the running counts, signed error interneurons with soft reset (§2.4). */
    double cmax = mdl->c[dfb_argmax(mdl->c, no)], sum = 0.0;
    for (int k = 0; k < no; k++) {
      mdl->p[k] = exp(mdl->c[k] - cmax);
      sum += mdl->p[k];
    }
    for (int k = 0; k < no; k++) {
      double eps = mdl->p[k] / sum - (k == label ? 1.0 : 0.0);
      mdl->u_pos[k] += eps - thr * mdl->sig_pos[k];
      mdl->u_neg[k] += -eps - thr * mdl->sig_neg[k];
      mdl->sig_pos[k] = mdl->u_pos[k] > thr ? 1.0 : 0.0;
      mdl->sig_neg[k] = mdl->u_neg[k] > thr ? 1.0 : 0.0;
    }
    /* Direct feedback into every dendrite (§2.5). */
    for (int k = 0; k < no; k++) out->d[k] += mdl->sig_pos[k] - mdl->sig_neg[k];
    for (int l = 1; l < top; l++) {
      dfb_layer_t *ly = &mdl->layers[l];
      for (int i = 0; i < ly->n; i++) {
        const double *bi = &ly->fb[(size_t)i * (size_t)no];
        double acc = 0.0;
        for (int k = 0; k < no; k++) acc += bi[k] * (mdl->sig_pos[k] - mdl->sig_neg[k]);
        ly->d[i] += acc;
      }
    }
  }

  /* End of sample: accumulate D e over the batch (1/F folded into the rate), then apply. */
  for (int l = 1; l <= top; l++) {
    dfb_layer_t *ly = &mdl->layers[l];
    for (int i = 0; i < ly->n; i++) {
      double di = ly->d[i];
      double *ai = &ly->acc_w[(size_t)i * (size_t)ly->n_in];
      const double *ei = &ly->e[(size_t)i * (size_t)ly->n_in];
      for (int j = 0; j < ly->n_in; j++) ai[j] += di * ei[j];
      ly->acc_b[i] += di * ly->eb[i];
    }
  }
  if (++mdl->batch_fill == (int)net->learning.batch) {
    dfb_apply_update(mdl);
    mdl->batch_fill = 0;
  }
  return dfb_argmax(mdl->c, no);
}

///////////////////////////////////////////// Sleep /////////////////////////////////////////////

/* One sleep call (§2.8): noise in each hidden layer, top hidden layer first, drives the layers
 * above; B moves toward the noise/output correlation with an Oja decay. */
static void dfb_sleep(dfb_model_t *mdl) {
  const bg_net_t *net = mdl->net;
  int top = mdl->n_layers - 1, no = mdl->n_out;
  int bias = net->learning.bias;
  uint32_t rate16 = net->q.sleep_rate16;   /* fixed rate, or 0: uniform per call */
  if (rate16 == 0) rate16 = dfb_rng16(&mdl->rng_rate);
  double ksamp = (double)net->sleep.samples, eta_s = net->sleep.rate;

  for (int l = top - 1; l >= 1; l--) {
    dfb_layer_t *hid = &mdl->layers[l];
    dfb_zero(mdl->sleep_c, hid->n * no);
    dfb_zero(mdl->sleep_q, no);
    for (uint32_t smp = 0; smp < net->sleep.samples; smp++) {
      dfb_reset_soma(mdl);
      dfb_zero(mdl->h, hid->n);
      dfb_zero(mdl->sleep_o, no);
      for (uint32_t t = 0; t < net->sleep.steps; t++) {
        for (int i = 0; i < hid->n; i++) {
          double xp = dfb_rng16(&mdl->rng_noise) < rate16 ? 1.0 : 0.0;
          double xn = dfb_rng16(&mdl->rng_noise) < rate16 ? 1.0 : 0.0;
          mdl->noise[i] = xp - xn;
          mdl->h[i] += xp - xn;
        }
        dfb_soma_step(&mdl->layers[l + 1], mdl->noise, 0);  /* no bias on the noise layer */
        for (int up = l + 2; up <= top; up++) {
          dfb_soma_step(&mdl->layers[up], mdl->layers[up - 1].s, bias);
        }
        for (int k = 0; k < no; k++) mdl->sleep_o[k] += mdl->layers[top].s[k];
      }
      for (int i = 0; i < hid->n; i++) {
        for (int k = 0; k < no; k++) {
          mdl->sleep_c[(size_t)i * (size_t)no + (size_t)k] += mdl->h[i] * mdl->sleep_o[k];
        }
      }
      for (int k = 0; k < no; k++) mdl->sleep_q[k] += mdl->sleep_o[k] * mdl->sleep_o[k];
    }
    for (int i = 0; i < hid->n; i++) {
      for (int k = 0; k < no; k++) {
        size_t ik = (size_t)i * (size_t)no + (size_t)k;
        double decay = net->sleep.decay == BG_SLEEP_DECAY_OJA
                           ? hid->fb[ik] * mdl->sleep_q[k] / ksamp : 0.0;
        hid->fb[ik] += eta_s * (mdl->sleep_c[ik] - decay);
      }
    }
  }
}

/////////////////////////////////////////// Inference ///////////////////////////////////////////

/* Forward only; prediction = argmax of the output spike counts (lowest index on ties). */
static int dfb_infer(dfb_model_t *mdl, const uint8_t *pix, uint32_t *rng) {
  const bg_net_t *net = mdl->net;
  int top = mdl->n_layers - 1;
  dfb_reset_soma(mdl);
  dfb_zero(mdl->c, mdl->n_out);
  for (uint32_t t = 0; t < net->time.steps; t++) {
    dfb_encode(mdl->x_in, pix, (int)net->layers[0].size, rng);
    const double *x = mdl->x_in;
    for (int l = 1; l <= top; l++) {
      dfb_soma_step(&mdl->layers[l], x, net->learning.bias);
      x = mdl->layers[l].s;
    }
    for (int k = 0; k < mdl->n_out; k++) mdl->c[k] += mdl->layers[top].s[k];
  }
  return dfb_argmax(mdl->c, mdl->n_out);
}

/* The §2.7 diagnostic for hidden layer l: angle between B^l and (W^L ... W^{l+1})^T in degrees,
 * the norm ratio |B| / |product|, and the largest |B_ik|. */
static void dfb_alignment(const dfb_model_t *mdl, int l, double *angle, double *ratio,
                          double *bmax) {
  int top = mdl->n_layers - 1;
  size_t no = (size_t)mdl->n_out;
  size_t cols = (size_t)mdl->layers[top].n_in;
  double *prod = dfb_calloc(no * cols, sizeof(double));
  memcpy(prod, mdl->layers[top].w, no * cols * sizeof(double));
  for (int m = top - 1; m > l; m--) {
    const dfb_layer_t *ly = &mdl->layers[m];
    double *next = dfb_calloc(no * (size_t)ly->n_in, sizeof(double));
    for (size_t k = 0; k < no; k++) {
      for (int i = 0; i < ly->n; i++) {
        for (int j = 0; j < ly->n_in; j++) {
          next[k * (size_t)ly->n_in + (size_t)j] +=
              prod[k * (size_t)ly->n + (size_t)i] * ly->w[(size_t)i * (size_t)ly->n_in + (size_t)j];
        }
      }
    }
    free(prod);
    prod = next;
  }
  const dfb_layer_t *hid = &mdl->layers[l];
  double dot = 0.0, nb = 0.0, np = 0.0;
  *bmax = 0.0;
  for (int i = 0; i < hid->n; i++) {
    for (size_t k = 0; k < no; k++) {
      double bv = hid->fb[(size_t)i * no + k], pv = prod[k * (size_t)hid->n + (size_t)i];
      dot += bv * pv;
      nb += bv * bv;
      np += pv * pv;
      if (fabs(bv) > *bmax) *bmax = fabs(bv);
    }
  }
  free(prod);
  double cosv = (nb > 0.0 && np > 0.0) ? dot / sqrt(nb * np) : 0.0;
  if (cosv > 1.0) cosv = 1.0;
  if (cosv < -1.0) cosv = -1.0;
  *angle = acos(cosv) * 180.0 / acos(-1.0);
  *ratio = np > 0.0 ? sqrt(nb / np) : 0.0;
}

////////////////////////////////////////////// CLI //////////////////////////////////////////////

static double dfb_now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int dfb_parse_count(const char *text, const char *what, uint32_t *out) {
  char *end = NULL;
  if (text[0] < '0' || text[0] > '9') goto bad;
  unsigned long long v = strtoull(text, &end, 10);
  if (*end != '\0' || v > UINT32_MAX) goto bad;
  *out = (uint32_t)v;
  return 0;
bad:
  fprintf(stderr, "dense_float_baseline: %s: expected a non-negative integer, found '%s'\n%s",
          what, text, dfb_usage);
  return -1;
}

/* What this baseline implements: BioGrad, rate-coded image input, hard-reset LIF without a
 * refractory period, aligned or zero feedback. Anything else is refused rather than guessed. */
static int dfb_check_net(const bg_net_t *net) {
  int bad = 0;
  if (net->input.encoding != BG_ENC_RATE) {
    fprintf(stderr, "dense_float_baseline: %s: input.encoding: only \"rate\" is supported\n",
            net->file);
    bad = 1;
  }
  for (int l = 1; l < net->n_layers; l++) {
    const bg_neuron_t *n = &net->layers[l].neuron;
    if (n->reset != BG_RESET_HARD || n->refractory != 0) {
      fprintf(stderr, "dense_float_baseline: %s: layers[%d].neuron: only a hard reset without "
              "refractory period is supported\n", net->file, l);
      bad = 1;
    }
  }
  if (net->init.feedback == BG_FB_RANDOM) {
    fprintf(stderr, "dense_float_baseline: %s: init.feedback: \"random\" is not specified; "
            "use \"aligned\" or \"zero\"\n", net->file);
    bad = 1;
  }
  if (net->layers[net->n_layers - 1].size != BG_DATASET_CLASSES) {
    fprintf(stderr, "dense_float_baseline: %s: the output layer has %u neurons, MNIST has %d "
            "classes\n", net->file, net->layers[net->n_layers - 1].size, BG_DATASET_CLASSES);
    bad = 1;
  }
  return bad ? -1 : 0;
}

int main(int argc, char **argv) {
  if (argc != 5) {
    fputs(dfb_usage, stderr);
    return 2;
  }
  uint32_t n_train, n_test;
  if (dfb_parse_count(argv[3], "N_TRAIN", &n_train)) return 2;
  if (dfb_parse_count(argv[4], "N_TEST", &n_test)) return 2;

  static bg_net_t net;
  bg_err_t err;
  if (bg_net_load(argv[1], &net, &err) != BG_OK) {
    fprintf(stderr, "dense_float_baseline: bad network description:\n%s\n", err.msg);
    return 2;
  }
  if (dfb_check_net(&net)) return 2;

  bg_dataset_t train = {0}, test = {0};
  if (bg_dataset_load("mnist", argv[2], "train", &train, &err) != BG_OK) {
    fprintf(stderr, "dense_float_baseline: cannot load MNIST training data:\n%s\n", err.msg);
    return 2;
  }
  if (n_test > 0 && bg_dataset_load("mnist", argv[2], "test", &test, &err) != BG_OK) {
    fprintf(stderr, "dense_float_baseline: cannot load MNIST test data:\n%s\n", err.msg);
    bg_dataset_free(&train);
    return 2;
  }
  uint32_t n_pix = train.rows * train.cols;
  int status = 0;
  if (n_pix != net.layers[0].size) {
    fprintf(stderr, "dense_float_baseline: %s has %u inputs, MNIST images have %u pixels\n",
            argv[1], net.layers[0].size, n_pix);
    status = 2;
  } else if (n_train > train.n || n_test > test.n) {
    fprintf(stderr, "dense_float_baseline: asked for %u training and %u test samples, the data "
            "has %u and %u\n", n_train, n_test, train.n, n_test > 0 ? test.n : 0u);
    status = 2;
  }
  if (status) {
    bg_dataset_free(&train);
    bg_dataset_free(&test);
    return status;
  }

  dfb_model_t mdl;
  dfb_build(&mdl, &net);
  int sleeping = net.sleep.enabled && net.n_layers > 2;

  /* Training: one pass over the first n_train samples, sleep every period samples. */
  uint32_t correct = 0;
  double t_start = dfb_now();
  for (uint32_t n = 0; n < n_train; n++) {
    int label = train.labels[n];
    int pred = dfb_train_sample(&mdl, &train.images[(size_t)n * n_pix], label);
    correct += pred == label;
    if (sleeping && (n + 1) % net.sleep.period == 0) dfb_sleep(&mdl);
    if ((n + 1) % DFB_PROGRESS_EVERY == 0) {
      fprintf(stderr, "train %u/%u  %.1f s  running train accuracy %.2f %%\n", n + 1, n_train,
              dfb_now() - t_start, 100.0 * correct / (double)(n + 1));
    }
  }
  double train_seconds = dfb_now() - t_start;

  for (int l = 1; l < net.n_layers - 1; l++) {
    double angle, ratio, bmax;
    dfb_alignment(&mdl, l, &angle, &ratio, &bmax);
    fprintf(stderr, "feedback layer %d: angle %.2f deg, norm ratio %.4f, max |B| %.4f\n", l,
            angle, ratio, bmax);
  }

  /* Evaluation with its own input stream, reset for this pass. */
  uint32_t test_correct = 0;
  uint32_t eval_rng = dfb_seed(net.q.stream_seed[BG_STREAM_INPUT] ^ DFB_EVAL_SEED_XOR);
  for (uint32_t n = 0; n < n_test; n++) {
    int pred = dfb_infer(&mdl, &test.images[(size_t)n * n_pix], &eval_rng);
    test_correct += pred == test.labels[n];
  }

  printf("train_samples %u\n", n_train);
  printf("train_seconds %.3f\n", train_seconds);
  printf("samples_per_second %.2f\n", train_seconds > 0.0 ? n_train / train_seconds : 0.0);
  if (n_test > 0) {
    printf("test_accuracy %.2f\n", 100.0 * test_correct / (double)n_test);
  } else {
    printf("test_accuracy n/a\n");
  }

  dfb_free(&mdl);
  bg_dataset_free(&train);
  bg_dataset_free(&test);
  return 0;
}
