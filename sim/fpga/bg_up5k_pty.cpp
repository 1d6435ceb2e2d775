// SPDX-License-Identifier: Apache-2.0
// The Verilated iCE40 board top (rtl/fpga/bg_up5k_top.sv, built with BG_EXT_CLK) behind a
// pseudo-terminal: a host opens the pty's slave like a USB-serial adapter (`uart:/dev/pts/N`)
// and talks docs/serial.md to it. Bytes from the pty master are sent to the board's RX pin bit
// by bit (ClkDiv cycles a bit); bits from TX are decoded and written to the master. The clock
// runs while the line is idle too, so the core computes and the bridge's timeouts advance.
// Fault injection (docs/driver.md, "Fault tests") counts the board's response frames:
//   --garble-after N   flip bit 0 of every byte of every response after the first N
//   --garble-one N     flip bit 0 of one byte (the STATUS byte) of response N+1 only
//   --bad-crc-after N  every response after the first N has a wrong CRC (frame otherwise intact)
//   --stall-after N    send nothing after the first N responses (a dead or unplugged link)
//   --die-after N      exit abruptly (no cleanup) half-way through response N+1
//   --delay-one N      hold response N+1 (and what follows it) for 200 ms: a late answer
// SIGTERM and SIGINT end it cleanly (exit status 0).
//
// Usage: bg_up5k_pty --link FILE --div N [faults] [--verbose]
//   --link FILE  write the slave's path (e.g. /dev/pts/7) to FILE once the board is out of
//                reset (written to FILE.tmp and renamed, so a waiting test never reads half)
//   --div N      clock cycles per UART bit the model was built with (ClkDiv)
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <memory>
#include <string>

#include "Vbg_up5k_top.h"
#include "verilated.h"

namespace {

volatile sig_atomic_t g_stop = 0;
void on_signal(int) { g_stop = 1; }

double now_s() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

struct Faults {
  long garble_after = -1, garble_one = -1, bad_crc_after = -1, stall_after = -1, die_after = -1;
  long delay_one = -1;
};

// The board's response frames as they leave it (docs/serial.md): SOF 0x5A, SEQ, OP, STATUS,
// LEN (2), payload, CRC (2). Tracks where each byte sits so a fault can pick its byte.
class RespTracker {
 public:
  enum Kind { kOutside, kSof, kStatus, kOther, kCrcLo, kCrcHi };
  // classify the next byte; frames() is the number of frames that began before it
  Kind next(uint8_t b) {
    if (pos_ == 0) {
      if (b != 0x5A) return kOutside;
      frame_++;
      pos_ = 1;
      return kSof;
    }
    const int at = pos_++;
    if (at == 4) len_ = b;
    if (at == 5) len_ |= b << 8;
    if (at == 3) return kStatus;
    if (at >= 6 && at == 6 + len_) return kCrcLo;
    if (at >= 6 && at == 7 + len_) {
      pos_ = 0;
      return kCrcHi;
    }
    return kOther;
  }
  long frame() const { return frame_; }  // 1-based index of the frame the last byte is in
  int pos() const { return pos_; }

 private:
  int pos_ = 0, len_ = 0;
  long frame_ = 0;
};

class Board {
 public:
  Board(VerilatedContext *ctx, int div) : top_(new Vbg_up5k_top{ctx}), div_(div) {
    top_->RX = 1;
    top_->BTN_N = 1;
    top_->CLK = 0;
    top_->eval();
  }
  ~Board() { top_->final(); }

  void tick() {
    tx_step();
    top_->CLK = 1;
    top_->eval();
    top_->CLK = 0;
    top_->eval();
    rx_step(top_->TX);
  }
  void send(const uint8_t *p, size_t n) { toboard_.insert(toboard_.end(), p, p + n); }
  bool line_busy() const { return !toboard_.empty() || tx_bit_ >= 0 || rx_bit_ >= 0; }
  std::deque<uint8_t> &tohost() { return tohost_; }
  long framing_errors() const { return framing_errors_; }

 private:
  // host -> board: start bit, 8 data bits LSB first, stop bit; div_ cycles each
  void tx_step() {
    if (tx_bit_ < 0) {
      if (toboard_.empty()) {
        top_->RX = 1;
        return;
      }
      tx_shift_ = static_cast<uint16_t>((1u << 9) | (toboard_.front() << 1));
      toboard_.pop_front();
      tx_bit_ = 0;
      tx_cnt_ = 0;
    }
    top_->RX = (tx_shift_ >> tx_bit_) & 1;
    if (++tx_cnt_ == div_) {
      tx_cnt_ = 0;
      if (++tx_bit_ == 10) tx_bit_ = -1;
    }
  }
  // board -> host: find the start edge, sample each bit in its middle
  void rx_step(int line) {
    if (rx_bit_ < 0) {
      if (!line) {
        rx_bit_ = 0;
        rx_cnt_ = div_ / 2;
      }
      return;
    }
    if (--rx_cnt_ > 0) return;
    rx_cnt_ = div_;
    if (rx_bit_ == 0) {
      rx_bit_ = line ? -1 : 1;
    } else if (rx_bit_ <= 8) {
      rx_byte_ = static_cast<uint8_t>((rx_byte_ >> 1) | (line ? 0x80 : 0));
      rx_bit_++;
    } else {
      if (line) tohost_.push_back(rx_byte_);
      else framing_errors_++;
      rx_bit_ = -1;
    }
  }

  std::unique_ptr<Vbg_up5k_top> top_;
  int div_;
  std::deque<uint8_t> toboard_, tohost_;
  int tx_bit_ = -1, tx_cnt_ = 0;
  uint16_t tx_shift_ = 0;
  int rx_bit_ = -1, rx_cnt_ = 0;
  uint8_t rx_byte_ = 0;
  long framing_errors_ = 0;
};

int usage() {
  std::fprintf(stderr,
               "usage: bg_up5k_pty --link FILE --div N [--garble-after N] [--garble-one N]\n"
               "       [--bad-crc-after N] [--stall-after N] [--die-after N] [--delay-one N]\n"
               "       [--verbose]\n");
  return 2;
}

}  // namespace

int main(int argc, char **argv) {
  const char *link = nullptr;
  int div = 0;
  bool verbose = false;
  Faults f;
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    auto num = [&](long *dst) {
      if (i + 1 >= argc) return false;
      char *end = nullptr;
      *dst = std::strtol(argv[++i], &end, 10);
      return *end == '\0' && *dst >= 0;
    };
    long v = 0;
    if (!std::strcmp(a, "--link") && i + 1 < argc) link = argv[++i];
    else if (!std::strcmp(a, "--div") && num(&v)) div = static_cast<int>(v);
    else if (!std::strcmp(a, "--garble-after") && num(&f.garble_after)) {}
    else if (!std::strcmp(a, "--garble-one") && num(&f.garble_one)) {}
    else if (!std::strcmp(a, "--bad-crc-after") && num(&f.bad_crc_after)) {}
    else if (!std::strcmp(a, "--stall-after") && num(&f.stall_after)) {}
    else if (!std::strcmp(a, "--die-after") && num(&f.die_after)) {}
    else if (!std::strcmp(a, "--delay-one") && num(&f.delay_one)) {}
    else if (!std::strcmp(a, "--verbose")) verbose = true;
    else if (a[0] == '+') {}  // +verilator+... arguments
    else {
      std::fprintf(stderr, "bg_up5k_pty: unknown or incomplete argument '%s'\n", a);
      return usage();
    }
  }
  if (link == nullptr || div < 4) return usage();

  int master = posix_openpt(O_RDWR | O_NOCTTY);
  if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
    std::fprintf(stderr, "bg_up5k_pty: cannot open a pseudo-terminal: %s\n", std::strerror(errno));
    return 1;
  }
  const char *slave_name = ptsname(master);
  // Hold the slave open ourselves: the master then never sees a hang-up between two host
  // programs (bgctl runs), just as a USB-serial adapter stays plugged in.
  int slave = slave_name ? open(slave_name, O_RDWR | O_NOCTTY) : -1;
  struct termios tio;
  if (slave < 0 || tcgetattr(slave, &tio) != 0) {
    std::fprintf(stderr, "bg_up5k_pty: cannot open the slave %s: %s\n",
                 slave_name ? slave_name : "?", std::strerror(errno));
    return 1;
  }
  cfmakeraw(&tio);
  tcsetattr(slave, TCSANOW, &tio);
  fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);

  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);

  auto ctx = std::make_unique<VerilatedContext>();
  ctx->commandArgs(argc, argv);
  Board b(ctx.get(), div);
  for (int k = 0; k < 2000; k++) b.tick();  // power-on reset (2^10 cycles) and margin

  std::string tmp = std::string(link) + ".tmp";
  FILE *lf = std::fopen(tmp.c_str(), "w");
  if (lf == nullptr || std::fprintf(lf, "%s\n", slave_name) < 0 || std::fclose(lf) != 0 ||
      std::rename(tmp.c_str(), link) != 0) {
    std::fprintf(stderr, "bg_up5k_pty: cannot write %s: %s\n", link, std::strerror(errno));
    return 1;
  }
  if (verbose) std::fprintf(stderr, "bg_up5k_pty: board on %s\n", slave_name);

  RespTracker rt;
  uint64_t cycles = 0;
  long in_bytes = 0, out_bytes = 0;
  double last_activity = now_s(), hold_until = 0;
  uint8_t buf[512];
  std::string out;
  while (!g_stop) {
    // a slice of clock cycles, then the pty
    for (int k = 0; k < 64; k++) b.tick();
    cycles += 64;
    // board -> host, through the faults
    std::deque<uint8_t> &q = b.tohost();
    while (!q.empty()) {
      uint8_t c = q.front();
      q.pop_front();
      RespTracker::Kind kind = rt.next(c);
      const long fr = rt.frame();  // the frame this byte belongs to (1-based)
      const bool in_frame = kind != RespTracker::kOutside;
      if (in_frame && f.die_after >= 0 && fr > f.die_after && rt.pos() >= 4) {
        if (!out.empty()) (void)!write(master, out.data(), out.size());
        std::fprintf(stderr, "bg_up5k_pty: --die-after %ld: exiting in the middle of "
                     "response %ld\n", f.die_after, fr);
        _exit(3);
      }
      if (in_frame && f.stall_after >= 0 && fr > f.stall_after) continue;
      if (kind == RespTracker::kSof && f.delay_one >= 0 && fr == f.delay_one + 1) {
        hold_until = now_s() + 0.2;   // this response and what follows it: late
      }
      if (in_frame && f.garble_after >= 0 && fr > f.garble_after) c ^= 1;
      if (kind == RespTracker::kStatus && f.garble_one >= 0 && fr == f.garble_one + 1) c ^= 1;
      if (kind == RespTracker::kCrcHi && f.bad_crc_after >= 0 && fr > f.bad_crc_after) c ^= 0x80;
      out.push_back(static_cast<char>(c));
    }
    if (!out.empty() && now_s() >= hold_until) {
      ssize_t n = write(master, out.data(), out.size());
      if (n > 0) {
        out.erase(0, static_cast<size_t>(n));
        out_bytes += n;
      }
      last_activity = now_s();
    }
    // host -> board; when the line has been quiet for a while, wait for the host in poll()
    // instead of spinning (the clock still runs: 64 cycles per wake-up at least every 2 ms)
    const bool quiet = !b.line_busy() && out.empty() && now_s() - last_activity > 0.05;
    struct pollfd p = {master, POLLIN, 0};
    int pr = poll(&p, 1, quiet ? 2 : 0);
    if (pr > 0 && (p.revents & POLLIN)) {
      ssize_t n = read(master, buf, sizeof buf);
      if (n > 0) {
        b.send(buf, static_cast<size_t>(n));
        in_bytes += n;
        last_activity = now_s();
      }
    }
  }
  if (verbose) {
    std::fprintf(stderr, "bg_up5k_pty: stopped after %llu cycles, %ld bytes in, %ld out, %ld "
                 "framing errors\n", static_cast<unsigned long long>(cycles), in_bytes, out_bytes,
                 b.framing_errors());
  }
  close(slave);
  close(master);
  unlink(link);
  return 0;
}
