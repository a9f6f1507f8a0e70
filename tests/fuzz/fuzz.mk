# Host fuzzing of every parser of outside input, with libFuzzer:
#
#   fdt      the DTB parser (drivers/fdt.c)
#   acpi     RSDP, RSDT/XSDT and MADT (drivers/acpi.c)
#   cmdline  the command line and the key checks it calls (kernel/cmdline.c)
#   procmap  PROCMAP_QUERY's arguments (workloads/vma_query/procmap_query.c,
#            workloads/model/mm.c)
#
#   make fuzz-smoke      bounded runs from the seed corpus, a replay of every
#                        regression input, and each broken variant caught
#                        (make test runs this)
#   make fuzz            longer runs, FUZZ_SECONDS in all (default 600), two
#                        at a time; FUZZERS= picks some; the grown corpus is
#                        kept in build/fuzz/corpus/, crashes in build/fuzz/crashes/,
#                        then the parsers' line coverage over that corpus
#
# The code under test is the host build's (tests/host/host.mk): the same
# sources with the same flags, compiled here by clang with libFuzzer,
# AddressSanitizer and UBSan. The link keeps the kernel's registration
# tables (tests/fuzz/tables.ld) and drops unused sections.
#
# The command-line fuzzer also links every file that declares a key or a
# command and builds on the host, for their checks. Their commands' code
# needs what only the kernel has (CPU hotplug, the page allocator, arch
# hooks); the parser never calls it, so that link leaves those symbols
# unresolved (a call to one would crash the fuzzer, loudly). Left out:
# kernel/crash.c and workloads/uprobe/ (arch headers), kernel/kmalloc.c
# (the host has its own allocator) and boot/, so crash=, failslab= and
# semihost= (and uprobe's hit=, probe=) are unknown keys there, and crash
# and uprobe unknown commands.
#
# Each fuzzer's broken variant builds its parser with -DFUZZ_BROKEN, which
# removes one check; the smoke run must find the hole.

FUZZ_NAMES	:= fdt acpi cmdline procmap
FUZZ_PKGS	:= clang lld libclang-rt-dev llvm
FUZZ_CC		?= clang
FUZZ_SECONDS	?= 600
FUZZERS		?= $(FUZZ_NAMES)
FUZZ_B		:= build/fuzz

# rcu/setup.c: rcu_init(), as at boot (which reads rcu_fanout=).
FUZZ_LIB_SRCS	:= $(filter-out %_test.c tests/host/main.c,$(HOST_SRCS)) \
	rcu/setup.c kernel/cmdline.c tests/fuzz/common.c
FUZZ_EXTRA_cmdline := kernel/main.c kernel/torture_type.c \
	kernel/torture_hotplug.c rcu/rcutorture.c rcu/rcubench.c \
	kernel/locking/locktorture.c kernel/locking/lockbench.c workloads/harness.c \
	workloads/model/task.c workloads/model/dcache.c workloads/model/alone.c \
	workloads/proc_lookup/proc_lookup.c workloads/vma_query/vma_query.c \
	workloads/nsproxy/nsproxy_wl.c workloads/shrinker/shrinker_wl.c
FUZZ_LDEXTRA_cmdline := -Wl,--unresolved-symbols=ignore-all

# The parser each broken variant breaks.
FUZZ_BROKEN_fdt		:= drivers/fdt.c
FUZZ_BROKEN_acpi	:= drivers/acpi.c
FUZZ_BROKEN_cmdline	:= kernel/cmdline.c
FUZZ_BROKEN_procmap	:= workloads/vma_query/procmap_query.c

FUZZ_SAN	:= -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS	:= $(HOST_CFLAGS) -fsanitize=fuzzer-no-link -ffunction-sections -fdata-sections
FUZZ_LDFLAGS	:= -fsanitize=fuzzer -fuse-ld=lld -Wl,--gc-sections -Wl,--wrap=printk \
	-Wl,-T,tests/fuzz/tables.ld -pthread -lm
# Source-based coverage instead of the sanitizers: make fuzz's report.
FUZZ_COV	:= -fprofile-instr-generate -fcoverage-mapping
FUZZ_DEPS_STAMP	:= build/.deps-fuzz

$(FUZZ_DEPS_STAMP): tests/fuzz/fuzz.mk | $(HOST_DEPS_STAMP)
	@tools/deps.sh "$(FUZZ_PKGS)"
	@mkdir -p build && touch $@

# Object folders: obj (the fuzzers), broken (-DFUZZ_BROKEN), covobj (coverage).
define fuzz_objs
$(FUZZ_B)/$(1)/%.o: %.c | $(FUZZ_DEPS_STAMP)
	@mkdir -p $$(dir $$@)
	$$(SAY) "  FUZZCC($(1)) $$<"
	$$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(2) -MMD -MP -c $$< -o $$@
endef
$(eval $(call fuzz_objs,obj,$(FUZZ_SAN)))
$(eval $(call fuzz_objs,broken,$(FUZZ_SAN) -DFUZZ_BROKEN))
$(eval $(call fuzz_objs,covobj,$(FUZZ_COV)))

# Fuzzer $(1)'s sources, and their objects in folder $(2).
fuzz_srcs	= tests/fuzz/$(1)_fuzz.c $(FUZZ_LIB_SRCS) $(FUZZ_EXTRA_$(1))
fuzz_objs_in	= $(patsubst %.c,$(FUZZ_B)/$(2)/%.o,$(call fuzz_srcs,$(1)))

define fuzzer
$(FUZZ_B)/$(1)-fuzz: $(call fuzz_objs_in,$(1),obj)
	$$(SAY) "  FUZZLD  $$@"
	$$(Q)$(FUZZ_CC) $$^ $(FUZZ_SAN) $(FUZZ_LDFLAGS) $(FUZZ_LDEXTRA_$(1)) -o $$@

$(FUZZ_B)/$(1)-fuzz-broken: $(FUZZ_B)/broken/$(FUZZ_BROKEN_$(1):.c=.o) \
		$(filter-out $(FUZZ_B)/obj/$(FUZZ_BROKEN_$(1):.c=.o),$(call fuzz_objs_in,$(1),obj))
	$$(SAY) "  FUZZLD  $$@"
	$$(Q)$(FUZZ_CC) $$^ $(FUZZ_SAN) $(FUZZ_LDFLAGS) $(FUZZ_LDEXTRA_$(1)) -o $$@

$(FUZZ_B)/cov/$(1)-fuzz: $(call fuzz_objs_in,$(1),covobj)
	@mkdir -p $$(dir $$@)
	$$(SAY) "  FUZZLD  $$@"
	$$(Q)$(FUZZ_CC) $$^ $(FUZZ_COV) $(FUZZ_LDFLAGS) $(FUZZ_LDEXTRA_$(1)) -o $$@

-include $(patsubst %.o,%.d,$(call fuzz_objs_in,$(1),obj) $(call fuzz_objs_in,$(1),covobj) \
	$(FUZZ_B)/broken/$(FUZZ_BROKEN_$(1):.c=.o))
endef
$(foreach f,$(FUZZ_NAMES),$(eval $(call fuzzer,$(f))))

fuzz-build: $(FUZZ_NAMES:%=$(FUZZ_B)/%-fuzz) $(FUZZ_NAMES:%=$(FUZZ_B)/%-fuzz-broken)

fuzz-smoke: fuzz-build
	@python3 tests/fuzz/run.py smoke $(FUZZ_NAMES)

fuzz: $(FUZZERS:%=$(FUZZ_B)/%-fuzz) $(FUZZERS:%=$(FUZZ_B)/cov/%-fuzz)
	@python3 tests/fuzz/run.py long --seconds $(FUZZ_SECONDS) $(FUZZERS)

.PHONY: fuzz fuzz-smoke fuzz-build
