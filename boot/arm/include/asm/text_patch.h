/* SPDX-License-Identifier: MIT */
/* armv7 (ARM state) side of kernel/text_patch.c: 4-byte instructions. */
#ifndef QUIESCE_ASM_TEXT_PATCH_H
#define QUIESCE_ASM_TEXT_PATCH_H

#include <compiler.h>

#define TEXT_ALIAS_BASE	0xd0000000UL	/* free on every armv7 board */
#define TEXT_POKE_SIZE	4

/*
 * Store through the alias (single-copy atomic), clean the data cache line
 * to the point of unification (DCCMVAU), invalidate the instruction cache
 * line (ICIMVAU) and the branch predictor (BPIALLIS); with the
 * multiprocessing extensions these are broadcast to the inner-shareable
 * domain.
 */
static inline void arch_text_write(void *alias, void *addr, const void *insn)
{
	*(volatile uint32_t *)alias = *(const uint32_t *)insn;
	__asm__ __volatile__("mcr p15, 0, %0, c7, c11, 1\n\tdsb ish\n\t"
			     "mcr p15, 0, %1, c7, c5, 1\n\t"
			     "mcr p15, 0, %2, c7, c1, 6\n\tdsb ish\n\tisb"
			     :: "r"(alias), "r"(addr), "r"(0) : "memory");
}

static inline void arch_sync_core(void)
{
	__asm__ __volatile__("isb" ::: "memory");
}

#endif
