// SPDX-License-Identifier: Apache-2.0
// The `verilator:` device: the Verilated register block and core (rtl/host/bg_regblock.sv),
// clocked from C++ inside every bus access (sw/driver/bg_vdev_abi.h). Built per description
// by sim/vdev/bgvdev.sh into a shared library the driver loads.
#include <cstdio>
#include <cstring>
#include <memory>

#include "Vbg_regblock.h"
#include "bg_vdev_abi.h"
#include "verilated.h"
#include "verilated_fst_c.h"

#ifndef BG_VDEV_NET_HASH
#error "BG_VDEV_NET_HASH: the description's hash, set by sim/vdev/bgvdev.sh"
#endif

struct bg_vdev {
  std::unique_ptr<VerilatedContext> ctx;
  std::unique_ptr<Vbg_regblock> top;
  std::unique_ptr<VerilatedFstC> fst;
  uint64_t cycles = 0;
};

// One clock cycle: the inputs set before it are sampled at its rising edge.
static void tick(bg_vdev_t *d) {
  d->top->clk = 0;
  d->top->eval();
  if (d->fst) d->fst->dump(d->ctx->time());
  d->ctx->timeInc(1);
  d->top->clk = 1;
  d->top->eval();
  if (d->fst) d->fst->dump(d->ctx->time());
  d->ctx->timeInc(1);
  d->cycles++;
}

extern "C" uint32_t bg_vdev_abi(void) { return BG_VDEV_ABI_VERSION; }
extern "C" uint32_t bg_vdev_net_hash(void) { return BG_VDEV_NET_HASH; }

extern "C" bg_vdev_t *bg_vdev_open(const char *trace, char *why, size_t why_len) {
  auto *d = new bg_vdev;
  d->ctx = std::make_unique<VerilatedContext>();
  d->top = std::make_unique<Vbg_regblock>(d->ctx.get(), "bg");
  if (trace != nullptr && trace[0] != '\0') {
    d->ctx->traceEverOn(true);
    d->fst = std::make_unique<VerilatedFstC>();
    d->top->trace(d->fst.get(), 99);
    d->fst->open(trace);
    if (!d->fst->isOpen()) {
      std::snprintf(why, why_len, "cannot write the waveform %s", trace);
      delete d;
      return nullptr;
    }
  }
  d->top->req = 0;
  d->top->rst_n = 0;
  for (int k = 0; k < 4; k++) tick(d);
  d->top->rst_n = 1;
  for (int k = 0; k < 8; k++) tick(d);   // the block seeds the core's streams
  return d;
}

extern "C" void bg_vdev_close(bg_vdev_t *d) {
  if (d == nullptr) return;
  if (d->fst) d->fst->close();
  d->top->final();
  delete d;
}

extern "C" int bg_vdev_access(bg_vdev_t *d, int we, uint32_t off, uint32_t wdata,
                              uint32_t *rdata, uint64_t max_cycles) {
  d->top->req = 1;
  d->top->we = we ? 1 : 0;
  d->top->addr = off;
  d->top->wdata = wdata;
  for (uint64_t n = 0; n < max_cycles; n++) {
    tick(d);
    if (d->top->ack) {
      d->top->req = 0;
      if (rdata != nullptr) *rdata = d->top->rdata;
      return 0;
    }
  }
  d->top->req = 0;
  return -1;
}

extern "C" uint64_t bg_vdev_wait(bg_vdev_t *d, uint64_t max_cycles) {
  uint64_t n = 0;
  while (n < max_cycles && d->top->busy_o) {
    tick(d);
    n++;
  }
  return n;
}

extern "C" uint64_t bg_vdev_cycles(const bg_vdev_t *d) { return d->cycles; }
