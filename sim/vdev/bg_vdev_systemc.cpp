// SPDX-License-Identifier: Apache-2.0
// The `systemc:` device: a SystemC TLM-2.0 virtual platform around the same RTL as verilator:
// (rtl/host/bg_regblock.sv with the core, Verilated with --sc). The platform has three parts:
//   bg_vp_target     the Verilated block behind a tlm_utils::simple_target_socket: b_transport
//                    drives the block's bus pins for the clock edges a transaction takes and adds
//                    nothing to the delay it returns (the time is spent in wait());
//   bg_vp_initiator  an SC_THREAD with a simple_initiator_socket that performs the driver's
//                    accesses, one b_transport each, and waits on the block's busy line (its
//                    interrupt) between two polls of STATUS;
//   the C ABI        (sw/driver/bg_vdev_abi.h) hands each access of the host driver to the
//                    initiator and runs the simulation (sc_start) until the initiator pauses it.
// transport_dbg answers 0 bytes: the RTL has no untimed path to its registers or memories, so
// every access, bulk memory included, goes through timed bus cycles (docs/driver.md).
// One platform per process (SystemC elaborates once): a second open resets it.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "Vbg_regblock.h"
#include "bg_vdev_abi.h"

#ifndef BG_VDEV_NET_HASH
#error "BG_VDEV_NET_HASH: the description's hash, set by sim/vdev/bgvdev.sh"
#endif

using namespace sc_core;

static const sc_time kPeriod(10, SC_NS);   // a nominal 100 MHz bus clock

// ---- the target: the Verilated register block --------------------------------------------------
struct bg_vp_target : sc_module {
  tlm_utils::simple_target_socket<bg_vp_target, 32> socket{"socket"};
  sc_clock clk{"clk", kPeriod};
  sc_signal<bool> rst_n{"rst_n"}, req{"req"}, we{"we"}, ack{"ack"}, busy{"busy"}, done{"done"};
  sc_signal<uint32_t> addr{"addr"}, wdata{"wdata"}, rdata{"rdata"};
  Vbg_regblock rtl{"rtl"};
  uint64_t max_cycles = 64;

  SC_CTOR(bg_vp_target) {
    rtl.clk(clk);
    rtl.rst_n(rst_n);
    rtl.req(req);
    rtl.we(we);
    rtl.addr(addr);
    rtl.wdata(wdata);
    rtl.ack(ack);
    rtl.rdata(rdata);
    rtl.busy_o(busy);
    rtl.done_o(done);
    socket.register_b_transport(this, &bg_vp_target::b_transport);
    socket.register_transport_dbg(this, &bg_vp_target::transport_dbg);
  }

  // Pins change just after a falling edge and are sampled at the next rising one; the block's
  // outputs are read at the falling edge after it, when they have settled.
  void b_transport(tlm::tlm_generic_payload &tx, sc_time &delay) {
    wait(delay);
    delay = SC_ZERO_TIME;
    if (tx.get_data_length() != 4 || tx.get_streaming_width() < 4 ||
        tx.get_byte_enable_ptr() != nullptr || tx.get_address() > 0xFFFFFFFFu) {
      tx.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);   // one 32-bit word at a time
      return;
    }
    // any other address goes to the block, which flags what it does not decode (ERROR.BAD_ADDR)
    uint32_t v = 0;
    std::memcpy(&v, tx.get_data_ptr(), 4);
    wait(clk.negedge_event());
    req.write(true);
    we.write(tx.is_write());
    addr.write(static_cast<uint32_t>(tx.get_address()));
    wdata.write(v);
    for (uint64_t n = 0; n < max_cycles; n++) {
      wait(clk.negedge_event());
      if (ack.read()) {
        req.write(false);
        if (tx.is_read()) {
          v = rdata.read();
          std::memcpy(tx.get_data_ptr(), &v, 4);
        }
        tx.set_response_status(tlm::TLM_OK_RESPONSE);
        return;
      }
    }
    req.write(false);
    tx.set_response_status(tlm::TLM_GENERIC_ERROR_RESPONSE);   // no ack: a dead device
  }

  unsigned int transport_dbg(tlm::tlm_generic_payload &) { return 0; }
};

// ---- the initiator: the driver's accesses ------------------------------------------------------
enum op_e { OP_NONE, OP_RESET, OP_ACCESS, OP_WAIT };

struct bg_vp_initiator : sc_module {
  tlm_utils::simple_initiator_socket<bg_vp_initiator, 32> socket{"socket"};
  bg_vp_target *target = nullptr;       // its reset and busy lines (not bus traffic)
  op_e op = OP_NONE;
  bool we = false;
  uint32_t off = 0, data = 0;
  uint64_t max_cycles = 0, waited = 0;
  bool ok = false;

  SC_CTOR(bg_vp_initiator) { SC_THREAD(run); }

  void run() {
    for (;;) {
      switch (op) {
        case OP_RESET:
          target->rst_n.write(false);
          wait(4 * kPeriod);
          target->rst_n.write(true);
          wait(8 * kPeriod);                           // the block seeds the core's streams
          ok = true;
          break;
        case OP_ACCESS: {
          tlm::tlm_generic_payload tx;
          sc_time delay = SC_ZERO_TIME;
          unsigned char buf[4];
          std::memcpy(buf, &data, 4);
          tx.set_command(we ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND);
          tx.set_address(off);
          tx.set_data_ptr(buf);
          tx.set_data_length(4);
          tx.set_streaming_width(4);
          tx.set_byte_enable_ptr(nullptr);
          tx.set_dmi_allowed(false);
          tx.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
          target->max_cycles = max_cycles;
          socket->b_transport(tx, delay);
          ok = tx.is_response_ok();
          if (ok && !we) std::memcpy(&data, buf, 4);
          break;
        }
        case OP_WAIT: {
          const sc_time t0 = sc_time_stamp();
          if (target->busy.read()) wait(static_cast<double>(max_cycles) * kPeriod, target->busy.negedge_event());
          waited = static_cast<uint64_t>((sc_time_stamp() - t0) / kPeriod);
          ok = true;
          break;
        }
        default: break;
      }
      op = OP_NONE;
      sc_pause();                                      // back to the host
      wait(SC_ZERO_TIME);                              // resumes at the next sc_start
    }
  }
};

struct bg_vp_platform : sc_module {
  bg_vp_target target{"target"};
  bg_vp_initiator cpu{"cpu"};
  SC_CTOR(bg_vp_platform) {
    cpu.socket.bind(target.socket);
    cpu.target = &target;
  }
};

struct bg_vdev {
  bg_vp_platform *vp = nullptr;
  bool open = false;
};
static bg_vdev g_dev;

// Hand one operation to the initiator and run the simulation until it is done.
static bool perform(op_e op) {
  g_dev.vp->cpu.op = op;
  g_dev.vp->cpu.ok = false;
  sc_start();
  return g_dev.vp->cpu.op == OP_NONE && g_dev.vp->cpu.ok;
}

int sc_main(int, char **) { return 1; }   // libsystemc's main() is never used here

extern "C" uint32_t bg_vdev_abi(void) { return BG_VDEV_ABI_VERSION; }
extern "C" uint32_t bg_vdev_net_hash(void) { return BG_VDEV_NET_HASH; }

extern "C" bg_vdev_t *bg_vdev_open(const char *trace, char *why, size_t why_len) {
  if (trace != nullptr) {
    std::snprintf(why, why_len, "waveforms are written by the verilator: backend (trace=)");
    return nullptr;
  }
  if (g_dev.open) {
    std::snprintf(why, why_len, "one systemc: platform per process, and it is open");
    return nullptr;
  }
  if (g_dev.vp == nullptr) {
    setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);
    sc_report_handler::set_actions(SC_INFO, SC_DO_NOTHING);
    g_dev.vp = new bg_vp_platform("bg_vp");
  }
  if (!perform(OP_RESET)) {
    std::snprintf(why, why_len, "the platform did not come out of reset");
    return nullptr;
  }
  g_dev.open = true;
  return &g_dev;
}

extern "C" void bg_vdev_close(bg_vdev_t *d) {
  if (d != nullptr) d->open = false;   // the platform stays elaborated for the next open
}

extern "C" int bg_vdev_access(bg_vdev_t *d, int we, uint32_t off, uint32_t wdata,
                              uint32_t *rdata, uint64_t max_cycles) {
  bg_vp_initiator &c = d->vp->cpu;
  c.we = we != 0;
  c.off = off;
  c.data = wdata;
  c.max_cycles = max_cycles;
  if (!perform(OP_ACCESS)) return -1;
  if (rdata != nullptr) *rdata = c.data;
  return 0;
}

extern "C" uint64_t bg_vdev_wait(bg_vdev_t *d, uint64_t max_cycles) {
  d->vp->cpu.max_cycles = max_cycles;
  perform(OP_WAIT);
  return d->vp->cpu.waited;
}

extern "C" uint64_t bg_vdev_cycles(const bg_vdev_t *d) {
  (void)d;
  return static_cast<uint64_t>(sc_time_stamp() / kPeriod);
}
