// SPDX-License-Identifier: MIT
/*
 * Per-CPU stacks: a thread stack and the exception stacks the ISA needs
 * (arm64: SP_EL1; armv7: IRQ, abort and undefined mode) for each CPU,
 * mapped in a window of their own with an unmapped guard page below
 * each, so an overflow faults instead of corrupting memory.
 */
#include <arch.h>
#include <kernel.h>
#include <mm.h>
#include <smp.h>
#include "arm_common.h"

struct cpu_stack cpu_stacks[NR_CPUS];

int stacks_alloc(unsigned int cpu)
{
	uintptr_t slot = STACK_WINDOW + cpu * STACK_SLOT;
	struct cpu_stack s;
	int err;

	if (cpu_stacks[cpu].thread_top)
		return 0;	/* a CPU coming back online keeps its stacks */
	err = map_new_pages(slot + THREAD_STACK_OFF, THREAD_STACK_SIZE);
	s.thread_top = slot + THREAD_STACK_OFF + THREAD_STACK_SIZE;
	if (!err && BUSTED_HARDENING)
		err = map_new_pages(slot + THREAD_STACK_OFF - PAGE_SIZE, PAGE_SIZE);
	for (unsigned int i = 0; !err && i < NR_EXC_STACKS; i++) {
		err = map_new_pages(slot + EXC_STACK_OFF(i), EXC_STACK_SIZE);
		s.exception_top[i] = slot + EXC_STACK_OFF(i) + EXC_STACK_SIZE;
	}
	if (err)
		return err;
	cpu_stacks[cpu] = s;
	/* The CPU reads its entry with the MMU and caches still off. */
	dcache_clean_range(&cpu_stacks[cpu], sizeof(cpu_stacks[cpu]));
	return 0;
}

/* Where addr falls in its slot: 1 in a stack, 0 in a guard, -1 outside. */
static int slot_position(uintptr_t addr, unsigned int nslots, size_t len)
{
	uintptr_t off;

	if (addr < STACK_WINDOW || addr >= STACK_WINDOW + nslots * STACK_SLOT)
		return -1;
	off = (addr - STACK_WINDOW) % STACK_SLOT;
	if (off >= THREAD_STACK_OFF && off + len <= THREAD_STACK_OFF + THREAD_STACK_SIZE)
		return 1;
	for (unsigned int i = 0; i < NR_EXC_STACKS; i++)
		if (off >= EXC_STACK_OFF(i) && off + len <= EXC_STACK_OFF(i) + EXC_STACK_SIZE)
			return 1;
	/* Guards sit below each stack; above the last one nothing is a guard. */
	return off < EXC_STACK_OFF(NR_EXC_STACKS) - 0x1000UL ? 0 : -1;
}

int stack_guard_owner(uintptr_t addr)
{
	if (slot_position(addr, NR_CPUS, 1) != 0)
		return -1;
	return (int)((addr - STACK_WINDOW) / STACK_SLOT);
}

bool on_kernel_stack(uintptr_t addr)
{
	if (addr >= (uintptr_t)boot_stack_bottom &&
	    addr + sizeof(uintptr_t) <= (uintptr_t)boot_stacks_end)
		return true;
	return slot_position(addr, nr_cpu_ids, sizeof(uintptr_t)) == 1;
}

static void boot_cpu_continue(void *arg)
{
	((void (*)(void))arg)();
	BUG();
}

void arch_boot_switch_stack(void (*fn)(void))
{
	if (stacks_alloc(0))
		panic("%s: no memory for the boot CPU's stacks", ARCH_NAME);
	set_exception_stacks(&cpu_stacks[0]);
	call_on_stack((void *)fn, boot_cpu_continue, cpu_stacks[0].thread_top);
}
