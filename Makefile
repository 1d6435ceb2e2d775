# SPDX-License-Identifier: Apache-2.0
# biograd-hw top-level Makefile. `make help` lists the targets.
# Build output goes under $(BUILD) only; datasets under data/. Both are git-ignored.

ifeq ($(origin CC),default)
CC := gcc
endif
CLANG     ?= clang
BUILD     ?= build
NET       ?= nets/small.json
SAN       ?=
export BG_BUILD := $(BUILD)

WARN      := -Wall -Wextra -Wshadow -Werror
CSTD      := -std=c11 -D_POSIX_C_SOURCE=200809L
OPT       ?= -O3 -g
ASANFLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
SANFLAGS  := $(if $(SAN),$(ASANFLAGS))
INCLUDES  := -Icmodel/common -Icmodel/net -Icmodel/data -Icmodel/io -Icmodel/core -Icmodel/train \
             -Isw/regmap -Isw/driver -Isw/mapping -I$(BUILD)/gen/regmap
CFLAGS_ALL = $(CSTD) $(WARN) $(OPT) $(SANFLAGS) $(INCLUDES)
# The golden model (and everything it links) is held to -Wconversion: every narrowing goes
# through a named helper or an explicit cast.
CFLAGS_LIB = $(CFLAGS_ALL) -Wconversion
LDLIBS    := -lcjson -lz -lm -ldl

LIB_SRCS  := $(sort $(wildcard cmodel/*/*.c) $(wildcard sw/regmap/*.c) $(wildcard sw/driver/*.c) \
                    $(wildcard sw/mapping/*.c))
# The driver includes the register map's generated header: bgregmap is built from its own
# sources (not from the library that holds the driver), then writes bg_regs.h.
REGMAP_TOOL_SRCS := sw/cli/bgregmap.c $(wildcard sw/regmap/*.c) cmodel/net/bg_net_read.c \
                    cmodel/common/bg_err.c cmodel/data/bg_file.c
REGS_H    := $(BUILD)/gen/regmap/bg_regs.h
# The golden model's core and trainer are compiled twice: integer path (bg_*) and float path
# (bgf_*, -DBG_FLOAT=1); docs/cmodel.md explains why.
TWICE_SRCS := $(filter cmodel/core/% cmodel/train/%,$(LIB_SRCS))
LIB_OBJS  := $(LIB_SRCS:%.c=$(BUILD)/obj/%.o) $(TWICE_SRCS:%.c=$(BUILD)/obj/float/%.o)
LIB       := $(BUILD)/lib/libbg.a
CLI_SRCS  := $(sort $(wildcard sw/cli/*.c))
BINS      := $(CLI_SRCS:sw/cli/%.c=$(BUILD)/bin/%)
TEST_SRCS := $(sort $(wildcard tests/test_*.c))
TESTS     := $(TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
FUZZ_SRCS := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZERS   := $(FUZZ_SRCS:tests/fuzz/%.c=$(BUILD)/fuzz/%)
HDRS      := $(wildcard cmodel/*/*.h) $(wildcard tests/*.h) $(wildcard sw/cli/*.h) \
             $(wildcard sw/regmap/*.h) $(wildcard sw/driver/*.h) $(wildcard sw/mapping/*.h)

.PHONY: all help setup data cmodel sw gen test test-long test-asan fuzz demo bench vectors clean \
        rtl-lint cosim hls-check hls-csim synth synth-breakdown rules-table regmap
.DEFAULT_GOAL := all

all: cmodel sw

help:
	@echo "biograd-hw targets:"
	@echo "  make demo        bootstrap, then run the product end to end (scripts/demo.sh)"
	@echo "  make test        bootstrap, build, run the fast suite (tests/fast.list)"
	@echo "  make test-long   the long regressions and fuzzing (tests/long.list)"
	@echo "  make test-asan   the fast suite built with ASan/UBSan (under build/asan)"
	@echo "  make cmodel      the golden-model library ($(LIB))"
	@echo "  make sw          the CLIs ($(BUILD)/bin: bgnet, bgdata)"
	@echo "  make rtl-lint    RTL through Verilator -Wall, Yosys check -assert and Icarus"
	@echo "  make cosim       RTL vs golden model: the cosimulation regression (tests/test_cosim*.sh)"
	@echo "  make hls-check   the HLS kernels inside the Vitis C subset (scripts/hls_check.sh)"
	@echo "  make hls-csim    HLS kernels vs golden model, bit for bit (tests/test_hls.sh)"
	@echo "  make synth       FPGA flow: report + UP5K bitstream (NET=nets/mnist-fpga.json TARGET=up5k;"
	@echo "                   TARGET=up5k|hx8k|ecp5|xilinx, SEEDS=\"1 2 3\" FREQ=24 TOP=board|core;"
	@echo "                   COUNTERS=all: the twelve counters (default: cycles, samples), 0: none;"
	@echo "                   HOST=all: the host port reaches every memory (default: the model's);"
	@echo "                   CLOCK=48|24|12|6 MHz (oscillator; default 24), other 16..275: the PLL)"
	@echo "  make synth-breakdown  UP5K LUT4 per block and by removal of counters / host port"
	@echo "  make gen NET=F   generated headers for one network description ($(BUILD)/gen/<name>)"
	@echo "  make regmap      the register map's C header, SV package and page ($(BUILD)/gen/regmap)"
	@echo "  make fuzz        build the libFuzzer targets ($(BUILD)/fuzz)"
	@echo "  make vectors     regenerate the golden vectors in tests/vectors/ (bgvec)"
	@echo "  make bench       golden-model speed vs the dense float baseline (scripts/bench.sh)"
	@echo "  make rules-table every seed rule on MNIST and Fashion-MNIST (scripts/rules_table.sh)"
	@echo "  make setup       install Debian packages (scripts/setup.sh, root)"
	@echo "  make data        fetch and verify MNIST and Fashion-MNIST into data/"
	@echo "  make clean       remove $(BUILD)/"

setup:
	@bash scripts/setup.sh

data:
	@bash scripts/fetch-data.sh

cmodel: $(LIB)
sw: $(BINS) $(BUILD)/bin/bgcosim

# bgcosim builds one Verilated model per description on first use (sim/bgcosim.sh)
$(BUILD)/bin/bgcosim: sim/bgcosim.sh $(LIB) $(BUILD)/bin/bgnet
	@mkdir -p $(dir $@)
	cp sim/bgcosim.sh $@

rtl-lint: $(BUILD)/bin/bgnet
	@bash tests/test_rtl_lint.sh

hls-check: $(BUILD)/bin/bgnet
	@bash scripts/hls_check.sh

hls-csim: all
	@bash scripts/fetch-data.sh
	@bash tests/test_hls.sh

# The open FPGA flow (scripts/synth.sh, docs/fpga.md). Its own default description: the one the
# FPGA issue targets, unless NET is given on the command line or in the environment.
TARGET    ?= up5k
SYNTH_NET  = $(if $(filter command line environment,$(origin NET)),$(NET),nets/mnist-fpga.json)
# The board clock: the oscillator's 24 MHz setting, the goal, which every seed of the placed MNIST core
# meets (docs/fpga.md, "Fmax"). A clock no seed meets ends the flow with exit 6 (no bitstream).
CLOCK     ?= 24
synth: $(BUILD)/bin/bgnet
	@bash scripts/synth.sh --net $(SYNTH_NET) --target $(TARGET) --out $(BUILD)/synth/$(TARGET) \
	  $(if $(SEEDS),--seeds "$(SEEDS)") $(if $(CLOCK),--clock $(CLOCK)) $(if $(FREQ),--freq $(FREQ)) \
	  $(if $(TOP),--top $(TOP)) \
	  $(if $(filter 0 none,$(COUNTERS)),--counters none) $(if $(filter 1 all,$(COUNTERS)),--counters all) \
	  $(if $(HOST),--host $(HOST))

# Where the UP5K's LUTs go: LUT4 per block and parts of bg_core measured by removal
# (scripts/fpga_breakdown.sh, docs/fpga.md); Yosys only, a few minutes.
synth-breakdown: $(BUILD)/bin/bgnet
	@BG_BUILD=$(BUILD) bash scripts/fpga_breakdown.sh --net $(SYNTH_NET) --out $(BUILD)/synth/breakdown

cosim: all
	@bash scripts/fetch-data.sh
	@bash tests/test_cosim.sh
	@bash tests/test_cosim_long.sh

$(BUILD)/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_LIB) -c $< -o $@

$(BUILD)/obj/float/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_LIB) -DBG_FLOAT=1 -c $< -o $@

$(BUILD)/bin/bgregmap: $(REGMAP_TOOL_SRCS) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_LIB) $(REGMAP_TOOL_SRCS) -lcjson -lz -o $@

$(REGS_H): sw/regmap/regmap.json $(BUILD)/bin/bgregmap
	@mkdir -p $(dir $@)
	$(BUILD)/bin/bgregmap gen c $< -o $(dir $@) > /dev/null

$(filter $(BUILD)/obj/sw/driver/%,$(LIB_OBJS)): $(REGS_H)

$(LIB): $(LIB_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^

$(BUILD)/bin/%: sw/cli/%.c $(LIB) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) $< $(LIB) $(LDLIBS) -o $@

$(BUILD)/tests/%: tests/%.c $(LIB) $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS_ALL) -Itests $< $(LIB) $(LDLIBS) -o $@

# libFuzzer targets are always built with clang, ASan and UBSan, straight from the sources.
$(BUILD)/fuzz/%: tests/fuzz/%.c $(LIB_SRCS) $(HDRS) $(REGS_H)
	@mkdir -p $(dir $@)
	$(CLANG) $(CSTD) -g -O1 $(INCLUDES) -fsanitize=fuzzer,address,undefined \
	  -fno-sanitize-recover=all $< $(LIB_SRCS) $(LDLIBS) -o $@

fuzz: $(FUZZERS)

gen: $(BUILD)/bin/bgnet
	@name=$$(basename $(NET) .json); \
	for t in c verilog hls; do $(BUILD)/bin/bgnet gen $$t $(NET) -o $(BUILD)/gen/$$name || exit 1; done; \
	echo "generated headers for $(NET) in $(BUILD)/gen/$$name"

test: setup
	@bash scripts/fetch-data.sh
	@$(MAKE) --no-print-directory all $(TESTS) $(FUZZERS)
	@bash tests/run.sh tests/fast.list

test-long: setup
	@bash scripts/fetch-data.sh
	@$(MAKE) --no-print-directory all $(TESTS) $(FUZZERS)
	@bash tests/run.sh tests/long.list

test-asan: setup
	@bash scripts/fetch-data.sh
	@$(MAKE) --no-print-directory BUILD=build/asan CC=$(CLANG) SAN=1 all \
	  $(TESTS:$(BUILD)/%=build/asan/%)
	@$(MAKE) --no-print-directory $(FUZZERS)
	@BG_BUILD=build/asan bash tests/run.sh tests/fast.list

# Golden vectors for the RTL/HLS tiers; tests/test_vectors.sh checks the model still writes them.
vectors: $(BUILD)/bin/bgvec
	$(BUILD)/bin/bgvec --net nets/tiny.json --samples 6 -o tests/vectors/tiny.txt
	$(BUILD)/bin/bgvec --net nets/small.json --samples 20 -o tests/vectors/small.txt

bench: setup
	@bash scripts/fetch-data.sh
	@$(MAKE) --no-print-directory all
	@bash scripts/bench.sh

regmap: $(BUILD)/bin/bgregmap
	@mkdir -p $(BUILD)/gen/regmap
	@for k in c verilog md; do $(BUILD)/bin/bgregmap gen $$k sw/regmap/regmap.json -o $(BUILD)/gen/regmap; done

rules-table: setup
	@bash scripts/fetch-data.sh
	@$(MAKE) --no-print-directory all
	@bash scripts/rules_table.sh

demo: setup
	@bash scripts/fetch-data.sh
	@$(MAKE) --no-print-directory all
	@bash scripts/demo.sh

clean:
	rm -rf $(BUILD)
