# The host build: arch-neutral sources with POSIX threads as CPUs, built
# twice, under ThreadSanitizer and under AddressSanitizer+UBSan.
# Each component lists its sources and its host tests here.

HOST_SRCS := \
	kernel/ktest.c kernel/torture.c kernel/might_sleep.c kernel/cpu_watch.c lib/kstrto.c lib/kstrto_test.c lib/atomic_stats.c \
	tests/host/arch_host.c tests/host/main.c \
	drivers/fdt.c drivers/fdt_test.c \
	lib/libc/string.c lib/libc/printf.c lib/libc_test.c \
	drivers/acpi.c drivers/acpi_test.c \
	kernel/locking/lockdep.c kernel/locking/mcs_spinlock.c kernel/locking/rwlock.c \
	kernel/locking/refcount.c kernel/locking/lockdep_test.c kernel/locking/locking_test.c \
	rcu/tree.c rcu/broken.c rcu/callback.c rcu/exp.c rcu/cblist.c rcu/srcu.c rcu/rcu_test.c rcu/srcu_test.c \
	lib/rbtree.c lib/rbtree_test.c tests/host/litmus_test.c

# Workloads II: the VMA tree + PROCMAP_QUERY, the shrinker list, nsproxy switching.
HOST_SRCS += workloads/model/mm.c \
	workloads/vma_query/procmap_query.c workloads/vma_query/procmap_query_test.c \
	workloads/shrinker/shrinker.c workloads/shrinker/shrinker_test.c \
	workloads/nsproxy/nsproxy.c workloads/nsproxy/nsproxy_test.c

HOST_NR_CPUS ?= 8
HOST_CC ?= gcc
# The host C library's headers are a package of their own (gcc only
# recommends it); the sanitizer runtimes come with gcc.
HOST_DEPS_STAMP := build/.deps-host
$(HOST_DEPS_STAMP): tests/host/host.mk
	@tools/deps.sh "gcc libc6-dev"
	@mkdir -p build && touch $@
HOST_CFLAGS := -std=gnu11 -O1 -g -fno-omit-frame-pointer -pthread \
	-Wall -Wextra -Werror -Wno-unused-parameter \
	-DCONFIG_DEBUG -DCONFIG_ATOMIC_STATS \
	-DHOST_NR_CPUS=$(HOST_NR_CPUS) -DNR_CPUS=64 \
	-Itests/host/include -Iinclude -Iinclude/asm-generic
HOST_SAN_tsan := -fsanitize=thread -Wno-tsan
HOST_SAN_asan := -fsanitize=address,undefined -fno-sanitize-recover=all

define host_variant
build/host-$(1)/%.o: %.c | $$(HOST_DEPS_STAMP)
	@mkdir -p $$(dir $$@)
	$$(SAY) "  HOSTCC($(1)) $$<"
	$$(Q)$$(HOST_CC) $$(HOST_CFLAGS) $$(HOST_SAN_$(1)) -MMD -MP -c $$< -o $$@

build/host-$(1)/quiesce-host-tests: $$(HOST_SRCS:%.c=build/host-$(1)/%.o)
	$$(SAY) "  HOSTLD($(1)) $$@"
	$$(Q)$$(HOST_CC) $$(HOST_CFLAGS) $$(HOST_SAN_$(1)) $$^ -o $$@ -lm

-include $$(HOST_SRCS:%.c=build/host-$(1)/%.d)
endef

$(eval $(call host_variant,tsan))
$(eval $(call host_variant,asan))

host-tests: build/host-tsan/quiesce-host-tests build/host-asan/quiesce-host-tests
.PHONY: host-tests

# The include graph goes one way (tools/check_layers.py): the checker's own
# planted-violation test first, then the tree. Every host-tests run does both.
check-layers:
	@python3 tools/check_layers.py --self-test
	@python3 tools/check_layers.py
host-tests: check-layers
.PHONY: check-layers
