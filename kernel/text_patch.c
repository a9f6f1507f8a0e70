// SPDX-License-Identifier: MIT
/*
 * Patching kernel text at run time (uprobes), the same way on every arch.
 *
 * Text is mapped read-only; writes go through a second, writable and
 * never-executable mapping of the same pages (the text alias, mapped on
 * first use), so no page is ever writable and executable at once. The
 * architecture stores one instruction unit through the alias and makes
 * it visible to instruction fetch (<asm/text_patch.h>); then every other
 * CPU takes an IPI, whose exception return is context synchronising, so
 * after arch_text_poke() returns no CPU can execute the old instruction
 * from what it fetched before.
 *
 * Only swaps that the architectures allow while other CPUs execute the
 * same address are made: an aligned instruction unit replaced by the
 * breakpoint (BRK, BKPT, INT3) and back.
 */
#include <arch.h>
#include <kernel.h>
#include <mm.h>
#include <smp.h>
#include <spinlock.h>
#include <asm/text_patch.h>

extern char _text[], _etext[];
static DEFINE_SPINLOCK(text_lock);	/* one patcher at a time */
static bool alias_mapped;		/* guarded by text_lock */

static int map_alias(void)
{
	int err;

	if (alias_mapped)
		return 0;
	err = arch_map(TEXT_ALIAS_BASE, (uintptr_t)_text,
		       (uintptr_t)_etext - (uintptr_t)_text, PROT_READ | PROT_WRITE);
	if (!err)
		alias_mapped = true;
	return err;
}

static void sync_core(void *unused)
{
	(void)unused;
	arch_sync_core();
}

int arch_text_poke(void *addr, const void *insn, size_t len)
{
	uintptr_t a = (uintptr_t)addr;
	unsigned long flags;
	int err;

	if (len != TEXT_POKE_SIZE || !IS_ALIGNED(a, TEXT_POKE_SIZE) ||
	    a < (uintptr_t)_text || a + len > (uintptr_t)_etext)
		return -EINVAL;
	spin_lock_irqsave(&text_lock, flags);
	err = map_alias();
	if (!err)
		arch_text_write((void *)(TEXT_ALIAS_BASE + (a - (uintptr_t)_text)), addr, insn);
	spin_unlock_irqrestore(&text_lock, flags);
	if (!err)
		smp_call_function(sync_core, NULL, true);
	return err;
}
