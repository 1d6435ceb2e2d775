/* SPDX-License-Identifier: Apache-2.0 */
/* The HLS kernels' 128-bit emulation (hls/bg_hls_wide.h) against the golden model's __int128
 * bg_scale_round: random operands of every width, both rounding modes, shifts 0..100, the same
 * stream of rounding draws. */
#include <inttypes.h>
#include <stdio.h>

#include "bg_fixed.h"
#include "bg_hls_wide.h"

int main(void) {
  bg_rng_t gen, golden;
  bg_rng_seed(&gen, 12345);
  bg_rng_seed(&golden, 777);
  uint32_t mine = golden.state;
  uint64_t draws = 0, sat = 0, n = 0, bad = 0;
  for (; n < 2000000 && bad == 0; n++) {
    int xb = (int)(bg_rng_next(&gen) % 64) + 1, mb = (int)(bg_rng_next(&gen) % 33) + 1;
    uint64_t xr = ((uint64_t)bg_rng_next(&gen) << 32) | bg_rng_next(&gen);
    uint64_t mr = ((uint64_t)bg_rng_next(&gen) << 32) | bg_rng_next(&gen);
    int64_t x = (int64_t)(xr << (64 - xb)) >> (64 - xb);   /* sign-extended xb-bit value */
    int64_t mul = (int64_t)(mr << (64 - mb)) >> (64 - mb);
    int sh = (int)(bg_rng_next(&gen) % 101);
    int stoch = (int)(bg_rng_next(&gen) & 1u);
    int64_t want = bg_scale_round(x, mul, sh, stoch, &golden, &draws, &sat);
    int64_t got = bg_hls_scale_round(x, mul, sh, stoch, &mine);
    if (want != got || golden.state != mine) {
      bad++;
      printf("wide: FIRST DIVERGENCE at case %" PRIu64 ": x %" PRId64 " mul %" PRId64 " sh %d %s: "
             "expected %" PRId64 ", got %" PRId64 "\n", n, x, mul, sh, stoch ? "stochastic" : "nearest",
             want, got);
    }
  }
  printf("wide: %" PRIu64 " cases, %" PRIu64 " mismatches\n", n, bad);
  return bad ? 1 : 0;
}
