/* SPDX-License-Identifier: Apache-2.0 */
/* The Loihi-style mapping tier (docs/mapping.md): a target description (sw/mapping/targets/, one JSON file each:
 * data, not code) and the compiler that places a network description's compartments and
 * synapses onto the target's cores, with the routing between them, or says which limit stops it,
 * by how much, and the smallest change that would fit. */
#ifndef BG_MAP_H
#define BG_MAP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "bg_err.h"
#include "bg_net.h"

#define BG_TARGET_FORMAT "biograd-target/1"

typedef struct {
  char file[256];
  char name[32];
  char description[400];
  char sources[256];
  uint32_t cores_per_chip, max_chips;
  uint32_t compartments, input_axons, output_axons;   /* per core */
  uint64_t synaptic_bits;                              /* per core */
  int max_weight_bits, min_exponent, max_exponent;
  int traces_pre, traces_post, trace_bits, max_epoch;
  bool has_energy;
  double e_synop, e_synupd, e_neuron_active, e_neuron_inactive, e_spike_tile, e_hop;  /* pJ */
  bool has_time;
  double t_synop, t_synupd, t_neuron_active, t_neuron_inactive, t_barrier;            /* ns */
} bg_target_t;

int bg_target_parse(const char *text, size_t len, const char *name, bg_target_t *t,
                    bg_err_t *err);
int bg_target_load(const char *path, bg_target_t *t, bg_err_t *err);

/* What one neuron of layer l needs (l >= 1), in the compartments of the golden semantics. */
typedef struct {
  uint32_t compartments;   /* soma + error dendrite (+ the two error interneurons at the output) */
  uint32_t synapses;       /* forward fan-in + feedback into the dendrite */
  uint64_t synaptic_bits;  /* their weight bits */
  uint32_t sources;        /* input axons a core holding this layer needs (shared per layer) */
} bg_map_need_t;

typedef struct {
  uint32_t chip, index;              /* chip, and the core's index on it */
  uint32_t first[BG_NET_MAX_LAYERS]; /* neurons [first, first + count) of each layer */
  uint32_t count[BG_NET_MAX_LAYERS];
  uint32_t compartments, synapses, input_axons, output_axons;
  uint64_t synaptic_bits;
} bg_map_core_t;

typedef struct {
  const bg_net_t *net;
  const bg_target_t *t;
  bg_map_need_t need[BG_NET_MAX_LAYERS];
  int weight_exponent[BG_NET_MAX_LAYERS];   /* exponent of a weight's top bit: bits − 1 − frac */
  uint32_t n_cores, chips;
  bg_map_core_t *core;                      /* n_cores, owned */
  bool fits;
  char reason[512];                         /* why not (empty when it fits) */
  char change[512];                         /* the smallest change that would fit */
} bg_map_t;

/* Place net onto t: compartments in layer order, first fit, a new core when one limit would be
 * exceeded; then the output axons (one per neuron per destination core) are checked. Returns
 * BG_OK whether or not it fits (m->fits says); an error only for a bad argument or memory. */
int bg_map_compile(const bg_net_t *net, const bg_target_t *t, bg_map_t *m, bg_err_t *err);
void bg_map_free(bg_map_t *m);

/* Cores of the map that hold layer l, and the routing edges from core a to core b (one per
 * neuron of a that projects to b: forward spikes, and error spikes into the dendrites). */
uint32_t bg_map_layer_cores(const bg_map_t *m, int l);
uint32_t bg_map_edges(const bg_map_t *m, uint32_t a, uint32_t b);

/* The per-core utilisation table (text) and the mapping as JSON. */
void bg_map_print(const bg_map_t *m, FILE *out);
int bg_map_write_json(const bg_map_t *m, const char *path, bg_err_t *err);

#endif /* BG_MAP_H */
