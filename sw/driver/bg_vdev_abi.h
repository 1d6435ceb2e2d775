/* SPDX-License-Identifier: Apache-2.0 */
/* The C interface of a simulated register block (rtl/host/bg_regblock.sv): what the
 * `verilator:` and `systemc:` backends (bg_dev_sim.c) find in the shared library that
 * sim/vdev/bgvdev.sh builds for one description (sim/vdev/bg_vdev_verilator.cpp: the Verilated
 * model clocked from C++; sim/vdev/bg_vdev_systemc.cpp: the same RTL as a SystemC module behind
 * a TLM-2.0 target socket). docs/driver.md, "The RTL backends". */
#ifndef BG_VDEV_ABI_H
#define BG_VDEV_ABI_H

#include <stddef.h>
#include <stdint.h>

#define BG_VDEV_ABI_VERSION 1u

typedef struct bg_vdev bg_vdev_t;

#ifdef __cplusplus
extern "C" {
#endif
/* BG_VDEV_ABI_VERSION of the library. */
uint32_t bg_vdev_abi(void);
/* NET_HASH of the description the library was built for. */
uint32_t bg_vdev_net_hash(void);
/* A new device after a power-on reset; trace: an FST file to write, or NULL. NULL and a
 * message in why on failure. */
bg_vdev_t *bg_vdev_open(const char *trace, char *why, size_t why_len);
void bg_vdev_close(bg_vdev_t *d);
/* One bus transaction (we 0: read into *rdata). 0, or -1 when the block gave no ack within
 * max_cycles clock cycles. */
int bg_vdev_access(bg_vdev_t *d, int we, uint32_t off, uint32_t wdata, uint32_t *rdata,
                   uint64_t max_cycles);
/* Let the clock run while the core is busy, at most max_cycles cycles (a host's wait between
 * two polls of STATUS). Returns the cycles run. */
uint64_t bg_vdev_wait(bg_vdev_t *d, uint64_t max_cycles);
/* Clock cycles since the device was opened. */
uint64_t bg_vdev_cycles(const bg_vdev_t *d);
#ifdef __cplusplus
}
#endif

#endif /* BG_VDEV_ABI_H */
