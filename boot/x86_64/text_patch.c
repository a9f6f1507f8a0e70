// SPDX-License-Identifier: MIT
/*
 * Patching kernel text at run time (uprobes). Text is mapped read-only;
 * writes go through a second, writable and no-execute mapping of the same
 * pages (the text alias), so no page is ever writable and executable.
 *
 * Synchronisation: only single bytes are patched (an INT3 over an
 * instruction's first byte, and the byte it displaced back), and a
 * one-byte store is atomic, so another CPU executes either the old or the
 * new instruction. x86 keeps instruction fetch coherent with stores, but
 * a CPU may still run an instruction it fetched before; the IPI below
 * makes every CPU pass a serialising IRET before arch_text_poke() returns.
 */
#include <arch.h>
#include <kernel.h>
#include <mm.h>
#include <smp.h>
#include <spinlock.h>
#include "x86_64.h"

#define TEXT_ALIAS	0x7100000000UL

extern char _text[], _etext[];
static DEFINE_SPINLOCK(text_lock);	/* one patcher at a time */
static bool alias_mapped;		/* guarded by text_lock */

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

/* Taking the IPI and returning from it (IRETQ) serialises the CPU. */
static void sync_core(void *unused)
{
	(void)unused;
}

int arch_text_poke(void *addr, const void *insn, size_t len)
{
	uintptr_t a = (uintptr_t)addr;
	unsigned long flags;
	int err;

	if (len != 1 || a < (uintptr_t)_text || a + len > (uintptr_t)_etext)
		return -EINVAL;
	spin_lock_irqsave(&text_lock, flags);
	err = map_alias();
	if (!err)
		WRITE_ONCE(*(volatile uint8_t *)(TEXT_ALIAS + (a - (uintptr_t)_text)),
			   *(const uint8_t *)insn);
	spin_unlock_irqrestore(&text_lock, flags);
	if (!err)
		smp_call_function(sync_core, NULL, true);
	return err;
}
