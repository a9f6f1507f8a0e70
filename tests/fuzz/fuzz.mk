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
#                        kept in build/fuzz/corpus/, crashes in build/fuzz/crashes/
#
# The code under test is the host build's (tests/host/host.mk): the same
# sources with the same flags, here compiled by clang with libFuzzer,
# AddressSanitizer and UBSan. The command-line fuzzer also links the files
# that declare keys and commands; those whose commands need what only the
# kernel has (kernel/crash.c, rcu/rcutorture.c, workloads/uprobe/,
# workloads/shrinker/shrinker_wl.c, boot/) are left out, so crash=,
# hotplug= and semihost= are unknown keys there. The link drops unused
# sections (--gc-sections), which is what lets kernel/main.c link without
# the arch hooks only kernel_main() calls.
#
# Each fuzzer's broken variant builds its parser with -DFUZZ_BROKEN, which
# removes one bounds check; the smoke run must find the hole.

FUZZ_NAMES	:= fdt acpi cmdline procmap
FUZZ_PKGS	:= clang lld libclang-rt-dev llvm
FUZZ_CC		?= clang
FUZZ_SECONDS	?= 600
FUZZERS		?= $(FUZZ_NAMES)
FUZZ_B		:= build/fuzz

FUZZ_CMDLINE_SRCS := kernel/cmdline.c kernel/main.c kernel/torture_type.c rcu/setup.c \
	workloads/harness.c workloads/model/task.c workloads/model/dcache.c \
	workloads/model/alone.c workloads/proc_lookup/proc_lookup.c \
	workloads/vma_query/vma_query.c workloads/nsproxy/nsproxy_wl.c \
	kernel/locking/locktorture.c kernel/locking/lockbench.c rcu/rcubench.c
FUZZ_LIB_SRCS	:= $(filter-out %_test.c tests/host/main.c,$(HOST_SRCS)) \
	$(FUZZ_CMDLINE_SRCS) tests/fuzz/common.c

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

$(FUZZ_DEPS_STAMP):
	@tools/deps.sh "$(FUZZ_PKGS)"
	@mkdir -p build && touch $@

# Object folders: obj (the fuzzers), broken (-DFUZZ_BROKEN), cov (coverage).
define fuzz_objs
$(FUZZ_B)/$(1)/%.o: %.c | $(FUZZ_DEPS_STAMP)
	@mkdir -p $$(dir $$@)
	@echo "  FUZZCC($(1)) $$<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) $(2) -MMD -MP -c $$< -o $$@
endef
$(eval $(call fuzz_objs,obj,$(FUZZ_SAN)))
$(eval $(call fuzz_objs,broken,$(FUZZ_SAN) -DFUZZ_BROKEN))
$(eval $(call fuzz_objs,covobj,$(FUZZ_COV)))

FUZZ_LIB	= $(FUZZ_LIB_SRCS:%.c=$(FUZZ_B)/$(1)/%.o)

define fuzzer
$(FUZZ_B)/$(1)-fuzz: $(FUZZ_B)/obj/tests/fuzz/$(1)_fuzz.o $(call FUZZ_LIB,obj)
	@echo "  FUZZLD  $$@"
	@$(FUZZ_CC) $$^ $(FUZZ_SAN) $(FUZZ_LDFLAGS) -o $$@

$(FUZZ_B)/$(1)-fuzz-broken: $(FUZZ_B)/obj/tests/fuzz/$(1)_fuzz.o \
		$(filter-out $(FUZZ_B)/obj/$(FUZZ_BROKEN_$(1):.c=.o),$(call FUZZ_LIB,obj)) \
		$(FUZZ_B)/broken/$(FUZZ_BROKEN_$(1):.c=.o)
	@echo "  FUZZLD  $$@"
	@$(FUZZ_CC) $$^ $(FUZZ_SAN) $(FUZZ_LDFLAGS) -o $$@

$(FUZZ_B)/cov/$(1)-fuzz: $(FUZZ_B)/covobj/tests/fuzz/$(1)_fuzz.o $(call FUZZ_LIB,covobj)
	@mkdir -p $$(dir $$@)
	@echo "  FUZZLD  $$@"
	@$(FUZZ_CC) $$^ $(FUZZ_COV) $(FUZZ_LDFLAGS) -o $$@
endef
$(foreach f,$(FUZZ_NAMES),$(eval $(call fuzzer,$(f))))

-include $(foreach v,obj covobj,$(patsubst %.o,%.d,$(call FUZZ_LIB,$(v))) \
	$(FUZZ_NAMES:%=$(FUZZ_B)/$(v)/tests/fuzz/%_fuzz.d)) \
	$(foreach f,$(FUZZ_NAMES),$(FUZZ_B)/broken/$(FUZZ_BROKEN_$(f):.c=.d))

fuzz-build: $(FUZZ_NAMES:%=$(FUZZ_B)/%-fuzz) $(FUZZ_NAMES:%=$(FUZZ_B)/%-fuzz-broken)

fuzz-smoke: fuzz-build
	@python3 tests/fuzz/run.py smoke $(FUZZ_NAMES)

fuzz: $(FUZZERS:%=$(FUZZ_B)/%-fuzz) $(FUZZERS:%=$(FUZZ_B)/cov/%-fuzz)
	@python3 tests/fuzz/run.py long --seconds $(FUZZ_SECONDS) $(FUZZERS)

.PHONY: fuzz fuzz-smoke fuzz-build
