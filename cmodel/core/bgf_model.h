/* SPDX-License-Identifier: Apache-2.0 */
/* The golden model, float path (bgf_model_t): the same algorithm in double. */
#ifndef BGF_MODEL_H
#define BGF_MODEL_H
#define BG_FLOAT 1
#include "bg_num.h"
#include "bg_model_tmpl.h"
#undef BG_FLOAT
#endif
