/* SPDX-License-Identifier: Apache-2.0 */
/* The loihi1 semantics in the mapping report: the rule as Loihi 1's learning engine runs it
 * (docs/mapping.md, "Loihi 1 semantics"), with the constants of bgmap's default options. */
#ifndef BG_LOIHI1_REPORT_H
#define BG_LOIHI1_REPORT_H

#include <cjson/cJSON.h>

#include "bg_map.h"

/* Add "loihi1_terms" (target, dependency, scale, factors, replaces) to the report object j. */
void bg_l1_report_terms(const bg_map_t *m, cJSON *j);

#endif /* BG_LOIHI1_REPORT_H */
