# make bench: every workload x mode x CPU count on BOARD, several runs per
# point, then Quiesce's RCU against liburcu on the host. Results (CSV,
# PNG charts, summary.md) go to results/<board>-<date>/.
#
#   make bench [BOARD=...] [QUICK=1] [BENCH_CPUS=1,2,4,8] [BENCH_RUNS=n]
#              [BENCH_MS=ms] [BENCH_READERS=1,2,4] [BENCH_OUT=dir]
#              [ACCEL=kvm [PIN=1]] [MEM=..] [QEMU_CPU=..] [QEMU_EXTRA=..]
# (the run options of the Makefile; summary.md records the host's CPU
# model, cores and sockets, and the accelerator)
#
# QUICK=1 shortens every run and the liburcu comparison (a few minutes).
# tools/bench.py runs one QEMU at a time: the runs are measurements.

BENCH_CPUS	?= 1,2,4,8
BENCH_READERS	?= 1,2,4
BENCH_RUNS	?=
BENCH_MS	?=
BENCH_OUT	?=
QUICK		?=

# The host comparison: urcu-bench links liburcu and the host build of
# Quiesce's RCU (the rcu/ sources tests/host/host.mk lists, with its
# flags, and the CPU watcher they register with) without sanitizers,
# optimised, without the debug and atomic-counting builds, as liburcu
# itself is built. Both sides align loops to a cache line: the read loop
# is a few instructions, and where the linker happened to place it moved
# reads/s by 25% (a loop that straddles a line) between builds of the
# same source.
BENCH_B		:= build/bench
URCU_BENCH	:= $(BENCH_B)/urcu-bench
BENCH_RCU_SRCS	:= $(filter-out %_test.c,$(filter rcu/%.c,$(HOST_SRCS))) kernel/cpu_watch.c \
		   tests/host/arch_host.c
BENCH_RCU_CFLAGS = $(filter-out -O1 -DCONFIG_DEBUG -DCONFIG_ATOMIC_STATS,$(HOST_CFLAGS)) -O2 -falign-loops=64 -I.
BENCH_CFLAGS	:= -std=gnu11 -O2 -falign-loops=64 -g -pthread -Wall -Wextra -Werror -Wno-unused-parameter
BENCH_URCU_SRCS	:= bench/urcu_bench.c bench/contend_urcu_qsbr.c bench/contend_urcu_memb.c \
		   bench/contend_rwlock.c bench/contend_busted.c
BENCH_DEPS_STAMP := build/.deps-bench

$(BENCH_DEPS_STAMP): bench/bench.mk | $(HOST_DEPS_STAMP)
	@tools/deps.sh "liburcu-dev gnuplot-nox"
	@mkdir -p build && touch $@

# One rule, two sets of flags: the liburcu side is plain host C; the
# Quiesce side sees the kernel's headers, as in the host tests.
BENCH_URCU_OBJS	:= $(BENCH_URCU_SRCS:%.c=$(BENCH_B)/%.o)
BENCH_RCU_OBJS	:= $(addprefix $(BENCH_B)/,$(BENCH_RCU_SRCS:.c=.o) bench/contend_quiesce.o)
BENCH_OBJS	:= $(BENCH_URCU_OBJS) $(BENCH_RCU_OBJS)
$(BENCH_URCU_OBJS): BENCH_FLAGS = $(BENCH_CFLAGS)
$(BENCH_RCU_OBJS): BENCH_FLAGS = $(BENCH_RCU_CFLAGS)

$(BENCH_B)/%.o: %.c | $(BENCH_DEPS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  BENCHCC $<"
	@$(HOST_CC) $(BENCH_FLAGS) -MMD -MP -c $< -o $@

$(URCU_BENCH): $(BENCH_OBJS)
	@echo "  BENCHLD $@"
	@$(HOST_CC) -pthread $^ -o $@ -lurcu-qsbr -lurcu-memb -lurcu-common

-include $(BENCH_OBJS:.o=.d)

BENCH_ARGS = --board $(BOARD) --cpus $(BENCH_CPUS) --readers $(BENCH_READERS) \
	     --urcu-bench $(URCU_BENCH) $(if $(QUICK),--quick) \
	     $(if $(BENCH_RUNS),--runs $(BENCH_RUNS)) $(if $(BENCH_MS),--ms $(BENCH_MS)) \
	     $(if $(BENCH_OUT),--out $(BENCH_OUT)) $(RUN_PIN)

.PHONY: bench urcu-bench
urcu-bench: $(URCU_BENCH)

# tools/bench.py builds the kernels it boots: the release build (time), the
# stats build (atomics) and the coherence build (cache-line transfers).
bench: $(BOARD_RUN_DEPS) $(URCU_BENCH) | $(DEPS_STAMP) $(BENCH_DEPS_STAMP)
	@python3 tools/bench.py $(BENCH_ARGS)
