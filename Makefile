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
# V=1: echo each full command instead of its short "  CC      file" line.
V	?=
Q	 = $(if $(filter 1,$(V)),,@)
SAY	 = $(if $(filter 1,$(V)),@true,@echo)

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

# ---- builds (BUILD=, COHERENCE=1) ----------------------------------------
# One source, four kernels, each in a folder of its own:
#   BUILD=debug      (the default) CONFIG_DEBUG (lockdep, poisoning, RCU
#                    checks) and CONFIG_ATOMIC_STATS: build/<board>
#   BUILD=release    neither option, what make bench times: build/<board>-release
#   BUILD=stats      CONFIG_ATOMIC_STATS only (atomics_per_op, no debug
#                    checks): build/<board>-stats
#   BUILD=coherence  (or COHERENCE=1) CONFIG_COHERENCE: every access of
#                    kernel code instrumented to count cache-line transfers
#                    (kernel/coherence.c): build/<board>-coherence
#   BUILD=debug-nostats  CONFIG_DEBUG alone: the fourth combination of the
#                    two options, built by make test so that each compiles
#   BUILD=races      (or RACES=1) CONFIG_RACES: the same instrumentation
#                    feeding a data-race detector (kernel/races.c,
#                    include/races.h): build/<board>-races
# UBSAN=1 and BUSTED=1 add to any of them (-ubsan, -busted suffixes).
BUILDS	:= debug release stats coherence debug-nostats races
COHERENCE ?=
RACES	?=
BUILD	?= $(if $(COHERENCE),coherence,$(if $(RACES),races,debug))
ifeq ($(filter $(BUILD),$(BUILDS)),)
$(error BUILD=$(BUILD) is not a build; valid: $(BUILDS))
endif
BUILD_CFLAGS_debug	:= -DCONFIG_DEBUG -DCONFIG_ATOMIC_STATS
BUILD_CFLAGS_release	:=
BUILD_CFLAGS_stats	:= -DCONFIG_ATOMIC_STATS
BUILD_CFLAGS_coherence	:= -DCONFIG_COHERENCE
BUILD_CFLAGS_debug-nostats := -DCONFIG_DEBUG
BUILD_CFLAGS_races	:= -DCONFIG_RACES
B	:= build/$(BOARD)$(if $(filter-out debug,$(BUILD)),-$(BUILD))$(if $(UBSAN),-ubsan)$(if $(BUSTED),-busted)
BUILD_CFLAGS		= $(BUILD_CFLAGS_$(BUILD)) $(TSAN_CFLAGS)
# The coherence and race builds: GCC's ThreadSanitizer instrumentation,
# the way Linux's KCSAN uses it (volatile accesses told apart from plain
# ones, no function entry/exit hooks), calling kernel/tsan.c instead of
# libtsan. Not instrumented: the runtime itself (kernel/tsan.c,
# coherence.c, races.c), the symbol lookup it calls, the arch code under
# boot/ (early boot, exception entry, CPU start) and drivers/ (device
# registers are not cached memory; the FDT and ACPI parsers run once at
# boot). No sibling calls: a hook's return address then names the function
# that made the access, not its caller (an atomic a function ends with).
TSAN_CFLAGS = $(if $(filter coherence races,$(BUILD)),-fsanitize=thread \
	  --param tsan-distinguish-volatile=1 --param tsan-instrument-func-entry-exit=0 -Wno-tsan \
	  -fno-optimize-sibling-calls)
$(B)/kernel/tsan.c.o $(B)/kernel/coherence.c.o $(B)/kernel/races.c.o $(B)/kernel/ksyms.c.o: TSAN_CFLAGS :=
# Nor the generated symbol tables (data only): instrumented, each gets a
# constructor whose size differs between the empty table and the full
# one, which can move the code linked after it between the links.
$(B)/ksyms0.c.o $(B)/ksyms1.c.o $(B)/ksyms.c.o: TSAN_CFLAGS :=
# The page-table core builds the ARM boards' first map with the MMU off.
$(B)/kernel/pgtable.c.o: TSAN_CFLAGS :=
$(B)/boot/% $(B)/drivers/%: TSAN_CFLAGS :=
# The coherence build's readers run in lockstep (kernel/coherence.c): on
# one host thread, round-robin, a waiting vCPU's cpu_relax() hands the
# thread to the one it waits for at once, whereas with a thread per vCPU
# each step would wait for the host to schedule the other thread.
ifeq ($(BUILD),coherence)
ifneq ($(BOARD_TCG),)
BOARD_TCG = single
else
QEMU_ARGS += -accel tcg,thread=single
endif
endif
# ---- end of builds --------------------------------------------------------
CC	:= $(CROSS)gcc
NM	:= $(CROSS)nm
OBJCOPY	:= $(CROSS)objcopy
IMAGE	:= $(B)/$(IMAGE_NAME)
BOARD_DTB := $(if $(BOARD_DTS),$(B)/board.dtb)
ELF	:= $(B)/kernel.elf

COMMON_SRCS := $(wildcard boot/*.c kernel/*.c kernel/locking/*.c rcu/*.c lib/*.c \
			  workloads/*.c workloads/*/*.c workloads/*/*.S)
SRCS	:= $(COMMON_SRCS) $(ARCH_SRCS) $(BOARD_DRIVERS:%=drivers/%.c) $(BOARD_SRCS)
OBJS	:= $(addprefix $(B)/,$(addsuffix .o,$(SRCS)))

# Recursively expanded: the compiler may not exist until deps ran.
CC_INCLUDE = $(shell $(CC) -print-file-name=include)
CFLAGS	= -std=gnu11 -O2 -g -ffreestanding -nostdinc -isystem $(CC_INCLUDE) \
	  -fno-pic -fno-pie -fno-omit-frame-pointer \
	  -fno-common -ffunction-sections \
	  -Wall -Wextra -Werror -Wno-unused-parameter \
	  -Iinclude -Iboot/$(ARCH)/include -Iinclude/asm-generic \
	  $(BUILD_CFLAGS) -DNR_CPUS=512 \
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
# -z noexecstack: a kernel has no ELF stack to make executable; said once
# here, so an object without a .note.GNU-stack (libgcc's _dvmd_tls.o on
# armv7) draws no warning.
LDFLAGS	= -nostdlib -static -no-pie -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
	  -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments -Wl,-T,$(LINKER_SCRIPT) \
	  -Wl,--defsym,LINK_ADDR=$(BOARD_LINK_ADDR) $(ARCH_LDFLAGS)

# Every QEMU run names the devices it uses and nothing else: no default
# NIC (its boot ROM is a package of its own, which a fresh machine lacks),
# no VGA, no parallel port; the serial console on stdio, with QEMU's
# monitor multiplexed on it (Ctrl-A X quits, Ctrl-A C switches).
QEMU_BASE := -nodefaults -display none -serial mon:stdio -no-reboot

# ---- Run options (issue 20): MEM=, QEMU_CPU=, QEMU_EXTRA=, ACCEL=, PIN=, DTB= --
#   MEM=6G         the guest's RAM (board default BOARD_MEM; the Pis: 1G only)
#   QEMU_CPU=name  a CPU model of the board's QEMU (not on the Pis: fixed SoC)
#   QEMU_EXTRA='..' more QEMU options (not -m/-smp/-cpu/-accel: the above own them)
#   ACCEL=kvm      the board of the host's architecture under KVM, one host
#                  thread per vCPU, with a CPU model the host's KVM accepts
#   PIN=1          each vCPU thread pinned to its own host CPU (tools/quiesce/qemu.py)
#   DTB=file.dtb   an ARM board boots this device tree instead of its own
# Each is checked, with CPUS=, before QEMU starts: one line naming the bad
# value and the board's range (tools/check_run_vars.sh). A board file says
# BOARD_MAX_CPUS, BOARD_FIXED_CPUS (a machine with a fixed count),
# BOARD_MEM, BOARD_MEM_RANGE (MiB), BOARD_QEMU_CPU, BOARD_KVM_ARCH and
# BOARD_KVM_CPUS, and uses RUN_MEM, RUN_CPU, RUN_ACCEL, RUN_DTB in QEMU_ARGS.
MEM		?=
QEMU_CPU	?=
QEMU_EXTRA	?=
ACCEL		?=
PIN		?=
DTB		?=
KVM		 = $(filter kvm,$(ACCEL))
KVM_CACHE	:= build/kvm-cpu.txt
RUN_MEM		 = $(or $(MEM),$(BOARD_MEM))
RUN_CPU		 = $(or $(QEMU_CPU),$(if $(KVM),$(KVM_CPU),$(BOARD_QEMU_CPU)))
RUN_ACCEL	 = $(if $(KVM),kvm,tcg$(comma)thread=$(BOARD_TCG))
RUN_DTB		 = $(or $(DTB),$(BOARD_DTB))
# How many CPUs a run must bring online (the test suite and make run check).
RUN_CPUS	 = $(or $(BOARD_FIXED_CPUS),$(CPUS))
# PIN=1: QEMU names its vCPU threads ("CPU 0/KVM"), which the runner pins.
QEMU_RUN_ARGS	 = $(QEMU_ARGS) $(if $(filter 1,$(PIN)),-name $(BOARD)$(comma)debug-threads=on) $(QEMU_EXTRA)
RUN_GOALS	:= run debug test bench soak print-qemu print-qemu-keys print-run-cpus
ifneq ($(filter $(RUN_GOALS),$(MAKECMDGOALS)),)
RUN_VARS_ERROR := $(shell tools/check_run_vars.sh "board=$(BOARD)" "arch=$(ARCH)" \
	"cpus=$(CPUS)" "max_cpus=$(BOARD_MAX_CPUS)" "fixed_cpus=$(BOARD_FIXED_CPUS)" \
	"mem=$(MEM)" "mem_min=$(word 1,$(BOARD_MEM_RANGE))" "mem_max=$(word 2,$(BOARD_MEM_RANGE))" \
	"qemu=$(QEMU)" "machine=$(BOARD_MACHINE)" "qemu_cpu=$(QEMU_CPU)" \
	"board_cpu=$(BOARD_QEMU_CPU)" "extra=$(QEMU_EXTRA)" "accel=$(ACCEL)" \
	"kvm_arch=$(BOARD_KVM_ARCH)" "dtb=$(DTB)")
ifneq ($(RUN_VARS_ERROR),)
$(error $(RUN_VARS_ERROR))
endif
ifneq ($(KVM),)
KVM_CPU := $(shell tools/kvm_cpu.sh $(QEMU) $(BOARD_MACHINE) $(KVM_CACHE) "$(BOARD_KVM_CPUS)" 2>/dev/null)
ifeq ($(KVM_CPU),)
$(error ACCEL=kvm: this host's KVM accepts none of -cpu $(BOARD_KVM_CPUS) (tools/kvm_cpu.sh $(QEMU) $(BOARD_MACHINE) $(KVM_CACHE) says why))
endif
endif
endif
# make run's one line about the KVM CPU model, and the runner's pinning.
RUN_NOTE	 = $(if $(KVM),sed -n 3p $(KVM_CACHE);)
RUN_PIN		 = $(if $(filter 1,$(PIN)),--pin)
# ---- end of run options -----------------------------------------------------

# What this board's build and run need from Debian, installed by one step
# (tools/deps.sh, serialised by a lock) that every compile waits for. The
# stamp is per board; it is redone when the files naming the packages
# change, which costs a dpkg query when nothing is missing.
DEPS_PKGS := $(TOOLCHAIN_PKGS) $(QEMU_PKG) python3 $(if $(BOARD_DTS),device-tree-compiler)
DEPS_STAMP := build/.deps-$(BOARD)

.PHONY: all run test debug kernel image host-tests clean deps print-qemu print-qemu-keys print-run-cpus \
	print-boards print-board fresh-check
all: kernel
kernel: $(IMAGE) $(BOARD_DTB)

deps: $(DEPS_STAMP)
$(DEPS_STAMP): boards/$(BOARD).mk boot/$(ARCH)/arch.mk Makefile
	@tools/deps.sh "$(DEPS_PKGS)"
	@mkdir -p build && touch $@

$(B)/%.c.o: %.c | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(SAY) "  CC      $<"
	$(Q)$(CC) $(CFLAGS) -MMD -MP -c $< -o $@

$(B)/%.S.o: %.S | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(SAY) "  AS      $<"
	$(Q)$(CC) $(CFLAGS) -D__ASSEMBLER__ -MMD -MP -c $< -o $@

$(B)/ksyms0.c.o $(B)/ksyms1.c.o $(B)/ksyms.c.o: $(B)/%.c.o: $(B)/%.c | $(DEPS_STAMP)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

# Three links: the first has an empty symbol table, the second the table
# of the first, the last the table of the second. The table sits after
# all code, so no function moves (the first check proves it); its size
# depends only on the symbols' names, so the second and last links have
# the same layout, and the data addresses in the last one's table (made
# from the second) are its own (the second check proves it).
$(B)/ksyms0.c: tools/ksyms.py
	@mkdir -p $(dir $@)
	$(Q)python3 tools/ksyms.py < /dev/null > $@
$(B)/kernel.pass1.elf: $(OBJS) $(B)/ksyms0.c.o $(LINKER_SCRIPT)
	$(SAY) "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $(OBJS) $(B)/ksyms0.c.o $(ARCH_LIBS) -lgcc -o $@
$(B)/ksyms1.c: $(B)/kernel.pass1.elf tools/ksyms.py
	$(Q)$(NM) -n -S $< | python3 tools/ksyms.py > $@
$(B)/kernel.pass2.elf: $(OBJS) $(B)/ksyms1.c.o $(LINKER_SCRIPT)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $(OBJS) $(B)/ksyms1.c.o $(ARCH_LIBS) -lgcc -o $@
$(B)/ksyms.c: $(B)/kernel.pass2.elf tools/ksyms.py
	$(Q)$(NM) -n -S $< | python3 tools/ksyms.py > $@
$(ELF): $(OBJS) $(B)/ksyms.c.o $(LINKER_SCRIPT)
	$(SAY) "  LD      $@"
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $(OBJS) $(B)/ksyms.c.o $(ARCH_LIBS) -lgcc -o $@
	$(Q)$(NM) -n $(B)/kernel.pass1.elf | grep -i ' t ' > $(B)/text1.sym
	$(Q)$(NM) -n $@ | grep -i ' t ' > $(B)/text2.sym
	@cmp -s $(B)/text1.sym $(B)/text2.sym || \
		{ echo "error: adding the symbol table moved kernel text"; rm -f $@; exit 1; }
	$(Q)$(NM) -n $(B)/kernel.pass2.elf > $(B)/all2.sym
	$(Q)$(NM) -n $@ > $(B)/all3.sym
	@cmp -s $(B)/all2.sym $(B)/all3.sym || \
		{ echo "error: the symbol table's link moved kernel data"; rm -f $@; exit 1; }
$(B)/Image: $(ELF)
	$(SAY) "  IMAGE   $@"
	$(Q)$(OBJCOPY) -O binary $< $@

# A QEMU machine without a DTB of its own (the Raspberry Pis) gets one
# built from the board's BOARD_DTS, preprocessed with the board file's
# values; QEMU_ARGS passes it with -dtb.
ifneq ($(BOARD_DTB),)
$(BOARD_DTB): $(BOARD_DTS) $(wildcard boards/dts/*.dtsi) boards/$(BOARD).mk | $(DEPS_STAMP)
	@mkdir -p $(dir $@)
	$(SAY) "  DTC     $@"
	$(Q)$(CC) -E -P -nostdinc -undef -x assembler-with-cpp \
		-DPERIPH_BASE=$(BOARD_PERIPH_BASE) $< | dtc -q -I dts -O dtb -o $@ -
endif

# make image: what a board boots from outside QEMU -kernel (an ISO, an SD
# card's files). The board file's BOARD_IMAGE_CMD makes it; without one the
# kernel image is all there is.
image: kernel
	@$(or $(BOARD_IMAGE_CMD),true)

# The command line goes to QEMU -append, unless the board boots an image
# with the command line inside (BOARD_CMDLINE_IN_IMAGE), which
# BOARD_RUN_DEPS then builds first. QEMU_KEYS are keys every QEMU run of
# the board needs (the Raspberry Pis: semihost=1, and cpus= for CPUS < 4).
QEMU_CMDLINE = $(if $(BOARD_CMDLINE_IN_IMAGE),,-append "$(strip $(QEMU_KEYS) $(CMDLINE))")

RUNNER	= python3 tools/run.py --board $(BOARD) --exit $(QEMU_EXIT) --timeout $(TIMEOUT) --log $(B)/run.log \
	  --cpus $(RUN_CPUS) $(RUN_PIN)

# Everything a run boots: the image, the board's DTB, and what the board
# boots instead of -kernel (BOARD_RUN_DEPS: the x86 ISO with BOOT=iso).
RUN_DEPS = kernel $(BOARD_RUN_DEPS)

run: $(RUN_DEPS)
	@$(RUN_NOTE)$(RUNNER) -- $(QEMU) $(QEMU_RUN_ARGS) $(QEMU_CMDLINE)

# The stub listens on the loopback address only, numerically: a minimal
# root has no /etc/hosts to resolve a name (GDB_PORT= for another port).
GDB_PORT ?= 1234
GDB_ADDR = 127.0.0.1:$(GDB_PORT)
debug: $(RUN_DEPS)
	@tools/deps.sh "gdb-multiarch"
	@echo "QEMU is halted with a gdb stub on $(GDB_ADDR). Attach with:"
	@echo "  gdb-multiarch $(ELF) -ex 'target remote $(GDB_ADDR)'"
	@$(QEMU) $(QEMU_RUN_ARGS) $(QEMU_CMDLINE) -S -gdb tcp:$(GDB_ADDR)

# The QEMU command for this board and CPU count, and the kernel keys its
# command line needs (the test suite asks).
print-qemu:
	@echo $(QEMU) $(QEMU_RUN_ARGS)
print-qemu-keys:
	@echo $(QEMU_KEYS)
print-run-cpus:
	@echo $(RUN_CPUS)
print-boards:
	@echo $(BOARDS)
# A board's facts for the Python tools (tools/quiesce/make.py), one
# key=value each: they are written in boards/*.mk only.
print-board:
	@echo board=$(BOARD) arch=$(ARCH) qemu=$(QEMU) exit=$(QEMU_EXIT) \
		max_cpus=$(BOARD_MAX_CPUS) fixed_cpus=$(BOARD_FIXED_CPUS)

# make fresh-check: the README's commands in a brand-new minimal Debian
# root, as a new user would run them (tools/fresh_check.py; needs root).
fresh-check:
	@python3 tools/fresh_check.py

# ---- Boot loaders (issue 20) ---------------------------------------------------
# BOOT=uboot (the QEMU virt boards): U-Boot, Debian's u-boot-qemu, is the
# machine's firmware and boots boot.scr from a virtio disk, as a board
# with U-Boot does: booti on arm64, bootz on armv7. make image BOOT=uboot
# writes the disk (tools/uboot_image.sh), with CMDLINE= in boot.scr. A
# board file lists the BOOT= values it has in BOARD_BOOTS and uses
# ARM_BOOT (or its own) where QEMU_ARGS loads the kernel.
UBOOT_PKGS	:= u-boot-qemu u-boot-tools dosfstools mtools
UBOOT_DIR	 = $(B)/uboot
ARM_BOOT	 = $(if $(filter uboot,$(BOOT)),-bios $(BOARD_UBOOT) \
		   -drive if=none$(comma)format=raw$(comma)file=$(UBOOT_DIR)/disk.img$(comma)id=boot \
		   -device virtio-blk-device$(comma)drive=boot,-kernel $(IMAGE))
UBOOT_IMAGE_CMD	 = tools/deps.sh "$(UBOOT_PKGS)" && \
		   tools/uboot_image.sh $(IMAGE) $(UBOOT_DIR) $(BOARD_UBOOT_ARGS) "$(CMDLINE)"
ifneq ($(BOOT),)
ifeq ($(filter $(BOOT),$(BOARD_BOOTS)),)
$(error BOOT=$(BOOT) is not a way $(BOARD) boots (valid: $(or $(BOARD_BOOTS),none: QEMU -kernel only)))
endif
endif
# ---- end of boot loaders -------------------------------------------------------

# ---- Firmware device trees (issue 20) ---------------------------------------
# make upstream-dtbs: the Raspberry Pi trees of Debian's kernel packages
# (what the upstream kernel ships and the boards' firmware is given), into
# build/fw/upstream/ once (tools/fetch_dtbs.sh); boot one with
# make run BOARD=rpi2-arm DTB=build/fw/upstream/bcm2836-rpi-2-b.dtb.
# make test-dtbs: the board's own tree made wrong on purpose, for the tests
# that a CPU which cannot start fails the run: cpu@1 with an enable-method
# no kernel knows, and cpu@3 disabled (the firmware lists 3 of 4 CPUs).
UPSTREAM_DTB_DIR := build/fw/upstream
TEST_DTB_DIR	:= $(B)/test-dtbs
.PHONY: upstream-dtbs test-dtbs
upstream-dtbs:
	@tools/fetch_dtbs.sh $(UPSTREAM_DTB_DIR)
ifneq ($(BOARD_DTB),)
test-dtbs: $(TEST_DTB_DIR)/cpu1-bad-method.dtb $(TEST_DTB_DIR)/cpu3-disabled.dtb
$(TEST_DTB_DIR)/cpu1-bad-method.dtb: $(BOARD_DTB)
	@mkdir -p $(dir $@)
	@cp $< $@.tmp && fdtput -t s $@.tmp /cpus/cpu@1 enable-method nosuch-method && mv $@.tmp $@
$(TEST_DTB_DIR)/cpu3-disabled.dtb: $(BOARD_DTB)
	@mkdir -p $(dir $@)
	@cp $< $@.tmp && fdtput -t s $@.tmp /cpus/cpu@3 status disabled && mv $@.tmp $@
endif
# ---- end of firmware device trees ---------------------------------------------

include tests/host/host.mk
include tests/fuzz/fuzz.mk
include bench/bench.mk
include tests/mutants/mutants.mk

# make soak [SOAK_MINUTES=10] [BOARD=...] [CPUS=4]: one long boot of
# rcutorture and every workload in turns under CPU hotplug, with failed
# allocations injected every other round; totals at the end (tools/soak.py).
SOAK_MINUTES ?= 10
.PHONY: soak
soak: $(RUN_DEPS)
	@python3 tools/soak.py --board $(BOARD) --cpus $(CPUS) --minutes $(SOAK_MINUTES)

# make test also writes its results as JUnit XML, for CI tools.
# make mutants' list must still fit the tree (each planted bug's text
# occurs once, each selection names cases; nothing is run): checked first.
test: | $(DEPS_STAMP)
	@python3 tools/mutants.py --check
	@python3 tools/testsuite.py --junit-xml build/test-results.xml

clean:
	rm -rf build

-include $(OBJS:.o=.d)
