/* SPDX-License-Identifier: MIT */
/* Private to boot/arm64: what its files share. */
#ifndef QUIESCE_BOOT_ARM64_H
#define QUIESCE_BOOT_ARM64_H

#include <compiler.h>

/* Per-CPU stacks live in their own virtual window with unmapped guards:
 * slot n = [guard][thread stack][guard][exception stack][unused]. */
#define STACK_WINDOW		0x7000000000UL
#define STACK_SLOT		0x10000UL
#define THREAD_STACK_SIZE	0x4000UL
#define EXC_STACK_SIZE		0x4000UL
#define THREAD_STACK_OFF	0x1000UL
#define EXC_STACK_OFF		(THREAD_STACK_OFF + THREAD_STACK_SIZE + 0x1000UL)

struct cpu_stack {
	uint64_t thread_top;
	uint64_t exception_top;
};
extern struct cpu_stack cpu_stacks[];

void mmu_init_boot(uintptr_t dtb);
void mmu_enable(void);
__noreturn void call_on_stack(void *arg, void (*fn)(void *), uintptr_t sp);
void secondary_entry(void);

/* Map cpu's stacks; 0 or -ENOMEM. */
int stacks_alloc(unsigned int cpu);
/* Is addr in a guard page of some CPU's stacks? Which CPU's (or -1). */
int stack_guard_owner(uintptr_t addr);
/* Is [addr, addr+8) inside a stack the kernel runs on? */
bool on_kernel_stack(uintptr_t addr);

/* Clean a range to the point of coherency, for readers with caches off. */
void dcache_clean_range(const void *start, size_t size);

#endif
