/* SPDX-License-Identifier: Apache-2.0 */
/* The `verilator:` and `systemc:` backends: the RTL register block and core
 * (rtl/host/bg_regblock.sv) simulated in this process, from the shared library that
 * sim/vdev/bgvdev.sh builds for the description (bg_vdev_abi.h; docs/driver.md, "The RTL
 * backends"). URI: `verilator:[lib=PATH][,trace=FILE.fst]`, `systemc:[lib=PATH]`. Without lib=
 * the library is built (or found up to date) by the project's script, found beside the
 * executable (build/bin/../../sim/vdev) or under $BG_ROOT. Every register access is one bus
 * transaction, acknowledged within kAckCycles or refused as a dead device; a read of STATUS
 * first lets the clock run while the core is busy (kPollCycles, the host's wait between two
 * polls), so polling costs no more than the command itself. */
#define _DEFAULT_SOURCE 1 /* popen, realpath, readlink */

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bg_dev.h"
#include "bg_dev_backend.h"
#include "bg_regs.h"
#include "bg_vdev_abi.h"

enum { kAckCycles = 64, kPollCycles = 20000 };

typedef struct {
  const char *scheme;
  void *so;
  bg_vdev_t *dev;
  uint32_t (*abi)(void);
  uint32_t (*net_hash)(void);
  bg_vdev_t *(*open)(const char *, char *, size_t);
  void (*close)(bg_vdev_t *);
  int (*access)(bg_vdev_t *, int, uint32_t, uint32_t, uint32_t *, uint64_t);
  uint64_t (*wait)(bg_vdev_t *, uint64_t);
} sim_t;

/* The project root: $BG_ROOT, or two levels above the executable (build/bin). */
static int find_root(char *root, size_t n) {
  const char *env = getenv("BG_ROOT");
  char exe[PATH_MAX];
  if (env != NULL && env[0] != '\0') {
    snprintf(root, n, "%s", env);
  } else {
    ssize_t k = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (k <= 0) return -1;
    exe[k] = '\0';
    for (int up = 0; up < 3; up++) {
      char *slash = strrchr(exe, '/');
      if (slash == NULL) return -1;
      *slash = '\0';
    }
    snprintf(root, n, "%s", exe);
  }
  char probe[PATH_MAX + 32];
  snprintf(probe, sizeof probe, "%s/sim/vdev/bgvdev.sh", root);
  return access(probe, R_OK) == 0 ? 0 : -1;
}

/* Build (or find) the library for the description: its path in lib. */
static int build_lib(const char *scheme, const bg_net_t *net, char *lib, size_t n, bg_err_t *err) {
  char root[PATH_MAX], cmd[3 * PATH_MAX];
  if (find_root(root, sizeof root) != 0) {
    return bg_err_set(err, BG_E_ARG, "%s: cannot find sim/vdev/bgvdev.sh beside the executable; "
                      "set BG_ROOT to the project or pass %s:lib=PATH", scheme, scheme);
  }
  if (net->file[0] == '\0' || strchr(net->file, '\'') != NULL) {
    return bg_err_set(err, BG_E_ARG, "%s: the description has no usable file name to build "
                      "the device from; pass %s:lib=PATH", scheme, scheme);
  }
  snprintf(cmd, sizeof cmd, "bash '%s/sim/vdev/bgvdev.sh' --net '%s' --kind %s", root, net->file,
           scheme);
  FILE *p = popen(cmd, "r");
  if (p == NULL) return bg_err_set(err, BG_E_IO, "%s: cannot run %s", scheme, cmd);
  lib[0] = '\0';
  if (fgets(lib, (int)n, p) == NULL) lib[0] = '\0';
  int st = pclose(p);
  lib[strcspn(lib, "\n")] = '\0';
  if (st != 0 || lib[0] == '\0') {
    return bg_err_set(err, BG_E_IO, "%s: building the simulated device for %s failed (%s; its "
                      "message is above)", scheme, net->file, cmd);
  }
  return BG_OK;
}

static int sim_open(const char *scheme, void **state, const char *arg, const bg_net_t *net,
                    bg_err_t *err) {
  char lib[PATH_MAX] = "", trace[PATH_MAX] = "", buf[2 * PATH_MAX];
  const char *env = getenv("BG_VDEV_TRACE");
  if (env != NULL) snprintf(trace, sizeof trace, "%s", env);
  snprintf(buf, sizeof buf, "%s", arg);
  for (char *tok = strtok(buf, ","); tok != NULL; tok = strtok(NULL, ",")) {
    if (strncmp(tok, "lib=", 4) == 0 && tok[4] != '\0') {
      snprintf(lib, sizeof lib, "%s", tok + 4);
    } else if (strncmp(tok, "trace=", 6) == 0 && tok[6] != '\0' && !strcmp(scheme, "verilator")) {
      snprintf(trace, sizeof trace, "%s", tok + 6);
    } else {
      return bg_err_set(err, BG_E_ARG, "%s:%s: unknown option \"%s\" (expected lib=PATH%s)",
                        scheme, arg, tok, !strcmp(scheme, "verilator") ? " or trace=FILE.fst" : "");
    }
  }
  if (lib[0] == '\0') {
    int rc = build_lib(scheme, net, lib, sizeof lib, err);
    if (rc != BG_OK) return rc;
  }
  sim_t *s = calloc(1, sizeof *s);
  if (s == NULL) return bg_err_set(err, BG_E_NOMEM, "%s: out of memory", scheme);
  s->scheme = scheme;
  s->so = dlopen(lib, RTLD_NOW | RTLD_LOCAL);
  if (s->so == NULL) {
    bg_err_set(err, BG_E_IO, "%s: cannot load %s: %s", scheme, lib, dlerror());
    free(s);
    return BG_E_IO;
  }
  *(void **)&s->abi = dlsym(s->so, "bg_vdev_abi");
  *(void **)&s->net_hash = dlsym(s->so, "bg_vdev_net_hash");
  *(void **)&s->open = dlsym(s->so, "bg_vdev_open");
  *(void **)&s->close = dlsym(s->so, "bg_vdev_close");
  *(void **)&s->access = dlsym(s->so, "bg_vdev_access");
  *(void **)&s->wait = dlsym(s->so, "bg_vdev_wait");
  int rc = BG_OK;
  char why[256] = "";
  if (!s->abi || !s->net_hash || !s->open || !s->close || !s->access || !s->wait) {
    rc = bg_err_set(err, BG_E_FORMAT, "%s: %s is not a biograd-hw device library (bg_vdev_* "
                    "symbols missing)", scheme, lib);
  } else if (s->abi() != BG_VDEV_ABI_VERSION) {
    rc = bg_err_set(err, BG_E_FORMAT, "%s: %s has interface version %u, expected %u: rebuild it "
                    "with sim/vdev/bgvdev.sh", scheme, lib, s->abi(), BG_VDEV_ABI_VERSION);
  } else if (s->net_hash() != net->q.hash) {
    rc = bg_err_set(err, BG_E_RANGE, "%s: %s was built for the description with hash 0x%08x, "
                    "not %s (0x%08x)", scheme, lib, s->net_hash(), net->file, net->q.hash);
  } else if ((s->dev = s->open(trace[0] ? trace : NULL, why, sizeof why)) == NULL) {
    rc = bg_err_set(err, BG_E_IO, "%s: %s: %s", scheme, lib, why);
  }
  if (rc != BG_OK) {
    dlclose(s->so);
    free(s);
    return rc;
  }
  *state = s;
  return BG_OK;
}

static void sim_close(void *state) {
  sim_t *s = state;
  if (s == NULL) return;
  s->close(s->dev);
  dlclose(s->so);
  free(s);
}

static int xact(sim_t *s, int we, uint32_t off, uint32_t wdata, uint32_t *rdata, bg_err_t *err) {
  if (s->access(s->dev, we, off, wdata, rdata, kAckCycles) != 0) {
    return bg_err_set(err, BG_E_IO, "%s: the register block did not acknowledge the %s of "
                      "0x%03x within %d cycles", s->scheme, we ? "write" : "read", off, kAckCycles);
  }
  return BG_OK;
}

static int sim_read(void *state, uint32_t off, uint32_t *val, bg_err_t *err) {
  sim_t *s = state;
  if (off == BG_REG_STATUS) s->wait(s->dev, kPollCycles);
  return xact(s, 0, off, 0, val, err);
}

static int sim_write(void *state, uint32_t off, uint32_t val, bg_err_t *err) {
  return xact(state, 1, off, val, NULL, err);
}

static int vl_open(void **state, const char *arg, const bg_net_t *net, bg_err_t *err) {
  return sim_open("verilator", state, arg, net, err);
}
static int sc_open(void **state, const char *arg, const bg_net_t *net, bg_err_t *err) {
  return sim_open("systemc", state, arg, net, err);
}

const bg_dev_backend_t bg_dev_backend_verilator = {
    .scheme = "verilator", .open = vl_open, .close = sim_close, .read = sim_read,
    .write = sim_write};
const bg_dev_backend_t bg_dev_backend_systemc = {
    .scheme = "systemc", .open = sc_open, .close = sim_close, .read = sim_read,
    .write = sim_write};
