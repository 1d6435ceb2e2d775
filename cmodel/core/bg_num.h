/* SPDX-License-Identifier: Apache-2.0 */
/* The integer/float switch of the golden model. cmodel/core is compiled twice: BG_FLOAT=0 gives
 * the integer path (bg_* symbols, int32 state, every product rounded and every store
 * saturated), BG_FLOAT=1 the float path (bgf_* symbols, double, rounding and saturation are the
 * identity). The statements are the same, so the two paths share every operation's order and
 * every random draw. Deliberately no include guard: it is re-included per variant. */
#include <stdint.h>

#include "bg_fixed.h"

#undef BG
#undef BG_VAL
#undef BG_WIDE
#undef BG_ONE
#undef BG_MULR
#undef BG_RND
#undef BG_RESCALE
#undef BG_SAT
#undef BG_PARAM
#undef BG_ABS
#undef BG_PICK
#undef BG_MULR_P
#undef BG_RESCALE_P
#undef BG_SAT_P

#if BG_FLOAT
#define BG(x) bgf_##x
#define BG_VAL double                       /* a stored value: state, weight */
#define BG_WIDE double                      /* an intermediate: sums, products, dendrites */
/* the format arguments are evaluated and discarded, so both paths use the same variables */
#define BG_ONE(frac) ((void)(frac), 1.0)
#define BG_MULR(a, b, n) ((void)(n), (double)(a) * (double)(b))
#define BG_RND(x, n) ((void)(n), (double)(x))
#define BG_RESCALE(x, from, to) ((void)(from), (void)(to), (double)(x))
#define BG_SAT(x, bits, ctr) ((void)(bits), (void)(ctr), (double)(x))
#define BG_PARAM(q, real) ((void)(q), (double)(real))  /* a constant: the real value */
#define BG_PICK(c, a, b) ((c) ? (double)(a) : (double)(b))
#define BG_MULR_P(a, b, r) ((void)(r), (double)(a) * (double)(b))
#define BG_RESCALE_P(x, r) ((void)(r), (double)(x))
#define BG_SAT_P(x, s, ctr) ((void)(s), (void)(ctr), (double)(x))
#else
#define BG(x) bg_##x
#define BG_VAL int32_t
#define BG_WIDE int64_t
#define BG_ONE(frac) (INT64_C(1) << (frac))
/* a·b rounded to n fewer fraction bits (operands are at most 32 bits wide: no overflow) */
#define BG_MULR(a, b, n) bg_rnd((int64_t)(a) * (int64_t)(b), (n))
#define BG_RND(x, n) bg_rnd((x), (n))
#define BG_RESCALE(x, from, to) bg_rescale((x), (from), (to))
#define BG_SAT(x, bits, ctr) bg_sat((x), (bits), (ctr))
#define BG_PARAM(q, real) ((void)(real), (int64_t)(q))  /* a constant: the quantised integer */
/* c ? a : b without a branch: the conditions are spikes, window bits and reset factors, which
 * a branch predictor cannot learn (docs/cmodel.md, "Speed") */
#define BG_PICK(c, a, b) bg_pick((c), (a), (b))
/* BG_MULR, BG_RESCALE and BG_SAT with the shift or limits prepared once (bg_rnd_prep(n), the
 * shift n of the plain form; bg_sat_prep(bits)), for inner loops */
#define BG_MULR_P(a, b, r) bg_rnd_by((int64_t)(a) * (int64_t)(b), (r))
#define BG_RESCALE_P(x, r) bg_rnd_by((x), (r))
#define BG_SAT_P(x, s, ctr) bg_sat_by((x), (s), (ctr))
#endif
#define BG_ABS(x) ((x) < 0 ? -(x) : (x))
