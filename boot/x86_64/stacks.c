// SPDX-License-Identifier: MIT
/*
 * Per-CPU stacks: a thread stack, a #DF stack and an NMI stack for each
 * CPU, mapped in a window of their own with an unmapped guard page below
 * each, so an overflow faults instead of corrupting memory. The boot CPU
 * starts on static stacks in .bss (head.S) and moves here in
 * arch_boot_switch_stack().
 */
#include <arch.h>
#include <kernel.h>
#include <mm.h>
#include <smp.h>
#include "x86_64.h"

struct cpu_stack cpu_stacks[NR_CPUS];
extern char boot_df_stack_top[], boot_nmi_stack_top[];

/* Where each stack sits in a slot; a guard page lies below each. */
static const struct {
	uintptr_t off, size;
} stack_layout[] = {
	{ THREAD_STACK_OFF, THREAD_STACK_SIZE },
	{ DF_STACK_OFF, DF_STACK_SIZE },
	{ NMI_STACK_OFF, NMI_STACK_SIZE },
};

int stacks_alloc(unsigned int cpu)
{
	uintptr_t slot = STACK_WINDOW + cpu * STACK_SLOT;
	int err = 0;

	if (cpu_stacks[cpu].thread_top)
		return 0;	/* a CPU coming back online keeps its stacks */
	for (unsigned int i = 0; i < ARRAY_SIZE(stack_layout) && !err; i++)
		err = map_new_pages(slot + stack_layout[i].off, stack_layout[i].size);
	if (!err && BUSTED_HARDENING)
		err = map_new_pages(slot + THREAD_STACK_OFF - PAGE_SIZE, PAGE_SIZE);
	if (err)
		return err;
	cpu_stacks[cpu].thread_top = slot + THREAD_STACK_OFF + THREAD_STACK_SIZE;
	cpu_stacks[cpu].df_top = slot + DF_STACK_OFF + DF_STACK_SIZE;
	cpu_stacks[cpu].nmi_top = slot + NMI_STACK_OFF + NMI_STACK_SIZE;
	return 0;
}

/* Offset of addr in its slot, or -1 outside the window. */
static long slot_offset(uintptr_t addr, unsigned int nslots)
{
	if (addr < STACK_WINDOW || addr >= STACK_WINDOW + nslots * STACK_SLOT)
		return -1;
	return (long)((addr - STACK_WINDOW) % STACK_SLOT);
}

int stack_guard_owner(uintptr_t addr)
{
	long off = slot_offset(addr, NR_CPUS);

	if (off < 0)
		return -1;
	for (unsigned int i = 0; i < ARRAY_SIZE(stack_layout); i++)
		if ((uintptr_t)off >= stack_layout[i].off - PAGE_SIZE &&
		    (uintptr_t)off < stack_layout[i].off)
			return (int)((addr - STACK_WINDOW) / STACK_SLOT);
	return -1;
}

static bool within(uintptr_t addr, uintptr_t top, uintptr_t size)
{
	return addr >= top - size && addr + 8 <= top;
}

bool on_kernel_stack(uintptr_t addr)
{
	long off = slot_offset(addr, nr_cpu_ids);

	if (within(addr, (uintptr_t)boot_stack_top, 16384) ||
	    within(addr, (uintptr_t)boot_df_stack_top, PAGE_SIZE) ||
	    within(addr, (uintptr_t)boot_nmi_stack_top, PAGE_SIZE))
		return true;
	if (off < 0)
		return false;
	for (unsigned int i = 0; i < ARRAY_SIZE(stack_layout); i++)
		if (within((uintptr_t)off, stack_layout[i].off + stack_layout[i].size,
			   stack_layout[i].size))
			return true;
	return false;
}

static void boot_cpu_continue(void *arg)
{
	((void (*)(void))arg)();
	BUG();
}

void arch_boot_switch_stack(void (*fn)(void))
{
	if (stacks_alloc(0))
		panic("x86_64: no memory for the boot CPU's stacks");
	/* TR keeps pointing at the same TSS: only the IST slots change. */
	x86_cpus[0].tss.ist[IST_DOUBLE_FAULT - 1] = cpu_stacks[0].df_top;
	x86_cpus[0].tss.ist[IST_NMI - 1] = cpu_stacks[0].nmi_top;
	call_on_stack((void *)fn, boot_cpu_continue, cpu_stacks[0].thread_top);
}
