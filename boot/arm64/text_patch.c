// SPDX-License-Identifier: MIT
/*
 * Patching kernel text at run time (uprobes). Text is mapped read-only;
 * writes go through a second, writable and never-executable mapping of
 * the same pages (the text alias), so no page is ever writable and
 * executable at once.
 *
 * Synchronisation: the Arm ARM allows a CPU to execute an instruction
 * that another CPU concurrently replaces when both old and new are among
 * B, BL, NOP, BRK, ...; uprobes only swap a NOP or ADD for BRK and back,
 * and a CPU that still executes the old BRK after it was removed finds no
 * uprobe and re-executes (see workloads/uprobe). Cleaning the data cache
 * by alias and invalidating the instruction cache by address, both to
 * the inner-shareable domain, makes the new instruction visible to every
 * CPU's fetch; the IPI below makes each CPU pass a context-synchronisation
 * event before arch_text_poke() returns, so after it returns no CPU can
 * fetch the old instruction.
 */
#include <arch.h>
#include <kernel.h>
#include <mm.h>
#include <smp.h>
#include <spinlock.h>
#include "arm64.h"

#define TEXT_ALIAS	0x7100000000UL

extern char _text[], _etext[];
static DEFINE_SPINLOCK(text_lock);	/* one patcher at a time */
static bool alias_mapped;

static int map_alias(void)
{
	int err;

	if (alias_mapped)
		return 0;
	err = arch_map(TEXT_ALIAS, (uintptr_t)_text, (uintptr_t)_etext - (uintptr_t)_text,
		       PROT_READ | PROT_WRITE);
	if (!err)
		alias_mapped = true;
	return err;
}

static void sync_core(void *unused)
{
	(void)unused;
	__asm__ __volatile__("isb" ::: "memory");
}

int arch_text_poke(void *addr, const void *insn, size_t len)
{
	uintptr_t a = (uintptr_t)addr;
	volatile uint32_t *alias;
	unsigned long flags;
	int err = 0;

	if (len != 4 || !IS_ALIGNED(a, 4) || a < (uintptr_t)_text || a + len > (uintptr_t)_etext)
		return -EINVAL;
	spin_lock_irqsave(&text_lock, flags);
	err = map_alias();
	if (!err) {
		alias = (volatile uint32_t *)(TEXT_ALIAS + (a - (uintptr_t)_text));
		*alias = *(const uint32_t *)insn;	/* single-copy atomic */
		__asm__ __volatile__("dc cvau, %0\n\tdsb ish\n\t"
				     "ic ivau, %1\n\tdsb ish\n\tisb"
				     :: "r"(alias), "r"(a) : "memory");
	}
	spin_unlock_irqrestore(&text_lock, flags);
	if (!err)
		smp_call_function(sync_core, NULL, true);
	return err;
}
