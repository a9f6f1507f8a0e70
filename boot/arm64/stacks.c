// SPDX-License-Identifier: MIT
/*
 * Per-CPU stacks: a thread stack (SP_EL0) and an exception stack (SP_EL1)
 * for each CPU, mapped in a window of their own with an unmapped guard
 * page below each, so an overflow faults instead of corrupting memory.
 */
#include <arch.h>
#include <kernel.h>
#include <mm.h>
#include <smp.h>
#include "arm64.h"

struct cpu_stack cpu_stacks[NR_CPUS];
extern char boot_stack_top[];

static int map_stack(uintptr_t va, size_t size)
{
	void *pages = alloc_pages(size / PAGE_SIZE);

	if (!pages)
		return -ENOMEM;
	return arch_map(va, (uintptr_t)pages, size, PROT_READ | PROT_WRITE);
}

int stacks_alloc(unsigned int cpu)
{
	uintptr_t slot = STACK_WINDOW + cpu * STACK_SLOT;
	int err;

	if (cpu_stacks[cpu].thread_top)
		return 0;	/* a CPU coming back online keeps its stacks */
	err = map_stack(slot + THREAD_STACK_OFF, THREAD_STACK_SIZE);
	if (!err)
		err = map_stack(slot + EXC_STACK_OFF, EXC_STACK_SIZE);
	if (err)
		return err;
	cpu_stacks[cpu].thread_top = slot + THREAD_STACK_OFF + THREAD_STACK_SIZE;
	cpu_stacks[cpu].exception_top = slot + EXC_STACK_OFF + EXC_STACK_SIZE;
	/* The CPU reads its entry with the MMU and caches still off. */
	dcache_clean_range(&cpu_stacks[cpu], sizeof(cpu_stacks[cpu]));
	return 0;
}

int stack_guard_owner(uintptr_t addr)
{
	uintptr_t off;

	if (addr < STACK_WINDOW || addr >= STACK_WINDOW + NR_CPUS * STACK_SLOT)
		return -1;
	off = (addr - STACK_WINDOW) % STACK_SLOT;
	if (off < THREAD_STACK_OFF ||
	    (off >= THREAD_STACK_OFF + THREAD_STACK_SIZE && off < EXC_STACK_OFF))
		return (int)((addr - STACK_WINDOW) / STACK_SLOT);
	return -1;
}

bool on_kernel_stack(uintptr_t addr)
{
	uintptr_t off;

	if (addr >= (uintptr_t)boot_stack_top - 16384 && addr + 8 <= (uintptr_t)boot_stack_top + 8192)
		return true;
	if (addr < STACK_WINDOW || addr >= STACK_WINDOW + nr_cpu_ids * STACK_SLOT)
		return false;
	off = (addr - STACK_WINDOW) % STACK_SLOT;
	return (off >= THREAD_STACK_OFF && off + 8 <= THREAD_STACK_OFF + THREAD_STACK_SIZE) ||
	       (off >= EXC_STACK_OFF && off + 8 <= EXC_STACK_OFF + EXC_STACK_SIZE);
}

static void boot_cpu_continue(void *arg)
{
	((void (*)(void))arg)();
	BUG();
}

void arch_boot_switch_stack(void (*fn)(void))
{
	if (stacks_alloc(0))
		panic("arm64: no memory for the boot CPU's stacks");
	/* Exception stack first: SP_EL1 is only writable through SPSel. */
	__asm__ __volatile__("msr spsel, #1\n\tmov sp, %0\n\tmsr spsel, #0"
			     :: "r"(cpu_stacks[0].exception_top) : "memory");
	call_on_stack((void *)fn, boot_cpu_continue, cpu_stacks[0].thread_top);
}
