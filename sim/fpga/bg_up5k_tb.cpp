// SPDX-License-Identifier: Apache-2.0
// Serial-line testbench of the iCE40 board top (rtl/fpga/bg_up5k_top.sv, built with BG_EXT_CLK
// so the clock comes from here). A bit-level UART model plays the host: every check sends real
// frames on RX and decodes the frames that come back on TX (docs/serial.md), so the bridge,
// both UARTs and the core's host interface are exercised exactly as a board would be.
// Prints one `PASS name` / `FAIL name: why` line per check; exit status 1 if any failed.
//
// Usage: bg_up5k_tb --hash HEX --wbits N --wwords N [--div N] [--timeout N] [--host-model]
//   --hash      the description hash the core must report (bgnet consts NET: NET_HASH)
//   --wbits     width of a forward-weight word (bg_cfg_pkg::MaxWBits)
//   --wwords    number of forward weights (bg_cfg_pkg::WWords, at least 64)
//   --div       clock cycles per UART bit the model was built with (ClkDiv)
//   --timeout   the bridge's inter-byte timeout in cycles (TimeoutCycles)
//   --host-model  the board top was built with HostState = 0: the core's state selects (4 to 9)
//               must be refused, the model's (0 to 3) served; the checkpoint test reads weights
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "Vbg_up5k_top.h"
#include "verilated.h"

namespace {

// ------------------------------------------------------------------------------------------
// Protocol constants (docs/serial.md)
// ------------------------------------------------------------------------------------------
enum : uint8_t { SOF_REQ = 0xA5, SOF_RESP = 0x5A };
enum : uint8_t {
  OP_PING = 0x01,
  OP_STATUS = 0x02,
  OP_CFG_READ = 0x03,
  OP_CFG_WRITE = 0x04,
  OP_MEM_READ = 0x05,
  OP_MEM_WRITE = 0x06,
  OP_START = 0x07,
  OP_CHK_CTRL = 0x08,
  OP_RESET = 0x09
};
enum : uint8_t {
  ST_OK = 0,
  ST_BAD_CRC = 1,
  ST_BAD_OP = 2,
  ST_BAD_LEN = 3,
  ST_BAD_ADDR = 4,
  ST_BAD_ARG = 5,
  ST_BUSY = 6,
  ST_NOT_HELD = 7
};

// CRC-16/CCITT-FALSE: poly 0x1021, init 0xFFFF, MSB first, no final xor
uint16_t crc16(const uint8_t *p, size_t n) {
  uint16_t c = 0xFFFF;
  for (size_t i = 0; i < n; i++) {
    c ^= static_cast<uint16_t>(p[i] << 8);
    for (int b = 0; b < 8; b++)
      c = (c & 0x8000) ? static_cast<uint16_t>((c << 1) ^ 0x1021) : static_cast<uint16_t>(c << 1);
  }
  return c;
}

void put_le(std::vector<uint8_t> &v, uint64_t x, int n) {
  for (int i = 0; i < n; i++)
    v.push_back(static_cast<uint8_t>(x >> (8 * i)));
}
uint64_t get_le(const std::vector<uint8_t> &v, size_t at, int n) {
  uint64_t x = 0;
  for (int i = 0; i < n; i++)
    x |= static_cast<uint64_t>(v.at(at + i)) << (8 * i);
  return x;
}

std::vector<uint8_t> frame(uint8_t seq, uint8_t op, const std::vector<uint8_t> &pay) {
  std::vector<uint8_t> f = {SOF_REQ, seq, op};
  put_le(f, pay.size(), 2);
  f.insert(f.end(), pay.begin(), pay.end());
  uint16_t c = crc16(f.data() + 1, f.size() - 1);
  put_le(f, c, 2);
  return f;
}

struct Resp {
  bool got = false;  // a complete frame with a good CRC arrived
  std::string err;   // why not
  uint8_t seq = 0, op = 0, status = 0xFF;
  std::vector<uint8_t> pay;
  std::vector<uint8_t> raw;  // the whole frame as received
};

std::string bytes_hex(const std::vector<uint8_t> &v) {
  std::string s;
  char b[4];
  for (uint8_t x : v) {
    std::snprintf(b, sizeof b, "%s%02x", s.empty() ? "" : " ", x);
    s += b;
  }
  return s;
}

// ------------------------------------------------------------------------------------------
// The board and the host's UART
// ------------------------------------------------------------------------------------------
class Bench {
 public:
  Bench(VerilatedContext *ctx, int div) : top_(new Vbg_up5k_top{ctx}), div_(div) {
    top_->RX = 1;
    top_->BTN_N = 1;
    top_->CLK = 0;
    top_->eval();
  }
  ~Bench() { top_->final(); }

  uint64_t cycles() const { return cyc_; }

  void tick() {
    host_tx_step();
    top_->CLK = 1;
    top_->eval();
    top_->CLK = 0;
    top_->eval();
    cyc_++;
    host_rx_step(top_->TX);
  }
  void run(uint64_t n) {
    for (uint64_t i = 0; i < n; i++)
      tick();
  }
  void send(const std::vector<uint8_t> &b) { txq_.insert(txq_.end(), b.begin(), b.end()); }
  // run until everything queued is on the line
  void flush() {
    while (!txq_.empty() || tx_bit_ >= 0)
      tick();
  }
  size_t received() const { return rxq_.size(); }
  void drop_received() { rxq_.clear(); }

  // wait for one response frame (at most max_cycles after the request is on the line)
  Resp wait_resp(uint64_t max_cycles) {
    Resp r;
    uint64_t end = cyc_ + max_cycles;
    for (;;) {
      while (!rxq_.empty() && rxq_.front() != SOF_RESP)
        rxq_.pop_front();  // hunt
      if (rxq_.size() >= 6) {
        size_t len = rxq_[4] | (rxq_[5] << 8);
        if (rxq_.size() >= 8 + len) {
          std::vector<uint8_t> f(rxq_.begin(), rxq_.begin() + 8 + len);
          rxq_.erase(rxq_.begin(), rxq_.begin() + 8 + len);
          uint16_t want = crc16(f.data() + 1, 5 + len);
          uint16_t got = static_cast<uint16_t>(f[6 + len] | (f[7 + len] << 8));
          if (want != got) {
            r.err = "response CRC mismatch";
            return r;
          }
          r.got = true;
          r.raw = f;
          r.seq = f[1];
          r.op = f[2];
          r.status = f[3];
          r.pay.assign(f.begin() + 6, f.begin() + 6 + len);
          return r;
        }
      }
      if (cyc_ >= end) {
        r.err = "no response within " + std::to_string(max_cycles) + " cycles";
        return r;
      }
      tick();
    }
  }

  Resp request(uint8_t seq, uint8_t op, const std::vector<uint8_t> &pay) {
    send(frame(seq, op, pay));
    flush();
    return wait_resp(200000);
  }

 private:
  // host -> board: start bit, 8 data bits LSB first, stop bit; div_ cycles each
  void host_tx_step() {
    if (tx_bit_ < 0) {
      if (txq_.empty()) {
        top_->RX = 1;
        return;
      }
      tx_shift_ = static_cast<uint16_t>((1u << 9) | (txq_.front() << 1));  // stop, data, start
      txq_.pop_front();
      tx_bit_ = 0;
      tx_cnt_ = 0;
    }
    top_->RX = (tx_shift_ >> tx_bit_) & 1;
    if (++tx_cnt_ == div_) {
      tx_cnt_ = 0;
      if (++tx_bit_ == 10)
        tx_bit_ = -1;
    }
  }
  // board -> host: find the start edge, sample every bit in its middle
  void host_rx_step(int line) {
    if (rx_bit_ < 0) {
      if (!line) {
        rx_bit_ = 0;
        rx_cnt_ = div_ / 2;
      }
      return;
    }
    if (--rx_cnt_ > 0)
      return;
    rx_cnt_ = div_;
    if (rx_bit_ == 0) {
      if (line)
        rx_bit_ = -1;  // glitch
      else
        rx_bit_ = 1;
    } else if (rx_bit_ <= 8) {
      rx_byte_ = static_cast<uint8_t>((rx_byte_ >> 1) | (line ? 0x80 : 0));
      rx_bit_++;
    } else {
      if (line)
        rxq_.push_back(rx_byte_);
      else
        framing_errors_++;
      rx_bit_ = -1;
    }
  }

  std::unique_ptr<Vbg_up5k_top> top_;
  int div_;
  uint64_t cyc_ = 0;
  std::deque<uint8_t> txq_;
  int tx_bit_ = -1, tx_cnt_ = 0;
  uint16_t tx_shift_ = 0;
  int rx_bit_ = -1, rx_cnt_ = 0;
  uint8_t rx_byte_ = 0;
  std::deque<uint8_t> rxq_;
  int framing_errors_ = 0;
};

// ------------------------------------------------------------------------------------------
// Checks
// ------------------------------------------------------------------------------------------
int failures = 0;

void pass(const char *name, const std::string &note = "") {
  std::printf("PASS %s%s%s\n", name, note.empty() ? "" : " ", note.c_str());
}
void fail(const char *name, const std::string &why) {
  std::printf("FAIL %s: %s\n", name, why.c_str());
  failures++;
}
std::string hex(uint64_t x) {
  char b[32];
  std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(x));
  return b;
}

// a response with the expected sequence number, opcode, status and payload length, or why not
std::string expect(const Resp &r, uint8_t seq, uint8_t op, uint8_t status, int len) {
  if (!r.got)
    return r.err;
  if (r.seq != seq)
    return "sequence " + std::to_string(r.seq) + ", sent " + std::to_string(seq);
  if (r.op != op)
    return "opcode " + hex(r.op) + ", sent " + hex(op);
  if (r.status != status)
    return "status " + std::to_string(r.status) + ", expected " + std::to_string(status);
  if (len >= 0 && r.pay.size() != static_cast<size_t>(len))
    return "payload of " + std::to_string(r.pay.size()) + " bytes, expected " + std::to_string(len);
  return "";
}

// MEM_READ / MEM_WRITE arguments: select, first word, word count, bytes per word
std::vector<uint8_t> mem_args(uint8_t sel, uint32_t addr, uint16_t count, uint8_t width = 8) {
  std::vector<uint8_t> p = {sel};
  put_le(p, addr, 4);
  put_le(p, count, 2);
  p.push_back(width);
  return p;
}

uint64_t sext(uint64_t x, int bits) {
  if (bits >= 64)
    return x;
  uint64_t m = 1ull << (bits - 1);
  x &= (1ull << bits) - 1;
  return (x ^ m) - m;
}

}  // namespace

int main(int argc, char **argv) {
  uint32_t hash = 0;
  int wbits = 0, wwords = 0, div = 4;
  const int max_data = 256;  // data bytes per burst (MaxData)
  uint64_t timeout = 2000;
  bool have_hash = false, host_model = false;
  for (int i = 1; i < argc; i++) {
    if (std::strcmp(argv[i], "--host-model") == 0) {
      host_model = true;
      continue;
    }
    auto val = [&](const char *opt) -> const char * {
      if (std::strcmp(argv[i], opt) != 0 || i + 1 >= argc)
        return nullptr;
      return argv[++i];
    };
    const char *v;
    if ((v = val("--hash"))) {
      hash = static_cast<uint32_t>(std::strtoul(v, nullptr, 16));
      have_hash = true;
    } else if ((v = val("--wbits")))
      wbits = std::atoi(v);
    else if ((v = val("--div")))
      div = std::atoi(v);
    else if ((v = val("--timeout")))
      timeout = std::strtoull(v, nullptr, 10);
    else if ((v = val("--wwords")))
      wwords = std::atoi(v);
  }
  if (!have_hash || wbits <= 0 || wbits > 64 || wwords < 64 || div < 4) {
    std::fprintf(stderr,
                 "usage: bg_up5k_tb --hash HEX --wbits N --wwords N [--div N] [--timeout N] "
                 "[--host-model]\n");
    return 2;
  }
  const uint64_t wmask = (wbits == 64) ? ~0ull : ((1ull << wbits) - 1);

  auto ctx = std::make_unique<VerilatedContext>();
  ctx->commandArgs(argc, argv);
  Bench b(ctx.get(), div);
  b.run(2000);  // power-on reset (2^10 cycles) and margin
  uint8_t seq = 1;
  Resp r;
  std::string e;

  // the test vector of CRC-16/CCITT-FALSE, so the host model itself is right
  if (crc16(reinterpret_cast<const uint8_t *>("123456789"), 9) != 0x29B1) {
    fail("serial_crc_model", "CRC of \"123456789\" is not 0x29B1");
  }

  // ---- ping / identify -------------------------------------------------------------------
  // the exchange is printed for docs/serial.md's worked example (tests/test_serial_bridge.sh)
  std::printf("tb: PING request  %s\n", bytes_hex(frame(seq, OP_PING, {})).c_str());
  r = b.request(seq, OP_PING, {});
  std::printf("tb: PING response %s\n", bytes_hex(r.raw).c_str());
  if (!(e = expect(r, seq, OP_PING, ST_OK, 12)).empty())
    fail("serial_ping", e);
  else if (std::memcmp(r.pay.data(), "BGSB", 4) != 0)
    fail("serial_ping", "bad magic");
  else if (r.pay[4] != 1)
    fail("serial_ping", "protocol version " + std::to_string(r.pay[4]));
  else if (r.pay[5] != 0)
    fail("serial_ping", "reserved byte " + std::to_string(r.pay[5]));
  else if (get_le(r.pay, 6, 2) != static_cast<uint64_t>(max_data))
    fail("serial_ping", "max data " + std::to_string(get_le(r.pay, 6, 2)));
  else if (get_le(r.pay, 8, 4) != hash)
    fail("serial_ping", "hash " + hex(get_le(r.pay, 8, 4)) + ", expected " + hex(hash));
  else
    pass("serial_ping", "(magic BGSB, version 1, hash " + hex(hash) + ")");
  seq++;

  // ---- configuration word write / read back ----------------------------------------------
  {
    std::vector<uint8_t> p = {0};  // word 0: eta_m
    put_le(p, 0x1234, 4);
    r = b.request(seq, OP_CFG_WRITE, p);
    std::string e1 = expect(r, seq, OP_CFG_WRITE, ST_OK, 0);
    seq++;
    r = b.request(seq, OP_CFG_READ, {0});
    std::string e2 = expect(r, seq, OP_CFG_READ, ST_OK, 8);
    seq++;
    if (!e1.empty())
      fail("serial_cfg_rw", "write: " + e1);
    else if (!e2.empty())
      fail("serial_cfg_rw", "read: " + e2);
    else if (get_le(r.pay, 0, 8) != 0x1234)
      fail("serial_cfg_rw", "read " + hex(get_le(r.pay, 0, 8)));
    else {
      r = b.request(seq, OP_CFG_READ, {26});  // the hash is cfg word 26, too
      e = expect(r, seq, OP_CFG_READ, ST_OK, 8);
      seq++;
      if (!e.empty())
        fail("serial_cfg_rw", "read word 26: " + e);
      else if (get_le(r.pay, 0, 8) != hash)
        fail("serial_cfg_rw", "word 26 is " + hex(get_le(r.pay, 0, 8)));
      else {
        // seed the five random streams (words 8-12; their state reads back while idle)
        std::string why;
        for (int q = 0; q < 5 && why.empty(); q++) {
          const uint32_t seed = 0x9E3779B9u * static_cast<uint32_t>(q + 1);
          std::vector<uint8_t> w = {static_cast<uint8_t>(8 + q)};
          put_le(w, seed, 4);
          r = b.request(seq, OP_CFG_WRITE, w);
          why = expect(r, seq, OP_CFG_WRITE, ST_OK, 0);
          seq++;
          r = b.request(seq, OP_CFG_READ, {static_cast<uint8_t>(8 + q)});
          if (why.empty())
            why = expect(r, seq, OP_CFG_READ, ST_OK, 8);
          seq++;
          if (why.empty() && get_le(r.pay, 0, 8) != seed)
            why = "stream " + std::to_string(q) + " state " + hex(get_le(r.pay, 0, 8)) +
                  ", seeded " + hex(seed);
        }
        if (why.empty())
          pass("serial_cfg_rw",
               "(word 0 = 0x1234 read back; words 8-12 seeded and read back; word 26 = hash)");
        else
          fail("serial_cfg_rw", why);
      }
    }
  }

  // ---- memory bursts write / read back (weights, select 1), every word width ---------------
  // words of w bytes are sign-extended on the way in, so reading back 8 bytes gives
  // sext(v, 8w) cut to the memory's width, and reading back w bytes its low w bytes
  std::vector<uint64_t> wv(wwords);
  {
    uint64_t x = 0x9E3779B97F4A7C15ull;
    for (auto &w : wv) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      w = x;
    }
    std::string why;
    int words = 0, requests = 0;
    for (int width : {8, 4, 2, 1}) {
      const int per = max_data / width;
      std::vector<uint64_t> want(wwords);
      for (int k = 0; k < wwords; k++)
        want[k] = sext(wv[k], 8 * width) & wmask;
      for (int a0 = 0; a0 < wwords && why.empty(); a0 += per) {
        int n = std::min(per, wwords - a0);
        std::vector<uint8_t> p = mem_args(1, static_cast<uint32_t>(a0), static_cast<uint16_t>(n),
                                          static_cast<uint8_t>(width));
        for (int k = 0; k < n; k++)
          put_le(p, wv[a0 + k], width);
        r = b.request(seq, OP_MEM_WRITE, p);
        why = expect(r, seq, OP_MEM_WRITE, ST_OK, 0);
        seq++;
        words += n;
        requests++;
      }
      for (int rw : {8, width}) {
        const int rper = max_data / rw;
        const uint64_t bmask = (rw == 8) ? ~0ull : ((1ull << (8 * rw)) - 1);
        for (int a0 = 0; a0 < wwords && why.empty(); a0 += rper) {
          int n = std::min(rper, wwords - a0);
          r = b.request(seq, OP_MEM_READ,
                        mem_args(1, static_cast<uint32_t>(a0), static_cast<uint16_t>(n),
                                 static_cast<uint8_t>(rw)));
          why = expect(r, seq, OP_MEM_READ, ST_OK, n * rw);
          seq++;
          requests++;
          for (int k = 0; k < n && why.empty(); k++) {
            uint64_t got = get_le(r.pay, static_cast<size_t>(rw) * k, rw);
            if (got != (want[a0 + k] & bmask))
              why = "written with " + std::to_string(width) + "-byte words, read with " +
                    std::to_string(rw) + ": word " + std::to_string(a0 + k) + " read " + hex(got) +
                    ", expected " + hex(want[a0 + k] & bmask);
          }
        }
      }
      if (!why.empty())
        break;
    }
    if (why.empty())
      pass("serial_mem_burst",
           "(all " + std::to_string(wwords) +
               " weights written and read back as 8-, 4-, 2- and 1-byte words, " +
               std::to_string(requests) + " bursts, " + std::to_string(wbits) + "-bit memory)");
    else
      fail("serial_mem_burst", why);
  }

  // ---- inference of one sample: pixels, START, poll STATUS, a counter moved ---------------
  uint64_t cyc0 = 0;
  {
    std::string why;
    r = b.request(seq, OP_CFG_READ, {16});
    why = expect(r, seq, OP_CFG_READ, ST_OK, 8);
    seq++;
    if (why.empty())
      cyc0 = get_le(r.pay, 0, 8);
    std::vector<uint8_t> p = mem_args(0, 0, 16, 1);  // 16 pixels, one byte each
    for (int k = 0; k < 16; k++)
      p.push_back(static_cast<uint8_t>(k * 17));
    if (why.empty()) {
      r = b.request(seq, OP_MEM_WRITE, p);
      why = expect(r, seq, OP_MEM_WRITE, ST_OK, 0);
      seq++;
    }
    if (why.empty()) {
      r = b.request(seq, OP_START, {1});
      why = expect(r, seq, OP_START, ST_OK, 0);
      seq++;
    }
    int polls = 0;
    bool done = false;
    while (why.empty() && !done && polls < 200) {
      r = b.request(seq, OP_STATUS, {});
      why = expect(r, seq, OP_STATUS, ST_OK, 8);
      seq++;
      polls++;
      if (why.empty())
        done = (r.pay[0] & 0x03) == 0x02;  // not busy, done seen
    }
    if (why.empty() && !done)
      why = "not done after 200 status polls";
    if (why.empty())
      pass("serial_infer", "(done after " + std::to_string(polls) + " status polls)");
    else
      fail("serial_infer", why);
  }
  {
    r = b.request(seq, OP_CFG_READ, {16});
    e = expect(r, seq, OP_CFG_READ, ST_OK, 8);
    seq++;
    uint64_t cyc1 = e.empty() ? get_le(r.pay, 0, 8) : 0;
    if (!e.empty())
      fail("serial_counter", e);
    else if (cyc1 <= cyc0)
      fail("serial_counter",
           "cycle counter did not move: " + std::to_string(cyc0) + " -> " + std::to_string(cyc1));
    else
      pass("serial_counter", "(cfg word 16, core cycles: " + std::to_string(cyc0) + " -> " +
                                 std::to_string(cyc1) + ")");
  }

  // ---- a corrupted CRC: error status, and the write did not happen ------------------------
  {
    std::vector<uint8_t> p = {0};
    put_le(p, 0xDEADBEEF, 4);
    std::vector<uint8_t> f = frame(seq, OP_CFG_WRITE, p);
    f[f.size() - 1] ^= 0x40;
    b.send(f);
    b.flush();
    r = b.wait_resp(200000);
    std::string why = expect(r, seq, OP_CFG_WRITE, ST_BAD_CRC, 0);
    seq++;
    // a flipped payload bit (the CRC field intact) must be caught too
    f = frame(seq, OP_CFG_WRITE, p);
    f[7] ^= 0x01;
    b.send(f);
    b.flush();
    r = b.wait_resp(200000);
    if (why.empty())
      why = expect(r, seq, OP_CFG_WRITE, ST_BAD_CRC, 0);
    seq++;
    r = b.request(seq, OP_CFG_READ, {0});
    if (why.empty())
      why = expect(r, seq, OP_CFG_READ, ST_OK, 8);
    seq++;
    if (why.empty() && get_le(r.pay, 0, 8) != 0x1234)
      why = "the rejected write took effect: word 0 is " + hex(get_le(r.pay, 0, 8));
    if (why.empty())
      pass("serial_bad_crc", "(status 1 twice, word 0 unchanged)");
    else
      fail("serial_bad_crc", why);
  }

  // ---- unknown opcode -----------------------------------------------------------------------
  r = b.request(seq, 0x7E, {1, 2, 3});
  if (!(e = expect(r, seq, 0x7E, ST_BAD_OP, 0)).empty())
    fail("serial_bad_op", e);
  else
    pass("serial_bad_op", "(status 2, sequence echoed)");
  seq++;

  // ---- a truncated frame is dropped after the timeout; the link recovers ------------------
  {
    std::vector<uint8_t> p = {0};
    put_le(p, 0x0BADF00D, 4);
    std::vector<uint8_t> f = frame(seq, OP_CFG_WRITE, p);
    f.resize(6);  // header and one payload byte only
    b.drop_received();
    b.send(f);
    b.flush();
    b.run(timeout + 200);
    std::string why;
    if (b.received() != 0)
      why = "the truncated frame was answered";
    seq++;
    r = b.request(seq, OP_PING, {});
    if (why.empty())
      why = expect(r, seq, OP_PING, ST_OK, 12);
    seq++;
    r = b.request(seq, OP_STATUS, {});
    if (why.empty())
      why = expect(r, seq, OP_STATUS, ST_OK, 8);
    if (why.empty() && get_le(r.pay, 6, 2) != 1)
      why = "dropped-frame counter is " + std::to_string(get_le(r.pay, 6, 2)) + ", expected 1";
    if (why.empty() && get_le(r.pay, 4, 2) != 2)
      why = "CRC-error counter is " + std::to_string(get_le(r.pay, 4, 2)) + ", expected 2";
    seq++;
    r = b.request(seq, OP_CFG_READ, {0});
    if (why.empty())
      why = expect(r, seq, OP_CFG_READ, ST_OK, 8);
    if (why.empty() && get_le(r.pay, 0, 8) != 0x1234)
      why = "the truncated write took effect";
    seq++;
    // a stray byte (a false start of frame) before a request: dropped, then the request works
    b.send({0x00, 0xA5});
    b.flush();
    b.run(timeout + 200);
    r = b.request(seq, OP_PING, {});
    if (why.empty())
      why = expect(r, seq, OP_PING, ST_OK, 12);
    seq++;
    if (why.empty())
      pass("serial_truncated", "(no answer, dropped after the timeout, next requests work)");
    else
      fail("serial_truncated", why);
  }

  // ---- what the host port reaches: every select, or the model's only (HostState = 0) --------
  {
    std::string why;
    for (uint8_t sel = 0; sel <= 9 && why.empty(); sel++) {
      bool model = sel <= 3;
      uint8_t want = (host_model && !model) ? ST_BAD_ADDR : ST_OK;
      r = b.request(seq, OP_MEM_READ, mem_args(sel, 0, 1));
      std::string w = expect(r, seq, OP_MEM_READ, want, want == ST_OK ? 8 : 0);
      seq++;
      if (!w.empty())
        why = "select " + std::to_string(sel) + ": " + w;
    }
    if (why.empty())
      pass("serial_host_selects", host_model ? "(selects 0-3 read, 4-9 refused with status 4)"
                                             : "(selects 0-9 read)");
    else
      fail("serial_host_selects", why);
  }

  // ---- illegal addresses, arguments and lengths ---------------------------------------------
  {
    struct Case {
      const char *what;
      uint8_t op;
      std::vector<uint8_t> pay;
      uint8_t status;
    };
    std::vector<uint8_t> wr5 = {5};
    put_le(wr5, 1, 4);  // cfg word 5 does not exist
    std::vector<uint8_t> wr16 = {16};
    put_le(wr16, 1, 4);  // word 16 is a read-only counter
    std::vector<uint8_t> err_wr = mem_args(9, 0, 1);
    put_le(err_wr, 0, 8);  // select 9 is read only
    std::vector<uint8_t> short_wr = mem_args(1, 0, 2);
    put_le(short_wr, 0, 8);  // two words announced, one sent
    std::vector<uint8_t> no_width = mem_args(1, 0, 1);
    no_width.pop_back();  // a 7-byte header (protocol version 0 style)
    std::vector<Case> cases = {
        {"cfg read of word 5", OP_CFG_READ, {5}, ST_BAD_ADDR},
        {"cfg read of word 29", OP_CFG_READ, {29}, ST_BAD_ADDR},
        {"cfg write of word 5", OP_CFG_WRITE, wr5, ST_BAD_ADDR},
        {"cfg write of counter 16", OP_CFG_WRITE, wr16, ST_BAD_ADDR},
        {"memory select 10", OP_MEM_READ, mem_args(10, 0, 1), ST_BAD_ADDR},
        {"weights past the end", OP_MEM_READ, mem_args(1, 0xFFFFFFFFu, 2), ST_BAD_ADDR},
        {"write to select 9", OP_MEM_WRITE, err_wr, ST_BAD_ADDR},
        {"count 0", OP_MEM_READ, mem_args(1, 0, 0), ST_BAD_ARG},
        {"8-byte count over the burst", OP_MEM_READ,
         mem_args(1, 0, static_cast<uint16_t>(max_data / 8 + 1)), ST_BAD_ARG},
        {"1-byte count over the burst", OP_MEM_READ,
         mem_args(1, 0, static_cast<uint16_t>(max_data + 1), 1), ST_BAD_ARG},
        {"huge count", OP_MEM_READ, mem_args(1, 0, 0x2001, 8), ST_BAD_ARG},
        {"width 3", OP_MEM_READ, mem_args(1, 0, 1, 3), ST_BAD_ARG},
        {"width 0", OP_MEM_READ, mem_args(1, 0, 1, 0), ST_BAD_ARG},
        {"header without width", OP_MEM_READ, no_width, ST_BAD_LEN},
        {"start command 3", OP_START, {3}, ST_BAD_ARG},
        {"checkpoint reserved bits", OP_CHK_CTRL, {0x80}, ST_BAD_ARG},
        {"ping with payload", OP_PING, {0}, ST_BAD_LEN},
        {"burst write short of data", OP_MEM_WRITE, short_wr, ST_BAD_LEN},
        {"go without a checkpoint", OP_CHK_CTRL, {0x02}, ST_NOT_HELD},
    };
    std::string why;
    for (const Case &c : cases) {
      r = b.request(seq, c.op, c.pay);
      std::string w = expect(r, seq, c.op, c.status, 0);
      seq++;
      if (!w.empty() && why.empty())
        why = std::string(c.what) + ": " + w;
    }
    // a frame longer than any request: skipped to its end, answered with BAD_LEN
    std::vector<uint8_t> big(8 + max_data + 1, 0x11);
    b.send(frame(seq, OP_MEM_WRITE, big));
    b.flush();
    r = b.wait_resp(timeout + 200000);
    std::string w = expect(r, seq, OP_MEM_WRITE, ST_BAD_LEN, 0);
    seq++;
    if (!w.empty() && why.empty())
      why = std::string("over-long frame: ") + w;
    r = b.request(seq, OP_MEM_READ, mem_args(1, 0, 1));
    w = expect(r, seq, OP_MEM_READ, ST_OK, 8);
    seq++;
    if (w.empty() && get_le(r.pay, 0, 8) != (sext(wv[0], 8) & wmask))
      w = "weight 0 changed";  // last written as 1 byte
    if (!w.empty() && why.empty())
      why = std::string("after the refusals: ") + w;
    if (why.empty())
      pass("serial_refusals", "(" + std::to_string(cases.size() + 1) +
                                  " illegal requests refused with their status, nothing changed)");
    else
      fail("serial_refusals", why);
  }

  // ---- access while busy, and at a checkpoint -------------------------------------------------
  {
    std::string why;
    uint64_t busy_cyc0 = 0, busy_cyc1 = 0;
    std::vector<uint8_t> p = {3};
    put_le(p, 2, 4);  // label 2
    r = b.request(seq, OP_CFG_WRITE, p);
    why = expect(r, seq, OP_CFG_WRITE, ST_OK, 0);
    seq++;
    r = b.request(seq, OP_CFG_READ, {16});
    if (why.empty())
      why = expect(r, seq, OP_CFG_READ, ST_OK, 8);
    seq++;
    if (why.empty())
      busy_cyc0 = get_le(r.pay, 0, 8);
    // one request right after each START (a whole sample is several times longer than one
    // request and its response), then wait for the end of the sample
    std::vector<uint8_t> q = {0};
    put_le(q, 1, 4);
    struct Probe {
      const char *what;
      uint8_t op;
      std::vector<uint8_t> pay;
      uint8_t status;
      int len;
    };
    std::vector<Probe> probes = {
        {"status while training", OP_STATUS, {}, ST_OK, 8},
        {"start while training", OP_START, {1}, ST_BUSY, 0},
        {"memory read while training", OP_MEM_READ, mem_args(1, 0, 1), ST_BUSY, 0},
        {"memory write while training", OP_MEM_WRITE,
         [&] {
           auto m = mem_args(1, 0, 1);
           put_le(m, 0, 8);
           return m;
         }(),
         ST_BUSY, 0},
        {"cfg write while training", OP_CFG_WRITE, q, ST_BUSY, 0},
    };
    uint64_t latest = 0;  // the latest a probe was answered, in cycles after START's response
    for (const Probe &pr : probes) {
      if (!why.empty())
        break;
      // samples since the last sleep call past any period: every sample ends with a sleep call,
      // which makes it several times longer than one request and its response
      std::vector<uint8_t> w = {2};
      put_le(w, 1000, 4);
      r = b.request(seq, OP_CFG_WRITE, w);
      why = expect(r, seq, OP_CFG_WRITE, ST_OK, 0);
      seq++;
      if (!why.empty())
        break;
      r = b.request(seq, OP_START, {0});
      why = expect(r, seq, OP_START, ST_OK, 0);
      seq++;
      uint64_t start_cyc = b.cycles();
      if (!why.empty())
        break;
      r = b.request(seq, pr.op, pr.pay);
      why = expect(r, seq, pr.op, pr.status, pr.len);
      seq++;
      latest = std::max(latest, b.cycles() - start_cyc);
      if (why.empty() && pr.op == OP_STATUS && !(r.pay[0] & 1))
        why = "STATUS does not show busy " + std::to_string(b.cycles() - start_cyc) +
              " cycles after START";
      if (!why.empty()) {
        why = std::string(pr.what) + ": " + why;
        break;
      }
      bool done = false;
      for (int k = 0; k < 400 && why.empty() && !done; k++) {
        r = b.request(seq, OP_STATUS, {});
        why = expect(r, seq, OP_STATUS, ST_OK, 8);
        seq++;
        done = why.empty() && (r.pay[0] & 3) == 2;
      }
      if (why.empty() && !done)
        why = "the training sample did not finish";
    }
    r = b.request(seq, OP_MEM_READ, mem_args(1, 0, 1));
    if (why.empty())
      why = expect(r, seq, OP_MEM_READ, ST_OK, 8);
    seq++;
    r = b.request(seq, OP_CFG_READ, {16});
    if (why.empty())
      why = expect(r, seq, OP_CFG_READ, ST_OK, 8);
    seq++;
    if (why.empty())
      busy_cyc1 = get_le(r.pay, 0, 8);
    if (why.empty())
      pass("serial_busy",
           "(start, memory read/write and cfg write refused with status 6 during training; "
           "answered within " +
               std::to_string(latest) + " cycles of START, samples of " +
               std::to_string((busy_cyc1 - busy_cyc0) / probes.size()) + " cycles on average)");
    else
      fail("serial_busy", why);
  }
  {
    std::string why;
    r = b.request(seq, OP_CHK_CTRL, {0x01});  // checkpoints on
    why = expect(r, seq, OP_CHK_CTRL, ST_OK, 0);
    seq++;
    if (why.empty()) {
      r = b.request(seq, OP_START, {1});
      why = expect(r, seq, OP_START, ST_OK, 0);
      seq++;
    }
    int t_seen = -1;
    for (int step = 0; step < 2 && why.empty(); step++) {
      bool held = false;
      for (int k = 0; k < 100 && why.empty() && !held; k++) {
        r = b.request(seq, OP_STATUS, {});
        why = expect(r, seq, OP_STATUS, ST_OK, 8);
        seq++;
        held = why.empty() && (r.pay[0] & 0x05) == 0x05;  // busy and held
      }
      if (!why.empty())
        break;
      if (!held) {
        why = "never held at a checkpoint";
        break;
      }
      if ((r.pay[1] & 0x0F) != 1) {
        why = "checkpoint kind " + std::to_string(r.pay[1]);
        break;
      }
      int t = static_cast<int>(get_le(r.pay, 2, 2));
      if (t != t_seen + 1) {
        why = "checkpoint step " + std::to_string(t) + ", expected " + std::to_string(t_seen + 1);
        break;
      }
      t_seen = t;
      // spike rasters at the checkpoint (weights when the core's state is not reachable)
      r = b.request(seq, OP_MEM_READ, mem_args(host_model ? 1 : 6, 0, 4));
      why = expect(r, seq, OP_MEM_READ, ST_OK, 32);
      seq++;
      if (!why.empty()) {
        why = "memory read at a checkpoint: " + why;
        break;
      }
      std::vector<uint8_t> q = {0};
      put_le(q, 1, 4);
      r = b.request(seq, OP_CFG_WRITE, q);
      why = expect(r, seq, OP_CFG_WRITE, ST_BUSY, 0);
      seq++;
      if (!why.empty()) {
        why = "cfg write at a checkpoint: " + why;
        break;
      }
      r = b.request(seq, OP_CHK_CTRL, {static_cast<uint8_t>(step == 0 ? 0x03 : 0x02)});  // go
      why = expect(r, seq, OP_CHK_CTRL, ST_OK, 0);
      seq++;
    }
    bool done = false;
    for (int k = 0; k < 200 && why.empty() && !done; k++) {
      r = b.request(seq, OP_STATUS, {});
      why = expect(r, seq, OP_STATUS, ST_OK, 8);
      seq++;
      done = why.empty() && (r.pay[0] & 0x0F) == 0x02;  // idle, done seen, checkpoints off
    }
    if (why.empty() && !done)
      why = "sample did not finish after checkpoints were turned off";
    if (why.empty())
      pass("serial_checkpoint",
           "(held at steps 0 and 1, memory readable, cfg write refused, go resumes)");
    else
      fail("serial_checkpoint", why);
  }

  // ---- RESET: the core restarts (counters back to 0), the bridge keeps going ---------------
  {
    r = b.request(seq, OP_RESET, {});
    std::string why = expect(r, seq, OP_RESET, ST_OK, 0);
    seq++;
    r = b.request(seq, OP_CFG_READ, {19});
    if (why.empty())
      why = expect(r, seq, OP_CFG_READ, ST_OK, 8);
    if (why.empty() && get_le(r.pay, 0, 8) != 0)
      why = "sample counter is " + std::to_string(get_le(r.pay, 0, 8)) + " after RESET";
    seq++;
    r = b.request(seq, OP_CFG_READ, {0});
    if (why.empty())
      why = expect(r, seq, OP_CFG_READ, ST_OK, 8);
    if (why.empty() && get_le(r.pay, 0, 8) == 0x1234)
      why = "cfg word 0 kept its written value across RESET";
    seq++;
    if (why.empty())
      pass("serial_reset", "(counters and configuration back to reset values)");
    else
      fail("serial_reset", why);
  }

  std::printf("tb: %llu cycles, %d failures\n", static_cast<unsigned long long>(b.cycles()),
              failures);
  return failures ? 1 : 0;
}
