/* SPDX-License-Identifier: Apache-2.0 */
/* bgnet: check, dump and generate from a network description (docs/netdesc.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bg_net.h"

static void usage(FILE *f) {
  fprintf(f,
          "usage: bgnet check NET...                  validate; print a one-screen summary\n"
          "       bgnet dump NET                      canonical JSON with every default filled in\n"
          "       bgnet gen c|verilog|hls NET -o DIR  write bg_cfg.h | bg_cfg_pkg.sv | "
          "bg_hls_cfg.h\n"
          "       bgnet consts NET                    the generated constants as NAME VALUE lines\n"
          "Exit status: 0 on success, 1 when a description is invalid, 2 on a usage error.\n"
          "Schema: docs/netdesc.md\n");
}

/* 1234567 -> "1,234,567" */
static const char *grouped(unsigned long long v, char *buf, size_t len) {
  char tmp[32];
  int n = snprintf(tmp, sizeof tmp, "%llu", v);
  size_t k = 0;
  for (int i = 0; i < n && k + 2 < len; i++) {
    if (i > 0 && (n - i) % 3 == 0) buf[k++] = ',';
    buf[k++] = tmp[i];
  }
  buf[k] = '\0';
  return buf;
}

static void summary(const bg_net_t *net) {
  char a[32], b[32], c[32];
  printf("%s: ok (net \"%s\", %s, rule %s, hash 0x%08x)\n", net->file, net->name, BG_NET_FORMAT,
         bg_net_rule_name(net->rule), net->q.hash);
  printf("  layers    ");
  for (int l = 0; l < net->n_layers; l++) {
    printf("%s%u", l ? " -> " : "", net->layers[l].size);
  }
  printf("   (%d hidden; input %s %ux%ux%u)\n", net->n_layers - 2,
         net->input.encoding == BG_ENC_RATE ? "rate-coded" : "event frames", net->input.shape[0],
         net->input.shape[1], net->input.shape[2]);
  printf("  time      T = %u steps, error phase from t0 = %u (F = %u); batch %u; ",
         net->time.steps, net->time.error_start, net->q.error_steps, net->learning.batch);
  if (net->sleep.enabled) {
    printf("sleep every %u samples (K = %u x Ts = %u)\n", net->sleep.period, net->sleep.samples,
           net->sleep.steps);
  } else {
    printf("no sleep\n");
  }
  unsigned long long fwd = 0, fb = 0, bias = 0;
  uint32_t n_out = net->layers[net->n_layers - 1].size;
  for (int l = 1; l < net->n_layers; l++) {
    fwd += net->layers[l].q.synapses;
    if (net->learning.bias) bias += net->layers[l].size;
    if (l < net->n_layers - 1) fb += (unsigned long long)net->layers[l].size * n_out;
  }
  printf("  synapses  %s forward, %s feedback, %s biases\n", grouped(fwd, a, sizeof a),
         grouped(fb, b, sizeof b), grouped(bias, c, sizeof c));
  printf("  learning  eta' = %u * 2^-%u, %s mode, %s rounding; sleep eta = %u * 2^-%u\n",
         net->q.eta_m, net->q.eta_sh, net->learning.mode == BG_LEARN_TRACE ? "trace" : "replay",
         net->learning.rounding == BG_ROUND_NEAREST ? "nearest" : "stochastic",
         net->q.sleep_eta_m, net->q.sleep_eta_sh);
  bg_net_mem_t rows[64];
  int n = bg_net_memory(net, rows, 64);
  if (n > 64) n = 64;
  printf("  memory    %-10s %-42s %12s %5s %14s\n", "table", "contents", "entries", "width",
         "bits");
  unsigned long long total = 0;
  for (int i = 0; i < n; i++) {
    unsigned long long bits = rows[i].entries * (unsigned long long)rows[i].width;
    total += bits;
    printf("            %-10s %-42s %12s %5d %14s\n", rows[i].table, rows[i].what,
           grouped(rows[i].entries, a, sizeof a), rows[i].width, grouped(bits, b, sizeof b));
  }
  printf("            %-10s %-42s %12s %5s %14s  (%.1f KiB)\n", "total", "", "", "",
         grouped(total, a, sizeof a), (double)total / 8192.0);
}

static int load_or_report(const char *path, bg_net_t *net) {
  bg_err_t err;
  if (bg_net_load(path, net, &err) != BG_OK) {
    fprintf(stderr, "%s\n", err.msg);
    return 1;
  }
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
    usage(argc < 2 ? stderr : stdout);
    return argc < 2 ? 2 : 0;
  }
  static bg_net_t net;
  const char *cmd = argv[1];
  if (strcmp(cmd, "check") == 0) {
    if (argc < 3) {
      usage(stderr);
      return 2;
    }
    int bad = 0;
    for (int i = 2; i < argc; i++) {
      if (load_or_report(argv[i], &net) != 0) {
        bad = 1;
      } else {
        summary(&net);
      }
    }
    return bad;
  }
  if (strcmp(cmd, "dump") == 0 || strcmp(cmd, "consts") == 0) {
    if (argc != 3) {
      usage(stderr);
      return 2;
    }
    if (load_or_report(argv[2], &net) != 0) return 1;
    if (cmd[0] == 'd') {
      char *text = bg_net_dump(&net);
      if (text == NULL) {
        fprintf(stderr, "bgnet: out of memory\n");
        return 1;
      }
      fputs(text, stdout);
      free(text);
      return 0;
    }
    static bg_net_const_t consts[1024];
    int n = bg_net_constants(&net, consts, 1024);
    for (int i = 0; i < n && i < 1024; i++) {
      if (consts[i].hex32) {
        printf("%s %u\n", consts[i].name, (uint32_t)consts[i].value);
      } else {
        printf("%s %lld\n", consts[i].name, (long long)consts[i].value);
      }
    }
    return 0;
  }
  if (strcmp(cmd, "gen") == 0) {
    if (argc != 6 || strcmp(argv[4], "-o") != 0) {
      usage(stderr);
      return 2;
    }
    if (strcmp(argv[2], "c") != 0 && strcmp(argv[2], "verilog") != 0 &&
        strcmp(argv[2], "hls") != 0) {
      fprintf(stderr, "bgnet: unknown generator \"%s\" (expected c, verilog or hls)\n", argv[2]);
      return 2;
    }
    if (load_or_report(argv[3], &net) != 0) return 1;
    bg_err_t err;
    char written[512];
    if (bg_net_gen(&net, argv[2], argv[5], written, sizeof written, &err) != BG_OK) {
      fprintf(stderr, "bgnet: %s\n", err.msg);
      return 1;
    }
    printf("%s\n", written);
    return 0;
  }
  fprintf(stderr, "bgnet: unknown command \"%s\"\n", cmd);
  usage(stderr);
  return 2;
}
