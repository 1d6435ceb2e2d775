/* SPDX-License-Identifier: Apache-2.0 */
/* bgmap: compile a network description onto a Loihi-style target (docs/mapping.md). */
#include <stdio.h>
#include <string.h>

#include "bg_cli_net.h"
#include "bg_map.h"

static const char usage[] =
    "usage: bgmap --target T NET [--report FILE.json] [--targets DIR]\n"
    "Places NET's compartments and synapses onto the cores of target T (a name from DIR, default\n"
    "sw/mapping/targets: loihi1, loihi2, fpga; or a path to a target JSON file), prints the\n"
    "per-core utilisation table, and writes the mapping as JSON with --report. A network that\n"
    "does not fit gets the limit, by how much, and the smallest change that would fit.\n"
    "Exit status: 0 it fits, 3 it does not fit, 1 a bad description or target, 2 usage error.\n";

int main(int argc, char **argv) {
  const char *target = NULL, *netpath = NULL, *report = NULL, *dir = "sw/mapping/targets";
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
    if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
      fputs(usage, stdout);
      return 0;
    } else if (!strcmp(a, "--target") && v) {
      target = argv[++i];
    } else if (!strcmp(a, "--report") && v) {
      report = argv[++i];
    } else if (!strcmp(a, "--targets") && v) {
      dir = argv[++i];
    } else if (a[0] != '-' && netpath == NULL) {
      netpath = a;
    } else {
      fprintf(stderr, "error: unexpected argument \"%s\"\n%s", a, usage);
      return 2;
    }
  }
  if (target == NULL || netpath == NULL) {
    fprintf(stderr, "error: --target and NET are required\n%s", usage);
    return 2;
  }
  char tpath[512];
  if (strchr(target, '/') || strstr(target, ".json")) {
    snprintf(tpath, sizeof tpath, "%s", target);
  } else {
    snprintf(tpath, sizeof tpath, "%s/%s.json", dir, target);
  }
  static bg_net_t net;
  static bg_target_t t;
  bg_err_t err;
  if (bg_cli_load_net(netpath, NULL, &net, &err) != BG_OK || bg_target_load(tpath, &t, &err) != BG_OK) {
    fprintf(stderr, "error: %s\n", err.msg);
    return 1;
  }
  bg_map_t m;
  if (bg_map_compile(&net, &t, &m, &err) != BG_OK) {
    fprintf(stderr, "error: %s\n", err.msg);
    return 1;
  }
  bg_map_print(&m, stdout);
  int rc = m.fits ? 0 : 3;
  if (report && bg_map_write_json(&m, report, &err) != BG_OK) {
    fprintf(stderr, "error: %s\n", err.msg);
    rc = 1;
  }
  bg_map_free(&m);
  return rc;
}
