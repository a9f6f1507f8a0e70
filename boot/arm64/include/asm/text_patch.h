/* SPDX-License-Identifier: MIT */
/* arm64 side of kernel/text_patch.c: 4-byte instructions. */
#ifndef QUIESCE_ASM_TEXT_PATCH_H
#define QUIESCE_ASM_TEXT_PATCH_H

#include <compiler.h>

#define TEXT_ALIAS_BASE	0x7100000000UL	/* above RAM, below the stack window */
#define TEXT_POKE_SIZE	4

/*
 * Store through the alias (single-copy atomic), clean it to the point of
 * unification, invalidate the instruction cache for the executed address;
 * both maintenance operations broadcast to the inner-shareable domain.
 */
static inline void arch_text_write(void *alias, void *addr, const void *insn)
{
	*(volatile uint32_t *)alias = *(const uint32_t *)insn;
	__asm__ __volatile__("dc cvau, %0\n\tdsb ish\n\tic ivau, %1\n\tdsb ish\n\tisb"
			     :: "r"(alias), "r"(addr) : "memory");
}

static inline void arch_sync_core(void)
{
	__asm__ __volatile__("isb" ::: "memory");
}

#endif
