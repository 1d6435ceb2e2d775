/* SPDX-License-Identifier: Apache-2.0 */
/* bgvec: golden vectors for the hardware tiers. Runs the integer golden model on N training
 * samples of seeded random images and writes, per sample, every value a cosimulation compares:
 * the input pixels and label, the spike raster of every layer, the window bits and reset factors
 * (replay records), the error dendrites, the output counts, and the weights, biases and feedback
 * weights after the sample's update step (and sleep call, when one is due). Text, one record per
 * line, integers in decimal; the format is in docs/cmodel.md ("Golden vectors"). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bg_cli_net.h"
#include "bg_model.h"

static const char usage[] =
    "usage: bgvec --net NET --samples N [--data-seed S] [-o FILE]\n"
    "\n"
    "Writes golden vectors of N training samples (random images from the xorshift32 stream\n"
    "seeded with S, default 1; labels = word % outputs) to FILE (default stdout).\n";

static void put_u8s(FILE *f, const char *tag, const uint8_t *a, uint32_t n) {
  fputs(tag, f);
  for (uint32_t i = 0; i < n; i++) fprintf(f, " %u", a[i]);
  fputc('\n', f);
}

static void put_i32s(FILE *f, const char *tag, const int32_t *a, size_t n) {
  fputs(tag, f);
  for (size_t i = 0; i < n; i++) fprintf(f, " %d", a[i]);
  fputc('\n', f);
}

/* Every layer's weights, biases and feedback weights, one line each (tags w<l>, b<l>, fb<l>). */
static void put_weights(FILE *f, const bg_model_t *m, const char *prefix) {
  const uint32_t n_out = m->layer[m->n_layers - 1].n;
  for (int l = 1; l < m->n_layers; l++) {
    const bg_model_layer_t *ly = &m->layer[l];
    char tag[32];
    snprintf(tag, sizeof tag, "%sw%d", prefix, l);
    put_i32s(f, tag, ly->w, (size_t)ly->fan_in * ly->n);
    snprintf(tag, sizeof tag, "%sb%d", prefix, l);
    put_i32s(f, tag, ly->b, ly->n);
    if (ly->fb) {
      snprintf(tag, sizeof tag, "%sfb%d", prefix, l);
      put_i32s(f, tag, ly->fb, (size_t)ly->n * n_out);
    }
  }
}

int main(int argc, char **argv) {
  const char *netpath = NULL, *out = NULL;
  uint32_t n = 0, dseed = 1;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      fputs(usage, stdout);
      return 0;
    }
    if (v == NULL) {
      fprintf(stderr, "error: %s: missing value or unknown option\n\n%s", a, usage);
      return 2;
    }
    i++;
    if (!strcmp(a, "--net")) netpath = v;
    else if (!strcmp(a, "-o")) out = v;
    else if (!strcmp(a, "--samples")) n = bg_cli_u32(a, v);
    else if (!strcmp(a, "--data-seed")) dseed = bg_cli_u32(a, v);
    else {
      fprintf(stderr, "error: unknown option %s\n\n%s", a, usage);
      return 2;
    }
  }
  if (netpath == NULL || n == 0) {
    fprintf(stderr, "error: --net and --samples (>= 1) are required\n\n%s", usage);
    return 2;
  }
  bg_err_t err;
  static bg_net_t net;
  static bg_model_t m;
  if (bg_cli_load_net(netpath, NULL, &net, &err) != BG_OK || bg_model_init(&m, &net, &err) != BG_OK) {
    fprintf(stderr, "error: %s\n", err.msg);
    return 1;
  }
  if (net.input.encoding != BG_ENC_RATE) {
    fprintf(stderr, "error: %s: input.encoding: expected \"rate\" (bgvec draws random images)\n", netpath);
    return 1;
  }
  FILE *f = out ? fopen(out, "w") : stdout;
  if (f == NULL) {
    perror(out);
    return 1;
  }
  const int L = m.n_layers - 1;
  const uint32_t n_in = m.layer[0].n, n_out = m.layer[L].n;
  uint8_t *px = malloc(n_in);
  if (px == NULL) return 1;
  bg_rng_t data;
  bg_rng_seed(&data, dseed);
  fprintf(f, "# golden vectors written by bgvec from %s; regenerate, never edit\n", net.name);
  fprintf(f, "net %s hash %08x samples %u data_seed %u\n", net.name, net.q.hash, n, dseed);
  put_weights(f, &m, "init ");
  for (uint32_t s = 0; s < n; s++) {
    for (uint32_t j = 0; j < n_in; j++) px[j] = (uint8_t)(bg_rng_next(&data) >> 24);
    int label = (int)(bg_rng_next(&data) % n_out);
    m.rule->train_sample(&m, px, label);
    fprintf(f, "sample %u label %d prediction %d\n", s, label, bg_model_prediction(&m));
    put_u8s(f, "pixels", px, n_in);
    for (uint32_t t = 0; t < m.T; t++) {
      for (int l = 0; l <= L; l++) {
        const bg_model_layer_t *ly = &m.layer[l];
        char tag[48];
        snprintf(tag, sizeof tag, "t %u l %d spikes", t, l);
        put_u8s(f, tag, ly->raster + (size_t)t * ly->n, ly->n);
        if (l == 0) continue;
        snprintf(tag, sizeof tag, "t %u l %d window", t, l);
        put_u8s(f, tag, ly->g_rec + (size_t)t * ly->n, ly->n);
        snprintf(tag, sizeof tag, "t %u l %d reset_factor", t, l);
        put_i32s(f, tag, ly->m_rec + (size_t)t * ly->n, ly->n);
      }
    }
    for (int l = 1; l <= L; l++) {
      fprintf(f, "dendrite %d", l);
      for (uint32_t i = 0; i < m.layer[l].n; i++) fprintf(f, " %lld", (long long)m.layer[l].d[i]);
      fputc('\n', f);
    }
    uint64_t sleeps = m.ctr.sleeps;
    bg_model_after_sample(&m);
    fprintf(f, "after sample %u updates %llu sleeps %llu rounding_draws %llu\n", s,
            (unsigned long long)m.ctr.updates, (unsigned long long)(m.ctr.sleeps - sleeps),
            (unsigned long long)m.ctr.rounding_draws);
    put_weights(f, &m, "");
  }
  const bg_sat_t *st = &m.sat;
  fprintf(f, "end saturations %llu\n", (unsigned long long)(st->v + st->z + st->e + st->k + st->u +
                                                          st->d + st->w + st->b + st->fb + st->acc));
  free(px);
  bg_model_free(&m);
  if (out && fclose(f) != 0) {
    perror(out);
    return 1;
  }
  return 0;
}
