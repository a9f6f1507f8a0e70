# Quiesce: a tiny SMP kernel for arm64, armv7-a and x86_64.
#
#   make run  [BOARD=...] [CPUS=n] [CMDLINE='run=... ms=...']
#   make test
#   make image [BOARD=...]
#   make debug [BOARD=...]
#
# Everything the build needs that a fresh Debian lacks is installed by
# tools/deps.sh, once, with one line saying so.

BOARD	?= qemu-virt-arm64
CPUS	?= 4
CMDLINE	?=
TIMEOUT	?= 300
comma	:= ,

BOARDS	:= $(patsubst boards/%.mk,%,$(wildcard boards/*.mk))
ifeq ($(filter $(BOARD),$(BOARDS)),)
$(error BOARD=$(BOARD) is not a board; valid: $(BOARDS))
endif
include boards/$(BOARD).mk
include boot/$(ARCH)/arch.mk

# UBSAN=1: the debug kernel with the undefined-behaviour sanitizer;
# BUSTED=1: hardening deliberately broken (text writable, no stack guard
# pages, no stack protector), so the tests can show their checks fail.
# Each variant builds in a folder of its own.
UBSAN	?=
BUSTED	?=
B	:= build/$(BOARD)$(if $(UBSAN),-ubsan)$(if $(BUSTED),-busted)
CC	:= $(CROSS)gcc
NM	:= $(CROSS)nm
OBJCOPY	:= $(CROSS)objcopy
IMAGE	:= $(B)/$(IMAGE_NAME)
BOARD_DTB := $(if $(BOARD_DTS),$(B)/board.dtb)
ELF	:= $(B)/kernel.elf

COMMON_SRCS := $(wildcard kernel/*.c kernel/locking/*.c rcu/*.c lib/*.c \
			  workloads/*.c workloads/*/*.c)
SRCS	:= $(COMMON_SRCS) $(ARCH_SRCS) $(BOARD_DRIVERS:%=drivers/%.c) $(BOARD_SRCS)
OBJS	:= $(addprefix $(B)/,$(addsuffix .o,$(SRCS)))

# Recursively expanded: the compiler may not exist until deps ran.
CC_INCLUDE = $(shell $(CC) -print-file-name=include)
CFLAGS	= -std=gnu11 -O2 -g -ffreestanding -nostdinc -isystem $(CC_INCLUDE) \
	  -fno-pic -fno-pie -fno-omit-frame-pointer \
	  -fno-common -ffunction-sections \
	  -Wall -Wextra -Werror -Wno-unused-parameter \
	  -Iinclude -Iboot/$(ARCH)/include \
	  -DCONFIG_DEBUG -DCONFIG_ATOMIC_STATS -DNR_CPUS=512 \
	  -DBOARD_NAME='"$(BOARD)"' $(ARCH_CFLAGS) $(BOARD_CFLAGS) \
	  $(STACKPROTECTOR_CFLAGS) $(UBSAN_CFLAGS) $(if $(BUSTED),-DCONFIG_BUSTED_HARDENING)
# One canary for the whole kernel, __stack_chk_guard (kernel/stackprotector.c):
# x86_64 gcc would read it from %fs:40, and the kernel has no TLS at %fs.
STACKPROTECTOR_CFLAGS = $(if $(BUSTED),-fno-stack-protector,\
	  -fstack-protector-strong -mstack-protector-guard=global)
# Every check of gcc's -fsanitize=undefined group (shift, divide by zero,
# signed overflow, bounds, null, alignment, object-size, bool/enum loads,
# pointer overflow, nonnull, vla-bound, unreachable, builtin), each
# reported by its handler in kernel/ubsan.c: only the runtime library a
# hosted program links (libubsan) cannot work freestanding, and those
# handlers replace it. The group's C++-only checks (vptr, return) do not
# apply to C; the float checks are not in it (the kernel has no FP).
# The checks' branches hide from gcc's flow analysis that an out-parameter
# is set on success: -Wmaybe-uninitialized turns false (the normal build
# keeps it).
UBSAN_CFLAGS = $(if $(UBSAN),-fsanitize=undefined -Wno-maybe-uninitialized)
# The handlers themselves must not be instrumented (they would recurse).
$(B)/kernel/ubsan.c.o: UBSAN_CFLAGS :=
LDFLAGS	= -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
	  -Wl,--no-warn-rwx-segments -Wl,-T,$(LINKER_SCRIPT) \
	  -Wl,--defsym,LINK_ADDR=$(BOARD_LINK_ADDR) $(ARCH_LDFLAGS)

DEPS_STAMP := build/.deps-$(ARCH)

.PHONY: all run test debug kernel image host-tests clean deps print-qemu print-qemu-keys
all: kernel
kernel: $(IMAGE) $(BOARD_DTB)

deps: $(DEPS_STAMP)
$(DEPS_STAMP):
	@tools/deps.sh "$(TOOLCHAIN_PKGS) $(QEMU_PKG) python3"
	@mkdir -p build && touch $@

$(B)/%.c.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(B)/%.S.o: %.S | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(CFLAGS) -D__ASSEMBLER__ -MMD -MP -c $< -o $@

$(B)/ksyms0.c.o $(B)/ksyms.c.o: $(B)/%.c.o: $(B)/%.c
	@$(CC) $(CFLAGS) -c $< -o $@

# Two links: the first has an empty symbol table, the second the real
# one. The table sits after all code, so no function moves; the check
# below proves it.
$(B)/ksyms0.c: tools/ksyms.py
	@mkdir -p $(dir $@)
	@python3 tools/ksyms.py < /dev/null > $@
$(B)/kernel.pass1.elf: $(OBJS) $(B)/ksyms0.c.o $(LINKER_SCRIPT)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) $(OBJS) $(B)/ksyms0.c.o $(ARCH_LIBS) -lgcc -o $@
$(B)/ksyms.c: $(B)/kernel.pass1.elf tools/ksyms.py
	@$(NM) -n $< | python3 tools/ksyms.py > $@
$(ELF): $(OBJS) $(B)/ksyms.c.o $(LINKER_SCRIPT)
	@echo "  LD      $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) $(OBJS) $(B)/ksyms.c.o $(ARCH_LIBS) -lgcc -o $@
	@$(NM) -n $(B)/kernel.pass1.elf | grep -i ' t ' > $(B)/text1.sym
	@$(NM) -n $@ | grep -i ' t ' > $(B)/text2.sym
	@cmp -s $(B)/text1.sym $(B)/text2.sym || \
		{ echo "error: adding the symbol table moved kernel text"; rm -f $@; exit 1; }
$(B)/Image: $(ELF)
	@echo "  IMAGE   $@"
	@$(OBJCOPY) -O binary $< $@

# A QEMU machine without a DTB of its own (the Raspberry Pis) gets one
# built from the board's BOARD_DTS, preprocessed with the board file's
# values; QEMU_ARGS passes it with -dtb.
ifneq ($(BOARD_DTB),)
$(BOARD_DTB): $(BOARD_DTS) $(wildcard boards/dts/*.dtsi) boards/$(BOARD).mk | $(DEPS_STAMP)
	@tools/deps.sh "device-tree-compiler"
	@mkdir -p $(dir $@)
	@echo "  DTC     $@"
	@$(CC) -E -P -nostdinc -undef -x assembler-with-cpp \
		-DPERIPH_BASE=$(BOARD_PERIPH_BASE) $< | dtc -q -I dts -O dtb -o $@ -
endif

# make image: what a board boots from outside QEMU -kernel (an ISO, an SD
# card's files). The board file's BOARD_IMAGE_CMD makes it; without one the
# kernel image is all there is.
image: $(IMAGE) | $(DEPS_STAMP)
	@$(or $(BOARD_IMAGE_CMD),true)

# The command line goes to QEMU -append, unless the board boots an image
# with the command line inside (BOARD_CMDLINE_IN_IMAGE), which
# BOARD_RUN_DEPS then builds first. QEMU_KEYS are keys every QEMU run of
# the board needs (the Raspberry Pis: semihost=1, and cpus= for CPUS < 4).
QEMU_CMDLINE = $(if $(BOARD_CMDLINE_IN_IMAGE),,-append "$(strip $(QEMU_KEYS) $(CMDLINE))")

RUNNER	= python3 tools/run.py --board $(BOARD) --exit $(QEMU_EXIT) --timeout $(TIMEOUT) --log $(B)/run.log

run: $(IMAGE) $(BOARD_RUN_DEPS)
	@$(RUNNER) -- $(QEMU) $(QEMU_ARGS) $(QEMU_CMDLINE)

debug: $(IMAGE) $(BOARD_RUN_DEPS) | $(DEPS_STAMP)
	@tools/deps.sh "gdb-multiarch"
	@echo "QEMU is halted with a gdb stub on :1234. Attach with:"
	@echo "  gdb-multiarch $(ELF) -ex 'target remote :1234'"
	@$(QEMU) $(QEMU_ARGS) $(QEMU_CMDLINE) -S -s

# The QEMU command for this board and CPU count, and the kernel keys its
# command line needs (the test suite asks).
print-qemu:
	@echo $(QEMU) $(QEMU_ARGS)
print-qemu-keys:
	@echo $(QEMU_KEYS)

include tests/host/host.mk
include tests/fuzz/fuzz.mk
include bench/bench.mk
include tests/mutants/mutants.mk

# make soak [SOAK_MINUTES=10] [BOARD=...] [CPUS=4]: one long boot of
# rcutorture and every workload in turns under CPU hotplug, with failed
# allocations injected every other round; totals at the end (tools/soak.py).
SOAK_MINUTES ?= 10
.PHONY: soak
soak: $(IMAGE) $(BOARD_RUN_DEPS)
	@python3 tools/soak.py --board $(BOARD) --cpus $(CPUS) --minutes $(SOAK_MINUTES)

test: | $(DEPS_STAMP)
	@python3 tools/testsuite.py

clean:
	rm -rf build

-include $(OBJS:.o=.d)
