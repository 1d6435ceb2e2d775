/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the mapping tier's target reader and the compiler. Any input must give
 * either a clean error with a message, or a target onto which the shipped small net maps (or is
 * refused with a reason) with every core within the limits the placement promises. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bg_map.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char kNet[] =
    "{\"format\": \"biograd-net/1\", \"name\": \"f\", \"layers\": [{\"size\": 16}, {\"size\": 12},"
    " {\"size\": 4}], \"input\": {\"shape\": [4, 4]}, \"time\": {\"steps\": 8, \"error_start\": 2}}";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static bg_net_t net;
  static bool ready;
  bg_err_t err;
  if (!ready) {
    if (bg_net_parse(kNet, strlen(kNet), "f", &net, &err) != BG_OK) abort();
    ready = true;
  }
  static bg_target_t t;
  err.msg[0] = '\0';
  int rc = bg_target_parse((const char *)data, size, "fuzz.json", &t, &err);
  if (rc != BG_OK) {
    if (rc >= 0 || err.msg[0] == '\0') abort();
    return 0;
  }
  if (t.synaptic_bits > (UINT64_C(1) << 40) || t.compartments > (1u << 24)) return 0;
  bg_map_t m;
  if (bg_map_compile(&net, &t, &m, &err) != BG_OK) abort();
  if (!m.fits && m.reason[0] == '\0') abort();
  for (uint32_t c = 0; m.fits && c < m.n_cores; c++) {
    const bg_map_core_t *k = &m.core[c];
    if (k->compartments > t.compartments || k->synaptic_bits > t.synaptic_bits ||
        k->input_axons > t.input_axons || k->output_axons > t.output_axons)
      abort();
  }
  bg_map_free(&m);
  return 0;
}
