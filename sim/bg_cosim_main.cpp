// SPDX-License-Identifier: Apache-2.0
// Lockstep cosimulation: the Verilated learning core (rtl/bg_core.sv) beside the golden model
// (cmodel/core), on the same description, samples and seeds. The core stops at a checkpoint
// after every timestep, every weight update and every sleep call; the harness runs the golden
// model to the same point and compares every state word through the host memory port.
// docs/rtl.md, "Verification", describes what is compared and when.
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "Vbg_core.h"
#include "verilated.h"
#include "verilated_fst_c.h"

// the golden model's headers are C11; `restrict` is spelled __restrict in C++
#define restrict __restrict
extern "C" {
#include "bg_cli_net.h"
#include "bg_model.h"
#include "bg_samples.h"
}

namespace {

// Host-port memory selectors and configuration words (rtl/bg_core.sv, docs/rtl.md).
enum Sel { kPix = 0, kW = 1, kB = 2, kFb = 3, kNst = 4, kD = 5, kRast = 6, kRec = 7, kK = 8, kErr = 9 };
enum Cfg { kEtaM = 0, kEtaSh = 1, kSinceSleep = 2, kLabel = 3, kSeed0 = 8, kCycles = 16,
           kSynEvents = 17, kWeightWrites = 18, kSamples = 19, kSleeps = 20, kFwdCycles = 21,
           kLearnCycles = 22, kSleepCycles = 23, kDraws = 24, kPred = 25, kNetHash = 26,
           kStepCycles = 27, kSteps = 28 };
enum Chk { kChkStep = 1, kChkUpdate = 2, kChkSleep = 3 };

struct Options {
  const char *net = nullptr, *data = "random", *data_dir = "data", *seed = nullptr;
  const char *trace = nullptr;
  const char *vectors = nullptr;     // write an Icarus vector file (sim/tb_vectors.sv)
  uint32_t samples = 1, data_seed = 1;
  bool train = true, quiet = false, no_retrace = false;
  const char *self = nullptr;
  int argc = 0;
  char **argv = nullptr;
};

class Cosim {
 public:
  Cosim(const Options &o, const bg_net_t *net, bg_model_t *m)
      : o_(o), net_(net), m_(m), core_(new Vbg_core) {
    if (o.trace) {
      Verilated::traceEverOn(true);
      fst_.reset(new VerilatedFstC);
      core_->trace(fst_.get(), 99);
      fst_->open(o.trace);
    }
  }
  ~Cosim() {
    if (vec_) std::fclose(vec_);
    if (fst_) fst_->close();
    core_->final();
  }

  void tick() {
    core_->clk = 0;
    core_->eval();
    if (fst_) fst_->dump(time_++);
    core_->clk = 1;
    core_->eval();
    if (fst_) fst_->dump(time_++);
    cycles_++;
  }

  void reset() {
    core_->rst_n = 0;
    core_->start = 0;
    core_->cfg_we = 0;
    core_->hm_re = 0;
    core_->hm_we = 0;
    core_->chk_en = 1;
    core_->chk_go = 0;
    tick();
    tick();
    core_->rst_n = 1;
    tick();
  }

  // Vector file for the Icarus testbench, one operation per line "op a b c" (hex): 1 memory
  // write (sel, addr, data), 2 configuration write (addr, data), 3 start (cmd) and wait until
  // idle, 4 memory read expecting (sel, addr, value), 5 configuration read expecting (addr, value).
  bool open_vectors(const char *path) {
    vec_ = std::fopen(path, "w");
    return vec_ != nullptr;
  }
  void vec(int op, uint64_t a, uint64_t b, uint64_t c) {
    if (vec_) std::fprintf(vec_, "%d %" PRIx64 " %" PRIx64 " %" PRIx64 "\n", op, a, b, c);
  }
  static uint64_t word(int64_t v, int bits) {
    return bits >= 64 ? (uint64_t)v : ((uint64_t)v & ((1ull << bits) - 1));
  }
  // Expected end-of-sample state for the vector file: rasters, weights, feedback, prediction,
  // random-stream states.
  void vec_expect_sample(const std::unique_ptr<uint64_t[]> &rast, int pred, const bg_rng_t &eval) {
    if (!vec_) return;
    const int L = m_->n_layers - 1;
    uint32_t n_r = 0;
    for (int l = 0; l <= L; l++) {
      uint32_t rb = base("R_BASE", l);
      for (uint32_t i = 0; i < m_->layer[l].n; i++) vec(4, kRast, rb + i, rast[n_r++]);
    }
    int wbits = 0, fbbits = 0;
    for (int l = 1; l <= L; l++) {
      if (net_->layers[l].weight.bits > wbits) wbits = net_->layers[l].weight.bits;
      if (l < L && net_->layers[l].feedback.bits > fbbits) fbbits = net_->layers[l].feedback.bits;
    }
    for (int l = 1; l <= L; l++) {
      const bg_model_layer_t *ly = &m_->layer[l];
      uint32_t wb = base("W_BASE", l), nb = base("N_BASE", l);
      for (uint32_t q = 0; q < ly->fan_in * ly->n; q++) vec(4, kW, wb + q, word(ly->w[q], wbits));
      for (uint32_t i = 0; i < ly->n; i++) vec(4, kB, nb + i, word(ly->b[i], wbits));
      if (l < L) {
        uint32_t fb = base("FB_BASE", l), n = ly->n * m_->layer[L].n;
        for (uint32_t q = 0; q < n; q++) vec(4, kFb, fb + q, word(ly->fb[q], fbbits));
      }
    }
    vec(5, kPred, (uint64_t)pred, 0);
    const int streams[5] = {BG_STREAM_INPUT, BG_STREAM_SLEEP_RATE, BG_STREAM_SLEEP_NOISE,
                            BG_STREAM_ROUND, -1};
    for (int q = 0; q < 5; q++) vec(5, (uint64_t)(kSeed0 + q), streams[q] >= 0 ? m_->rng[streams[q]].state : eval.state, 0);
  }

  void mem_write(int sel, uint32_t addr, uint64_t v) {
    vec(1, (uint64_t)sel, addr, v);
    core_->hm_we = 1;
    core_->hm_sel = sel;
    core_->hm_addr = addr;
    core_->hm_wdata = v;
    tick();
    core_->hm_we = 0;
  }
  uint64_t mem_read(int sel, uint32_t addr) {
    core_->hm_re = 1;
    core_->hm_sel = sel;
    core_->hm_addr = addr;
    tick();
    core_->hm_re = 0;
    core_->eval();
    return core_->hm_rdata;
  }
  void cfg_write(int addr, uint32_t v) {
    vec(2, (uint64_t)addr, v, 0);
    core_->cfg_we = 1;
    core_->cfg_addr = addr;
    core_->cfg_wdata = v;
    tick();
    core_->cfg_we = 0;
  }
  // A configuration word is valid one clock after its address: the random streams' states are
  // words of a block RAM (docs/rtl.md, "Host interface"). Called while the core is idle.
  uint64_t cfg_read(int addr) {
    core_->cfg_addr = addr;
    tick();
    return core_->cfg_rdata;
  }

  // Run until the core holds at a checkpoint of the expected kind (or finishes).
  bool wait_chk(int kind, int t) {
    for (uint64_t guard = 0; guard < (1ull << 34); guard++) {
      if (core_->chk_valid) {
        if (core_->chk_kind != kind || (kind == kChkStep && core_->chk_t != t)) {
          fail_where("checkpoint order", "kind/step", (int64_t)kind * 1000 + t,
                     (int64_t)core_->chk_kind * 1000 + core_->chk_t);
          return false;
        }
        return true;
      }
      tick();
    }
    std::fprintf(stderr, "cosim: timeout waiting for checkpoint %d\n", kind);
    return false;
  }
  void go() {
    core_->chk_go = 1;
    tick();
    core_->chk_go = 0;
  }
  bool wait_done() {
    for (uint64_t guard = 0; guard < (1ull << 34); guard++) {
      if (!core_->busy) return true;
      if (core_->chk_valid) {
        std::fprintf(stderr, "cosim: unexpected checkpoint kind %d\n", core_->chk_kind);
        return false;
      }
      tick();
    }
    return false;
  }

  // Compare one value; on the first mismatch print where and return false.
  bool cmp(const char *phase, int layer, uint32_t index, const char *field, int64_t expected,
           int64_t got) {
    values_++;
    if (expected == got) return true;
    mismatches_++;
    char step[16];
    if (step_ >= 0) std::snprintf(step, sizeof step, "%d", step_);
    else std::snprintf(step, sizeof step, "end");
    std::printf("cosim: FIRST DIVERGENCE at sample %u, step %s, phase %s, layer %d, %s %u, field "
                "%s: expected %" PRId64 ", got %" PRId64 "\n",
                sample_, step, phase, layer, layer < 0 ? "index" : "neuron", index, field,
                expected, got);
    return false;
  }
  void fail_where(const char *phase, const char *field, int64_t expected, int64_t got) {
    cmp(phase, -1, 0, field, expected, got);
  }

  static int64_t sx(uint64_t w, int bits) {
    if (bits >= 64) return (int64_t)w;
    uint64_t m = 1ull << (bits - 1);
    w &= (1ull << bits) - 1;
    return (int64_t)((w ^ m) - m);
  }

  uint32_t base(const char *what, int l) const {
    char name[48];
    std::snprintf(name, sizeof name, "L%d_%s", l, what);
    for (int c = 0; c < n_consts_; c++) {
      if (!std::strcmp(consts_[c].name, name)) return (uint32_t)consts_[c].value;
    }
    return 0;
  }

  void load_constants() { n_consts_ = bg_net_constants(net_, consts_, 512); }

  void load_weights() {
    const int L = m_->n_layers - 1;
    for (int l = 1; l <= L; l++) {
      const bg_model_layer_t *ly = &m_->layer[l];
      uint32_t wb = base("W_BASE", l), nb = base("N_BASE", l);
      for (size_t s = 0; s < (size_t)ly->fan_in * ly->n; s++) mem_write(kW, wb + (uint32_t)s, (uint64_t)(int64_t)ly->w[s]);
      for (uint32_t i = 0; i < ly->n; i++) mem_write(kB, nb + i, (uint64_t)(int64_t)ly->b[i]);
      if (l < L) {
        uint32_t fb = base("FB_BASE", l), n_out = m_->layer[L].n;
        for (size_t s = 0; s < (size_t)ly->n * n_out; s++) mem_write(kFb, fb + (uint32_t)s, (uint64_t)(int64_t)ly->fb[s]);
      }
    }
  }

  void load_seeds(const bg_rng_t &eval) {
    const int streams[5] = {BG_STREAM_INPUT, BG_STREAM_SLEEP_RATE, BG_STREAM_SLEEP_NOISE,
                            BG_STREAM_ROUND, -1};
    for (int s = 0; s < 5; s++) {
      cfg_write(kSeed0 + s, streams[s] >= 0 ? m_->rng[streams[s]].state : eval.state);
    }
    cfg_write(kEtaM, m_->eta_m);
    cfg_write(kEtaSh, m_->eta_sh);
    cfg_write(kSinceSleep, (uint32_t)(m_->train_samples % net_->sleep.period));
  }

  // Every neuron's state after step t (forward, and the error unit when training).
  bool compare_step(uint32_t t, bool train) {
    const int L = m_->n_layers - 1;
    for (int l = 0; l <= L; l++) {
      const bg_model_layer_t *ly = &m_->layer[l];
      uint32_t rb = base("R_BASE", l);
      for (uint32_t i = 0; i < ly->n; i++) {
        uint64_t r = mem_read(kRast, rb + i);
        if (!cmp("forward", l, i, "spike", ly->raster[(size_t)t * ly->n + i], (int64_t)((r >> t) & 1))) return false;
      }
      if (l == 0) continue;
      const int pb = m_->pfmt.bits;
      uint32_t nb = base("N_BASE", l), rcb = base("REC_BASE", l);
      for (uint32_t i = 0; i < ly->n; i++) {
        uint64_t w = mem_read(kNst, nb + i);
        if (!cmp("forward", l, i, "v", ly->v[i], sx(w, pb))) return false;
        if (!cmp("forward", l, i, "s", ly->s[i], (int64_t)((w >> pb) & 1))) return false;
        if (!cmp("forward", l, i, "refractory", ly->refr[i], (int64_t)((w >> (pb + 1)) & 0xff))) return false;
        if (!train) continue;
        uint64_t rc = mem_read(kRec, rcb + t * ly->n + i);
        if (!cmp("forward", l, i, "m", ly->m_rec[(size_t)t * ly->n + i], sx(rc, pb))) return false;
        if (!cmp("forward", l, i, "g", ly->g_rec[(size_t)t * ly->n + i], (int64_t)((rc >> pb) & 1))) return false;
        uint64_t d = mem_read(kD, nb + i);
        if (!cmp("error", l, i, "dendrite", ly->d[i], sx(d, m_->dfmt.bits))) return false;
      }
    }
    if (!train) return true;
    uint32_t n_out = m_->layer[L].n;
    for (uint32_t k = 0; k < n_out; k++) {
      uint64_t u = mem_read(kErr, k), s = mem_read(kErr, n_out + k);
      int eb = m_->efmt.bits;
      if (!cmp("error", L, k, "u+", m_->err.up[k], sx(u >> 32, eb))) return false;
      if (!cmp("error", L, k, "u-", m_->err.um[k], sx(u & 0xffffffffu, eb))) return false;
      if (!cmp("error", L, k, "sigma+", m_->err.sp[k], (int64_t)((s >> 1) & 1))) return false;
      if (!cmp("error", L, k, "sigma-", m_->err.sm[k], (int64_t)(s & 1))) return false;
      // the spike count c_k the softmax reads (error-unit word 2·NOut + k)
      uint64_t c = mem_read(kErr, 2 * n_out + k);
      if (!cmp("error", L, k, "count", m_->layer[L].count[k], (int64_t)c)) return false;
    }
    return true;
  }

  bool compare_kernels() {
    for (int l = 1; l < m_->n_layers; l++) {
      const bg_model_layer_t *ly = &m_->layer[l];
      uint32_t rcb = base("REC_BASE", l);
      for (uint32_t s = 0; s < m_->T * ly->n; s++) {
        if (!cmp("kernel", l, s, "K", ly->kern[s], sx(mem_read(kK, rcb + s), m_->tfmt.bits))) return false;
      }
    }
    return true;
  }

  bool compare_weights(const char *phase) {
    const int L = m_->n_layers - 1;
    for (int l = 1; l <= L; l++) {
      const bg_model_layer_t *ly = &m_->layer[l];
      int wb = net_->layers[l].weight.bits;
      uint32_t wbase = base("W_BASE", l), nb = base("N_BASE", l);
      for (uint32_t s = 0; s < ly->fan_in * ly->n; s++) {
        int64_t got = sx(mem_read(kW, wbase + s), wb);
        if (got == ly->w[s]) {
          values_++;
          continue;
        }
        char field[64];  // name the synapse: presynaptic j -> postsynaptic i (memory order j*n+i)
        std::snprintf(field, sizeof field, "W (synapse %u -> %u)", s / ly->n, s % ly->n);
        return cmp(phase, l, s % ly->n, field, ly->w[s], got);
      }
      for (uint32_t i = 0; i < ly->n; i++) {
        if (!cmp(phase, l, i, "b", ly->b[i], sx(mem_read(kB, nb + i), wb))) return false;
      }
    }
    return true;
  }

  bool compare_feedback() {
    const int L = m_->n_layers - 1;
    for (int l = 1; l < L; l++) {
      const bg_model_layer_t *ly = &m_->layer[l];
      uint32_t fb = base("FB_BASE", l), n = ly->n * m_->layer[L].n;
      for (uint32_t s = 0; s < n; s++) {
        if (!cmp("sleep", l, s, "B", ly->fb[s], sx(mem_read(kFb, fb + s), net_->layers[l].feedback.bits))) return false;
      }
    }
    return true;
  }

  bool compare_streams(const bg_rng_t &eval) {
    const int streams[5] = {BG_STREAM_INPUT, BG_STREAM_SLEEP_RATE, BG_STREAM_SLEEP_NOISE,
                            BG_STREAM_ROUND, -1};
    static const char *const names[5] = {"rng input", "rng sleep-rate", "rng sleep-noise",
                                         "rng round", "rng eval"};
    for (int s = 0; s < 5; s++) {
      uint32_t want = streams[s] >= 0 ? m_->rng[streams[s]].state : eval.state;
      if (!cmp("end of sample", -1, (uint32_t)s, names[s], want, (int64_t)cfg_read(kSeed0 + s))) return false;
    }
    return true;
  }

  // One sample, both sides; false on the first divergence.
  bool run_sample(const uint8_t *px, int label, bool train, bg_rng_t *eval) {
    const uint32_t n_in = m_->layer[0].n;
    for (uint32_t j = 0; j < n_in; j++) mem_write(kPix, j, px[j]);
    cfg_write(kLabel, (uint32_t)label);
    core_->start = 1;
    core_->cmd = train ? 0 : 1;
    vec(3, train ? 0 : 1, 0, 0);
    tick();
    core_->start = 0;
    m_->record = train;
    bg_state_reset(m_);
    for (uint32_t t = 0; t < m_->T; t++) {
      step_ = (int)t;
      bg_input_encoder_step(m_, px, t, train ? &m_->rng[BG_STREAM_INPUT] : eval);
      for (int l = 1; l < m_->n_layers; l++) bg_neuron_core_step(m_, l, t);
      if (train && t >= m_->t0) bg_error_unit_step(m_, label);
      if (!wait_chk(kChkStep, (int)t) || !compare_step(t, train)) return false;
      timesteps_++;
      go();
    }
    step_ = -1;
    int pred = bg_model_prediction(m_);
    // the whole sample's spikes, one word per neuron (bit t = step t), before sleep reuses step 0
    size_t n_all = 0;
    for (int l = 0; l < m_->n_layers; l++) n_all += m_->layer[l].n;
    std::unique_ptr<uint64_t[]> rast(new uint64_t[n_all]);
    for (int l = 0, r = 0; l < m_->n_layers; l++) {
      const bg_model_layer_t *ly = &m_->layer[l];
      for (uint32_t i = 0; i < ly->n; i++, r++) {
        rast[r] = 0;
        for (uint32_t t = 0; t < m_->T; t++) rast[r] |= (uint64_t)ly->raster[(size_t)t * ly->n + i] << t;
      }
    }
    if (train) {
      for (int l = 1; l < m_->n_layers; l++) {
        bg_replay_unit_kernel(m_, l);
        bg_weight_update_accumulate(m_, l);
      }
      m_->record = false;
      uint64_t sleeps = m_->ctr.sleeps;
      bg_model_after_sample(m_);
      if (!wait_chk(kChkUpdate, 0) || !compare_kernels() || !compare_weights("update")) return false;
      go();
      if (m_->ctr.sleeps != sleeps) {
        if (!wait_chk(kChkSleep, 0) || !compare_feedback()) return false;
        go();
      }
    }
    if (!wait_done()) return false;
    if (!cmp("end of sample", -1, 0, "prediction", pred, (int64_t)cfg_read(kPred))) return false;
    if (!compare_streams(*eval)) return false;
    vec_expect_sample(rast, pred, *eval);
    return true;
  }

  int run();

  uint32_t sample_ = 0;
  int step_ = -1;
  uint64_t values_ = 0, mismatches_ = 0, timesteps_ = 0, cycles_ = 0;

 private:
  const Options &o_;
  const bg_net_t *net_;
  bg_model_t *m_;
  std::unique_ptr<Vbg_core> core_;
  std::unique_ptr<VerilatedFstC> fst_;
  std::FILE *vec_ = nullptr;
  uint64_t time_ = 0;
  bg_net_const_t consts_[512];
  int n_consts_ = 0;
};

int Cosim::run() {
  load_constants();
  if (o_.vectors && !open_vectors(o_.vectors)) {
    std::fprintf(stderr, "error: %s: cannot write the vector file\n", o_.vectors);
    return 2;
  }
  reset();
  bg_net_t plain;
  bg_err_t err;
  if (bg_net_load(o_.net, &plain, &err) != BG_OK) {
    std::fprintf(stderr, "error: %s\n", err.msg);
    return 2;
  }
  uint32_t hash = (uint32_t)cfg_read(kNetHash);
  if (hash != plain.q.hash) {
    std::fprintf(stderr, "error: this simulator was built for description hash 0x%08x, %s has "
                 "0x%08x; run it through build/bin/bgcosim, which rebuilds per description\n",
                 hash, o_.net, plain.q.hash);
    return 2;
  }
  bg_samples_t ds;
  bool mnist = std::strcmp(o_.data, "random") != 0;
  if (mnist && bg_samples_open(o_.data, o_.data_dir, net_->layers[0].size, net_->time.steps,
                               net_->input.bin_ms, &ds, &err) != BG_OK) {
    std::fprintf(stderr, "error: %s\n", err.msg);
    return 2;
  }
  bg_rng_t eval, data;
  bg_rng_seed(&eval, net_->q.stream_seed[BG_STREAM_EVAL]);
  bg_rng_seed(&data, o_.data_seed);
  load_weights();
  load_seeds(eval);
  const uint32_t n_in = net_->layers[0].size, n_out = net_->layers[net_->n_layers - 1].size;
  std::unique_ptr<uint8_t[]> px(new uint8_t[n_in]);
  uint64_t c_start = cfg_read(kCycles);
  for (sample_ = 0; sample_ < o_.samples; sample_++) {
    int label;
    const uint8_t *in = px.get();
    if (mnist) {
      uint32_t count = bg_samples_count(&ds, o_.train ? BG_SPLIT_TRAIN : BG_SPLIT_TEST);
      if (bg_samples_get(&ds, o_.train ? BG_SPLIT_TRAIN : BG_SPLIT_TEST, sample_ % count, &in,
                         &label, &err) != BG_OK) {
        std::fprintf(stderr, "error: %s\n", err.msg);
        return 2;
      }
      if (label < 0 || (uint32_t)label >= n_out) label = (int)((uint32_t)label % n_out);
    } else {
      for (uint32_t j = 0; j < n_in; j++) px[j] = (uint8_t)(bg_rng_next(&data) >> 24);
      label = (int)(bg_rng_next(&data) % n_out);
    }
    if (!run_sample(in, label, o_.train, &eval)) break;
    if (!o_.quiet && (sample_ + 1) % 10 == 0) {
      std::fprintf(stderr, "cosim: %u/%u samples agree\n", sample_ + 1, o_.samples);
    }
  }
  uint32_t done_samples = sample_;
  uint64_t core_cycles = cfg_read(kCycles) - c_start;
  if (mnist) bg_samples_close(&ds);
  if (done_samples > 0) {
    double steps = (double)cfg_read(kSteps);
    std::printf("cosim: core cycles per sample %.0f (forward %.0f, learning %.0f, sleep %.0f); "
                "per timestep %.0f; synaptic events per sample %.0f; weight writes per sample %.0f\n",
                (double)core_cycles / done_samples, (double)cfg_read(kFwdCycles) / done_samples,
                (double)cfg_read(kLearnCycles) / done_samples,
                (double)cfg_read(kSleepCycles) / done_samples,
                steps > 0 ? (double)cfg_read(kFwdCycles) / steps : 0.0,
                (double)cfg_read(kSynEvents) / done_samples,
                (double)cfg_read(kWeightWrites) / done_samples);
    std::printf("cosim: core counted %" PRIu64 " samples, %" PRIu64 " sleep calls\n",
                cfg_read(kSamples), cfg_read(kSleeps));
  }
  return mismatches_ ? 1 : 0;
}

int usage(int rc) {
  std::fprintf(rc ? stderr : stdout,
               "usage: bgcosim --net NET [--data random|mnist|fashion] [--samples N] [--seed S]\n"
               "               [--data-seed S] [--train|--infer] [--trace FILE.fst] [--quiet]\n"
               "               [--vectors FILE]   (also write a vector file for sim/tb_vectors.sv)\n"
               "Runs the Verilated core beside the golden model; exit 0 only when every value "
               "agreed.\n");
  return rc;
}

}  // namespace

int main(int argc, char **argv) {
  Verilated::commandArgs(argc, argv);
  Options o;
  o.self = argv[0];
  o.argc = argc;
  o.argv = argv;
  for (int i = 1; i < argc; i++) {
    std::string a = argv[i];
    auto val = [&]() -> const char * {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "error: %s needs a value\n", a.c_str());
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--net") o.net = val();
    else if (a == "--data") o.data = val();
    else if (a == "--data-dir") o.data_dir = val();
    else if (a == "--samples") o.samples = bg_cli_u32("--samples", val());
    else if (a == "--seed") o.seed = val();
    else if (a == "--data-seed") o.data_seed = bg_cli_u32("--data-seed", val());
    else if (a == "--train") o.train = true;
    else if (a == "--infer") o.train = false;
    else if (a == "--trace") o.trace = val();
    else if (a == "--vectors") o.vectors = val();
    else if (a == "--quiet") o.quiet = true;
    else if (a == "--no-retrace") o.no_retrace = true;
    else if (a == "-h" || a == "--help") return usage(0);
    else if (a.rfind("+verilator", 0) == 0) continue;
    else {
      std::fprintf(stderr, "error: unknown option %s\n", a.c_str());
      return usage(2);
    }
  }
  if (!o.net) return usage(2);
  static bg_net_t net;
  bg_err_t err;
  if (bg_cli_load_net(o.net, o.seed, &net, &err) != BG_OK) {
    std::fprintf(stderr, "error: %s\n", err.msg);
    return 1;
  }
  static bg_model_t m;
  if (bg_model_init(&m, &net, &err) != BG_OK) {
    std::fprintf(stderr, "error: %s\n", err.msg);
    return 1;
  }
  int rc;
  uint64_t values, mismatches, timesteps;
  uint32_t samples;
  {
    Cosim c(o, &net, &m);
    rc = c.run();
    values = c.values_;
    mismatches = c.mismatches_;
    timesteps = c.timesteps_;
    samples = c.sample_;
  }
  bg_model_free(&m);
  if (rc == 2) return 2;
  std::printf("cosim: %u samples, %" PRIu64 " timesteps, %" PRIu64 " values compared, %" PRIu64
              " mismatches\n", samples, timesteps, values, mismatches);
  if (rc != 0 && !o.trace && !o.no_retrace) {
    // Re-run the same command with tracing so the failing run leaves a waveform.
    std::string fst = std::string(o.net);
    size_t slash = fst.find_last_of('/');
    fst = "build/cosim/fail-" + fst.substr(slash == std::string::npos ? 0 : slash + 1) + ".fst";
    std::string cmd = std::string(o.self);
    for (int i = 1; i < argc; i++) cmd += std::string(" '") + argv[i] + "'";
    cmd += " --quiet --no-retrace --trace '" + fst + "' > /dev/null 2>&1";
    if (std::system(cmd.c_str()) != -1) std::printf("cosim: waveform of the failing run: %s\n", fst.c_str());
  }
  return rc;
}
