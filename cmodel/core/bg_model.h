/* SPDX-License-Identifier: Apache-2.0 */
/* The golden model, integer path (bg_model_t): the specification the hardware tiers match. */
#ifndef BG_MODEL_H
#define BG_MODEL_H
#define BG_FLOAT 0
#include "bg_num.h"
#include "bg_model_tmpl.h"
#undef BG_FLOAT
#endif
