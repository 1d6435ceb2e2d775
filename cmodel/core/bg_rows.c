/* SPDX-License-Identifier: Apache-2.0 */
/* Row accumulation, the inner loop of the synaptic core (input sums), the learning engine
 * (eligibilities from the backward kernel) and the sleep unit (noise drive). Not an RTL block
 * of its own: each of those blocks reads one memory row per event and adds it to its
 * accumulators, which is what this does for a list of events (docs/cmodel.md, "Speed"). */
#include "bg_core.h"

/* The columns are done in tiles of BG_ROWS_TILE sums kept in registers across all the rows: the
 * row-by-row loop stores every partial sum back to memory, which is what bounded its speed.
 * Every acc[i] still takes the rows in list order, so the float path's sums are unchanged.
 * The last n mod BG_ROWS_TILE columns are a full tile too: its extra lanes read on into the
 * next row (or the BG_ROWS_TILE elements of padding after the last one, see bg_model.c) and are
 * never stored. Those values come from the same array, so whatever bound the caller relies on
 * for the sums holds in the extra lanes as well: no overflow there either.
 * Defined once per accumulator type and operator (+= or −=): a run-time choice inside the loop
 * keeps GCC 12 from vectorising the tile. */
#define ROWS_DEFINE(name, ACC_T, OP)                                                         \
  void name(ACC_T *restrict acc, const BG_VAL *restrict rows, const uint32_t *restrict idx,  \
            uint32_t cnt, uint32_t n) {                                                      \
    uint32_t i0 = 0;                                                                         \
    for (; i0 + BG_ROWS_TILE <= n; i0 += BG_ROWS_TILE) {                                     \
      ACC_T t[BG_ROWS_TILE];                                                                 \
      for (uint32_t k = 0; k < BG_ROWS_TILE; k++) t[k] = acc[i0 + k];                        \
      for (uint32_t a = 0; a < cnt; a++) {                                                   \
        const BG_VAL *r = rows + (size_t)idx[a] * n + i0;                                    \
        for (uint32_t k = 0; k < BG_ROWS_TILE; k++) t[k] OP (ACC_T)r[k];                     \
      }                                                                                      \
      for (uint32_t k = 0; k < BG_ROWS_TILE; k++) acc[i0 + k] = t[k];                        \
    }                                                                                        \
    if (i0 == n) return;                                                                     \
    const uint32_t w = n - i0;                      /* the last, partial tile */             \
    ACC_T t[BG_ROWS_TILE];                                                                   \
    for (uint32_t k = 0; k < BG_ROWS_TILE; k++) t[k] = 0;                                    \
    for (uint32_t k = 0; k < w; k++) t[k] = acc[i0 + k];                                     \
    for (uint32_t a = 0; a < cnt; a++) {                                                     \
      const BG_VAL *r = rows + (size_t)idx[a] * n + i0;                                      \
      for (uint32_t k = 0; k < BG_ROWS_TILE; k++) t[k] OP (ACC_T)r[k];                       \
    }                                                                                        \
    for (uint32_t k = 0; k < w; k++) acc[i0 + k] = t[k];                                     \
  }

ROWS_DEFINE(BG(rows_add), BG_WIDE, +=)
ROWS_DEFINE(BG(rows_sub), BG_WIDE, -=)
#if !BG_FLOAT
ROWS_DEFINE(bg_rows_add32, int32_t, +=)
ROWS_DEFINE(bg_rows_sub32, int32_t, -=)
#endif
