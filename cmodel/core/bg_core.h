/* SPDX-License-Identifier: Apache-2.0 */
/* Included first by every cmodel/core source: picks the variant from BG_FLOAT (set by the
 * Makefile: 0 for libbg's bg_* objects, 1 for the bgf_* objects). */
#ifndef BG_CORE_H
#define BG_CORE_H
#ifndef BG_FLOAT
#define BG_FLOAT 0
#endif
#if BG_FLOAT
#include "bgf_model.h"
#define BG_FLOAT 1
#include "bg_num.h"
#else
#include "bg_model.h"
#define BG_FLOAT 0
#include "bg_num.h"
#endif
#endif
